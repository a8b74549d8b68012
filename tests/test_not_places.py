"""Words that are not places: shop and notice words, and one pass's misreading of another's line.

Built from the text a sign shows (spans as the OCR passes give them, or mentions directly) and
looked up in the real offline gazetteer.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from geoloc.common.geodesy import haversine_km
from geoloc.common.text import COMMON_WORDS, is_everyday_text
from geoloc.infer import infer
from geoloc.infer.choice import resolve_mentions
from geoloc.model import Mention, Metadata, TextSpan
from geoloc.places.protocol import Priors
from geoloc.read.mentions import context_facts, mentions_from_spans
from tests.test_infer import sign

CYRILLIC_PASS = "ukr+rus+bel"
LATIN_PASS = "eng"


def span(text: str, x: int, line: int, lang: str = CYRILLIC_PASS) -> TextSpan:
    return TextSpan(text=text, confidence=90.0, box=(x, 40 * line, 10 * len(text), 20), line=line, region=0, lang=lang)


def line(name: str, km: float | None = None, *, i: int = 0, readings: tuple[str, ...] = ()) -> Mention:
    return Mention(
        readings=(name, *readings), kind="ocr", distance_km=km, box=(10, 10 + 40 * i, 100, 30), confidence=90.0
    )


def run(gz, mentions):
    return infer(mentions, Metadata(), None, gz)


def test_grocery_sign_is_not_a_place(gz):
    spans = [span("ПРОДУКТИ", 10, 1), span("24", 10, 2), span("ГОДИНИ", 60, 2)]
    inf = run(gz, mentions_from_spans(spans))
    assert inf.candidates == [] and inf.estimate is None  # not "Gooding, US, within 24 km"


@pytest.mark.parametrize(
    "word",
    [
        "ОДЯГ",
        "ЗНИЖКИ",
        "АКЦІЯ",
        "ПИВО",
        "КАВА",
        "ВІДКРИТО",
        "LAUNDRY",
        "GROCERY",
        "ÖFFNUNGSZEITEN",
        "PROMOCJA",
        "OTWARTE",
    ],
)
@pytest.mark.parametrize("km", [None, 24.0])
def test_shop_and_notice_words_are_not_places(gz, word, km):
    assert word.lower() not in COMMON_WORDS  # judged by how common the word is, not by a hand list
    assert is_everyday_text(word)
    inf = run(gz, [line(word, km)])
    assert inf.candidates == [] and inf.estimate is None


def test_latin_misreading_of_a_cyrillic_line_is_left_out(gz):
    spans = [
        span("Берегове", 10, 1),
        span("40", 200, 1),
        span("Beperose", 10, 1, LATIN_PASS),  # the Latin pass reading the Cyrillic letters
        span("40", 200, 1, LATIN_PASS),
        span("Долина", 10, 2),
        span("115", 200, 2),
    ]
    mentions = mentions_from_spans(spans)
    assert mentions[0].readings == ("Берегове", "Beperose")
    resolved = resolve_mentions(mentions, gz, Priors())
    first = resolved[0]
    assert all(p.country_code == "UA" for p in first.options)
    assert [reading for reading, _why in first.left_out] == ["Beperose"]
    assert "Beperose" not in first.mention.readings
    inf = run(gz, mentions)
    assert inf.candidates[0].place.name == "Berehove" and inf.candidates[0].place.country_code == "UA"
    assert all(c.place.name != "Belle Rose" for c in inf.candidates)
    assert inf.estimate is not None and 47.5 < inf.estimate.lat < 49.5 and 22 < inf.estimate.lon < 25


@pytest.mark.parametrize("km", [None, 80.0])
def test_latin_pass_anta_does_not_outrank_cyrillic_yalta(gz, km):
    inf = run(gz, [line("Ялта", km, readings=("Anta",))])
    assert {c.place.country_code for c in inf.candidates} == {"UA"}
    assert inf.candidates[0].place.name == "Yalta"
    e = inf.estimate
    assert e is not None and abs(e.lat - 44.5) < 0.5 and abs(e.lon - 34.17) < 0.5  # not Iran or India


def test_cyrillic_reading_does_not_fuzzy_match_a_latin_only_name(gz):
    # "Години" romanised is a letter or two from "Gooding", a name written only in Latin letters:
    # a romanisation is the only way across scripts.
    assert gz.search("Gooding", limit=1)[0].country_code == "US"
    assert all(p.name != "Gooding" for p in gz.search("ГОДИНИ", limit=20))
    assert [p.name for p in gz.search("Берегове", limit=1)] == ["Berehove"]  # exact romanisation still


def test_a_lone_everyday_word_on_a_shop_is_not_a_small_town(gz):
    assert run(gz, [line("Bar")]).estimate is None  # Bar, Vinnytsia oblast: 16,000 people
    assert run(gz, [line("Бар")]).estimate is None


def test_a_hamlets_name_in_both_alphabets_is_a_road_sign_where_one_line_may_be_a_shop(gz):
    # "ПИРОЖКИ" (pies, a bakery board) spells Pyrizhky, a Ukrainian village of 700: alone, a word
    # or a brand as likely as the village's own sign. The same name written again in its Latin
    # romanisation on a second line ("PYRIZHKY") is a road sign's convention, not a bakery's.
    (village,) = [p for p in gz.search("Pyrizhky", limit=3) if p.match >= 0.95]
    assert village.population < 2_000
    alone = run(gz, [line("ПИРОЖКИ", readings=("nNPOXKN",))]).estimate
    assert alone is not None and alone.confidence < 0.3
    both = run(gz, [line("ПИРОЖКИ", readings=("nNPOXKN",)), line("PYRIZHKY", i=1)]).estimate
    assert both is not None and both.confidence >= 0.5
    assert haversine_km(both.lat, both.lon, village.lat, village.lon) < both.radius_km
    # Two lines in one alphabet are two boards, not one name written twice.
    two = run(gz, [line("ПИРОЖКИ", readings=("nNPOXKN",)), line("ПИРОЖКИ", i=1)]).estimate
    assert two is not None and two.confidence < 0.3


def test_important_places_that_are_also_words_still_resolve(gz):
    inf = run(gz, [line("Kyiv")])
    assert inf.candidates[0].place.name == "Kyiv"
    # "Суми" is also "sums": a city of 260,000, named exactly, on a Ukrainian direction sign.
    inf = run(gz, [line("Суми", 45.0), line("Ромни", 80.0, i=1)])
    assert inf.candidates[0].place.name == "Sumy" and inf.candidates[0].place.country_code == "UA"
    assert inf.estimate is not None and inf.estimate.basis == "distance"


@pytest.mark.parametrize(("sign_text", "town"), [("Усть-Кут", "Ust’-Kut"), ("Ростов Великий", "Rostov Veliky")])
def test_a_name_common_because_its_town_is_talked_about_names_the_town(gz, sign_text, town):
    # As frequent as shop words in Russian text (zipf 4.1 and 4.4), because the places are named
    # often: the dictionary takes them for place names, not vocabulary. Alone on a Russian town
    # sign, which has no Latin line, they name the town (48,000 and 31,000 people).
    assert is_everyday_text(sign_text)
    e = run(gz, [line(sign_text)]).estimate
    assert e is not None and town in e.explanation, e
    # A word that is vocabulary first stays a word: "Грязи" (mud; Gryazi, 47,000 people).
    assert is_everyday_text("Грязи") and run(gz, [line("Грязи")]).estimate is None


def test_a_ukrainian_spelling_of_a_town_talked_about_names_the_town(gz):
    # "Бориспіль" (64,000 people) is as frequent in Ukrainian text as shop words (zipf 4.2), and
    # the Ukrainian dictionary tags no place names; the Russian one knows the town by its Russian
    # name, "Борисполь", which the gazetteer holds among the town's names. Alone on a city's
    # entrance stele, without a Latin line, it names the town.
    assert is_everyday_text("БОРИСПІЛЬ")
    e = run(gz, [line("БОРИСПІЛЬ")]).estimate
    assert e is not None and "Boryspil" in e.explanation and e.confidence < 0.5, e
    # A word whose town's Russian name is vocabulary too stays a word: "Щастя" (happiness;
    # Shchastia, 11,000 people; Russian "Счастье").
    assert is_everyday_text("Щастя") and run(gz, [line("Щастя")]).estimate is None


@pytest.mark.parametrize("word", ["BUCH", "AUCH"])
def test_a_latin_word_is_not_judged_by_the_russian_name_of_a_town(gz, word):
    # "BUCH" (book) is Buch, 12,000 people, known in Russian as "Бух"; "AUCH" (also) is Auch in
    # France, "Ош": a bookshop or a notice names neither.
    assert is_everyday_text(word) and run(gz, [line(word)]).estimate is None


@pytest.mark.parametrize(("sign_text", "town"), [("WEIL AM RHEIN", "Weil am Rhein"), ("Mercy-le-Bas", "Mercy-le-Bas")])
def test_a_town_whose_whole_name_is_a_phrase_of_everyday_words_is_named(gz, sign_text, town):
    # Each word is everyday ("weil", "am", "Rhein"; "mercy", "le", "bas"), so the phrase passes the
    # shop-word test, but a phrase of three words that spells a town's whole name is that name.
    assert is_everyday_text(sign_text)
    e = run(gz, [line(sign_text)]).estimate
    assert e is not None and town in e.explanation, e
    # Shop and notice phrases of as many everyday words still name nothing.
    for board in ("ФОТО НА ДОКУМЕНТИ", "BED AND BREAKFAST", "OPEN ALL DAY", "ZIMMER FREI HEUTE"):
        assert is_everyday_text(board) and run(gz, [line(board)]).estimate is None, board


def test_a_distance_lets_a_smaller_town_that_is_also_a_word_through(gz):
    # "Долина" (valley) is Dolyna, 20,000 people: a destination with its distance, not a lone word.
    assert is_everyday_text("Долина")
    inf = run(gz, [line("Берегове", 40.0), line("Долина", 115.0, i=1)])
    assert {c.place.name for c in inf.candidates[:2]} == {"Berehove", "Dolyna"}
    assert run(gz, [line("Долина")]).estimate is None


@pytest.mark.parametrize(("sign_text", "town"), [("Часів Яр", "Chasiv Yar"), ("Кам’янець-Подільський", "Kamyanets")])
def test_a_towns_two_word_name_beside_a_distance_is_a_destination(gz, sign_text, town):
    # "Часів Яр" is "hours' ravine", every word everyday; with its distance on the row it is the
    # town of 12,000 people the sign points to. Alone, without a number, it stays a phrase.
    assert is_everyday_text(sign_text)
    e = run(gz, [line(sign_text, 50.0)]).estimate
    assert e is not None and town in e.explanation and e.radius_km >= 50, e
    # Shop phrases of two everyday words with a number still name nothing, villages of that name
    # ("Зелений Гай", a restaurant as often) included.
    for board in ("СВІЖИЙ ХЛІБ", "НОВА КОЛЕКЦІЯ", "ДОБРИЙ ДЕНЬ", "ЗЕЛЕНИЙ ГАЙ"):
        assert is_everyday_text(board) and run(gz, [line(board, 24.0)]).estimate is None, board


def test_a_reading_left_out_is_reported_with_its_reason(tmp_path):
    from geoloc.model import PhotoReport, TextSpan
    from geoloc.pipeline import Settings, conclude

    report = PhotoReport(
        path="sign.jpg",
        texts=[
            TextSpan("Берегове", 90.0, (10, 10, 160, 30), line=0, region=0, lang="ukr+rus+bel"),
            TextSpan("Beperose", 80.0, (10, 10, 160, 30), line=0, region=0, lang="eng"),
            TextSpan("40", 90.0, (200, 10, 30, 30), line=0, region=0, lang="ukr+rus+bel"),
        ],
    )
    out = conclude(report, Settings()).to_dict()
    assert out["candidates"][0]["name"] == "Berehove"
    assert any("Beperose" in why and "Cyrillic" in why for why in out["left_out"])


def test_a_word_and_a_bare_number_alone_are_no_destination_list(gz):
    # A station sign: "BORDEAUX" over "gare 55" (the 55 read off a logo). GeoNames has a Paris
    # district "Gare" of 75,000 people: a destination among others could name it, a lone row not.
    spans = [
        span("BORDEAUX", 10, 1, LATIN_PASS),
        span("gare", 10, 2, LATIN_PASS),
        span("55", 80, 2, LATIN_PASS),
    ]
    inf = run(gz, mentions_from_spans(spans))
    assert all(c.place.name != "Gare" for c in inf.candidates)
    assert inf.estimate is None or "Gare" not in inf.estimate.explanation


def test_the_number_beside_a_name_does_not_vouch_for_how_well_the_name_was_read():
    # A street plate in Chinese read by the Latin pass as junk at 58; its house number at 96.
    spans = [
        TextSpan(text="uss Jt En", confidence=58.0, box=(10, 10, 90, 20), line=1, region=0, lang=LATIN_PASS),
        TextSpan(text="309", confidence=96.0, box=(110, 10, 30, 20), line=1, region=0, lang=LATIN_PASS),
    ]
    (m,) = mentions_from_spans(spans)
    assert m.confidence == 58.0 and m.distance_km == 309


def test_a_fuzzy_destination_with_a_distance_is_not_confident(gz):
    # A Chinese street plate read by the Latin pass as "uss Jt En" beside its house number 309:
    # within OCR tolerance of some village, but a guess, not a destination read.
    exact = run(gz, [line("Chernihiv", 25.0)]).estimate
    junk = run(gz, [Mention(readings=("uss Jt En",), kind="ocr", distance_km=309.0, confidence=58.0)]).estimate
    near = run(gz, [Mention(readings=("Chernihlv",), kind="ocr", distance_km=25.0, confidence=58.0)]).estimate
    assert exact is not None and exact.confidence >= 0.5
    assert junk is None or junk.confidence < 0.3
    assert near is not None and near.confidence < exact.confidence  # one letter off: likely, less sure


def test_cyrillic_junk_never_falls_back_to_a_place_where_cyrillic_is_not_written(gz):
    # "ліш" read out of a Korean sign: no Cyrillic-writing country has such a place.
    inf = run(gz, [Mention(readings=("ліш",), kind="ocr", distance_km=32.0, confidence=72.0)])
    assert all(
        c.place.country_code in {"UA", "RU", "BY", "BG", "RS", "MK", "KZ", "KG", "MN", "TJ"} for c in inf.candidates
    )


def test_one_pass_reading_a_row_twice_gives_two_readings_not_one_long_name(gz):
    # Overlapping detections: the Latin pass reads "Düseldorf" and "Düsseldorf" at one place.
    spans = [
        TextSpan(text="Düseldorf", confidence=73.0, box=(80, 80, 185, 33), line=0, region=0, lang=LATIN_PASS),
        TextSpan(text="Düsseldorf", confidence=59.0, box=(81, 81, 185, 33), line=0, region=0, lang=LATIN_PASS),
        TextSpan(text="60", confidence=90.0, box=(294, 87, 36, 24), line=0, region=0, lang=LATIN_PASS),
    ]
    (m,) = mentions_from_spans(spans)
    assert set(m.readings) == {"Düseldorf", "Düsseldorf"} and m.distance_km == 60


def test_a_word_read_as_written_is_no_misreading_of_a_place(gz):
    # "BAKERY" is spelled right: it is not "Bakri" (Malaysia) read with an error.
    assert run(gz, [line("BAKERY")]).estimate is None
    # "TYRES 422" on a tyre shop: Tires, Italy, is a hamlet of 400 that a word spells.
    e = run(gz, [line("TYRES", 422.0)]).estimate
    assert e is None or e.confidence < 0.3


def test_the_cyrillic_pass_reading_of_a_latin_line_does_not_outrank_an_exact_latin_name(gz):
    # A Romanian sign "Amara": the Cyrillic pass reads look-alikes "Атага", near a Russian village.
    spans = [span("Amara", 10, 1, LATIN_PASS), span("Атага", 10, 1, CYRILLIC_PASS)]
    inf = run(gz, mentions_from_spans(spans))
    assert inf.candidates and inf.candidates[0].place.country_code == "RO"
    assert any(x.startswith("'Атага'") for x in inf.left_out)


def test_a_name_that_is_also_a_word_still_names_the_place_by_its_other_names(gz):
    # "Kiev" is an English word list's entry and Kyiv's other name: a word, and still the city.
    inf = run(gz, [line("KIEV")])
    assert inf.estimate is not None and inf.candidates[0].place.name == "Kyiv"


def test_a_subway_notice_reading_at_this_is_not_athis_mons(gz):
    # A New York subway entrance: the vending-machine plate below reads "... At This" at 95.
    # Folded and loosened, "At This" is the key of Athis-Mons (France, 30,000 people).
    spans = [
        span("MetroCard Vending Machines", 10, 0, LATIN_PASS),
        span("At This", 10, 1, LATIN_PASS),
        span("Bryant Park Station", 10, 2, LATIN_PASS),
    ]
    inf = run(gz, mentions_from_spans(spans))
    assert inf.estimate is None or inf.estimate.confidence < 0.3
    assert all(c.place.country_code != "FR" for c in inf.candidates)


def test_a_latin_misreading_that_names_a_finnish_village_does_not_move_a_ukrainian_sign(gz):
    # "Знам'янка 116 / Миргород 79" on a hard photo: the first line's Cyrillic reading is damaged
    # and the Latin pass read it as the name of a village in Finland.
    spans = [
        span("Зиам'яика", 10, 0),
        span("Jokiniemi", 10, 0, LATIN_PASS),
        span("116", 300, 0),
        span("Миргород", 10, 1),
        span("Mypropoa", 10, 1, LATIN_PASS),
        span("79", 300, 1),
    ]
    inf = run(gz, mentions_from_spans(spans))
    e = inf.estimate
    # Either line may be the misread one: geoloc may say the two cannot both be true, but it never
    # builds a confident answer on the Finnish reading.
    assert e is not None
    assert "Jokiniemi" not in e.explanation or e.confidence < 0.3
    if "Jokiniemi" not in e.explanation:
        myrhorod = next(c.place for c in inf.candidates if c.place.name == "Myrhorod")
        assert haversine_km(e.lat, e.lon, myrhorod.lat, myrhorod.lon) <= 79 + 10  # within the sign's reach


@pytest.mark.parametrize(
    "lines",
    [
        ("EPPING", "Twinned with Eppingen, Germany"),
        ("EPPING", "Twinned", "with Eppingen", "Germany"),
        ("EPPING", "Twinned with", "EPPINGEN", "GERMANY"),
    ],
)
def test_a_town_signs_twinning_line_names_no_destination(gz, lines):
    # "EPPING / Twinned with Eppingen, Germany": the partner town is 700 km away and says nothing
    # of where the sign stands; the sign is Epping's own, whichever Epping.
    inf = run(gz, mentions_from_spans([span(text, 10, i, LATIN_PASS) for i, text in enumerate(lines)]))
    e = inf.estimate
    assert e is not None and e.rule == "place_sign" and "Epping" in e.explanation
    assert all(c.place.country_code != "DE" for c in inf.candidates)


def test_the_language_of_a_twinning_line_says_which_countrys_town_sign_it_is(gz):
    # Alone, "EPPING" is two suburbs of Sydney and Melbourne or a town in England; "Twinned with"
    # is how English town signs name partner towns (Australia's say "Sister City").
    def estimate(*lines: str):
        return run(gz, mentions_from_spans([span(text, 10, i, LATIN_PASS) for i, text in enumerate(lines)])).estimate

    alone = estimate("EPPING")
    assert alone is not None and any("(GB)" in a.explanation for a in alone.alternatives)
    twinned = estimate("EPPING", "Twinned with", "Eppingen, Germany")
    assert twinned is not None and "Epping (GB)" in twinned.explanation, twinned
    assert twinned.confidence > alone.confidence
    # "Jumelée avec": a French town's sign, not Beaumont, Texas (118,000 people).
    french = estimate("BEAUMONT", "Jumelée avec", "Beaumont (Texas)")
    assert french is not None and "(FR)" in french.explanation, french


def test_a_lone_three_letter_reading_is_no_confident_village(gz):
    # "oer" off a weathered hiking board is another name of Or (Sweden, 6,500 people): half of all
    # three-letter strings name some town. A large city with a short name keeps its confidence.
    e = run(gz, mentions_from_spans([span("oer", 10, 0, LATIN_PASS)])).estimate
    assert e is None or e.confidence < 0.3
    e = run(gz, mentions_from_spans([span("Ulm", 10, 0, LATIN_PASS)])).estimate
    assert e is not None and e.confidence >= 0.5 and "Ulm" in e.explanation


def test_a_lone_reading_begun_in_a_small_letter_is_no_confident_village(gz):
    # "herin", the end of a shop front's "...chérin", spells Hérin (France, 4,000 people); a sign
    # writes a town's name with a capital. A large city read so keeps its confidence.
    fragment = run(gz, mentions_from_spans([span("herin", 10, 0, LATIN_PASS)])).estimate
    name = run(gz, mentions_from_spans([span("Hérin", 10, 0, LATIN_PASS)])).estimate
    assert name is not None and "Hérin" in name.explanation
    assert fragment is None or fragment.confidence < min(0.3, name.confidence / 2), (fragment, name)
    city = run(gz, mentions_from_spans([span("hamburg", 10, 0, LATIN_PASS)])).estimate
    assert city is not None and city.confidence >= 0.3 and "Hamburg" in city.explanation

    # A row with its distance is a sign's destination whatever the case its letters were read in
    # ("ÎNSURĂŢEI 216" read "insuratei"), and Cyrillic capitals mostly look like small letters.
    def confidence(*spans: TextSpan) -> float:
        e = run(gz, mentions_from_spans(list(spans))).estimate
        assert e is not None, spans
        return e.confidence

    assert confidence(span("insuratei", 10, 0, LATIN_PASS), span("216", 120, 0, LATIN_PASS)) == confidence(
        span("Însurăţei", 10, 0, LATIN_PASS), span("216", 120, 0, LATIN_PASS)
    )
    assert confidence(span("липки", 10, 0)) == confidence(span("ЛИПКИ", 10, 0))


def test_a_direction_sign_read_only_fuzzily_says_less_than_one_read_exactly(gz):
    def towards(*names: str) -> float:
        spans = [span(n, 10, i, LATIN_PASS) for i, n in enumerate(names)]
        e = run(gz, mentions_from_spans(spans)).estimate
        assert e is not None and e.rule == "direction_sign"
        return e.confidence

    assert towards("Șerel", "CRCNA") <= towards("Șerel", "Crocna") - 0.1  # "CRCNA": a letter lost


def test_a_near_miss_of_a_word_read_on_the_same_line_is_that_word(gz):
    # Two Latin passes over a bakery board: "BAKERY" names no place, its near miss "BAKEY" is a
    # letter from Bakel (Senegal). The line says the word; no place is taken from it.
    inf = run(gz, [line("BAKERY", readings=("BAKEY",))])
    assert inf.estimate is None
    assert not any(c.place.name == "Bakel" for c in inf.candidates)


def test_an_exact_place_name_beside_a_word_reading_of_its_line_is_kept(gz):
    # One pass reads the city-limit sign "LVIV" as the word "LIVE": the exact name is not dropped.
    inf = run(gz, [line("LVIV", readings=("LIVE",))])
    assert inf.estimate is not None
    assert haversine_km(inf.estimate.lat, inf.estimate.lon, 49.8397, 24.0297) < 15


def test_a_word_with_a_lost_first_letter_is_not_an_arrow_glued_to_a_name(gz):
    # "CAR WASH" read once as "AR WASH": "AR " looks like an arrow read as letters, and "WASH"
    # alone is "Wash.", the abbreviation of the state of Washington. An arrow points to a town,
    # not to a state's abbreviation; the direction sign to Sibiu and Teiuș places the photo.
    sibiu = Mention(readings=("Sibiu",), kind="ocr", box=(600, 80, 109, 39), confidence=97.0, region=1)
    teius = Mention(readings=("Teiuş",), kind="ocr", box=(600, 156, 109, 39), confidence=83.0, region=1)
    wash = Mention(readings=("CAR WASH", "AR WASH"), kind="ocr", box=(1120, 80, 131, 31), confidence=93.0, region=2)
    inf = run(gz, [sibiu, teius, wash])
    assert inf.estimate is not None and "Washington" not in inf.estimate.explanation
    assert haversine_km(inf.estimate.lat, inf.estimate.lon, 45.8, 24.15) < 300


def test_texture_read_as_letters_around_a_three_letter_name_is_no_confident_place(gz):
    # A panorama's texture read "ieEio" at 55: with "ie" taken for an arrow glued to a name, the
    # rest, "Eio", romanises the three-letter Russian name of Aigio, Greece. A three-letter match
    # names some town by chance as easily as by design, however long the reading around it.
    m = Mention(readings=("ieEio",), kind="ocr", box=(127, 209, 30, 6), confidence=55.0)
    inf = infer([m], Metadata(), None, gz)
    assert inf.estimate is None or inf.estimate.confidence < 0.3


def test_a_word_that_is_also_a_town_is_a_destination_among_named_rows(gz):
    # "Heide / Mildstedt / Husum": "Heide" (heath) is a German word; alone on a board it stays a
    # word, listed with two towns it is the town of 21,000 people.
    heide = next(p for p in gz.search("Heide", limit=10) if p.country_code == "DE" and p.population > 15_000)
    listed = run(gz, sign(("Heide", None), ("Mildstedt", None), ("Husum", None))).candidates
    assert any(c.place.geonameid == heide.geonameid for c in listed)
    alone = run(gz, sign(("Heide", None))).candidates
    assert not any(c.place.geonameid == heide.geonameid for c in alone)
    beside_words = run(gz, sign(("Heide", None), ("Angebot", None))).candidates
    assert not any(c.place.geonameid == heide.geonameid for c in beside_words)


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # "Колонна" (a column) romanised is "Kolona", another name of Colón, Panama; "Колону"'s
        # guessed dictionary form "Колон" is Colón's Russian name, and romanised, Köln's.
        ("Колонна военной техники движется через Брянск.", "Bryansk"),
        ("Колонна техніки рухається через Бровари.", "Brovary"),
        ("Колону техніки зняли під Черніговом.", "Chernihiv"),
        ("Колонну техники сняли под Курском.", "Kursk"),
        # The same caption style naming a town abroad by its own Cyrillic name
        ("Фото зроблено в Парижі.", "Paris"),
        ("Снимок сделан в Кёльне.", "Köln"),
        # A town at home whose name is also a word
        ("Удар по Сумах.", "Sumy"),
    ],
)
def test_an_everyday_word_of_a_caption_is_no_town_abroad_that_shares_its_letters(gz, caption, town):
    inf = infer([], Metadata(), context_facts(caption), gz)
    assert inf.estimate is not None and town in inf.estimate.explanation, inf.estimate
    assert [c.place.name for c in inf.candidates] == [town]


def test_a_word_on_a_row_with_an_arrow_among_destinations_names_its_town(gz):
    # "Орлов" is a surname and "of eagles" in Russian, and Orlov (Kirov oblast) has 8,400 people:
    # alone, or on a list of words and numbers (a price board), the word is likelier. A row with
    # an arrow and a distance beside another such row is a destination as plainly as a sign can
    # say it: both rings place the camera, here at Sovetsk (57.6 N, 49.0 E), east-bound.
    camera = (57.584, 48.964)
    orlov = next(p for p in gz.search("Орлов", limit=3) if p.country_code == "RU")
    kazan = next(p for p in gz.search("Казань", limit=3) if p.country_code == "RU")
    rows = [(p.name, round(1.25 * haversine_km(*camera, p.lat, p.lon))) for p in (orlov, kazan)]
    listed = [line(name, km, i=i) for i, (name, km) in enumerate((("Орлов", rows[0][1]), ("Казань", rows[1][1])))]
    pointed = [replace(m, arrow=arrow) for m, arrow in zip(listed, ("left", "right"), strict=True)]
    e = run(gz, pointed).estimate
    assert e is not None and e.explanation.startswith("2 distance signs: Orlov"), e
    assert haversine_km(e.lat, e.lon, *camera) <= e.radius_km
    unpointed = run(gz, listed)
    assert all(c.place.geonameid != orlov.geonameid for c in unpointed.candidates)


def test_a_destination_row_taken_for_a_word_is_reported_with_the_town_it_spells(gz):
    # "→ Любим 92 / ↑ Чагода 496 / ← Москва 436", the arrow of the first row not read: "любим" is
    # "(we) love", and Lyubim, a town of 6,000 north of Yaroslavl, is taken for the word. The
    # analyst is told what was set aside; a word without a number beside it is no such row.
    rows = [line("Любим", 92, i=0), line("Чагода", 496, i=1), line("Москва", 436, i=2)]
    inf = run(gz, rows)
    assert any(x.startswith("'Любим': read as a common word") and "Lyubim (RU" in x for x in inf.left_out), inf.left_out
    alone = run(gz, [line("Любим", None, i=0), line("Чагода", 496, i=1), line("Москва", 436, i=2)])
    assert not any("Любим" in x for x in alone.left_out), alone.left_out
    # "Бар" ("bar") is a town of 15,000 in Vinnytsia oblast and one of 18,000 in Montenegro: the
    # one named is the one near the places read with it.
    bar = run(gz, [line("Бар", 25, i=0), line("Вінниця", 70, i=1)])
    assert any(x.startswith("'Бар'") and "Bar (UA" in x for x in bar.left_out), bar.left_out


def test_a_village_row_taken_for_a_word_under_a_kept_destination_is_reported(gz):
    # "Neue Neustadt 331 / Benz 21": "Benz" is a word (the car), and the two villages called Benz
    # have about 650 people each, under the size a word row is named for on its own ("ОБМІН 50" on
    # a board); under another destination kept with its distance it is a destination row, and the
    # analyst is told it was set aside.
    rows = [line("Neue Neustadt", 331, i=0), line("Benz", 21, i=1)]
    inf = run(gz, rows)
    assert inf.estimate is not None and "Neue Neustadt" in inf.estimate.explanation
    assert any(x.startswith("'Benz': read as a common word") and "Benz (DE" in x for x in inf.left_out), inf.left_out
    alone = run(gz, [line("Benz", 21, i=1)])
    assert not any("Benz" in x for x in alone.left_out), alone.left_out


@pytest.mark.parametrize(
    ("board", "city"),
    [("GOLD", "Gold Coast"), ("BASIC", "Henderson"), ("LOG", "Łódź")],
)
def test_an_english_shop_word_names_no_city_by_one_of_its_other_names(gz, board, city):
    # "GOLD" (a jeweller's), "BASIC" (a gym): the gazetteer lists the words among the other names
    # of cities of 280,000 to 700,000 people, and alone on a board they named them at 0.68.
    assert any(p.name == city and p.match >= 0.95 for p in gz.search(board, limit=10))
    assert run(gz, [line(board)]).estimate is None


@pytest.mark.parametrize(("sign_text", "city"), [("WIEN", "Vienna"), ("WARSZAWA", "Warsaw"), ("NICE", "Nice")])
def test_a_citys_name_in_its_own_language_or_its_own_name_still_names_it(gz, sign_text, city):
    # Everyday words in German and Polish because the cities are talked about; "NICE" is the
    # English word and the city's own name.
    e = run(gz, [line(sign_text)]).estimate
    assert e is not None and city in e.explanation and e.confidence >= 0.5
