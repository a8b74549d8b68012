"""Fit geoloc's confidence calibration: how often each estimate rule's stated confidence held the camera.

Runs the text-mode scenes of ``benchmarks/locate_scenes.py`` (the spans an OCR pass returns, with
OCR-like damage; every kind, distractors included) on seeds the benchmark does not report
(default 101-108), with calibration switched off, and records for each estimate its rule, its
stated confidence and whether the camera lay within its radius. For each rule it fits the isotonic
(pool-adjacent-violators) map from stated confidence to that share, thins it to at most
``--knots`` points and prints the table; ``--write`` stores it in ``geoloc/data/calibration.json``,
which ``geoloc.infer.calibration`` reads. Only the rules it calibrates are fitted (distance signs
that meet, one distance sign, a direction sign), and only estimates that are not one of several
places: the others keep their stated confidence (see that module for why).

Check the result on the benchmark's own seeds, which the fit never saw, in both modes:

    nice -n 10 env OMP_THREAD_LIMIT=1 .venv/bin/python benchmarks/calibrate.py --write
    nice -n 10 env OMP_THREAD_LIMIT=1 .venv/bin/python benchmarks/locate_scenes.py --mode text --per-kind 100
    nice -n 10 env OMP_THREAD_LIMIT=1 .venv/bin/python benchmarks/locate_scenes.py --mode text --per-kind 100 --raw

The scenes are generated, so the table says how the rules fare on scenes drawn wider than their
priors, not on real photos: that is why ``geoloc.infer.calibration`` never lets it raise a weak or
fuzzy estimate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.locate_scenes import KINDS, judge, make_case, run_text  # noqa: E402
from benchmarks.support.claims import add_seeds  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.infer.calibration import TABLE_FILE, parse_table, uncalibrated  # noqa: E402
from geoloc.pipeline import Settings  # noqa: E402

DEFAULT_SEEDS = "101,102,103,104,105,106,107,108"
MIN_BLOCK = 20
"""Estimates pooled into each knot at least: a rate from fewer scenes is mostly noise."""


def pav(points: Sequence[tuple[float, bool]]) -> list[tuple[float, float, int]]:
    """Isotonic fit: (mean stated confidence, share that held the camera, count) per pooled block, rising."""
    blocks: list[list[float]] = []  # [sum of confidences, hits, count]
    for conf, hit in sorted(points):
        blocks.append([conf, float(hit), 1])
        while len(blocks) > 1 and (
            blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2] or blocks[-2][2] < MIN_BLOCK
        ):
            last = blocks.pop()
            for k in range(3):
                blocks[-1][k] += last[k]
    if len(blocks) > 1 and blocks[-1][2] < MIN_BLOCK:
        last = blocks.pop()
        for k in range(3):
            blocks[-1][k] += last[k]
    return [(s / n, h / n, int(n)) for s, h, n in blocks]


def thin(knots: list[tuple[float, float, int]], most: int) -> list[tuple[float, float, int]]:
    """At most ``most`` knots, merging the adjacent pair with the fewest estimates first."""
    knots = list(knots)
    while len(knots) > most:
        i = min(range(len(knots) - 1), key=lambda k: knots[k][2] + knots[k + 1][2])
        (a0, b0, n0), (a1, b1, n1) = knots[i], knots[i + 1]
        n = n0 + n1
        knots[i : i + 2] = [((a0 * n0 + a1 * n1) / n, (b0 * n0 + b1 * n1) / n, n)]
    return knots


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    add_seeds(ap, DEFAULT_SEEDS)
    ap.add_argument("--per-kind", type=int, default=100, help="scenes per kind and seed (default 100)")
    ap.add_argument("--knots", type=int, default=12, help="most knots per rule (default 12)")
    ap.add_argument("--write", action="store_true", help=f"write the table to geoloc/data/{TABLE_FILE.name}")
    args = ap.parse_args()
    seeds = args.seeds

    settings = Settings()
    points: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    started = time.perf_counter()
    with uncalibrated() as asked:
        for seed in seeds:
            for kind in KINDS:
                for i in range(args.per_kind):
                    case = make_case(kind, seed, i)
                    asked.clear()
                    report, _ = run_text(case, settings)
                    est = report.estimate
                    if est is None or est.rule is None or not asked or not asked[-1].fitted:
                        continue  # stated, not calibrated (geoloc.infer.calibration)
                    _, _, inside, _ = judge(case, est)
                    points[est.rule].append((est.confidence, bool(inside)))
            print(f"  seed {seed}: {time.perf_counter() - started:.0f} s", file=sys.stderr)

    rules = {}
    print(header_line())
    total = sum(len(v) for v in points.values())
    print(f"\n{total} estimates from seeds {','.join(map(str, seeds))}, {args.per_kind} per kind\n")
    print("| rule | estimates | mean stated | held the camera | knots (stated -> measured, count) |")
    print("|---|---|---|---|---|")
    for rule, pts in sorted(points.items()):
        knots = thin(pav(pts), args.knots)
        rules[rule] = {
            "estimates": len(pts),
            "knots": [[round(a, 3), round(b, 3)] for a, b, _ in knots],
            "counts": [n for _, _, n in knots],
        }
        mean = sum(c for c, _ in pts) / len(pts)
        held = sum(h for _, h in pts) / len(pts)
        shown = ", ".join(f"{a:.2f}->{b:.2f} ({n})" for a, b, n in knots)
        print(f"| {rule} | {len(pts)} | {mean:.2f} | {held:.0%} | {shown} |")
    table = {
        "about": "geoloc confidence calibration: per estimate rule, stated confidence -> share of generated "
        "scenes in which such an estimate held the camera. Written by benchmarks/calibrate.py.",
        "fitted": header_line(),
        "rules": rules,
    }
    text = json.dumps(table, indent=1, ensure_ascii=False) + "\n"
    parse_table(text)  # the reader accepts what is written
    if args.write:
        TABLE_FILE.write_text(text, encoding="utf-8")
        print(f"\nwritten: geoloc/data/{TABLE_FILE.name}")


if __name__ == "__main__":
    main()
