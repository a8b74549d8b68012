"""Write the bundled sample photos into this folder (synthetic scenes; see README.md).

    python images/make_samples.py            # or: .venv/bin/python images/make_samples.py

The scenes are drawn by ``tests.support.scenes`` with fixed seeds, so the output is the same on every
machine with the same Pillow, OpenCV and DejaVu fonts.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.support.scenes import SignLine, SignSpec, render_scene  # noqa: E402

SEED = 20240419
QUALITY = 82


def main() -> None:
    # A road north-east of Chernihiv (the camera stands near Kyselivka, about 12 km out),
    # looking towards the city: a blue Ukrainian direction sign in the distance, Cyrillic names
    # over their Latin forms, road distances in km on the right (Kyiv lies beyond Chernihiv).
    sign = SignSpec(
        "ua_direction",
        (SignLine("Чернігів", "Chernihiv", 14), SignLine("Київ", "Kyiv", 157)),
        cap_px=22,
        position=(0.7, 0.33),
        angle_deg=-2.0,
        tilt=0.12,
    )
    image, _ = render_scene([sign], seed=SEED, lighting="overcast", blur=0.6)
    image.save(HERE / "chernihiv_sign.jpg", "JPEG", quality=QUALITY)

    # A chemist's shop front: text in the picture, but no place name in it.
    shop = SignSpec("shop", (SignLine("АПТЕКА", None),), cap_px=48, position=(0.5, 0.3), angle_deg=0.5, tilt=0.05)
    image, _ = render_scene([shop], seed=SEED + 1, lighting="day", blur=0.5, street=True)
    image.save(HERE / "shop_apteka.jpg", "JPEG", quality=QUALITY)

    # A landscape with no text at all.
    image, _ = render_scene([], seed=SEED + 2, lighting="day", blur=0.5)
    image.save(HERE / "no_text.jpg", "JPEG", quality=QUALITY)


if __name__ == "__main__":
    main()
