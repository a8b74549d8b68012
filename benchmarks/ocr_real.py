"""OCR on real photographs: the place names geoloc reads, against whole-frame Tesseract.

Generated scenes (``benchmarks/ocr.py``) share the assumptions of the code they measure; these
photos do not. They are third-party photographs read in place from the real-data folder
(``--data``, default ``../shared/realdata`` beside the repository; never copied):

* ``sign-photos/``: 21 photos of road signs, hiking guideposts, street-name blades, subway
  signs, shop fronts and building lettering (France, USA, Korea, Japan, China, Thailand,
  Austria); its ``truth.json`` lists the place names a person reads in each (``names``) and,
  for some, the other legible text (``text``);
* ``exif-mdx/images/``: the two camera photos of that set with place text (a German street
  sign, "Alt Hammoor"; a bus display, "104 Poole"), transcribed here as ``EXIF_MDX``.

How they differ from what geoloc's reader assumes:

  geoloc's reader assumes                     these photos have
  ------------------------------------------  --------------------------------------------------
  Latin or Cyrillic letters                   also Hangul, Chinese, Japanese and Thai
  signs on coloured or white panels           wooden guideposts, subway friezes, lit displays,
                                              building lettering, brown and dark panels
  capitals 12-50 px in a 1600x1200 frame      420 px cube faces up to a 3840x2160 frame with
                                              street blades of 20 px; a collage of four frames
  one sign, level or tilted +-8 degrees       finger-posts at an angle, several signs per post

Each photo is read in two forms: the **original** file, and the **messenger** copy an analyst
usually gets (upright, metadata stripped, longest side at most 1280 px, JPEG quality 82: made
by ``benchmarks.real_signs.messenger_copy``, so both real-photo benchmarks read the same copies).
Each form is read by each pipeline, one after the other in the same run:

* **geoloc**: ``load_image`` + ``geoloc.read.ocr.read_text`` with its default languages;
* **geoloc-tesseract** (on request): the same with Tesseract as its only reader, to show what
  the recognition network adds;
* **baseline**: what a user would write, ``pytesseract.image_to_string(path, lang="eng+ukr+rus")``.

Scores, per form and pipeline:

* **exact** name recall: the name, as written, is a run of whole words of one reading (a span;
  the spans of one line joined; a line of the baseline's text; and each such line joined to the
  next one or two lines of its sign, since a name may be set on several lines);
* **folded** name recall: the same after ``geoloc.common.text.normalise`` on both sides (case,
  accents, hyphens and punctuation folded, as the gazetteer folds names); names outside the Latin
  alphabet may sit anywhere in a reading (Chinese and Japanese write no spaces);
* **false words / photo**: words of 3+ letters or digits read that are within one edit of no word
  of the photo's transcribed names and text (junk, wrong-script readings, and any legible text
  the transcription leaves out, the same for both pipelines);
* **seconds / photo**: wall time of the read, median over photos, median over the photos of
  1280-1600 px on their longest side, and for the largest frame.

Run from the repository root (about two minutes on 2 cores):

    OMP_THREAD_LIMIT=1 nice -n 10 .venv/bin/python benchmarks/ocr_real.py [--forms original,messenger]
        [--data DIR] [--pipelines geoloc,geoloc-tesseract,baseline] [--show]

It prints the header line (machine, date, command), a summary table per form, and a table per
photo and form with the names each pipeline read; ``--show`` adds what geoloc read in each photo.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # measure the tree the script is in
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402
from PIL import Image  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from benchmarks.real_signs import messenger_copy  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.common.photo import load_image  # noqa: E402
from geoloc.common.text import normalise  # noqa: E402
from geoloc.read.ocr import reader  # noqa: E402
from geoloc.read.ocr.reader import read_text  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
FORMS = ("original", "messenger")
BASELINE_LANG = "eng+ukr+rus"
"""The languages a user of plain Tesseract would pass for the signs geoloc is made for."""

EXIF_MDX = {
    "Sony DSC-HX5V (2).jpg": {"names": ["Alt Hammoor"], "text": ["62-42", "38-1", "Notruf 112"]},
    "FujiFilm FinePixS1Pro (5).jpg": {"names": ["Poole"], "text": ["104", "Wilts & Dorset"]},
}
"""The two exif-mdx photos with place text, transcribed by eye like sign-photos/truth.json."""

MID_SIDE = (1280, 1600)
"""Longest sides of the photos a speed goal is set for (a messenger copy, a phone photo)."""
MIN_WORD = 3
"""Words shorter than this are not counted as false: single letters and two-digit numbers are
everywhere in a street scene and say nothing about a place."""


@dataclass
class Photo:
    """A photo to read and what a person reads in it."""

    key: str  # "sign-photos/easyocr/french.jpg"
    path: Path
    names: list[str]
    text: list[str]


@dataclass
class Reading:
    """One pipeline's reading of one photo in one form, scored."""

    photo: Photo
    form: str
    pipeline: str
    size: tuple[int, int]
    lines: list[str] = field(default_factory=list)  # every reading: spans, and spans of a line joined
    words: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def found(self, *, folded: bool) -> list[str]:
        return [n for n in self.photo.names if name_in(n, self.lines, folded=folded)]

    def false_words(self) -> int:
        truth = {normalise(w) for t in self.photo.names + self.photo.text for w in normalise(t).split()}
        bad = 0
        for word in self.words:
            w = normalise(word).replace(" ", "")
            if sum(ch.isalnum() for ch in w) < MIN_WORD:
                continue
            if not any(Levenshtein.distance(w, t, score_cutoff=1) <= 1 for t in truth):
                bad += 1
        return bad


