"""Read a video: where and when its container says it was filmed, and the text its frames show.

A video is read as one photo whose text was seen over time, so everything after reading (place
names, inference, the map, the JSON) works on it unchanged:

1. the container's tags (``geoloc.read.metadata.containers.collect_movie`` for MP4 / MOV / 3GP;
   FFmpeg's tags for MKV / WebM): the position (QuickTime ``©xyz``, Apple's ISO 6709 location key,
   3GPP ``loci``, XMP), the creation date and the camera;
2. frames sampled at ``frames_per_minute`` (``sample_frames``): each stretch of the video offers a
   few frames, keyframes where it has them (decoded alone after a seek: cheap), else frames spread
   over it (decoded forward from the keyframe before); the sharpest (variance of the Laplacian)
   stands for the stretch, and it is read only if it is not a near-duplicate of the last frame
   read (their 64-cell grey thumbnails differ nowhere by more than noise);
3. each frame read by the OCR (``geoloc.read.ocr.reader.read_text``), and the text seen on several
   frames merged into one span (``merge_frames``): a vote across frames for the reading, the box,
   line and sign panel of the frame that read the sign best, the time of that frame (``time_s``)
   and the times it was seen (``time_range``).
"""

from __future__ import annotations

import bisect
import math
import mmap
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import av
import cv2
import numpy as np
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image
from rapidfuzz import fuzz
from tqdm import tqdm

from geoloc.common.photo import check_path
from geoloc.common.text import normalise
from geoloc.common.video import frame_time, open_video, upright, video_error, video_stream
from geoloc.errors import GeolocError, PhotoError
from geoloc.model import GPS, Box, Metadata, PhotoReport, TextSpan, box_within, clock, clock_range
from geoloc.read.metadata import MAP_ABOVE
from geoloc.read.metadata.containers import collect_movie, movie_container
from geoloc.read.metadata.interpret import build_metadata
from geoloc.read.metadata.xmp import iso_date
from geoloc.read.ocr.reader import DEFAULT_LANGS, read_text

VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".qt", ".3gp", ".3g2", ".mkv", ".webm"})
"""File name endings of the videos geoloc reads (MP4, MOV, 3GP, MKV, WebM). A file is read as a
video when its first bytes say so, whatever its name; a file with one of these names that is not
a movie is refused as "not a video" rather than tried as a photo."""

DEFAULT_FRAMES_PER_MINUTE = 30
"""Frames read per minute of video unless asked otherwise: one every 2 s. A road sign passed at
50 km/h stays readable for 2-4 s, so one frame in 2 s sees it; a minute of 1080p then costs
13-25 CPU seconds, most of it OCR (benchmarks/video.py)."""

MAX_FRAMES_READ = 400
"""Most frames read from one video, however long: past 13 minutes at the default rate they are
spread evenly over the whole video instead (a warning says how far apart). 400 frames take 4-8
minutes of OCR; a feature film's worth of frames would take hours."""

CANDIDATES = 3
"""Frames decoded for each frame read, spread over its stretch of video; the sharpest is read.
Motion blur in hand-held and dashboard video comes and goes within a second, and three tries
find a sharp frame in most stretches at a fraction of the OCR's cost."""

MAX_PACKETS = 2_000_000
"""Most video packets indexed (18 hours at 30 frames a second): a file of millions of empty
packets would otherwise cost a Python step each. The rest of such a video is not read."""

CUT_SHORT = 0.9
"""A video whose frames end before this share of the length its container declares (less a
second of rounding) is said to be cut short: a download that stopped, read as far as it goes."""

SHARPNESS_WIDTH = 640
"""Width at which a frame's sharpness and thumbnail are measured: blur that hides letters still shows
at this size, and measuring it costs a millisecond instead of twenty."""

THUMB_CELLS = 64
"""Width, in cells, of the grey thumbnail two frames are compared by (the height keeps the frame's
shape: 64x36 for 16:9). A cell is 20 px of a 1280 px frame, so a sign 100 px wide fills whole cells."""

