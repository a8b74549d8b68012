"""Hostile caches and a hostile online geocoder: what a stranger can put in the cache folder or answer.

The cache folder may be shared or badly permissioned, so every file in it is read as untrusted: a
FIFO, a link, a file far too large or values out of range must be a miss (read again, rebuilt) or
one clear line, never a hang, a crash or a trusted answer. An online geocoder may answer valid JSON
of the wrong shape, drip its answer, send 100 MB or redirect elsewhere: a malformed result is left
out, an unusable answer falls back to the offline gazetteer, and the whole request is bounded.

The servers here listen on 127.0.0.1 only; every test runs under an alarm, so that a regression
fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import sqlite3
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image

from geoloc.cache import MAX_ENTRY_BYTES, ObservationCache
from geoloc.cli.main import cli
from geoloc.errors import GazetteerError
from geoloc.model import GPS, Location, Metadata, TextSpan
from geoloc.places import get_gazetteer
from geoloc.places.index import DB_NAME, FZ_HASH, FZ_KID, INFO_NAME, build
from geoloc.places.offline import OfflineGazetteer
from geoloc.places.online import MAX_ANSWER_BYTES, MAX_FAILED_QUERIES, OnlineGazetteer
from tests.support.limits import deadline

TEST_SECONDS = 60
"""Each test's bound: the slowest builds a one-country index twice (about 5 s each)."""
FIFO_GRACE_SECONDS = 3.0
"""How long a reader may block opening a FIFO before ``make_fifo`` releases it (see there)."""

CHERNIHIV = {
    "place_id": 1,
    "lat": "51.4939",
    "lon": "31.2947",
    "name": "Чернігів",
    "display_name": "Чернігів, Чернігівська область, Україна",
    "type": "city",
    "addresstype": "city",
    "importance": 0.62,
    "address": {"city": "Чернігів", "state": "Чернігівська область", "country_code": "ua"},
    "extratags": {"population": "285234"},
}


@pytest.fixture(autouse=True)
def _time_bound() -> Iterator[None]:
    with deadline(TEST_SECONDS, "the test still running"):
        yield


@pytest.fixture
def make_fifo() -> Iterator[Callable[[Path], None]]:
    """Put a FIFO in place of a file. Should the code under test block opening it (the bug these
    tests catch), a writer opened after ``FIFO_GRACE_SECONDS`` releases it, so that the test fails
    instead of hanging, even inside C code (SQLite) where the alarm cannot interrupt it."""
    fifos: list[Path] = []
    stop = threading.Event()

    def release() -> None:
        if stop.wait(FIFO_GRACE_SECONDS):
            return
        while not stop.is_set():
            for fifo in fifos:
                try:
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # ENXIO while nobody reads
                except OSError:
                    pass
            stop.wait(0.1)

    thread = threading.Thread(target=release, daemon=True)
    thread.start()

    def make(path: Path) -> None:
        path.unlink(missing_ok=True)
        os.mkfifo(path)
        fifos.append(path)

    yield make
    stop.set()
    thread.join()


# ---------------------------------------------------------------- a scripted geocoder


class Server:
    """A Nominatim look-alike on 127.0.0.1: ``reply(handler)`` answers each request."""

    def __init__(self, reply: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.paths.append(self.path)
                try:
                    reply(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send_json(handler: BaseHTTPRequestHandler, answer: Any) -> None:
    body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[BaseHTTPRequestHandler], None]], Server]]:
    servers: list[Server] = []

    def start(reply: Callable[[BaseHTTPRequestHandler], None]) -> Server:
        servers.append(Server(reply))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


@pytest.fixture(scope="module")
def offline() -> OfflineGazetteer:
    return get_gazetteer()  # type: ignore[return-value]


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline: OfflineGazetteer) -> Path:
    """A fresh cache folder sharing the built offline index (the fallback)."""
    root = tmp_path / "cache"
    root.mkdir()
    (root / "gazetteer").symlink_to(offline.directory, target_is_directory=True)
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(root))
    return root


def online(server: Server, offline: OfflineGazetteer, **kw: Any) -> OnlineGazetteer:
    opts: dict[str, Any] = {"timeout": 1.0, "retries": 0, "backoff": 0.01, "min_delay_seconds": 0.0}
    opts.update(kw)
    return OnlineGazetteer("nominatim", url=server.url, fallback=offline, **opts)


def answered_offline(places: list, caplog: pytest.LogCaptureFixture, words: str) -> bool:
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    return bool(places) and places[0].source == "geonames" and any(words in w for w in warned)


