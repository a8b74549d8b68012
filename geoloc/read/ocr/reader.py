"""Find the text in a photo first, then read it: sign panels and text lines -> crops -> readers.

Tesseract reads a clean, cropped sign well and a whole street scene badly: on a full frame it
spends its time on foliage and misses small text. So ``read_text``

1. stretches the levels of a dim or hazy photo (``_stretched``), then finds text regions
   (``geoloc.read.ocr.detect``): uniform sign panels by colour, and text
   lines found by the PP-OCRv4 text-detection network (run with onnxruntime; its model is fetched
   at set-up, and without it only panels are read), a small photo enlarged for it and a frame
   above ``ZOOM_SIDE`` searched a second time at that size for small text;
2. cuts each region out of the full-resolution image along its rotated rectangle (deskew),
   makes the text dark on white, scales it to a cap height Tesseract likes, binarises it and
   whitens the sign's border;
3. stacks all crops into one page per script and reads it with Tesseract once per script
   ("ukr+rus+bel" and "eng" separately: one mixed pass swaps look-alike letters, Brovary read as
   "Вгоуагу"), and beside them reads every detector line with the PP-OCRv4 recognition network
   (``geoloc.read.ocr.recognise``: photographed Latin text and Chinese); the lines no pass read
   surely are read once more with the other scripts' Tesseract models (``_read_other_scripts``:
   the Greek, Georgian, Armenian, Hebrew and Arabic ones together, which decides the script, then
   Korean, Japanese and Thai), each set of lines in one call;
4. maps every word back to original-image pixels, groups words into lines and phrases, lines
   outside panels into signs, and merges the readings of the passes (identical readings become
   one span; a reading in another script that another pass read much more surely is dropped as
   the wrong script; other different ones are kept on the same line, for the gazetteer to decide
   which is a place).
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pytesseract
from PIL import Image
from rapidfuzz.distance import Levenshtein

from geoloc.common.paths import ASSETS
from geoloc.common.photo import photo_scale
from geoloc.common.text import SCRIPT_CYRILLIC, SCRIPT_LATIN, letter_script, normalise, script_of, worded
from geoloc.errors import OCRError
from geoloc.model import PHRASE_GAP, Box, TextSpan, shared_extent, union_box
from geoloc.read.ocr import detect as textdetect
from geoloc.read.ocr import recognise
from geoloc.read.ocr.arrows import with_arrows
from geoloc.read.ocr.detect import Region, detect_regions, detect_text_lines
from geoloc.read.ocr.langs import CYRILLIC_LANGS, DEFAULT_LANGS
from geoloc.read.ocr.recognise import read_lines, recogniser_ready
from geoloc.read.ocr.trace import Trace, write_debug, write_page

log = logging.getLogger(__name__)


TESSERACT_CONFIG = "--oem 1 --psm 6 -c load_system_dawg=0 -c load_freq_dawg=0"
"""A block of text, no dictionaries: place names are not dictionary words."""
LINE_CONFIG = TESSERACT_CONFIG.replace("--psm 6", "--psm 7")
"""One text line: how a single detector line is read on its own (a block mode splits Hangul
syllables and Thai clusters of a lone line into fragments)."""

TARGET_LETTER_PX = 28  # median letter height the crops are scaled to (34 and 42 read fewer)
MAX_REGIONS = 16  # sign panels read per photo, largest first (keeps a cluttered photo bounded)
MAX_LINES = 24  # detected text lines outside panels read per photo
DET_MODEL = ASSETS / "ch_PP-OCRv4_det_infer.onnx"
MIN_WORD_CONF = 25.0  # Tesseract word confidence below which a reading is noise
SCRIPT_MARGIN = 10.0  # see _outvoted
OUTVOTE_COVER = 0.5
"""Share of a reading's width that surer readings in another script must cover to outvote it: at
least half, so the words are mostly theirs ("299a", an arrow read as a letter beside the "299"
another pass read at 100, is the number's reading; "па" at the end of "Sakhnovshchyna" is not)."""
SAME_LETTERS = 0.75
"""Share of their letters (1 - normalised edit distance, spaces and accents folded) two readings
of one box in one script share when they are two opinions on the same letters ("Corps St Rocn" and
"Co rps vSt Roch": 0.83); a reading of another line that overlaps the box shares a fifth."""
OPINION_CONF = 50.0
"""...and the less sure of the two is read at this confidence or more: under it Tesseract is
guessing letter by letter ("Térdkbalint" at 26 beside the network's "Torokbalint" at 99), and
the guess is noise however many letters it shares."""
MAX_CROP_SIDE = 2400  # a scaled crop larger than this costs Tesseract time and reads no better
_GAP = 36  # white pixels between crops stacked into one page
LIGHT_TEXT = {"blue": True, "green": True, "red": True, "white": False, "yellow": False}
"""Text polarity by panel colour: white letters on blue, green and red signs, dark on the rest."""


@dataclass
class _Crop:
    """A region cut out and cleaned for Tesseract, with the way back to original pixels."""

    region: int
    image: np.ndarray  # binarised, text black on white, uint8
    to_original: np.ndarray  # 2x3 affine: crop pixels -> original image pixels
    offset_y: int = 0  # where it sits in the stacked page
    number: int = -1  # its region's index among the regions cut (the debug files' numbering)


@dataclass
class _Word:
    text: str
    conf: float
    box: Box  # original pixels
    crop: int
    line_key: tuple[int, int, int, int]  # (crop, block, par, line) within one pass
    region: int  # the region (sign) its crop belongs to


# ---------------------------------------------------------------------------------------------
# Tesseract and its languages


def _check_langs(langs: str) -> list[str]:
    """Return the requested languages, or raise OCRError naming what is missing."""
    wanted = [lang for lang in langs.split("+") if lang]
    if not wanted:
        raise OCRError(f"no Tesseract language given in {langs!r} (e.g. eng+ukr+rus+bel)")
    available = _available_langs()
    missing = [lang for lang in wanted if lang not in available]
    if missing:
        packs = " ".join(f"tesseract-ocr-{m.replace('_', '-').lower()}" for m in missing)
        raise OCRError(
            f"Tesseract language pack(s) not installed: {', '.join(missing)} "
            f"(install {packs}; installed: {'+'.join(sorted(available)) or 'none'})"
        )
    return wanted


@lru_cache(maxsize=1)
def _available_langs() -> frozenset[str]:
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OCRError(
            "tesseract is not installed or not on PATH (install tesseract-ocr, e.g. apt-get install tesseract-ocr)"
        )
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError) as exc:
        raise OCRError(f"tesseract cannot be run: {exc}") from None


