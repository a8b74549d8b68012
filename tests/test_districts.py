"""A town sign's district line ("Landkreis Osnabrück", "Чернігівський район") says which of the
places sharing the town's name the sign stands in."""

from __future__ import annotations

from geoloc.common.geodesy import haversine_km
from geoloc.common.text import district_seat_names
from geoloc.infer.choice import DISTRICT_KM
from tests.test_infer import _place, run, sign


def _km(e, place) -> float:
    return haversine_km(e.lat, e.lon, place.lat, place.lon)


def test_a_village_name_dozens_of_places_share_is_the_one_in_the_district_its_sign_names(gz):
    # Ukraine has dozens of villages called Іванівка; the sign's second line names the district.
    alone = run(gz, sign(("Іванівка", None))).estimate
    with_district = run(gz, sign(("Іванівка", None), ("Чернігівський район", None))).estimate
    chernihiv = _place(gz, "Chernihiv")
    assert alone is not None and with_district is not None
    assert _km(with_district, chernihiv) <= DISTRICT_KM, with_district
    assert with_district.rule == "place_sign"  # the district line names no destination
    assert with_district.confidence > alone.confidence
    # A Russian sign's district, its adjective made from the seat's name ("Брянский": Брянск).
    for district in ("Брянский район", "Брянский р-н"):  # the word abbreviated as signs often write it
        e = run(gz, sign(("Ивановка", None), (district, None))).estimate
        assert e is not None and e.rule == "place_sign" and _km(e, _place(gz, "Bryansk")) <= DISTRICT_KM, (district, e)


def test_a_german_town_sign_with_its_kreis_picks_the_namesake_there(gz):
    # Neuenkirchen is the name of a dozen German places; "Kreis Steinfurt" names its seat.
    e = run(gz, sign(("Neuenkirchen", None), ("Kreis Steinfurt", None))).estimate
    assert e is not None and _km(e, _place(gz, "Steinfurt")) <= 20, e


def test_a_district_named_after_no_town_leaves_the_sign_as_it_was(gz):
    alone = run(gz, sign(("Mildstedt", None))).estimate
    e = run(gz, sign(("Mildstedt", None), ("Kreis Nordfriesland", None))).estimate
    assert alone is not None and e is not None
    assert (e.lat, e.lon, e.confidence) == (alone.lat, alone.lon, alone.confidence)


def test_the_seat_names_a_district_line_may_give():
    assert district_seat_names("Landkreis Osnabrück") == ["Osnabrück"]
    assert district_seat_names("Чернігівський район")[:2] == ["Чернігівський", "Чернігів"]
    assert "Полтава" in district_seat_names("Полтавський район")
    assert "Брянск" in district_seat_names("Брянский р-н")
    assert district_seat_names("Osnabrück") == []  # no district word: a town's own name
    assert district_seat_names("Landkreis") == []