# ---------------------------------------------------------------- answers of the wrong shape

BAD_FIELDS = {
    "name is a number": {"name": 12345},
    "address is a list": {"address": []},
    "importance is the text NaN": {"importance": "NaN"},
    "importance is a list": {"importance": [1]},
    "latitude is nan": {"lat": "nan"},
    "longitude out of range": {"lon": "500"},
    "extratags is text": {"extratags": "population=5"},
    "display name is a list": {"name": None, "display_name": ["Chernihiv"]},
}


@pytest.mark.parametrize("change", BAD_FIELDS.values(), ids=BAD_FIELDS.keys())
def test_a_malformed_result_is_left_out_and_an_unusable_answer_falls_back(
    change, serve, offline, cache_root, caplog
) -> None:
    bad = {**CHERNIHIV, **change}
    only_bad = serve(lambda h: send_json(h, [bad]))
    with caplog.at_level(logging.WARNING):
        places = online(only_bad, offline).search("Chernihiv")
    assert answered_offline(places, caplog, "none of the 1 results is well formed")
    assert places[0].name.startswith("Chernihiv")

    mixed = serve(lambda h: send_json(h, [bad, CHERNIHIV]))
    places = online(mixed, offline).search("Чернігів")
    assert [p.source for p in places] == ["nominatim"]  # the good result, alone
    assert math.isfinite(places[0].score) and places[0].country_code == "UA"


@pytest.mark.parametrize(
    "body",
    [b'[{"lat": NaN, "lon": 31.3, "name": "Chernihiv"}]', b"[" * 100_000, b'{"features": []}', b"12"],
    ids=["NaN literal", "nested 100k deep", "an object", "a number"],
)
def test_an_answer_that_is_not_a_list_of_places_falls_back(body, serve, offline, cache_root, caplog) -> None:
    server = serve(lambda h: send_json(h, body))
    with caplog.at_level(logging.WARNING):
        places = online(server, offline).search("Chernihiv")
    assert answered_offline(places, caplog, "GeocoderParseError")


def test_geocode_prints_the_offline_answer_when_the_service_answers_nonsense(
    serve, cache_root, caplog, monkeypatch
) -> None:
    monkeypatch.setitem(OnlineGazetteer.__init__.__kwdefaults__, "backoff", 0.01)
    server = serve(lambda h: send_json(h, [{**CHERNIHIV, "name": 12345, "address": []}]))
    with caplog.at_level(logging.WARNING):
        res = CliRunner().invoke(
            cli, ["geocode", "Chernihiv", "--geocoder", "nominatim", "--geocoder-url", server.url, "--json"]
        )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["queries"][0]["candidates"][0]["source"] == "geonames"
    assert any("using the offline gazetteer" in r.getMessage() for r in caplog.records)


def test_locate_falls_back_instead_of_failing_every_photo(serve, cache_root, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(OnlineGazetteer.__init__.__kwdefaults__, "backoff", 0.01)
    server = serve(lambda h: send_json(h, [{**CHERNIHIV, "name": 12345}]))
    Image.new("RGB", (160, 120), "white").save(tmp_path / "a.jpg")
    (tmp_path / "caption.txt").write_text("Photo taken in Chernihiv.", encoding="utf-8")
    res = CliRunner().invoke(
        cli,
        ["locate", "a.jpg", "--context", "caption.txt", "--no-cache", "--json", "--map", "map.html"]
        + ["--geocoder", "nominatim", "--geocoder-url", server.url],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["photos"][0]["estimate"]["lat"] == pytest.approx(51.5, abs=0.1)


# ---------------------------------------------------------------- slow, huge, redirected


def drip_headers(h: BaseHTTPRequestHandler) -> None:
    """The status line and headers, a byte every 0.2 s: each read is quick, the whole is not."""
    for byte in b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"x" * 40:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.2)


def drip_body(h: BaseHTTPRequestHandler) -> None:
    """Prompt headers, then the body a byte every 0.2 s."""
    body = json.dumps([CHERNIHIV]).encode()
    h.send_response(200)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.flush()
    for byte in body[:60]:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.2)


@pytest.mark.parametrize("reply", [drip_headers, drip_body], ids=["headers", "body"])
def test_a_dripping_server_is_cut_at_the_timeout(reply, serve, offline, cache_root, caplog) -> None:
    server = serve(reply)
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING):
        places = online(server, offline, timeout=1.0).search("Chernihiv")
    assert time.monotonic() - t0 < 2.5  # one attempt of 1 s, not a byte at a time for 10 s
    assert answered_offline(places, caplog, "GeocoderTimedOut")


