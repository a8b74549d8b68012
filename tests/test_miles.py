"""Distances in miles: British and American signs, and English captions.

A sign in the United Kingdom or the United States gives its distances in miles without writing the
unit ("Oxford 12"); read as kilometres, its rings are 1.6 times too small and meet where the camera
is not. A unit written beside the number ("56 km", "12 mi") says which it is, wherever the place.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from geoloc.common.geodesy import KM_PER_MILE, haversine_km, offset_km
from geoloc.model import Mention, TextSpan
from geoloc.read.mentions import context_facts, mentions_from_spans
from tests.test_infer import run, sign


def _city(gz, name: str, country: str):
    return next(p for p in gz.search(name, limit=20) if p.kind == "city" and p.country_code == country)


def _miles(gz, camera, names: tuple[str, ...], country: str, factor: float) -> list[tuple[str, float]]:
    """Sign rows as a sign at ``camera`` prints them in miles: straight line x ``factor``, rounded."""
    rows = []
    for n in names:
        p = _city(gz, n, country)
        rows.append((n, float(round(factor * haversine_km(camera.lat, camera.lon, p.lat, p.lon) / KM_PER_MILE))))
    return rows


def _holds(e, lat: float, lon: float) -> bool:
    return haversine_km(e.lat, e.lon, lat, lon) <= e.radius_km


@pytest.mark.parametrize("factor", [1.1, 1.3, 1.5])
def test_a_british_distance_sign_in_miles_puts_the_camera_where_it_is(gz, factor):
    cam = _city(gz, "Bicester", "GB")
    rows = _miles(gz, cam, ("Oxford", "Banbury", "Aylesbury"), "GB", factor)
    inf = run(gz, sign(*rows))
    e = inf.estimate
    assert e is not None and e.basis == "distance"
    assert _holds(e, cam.lat, cam.lon) and e.radius_km < 40
    assert inf.left_out == []  # no number taken as misread to make the rings meet
    assert f"Oxford {rows[0][1]:g} mi" in e.explanation


def test_one_american_distance_bounds_the_camera_in_miles(gz):
    cam = _city(gz, "Harrisonburg", "US")
    ((name, miles),) = _miles(gz, cam, ("Charlottesville",), "US", 1.45)
    e = run(gz, sign((name, miles))).estimate
    assert e is not None and e.rule == "distance_sign"
    assert e.radius_km == pytest.approx(miles * KM_PER_MILE)
    assert _holds(e, cam.lat, cam.lon)


def test_a_unit_written_beside_the_number_is_the_unit_whatever_the_country(gz):
    # A sign at Bicester that wrote kilometres: its rings are read as written.
    cam = _city(gz, "Bicester", "GB")
    rows = [(n, float(round(1.3 * haversine_km(cam.lat, cam.lon, p.lat, p.lon)))) for n in ("Oxford", "Banbury")
            for p in [_city(gz, n, "GB")]]  # fmt: skip
    mentions = [replace(m, distance_unit="km") for m in sign(*rows)]
    e = run(gz, mentions).estimate
    assert e is not None and _holds(e, cam.lat, cam.lon)
    assert "km," in e.explanation and " mi" not in e.explanation


def _span(text: str, x: int, line: int) -> TextSpan:
    return TextSpan(text=text, confidence=90.0, box=(x, 20 * line, 10 * len(text), 18), line=line, region=0, lang="eng")


def test_the_reader_keeps_the_unit_written_beside_a_distance():
    ms = mentions_from_spans(
        [_span("Seoul", 10, 1), _span("56Km", 120, 1), _span("Dover", 10, 2), _span("12", 120, 2)]
        + [_span("mi", 150, 2), _span("Calais", 10, 3), _span("30", 120, 3)]
    )
    assert [(m.text, m.distance_km, m.distance_unit) for m in ms] == [
        ("Seoul", 56.0, "km"),
        ("Dover", 12.0, "mi"),
        ("Calais", 30.0, None),  # no unit: the country of the place it names decides
    ]


@pytest.mark.parametrize(
    ("printed", "km"),
    [
        ("6½", 6.5),
        ("61/2", 6.5),  # how the recognition network reads "6½"
        ("¾", 0.75),
        ("12¼", 12.25),
        ("4,2", 4.2),
        ("1.5", 1.5),
        ("4,2km", 4.2),
        ("37", 37.0),
    ],
)
def test_the_reader_keeps_a_fraction_or_a_decimal_of_a_distance(printed, km):
    (m,) = mentions_from_spans([_span("Banbury", 10, 1), _span(printed, 120, 1)])
    assert (m.text, m.distance_km) == ("Banbury", km)


@pytest.mark.parametrize("printed", ["4.99", "1,200", "12,50", "1/2"])
def test_a_price_or_a_thousand_is_no_distance(printed):
    ms = mentions_from_spans([_span("Banbury", 10, 1), _span(printed, 120, 1)])
    assert [m.distance_km for m in ms if m.text == "Banbury"] == [None]


def test_a_british_sign_with_half_miles_puts_the_camera_where_it_is(gz):
    # Bicester: "Oxford 13½ / Banbury 17½ / Aylesbury 19½", each straight line x 1.25 in miles.
    cam = _city(gz, "Bicester", "GB")
    rows = [(n, round(2 * d) / 2) for n, d in _miles_exact(gz, cam, ("Oxford", "Banbury", "Aylesbury"), 1.25)]
    spans = [
        _span(t, x, line)
        for line, (n, d) in enumerate(rows, start=1)
        for t, x in ((n, 10), (f"{int(d)}½" if d % 1 else f"{int(d)}", 140))
    ]
    e = run(gz, mentions_from_spans(spans)).estimate
    assert e is not None and e.rule == "distance_signs" and _holds(e, cam.lat, cam.lon), e
    assert haversine_km(e.lat, e.lon, cam.lat, cam.lon) < 15


def _miles_exact(gz, camera, names: tuple[str, ...], factor: float) -> list[tuple[str, float]]:
    return [
        (n, factor * haversine_km(camera.lat, camera.lon, p.lat, p.lon) / KM_PER_MILE)
        for n in names
        for p in [_city(gz, n, "GB")]
    ]


def test_a_distance_in_miles_is_reported_in_km_and_says_it_was_miles(gz, tmp_path):
    cam = _city(gz, "Bicester", "GB")
    rows = _miles(gz, cam, ("Oxford", "Banbury"), "GB", 1.3)
    inf = run(gz, sign(*rows))
    oxford = next(c for c in inf.candidates if c.place.name == "Oxford" and c.place.country_code == "GB")
    ev = json.loads(json.dumps(oxford.evidence[0].to_dict()))
    assert ev["distance_unit"] == "mi"
    assert ev["distance_km"] == pytest.approx(rows[0][1] * KM_PER_MILE, abs=0.05)


@pytest.mark.parametrize(
    ("caption", "km"),
    [
        ("The photo was taken about 35 miles southwest of Austin, police said.", 35 * KM_PER_MILE),
        ("Deputies found the car 12 miles (19 km) north of Austin.", 12 * KM_PER_MILE),
        ("The drone was filmed 56 km from Austin.", 56.0),
    ],
)
def test_a_caption_distance_in_miles_is_read_in_miles(caption, km):
    (austin,) = [m for m in context_facts(caption).mentions if m.text == "Austin"]
    assert austin.distance_km is not None
    got = austin.distance_km * (KM_PER_MILE if austin.distance_unit == "mi" else 1.0)
    assert got == pytest.approx(km)


def test_a_border_distance_in_miles_is_converted():
    facts = context_facts("The shelling hit a village 6 miles from the border with Belarus.")
    assert facts.border_km == pytest.approx(6 * KM_PER_MILE)
    # "1,200 miles" is no 200-mile distance
    assert context_facts("A convoy drove 1,200 miles from the border with Poland.").border_km is None


@pytest.mark.parametrize(
    ("caption", "town", "bearing", "km"),
    [
        ("The photo was taken about 35 miles southwest of Austin, Texas.", (30.27, -97.74), 225.0, 35 * KM_PER_MILE),
        ("Снимок сделан в 30 км к северо-западу от Курска.", (51.73, 36.19), 315.0, 30.0),
        ("За 20 км на північ від Чернігова помітили колону.", (51.51, 31.29), 0.0, 20.0),
        ("Дрон збили за 25 км на південний захід від Сум.", (50.91, 34.80), 225.0, 25.0),
    ],
)
def test_a_caption_distance_with_a_direction_puts_the_photo_that_way(gz, caption, town, bearing, km):
    e = run(gz, [], caption=caption).estimate
    assert e is not None and e.basis == "context"
    # The photo lies about that far that way: every point within 20% of the distance and one
    # compass point (22.5 degrees) either side is inside the estimate, and the town is not its centre.
    for way in (bearing - 20.0, bearing, bearing + 20.0):
        for d in (0.85 * km, km, 1.15 * km):
            assert _holds(e, *offset_km(*town, d, way)), (way, d)
    assert haversine_km(e.lat, e.lon, *town) > 0.5 * km
    assert e.radius_km < km + 10  # narrower than the ring "that far in any direction"


def test_the_town_a_caption_measures_from_leads_over_a_word_opening_the_sentence(gz):
    # "Колону" (a column of vehicles, declined) opens the sentence capitalised, and one of its
    # dictionary forms, "Колон", is what Köln and Colón are called; the caption measures the photo
    # from Chernihiv.
    inf = run(gz, [], caption="Колону техніки помітили за 20 км на північ від Чернігова.")
    e = inf.estimate
    assert e is not None and "Chernihiv" in e.explanation
    assert _holds(e, *offset_km(51.51, 31.29, 20.0, 0.0))


def test_a_town_the_caption_puts_the_photo_in_leads_over_the_town_it_is_measured_from(gz):
    for caption in (
        "The video was filmed in Hostomel, 25 km from Kyiv.",
        "Відео зняли в Гостомелі, за 25 км від Києва.",
    ):
        e = run(gz, [], caption=caption).estimate
        assert e is not None and "Hostomel" in e.explanation
        assert haversine_km(e.lat, e.lon, 50.58, 30.26) < 15  # Hostomel, not Kyiv 25 km away


def _one_row(name: str, km: float, unit: str | None) -> list[Mention]:
    return [
        Mention(
            readings=(name,), kind="ocr", distance_km=km, distance_unit=unit, box=(10, 10, 100, 30), confidence=90.0
        )
    ]


def test_a_unit_written_on_the_sign_says_which_countries_it_may_stand_in(gz):
    # "Bartow 48": Bartow, Florida (19,000 people) if in miles, or the German village or Poland's
    # Bałtów in km. Written "km", the sign stands where distances are signed in km; written "mi",
    # where they are signed in miles.
    in_km = run(gz, _one_row("Bartow", 48, "km")).estimate
    assert in_km is not None and "km of Bartow" in in_km.explanation and " mi " not in in_km.explanation
    assert all(lon > -30 for lon in [in_km.lon, *(a.lon for a in in_km.alternatives)]), in_km  # Europe only
    in_mi = run(gz, _one_row("Bartow", 48, "mi")).estimate
    assert in_mi is not None and in_mi.lon < -60 and in_mi.confidence > in_km.confidence, in_mi


def test_a_distance_in_km_beside_a_name_only_a_miles_country_spells_is_no_confident_answer(gz):
    # A French hiking sign "LAFFREY 22km" (the village is too small for the gazetteer): the reading
    # is one letter from Jaffrey, New Hampshire, where signs give miles.
    spans = [
        TextSpan("22km", 84.0, (281, 176, 57, 16), line=0, region=0, lang="rec"),
        TextSpan("LAFFREY", 97.0, (135, 189, 43, 15), line=1, region=0, lang="rec"),
    ]
    (row,) = mentions_from_spans(spans)
    assert (row.readings, row.distance_km, row.distance_unit) == (("LAFFREY",), 22, "km")
    e = run(gz, [row]).estimate
    assert e is None or e.confidence < 0.3 or e.lon > -30, e


def test_a_unit_written_on_a_rows_second_line_stays_with_its_distance(gz):
    # The row's first line names the place without a number; the line under it carries "48 km".
    # Merged into one row, the distance keeps the unit written beside it.
    rows = [
        Mention(readings=("Bartow",), kind="ocr", box=(10, 10, 100, 30), confidence=90.0),
        Mention(
            readings=("Bartow",), kind="ocr", distance_km=48, distance_unit="km", box=(10, 45, 100, 30), confidence=90.0
        ),
    ]
    e = run(gz, rows).estimate
    assert e is not None and "km of Bartow" in e.explanation, e
    assert all(lon > -30 for lon in [e.lon, *(a.lon for a in e.alternatives)]), e  # Europe only


def test_a_written_unit_weighs_a_namesake_abroad_once(gz):
    # "Glasgow 30 km": Glasgow, Scotland signs miles, and a Glasgow in Suriname, where signs give
    # km, is a village. The unit weighs Scotland down among the namesakes; the confidence stated
    # for the one chosen is the probability of its region, not the unit's odds counted again.
    e = run(gz, _one_row("Glasgow", 30, "km")).estimate
    assert e is not None and e.probability is not None, e
    assert e.confidence + sum(a.probability for a in e.alternatives) <= 1.0 + 1e-9, e
    assert e.confidence >= 0.5 * e.probability, e
