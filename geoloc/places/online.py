"""Online geocoders (Nominatim, Photon, Pelias, ...) through geopy, behind the gazetteer protocol.

Public services have rules and bad days: public Nominatim allows one request per second and bans
clients that ignore it; servers time out, answer 429 with Retry-After, fail with 5xx or send
broken JSON. So every request goes through geopy's ``RateLimiter``, with a timeout, a bounded
number of retries with exponential backoff (Retry-After honoured up to ``max_wait``), and every
answer is kept in an on-disk cache, so a re-run sends nothing. When the service still fails, a
warning names it and the offline gazetteer answers instead (``offline_fallback``), so a batch never
stops on a network problem.

A server may also be hostile, or sit behind a hostile network. The transport (``_BoundedAdapter``)
gives the whole request one deadline (a server sending a byte every few seconds cannot hold it),
reads at most ``MAX_ANSWER_BYTES`` and follows redirects only on the same host. Every result is
checked field by field (``_record``): a malformed one is left out, an answer with nothing usable is
a failure, and the offline gazetteer answers. A service that keeps failing is not asked again in
the same run (``MAX_FAILED_QUERIES``).
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import io
import json
import logging
import math
import os
import socket
import sqlite3
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from geopy import exc as gexc
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter

from geoloc import __version__
from geoloc.common.files import open_cache_file
from geoloc.common.paths import cache_root
from geoloc.common.text import normalise
from geoloc.errors import GazetteerError, GeocoderServiceError
from geoloc.model import Place
from geoloc.places.offline import base_score, prior_bonus, to_unit
from geoloc.places.protocol import Gazetteer, Priors

log = logging.getLogger(__name__)

PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = f"geoloc/{__version__} (photo geolocation; https://pypi.org/project/geoloc/)"

MAX_ANSWER_BYTES = 1_000_000
"""A Nominatim answer of 50 places with address details and extra tags is about 60 KB: a body over
1 MB is not an answer to a place-name query, and is not read further."""
MAX_CACHED_ANSWER_BYTES = 2 * MAX_ANSWER_BYTES
"""The longest value read from the answer cache: a cached answer is the kept results of one answer,
written again as JSON (a little longer than the service wrote them at most)."""
MAX_REDIRECTS = 3
"""Redirects followed for one request: a service moved to HTTPS or behind a balancer takes one or
two; more is a loop."""
MAX_FAILED_QUERIES = 3
"""Queries in a row a service may fail before this run stops asking it. Each failure costs up to
(retries + 1) x timeout, so a service that is down, or answers a byte every few seconds, would
otherwise cost that for every name of every photo; the offline gazetteer answers instead."""
_CACHE_FORMAT = 2
"""Part of every answer-cache key: answers kept in another layout are never read as this one."""
MAX_POPULATION = 2_000_000_000
"""More than any country has: a larger figure is not a population, and counts as unknown."""

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


# ---------------------------------------------------------------- what a result must hold

_FieldPath = tuple[str | int, ...]
_P = "properties"  # GeoJSON (Photon, Pelias)

_RESULTS: dict[str, str | None] = {
    "nominatim": None,  # the answer is the list
    "photon": "features",
    "pelias": "features",
    "opencage": "results",
    "arcgis": "candidates",
}
"""Where each service lists its results in an answer."""

_FIELDS: dict[str, dict[str, tuple[_FieldPath, ...]]] = {
    "nominatim": {
        "lat": (("lat",),),
        "lon": (("lon",),),
        "name": (("name",),),
        "label": (("display_name",),),
        "kind": (("addresstype",), ("type",)),
        "country": (("address", "country_code"),),
        "admin1": (("address", "state"),),
        "population": (("extratags", "population"),),
        "importance": (("importance",),),
    },
    "photon": {
        "lat": (("geometry", "coordinates", 1),),
        "lon": (("geometry", "coordinates", 0),),
        "name": ((_P, "name"),),
        "kind": ((_P, "type"),),
        "country": ((_P, "countrycode"),),
        "admin1": ((_P, "state"),),
        "population": ((_P, "population"),),
        "text": tuple((_P, k) for k in ("housenumber", "street", "postcode", "city", "country")),
    },
    "pelias": {
        "lat": (("geometry", "coordinates", 1),),
        "lon": (("geometry", "coordinates", 0),),
        "name": ((_P, "name"),),
        "label": ((_P, "label"),),
        "kind": ((_P, "layer"),),
        "country": ((_P, "country_code"),),
        "admin1": ((_P, "region"),),
        "population": ((_P, "population"),),
    },
    "opencage": {
        "lat": (("geometry", "lat"),),
        "lon": (("geometry", "lng"),),
        "label": (("formatted",),),
    },
    "arcgis": {
        "lat": (("location", "y"),),
        "lon": (("location", "x"),),
        "label": (("address",),),
    },
}
"""Where each service puts what geoloc reads in one result, by role; "text" lists the other fields
geopy reads as text. Every field listed is checked, whether or not an earlier one was used."""


class _BadRecord(ValueError):
    """One result of an answer is malformed; the message names the field."""


def _shown(path: _FieldPath) -> str:
    return ".".join(str(step) for step in path)


def _dig(raw: Any, path: _FieldPath) -> Any:
    """The value at ``path`` in a result, None when absent; _BadRecord when a step is of the wrong kind."""
    value = raw
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list):
                raise _BadRecord(f"{_shown(path)}: not in a list")
            value = value[step] if step < len(value) else None
        else:
            if not isinstance(value, dict):
                raise _BadRecord(f"{_shown(path)}: not in an object")
            value = value.get(step)
        if value is None:
            return None
    return value


def _text(raw: Any, paths: tuple[_FieldPath, ...]) -> str:
    """The first non-empty text among ``paths`` ("" when none); _BadRecord when one is not text."""
    found = ""
    for path in paths:
        value = _dig(raw, path)
        if value is None:
            continue
        if not isinstance(value, str):
            raise _BadRecord(f"{_shown(path)} is not text")
        found = found or value.strip()
    return found


def _coordinate(raw: Any, paths: tuple[_FieldPath, ...], limit: float) -> float:
    """The coordinate at the one path given, a finite number within +-``limit`` (Nominatim writes text)."""
    (path,) = paths
    value = _dig(raw, path)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _BadRecord(f"{_shown(path)} is not a number")
    try:
        number = float(value)
    except ValueError:
        raise _BadRecord(f"{_shown(path)} is not a number") from None
    if not (math.isfinite(number) and -limit <= number <= limit):
        raise _BadRecord(f"{_shown(path)} {number!r} is not a finite number within +-{limit:g}")
    return number


def _population(raw: Any, paths: tuple[_FieldPath, ...]) -> int:
    """The population, 0 when unknown: OSM's tag is free text ("ca. 3000"), so only its type is required."""
    for path in paths:
        value = _dig(raw, path)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise _BadRecord(f"{_shown(path)} is neither a number nor text")
        try:
            number = int(str(value).replace(",", "").split(".")[0] or 0)
        except ValueError:
            return 0
        return number if 0 <= number <= MAX_POPULATION else 0
    return 0


