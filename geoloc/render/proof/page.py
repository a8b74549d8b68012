"""``proof.html``: the proof picture, its statement, the evidence crops at full resolution and the record.

The page is self-contained and inert: every image is a ``data:`` URI, the style is inline, there
is no script, and a Content-Security-Policy forbids loading anything from anywhere else, so it
opens offline, in a mail client or an archive, exactly as it was written. Every text from outside
is ``statement.shown`` (controls and bidirectional overrides made visible) and then HTML-escaped
with the map's ``esc``, so a sign reading ``<script>`` is shown as those characters.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Sequence
from typing import Any

from PIL import Image

from geoloc.common.photo import photo_scale
from geoloc.render.map.escape import esc
from geoloc.render.proof.i18n import Translate
from geoloc.render.proof.record import CHECK_COMMAND, Provenance
from geoloc.render.proof.statement import Mark, Statement, shown

MAX_CROP_PIXELS = 1_000_000
"""A crop larger than this (a shop front filling a 24 MP frame) is reduced to it: a sign's text is
legible far below, and the page stays a few megabytes."""
CROP_MARGIN = 0.25
"""Context kept around a box, as a share of its longer side (as the map's popups do): enough of
the sign to recognise it."""
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
"""Nothing but the page's own images and style may load: no network, no script, whatever the page holds."""
STYLE = """
body{font:15px/1.45 "DejaVu Sans",sans-serif;margin:0 auto;max-width:1640px;padding:12px 20px;color:#111}
h1{font-size:22px;margin:8px 0 12px}h2{font-size:18px;margin:22px 0 8px}
img.proof{width:100%;height:auto;border:1px solid #bbb}
dl.statement{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px}
dl.statement dt{font-weight:bold}dl.statement dd{margin:0}
.crops{display:flex;flex-wrap:wrap;gap:14px}
figure.crop{margin:0;border:1px solid #ccc;padding:8px;max-width:100%}
figure.crop img{max-width:100%;height:auto;display:block;image-rendering:auto}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
code,pre{font-family:"DejaVu Sans Mono",monospace;word-break:break-all}
pre{background:#f4f4f4;padding:8px;white-space:pre-wrap}
td .nested .nested{margin-left:1.2em}
"""


def data_uri(data: bytes, mime: str) -> str:
    """``data`` inline, as a page needs it to load nothing."""
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def crop_png(image: Image.Image, box: tuple[int, int, int, int]) -> bytes | None:
    """The photo around ``box`` (photo pixels) at full resolution, as PNG; None when the box is off the photo."""
    scale = photo_scale(image)
    x, y, w, h = (v // scale for v in box)
    m = int(CROP_MARGIN * max(w, h)) + 4
    x0, y0 = max(0, x - m), max(0, y - m)
    x1, y1 = min(image.width, x + w + m), min(image.height, y + h + m)
    if x1 <= x0 or y1 <= y0:
        return None
    crop = image.crop((x0, y0, x1, y1))
    if crop.width * crop.height > MAX_CROP_PIXELS:
        k = (MAX_CROP_PIXELS / (crop.width * crop.height)) ** 0.5
        crop = crop.resize((max(1, int(crop.width * k)), max(1, int(crop.height * k))), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    crop.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _statement_html(st: Statement) -> str:
    rows = []
    for line in st.lines:
        rows.append(f"<dt>{esc(line.heading)}</dt><dd>{esc(line.text)}</dd>")
    return '<dl class="statement">' + "".join(rows) + "</dl>"


def _crops_html(marks: Sequence[Mark], image: Image.Image, t: Translate) -> str:
    figures = []
    for m in marks:
        png = crop_png(image, m.box)
        if png is None:
            continue
        facts = [t("{km} km by road", km=f"{m.distance_km:g}")] if m.distance_km else []
        if m.confidence is not None:
            facts.append(t("OCR confidence {confidence}", confidence=f"{m.confidence:.0f}"))
        facts.append(t("score {score}", score=f"{m.score:.2f}"))
        figures.append(
            f'<figure class="crop"><img src="{data_uri(png, "image/png")}" alt="[{m.number}] {esc(m.read)}">'
            f"<figcaption><b>[{m.number}]</b> {esc(t('what was read'))}: “{esc(m.read)}” → {esc(m.place)}"
            f"<br><small>{esc(' · '.join(facts))}</small></figcaption></figure>"
        )
    return '<div class="crops">' + "".join(figures) + "</div>"


def _value_html(value: Any) -> str:
    """A record value (text, number, list or nested object) as escaped HTML, written as in record.json."""
    if isinstance(value, dict):
        rows = "".join(f"<div>{esc(shown(k))}: {_value_html(v)}</div>" for k, v in value.items())
        return f'<div class="nested">{rows}</div>' if rows else "{}"
    if isinstance(value, list):
        return esc(", ".join(shown(v) for v in value)) or "[]"
    if value is None or isinstance(value, bool):
        return json.dumps(value)  # null, true, false
    return esc(shown(value))


def _table(rows: Sequence[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _record_html(provenance: Provenance, t: Translate) -> str:
    roles = {"photo": t("photo"), "context": t("caption"), "area": t("area file"), "source": t("page or export")}
    inputs = _table(
        [
            (esc(roles.get(i.role, i.role)), f"{esc(shown(i.path))}<br><code>SHA-256 {esc(i.sha256)}</code>")
            for i in provenance.inputs
        ]
    )
    facts = _table(
        [
            (esc(t("Options")), _value_html(provenance.options.to_dict())),
            (esc(t("Software")), _value_html(provenance.software)),
            (esc(t("Data")), _value_html(provenance.data)),
            (esc(t("Made (UTC)")), esc(shown(provenance.created_utc))),
        ]
    )
    return f"{inputs}<br>{facts}<p>{esc(t('To check this proof, run'))}:</p><pre>{esc(CHECK_COMMAND)}</pre>"


def proof_page(
    st: Statement, picture_png: bytes, image: Image.Image, provenance: Provenance, t: Translate, lang: str
) -> str:
    """The HTML of the proof page: ``picture_png`` is the proof picture, ``image`` the decoded photo."""
    title = esc(st.title)
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        f"<h1>{title}</h1>"
        f'<img class="proof" src="{data_uri(picture_png, "image/png")}" alt="{title}">'
        f"{_statement_html(st)}"
        f"<h2>{esc(t('Evidence at full resolution'))}</h2>{_crops_html(st.marks, image, t)}"
        f"<h2>{esc(t('Record'))}</h2>{_record_html(provenance, t)}"
        "</body></html>\n"
    )