def split_passes(langs: list[str]) -> list[str]:
    """Cyrillic languages in one pass, the rest in another: ``ukr+rus+bel`` then ``eng``."""
    cyr = [lang for lang in langs if lang in CYRILLIC_LANGS]
    lat = [lang for lang in langs if lang not in CYRILLIC_LANGS]
    return ["+".join(group) for group in (cyr, lat) if group]


# ---------------------------------------------------------------------------------------------
# cutting and cleaning regions


def _cut_colour(rgb: np.ndarray, region: Region) -> tuple[np.ndarray, np.ndarray]:
    """A rotated rectangle cut out upright at full resolution, and its 2x3 affine back to the
    original pixels."""
    (cx, cy), (w, h), angle = region.rect
    w, h = max(2.0, w + 2 * region.pad), max(2.0, h + 2 * region.pad)
    # crop pixels (u, v) -> original: rotate by angle about the rectangle's centre
    a = np.deg2rad(angle)
    ca, sa = np.cos(a), np.sin(a)
    to_orig = np.array([[ca, -sa, cx - ca * w / 2 + sa * h / 2], [sa, ca, cy - sa * w / 2 - ca * h / 2]], np.float64)
    to_crop = cv2.invertAffineTransform(to_orig)
    size = (int(round(w)), int(round(h)))
    crop = cv2.warpAffine(rgb, to_crop, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return crop, to_orig


def _cut(rgb: np.ndarray, region: Region, index: int) -> _Crop | None:
    """Cut a rotated rectangle out at full resolution, upright, cleaned and binarised."""
    (_, (w, h), _) = region.rect
    if w + 2 * region.pad < 8 or h + 2 * region.pad < 6:
        return None
    crop, to_orig = _cut_colour(rgb, region)
    H, W = crop.shape[:2]
    gray = _best_gray(crop)
    light = LIGHT_TEXT.get(region.kind)
    scale = min(_text_scale(gray, light), MAX_CROP_SIDE / max(W, H))
    if scale != 1.0:
        gray = cv2.resize(
            gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        )
        to_orig = to_orig @ np.array([[1 / scale, 0, 0], [0, 1 / scale, 0], [0, 0, 1]])
    bw = _binarise(gray, light)
    bw = _whiten_border(bw, keep_edge_letters=region.kind == "text")
    if (bw == 0).sum() < 20:
        return None
    m = 10
    bw = cv2.copyMakeBorder(bw, m, m, m, m, cv2.BORDER_CONSTANT, value=255)
    to_orig = to_orig @ np.array([[1, 0, -m], [0, 1, -m], [0, 0, 1]], np.float64)
    return _Crop(index, bw, to_orig)


STRETCH_PERCENTILES = (1.0, 99.0)
"""The photo's levels are stretched so that these percentiles of its pixel values become black and
white: the darkest and brightest 1% (deep shade, glare) may clip. A dim, hazy or backlit photo has
its whole scene in a narrow band of grey levels, where the text detector finds no lines and the
colour-panel finder no panel (on dim, low-contrast generated scenes the lines and panels found
covered 76 of 104 names, stretched 102); a photo already using the full range is left as it is."""
STRETCH_SAMPLE = 4
"""Every this-many-th pixel of each row and column is sampled for the percentiles (a 1600 px photo
in a few milliseconds; the levels of a photo do not need every pixel)."""
MIN_STRETCH_GAIN = 1.1
"""A stretch that widens the levels by less than this is skipped: it would change nothing a
reader sees, only cost a pass over the pixels."""


def _stretched(rgb: np.ndarray) -> tuple[np.ndarray, tuple[float, float] | None]:
    """The photo with its levels stretched over the full range (``STRETCH_PERCENTILES``), the
    same for all three channels so that panel colours keep their hue; and the grey levels that
    became black and white (None when it was left as it is)."""
    sample = rgb[::STRETCH_SAMPLE, ::STRETCH_SAMPLE]
    lo, hi = (float(v) for v in np.percentile(sample, STRETCH_PERCENTILES))
    if hi - lo < 1.0 or 255.0 / (hi - lo) < MIN_STRETCH_GAIN:
        return rgb, None
    lut = np.clip((np.arange(256, dtype=np.float32) - lo) * (255.0 / (hi - lo)), 0, 255).astype(np.uint8)
    return lut[rgb], (lo, hi)


def _best_gray(crop: np.ndarray) -> np.ndarray:
    """The grey version with the most text contrast: luminance, or a colour channel for signs
    whose text and background have similar brightness (white on yellow, red on white...)."""
    lum = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
    best, spread = lum, float(np.percentile(lum, 95) - np.percentile(lum, 5))
    for ch in range(3):
        c = crop[..., ch]
        s = float(np.percentile(c, 95) - np.percentile(c, 5))
        if s > spread * 1.25:
            best, spread = c, s
    return best


def _text_scale(gray: np.ndarray, light: bool | None) -> float:
    """Scale factor bringing the median letter height to TARGET_LETTER_PX (1 to 4)."""
    bw = 255 - _binarise(gray, light)  # letters white
    n, _, stats, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    hs = [
        stats[i, cv2.CC_STAT_HEIGHT]
        for i in range(1, n)
        if stats[i, cv2.CC_STAT_AREA] >= 6
        and 4 <= stats[i, cv2.CC_STAT_HEIGHT] < 0.7 * gray.shape[0]
        and stats[i, cv2.CC_STAT_WIDTH] < 0.5 * gray.shape[1]
    ]
    if not hs:
        return 1.0
    letter = float(np.median(hs))
    return float(np.clip(TARGET_LETTER_PX / letter, 0.5, 4.0))


def _binarise(gray: np.ndarray, light: bool | None) -> np.ndarray:
    """Otsu after a light blur, then flip so the text is black: light text on a dark panel is
    inverted; when the panel colour says nothing, the text is taken to be the minority class."""
    g = cv2.GaussianBlur(gray, (3, 3), 0)
    _, bw = cv2.threshold(g, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if light is None:
        light = (bw == 0).mean() > 0.5
    return 255 - bw if light else bw


def _whiten_border(bw: np.ndarray, keep_edge_letters: bool = False) -> np.ndarray:
    """Remove dark blobs that touch the crop edge or span it: the sign's frame, not letters.

    On a detector line's crop (``keep_edge_letters``) only a blob spanning its width goes: the
    detector's box hugs the text, so its first and last letters touch the edge and its tall ones
    ("Ф", Georgian ascenders) span its height, and a line's crop holds no frame."""
    ink = (bw == 0).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    h, w = bw.shape
    out = bw.copy()
    for i in range(1, n):
        x, y, cw, ch, area = stats[i]
        touches = not keep_edge_letters and (x <= 1 or y <= 1 or x + cw >= w - 1 or y + ch >= h - 1)
        frame = cw > 0.85 * w or (ch > 0.85 * h and not keep_edge_letters)
        speck = area < 6
        if touches or frame or speck:
            out[labels == i] = 255
    return out


# ---------------------------------------------------------------------------------------------
# reading a stacked page of crops


def _stack(crops: list[_Crop]) -> np.ndarray:
    width = max(c.image.shape[1] for c in crops)
    height = sum(c.image.shape[0] for c in crops) + _GAP * (len(crops) + 1)
    page = np.full((height, width + 2 * _GAP), 255, np.uint8)
    y = _GAP
    for c in crops:
        h, w = c.image.shape
        page[y : y + h, _GAP : _GAP + w] = c.image
        c.offset_y = y
        y += h + _GAP
    return page


def _read_page(
    page: np.ndarray, crops: list[_Crop], lang: str, config: str = TESSERACT_CONFIG, trace: Trace | None = None
) -> list[_Word]:
    """One Tesseract call for all crops; each word mapped back to original pixels (the words
    dropped as noise are told to ``trace``)."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # passes run in parallel; no oversubscription
    try:
        data = pytesseract.image_to_data(
            Image.fromarray(page), lang=lang, config=config, output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractError as exc:
        raise OCRError(f"tesseract failed on language {lang!r}: {exc.message}") from None
    words = []
    for i, raw in enumerate(data["text"]):
        text = _clean_token(raw)
        conf = float(data["conf"][i])
        if not raw.strip() or (trace is None and (not text or conf < MIN_WORD_CONF)):
            continue
        x, y, w, h = (data[k][i] for k in ("left", "top", "width", "height"))
        cy = y + h / 2
        idx = next(
            (k for k, c in enumerate(crops) if c.offset_y - _GAP / 2 <= cy < c.offset_y + c.image.shape[0] + _GAP / 2),
            None,
        )
        if idx is None:
            continue
        c = crops[idx]
        box = _original_box(x - _GAP, y - c.offset_y, x + w - _GAP, y + h - c.offset_y, c.to_original)
        if not text or conf < MIN_WORD_CONF:
            if trace is not None:
                trace.reading(raw.strip(), conf, lang, box, _noise_why(text, conf))
            continue
        key = (idx, data["block_num"][i], data["par_num"][i], data["line_num"][i])
        words.append(_Word(text, conf, box, idx, key, c.region))
    return words


def _original_box(x0: float, y0: float, x1: float, y1: float, to_original: np.ndarray, scale: float = 1.0) -> Box:
    """A rectangle of a crop as ``[x, y, width, height]`` in original-photo pixels: its corners
    through the crop's affine map (times ``scale`` when the crop was cut from a resized photo),
    then the box around them (a straightened crop maps to a tilted quadrilateral)."""
    pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    orig = (pts @ to_original[:, :2].T + to_original[:, 2]) * scale
    lo, hi = orig.min(0), orig.max(0)
    return (
        int(round(lo[0])),
        int(round(lo[1])),
        max(1, int(round(hi[0] - lo[0]))),
        max(1, int(round(hi[1] - lo[1]))),
    )


_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def _clean_token(raw: str) -> str:
    """Strip punctuation at the ends; keep tokens with a letter or a digit."""
    t = unicodedata.normalize("NFC", raw.strip())
    t = _EDGE_PUNCT.sub("", t).replace("_", "")
    if not t or not any(ch.isalnum() for ch in t):
        return ""
    if len(t) == 1 and not t.isdigit():
        return ""
    return t


def _noise_why(token: str, conf: float) -> str:
    """Why a word was dropped as noise, for the debug report."""
    return "not a word (punctuation or a lone letter)" if not token else f"confidence under {MIN_WORD_CONF:.0f}"


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _phrases(words: list[_Word]) -> list[list[_Word]]:
    """Split a line's words into phrases: runs of words, each number a phrase of its own."""
    words = sorted(words, key=lambda w: w.box[0])
    out: list[list[_Word]] = []
    for w in words:
        numeric = bool(_NUMBER.fullmatch(w.text))
        if out and not numeric and not _NUMBER.fullmatch(out[-1][-1].text):
            prev = out[-1][-1]
            gap = w.box[0] - (prev.box[0] + prev.box[2])
            # by the lower word: the upright box of a long word on a turned sign is much taller than its letters
            if gap < PHRASE_GAP * min(w.box[3], prev.box[3]):
                out[-1].append(w)
                continue
        out.append([w])
    return out


def _span(words: list[_Word], line: int, region: int, lang: str) -> TextSpan:
    conf = float(np.mean([w.conf for w in words]))
    return TextSpan(" ".join(w.text for w in words), conf, _union([w.box for w in words]), line, region, lang)


def _merge_passes(
    passes: list[tuple[str, list[_Word]]], panel_tilts: Sequence[float] = (), trace: Trace | None = None
) -> list[TextSpan]:
    """Lines of all passes and crops on shared line ids; identical readings merged.

    A text line may be read twice per pass (in its sign panel's crop and in the detector's line
    crop) and once per pass: lines are matched in original-image pixels, so every reading of one
    line gets one line id and the region of the crop that read it first. Readings with a word
    come first, longest first, and make the lines; numbers and fragments ("ша" or "е73", an arrow
    read as letters) then join the line they stand on, and make one only where none is. A box
    that shares the height of two lines is on the one nearest across the lines of its panel,
    turned as the panel is (``panel_tilts``, degrees, one per sign panel): on a sign turned 7
    degrees, the distance at the right end of the lower row stands as high as the name of the row
    above, and a pass that reads that distance alone must not give it to the upper row. Identical
    readings of one box become one span (the most confident); different readings are all kept.
    Lines outside the sign panels are grouped into signs by their layout (``_group_lines``).
    """
    n_panels = len(panel_tilts)
    lines: list[tuple[int, Box]] = []  # (region, box) by line id
    spans: list[TextSpan] = []
    groups: list[tuple[str, list[_Word]]] = []  # each pass's words, one text line of one crop each
    for lang, words in passes:
        by_key: dict[tuple[int, int, int, int], list[_Word]] = {}
        for w in words:
            by_key.setdefault(w.line_key, []).append(w)
        groups += [(lang, ws) for ws in by_key.values()]
    groups.sort(key=lambda g: (not any(worded(w.text) for w in g[1]), -sum(len(w.text) for w in g[1])))
    for lang, ws in groups:
        box = _union([w.box for w in ws])
        tilt = panel_tilts[ws[0].region] if 0 <= ws[0].region < n_panels else 0.0
        line_id = min(
            (i for i, (_, b) in enumerate(lines) if _same_line(b, box, tilt)),
            key=lambda i: abs(_across(lines[i][1], tilt) - _across(box, tilt)),
            default=None,
        )
        if line_id is None:
            lines.append((ws[0].region, box))
            line_id = len(lines) - 1
        region = lines[line_id][0]
        for phrase in _phrases(ws):
            new = _span(phrase, line_id, region, lang)
            twin = next(
                (
                    k
                    for k, s in enumerate(spans)
                    if s.text.casefold() == new.text.casefold() and _box_overlap(s.box, new.box) > 0.3
                ),
                None,
            )
            if twin is None:
                spans.append(new)
            elif new.confidence > spans[twin].confidence:
                spans[twin] = TextSpan(
                    new.text, new.confidence, new.box, spans[twin].line, spans[twin].region, new.lang
                )
    winners = [_outvoted(s, spans) for s in spans]
    if trace is not None:
        for s, winner in zip(spans, winners, strict=True):
            why = f"outvoted by {winner.text!r} ({winner.lang}, {winner.confidence:.0f})" if winner else "kept"
            trace.reading(s.text, s.confidence, s.lang, s.box, why)
    spans = [s for s, winner in zip(spans, winners, strict=True) if winner is None]
    lines = _group_lines(lines, n_panels, _line_boxes(spans, len(lines)))
    order = sorted(range(len(lines)), key=lambda i: (lines[i][0], lines[i][1][1]))
    renumber = {old: new for new, old in enumerate(order)}
    return [TextSpan(s.text, s.confidence, s.box, renumber[s.line], lines[s.line][0], s.lang) for s in spans]


SAME_SIGN_HEIGHT = 1.6  # letter heights of two lines of one sign differ by less than this factor
SAME_SIGN_GAP = 0.8  # and the lines are closer than this share of their height


def _line_boxes(spans: list[TextSpan], n_lines: int) -> list[list[Box]]:
    """For each line id, the box of each pass's reading of it (its spans joined)."""
    by_pass: dict[tuple[int, str], list[Box]] = {}
    for s in spans:
        by_pass.setdefault((s.line, s.lang), []).append(s.box)
    out: list[list[Box]] = [[] for _ in range(n_lines)]
    for (line, _), boxes in by_pass.items():
        out[line].append(_union(boxes))
    return out


def _stacked(a: Box, b: Box) -> bool:
    """Two line boxes of one sign: letters of a like height, one just above the other, and
    sharing some columns."""
    ah, bh = a[3], b[3]
    if max(ah, bh) > SAME_SIGN_HEIGHT * min(ah, bh):
        return False
    gap, shared = -shared_extent(a, b, 1), shared_extent(a, b, 0)
    return gap <= SAME_SIGN_GAP * min(ah, bh) and shared > 0


def _group_lines(
    lines: list[tuple[int, Box]],
    n_panels: int,
    readings: list[list[Box]] | None = None,
) -> list[tuple[int, Box]]:
    """Give lines found outside every sign panel the region of the lines stacked with them: a
    plate, a subway frieze or lettering on a wall is one sign whose lines the detector finds one
    by one ("42 St-Bryant Park" over "Station"), and a name may run over two of them.

    Each pass draws its own box around a line (Tesseract's takes in descenders and stray marks,
    a junk reading of the wrong script may be a digit's box), so two lines are stacked when any
    of their boxes are: the line's first box, or that of a reading kept on it (``readings``, by
    line id). Judged by the first box alone, "CHEMIN" / "DES" / "PRATS" on a guidepost were three
    signs because the first box on "DES" was that of a "23" beside it."""
    boxes = [[box, *(readings[i] if readings else [])] for i, (_, box) in enumerate(lines)]
    parent = list(range(len(lines)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    loose = [i for i, (region, _) in enumerate(lines) if region >= n_panels]
    for a, b in itertools.combinations(loose, 2):
        if any(_stacked(p, q) for p in boxes[a] for q in boxes[b]):
            parent[root(a)] = root(b)
    region = {}
    for i in loose:
        region.setdefault(root(i), min(lines[j][0] for j in loose if root(j) == root(i)))
    return [(region[root(i)] if i in loose else r, box) for i, (r, box) in enumerate(lines)]


def _union(boxes: list[Box]) -> Box:
    """The box around a non-empty list of boxes (``union_box``, which also takes none)."""
    box = union_box(boxes)
    assert box is not None, "a line has at least one box"
    return box


def _across(box: Box, tilt_deg: float) -> float:
    """How far down a panel turned by ``tilt_deg`` (clockwise, as its rectangle's angle) a box's
    centre lies, across its lines of text rather than down the photo."""
    t = math.radians(tilt_deg)
    return (box[1] + box[3] / 2) * math.cos(t) - (box[0] + box[2] / 2) * math.sin(t)


def _same_line(a: Box, b: Box, tilt_deg: float = 0.0) -> bool:
    """Two line boxes are one line when they share most of their height, measured across the
    lines of a panel turned by ``tilt_deg`` (``_share_height`` when it is not turned), and are
    close sideways (a place name and its distance, read as two detector lines, stay on one line).
    On a panel turned 8 degrees, a distance right-aligned 300 px from a short name stands 40 px
    higher than it, level with the row above."""
    ca, cb = _across(a, tilt_deg), _across(b, tilt_deg)
    ha, hb = _upright_height(a, tilt_deg), _upright_height(b, tilt_deg)
    shared = min(ca + ha / 2, cb + hb / 2) - max(ca - ha / 2, cb - hb / 2)
    return shared > 0.5 * min(ha, hb) and shared_extent(a, b, 0) > -3 * min(a[3], b[3])


UPRIGHT_MIN = 0.3
"""Least share of a box's height kept as its text's height on a turned panel: a box is not a
turned rectangle exactly (a word's letters fill it unevenly), and a wide box's rise would
otherwise leave it no height at all."""


def _upright_height(box: Box, tilt_deg: float) -> float:
    """The height of the text in a box on a panel turned by ``tilt_deg``: the box of a rectangle W
    wide and H high turned by t is W|sin t| + H cos t high and W cos t + H|sin t| wide, and a long
    line's box is tall mostly from its rise. Never more than the box's own height (near 45
    degrees the two equations tell nothing)."""
    t = math.radians(abs(tilt_deg))
    upright = (box[3] * math.cos(t) - box[2] * math.sin(t)) / max(math.cos(2 * t), 1e-6)
    return min(float(box[3]), max(UPRIGHT_MIN * box[3], upright))


def _share_height(a: Box, b: Box) -> bool:
    """Two boxes on one text line: they share more than half the shorter one's height."""
    return shared_extent(a, b, 1) > 0.5 * min(a[3], b[3])


def _outvoted(span: TextSpan, spans: list[TextSpan]) -> TextSpan | None:
    """The reading of the same box in another script that another pass read with much higher
    confidence, if any: then ``span`` is in the wrong script.

    "Чернігів" read by the Latin pass comes out as "Yepnuiris" at confidence 35 while the
    Cyrillic pass reads it at 93; such a reading is noise, not a second opinion. Two readings in
    the same script that share most letters (``SAME_LETTERS``), the less sure of them read at
    ``OPINION_CONF`` or more, are two opinions on the letters and both stay, for the gazetteer to
    decide: the network writes no accents and reads "Musée du LOUVRE" as "Musee du Lou VRE" at
    90, which outvoted Tesseract's exact reading at 77. The surer readings must together cover
    half the span's width (``OUTVOTE_COVER``): "2937", a Cyrillic pass's reading of "293" with
    the arrow beside it as a "7", is outvoted by the network's "293", but a fragment ("па", the end of
    "Sakhnovshchyna" read in Cyrillic at 95) is no reading of the same words.
    """
    surer = [
        o
        for o in spans
        if o is not span
        and o.lang != span.lang
        and o.confidence >= span.confidence + SCRIPT_MARGIN
        and _share_height(o.box, span.box)
        and shared_extent(o.box, span.box, 0) > 0
        and not (span.confidence >= OPINION_CONF and _same_letters(o.text, span.text))
    ]
    if _covered_width(span.box, [o.box for o in surer]) < OUTVOTE_COVER:
        return None
    return max(surer, key=lambda o: shared_extent(o.box, span.box, 0))


def _covered_width(box: Box, others: list[Box]) -> float:
    """The share of the box's width that the other boxes cover together (each counted once)."""
    x0, x1 = box[0], box[0] + box[2]
    covered, end = 0, x0
    for a, b in sorted((max(x0, o[0]), min(x1, o[0] + o[2])) for o in others):
        a = max(a, end)
        if b > a:
            covered, end = covered + b - a, b
    return covered / max(1, box[2])


def _same_letters(a: str, b: str) -> bool:
    """Two readings in one script that share at least ``SAME_LETTERS`` of their letters."""
    script = script_of(a)
    if not script or script_of(b) != script:
        return False
    fa, fb = (normalise(t).replace(" ", "") for t in (a, b))
    return Levenshtein.normalized_similarity(fa, fb) >= SAME_LETTERS


def _box_overlap(a: Box, b: Box) -> float:
    """The share of the smaller box that the larger covers."""
    ix, iy = shared_extent(a, b, 0), shared_extent(a, b, 1)
    if ix <= 0 or iy <= 0:
        return 0.0
    return ix * iy / max(1, min(a[2] * a[3], b[2] * b[3]))


# ---------------------------------------------------------------------------------------------
# the public entry point


def read_text(image: Image.Image, langs: str = DEFAULT_LANGS, *, debug_dir: Path | None = None) -> list[TextSpan]:
    """Read the text in an upright RGB photo: spans with boxes in original-image pixels.

    Spans read on the same text line share ``line``; spans of one sign share ``region``. When the
    passes read a line differently, each reading is kept (same line) unless another pass read it
    much more surely, and ``lang`` says which pass read each: the Tesseract languages, or
    ``REC_LANG`` for the recognition network. Raises OCRError when Tesseract or a language is
    missing.
    """
    passes = split_passes(_check_langs(langs))
    rgb, levels = _stretched(np.asarray(image if image.mode == "RGB" else image.convert("RGB")))
    trace = Trace(size=image.size, levels=levels) if debug_dir is not None else None
    panels, lines = _find(rgb, trace)
    regions = panels + _lines_to_read(panels, lines)
    crops = [c for i, r in enumerate(regions) if (c := _cut(rgb, r, i)) is not None]
    for c in crops:  # a photo read reduced: boxes are still given in the photo's own pixels
        c.to_original *= photo_scale(image)
        c.number = c.region
        if c.region >= len(panels):  # a small line read again inside its panel belongs to it
            c.region = next((k for k, p in enumerate(panels) if _in_panel(regions[c.region], p)), c.region)
    rec_lines = lines[:MAX_REC_LINES] if "rec" in READERS and _recogniser_ready() else []
    results: list[tuple[str, list[_Word]]] = []
    jobs: list = []
    if crops and "tesseract" in READERS:
        page = _stack(crops)
        if debug_dir is not None:
            write_page(Path(debug_dir), page)
        jobs += [lambda lang=lang: (lang, _read_page(page, crops, lang, trace=trace)) for lang in passes]
    if rec_lines:
        jobs.append(lambda: (REC_LANG, _recognise(rgb, rec_lines, panels, photo_scale(image), trace)))
    if jobs:
        with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), _threads))) as pool:
            results = list(pool.map(lambda job: job(), jobs))
        results += _read_other_scripts(rgb, rec_lines, panels, results, photo_scale(image), trace)
    spans = with_arrows(rgb, _merge_passes(results, [p.rect[2] for p in panels], trace))
    # the panel's colour says what kind of sign it is: a name on a blue or green one is a destination
    spans = [replace(s, panel=panels[s.region].kind) if 0 <= s.region < len(panels) else s for s in spans]
    spans.sort(key=lambda s: (s.line, s.box[0]))
    if trace is not None and debug_dir is not None:
        _trace_regions(trace, panels, lines, regions, crops)
        write_debug(Path(debug_dir), rgb, trace, [(c.number, c.image) for c in crops])
    log.debug("read %d spans in %d regions and %d lines", len(spans), len(crops), len(rec_lines))
    return spans