def _importance(raw: Any, paths: tuple[_FieldPath, ...]) -> float:
    """The service's own ranking, a finite number, held to [0, 1] so that it cannot outweigh the name."""
    for path in paths:
        value = _dig(raw, path)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _BadRecord(f"{_shown(path)} is not a finite number")
        return min(max(float(value), 0.0), 1.0)
    return 0.0


def _record(provider: str, raw: Any) -> dict[str, Any]:
    """geoloc's record of one result of the service, checked field by field; _BadRecord when malformed."""
    if not isinstance(raw, dict):
        raise _BadRecord("a result is not a JSON object")
    fields = _FIELDS[provider]
    _text(raw, fields.get("text", ()))  # read by geopy: only checked
    name = _text(raw, fields.get("name", ())) or _text(raw, fields.get("label", ())).split(",")[0].strip()
    if not name:
        raise _BadRecord("the result has no name")
    country = _text(raw, fields.get("country", ())).upper()
    return {
        "name": name,
        "lat": _coordinate(raw, fields["lat"], 90.0),
        "lon": _coordinate(raw, fields["lon"], 180.0),
        "country_code": country if len(country) == 2 and country.isascii() and country.isalpha() else "",
        "admin1": _text(raw, fields.get("admin1", ())),
        "population": _population(raw, fields.get("population", ())),
        "kind": _KIND.get(_text(raw, fields.get("kind", ())), "city"),
        "importance": _importance(raw, fields.get("importance", ())),
    }


