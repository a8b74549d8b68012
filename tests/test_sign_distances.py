"""Distances on signs: a number belongs to the name on its own row; a stray digit is not a ring."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from geoloc.common.geodesy import haversine_km
from geoloc.infer import infer
from geoloc.infer.choice import resolve_mentions
from geoloc.model import Mention, Metadata, TextSpan
from geoloc.places.protocol import Priors
from geoloc.read.mentions import mentions_from_spans
from tests.test_infer import _place, run, sign

UKR = "ukr+rus+bel"
ENG = "eng+deu+fra"


def span(text, x, y, line, region=0, lang=UKR, conf=90.0, height=20):
    return TextSpan(text=text, confidence=conf, box=(x, y, 10 * len(text), height), line=line, region=region, lang=lang)


def rings(gz, spans) -> tuple[dict[str, set[float]], list[str]]:
    """The distances each place got, by English name, and the readings left out."""
    inf = infer(mentions_from_spans(spans), Metadata(), None, gz)
    out: dict[str, set[float]] = {}
    for c in inf.candidates:
        for e in c.evidence:
            out.setdefault(c.place.name, set())
            if e.distance_km is not None:
                out[c.place.name].add(e.distance_km)
    return out, inf.left_out


def test_a_stray_one_beside_a_name_and_its_distance_is_not_a_ring(gz):
    # The Latin pass reads a mark at the panel's edge as "1" on the same row, left of the name.
    spans = [
        span("1", 60, 50, line=0, lang=ENG, conf=60.0),
        span("Дніпрорудне", 100, 50, line=0),
        span("103", 300, 50, line=0),
    ]
    found, _ = rings(gz, spans)
    assert found.get("Dniprorudne") == {103.0}


def test_a_stray_digit_read_by_another_pass_after_the_distance_does_not_replace_it():
    spans = [
        span("1", 420, 50, line=0, lang=ENG, conf=55.0),
        span("Дніпрорудне", 100, 50, line=0),
        span("103", 300, 50, line=0),
    ]
    (m,) = mentions_from_spans(spans)
    assert m.distance_km == 103


def test_a_lone_digit_beside_far_distances_is_kept_as_text_not_as_a_ring(gz):
    # A stray "1" next to a second name on the same panel: much smaller than the sign's 103 km.
    spans = [
        span("Дніпрорудне", 100, 50, line=0),
        span("103", 300, 50, line=0),
        span("Василівка", 100, 90, line=1),
        span("1", 300, 90, line=1, conf=60.0),
    ]
    found, left_out = rings(gz, spans)
    assert found.get("Dniprorudne") == {103.0}
    assert 1.0 not in {d for ds in found.values() for d in ds}
    assert any(item.startswith("'1'") for item in left_out)


def test_a_lone_digit_on_a_sign_whose_other_names_have_no_distance_is_no_ring(gz):
    # A direction sign "Боровичи / Удомля / Бежецк" without distances, a stroke beside "Удомля"
    # read as "1": as a ring it put the camera within 1 km of Udomlya at 0.95, 220 km from it.
    spans = [
        span("Боровичи", 100, 50, line=0),
        span("Удомля", 100, 90, line=1),
        span("1", 300, 90, line=1, conf=60.0),
        span("Бежецк", 100, 130, line=2),
    ]
    found, left_out = rings(gz, spans)
    assert 1.0 not in {d for ds in found.values() for d in ds}
    assert any(item.startswith("'1'") for item in left_out), left_out
    # The same row in both alphabets is one destination: its number stays ("Бровари 2 / Brovary").
    spans = [span("Бровари", 100, 50, line=0), span("2", 300, 50, line=0), span("Brovary", 100, 80, line=1, lang="eng")]
    found, left_out = rings(gz, spans)
    assert found.get("Brovary") == {2.0} and left_out == []


def test_a_name_never_takes_the_number_of_another_row_of_one_ocr_line(gz):
    # A pass merged two sign rows into one text line: "Ovruch" shares Korosten's line id but
    # lies a row below it, beside no number of its own; "Коростень" is read with Latin look-alikes.
    spans = [
        span("Kopocтень", 100, 50, line=0),
        span("92", 300, 50, line=0),
        span("Ovruch", 100, 90, line=0, lang=ENG),
        span("Овруч", 100, 90, line=1),
    ]
    found, _ = rings(gz, spans)
    assert 92.0 not in found.get("Ovruch", set())


def test_twin_lines_do_not_lend_a_neighbours_distance(gz):
    spans = [
        span("Kopocтень", 100, 50, line=0),
        span("92", 300, 50, line=0),
        span("Ovruch", 100, 90, line=0, lang=ENG),
        span("Овруч", 100, 90, line=1),
        span("138", 300, 90, line=1),
    ]
    found, _ = rings(gz, spans)
    assert found.get("Ovruch") == {138.0}


def test_a_next_town_close_by_keeps_its_ring(gz):
    spans = [
        span("Київ", 100, 50, line=0),
        span("157", 300, 50, line=0),
        span("Чернігів", 100, 90, line=1),
        span("14", 300, 90, line=1),
    ]
    found, _ = rings(gz, spans)
    assert found.get("Kyiv") == {157.0}
    assert found.get("Chernihiv") == {14.0}


def test_a_single_digit_town_on_the_outskirts_keeps_its_ring_beside_a_near_town():
    # "Бровари 2" under "Київ 25": a ratio of 12.5 is how outskirts signs read, not a stray mark.
    spans = [
        span("Київ", 100, 50, line=0),
        span("25", 300, 50, line=0),
        span("Бровари", 100, 90, line=1),
        span("2", 300, 90, line=1),
    ]
    assert [m.distance_km for m in mentions_from_spans(spans)] == [25, 2]


def test_twins_that_disagree_keep_the_distance_of_the_row_that_names_the_place(gz):
    # "Ovruh" (a fuzzy reading) beside 92 and "Овруч 138": one place, and the exact row's number.
    mentions = [
        Mention(readings=("Ovruh",), kind="ocr", distance_km=92, box=(10, 10, 100, 30), confidence=90.0),
        Mention(readings=("Овруч",), kind="ocr", distance_km=138, box=(10, 50, 100, 30), confidence=90.0),
    ]
    (r,) = resolve_mentions(mentions, gz, Priors())
    assert r.options[0].name == "Ovruch" and r.mention.distance_km == 138


def test_a_sign_seen_at_an_angle_keeps_each_rows_number_with_its_name():
    # Photographed from the left, each row's right end sits lower than its left end: the number
    # 200 px right of the name shares less than half of the name's height, on the same OCR line.
    spans = [
        span("Eppelheim", 100, 50, line=0, lang=ENG, height=36),
        span("199", 300, 75, line=0, lang=ENG, height=30),
        span("Pradl", 100, 95, line=1, lang=ENG, height=36),
        span("140", 300, 125, line=1, lang=ENG, height=30),
    ]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Eppelheim": 199.0, "Pradl": 140.0}


def test_a_number_a_whole_row_away_is_not_a_names_distance():
    # A number read on the same OCR line but two rows lower, or left of the name, is not beside it.
    below = [span("Pradl", 100, 50, line=0, lang=ENG, height=36), span("140", 300, 140, line=0, lang=ENG, height=30)]
    left = [span("Pradl", 300, 50, line=0, lang=ENG, height=36), span("140", 100, 75, line=0, lang=ENG, height=30)]
    for spans in (below, left):
        (m,) = mentions_from_spans(spans)
        assert m.distance_km is None


def test_an_arrow_read_as_a_lone_digit_is_no_distance():
    # A mark right of the name, read as "4" on the name's OCR line but lower than the name.
    spans = [span("Pradl", 100, 50, line=0, lang=ENG, height=36), span("4", 300, 75, line=0, lang=ENG, height=30)]
    (m,) = mentions_from_spans(spans)
    assert m.distance_km is None


def test_a_sign_with_columns_gives_each_name_the_distance_written_under_it():
    # Destinations side by side, as on Korean and Alpine junction signs: the names far apart on one
    # line, the distances on a line of their own under them ("56Km" read whole, "205" "Km" apart).
    spans = [
        span("Seoul", 176, 186, line=1, lang=ENG, height=38),
        span("Pyeongyang", 356, 199, line=1, lang=ENG, height=58),  # descenders make its box taller
        span("56Km", 197, 285, line=2, lang=ENG, height=43),
        span("205", 354, 296, line=2, lang=ENG, height=39),
        span("Km", 404, 300, line=2, lang=ENG, height=38),
    ]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Seoul": 56.0, "Pyeongyang": 205.0}


def test_the_words_of_one_name_and_its_far_distance_stay_one_destination():
    spans = [
        span("Rožnov", 100, 50, line=0, lang=ENG, height=30),
        span("pod", 170, 56, line=0, lang=ENG, height=24),
        span("Radhoštěm", 205, 50, line=0, lang=ENG, height=30),
        span("86", 600, 50, line=0, lang=ENG, height=30),  # right-aligned in the sign's number column
    ]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Rožnov pod Radhoštěm": 86.0}


def test_a_name_with_its_own_distance_does_not_take_a_number_under_it():
    spans = [span("Київ", 100, 50, line=0), span("125", 300, 50, line=0), span("30", 100, 100, line=1)]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Київ": 125.0}


@pytest.mark.parametrize(("printed", "km"), [("K131", 131.0), ("е131", 131.0), ("т131", 131.0), ("E131", None)])
def test_a_column_distance_keeps_its_number_when_its_arrow_is_read_as_a_letter(printed, km):
    # The arrow drawn left of a column's distance read as a letter glued to it ("K131", "е131"):
    # a route number is printed in capitals ("E131", a European route, is no distance).
    spans = [
        span("Княгинино", 100, 50, line=0, height=30),
        span("Починки", 400, 50, line=0, height=30),
        span("55", 100, 100, line=1, height=30),
        span(printed, 400, 100, line=1, lang=ENG, height=30),
    ]
    got = {m.text: m.distance_km for m in mentions_from_spans(spans)}
    assert got.get("Починки") == km and (km is None or got["Княгинино"] == 55.0), got


@pytest.mark.parametrize(("printed", "km"), [("4131", 131.0), ("7131", 131.0), ("1131", None)])
def test_a_column_distance_whose_arrow_reads_as_a_digit_keeps_its_number(printed, km):
    # "← 131" read "4131": no sign distance has four digits and an arrow reads as a 4 or a 7, so
    # the row of distances still gives each name its own. "1131" may be a trunk road's 1,131 km.
    spans = [
        span("Княгинино", 100, 50, line=0, height=30),
        span("Починки", 400, 50, line=0, height=30),
        span("55", 100, 100, line=1, height=30),
        span(printed, 400, 100, line=1, lang=ENG, height=30),
    ]
    got = {m.text: m.distance_km for m in mentions_from_spans(spans)}
    assert got["Починки"] == km and (km is None or got["Княгинино"] == 55.0), got


def test_a_column_distance_whose_right_arrow_reads_as_a_letter_keeps_its_number():
    # "40 ↗" read "40a" under the first column: a letter after a number is no distance sign's, and
    # was taken for a name, which took the next column's 53 as its own.
    spans = [
        span("Hvizdets", 100, 50, line=0, lang=ENG, height=30),
        span("Yabluniv", 400, 50, line=0, lang=ENG, height=30),
        span("40a", 100, 100, line=1, lang=ENG, height=30),
        span("53", 400, 100, line=1, lang=ENG, height=30),
    ]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Hvizdets": 40.0, "Yabluniv": 53.0}


@pytest.mark.parametrize(("arrow", "km"), [("right", 21.0), (None, 213.0)])
def test_a_right_arrow_read_as_a_last_digit_by_one_pass_is_no_digit(arrow, km):
    # "Comana de Sus 21 →": one pass reads "213", its box running on over the arrow, the other
    # "21". With the arrow seen right of the number the extra digit is the arrow; without it, the
    # longer reading wins, as a digit lost is likelier than one invented.
    spans = [
        span("Comana de Sus", 100, 50, line=0, lang=ENG, height=30),
        replace(span("213", 260, 52, line=0, height=22), arrow=arrow),
        replace(span("21", 262, 53, line=0, lang=ENG, height=20), arrow=arrow),
    ]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Comana de Sus": km}


@pytest.mark.parametrize(("arrow", "km"), [("up", 60.0), ("left", 60.0), (None, 260.0)])
def test_a_columns_arrow_read_as_a_first_digit_by_one_pass_is_no_digit(arrow, km):
    # A sign with columns, "Трабы" over "↑60" and "Солы" over "42 →": the Cyrillic pass reads
    # "260", its box starting over the arrow, the other pass "60". With the arrow seen left of the
    # number the extra first digit is the arrow; without it, the longer reading wins.
    spans = [
        span("Трабы", 100, 50, line=0, height=30),
        span("Солы", 400, 50, line=0, height=30),
        replace(span("260", 94, 100, line=1, height=30), arrow=arrow),
        replace(span("60", 110, 100, line=1, lang=ENG, height=30), arrow=arrow),
        replace(span("42", 400, 100, line=1, lang=ENG, height=30), arrow="right"),
    ]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Трабы": km, "Солы": 42.0}


@pytest.mark.parametrize(("misread", "under"), [("2260", "260"), ("2600", "260"), ("T260", "260")])
def test_a_passs_misreading_of_a_columns_distance_leaves_the_line_of_distances(misread, under):
    # "Gehrden" over "↑260": one pass reads the arrow into the number ("2260": no sign's distance,
    # four digits not starting with 1) or a route-number-like "T260", the other "260" in the same
    # place. The misreading is neither a distance nor a word; it had made the whole line no line
    # of distances, and no column took its distance.
    boxes = {  # as the reader returned a rendered sign's
        "Grevenbroich": (219, 335, 265, 42), "Esslingen": (586, 347, 210, 54), "Gehrden": (918, 359, 202, 48),
        "122": (246, 384, 66, 36), "292": (589, 401, 107, 39), under: (958, 417, 78, 40),
    }  # fmt: skip
    spans = [replace(span(text, 0, 0, line=int(text.isdigit()), lang=ENG), box=box) for text, box in boxes.items()]
    spans.append(replace(span(misread, 0, 0, line=1), box=(910, 415, 135, 43)))  # its box takes in the arrow
    got = {m.text: m.distance_km for m in mentions_from_spans(spans)}
    assert got == {"Grevenbroich": 122.0, "Esslingen": 292.0, "Gehrden": 260.0}, got


def test_a_number_misread_beside_no_reading_of_it_is_kept_as_read():
    # Only a misreading over another pass's distance is dropped: "2260" alone stays, and is no
    # distance, so its column's name has none (the line is no line of distances alone).
    boxes = {"Esslingen": (586, 347, 210, 54), "Gehrden": (918, 359, 202, 48), "292": (589, 401, 107, 39)}
    spans = [replace(span(text, 0, 0, line=int(text.isdigit()), lang=ENG), box=box) for text, box in boxes.items()]
    spans.append(replace(span("2260", 0, 0, line=1), box=(910, 415, 135, 43)))
    got = {m.text: m.distance_km for m in mentions_from_spans(spans)}
    assert got == {"Esslingen": None, "Gehrden": None}, got


def test_a_turned_panels_distances_keep_the_order_of_their_names():
    # A junction sign turned in the photo, its right end raised: the reader set "343" on one line
    # with "Ploieşti" above its own row, and "58" alone on a line of its own, which then went to
    # "Orăştie" under it. A panel is rigid: its distances stand in the order of their names.
    boxes = [
        ("58", 0, (1210, 254, 52, 38)),
        ("Ploiesti", 1, (998, 267, 150, 54)),
        ("343", 1, (1187, 317, 74, 38)),
        ("Orastie", 2, (979, 327, 160, 53)),
    ]
    spans = [replace(span(text, 0, 0, line=line, lang=ENG), box=box) for text, line, box in boxes]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Ploiesti": 58.0, "Orastie": 343.0}
    # read in order, the rows keep what they have, whatever the numbers
    level = [replace(s, box=(s.box[0], s.box[1] + 20, *s.box[2:])) if s.text == "58" else s for s in spans]
    level = [replace(s, line=0) if s.text in ("58", "Ploiesti") else replace(s, line=1) for s in level]
    level = [replace(s, box=(s.box[0], 345, *s.box[2:])) if s.text == "343" else s for s in level]
    assert {m.text: m.distance_km for m in mentions_from_spans(level)} == {"Ploiesti": 58.0, "Orastie": 343.0}


def test_column_names_read_as_one_phrase_are_cut_over_the_distances_under_them():
    # Columns set closer than a word height apart read as one phrase; the distances under the
    # names say where each name ends. Both passes' phrases are cut the same way, a name of two
    # words stays whole, and a phrase over a single distance is left alone.
    names = "Călan Orosháza Bad Reichenhall"
    spans = [
        span(names, 80, 50, line=0, lang=ENG, height=30),
        span("СаІап Огозпа2а Ваd Rеісһепһаll", 80, 50, line=0, height=30),
        span("81", 110, 90, line=1, lang=ENG, height=24),
        span("320", 165, 90, line=1, lang=ENG, height=24),
        span("371", 290, 90, line=1, lang=ENG, height=24),
    ]
    got = {m.readings: m.distance_km for m in mentions_from_spans(spans)}
    assert got == {
        ("Călan", "СаІап"): 81.0,
        ("Orosháza", "Огозпа2а"): 320.0,
        ("Bad Reichenhall", "Ваd Rеісһепһаll"): 371.0,
    }, got
    one = [span("Rožnov pod Radhoštěm", 80, 50, line=0, lang=ENG, height=30), span("86", 150, 90, line=1, lang=ENG)]
    assert {m.text: m.distance_km for m in mentions_from_spans(one)} == {"Rožnov pod Radhoštěm": 86.0}
    # A poster's long line over a price list is no run of names: it is not cut (nor are the
    # binomially many cuts of its words tried).
    poster = " ".join(["Angebot"] * 200)
    spans = [span(poster, 0, 50, line=0, lang=ENG, height=30)]
    spans += [span(str(10 + k), 100 * k + 20, 90, line=1, lang=ENG, height=24) for k in range(20)]
    assert [m.text for m in mentions_from_spans(spans) if m.text.startswith("Angebot")] == [poster]


def test_a_slanted_signs_run_together_columns_take_the_distances_of_every_line_under_them():
    # A junction sign seen at an angle, as the reader returned it: one pass ran the three names
    # into one phrase, the recognition network read them apart, and the distances fell on two
    # lines by their height. Each name takes the distance under it.
    spans = [
        TextSpan("Herbertingen Penzberg Nuremberg", 90.0, (235, 198, 904, 95), 0, 0, ENG),
        TextSpan("Herbertingen", 90.0, (242, 234, 306, 56), 0, 0, "rec"),
        TextSpan("Penzberg", 90.0, (617, 218, 210, 49), 0, 0, "rec"),
        TextSpan("Nuremberg", 90.0, (887, 200, 247, 48), 0, 0, "rec"),
        TextSpan("21", 90.0, (243, 301, 82, 35), 1, 0, "rec", arrow="right"),
        TextSpan("163", 90.0, (655, 273, 79, 40), 1, 0, "rec", arrow="up"),
        TextSpan("216", 90.0, (891, 258, 110, 39), 1, 0, "rec", arrow="left"),
    ]
    got = {m.readings: (m.distance_km, m.arrow) for m in mentions_from_spans(spans)}
    assert got == {
        ("Herbertingen",): (21.0, "right"),
        ("Penzberg",): (163.0, "up"),
        ("Nuremberg",): (216.0, "left"),
    }, got


def test_a_route_number_under_a_name_is_not_its_distance():
    spans = [span("Житомир", 100, 50, line=0, height=30), span("M06", 100, 100, line=1, lang=ENG, height=30)]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Житомир": None}


def test_a_distance_on_the_misread_line_of_a_bilingual_row_is_the_names(gz):
    # "Самбір 140 / Sambir": the Cyrillic line read "амбір" names nothing, its number is Sambir's.
    sambir = _place(gz, "Sambir")
    e = run(gz, sign(("амбір", 140.0), ("Sambir", None))).estimate
    assert e is not None and e.rule == "distance_sign" and abs(e.radius_km - 140) < 1, e
    assert haversine_km(e.lat, e.lon, sambir.lat, sambir.lon) < 1


def test_a_distance_on_a_bilingual_row_read_in_latin_look_alikes_is_the_names(gz):
    # "Сновськ 494 / Snovsk": the Latin pass read the Cyrillic line "CHOBCb" (Сновськ, its last
    # letter lost), which names nothing; read as the Cyrillic letters it looks like, it spells the
    # Latin line's place, so the number is Snovsk's.
    e = run(gz, sign(("CHOBCb", 494.0), ("Snovsk", None))).estimate
    assert e is not None and e.rule == "distance_sign" and "Snovsk" in e.explanation, e


@pytest.mark.parametrize(
    "rows",
    [
        (("Жловин", 140.0), ("Sambir", None)),  # another name's number
        (("амбір", 140.0), ("Дрогобич", None), ("Sambir", None)),  # not the next line
    ],
)
def test_a_number_on_another_names_line_is_not_the_places(gz, rows):
    e = run(gz, sign(*rows)).estimate
    assert e is None or e.rule != "distance_sign" or "Sambir" not in e.explanation, e


def test_a_distance_whose_name_line_was_lost_is_the_name_under_it(gz):
    # "Хрустальний 412 / Khrustalnyi / Запоріжжя 46 / Zaporizhzhia": the reader lost the line
    # "Запоріжжя" and kept its "46", alone on its row; the Latin line under it names the place.
    spans = [
        span("Хрустальний", 114, 80, 0, height=31),
        span("412", 336, 87, 0, height=23),
        span("Khrustalnyi", 114, 124, 1, lang=ENG, height=27),
        span("46", 354, 186, 2, height=23),
        span("Zaporizhzhia", 114, 223, 3, lang=ENG, height=27),
    ]
    by_name = {m.readings[0]: m.distance_km for m in mentions_from_spans(spans)}
    assert by_name == {"Хрустальний": 412, "Khrustalnyi": None, "Zaporizhzhia": 46}, by_name
    found, _ = rings(gz, spans)
    assert 46 in found.get("Zaporizhzhya", set()) | found.get("Zaporizhzhia", set()), found


def test_a_distance_alone_keeps_off_a_row_that_has_its_own(gz):
    # The row under a lone number has a distance of its own: the number is no one's.
    spans = [span("46", 354, 186, 0, height=23), span("Київ", 114, 223, 1), span("150", 336, 223, 1)]
    assert [(m.readings, m.distance_km) for m in mentions_from_spans(spans)] == [(("Київ",), 150)]


def test_a_column_of_distances_read_as_a_region_of_its_own_joins_the_names_row_by_row():
    # A tilted green panel "Воронеж 295 / Липецк 396": the text detector found the names and the
    # column of numbers as two regions, the numbers 15-20 px higher than their names.
    spans = [
        span("Воронеж", 358, 193, line=0, height=62),
        span("Липецк", 350, 258, line=1, height=56),
        span("295", 768, 180, line=0, region=2, height=43),
        span("396", 763, 246, line=1, region=2, height=45),
    ]
    assert {m.text: m.distance_km for m in mentions_from_spans(spans)} == {"Воронеж": 295.0, "Липецк": 396.0}


def test_a_column_of_distances_on_a_tilted_bilingual_sign_goes_to_the_rows_that_fit_it_together():
    # "Ірміно / Irmino 57, Лисичанськ / Lysychansk 94, Соледар 106" lifted 30-45 px at its right
    # end: "94" is nearer the middle of "Irmino" than of "Лисичанськ", but the column fits only
    # when every number is shifted alike; its numbers were read as three regions.
    spans = [
        span("Ірміно", 170, 138, line=0, height=62),
        span("Irmino", 181, 198, line=1, lang=ENG, height=39),
        span("Лисичанськ", 189, 245, line=2, height=57),
        span("Lysychansk", 196, 301, line=3, lang=ENG, height=58),
        span("Соледар", 202, 368, line=4, height=47),
        span("57", 611, 102, line=0, region=8, height=47),
        span("94", 621, 219, line=0, region=7, height=46),
        span("106", 604, 335, line=0, region=5, height=47),
    ]
    got = {m.text: m.distance_km for m in mentions_from_spans(spans)}
    assert got["Ірміно"] == 57.0 and got["Лисичанськ"] == 94.0 and got["Соледар"] == 106.0
    assert got["Irmino"] is None and got["Lysychansk"] is None


def test_a_lone_number_of_another_region_is_no_names_distance():
    # A speed limit "90" right of a sign of names alone, at the height of a name, and a column of
    # numbers left of the names, are not distances.
    names = [span("Воронеж", 358, 193, line=0, height=62), span("Липецк", 350, 258, line=1, height=56)]
    speed = [span("90", 768, 200, line=0, region=2, height=60)]
    left = [span("295", 100, 190, line=0, region=2, height=43), span("396", 100, 255, line=1, region=2, height=45)]
    for spans in (names + speed, names + left):
        assert all(m.distance_km is None for m in mentions_from_spans(spans))


def test_a_number_with_a_leading_zero_is_no_distance():
    # One pass read the end of "Любомль" as "060", left of the row's true "88"; signs print no
    # leading zeros (a half kilometre is "0,5").
    spans = [
        span("Любомлі", 450, 387, line=0, height=35),
        span("060", 560, 387, line=0, height=35),
        span("88", 760, 387, line=0, height=35),
    ]
    assert [m.distance_km for m in mentions_from_spans(spans)] == [88.0]
    half = [span("Горохів", 100, 50, line=0, height=30), span("0,5", 300, 50, line=0, height=30)]
    assert [m.distance_km for m in mentions_from_spans(half)] == [0.5]


def test_a_page_of_text_beside_a_column_of_figures_is_read_in_bounded_time():
    # 50 regions of 16 names and a column of 8 numbers: laying the column against every choice of
    # rows took 20 s; the trials are bounded per photo.
    spans = [
        span(f"Назва{chr(1072 + i)}", 10 + r * 5, 10 + i * 30, line=i, region=r) for r in range(50) for i in range(16)
    ]
    spans += [span(str(10 + i), 2000, 10 + i * 60, line=0, region=100 + i) for i in range(8)]
    start = time.perf_counter()
    assert len(mentions_from_spans(spans)) == 800
    assert time.perf_counter() - start < 5.0
