"""Videos: container positions and dates, frames sampled and read, text seen on several frames
merged into one span with its time, the map's frame thumbnails, and broken or hostile videos.

Every video is written here with PyAV (the FFmpeg in its wheel encodes H.264 and MPEG-4), with a
road sign from the scene generator drawn on some of its frames, and its position tag added the
way phones write it.
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from geoloc.areas import map_geography
from geoloc.batch import run_batch
from geoloc.cache import ObservationCache
from geoloc.cli.main import cli
from geoloc.common.geodesy import haversine_km
from geoloc.common.text import normalise
from geoloc.common.video import MAX_FRAME_PIXELS
from geoloc.errors import PhotoError
from geoloc.model import PhotoReport, Report, TextSpan
from geoloc.pipeline import Settings, locate_photo, observe
from geoloc.read.mentions import mentions_from_spans
from geoloc.read.metadata.containers import MAX_CHUNKS, collect_movie
from geoloc.read.video import (
    SampledFrame,
    SamplingStats,
    merge_frames,
    parse_iso6709,
    read_video,
    sample_frames,
    seen_at,
)
from geoloc.render.map import render_map
from geoloc.render.map.popups import CAPTION_PX, Thumbnails
from tests.support.limits import bounded
from tests.support.scenes import SignLine, SignSpec, render_scene

CHERNIHIV = (51.50551, 31.28487)
SIGN = SignSpec(
    "ua_direction", (SignLine("Чернігів", "Chernihiv", 14),), cap_px=30, position=(0.55, 0.35), angle_deg=0, tilt=0.05
)
SIZE = (1280, 720)
FPS = 10
SECONDS = 12
SIGN_FROM, SIGN_UNTIL = 4.0, 9.0  # seconds of the clip that show the sign
PAN_PX = 400  # the camera pans this far to the right over the clip
XYZ = "+51.5360+031.3920+120.000/"  # about 8 km north-east of Chernihiv


# ---------------------------------------------------------------------------------------------
# writing videos


def _scenes(seed: int) -> tuple[np.ndarray, np.ndarray, list]:
    """The same road scene without and with the sign, wider than a frame (the camera pans)."""
    wide = (SIZE[0] + PAN_PX, SIZE[1])
    bare, _ = render_scene([], seed=seed, size=wide, lighting="day", blur=0.3)
    signed, truth = render_scene([SIGN], seed=seed, size=wide, lighting="day", blur=0.3)
    return np.asarray(bare), np.asarray(signed), truth


def _write(path: Path, frames, *, codec: str = "libx264", fps: int = FPS, gop: int | None = None, **kw) -> None:
    """Encode RGB frames (arrays) into ``path``; the container follows the name."""
    with av.open(str(path), "w", options=kw.pop("options", {})) as out:
        out.metadata.update(kw.pop("metadata", {}))
        stream = None
        for array in frames:
            if stream is None:
                stream = out.add_stream(codec, rate=fps)
                stream.height, stream.width = array.shape[:2]
                stream.pix_fmt = "yuvj420p" if codec == "mjpeg" else "yuv420p"
                if gop is not None:
                    stream.gop_size = gop
                if codec == "libx264":
                    stream.options = {"preset": "ultrafast"}
                if kw.get("rotation") is not None:
                    stream.set_display_rotation(kw["rotation"])
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(array), format="rgb24")):
                out.mux(packet)
        assert stream is not None
        for packet in stream.encode():
            out.mux(packet)


def _panning(bare: np.ndarray, signed: np.ndarray, seconds: float = SECONDS, fps: int = FPS):
    """Frames of a camera panning right over the scene; the sign shows from SIGN_FROM to SIGN_UNTIL."""
    n = int(seconds * fps)
    for i in range(n):
        x = round(PAN_PX * i / max(1, n - 1))
        scene = signed if SIGN_FROM <= i / fps < SIGN_UNTIL else bare
        yield scene[:, x : x + SIZE[0]]


def _box(size: int, btype: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", size or 8 + len(payload), btype) + payload


def _append_to_moov(path: Path, child: bytes) -> None:
    """Add a box to the end of ``moov`` (PyAV writes it last, so no offset into the media moves)."""
    data = bytearray(path.read_bytes())
    pos = 0
    while pos < len(data):
        size, btype = struct.unpack_from(">I4s", data, pos)
        if btype == b"moov":
            assert pos + size == len(data), "moov is not the last box"
            struct.pack_into(">I", data, pos, size + len(child))
            path.write_bytes(bytes(data) + child)
            return
        pos += size
    raise AssertionError("no moov box")


def _add_xyz(path: Path, iso6709: str) -> None:
    """The position as Android's MediaRecorder writes it: ``©xyz`` in the movie's user data."""
    text = iso6709.encode()
    _append_to_moov(path, _box(0, b"udta", _box(0, b"\xa9xyz", struct.pack(">HH", len(text), 0x15C7) + text)))


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """A 12-second 720p H.264 clip of a road, the sign in view from 4 to 9 s, with ``©xyz``."""
    bare, signed, truth = _scenes(seed=11)
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    _write(path, _panning(bare, signed))
    _add_xyz(path, XYZ)
    return path, truth


@pytest.fixture(scope="module")
def clip_read(clip) -> PhotoReport:
    return read_video(str(clip[0]))


def _tiny(path: Path, seconds: float = 1.0, fps: int = FPS, **kw) -> Path:
    """A small text-free video (64x48) for the container tests."""
    frames = (np.full((48, 64, 3), 40 + 10 * i % 200, np.uint8) for i in range(int(seconds * fps)))
    _write(path, frames, fps=fps, **kw)
    return path


def _named(spans, name: str) -> list[TextSpan]:
    return [s for s in spans if normalise(s.text) == normalise(name)]


# ---------------------------------------------------------------------------------------------
# the container


def test_iso6709_points_in_every_form() -> None:
    lat, lon, alt = parse_iso6709("+51.4946+031.2893+120.000/")
    assert (lat, lon, alt) == (51.4946, 31.2893, 120.0)
    # degrees and minutes, degrees minutes seconds, a CRS tag, no altitude, south and west
    assert parse_iso6709("+5129.676+03117.358/")[:2] == pytest.approx((51 + 29.676 / 60, 31 + 17.358 / 60))
    assert parse_iso6709("-335130.5+1511240.2/")[:2] == pytest.approx(
        (-(33 + 51 / 60 + 30.5 / 3600), 151 + 12 / 60 + 40.2 / 3600)
    )
    assert parse_iso6709("+40.20361-075.00417CRSWGS_84/") == (40.20361, -75.00417, None)
    for bad in ("", "51.49,31.28", "+91.0+000.0/", "+10.0+181.0/", "+1261.0+03117.0/", "+51.4946/"):
        assert parse_iso6709(bad) is None, bad


def test_android_xyz_position_is_read(tmp_path) -> None:
    path = _tiny(tmp_path / "android.mp4")
    _add_xyz(path, "-33.8568+151.2153+004.000/")  # Sydney Opera House
    md = read_video(str(path)).metadata
    assert (md.gps.lat, md.gps.lon, md.gps.altitude_m) == (-33.8568, 151.2153, 4.0)
    assert md.gps.source == "quicktime"


def test_apple_location_key_date_and_camera_are_read(tmp_path) -> None:
    tags = {
        "com.apple.quicktime.location.ISO6709": "+48.8584+002.2945+035.000/",
        "com.apple.quicktime.make": "Apple",
        "com.apple.quicktime.model": "iPhone 15",
        "com.apple.quicktime.creationdate": "2024-05-01T12:34:56+0300",
    }
    path = _tiny(tmp_path / "iphone.mov", metadata=tags, options={"movflags": "use_metadata_tags"})
    md = read_video(str(path)).metadata
    assert (md.gps.lat, md.gps.lon) == (48.8584, 2.2945)
    assert md.camera["make"] == "Apple" and md.camera["model"] == "iPhone 15"
    assert md.camera["datetime_original"] == "2024-05-01T12:34:56+03:00"
    assert md.camera["duration_s"] == "0.9" and int(md.camera["frames_read"]) >= 1


def test_3gpp_loci_written_by_ffmpeg_and_creation_time_are_read(tmp_path) -> None:
    tags = {"location": "+50.4501+030.5234/", "creation_time": "2023-03-04T05:06:07Z"}
    md = read_video(str(_tiny(tmp_path / "ffmpeg.mp4", metadata=tags))).metadata
    assert md.gps.source == "3gpp"
    assert (md.gps.lat, md.gps.lon) == pytest.approx((50.4501, 30.5234), abs=1e-4)  # 16.16 fixed point
    assert md.camera["datetime_original"] == "2023-03-04T05:06:07Z"


@pytest.mark.parametrize(("name", "codec"), [("clip.mkv", "mpeg4"), ("clip.webm", "libvpx-vp9")])
def test_matroska_location_tag_is_read(tmp_path, name, codec) -> None:
    path = _tiny(tmp_path / name, codec=codec, metadata={"location": "+46.4825+030.7233/"})
    md = read_video(str(path)).metadata
    assert (md.gps.lat, md.gps.lon) == (46.4825, 30.7233) and md.gps.source == "matroska"


def test_a_placeholder_or_garbage_position_is_a_warning(tmp_path) -> None:
    path = _tiny(tmp_path / "zero.mp4")
    _add_xyz(path, "+00.0000+000.0000/")
    md = read_video(str(path)).metadata
    assert md.gps is None and any("0/0 placeholder" in w for w in md.warnings)
    path = _tiny(tmp_path / "junk.mp4")
    _add_xyz(path, "\x1b[31mnowhere")
    md = read_video(str(path)).metadata
    assert md.gps is None and any("not an ISO 6709 point" in w for w in md.warnings)


# ---------------------------------------------------------------------------------------------
# frames and text


def test_the_sign_is_read_once_with_the_time_it_was_seen(clip, clip_read) -> None:
    texts = clip_read.texts
    assert texts and all(s.time_s is not None and s.time_range is not None for s in texts)
    for name in ("Чернігів", "Chernihiv"):
        spans = _named(texts, name)
        assert len(spans) == 1, (name, [(s.text, s.time_s) for s in texts])  # one piece of evidence
        span = spans[0]
        first, last = span.time_range
        assert SIGN_FROM <= first <= span.time_s <= last < SIGN_UNTIL  # only frames that show it
        assert last > first  # seen on several frames, merged
    # the box is the sign's, on the frame the span names: the scene's truth moved by the pan
    span = _named(texts, "Chernihiv")[0]
    truth = next(t for t in clip[1] if t.text == "Chernihiv")
    pan = round(PAN_PX * span.time_s * FPS / (SECONDS * FPS - 1))
    assert abs(span.box[0] - (truth.box[0] - pan)) <= 12 and abs(span.box[1] - truth.box[1]) <= 12


def test_the_sign_keeps_its_distance_on_the_merged_line(clip_read) -> None:
    mentions = [m for m in mentions_from_spans(clip_read.texts, source="clip.mp4") if "Чернігів" in m.readings]
    assert len(mentions) == 1 and mentions[0].distance_km == 14


def test_the_container_position_and_the_frames_are_both_read(clip_read) -> None:
    md = clip_read.metadata
    assert (md.gps.lat, md.gps.lon) == (51.536, 31.392)
    assert md.camera["duration_s"] == "11.9"
    assert 3 <= int(md.camera["frames_read"]) <= 7  # 30 a minute: one per 2 s of the 12


def test_locate_a_video_puts_it_near_chernihiv_and_the_report_has_the_times(clip) -> None:
    report = locate_photo(str(clip[0]), Settings())
    assert report.estimate.basis == "gps"  # the container's position wins, as EXIF GPS does
    assert haversine_km(report.estimate.lat, report.estimate.lon, *CHERNIHIV) < 15
    top = report.candidates[0]
    assert top.place.name == "Chernihiv"
    d = Report(photos=[report]).to_dict()
    assert d["schema"] == "geoloc.report/1"
    spans = [t for t in d["photos"][0]["texts"] if t["text"] == "Chernihiv"]
    assert spans and SIGN_FROM <= spans[0]["time_s"] < SIGN_UNTIL and len(spans[0]["time_range"]) == 2
    when = seen_at(report.texts, [e.box for e in top.evidence])
    assert when is not None and when.startswith("text read at 0:0")


def test_a_still_scene_is_read_once_and_a_small_sign_coming_into_it_is_read(tmp_path) -> None:
    small = SignSpec("ua_direction", SIGN.lines, cap_px=12, position=(0.4, 0.35), angle_deg=0, tilt=0.05)
    bare, _ = render_scene([], seed=12, size=SIZE, lighting="day", blur=0.3)
    signed, truth = render_scene([small], seed=12, size=SIZE, lighting="day", blur=0.3)
    x0, y0 = min(t.box[0] for t in truth) - 24, min(t.box[1] for t in truth) - 24
    x1, y1 = max(t.box[0] + t.box[2] for t in truth) + 24, max(t.box[1] + t.box[3] for t in truth) + 24
    with_sign = np.array(bare)
    with_sign[y0:y1, x0:x1] = np.asarray(signed)[y0:y1, x0:x1]  # only the sign changes: 2% of the frame
    rng = np.random.default_rng(5)

    def tripod(a: np.ndarray) -> np.ndarray:  # a still camera: the same picture, new sensor noise
        return np.clip(a + rng.normal(0, 2, a.shape), 0, 255).astype(np.uint8)

    path = tmp_path / "still.mp4"
    _write(path, [tripod(np.asarray(bare)) for _ in range(60)] + [tripod(with_sign) for _ in range(60)], gop=20)
    stats = SamplingStats()
    frames = list(sample_frames(path, 60, stats=stats))  # one frame a second
    assert stats.duplicates >= 8 and len(frames) == 2  # the still picture, then the sign
    assert frames[0].time_s < 1 and frames[0].until_s >= 5 and 6 <= frames[1].time_s < 7
    report = read_video(str(path), frames_per_minute=60)
    assert _named(report.texts, "Chernihiv")[0].time_range[1] >= 11


def test_the_sharpest_frame_of_a_stretch_is_read(tmp_path) -> None:
    bare, _, _ = _scenes(seed=13)
    sharp = bare[:, :1280]
    blurred = np.asarray(Image.fromarray(sharp).resize((160, 90)).resize((1280, 720)))
    frames = [blurred] * 7 + [sharp] * 3 + [blurred] * 10  # 2 s, sharp from 0.7 to 1.0 s
    path = tmp_path / "shake.mp4"
    _write(path, frames, gop=1)  # every frame a keyframe: each stretch offers three
    stats = SamplingStats()
    chosen = list(sample_frames(path, 30, stats=stats))
    assert 0.7 <= chosen[0].time_s < 1.0 and stats.decoded <= 3 * 2  # three candidates a stretch


def test_a_portrait_phone_video_is_read_upright(tmp_path) -> None:
    _, signed, truth = _scenes(seed=14)
    left = next(t for t in truth if t.text == "Chernihiv").box[0] - 150
    upright_view = signed[:, left : left + 540]  # a tall frame around the sign
    sideways = np.ascontiguousarray(np.rot90(upright_view, k=-1))  # as the phone stores it
    path = tmp_path / "portrait.mp4"
    _write(path, [sideways] * 10, fps=5, rotation=90)  # the player turns it back
    report = read_video(str(path))
    assert _named(report.texts, "Chernihiv"), [s.text for s in report.texts]
    frame = next(iter(sample_frames(path)))
    assert frame.image.size == (540, 720)  # upright: as wide as the view, as tall as the scene


def test_merging_votes_for_the_reading_most_frames_agree_on() -> None:
    frames = [SampledFrame(time_s=2.0 * i, until_s=2.0 * i, image=Image.new("RGB", (1280, 720))) for i in range(3)]
    reads = ["Chernihiv", "Chernihlv", "Chernihiv"]
    texts = [
        [
            TextSpan(text, 80 + i, (400 + 30 * i, 200, 140, 30), line=0, region=0, lang="eng"),
            TextSpan("14", 90, (560 + 30 * i, 200, 30, 30), line=0, region=0, lang="eng"),
        ]
        for i, text in enumerate(reads)
    ]
    merged = merge_frames(frames, texts)
    assert sorted(s.text for s in merged) == ["14", "Chernihiv"]
    name = next(s for s in merged if s.text == "Chernihiv")
    assert name.time_range == (0.0, 4.0) and name.time_s == 4.0  # the frame read best (82 + 90)
    assert len({(s.line, s.region) for s in merged}) == 1  # still one line: the distance stays its own


# ---------------------------------------------------------------------------------------------
# the cache, the map, the summary, the command


def test_a_cached_video_reading_keeps_its_times(clip, tmp_path) -> None:
    cache = ObservationCache(tmp_path / "observations")
    first = run_batch([str(clip[0])], Settings(), cache=cache, jobs=1)
    again = run_batch([str(clip[0])], Settings(), cache=cache, jobs=1)
    assert first.cached == 0 and again.cached == 1
    assert again.reports[0].texts == first.reports[0].texts
    assert all(s.time_s is not None for s in again.reports[0].texts)
    entry = json.loads(next((tmp_path / "observations").glob("??/*.json")).read_text())
    assert any(t["time_range"] for t in entry["texts"])


def test_the_map_thumbnail_is_the_frame_at_the_time_with_the_time(clip, clip_read) -> None:
    span = _named(clip_read.texts, "Chernihiv")[0]
    uri = Thumbnails(str(clip[0]), clip_read.texts).crop(span.box)
    thumb = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    # the crop of the frame at that time, as the test drew it: the sign, not the road beside it
    x, y, w, h = span.box
    m = int(0.25 * max(w, h)) + 4
    bare, signed, _ = _scenes(seed=11)
    pan = round(PAN_PX * span.time_s * FPS / (SECONDS * FPS - 1))
    drawn = Image.fromarray(signed[:, pan : pan + SIZE[0]]).crop((x - m, y - m, x + w + m, y + h + m))
    drawn.thumbnail((160, 160))
    picture = np.asarray(thumb)[: thumb.height - CAPTION_PX].astype(float)
    assert picture.shape[:2] == (drawn.height, drawn.width)
    assert np.abs(picture - np.asarray(drawn, float)).mean() < 12
    caption = np.asarray(thumb)[thumb.height - CAPTION_PX :]
    assert caption.min() < 100 and np.median(caption) > 200  # dark writing on a white strip
    assert Thumbnails(str(clip[0])).crop(span.box) is None  # a video without its spans: no guess


def test_the_map_of_a_video_has_its_sign(clip, clip_read, tmp_path) -> None:
    report = locate_photo(str(clip[0]), Settings())
    page = render_map(Report(photos=[report]), map_geography(Report(photos=[report]), []), offline=True)
    assert "Chernihiv" in page and "clip.mp4" in page


def _locate(*args: str):
    return CliRunner().invoke(cli, ["locate", *args, "--offline", "--no-cache"], catch_exceptions=False)


def test_cli_locate_a_video_as_json(clip, tmp_path) -> None:
    result = _locate(str(clip[0]), "--json", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 0, result.stderr
    photo = json.loads(result.stdout)["photos"][0]
    assert photo["metadata"]["gps"]["lat"] == 51.536 and photo["candidates"][0]["name"] == "Chernihiv"
    assert any(t["text"] == "Chernihiv" and SIGN_FROM <= t["time_s"] < SIGN_UNTIL for t in photo["texts"])


def test_a_cut_off_video_is_one_line_and_the_run_goes_on(clip, tmp_path) -> None:
    data = clip[0].read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])  # the index (moov) comes last: it is gone
    result = _locate(str(cut), str(clip[0]), "--jsonl", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("geoloc:") and "wrote" not in ln]
    assert errors == [f"geoloc: {cut}: video is cut short or damaged (invalid data found when processing input)"]
    lines = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert [ln["path"] for ln in lines] == [str(cut), str(clip[0])]
    assert lines[1]["candidates"][0]["name"] == "Chernihiv"


def test_a_video_cut_inside_its_frames_keeps_what_came_before(clip, tmp_path) -> None:
    path = tmp_path / "faststart.mp4"
    bare, signed, _ = _scenes(seed=11)
    _write(path, _panning(bare, signed), options={"movflags": "faststart"})  # the index first
    data = path.read_bytes()
    cut = tmp_path / "cut_late.mp4"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    report = read_video(str(cut))
    assert float(report.metadata.camera["duration_s"]) < SECONDS * 0.7
    assert any(w.startswith("video is cut short: its frames end at 0:0") for w in report.metadata.warnings)
    assert _named(report.texts, "Chernihiv")  # the sign came before the cut


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.mp4", b"This is a text file, not a video.\n" * 20, "not a video (unknown or unsupported format)"),
        ("page.webm", b"<!doctype html><title>Video</title>", "not a video (unknown or unsupported format)"),
        ("empty.mov", b"", "not an image (empty file)"),
        ("fake.mkv", b"\x1a\x45\xdf\xa3" + b"\x00" * 200, "video is cut short or damaged"),
    ],
)
def test_a_file_that_is_not_a_video_is_one_line(tmp_path, name, content, problem) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(PhotoError) as err:
        observe(str(path), Settings())
    assert str(err.value).startswith(f"{path}: {problem}")


def _mjpeg_sized(tmp_path: Path, name: str, width: int, height: int) -> Path:
    """A motion-JPEG movie whose frames and sample entry declare another size than they hold."""
    path = tmp_path / name
    _write(path, [np.full((48, 64, 3), 90, np.uint8)] * 3, codec="mjpeg")
    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"\xff\xc0", pos)) >= 0:  # each frame's JPEG start-of-frame
        struct.pack_into(">HH", data, pos + 5, height, width)
        pos += 2
    entry = data.find(b"jpeg", data.find(b"stsd"))
    struct.pack_into(">HH", data, entry + 28, width, height)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("width", "height", "problem"),
    [
        (0, 0, "video frames have no size (0x0 pixels)"),
        (8000, 5000, f"video frames too large (8000x5000 pixels; at most {MAX_FRAME_PIXELS // 10**6} MP"),
        (60000, 60000, "video frames have no size"),  # FFmpeg itself refuses to size it
    ],
)
def test_a_frame_size_of_nothing_or_too_much_is_refused_before_decoding(tmp_path, width, height, problem) -> None:
    path = _mjpeg_sized(tmp_path, "sized.mov", width, height)
    with bounded(seconds=20, memory=1 << 30), pytest.raises(PhotoError) as err:
        read_video(str(path))
    assert str(err.value).startswith(f"{path}: {problem}")


def test_a_hostile_box_tree_is_walked_within_its_caps(tmp_path) -> None:
    path = _tiny(tmp_path / "boxes.mp4")
    _add_xyz(path, XYZ)
    crowd = _box(0, b"udta", _box(0, b"free", b"") * (MAX_CHUNKS + 10) + _box(0, b"\xa9xyz", b"\x00\x10"))
    _append_to_moov(path, crowd + _box(0, b"udta", _box(0x7FFFFFFF, b"loci", b"")))
    with bounded(seconds=20, memory=1 << 30):
        raw = collect_movie(path.read_bytes())
        report = read_video(str(path))
    assert any(f"more than {MAX_CHUNKS:,} boxes" in w for w in raw.warnings)
    assert raw.iso6709 == [("QuickTime ©xyz", XYZ)]  # what came before the crowd is kept
    assert (report.metadata.gps.lat, report.metadata.gps.lon) == (51.536, 31.392)


def test_a_long_video_shows_its_progress_on_a_terminal_only(tmp_path) -> None:
    path = _tiny(tmp_path / "long.mp4", seconds=30, fps=2)
    code = f"from geoloc.read.video import sample_frames; list(sample_frames({str(path)!r}, 60, progress=True))"
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.run([sys.executable, "-c", code], stderr=follower, stdout=subprocess.DEVNULL, timeout=60)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert proc.returncode == 0 and b"video frames:" in shown and b"/30 " in shown  # 30 stretches of 1 s
    piped = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert piped.returncode == 0 and piped.stderr == b""


def test_the_summary_says_when_the_evidence_was_on_screen(clip, tmp_path) -> None:
    result = _locate(str(clip[0]), "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 0, result.stderr
    when = [ln.strip() for ln in result.stdout.splitlines() if ln.strip().startswith("text read at")]
    assert len(when) == 1
    first, _, last = when[0].removeprefix("text read at ").partition("-")
    seconds = [int(m) * 60 + int(s) for m, s in (t.split(":") for t in (first, last or first))]
    assert SIGN_FROM - 1 <= seconds[0] <= seconds[-1] < SIGN_UNTIL + 1


def test_a_video_read_at_another_rate_is_not_served_from_the_cache(clip, tmp_path) -> None:
    from geoloc.batch import _reading_key

    assert _reading_key(str(clip[0]), Settings(frames_per_minute=30)) != _reading_key(
        str(clip[0]), Settings(frames_per_minute=60)
    )
