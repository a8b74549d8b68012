"""Inference on real gazetteer lookups: rings, lone names, metadata, captions, conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geoloc.common.geodesy import haversine_km
from geoloc.infer import infer, sign_country
from geoloc.model import GPS, Location, Mention, Metadata, place_radius_km
from geoloc.places.protocol import Priors
from geoloc.read.mentions import context_facts

CHERNIHIV = (51.50551, 31.28487)


def sign(*lines: tuple[str, float | None], region: int = 0) -> list[Mention]:
    return [
        Mention(
            readings=(name,), kind="ocr", distance_km=km, box=(10, 10 + 40 * i, 100, 30), confidence=90.0, region=region
        )
        for i, (name, km) in enumerate(lines)
    ]


def run(gz, mentions, metadata=None, caption=None, **kw):
    return infer(mentions, metadata or Metadata(), context_facts(caption) if caption else None, gz, **kw)


def _place(gz, name):
    return next(p for p in gz.search(name, limit=5) if p.kind == "city")


def test_two_distance_signs_meet_where_the_camera_is(gz):
    # Camera in Nizhyn; signs give road distances (straight line x 1.2) to Chernihiv and Pryluky.
    camera = _place(gz, "Nizhyn")
    lines = []
    for name in ("Chernihiv", "Pryluky", "Kozelets"):
        p = _place(gz, name)
        lines.append((name, round(1.2 * haversine_km(camera.lat, camera.lon, p.lat, p.lon))))
    inf = run(gz, sign(*lines))
    e = inf.estimate
    assert e is not None and e.basis == "distance"
    assert haversine_km(e.lat, e.lon, camera.lat, camera.lon) < 25
    assert e.confidence >= 0.5 and e.radius_km < 40
    assert "3 distance signs" in e.explanation
    assert {c.place.name for c in inf.candidates[:3]} >= {"Chernihiv", "Pryluky"}


def test_single_distance_puts_the_camera_within_that_distance(gz):
    inf = run(gz, sign(("Чернігів", 25)))
    e = inf.estimate
    assert e.basis == "distance" and e.radius_km == 25
    assert haversine_km(e.lat, e.lon, *CHERNIHIV) < 1
    assert inf.candidates[0].place.geonameid == 710735
    assert inf.candidates[0].evidence[0].distance_km == 25


def test_cyrillic_and_latin_lines_of_one_sign_are_one_place(gz):
    mentions = sign(("Чернігів", 25), ("Chernihiv", None))
    inf = run(gz, mentions)
    top = inf.candidates[0]
    assert top.place.geonameid == 710735
    assert "Чернігів" in top.evidence[0].text and "Chernihiv" in top.evidence[0].text
    assert top.evidence[0].distance_km == 25


def test_a_lone_name_puts_the_camera_in_that_place(gz):
    inf = run(gz, sign(("Чернігів", None)))
    e = inf.estimate
    assert e.basis == "ocr" and haversine_km(e.lat, e.lon, *CHERNIHIV) < 1
    assert e.radius_km == pytest.approx(place_radius_km(inf.candidates[0].place))
    assert 0.5 <= e.confidence <= 1


def test_no_evidence_no_estimate(gz):
    inf = run(gz, [])
    assert inf.estimate is None and inf.candidates == []
    shop = [Mention(readings=("АПТЕКА",), kind="ocr", confidence=95.0, region=0)]
    assert run(gz, shop).estimate is None


def test_gps_wins_and_contradicting_signs_are_flagged(gz):
    lviv_gps = Metadata(gps=GPS(lat=49.8397, lon=24.0297))
    inf = run(gz, sign(("Чернігів", None)), metadata=lviv_gps)
    assert inf.estimate.basis == "gps" and inf.estimate.lat == 49.8397
    assert len(inf.conflicts) == 1 and "Chernihiv" in inf.conflicts[0]
    near_gps = Metadata(gps=GPS(lat=51.49, lon=31.30))
    assert run(gz, sign(("Чернігів", None)), metadata=near_gps).conflicts == []


def test_iptc_city_is_evidence(gz):
    md = Metadata(location=Location(city="Budapest", country="Hungary", country_code="HU", source="iptc"))
    inf = run(gz, [], metadata=md)
    assert inf.estimate.basis == "iptc"
    assert inf.candidates[0].place.country_code == "HU"


def test_caption_alone_gives_a_low_confidence_estimate(gz):
    inf = run(gz, [], caption="Shelling near Chernihiv, close to the border with Belarus.")
    assert inf.estimate.basis == "context" and inf.estimate.confidence < 0.5
    assert haversine_km(inf.estimate.lat, inf.estimate.lon, *CHERNIHIV) < 1


def test_caption_disambiguates_a_common_village_name(gz):
    # Many villages are called Oleksandrivka; the caption's region decides which one.
    near_kropyvnytskyi = run(
        gz, sign(("Олександрівка", None)), caption="A checkpoint in Kirovohrad Oblast, south of Kropyvnytskyi."
    )
    near_donetsk = run(gz, sign(("Олександрівка", None)), caption="A checkpoint in Donetsk Oblast, near Kramatorsk.")
    a, b = near_kropyvnytskyi.estimate, near_donetsk.estimate
    assert haversine_km(a.lat, a.lon, b.lat, b.lon) > 100
    kr = _place(gz, "Kropyvnytskyi")
    kt = _place(gz, "Kramatorsk")
    assert haversine_km(a.lat, a.lon, kr.lat, kr.lon) < haversine_km(a.lat, a.lon, kt.lat, kt.lon)
    assert haversine_km(b.lat, b.lon, kt.lat, kt.lon) < haversine_km(b.lat, b.lon, kr.lat, kr.lon)


def test_sign_alphabet_gives_the_country():
    assert sign_country(sign(("Чернігів", 25))) == "UA"
    assert sign_country(sign(("Брянск", 45))) is None  # letters shared by Russian and Ukrainian
    assert sign_country(sign(("Мыски", 5))) == "RU"
    assert sign_country(sign(("Ўзда", 3))) == "BY"
    assert sign_country(sign(("Мінск", 70), ("Лёзна", 3))) == "BY"
    assert sign_country(sign(("Київ", 140))) == "UA"
    # Only Ukrainian spells a soft sign before the final к; Russian writes "Донецк", "Покровск".
    assert sign_country(sign(("Покровськ", 40), ("Донецьк", 95))) == "UA"
    assert sign_country(sign(("Покровск", 40), ("Донецк", 95))) is None
    assert sign_country(sign(("Первомайський", 12))) == "UA"
    assert sign_country(sign(("Первомайский", 12), ("Васька", None))) is None


def test_ukrainian_spelling_puts_a_shared_name_in_ukraine(gz):
    # "Новомосковськ" (now Samar, Dnipropetrovsk Oblast) shares its name with a city of 130,000
    # near Tula, whose Ukrainian spelling the gazetteer also holds; the sign's "-ськ" is Ukrainian.
    e = run(gz, sign(("Новомосковськ", 40))).estimate
    samar = next(p for p in gz.search("Samar", priors=Priors(country="UA"), limit=5) if p.country_code == "UA")
    assert e is not None and haversine_km(e.lat, e.lon, samar.lat, samar.lon) < 5
    assert e.confidence >= 0.5


def test_route_numbers_become_evidence(gz):
    m = Mention(readings=("Чернігів",), kind="ocr", distance_km=14, confidence=90.0, region=0, routes=("М01",))
    top = run(gz, [m]).candidates[0]
    assert [(e.kind, e.text) for e in top.evidence] == [("ocr", "Чернігів"), ("route", "М01")]


def test_gps_picks_the_same_named_place_near_it(gz):
    # Two Oleksandrivkas ~300 km apart: the one near the file's GPS is chosen and no conflict arises.
    options = [p for p in gz.search("Олександрівка", limit=10) if p.kind == "city" and p.name == "Oleksandrivka"]
    far_apart = [(a, b) for a in options for b in options if haversine_km(a.lat, a.lon, b.lat, b.lon) > 200]
    a, b = far_apart[0]
    for target in (a, b):
        inf = run(gz, sign(("Олександрівка", None)), metadata=Metadata(gps=GPS(lat=target.lat + 0.01, lon=target.lon)))
        assert inf.candidates[0].place.geonameid == target.geonameid
        assert inf.conflicts == []


def test_a_cyrillic_sign_name_ranks_a_place_of_a_cyrillic_country_first(gz):
    # "Александрия" is also Alexandria (US, Egypt): on a Cyrillic sign the sign's alphabet decides.
    inf = run(gz, sign(("Александрия", None)))
    assert inf.candidates, "the name was not found at all"
    assert inf.candidates[0].place.country_code in ("RU", "UA", "BY")
    assert inf.estimate is not None and inf.estimate.basis == "ocr"


def test_a_metadata_country_field_names_the_country_not_a_town_spelled_alike(gz):
    inf = run(gz, [], Metadata(location=Location(country="Fiji", source="xmp")))
    assert inf.candidates and inf.candidates[0].place.country_code == "FJ"
    assert inf.candidates[0].place.kind == "country"


def _regions(e) -> list[tuple[float, float, float, float]]:
    """The estimate's region and its alternatives: (lat, lon, radius km, probability)."""
    own = e.probability if e.probability is not None else e.confidence
    return [(e.lat, e.lon, e.radius_km, own)] + [(a.lat, a.lon, a.radius_km, a.probability) for a in e.alternatives]


