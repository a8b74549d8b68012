"""The HTML of the map's popups: each estimate and candidate with its evidence and photo crops.

Every value from outside passes through ``esc``; the thumbnails are JPEG data URIs made here, so
the page needs no file beside it.
"""

from __future__ import annotations

import base64
import io
import logging
import os
from collections.abc import Sequence
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from geoloc.common.geodesy import KM_PER_MILE
from geoloc.common.photo import load_image, photo_scale
from geoloc.common.video import frame_at
from geoloc.errors import GeolocError
from geoloc.model import Box, Candidate, Evidence, PhotoReport, TextSpan, box_within, clock
from geoloc.render.map.escape import esc

log = logging.getLogger(__name__)

THUMB_PX = 160
"""Longest side of a thumbnail: big enough to read a sign, small enough for a popup."""
THUMB_QUALITY = 72
"""JPEG quality of thumbnails: legible text at a few kB each."""
POPUP_WIDTH_PX = 340
"""Widest a popup grows: a thumbnail and a line of evidence side by side."""
POPUP_TEXT_CHARS = 400
"""How much of a photo's own words (a caption, a post) a popup quotes: a post or two sentences;
the whole text is in the JSON report."""


def photo_label(photo: PhotoReport) -> str:
    """The short name a person knows the photo by (unescaped)."""
    return os.path.basename(photo.path) or photo.path or "photo"


THUMB_FRAMES = 8
"""Most frames of one video decoded for its thumbnails: each costs up to a group of pictures, and
a video's evidence rarely sits on more than a few frames (the spans of a sign share one)."""


class Thumbnails:
    """Small JPEG crops of a photo, or of a video's frames, as data URIs, decoded on first need.

    For a video, ``texts`` (its spans) tell which frame a box is on: the frame at the span's
    ``time_s`` is decoded (``geoloc.common.video.frame_at``) and cropped, and the time is written
    under the thumbnail, as the frame is only one moment of the video.
    """

    def __init__(self, path: str, texts: Sequence[TextSpan] = ()) -> None:
        self.path = path
        self._timed = [t for t in texts if t.time_s is not None]
        self._image: Any = None
        self._failed = False
        self._frames: dict[float, Image.Image | None] = {}

    def _load(self) -> Any:
        if self._image is None and not self._failed:
            try:
                self._image = load_image(self.path)
            except GeolocError as exc:  # the photo moved or is unreadable: the map goes on
                log.info("no thumbnails: %s", exc)
                self._failed = True
        return self._image

    def _frame(self, time_s: float) -> Image.Image | None:
        """The video's frame at ``time_s`` (None once ``THUMB_FRAMES`` are decoded, or unreadable)."""
        if time_s not in self._frames and len(self._frames) < THUMB_FRAMES:
            try:
                self._frames[time_s] = frame_at(self.path, time_s)
            except GeolocError as exc:
                log.info("no thumbnail at %.1f s: %s", time_s, exc)
                self._frames[time_s] = None
        return self._frames.get(time_s)

    def _span(self, box: Box | None) -> TextSpan | None:
        """The video span a box shows (an evidence box may join several spans of one row: the
        largest); for no box, the largest text of the video: its frame stands for the video."""
        inside = [s for s in self._timed if box is None or box_within(s.box, box)]
        return max(inside, key=lambda s: (s.box[2] * s.box[3], s.confidence), default=None)

    def crop(self, box: Box | None) -> str | None:
        """The region ``box`` with a margin of context around it (the whole photo for None)."""
        label = None
        if self._timed:
            span = self._span(box)
            if span is None or span.time_s is None:
                return None
            im, scale, label = self._frame(span.time_s), 1, clock(span.time_s)
        else:
            im = self._load()
            scale = photo_scale(im) if im is not None else 1
        if im is None:
            return None
        if box is not None:
            x, y, w, h = (v // scale for v in box)  # boxes are in the photo's pixels
            m = int(0.25 * max(w, h)) + 4  # enough of the sign around the text to recognise it
            x0, y0 = max(0, x - m), max(0, y - m)
            x1, y1 = min(im.width, x + w + m), min(im.height, y + h + m)
            if x1 <= x0 or y1 <= y0:
                return None
            im = im.crop((x0, y0, x1, y1))
        else:
            im = im.copy()
        im.thumbnail((THUMB_PX, THUMB_PX))
        if label is not None:
            im = _captioned(im, f"at {label}")
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=THUMB_QUALITY)
        return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


CAPTION_PX = 14
"""Height of the strip under a video thumbnail that says when the frame shows."""


def _captioned(im: Image.Image, text: str) -> Image.Image:
    """``im`` with ``text`` (our own words: a time) written in a white strip under it."""
    out = Image.new("RGB", (max(im.width, 48), im.height + CAPTION_PX), "white")
    out.paste(im.convert("RGB"), (0, 0))
    ImageDraw.Draw(out).text((2, im.height + 1), text, fill="black", font=ImageFont.load_default())
    return out


