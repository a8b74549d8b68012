"""Which way the arrow beside a sign row points: a drawn shape the OCR passes read as junk letters.

A junction sign draws a solid arrow left of each destination. Two distance rings meet in two
mirror-image places, and the arrows tell them apart (the left/right order of the destinations
flips at the mirror point), so each row's arrow is read here from the picture, not from the text.

The test is shape-generic rather than a template of one sign's arrow: an arrow is a blob about
as tall as the row's letters, mirror-symmetric about its shaft, with one end much wider than the
other (the head) that narrows to a tip. Letters fail at least one of these ("Т" is symmetric and
wider at the top, but its bar does not narrow to a tip; "А" and "Л" point down, which no sign row
arrow does). Anything doubtful is None: a wrong arrow costs the right place more than no arrow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import cv2
import numpy as np

from geoloc.model import RIGHT_SIDE_ARROWS, Arrow, TextSpan, shared_extent
from geoloc.read.mentions import DISTANCE_RE

LOOK_LEFT = 2.5
"""How far left of a row's text to look for its arrow, in row heights: an arrow column and a gap."""
LOOK_RIGHT = 1.5
"""How far into the row's box to look: an OCR pass often reads the arrow as letters glued to the
name ("ФБогучаны"), and then the box starts at the arrow."""
LOOK_MARGIN = 0.6
"""Rows of pixels above and below the row's box searched, in row heights: an arrow is a little
taller than the letters beside it."""
SIZE_RANGE = (0.35, 2.0)
"""Longest side of an arrow blob, in row heights (diagonal arrows are shorter than upright ones).
A row's box runs from its ascenders to its descenders and the reader pads it, so an arrow as tall
as the capitals beside it may be under half of it ("еСаранск" read with its arrow: box 38 px, the
arrow 17 px)."""
MIN_PIXELS = 40
"""Fewer foreground pixels than this is too small a blob to tell its shape."""
MIN_SYMMETRY = 0.75
"""Intersection over union of a blob and its mirror image about its shaft: a drawn arrow is
symmetric (JPEG and reduction fray its edge), most letters are not about any axis."""
MIN_HEAD_RATIO = 1.6
"""The head end's widest cross-section over the tail end's: an arrow's head is much wider than its
shaft (3x on common signs); the two halves of a symmetric letter ("Ф", "Ж", "Ш") are alike."""
MAX_TIP_RATIO = 0.5
"""Width near the head's end over the head's widest: an arrow narrows to a tip, a "Т" does not."""
TIP_SHARE = 0.12
"""The share of a blob's length, at its head end, where the tip's width is measured."""
ROW_PX = 40
"""A window is scaled so the row is this many pixels high: the shape tests need no more, so the
cost of a row stays a few ms however large the photo; and a small sign's row (17 px, its arrow 8
px and blurred) is enlarged, or its arrow has too few pixels to show a head and a shaft."""
MAX_ROWS = 64
"""Rows searched per photo at most, left of their text and again right of their distance: a
junction sign has a few, and a photo full of text (a newspaper page) must not cost a search per
word."""
MAX_BLOBS = 12
"""Arrow-sized blobs shape-tested per row at most (a busy background breaks into many)."""

AXIS_STEP_DEG = 7.5
"""Step of the shaft angles tried: a sign is photographed a little turned, so its arrows are too."""
SNAP_DEG = 20.0
"""A shaft more than this from every drawn direction (multiples of 45 degrees) is no sign arrow."""
_DIRECTIONS: dict[int, Arrow | None] = {
    0: "up",
    45: "up-right",
    90: "right",
    135: None,  # pointing down: no sign row's arrow does
    180: None,
    225: None,
    270: "left",
    315: "up-left",
}
"""Directions clockwise from up (y down in the image), and the arrow each is."""