def _checked_answer(provider: str, answer: Any) -> Any:
    """The service's parsed answer with its malformed results left out (each with a debug line).

    Raises geopy's GeocoderParseError when the answer is not of the service's shape, or when it had
    results and none of them is usable: the offline gazetteer answers then, not an empty list.
    """
    key = _RESULTS[provider]
    if key is None:
        if isinstance(answer, dict) and "error" in answer:
            return answer  # the service's own error message, which geopy raises
        results = answer
    elif isinstance(answer, dict):
        results = answer.get(key)
        if results is None:
            return answer  # a status or an error report, which geopy reads and raises
    else:
        raise gexc.GeocoderParseError("the answer is not a JSON object")
    if not isinstance(results, list):
        raise gexc.GeocoderParseError("the answer's results are not a list")
    kept = []
    reason = ""
    for i, raw in enumerate(results):
        try:
            _record(provider, raw)
        except _BadRecord as exc:
            log.debug("%s: result %d left out (%s)", provider, i, exc)
            reason = reason or str(exc)
            continue
        kept.append(raw)
    if results and not kept:
        raise gexc.GeocoderParseError(f"none of the {len(results)} results is well formed ({reason})")
    return kept if key is None else {**answer, key: kept}


# ---------------------------------------------------------------- transport


class AnswerRefused(gexc.GeocoderServiceError):
    """An answer refused for what it is (too large, a redirect elsewhere): asking again will not help."""


def _time_left(deadline: float) -> float:
    """Seconds until ``deadline`` (time.monotonic); TimeoutError once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the request took longer than its timeout")
    return left


class _DeadlineReader(io.RawIOBase):
    """A socket's reads, each given only the time left before the request's deadline.

    A socket timeout bounds one read: a server sending a byte every few seconds never trips it.
    Setting it before every read to what is left of the request's time bounds the whole request,
    status line and headers included (http.client reads them through this too).
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(_time_left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineSocket:
    """What http.client's response sees of a socket: ``makefile``, through a _DeadlineReader."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


def _deadline_response(sock: socket.socket, *args: Any, deadline: float, **kwargs: Any) -> http.client.HTTPResponse:
    return http.client.HTTPResponse(_DeadlineSocket(sock, deadline), *args, **kwargs)  # type: ignore[arg-type]


class _DeadlineConnection:
    """A mixin for http.client connections: connecting gets the time left, and so does every read."""

    timeout: float | None

    def __init__(self, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        self.response_class = functools.partial(_deadline_response, deadline=deadline)

    def connect(self) -> None:
        self.timeout = _time_left(self._deadline)  # connecting and the TLS handshake
        super().connect()  # type: ignore[misc]


class _DeadlineHTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    """An HTTP connection within one request's deadline."""


class _DeadlineHTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    """An HTTPS connection within one request's deadline (certificates checked as usual)."""


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    """urllib's HTTP handler, opening _DeadlineHTTPConnection: one per request, for its deadline."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_DeadlineHTTPConnection, deadline=self._deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    """urllib's HTTPS handler, opening _DeadlineHTTPSConnection: one per request, for its deadline."""

    def __init__(self, deadline: float, context: Any) -> None:
        super().__init__(context=context)
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            functools.partial(_DeadlineHTTPSConnection, deadline=self._deadline),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed on the same host only (HTTP to HTTPS allowed, never back).

    A geocoder sends the query (and perhaps an API key): a redirect elsewhere would hand it to a
    server the user never chose.
    """

    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        if new.hostname != old.hostname or (old.scheme, new.scheme) not in (
            ("http", "http"),
            ("http", "https"),
            ("https", "https"),
        ):
            fp.close()
            raise AnswerRefused(f"redirected to {new.scheme}://{new.hostname}: not followed (only the same host is)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _transport_error(reason: object) -> gexc.GeopyError:
    """geopy's exception for a failed request (geopy maps those to retries and messages)."""
    if isinstance(reason, TimeoutError):
        return gexc.GeocoderTimedOut(f"no complete answer in time ({reason})")
    if isinstance(reason, OSError):
        return gexc.GeocoderUnavailable(f"cannot reach the service ({reason.strerror or reason})")
    return gexc.GeocoderServiceError(f"{type(reason).__name__}: {reason}")


class _BoundedAdapter(BaseSyncAdapter):
    """geopy's HTTP transport for geoloc: urllib, with the whole request bounded in time and size.

    geopy's own urllib adapter gives each socket read the timeout (a server sending a byte every
    few seconds holds a request for minutes), reads a body of any size and follows redirects to any
    host. Here the request's ``timeout`` is a deadline for all of it, the body is cut at
    ``MAX_ANSWER_BYTES``, redirects stay on the host, and a JSON answer is checked by ``check``
    (the service's result shapes) before geopy parses it. HTTP error bodies are not read.
    """

    def __init__(self, *, proxies: dict[str, str] | None, ssl_context: Any, check: Callable[[Any], Any]) -> None:
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self._proxies = urllib.request.getproxies() if proxies is None else proxies
        self._ssl_context = ssl_context
        self._check = check

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        body = self._fetch(url, timeout, headers)
        try:
            answer = json.loads(body, parse_constant=_no_constant)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            raise gexc.GeocoderParseError(f"the answer is not JSON ({str(exc)[:100]})") from None
        return self._check(answer)

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        try:
            return self._fetch(url, timeout, headers).decode("utf-8")
        except UnicodeDecodeError:
            raise gexc.GeocoderParseError("the answer is not UTF-8 text") from None

    def _fetch(self, url: str, timeout: float, headers: dict[str, str]) -> bytes:
        deadline = time.monotonic() + timeout
        opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(self._proxies),
            _DeadlineHTTPHandler(deadline),
            _DeadlineHTTPSHandler(deadline, self._ssl_context),
            _SameHostRedirects(),
            urllib.request.HTTPDefaultErrorHandler(),
            urllib.request.HTTPErrorProcessor(),
        ):
            opener.add_handler(handler)
        try:
            page = opener.open(urllib.request.Request(url, headers=headers), timeout=timeout)
        except HTTPError as err:
            err.close()
            raise AdapterHTTPError(
                f"Non-successful status code {err.code}",
                status_code=err.code,
                headers={name.lower(): value for name, value in err.headers.items()},
                text=None,
            ) from None
        except URLError as err:
            raise _transport_error(err.reason) from None
        except (OSError, http.client.HTTPException) as err:
            raise _transport_error(err) from None
        with page:
            try:
                body = page.read(MAX_ANSWER_BYTES + 1)
            except (OSError, http.client.HTTPException) as err:
                raise _transport_error(err) from None
        if len(body) > MAX_ANSWER_BYTES:
            raise AnswerRefused(f"the answer is over {MAX_ANSWER_BYTES} bytes; not read")
        return body


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


