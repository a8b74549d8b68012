"""Ukraine's official settlement register on signs: does a sign's line alone name the settlement?

A Ukrainian road sign writes a destination twice: in Ukrainian, and under it in the national
romanisation (KMU-55 of 2010: "Запоріжжя / Zaporizhzhia"). Either line may be the only one read
(the other worn, hidden or misread), and the gazetteer (GeoNames) often spells the places another
way ("Zaporizhzhya") or holds a village whose own name is the sign's spelling (a Zaporizhzhia of
656 people). This benchmark takes every settlement of the official register (KATOTTG, 2024:
cities, towns and villages; ``../shared/realdata/katottg-ua``, see its SOURCE.md) whose Ukrainian
name some Ukrainian place of the gazetteer bears, and reads a one-row direction sign "NAME 50"
through geoloc's inference twice:

  cyrillic   the Ukrainian line alone, as the register writes it (the baseline)
  latin      the romanised line alone (geoloc's KMU-55 romanisation of the register's name)

and counts the answers centred within ``NEAR_KM`` of a Ukrainian place of that name ("named"),
within ``NEAR_KM`` of the largest of them ("the largest": with nothing else on the photo the
likeliest, by the size a sign's destination tends to have), and the confident misses: at
``CONFIDENT`` or more, centred farther than ``MISS_KM`` from every place of that name. The
register has no coordinates, so a settlement is only known to be one of the places of its name.

    python benchmarks/register_signs.py
    python benchmarks/register_signs.py --categories M --verbose
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.header import header_line  # noqa: E402
from benchmarks.support.tables import share  # noqa: E402
from geoloc.common.geodesy import haversine_km  # noqa: E402
from geoloc.common.text import normalise  # noqa: E402
from geoloc.infer import infer  # noqa: E402
from geoloc.model import Estimate, Mention, Metadata, Place  # noqa: E402
from geoloc.pipeline import Settings  # noqa: E402
from geoloc.places.protocol import Gazetteer  # noqa: E402
from geoloc.places.translit import romanise  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "katottg-ua"
CATEGORIES = {"M": "cities", "X": "towns (селища)", "C": "villages", "K": "cities of special status"}
KM = 50
"""The distance on every sign: within reach of a day's road, as on most destination rows."""
NEAR_KM = 15.0
"""An answer centred this near a place is about that place: a town's built-up area."""
MISS_KM = 50.0
CONFIDENT = 0.5


def _sign(text: str) -> list[Mention]:
    """One sign row read as ``text`` beside its distance, as geoloc's reader makes it."""
    return [Mention(readings=(text,), kind="ocr", distance_km=float(KM), box=(10, 10, 200, 30), confidence=90.0)]


def _places_named(gz: Gazetteer, name: str) -> list[Place]:
    """The gazetteer's Ukrainian settlements one of whose names is ``name``."""
    key = normalise(name)
    return [
        p
        for p in gz.lookup_exact(name)
        if p.kind == "city" and p.country_code == "UA" and any(normalise(n) == key for n in gz.names(p.geonameid))
    ]


def _judge(e: Estimate | None, same: list[Place]) -> tuple[bool, bool, bool]:
    """(named, at the largest, confident miss) for one answer."""
    if e is None:
        return False, False, False
    km = [haversine_km(e.lat, e.lon, p.lat, p.lon) for p in same]
    largest = max(range(len(same)), key=lambda i: same[i].population)
    miss = min(km) > MISS_KM and e.confidence >= CONFIDENT
    return min(km) <= NEAR_KM, km[largest] <= NEAR_KM, miss


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with settlements_flat.tsv")
    ap.add_argument(
        "--categories", default="M,X,C", help="register categories: M cities, X towns, C villages (default %(default)s)"
    )
    ap.add_argument("--json", type=Path, help="also write every settlement's outcome here")
    ap.add_argument("--verbose", action="store_true", help="print each line not named at the largest (stderr)")
    args = ap.parse_args(argv)
    table_file = args.data / "settlements_flat.tsv"
    if not table_file.is_file():
        ap.error(f"no settlements_flat.tsv in {args.data} (give the katottg-ua folder with --data)")
    categories = [c for c in args.categories.split(",") if c]
    if not categories or any(c not in CATEGORIES for c in categories):
        ap.error(f"unknown categories {args.categories!r}; expected some of {', '.join(CATEGORIES)}")

    gz = Settings().gazetteer()
    started = time.perf_counter()
    with table_file.open(encoding="utf-8", newline="") as f:
        register = [r for r in csv.DictReader(f, delimiter="\t") if r["category"] in categories]
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    rows = []
    for r in register:
        c = counts[r["category"]]
        c["settlements"] += 1
        name = r["name_uk"]
        same = _places_named(gz, name)
        if not same:
            continue
        c["in gazetteer"] += 1
        latin = romanise(name, "uk-2010")
        outcome = {}
        for line, text in (("cyrillic", name), ("latin", latin)):
            e = infer(_sign(text), Metadata(), None, gz).estimate
            named, largest, miss = _judge(e, same)
            c[f"{line} named"] += named
            c[f"{line} largest"] += largest
            c[f"{line} miss"] += miss
            outcome[line] = {"named": named, "largest": largest, "confident_miss": miss}
            if not largest and args.verbose:
                print(f"{line}: {text} -> {e.explanation if e else 'no estimate'}", file=sys.stderr)
        rows.append({"name": name, "latin": latin, "category": r["category"], "oblast": r["oblast"], **outcome})

    print(header_line())
    print(f"register rows read: {len(register)}; sign 'NAME {KM}'\n")
    print(
        "| category | settlements | a Ukrainian place of the name in the gazetteer | "
        "Cyrillic line: named / the largest | Latin line: named / the largest | Latin / Cyrillic (the largest) | "
        f"confident misses (>= {CONFIDENT}, > {MISS_KM:.0f} km) Cyrillic / Latin |"
    )
    print("|---|---|---|---|---|---|---|")
    for cat in categories:
        c = counts[cat]
        n = c["in gazetteer"]
        ratio = f"{c['latin largest'] / c['cyrillic largest']:.2f}" if c["cyrillic largest"] else "-"
        print(
            f"| {CATEGORIES[cat]} | {c['settlements']} | {share(n, c['settlements'])} | "
            f"{share(c['cyrillic named'], n)} / {share(c['cyrillic largest'], n)} | "
            f"{share(c['latin named'], n)} / {share(c['latin largest'], n)} | {ratio} | "
            f"{c['cyrillic miss']} / {c['latin miss']} |"
        )
    print(f"\nwall time {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