_threads = 2


def use_one_thread() -> None:
    """Read with one thread (passes one after the other, one-thread networks).

    A single photo reads faster with the passes side by side; a batch with one worker per core
    reads more photos per second when no worker competes with itself for the cores.
    """
    global _threads
    _threads = 1
    textdetect.DET_THREADS = 1
    recognise.REC_THREADS = 1


SMALL_LINE_PX = 36.0
"""Detector lines lower than this (capitals under about 20 px) are read even inside a panel:
a second, tighter crop of small text reads names the whole-panel crop loses."""
DETECTORS: tuple[str, ...] = ("panels", "lines")
"""Which region finders run: colour sign "panels", detector text "lines" (the benchmark compares
them; both together read the most names)."""
READERS: tuple[str, ...] = ("tesseract", "rec")
"""Which readers run: Tesseract over panels and lines, the recognition network ("rec") over the
detector's lines (the benchmarks compare them)."""
REC_LANG = "rec"
"""The ``lang`` of spans read by the recognition network (Latin without accents, and Chinese)."""
MAX_REC_LINES = 32
"""Detector lines the network reads per photo, largest first (about 15 ms each)."""


ZOOM_SIDE = 2048
"""A frame whose longest side is above this is searched for text lines twice: whole at
``DET_MAX_SIDE`` (large text), then at this side (street blades of 15-20 px in a 3840 px frame
are 5 px at 1024, under what the detector finds, and 9 px at 2048). The second search costs
about four times the first (0.6-1.1 s on two shared cores), which bounds the time of a 4K frame."""


