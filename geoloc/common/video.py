"""Open a video safely: a movie demuxer only, the local file only, frames bounded, frames upright.

The counterpart of ``photo.py`` for videos. Videos come from strangers, and FFmpeg can read far
more than movies: a file named ``.mp4`` may be an HLS playlist that makes FFmpeg fetch URLs or read
other local files. So a video is opened with the one demuxer its first bytes call for (QuickTime /
MP4 or Matroska / WebM), through the ``file`` protocol alone, and its decoder refuses frames larger
than ``MAX_FRAME_PIXELS`` before allocating them. The reader (``geoloc.read.video``) and the map's
thumbnails both open videos here, so a frame's pixel boxes mean the same in both.
"""

from __future__ import annotations

import os
from fractions import Fraction

import av
from av.container import InputContainer
from av.video.frame import VideoFrame
from av.video.stream import VideoStream
from PIL import Image

from geoloc.common.photo import MAX_ASPECT, check_path
from geoloc.errors import PhotoError

MAX_FRAME_PIXELS = 8192 * 4320
"""Largest frame decoded (35 MP): 8K, the largest frame cameras and phones record. FFmpeg is told
(``max_pixels``) and refuses a larger frame before allocating it, whatever size a file declares."""

MATROSKA_MAGIC = b"\x1a\x45\xdf\xa3"
"""The first bytes of a Matroska or WebM file (an EBML header); any other video is opened as
QuickTime / MP4, whose demuxer refuses what is not a movie."""

SKIP_FRAMES = "NONREF"
"""Frames FFmpeg does not decode: those no other frame is predicted from (most B-frames). Any frame
of a stretch of video serves to read its text, and skipping these halves the frames decoded on the
way from a keyframe to the next (1800 to 928 in a minute of phone-like H.264, 8.6-9.0 s to
3.4-5.0 s on two busy cores); a frame asked for at a time is the first decoded at or after it."""

_OPTIONS = {"protocol_whitelist": "file"}
"""FFmpeg container options: the file itself, never a URL or another file a playlist names."""


def video_error(exc: BaseException) -> str:
    """FFmpeg's reason in words (its message without the path it appends)."""
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(reason).rstrip(".").lower()


def open_video(path: str | os.PathLike[str]) -> InputContainer:
    """Open a video for reading, or raise a PhotoError (PhotoIOError) naming the file and why not."""
    p = check_path(path)
    shown = os.fsdecode(p)
    with open(p, "rb") as fh:
        head = fh.read(len(MATROSKA_MAGIC))
    demuxer = "matroska" if head == MATROSKA_MAGIC else "mov"
    try:
        return av.open(os.fsdecode(p), format=demuxer, container_options=_OPTIONS, metadata_errors="replace")
    except (av.FFmpegError, UnicodeError) as exc:
        raise PhotoError(f"video is cut short or damaged ({video_error(exc)})", path=shown) from None


def video_stream(container: InputContainer, shown: str) -> VideoStream:
    """The container's first video stream, set up to decode safely, or a PhotoError saying why not.

    A frame size of 0 (a header that lies), one over ``MAX_FRAME_PIXELS``, or a shape no camera
    records (``MAX_ASPECT``, as for photos) is refused before any frame is decoded.
    """
    if not container.streams.video:
        raise PhotoError("not a video (it has no video track)", path=shown)
    stream = container.streams.video[0]
    w, h = stream.codec_context.width, stream.codec_context.height
    if w <= 0 or h <= 0:
        raise PhotoError(f"video frames have no size ({w}x{h} pixels)", path=shown)
    if w * h > MAX_FRAME_PIXELS:
        raise PhotoError(
            f"video frames too large ({w}x{h} pixels; at most {MAX_FRAME_PIXELS // 10**6} MP, 8K, are read)",
            path=shown,
        )
    if max(w, h) > MAX_ASPECT * min(w, h):
        raise PhotoError(f"video frames too narrow ({w}x{h} pixels)", path=shown)
    stream.codec_context.options = {"max_pixels": str(MAX_FRAME_PIXELS)}
    stream.thread_type = "AUTO"  # frame and slice threads: decoding is the cheap part beside OCR
    stream.codec_context.skip_frame = SKIP_FRAMES
    return stream


def frame_time(frame: VideoFrame, start: float) -> float | None:
    """Seconds from the start of the video to ``frame`` (None when its timestamp is missing)."""
    if frame.pts is None or frame.time_base is None:
        return None
    return float(frame.pts * Fraction(frame.time_base)) - start


_TURNS = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}
"""PIL transposes turning a picture counter-clockwise by 90, 180 and 270 degrees."""


def upright(frame: VideoFrame) -> Image.Image:
    """The frame as an RGB image the way a player shows it: a phone held upright stores its
    frames sideways with a display rotation, and text read sideways is not read at all."""
    image = frame.to_image()
    turn = _TURNS.get(round(frame.rotation / 90) * 90 % 360)
    return image.transpose(turn) if turn is not None else image


def frame_at(path: str | os.PathLike[str], time_s: float) -> Image.Image:
    """The upright frame shown ``time_s`` seconds into the video (the first one at or after it).

    Seeks to the keyframe before it and decodes forward, so the cost is at most one group of
    pictures. Raises PhotoError when the video cannot be read or ends before ``time_s``.
    """
    shown = os.fsdecode(path)
    with open_video(path) as container:
        stream = video_stream(container, shown)
        start = float(stream.start_time * stream.time_base) if stream.start_time is not None else 0.0
        half_frame = 0.5 / float(stream.average_rate or 30)
        try:
            container.seek(int((time_s + start) / stream.time_base), stream=stream, backward=True)
            for frame in container.decode(stream):
                t = frame_time(frame, start)
                if t is not None and t >= time_s - half_frame:
                    return upright(frame)
        except av.FFmpegError as exc:
            raise PhotoError(f"video frame at {time_s:.1f} s not read ({video_error(exc)})", path=shown) from None
    raise PhotoError(f"video ends before {time_s:.1f} s", path=shown)
