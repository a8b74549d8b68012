#!/usr/bin/env bash
# Fetch the scene-text models geoloc's OCR uses: PP-OCRv4 "det" (finds text lines in a photo,
# 4.7 MB) and "rec" (reads a photographed line of Latin or Chinese text, 10.9 MB), PaddleOCR,
# Apache-2.0, as ONNX, taken from the PyPI wheel rapidocr_onnxruntime 1.4.4 (Apache-2.0). Only
# those files are extracted into geoloc/assets/; the wheel itself is not installed (it would pull
# in opencv-python beside the headless build). Idempotent: does nothing when both models are
# there. Without them, OCR still reads colour sign panels with Tesseract but misses text outside
# them (det) and reads photographed text less well (rec).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=geoloc/assets
[ -s "$dir/ch_PP-OCRv4_det_infer.onnx" ] && [ -s "$dir/ch_PP-OCRv4_rec_infer.onnx" ] && exit 0
python=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$python" -m pip download --quiet --no-deps --dest "$tmp" rapidocr_onnxruntime==1.4.4
mkdir -p "$dir"
"$python" - "$tmp"/rapidocr_onnxruntime-1.4.4-*.whl "$dir" <<'PY'
import hashlib, os, sys, zipfile
wheel, dest_dir = sys.argv[1], sys.argv[2]
models = {
    "ch_PP-OCRv4_det_infer.onnx": "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
    "ch_PP-OCRv4_rec_infer.onnx": "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
}
for name, want in models.items():
    dest = os.path.join(dest_dir, name)
    if os.path.isfile(dest) and os.path.getsize(dest) > 0:
        continue
    data = zipfile.ZipFile(wheel).read(f"rapidocr_onnxruntime/models/{name}")
    if hashlib.sha256(data).hexdigest() != want:
        sys.exit(f"fetch_ocr_model: {wheel}: unexpected checksum of {name}, not installed")
    with open(dest + ".part", "wb") as fh:
        fh.write(data)
    os.replace(dest + ".part", dest)
    print(f"fetch_ocr_model: wrote {len(data):,} bytes to {dest} (sha256 {want[:16]}...)")
PY
