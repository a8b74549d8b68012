"""The proof picture: the photo with its evidence outlined and labelled, the map beside it, the statement below.

One matplotlib figure (Agg, no display, no browser) saved as PNG and SVG. It is 1600 px wide with
text of 9-17 pt at 100 dpi, so it stays readable scaled to 1200 px in an article or a thread.

Text from outside is drawn as text: every ``Text`` is made with ``parse_math=False`` and the
figure is drawn under ``text.usetex: False`` and ``text.parse_math: False``, so a ``$`` in a sign
or a caption never starts mathtext or LaTeX; ``statement.shown`` has already made control and
bidirectional characters visible. Glyphs come from DejaVu Sans (Latin, Cyrillic, Greek) with
WenQuanYi Zen Hei behind it for Chinese, Japanese and Korean; a character neither has (Thai, say)
is drawn as an empty box, visibly, never dropped in silence and never an error. SVG text is drawn
as paths, so the SVG holds no text a viewer could interpret and looks the same without the fonts.
"""

from __future__ import annotations

import io
import logging
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.patheffects import Normal, Stroke
from matplotlib.transforms import Bbox
from PIL import Image

from geoloc.common.photo import photo_scale
from geoloc.model import MapGeography, PhotoReport
from geoloc.render.proof.i18n import Translate
from geoloc.render.proof.statement import Mark, Statement, shown
from geoloc.render.proof.staticmap import draw_map

DPI = 100
"""Pixels per inch of the figure: sizes below are in pixels, fonts in points (1 pt = 1.39 px)."""
WIDTH_PX = 1600
"""The picture's width: readable in full, and still at 1200 px (text no smaller than 9 px there)."""
PAD_PX = 20
TITLE_PX = 52
PHOTO_PX = (860, 645)
"""The box the photo is fitted into (4:3, the commonest camera frame)."""
MAP_PX = (WIDTH_PX - 3 * PAD_PX - PHOTO_PX[0], PHOTO_PX[1])
ROW_PX = 24
"""Height of a line of the text block at the body size."""
HEADING_PX = 175
"""Width of the headings column of the text block: the longest heading in any language fits."""
LEGEND_PX = 470
"""Width of the legend column, right of the text block."""
WRAP_CHARS = 84
"""A text block line is wrapped at this many characters: about its column's width at the body size."""
MAX_ROWS = 34
"""Rows of the text block at most (the picture's height is bounded; the page and record hold the rest)."""
LABEL_CHARS = 44
"""A label on the photo is cut to this many characters: it must not cover the picture."""
LABEL_PAD = 0.25
"""Padding of a label's box around its text, in units of its font size."""
LEGEND_ROW_PX = 23
TITLE_PT, BODY_PT, LABEL_PT, LEGEND_PT, NOTE_PT = 17, 12.5, 11, 10.5, 9
BOX_COLOR = "#ffd400"
"""Evidence outlines: yellow with a black edge, visible on sky, foliage, asphalt and a blue sign alike."""
FONT_FAMILIES = ("DejaVu Sans", "WenQuanYi Zen Hei")
"""Tried in order for every character: DejaVu (Latin, Cyrillic; shipped with matplotlib too), then a CJK font."""
SVG_SALT = "geoloc-proof"
"""Fixed seed for the ids in the SVG, so the same proof gives the same file."""


# WenQuanYi Zen Hei has one weight (500); matplotlib uses it for normal and bold alike and logs a
# warning each time it does, which would reach the user's terminal as noise.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


