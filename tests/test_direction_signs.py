"""What a sign says about where the camera is: a city-limit sign says "here", a direction sign
"the road goes there"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geoloc.common.geodesy import haversine_km
from geoloc.infer import infer
from geoloc.model import Mention, Metadata, TextSpan
from geoloc.read.mentions import mentions_from_spans
from tests.test_infer import _place, run, sign

MOSCOW = (55.7558, 37.6173)


def test_a_destination_with_a_route_number_is_where_the_road_goes_not_where_the_camera_is(gz):
    # A direction sign in Moscow, "ПСКОВ E22 / ЦЕНТР", the centre's row a word: Pskov is 600 km
    # away. (With the ring road's row, "МКАД", the sign says Moscow: tests/test_city_roads.py.)
    rows = [
        Mention(readings=("ПСКОВ",), kind="ocr", routes=("E22",), box=(10, 10, 100, 30), confidence=92.0, region=0),
        Mention(readings=("ЦЕНТР",), kind="ocr", box=(10, 50, 100, 30), confidence=90.0, region=0),
    ]
    e = run(gz, rows).estimate
    pskov = _place(gz, "Pskov")
    assert e is not None and e.confidence < 0.3
    assert e.radius_km >= 300  # not a point on Pskov
    assert haversine_km(e.lat, e.lon, pskov.lat, pskov.lon) <= e.radius_km
    assert "direction sign" in e.explanation


def test_a_panel_naming_two_separate_towns_is_a_direction_sign(gz):
    e = run(gz, sign(("Житомир", None), ("Київ", None))).estimate
    assert e is not None and e.radius_km >= 300 and "direction sign" in e.explanation
    for name in ("Zhytomyr", "Kyiv"):
        p = _place(gz, name)
        assert haversine_km(e.lat, e.lon, p.lat, p.lon) < e.radius_km


def test_a_city_limit_sign_in_two_alphabets_says_here(gz):
    e = run(gz, sign(("Чернігів", None), ("Chernihiv", None))).estimate
    assert e is not None and e.radius_km < 30 and e.confidence >= 0.5
    assert e.rule == "place_sign" and e.explanation.startswith("sign reads")
    # A lone name may still be a destination: the explanation says what that would mean.
    assert "a direction sign to it would leave the camera up to about 300 km away" in e.explanation


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


def test_a_junction_sign_pointing_three_ways_places_the_camera(gz):
    # At Nizhyn: Kyiv to the south-west, Chernihiv to the north, Romny to the east, along roads
    # 1.45 times the straight line (winding roads: more than a distance sign's usual 1.2).
    cam = _place(gz, "Nizhyn")
    rows = [
        (n, float(round(1.45 * haversine_km(cam.lat, cam.lon, p.lat, p.lon))))
        for n in ("Kyiv", "Chernihiv", "Romny")
        for p in [_place(gz, n)]
    ]
    e = run(gz, sign(*rows)).estimate
    assert e is not None and e.basis == "distance"
    assert haversine_km(e.lat, e.lon, cam.lat, cam.lon) < 25 and e.confidence >= 0.5


def test_two_destinations_in_different_directions_keep_both_mirror_places(gz):
    cam = _place(gz, "Nizhyn")
    rows = [
        (n, float(round(1.4 * haversine_km(cam.lat, cam.lon, p.lat, p.lon))))
        for n in ("Kyiv", "Chernihiv")
        for p in [_place(gz, n)]
    ]
    e = run(gz, sign(*rows)).estimate
    places = [(e.lat, e.lon, e.radius_km)] + [(a.lat, a.lon, a.radius_km) for a in e.alternatives]
    assert any(haversine_km(lat, lon, cam.lat, cam.lon) <= r for lat, lon, r in places)
    assert e.confidence < 0.5  # one of two places: neither is confident


@pytest.mark.parametrize("read", ["ФНіжин", "Фе Ніжин", "ANizhyn", "tNizhyn"])
def test_an_arrow_read_as_letters_before_a_name_does_not_hide_the_name(gz, read):
    # A junction sign's arrow drawn left of the name, read by OCR as one or two letters.
    inf = run(gz, sign((read, 40.0), ("Київ", 150.0)))
    assert any(c.place.name == "Nizhyn" for c in inf.candidates)


@pytest.mark.parametrize(
    "rows",
    [
        ("BORDEAUX", "gare SNCF"),
        ("ПСКОВ", "ЦЕНТР"),
        ("München", "Flughafen"),
    ],
)
def test_a_town_beside_a_station_or_centre_on_one_panel_is_a_destination(gz, rows):
    # "BORDEAUX / gare SNCF" near Arcachon, 50 km from Bordeaux: the panel points to the station
    # and to the city, so the city is where the road goes, not where the camera is.
    spans = [TextSpan(t, 92.0, (10, 10 + 40 * i, 200, 30), line=i, region=0, lang="eng") for i, t in enumerate(rows)]
    e = infer(mentions_from_spans(spans), Metadata(), None, gz).estimate
    assert e is not None and e.rule == "direction_sign"
    assert e.radius_km >= 300


@pytest.mark.parametrize(
    ("row", "lat", "lon"),
    [
        ("MESSE WIEN", 48.21, 16.37),  # lettering over a trade-fair hall's doors in Vienna
        ("Flughafen München", 48.14, 11.58),
        ("Wien Hbf", 48.21, 16.37),
        ("Аеропорт Київ", 50.45, 30.52),
    ],
)
def test_a_row_naming_a_towns_service_points_to_that_town(gz, row, lat, lon):
    # The row names the town's airport, station or trade fair: the camera is at it or on a road
    # towards it, so the town is a destination, not the place the camera stands in.
    lang = "ukr+rus+bel" if row.startswith("А") else "eng"
    spans = [TextSpan(row, 92.0, (10, 10, 200, 30), line=0, region=0, lang=lang)]
    e = infer(mentions_from_spans(spans), Metadata(), None, gz).estimate
    assert e is not None and e.rule == "direction_sign", e
    assert haversine_km(e.lat, e.lon, lat, lon) < 30 and e.radius_km >= 300 and e.confidence < 0.3, e


@pytest.mark.parametrize("row", ["gare SNCF", "Flughafen BER", "Centrum Handlowe", "Centre Auto", "Bahnhof Apotheke"])
def test_a_service_row_without_a_town_names_no_place(gz, row):
    # The company, an airport's code, a shopping centre, a garage, the chemist's by the station.
    spans = [TextSpan(row, 92.0, (10, 10, 200, 30), line=0, region=0, lang="eng")]
    e = infer(mentions_from_spans(spans), Metadata(), None, gz).estimate
    assert e is None or e.confidence < 0.3, e


def test_a_service_row_the_reader_put_in_another_region_still_makes_the_panel_a_direction_sign(gz):
    # A messenger's copy of "BORDEAUX / gare SNCF": the reader cut the panel in two, the town in
    # one region and the station row, right under it, in another. They are still one panel.
    spans = [
        TextSpan("BORDEAUX", 98.0, (305, 141, 44, 8), line=0, region=2, lang="rec"),
        TextSpan("gare SNCF", 84.0, (312, 158, 36, 10), line=1, region=0, lang="rec"),
    ]
    e = infer(mentions_from_spans(spans), Metadata(), None, gz).estimate
    assert e is not None and e.rule == "direction_sign" and e.confidence < 0.3


def test_a_service_row_on_a_sign_elsewhere_in_the_photo_leaves_a_town_sign_alone(gz):
    # The same two rows far apart (another sign across the street): the town sign stays one.
    spans = [
        TextSpan("BORDEAUX", 98.0, (305, 141, 44, 8), line=0, region=2, lang="rec"),
        TextSpan("gare SNCF", 84.0, (40, 300, 36, 10), line=1, region=0, lang="rec"),
    ]
    e = infer(mentions_from_spans(spans), Metadata(), None, gz).estimate
    assert e is not None and e.rule == "place_sign"


def test_a_town_sign_without_a_service_row_stays_the_towns_own(gz):
    spans = [TextSpan("BORDEAUX", 92.0, (10, 10, 200, 30), line=0, region=0, lang="eng")]
    e = infer(mentions_from_spans(spans), Metadata(), None, gz).estimate
    assert e is not None and e.rule == "place_sign"


def test_a_name_without_a_distance_on_a_panel_with_distances_is_a_destination(gz):
    # "→Схід 210 / ←Південне 128" with the second distance lost: "Схід" (east) names no place,
    # "Pivdenne" alone is left; the panel's distance says it is a distance sign, not a town's own.
    spans = [
        TextSpan("Схід", 92.0, (10, 10, 120, 30), line=0, region=0, lang="ukr+rus+bel"),
        TextSpan("210", 95.0, (300, 10, 60, 30), line=0, region=0, lang="ukr+rus+bel"),
        TextSpan("Pivdenne", 92.0, (10, 90, 160, 30), line=2, region=0, lang="eng"),
    ]
    e = infer(mentions_from_spans(spans), Metadata(), None, gz).estimate
    assert e is None or (e.rule == "direction_sign" and e.confidence < 0.3)


def test_a_lone_name_with_an_arrow_drawn_beside_it_is_where_the_road_goes(gz):
    # A junction sign "← Житомир 131 / → Київ 25" of which only the first name and its arrow were
    # read (the distance and the other row lost): the arrow says the road goes there, and the
    # camera is not at Zhytomyr. The same name with no arrow is a limit sign, the camera there.
    zhytomyr = _place(gz, "Zhytomyr")
    read = Mention(readings=("Житомир",), kind="ocr", box=(40, 10, 120, 30), confidence=92.0, region=0)
    pointed = run(gz, [replace(read, arrow="left")]).estimate
    here = run(gz, [read]).estimate
    assert here is not None and here.radius_km < 30 and "sign reads" in here.explanation
    assert pointed is not None and "direction sign" in pointed.explanation
    assert pointed.radius_km >= 300 and pointed.confidence < here.confidence
    assert haversine_km(pointed.lat, pointed.lon, zhytomyr.lat, zhytomyr.lon) <= pointed.radius_km


@pytest.mark.parametrize("colour", ["blue", "green"])
def test_a_lone_name_on_a_direction_signs_colour_is_where_the_road_goes(gz, colour):
    # A blue or green panel reading only "Житомир": outside towns that is a direction sign's
    # colour, and the camera may be far from Zhytomyr. The region towards it still holds the town,
    # in case the panel was a town's own blue sign (Ukraine 5.47, Russia 5.25): it is said so.
    zhytomyr = _place(gz, "Zhytomyr")
    read = Mention(readings=("Житомир",), kind="ocr", box=(40, 10, 120, 30), confidence=92.0, region=0)
    e = run(gz, [replace(read, panel=colour)]).estimate
    assert e is not None and e.rule == "direction_sign" and e.radius_km >= 300, e
    assert haversine_km(e.lat, e.lon, zhytomyr.lat, zhytomyr.lon) <= e.radius_km
    assert f"read so by its {colour} panel: were it the town's own sign, the camera is in it" in e.explanation
    # With an arrow it is surely a destination, which may be the far end of a trunk road; by its
    # colour alone it is that or the town itself, both within the circle.
    pointed = run(gz, [replace(read, panel=colour, arrow="left")]).estimate
    assert pointed is not None and pointed.rule == "direction_sign" and "panel" not in pointed.explanation
    assert pointed.confidence < 0.3 < e.confidence


def test_a_lone_name_on_a_blue_panel_means_a_namesake_no_more_surely_than_a_lone_name(gz):
    # "Springfield" on a blue panel: the colour widens the circle to hold the camera whichever sign
    # it is, but says nothing of which Springfield is meant; that stays as uncertain as the name
    # read alone, and the other Springfields stay alternatives.
    read = Mention(readings=("Springfield",), kind="ocr", box=(40, 10, 160, 30), confidence=92.0, region=0)
    alone = run(gz, [read]).estimate
    blue = run(gz, [replace(read, panel="blue")]).estimate
    assert alone is not None and blue is not None and blue.rule == "direction_sign"
    assert (blue.lat, blue.lon) == (alone.lat, alone.lon) and blue.radius_km >= 300 > alone.radius_km
    assert blue.confidence == alone.confidence < 0.3 and blue.probability == alone.probability
    assert blue.alternatives and all(a.radius_km >= 300 for a in blue.alternatives)


@pytest.mark.parametrize("colour", ["white", "yellow", None])
def test_a_lone_name_on_a_town_signs_colour_stays_the_towns_own(gz, colour):
    zhytomyr = _place(gz, "Zhytomyr")
    read = Mention(readings=("Житомир",), kind="ocr", box=(40, 10, 120, 30), confidence=92.0, region=0, panel=colour)
    e = run(gz, [read]).estimate
    assert e is not None and e.rule == "place_sign" and e.radius_km < 30, e
    assert haversine_km(e.lat, e.lon, zhytomyr.lat, zhytomyr.lon) < 15


def test_the_panel_colour_read_with_a_row_reaches_its_mention():
    spans = [
        TextSpan("Житомир", 92.0, (10, 10, 120, 30), line=0, region=0, lang="ukr+rus+bel", panel="green"),
        TextSpan("Zhytomyr", 90.0, (10, 50, 120, 24), line=1, region=0, lang="eng", panel="green"),
        TextSpan("Київ", 92.0, (10, 10, 120, 30), line=2, region=1, lang="ukr+rus+bel"),
    ]
    panels = {m.text: m.panel for m in mentions_from_spans(spans)}
    assert panels["Житомир"] == "green" and panels["Київ"] is None, panels


def test_a_panel_with_another_name_that_names_no_place_is_a_direction_sign(gz):
    # "Жлобин / Рославль" with the first name misread "Жловин" (Б as В): that row names nothing,
    # but a second name on the panel says it lists destinations; the camera is not in Roslavl.
    roslavl = _place(gz, "Roslavl")
    e = run(gz, sign(("Жловин", None), ("Рославль", None))).estimate
    assert e is not None and e.rule == "direction_sign" and e.confidence < 0.3
    assert e.radius_km >= 300 and haversine_km(e.lat, e.lon, roslavl.lat, roslavl.lon) <= e.radius_km
    alone = run(gz, sign(("Рославль", None))).estimate
    assert alone is not None and alone.rule == "place_sign" and alone.radius_km < 30
    # On a blue panel it is a destination for its other row, not only for its colour: no town's own
    # blue sign lists two names, and the panel's colour adds nothing to what it says.
    blue = run(gz, [replace(m, panel="blue") for m in sign(("Жловин", None), ("Рославль", None))]).estimate
    assert blue is not None and blue.rule == "direction_sign" and blue.confidence == e.confidence
    assert "panel" not in blue.explanation


@pytest.mark.parametrize(
    "other",
    [
        "Рославль",  # the other alphabet's line of the same name: "Рославль / Roslavl"
        "Roslawl",  # ... in another spelling
        "Кгеславль",  # ... misread
        "Смоленская область",  # its region, as some limit signs carry
        "Kreis Smolensk",  # its district
        "ДОБРО ПОЖАЛОВАТЬ",  # a greeting
        "ПРОДУКТЫ",  # everyday words
        "Жл",  # too short to be a name
    ],
)
def test_a_limit_sign_with_its_name_twice_or_its_district_stays_the_towns_own(gz, other):
    rows = sign(("Рославль", None), (other, None))
    e = run(gz, rows).estimate
    roslavl = _place(gz, "Roslavl")
    assert e is not None and e.rule == "place_sign", e
    assert haversine_km(e.lat, e.lon, roslavl.lat, roslavl.lon) < 15


def test_a_weakly_read_other_row_does_not_make_a_direction_sign(gz):
    rows = sign(("Рославль", None), ("Жловин", None))
    rows[1] = replace(rows[1], confidence=50.0)  # texture read as letters
    e = run(gz, rows).estimate
    assert e is not None and e.rule == "place_sign"


def test_other_lettering_far_taller_than_the_name_is_not_another_row_of_the_sign(gz):
    # A notice "ЗАПРЕЩЕНО / Рославль": its title in letters twice the town's name's height is
    # not a destination listed beside it.
    rows = sign(("Рославль", None), ("Жловин", None))
    rows[1] = replace(rows[1], box=(10, 50, 200, 60))
    e = run(gz, rows).estimate
    assert e is not None and e.rule == "place_sign"


def test_a_lone_destination_many_places_share_keeps_them_as_alternatives(gz):
    # "← Springfield" read alone: the road goes to one of many Springfields, farther apart than a
    # direction sign's reach; each is an alternative region, and the confidence is the share's.
    pointed = [replace(m, arrow="left") for m in sign(("Springfield", None))]
    e = run(gz, pointed).estimate
    assert e is not None and e.rule == "direction_sign" and e.alternatives, e
    assert all(a.radius_km >= 300 and "towards" in a.explanation for a in e.alternatives)
    assert e.probability is not None and e.probability + sum(a.probability for a in e.alternatives) <= 1.0
    unique = run(gz, [replace(m, arrow="left") for m in sign(("Житомир", None))]).estimate
    assert unique is not None and not unique.alternatives and e.confidence < unique.confidence


def test_a_direction_sign_whose_names_all_match_hamlets_only_as_misreadings_says_little(gz):
    # A French hiking guidepost cut by the frame: "...SSERELLE" and "LACS DE CRISTOL" read as
    # "SSEREL" and "CRISTOL". Each spells, up to a letter, a Romanian village (600 and 1,500
    # people), and the two lie 190 km apart: among the thousands of hamlets the readings may
    # name, two near each other are found by chance.
    e = run(gz, sign(("SSEREL", None), ("CRISTOL", None))).estimate
    assert e is None or e.confidence < 0.3, e
    # Two towns read exactly are where the road goes, as surely as before.
    towns = run(gz, sign(("Житомир", None), ("Київ", None))).estimate
    assert towns is not None and towns.confidence >= 0.5, towns
    # One town read exactly beside a junk reading still places the road: the town alone says it.
    one = run(gz, sign(("Житомир", None), ("CRISTOL", None))).estimate
    assert one is not None and "Zhytomyr" in one.explanation


def test_a_direction_sign_whose_places_two_regions_share_names_both(gz):
    # "Hampstead / Durham" without distances: a town of each name lies in North Carolina (Durham,
    # 258,000 people) and one of each in New Hampshire (60 km from Boston). The road goes to
    # either pair, so neither is stated as sure, and the other pair is an alternative region.
    e = run(gz, sign(("Hampstead", None), ("Durham", None))).estimate
    assert e is not None and e.rule == "direction_sign", e
    assert e.probability is not None and e.probability + sum(a.probability for a in e.alternatives) <= 1.0 + 1e-9
    assert e.confidence < 0.5, e
    near_boston = (42.54, -70.92)
    regions = [(e.lat, e.lon, e.radius_km), *((a.lat, a.lon, a.radius_km) for a in e.alternatives)]
    assert any(haversine_km(lat, lon, *near_boston) <= r for lat, lon, r in regions), e
    assert any("towards" in a.explanation and "Hampstead" in a.explanation for a in e.alternatives)
    # Two towns no other pair of places shares stay as sure as before.
    towns = run(gz, sign(("Житомир", None), ("Київ", None))).estimate
    assert towns is not None and towns.confidence >= 0.5 and not towns.alternatives, towns