NEAR_DUPLICATE_LEVELS = 12
"""A frame whose thumbnail differs from the last frame read's by at most this many grey levels in
every cell shows the same picture (a camera held still) and is not read again. Sensor noise and
compression change a cell by 1-2 levels; a sign 100 px wide coming into a 1280 px frame changes
its cells by 50 or more. A difference hash (dHash, 256 bits) cannot tell the two apart: a new
sign that size flips 0-5 bits, noise 1-3 (see benchmarks/RESULTS.md)."""

MAX_TRACK_GAP = 2
"""Frames read after which text not seen again is taken to be gone: one frame that missed it
(blurred, or a car in front) does not split one sign into two pieces of evidence."""

SAME_READING = 70
"""How alike (rapidfuzz ratio of the folded texts, 0-100) two readings on consecutive frames must
be to be readings of the same words: "Chernihiv" and "Chernihlv" (89) are, "Київ" and "Кривий
Ріг" (43) are not."""

_LOCATION_PRECEDENCE = ("QuickTime location key", "QuickTime ©xyz", "3GPP loci")
"""Which position tag wins when a movie has several: Apple's own key, then the user-data tag
Android and Apple write, then the 3GPP box (FFmpeg writes it when it copies a position)."""

_ISO6709 = re.compile(
    r"\s*(?P<lat>[+-]\d{1,6}(?:\.\d+)?)(?P<lon>[+-]\d{1,7}(?:\.\d+)?)(?P<alt>[+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?/?\s*"
)
"""An ISO 6709 point as movies write it: "+51.4946+031.2893+120.000/", also in DDMM and DDMMSS."""


@dataclass(frozen=True)
class SampledFrame:
    """A frame chosen to be read: when it shows, until when the picture stayed the same, and the
    upright picture."""

    time_s: float
    until_s: float
    image: Image.Image


@dataclass
class SamplingStats:
    """What sampling a video cost: frames decoded, frames chosen, near-duplicates skipped."""

    duration_s: float = 0.0
    decoded: int = 0
    chosen: int = 0
    duplicates: int = 0
    interval_s: float = 0.0
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# the container's tags


def is_video(path: str | os.PathLike[str]) -> bool:
    """Whether the file is to be read as a video: a movie by its first bytes, or by its name."""
    named = os.path.splitext(os.fsdecode(path))[1].lower() in VIDEO_SUFFIXES
    try:
        with open(check_path(path), "rb") as fh:  # checked first: a FIFO would block the open
            head = fh.read(4096)
    except (GeolocError, OSError):
        return named  # the reader that takes it names the problem
    return named or movie_container(head) is not None


def parse_iso6709(text: str) -> tuple[float, float, float | None] | None:
    """Latitude, longitude and altitude (metres, or None) of an ISO 6709 point, or None if it is not one.

    The whole-degree digits say the form: 2 (latitude) or 3 (longitude) for decimal degrees, 4 or
    5 for degrees and minutes, 6 or 7 for degrees, minutes and seconds.
    """
    m = _ISO6709.fullmatch(text)
    if m is None:
        return None
    lat, lon = _iso_angle(m.group("lat"), 2), _iso_angle(m.group("lon"), 3)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon, float(m.group("alt")) if m.group("alt") else None


def _iso_angle(part: str, degree_digits: int) -> float | None:
    """One signed ISO 6709 angle: decimal degrees, DDMM.M or DDMMSS.S by its whole digits."""
    sign = -1.0 if part[0] == "-" else 1.0
    whole, dot, fraction = part[1:].partition(".")
    digits = len(whole)
    if digits <= degree_digits:
        return sign * float(part[1:])
    degrees, rest = int(whole[:degree_digits]), whole[degree_digits:]
    if digits == degree_digits + 2:
        minutes = float(rest + dot + fraction)
        return sign * (degrees + minutes / 60) if minutes < 60 else None
    if digits == degree_digits + 4:
        minutes, seconds = int(rest[:2]), float(rest[2:] + dot + fraction)
        return sign * (degrees + minutes / 60 + seconds / 3600) if minutes < 60 and seconds < 60 else None
    return None


