"""Coordinates a caption gives: read in the forms posts write them, never out of everyday numbers,
and weighed as the author's claim beside what the photo itself shows."""

from __future__ import annotations

import pytest

from geoloc.common.geodesy import haversine_km
from geoloc.model import PhotoContext, PhotoReport
from geoloc.pipeline import Settings, photo_facts
from geoloc.read.coordinates import text_coordinates
from tests.test_captions import _locate, blank  # noqa: F401 - blank is the fixture the tests name
from tests.test_infer import run, sign

BAKHMUT = (48.5921, 37.9940)


@pytest.mark.parametrize(
    "text",
    [
        "Geolocated: 48.5921, 37.9940",
        "Геолокація: 48.5921 37.9940 (Бахмут)",
        "📍 Bakhmut, 48°35'31\"N 37°59'38\"E",
        "48°35′31″ N, 37°59′38″ E",
        "Location: 48.5921 N, 37.9940 E",
        "https://maps.google.com/@48.5921,37.9940,15z",
        "Координати: 48.5921 пн. ш., 37.9940 сх. д.",
        "Координаты: 48.5921° с.ш. 37.9940° в.д.",
        "https://www.openstreetmap.org/#map=15/48.5921/37.9940",
        # services whose links write longitude first: read latitude first, Iran
        "Геолокация: https://yandex.ru/maps/?ll=37.994000%2C48.592100&z=15",
        "https://yandex.ua/maps/?pt=37.9940,48.5921&z=16&l=map",
        "https://yandex.ru/maps/?ll=30.52,50.45&whatshere%5Bpoint%5D=37.9940%2C48.5921&z=16",
        "https://2gis.ua/kyiv?m=37.9940%2C48.5921%2F16",
        "https://www.bing.com/maps?cp=48.5921~37.9940&lvl=15",
    ],
)
def test_a_geolocation_is_read_in_the_forms_posts_write_it(text) -> None:
    pairs = text_coordinates(text)
    assert len(pairs) == 1 and haversine_km(*pairs[0], *BAKHMUT) < 0.1, pairs


@pytest.mark.parametrize(
    ("text", "within_km"),
    [
        # Bakhmut is at UTM zone 37 easting 425820, northing 5382601 (Krüger series, WGS 84): MGRS
        # square DP of band U
        ("Координати: 37U DP 25820 82601", 0.01),
        ("Позиції ворога 37UDP2582082601, уражено.", 0.01),
        ("Grid 37U DP 258 826.", 0.1),
        ("Квадрат 37U DP 25 82", 0.8),  # a 1 km square: its middle
    ],
)
def test_an_mgrs_grid_reference_is_read_to_its_precision(text, within_km) -> None:
    pairs = text_coordinates(text)
    assert len(pairs) == 1 and haversine_km(*pairs[0], *BAKHMUT) < within_km, pairs


@pytest.mark.parametrize(
    "text",
    [
        "37U DP 12345",  # an odd count of digits: no easting and northing
        "37U DP 5 8",  # a 10 km square names no spot
        "37u dp 2582 8260",  # grid references are written in capitals
        "37U IO 2582 8260",  # no square is lettered I or O
        "61U DP 2582 8260",  # no zone 61
        "Model 12A BC 1234 5678 in stock",  # no band A: the poles are not in the grid
        "Код 12S ZZ 1234 5678",  # no row of squares lettered Z
    ],
)
def test_text_that_is_no_grid_reference_gives_no_coordinates(text) -> None:
    assert text_coordinates(text) == ()


@pytest.mark.parametrize("text", ["Filmed at 33.8650° S, 151.2094° W", "Знято: 33.8650 пд. ш., 151.2094 зх. д."])
def test_hemisphere_letters_give_the_sign(text) -> None:
    ((lat, lon),) = text_coordinates(text)
    assert lat < 0 and lon < 0


@pytest.mark.parametrize(
    "text",
    [
        "«Шахтар» переміг з рахунком 2:1, 3 березня о 10.30.",
        "Ціна 1.299,00 грн, знижка 15.5%.",
        "Version 1.2.3 released; 10.5 km from the border, 48.59, 37.99 by the map.",
        "The 0.000, 0.000 placeholder of a camera without a fix.",
        "Population 12.345 and 123.456 in 2021.",
    ],
)
def test_everyday_numbers_are_no_coordinates(text) -> None:
    # A bare pair needs three decimals in both numbers (about 100 m), or degree signs or
    # hemisphere letters; a latitude beyond 90 is no latitude.
    assert text_coordinates(text) == ()


@pytest.mark.parametrize(
    "caption", ["Geolocated: 48.5921, 37.9940. Photo by a drone unit.", "Уражено техніку: 37U DP 25820 82601."]
)
def test_a_caption_with_coordinates_puts_the_photo_at_them(blank, tmp_path, caption) -> None:  # noqa: F811
    _code, report = _locate(blank, caption, tmp_path)
    e = report["photos"][0]["estimate"]
    assert haversine_km(e["lat"], e["lon"], *BAKHMUT) < 0.1, e
    assert e["radius_km"] <= 1.0 and e["rule"] == "caption", e
    assert e["confidence"] <= 0.25  # the author's claim, unchecked


def test_a_caption_with_two_pairs_gives_both_as_places(blank, tmp_path) -> None:  # noqa: F811
    _code, report = _locate(blank, "From 48.5921, 37.9940 to 48.6500, 38.1000.", tmp_path)
    e = report["photos"][0]["estimate"]
    offered = [(e["lat"], e["lon"]), *((a["lat"], a["lon"]) for a in e["alternatives"])]
    assert any(haversine_km(*p, *BAKHMUT) < 0.1 for p in offered)
    assert any(haversine_km(*p, 48.65, 38.10) < 0.1 for p in offered)
    assert e["probability"] + sum(a["probability"] for a in e["alternatives"]) <= 1.0 + 1e-9


def test_a_town_sign_near_the_captions_coordinates_is_that_town(gz) -> None:
    # "Олександрівка" names two dozen places; the one by the post's coordinates is meant.
    inf = run(gz, sign(("Олександрівка", None)), caption="Geolocated: 46.3387, 30.6456")
    e = inf.estimate
    assert e is not None and e.basis == "ocr"
    assert haversine_km(e.lat, e.lon, 46.33, 30.64) < 10, e
    assert (e.probability or 1.0) >= 0.3, e  # the others, far from the coordinates, weigh 5% each
    assert not inf.conflicts


def test_a_caption_with_coordinates_speaks_before_the_article_around_it() -> None:
    # A caption gives coordinates and names no place; the article around it names Kyiv: the
    # caption speaks of its photo, so its coordinates are what is weighed.
    report = PhotoReport(
        path="post.jpg",
        context=PhotoContext(source="post 1", text="Geolocated: 48.5921, 37.9940", wider="Shelling in Kyiv."),
    )
    facts, used = photo_facts(report, Settings())
    assert used == "text" and facts is not None and facts.coordinates


def test_coordinates_far_from_what_the_photo_shows_are_a_stated_conflict(gz) -> None:
    inf = run(gz, sign(("Чернігів", None)), caption="Geolocated: 46.3387, 30.6456")
    e = inf.estimate
    assert e is not None and haversine_km(e.lat, e.lon, 51.49, 31.29) < 25  # the sign wins
    assert any("caption's coordinates" in c for c in inf.conflicts), inf.conflicts
