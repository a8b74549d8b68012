"""Benchmark the boundaries: loading for a map (cached vs parsing the sources), distances, map writing.

Each timing runs in a fresh Python process (as a `geoloc locate` run would), repeated; the table
gives medians and the ratio against the baseline of parsing the Natural Earth sources directly
(GeoJSON admin-1 + zipped shapefile), which is what the cache replaces. Distances to known places
are checked against the reference values measured on Natural Earth 1:10m.

    python benchmarks/regions.py --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

LOAD_CACHED = """
import time; t = time.perf_counter()
from geoloc.areas import resolve_areas, measure
areas = resolve_areas(regions=["Belarus", "Bryansk Oblast"], borders=["UA-BY"])
[measure(a, 51.50551, 31.28487) for a in areas]
print(time.perf_counter() - t)
"""

PARSE_SOURCES = """
import time; t = time.perf_counter()
import json, shapefile, shapely
from shapely.geometry import shape
from geoloc.areas import ADMIN1_PATH, countries_zip
with open(ADMIN1_PATH, encoding="utf-8") as fh:
    admin1 = [shape(f["geometry"]) for f in json.load(fh)["features"] if f.get("geometry")]
with shapefile.Reader(str(countries_zip()), encoding="utf-8") as sf:
    countries = [shape(s.__geo_interface__) for s in sf.shapes()]
print(time.perf_counter() - t)
"""

BUILD = """
import time; t = time.perf_counter()
from geoloc.areas import load
load()
print(time.perf_counter() - t)
"""

WRITE_MAP = """
import sys, time
sys.path.insert(0, "tests")
from pathlib import Path
from test_maps import chernihiv_report
from geoloc.areas import resolve_areas
from geoloc.areas import map_geography
from geoloc.render.map import write_map
areas = resolve_areas(regions=["Belarus", "Bryansk Oblast"], borders=["UA-BY"])
report = chernihiv_report(Path(sys.argv[1]) / "sign.jpg", areas=areas)
t = time.perf_counter()
out = write_map(report, Path(sys.argv[1]) / "map.html", map_geography(report, areas), offline={offline},
                within_km=20)
print(time.perf_counter() - t, out.stat().st_size)
"""

KNOWN = [  # place, lat, lon, area, reference km (NE 1:10m, metric projection)
    ("Chernihiv", 51.50551, 31.28487, "Belarus", 46.0),
    ("Chernihiv", 51.50551, 31.28487, "Bryansk Oblast", 73.0),
    ("Novozybkov", 52.5389, 31.9275, "Belarus", 21.0),
    ("Novozybkov", 52.5389, 31.9275, "Bryansk Oblast", 0.0),
]


def run(code: str, env: dict[str, str], *args: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, check=True, capture_output=True, text=True
    ).stdout.split()
    return [float(x) for x in out]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=5, help="fresh-process runs per timing (median)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "GEOLOC_CACHE_DIR": cache}
        build = run(BUILD, env)[0]
        cached = statistics.median(run(LOAD_CACHED, env)[0] for _ in range(args.repeat))
        parse = statistics.median(run(PARSE_SOURCES, env)[0] for _ in range(args.repeat))
        maps = {}
        for offline in (True, False):
            runs = [run(WRITE_MAP.replace("{offline}", str(offline)), env, work) for _ in range(args.repeat)]
            maps[offline] = (statistics.median(r[0] for r in runs), runs[0][1])
        print("| Step (fresh process) | median s | vs parsing the sources |")
        print("|---|---|---|")
        print(f"| baseline: parse admin-1 GeoJSON + admin-0 shapefile into shapely | {parse:.2f} | 1.00 |")
        print(f"| build the cache (once per install) | {build:.2f} | {build / parse:.2f} |")
        print(
            f"| **load for a map: import, resolve 3 areas, measure** (cached) | **{cached:.2f}** | "
            f"**{cached / parse:.3f}** |"
        )
        for offline, (t, size) in maps.items():
            print(
                f"| write the {'offline' if offline else 'online'} map (3 areas, 20 km bands) "
                f"| {t:.2f} | page {size / 1e6:.2f} MB |"
            )
        print()
        from geoloc.areas import measure, resolve_areas

        print("| Place | Area | geoloc km | reference km |")
        print("|---|---|---|---|")
        os.environ["GEOLOC_CACHE_DIR"] = cache
        for place, lat, lon, area, ref in KNOWN:
            got = measure(resolve_areas(regions=[area])[0], lat, lon)
            shown = "inside" if got["inside"] else f"{got['distance_km']:.1f}"
            print(f"| {place} | {area} | {shown} | {'inside' if ref == 0 else ref} |")
        print(
            json.dumps({"build_s": round(build, 2), "cached_load_s": round(cached, 3), "parse_s": round(parse, 2)}),
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
