"""``geoloc geocode`` end to end with click's CliRunner, offline."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geoloc.cli.main import cli
from geoloc.places import get_gazetteer

CHERNIHIV = 710735


@pytest.fixture(scope="module", autouse=True)
def built_index():
    get_gazetteer().search("Kyiv")  # build (once) outside the timed CLI calls


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["geocode", *args])


def test_done_when_names_answer_chernihiv_first():
    res = run("Чернігів", "Chernihiv", "Chernihlv", "Chernihiv region", "--json")
    assert res.exit_code == 0, res.output
    queries = json.loads(res.output)["queries"]
    assert [q["query"] for q in queries] == ["Чернігів", "Chernihiv", "Chernihlv", "Chernihiv region"]
    tops = [q["candidates"][0] for q in queries]
    assert [t["geonameid"] for t in tops[:3]] == [CHERNIHIV] * 3
    assert (tops[3]["name"], tops[3]["kind"], tops[3]["country_code"]) == ("Chernihiv Oblast", "admin1", "UA")
    city = tops[0]
    assert city["admin1"] == "Chernihiv Oblast" and city["population"] > 200_000
    assert set(city) >= {"name", "lat", "lon", "country_code", "admin1", "score", "geonameid", "population", "kind"}
    assert abs(city["lat"] - 51.505) < 0.01 and abs(city["lon"] - 31.287) < 0.01
    assert all(0 <= c["score"] <= 1 for q in queries for c in q["candidates"])


def test_human_output_names_the_place_and_the_spelling_that_matched():
    res = run("Chernihlv", "-n", "2")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0] == "Chernihlv:" and "1. Chernihiv, Chernihiv Oblast, UA [city" in lines[1]
    assert len(lines) == 3


def test_priors_country_and_near():
    us = json.loads(run("Paris", "--country", "US", "--json").output)["queries"][0]["candidates"][0]
    assert us["country_code"] == "US"
    near = json.loads(run("Paris", "--near", "33.66,-95.55,30", "--json").output)["queries"][0]["candidates"][0]
    assert (near["country_code"], near["admin1"]) == ("US", "Texas")


def test_together_resolves_names_jointly():
    res = run("Alexandria", "Louisiana", "--together", "--json")
    first = json.loads(res.output)["queries"][0]["candidates"][0]
    assert (first["country_code"], first["admin1"]) == ("US", "Louisiana")
    alone = json.loads(run("Alexandria", "--json").output)["queries"][0]["candidates"][0]
    assert alone["country_code"] == "EG"


def test_no_match_and_bad_usage_exit_codes():
    res = run("Xqzvvkjw", "--exact")
    assert res.exit_code == 1 and "no match" in res.output
    bad = run("Kyiv", "--near", "north")
    assert bad.exit_code == 2 and "LAT,LON" in bad.output
    assert run("Kyiv", "--geocoder", "nosuch").exit_code == 1


def test_help_teaches_with_examples():
    res = CliRunner().invoke(cli, ["geocode", "--help"])
    assert res.exit_code == 0 and "geoloc geocode Чернігів" in res.output and "--near" in res.output
    assert "geocode" in CliRunner().invoke(cli, ["--help"]).output
