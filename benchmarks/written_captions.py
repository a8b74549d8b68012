"""Captions as publications write them: does geoloc put the photo where the caption says?

``benchmarks/captions.py`` writes its captions from templates around drawn towns; real captions
are less regular. This benchmark reads 749 captions and passages written by hand, apart from geoloc's code
and templates, in the styles of news agencies (Reuters, AP, AFP, Ukrinform, TASS), Telegram
channels (emoji, hashtags, signatures, donation links), local news and military bloggers, in
English, Ukrainian and Russian (``data/captions/written.json``). Each gives the place where the
photo was taken with its coordinates and a radius within which an answer counts as right (a
town 25 km, a region about 150 km), or none when the caption does not say where the photo was
taken.

They hold what real captions hold: declined names ("під Курськом", "на Сумщині"), old and
Russian names of Ukrainian towns ("Артемовск"), several places of which one is the photo's
("Residents of Kharkiv who fled Vovchansk"), a town and its region ("Золочів Харківської
області"), regions only, borders and distances, and words that look like places and are not:
people, outlets, companies, teams, weapons, units, streets ("вулиця Київська"), acronyms
("КАБ", "ППО"). Set ``captions`` is 50 captions per language; set ``variants`` holds 64 more:
captions that name no place, and small variants of the others (a full stop for an emoji, the
region added), written to find what decides an answer. Set ``fresh`` holds 210 more (20 a
language three times, then 10 a language in the styles of photo agencies' captions: AFP, Getty,
EPA, AP, Reuters, Ukrinform, RIA; three to eight in each batch naming no place where the photo
is), written on 2026-12-06 by hand apart from geoloc's code in four batches, each measured before
the changes it led to: they name places in Russia, Belarus, Poland, Lithuania, Estonia, Moldova
and Georgia as well, credit offices and
press services, put protests, funerals and evacuees in another town than the one they are about,
and give points by distance and direction from a town, old and Russian names, headlines in
capitals and Telegram posts. Set ``articles`` holds 75 passages of two to five sentences (25 a
language, in two batches of 45 and 30), as an article or a long post beside a photo writes them,
naming two to five places of which one is the photo's (a "Pictured:" line, or the main event
against where a missile was launched, officials spoke or soldiers come from; agency datelines),
or none where the photo is "illustrative"; written the same way and measured before the changes
they led to. Set ``landmarks`` holds 45 captions (15 a
language) that name the photo's place only by a landmark or an institution: one named after its
town ("Chernihiv Drama Theatre", "Одесский оперный театр", "Сумська обласна лікарня"), one named
after no town ("the Bolshoi Theatre") or after another town than its own (Moscow's Kievsky
station), or none; written on 2026-12-06 the same way and measured before the change it led to.
Set ``posts`` holds 45 posts (15 a language) laid out in lines as channels and feeds lay them out:
the place alone on the first line ("KHARKIV", "Сумщина 🔴", "#Бахмут"), a headline's parts
parted by a bar, a credit or a call to subscribe on a line of its own, lists of places one a
line, and prose wrapped by hand mid-sentence ("у\nНікополі"); written on 2026-12-06 the same
way and measured before the change it led to. Set ``checks`` holds 30 (10 a language) as
fact-checkers and geolocation threads write them: coordinates, "Geolocated:", a place the photo
is said not to be beside the one it is ("снято не в Курске, а в Харькове", "видають це за
Харків, але насправді це Бєлгород"), or none where the place could not be verified; written and
measured the same way. Set ``world`` holds 30 (20 in English, 5 in Ukrainian, 5 in Russian) about
places beyond Ukraine, Russia and Belarus (Gaza, Antakya, Derna, Khartoum, Lahaina, Valencia,
Portland, Tripoli, Alexandria), many of them sharing their name with larger or smaller places
abroad; written and measured the same way. Set ``addresses`` holds 30 (10 a language) that give
a street address, a district or a settlement by its abbreviation ("вул. Сумській, 25 у Харкові",
"н.п. Очеретине Покровського р-ну", "в г. Шебекино Белгородской обл.") as local news, emergency
services and military bloggers write them; written the same way and run with no change after it.
Set ``videos`` holds 30 titles of videos and streams (10 a language: "Drone footage | Bakhmut |
4K", "ЗАПОРІЖЖЯ | Вибухи в місті", "ПРОГУЛКА ПО МОСКВЕ | Патриаршие пруды"), written and run the
same way, with no change after it. Set ``headlines`` holds 20 English headlines in title case
("Power Outages Hit Odesa As Winter Sets In"), written by hand after a first change for such
headlines and measured against the code before it. Set ``mixed`` holds 20 posts that mix
alphabets and registers (Ukrainian typed in Latin letters, English hashtags on Cyrillic posts,
spoken Ukrainian and Russian, a Belarusian caption), written and run the same way, with no change
after it.

The captions were written before geoloc's caption rules of 2026-12-04 and those rules were
written after reading its misses: the figures since are those of a development set. A
caption goes through geoloc's own pipeline (``conclude`` on a photo report with no text read),
and so does the baseline, in the same run, with lemmatisation off (as ``captions.py``'s).

Per language and set: captions, estimates made, right (within the caption's radius), no
estimate where a place was given, more than 500 km off, no-place captions stated at >= 0.3, and
the reliability table (confidence bins against the share right).

    python benchmarks/written_captions.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.captions import lemmas_disabled  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.common.geodesy import haversine_km  # noqa: E402
from geoloc.model import PhotoReport  # noqa: E402
from geoloc.pipeline import Settings, conclude  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "captions" / "written.json"
LANGS = ("en", "uk", "ru")
SETS = (
    "captions",
    "variants",
    "fresh",
    "articles",
    "landmarks",
    "posts",
    "checks",
    "world",
    "addresses",
    "videos",
    "headlines",
    "mixed",
)
MODES = ("geoloc", "no lemmas")
FAR_KM = 500.0
"""An answer this far off is in another region or country: the error an analyst cannot afford."""
STATED = 0.3
"""From this confidence an answer is put forward; a caption naming no place must stay under it."""
BINS = ((0.0, 0.3), (0.3, 0.5), (0.5, 0.8), (0.8, 1.01))


@dataclass(frozen=True)
class Row:
    """One caption's outcome in one mode."""

    id: str
    lang: str
    set: str
    mode: str
    text: str
    truth: str | None
    confidence: float | None
    error_km: float | None
    right: bool
    explanation: str | None


