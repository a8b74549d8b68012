"""Benchmark geoloc.read.metadata against exiftool's readings of real camera files, and against baselines.

For each corpus in ../shared/realdata (exif-mdx, exif-py, exiftool-t, pillow-iptc) it reports:
files, files with a GPS position according to exiftool 12.57 (EXIF Composite, or XMP when the EXIF
GPS is unreadable), how many positions each reader gives to 1e-6 degrees, false positions (a
position where exiftool has none, or the 0/0 placeholder), written-city agreement (Metadata Working
Group precedence: XMP photoshop:City over IPTC City) and speed (median ms per file).

Baselines measured in the same run:
  * Pillow, as a naive user reads GPS: Image.open(p).getexif().get_ifd(0x8825), degrees + minutes/60
    + seconds/3600 with the N/S/E/W sign, and IptcImagePlugin.getiptcinfo for the city;
  * ExifRead (exifread.utils.get_gps_coords), when the exifread package is importable. It is not a
    geoloc dependency: install it into a separate folder (pip install --target DIR exifread) and run
    with PYTHONPATH=DIR to include it.

Prints a Markdown table on stdout; --write-results also replaces the "## Metadata" section
of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, IptcImagePlugin

import geoloc.common.photo  # noqa: F401  (registers the HEIF opener, so Pillow can read .heif too)
from geoloc.errors import GeolocError
from geoloc.read.metadata import read_metadata

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT / ".." / "shared" / "realdata"
CORPORA = ("exif-mdx", "exif-py", "exiftool-t", "pillow-iptc")
SECTION = "## Metadata"

Reading = tuple[tuple[float, float] | None, str | None]  # (lat, lon) or None, city or None


def geoloc_reader(path: Path) -> Reading:
    try:
        md = read_metadata(path)
    except GeolocError:
        return None, None
    return ((md.gps.lat, md.gps.lon) if md.gps else None), (md.location.city if md.location else None)


def pillow_reader(path: Path) -> Reading:
    """What a user of Pillow writes: GPS IFD rationals to degrees, IPTC (2, 90) for the city."""
    gps: tuple[float, float] | None = None
    city: str | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:
                g = im.getexif().get_ifd(0x8825)
                if 2 in g and 4 in g:
                    lat = sum(float(v) / s for v, s in zip(g[2], (1, 60, 3600), strict=False))
                    lon = sum(float(v) / s for v, s in zip(g[4], (1, 60, 3600), strict=False))
                    gps = (-lat if g.get(1) == "S" else lat, -lon if g.get(3) == "W" else lon)
                iptc = IptcImagePlugin.getiptcinfo(im) or {}
                raw = iptc.get((2, 90))
                if isinstance(raw, list):
                    raw = raw[0]
                if raw:
                    city = raw.decode("utf-8", "replace").strip() or None
    except Exception:  # noqa: BLE001 - a baseline that fails on a file simply reads nothing there
        pass
    return gps, city


def exifread_reader_factory() -> Callable[[Path], Reading] | None:
    try:
        import exifread
        from exifread.utils import get_gps_coords
    except ImportError:
        return None
    import logging

    logging.getLogger("exifread").setLevel(logging.CRITICAL)

    def reader(path: Path) -> Reading:
        try:
            with open(path, "rb") as fh:
                tags = exifread.process_file(fh, details=False)
            return get_gps_coords(tags), None
        except Exception:  # noqa: BLE001 - as above
            return None, None

    return reader


def expectation(rec: dict[str, Any]) -> tuple[tuple[float, float] | None, bool, str | None]:
    """exiftool's answer: (position, 0/0 placeholder present, city by MWG precedence)."""

    def num(key: str) -> float | None:
        v = rec.get(key)
        return float(v) if isinstance(v, (int, float)) else None

    lat, lon = num("Composite:GPSLatitude"), num("Composite:GPSLongitude")
    placeholder = lat == 0 and lon == 0
    if lat is None or lon is None or placeholder:
        lat, lon = num("XMP-exif:GPSLatitude"), num("XMP-exif:GPSLongitude")
    city = rec.get("XMP-photoshop:City") or rec.get("IPTC:City")
    city = str(city).strip() or None if city is not None else None
    return ((lat, lon) if lat is not None and lon is not None else None), placeholder, city


def timed(reader: Callable[[Path], Reading], path: Path, repeat: int) -> tuple[Reading, float]:
    times = []
    result: Reading = (None, None)
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = reader(path)
        times.append(time.perf_counter() - t0)
    return result, statistics.median(times) * 1000


def agrees(got: tuple[float, float] | None, want: tuple[float, float]) -> bool:
    return got is not None and all(math.isfinite(g) and abs(g - w) <= 1e-6 for g, w in zip(got, want, strict=True))


