"""What a sign says about where the camera is: a city-limit sign says "here", a direction sign
"the road goes there"."""

from __future__ import annotations

from geoloc.common.geodesy import haversine_km
from geoloc.model import Mention
from tests.test_infer import _place, run, sign

MOSCOW = (55.7558, 37.6173)


def test_a_destination_with_a_route_number_is_where_the_road_goes_not_where_the_camera_is(gz):
    # A direction sign in Moscow: "ПСКОВ E22 / МКАД / 3-е КОЛЬЦО / ЦЕНТР"; Pskov is 600 km away.
    rows = [
        Mention(readings=("ПСКОВ",), kind="ocr", routes=("E22",), box=(10, 10, 100, 30), confidence=92.0, region=0),
        Mention(readings=("МКАД",), kind="ocr", box=(10, 50, 100, 30), confidence=90.0, region=0),
    ]
    e = run(gz, rows).estimate
    pskov = _place(gz, "Pskov")
    assert e is not None and e.confidence < 0.3
    assert e.radius_km >= 300  # not a point on Pskov
    assert haversine_km(e.lat, e.lon, pskov.lat, pskov.lon) <= e.radius_km
    assert "direction sign" in e.explanation


def test_a_panel_naming_two_separate_towns_is_a_direction_sign(gz):
    e = run(gz, sign(("Житомир", None), ("Київ", None))).estimate
    assert e is not None and e.confidence < 0.3 and e.radius_km >= 300
    for name in ("Zhytomyr", "Kyiv"):
        p = _place(gz, name)
        assert haversine_km(e.lat, e.lon, p.lat, p.lon) < e.radius_km


def test_a_city_limit_sign_in_two_alphabets_says_here(gz):
    e = run(gz, sign(("Чернігів", None), ("Chernihiv", None))).estimate
    assert e is not None and e.radius_km < 30 and e.confidence >= 0.5
    assert "direction" not in e.explanation


def test_a_lone_name_beside_a_direction_sign_is_the_place_of_the_photo(gz):
    # The city-limit sign of Nizhyn in front, a direction sign to Kyiv and Chernihiv behind it.
    mentions = sign(("Ніжин", None)) + sign(("Київ", None), ("Чернігів", None), region=1)
    e = run(gz, mentions).estimate
    nizhyn = _place(gz, "Nizhyn")
    assert e is not None and haversine_km(e.lat, e.lon, nizhyn.lat, nizhyn.lon) < 15


def test_the_place_sign_wins_whichever_panel_is_read_first(gz):
    mentions = sign(("Київ", None), ("Чернігів", None), region=1) + sign(("Ніжин", None))
    e = run(gz, mentions).estimate
    nizhyn = _place(gz, "Nizhyn")
    assert e is not None and haversine_km(e.lat, e.lon, nizhyn.lat, nizhyn.lon) < 15