def _find(rgb: np.ndarray, trace: Trace | None = None) -> tuple[list[Region], list[Region]]:
    """Sign panels and the detector's text lines (all of them, largest first); each search, its
    scale and what it found are told to ``trace``."""
    panels = detect_regions(rgb)[:MAX_REGIONS] if "panels" in DETECTORS else []
    longest = max(rgb.shape[:2])
    if trace is not None and "panels" in DETECTORS:
        trace.search("colour panels", longest, 1.0, len(panels))
    if "lines" not in DETECTORS or not _line_detector_ready():
        return panels, []
    lines = detect_text_lines(rgb, DET_MODEL)
    if trace is not None:
        scale = min(textdetect.DET_MAX_UPSCALE, textdetect.DET_MAX_SIDE / longest)
        trace.search(
            "text lines" + (" (photo enlarged)" if scale > 1 else ""), round(longest * scale), scale, len(lines)
        )
    if longest > ZOOM_SIDE:
        small = [
            r for r in detect_text_lines(rgb, DET_MODEL, ZOOM_SIDE) if not any(_inside(r.rect[0], k) for k in lines)
        ]
        if trace is not None:
            trace.search("text lines, second search for small text", ZOOM_SIDE, ZOOM_SIDE / longest, len(small))
            trace.zoomed.update(r.rect for r in small)
        lines = sorted(lines + small, key=lambda r: -r.score)
    return panels, lines