def _gps(found: Iterable[tuple[str, str]], warnings: list[str]) -> GPS | None:
    """The first usable position among a movie's position tags, by ``_LOCATION_PRECEDENCE``."""
    order = {tag: i for i, tag in enumerate(_LOCATION_PRECEDENCE)}
    for tag, text in sorted(found, key=lambda f: order.get(f[0], len(order))):
        point = parse_iso6709(text)
        if point is None:
            warnings.append(f"{tag} position {text[:80]!r} is not an ISO 6709 point; ignored")
            continue
        lat, lon, alt = point
        if lat == 0 and lon == 0:
            warnings.append(f"{tag} position 0/0 placeholder ignored")
            continue
        return GPS(lat=lat, lon=lon, altitude_m=alt, source=tag.split()[0].lower())
    return None


def _date(value: str | None) -> str | None:
    """A movie's date as ISO 8601 ("2024-05-01T12:34:56+0300" -> "...+03:00"), None if it is none."""
    if not value:
        return None
    value = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value.strip().replace(" ", "T", 1))
    return iso_date(value)


def _camera(tags: dict[str, str], camera: dict[str, str], warnings: list[str]) -> dict[str, str]:
    """The camera fields of the metadata, completed with the movie's tags (its own date first)."""
    out = dict(camera)
    for key in ("make", "model", "software"):
        if tags.get(key) and key not in out:
            out[key] = tags[key]
    if "datetime_original" not in out:
        for key in ("creation_date", "created_utc"):
            date = _date(tags.get(key))
            if date:
                out["datetime_original"] = date
                break
            if tags.get(key):
                warnings.append(f"movie {key.replace('_', ' ')} {tags[key][:40]!r} is not a date")
    return out


def _quicktime_metadata(path: str) -> Metadata:
    """What an MP4 / MOV / 3GP container says, read from its boxes (a large file is mapped)."""
    with open(path, "rb") as fh:
        data: Any = None
        if os.fstat(fh.fileno()).st_size > MAP_ABOVE:
            try:
                data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):
                data = None
        if data is None:
            data = fh.read()
        try:
            raw = collect_movie(data)
        finally:
            if isinstance(data, mmap.mmap):
                data.close()
    base = build_metadata(raw)  # XMP positions, dates and cameras, with their warnings
    warnings = list(base.warnings)
    gps = base.gps or _gps(raw.iso6709, warnings)
    camera = _camera(raw.tags, base.camera, warnings)
    return replace(base, gps=gps, camera=camera, warnings=tuple(dict.fromkeys(warnings)))


def _matroska_metadata(container: InputContainer) -> Metadata:
    """What an MKV / WebM container says: FFmpeg's tags (a position as ISO 6709 "LOCATION")."""
    tags = {str(k).lower(): str(v) for k, v in container.metadata.items()}
    warnings: list[str] = []
    gps = _gps([("Matroska LOCATION", tags["location"])], warnings) if tags.get("location") else None
    movie = {
        "creation_date": tags.get("date_recorded") or tags.get("creation_time") or "",
        "software": tags.get("encoder", ""),
    }
    return Metadata(gps=gps, camera=_camera(movie, {}, warnings), warnings=tuple(warnings))


# ---------------------------------------------------------------------------------------------
# choosing the frames


@dataclass
class _Index:
    """Where a video's frames are, from its packets alone (nothing decoded)."""

    start: float  # presentation time of the first frame, in the stream's seconds
    duration: float
    keys: list[float]  # keyframe times from the start, sorted


