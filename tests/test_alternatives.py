"""Several regions when the evidence allows several: two distance rings meet in two places, and
the report names both with their probabilities, never one point between them."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator

import pytest

from geoloc.areas import map_geography
from geoloc.cli.locate import summary_line
from geoloc.common.geodesy import LocalProjection, haversine_km
from geoloc.infer import infer
from geoloc.infer.rings import Ring, ring_consistency
from geoloc.model import GPS, Inference, Mention, Metadata, PhotoReport, Place, Report
from geoloc.places.protocol import Gazetteer
from geoloc.render.geojson import features
from geoloc.render.jsontext import dumps
from geoloc.render.map import render_map
from tests.support.limits import deadline

ROAD_PER_STRAIGHT = 1.3
"""Road distances on the test signs: the straight line times this (the model's most likely factor)."""
NEAR_KM = 15.0
"""How close a reported centre must come to the intersection of the rings it stands for."""
TEST_SECONDS = 60
"""No test here may take longer: a regression must fail, not hang the suite."""


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    with deadline(TEST_SECONDS, "test still running"):
        yield


def _city(gz: Gazetteer, name: str) -> Place:
    return next(p for p in gz.search(name, limit=5) if p.kind == "city")


def _signs(gz: Gazetteer, camera: Place, names: tuple[str, ...]) -> tuple[list[Mention], list[tuple[Place, float]]]:
    """One distance sign per name (each its own panel), road distance from the camera's position."""
    mentions, rings = [], []
    for i, name in enumerate(names):
        p = _city(gz, name)
        road = round(ROAD_PER_STRAIGHT * haversine_km(camera.lat, camera.lon, p.lat, p.lon))
        mentions.append(
            Mention(readings=(name,), kind="ocr", distance_km=road, box=(10, 10, 100, 30), confidence=90.0, region=i)
        )
        rings.append((p, road / ROAD_PER_STRAIGHT))
    return mentions, rings


def _intersections(a: tuple[Place, float], b: tuple[Place, float]) -> list[tuple[float, float]]:
    """Where two circles (centre, straight-line radius in km) cross, as (lat, lon), by plane geometry."""
    (pa, ra), (pb, rb) = a, b
    proj = LocalProjection((pa.lat + pb.lat) / 2, (pa.lon + pb.lon) / 2)
    (xa, ya), (xb, yb) = proj.to_km(pa.lon, pa.lat), proj.to_km(pb.lon, pb.lat)
    d = math.hypot(xb - xa, yb - ya)
    along = (ra**2 - rb**2 + d**2) / (2 * d)
    across = math.sqrt(ra**2 - along**2)
    ux, uy = (xb - xa) / d, (yb - ya) / d
    mx, my = xa + along * ux, ya + along * uy
    out = []
    for side in (1, -1):
        lon, lat = proj.to_lonlat(mx - side * across * uy, my + side * across * ux)
        out.append((float(lat), float(lon)))
    return out


def _two_places(gz: Gazetteer) -> tuple[Inference, list[tuple[float, float]]]:
    """Camera in Nizhyn; signs to Kyiv and Chernihiv. Their rings also meet ~115 km west, near Kyiv
    Oblast's northern edge: a mirror image across the Kyiv-Chernihiv line."""
    camera = _city(gz, "Nizhyn")
    mentions, rings = _signs(gz, camera, ("Kyiv", "Chernihiv"))
    crossings = _intersections(*rings)
    assert min(haversine_km(lat, lon, camera.lat, camera.lon) for lat, lon in crossings) < 5  # the geometry is right
    assert haversine_km(*crossings[0], *crossings[1]) > 100  # and the mirror is far off
    return infer(mentions, Metadata(), None, gz), crossings


def test_two_rings_give_two_places_never_their_midpoint(gz: Gazetteer) -> None:
    inf, crossings = _two_places(gz)
    e = inf.estimate
    assert e is not None and e.basis == "distance"
    assert len(e.alternatives) == 1
    alt = e.alternatives[0]
    at = [
        min(range(2), key=lambda i, q=q: haversine_km(q[0], q[1], *crossings[i]))
        for q in ((e.lat, e.lon), (alt.lat, alt.lon))
    ]
    assert sorted(at) == [0, 1]  # one at each crossing
    assert haversine_km(e.lat, e.lon, *crossings[at[0]]) < NEAR_KM
    assert haversine_km(alt.lat, alt.lon, *crossings[at[1]]) < NEAR_KM
    mid = ((crossings[0][0] + crossings[1][0]) / 2, (crossings[0][1] + crossings[1][1]) / 2)
    half = haversine_km(*crossings[0], *crossings[1]) / 2
    assert haversine_km(e.lat, e.lon, *mid) > half - NEAR_KM
    assert haversine_km(alt.lat, alt.lon, *mid) > half - NEAR_KM
    assert e.probability is not None and e.probability >= alt.probability >= 0.1
    assert e.probability + alt.probability <= 1.0
    assert e.confidence <= e.probability  # a split estimate claims no more than its own share
    assert "one of two places" in e.explanation and f"({alt.probability:.0%})" in e.explanation
    d = e.to_dict()
    assert d["alternatives"][0]["probability"] == round(alt.probability, 2)
    assert set(d["alternatives"][0]) == {"lat", "lon", "radius_km", "probability", "explanation"}


def test_two_places_near_one_destination_are_told_apart_by_their_bearing(gz: Gazetteer) -> None:
    # Camera in Kozelets; signs to Oster (~17 km) and Chernihiv. The rings meet on either side of
    # Oster, each place within its region's radius of the town: "near Oster or near Oster" would
    # not tell the analyst which two places are meant, so each is said by distance and bearing.
    mentions, rings = _signs(gz, _city(gz, "Kozelets"), ("Oster", "Chernihiv"))
    oster = rings[0][0]
    e = infer(mentions, Metadata(), None, gz).estimate
    assert e is not None and len(e.alternatives) == 1, e
    alt = e.alternatives[0]
    said = re.search(r"one of two places: (.+?) \(\d+%\) or (.+?) \(\d+%\)", e.explanation)
    assert said is not None, e.explanation
    bearings = []
    for (lat, lon), label in zip(((e.lat, e.lon), (alt.lat, alt.lon)), said.groups(), strict=True):
        where = re.fullmatch(r"(\d+) km (N|NE|E|SE|S|SW|W|NW) of Oster", label)
        assert where is not None, label
        assert abs(int(where[1]) - haversine_km(oster.lat, oster.lon, lat, lon)) <= 1
        bearings.append(where[2])
    assert bearings[0] != bearings[1]
    assert alt.explanation.endswith(said[2])  # the map's label for the second place says the same


def test_of_two_mirror_places_the_one_in_the_destinations_country_leads(gz: Gazetteer) -> None:
    # Camera in Cottbus; signs to Guben and Görlitz, both on the German bank of the Neisse, the
    # border. The rings' mirror place lies in Poland: signs name their own country's towns,
    # so the German place leads, and the Polish one stays an alternative.
    camera = _city(gz, "Cottbus")
    mentions, rings = _signs(gz, camera, ("Guben", "Görlitz"))
    assert {p.country_code for p, _ in rings} == {"DE"}
    e = infer(mentions, Metadata(), None, gz).estimate
    assert e is not None and haversine_km(e.lat, e.lon, camera.lat, camera.lon) < NEAR_KM, e
    mirror = [a for a in e.alternatives if a.lon > 14.8]  # east of the Neisse
    assert mirror and e.probability is not None and e.probability > 2 * max(a.probability for a in mirror), e
    assert e.confidence < 0.9  # a lean, not a certainty: signs near a border name towns across it


def test_three_rings_pin_one_place_and_give_no_alternative(gz: Gazetteer) -> None:
    camera = _city(gz, "Nizhyn")
    mentions, _ = _signs(gz, camera, ("Kyiv", "Chernihiv", "Pryluky"))
    e = infer(mentions, Metadata(), None, gz).estimate
    assert e is not None and e.alternatives == ()
    assert haversine_km(e.lat, e.lon, camera.lat, camera.lon) < NEAR_KM
    assert "one of" not in e.explanation
    assert e.to_dict()["alternatives"] == []


def test_gps_estimate_has_an_empty_alternatives_list(gz: Gazetteer) -> None:
    e = infer([], Metadata(gps=GPS(lat=51.5, lon=31.3)), None, gz).estimate
    assert e is not None and e.basis == "gps"
    assert e.to_dict()["alternatives"] == []
    written = json.loads(dumps(Report([PhotoReport(path="a.jpg", estimate=e)]).to_dict()))
    assert written["photos"][0]["estimate"]["alternatives"] == []


def test_summary_geojson_and_map_show_the_alternative(gz: Gazetteer) -> None:
    inf, _ = _two_places(gz)
    e = inf.estimate
    assert e is not None
    alt = e.alternatives[0]
    photo = PhotoReport(path="sign\x1b[31m.jpg", estimate=e, candidates=inf.candidates)
    text = summary_line(photo)
    assert f"    or: ({alt.lat:.4f}, {alt.lon:.4f}) ± {alt.radius_km:.0f} km, probability {alt.probability:.2f}" in text
    assert "\x1b" not in text
    report = Report([photo])
    found = [f for f in features(report)["features"] if f["properties"]["layer"] == "alternative"]
    assert len(found) == 1
    props = found[0]["properties"]
    assert props["probability"] == round(alt.probability, 2) and props["photo"] == photo.path
    assert found[0]["geometry"]["type"] == "Polygon"
    page = render_map(report, map_geography(report), offline=True)
    assert f"or here, probability {alt.probability:.2f}" in page
    assert "another place the evidence allows" in page


def _town(geonameid: int, lat: float, lon: float) -> Place:
    return Place(geonameid=geonameid, name=f"T{geonameid}", lat=lat, lon=lon, country_code="UA", population=20_000)


@pytest.mark.parametrize(("far", "one_way"), [((51.8, 30.0), True), ((47.7, 30.0), False)])
def test_a_sign_without_arrows_favours_places_from_which_its_towns_lie_one_way(
    far: tuple[float, float], one_way: bool
) -> None:
    # "B 120 / A 350": with A 200 km beyond B to the north, the rings meet south of B, where both
    # lie ahead; with A 250 km the other way, they meet only between the two, back to back. A
    # sign without arrows is most often a distance sign listing one road's towns, so the first
    # fits it better; with arrows read the sign says where its towns lie, and neither is favoured.
    near = _town(1, 50.0, 30.0)
    a = _town(2, *far)
    d = 350.0 if one_way else 150.0
    plain = ring_consistency([Ring(near, 120.0, 0), Ring(a, d, 0)])
    arrowed = ring_consistency([Ring(near, 120.0, 0, "up"), Ring(a, d, 0, "up" if one_way else "left")])
    assert (plain > arrowed) if one_way else (plain < arrowed)
