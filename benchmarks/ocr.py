"""OCR benchmark: place names read on generated sign scenes, geoloc vs whole-frame Tesseract.

    .venv/bin/python benchmarks/ocr.py --n 200 --seed 7 --jobs 1

Draws ``--n`` road scenes with ``tests.support.scenes.random_scenes`` (Ukrainian, Russian and EU
direction signs, city-limit signs, shop and warning distractors; 1600x1200, cap heights 12-50 px,
rotation, perspective, blur, JPEG quality 50-95, day or overcast), saves each as the JPEG a user
would have, and reads it twice:

* **geoloc**: ``load_image`` + ``geoloc.read.ocr.read_text`` (default languages eng+ukr+rus+bel;
  ``--readers`` picks Tesseract's passes over cleaned crops, the recognition network over the
  detector's lines, or both, the default);
* **baseline**: what a user would write, ``pytesseract.image_to_string(Image.open(p),
  lang="eng+ukr+rus")``.

``--hard`` draws harder scenes from the same sign generator: capitals of 12-24 px, dim light and
low contrast, blur of 1-2 px, JPEG quality 40-70, perspective tilt 0.15-0.35 and, where the
real-data folder has them, real camera photos behind the signs (``exif-mdx/images``, read in
place, never copied; the two photos with text are left out, as their text is not in the truth).

It prints Markdown tables: place-name recall (exact after case folding; within edit distance 1),
false words per image (words of 3+ characters that match no drawn text within edit distance 1),
median seconds per image, recall by sign kind and by cap height; then what both read on the real
photos with place text in ``../shared/realdata/exif-mdx`` when that folder exists.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402
from PIL import Image  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

import geoloc.read.ocr.reader  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.common.photo import load_image  # noqa: E402
from geoloc.read.ocr.reader import DEFAULT_LANGS, read_text  # noqa: E402
from tests.support.scenes import Scene, random_scenes, random_signs, render_scene  # noqa: E402

REAL = ROOT / ".." / "shared" / "realdata" / "exif-mdx" / "images"
REAL_PHOTOS = {"Sony DSC-HX5V (2).jpg": ["Alt Hammoor", "Hammoor"], "FujiFilm FinePixS1Pro (5).jpg": ["104", "Poole"]}
BASELINE_LANG = "eng+ukr+rus"
BACKGROUNDS = ROOT / ".." / "shared" / "realdata" / "exif-mdx" / "images"
HARD_CAP_PX = (12.0, 24.0)  # capitals of a sign 40-80 m away in a phone photo
HARD_BLUR = (1.0, 2.0)  # Gaussian sigma: camera shake, focus on the foreground
HARD_JPEG = (40, 71)  # a re-compressed copy (messengers, social networks)
HARD_TILT = (0.15, 0.35)  # a sign seen from the roadside, not head on
HARD_CONTRAST = (0.45, 0.7)  # dusk, haze, shade: the whole frame's contrast around its mean
HARD_LIGHT = (0.5, 0.8)  # and its brightness


def _backgrounds() -> list[Path]:
    """The camera photos behind hard scenes, in name order (none when the folder is absent)."""
    if not BACKGROUNDS.is_dir():
        return []
    return sorted(p for p in BACKGROUNDS.glob("*.jpg") if p.name not in REAL_PHOTOS)


def hard_scene(i: int, seed: int, backgrounds: list[Path]) -> Scene:
    """Hard scene ``i``: the signs of a random scene made small, tilted, dim, blurred and
    compressed, over a real photo when there are some. Depends only on ``(seed, i)``."""
    import dataclasses

    import numpy as np

    rng = np.random.default_rng([seed, i, 1])
    signs = [
        dataclasses.replace(s, cap_px=float(rng.uniform(*HARD_CAP_PX)), tilt=float(rng.uniform(*HARD_TILT)))
        for s in random_signs(rng)
    ]
    background = None
    if backgrounds:
        with Image.open(backgrounds[int(rng.integers(len(backgrounds)))]) as photo:
            photo.draft("RGB", (1600, 1200))  # a large JPEG decodes at a reduced size
            background = np.asarray(photo.convert("RGB"))
    scene_seed = int(rng.integers(2**31))
    image, texts = render_scene(
        signs, seed=scene_seed, lighting="overcast", blur=float(rng.uniform(*HARD_BLUR)), background=background
    )
    arr = np.asarray(image, np.float32)
    mean = arr.mean()
    arr = (mean + (arr - mean) * rng.uniform(*HARD_CONTRAST)) * rng.uniform(*HARD_LIGHT)
    image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    quality = int(rng.integers(*HARD_JPEG))
    return Scene(image=image, texts=texts, signs=signs, jpeg_quality=quality, seed=scene_seed, lighting="dim")


def _fold(s: str) -> str:
    return s.casefold().replace("’", "'")


def _unaccent(s: str) -> str:
    """Accents off (ö -> o, ś -> s; й and ї kept): how a gazetteer lookup folds Latin names."""
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _ngrams(words: list[str], nmax: int = 3) -> set[str]:
    return {" ".join(words[i : i + n]) for n in range(1, nmax + 1) for i in range(len(words))}


def _candidates_geoloc(spans) -> set[str]:
    """Span texts, plus consecutive spans of one line joined (a name split in two phrases)."""
    out = {_fold(s.text) for s in spans}
    by_line = defaultdict(list)
    for s in spans:
        by_line[(s.line, s.lang)].append(s)
    for group in by_line.values():
        group.sort(key=lambda s: s.box[0])
        out |= _ngrams([_fold(s.text) for s in group], 2)
    return out


def _candidates_baseline(text: str) -> set[str]:
    out: set[str] = set()
    for line in text.splitlines():
        words = [w.strip(".,:;!?()[]{}\"'«»|") for w in line.split()]
        out |= _ngrams([_fold(w) for w in words if w])
    return out


def _score(names: list[str], cands: set[str]) -> tuple[int, int, int]:
    exact = sum(_fold(n) in cands for n in names)
    folded = {_unaccent(c) for c in cands}
    unaccented = sum(_unaccent(_fold(n)) in folded for n in names)
    near = sum(any(Levenshtein.distance(_fold(n), c, score_cutoff=1) <= 1 for c in cands) for n in names)
    return exact, unaccented, near


def _false_words(read_words: list[str], truth_words: set[str]) -> int:
    bad = 0
    for w in read_words:
        w = _fold(w)
        if len(w) < 3:
            continue
        if not any(Levenshtein.distance(w, t, score_cutoff=1) <= 1 for t in truth_words):
            bad += 1
    return bad


def _one(args: tuple[int, int, str, bool, tuple[str, ...], str, tuple[str, ...], bool]) -> dict:
    i, seed, tmp, baseline, detectors, langs, readers, hard = args
    geoloc.read.ocr.reader.DETECTORS = detectors
    geoloc.read.ocr.reader.READERS = readers
    if hard:
        scene = hard_scene(i, seed, _backgrounds())
    else:
        scene = next(iter(random_scenes(1, seed + i * 1000003)))
    path = Path(tmp) / f"scene_{i:04d}.jpg"
    scene.save(path)
    names = scene.place_names
    truth_words = {_fold(w) for t in scene.texts for w in t.text.split()}
    t0 = time.perf_counter()
    spans = read_text(load_image(path), langs)
    t_geo = time.perf_counter() - t0
    cands = _candidates_geoloc(spans)
    ex, unacc, near = _score(names, cands)
    row = {
        "names": len(names),
        "geo_exact": ex,
        "geo_unacc": unacc,
        "geo_near": near,
        "geo_s": t_geo,
        "geo_false": _false_words([w for s in spans for w in s.text.split()], truth_words),
        "kinds": [],
        "caps": [],
    }
    for t in scene.texts:
        if t.role != "place":
            continue
        kind = scene.signs[t.sign].kind + (
            f" ({t.script})" if t.script == "lat" and "ua_" in scene.signs[t.sign].kind else ""
        )
        row["kinds"].append((kind, _fold(t.text) in cands))
        row["caps"].append((t.cap_px, _fold(t.text) in cands))
    if baseline:
        t0 = time.perf_counter()
        text = pytesseract.image_to_string(Image.open(path), lang=BASELINE_LANG)
        row["base_s"] = time.perf_counter() - t0
        bc = _candidates_baseline(text)
        row["base_exact"], row["base_unacc"], row["base_near"] = _score(names, bc)
        row["base_false"] = _false_words(text.split(), truth_words)
        row["base_kinds"] = [
            (k, _fold(t.text) in bc)
            for (k, _), t in zip(row["kinds"], [t for t in scene.texts if t.role == "place"], strict=False)
        ]
    path.unlink()
    return row


def _real() -> list[str]:
    out = [
        "",
        "### Real photos (exif-mdx)",
        "",
        "| Photo | Expected | geoloc read | geoloc s | baseline read | baseline s |",
        "|---|---|---|---|---|---|",
    ]
    for name, expected in REAL_PHOTOS.items():
        p = REAL / name
        if not p.exists():
            out.append(f"| {name} | {', '.join(expected)} | (absent) | | | |")
            continue
        t0 = time.perf_counter()
        spans = read_text(load_image(p))
        tg = time.perf_counter() - t0
        t0 = time.perf_counter()
        base = pytesseract.image_to_string(Image.open(p), lang=BASELINE_LANG)
        tb = time.perf_counter() - t0
        geo = "; ".join(f"{s.text} ({s.confidence:.0f})" for s in spans) or "(nothing)"
        bw = " ".join(base.split())
        out.append(f"| {name} | {', '.join(expected)} | {geo} | {tg:.2f} | {bw[:160] or '(nothing)'} | {tb:.2f} |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    ap.add_argument("--n", type=int, default=200, help="number of scenes (default 200)")
    ap.add_argument("--seed", type=int, default=7, help="scene seed (default 7)")
    ap.add_argument("--jobs", type=int, default=1, help="parallel processes (default 1: fair timings)")
    ap.add_argument(
        "--detectors", default="panels,lines", help="region finders for geoloc: panels, lines or panels,lines (default)"
    )
    ap.add_argument(
        "--readers",
        default="tesseract,rec",
        help="readers for geoloc: tesseract, rec (the recognition network) or tesseract,rec (default)",
    )
    ap.add_argument(
        "--hard", action="store_true", help="hard scenes: small, dim, blurred, compressed, real backgrounds"
    )
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline (faster)")
    ap.add_argument("--no-real", action="store_true", help="skip the real photos")
    ap.add_argument("--lang", default=DEFAULT_LANGS, help=f"geoloc's OCR languages (default {DEFAULT_LANGS})")
    args = ap.parse_args()
    detectors = tuple(args.detectors.split(","))
    readers = tuple(args.readers.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        work = [
            (i, args.seed, tmp, not args.no_baseline, detectors, args.lang, readers, args.hard) for i in range(args.n)
        ]
        if args.jobs > 1:
            with Pool(args.jobs) as pool:
                rows = pool.map(_one, work, chunksize=1)
        else:
            rows = [_one(w) for w in work]
    n_names = sum(r["names"] for r in rows)
    print(header_line(f", tesseract {pytesseract.get_tesseract_version()}") + "\n")
    print(
        f"{args.n} {'hard' if args.hard else 'clear'} scenes"
        + (f" ({len(_backgrounds())} real backgrounds)" if args.hard else "")
        + f", {n_names} place names, seed {args.seed}, jobs {args.jobs}, "
        f"detectors {args.detectors}, readers {args.readers}, languages {args.lang}\n"
    )
    print(
        "| Pipeline | exact recall | exact, accents folded | recall (edit distance <= 1) | "
        "false words / image | median s / image |"
    )
    print("|---|---|---|---|---|---|")
    pipes = [(f"geoloc ({'+'.join(detectors)}; {'+'.join(readers)})", "geo")]
    if not args.no_baseline:
        pipes.append((f"baseline: image_to_string(whole photo, {BASELINE_LANG})", "base"))
    for label, k in pipes:
        ex = sum(r[f"{k}_exact"] for r in rows) / n_names
        unacc = sum(r[f"{k}_unacc"] for r in rows) / n_names
        near = sum(r[f"{k}_near"] for r in rows) / n_names
        false = statistics.mean(r[f"{k}_false"] for r in rows)
        med = statistics.median(r[f"{k}_s"] for r in rows)
        print(f"| {label} | {ex:.3f} | {unacc:.3f} | {near:.3f} | {false:.2f} | {med:.2f} |")
    if not args.no_baseline:
        ratio = statistics.median(r["geo_s"] for r in rows) / statistics.median(r["base_s"] for r in rows)
        print(f"\ngeoloc / baseline median time: {ratio:.2f}")
    print("\n| Sign kind (names) | geoloc exact | baseline exact |\n|---|---|---|")
    kinds = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        for j, (kind, ok) in enumerate(r["kinds"]):
            kinds[kind][0] += 1
            kinds[kind][1] += ok
            if "base_kinds" in r:
                kinds[kind][2] += r["base_kinds"][j][1]
    for kind, (n, g, b) in sorted(kinds.items()):
        print(f"| {kind} ({n}) | {g / n:.3f} | {b / n:.3f} |")
    print("\n| Cap height px (names) | geoloc exact |\n|---|---|")
    caps = defaultdict(lambda: [0, 0])
    for r in rows:
        for cap, ok in r["caps"]:
            b = "12-20" if cap < 20 else "20-30" if cap < 30 else "30-40" if cap < 40 else "40+"
            caps[b][0] += 1
            caps[b][1] += ok
    for b in ("12-20", "20-30", "30-40", "40+"):
        if b in caps:
            print(f"| {b} ({caps[b][0]}) | {caps[b][1] / caps[b][0]:.3f} |")
    if not args.no_real and REAL.exists():
        print("\n".join(_real()))


if __name__ == "__main__":
    main()
