"""Distance signs whose numbers are no distances: how often does geoloc still state a confident answer?

A distance sign's rings meet where the camera is. When its numbers are wrong (misread throughout,
or no distances at all: altitudes, times, another panel's figures), geoloc has no camera to find,
and an honest answer is "no estimate" or a low confidence. This benchmark takes the distance
signs of ``locate_scenes`` (the same towns, rows and sign styles) and replaces every distance by
one drawn on its own (uniform 10-350 km, listed nearest first as distance signs are), then reads
them through the same text mode, damage included. Two or three rings with a free common road
factor meet somewhere almost whatever their numbers (three equations, three unknowns: the
camera's two coordinates and the factor), so geometry alone cannot tell such a sign from a real
one; the table measures how often geoloc states a place for them anyway, per number of rows,
and how many of those answers keep every row (the others leave rows out as misread).

The baseline, measured in the same run: the same real distance signs with their true numbers;
the share of them stated at >= 0.5 and how many of those are right (within 25 km).

    OMP_THREAD_LIMIT=1 python benchmarks/chance_signs.py --per-kind 100
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import locate_scenes as gen  # noqa: E402
from benchmarks.support.claims import LEVELS, add_seeds  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.model import Estimate  # noqa: E402
from geoloc.pipeline import Settings  # noqa: E402

ROWS = (2, 3, 4)
"""Destinations per sign, as ``locate_scenes`` draws distance signs."""
KM = gen.DESTINATION_KM
"""Each row's road distance, drawn on its own over the benchmark's range of destinations."""
STREAM = 7
"""The random stream of this benchmark (``locate_scenes`` uses 0-4 per scene)."""
CHANCE_INDEX = 100_000
"""Scene indices from here on are this benchmark's (``locate_scenes`` numbers its scenes from 0)."""
_KEPT = re.compile(r"^(\d+) distance signs")


def rows_kept(est: Estimate) -> int:
    """How many of the sign's rows the estimate rests on: its rings, or one ring, or none."""
    if m := _KEPT.match(est.explanation):
        return int(m.group(1))
    return 1 if est.explanation.startswith("sign:") else 0


def chance_case(seed: int, index: int) -> gen.Case:
    """The benchmark's distance sign ``index`` of ``seed`` with every distance replaced by one drawn
    on its own: the same towns, the same rows, numbers that are no distances of any place."""
    real = gen.make_case("distance_sign", seed, index)
    rng = np.random.default_rng([seed, STREAM, index])
    spec = real.signs[0]
    kms = sorted(int(round(x)) for x in rng.uniform(*KM, size=len(spec.lines)))
    lines = tuple(replace(line, distance_km=km) for line, km in zip(spec.lines, kms, strict=True))
    # Read with an index no scene of ``locate_scenes`` uses: a damage stream of its own.
    return replace(real, index=CHANCE_INDEX + index, signs=[replace(spec, lines=lines)], rule="chance")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--per-kind", type=int, default=100, help="signs per seed (default 100, as locate_scenes)")
    add_seeds(ap)
    args = ap.parse_args()
    seeds = args.seeds
    if args.per_kind < 1:
        ap.error("give at least one sign per seed")
    settings = Settings()
    started = time.perf_counter()
    count: collections.Counter[tuple[int, str]] = collections.Counter()
    real: collections.Counter[str] = collections.Counter()
    for seed in seeds:
        for i in range(args.per_kind):
            case = chance_case(seed, i)
            k = len(case.signs[0].lines)
            report, _ = gen.run_text(case, settings)
            est = report.estimate
            count[(k, "signs")] += 1
            for level in LEVELS:
                claimed = est is not None and est.confidence >= level
                count[(k, f">= {level}")] += claimed
                count[(k, f">= {level}, every row")] += claimed and rows_kept(est) == k
            case = gen.make_case("distance_sign", seed, i)
            report, _ = gen.run_text(case, settings)
            est = report.estimate
            right, *_ = gen.judge(case, est)
            real["signs"] += 1
            if est is not None and est.confidence >= LEVELS[1]:
                real["claimed"] += 1
                real["right"] += right
    print(header_line())
    print(f"seeds {','.join(map(str, seeds))}, {args.per_kind} signs per seed\n")
    print("| rows | chance signs | stated >= 0.3 | of which every row kept | stated >= 0.5 | of which every row kept |")
    print("|---|---|---|---|---|---|")
    for k in ROWS:
        n = count[(k, "signs")]
        cells = [f"{count[(k, f'>= {lv}')]} ({count[(k, f'>= {lv}')] / max(n, 1):.0%})" for lv in LEVELS]
        kept = [str(count[(k, f">= {lv}, every row")]) for lv in LEVELS]
        print(f"| {k} | {n} | {cells[0]} | {kept[0]} | {cells[1]} | {kept[1]} |")
    n, c = real["signs"], real["claimed"]
    print(
        f"\nBaseline, the same signs with their true distances: {c} of {n} ({c / max(n, 1):.0%}) stated at >= 0.5, "
        f"{real['right']} of them right (within 25 km)."
    )
    print(f"wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
