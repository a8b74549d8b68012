"""Read single text lines with a scene-text recognition network: Latin letters, digits and Chinese.

Tesseract is made for scanned pages: on a photographed line of 8-15 px letters, blurred and
re-compressed, it swaps letters ("Bivd" for Blvd) or reads nothing. The PP-OCRv4 recognition
network (PaddleOCR, Apache-2.0; the ONNX file shipped in the PyPI wheel ``rapidocr_onnxruntime``,
beside the detector ``detect`` uses) was trained on photographed text and reads such lines whole.
Its alphabet is Chinese, Latin without accents ("Nevache" for Névache, which the gazetteer folds
the same way), digits and punctuation; it has no Cyrillic, so Cyrillic lines stay with Tesseract
and the reader's script vote (``reader._outvoted``) keeps whichever reading is surer.

The network writes a line as one string and often drops the narrow spaces of small text
("PontdeFortville"): spaces are put back where the line image has a column gap wider than a
share of its letter height, between the characters the network placed on either side of it,
and where the letters show a boundary (a capital after a lower-case word or a number).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from geoloc.common.paths import ASSETS

REC_MODEL = ASSETS / "ch_PP-OCRv4_rec_infer.onnx"
REC_HEIGHT = 48
"""Line height the network was trained at."""
STEP_PX = 8
"""The network emits one character slot per 8 pixels of its input width."""
BATCH = 8
"""Lines per network call: lines of similar length share one padded batch."""
MAX_LINE_RATIO = 40.0
"""Longest line read, as width over height; longer boxes are rows of several signs or fences."""
SPACE_SHARE = 0.3
"""A column gap at least this share of the letter height is a word space (letters of one word are
spaced a tenth of it or less; a space in most sign typefaces is a third or more)."""
SPACE_OVER_LETTER_GAP = 1.8
"""...and at least this many times the line's median gap: widely tracked capitals ("B O R D E A U X"
on a blurred plate) have letter gaps as wide as a space, and are one word."""
REC_THREADS = 2
"""Threads of the network; batch workers set 1, as for the detector."""


@dataclass(frozen=True)
class LineReading:
    """What the network read on one line: words with their x extent in line-crop pixels."""

    words: list[tuple[str, float, float, float]]  # (text, confidence 0-100, x0, x1)
    band: tuple[float, float]  # y range of the letters in the crop (the detector's box is padded)


@lru_cache(maxsize=2)
def _session(model: str):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = REC_THREADS
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    session = ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
    chars = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    return session, ["", *chars, " "]  # CTC blank first, space last, as the network was trained


def recogniser_ready(model: Path = REC_MODEL) -> bool:
    """True when the recognition model and onnxruntime are installed."""
    if not model.is_file():
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def read_lines(lines: list[np.ndarray], model: Path = REC_MODEL) -> list[LineReading]:
    """Read upright RGB line crops (one text line each); one reading per crop, in order."""
    session, chars = _session(str(model))
    out: list[LineReading] = [LineReading([], (0.0, float(c.shape[0]))) for c in lines]
    ratios = [c.shape[1] / max(1, c.shape[0]) for c in lines]
    order = [i for i in np.argsort(ratios) if 0 < ratios[i] <= MAX_LINE_RATIO]
    for start in range(0, len(order), BATCH):
        batch = order[start : start + BATCH]
        width = max(int(np.ceil(REC_HEIGHT * ratios[i])) for i in batch)
        width = max(width, 4 * STEP_PX)
        x = np.zeros((len(batch), 3, REC_HEIGHT, width), np.float32)
        widths = []
        for k, i in enumerate(batch):
            w = max(STEP_PX, int(np.ceil(REC_HEIGHT * ratios[i])))
            img = cv2.resize(lines[i][..., ::-1], (w, REC_HEIGHT), interpolation=cv2.INTER_CUBIC)  # BGR, as trained
            x[k, :, :, :w] = (img.astype(np.float32).transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
            widths.append(w)
        probs = session.run(None, {session.get_inputs()[0].name: x})[0]
        for k, i in enumerate(batch):
            out[i] = _decode(probs[k], chars, lines[i], lines[i].shape[1] / widths[k])
    return out


def _decode(prob: np.ndarray, chars: list[str], crop: np.ndarray, px_per_input: float) -> LineReading:
    """Greedy CTC decoding into words, each with its x extent in crop pixels."""
    idx = prob.argmax(1)
    best = prob.max(1)
    found: list[tuple[str, float, float]] = []  # (char, probability, x centre in crop pixels)
    prev = 0
    for t, k in enumerate(idx):
        if k != 0 and k != prev and k < len(chars):
            found.append((chars[k], float(best[t]), (t + 0.5) * STEP_PX * px_per_input))
        prev = k
    gaps, band = _layout(crop)
    words: list[tuple[str, float, float, float]] = []
    current: list[tuple[str, float, float]] = []
    half = STEP_PX * px_per_input
    for ch in found:
        gap = bool(current) and not _in_number(current[-1][0], ch[0]) and any(current[-1][2] < g < ch[2] for g in gaps)
        split = ch[0] == " " or gap or (bool(current) and _case_break("".join(c for c, _, _ in current), ch[0]))
        if split and current:
            words.append(_word(current, half))
            current = []
        if ch[0] != " ":
            current.append(ch)
    if current:
        words.append(_word(current, half))
    return LineReading([w for w in words if w[0].strip()], band)


_NUMBER_CHARS = frozenset("0123456789.,")


def _in_number(left: str, right: str) -> bool:
    """Both sides of a gap belong to one number: "1 .3" on a blurred guidepost is 1.3 km, and a
    split would hand the distance parser a 3."""
    return left in _NUMBER_CHARS and right in _NUMBER_CHARS


def _case_break(before: str, nxt: str) -> bool:
    """A word boundary the letters themselves show where the network wrote no space: a capital
    after a lower-case word of 3+ letters ("Bryant|Park"; "McCarthy" stays whole), or a capital
    after a number ("42|St"; "88th", "1er" and "3.8km" stay whole)."""
    if not nxt.isupper():
        return False
    last = before[-1]
    if last.isdigit():
        return True
    letters = len(before) - len(before.rstrip("".join(ch for ch in set(before) if ch.isalpha())))
    return last.islower() and letters >= 3


def _word(chars: list[tuple[str, float, float]], half: float) -> tuple[str, float, float, float]:
    text = "".join(c for c, _, _ in chars)
    conf = 100.0 * float(np.mean([p for _, p, _ in chars]))
    return text, conf, chars[0][2] - half, chars[-1][2] + half


def _layout(crop: np.ndarray) -> tuple[list[float], tuple[float, float]]:
    """Centres (crop x) of the inner column gaps wider than ``SPACE_SHARE`` of the letter height,
    and the y range of the letters."""
    # gaps between small letters are a pixel or two: enlarge to the network's height and
    # threshold unblurred, or they close
    f = max(1.0, REC_HEIGHT / crop.shape[0])
    gray = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    if f > 1:
        gray = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = bw > 0
    if ink.mean() > 0.5:  # text is the minority class
        ink = ~ink
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    h, w = ink.shape
    letters = [
        i
        for i in range(1, n)
        if stats[i, cv2.CC_STAT_AREA] >= 4
        and 0.25 * h <= stats[i, cv2.CC_STAT_HEIGHT] < 0.95 * h
        and stats[i, cv2.CC_STAT_WIDTH] < 0.5 * w
    ]
    if len(letters) < 2:
        return [], (0.0, h / f)
    band = (
        min(stats[i, cv2.CC_STAT_TOP] for i in letters) / f,
        max(stats[i, cv2.CC_STAT_TOP] + stats[i, cv2.CC_STAT_HEIGHT] for i in letters) / f,
    )
    height = float(np.median([stats[i, cv2.CC_STAT_HEIGHT] for i in letters]))
    cols = np.zeros(w, bool)
    for i in letters:
        cols[stats[i, cv2.CC_STAT_LEFT] : stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH]] = True
    xs = np.flatnonzero(cols)
    runs: list[tuple[int, int]] = []  # inner column gaps (start, width)
    run_start = None
    for x in range(int(xs[0]), int(xs[-1]) + 1):
        if not cols[x] and run_start is None:
            run_start = x
        elif cols[x] and run_start is not None:
            runs.append((run_start, x - run_start))
            run_start = None
    if not runs:
        return [], band
    letter_gap = float(np.median([g for _, g in runs]))
    gaps = [
        (start + width / 2) / f
        for start, width in runs
        if width >= SPACE_SHARE * height and width >= SPACE_OVER_LETTER_GAP * letter_gap
    ]
    return gaps, band
