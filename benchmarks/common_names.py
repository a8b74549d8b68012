"""Distance signs of common village names with random numbers: how often does geoloc state a place anyway?

Ukraine and Russia have dozens of villages called Іванівка, Петрівка or Покровка. A sign listing
two to four of them with road distances fits some set of their namesakes almost whatever its
numbers, because the rings of two places meet whenever the places lie between the difference and
the sum of the distances apart. This benchmark reads such signs, with every number drawn at
random (5-150 km, nearest first, as a distance sign lists its towns), straight into inference:
the readings are exact, no OCR damage, so only the choice among namesakes is measured. No camera
stands behind these signs: a good answer is none, or a low confidence that says other sets of
places fit too. The table gives, per number of rows, the share stated at >= 0.3 and >= 0.5.

The names are the commonest settlement names of Ukraine (in Ukrainian) and Russia (in Russian),
each naming 10-24 places in the offline gazetteer; they are benchmark data, in no list the code
reads.

    OMP_THREAD_LIMIT=1 python benchmarks/common_names.py --signs 200
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.claims import LEVELS, add_seeds  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.infer import infer  # noqa: E402
from geoloc.model import Mention, Metadata  # noqa: E402
from geoloc.places import get_gazetteer  # noqa: E402

UKRAINIAN = (
    "Іванівка Петрівка Михайлівка Олександрівка Миколаївка Вознесенка Покровка Андріївка Степанівка "
    "Григорівка Новоселівка Калинівка Дмитрівка Федорівка Василівка Любимівка"
).split()
RUSSIAN = (
    "Ивановка Петровка Михайловка Александровка Николаевка Покровка Андреевка Васильевка Никольское "
    "Сосновка Березовка Знаменка Октябрьский Первомайский Вознесенка Покровское"
).split()
ROWS = (2, 3, 4)
KM = (5.0, 150.0)
"""Each row's road distance, drawn on its own: the villages a sign lists lie this near."""


def chance_sign(rng: random.Random) -> list[Mention]:
    """One sign: two to four common names of one country, each with a random distance, nearest first."""
    names = rng.sample(rng.choice((UKRAINIAN, RUSSIAN)), rng.choice(ROWS))
    kms = sorted(round(rng.uniform(*KM)) for _ in names)
    return [
        Mention(readings=(n,), kind="ocr", box=(10, 10 + 40 * i, 160, 30), confidence=92.0, region=0, distance_km=km)
        for i, (n, km) in enumerate(zip(names, kms, strict=True))
    ]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--signs", type=int, default=200, help="signs per seed (default 200)")
    add_seeds(ap)
    args = ap.parse_args()
    if args.signs < 1:
        ap.error("give at least one sign per seed")
    gz = get_gazetteer()
    started = time.perf_counter()
    count: collections.Counter[tuple[int, str]] = collections.Counter()
    for seed in args.seeds:
        rng = random.Random(seed)
        for _ in range(args.signs):
            mentions = chance_sign(rng)
            est = infer(mentions, Metadata(), None, gz).estimate
            rows = len(mentions)
            count[rows, "signs"] += 1
            for level in LEVELS:
                count[rows, f"{level}"] += est is not None and est.confidence >= level
    print(header_line())
    print(f"seeds {','.join(map(str, args.seeds))}, {args.signs} signs per seed\n")
    print("| rows | signs | stated >= 0.3 | stated >= 0.5 |")
    print("|---|---|---|---|")
    for rows in ROWS:
        n = count[rows, "signs"]
        cells = " | ".join(f"{count[rows, str(level)]} ({count[rows, str(level)] / max(n, 1):.0%})" for level in LEVELS)
        print(f"| {rows} | {n} | {cells} |")
    print(f"\nwall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
