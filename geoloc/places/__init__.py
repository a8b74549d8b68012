"""Place-name lookup behind one protocol: the offline GeoNames index by default, geopy geocoders on request.

Every backend answers ``search(query, priors=..., limit=..., fuzzy=...) -> list[Place]`` (best first),
``get``, ``country`` and ``lookup_exact``; callers never care which one they hold::

    from geoloc.places import get_gazetteer, Priors
    gz = get_gazetteer()                                  # offline, cached per process
    gz.search("Chernihlv", priors=Priors(country="UA"))[0].name   # 'Chernihiv'

``get_gazetteer("nominatim", url=...)`` wraps a geopy geocoder (see ``online``); with
``offline_fallback=True`` a failing service degrades to the offline answer with a warning.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from geoloc.common.paths import CACHE_ENV, cache_root
from geoloc.errors import GazetteerError
from geoloc.places.protocol import Gazetteer, Priors

__all__ = ["Gazetteer", "Priors", "get_gazetteer", "index_dir", "ONLINE_PROVIDERS"]

ONLINE_PROVIDERS = ("nominatim", "photon", "pelias", "opencage", "arcgis")


def index_dir() -> Path:
    """Where the offline index lives."""
    return cache_root() / "gazetteer"


_CACHE: dict[tuple, Any] = {}


def get_gazetteer(
    name: str = "geonames", *, url: str | None = None, offline_fallback: bool = True, **options: Any
) -> Gazetteer:
    """The gazetteer called ``name`` ("geonames" offline, or an online provider), cached per process.

    Online providers take ``url`` (a self-hosted server), ``user_agent``, ``timeout``,
    ``min_delay_seconds``, ``retries`` and ``cache`` (on-disk answer cache; default on).
    """
    key = (name, url, offline_fallback, tuple(sorted(options.items())), os.getpid(), os.environ.get(CACHE_ENV))
    gz = _CACHE.get(key)
    if gz is not None:
        return gz
    if name in ("geonames", "offline"):
        from geoloc.places.offline import OfflineGazetteer

        gz = OfflineGazetteer(index_dir())
    elif name in ONLINE_PROVIDERS:
        from geoloc.places.online import OnlineGazetteer

        fallback = get_gazetteer("geonames") if offline_fallback else None
        gz = OnlineGazetteer(name, url=url, fallback=fallback, **options)
    else:
        raise GazetteerError(f"unknown geocoder {name!r}; choose geonames or one of " + ", ".join(ONLINE_PROVIDERS))
    _CACHE[key] = gz
    return gz