def name_in(name: str, lines: Sequence[str], *, folded: bool) -> bool:
    """The name as a run of whole words of some reading (anywhere, outside the Latin alphabet)."""
    key = normalise(name) if folded else " ".join(name.split())
    if not key:
        return False
    for line in lines:
        text = normalise(line) if folded else " ".join(line.split())
        if f" {key} " in f" {text} " or (not key.isascii() and key in text):
            return True
    return False


def load_photos(data: Path) -> list[Photo]:
    """sign-photos with a truth entry, then the exif-mdx photos with place text (those present)."""
    photos = []
    truth_file = data / "sign-photos" / "truth.json"
    if truth_file.is_file():
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        for key, t in sorted(truth.items()):
            photos.append(
                Photo(
                    f"sign-photos/{key}", data / "sign-photos" / key, list(t.get("names", [])), list(t.get("text", []))
                )
            )
    for name, t in EXIF_MDX.items():
        path = data / "exif-mdx" / "images" / name
        if path.is_file():
            photos.append(Photo(f"exif-mdx/{name}", path, t["names"], t["text"]))
    return photos


NAME_LINES = 3
"""A name may be set on up to this many lines of a sign ("CHEMIN" / "DES" / "PRATS")."""


def with_next_lines(lines: Sequence[str]) -> list[str]:
    """The lines, plus each line joined to the next one or two: a name set on several lines of a
    sign ("Croix de" over "Servagnet") is one name to a person, and to the transcription."""
    return [" ".join(lines[i : i + n]) for n in range(1, NAME_LINES + 1) for i in range(len(lines) - n + 1)]


def read_geoloc(
    path: Path, readers: tuple[str, ...] = ("tesseract", "rec")
) -> tuple[list[str], list[str], tuple[int, int]]:
    """geoloc's spans, and each line's spans joined (per pass, with the next line of the same
    sign), and the words read."""
    image = load_image(path)
    reader.READERS = readers
    spans = read_text(image)
    by_line: dict[tuple[int, int, str], list] = {}
    for s in spans:
        by_line.setdefault((s.region, s.line, s.lang), []).append(s)
    lines = [s.text for s in spans]
    by_sign: dict[tuple[int, str], list[str]] = {}
    for (region, _, lang), group in sorted(by_line.items()):
        by_sign.setdefault((region, lang), []).append(" ".join(s.text for s in sorted(group, key=lambda s: s.box[0])))
    for sign_lines in by_sign.values():
        lines += with_next_lines(sign_lines)
    return lines, [w for s in spans for w in s.text.split()], image.size


def read_baseline(path: Path) -> tuple[list[str], list[str], tuple[int, int]]:
    """Whole-frame Tesseract on the file (a path: ``Image.open`` objects of camera MPO files are
    refused by pytesseract): its text lines, each with the next, and its words."""
    text = pytesseract.image_to_string(str(path), lang=BASELINE_LANG)
    with Image.open(path) as image:
        size = image.size
    lines = [line for line in text.splitlines() if line.strip()]
    return with_next_lines(lines), text.split(), size


PIPELINES: dict[str, Callable[[Path], tuple[list[str], list[str], tuple[int, int]]]] = {
    "geoloc": read_geoloc,
    "geoloc-tesseract": lambda path: read_geoloc(path, ("tesseract",)),
    "baseline": read_baseline,
}
"""geoloc as it reads by default; geoloc with Tesseract alone (without the recognition network);
whole-frame Tesseract."""


def run(photos: Sequence[Photo], forms: Sequence[str], pipelines: Sequence[str]) -> list[Reading]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, photo in enumerate(photos):
            for form in forms:
                path = photo.path
                if form == "messenger":
                    path = Path(tmp) / f"{i:03d}.jpg"
                    messenger_copy(photo.path, path)
                for name in pipelines:
                    t0 = time.perf_counter()
                    lines, words, size = PIPELINES[name](path)
                    seconds = time.perf_counter() - t0
                    out.append(Reading(photo, form, name, size, lines, words, seconds))
                    print(f"{photo.key} [{form}] {name}: {seconds:.2f} s", file=sys.stderr)
    return out