def _trace_regions(
    trace: Trace, panels: list[Region], lines: list[Region], regions: list[Region], crops: list[_Crop]
) -> None:
    """Tell ``trace`` every region found and whether Tesseract read it (and why, or why not)."""
    cropped = {c.number for c in crops}
    read = {r.rect: i for i, r in enumerate(regions)}
    for i, r in enumerate(panels):
        why = "read: a colour panel" if i in cropped else "not read: too small or no ink after binarising"
        trace.region(r.kind, "colour panel", r.rect, why, i if i in cropped else None)
    for k, r in enumerate(lines):
        found_by = "text lines, second search" if r.rect in trace.zoomed else "text lines"
        i = read.get(r.rect)
        if i is not None and i in cropped:
            inside = any(_in_panel(r, p) for p in panels)
            why = "read again: a small line inside a panel" if inside else "read: a line outside every panel"
        elif i is not None:
            why = "not read by Tesseract: too small or no ink after binarising"
        elif any(_in_panel(r, p) for p in panels):
            why = "read in its panel's crop"
        else:
            why = f"not read by Tesseract: beyond the {MAX_LINES} lines read per photo"
        if k >= MAX_REC_LINES:
            why += f"; beyond the {MAX_REC_LINES} lines the network reads"
        trace.region("text", found_by, r.rect, why, i if i is not None and i in cropped else None)


