"""The HTML of the map's popups: each estimate and candidate with its evidence and photo crops.

Every value from outside passes through ``esc``; the thumbnails are JPEG data URIs made here, so
the page needs no file beside it.
"""

from __future__ import annotations

import base64
import io
import logging
import os
from typing import Any

from geoloc.common.photo import load_image, photo_scale
from geoloc.errors import GeolocError
from geoloc.model import Box, Candidate, Evidence, PhotoReport
from geoloc.render.map.escape import esc

log = logging.getLogger(__name__)

THUMB_PX = 160
"""Longest side of a thumbnail: big enough to read a sign, small enough for a popup."""
THUMB_QUALITY = 72
"""JPEG quality of thumbnails: legible text at a few kB each."""
POPUP_WIDTH_PX = 340
"""Widest a popup grows: a thumbnail and a line of evidence side by side."""


def photo_label(photo: PhotoReport) -> str:
    """The short name a person knows the photo by (unescaped)."""
    return os.path.basename(photo.path) or photo.path or "photo"


class Thumbnails:
    """Small JPEG crops of a photo, as data URIs; the photo is decoded once, on first need."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._image: Any = None
        self._failed = False

    def _load(self) -> Any:
        if self._image is None and not self._failed:
            try:
                self._image = load_image(self.path)
            except GeolocError as exc:  # the photo moved or is unreadable: the map goes on
                log.info("no thumbnails: %s", exc)
                self._failed = True
        return self._image

    def crop(self, box: Box | None) -> str | None:
        """The region ``box`` with a margin of context around it (the whole photo for None)."""
        im = self._load()
        if im is None:
            return None
        if box is not None:
            x, y, w, h = (v // photo_scale(im) for v in box)  # boxes are in the photo's pixels
            m = int(0.25 * max(w, h)) + 4  # enough of the sign around the text to recognise it
            x0, y0 = max(0, x - m), max(0, y - m)
            x1, y1 = min(im.width, x + w + m), min(im.height, y + h + m)
            if x1 <= x0 or y1 <= y0:
                return None
            im = im.crop((x0, y0, x1, y1))
        else:
            im = im.copy()
        im.thumbnail((THUMB_PX, THUMB_PX))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=THUMB_QUALITY)
        return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _evidence_html(ev: Evidence, thumbs: Thumbnails) -> str:
    bits = [f"<b>{esc(ev.kind)}</b> “{esc(ev.text)}”"]
    if ev.confidence is not None:
        bits.append(f"conf. {ev.confidence:.0f}")
    if ev.distance_km is not None:
        bits.append(f"{ev.distance_km:g} km by road")
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