def _index(container: InputContainer, stream: VideoStream, stats: SamplingStats) -> _Index:
    """Walk the video's packets (no decoding) for its keyframes and its length."""
    first, last = math.inf, -math.inf
    keys: list[float] = []
    tb = stream.time_base
    try:
        for n, packet in enumerate(container.demux(stream)):
            if n >= MAX_PACKETS:
                stats.warnings.append(f"video has more than {MAX_PACKETS:,} packets; only the start was read")
                break
            if packet.pts is None or packet.size == 0 or tb is None:
                continue
            t = float(packet.pts * tb)
            first, last = min(first, t), max(last, t)
            if packet.is_keyframe:
                keys.append(t)
    except av.FFmpegError as exc:
        stats.warnings.append(f"video data is damaged or cut short ({video_error(exc)}); read what came before")
    if last < first:
        raise PhotoError("video has no frames")
    index = _Index(start=first, duration=last - first, keys=sorted(k - first for k in keys))
    declared = container.duration / av.time_base if container.duration else 0.0
    if index.duration < CUT_SHORT * declared - 1:
        stats.warnings.append(f"video is cut short: its frames end at {clock(index.duration)} of {clock(declared)}")
    return index


def _plan(index: _Index, interval: float) -> list[list[float]]:
    """For each stretch of ``interval`` seconds, the times of the frames to decode and compare.

    A stretch with keyframes offers up to ``CANDIDATES`` of them (each decoded alone after a
    seek); one without offers ``CANDIDATES`` times spread over it (decoded forward from the
    keyframe before, which costs up to a group of pictures).
    """
    count = max(1, math.ceil(index.duration / interval + 1e-9))
    plan: list[list[float]] = []
    for w in range(count):
        a, b = w * interval, min((w + 1) * interval, index.duration + 1e-6)
        inside = index.keys[bisect.bisect_left(index.keys, a) : bisect.bisect_left(index.keys, b)]
        if inside:
            step = max(1, math.ceil(len(inside) / CANDIDATES))
            plan.append(inside[::step][:CANDIDATES])
        else:
            plan.append([a + (j + 0.5) * (b - a) / CANDIDATES for j in range(CANDIDATES)])
    return plan


class _Decoder:
    """Decodes the frames at given times, in order: a keyframe after a seek, another frame by
    decoding on from where the decoder is, or from the keyframe before it when that is nearer.

    Decoding keyframes only in one pass (FFmpeg's ``skip_frame`` NONKEY) instead of seeking to
    each was measured no faster (3.7-4.6 s against 3.5-5.1 s for a minute of 1080p).
    """

    def __init__(self, container: InputContainer, stream: VideoStream, index: _Index, stats: SamplingStats) -> None:
        self.container, self.stream, self.index, self.stats = container, stream, index, stats
        self.frames: Iterator[VideoFrame] | None = None
        self.pos: float | None = None  # time of the last frame decoded; None: nothing decoded yet
        self.done = False
        self.half_frame = 0.5 / float(stream.average_rate or 30)

    def at(self, t: float) -> tuple[float, VideoFrame] | None:
        """The first frame at or after ``t`` not yet passed, with its time; None at the end."""
        if self.done or (self.pos is not None and self.pos >= t - self.half_frame):
            return None
        keys = self.index.keys
        k = keys[bisect.bisect_right(keys, t + self.half_frame) - 1] if keys and keys[0] <= t + self.half_frame else 0.0
        if self.frames is None or self.pos is None or self.pos < k - self.half_frame:
            self._seek(k)
        assert self.frames is not None
        try:
            for frame in self.frames:
                self.stats.decoded += 1
                ft = frame_time(frame, self.index.start)
                if ft is None:
                    continue
                self.pos = ft
                if ft >= t - self.half_frame:
                    return ft, frame
        except av.FFmpegError as exc:
            self.stats.warnings.append(
                f"video data is damaged after {clock(self.pos or 0.0)} ({video_error(exc)}); the rest was not read"
            )
        self.done = True
        return None

    def _seek(self, k: float) -> None:
        tb = self.stream.time_base
        offset = round((k + self.index.start) / tb) if tb else 0
        self.container.seek(offset, stream=self.stream, backward=True)
        self.frames = iter(self.container.decode(self.stream))
        self.pos = None


