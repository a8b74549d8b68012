"""Which Cyrillic letter does each letter of a Latin pass's reading of a Cyrillic sign stand for?

geoloc's Latin passes read every line, Cyrillic ones too, letter by look-alike letter
("4e6okcapbl" for "Чебоксары"), and geoloc reads such a reading back into Cyrillic
(``geoloc.common.text.LATIN_AS_CYRILLIC`` for the commonest letter, ``LATIN_AS_CYRILLIC_ALSO``
for the others). This counts, on rendered Russian-style direction signs to the settlements of
``locate_scenes``' Russian and Belarusian pool in a population range, which Cyrillic letter each
Latin letter or pair stood for: each sign ("NAME km", km 20-300) is drawn into a road scene by the
test kit, read through geoloc's OCR passes, and each Latin reading that splits into as many
look-alike letters (``geoloc.common.text.lookalike_pieces``) as the name has letters is aligned
with the name letter by letter (case folded, spaces dropped). Readings of other lengths (a letter
lost or split) are left out.

    OMP_THREAD_LIMIT=1 python benchmarks/lookalike_letters.py --population 2000-30000 --signs 400 --seed 5
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.locate_scenes import DIRECTION_SIGN, pools  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.common.text import SCRIPT_LATIN, lookalike_pieces, script_of  # noqa: E402
from geoloc.pipeline import Settings, locate_photo  # noqa: E402
from tests.support.scenes import SignSpec, render_scene  # noqa: E402

KM_RANGE = (20, 300)
"""Distances on the signs, as ``town_signs.py`` draws them."""
JPEG_QUALITY = 85
"""As a photo is saved by a phone or a news site."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__.split("\n", 2)[2],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("--population", default="2000-30000", help="LOW-HIGH people (default: %(default)s)")
    ap.add_argument("--signs", type=int, default=400, help="signs drawn from the range (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=5, help="which towns, distances and scenes (default: %(default)s)")
    ap.add_argument("--json", type=Path, help="write the counts and every Latin reading to FILE")
    args = ap.parse_args(argv)
    low, high = (int(x) for x in args.population.split("-"))
    towns = [t for t in pools()["ru"].towns if t.cyr and low <= t.population < high]
    rng = np.random.default_rng(args.seed)
    picked = rng.choice(len(towns), size=min(args.signs, len(towns)), replace=False)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    readings: list[tuple[str, str]] = []
    aligned = 0
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        for k, i in enumerate(picked):
            town = towns[int(i)]
            km = int(rng.integers(KM_RANGE[0], KM_RANGE[1] + 1))
            image, _ = render_scene([SignSpec(DIRECTION_SIGN["ru"], (town.line(km),))], seed=int(rng.integers(2**31)))
            path = Path(tmp) / f"{k}.jpg"
            image.save(path, "JPEG", quality=JPEG_QUALITY)
            name = (town.cyr or "").replace(" ", "").lower()
            for span in locate_photo(str(path), Settings()).texts:
                text = span.text.replace(" ", "")
                if script_of(text) != SCRIPT_LATIN:
                    continue
                readings.append((town.cyr or "", span.text))
                cut = lookalike_pieces(text)
                if cut is None or len(cut) != len(name):
                    continue
                aligned += 1
                for latin, cyrillic in zip(cut, name, strict=True):
                    counts[latin][cyrillic] += 1
    print(header_line())
    print(f"\n{len(picked)} signs, {len(readings)} Latin readings, {aligned} aligned letter by letter; "
          f"{time.time() - started:.0f} s\n")  # fmt: skip
    print("| Latin | times | Cyrillic letters it stood for |")
    print("|---|---:|---|")
    for latin, c in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"| {latin} | {sum(c.values())} | {', '.join(f'{k} {n}' for k, n in c.most_common())} |")
    if args.json:
        args.json.write_text(
            json.dumps({"counts": {k: dict(v) for k, v in counts.items()}, "readings": readings}, ensure_ascii=False),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
