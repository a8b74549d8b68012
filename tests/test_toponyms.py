"""Mentions from OCR lines and captions: distances, route numbers, common words, borders."""

from geoloc.common.text import is_common_word
from geoloc.model import TextSpan
from geoloc.read.mentions import context_facts, is_route_number, mentions_from_spans


def span(text, x, y, line, region=0, lang="ukr+rus+bel", conf=90.0):
    return TextSpan(text=text, confidence=conf, box=(x, y, 10 * len(text), 20), line=line, region=region, lang=lang)


def test_name_and_number_on_one_line_are_a_destination_and_its_distance():
    spans = [
        span("Чернігів", 100, 50, line=1),
        span("25", 300, 50, line=1),
        span("Ніжин", 100, 90, line=2),
        span("58", 300, 90, line=2),
    ]
    ms = mentions_from_spans(spans)
    assert [(m.text, m.distance_km) for m in ms] == [("Чернігів", 25.0), ("Ніжин", 58.0)]
    assert ms[0].box == (100, 50, 220, 20)


def test_km_suffix_and_route_numbers_are_not_names_or_distances():
    spans = [
        span("М01", 10, 10, line=1),
        span("Chernihiv", 60, 10, line=1, lang="eng"),
        span("25", 200, 10, line=1, lang="eng"),
        span("km", 230, 10, line=1, lang="eng"),
    ]
    (m,) = mentions_from_spans(spans)
    assert m.text == "Chernihiv" and m.distance_km == 25.0
    assert is_route_number("E95") and is_route_number("Р56") and is_route_number("T-25-01")
    assert not is_route_number("Chernihiv") and not is_route_number("25")
    # the route lines of French, German, Polish, Czech and Spanish signs are no place names
    assert all(is_route_number(r) for r in ("D217", "N10", "B96", "S8", "D1", "AP-7", "SS1", "L308"))
    assert not any(is_route_number(r) for r in ("Dax", "Bonn", "SNCF", "SS"))


def test_two_passes_reading_one_line_give_two_readings_of_one_mention():
    spans = [
        span("Чернігів", 100, 50, line=3, lang="ukr+rus+bel"),
        span("Yepuirie", 100, 50, line=3, lang="eng", conf=40.0),
    ]
    (m,) = mentions_from_spans(spans)
    assert m.readings == ("Чернігів", "Yepuirie")
    assert m.confidence == 90.0


def test_shop_words_are_not_mentions():
    assert mentions_from_spans([span("АПТЕКА", 0, 0, line=1)]) == []
    assert is_common_word("Pharmacy") and is_common_word("магазин")
    assert not is_common_word("Chernihiv")


def test_caption_names_places_regions_and_borders():
    facts = context_facts(
        "Taken near the border with Belarus and Russia's Bryansk region, on the road from Kyiv to Chernihiv."
    )
    names = [m.text for m in facts.mentions]
    # "Russia's Bryansk region" is read whole first (as "Cox's Bazar" must be), then without its possessor
    assert any("Bryansk region" in m.readings for m in facts.mentions) and "Kyiv" in names and "Chernihiv" in names
    assert "Russia" in names and "Taken" in names  # the gazetteer, not the parser, rejects 'Taken'
    assert facts.border_with == ("Belarus", "Bryansk region")


def test_caption_in_ukrainian():
    facts = context_facts("Знімок зроблено біля кордону з Білоруссю та Брянською областю.")
    assert facts.border_with == ("Білоруссю", "Брянською областю")


def test_caption_line_breaks_do_not_hide_a_border():
    facts = context_facts("near the border with\nBelarus, close to Chernihiv")
    assert facts.border_with == ("Belarus",)


def test_route_numbers_are_kept_beside_the_name():
    spans = [span("М01", 10, 10, line=1), span("Чернігів", 60, 10, line=1), span("14", 200, 10, line=1)]
    (m,) = mentions_from_spans(spans)
    assert m.routes == ("М01",) and m.distance_km == 14.0 and m.text == "Чернігів"
