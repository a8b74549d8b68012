"""Online geocoders (Nominatim, Photon, Pelias, ...) through geopy, behind the gazetteer protocol.

Public services have rules and bad days: public Nominatim allows one request per second and bans
clients that ignore it; servers time out, answer 429 with Retry-After, fail with 5xx or send
broken JSON. So every request goes through geopy's ``RateLimiter``, with a timeout, a bounded
number of retries with exponential backoff (Retry-After honoured up to ``max_wait``), and every
answer is kept in an on-disk cache, so a re-run sends nothing. When the service still fails, a
warning names it and the offline gazetteer answers instead (``offline_fallback``), so a batch never
stops on a network problem.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geoloc import __version__
from geoloc.common.paths import cache_root
from geoloc.common.text import normalise
from geoloc.errors import GazetteerError, GeocoderServiceError
from geoloc.model import Place
from geoloc.places.offline import base_score, prior_bonus, to_unit
from geoloc.places.protocol import Gazetteer, Priors

log = logging.getLogger(__name__)

PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = f"geoloc/{__version__} (photo geolocation; https://pypi.org/project/geoloc/)"

_KIND = {
    "country": "country",
    "state": "admin1",
    "region": "admin1",
    "province": "admin1",
    "administrative": "admin1",
    "county": "admin2",
    "district": "admin2",
    "continent": "continent",
}


def _geocoder_class(provider: str) -> Any:
    from geopy import geocoders

    return {
        "nominatim": geocoders.Nominatim,
        "photon": geocoders.Photon,
        "pelias": geocoders.Pelias,
        "opencage": geocoders.OpenCage,
        "arcgis": geocoders.ArcGIS,
    }[provider]


class _AnswerCache:
    """Answers on disk, keyed by provider, server and request: a re-run sends nothing."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("CREATE TABLE IF NOT EXISTS answers(k TEXT PRIMARY KEY, v TEXT, t REAL)")
        self._lock = threading.Lock()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        with self._lock:
            row = self._db.execute("SELECT v FROM answers WHERE k=?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: list[dict[str, Any]]) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?)", (key, json.dumps(value), time.time()))
            self._db.commit()