def test_distance_signs_that_cannot_both_be_true_are_two_answers_each_if_the_other_is_misread(gz):
    # Zhytomyr and Chernihiv are about 230 km apart: no camera is 30 km from one and 14 from the
    # other. On a junction sign (arrows: rows in any order) either number may be the misread one:
    # within 30 km of Zhytomyr, or within 14 km of Chernihiv, about even, never a point between.
    inf = run(gz, [replace(m, arrow="up") for m in sign(("Житомир", 30.0), ("Чернігів", 14.0))])
    assert any("cannot both be true" in c for c in inf.conflicts)
    e = inf.estimate
    assert e is not None and e.confidence < 0.5 and "cannot all be true" in e.explanation
    regions = _regions(e)
    assert len(regions) == 2 and sum(p for *_, p in regions) <= 1.0
    for name, km in (("Zhytomyr", 30), ("Chernihiv", 14)):
        p = _place(gz, name)
        assert any(haversine_km(la, lo, p.lat, p.lon) < 5 and r == km and 0.3 < pr < 0.7 for la, lo, r, pr in regions)
    assert any("is misread" in a.explanation for a in e.alternatives)


def test_four_distances_that_exclude_each_other_are_four_answers_none_confident(gz):
    rows = sign(("Житомир", 30.0), ("Чернігів", 14.0), ("Ужгород", 20.0), ("Луганськ", 25.0))
    inf = run(gz, [replace(m, arrow="up") for m in rows])
    e = inf.estimate
    assert e is not None and e.confidence < 0.5 and "cannot all be true" in e.explanation
    assert len(_regions(e)) == 4 and max(p for *_, p in _regions(e)) < 0.5
    assert len([c for c in inf.conflicts if "cannot both be true" in c]) == 6


def test_a_caption_place_far_from_the_gps_is_a_conflict(gz):
    inf = run(gz, [], Metadata(gps=GPS(51.5, 31.3)), caption="Photo taken in Kyiv.")
    assert inf.estimate is not None and inf.estimate.basis == "gps"
    assert any("Kyiv" in c and "GPS" in c for c in inf.conflicts)
    near = run(gz, [], Metadata(gps=GPS(50.45, 30.52)), caption="Photo taken in Kyiv.")
    assert near.conflicts == []


def test_the_summary_never_leads_with_a_candidate_away_from_the_gps(gz):
    from geoloc.infer import at_estimate

    inf = run(gz, [], Metadata(gps=GPS(51.5, 31.3)), caption="Photo taken in the Bryansk region.")
    assert inf.candidates and inf.candidates[0].place.name == "Bryansk Oblast"
    assert at_estimate(inf.candidates, inf.estimate) is None
    signed = run(gz, sign(("Чернігів", None)), Metadata(gps=GPS(51.5, 31.3)))
    assert at_estimate(signed.candidates, signed.estimate).place.name == "Chernihiv"
