"""A ring road's name on a sign says which city the sign stands in or near ("МКАД": Moscow)."""

from __future__ import annotations

import json

import pytest

from geoloc.common.geodesy import haversine_km
from geoloc.model import Mention
from geoloc.places import roads
from geoloc.places.roads import TABLE_FILE, CityRoadError, city_roads
from tests.test_infer import _place, run, sign


def _row(text: str, y: int, routes: tuple[str, ...] = ()) -> Mention:
    return Mention(readings=(text,), kind="ocr", routes=routes, box=(10, y, 160, 30), confidence=90.0, region=0)


def test_a_moscow_direction_sign_naming_the_ring_roads_puts_the_camera_in_moscow_not_pskov(gz):
    # A direction sign in Moscow: "ПСКОВ E22 / МКАД / 3-е КОЛЬЦО / ЦЕНТР". Pskov is where the
    # road goes, 600 km away; the ring roads say the sign stands in Moscow.
    rows = [_row("ПСКОВ", 10, ("E22",)), _row("МКАД", 50), _row("3-е КОЛЬЦО", 90), _row("ЦЕНТР", 130)]
    e = run(gz, rows).estimate
    moscow, pskov = _place(gz, "Moscow"), _place(gz, "Pskov")
    assert e is not None and haversine_km(e.lat, e.lon, moscow.lat, moscow.lon) < 10, e
    assert e.radius_km < 60 and haversine_km(e.lat, e.lon, pskov.lat, pskov.lon) > 500
    assert "ring road" in e.explanation.lower() and "Moscow" in e.explanation, e.explanation
    assert e.confidence >= 0.3


def test_a_ring_road_two_cities_share_the_name_of_is_the_one_beside_the_signs_other_places(gz):
    # Minsk's ring road is also "МКАД" in Russian; a sign naming it with Barysaw, 70 km east of
    # Minsk, stands in Minsk, and Moscow stays an alternative only as its size weighs.
    e = run(gz, sign(("Борисов", None), ("МКАД", None))).estimate
    minsk = _place(gz, "Minsk")
    assert e is not None and haversine_km(e.lat, e.lon, minsk.lat, minsk.lon) < 10, e
    alone = run(gz, sign(("МКАД", None))).estimate  # alone, the larger city is likelier, not sure
    assert alone is not None and "Moscow" in alone.explanation
    assert alone.confidence < 0.75 and any("Minsk" in a.explanation for a in alone.alternatives), alone
    # A trunk road's far end (Pskov: 610 km from Moscow, 440 from Minsk) does not decide it.
    far = run(gz, [_row("ПСКОВ", 10, ("E22",)), _row("МКАД", 50)]).estimate
    assert far is not None and "Moscow" in far.explanation and far.alternatives, far
    # A distance to the ring road ("МКАД 12") widens the circle by as much: no ring about the centre.
    ahead = run(gz, sign(("МКАД", 12.0))).estimate
    assert ahead is not None and ahead.radius_km == pytest.approx(alone.radius_km + 12.0), ahead


def test_only_a_road_name_read_exactly_names_its_city():
    assert [r.city_id for r in city_roads("мкад")] == [r.city_id for r in city_roads("МКАД")] != []
    for text in ("КАДР", "МКА", "Ring", "3-е"):  # a word a letter off, or part of a name
        assert city_roads(text) == (), text
    # Names that are also streets in many towns, another city's ring road or a brand say nothing.
    for text in ("Berliner Ring", "Садовое кольцо", "Périphérique", "ТТК"):
        assert city_roads(text) == (), text


def test_every_road_in_the_table_belongs_to_the_city_it_names(gz):
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    assert data["roads"]
    for entry in data["roads"]:
        city = gz.get(entry["city"])
        assert city is not None and city.name == entry["city_name"], entry
        assert city.population > 1_000_000  # ring roads signs name belong to large cities
        for name in entry["names"]:
            assert entry["city"] in {r.city_id for r in city_roads(name)}, name


@pytest.mark.parametrize(
    "text",
    [
        '{"roads": [{"road": "Ring", "city": 524901, "length_km": -5, "names": ["X"]}]}',
        '{"roads": [{"road": "Ring", "names": ["X"]}]}',
        "not json",
    ],
)
def test_a_broken_road_table_is_an_install_error_naming_the_file(tmp_path, monkeypatch, text):
    broken = tmp_path / "city_roads.json"
    broken.write_text(text, encoding="utf-8")
    monkeypatch.setattr(roads, "TABLE_FILE", broken)
    roads._table.cache_clear()
    try:
        with pytest.raises(CityRoadError, match="city_roads.json"):
            city_roads("МКАД")
    finally:
        roads._table.cache_clear()
