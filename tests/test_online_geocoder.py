"""Online geocoders against a local server speaking the Nominatim search API (never the internet).

The server misbehaves on request: 429 with Retry-After, 5xx, broken JSON, hanging past the timeout.
geoloc must retry a bounded number of times, then warn and answer from the offline gazetteer.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from geoloc.cli.main import cli
from geoloc.errors import GeocoderServiceError
from geoloc.places import Priors, get_gazetteer
from geoloc.places.online import OnlineGazetteer

CHERNIHIV = {
    "place_id": 1,
    "lat": "51.4939",
    "lon": "31.2947",
    "name": "Чернігів",
    "display_name": "Чернігів, Чернігівська міська громада, Чернігівська область, Україна",
    "class": "place",
    "type": "city",
    "addresstype": "city",
    "importance": 0.62,
    "address": {"city": "Чернігів", "state": "Чернігівська область", "country": "Україна", "country_code": "ua"},
    "extratags": {"population": "285234"},
}


class Server:
    """A Nominatim look-alike on 127.0.0.1 whose next answers are scripted per test."""

    def __init__(self) -> None:
        self.script: list[str] = []  # "ok", "429", "500", "503", "badjson", "hang"
        self.default = "ok"
        self.requests: list[dict[str, list[str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                server.requests.append(parse_qs(parts.query))
                mode = server.script.pop(0) if server.script else server.default
                if mode == "hang":
                    time.sleep(2.0)
                    mode = "ok"
                if mode == "429":
                    self.send_response(429)
                    self.send_header("Retry-After", "1")
                    self.end_headers()
                    return
                if mode in ("500", "503"):
                    self.send_response(int(mode))
                    self.end_headers()
                    self.wfile.write(b"server error")
                    return
                body = b'[{"lat": "51.49", "lon": ' if mode == "badjson" else json.dumps([CHERNIHIV]).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def offline():
    return get_gazetteer()


@pytest.fixture()
def server():
    s = Server()
    yield s
    s.close()


def make(server: Server, offline, tmp_path, monkeypatch, **kw) -> OnlineGazetteer:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(tmp_path))
    opts = {"timeout": 1.0, "retries": 2, "backoff": 0.05, "min_delay_seconds": 0.0}
    opts.update(kw)
    return OnlineGazetteer("nominatim", url=server.url, fallback=offline, **opts)


def test_answers_become_places_and_a_rerun_sends_nothing(server, offline, tmp_path, monkeypatch):
    gz = make(server, offline, tmp_path, monkeypatch)
    places = gz.search("Чернігів", priors=Priors(country="UA"))
    assert places and places[0].source == "nominatim"
    p = places[0]
    assert (p.name, p.country_code, p.admin1, p.population) == ("Чернігів", "UA", "Чернігівська область", 285234)
    assert abs(p.lat - 51.4939) < 1e-6 and p.match == 1.0 and 0 < p.score <= 1
    sent = server.requests[0]
    assert sent["q"] == ["Чернігів"] and sent["countrycodes"] == ["ua"]
    # a new process (new instance) with the same cache directory sends nothing
    again = make(server, offline, tmp_path, monkeypatch).search("Чернігів", priors=Priors(country="UA"))
    assert again == places and len(server.requests) == 1


def test_names_by_geonames_id_come_from_the_offline_index(server, offline, tmp_path, monkeypatch):
    # An online answer has no GeoNames id (0): it has no names beyond its own.
    gz = make(server, offline, tmp_path, monkeypatch)
    chernihiv = [p for p in offline.search("Чернігів") if p.kind == "city"][0]
    assert "Чернигов" in gz.names(chernihiv.geonameid) == offline.names(chernihiv.geonameid)
    assert gz.names(0) == () and not server.requests


def test_429_retry_after_is_honoured(server, offline, tmp_path, monkeypatch):
    server.script = ["429"]
    gz = make(server, offline, tmp_path, monkeypatch)
    t0 = time.monotonic()
    places = gz.search("Chernihiv")
    assert time.monotonic() - t0 >= 0.9  # waited the server's Retry-After: 1
    assert places[0].source == "nominatim" and len(server.requests) == 2


def test_transient_5xx_is_retried(server, offline, tmp_path, monkeypatch):
    server.script = ["503", "500"]
    places = make(server, offline, tmp_path, monkeypatch).search("Chernihiv")
    assert places[0].source == "nominatim" and len(server.requests) == 3


@pytest.mark.parametrize("mode", ["500", "badjson", "hang"])
def test_persistent_failure_warns_and_falls_back_offline(mode, server, offline, tmp_path, monkeypatch, caplog):
    server.default = mode
    gz = make(server, offline, tmp_path, monkeypatch, timeout=0.5, retries=1)
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING):
        places = gz.search("Chernihiv")
    assert time.monotonic() - t0 < 5.0  # bounded: 2 attempts, 0.5 s timeout, short backoff
    assert len(server.requests) == 2
    assert places and places[0].source == "geonames" and places[0].name.startswith("Chernihiv")
    assert any(
        "nominatim geocoder failed after 2 attempt" in r.getMessage() and "offline" in r.getMessage()
        for r in caplog.records
    )


def test_a_countrys_largest_places_come_from_the_offline_gazetteer(server, offline, tmp_path, monkeypatch):
    gz = make(server, offline, tmp_path, monkeypatch)
    assert [p.name for p in gz.largest("UA", 2)] == ["Kyiv", "Kharkiv"] and server.requests == []
    alone = OnlineGazetteer("nominatim", url=server.url, fallback=None, min_delay_seconds=0.0)
    assert alone.largest("UA", 2) == [] and server.requests == []  # a geocoder ranks no cities


def test_without_fallback_the_failure_is_a_geoloc_error(server, tmp_path, monkeypatch):
    server.default = "500"
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(tmp_path))
    gz = OnlineGazetteer("nominatim", url=server.url, fallback=None, retries=1, backoff=0.01, min_delay_seconds=0.0)
    with pytest.raises(GeocoderServiceError, match="failed after 2 attempt"):
        gz.search("Chernihiv")


def test_cli_geocoder_url_uses_the_server(server, offline, tmp_path, monkeypatch):
    # a fresh cache directory for the answers, sharing the built offline index (the fallback)
    (tmp_path / "gazetteer").symlink_to(offline.directory, target_is_directory=True)
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(tmp_path))
    res = CliRunner().invoke(
        cli, ["geocode", "Чернігів", "--geocoder", "nominatim", "--geocoder-url", server.url, "--json"]
    )
    assert res.exit_code == 0, res.output
    cand = json.loads(res.output)["queries"][0]["candidates"][0]
    assert cand["source"] == "nominatim" and cand["country_code"] == "UA"
    assert len(server.requests) == 1


def test_offline_mode_never_opens_a_socket(offline, monkeypatch):
    calls: list[object] = []

    def refuse(self, address):  # type: ignore[no-untyped-def]
        calls.append(address)
        raise AssertionError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse(None, a))
    res = CliRunner().invoke(cli, ["geocode", "Chernihiv", "Чернігів", "--offline", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert [q["candidates"][0]["geonameid"] for q in doc["queries"]] == [710735, 710735]
    assert calls == []
    bad = CliRunner().invoke(cli, ["geocode", "Chernihiv", "--offline", "--geocoder", "nominatim"])
    assert bad.exit_code == 2 and calls == []