def _evidence_html(ev: Evidence, thumbs: Thumbnails) -> str:
    bits = [f"<b>{esc(ev.kind)}</b> “{esc(ev.text)}”"]
    if ev.confidence is not None:
        bits.append(f"conf. {ev.confidence:.0f}")
    if ev.distance_km is not None:
        signed = f" ({ev.distance_km / KM_PER_MILE:.0f} mi on the sign)" if ev.distance_unit == "mi" else ""
        bits.append(f"{ev.distance_km:g} km by road{signed}")
    if ev.source:
        bits.append(f"<i>{esc(os.path.basename(ev.source) or ev.source)}</i>")
    img = thumbs.crop(ev.box) if ev.box is not None else None
    thumb = (
        f'<br><img class="geoloc-thumb" src="{img}" alt="crop where the text was read" '
        f'style="max-width:{THUMB_PX}px;max-height:{THUMB_PX}px;border:1px solid #888">'
        if img
        else ""
    )
    return "<li>" + ", ".join(bits) + thumb + "</li>"


def candidate_html(c: Candidate, photo: PhotoReport, thumbs: Thumbnails) -> str:
    """A candidate place: where it is, its score, and each piece of evidence with its crop."""
    p = c.place
    where = ", ".join(esc(x) for x in (p.admin1, p.country_code) if x)
    ev = "".join(_evidence_html(e, thumbs) for e in c.evidence)
    return (
        f'<div class="geoloc-popup"><b>{esc(p.name)}</b> <small>({esc(p.kind)})</small><br>'
        f"{where}<br>score <b>{c.score:.2f}</b> · {p.lat:.5f}, {p.lon:.5f}"
        f"{' · pop. ' + format(p.population, ',') if p.population else ''}<br>"
        f"<small>photo: {esc(photo_label(photo))}</small>"
        f'<ul style="padding-left:1.1em;margin:4px 0">{ev}</ul></div>'
    )


def _link_html(link: str) -> str:
    """A link to the post or page, only when it is a web address (a page may name any scheme)."""
    if link.startswith(("https://", "http://")):
        return f'<a href="{esc(link)}" target="_blank" rel="noopener noreferrer">{esc(link)}</a>'
    return esc(link)


def context_html(photo: PhotoReport) -> str:
    """Where the photo's own words came from ("context: post 4211"), when, its link, and the words,
    quoted; and which words the estimate used when they were not its own ("" without words)."""
    context = photo.context
    if context is None:
        return ""
    bits = [f"context: <b>{esc(context.source)}</b>"]
    if context.date:
        bits.append(esc(context.date))
    if context.forwarded_from:
        bits.append(f"forwarded from {esc(context.forwarded_from)}")
    if context.link:
        bits.append(_link_html(context.link))
    rows = [", ".join(bits)]
    text = " ".join(context.text.split())
    if text:
        cut = text if len(text) <= POPUP_TEXT_CHARS else text[: POPUP_TEXT_CHARS - 1] + "…"
        rows.append(f"<i>“{esc(cut)}”</i>")
    if context.used == "wider":
        rows.append(f"its own words name no place; the estimate used {esc(context.wider_source or 'the article')}")
    elif context.used == "context_file":
        rows.append("its own words name no place; the estimate used --context")
    return "<br>".join(rows)


def estimate_html(photo: PhotoReport, thumbs: Thumbnails) -> str:
    """A photo's estimate with what the metadata says, its distances to the areas, and the photo."""
    e = photo.estimate
    assert e is not None
    rows = [
        f"<b>{esc(photo_label(photo))}</b>",
        f"estimate from <b>{esc(e.basis)}</b>: {e.lat:.5f}, {e.lon:.5f} ± {e.radius_km:.1f} km, "
        f"confidence {e.confidence:.2f}",
    ]
    if e.explanation:
        rows.append(esc(e.explanation))
    md = photo.metadata
    if md.gps:
        rows.append(f"GPS ({esc(md.gps.source)}): {md.gps.lat:.5f}, {md.gps.lon:.5f}")
    if md.location:
        loc = ", ".join(
            esc(v) for v in (md.location.sublocation, md.location.city, md.location.state, md.location.country) if v
        )
        if loc:
            rows.append(f"{esc(md.location.source)} location: {loc}")
    if md.camera:
        rows.append("camera: " + "; ".join(f"{esc(k)}: {esc(v)}" for k, v in md.camera.items()))
    if photo.context is not None:
        rows.append(context_html(photo))
    for a in photo.areas:
        where = "inside" if a.get("inside") else f"{a.get('distance_km')} km from"
        rows.append(f"{where} {esc(a.get('name', ''))}")
    rows += [f'<span style="color:#b30000">conflict: {esc(c)}</span>' for c in photo.conflicts]
    rows += [f'<span style="color:#b30000">{esc(x)}</span>' for x in photo.errors]
    img = thumbs.crop(None)
    if img:
        rows.append(
            f'<img class="geoloc-thumb" src="{img}" alt="the photo" '
            f'style="max-width:{THUMB_PX}px;max-height:{THUMB_PX}px">'
        )
    return '<div class="geoloc-popup">' + "<br>".join(rows) + "</div>"