def _measure(frame: VideoFrame) -> tuple[float, np.ndarray]:
    """A frame's sharpness (variance of the Laplacian) and its grey thumbnail (``THUMB_CELLS``)."""
    width = min(SHARPNESS_WIDTH, frame.width)
    height = max(1, round(frame.height * width / frame.width))
    gray = frame.reformat(width=width, height=height, format="gray").to_ndarray()
    sharpness = float(cv2.Laplacian(gray, cv2.CV_64F).var())
    cells = (THUMB_CELLS, max(1, round(THUMB_CELLS * height / width)))
    return sharpness, cv2.resize(gray, cells, interpolation=cv2.INTER_AREA).astype(np.int16)


def near_duplicate(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two frames' thumbnails (``_measure``) show the same picture: no cell changed by more
    than ``NEAR_DUPLICATE_LEVELS`` grey levels."""
    return a.shape == b.shape and int(np.abs(a - b).max()) <= NEAR_DUPLICATE_LEVELS


@contextmanager
def _progress_bar(total: int, progress: bool) -> Iterator[tqdm | None]:
    """A bar on stderr counting the stretches of video done, when asked for and stderr is a
    terminal; else None, and no bar object at all: tqdm makes a multiprocessing lock for every
    bar, even a disabled one, and a reader process ended by the batch would leave it behind."""
    if not (progress and sys.stderr.isatty()):
        yield None
        return
    tqdm.set_lock(threading.RLock())  # this process's bars only: nothing to share with others
    with tqdm(total=total, file=sys.stderr, unit="frame", desc="video frames", leave=False, dynamic_ncols=True) as bar:
        yield bar


def sample_frames(
    path: str | os.PathLike[str],
    frames_per_minute: int = DEFAULT_FRAMES_PER_MINUTE,
    *,
    progress: bool = False,
    stats: SamplingStats | None = None,
) -> Iterator[SampledFrame]:
    """The frames of a video to read: at most ``frames_per_minute``, each the sharpest of its
    stretch, none a near-duplicate of the one read before it. Raises PhotoError for a file that is not a
    readable video; damage met later ends the frames early, with a warning in ``stats``.
    """
    if frames_per_minute < 1:
        raise ValueError("frames_per_minute must be at least 1")
    stats = stats if stats is not None else SamplingStats()
    shown = os.fsdecode(path)
    with open_video(path) as container:
        stream = video_stream(container, shown)
        try:
            index = _index(container, stream, stats)
        except PhotoError as err:
            err.path = shown
            raise
        stats.duration_s = index.duration
        stats.interval_s = max(60.0 / frames_per_minute, index.duration / MAX_FRAMES_READ)
        if stats.interval_s > 60.0 / frames_per_minute:
            stats.warnings.append(
                f"long video: one frame read every {stats.interval_s:.1f} s (at most {MAX_FRAMES_READ} frames a video)"
            )
        plan = _plan(index, stats.interval_s)
        decoder = _Decoder(container, stream, index, stats)
        last: np.ndarray | None = None
        kept: SampledFrame | None = None
        with _progress_bar(len(plan), progress) as bar:
            for targets in plan:
                if bar is not None:
                    bar.update(1)
                best: tuple[float, float, VideoFrame, np.ndarray] | None = None
                for t in targets:
                    got = decoder.at(t)
                    if got is None:
                        continue
                    sharpness, thumb = _measure(got[1])
                    if best is None or sharpness > best[0]:
                        best = (sharpness, got[0], got[1], thumb)
                if best is None:
                    continue
                _, ft, frame, thumb = best
                if last is not None and kept is not None and near_duplicate(thumb, last):
                    stats.duplicates += 1
                    kept = replace(kept, until_s=ft)
                    continue
                if kept is not None:
                    yield kept
                last, kept = thumb, SampledFrame(time_s=ft, until_s=ft, image=upright(frame))
                stats.chosen += 1
        if kept is not None:
            yield kept


# ---------------------------------------------------------------------------------------------
# text seen on several frames: one piece of evidence


@dataclass
class _Track:
    """One text's readings by one OCR pass on consecutive frames: (frame number, span)."""

    lang: str
    seen: list[tuple[int, TextSpan]]

    @property
    def last(self) -> tuple[int, TextSpan]:
        return self.seen[-1]


MAX_SHIFT = 0.25
"""How far (a share of the frame's diagonal) text may move between two frames read one after the
other and still be the same text: a camera turning or a car driving on moves a sign that far in
a couple of seconds; a sign that moved farther is taken for another."""


def _shift(a: Box, b: Box) -> float:
    """Pixels between the centres of two boxes."""
    return math.hypot((a[0] + a[2] / 2) - (b[0] + b[2] / 2), (a[1] + a[3] / 2) - (b[1] + b[3] / 2))


def _tracks(frames: Sequence[SampledFrame], texts: Sequence[Sequence[TextSpan]]) -> list[_Track]:
    """Follow each text from frame to frame: a span joins the track of the same pass whose last
    reading is alike (``SAME_READING``), at most ``MAX_TRACK_GAP`` frames back and at most
    ``MAX_SHIFT`` away; of several, the most alike, then the nearest."""
    tracks: list[_Track] = []
    active: list[_Track] = []
    for f, spans in enumerate(texts):
        reach = MAX_SHIFT * math.hypot(*frames[f].image.size)
        active = [t for t in active if f - t.last[0] <= MAX_TRACK_GAP]
        taken: set[int] = set()
        for span in sorted(spans, key=lambda s: -s.confidence):
            folded = normalise(span.text)
            best: tuple[float, float, int] | None = None
            for i, track in enumerate(active):
                prev = track.last[1]
                if i in taken or track.lang != span.lang or (shift := _shift(prev.box, span.box)) > reach:
                    continue
                alike = fuzz.ratio(normalise(prev.text), folded)
                if alike >= SAME_READING and (best is None or (alike, -shift) > best[:2]):
                    best = (alike, -shift, i)
            if best is not None:
                active[best[2]].seen.append((f, span))
                taken.add(best[2])
            else:
                track = _Track(lang=span.lang, seen=[(f, span)])
                tracks.append(track)
                active.append(track)
                taken.add(len(active) - 1)
    return tracks


def _vote(track: _Track) -> tuple[TextSpan, list[tuple[int, TextSpan]]]:
    """The reading most frames agree on (by total confidence), as its surest span, and the
    frames that read it."""
    readings: dict[str, list[tuple[int, TextSpan]]] = {}
    for f, span in track.seen:
        readings.setdefault(normalise(span.text) or span.text, []).append((f, span))
    winner = max(readings.values(), key=lambda seen: (sum(s.confidence for _, s in seen), len(seen)))
    return max(winner, key=lambda fs: fs[1].confidence)[1], winner


def merge_frames(frames: Sequence[SampledFrame], texts: Sequence[Sequence[TextSpan]]) -> list[TextSpan]:
    """The text of a video: each text seen on several frames once, with every frame's vote.

    The spans of one sign panel stay together on the frame that read the panel best (the most
    confidence over its texts), so a name and the distance beside it keep sharing a line; a text
    that frame missed comes from its own best frame. Each span carries the time of its frame
    (``time_s``) and the first and last time its text was seen (``time_range``). Line and panel
    numbers are made unique over the whole video.
    """
    tracks = _tracks(frames, texts)
    parent = list(range(len(tracks)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    panel_of: dict[tuple[int, int], int] = {}  # (frame, panel) -> a track on it
    for i, track in enumerate(tracks):
        for f, span in track.seen:
            j = panel_of.setdefault((f, span.region), i)
            parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(tracks)):
        groups.setdefault(root(i), []).append(i)

    ids: dict[tuple[str, int, int], int] = {}

    def unique(kind: str, f: int, n: int) -> int:
        return ids.setdefault((kind, f, n), len(ids))

    out: list[TextSpan] = []
    for members in groups.values():
        votes = {i: _vote(tracks[i]) for i in members}
        score: dict[int, float] = {}
        for i in members:
            for f, span in tracks[i].seen:
                score[f] = score.get(f, 0.0) + span.confidence
        chosen = max(score, key=lambda f: (score[f], -f))
        for i in members:
            best, agreeing = votes[i]
            f, where = next(((g, s) for g, s in tracks[i].seen if g == chosen), None) or next(
                (g, s) for g, s in agreeing if s is best
            )
            seen = [frames[g] for g, _ in tracks[i].seen]
            out.append(
                replace(
                    where,
                    text=best.text,
                    confidence=best.confidence,
                    line=unique("line", f, where.line),
                    region=unique("region", f, where.region),
                    time_s=round(frames[f].time_s, 3),
                    time_range=(round(min(s.time_s for s in seen), 3), round(max(s.until_s for s in seen), 3)),
                )
            )
    out.sort(key=lambda s: (s.time_s or 0.0, s.line, s.box[0]))
    return out


# ---------------------------------------------------------------------------------------------
# the public entry points


def read_video(
    path: str,
    langs: str = DEFAULT_LANGS,
    *,
    frames_per_minute: int = DEFAULT_FRAMES_PER_MINUTE,
    progress: bool = False,
) -> PhotoReport:
    """Everything read from a video: its container's metadata and the text on its frames.

    Raises PhotoError (PhotoIOError) for a file that is not a readable video, naming it. A video
    whose frames cannot be decoded (cut short, damaged) but whose container holds a position
    keeps that position, with a warning, as a cut-off photo does.
    """
    p = check_path(path)
    shown = os.fsdecode(p)
    with open(p, "rb") as fh:
        kind = movie_container(fh.read(4096))
    if kind is None:
        raise PhotoError("not a video (unknown or unsupported format)", path=shown)
    metadata = _quicktime_metadata(shown) if kind == "quicktime" else Metadata()
    stats = SamplingStats()
    try:
        if kind == "matroska":
            with open_video(shown) as container:
                metadata = _matroska_metadata(container)
        frames: list[SampledFrame] = []
        texts: list[list[TextSpan]] = []
        for frame in sample_frames(shown, frames_per_minute, progress=progress, stats=stats):
            frames.append(frame)
            texts.append(read_text(frame.image, langs))
    except PhotoError as err:
        if metadata.gps is None and metadata.location is None:
            err.path = shown
            raise
        note = f"video frames not read ({err.message}); location from the container only"
        return PhotoReport(path=path, metadata=replace(metadata, warnings=metadata.warnings + (note,)))
    camera = dict(metadata.camera)
    camera["duration_s"] = f"{stats.duration_s:.1f}"
    camera["frames_read"] = str(len(frames))
    warnings = metadata.warnings + tuple(stats.warnings)
    return PhotoReport(
        path=path, texts=merge_frames(frames, texts), metadata=replace(metadata, camera=camera, warnings=warnings)
    )


def seen_at(texts: Sequence[TextSpan], boxes: Iterable[Box | None] = ()) -> str | None:
    """When a video showed the text in ``boxes`` ("text read at 0:12-0:15"), or all its text when
    no box is given; None for a photo. An evidence box may join several spans of one row."""
    wanted = [b for b in boxes if b is not None]
    times = [
        s.time_range or (s.time_s, s.time_s)
        for s in texts
        if s.time_s is not None and (not wanted or any(box_within(s.box, b) for b in wanted))
    ]
    if not times:
        return None
    first, last = min(a for a, _ in times), max(b for _, b in times)
    return "text read at " + clock_range(first, last)