def test_a_huge_answer_is_refused_without_reading_it(serve, offline, cache_root, caplog) -> None:
    chunk = b" " * 65536

    def flood(h: BaseHTTPRequestHandler) -> None:  # 100 MB, no Content-Length: read until closed
        h.send_response(200)
        h.end_headers()
        for _ in range(100_000_000 // len(chunk)):
            h.wfile.write(chunk)

    server = serve(flood)
    tracemalloc.start()
    try:
        with caplog.at_level(logging.WARNING):
            places = online(server, offline, timeout=5.0, retries=2).search("Chernihiv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answered_offline(places, caplog, f"over {MAX_ANSWER_BYTES} bytes")
    assert peak < 8 * MAX_ANSWER_BYTES  # the cap and its copies, not 100 MB
    assert len(server.paths) == 1  # refused for what it is: not asked again


def redirect_to(host: str) -> Callable[[BaseHTTPRequestHandler], None]:
    """Redirect a search to /found on ``host`` (this server's port), which answers."""

    def reply(h: BaseHTTPRequestHandler) -> None:
        if h.path.startswith("/found"):
            send_json(h, [CHERNIHIV])
            return
        h.send_response(302)
        h.send_header("Location", f"http://{host}:{h.server.server_address[1]}/found")
        h.send_header("Content-Length", "0")
        h.end_headers()

    return reply


def test_a_redirect_is_followed_on_the_same_host_only(serve, offline, cache_root, caplog) -> None:
    elsewhere = serve(redirect_to("localhost"))  # the same server under another name: never asked
    with caplog.at_level(logging.WARNING):
        places = online(elsewhere, offline).search("Chernihiv")
    assert answered_offline(places, caplog, "redirected to http://localhost: not followed")
    assert len(elsewhere.paths) == 1 and elsewhere.paths[0].startswith("/search")

    same = serve(redirect_to("127.0.0.1"))
    places = online(same, offline).search("Chernihiv")
    assert places[0].source == "nominatim" and [p[:6] for p in same.paths] == ["/searc", "/found"]


def test_a_failing_service_is_given_up_after_a_few_queries(serve, offline, cache_root, caplog) -> None:
    def fail(h: BaseHTTPRequestHandler) -> None:
        h.send_response(500)
        h.send_header("Content-Length", "0")
        h.end_headers()

    server = serve(fail)
    gz = online(server, offline)
    with caplog.at_level(logging.WARNING):
        for name in ("Chernihiv", "Kyiv", "Lviv", "Odesa", "Kharkiv"):
            assert gz.search(name)[0].source == "geonames"
    assert len(server.paths) == MAX_FAILED_QUERIES
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == MAX_FAILED_QUERIES and "not asked again in this run" in warned[-1]


# ---------------------------------------------------------------- the answer cache


def answer_cache(server: Server, offline: OfflineGazetteer, root: Path) -> Path:
    """Where the answers of ``server`` are kept (made by a first query, which is cached)."""
    online(server, offline).search("Чернігів")
    (path,) = (root / "geocoder").glob("nominatim-*.sqlite")
    return path


def test_a_link_in_place_of_the_answer_cache_is_not_followed(serve, offline, cache_root, tmp_path, caplog) -> None:
    server = serve(lambda h: send_json(h, [CHERNIHIV]))
    path = answer_cache(server, offline, cache_root)
    victim = tmp_path / "victim.sqlite"
    with sqlite3.connect(victim) as db:
        db.execute("CREATE TABLE precious(x)")
    db.close()
    path.unlink()
    path.symlink_to(victim)
    with caplog.at_level(logging.WARNING):
        places = online(server, offline).search("Чернігів")
    assert places[0].source == "nominatim"
    assert any("cannot keep geocoder answers" in r.getMessage() for r in caplog.records)
    with sqlite3.connect(victim) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("precious",)]
    db.close()


@pytest.mark.parametrize(
    "plant",
    [
        lambda path: path.write_bytes(b"not a database, but some junk" * 100),
        lambda path: sqlite3.connect(path).executescript("CREATE VIEW extra AS SELECT 1;"),
    ],
    ids=["junk", "with a view"],
)
def test_an_answer_cache_that_is_not_ours_is_started_again(plant, serve, offline, cache_root, caplog) -> None:
    server = serve(lambda h: send_json(h, [CHERNIHIV]))
    path = answer_cache(server, offline, cache_root)
    plant(path)
    with caplog.at_level(logging.WARNING):
        assert online(server, offline).search("Чернігів")[0].source == "nominatim"
    assert any("starting it again" in r.getMessage() for r in caplog.records)
    asked = len(server.paths)
    assert online(server, offline).search("Чернігів")[0].source == "nominatim"
    assert len(server.paths) == asked  # answers are kept again


BIG = {**CHERNIHIV, "name": "Chernihiv", "lat": 51.49, "lon": 31.29, "country_code": "UA", "admin1": ""}
BIG |= {"population": 0, "kind": "city", "importance": 0.5, "padding": "x" * 3_000_000}


@pytest.mark.parametrize(
    "value",
    [
        json.dumps([{**CHERNIHIV, "name": 12345}]),
        json.dumps([{**CHERNIHIV, "lat": "NaN"}]),
        "[" * 100_000,
        json.dumps([BIG]),
    ],
    ids=["name a number", "latitude NaN", "nested 100k deep", "3 MB"],
)
def test_a_damaged_cached_answer_is_asked_again(value, serve, offline, cache_root) -> None:
    server = serve(lambda h: send_json(h, [CHERNIHIV]))
    path = answer_cache(server, offline, cache_root)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE answers SET v=?", (value,))
    db.close()
    places = online(server, offline).search("Чернігів")
    assert places[0].source == "nominatim" and places[0].name == "Чернігів"
    assert len(server.paths) == 2


# ---------------------------------------------------------------- the observation cache

SPAN = TextSpan("Чернігів", 91.0, (10, 20, 300, 40), line=0, region=1, lang="ukr")
META = Metadata(gps=GPS(51.5, 31.3, altitude_m=130.0, direction_deg=90.0), location=Location(city="Chernihiv"))


@pytest.fixture
def observations(tmp_path: Path) -> tuple[ObservationCache, str, Path]:
    cache = ObservationCache(tmp_path / "obs")
    key = cache.key("0" * 64, "eng")
    cache.put(key, [SPAN], META)
    (entry,) = cache.directory.glob("??/*.json")
    assert cache.get(key) == ([SPAN], META)
    return cache, key, entry


def test_a_fifo_in_place_of_an_entry_is_a_miss_not_a_hang(observations, make_fifo) -> None:
    cache, key, entry = observations
    make_fifo(entry)
    t0 = time.monotonic()
    assert cache.get(key) is None
    assert time.monotonic() - t0 < 1.0


def test_a_link_in_place_of_an_entry_is_not_followed(observations, tmp_path) -> None:
    cache, key, entry = observations
    elsewhere = tmp_path / "elsewhere.json"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert cache.get(key) is None


def test_an_oversized_entry_is_not_read(observations) -> None:
    cache, key, entry = observations
    with open(entry, "r+b") as fh:
        fh.truncate(64 * MAX_ENTRY_BYTES)  # sparse: no disk used, as large as /dev/zero read for a while
    tracemalloc.start()
    try:
        assert cache.get(key) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_ENTRY_BYTES


def _edit(path: Path, change: Callable[[dict], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


BAD_VALUES: dict[str, Callable[[dict], None]] = {
    "latitude nan": lambda d: d["metadata"]["gps"].update(lat=float("nan")),
    "latitude 91": lambda d: d["metadata"]["gps"].update(lat=91.0),
    "longitude -181": lambda d: d["metadata"]["gps"].update(lon=-181.0),
    "latitude as text": lambda d: d["metadata"]["gps"].update(lat="51.5"),
    "altitude infinite": lambda d: d["metadata"]["gps"].update(altitude_m=float("inf")),
    "direction 400": lambda d: d["metadata"]["gps"].update(direction_deg=400.0),
    "box width negative": lambda d: d["texts"][0].update(box=[10, 20, -300, 40]),
    "box x infinite": lambda d: d["texts"][0].update(box=[float("inf"), 20, 300, 40]),
    "confidence infinite": lambda d: d["texts"][0].update(confidence=float("inf")),
    "text a number": lambda d: d["texts"][0].update(text=42),
    "city a list": lambda d: d["metadata"]["location"].update(city=["Chernihiv"]),
}


@pytest.mark.parametrize("change", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_an_entry_with_a_value_out_of_range_is_a_miss(change, observations) -> None:
    cache, key, entry = observations
    _edit(entry, change)
    assert cache.get(key) is None


def test_an_entry_nested_too_deep_for_the_parser_is_a_miss(observations) -> None:
    cache, key, entry = observations
    entry.write_text('{"key": ' + "[" * 200_000 + "]" * 200_000 + "}", encoding="utf-8")
    assert cache.get(key) is None


def test_records_refuse_non_finite_and_out_of_range_numbers() -> None:
    good = asdict(SPAN)
    assert TextSpan.from_dict(good) == SPAN
    for bad in ({"box": [0, 0, -1, 5]}, {"confidence": float("nan")}, {"line": 1.5}, {"box": [True, 0, 1, 1]}):
        with pytest.raises((TypeError, ValueError)):
            TextSpan.from_dict({**good, **bad})
    gps = META.gps.to_dict()  # type: ignore[union-attr]
    for bad in ({"lat": float("nan")}, {"lon": 180.5}, {"lat": -90.01}, {"altitude_m": float("-inf")}, {"lat": True}):
        with pytest.raises((TypeError, ValueError)):
            GPS.from_dict({**gps, **bad})
    assert GPS.from_dict({**gps, "lat": -90, "lon": 180}).lat == -90.0  # the ends of the ranges are fine


# ---------------------------------------------------------------- the offline index

COUNTRY = ["LI"]  # one small country: the index builds in seconds


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("index") / "gazetteer"
    build(directory, show_progress=False, countries=COUNTRY)
    return directory


@pytest.fixture
def index(tiny_index: Path, tmp_path: Path) -> Path:
    """A copy of the tiny index to tamper with."""
    directory = tmp_path / "gazetteer"
    shutil.copytree(tiny_index, directory)
    assert OfflineGazetteer(directory, build_if_missing=False, countries=COUNTRY).search("Vaduz")
    return directory


def _link_to_copy(path: Path) -> None:
    copy = path.with_name(path.name + ".copy")
    path.rename(copy)
    path.symlink_to(copy)


def _shorten(path: Path, by: int) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size - by)


TAMPERING: dict[str, tuple[str, Callable[[Path], None] | None, str]] = {
    "info a FIFO": (INFO_NAME, None, "info.json is unusable"),
    "info a link": (INFO_NAME, _link_to_copy, "info.json is unusable"),
    "database a FIFO": (DB_NAME, None, "not a regular file"),
    "database a link": (DB_NAME, _link_to_copy, "cannot open it"),
    "database junk": (DB_NAME, lambda p: p.write_bytes(b"junk" * 1000), "not an SQLite database"),
    "hashes a FIFO": (FZ_HASH, None, "not a regular file"),
    "hashes a link": (FZ_HASH, _link_to_copy, "cannot open it"),
    "keys 2 bytes short": (FZ_KID, lambda p: _shorten(p, 2), "entries of 4 bytes"),
    "hashes one entry short": (FZ_HASH, lambda p: _shorten(p, 4), "entries of 4 bytes"),
}
"""Per case: the file, what is done to it (None: a FIFO in its place), what the one line says."""


@pytest.mark.parametrize("name, tamper, reason", TAMPERING.values(), ids=TAMPERING.keys())
def test_a_tampered_index_file_is_refused_with_one_line(name, tamper, reason, index, make_fifo) -> None:
    (tamper or make_fifo)(index / name)
    gz = OfflineGazetteer(index, build_if_missing=False, countries=COUNTRY)
    assert not gz.is_current()  # so ``geoloc data build`` rebuilds it
    with pytest.raises(GazetteerError, match="geoloc data build") as caught:
        gz.search("Vaduz")
    assert reason in str(caught.value) and "\n" not in str(caught.value)


def test_a_tampered_index_is_rebuilt_when_building_is_allowed(index, make_fifo) -> None:
    make_fifo(index / FZ_HASH)
    gz = OfflineGazetteer(index, show_progress=False, countries=COUNTRY)
    assert gz.search("Vaduz")[0].country_code == "LI"
    assert (index / FZ_HASH).is_file() and gz.is_current()


def test_a_link_in_place_of_the_build_lock_is_refused_not_truncated(index, tmp_path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (index.parent / f".{index.name}.lock").symlink_to(precious)
    (index / INFO_NAME).unlink()  # so that opening it has to build
    with pytest.raises(GazetteerError, match="cannot lock"):
        OfflineGazetteer(index, show_progress=False, countries=COUNTRY).search("Vaduz")
    assert precious.read_text(encoding="utf-8") == "keep me"
