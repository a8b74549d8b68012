"""Make docs/proof.png, the proof picture the README shows, from the bundled sample photo.

    .venv/bin/python docs/make_proof_image.py

It runs ``geoloc proof images/chernihiv_sign.jpg --context images/chernihiv_caption.txt
--within-km 20`` into a temporary folder and keeps its proof.png, reduced to 1200 px wide (the
width the picture is made to be read at) and to a 256-colour palette, so the README's copy stays
under 300 KB. The picture is the same on every machine with the same Tesseract, fonts and data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geoloc.cli.main import cli  # noqa: E402

WIDTH_PX = 1200
"""The README shows the picture at the width it must stay readable at."""
COLOURS = 256
"""A palette this size keeps the map's colours and the photo recognisable at a third of the bytes."""
MAX_BYTES = 300_000


def main() -> None:
    os.chdir(ROOT)  # the picture names its inputs as given: relative, the same on every machine
    with tempfile.TemporaryDirectory() as out:
        args = [
            "proof",
            "images/chernihiv_sign.jpg",
            "--context",
            "images/chernihiv_caption.txt",
            "--within-km",
            "20",
            "-o",
            out,
            "-q",
        ]
        try:
            cli.main(args, prog_name="geoloc")
        except SystemExit as done:
            if done.code:
                raise
        picture = Image.open(Path(out) / "chernihiv_sign" / "proof.png").convert("RGB")
    small = picture.resize((WIDTH_PX, round(picture.height * WIDTH_PX / picture.width)), Image.Resampling.LANCZOS)
    target = ROOT / "docs" / "proof.png"
    small.quantize(COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(target, optimize=True)
    size = target.stat().st_size
    print(f"wrote {target.relative_to(ROOT)}: {small.width}x{small.height}, {size // 1000} KB")
    if size > MAX_BYTES:
        raise SystemExit(f"{target.name} is over {MAX_BYTES // 1000} KB: reduce it before committing")


if __name__ == "__main__":
    main()
