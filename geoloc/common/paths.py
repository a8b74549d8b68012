"""Where geoloc keeps its files: one cache root for every component, the assets, the fitted data.

All caches (observations, the gazetteer index, boundaries, online answers) live in sub-folders of
one root, so ``geoloc cache clear --all`` and ``$GEOLOC_CACHE_DIR`` cover them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

CACHE_ENV = "GEOLOC_CACHE_DIR"
"""Environment variable naming the cache folder (all geoloc caches live in sub-folders of it)."""

ASSETS = Path(__file__).resolve().parent.parent / "assets"
"""Files fetched at set-up (boundaries, map scripts, the text-detection model): see scripts/."""

DATA = Path(__file__).resolve().parent.parent / "data"
"""Files kept in the repository that geoloc's own benchmarks fitted (the confidence calibration)."""


def default_cache_root() -> Path:
    """The platform's user cache folder for geoloc (``~/.cache/geoloc`` on Linux)."""
    return Path(platformdirs.user_cache_dir("geoloc", appauthor=False))


def cache_root() -> Path:
    """The folder of geoloc's caches: $GEOLOC_CACHE_DIR, else the platform's user cache folder."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else default_cache_root()