def _in_panel(line: Region, panel: Region) -> bool:
    """A detector line lies on a sign panel: its centre is inside the panel, and the panel is no
    smaller than the line (a white "panel" can be the counter of a letter, the hole of "Ф" or "о"
    in the middle of the line, and the line must still be read)."""
    return panel.rect[1][0] * panel.rect[1][1] >= line.rect[1][0] * line.rect[1][1] and _inside(line.rect[0], panel)


def _inside(point: tuple[float, float], region: Region) -> bool:
    poly = cv2.boxPoints(region.rect).reshape(-1, 1, 2).astype(np.float32)
    return cv2.pointPolygonTest(poly, point, False) >= 0


def _lines_to_read(panels: list[Region], lines: list[Region]) -> list[Region]:
    """The detector lines Tesseract reads: those outside every panel, or small enough to be worth
    a second, tighter read."""
    extra = [r for r in lines if r.rect[1][1] < SMALL_LINE_PX or not any(_in_panel(r, p) for p in panels)]
    return extra[:MAX_LINES]


def find_regions(rgb: np.ndarray) -> list[Region]:
    """Sign panels, plus the detector's text lines outside every panel or small enough to be
    worth a second, tighter read."""
    panels, lines = _find(rgb)
    return panels + _lines_to_read(panels, lines)


