"""Is a town found from its name on a sign? Every town of a size range, one sign each, read by geoloc.

The names on the signs of ``locate_scenes`` are drawn from its pools, which hold every settlement
of 500 people or more; most of them are villages. This benchmark asks the narrower question an
analyst meets on every road: given a direction sign to a town, with its distance, does geoloc read
the name and find the town? It takes every settlement of the ``locate_scenes`` pools in Ukraine
(Ukrainian sign: the Cyrillic name over its national romanisation), Russia and Belarus (Russian
sign: Cyrillic only) whose population lies in ``--population``, with the Cyrillic name a sign of
that style writes (GeoNames' alternate names; not any list geoloc reads); with ``--styles eu,we``
also the towns of central and of western and northern Europe, each under its own name in its own
letters (Słupsk, Gießen, Næstved: letters the Latin recognisers have no glyph for), and for each:

  photo      a one-row direction sign "NAME km" (km uniform 20-300, the town's own draw from the
             seed) rendered into a road scene by the test kit (size, angle, tilt, light and JPEG
             quality drawn by the renderer), read through geoloc's whole pipeline: OCR passes,
             mentions, gazetteer, inference
  baseline   the same sign as a perfect reading would give it (the name on the distance's line,
             the Latin name under it), straight into the same mentions and inference: what
             geoloc makes of the sign when nothing is misread, measured in the same run

A town is found when the estimate's centre lies within ``FOUND_KM`` of it and its radius is at
least the distance on the sign: the answer "within d km of the town". A confident miss is an
estimate at ``CONFIDENT`` or more whose centre lies more than ``MISS_KM`` from the town. The
table gives per sign style the share found by photo and by baseline, their ratio, the confident
misses, and the photos whose name was read as no place at all.

    OMP_THREAD_LIMIT=1 python benchmarks/town_signs.py --population 30000-100000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.locate_scenes import DIRECTION_SIGN, LATIN_STYLES, Town, pools  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from benchmarks.support.tables import share  # noqa: E402
from geoloc.common.geodesy import haversine_km  # noqa: E402
from geoloc.model import Estimate, Metadata, PhotoReport, TextSpan  # noqa: E402
from geoloc.pipeline import Settings, conclude, locate_photo  # noqa: E402
from geoloc.read.ocr.langs import DEFAULT_LANGS  # noqa: E402
from geoloc.read.ocr.reader import split_passes  # noqa: E402
from tests.support.scenes import SignSpec, render_scene  # noqa: E402

SIGN_STYLES = ("ua", "ru", "eu", "we")
"""The sign styles measured: Cyrillic names (the default) and Latin ones (``locate_scenes.STYLES``)."""
DEFAULT_STYLES = ("ua", "ru")
"""The styles whose signs carry Cyrillic names: the alphabet geoloc's sign readers are built for."""
KM_RANGE = (20, 300)
"""Distances on the signs: a town signposted from the next valley to one a day's drive away."""
FOUND_KM = 15.0
"""How near the estimate's centre must lie to the town: its built-up area, for towns of this size."""
MISS_KM = 50.0
"""An estimate centred this far from the town names another place."""
CONFIDENT = 0.5
"""The confidence from which an analyst may publish on the answer alone."""
JPEG_QUALITY = 85
"""As a photo is saved by a phone or a news site."""


@dataclass
class Row:
    """One town's outcome, as written by ``--json``."""

    style: str
    town: str
    population: int
    km: int
    readings: list[str]
    photo: str  # "found", "miss", "none"
    photo_confidence: float | None
    photo_error_km: float | None
    baseline: str
    baseline_confidence: float | None
    baseline_error_km: float | None

    def confident_miss(self, photo: bool) -> bool:
        """An estimate at ``CONFIDENT`` or more centred over ``MISS_KM`` from the town."""
        outcome, conf, error = (
            (self.photo, self.photo_confidence, self.photo_error_km)
            if photo
            else (self.baseline, self.baseline_confidence, self.baseline_error_km)
        )
        return outcome == "miss" and (error or 0.0) > MISS_KM and (conf or 0.0) >= CONFIDENT


def _towns(style: str, low: int, high: int) -> list[Town]:
    """The style's pool towns in [low, high) people with a name its signs write (a Cyrillic one on
    a Cyrillic style's), largest first."""
    latin = style in LATIN_STYLES
    towns = [t for t in pools()[style].towns if (t.latin if latin else t.cyr) and low <= t.population < high]
    return sorted(towns, key=lambda t: (-t.population, t.name))