class OnlineGazetteer:
    """A geopy geocoder answering like the offline gazetteer (same Place records, ranked)."""

    def __init__(
        self,
        provider: str,
        *,
        url: str | None = None,
        fallback: Gazetteer | None = None,
        user_agent: str | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        min_delay_seconds: float | None = None,
        max_wait: float = 30.0,
        backoff: float = 0.5,
        cache: bool = True,
        api_key: str | None = None,
    ) -> None:
        self.name = provider
        self.provider = provider
        self.url = url
        self.fallback = fallback
        self.retries = max(0, retries)
        self.max_wait = max_wait
        self.backoff = backoff
        self.timeout = timeout
        from geopy.adapters import URLLibAdapter

        # urllib has no hidden retries (requests' adapter retries twice more): ours are the only ones
        kwargs: dict[str, Any] = {"timeout": timeout, "adapter_factory": URLLibAdapter}
        if provider in ("nominatim", "photon", "pelias"):
            kwargs["user_agent"] = user_agent or DEFAULT_USER_AGENT
        if url:
            parts = urlsplit(url if "://" in url else f"https://{url}")
            kwargs["domain"] = parts.netloc + parts.path.rstrip("/")
            kwargs["scheme"] = parts.scheme
        if api_key:
            kwargs["api_key"] = api_key
        try:
            self._geocoder = _geocoder_class(provider)(**kwargs)
        except (TypeError, ValueError) as exc:
            raise GazetteerError(f"cannot set up the {provider} geocoder: {exc}") from exc
        public = provider == "nominatim" and (not url or PUBLIC_NOMINATIM in url)
        if min_delay_seconds is None:
            min_delay_seconds = 1.0 if public or not url else 0.0
        from geopy.extra.rate_limiter import RateLimiter

        self._call: Callable[..., Any] = RateLimiter(
            self._geocoder.geocode, min_delay_seconds=min_delay_seconds, max_retries=0, swallow_exceptions=False
        )
        server = url or "default"
        self._cache = None
        if cache:
            digest = hashlib.sha1(f"{provider}|{server}".encode()).hexdigest()[:12]
            path = cache_root() / "geocoder" / f"{provider}-{digest}.sqlite"
            try:
                self._cache = _AnswerCache(path)
            except (OSError, sqlite3.Error) as exc:
                log.warning("%s: cannot keep geocoder answers (%s); every run will ask again", path, exc)
        self.requests_sent = 0

    # -------------------------------------------------------------- requests

    def _request(self, query: str, limit: int, country: str | None) -> list[dict[str, Any]]:
        """Raw results for one request, with retries; raises GeocoderServiceError when it gives up."""
        from geopy import exc as gexc

        key = json.dumps([query, limit, country])
        if self._cache is not None:
            hit = self._cache.get(key)
            if hit is not None:
                return hit
        kwargs: dict[str, Any] = {"exactly_one": False}
        if self.provider == "nominatim":
            kwargs.update(limit=limit, addressdetails=True, extratags=True)
            if country:
                kwargs["country_codes"] = country.lower()
        elif self.provider == "photon":
            kwargs["limit"] = limit
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            wait = self.backoff * (2**attempt)
            try:
                self.requests_sent += 1
                found = self._call(query, **kwargs) or []
                raw = [self._to_record(loc) for loc in found]
                if self._cache is not None:
                    self._cache.put(key, raw)
                return raw
            except gexc.GeocoderRateLimited as exc:
                last = exc
                if exc.retry_after:
                    wait = float(exc.retry_after)
            except (
                gexc.GeocoderTimedOut,
                gexc.GeocoderUnavailable,
                gexc.GeocoderParseError,
                gexc.GeocoderServiceError,
            ) as exc:
                last = exc
                if isinstance(
                    exc,
                    (gexc.GeocoderAuthenticationFailure, gexc.GeocoderInsufficientPrivileges, gexc.GeocoderQueryError),
                ):
                    break  # asking again will not help
            except (ValueError, KeyError, TypeError) as exc:  # malformed answer past geopy's checks
                last = exc
            if attempt < self.retries:
                log.info("%s: %s; retrying in %.1f s", self.provider, _reason(last), min(wait, self.max_wait))
                time.sleep(min(wait, self.max_wait))
        raise GeocoderServiceError(
            f"{self.provider} geocoder failed after {self.retries + 1} attempt(s): {_reason(last)}",
            path=self.url or None,
        )

    def _to_record(self, loc: Any) -> dict[str, Any]:
        raw = loc.raw if isinstance(loc.raw, dict) else {}
        addr = raw.get("address") or {}
        props = raw.get("properties") or {}  # Photon / Pelias GeoJSON
        name = (raw.get("name") or props.get("name") or (loc.address or "").split(",")[0]).strip()
        kind_src = raw.get("addresstype") or raw.get("type") or props.get("type") or props.get("layer") or ""
        pop = (raw.get("extratags") or {}).get("population") or props.get("population") or 0
        try:
            pop = int(str(pop).replace(",", "").split(".")[0] or 0)
        except ValueError:
            pop = 0
        return {
            "name": name or query_name(loc),
            "lat": float(loc.latitude),
            "lon": float(loc.longitude),
            "country_code": str(
                addr.get("country_code") or props.get("countrycode") or props.get("country_code") or ""
            ).upper(),
            "admin1": addr.get("state") or props.get("state") or props.get("region") or "",
            "population": pop,
            "kind": _KIND.get(str(kind_src), "city"),
            "importance": float(raw.get("importance") or 0.0),
        }

    # -------------------------------------------------------------- protocol

    def search(self, query: str, *, priors: Priors | None = None, limit: int = 10, fuzzy: bool = True) -> list[Place]:
        """Ranked places from the service; the offline answer (with a warning) if it fails."""
        from rapidfuzz import fuzz

        if len(normalise(query).replace(" ", "")) < 3:
            return []
        country = priors.country if priors and priors.country and len(priors.country) == 2 else None
        try:
            raw = self._request(query, max(limit, 1), country)
        except GeocoderServiceError as exc:
            if self.fallback is None:
                raise
            log.warning("%s; using the offline gazetteer", exc)
            return self.fallback.search(query, priors=priors, limit=limit, fuzzy=fuzzy)
        qn = normalise(query)
        out = []
        for r in raw:
            match = round(fuzz.ratio(qn, normalise(r["name"])) / 100.0, 3)
            place = Place(
                geonameid=0,
                name=r["name"],
                lat=r["lat"],
                lon=r["lon"],
                country_code=r["country_code"],
                admin1=r["admin1"],
                population=r["population"],
                kind=r["kind"],
                matched=r["name"],
                match=match,
                source=self.provider,
            )
            rawscore = (
                base_score(max(match, 0.9), place.population, place.kind)
                + 4 * r["importance"]
                + prior_bonus(place, priors, country)
            )
            out.append((rawscore, place))
        out.sort(key=lambda t: -t[0])
        return [replace(p, score=to_unit(s)) for s, p in out[:limit]]

    def lookup_exact(self, query: str) -> list[Place]:
        """Results whose name equals the query after folding."""
        qn = normalise(query)
        return [p for p in self.search(query, fuzzy=False) if normalise(p.name) == qn]

    def get(self, geonameid: int) -> Place | None:
        """GeoNames ids are an offline notion: asked of the offline gazetteer when there is one."""
        return self.fallback.get(geonameid) if self.fallback is not None else None

    def country(self, code_or_name: str) -> Place | None:
        """Countries come from the offline gazetteer when there is one (they do not move)."""
        if self.fallback is not None:
            return self.fallback.country(code_or_name)
        for p in self.search(code_or_name, limit=5):
            if p.kind == "country":
                return p
        return None


def query_name(loc: Any) -> str:
    """A name for a result that carries none: the first part of its address."""
    return str(getattr(loc, "address", "") or "").split(",")[0].strip()


def _reason(exc: Exception | None) -> str:
    if exc is None:
        return "no answer"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