ALPHABET_LANGS = ("ell", "kat", "hye", "heb", "ara")
"""Greek, Georgian, Armenian, Hebrew and Arabic: alphabets the network reads as Latin look-alikes
("Αθήνα" as "Aonvα" at 74) and the Cyrillic pass as Cyrillic ones ("Адпуа" at 76). Their models are
small (each loads in under 0.1 s), so they read together in one Tesseract call: its multi-language
reading keeps, word by word, the model surest of it, which is the script decision. Tesseract's own
script detection (OSD, ``--psm 0``) decided 8 of 12 single sign lines right, at 0.35 s a line."""
ASIAN_LANGS = ("kor", "jpn", "tha")
"""Korean, Japanese and Thai: scripts the network reads nothing sure on (it reads Chinese)."""
SURE_CONF = 85.0
"""A line no pass read a word on at this confidence or more is unsure: it goes to the alphabets'
call. Latin and Cyrillic sign lines are read at 90-96 by one pass or another."""
OTHER_SCRIPT_BELOW = 70.0
"""A line whose best network word is below this confidence goes to the Korean, Japanese and Thai
call (a Greek or Cyrillic line the network reads as look-alikes stays above it)."""
OTHER_SCRIPT_LINES = 6
"""Lines each of the two calls reads per photo, largest first: the lines go to one Tesseract call
as pages of one file (a call costs its models' loading, 0.1-0.4 s, and each line 0.03-0.1 s)."""
OTHER_SCRIPT_MIN_CONF = 75.0
"""A word of those calls is kept at this confidence, and only when it is written in one of their
scripts: on a blurred Latin or Cyrillic line they write look-alike letters of their own."""
LINE_PAD = 0.25
"""Margin, as a share of a detector line's height, added on each side of it when the other
scripts' models read it: the detector's box hugs the letters, and Georgian ascenders and
descenders reach past it. (The main passes keep the tight box and its edge letters instead: a
margin there brings pieces of the neighbouring lines in, and read fewer names on real photos.)"""


def _padded(line: Region) -> Region:
    """A detector line with the margin ``LINE_PAD`` around it."""
    return replace(line, pad=max(line.pad, LINE_PAD * line.rect[1][1]))


@lru_cache(maxsize=2)
def _installed(langs: tuple[str, ...]) -> str:
    """The installed ones of ``langs``, as a Tesseract language string ("" if none)."""
    try:
        available = _available_langs()
    except OCRError:
        return ""
    return "+".join(lang for lang in langs if lang in available)