def _unit(angle_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """The unit vector pointing ``angle_deg`` clockwise from up in image coordinates, and its normal."""
    a = math.radians(angle_deg)
    return np.array([math.sin(a), -math.cos(a)]), np.array([math.cos(a), math.sin(a)])


def _mirror_iou(mask: np.ndarray, centre: tuple[float, float], angle_deg: float) -> float:
    """How symmetric a blob is about the line through ``centre`` along ``angle_deg``: the
    intersection over union of the mask and its mirror image."""
    u, _ = _unit(angle_deg)
    reflect = 2.0 * np.outer(u, u) - np.eye(2)  # mirror about the line along u
    c = np.array(centre)
    m = np.hstack([reflect, (c - reflect @ c)[:, None]]).astype(np.float32)
    flipped = cv2.warpAffine(mask.astype(np.uint8), m, (mask.shape[1], mask.shape[0]), flags=cv2.INTER_NEAREST) > 0
    return float((mask & flipped).sum()) / max(1, int((mask | flipped).sum()))


def classify_blob(mask: np.ndarray) -> Arrow | None:
    """The direction a solid blob (a boolean mask of one blob) points, or None if it is no arrow."""
    if int(mask.sum()) < MIN_PIXELS:
        return None
    pad = max(mask.shape) // 2 + 2  # room for the mirror image of a lopsided blob
    mask = np.pad(mask, pad)
    ys, xs = np.nonzero(mask)
    centre = (float(xs.mean()), float(ys.mean()))
    angles = np.arange(0.0, 180.0, AXIS_STEP_DEG)
    scores = [_mirror_iou(mask, centre, float(a)) for a in angles]
    k = int(np.argmax(scores))
    if scores[k] < MIN_SYMMETRY:
        return None
    angle = float(angles[k])
    u, v = _unit(angle)
    pts = np.stack([xs - centre[0], ys - centre[1]], axis=1)
    along, across = np.rint(pts @ u).astype(int), pts @ v
    pos = np.unique(along)
    widths = np.array([np.ptp(across[along == p]) + 1.0 for p in pos])
    mid, tip_len = (pos[0] + pos[-1]) / 2, TIP_SHARE * (pos[-1] - pos[0])
    front, back = widths[pos > mid], widths[pos < mid]
    if front.size == 0 or back.size == 0:
        return None
    if front.max() >= back.max():  # the head is at the +u end
        head, tail, tip = front.max(), back.max(), widths[pos >= pos[-1] - tip_len]
    else:
        angle += 180.0
        head, tail, tip = back.max(), front.max(), widths[pos <= pos[0] + tip_len]
    if head < MIN_HEAD_RATIO * tail or tip.max() > MAX_TIP_RATIO * head:
        return None
    snapped = int(round(angle / 45.0)) * 45
    if abs(angle - snapped) > SNAP_DEG:
        return None
    return _DIRECTIONS[snapped % 360]


def _fg_masks(gray: np.ndarray) -> list[np.ndarray]:
    """Both polarities of a window, binarised by Otsu: light-on-dark and dark-on-light signs."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return [bw > 0, bw == 0]


def arrow_left_of(rgb: np.ndarray, box: tuple[int, int, int, int]) -> Arrow | None:
    """The arrow drawn at the left of a sign row whose text lies in ``box`` (x, y, w, h), or None.

    Looks from ``LOOK_LEFT`` row heights left of the box into its first ``LOOK_RIGHT``; a blob that
    touches the window's edge (the panel's border, the scene, a cut letter) is not considered, nor
    one whose centre lies above or below the row's box (the arrow of the row above or below). Of
    the blobs that are arrows, the one centred nearest the row's middle height wins.
    """
    x, y, w, h = box
    if h <= 0:
        return None
    x0, x1 = max(0, int(x - LOOK_LEFT * h)), min(rgb.shape[1], int(x + min(w, LOOK_RIGHT * h)))
    y0, y1 = max(0, int(y - LOOK_MARGIN * h)), min(rgb.shape[0], int(y + h + LOOK_MARGIN * h))
    if y1 - y0 < 4 or x1 - x0 < 4:
        return None
    window = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    scale = ROW_PX / h
    if scale != 1.0:
        window = cv2.resize(
            window, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
        )
    h_px, middle = h * scale, (y + h / 2 - y0) * scale
    found: list[tuple[float, Arrow]] = []  # (distance of its centre from the row's middle, arrow)
    tested = 0
    for fg in _fg_masks(window):
        count, labels, stats, _ = cv2.connectedComponentsWithStats(fg.astype(np.uint8), connectivity=8)
        for k in range(1, count):
            bx, by, bw, bh, area = (int(t) for t in stats[k])
            if bx == 0 or by == 0 or bx + bw >= window.shape[1] or by + bh >= window.shape[0]:
                continue
            off = abs(by + bh / 2 - middle)
            if not SIZE_RANGE[0] * h_px <= max(bw, bh) <= SIZE_RANGE[1] * h_px or off > h_px / 2:
                continue
            if area < MIN_PIXELS or tested >= MAX_BLOBS:
                continue
            tested += 1
            arrow = classify_blob(labels[by : by + bh, bx : bx + bw] == k)
            if arrow is not None:
                found.append((off, arrow))
    return min(found)[1] if found else None


MIRRORED: dict[Arrow, Arrow] = {
    "left": "right",
    "right": "left",
    "up-left": "up-right",
    "up-right": "up-left",
    "up": "up",
}


def arrow_right_of(rgb: np.ndarray, box: tuple[int, int, int, int]) -> Arrow | None:
    """The right-pointing arrow drawn right of a distance whose digits lie in ``box``, or None: the
    search of ``arrow_left_of`` in the mirrored picture."""
    x, y, w, h = box
    found = arrow_left_of(rgb[:, ::-1], (rgb.shape[1] - (x + w), y, w, h))
    arrow = MIRRORED[found] if found is not None else None
    return arrow if arrow in RIGHT_SIDE_ARROWS else None


def with_arrows(rgb: np.ndarray, spans: Sequence[TextSpan]) -> list[TextSpan]:
    """The spans, with ``arrow`` set on each that starts a row of text and has an arrow left of it.

    An arrow stands left of a row's name, so a span with letters that no other lettered span of its
    line lies left of is searched; on a line of distances alone, every distance is: a sign with
    columns writes each distance under its name, with its arrow beside it ("← 56 km"). A right
    turn's arrow is often drawn right of the distance ("Ніжин 40 →"), so the row's last distance
    is searched on its right too. At most ``MAX_ROWS`` rows are searched on each side, the first
    read.
    """
    lines: dict[tuple[int, int], list[TextSpan]] = {}
    for s in spans:
        lines.setdefault((s.region, s.line), []).append(s)
    left: list[int] = []  # spans searched on their left, then (distances) on their right
    right: list[int] = []  # distances searched on their right
    for line in lines.values():
        distances = [s for s in line if DISTANCE_RE.match(s.text.strip())]
        lettered = [s for s in line if any(c.isalpha() for c in s.text) and not DISTANCE_RE.match(s.text.strip())]
        if lettered:
            left += [id(s) for s in lettered if not any(_left_of(o, s) for o in lettered)]
            right += [id(s) for s in distances if not any(_left_of(s, o) for o in line)]  # the row's last
        else:
            left += [id(s) for s in distances]
            right += [id(s) for s in distances]
    starts = set(left[:MAX_ROWS])
    ends = set(right[:MAX_ROWS])
    seen: dict[tuple[str, tuple[int, int, int, int]], Arrow | None] = {}
    out: list[TextSpan] = []
    for s in spans:
        arrow = None
        if id(s) in starts:
            key = ("left", s.box)
            if key not in seen:
                seen[key] = arrow_left_of(rgb, s.box)
            arrow = seen[key]
        if arrow is None and id(s) in ends:
            key = ("right", s.box)
            if key not in seen:
                seen[key] = arrow_right_of(rgb, s.box)
            arrow = seen[key]
        out.append(replace(s, arrow=arrow) if arrow is not None else s)
    return out


def _left_of(other: TextSpan, span: TextSpan) -> bool:
    """True when ``other``, a span of ``span``'s line, is on its sign row (overlapping heights) and
    starts clearly left of it."""
    if other is span:
        return False
    height = min(other.box[3], span.box[3])
    return shared_extent(other.box, span.box, 1) >= 0.5 * height and other.box[0] + 0.5 * height < span.box[0]