def load(path: Path) -> list[dict[str, Any]]:
    """The captions with their truth, checked."""
    cases = json.loads(path.read_text(encoding="utf-8"))
    for c in cases:
        if c["lang"] not in LANGS or c["set"] not in SETS or not c["text"].strip():
            raise SystemExit(f"{path.name}: caption {c.get('id')!r} is malformed")
    return cases


def run(case: dict[str, Any], mode: str) -> Row:
    """The caption through geoloc: the estimate of a photo with nothing read in it."""
    report = conclude(PhotoReport(path=case["id"]), Settings(context_text=case["text"]))
    est, truth = report.estimate, case["truth"]
    err = haversine_km(est.lat, est.lon, truth["lat"], truth["lon"]) if est and truth else None
    if truth is None:
        right = est is None or est.confidence < STATED
    else:
        right = err is not None and err <= truth["radius_km"]
    return Row(
        case["id"],
        case["lang"],
        case["set"],
        mode,
        case["text"],
        truth["name"] if truth else None,
        est.confidence if est else None,
        None if err is None else round(err, 1),
        right,
        est.explanation if est else None,
    )


def table(rows: Sequence[Row]) -> list[str]:
    """The per-language, per-set lines of the main table."""
    out = [
        "| mode | set | lang | captions | estimates | right | no estimate (place given) | > 500 km "
        "| no place, stated >= 0.3 |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for mode in MODES:
        for set_ in SETS:
            for lang in (*LANGS, "all"):
                sel = [r for r in rows if r.mode == mode and r.set == set_ and lang in (r.lang, "all")]
                if not sel:
                    continue
                placed = [r for r in sel if r.truth is not None]
                out.append(
                    f"| {mode} | {set_} | {lang} | {len(sel)} | {sum(r.confidence is not None for r in sel)} "
                    f"| {sum(r.right for r in sel)}/{len(sel)} ({sum(r.right for r in sel) / len(sel):.0%}) "
                    f"| {sum(r.confidence is None for r in placed)} "
                    f"| {sum(r.error_km is not None and r.error_km > FAR_KM for r in placed)} "
                    f"| {sum(r.truth is None and (r.confidence or 0) >= STATED for r in sel)} |"
                )
    return out


def reliability(rows: Sequence[Row]) -> list[str]:
    """Confidence bins against the share of answers right, geoloc's answers with a place given."""
    out = ["| lang | " + " | ".join(f"{a:.1f}-{min(b, 1):.1f}" for a, b in BINS) + " |", "|---|" + "---:|" * len(BINS)]
    for lang in (*LANGS, "all"):
        sel = [
            r for r in rows if r.mode == "geoloc" and r.truth and r.confidence is not None and lang in (r.lang, "all")
        ]
        cells = []
        for a, b in BINS:
            inside = [r for r in sel if a <= (r.confidence or 0) < b]
            cells.append(f"{sum(r.right for r in inside)}/{len(inside)}" if inside else "-")
        out.append(f"| {lang} | " + " | ".join(cells) + " |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--data", type=Path, default=DATA, help="the captions file (default: %(default)s)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="write every caption's row to FILE")
    ap.add_argument("--misses", action="store_true", help="print geoloc's wrong answers, one a line, to stderr")
    args = ap.parse_args()
    cases = load(args.data)
    t0 = time.perf_counter()
    rows: list[Row] = []
    for mode in MODES:
        with lemmas_disabled() if mode == "no lemmas" else nullcontext():
            rows += [run(c, mode) for c in cases]
    print(header_line())
    print(f"{len(cases)} captions from {args.data.name}\n")
    print("\n".join(table(rows)))
    print("\nReliability: geoloc's answers to captions that give a place, right / stated, by confidence\n")
    print("\n".join(reliability(rows)))
    print(f"\nwall time {time.perf_counter() - t0:.0f} s")
    if args.misses:
        for r in rows:
            if r.mode == "geoloc" and not r.right:
                print(f"{r.id}\t{r.truth}\t{r.error_km}\t{r.confidence}\t{r.explanation}\t{r.text}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