# ---------------------------------------------------------------- the answer cache


class _AnswerCache:
    """Answers on disk, keyed by provider, server and request: a re-run sends nothing.

    The file is in the cache folder, where someone else may have put something. It must be a
    regular file (not a link, a FIFO or a device); it must hold only the answers table (no views,
    no triggers, which would run on every query); a value read is at most
    ``MAX_CACHED_ANSWER_BYTES``; and every cached result is checked again like a fresh one. A file
    SQLite cannot read, or that holds anything else, is started again.
    """

    _SCHEMA = "CREATE TABLE answers(k TEXT PRIMARY KEY, v TEXT, t REAL)"
    _OBJECTS = [("index", "sqlite_autoindex_answers_1", None), ("table", "answers", _SCHEMA)]
    """Everything the file may hold: SQLite's record of the table and of its key's index."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = self._connect(path)
        except _NotAnAnswerCache as exc:
            log.warning("%s: not a geoloc answer cache (%s); starting it again", path, exc)
            path.unlink()
            self._db = self._connect(path)

    @classmethod
    def _connect(cls, path: Path) -> sqlite3.Connection:
        try:
            fd, _ = open_cache_file(path)  # UnusableCacheError for a link, a FIFO, a device
            os.close(fd)
        except FileNotFoundError:
            pass
        db = sqlite3.connect(path, check_same_thread=False)
        try:
            db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_CACHED_ANSWER_BYTES)
            objects = sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=str)
            if not objects:
                db.execute(cls._SCHEMA)
                db.commit()
            elif objects != cls._OBJECTS:
                raise _NotAnAnswerCache("it holds other tables, views or triggers")
        except sqlite3.DatabaseError as exc:
            db.close()
            if exc.sqlite_errorcode in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
                raise _NotAnAnswerCache(str(exc)) from None
            raise
        except BaseException:
            db.close()
            raise
        return db

    def get(self, key: str) -> list[Any] | None:
        """The cached results for ``key``, or None when there are none or they cannot be read."""
        try:
            with self._lock:
                row = self._db.execute("SELECT v FROM answers WHERE k=?", (key,)).fetchone()
            value = json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError, TypeError, RecursionError) as exc:
            log.debug("ignoring a damaged cached geocoder answer (%s)", exc)
            return None
        return value if isinstance(value, list) else None

    def put(self, key: str, value: list[Any]) -> None:
        """Keep the results for ``key``; a cache that cannot be written costs time only, so it is logged."""
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            with self._lock:
                self._db.execute("INSERT OR REPLACE INTO answers VALUES (?,?,?)", (key, text, time.time()))
                self._db.commit()
        except (sqlite3.Error, ValueError) as exc:
            log.debug("cannot keep a geocoder answer (%s)", exc)


class _GivenUp(GeocoderServiceError):
    """The service failed ``MAX_FAILED_QUERIES`` queries in a row and is not asked again in this run."""


class _NotAnAnswerCache(ValueError):
    """The answer cache file is a database of something else, or damaged: it is started again."""


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
        if not (math.isfinite(timeout) and timeout > 0):
            raise GazetteerError(f"the geocoder timeout must be a positive number of seconds, not {timeout!r}")
        self.timeout = timeout
        # urllib has no hidden retries (requests' adapter retries twice more): ours are the only ones
        kwargs: dict[str, Any] = {
            "timeout": timeout,  # for the whole request: connecting, sending, reading the answer
            "adapter_factory": functools.partial(_BoundedAdapter, check=functools.partial(_checked_answer, provider)),
        }
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
            except (OSError, ValueError, sqlite3.Error) as exc:  # ValueError: a link, a FIFO, a device there
                log.warning("%s: cannot keep geocoder answers (%s); every run will ask again", path, exc)
        self.requests_sent = 0
        self._failures = 0  # queries in a row the service failed

    # -------------------------------------------------------------- requests

    def _request(self, query: str, limit: int, country: str | None) -> list[dict[str, Any]]:
        """Checked records for one request, with retries; raises GeocoderServiceError when it gives up."""
        key = json.dumps([_CACHE_FORMAT, query, limit, country])
        if self._cache is not None:
            hit = self._cache.get(key)
            if hit is not None:
                try:
                    return [_record(self.provider, raw) for raw in hit]
                except _BadRecord as exc:
                    log.debug("%s: ignoring a damaged cached answer (%s)", self.provider, exc)
        if self._failures >= MAX_FAILED_QUERIES:
            raise _GivenUp(f"{self.provider} geocoder is not asked again in this run", path=self.url or None)
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
                found = [loc.raw for loc in self._call(query, **kwargs) or []]
                records = [_record(self.provider, raw) for raw in found]  # checked already: cannot fail
                if self._cache is not None:
                    self._cache.put(key, found)
                self._failures = 0
                return records
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
                    (
                        gexc.GeocoderAuthenticationFailure,
                        gexc.GeocoderInsufficientPrivileges,
                        gexc.GeocoderQueryError,
                        AnswerRefused,
                    ),
                ):
                    break  # asking again will not help
            except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:  # in geopy's own parsing
                last = exc
            if attempt < self.retries:
                log.info("%s: %s; retrying in %.1f s", self.provider, _reason(last), min(wait, self.max_wait))
                time.sleep(min(wait, self.max_wait))
        self._failures += 1
        given_up = "; not asked again in this run" if self._failures >= MAX_FAILED_QUERIES else ""
        raise GeocoderServiceError(
            f"{self.provider} geocoder failed after {attempt + 1} attempt(s): {_reason(last)}{given_up}",
            path=self.url or None,
        )

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
            quiet = isinstance(exc, _GivenUp)  # said once, when the service was given up
            log.log(logging.DEBUG if quiet else logging.WARNING, "%s; using the offline gazetteer", exc)
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

    def names(self, geonameid: int) -> tuple[str, ...]:
        """A place's names by GeoNames id: from the offline gazetteer when there is one."""
        return self.fallback.names(geonameid) if self.fallback is not None else ()

    def largest(self, country_code: str, limit: int) -> list[Place]:
        """A country's most populous settlements: from the offline gazetteer when there is one (a
        geocoder answers names, not rankings)."""
        return self.fallback.largest(country_code, limit) if self.fallback is not None else []

    def country(self, code_or_name: str) -> Place | None:
        """Countries come from the offline gazetteer when there is one (they do not move)."""
        if self.fallback is not None:
            return self.fallback.country(code_or_name)
        for p in self.search(code_or_name, limit=5):
            if p.kind == "country":
                return p
        return None


def _reason(exc: Exception | None) -> str:
    if exc is None:
        return "no answer"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__