def _ratio(n: int, of: int) -> str:
    return f"{n / of:.2f} ({n}/{of})" if of else "—"


def print_summary(readings: Sequence[Reading], forms: Sequence[str], pipelines: Sequence[str]) -> None:
    """One row per photo set, form and pipeline: the sets are kept apart because the goals are
    stated on sign-photos."""
    print(
        "| set | form | pipeline | photos | names | exact recall | folded recall | false words / photo "
        "| median s / photo | median s, 1280-1600 px (photos) | s, largest frame (px) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for group in dict.fromkeys(r.photo.key.split("/")[0] for r in readings):
        for form in forms:
            for name in pipelines:
                rs = [r for r in readings if r.form == form and r.pipeline == name and r.photo.key.startswith(group)]
                if not rs:
                    continue
                n = sum(len(r.photo.names) for r in rs)
                largest = max(rs, key=lambda r: r.size[0] * r.size[1])
                mid = [r.seconds for r in rs if MID_SIDE[0] <= max(r.size) <= MID_SIDE[1]]
                mid_cell = f"{statistics.median(mid):.2f} ({len(mid)})" if mid else "—"
                print(
                    f"| {group} | {form} | {name} | {len(rs)} | {n} "
                    f"| {_ratio(sum(len(r.found(folded=False)) for r in rs), n)} "
                    f"| {_ratio(sum(len(r.found(folded=True)) for r in rs), n)} "
                    f"| {statistics.mean(r.false_words() for r in rs):.2f} "
                    f"| {statistics.median(r.seconds for r in rs):.2f} | {mid_cell} "
                    f"| {largest.seconds:.2f} ({largest.size[0]}x{largest.size[1]}) |"
                )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_photos(readings: Sequence[Reading], forms: Sequence[str], pipelines: Sequence[str]) -> None:
    cols = " | ".join(f"{p} folded | {p} false | {p} s" for p in pipelines)
    print(f"| photo | form | px | names | {cols} |")
    print("|---|---|---|---|" + "---|" * 3 * len(pipelines))
    by = {(r.photo.key, r.form, r.pipeline): r for r in readings}
    for photo in dict.fromkeys(r.photo.key for r in readings):
        for form in forms:
            rs = [by.get((photo, form, p)) for p in pipelines]
            if any(r is None for r in rs):
                continue
            first = rs[0]
            assert first is not None
            cells = " | ".join(
                f"{len(r.found(folded=True))}/{len(r.photo.names)} | {r.false_words()} | {r.seconds:.2f}"
                for r in rs
                if r is not None
            )
            print(
                f"| {_cell(photo)} | {form} | {first.size[0]}x{first.size[1]} "
                f"| {_cell(', '.join(first.photo.names)) or '—'} | {cells} |"
            )


def print_show(readings: Sequence[Reading]) -> None:
    for r in readings:
        if not r.pipeline.startswith("geoloc"):
            continue
        found = r.found(folded=True)
        missed = [n for n in r.photo.names if n not in found]
        print(f"- {r.photo.key} [{r.form}] {r.pipeline} read: {_cell(' / '.join(r.lines[:40]))}; missed: {missed}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the real-data folder (default %(default)s)")
    ap.add_argument("--forms", default=",".join(FORMS), help="comma-separated subset of " + ", ".join(FORMS))
    ap.add_argument(
        "--pipelines",
        default="geoloc,baseline",
        help="comma-separated subset of " + ", ".join(PIPELINES) + " (default %(default)s)",
    )
    ap.add_argument("--only", default="", help="read only photos whose key contains this text")
    ap.add_argument("--show", action="store_true", help="also list what geoloc read in each photo")
    args = ap.parse_args()
    forms = [f for f in args.forms.split(",") if f]
    unknown = sorted(set(forms) - set(FORMS))
    if unknown:
        ap.error(f"unknown form(s): {', '.join(unknown)}")
    photos = [p for p in load_photos(args.data) if args.only in p.key]
    if not photos:
        ap.error(f"no photos found under {args.data} (give the real-data folder with --data)")
    pipelines = [p for p in args.pipelines.split(",") if p]
    if not pipelines or set(pipelines) - set(PIPELINES):
        ap.error(f"unknown pipeline(s) in {args.pipelines!r}")
    readings = run(photos, forms, pipelines)
    print(header_line(f", tesseract {pytesseract.get_tesseract_version()}") + "\n")
    print_summary(readings, forms, pipelines)
    print()
    print_photos(readings, forms, pipelines)
    if args.show:
        print()
        print_show(readings)


if __name__ == "__main__":
    main()
