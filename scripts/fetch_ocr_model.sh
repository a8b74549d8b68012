#!/usr/bin/env bash
# Fetch the scene-text detection model geoloc's OCR uses to find text lines in a photo:
# PP-OCRv4 "det" (PaddleOCR, Apache-2.0) as ONNX, 4.7 MB, taken from the PyPI wheel
# rapidocr_onnxruntime 1.4.4 (Apache-2.0). Only that one file is extracted into geoloc/assets/;
# the wheel itself is not installed (it would pull in opencv-python beside the headless build).
# Idempotent: does nothing when the model is already there. Without it, OCR still reads colour
# sign panels but misses text outside them.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=geoloc/assets/ch_PP-OCRv4_det_infer.onnx
[ -s "$dest" ] && exit 0
python=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$python" -m pip download --quiet --no-deps --dest "$tmp" rapidocr_onnxruntime==1.4.4
mkdir -p "$(dirname "$dest")"
"$python" - "$tmp"/rapidocr_onnxruntime-1.4.4-*.whl "$dest" <<'PY'
import hashlib, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
data = zipfile.ZipFile(wheel).read("rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx")
want = "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9"
if hashlib.sha256(data).hexdigest() != want:
    sys.exit(f"fetch_ocr_model: {wheel}: unexpected model checksum, not installed")
with open(dest + ".part", "wb") as fh:
    fh.write(data)
print(f"fetch_ocr_model: wrote {len(data):,} bytes to {dest} (sha256 {hashlib.sha256(data).hexdigest()[:16]}...)")
PY
mv "$dest.part" "$dest"
