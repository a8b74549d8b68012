"""Find where the text is in a photo, at a bounded working resolution; two finders.

**Sign panels by colour.** A road sign is a uniform, saturated (blue, green, yellow, red) or
white panel with letters cut out of it. In the colour mask of its background the panel is a
near-rectangular blob with holes (the letters) and crisp edges inside. Canny edges are removed
from the mask first so a blue sign does not merge with a blue sky, nor a green one with trees.

**Text lines by a scene-text detector.** Text that is not on a coloured panel (a street-name
plate on a wall, a bus destination display, a white sign against a white sky) is found by the
PP-OCRv4 detection network (PaddleOCR, Apache-2.0; the ONNX file shipped in the PyPI wheel
``rapidocr_onnxruntime``) run with onnxruntime, with its DB post-processing done here.

Regions come back in original-image pixels as rotated rectangles, largest first;
``geoloc.ocr`` cuts them out at full resolution.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

WORK_MAX_SIDE = 1600
"""Detection runs on the photo scaled down to this longest side (bounded time and memory)."""

MIN_AREA = 500  # working pixels: a sign with 12 px capitals is about 40 x 100
MIN_FILL = 0.6  # contour area / its minimum-area rectangle: panels are rectangles
MIN_HOLES, MAX_HOLES = 0.02, 0.6  # share of the panel taken by letters
MAX_ASPECT = 14.0
MIN_EDGE_DENSITY = 0.02  # share of edge pixels inside a panel
MAX_SHARE = 0.2  # of the frame: larger blobs are sky, road or wall


@dataclass(frozen=True)
class Region:
    """A text region: a rotated rectangle ``((cx, cy), (w, h), angle_deg)`` in original pixels,
    ``w`` along the text, ``angle`` in [-45, 45]; ``pad`` pixels to add on each side when
    cutting; ``kind`` names the detector ("blue", "white", ...)."""

    rect: tuple[tuple[float, float], tuple[float, float], float]
    kind: str
    score: float
    pad: float = 0.0


def _masks(hsv: np.ndarray) -> dict[str, np.ndarray]:
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    return {
        "blue": (h >= 96) & (h <= 130) & (s >= 90) & (v >= 50),
        "green": (h >= 45) & (h <= 95) & (s >= 90) & (v >= 45),
        "yellow": (h >= 14) & (h <= 36) & (s >= 110) & (v >= 120),
        "red": ((h <= 8) | (h >= 170)) & (s >= 110) & (v >= 60),
        # white panels are the brightest grey things in the picture; in overcast light they
        # are far from 255, so the threshold follows the photo's own bright end
        "white": (s <= 45) & (v >= float(np.clip(np.percentile(v, 90) - 25, 130, 175))),
    }


def _normalise(rect: tuple) -> tuple[tuple[float, float], tuple[float, float], float]:
    """Choose the rectangle's angle in [-45, 45] with ``w`` the side closest to horizontal."""
    (cx, cy), (w, h), a = rect
    while a > 45:
        a -= 90
        w, h = h, w
    while a < -45:
        a += 90
        w, h = h, w
    return (float(cx), float(cy)), (float(w), float(h)), float(a)