def _other_script_word(text: str) -> bool:
    """Two or more letters, all of scripts other than Latin and Cyrillic (Hangul, kana, Thai,
    Arabic...): a word is written in one script, and these models write look-alikes of their own
    letters into a Latin or Cyrillic line ("CიდM9" for a bold "София")."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(letter_script(ch) not in (SCRIPT_LATIN, SCRIPT_CYRILLIC) for ch in letters)


def _read_other_scripts(
    rgb: np.ndarray,
    lines: list[Region],
    panels: list[Region],
    results: list[tuple[str, list[_Word]]],
    scale: int,
    trace: Trace | None = None,
) -> list[tuple[str, list[_Word]]]:
    """Read the lines no pass is sure of with the other scripts' models: first the unsure ones
    with the alphabets (``ALPHABET_LANGS``), then those the network read nothing sure on, and the
    alphabets did not read, with the Asian scripts (``ASIAN_LANGS``: after, because the Thai
    model reads a Hebrew line as Thai at 91). Each set of lines is one Tesseract call."""
    best = _best_conf(lines, results)
    rec = dict(results).get(REC_LANG, [])
    rec_best = [max((w.conf for w in rec if w.crop == -1 - i), default=0.0) for i in range(len(lines))]
    out: list[tuple[str, list[_Word]]] = []
    read: set[int] = set()
    alphabets = _installed(ALPHABET_LANGS)
    unsure = [i for i, b in enumerate(best) if b < SURE_CONF][:OTHER_SCRIPT_LINES]
    if alphabets and unsure:
        words = _read_lines_in(rgb, lines, unsure, panels, alphabets, scale, trace)
        if trace is not None:
            trace.other_scripts.append({"langs": alphabets, "lines": unsure, "why": f"no pass read {SURE_CONF:.0f}+"})
        out.append((alphabets, words))
        read = {-1000 - w.crop for w in words}
    asian = _installed(ASIAN_LANGS)
    weak = [i for i, b in enumerate(rec_best) if b < OTHER_SCRIPT_BELOW and i not in read][:OTHER_SCRIPT_LINES]
    if asian and weak:
        out.append((asian, _read_lines_in(rgb, lines, weak, panels, asian, scale, trace)))
        if trace is not None:
            why = f"the network read under {OTHER_SCRIPT_BELOW:.0f}"
            trace.other_scripts.append({"langs": asian, "lines": weak, "why": why})
    return out


def _best_conf(lines: list[Region], results: list[tuple[str, list[_Word]]]) -> list[float]:
    """For each detector line, the highest confidence of a word any pass read inside it."""
    best = [0.0] * len(lines)
    for _, words in results:
        for w in words:
            centre = (w.box[0] + w.box[2] / 2, w.box[1] + w.box[3] / 2)
            for i, line in enumerate(lines):
                if w.conf > best[i] and (w.crop == -1 - i or _inside(centre, line)):
                    best[i] = w.conf
    return best


def _read_lines_in(
    rgb: np.ndarray,
    lines: list[Region],
    index: list[int],
    panels: list[Region],
    langs: str,
    scale: int,
    trace: Trace | None = None,
) -> list[_Word]:
    """Read detector lines ``index`` with ``langs``, each as one line (a page of its own in one
    Tesseract call); keep sure words written in a script other than Latin and Cyrillic."""
    crops = []
    for i in index:
        c = _cut(rgb, _padded(lines[i]), _line_region(lines[i], i, panels))
        if c is not None:
            c.to_original *= scale
            crops.append((i, c))
    if not crops:
        return []
    words = []
    pages = [_stack([c]) for _, c in crops]
    for page_no, w in _read_pages(pages, langs):
        i, c = crops[page_no]
        x, y, ww, hh = w.box
        box = _original_box(x - _GAP, y - c.offset_y, x + ww - _GAP, y + hh - c.offset_y, c.to_original)
        if not _other_script_word(w.text):
            if trace is not None:
                trace.reading(w.text, w.conf, langs, box, "other-script pass: not written in those scripts")
        elif w.conf < OTHER_SCRIPT_MIN_CONF:
            if trace is not None:
                trace.reading(
                    w.text, w.conf, langs, box, f"other-script pass: confidence under {OTHER_SCRIPT_MIN_CONF:.0f}"
                )
        else:
            words.append(_Word(w.text, w.conf, box, -1000 - i, (-1000 - i, *w.line_key[1:]), c.region))
    return words


def _read_pages(pages: list[np.ndarray], lang: str) -> list[tuple[int, _Word]]:
    """Read each page as one text line, all in one Tesseract call (the pages of one TIFF file):
    words with their page number and their box in page pixels."""
    with tempfile.TemporaryDirectory(prefix="geoloc-ocr-") as tmp:
        path = Path(tmp) / "lines.tif"
        first, *rest = (Image.fromarray(p) for p in pages)
        first.save(path, save_all=True, append_images=rest, compression="tiff_lzw")
        try:
            data = pytesseract.image_to_data(
                str(path), lang=lang, config=LINE_CONFIG, output_type=pytesseract.Output.DICT
            )
        except pytesseract.TesseractError as exc:
            raise OCRError(f"tesseract failed on language {lang!r}: {exc.message}") from None
    out = []
    for i, raw in enumerate(data["text"]):
        text = _clean_token(raw)
        conf = float(data["conf"][i])
        if not text or conf < MIN_WORD_CONF:
            continue
        box = (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        key = (0, data["block_num"][i], data["par_num"][i], data["line_num"][i])
        out.append((data["page_num"][i] - 1, _Word(text, conf, box, 0, key, 0)))
    return out


def _line_region(line: Region, i: int, panels: list[Region]) -> int:
    """The region of detector line ``i``: the panel around it, or one of its own after the panels."""
    return next((k for k, p in enumerate(panels) if _in_panel(line, p)), len(panels) + i)


def _recognise(
    rgb: np.ndarray, lines: list[Region], panels: list[Region], scale: int, trace: Trace | None = None
) -> list[_Word]:
    """Read detector lines with the recognition network; words in original pixels, each line in
    the region of ``_line_region`` (the words dropped as noise are told to ``trace``)."""
    cuts = [_cut_colour(rgb, r) for r in lines]
    words: list[_Word] = []
    for i, ((_, to_orig), reading) in enumerate(
        zip(cuts, read_lines([c for c, _ in cuts], recognise.REC_MODEL), strict=True)
    ):
        region = _line_region(lines[i], i, panels)
        top, bottom = reading.band
        for text, conf, x0, x1 in reading.words:
            token = _clean_token(text)
            box = _original_box(x0, top, x1, bottom, to_orig, scale)
            if not token or conf < MIN_WORD_CONF:
                if trace is not None and text.strip():
                    trace.reading(text.strip(), conf, REC_LANG, box, _noise_why(token, conf))
                continue
            words.append(_Word(token, conf, box, -1 - i, (-1 - i, 0, 0, 0), region))
    return words


@lru_cache(maxsize=1)
def _recogniser_ready() -> bool:
    """True when the text-line recognition model is installed; else say so, once."""
    if recogniser_ready(recognise.REC_MODEL):
        return True
    log.warning(
        "text-line recognition model missing (%s; make setup fetches it): reading with Tesseract only",
        recognise.REC_MODEL.name,
    )
    return False


@lru_cache(maxsize=1)
def _line_detector_ready() -> bool:
    """True when the text-line model and onnxruntime are installed; else say so, once."""
    if not DET_MODEL.is_file():
        log.warning(
            "text-line detector model missing (%s; make setup fetches it): reading colour sign panels only",
            DET_MODEL.name,
        )
        return False
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        log.warning("onnxruntime is not installed: reading colour sign panels only")
        return False
    return True