def _perfect_spans(town: Town, style: str, km: int) -> list[TextSpan]:
    """What a perfect reader returns for the sign: the name and its distance on one line, the
    Latin name under it, each by the pass of its alphabet."""
    cyrillic, latin = split_passes(DEFAULT_LANGS.split("+"))
    if style in LATIN_STYLES:
        return [
            TextSpan(town.latin or "", 95.0, (100, 100, 240, 32), line=0, region=0, lang=latin),
            TextSpan(str(km), 95.0, (400, 100, 60, 32), line=0, region=0, lang=latin),
        ]
    spans = [
        TextSpan(town.cyr or "", 95.0, (100, 100, 240, 32), line=0, region=0, lang=cyrillic),
        TextSpan(str(km), 95.0, (400, 100, 60, 32), line=0, region=0, lang=cyrillic),
    ]
    if style == "ua" and town.latin:
        spans.append(TextSpan(town.latin, 95.0, (100, 140, 240, 26), line=1, region=0, lang=latin))
    return spans


def _judge(estimate: Estimate | None, town: Town, km: int) -> tuple[str, float | None, float | None]:
    """("found" | "miss" | "none", confidence, km from the town) for one estimate."""
    if estimate is None:
        return "none", None, None
    error = haversine_km(estimate.lat, estimate.lon, town.lat, town.lon)
    found = error <= FOUND_KM and estimate.radius_km >= km
    return ("found" if found else "miss"), estimate.confidence, error


def run(style: str, towns: list[Town], seed: int, settings: Settings, tmp: Path) -> list[Row]:
    rows = []
    kind = DIRECTION_SIGN[style]
    for i, town in enumerate(towns):
        rng = np.random.default_rng([seed, SIGN_STYLES.index(style), i])
        km = int(rng.integers(KM_RANGE[0], KM_RANGE[1] + 1))
        image, _ = render_scene([SignSpec(kind, (town.line(km),))], seed=int(rng.integers(2**31)))
        path = tmp / f"{style}_{i}.jpg"
        image.save(path, "JPEG", quality=JPEG_QUALITY)
        report = locate_photo(str(path), settings)
        photo, conf, error = _judge(report.estimate, town, km)
        perfect = PhotoReport(path=f"{style}-{i}", texts=_perfect_spans(town, style, km), metadata=Metadata())
        base, base_conf, base_error = _judge(conclude(perfect, settings).estimate, town, km)
        rows.append(
            Row(
                style, town.cyr or town.name, town.population, km, [s.text for s in report.texts],
                photo, conf, None if error is None else round(error, 1),
                base, base_conf, None if base_error is None else round(base_error, 1),
            )
        )  # fmt: skip
    return rows


def table(rows: list[Row]) -> str:
    out = [
        "| style | towns | found by photo | found by baseline | ratio | photo: no place read | "
        f"photo: confident miss (>= {CONFIDENT}, > {MISS_KM:.0f} km) | baseline: confident miss |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for style in (*SIGN_STYLES, "all"):
        part = [r for r in rows if style in ("all", r.style)]
        if not part:
            continue
        photo = sum(r.photo == "found" for r in part)
        base = sum(r.baseline == "found" for r in part)
        sure = sum(r.confident_miss(photo=True) for r in part)
        base_sure = sum(r.confident_miss(photo=False) for r in part)
        ratio = f"{photo / base:.2f}" if base else "-"
        none = sum(r.photo == "none" for r in part)
        out.append(
            f"| {style} | {len(part)} | {share(photo, len(part))} | {share(base, len(part))} | {ratio} | "
            f"{share(none, len(part))} | {sure} | {base_sure} |"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--population", default="30000-100000", help="LOW-HIGH people (default 30000-100000)")
    ap.add_argument(
        "--styles",
        default=",".join(DEFAULT_STYLES),
        help=f"comma-separated sign styles (default %(default)s; all: {','.join(SIGN_STYLES)})",
    )
    ap.add_argument("--seed", type=int, default=1, help="seed of the distances and scenes (default 1)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many towns per style, largest first (0: all)")
    ap.add_argument("--json", type=Path, help="also write every town's row here")
    ap.add_argument("--verbose", action="store_true", help="print each town not found on one line (stderr)")
    args = ap.parse_args(argv)
    try:
        low, high = (int(x) for x in args.population.split("-"))
    except ValueError:
        ap.error(f"--population wants LOW-HIGH, as 30000-100000, not {args.population!r}")
    styles = [s for s in args.styles.split(",") if s]
    if not styles or any(s not in SIGN_STYLES for s in styles):
        ap.error(f"unknown styles {args.styles!r}; expected some of {', '.join(SIGN_STYLES)}")

    settings = Settings()
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for style in styles:
            towns = _towns(style, low, high)
            rows += run(style, towns[: args.limit] if args.limit else towns, args.seed, settings, Path(tmp))
    if args.verbose:
        for r in rows:
            if r.photo != "found":
                print(f"{r.style} {r.town} {r.km} km: {r.photo} {r.photo_confidence} {r.readings}", file=sys.stderr)
    print(header_line())
    print(f"population {low:,}-{high:,}; seed {args.seed}\n")
    print(table(rows))
    print(f"\nwall time {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