def detect_regions(rgb: np.ndarray) -> list[Region]:
    """Sign panels in an RGB array, as rotated rectangles in its own pixels, largest first."""
    H, W = rgb.shape[:2]
    scale = min(1.0, WORK_MAX_SIDE / max(H, W))
    small = cv2.resize(rgb, (int(W * scale), int(H * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else rgb
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV)
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    thin = cv2.Canny(gray, 60, 160)
    thick = cv2.dilate(thin, np.ones((3, 3), np.uint8))
    kernel = np.ones((3, 3), np.uint8)
    found: list[Region] = []
    # thick edges keep a panel apart from a background of its own colour; thin ones keep the
    # narrow gaps between small letters, which thick edges would eat
    for (kind, mask), edges in itertools.product(_masks(hsv).items(), (thick, thin)):
        m = (mask & (edges == 0)).astype(np.uint8)
        m = cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel)
        contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            area = cv2.contourArea(c)
            if area < MIN_AREA:
                continue
            rect = cv2.minAreaRect(c)
            (rw, rh) = rect[1]
            if rw < 1 or rh < 1:
                continue
            fill = area / (rw * rh)
            aspect = max(rw, rh) / min(rw, rh)
            if fill < MIN_FILL or aspect > MAX_ASPECT or min(rw, rh) < 14 or rw * rh > MAX_SHARE * m.size:
                continue
            x, y, bw, bh = cv2.boundingRect(c)
            filled = np.zeros((bh, bw), np.uint8)
            cv2.drawContours(filled, [c - [x, y]], -1, 1, -1)
            inside = filled.sum()
            holes = 1 - float((m[y : y + bh, x : x + bw] & filled).sum()) / max(1, inside)
            if not MIN_HOLES <= holes <= MAX_HOLES:
                continue
            # letters have crisp edges; clouds in a blue sky or texture in a wall do not
            density = float((thin[y : y + bh, x : x + bw] > 0)[filled > 0].mean())
            if density < MIN_EDGE_DENSITY:
                continue
            (cx, cy), (w, h), a = _normalise(rect)
            found.append(
                Region(
                    ((cx / scale, cy / scale), (w / scale, h / scale), a), kind, score=area / scale**2, pad=3 / scale
                )
            )
    found.sort(key=lambda r: -r.score)
    return _drop_nested(found)


def _drop_nested(regions: list[Region]) -> list[Region]:
    """Drop a region whose centre lies in a larger one of the same colour (a fragment of it).

    Only the same colour: a blue sign seen against a larger blue blob (the sky) must survive.
    """
    kept: list[Region] = []
    for r in regions:
        (cx, cy) = r.rect[0]
        if any(
            k.kind == r.kind
            and cv2.pointPolygonTest(cv2.boxPoints(k.rect).reshape(-1, 1, 2).astype(np.float32), (cx, cy), False) >= 0
            for k in kept
        ):
            continue
        kept.append(r)
    return kept


# ---------------------------------------------------------------------------------------------
# scene-text lines: the PP-OCRv4 detection network (DB) on onnxruntime

DET_MAX_SIDE = 1024
"""The detector sees the photo at this longest side; text lines 8+ px high there are found."""

DET_MAX_UPSCALE = 2.0
"""A photo smaller than ``DET_MAX_SIDE`` is enlarged for the detector, up to this factor: on a
420 px street-level face or a 400 px phone thumbnail, sign letters are 5-8 px, under what the
network finds, and twice that is within its reach."""

DET_THREADS = 2
"""Threads of the detector network; batch workers set 1 (one worker per core does better)."""


@lru_cache(maxsize=2)
def _det_session(model: str):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = DET_THREADS
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads sleep
    opts.log_severity_level = 3
    return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])


def detect_text_lines(rgb: np.ndarray, model: Path, side: int = DET_MAX_SIDE) -> list[Region]:
    """Text lines found by the DB text detector run with the photo at ``side`` pixels on its
    longest side (enlarged at most ``DET_MAX_UPSCALE``), as rotated rectangles in original pixels."""
    H, W = rgb.shape[:2]
    ratio = min(DET_MAX_UPSCALE, side / max(H, W))
    h32 = max(32, int(round(H * ratio / 32)) * 32)
    w32 = max(32, int(round(W * ratio / 32)) * 32)
    interpolation = cv2.INTER_AREA if ratio < 1 else cv2.INTER_CUBIC
    small = cv2.resize(rgb[..., ::-1], (w32, h32), interpolation=interpolation)  # BGR, as trained
    x = ((small.astype(np.float32) / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    sess = _det_session(str(model))
    prob = sess.run(None, {sess.get_inputs()[0].name: x})[0][0, 0]
    bitmap = cv2.dilate((prob > 0.3).astype(np.uint8), np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    sx, sy = W / w32, H / h32
    out: list[Region] = []
    for c in contours[:1000]:
        rect = cv2.minAreaRect(c)
        (rw, rh) = rect[1]
        if min(rw, rh) < 3:
            continue
        x0, y0, bw, bh = cv2.boundingRect(c)
        m = np.zeros((bh, bw), np.uint8)
        cv2.fillPoly(m, [c - [x0, y0]], 1)
        score = float(cv2.mean(prob[y0 : y0 + bh, x0 : x0 + bw], m)[0])
        if score < 0.5:
            continue
        # DB shrinks text kernels: grow the box back by area * 1.6 / perimeter on each side
        d = rw * rh * 1.6 / (2 * (rw + rh))
        (cx, cy), (w, h), a = _normalise(((rect[0]), (rw + 2 * d, rh + 2 * d), rect[2]))
        if abs(a) > 30:
            continue
        out.append(Region(((cx * sx, cy * sy), (w * sx, h * sy), a), "text", score=w * h * sx * sy, pad=0.0))
    out.sort(key=lambda r: -r.score)
    return out
