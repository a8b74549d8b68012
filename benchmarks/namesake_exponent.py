"""How strongly news prefers a large town to its namesakes: the population exponent, fitted on real text.

A name that several towns share means each of them with a probability that grows with its size.
geoloc weighs a caption's namesakes by population to ``CAPTION_POPULATION_EXPONENT``
(``geoloc/infer/choice.py``). This script measures that exponent on geoparsing corpora with gold
coordinates: for every gold toponym that names two or more towns exactly in the offline
gazetteer, and whose gold point lies within 50 km of one of them, the likelihood that population
to the power a picks that one; the table gives the a (steps of 0.05, 0 to 3) that makes the gold
towns likeliest, per corpus and over all, with the log-likelihood there and at 0.5 and 1.0.
A town with no population in the gazetteer counts as 1,000 people, as geoloc counts it.

Corpora as for ``benchmarks/toponyms.py`` (LGL, GeoVirus, TR-News, GeoWebNews XML; WOTR JSON):

    python benchmarks/namesake_exponent.py --corpus ../shared/realdata/geoparsing-gritta \\
        --corpus ../shared/realdata/wotr
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.header import header_line  # noqa: E402
from benchmarks.toponyms import corpora, read_wotr, read_xml  # noqa: E402
from geoloc.common.geodesy import haversine_km  # noqa: E402
from geoloc.infer.choice import NAMESAKE_LIMIT, NAMESAKE_MIN_POPULATION  # noqa: E402
from geoloc.places import get_gazetteer  # noqa: E402
from geoloc.places.index import ALTERNATE  # noqa: E402

GOLD_KM = 50.0
"""A namesake this close to the gold point is the gold town (corpora put a town's point anywhere in it)."""
EXPONENTS = [k / 20 for k in range(0, 61)]
"""The exponents tried: 0 (every namesake alike) to 3, in steps of 0.05."""


def ambiguous_toponyms(paths: list[Path]) -> list[tuple[str, int, list[int]]]:
    """(corpus, index of the gold town, populations of the same-named towns) for each gold toponym
    that names two or more towns exactly, one of them the gold town."""
    gz = get_gazetteer()
    found: list[tuple[str, int, list[int]]] = []
    for corpus, path in corpora(paths):
        reader = read_wotr if path.suffix == ".json" else read_xml
        for doc in reader(path):
            for name, lat, lon in doc.toponyms:
                towns = [
                    p
                    for p in gz.search(name, fuzzy=False, limit=NAMESAKE_LIMIT)
                    if p.kind == "city" and p.match >= ALTERNATE
                ]
                gold = next((i for i, p in enumerate(towns) if haversine_km(p.lat, p.lon, lat, lon) <= GOLD_KM), None)
                if len(towns) >= 2 and gold is not None:
                    found.append((corpus, gold, [max(p.population, NAMESAKE_MIN_POPULATION) for p in towns]))
    return found


def log_likelihood(items: list[tuple[str, int, list[int]]], exponent: float) -> float:
    """How likely population to ``exponent`` makes the gold towns, summed in natural logs."""
    total = 0.0
    for _corpus, gold, populations in items:
        weights = [math.exp(exponent * math.log(p)) for p in populations]
        total += math.log(weights[gold] / sum(weights))
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", type=Path, required=True, help="a corpus file or folder (repeatable)")
    args = ap.parse_args(argv)
    started = time.time()
    items = ambiguous_toponyms(args.corpus)
    print(header_line())
    print()
    print("| corpus | ambiguous toponyms | best exponent | log-likelihood there | at 0.5 | at 1.0 |")
    print("|---|---|---|---|---|---|")
    for corpus in [*sorted({c for c, _g, _p in items}), "all"]:
        subset = [it for it in items if corpus in ("all", it[0])]
        if not subset:
            continue
        best = max(EXPONENTS, key=lambda a: log_likelihood(subset, a))
        print(
            f"| {corpus} | {len(subset)} | {best:.2f} | {log_likelihood(subset, best):.1f} "
            f"| {log_likelihood(subset, 0.5):.1f} | {log_likelihood(subset, 1.0):.1f} |"
        )
    print(f"\nwall time {time.time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
