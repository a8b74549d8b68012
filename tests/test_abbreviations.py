"""Names written with the abbreviated "saint" of signs (St, Ste, Sv., Св., Sta., Sto.) and no accents."""

from __future__ import annotations

import pytest

from geoloc.common.geodesy import haversine_km
from geoloc.infer import infer
from geoloc.model import Mention, Metadata
from geoloc.places.names import abbreviation_expansions

SAINT_EMILION = (44.8937, -0.1553)


def top(gz, query: str):
    found = gz.search(query, limit=5)
    assert found, f"{query!r} found nothing"
    return found[0]


@pytest.mark.parametrize("query", ["ST EMILION", "St. Emilion", "St-Émilion", "st emilion"])
def test_saint_abbreviated_and_unaccented_finds_saint_emilion(gz, query):
    p = top(gz, query)
    assert (p.name, p.country_code) == ("Saint-Émilion", "FR")
    assert p.match >= 0.9  # the same name in another spelling, not a fuzzy near-miss


@pytest.mark.parametrize("query", ["St. Petersburg", "ST PETERSBURG", "St Petersburg"])
def test_st_petersburg_is_the_russian_city(gz, query):
    p = top(gz, query)
    assert (p.name, p.country_code) == ("Saint Petersburg", "RU")


@pytest.mark.parametrize("query", ["Ste Foy", "STE-FOY", "Ste. Foy"])
def test_sainte_abbreviated_finds_a_sainte_foy(gz, query):
    p = top(gz, query)
    assert p.name.startswith("Sainte-Foy") and p.country_code in ("FR", "CA")


@pytest.mark.parametrize(
    ("query", "name", "country"),
    [
        ("Св. Влас", "Sveti Vlas", "BG"),  # Bulgarian "Свети Влас"
        ("Sv. Nikole", "Sveti Nikole", "MK"),
        ("Sto. Tomas", "Santo Tomas", "PH"),
    ],
)
def test_other_abbreviations_of_saint(gz, query, name, country):
    p = top(gz, query)
    assert (p.name, p.country_code) == (name, country)
    assert p.match >= 0.9


@pytest.mark.parametrize(
    ("query", "name", "country"),
    [("Stryi", "Stryi", "UA"), ("Sterling", "Sterling", None), ("Saint-Émilion", "Saint-Émilion", "FR")],
)
def test_names_that_merely_start_with_st_are_left_alone(gz, query, name, country):
    p = top(gz, query)
    assert p.name == name and p.match == 1.0
    assert country is None or p.country_code == country


def test_only_a_word_followed_by_another_is_an_abbreviation():
    assert abbreviation_expansions("Main St") == []
    assert abbreviation_expansions("Stryi") == []
    assert abbreviation_expansions("Sterling") == []
    assert "sainte foy" in abbreviation_expansions("Ste-Foy")


def test_a_sign_reading_st_emilion_places_the_camera_there(gz):
    mention = Mention(
        readings=("ST EMILION",), kind="ocr", distance_km=None, box=(10, 10, 100, 30), confidence=90.0, region=0
    )
    e = infer([mention], Metadata(), None, gz).estimate
    assert e is not None and e.basis == "ocr"
    assert haversine_km(e.lat, e.lon, *SAINT_EMILION) < 5