def run(repeat: int) -> tuple[str, dict[str, Any]]:
    readers: dict[str, Callable[[Path], Reading]] = {"geoloc": geoloc_reader, "Pillow getexif": pillow_reader}
    er = exifread_reader_factory()
    if er is not None:
        readers["ExifRead"] = er
    rows = []
    totals: dict[str, dict[str, float]] = {}
    all_times: dict[str, list[float]] = {name: [] for name in readers}
    for corpus in CORPORA:
        recs = json.loads((REALDATA / corpus / "exiftool-12.57_location.json").read_text())
        stats = {name: {"agree": 0, "false": 0, "city": 0} for name in readers}
        times: dict[str, list[float]] = {name: [] for name in readers}
        n_gps = n_city = n_placeholder = 0
        for rec in recs:
            path = REALDATA / rec["SourceFile"]
            want, placeholder, city = expectation(rec)
            n_gps += want is not None
            n_city += city is not None
            n_placeholder += placeholder
            for name, reader in readers.items():
                (gps, got_city), ms = timed(reader, path, repeat)
                times[name].append(ms)
                if want is not None:
                    stats[name]["agree"] += agrees(gps, want)
                elif gps is not None:
                    stats[name]["false"] += 1
                if city is not None and got_city == city:
                    stats[name]["city"] += 1
        for name in readers:
            all_times[name].extend(times[name])
            t = totals.setdefault(name, {"agree": 0, "false": 0, "city": 0})
            for k in t:
                t[k] += stats[name][k]
        rows.append(
            (
                corpus,
                len(recs),
                n_gps,
                n_placeholder,
                n_city,
                stats,
                {name: statistics.median(v) for name, v in times.items()},
            )
        )
    names = list(readers)
    head = (
        "| corpus | files | GPS (exiftool) | 0/0 placeholders | cities | "
        + " | ".join(f"{n}: GPS = exiftool" for n in names)
        + " | "
        + " | ".join(f"{n}: false GPS" for n in names)
        + " | "
        + " | ".join(f"{n}: city = MWG" for n in names if n != "ExifRead")
        + " | "
        + " | ".join(f"{n} ms/file" for n in names)
        + " |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    sums = [0, 0, 0, 0]
    for corpus, files, n_gps, n_ph, n_city, stats, med in rows:
        sums = [sums[0] + files, sums[1] + n_gps, sums[2] + n_ph, sums[3] + n_city]
        lines.append(
            f"| {corpus} | {files} | {n_gps} | {n_ph} | {n_city} | "
            + " | ".join(f"{stats[n]['agree']}/{n_gps}" for n in names)
            + " | "
            + " | ".join(str(stats[n]["false"]) for n in names)
            + " | "
            + " | ".join(f"{stats[n]['city']}/{n_city}" for n in names if n != "ExifRead")
            + " | "
            + " | ".join(f"{med[n]:.2f}" for n in names)
            + " |"
        )
    overall = {n: statistics.median(all_times[n]) for n in names}
    lines.append(
        f"| **all** | {sums[0]} | {sums[1]} | {sums[2]} | {sums[3]} | "
        + " | ".join(f"**{int(totals[n]['agree'])}/{sums[1]}**" for n in names)
        + " | "
        + " | ".join(f"**{int(totals[n]['false'])}**" for n in names)
        + " | "
        + " | ".join(f"**{int(totals[n]['city'])}/{sums[3]}**" for n in names if n != "ExifRead")
        + " | "
        + " | ".join(f"**{overall[n]:.2f}**" for n in names)
        + " |"
    )
    ratios = ", ".join(f"{n} / geoloc = {overall[n] / overall['geoloc']:.1f}x" for n in names if n != "geoloc")
    lines.append("")
    lines.append(f"Median time per file over all {sums[0]} files (median of {repeat} runs each): {ratios}.")
    return "\n".join(lines), {"overall_ms": overall, "totals": totals}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def write_section(table: str, command: str) -> None:
    results = ROOT / "benchmarks" / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    body = (
        f"{SECTION}\n\n"
        f"Machine: {machine()}; date {dt.date.today().isoformat()}; command: `{command}`.\n"
        "Gold: exiftool 12.57 readings in each corpus's `exiftool-12.57_location.json` (EXIF Composite GPS, "
        "XMP GPS where exiftool finds the EXIF GPS unreadable; city by Metadata Working Group precedence). "
        '"false GPS" counts positions reported where exiftool has none or only the 0/0 placeholder. '
        "The machine is shared with other jobs, so absolute times are noisy: compare the ratios, "
        "measured in the same run.\n\n"
        f"{table}\n"
    )
    start = text.find(SECTION)
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[end + 1 :] if end >= 0 else "")
    results.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per file and reader (median kept)")
    parser.add_argument(
        "--write-results", action="store_true", help=f"replace the '{SECTION}' section of benchmarks/RESULTS.md"
    )
    args = parser.parse_args()
    if not REALDATA.is_dir():
        sys.exit("benchmarks/metadata.py: ../shared/realdata is absent; nothing to measure")
    table, _ = run(args.repeat)
    print(table)
    if args.write_results:
        write_section(table, "python benchmarks/metadata.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