def _families() -> list[str]:
    """The families of ``FONT_FAMILIES`` that are installed (matplotlib warns about each missing one)."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in FONT_FAMILIES if f in known] or ["DejaVu Sans"]


@contextmanager
def _drawing() -> Iterator[None]:
    """Settings under which untrusted text is drawn as text, in fonts that cover the scripts read."""
    rc = {
        "text.usetex": False,
        "text.parse_math": False,
        "font.family": _families(),
        "svg.fonttype": "path",
        "svg.hashsalt": SVG_SALT,
        "axes.unicode_minus": False,
    }
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from")  # drawn as a box, visibly
        yield


def _axes(fig: Figure, x: float, y: float, w: float, h: float, height_px: float) -> Axes:
    """Axes at (x, y) pixels from the top left, ``w`` by ``h`` pixels."""
    return fig.add_axes((x / WIDTH_PX, 1 - (y + h) / height_px, w / WIDTH_PX, h / height_px))


def _rows(st: Statement) -> list[tuple[str, str]]:
    """The text block as (heading, text) rows, wrapped, at most ``MAX_ROWS``."""
    rows: list[tuple[str, str]] = []
    for line in st.lines:
        wrapped = textwrap.wrap(line.text, WRAP_CHARS, break_long_words=True) or [""]
        rows += [(line.heading if i == 0 else "", part) for i, part in enumerate(wrapped)]
    if len(rows) > MAX_ROWS:
        rows = rows[: MAX_ROWS - 1] + [("", "…")]
    return rows


def _photo_panel(ax: Axes, image: Image.Image, marks: Sequence[Mark], t: Translate, fig: Figure) -> None:
    """The photo, reduced to the panel, with each evidence box outlined and labelled clear of the others."""
    scale = photo_scale(image)
    width, height = image.width * scale, image.height * scale  # the photo's own pixels, as boxes are
    bbox = ax.get_position()
    fig_w, fig_h = fig.get_size_inches() * DPI
    shown_px = (max(1, round(bbox.width * fig_w)), max(1, round(bbox.height * fig_h)))
    small = image.resize(shown_px, Image.Resampling.LANCZOS) if image.size != shown_px else image
    ax.imshow(np.asarray(small), extent=(0, width, height, 0), interpolation="none")
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    edge = [Stroke(linewidth=4.5, foreground="black"), Normal()]
    for m in marks:
        x, y, w, h = m.box
        ax.add_patch(Rectangle((x, y), w, h, fill=False, edgecolor=BOX_COLOR, linewidth=2.5, path_effects=edge))
    _place_labels(ax, marks, t, fig)


def _label_text(m: Mark, t: Translate) -> str:
    distance = f" · {t('{km} km by road', km=f'{m.distance_km:g}')}" if m.distance_km else ""
    return f"{m.number}  {shown(m.read, LABEL_CHARS)}{distance}"


def _place_labels(ax: Axes, marks: Sequence[Mark], t: Translate, fig: Figure) -> None:
    """Put each mark's label above, below, right or left of its box: the first place inside the photo
    that covers no other label and no other box (else above, where it may overlap)."""
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData
    frame = ax.get_window_extent(renderer)
    boxes = [Bbox(to_px.transform([(m.box[0], m.box[1] + m.box[3]), (m.box[0] + m.box[2], m.box[1])])) for m in marks]
    placed: list[Bbox] = []
    gap = 4
    pad_px = LABEL_PAD * LABEL_PT * DPI / 72  # the label's box reaches this far beyond its text
    for i, m in enumerate(marks):
        b = boxes[i]
        label = ax.text(
            0,
            0,
            _label_text(m, t),
            parse_math=False,
            fontsize=LABEL_PT,
            color="white",
            fontweight="bold",
            zorder=5,
            clip_on=False,
            bbox={"boxstyle": f"round,pad={LABEL_PAD}", "facecolor": "black", "edgecolor": BOX_COLOR, "alpha": 0.8},
        )
        options = [  # (x, y) in pixels, horizontal and vertical alignment
            ((b.x0, b.y1 + gap + 3), "left", "bottom"),
            ((b.x0, b.y0 - gap - 3), "left", "top"),
            ((b.x1 + gap + 3, (b.y0 + b.y1) / 2), "left", "center"),
            ((b.x0 - gap - 3, (b.y0 + b.y1) / 2), "right", "center"),
        ]
        chosen = None
        for (px, py), ha, va in options:
            label.set_position(to_px.inverted().transform((px, py)))
            label.set_ha(ha)
            label.set_va(va)
            extent = label.get_window_extent(renderer).padded(pad_px)
            fits = frame.x0 <= extent.x0 and extent.x1 <= frame.x1 and frame.y0 <= extent.y0 and extent.y1 <= frame.y1
            free = not any(extent.overlaps(o) for o in placed) and not any(
                extent.overlaps(o) for j, o in enumerate(boxes) if j != i
            )
            if fits and free:
                chosen = extent
                break
        if chosen is None:  # nowhere free: above, as close to the box as the photo allows
            (px, py), ha, va = options[0]
            label.set_position(to_px.inverted().transform((px, py)))
            label.set_ha(ha)
            label.set_va(va)
            chosen = label.get_window_extent(renderer).padded(pad_px)
        placed.append(chosen)


def _text_block(ax: Axes, rows: Sequence[tuple[str, str]], height_px: float) -> None:
    ax.set_axis_off()
    for i, (heading, text) in enumerate(rows):
        y = 1 - (i + 0.5) * ROW_PX / height_px
        if heading:
            ax.text(
                0,
                y,
                heading,
                parse_math=False,
                fontsize=BODY_PT,
                fontweight="bold",
                va="center",
                transform=ax.transAxes,
            )
        ax.text(
            HEADING_PX / ax.bbox.width if ax.bbox.width else 0.2,
            y,
            text,
            parse_math=False,
            fontsize=BODY_PT,
            va="center",
            transform=ax.transAxes,
            clip_on=True,
        )


def _legend(ax: Axes, legend: dict[str, Any], marks: Sequence[Mark], t: Translate) -> None:
    ax.set_axis_off()
    entries = dict(legend)
    if marks:
        entries = {
            t("evidence read in the photo"): Rectangle(
                (0, 0),
                1,
                1,
                fill=False,
                edgecolor=BOX_COLOR,
                linewidth=2.5,
                path_effects=[Stroke(linewidth=4.5, foreground="black"), Normal()],
            ),
            **entries,
        }
    if entries:
        ax.legend(
            list(entries.values()),
            list(entries.keys()),
            loc="upper left",
            frameon=False,
            fontsize=LEGEND_PT,
            borderaxespad=0,
            handlelength=2.4,
        )
    ax.text(
        0,
        0,
        t("Natural Earth boundaries, Crimea as part of Ukraine."),
        parse_math=False,
        fontsize=NOTE_PT,
        color="#555",
        va="bottom",
        transform=ax.transAxes,
    )


def proof_figure(
    photo: PhotoReport,
    image: Image.Image,
    geography: MapGeography,
    st: Statement,
    t: Translate,
    *,
    within_km: float | None = None,
) -> Figure:
    """The proof of ``photo`` as one figure; ``image`` is the decoded photo, ``geography`` its map's."""
    rows = _rows(st)
    legend_rows = 12  # at most: the estimate, alternatives, 3 candidate classes, rings, band, 4 area kinds, distances
    block_px = max(len(rows) * ROW_PX, (legend_rows + 2) * LEGEND_ROW_PX // 2 + 40, 4 * ROW_PX)
    top_px = TITLE_PX + PHOTO_PX[1] + PAD_PX
    height_px = top_px + block_px + PAD_PX
    with _drawing():
        fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor="white")
        FigureCanvasAgg(fig)  # labels are placed by measuring them, which needs a renderer
        fig.text(
            PAD_PX / WIDTH_PX,
            1 - (TITLE_PX / 2) / height_px,
            st.title,
            parse_math=False,
            fontsize=TITLE_PT,
            fontweight="bold",
            va="center",
        )
        scale = photo_scale(image)
        fit = min(PHOTO_PX[0] / (image.width * scale), PHOTO_PX[1] / (image.height * scale))
        pw, ph = image.width * scale * fit, image.height * scale * fit
        photo_ax = _axes(fig, PAD_PX + (PHOTO_PX[0] - pw) / 2, TITLE_PX + (PHOTO_PX[1] - ph) / 2, pw, ph, height_px)
        map_ax = _axes(fig, 2 * PAD_PX + PHOTO_PX[0], TITLE_PX, *MAP_PX, height_px)
        legend = draw_map(map_ax, photo, geography, MAP_PX, t, within_km=within_km)
        _photo_panel(photo_ax, image, st.marks, t, fig)
        text_w = WIDTH_PX - 3 * PAD_PX - LEGEND_PX
        _text_block(_axes(fig, PAD_PX, top_px, text_w, block_px, height_px), rows, block_px)
        _legend(_axes(fig, 2 * PAD_PX + text_w, top_px, LEGEND_PX, block_px, height_px), legend, st.marks, t)
    return fig


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """``fig`` as PNG or SVG bytes, the same for the same proof (no dates, fixed ids)."""
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    with _drawing():
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata, facecolor="white")
    return buf.getvalue()
