"""Place-name lookup behind one protocol: the offline GeoNames index by default, geopy geocoders on request.

Every backend answers ``search(query, priors=..., limit=..., fuzzy=...) -> list[Place]`` (best first),
``get``, ``country`` and ``lookup_exact``; callers never care which one they hold::

    from geoloc.gazetteer import get_gazetteer, Priors
    gz = get_gazetteer()                                  # offline, cached per process
    gz.search("Chernihlv", priors=Priors(country="UA"))[0].name   # 'Chernihiv'

``get_gazetteer("nominatim", url=...)`` wraps a geopy geocoder (see ``online``); with
``offline_fallback=True`` a failing service degrades to the offline answer with a warning.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import GazetteerError
from ..report import Place

__all__ = ["Gazetteer", "Priors", "get_gazetteer", "cache_dir", "index_dir", "ONLINE_PROVIDERS"]

ONLINE_PROVIDERS = ("nominatim", "photon", "pelias", "opencage", "arcgis")


@dataclass(frozen=True)
class Priors:
    """What the caller already knows about where the name probably is.

    country: ISO code or name ("UA", "Ukraine"); near: (lat, lon, radius_km);
    places: other places seen in the same photo or caption (near ones reinforce each other);
    script: "Cyrl" or "Latn", the script the name was written in (a Cyrillic sign is not in Peru).
    """

    country: str | None = None
    near: tuple[float, float, float] | None = None
    places: Sequence[Place] = ()
    script: str | None = None


@runtime_checkable
class Gazetteer(Protocol):
    """What every backend answers."""

    name: str

    def search(self, query: str, *, priors: Priors | None = None, limit: int = 10,
               fuzzy: bool = True) -> list[Place]: ...

    def get(self, geonameid: int) -> Place | None: ...

    def country(self, code_or_name: str) -> Place | None: ...

    def lookup_exact(self, query: str) -> list[Place]: ...


def cache_dir() -> Path:
    """geoloc's cache directory: $GEOLOC_CACHE_DIR, else the platform's user cache dir."""
    env = os.environ.get("GEOLOC_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geoloc", appauthor=False))


def index_dir() -> Path:
    """Where the offline index lives."""
    return cache_dir() / "gazetteer"


_CACHE: dict[tuple, Any] = {}


def get_gazetteer(name: str = "geonames", *, url: str | None = None, offline_fallback: bool = True,
                  **options: Any) -> Gazetteer:
    """The gazetteer called ``name`` ("geonames" offline, or an online provider), cached per process.

    Online providers take ``url`` (a self-hosted server), ``user_agent``, ``timeout``,
    ``min_delay_seconds``, ``retries`` and ``cache`` (on-disk answer cache; default on).
    """
    key = (name, url, offline_fallback, tuple(sorted(options.items())), os.getpid(),
           os.environ.get("GEOLOC_CACHE_DIR"))
    gz = _CACHE.get(key)
    if gz is not None:
        return gz
    if name in ("geonames", "offline"):
        from .offline import OfflineGazetteer

        gz = OfflineGazetteer(index_dir())
    elif name in ONLINE_PROVIDERS:
        from .online import OnlineGazetteer

        fallback = get_gazetteer("geonames") if offline_fallback else None
        gz = OnlineGazetteer(name, url=url, fallback=fallback, **options)
    else:
        raise GazetteerError(f"unknown geocoder {name!r}; choose geonames or one of "
                             + ", ".join(ONLINE_PROVIDERS))
    _CACHE[key] = gz
    return gz
