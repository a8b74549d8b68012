"""Which place each name means: look the readings up, then choose among same-named places jointly.

One name alone is ambiguous (17 Oleksandrivkas in Ukraine, Alexandria on three continents); the
names read together on one photo, the caption's places, the sign's alphabet and the file's GPS
pick among them: places named together lie near each other, and distance rings must meet.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from geoloc.common.geodesy import ROAD_FACTOR_MIN, haversine_km
from geoloc.common.text import (
    EVERYDAY_ZIPF,
    SCRIPT_CYRILLIC,
    SCRIPT_LATIN,
    cyrillic_lookalike,
    cyrillic_lookalikes,
    district_seat_names,
    has_region_word,
    is_common_word,
    is_cyrillic_letter,
    is_everyday_text,
    is_word,
    name_words,
    normalise,
    script_of,
    text_zipf,
    unread_marks,
    worded,
)
from geoloc.infer.rings import UNIT_ABROAD_ODDS, Ring, mention_km, ring_consistency, unit_abroad
from geoloc.model import ContextFacts, Mention, Metadata, Place, box_within, place_radius_km, union_box
from geoloc.places.index import ALTERNATE, BARE_REGION
from geoloc.places.offline import OWN_NAME_MATCH, SPELLING_MATCH, edit_match, score_at
from geoloc.places.protocol import Gazetteer, Priors
from geoloc.places.resolve import lies_in_any
from geoloc.places.roads import CityRoad, city_roads
from geoloc.places.sources import capital_names
from geoloc.places.tables import CYRILLIC_COUNTRIES
from geoloc.places.translit import ROMANISED_COUNTRIES, romanisations
from geoloc.read.lemmas import (
    REMEMBERED_NAMES,
    dictionary_forms,
    is_belarusian_spelling,
    is_russian,
    is_toponym,
    slavic_town_forms,
    ukrainian_spellings,
)
from geoloc.read.mentions import FRONT_KM, REPORTING_WORDS, stacked

MIN_MATCH = 0.8
"""Fuzzy matches below this are not taken as places (OCR junk and common words land lower)."""

EXACT_MATCH = 0.95
"""A match at least this good is a name the gazetteer holds, up to spelling system ("Стрий" for
GeoNames "Stryi", "Bryansk region" for "Bryansk Oblast"), not an OCR-tolerant guess. Captions are
matched only this way: prose is full of capitalised words a letter away from some village."""

TOP_PER_MENTION = 4
NAMESAKE_LIMIT = 24
"""Same-named places looked up for a name: "Советское" names 13 settlements in GeoNames, and a lone
name's share of the probability must count them, not the few the joint choice weighs."""

MAX_JOINT = 6  # mentions resolved jointly by exhaustive search; the rest greedily

NAMESAKE_POPULATION_EXPONENT = 0.5
"""Same-named places weigh population to this power: a bigger town is photographed and named on
signs more often, but not in proportion (every town has its limit sign, and a city's destination
signs stand in a region that grows slower than its population). Linear weights would make a
5-million city certain over a 160,000 one (97%); logarithms would put them near even."""
CAPTION_POPULATION_EXPONENT = 0.65
"""The same for a name written in news text, measured: the exponent under which the gold place is
likeliest among its same-named towns over 3,190 ambiguous toponyms of five news corpora (LGL,
GeoVirus, TR-News, GeoWebNews, WOTR; ``benchmarks/toponyms.py`` data): 0.65 (0.5-1.15 by
corpus). News names large towns more than signs do, in proportion to their size."""
NAMESAKE_MIN_POPULATION = 1_000
"""Namesakes with no population in the gazetteer weigh as a village of this size, never zero."""
RING_COMBOS = 2_000
"""Most combinations the namesakes added for rows with distances (``RING_NAMESAKES``) may bring
the exhaustive choice to: each new set of places costs a fit of its rings, and a sign of five
common names ("Михайловка 50 / Ивановка 80 / Петровка 120 / ...") took a minute without it."""
NAMESAKE_MIN_SHARE = 0.1
"""A namesake, or another set of places for a photo's distance rows, with at least this share of
the probability is listed as an alternative."""
DESTINATION_SET_MIN_SHARE = 0.01
"""Other sets of places for a direction sign without distances are weighed down to this share:
most lie about the chosen set (the third Ivanivka beside the same Petrivka) and add to its
region, and placing one costs nothing, unlike a fit of rings; dropped, their shares would be lost
and the region stated less sure than it is."""
SET_BUDGET = 300
"""Most sets of namesakes (``_namesake_sets``) weighed beyond the search's: the likeliest first, each
a fit of its rings (a few ms)."""
SET_PENALTY_SPAN = 8.0
"""Sets whose namesakes' prior costs exceed the chosen set's by more than this weigh under e^-8 of
it each: not weighed."""
RING_NAMESAKES = 4
"""Namesakes beyond the gazetteer's first options weighed for a row with a distance, when another
row's place lies within reach of them (the two road distances together): the first options are
the largest namesakes, and a sign listing "Лесной 413 / Кирс 458" means the Lesnoy of 7,000 people
50 km from Kirs, not the three larger ones hundreds of km away that the rings also allow."""


def namesake_weight(p: Place, exponent: float = NAMESAKE_POPULATION_EXPONENT) -> float:
    """How likely a name on a sign or in a caption means ``p`` rather than a namesake, before any
    other evidence: its population to ``exponent`` (a sign's, or ``CAPTION_POPULATION_EXPONENT``)."""
    return max(p.population, NAMESAKE_MIN_POPULATION) ** exponent


CAPTION_OPTIONS = 3
"""Places looked at for each reading of a caption's name when no region is named with it."""
ARTICLE = "the "
"""How a town's own English name begins when the article is part of it (The Hague): the only towns
a caption's "the X" names (``Mention.article``)."""
MAX_PRIOR_PLACES = 20
"""Places named first that weigh the choice among same-named ones: the lede's places anchor the
rest, and scoring each look-up against every place found would make long texts quadratic."""

FULL_CONF_OCR = 85.0
"""OCR confidence at and above which a reading is taken at full weight."""
MIN_LEGIBLE_CONF = 40.0
"""OCR confidence below which a line is not read as a name at all (foliage, brickwork)."""
SHORT_NAME_LETTERS = 5
"""A line shorter than this is a name only when read with ``SHORT_NAME_CONF``: some village is
called "Ody", and Tesseract reads 2-4 letter junk out of texture."""
SHORT_NAME_CONF = 70.0

PAIR_KM_SCALE = 150.0
"""Cost per km between two places picked for names read together without distances (capped at
``PAIR_KM_CAP``): names on one photo lie near each other."""
PAIR_KM_CAP = 1500.0
PANEL_KM_SCALE = 450.0
"""The same for two names on one sign panel without distances: a direction sign's destinations
lie in different directions up to a few hundred km ahead, so up to about twice that apart."""
FARTHEST_DESTINATION_KM = 1000.0
"""Farther than this from the camera a place read on a road sign is a misread name, not a
destination whose number was misread: trunk roads sign cities several hundred km ahead (Moscow
on the M3 from Bryansk, 380 km), seldom a thousand. So two places of one panel lie at most twice
this apart, whatever directions they point in: a pair farther apart has a misreading in it."""
RING_COST_CAP = 60.0
"""Worst ring disagreement counted; rings that cannot meet at all cost the same."""
ANCHOR_KM_SCALE = 300.0
"""Cost per km from the nearest anchor (caption place, GPS), capped at ``ANCHOR_KM_CAP``."""
ANCHOR_KM_CAP = 600.0
RANK_COST = 0.6
"""Cost of taking the gazetteer's k-th option instead of its first, per rank."""
MATCH_COST = 2.0
"""Cost per unit of name match lost (a fuzzy reading against an exact one)."""


IMPORTANT_POPULATION = 100_000
"""A sign reading made only of everyday words ("Суми", "Bar", "Gare") is taken as a place only when
it names, exactly, a place at least this large: such a town is named on signs and in talk across a
region, while a village that shares a shop word's name is far less likely than the word."""
CAPTION_WORD_POPULATION = 50_000
"""The same for a caption, where a word is capitalised because it is a name far more often than
on a shop sign: a town this large is written about ("Мукачево", 85,000, is also zipf 3.9; "Азов"
4.3), while "Thursday" (Thursday Island, 2,600) and "Фото" (Fotö) are not."""
DESTINATION_POPULATION = 10_000
"""The same, for a row of a distance sign (a name and its distance among other such rows on one
panel) or of a panel whose other rows name places: that is how destinations are listed, so a
smaller town is enough ("Берегове 40 / Долина 115", 20,000 people; "Heide / Husum"). A lone
word and number is not such a list: "24 ГОДИНИ" on a grocery, "gare 55" beside a station sign;
they keep ``IMPORTANT_POPULATION``."""
SMALL_PLACE_POPULATION = 2_000
"""Below this (or unknown) a place is a hamlet: the gazetteer holds about ten of them for every
town, so a lone word, brand or surname that spells one is far likelier than for a town. A row with
an arrow and a distance among other such rows ("← Орлов 63 / → Казань 379") is a destination as
plainly as a sign can say so, and price lists and notices draw no arrows: there a word names a town
of this size ("орлов", a surname and "of eagles", is Orlov of 8,400 people)."""


HAMLET_POPULATION = 500
"""Below this, or of unknown size, a place is a hamlet as signs go: GeoNames gives the population
of places from 500 people (cities500); the villages the index adds from the postal register have
none, and most of them are smaller."""
HAMLET_SIGNED_KM = 50.0
"""Farthest a hamlet (``HAMLET_POPULATION``) is signposted: signs name one at the turn-off to it,
and far destinations only where many people go."""
FAR_HAMLET_ODDS = 0.1
"""Weight kept by a hamlet, or a city's part (``Resolved.parts``), among the namesakes of a
destination signed farther than ``HAMLET_SIGNED_KM`` ("Ярцево 438" is the town of 52,000 people,
not one of the villages of that name; "Нагорный 93" is no district of Moscow): such signs exist,
on roads that lead nowhere else, one in ten at most. It does not weigh on which place a reading
names: a small village signed 65 km away is seldom but not rarely the only place a sign's reading
can be."""


def signed_far(r: Resolved, p: Place) -> bool:
    """Whether the distance a sign gives to ``p`` is farther than a place such as it is signposted:
    a hamlet is signed at the turn-off to it, a city's district on the city's own roads."""
    small = p.population < HAMLET_POPULATION or p.geonameid in r.parts
    return small and (mention_km(r.mention, p) or 0.0) > HAMLET_SIGNED_KM


STRAY_DIGIT_RATIO = 20.0
"""A single-digit distance is taken as a stray mark (a panel edge, an arrow tip, a route shield's
"1"), not a ring, when another distance on the same panel is at least this many times larger.
Real signs list the next town 5-20 km away beside far ones at 150-300 km: those have two digits
and keep their rings whatever the ratio. A town 1-9 km away is written too ("Бровари 2" on Kyiv's
outskirts), but beside the near towns of an outskirts sign ("Київ 25": 12.5 times); listed beside
a destination 20 or more times further it is far likelier a misread mark than a 1-9 km ring."""


@dataclass
class Resolved:
    mention: Mention
    options: list[Place]  # best first, match >= MIN_MATCH
    left_out: tuple[tuple[str, str], ...] = ()
    """Readings of the mention not taken as names, each with the reason."""
    namesakes: tuple[Place, ...] = ()
    """Every place the name is exactly (up to ``NAMESAKE_LIMIT``), and the place each reading of the
    line names best when its readings disagree (``_disputed_readings``): how ambiguous the line is."""
    rivals: tuple[tuple[Place, float], ...] = ()
    """Places the line names only within OCR tolerance while it names others exactly, each with the
    odds of the misreading that makes it their name (``_misread_rivals``): "Berli" is an alternate
    name of Burley, Idaho, and Berlin with its last letter lost."""
    roads: tuple[CityRoad, ...] = ()
    """The city roads the line names ("МКАД"): its places are their cities, and it says the sign
    stands in or near one of them, not that a road goes there."""
    road_km: float = 0.0
    """The distance the line gives to its road ("МКАД 12"): how much farther out the sign may stand."""
    both_alphabets: bool = False
    """The name is written twice on its panel, once in each alphabet, and each line names the place
    ("ПУХІВКА / PUKHIVKA"): a road sign's convention, not a shop's or a notice's."""
    aliases: frozenset[int] = frozenset()
    """Namesakes of ``IMPORTANT_POPULATION`` the name is only another name of (``ALTERNATE``), not
    their own as their country writes it (``match_rank``): "Олександрівка" is one of Donetsk's."""
    parts: frozenset[int] = frozenset()
    """Places among its options and namesakes that are parts of a larger city (``_city_parts``)."""


TWINNING_COUNTRY = {"en": "GB", "fr": "FR", "pl": "PL", "it": "IT", "es": "ES", "cs": "CZ", "uk": "UA"}
"""The country whose town signs carry a twinning line in each language ("Twinned with": the United
Kingdom; Australia and the United States say "Sister City"). German is left out, as Germany,
Austria and Switzerland all write "Partnerstadt", and Russian, as Russia and Belarus both do."""


UKRAINIAN_ENDINGS = ("ськ", "цьк", "ський", "цький", "ське", "цьке")
"""Word endings only Ukrainian spelling writes: a soft sign before the к of "-ськ" and of the
adjectives "-ський", "-ське" ("Покровськ", "Донецьк", "Первомайський"), where Russian and
Belarusian write "-ск", "-ский", "-ское" ("Донецк"). Such a name often has none of Ukrainian's own
letters, and a Russian namesake carries its Ukrainian spelling in the gazetteer (Donetsk in Rostov
Oblast; Novomoskovsk near Tula). "-ська" is left out: Russian nicknames end so ("Васька")."""


def sign_country(mentions: Sequence[Mention]) -> str | None:
    """The country a sign's alphabet, or the language of a town sign's twinning line, gives
    away, or None when they could be several.

    Ukrainian alone has ї є ґ, and the endings ``UKRAINIAN_ENDINGS``; Belarusian alone ў; і with
    ы/э/ё is Belarusian, і without them taken as Ukrainian (far more signs); ъ, or и with ы/э/ё, is
    Russian. "EPPING / Twinned with Eppingen, Germany" is the sign of Epping in England, not of its
    namesakes in Australia.
    """
    text = " ".join(r.lower() for m in mentions if m.kind == "ocr" for r in m.readings)
    letters = set(text)
    ru_by = bool(letters & set("ыэё"))
    if "ў" in letters:
        return "BY"
    if "і" in letters and ru_by:
        return "BY"
    if letters & set("іїєґ") or any(w.endswith(UKRAINIAN_ENDINGS) for w in re.findall(r"\w+", text)):
        return "UA"
    if "ъ" in letters or ("и" in letters and ru_by):
        return "RU"
    return next((TWINNING_COUNTRY[m.twinned] for m in mentions if m.twinned in TWINNING_COUNTRY), None)


def resolve_context(context: ContextFacts | None, gazetteer: Gazetteer) -> list[Place]:
    """Places a caption names: exact matches only, so ordinary capitalised words are not places.

    A capitalised everyday word ("Thursday", "Photo", "Фото") names a place only when the place
    is a country, a region or a town of ``CAPTION_WORD_POPULATION``: prose starts sentences and
    names days with such words far more often than it names Thursday Island (2,600 people).

    Each name is weighed beside the places written before it, and beside the regions written
    after it: "Золочів Харківської області" is the Zolochiv of Kharkiv Oblast, not the larger one
    near Lviv that the name alone means. A first reading finds the regions; a second weighs each
    name beside them. Towns written after a name do not weigh on it: "speaking in Krasnoturinsk,
    said the strike hit Pokrov" names the Ukrainian Pokrov, not the Russian one.
    """
    if context is None:
        return []
    context = settle_context(context, gazetteer)
    found = _caption_places(context, gazetteer, {})
    regions = {k: p for k, p in found.items() if p.kind == "admin1"}
    cities = _cities_after_names(context, found)
    if regions or cities:
        found = _caption_places(context, gazetteer, regions, cities)
    named = [p for k, p in found.items() if not context.mentions[k].adjective and _has_districts(p, context, k)]
    return [
        p
        for k, p in found.items()
        # a front is named after the town it lies about, never after another city's district: "Бойцы
        # из Якутии на Купянском направлении" is the front about Kupiansk, whatever else is named
        if not context.mentions[k].adjective or context.mentions[k].distance_km == FRONT_KM or _where_named(p, named)
    ]


def _has_districts(p: Place, context: ContextFacts, k: int) -> bool:
    """Whether the place of the caption's ``k``-th mention may be the city whose district a town's
    adjective names (``_where_named``): a region or a country, a town of ``DESTINATION_POPULATION``
    or more, or a place the caption puts something at. A village a word merely spells, named by no
    location word ("Разведчики в Херсонском районе": Razvedchik, a hamlet in Russia), is no city
    with districts, and leaves the district about Kherson as it is."""
    placed = k < len(context.placed) and context.placed[k]
    return p.kind != "city" or p.population >= DESTINATION_POPULATION or placed


MAX_SETTLED = 10
"""Most mentions of a text whose leading words are tried (``settle_context``), the names tied to
the photo first: a caption names a few places. Each try is a few dozen lookups (the Ukrainian
spellings of every form, about 50 ms), and a stranger's text of a thousand such phrases would
otherwise take three times as long."""


def settle_context(context: ContextFacts, gazetteer: Gazetteer) -> ContextFacts:
    """The caption's facts with each mention that names no place, while its leading words do
    (``Mention.fallback``: "В Белгороде Гладков объявил"), read as those and their dictionary
    forms: then every later step finds the place by the mention's readings."""
    if not any(m.fallback for m in context.mentions):
        return context

    def names_a_place(m: Mention) -> bool:
        return bool(_caption_hits(m, [], gazetteer) or _ukrainian_village(m, [], gazetteer, []))

    def names_a_town(m: Mention) -> bool:
        hits = _caption_hits(m, [], gazetteer)
        return any(p.kind != "city" or p.population >= SMALL_PLACE_POPULATION for p in hits)

    tried = 0
    mentions: list[Mention] = []
    for m in context.mentions:  # the names tied to the photo first
        if m.fallback and tried < MAX_SETTLED:
            tried += 1
            # Leading words of a headline in capitals are read as a name is written ("НОВА КАХОВКА":
            # "Нова Каховка"), so that their everyday words ("нова", new) are judged as a name's.
            heads = [
                " ".join(w.capitalize() for w in words.split()) if words.isupper() else words for words in m.fallback
            ]
            readings = tuple(dict.fromkeys(x for words in heads for x in (words, *dictionary_forms(words))))
            shorter = replace(m, readings=readings)
            if not names_a_place(m) and (names_a_town if m.institution else names_a_place)(shorter):
                m = shorter
        mentions.append(replace(m, fallback=()))
    return replace(context, mentions=tuple(mentions))


def _where_named(town: Place, named: Sequence[Place]) -> bool:
    """Whether a town read from a caption's adjective ("Калининском районе") lies where the
    caption's other places are: in the region of a town or region it names, or in a country it
    names; or the caption names nothing else.

    A district named after a town ("Суджанський район") lies about it; a city's districts are
    named after people, dates and other towns ("в Донецке в Калининском районе", "Харьковский
    район Санкт-Петербурга"), and the caption names the city. The town of such an adjective
    (Kalininsk, Kharkiv) then lies in another region than the city, and is not the photo's place."""
    if not named:
        return True
    return any(
        q.country_code == town.country_code and (q.kind == "country" or q.admin1_code == town.admin1_code)
        for q in named
    )


def _caption_places(
    context: ContextFacts,
    gazetteer: Gazetteer,
    regions: dict[int, Place],
    cities: Sequence[tuple[str, Place]] = (),
) -> dict[int, Place]:
    """The place each mention of a caption names, keyed by the mention's position, one mention
    per place; each weighed beside the places found before it, ``regions`` found after it and a
    city of ``cities`` (``_cities_after_names``) written right after it."""
    found: dict[int, Place] = {}
    before_regions = _before_regions(context, regions)
    for i, m in enumerate(context.mentions):
        city = _city_after(m, cities)
        beside = [*found.values(), *(p for k, p in regions.items() if k > i), *([city] if city else [])]
        beside = beside[:MAX_PRIOR_PLACES]
        hits = _caption_hits(m, beside, gazetteer) or _twin_towns(m, beside, gazetteer)
        if city and hits and all(p.kind == "city" for p in hits) and not _near_or_home(hits, city):
            # "в Аркадії, Одеса": a part of the city the gazetteer does not hold, not Arcadia,
            # California; the city written after it stands for it.
            continue
        qualifiers = _qualifiers(m, before_regions)
        if qualifiers and hits and hits[0].kind == "city":
            # "Спорного Донецкой области", "Bakhmut, Donetsk region": the town of that name there,
            # or none the gazetteer knows; not a namesake across the country or in another one.
            hits = [p for p in hits if lies_in_any(p, qualifiers)]
        if not hits:
            hits = _ukrainian_village(m, beside, gazetteer, qualifiers)
        named = {p.geonameid for p in found.values()}
        capitals = [(_capital(p, gazetteer) if p.kind == "country" else None) or p for p in hits] if m.capital else []
        if capitals and capitals[0].geonameid not in named:
            # "the Ukrainian capital": Kyiv; "Moscow, the Russian capital": Moscow is named and
            # the country stays, which its namesakes abroad are weighed by
            hits = capitals
        ranked = (
            _largest_city(hits[0], m.largest, gazetteer) if m.largest and hits and hits[0].kind == "country" else None
        )
        if ranked is not None and ranked.geonameid not in named:
            # "Ukraine's second-largest city": Kharkiv; "Kharkiv, Ukraine's second-largest city":
            # Kharkiv is named, and the country stays
            hits = [ranked]
        if hits and hits[0].geonameid not in named:
            found[i] = hits[0]
    return found


def _ukrainian_village(
    m: Mention, beside: Sequence[Place], gazetteer: Gazetteer, qualifiers: Sequence[Place]
) -> list[Place]:
    """The Ukrainian places a Russian name names by its Ukrainian spelling, when it names no place
    as written ("в районе Работино": Роботине), in the region written with it if one is.

    Russian-language news names Ukraine's villages in Russian; GeoNames holds most villages by
    their Ukrainian name only (``ukrainian_spellings``). Tried only when the Russian name names
    nothing, so a village of that name in Russia, or a town GeoNames also files by its Russian
    name, keeps its namesakes as they are."""
    if _everyday(m):  # "Доброе утро": good morning, not Dobre
        return []
    for reading in m.readings:
        found = ukrainian_namesakes(reading, gazetteer, Priors(places=beside))
        found = [p for p in found if lies_in_any(p, qualifiers)] if qualifiers else found
        if found:
            return found
    return []


def ukrainian_namesakes(name: str, gazetteer: Gazetteer, priors: Priors | None = None) -> list[Place]:
    """Ukraine's towns and villages the Russian name ``name`` stands for by its Ukrainian spelling
    (``ukrainian_spellings``): the exact matches of the first spelling that names any."""
    for spelling in ukrainian_spellings(name):
        found = [
            p
            for p in gazetteer.search(spelling, priors=priors, limit=NAMESAKE_LIMIT, fuzzy=False)
            if p.match >= EXACT_MATCH and p.kind == "city" and p.country_code == "UA"
        ]
        if found:
            return found
    return []


_QUALIFIER_GAP = r"\s*(?:,|\(|\b(?:in|in the|у|в|на)\b)?\s*"
"""What may stand between a town and the region that says which one it is: "Спорного Донецкой
области", "Bakhmut, Donetsk region", "Bakhmut (Donetsk Oblast)", "Bakhmut in the Donetsk region",
"у Бахмуті на Донеччині"."""
QUALIFIER_CHARS = 80
"""How much text before a region's name is searched for the town it qualifies: a town's name and
the words between, with room to spare."""
QUALIFIED_TIMES = 20
"""Most places one region's name is looked before: a caption writes a region a few times; a text
that writes it thousands of times would make every name's check as long."""


def _written_at(context: ContextFacts, places: dict[int, Place]) -> Iterator[tuple[re.Match[str], Place]]:
    """Where in the caption each of ``places`` (keyed by its mention's position) is written as
    that mention reads, up to ``QUALIFIED_TIMES`` times a place, with the place."""
    for k, place in places.items():
        written = re.escape(context.mentions[k].readings[0])
        for hit in itertools.islice(re.finditer(rf"(?<!\w){written}(?!\w)", context.text), QUALIFIED_TIMES):
            yield hit, place


def _text_before(context: ContextFacts, hit: re.Match[str]) -> str:
    """The ``QUALIFIER_CHARS`` of the caption right before where ``hit`` begins."""
    return context.text[max(0, hit.start() - QUALIFIER_CHARS) : hit.start()]


WHENCE_PREPOSITIONS = frozenset({"from", "з", "із", "зі", "від", "из", "от", "с", "со"})
"""Prepositions of where people and things come from ("refugees from Ukraine", "біженці з
України", "беженцы из Украины")."""


def named_only_whence(context: ContextFacts, place: Place) -> bool:
    """Whether the caption writes ``place`` only right after a preposition of origin
    (``WHENCE_PREPOSITIONS``): where people or things came from, not where the photo is
    ("The morning train from Kyiv arrived in Przemyśl ... the busiest rail entry point from Ukraine")."""
    k = next((k for k, m in enumerate(context.mentions) if place.matched in m.readings), None)
    if k is None:
        return False
    before = [_text_before(context, hit).split()[-1:] for hit, _ in _written_at(context, {k: place})]
    return bool(before) and all(b and b[0].lower() in WHENCE_PREPOSITIONS for b in before)


def _before_regions(context: ContextFacts, regions: dict[int, Place]) -> list[tuple[str, Place]]:
    """The text right before each place a region is written, with the region: found once per
    caption, so that each of its names is then matched against a few short strings."""
    return [(_text_before(context, hit), region) for hit, region in _written_at(context, regions)]


def _qualifiers(town: Mention, before_regions: Sequence[tuple[str, Place]]) -> list[Place]:
    """The regions the caption writes right after ``town``, saying which town it is."""
    if not before_regions:  # the caption names no region: no pattern to build
        return []
    right_before = re.compile(rf"(?<!\w){re.escape(town.readings[0])}{_QUALIFIER_GAP}$", re.IGNORECASE)
    return [region for before, region in before_regions if right_before.search(before)]


CITY_GAP = r"\s*(?:,|\()\s*"
"""What stands between a part of a city and the city in an address: "в Аркадії, Одеса", "Arcadia
(Odesa)". Not "in" or "у": "a soldier from Arcadia in Odesa" is no address."""
ADDRESS_NOUNS = ("beach", "market", "embankment", "station", "bay", "quarter", "neighbourhood", "neighborhood")
"""English nouns a part of a city's name comes before in an address ("Arcadia beach, Odesa",
"Privoz market, Odesa"); Ukrainian and Russian write them before the name ("пляж Аркадія, Одеса")."""
CITY_PART_KM = 30.0
"""Farthest a place a caption writes a city's name right after lies from that city's point and is
still the city's part: the edge of a city of a few million (Kyiv's districts lie within 20 km)."""
_LIST_BEFORE_RE = re.compile(r"\w\s*,\s*$")
"""A word and a comma right before a name: the name is an item of a list ("Lviv, Arcadia, Odesa")."""
_LIST_AFTER_RE = re.compile(r"\s*(?:,|\s(?:and|or|та|і|й|або|чи|и|или))\s+(?=[^\W\d_])")
"""A comma or a conjunction, then a word, right after a name: when the word is capitalised, the
list goes on ("Warsaw, Kyiv and Berlin"), unless it names the region or country the city lies in
("Arcadia, Odesa, Ukraine")."""
_NEXT_WORD_RE = re.compile(r"\s*(\w+)")
"""The word right after a name, matched where the name ends (a long text is not copied for it)."""


def _cities_after_names(context: ContextFacts, found: dict[int, Place]) -> list[tuple[str, Place]]:
    """The text right before each city of ``found`` written as an address writes a city after a
    part of it ("в Аркадії, Одеса"), with the city: the city ends the pair, as its last item or
    before the region or country it lies in. Empty when no city is so written, so that most
    captions are read once."""
    wider = [(context.mentions[k].readings[0], p) for k, p in found.items() if p.kind in ("admin1", "country")]
    out = []
    for hit, city in _written_at(context, {k: p for k, p in found.items() if p.kind == "city"}):
        before = _text_before(context, hit)
        if not re.search(rf"\w{CITY_GAP}$", before):
            continue
        goes_on = _LIST_AFTER_RE.match(context.text, hit.end())
        at = goes_on.end() if goes_on else len(context.text)
        if context.text[at : at + 1].isupper() and not any(
            context.text.startswith(name, at) and lies_in_any(city, [region]) for name, region in wider
        ):
            continue
        said = _NEXT_WORD_RE.match(context.text, hit.end())
        if said and said.group(1).lower().startswith(REPORTING_WORDS):
            continue  # "in the Luhansk region, Moscow claims": who says it, not where
        out.append((before, city))
    return out


def _city_after(town: Mention, cities: Sequence[tuple[str, Place]]) -> Place | None:
    """The city of ``cities`` (``_cities_after_names``) the caption writes right after ``town``
    as an address does, when ``town`` is not an item of a list ("Lviv, Arcadia, Odesa")."""
    nouns = "|".join(ADDRESS_NOUNS)
    right_before = re.compile(rf"(?<!\w){re.escape(town.readings[0])}(?:\s+(?:{nouns}))?{CITY_GAP}$", re.IGNORECASE)
    for before, city in cities:
        hit = right_before.search(before)
        if hit and not _LIST_BEFORE_RE.search(before[: hit.start()]):
            return city
    return None


def _near_or_home(hits: Sequence[Place], city: Place) -> bool:
    """Whether one of a name's towns may be a part of ``city`` or lies in its country: a name
    with none such, written before the city as an address writes a district, is a part the
    gazetteer does not hold. (A region or a country is no part of a city.)"""
    return any(
        p.country_code == city.country_code or haversine_km(p.lat, p.lon, city.lat, city.lon) <= CITY_PART_KM
        for p in hits
    )


def written_after(context: ContextFacts, name: str, regions: Sequence[Place]) -> list[Place]:
    """Those of the caption's ``regions`` it writes right after the town it names ``name``, saying
    which town it is ("Alexandria, Kirovohrad region"; ``_qualifiers``)."""
    said = next((m for m in context.mentions if name in m.readings), None)
    indexed = {
        k: r
        for k, m in enumerate(context.mentions)
        for r in regions
        if normalise(r.matched) in {normalise(x) for x in m.readings}
    }
    return _qualifiers(said, _before_regions(context, indexed)) if said and indexed else []


def _capital(country: Place, gazetteer: Gazetteer) -> Place | None:
    """The capital of ``country``, matched by the name the caption gave the country, so the
    sentence that names it is still found ("in the Ukrainian capital": Kyiv)."""
    name = capital_names().get(country.country_code)
    found = gazetteer.search(name, priors=Priors(country=country.country_code), fuzzy=False) if name else []
    city = next((p for p in found if p.kind == "city" and p.country_code == country.country_code), None)
    return replace(city, matched=country.matched) if city else None


def _largest_city(country: Place, rank: int, gazetteer: Gazetteer) -> Place | None:
    """The ``rank``-th most populous city of ``country`` (1: the largest), matched by the name the
    caption gave the country, as ``_capital`` is. GeoNames lists some cities' boroughs as places of
    their own (Brooklyn, Queens; West Jerusalem): a place within a larger one of the same region
    (``_part_of_any``) is its part, not a city after it."""
    cities: list[Place] = []
    for p in gazetteer.largest(country.country_code, rank + LARGEST_PARTS):
        if not _part_of_any(p, cities):
            cities.append(p)
    return replace(cities[rank - 1], matched=country.matched) if len(cities) >= rank else None


def _part_of_any(p: Place, cities: Iterable[Place], ratio: float = 1.0) -> bool:
    """Whether ``p`` lies within the built-up area (``place_radius_km``) of one of ``cities`` in its
    own region that is at least ``ratio`` times as populous: a part of that city, not a town after
    or beside it (Suquamish, 20 km across the sound from Seattle, is a town of its own)."""
    return any(
        c.geonameid != p.geonameid
        and c.admin1_code == p.admin1_code
        and c.population >= ratio * p.population
        and haversine_km(p.lat, p.lon, c.lat, c.lon) <= place_radius_km(c)
        for c in cities
    )


PART_CITIES = 100
"""The most populous places of a country looked at as cities that have parts: down to about
200,000 people in Russia and 80,000 in Ukraine, the cities GeoNames files districts of."""
PART_RATIO = 10.0
"""How many times as populous a city must be for a place within its reach to be its part rather
than a town beside it: Moscow's Nagornyy (76,000 people, 11 km from the Kremlin) is a part, a
town of 50,000 beside one of 60,000 is not."""


def _city_parts(places: Iterable[Place], gazetteer: Gazetteer) -> frozenset[int]:
    """The ids of those of ``places`` of a town's size (``DESTINATION_POPULATION``) that are parts
    of a larger city (``_part_of_any`` at ``PART_RATIO``, among their country's ``PART_CITIES``
    largest places, which the gazetteer keeps once asked). GeoNames files a large city's districts
    as places of their own, of a town's population: a sign names one only on the city's own roads.
    A village at a city's edge is signed as villages are (``HAMLET_POPULATION``), and outweighs no
    town of its name."""
    return frozenset(
        p.geonameid
        for p in places
        if p.kind == "city"
        and p.country_code
        and p.population >= DESTINATION_POPULATION
        and _part_of_any(p, gazetteer.largest(p.country_code, PART_CITIES), PART_RATIO)
    )


LARGEST_PARTS = 5
"""Places beyond the rank asked for that are looked at in case some larger city's parts are listed
among its country's largest places (New York's four boroughs besides Brooklyn)."""


TWIN_TOWNS_KM = 25.0
"""Farthest apart two towns a hyphen joins are one spot: a border crossing named after the towns
on either side ("Brest-Terespol" 6 km, "Medyka-Shehyni" 2 km, "Rava-Ruska-Hrebenne" 10 km); towns
farther apart name a road or a match ("траса Київ-Чоп", "Шахтар-Динамо"), no spot."""


def _twin_towns(m: Mention, beside: Sequence[Place], gazetteer: Gazetteer) -> list[Place]:
    """The place of a hyphenated pair of names that names nothing whole ("Брест-Тересполь",
    "Medyka-Shehyni"): the first written that a caption's name may be (``_caption_hits``) and that
    a place of the other name lies within ``TWIN_TOWNS_KM`` of, matched by the whole pair, which
    names that one spot. The other name need only spell a place exactly: lying beside the first,
    it is no coincidence of letters ("Тересполь", a Polish town of 6,000)."""
    for word in m.readings[0].split():
        parts = word.split("-")
        if len(parts) != 2 or not all(part[:1].isupper() and part[1:].islower() for part in parts):
            continue
        forms = [(part, *dictionary_forms(part)) for part in parts]
        hits = [_caption_hits(replace(m, readings=readings), beside, gazetteer) for readings in forms]
        spelled = [
            [
                q
                for form in readings
                for q in gazetteer.search(form, limit=NAMESAKE_LIMIT, fuzzy=False)
                if q.match >= EXACT_MATCH
            ]
            for readings in forms
        ]
        for one, other in ((0, 1), (1, 0)):
            for p in hits[one]:
                if any(haversine_km(p.lat, p.lon, q.lat, q.lon) <= TWIN_TOWNS_KM for q in spelled[other]):
                    return [replace(p, matched=word)]
    return []


def _caption_hits(m: Mention, beside: Sequence[Place], gazetteer: Gazetteer) -> list[Place]:
    """The places a caption's mention may name, the likeliest first, weighed beside the places
    ``beside`` it (``resolve_context``)."""
    hits: list[Place] = []
    hit_words = 0  # words of the reading the hits are of
    regions_named = [p for p in beside if p.kind == "admin1"]
    # With a region named, every namesake is looked at for the one in it ("Novooleksandrivka in
    # the Donetsk region": 26 places, the two there not among the first three); else the first few.
    limit = NAMESAKE_LIMIT if regions_named else CAPTION_OPTIONS
    everyday = _everyday(m)
    slavic = slavic_town_forms(m.readings[0]) if m.adjective else frozenset()
    for reading in m.readings:  # as written, then its dictionary forms ("Черніговом", "Чернігів")
        if hits and len(reading.split()) < hit_words:
            # A phrase without its sentence's first word ("Угледара") only if the whole names
            # nothing; each form of the shorter phrase is weighed ("Дзержинский", "Дзержинск").
            break
        # A shorter reading of a phrase written as a name is judged alone ("Яр" of "Часів Яр").
        shorter = len(reading.split()) < len(m.readings[0].split())
        everyday_here = everyday or (shorter and not _title_cased(reading) and is_everyday_text(reading))
        found_here = [
            p
            for p in gazetteer.search(reading, priors=Priors(places=beside), limit=limit, fuzzy=False)
            if p.match >= (BARE_REGION if _bare_region_name(p, reading, everyday_here) else EXACT_MATCH)
        ]
        found_here = [
            p
            for p in found_here
            if not _romanised_abroad(p, reading)
            and not romanised_alias(p, reading, gazetteer)
            and (reading not in slavic or p.country_code in CYRILLIC_COUNTRIES)
            and not (m.article and p.kind == "city" and not p.name.lower().startswith(ARTICLE))
        ]
        if found_here and everyday_here and not any(_worth_a_word(p, reading) for p in found_here):
            # An everyday word names a place only when one large enough to be talked about bears
            # it; then it is a name, and its smaller namesakes stay: "the town of New York in
            # Donetsk region" is Niu-York, there, whatever New York City makes of the phrase.
            found_here = []
        if found_here:
            # Of places the name matches alike, one it is the own name of comes first: "Sloviansk"
            # is how Ukraine romanises Slovyansk's name, and a name Nikopol once had.
            alike = [p for p in found_here if p.match == found_here[0].match]
            own = max(alike, key=lambda p: match_rank(p, gazetteer))
            found_here = [own, *(p for p in found_here if p is not own)]
            # A place in a region the caption names comes first ("в Первомайском, Харьковская
            # область": Pervomaiskyi there, not the larger Pervomaisk the name alone means).
            found_here.sort(key=lambda p: not lies_in_any(p, regions_named))
        if found_here and found_here[0].kind == "admin1" and not has_region_word(reading):
            # "у Мінську" names the city; the region of the same name needs "область". A name
            # regions go by ("на Харківщині", "Кубань", "Крым") names the region, not a
            # village so called or a town abroad.
            country = found_here[0].country_code
            city = next(
                (
                    p
                    for p in found_here
                    if p.kind == "city" and p.country_code == country and p.population >= CAPTION_WORD_POPULATION
                ),
                None,
            )
            found_here = [city, *(p for p in found_here if p is not city)] if city else found_here
        # The reading that names a place best, by the gazetteer's score (match and size):
        # "России" is Rossi only once romanised, "Россия" is Russia; "Борисовом" is Barysaw
        # ("Борисов", 134,000 people), not a hamlet its guessed form "Борисово" names exactly.
        # A place an earlier reading put second stays second: "Вашингтон" names the city before
        # the state, whatever the spelling "Вашинґтон" names.
        if found_here and (
            not hits
            or (
                (lies_in_any(found_here[0], regions_named), found_here[0].score)
                > (lies_in_any(hits[0], regions_named), hits[0].score)
                and found_here[0].geonameid not in {h.geonameid for h in hits[1:]}
            )
        ):
            hits, hit_words = found_here, len(reading.split())
    return hits


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def _everyday(m: Mention) -> bool:
    """Whether a caption's mention is vocabulary, as written or in its dictionary form ("Колону":
    "колона", a column), or an acronym: then it names a place only when a large one bears it.
    A phrase written as a name ("Часів Яр", ``_title_cased``) is judged by its own readings, not
    by the shorter ones read when it names nothing ("Яр", a ravine), which are judged alone. A
    town's adjective is judged as written ("Центральном районе"), not by the names it may be made
    from, some of them words ("Купянском": "Купа", a heap, beside Купянск)."""
    whole = m.readings[0]
    if m.adjective:
        readings = [whole]
    elif _title_cased(whole):
        readings = [x for x in m.readings if len(x.split()) == len(whole.split())]
    else:
        readings = list(m.readings)
    return any(is_everyday_text(reading) for reading in readings if not _title_cased(reading)) or _acronym(whole)


ROMANISED_NAME_LETTERS = 4
"""Fewest letters a town abroad's name needs to be matched by a Cyrillic word romanised: "ППО"
(air defence) is Bozhou's alternate name "Po" once romanised."""


def _romanised_abroad(p: Place, reading: str) -> bool:
    """Whether a caption's Cyrillic word names ``p``, a place where Cyrillic is not written, only
    by a coincidence of letters, not as prose names such a place.

    Ukrainian and Russian prose write places abroad by their Cyrillic names. The gazetteer holds
    those of countries and regions, and of large towns in one of the two languages at least
    ("Кишинёв" but not the Ukrainian "Кишинів": a romanised match finds Chișinău). A small town
    abroad matched through letters alone is a word or an acronym that spells like a place ("БЭК",
    an uncrewed boat: Beek; "Донати", donations: Donat; "Сирень", lilac: Syria as German writes
    it), and so is a hamlet whose Cyrillic name the gazetteer holds as a mere transcription
    ("КАБ", a glide bomb: Cobb, 1,800 people). Places in Cyrillic countries still match so: the
    gazetteer lacks the Cyrillic names of many of their villages.

    The other way round, a Latin word that names a place where Cyrillic is not written only by its
    Cyrillic name, spelled out, is a coincidence of sounds too: "Rally", spelled "Рали", is
    Raleigh's Russian name; English prose names Raleigh as Raleigh."""
    matched = p.matched or p.name
    if script_of(reading) == SCRIPT_LATIN and p.country_code not in CYRILLIC_COUNTRIES:
        return script_of(matched) == SCRIPT_CYRILLIC
    if script_of(reading) != SCRIPT_CYRILLIC or p.country_code in CYRILLIC_COUNTRIES:
        return False
    if p.kind == "city" and p.population < DESTINATION_POPULATION:
        return True
    if script_of(matched) == SCRIPT_CYRILLIC:
        return False
    return p.kind != "city" or p.population < IMPORTANT_POPULATION or len(matched) < ROMANISED_NAME_LETTERS


def _bare_region_name(p: Place, reading: str, everyday: bool) -> bool:
    """Whether a caption's reading may name the region ``p`` by its bare name ("Crimea", "Волинь",
    "Кубань"): without "oblast" it is the region's usual name wherever no town bears it (a town
    that does comes first, ``_caption_places``). Not an everyday word ("Central"), unless a
    Cyrillic one for a region where Cyrillic is written: wordfreq counts "Крим" as a word."""
    if p.kind != "admin1":
        return False
    return not everyday or (script_of(reading) == SCRIPT_CYRILLIC and p.country_code in CYRILLIC_COUNTRIES)


def _title_cased(phrase: str) -> bool:
    """A Cyrillic phrase whose words after the first are capitalised, not in capitals ("Часов Яр",
    "Район Часов Яра"): Ukrainian and Russian prose capitalise a word within a sentence only in a
    name, so such a phrase is one however everyday its words ("часов", hours)."""
    words = phrase.split()
    return (
        len(words) >= 2
        and script_of(phrase) == SCRIPT_CYRILLIC
        and all(w[:1].isupper() and not w.isupper() for w in words[1:])
    )


ACRONYM_LETTERS = 4
"""A caption's word of at most this many capitals and nothing else ("APC", "IDF", "ЗСУ") may be an
acronym, and names a place only as an everyday word does (``_worth_a_word``): "UK", "USA" and a
dateline's "KYIV" or "LVIV" still do; Apc, a Hungarian village, is not what "an APC" means."""


def _acronym(text: str) -> bool:
    return len(text) <= ACRONYM_LETTERS and text.isalpha() and text.isupper()


def _worth_a_word(p: Place, reading: str) -> bool:
    """Whether a caption's everyday word is more likely ``p`` than the word (``CAPTION_WORD_POPULATION``).

    A Cyrillic word names a place abroad only by the place's Cyrillic name: "Колонна" (a column)
    romanised is "Kolona", another name of Colón in Panama, a coincidence of letters, not a name;
    and only a large one ("Париж", "Кёльн"), as Ukrainian and Russian prose writes about towns
    abroad: one under ``IMPORTANT_POPULATION`` is far likelier the word ("Колону": "Колон", Colón),
    as is a word that is only another name of a town under that size ("Cars", Kars). A region's
    name is the word only as the region spells it: "More" is Møre og Romsdal's "Møre" only with
    its letter folded, and "More photos in the comments" says nothing of Norway; "Волинь" is
    Volyn Oblast, matched romanised.
    """
    if p.kind == "country":
        return True
    if p.kind == "admin1":  # romanised, its letters are the romanisation's
        matched = p.matched or p.name
        return script_of(matched) != script_of(reading) or matched.casefold() == reading.casefold()
    if script_of(reading) != SCRIPT_CYRILLIC or p.country_code in CYRILLIC_COUNTRIES:
        # By another of its names, only a large town: "Cars" is Kars' old name (91,000 people),
        # as "Kiev" is Kyiv's.
        other_name = p.match < OWN_NAME_MATCH
        return p.population >= (IMPORTANT_POPULATION if other_name else CAPTION_WORD_POPULATION)
    return script_of(p.matched or p.name) == SCRIPT_CYRILLIC and p.population >= IMPORTANT_POPULATION


def border_places(context: ContextFacts | None, gazetteer: Gazetteer) -> list[Place]:
    """What each "border with X" of a caption names: a country, or a region ("Bryansk region").

    Each name is looked up as written and in its dictionary forms ("з Білоруссю": Білорусь); the
    form that names a place best wins, the form as written on a tie.
    """
    found: list[Place] = []
    for name in context.border_with if context else ():
        hits = [
            p
            for reading in (name, *dictionary_forms(name))
            for p in gazetteer.search(reading, limit=1, fuzzy=False)
            if p.match >= EXACT_MATCH and p.kind in ("country", "admin1")
        ]
        if hits:
            best = max(hits, key=lambda p: p.match)
            if best.geonameid not in {q.geonameid for q in found}:
                found.append(best)
    return found


def resolve_mentions(mentions: Sequence[Mention], gazetteer: Gazetteer, priors: Priors) -> list[Resolved]:
    """Look every reading up; keep each place once with its best match; merge sign lines.

    A Cyrillic line and the Latin line under it on one sign resolve to the same place: they become
    one mention, and the distance read on either belongs to it, also when one line is misread
    beyond naming anything (``_take_twin_distance``). A stray digit is no distance.
    """
    stray = _stray_digits(mentions)
    with_distance: dict[int | None, int] = {}  # rows with a distance, per sign panel
    for m in mentions:
        if m.kind == "ocr" and m.distance_km and id(m) not in stray:
            with_distance[m.region] = with_distance.get(m.region, 0) + 1
    legible = [m for m in mentions if m.kind != "ocr" or _legible(m)]
    seats = _district_seats(legible, gazetteer)
    found_by: dict[int, dict[str, list[Place]]] = {}
    for m in legible:
        listed = bool(m.distance_km) and id(m) not in stray and with_distance.get(m.region, 0) >= 2
        # A row of a panel that names its district is looked up as a place beside the district's seat.
        seat = seats.get(m.region) if m.kind == "ocr" else None
        near = replace(priors, places=(seat, *priors.places)) if seat else priors
        found_by[id(m)] = {reading: _reading_hits(m, reading, gazetteer, near, listed) for reading in m.readings}
        found_by[id(m)].update(_lookalike_hits(m, found_by[id(m)], gazetteer, near, listed))
        if seat:
            found_by[id(m)] = {reading: _in_district(hits, seat) for reading, hits in found_by[id(m)].items()}
    found_by.update(_among_named_rows(legible, found_by, gazetteer, priors))
    roads_of = _panel_roads(legible)
    for row, roads in roads_of.items():
        found_by[row] = _road_cities(found_by[row], roads, gazetteer)
    resolved: list[Resolved] = []
    named_rows: set[int] = set()  # rows that name a place, by ``id`` of the mention
    for m in legible:
        row, found = id(m), found_by[id(m)]
        number_left_out: tuple[tuple[str, str], ...] = ()
        if id(m) in stray:
            number_left_out = ((f"{m.distance_km:g}", stray[id(m)]),)
            m = replace(m, distance_km=None)
        left_out = _cross_pass_misreadings(m, found) + _word_misreadings(m, found, gazetteer, priors) + number_left_out
        misread = {reading for reading, _why in left_out}
        best: dict[int, Place] = {}
        useful: list[str] = []  # readings that name a place; the others are misreadings
        for reading, hits in found.items():
            if reading in misread:
                continue
            for p in hits:
                if reading not in useful:
                    useful.append(reading)
                if p.geonameid not in best or p.match > best[p.geonameid].match:
                    best[p.geonameid] = p
        if m.place_kind == "country" or m.place_kind == "admin1":
            # A metadata country or state field names that, not a town that shares its name.
            best = {k: p for k, p in best.items() if p.kind == m.place_kind}
        elif m.kind != "context" and any(p.kind == "city" for p in best.values()):
            # Signs and written locations name settlements; "Chernihiv" there is the city.
            best = {k: p for k, p in best.items() if p.kind == "city"}
        if best:
            # By how well the reading names each (a romanisation of a place's own Cyrillic name as
            # its own name), then the gazetteer's score (size, priors), across the line's readings
            # too: "IDe" (Ide, 7,700 people) read by one pass does not come before "LILLE".
            ranks = {p.geonameid: match_rank(p, gazetteer) for p in best.values()}
            # A city whose Russian name ranks as its own ranks by size as though named by its own:
            # "ODESSA" is Odesa's (1,000,000 people) before Odessa, Texas' (114,000). Only there:
            # an own name already scores so, and a misreading of a Russian name is no own name.
            raised = {p.geonameid for p in best.values() if p.match < ranks[p.geonameid]}
            scores = {
                p.geonameid: score_at(p, 1.0)
                if p.geonameid in raised and _russian_name_of_city(p.matched or p.name, p, gazetteer)
                else p.score
                for p in best.values()
            }
            ordered = sorted(best.values(), key=lambda p: (-ranks[p.geonameid], -scores[p.geonameid]))
            namesakes = tuple(p for p in ordered if p.match >= EXACT_MATCH)[:NAMESAKE_LIMIT]
            namesakes += _disputed_readings(found, misread, best, namesakes)
            road_km = 0.0
            if row in roads_of and m.distance_km:
                # "МКАД 12": the ring road is 12 km ahead, not a ring of 12 km about the city's centre.
                road_km, m = m.distance_km, replace(m, distance_km=None)
            aliases = frozenset(
                p.geonameid
                for p in namesakes
                if p.match == ALTERNATE and p.population >= IMPORTANT_POPULATION and ranks[p.geonameid] < 1.0
            )
            r = Resolved(
                replace(m, readings=tuple(useful)),
                ordered[:TOP_PER_MENTION],
                left_out,
                namesakes,
                roads=roads_of.get(row, ()),
                road_km=road_km,
                aliases=aliases,
            )
            if m.kind == "ocr":
                exact = sum(any(p.match >= EXACT_MATCH for p in found[x]) for x in useful)
                r.rivals = _misread_rivals(r, best.values(), exact)
            resolved.append(r)
            named_rows.add(row)
    unnamed = [m for m in legible if m.kind == "ocr" and id(m) not in named_rows and id(m) not in stray]
    merged: list[Resolved] = []
    for r in resolved:
        found = _twin_line(r, merged)
        if found is None:
            merged.append(r)
            continue
        twin, alike = found
        tm, rm = twin.mention, r.mention
        if _scripts(twin).isdisjoint(_scripts(r)) and twin.options[0].match >= EXACT_MATCH <= r.options[0].match:
            twin.both_alphabets = True
        # The distance comes with the unit written beside it on its own line.
        line_with_distance = tm if tm.distance_km is not None else rm
        if None not in (tm.distance_km, rm.distance_km) and r.options[0].match > twin.options[0].match:
            # Two rows disagree on the place's distance: the row that names it better has it.
            line_with_distance = rm
        if twin.options[0].match < EXACT_MATCH <= r.options[0].match or (
            not alike and r.options[0].match > twin.options[0].match
        ):
            # "НОВОМНКОЛАЇВКА" names its places only within OCR tolerance, "NOVOMYKOLAIVKA"
            # exactly; "ІВа НКі" spells the village Іванки, "Ivankiv" under it names Іванків.
            twin.options = r.options
        known = {q.geonameid for q in twin.namesakes}
        twin.namesakes = (twin.namesakes + tuple(q for q in r.namesakes if q.geonameid not in known))[:NAMESAKE_LIMIT]
        # Both lines name the place: a rival must be a misreading of each.
        theirs = {q.geonameid: odds for q, odds in r.rivals}
        both = [(q, odds * theirs[q.geonameid]) for q, odds in twin.rivals if q.geonameid in theirs]
        twin.rivals = _worth_naming(twin.namesakes, both)
        twin.mention = _with_other_line(
            tm,
            rm,
            readings=tm.readings + tuple(x for x in rm.readings if x not in tm.readings),
            distance_km=line_with_distance.distance_km,
            distance_unit=line_with_distance.distance_unit,
            confidence=max(tm.confidence or 0, rm.confidence or 0),
        )
        if any(script_of(x) == SCRIPT_CYRILLIC for x in twin.mention.readings):
            # A sign that writes the name in Cyrillic stands where Cyrillic is written, as its
            # Cyrillic line alone says: the Latin line's namesakes elsewhere ("Одеса / Odesa":
            # Odessa, Texas) are not its place.
            twin.namesakes = tuple(q for q in twin.namesakes if q.country_code in CYRILLIC_COUNTRIES) or twin.namesakes
            twin.options = [q for q in twin.options if q.country_code in CYRILLIC_COUNTRIES] or twin.options
            twin.rivals = tuple(qo for qo in twin.rivals if qo[0].country_code in CYRILLIC_COUNTRIES)
    for r in merged:
        _take_twin_distance(r, unnamed)
        if r.mention.kind == "ocr":
            r.parts = _city_parts((*r.options, *r.namesakes), gazetteer)
    return merged


def _twin_line(r: Resolved, merged: Sequence[Resolved]) -> tuple[Resolved, bool] | None:
    """The row kept so far that ``r`` is another line of, and whether the two name one place
    (``_name_alike``) rather than only spell one name in two alphabets, one line right above the
    other (``_stacked_rows``, at ``TWIN_NAME_RATIO``); None when ``r`` is a row of its own."""
    for o in merged:
        if o.mention.region != r.mention.region or not o.mention.kind == r.mention.kind == "ocr":
            continue
        if o.roads or r.roads:  # "МОСКВА / МКАД": the city ahead and its ring road
            continue
        if _name_alike(o, r):
            return o, True
        if (
            _scripts(o).isdisjoint(_scripts(r))
            and _stacked_rows(o.mention, r.mention)
            and spelled_alike(o.mention.readings, r.mention.readings, TWIN_NAME_RATIO)
        ):
            return o, False
    return None


def _take_twin_distance(r: Resolved, unnamed: Sequence[Mention]) -> None:
    """Give a sign row without a distance the distance (and arrow) of its other alphabet's line, misread.

    "Самбір 140 / Sambir": the Cyrillic line read "амбір 140" names no place, the Latin line names
    Sambir; the number is the place's, as when both lines are read (``resolve_mentions``' merge).
    The line must be set right above or below (``STACK_GAP``), share columns, and spell the same
    name up to a letter or two (``spelled_alike``); with two such lines the number stays unused.
    """
    m = r.mention
    if m.kind != "ocr" or m.distance_km is not None or m.box is None:
        return
    twins = [
        u
        for u in unnamed
        if u.distance_km is not None
        and _stacked_rows(m, u)
        and spelled_alike(u.readings, (*m.readings, *(p.name for p in r.options[:1])))
    ]
    if len(twins) == 1:
        u = twins[0]
        r.mention = _with_other_line(m, u, distance_km=u.distance_km, distance_unit=u.distance_unit)


def _name_alike(o: Resolved, r: Resolved) -> bool:
    """Whether two lines of a panel name one place first, or, in two alphabets, name a place as
    well as either names any (``_best_named``): one row's name in each alphabet."""
    return o.options[0].geonameid == r.options[0].geonameid or (
        _scripts(o) != _scripts(r) and bool(_best_named(o) & _best_named(r))
    )


def _stacked_rows(m: Mention, u: Mention) -> bool:
    """Whether two rows of one panel are set right above or below each other and share columns
    (``mentions.stacked``): where a bilingual sign puts one name's line in its other alphabet."""
    return m.region == u.region and m.box is not None and u.box is not None and stacked(m.box, u.box)


def _with_other_line(m: Mention, other: Mention, **changes: Any) -> Mention:
    """One sign row from two of its lines (a name in each alphabet): ``m`` with ``changes``, both
    lines' box, their route numbers, the arrow drawn beside either (beside the first line, which
    may be the one misread) and the signpost mark either has."""
    return replace(
        m,
        box=union_box((m.box, other.box)),
        routes=m.routes + tuple(x for x in other.routes if x not in m.routes),
        arrow=m.arrow if m.arrow is not None else other.arrow,
        signpost=m.signpost or other.signpost,
        **changes,
    )


DISTRICT_KM = 80.0
"""How far from its seat town a district's places lie: German Kreise span up to about 80 km, the
Ukrainian raions of 2020 up to about 150 km, with the seat often off their centre."""


def _district_seats(mentions: Sequence[Mention], gazetteer: Gazetteer) -> dict[int | None, Place]:
    """Per sign panel, the town its district line likeliest names as the district's seat
    ("Neuenkirchen / Landkreis Osnabrück": Osnabrück). Only exact names of towns count: the seat is
    a guess from the district's name, and a near miss would move the sign's place. Of the towns a
    name gives, the gazetteer's first: "Брянский" is Bryansk's other name and a small town's in
    Luhansk oblast, and a district is named after its large town."""
    seats: dict[int | None, Place] = {}
    for m in mentions:
        if m.kind != "ocr" or m.region in seats:
            continue
        for name in (name for reading in m.readings for name in district_seat_names(reading)):
            found = [
                p
                for p in gazetteer.search(name, limit=NAMESAKE_LIMIT, fuzzy=False)
                if p.match >= EXACT_MATCH and p.kind == "city"
            ]
            if found:
                seats[m.region] = found[0]
                break
    return seats


def _in_district(hits: list[Place], seat: Place) -> list[Place]:
    """The places a row names within ``DISTRICT_KM`` of the seat its panel's district line gives,
    largest first, when it names any there; else all of them (the seat was a wrong guess, or the
    row a destination beyond the district)."""
    inside = [p for p in hits if haversine_km(p.lat, p.lon, seat.lat, seat.lon) <= DISTRICT_KM]
    # Within the district, the nearness the search was told of ranks nothing: size does, as
    # among any namesakes (``namesake_weight``).
    return sorted(inside, key=lambda p: -p.population) or hits


def _panel_roads(mentions: Sequence[Mention]) -> dict[int, tuple[CityRoad, ...]]:
    """The city roads each sign row names in any of its readings ("МКАД", "3-е КОЛЬЦО"), by ``id``
    of the mention. The roads on one panel are one city's: "МКАД" is Moscow's and Minsk's ring
    road, but beside "3-е КОЛЬЦО" it is Moscow's."""
    named = {
        id(m): roads
        for m in mentions
        if m.kind == "ocr" and (roads := tuple(dict.fromkeys(x for reading in m.readings for x in city_roads(reading))))
    }
    cities: dict[int | None, set[int]] = {}  # per panel, the cities every road row there may name
    for m in mentions:
        if id(m) in named:
            here = {road.city_id for road in named[id(m)]}
            cities[m.region] = cities[m.region] & here if m.region in cities else here
    for m in mentions:
        if id(m) in named and cities[m.region]:
            named[id(m)] = tuple(road for road in named[id(m)] if road.city_id in cities[m.region])
    return named


def _road_cities(
    found: dict[str, list[Place]], roads: Sequence[CityRoad], gazetteer: Gazetteer
) -> dict[str, list[Place]]:
    """A road row's readings as its roads' cities, each named exactly: no village that a ring
    road's abbreviation spells ("КАД") is what the row says."""
    out: dict[str, list[Place]] = {}
    for reading in found:
        named = {road.city_id for road in city_roads(reading)}
        cities = [gazetteer.get(road.city_id) for road in roads if road.city_id in named]
        out[reading] = [replace(c, match=1.0, matched=reading) for c in dict.fromkeys(cities) if c is not None]
    return out


SAME_NAME_RATIO = 0.6
"""Letter agreement (difflib ratio, romanised) from which two lines of one sign spell one name, one
of them misread ("амбір" and "Sambir", "Кгетепспик" and "Kremenchuk"), rather than two names."""


TWIN_NAME_RATIO = 0.8
"""Letter agreement from which a row's line in the other alphabet, set right under or over it, is
taken for its own name when the two name different places: "ІВа НКі" (Іванків, its last letter
lost, which spells the village Іванки) over "Ivankiv". Stricter than ``SAME_NAME_RATIO``, which
"Uzyn" and the next row's "Пулини" reach."""


def spelled_alike(readings: Sequence[str], names: Sequence[str], ratio: float = SAME_NAME_RATIO) -> bool:
    """Whether some reading, as written or romanised, spells one of ``names`` up to a misread letter
    or two (letter agreement ``ratio``). A Latin reading of a Cyrillic line counts as the Cyrillic
    letters it looks like too ("CHOBCb" is "СНОВСь", Snovsk with its last letter lost:
    ``cyrillic_lookalike``)."""
    alike = [c for x in readings if script_of(x) == SCRIPT_LATIN and (c := cyrillic_lookalike(x)) is not None]
    spelled = {_letters(v) for x in (*readings, *alike) for v in (x, *romanisations(x))}
    targets = {_letters(v) for x in names for v in (x, *romanisations(x))}
    return any(difflib.SequenceMatcher(None, a, b).ratio() >= ratio for a in spelled for b in targets)


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalpha())


def _best_named(r: Resolved) -> set[int]:
    """The places a line names as well as it names any: a Cyrillic and a Latin line of one panel
    naming one of them are the place's name in two alphabets, however OCR spelt each
    ("НОВОМНКОЛАЇВКА" matches four Новомиколаївки alike, "NOVOMYKOLAIVKA" one of them first). Two
    lines in one alphabet are two destinations, though a misread one matches the other's place
    as well as its own ("teczna", Łęczna, is a letter from Tuczna too)."""
    return {p.geonameid for p in r.options if p.match == r.options[0].match}


def _scripts(r: Resolved) -> set[str | None]:
    """The alphabets of a line's readings kept as names."""
    return {script_of(x) for x in r.mention.readings}


RIVAL_LIMIT = 3
"""Most places a line names only within OCR tolerance that are weighed beside its exact namesakes."""


def _misread_rivals(r: Resolved, places: Iterable[Place], exact_readings: int) -> tuple[tuple[Place, float], ...]:
    """The settlements the line's readings name only within OCR tolerance, heaviest first, when it
    names some place exactly: the name as read may be a misreading of theirs.

    Each comes with the odds of that misreading (``_misread_cost``: a long, exact, confident reading
    is seldom one), once for every reading that names a place exactly: two passes that both read
    "Маньківка" / "Mankivka" would both have to be wrong for the line to say Makiivka. A rival is
    kept only when its size times those odds is worth naming (``_worth_naming``): a small
    look-alike would only shave every share.
    """
    odds = math.exp(-_misread_cost(r) * exact_readings)
    known = {p.geonameid for p in r.namesakes}
    fuzzy = [(p, odds) for p in places if p.match < EXACT_MATCH and p.kind == "city" and p.geonameid not in known]
    return _worth_naming(r.namesakes, fuzzy)


def _worth_naming(namesakes: Sequence[Place], rivals: Sequence[tuple[Place, float]]) -> tuple[tuple[Place, float], ...]:
    """The rivals (place, odds) whose weight reaches ``NAMESAKE_MIN_SHARE`` of the heaviest exact
    namesake's, heaviest first, at most ``RIVAL_LIMIT``."""
    exact = [namesake_weight(p) * p.match for p in namesakes if p.match >= EXACT_MATCH]
    if not exact:
        return ()
    floor = NAMESAKE_MIN_SHARE * max(exact)
    kept = [(p, odds) for p, odds in rivals if namesake_weight(p) * p.match * odds >= floor]
    return tuple(sorted(kept, key=lambda po: -namesake_weight(po[0]) * po[0].match * po[1])[:RIVAL_LIMIT])


def _disputed_readings(
    found: dict[str, list[Place]], misread: set[str], best: dict[int, Place], namesakes: Sequence[Place]
) -> tuple[Place, ...]:
    """The places that readings of one line name best, when they name different ones, beyond its namesakes.

    Two passes read a lone panel "Iaşi" as "tasi" and "lasi": the first is a spelling of Teshi
    Old Town (Ghana, "Tassi"), the second Iaşi with its I read as l. The line says one of them, and
    which is not settled by the reading that happens to match a name exactly; each reading's best
    place is weighed with the namesakes (size and match), so the line's share is split between
    them. Readings that agree on their best place, and readings left out as misread, dispute
    nothing.
    """
    tops = {
        max(kept, key=lambda p: p.match).geonameid
        for reading, hits in found.items()
        if reading not in misread and (kept := [p for p in hits if p.geonameid in best])
    }
    if len(tops) < 2:
        return ()
    known = {p.geonameid for p in namesakes}
    return tuple(best[g] for g in sorted(tops - known, key=lambda g: -best[g].match))


def _stray_digits(mentions: Sequence[Mention]) -> dict[int, str]:
    """Sign rows whose distance is a lone digit beside far larger ones on the same panel, or the
    only number of a panel whose other destinations have none, with why.

    A sign that gives distances gives them on every row it lists; where the other names of a
    panel have none, a single digit beside one of them is a mark the reader took for a number (an
    arrow, a letter's stroke, the panel's edge), and as a 1-9 km ring it would state the camera
    beside a destination that may lie hundreds of km ahead. The same name's line in the other
    alphabet is the same row, not another destination.

    Keyed by ``id`` of the mention: the reason goes to the readings left out, the number to no ring.
    """
    largest: dict[int, float] = {}
    numbered: dict[int | None, int] = {}
    for m in mentions:
        if m.kind == "ocr" and m.distance_km:
            largest[m.region] = max(largest.get(m.region, 0.0), m.distance_km)
            numbered[m.region] = numbered.get(m.region, 0) + 1
    out: dict[int, str] = {}
    for m in mentions:
        if m.kind != "ocr" or m.distance_km is None or m.distance_km >= 10:
            continue
        if largest.get(m.region, 0.0) >= STRAY_DIGIT_RATIO * max(m.distance_km, 1.0):
            out[id(m)] = f"a lone digit beside {largest[m.region]:g} km on the same sign: a stray mark, not a distance"
        elif numbered.get(m.region) == 1 and any(
            o is not m
            and o.kind == "ocr"
            and o.region == m.region
            and _legible(o)
            and max(len(_letters(x)) for x in o.readings) >= SHORT_NAME_LETTERS
            and not spelled_alike(o.readings, m.readings)
            for o in mentions
        ):
            out[id(m)] = "a lone digit on a sign whose other names have no distance: a stray mark, not a distance"
    return out


_ARROW_PREFIX = re.compile(r"^(?:\S{1,2}\s+|[^\W_]{1,2}(?=[^\W\d_a-zа-яіїєґў][a-zа-яіїєґў'’\-]{2,}))", re.UNICODE)
"""One or two characters before a capitalised name, glued to it or as a word of their own: how
OCR reads an arrow drawn left of the name ("ФБогучаны", "ANysa", "tEsslingen", "4Auce", "Фе
Березанская")."""


_SMALL_L_AS_I = re.compile(r"(?<=[a-z])I(?=[a-z]|\b)")
"""A capital I after a small Latin letter, inside or at the end of a word: how the Latin pass reads
a small l ("OsIo", "VaIea", "WeIl"), far more often than a name has such a capital ("McIntyre",
whose reading as written is looked up too)."""
_CAPITAL_I_AS_L = re.compile(r"(?<=[A-Z])l(?=[A-Z]|\b)")
"""A small l after a capital and before one (or the word's end): the same confusion the other way,
a capital I of a word in capitals read as l ("QUlNS", "VlLLE")."""


def _l_and_i_as_written(reading: str) -> str:
    """The reading with each I or l the Latin pass mistook for the other put back (as in a word in
    small letters or in capitals)."""
    return _CAPITAL_I_AS_L.sub("I", _SMALL_L_AS_I.sub("l", reading))


_STROKED_L_AS = {"t": "ł", "T": "Ł"}
"""What the Latin recogniser writes for a Polish "ł", a letter it has no glyph for: "t" ("Mława"
read "Mtawa", "Wrocław" "Wroctaw", "Łódź" "todz", "Piła" "Pita"). Unfixed, a short name is lost
or names another place: "Słupsk" (99,000 people) read "Stupsk" is a village of 800 of that name,
"Łańcut" read "tancut" is Tanout in Niger."""
STROKED_L_GUESSES = 3
"""Most t's of a reading tried as an "ł": each set of them is a look-up, 7 at most; Polish names
have one or two."""
_SHARP_S_AS_B = re.compile(r"(?<=[a-zäöü]) ?B(?=[a-zäöü])")
"""A capital B, often after a space, between small letters: how the Latin recogniser writes the
German "ß", which it has no glyph for ("Gießen" read "Gie Ben", "Großenhain" "Gro Benhain")."""


def _unwritten_letters(reading: str) -> list[str]:
    """The reading with letters the Latin passes cannot write put back where they may stand: each
    set of its t's as "ł" (``_STROKED_L_AS``), and "ß" for a B read inside a word."""
    out: list[str] = []
    at = [i for i, ch in enumerate(reading) if ch in _STROKED_L_AS]
    if 0 < len(at) <= STROKED_L_GUESSES:
        for k in range(1, 2 ** len(at)):
            letters = list(reading)
            for j, i in enumerate(at):
                if k >> j & 1:
                    letters[i] = _STROKED_L_AS[letters[i]]
            out.append("".join(letters))
    if (sharp := _SHARP_S_AS_B.sub("ß", reading)) != reading:
        out.append(sharp)
    return out


def _unwritten_letter_hits(reading: str, gazetteer: Gazetteer, priors: Priors) -> Iterator[Place]:
    """The places the reading names once a letter the recogniser cannot write is put back
    (``_unwritten_letters``). Only a place whose own name has that letter counts: "Piła" for
    "Pita", never Pila in the Philippines, which has a plain l the recogniser would have written."""
    for variant in _unwritten_letters(reading):
        for p in gazetteer.search(variant, priors=priors, limit=TOP_PER_MENTION, fuzzy=False):
            if p.match >= EXACT_MATCH and unread_marks(variant, p.matched or p.name) == 0:
                yield p


def _with_better_matches(hits: Sequence[Place], more: Iterable[Place]) -> list[Place]:
    """``hits`` and the places ``more`` adds, best score first, each place keeping its better match
    of the two: the reading's letters put right (an I read for an l, a t for an ł) may name a place
    better than the letters as read."""
    best = {p.geonameid: p for p in hits}
    for p in more:
        if p.geonameid not in best or p.match > best[p.geonameid].match:
            best[p.geonameid] = p
    return sorted(best.values(), key=lambda p: -p.score)


def _reading_hits(
    m: Mention, reading: str, gazetteer: Gazetteer, priors: Priors, listed: bool, arrow_letters: bool = True
) -> list[Place]:
    """The places one reading may name, best first, with the tests a sign's words must pass.

    ``listed``: the row has a distance and its panel lists at least one more destination with one,
    or its panel's other rows name places (``_among_named_rows``). ``arrow_letters``: one or two
    letters before the name may be an arrow read as letters (``_ARROW_PREFIX``).
    """
    if len(reading.replace(" ", "")) < 3 or is_common_word(reading):
        return []
    script = script_of(reading)
    cyrillic, latin = script == SCRIPT_CYRILLIC, script == SCRIPT_LATIN
    # Typed metadata is not a misreading: only OCR gets the gazetteer's OCR tolerance.
    hits = [
        p
        for p in gazetteer.search(reading, priors=priors, limit=NAMESAKE_LIMIT, fuzzy=m.kind == "ocr")
        if p.match >= MIN_MATCH
    ]
    if m.kind == "ocr" and (as_written := _l_and_i_as_written(reading)) != reading:
        # "OsIo": a capital I between small letters is a small l the Latin pass read as I; the
        # reading folded to small letters ("osio") would name Osseo in the US through its other
        # name "Osio", one letter closer than Oslo. Each place keeps its better match of the two.
        fixed = gazetteer.search(as_written, priors=priors, limit=NAMESAKE_LIMIT, fuzzy=True)
        hits = _with_better_matches(hits, (p for p in fixed if p.match >= MIN_MATCH))
    bare = _ARROW_PREFIX.sub("", reading, count=1) if m.kind == "ocr" and arrow_letters else reading
    # (a Cyrillic reading's exact match abroad does not count: "Фе Лида" romanised is Felida, US)
    if bare != reading and not any(p.match >= EXACT_MATCH and _signs_in_script(p, cyrillic) for p in hits):
        # A junction sign's arrow read as letters glued to the name ("ФБогучаны", "ANysa",
        # "Фе Березанская"): the name without them, when that is a town's name exactly (a
        # direction sign points to towns: "AR WASH", "CAR WASH" with a letter lost, is not
        # "Wash.", the state of Washington).
        exact = [
            p
            for p in gazetteer.search(bare, priors=priors, limit=TOP_PER_MENTION * 2)
            if p.match >= EXACT_MATCH and p.kind == "city"
        ]
        hits = exact or hits
    if m.kind != "ocr":
        return hits
    odd = _odd_capitals(reading) if latin else []
    if odd:
        # A capital inside a word where the name has a small letter is a letter misread: "OsloB"
        # is a German "Osloß" with "ß" read as "B", not Oslob in the Philippines. The reading
        # names such a place only as a reading one letter off its name does.
        one_off = edit_match(1, len(_letters(reading)))
        hits = [
            p if _capitals_agree(reading, odd, p.matched or p.name) else replace(p, match=min(p.match, one_off))
            for p in hits
        ]
        hits = [p for p in hits if p.match >= MIN_MATCH]
    if latin:
        hits = _with_better_matches(hits, _unwritten_letter_hits(reading, gazetteer, priors))
    # A sign written in Cyrillic stands where Cyrillic is written: "Александрия" on a sign is
    # not Egypt's Alexandria, however large. A caption may name any place.
    hits = [p for p in hits if _signs_in_script(p, cyrillic)]
    if hits and is_word(reading):
        # A reading spelled as a word of its language was read as written: it is no misreading
        # of some other name ("ROSSMANN" is not "Rosman"), and a Latin word names only a place
        # of that name or other name ("KIEV"), not one it resembles once respelt (SPELLING_MATCH:
        # "BAKERY" is not "Bakri"); a Cyrillic one may name a place through its romanisation
        # ("КОРМА", Korma).
        hits = [p for p in hits if _names(reading, p)]
    if hits and is_everyday_text(reading):
        # Shop and notice words ("ПРОДУКТИ", "ЗНИЖКИ", "SALE") are far likelier than the village
        # that shares their name; only an exact name of an important place outweighs them. A
        # destination row among others with distances may name a smaller town ("Долина 115");
        # a word and a number alone ("gare 55", "24 ГОДИНИ") are no such list. Once a place that
        # large lets the word through, it is a name, and its smaller namesakes stay in the choice
        # ("Киров" is Kirov of 500,000 people and Kirov of 40,000 beside Bryansk).
        floor = IMPORTANT_POPULATION
        if listed:
            floor = SMALL_PLACE_POPULATION if m.arrow is not None else DESTINATION_POPULATION
        elif _talked_about(reading, hits, gazetteer):
            # A word common because a place of that name is talked about ("Азов", "Усть-Кут",
            # "Бориспіль"): a town of it is named as a destination's would be, not as a shop word's.
            floor = DESTINATION_POPULATION
        elif _full_phrase_name(reading, hits):
            floor = 0
        elif m.distance_km and _full_phrase_name(reading, hits, least=DESTINATION_PHRASE_WORDS):
            # "Часів Яр 50", "Жовті Води 45", "Кам'янець-Подільський 90": a town's whole name of
            # everyday words, beside a distance, is a destination's row, as one among others is.
            floor = DESTINATION_POPULATION
        exact = [p for p in hits if p.match >= EXACT_MATCH]
        if latin and text_zipf(reading, SHOP_LANGUAGES) >= EVERYDAY_ZIPF:
            exact = [p for p in exact if normalise(p.matched or p.name) == normalise(p.name)]
        hits = exact if any(p.population >= floor for p in exact) else []
    return hits


def _signs_in_script(p: Place, cyrillic: bool) -> bool:
    """Whether a sign in Cyrillic (``cyrillic``) or in another alphabet may stand at ``p``."""
    return not cyrillic or p.country_code in CYRILLIC_COUNTRIES


SHOP_LANGUAGES = ("en",)
"""The language shop fronts and brands use everywhere. A word of it names a place only by the
place's own name ("NICE", "VICTORIA", "READING"), not by one of the other names the gazetteer
lists for it, which are nicknames, old names and transcriptions: "GOLD" (a jeweller's) is not
Gold Coast, "BASIC" (a gym) not Henderson, Nevada, "LOG" not Łódź. A word everyday only in
another language keeps a town's name in that language ("WIEN", "WARSZAWA", "BRUXELLES")."""


PRINCIPAL_NAME_LIKENESS = 0.75
"""A gazetteer name at least this like (``difflib`` ratio) a romanisation of one of the place's
Cyrillic names is that name romanised, and that Cyrillic name the principal one ("Zaporizhzhya"
and "Zaporizhzhia" from "Запоріжжя", 0.92); under it the gazetteer name is an exonym ("Moscow":
0.5 from "Moskva", 0.67 from a Chechen name) and tells no Cyrillic name from another."""


def _romanises_principal_name(latin: str, p: Place, gazetteer: Gazetteer) -> bool:
    """Whether a Latin name of ``p`` is how its country writes its principal Cyrillic name: a
    romanisation of it by the systems of ``ROMANISED_COUNTRIES`` ("Zaporizhzhia", "Moskva"). The
    principal name is the one whose romanisation comes nearest the gazetteer's name, where one
    comes near (``PRINCIPAL_NAME_LIKENESS``); its other Cyrillic names may be another people's
    ("Самар", Samara's in Tatar, is the Ukrainian town of Samar) or a neighbour's by mistake
    (Nikopol lists "Слов'янськ")."""
    if p.country_code not in ROMANISED_COUNTRIES:
        return False
    spelt = {
        n: {normalise(x) for x in romanisations(n)}
        for n in gazetteer.names(p.geonameid)
        if script_of(n) == SCRIPT_CYRILLIC
    }
    if not spelt:
        return False
    name = normalise(p.name)
    near = {n: max(difflib.SequenceMatcher(None, name, x).ratio() for x in xs) for n, xs in spelt.items()}
    nearest = max(near.values())
    if nearest >= PRINCIPAL_NAME_LIKENESS:
        spelt = {n: xs for n, xs in spelt.items() if near[n] == nearest}
    return any(normalise(latin) in xs for xs in spelt.values())


def romanised_alias(p: Place, reading: str, gazetteer: Gazetteer) -> bool:
    """Whether a Cyrillic word names ``p``, a place where Cyrillic is written, only as a romanisation
    that is another of its names, not its own, and spells none of its Cyrillic names in any system;
    or a Latin word names it only through a Cyrillic name it spells alike but no system romanises so.

    GeoNames holds "Gorki" for Nizhny Novgorod (Gorky until 1990) and "Novorosyisk" for Krasnodar:
    romanised, a caption's "Горки" (Horki, Belarus) and "Новороссийск" reach them, though prose
    that means Nizhny Novgorod or Krasnodar writes "Горький" or "Краснодар". A place whose own
    name the romanisation is ("Slutsk" for "Слуцьк"), or that has no Cyrillic name, keeps the match:
    the gazetteer lacks the Cyrillic names of many villages. A region keeps a Latin name the word
    romanises to exactly ("Кубань": Kuban), not one only spelled alike ("Горки": "Gor'kiy")."""
    matched = p.matched or p.name
    if p.country_code not in CYRILLIC_COUNTRIES:
        return False  # abroad, prose may write a town as others do ("Кишинів"): ``_romanised_abroad``
    if script_of(reading) == SCRIPT_LATIN and script_of(matched) == SCRIPT_CYRILLIC:
        # The other way round: English "Horki" spells "Горький" alike, not as any system romanises it.
        return normalise(reading) not in {normalise(x) for x in romanisations(matched)}
    if script_of(reading) != SCRIPT_CYRILLIC or script_of(matched) == SCRIPT_CYRILLIC:
        return False
    if p.country_code == "BY" and is_belarusian_spelling(reading):
        return False  # GeoNames holds many Belarusian towns' Belarusian names only romanised ("Asipovichy")
    spelt = {normalise(x) for x in romanisations(reading)}
    if p.kind == "admin1":  # a region goes by names held in Latin letters ("Кубань": Kuban, "Крим": Krym)
        return normalise(matched) not in spelt  # spelled otherwise: a former one ("Gor'kiy" for "Горки")
    if normalise(matched) == normalise(p.name):
        return False
    cyrillic = [n for n in gazetteer.names(p.geonameid) if script_of(n) == SCRIPT_CYRILLIC]
    # Ukrainian writes one letter where Russian writes two ("Новоросійськ", "Новороссийск"):
    # doubled letters are compared once.
    singled = {_single_letters(x) for x in spelt}
    return bool(cyrillic) and not any(
        _single_letters(normalise(x)) in singled for n in cyrillic for x in romanisations(n)
    )


def _single_letters(text: str) -> str:
    """``text`` with each run of one letter written once: "novorossijsk" -> "novorosijsk"."""
    return re.sub(r"(\w)\1+", r"\1", text)


def match_rank(p: Place, gazetteer: Gazetteer, *, prose: bool = False) -> float:
    """How well a reading names ``p``, for ordering a mention's options: the gazetteer's match, with
    a place's other names (``ALTERNATE``) below its own, except a romanisation of its principal
    Cyrillic name ("Zaporizhzhia", GeoNames' city being "Zaporizhzhya"), which is its own name as
    its country writes it: a village of 656 people whose GeoNames name is "Zaporizhzhia" must not
    come before the city of 710,000 that the signs around it write so. So is a large Ukrainian or
    Belarusian city's Russian name (``_russian_name_of_city``), and in ``prose`` any Ukrainian or
    Belarusian town's: prose in Russian names them in Russian ("под Волчанском": Vovchansk)."""
    if not ALTERNATE <= p.match < 1.0:
        return p.match
    name = p.matched or p.name
    smallest = 0 if prose else IMPORTANT_POPULATION
    own = _romanises_principal_name(name, p, gazetteer) or _russian_name_of_city(name, p, gazetteer, smallest)
    return 1.0 if own else ALTERNATE


RUSSIAN_NAMED_COUNTRIES = ROMANISED_COUNTRIES - {"RU"}
"""Countries whose cities the Soviet state's maps, signs and the world's press named in Russian."""


def _russian_name_of_city(name: str, p: Place, gazetteer: Gazetteer, smallest: int = IMPORTANT_POPULATION) -> bool:
    """Whether ``name`` is the Russian name of ``p``, a Ukrainian or Belarusian town of ``smallest``
    people or more, or that name romanised: "Одесса" and "Odessa", "Ровно" and "Rovno", "Николаев"
    and "Nikolaev". A sign so written is a city's (``IMPORTANT_POPULATION``); prose in Russian names
    every town so, a former Soviet name it still uses too ("Красноармейск": Pokrovsk).

    GeoNames holds them among the city's other names, beside former names and other peoples'
    ones; but for a century they were the city's name on maps, in the press and on road signs,
    and many still write them. Smaller places bearing such a name as their own (Odessa, Texas; a
    Russian hamlet Rovno) do not make a sign so written theirs rather than the city's. Villages are
    left out of signs: GeoNames files many Ukrainian villages under a Russian-based name already."""
    if p.country_code not in RUSSIAN_NAMED_COUNTRIES or p.population < smallest:
        return False
    key = normalise(name)
    return any(
        key == normalise(n) or key in {normalise(x) for x in romanisations(n)}
        for n in gazetteer.names(p.geonameid)
        if script_of(n) == SCRIPT_CYRILLIC and is_russian(n)
    )


def _talked_about(reading: str, hits: Sequence[Place], gazetteer: Gazetteer) -> bool:
    """Whether a Cyrillic reading is common because a town it names exactly is talked about.

    The Russian dictionary tags place names (``is_toponym``) and judges a Russian word itself
    ("Октябрь" is the month, whatever town once had that name). The Ukrainian and Belarusian
    dictionaries tag none, and wordfreq counts "Бориспіль" (zipf 4.2) with shop words: a word the
    Russian dictionary lacks is judged by the town it names exactly, which the Russian dictionary
    knows by its Russian name ("Борисполь", among the names the gazetteer holds for it). "Буча",
    "Ізюм" (raisins) or "Щастя" stay words, as their Russian names do.
    """
    if is_toponym(reading):
        return True
    if script_of(reading) != SCRIPT_CYRILLIC or is_russian(reading):
        # A Latin word is judged by no dictionary: through Russian names "BUCH" (a book) would be
        # Buch (12,000 people, "Бух") and "AUCH" (also) Auch in France ("Ош").
        return False
    words = len(reading.split())
    return any(
        is_toponym(name)
        for p in hits
        if p.match >= EXACT_MATCH and p.population >= DESTINATION_POPULATION
        for name in gazetteer.names(p.geonameid)
        if len(name.split()) == words
    )


PHRASE_NAME_WORDS = 3
"""Words from which a reading that spells a place's whole name exactly is that name, however
everyday each word is ("Weil am Rhein", "Mercy-le-Bas", "Bourg-Saint-Christophe"): wordfreq judges
words, not phrases, and a phrase of everyday words is seldom a town's full name. Of 16,200
three-word phrases of everyday English words in news text (the GWN and TR-News corpora), 7 spell a
town's name exactly, 5 of them as that town ("burton upon trent"; not "central business district")."""


DESTINATION_PHRASE_WORDS = 2
"""Words from which a reading beside a distance that spells a town's whole name exactly is a
destination, however everyday each word is, for a town of ``DESTINATION_POPULATION``: a single
word and a number are a shop's sign as often as a destination's ("ПРОДУКТИ 24", "gare 55"), a
town's two-word name and a number seldom are. On Ukraine's official register, the Cyrillic line
alone named nothing for 15 of its 455 cities, 6 of them names of two words ("Жовті Води",
"Часів Яр", "Кам'янець-Подільський"; 4 of the 6 have 10,000 people or more)."""


def _full_phrase_name(reading: str, hits: Sequence[Place], least: int = PHRASE_NAME_WORDS) -> bool:
    """Whether the reading is a place's whole name of ``least`` words or more, exactly."""
    words = len(name_words(reading))
    return words >= least and any(
        p.match >= EXACT_MATCH and len(name_words(p.matched or p.name)) == words for p in hits
    )


LOOKALIKE_MIN_LETTERS = 4
"""Letters from which a Latin reading is read back as Cyrillic: half of all three-letter strings
name some place, and a look-alike reading of one ("IKE" off "IKEA": "ІКЕ", Ölgii) says nothing."""


def _lookalike_hits(
    m: Mention, found: dict[str, list[Place]], gazetteer: Gazetteer, priors: Priors, listed: bool
) -> dict[str, list[Place]]:
    """Cyrillic readings of a sign row that a Latin pass read in look-alike letters, with the places
    they name.

    Tesseract's Cyrillic pass loses some lines outright ("Чебоксары" read as nothing), which the
    Latin passes still read, letter by look-alike letter ("4e6okcapbl"). Such a reading names no
    Latin place, so it is read back as the Cyrillic letters it stands for: the likeliest reading
    (``cyrillic_lookalikes``) that names a place of a Cyrillic country exactly ("TanAom": "Талдом",
    A for Д), else the commonest letters' (``cyrillic_lookalike``), and looked up like the Cyrillic
    pass's reading: among places in Cyrillic countries, reaching a
    name GeoNames holds only in Latin letters ("Saraktash") through a romanisation alone, and at
    most as another spelling of the name. A Latin reading that names a place as it is spelled is a
    Latin line, and one with a letter no Cyrillic letter looks like ("Lunca") is one too. A line
    that one reading names exactly needs no other: a look-alike reading would only add a fuzzy
    rival ("Kbl3bln-XaA" beside "Кызыл-Хая"). The recognition network breaks words with spaces
    ("Cb Xp yCTanb Hbi" for "Гусь-Хрустальный"), so a short first piece is part of the name, not
    an arrow read as letters: "Хр уСТаль Ны" alone names Khrustalnyi, 839 km away, exactly.
    """
    if m.kind != "ocr" or any(p.match >= SPELLING_MATCH for hits in found.values() for p in hits):
        return {}
    out: dict[str, list[Place]] = {}
    for reading in found:
        if script_of(reading) != SCRIPT_LATIN or not (readings := cyrillic_lookalikes(reading)):
            continue
        cyrillic = next((c for c in readings if _names_a_cyrillic_place(c, gazetteer)), readings[0])
        if len(_letters(cyrillic)) < LOOKALIKE_MIN_LETTERS or cyrillic in found or cyrillic in out:
            continue
        alike = [
            replace(p, match=min(p.match, SPELLING_MATCH))
            for p in _reading_hits(m, cyrillic, gazetteer, priors, listed, arrow_letters=False)
        ]
        if alike:
            out[cyrillic] = alike
    return out


def _names_a_cyrillic_place(reading: str, gazetteer: Gazetteer) -> bool:
    """Whether ``reading`` is exactly a name of a settlement where Cyrillic is written."""
    return any(
        p.kind == "city" and p.match >= EXACT_MATCH and p.country_code in CYRILLIC_COUNTRIES
        for p in gazetteer.lookup_exact(reading)
    )


def _among_named_rows(
    mentions: Sequence[Mention], found_by: dict[int, dict[str, list[Place]]], gazetteer: Gazetteer, priors: Priors
) -> dict[int, dict[str, list[Place]]]:
    """Places of sign rows read as everyday words, on a panel whose other rows name other places.

    "Heide / Mildstedt / Husum": "Heide" (heath) is a German word, and a word alone on a board is
    likelier than a town of 21,000; a row of a panel whose other rows name places exactly, in
    words that are no vocabulary, is a destination among them, as a row of a distance sign is, and
    gets ``DESTINATION_POPULATION``'s floor. Keyed by ``id`` of the mention. A row naming a place
    the other rows name is their line in another alphabet ("Октябрь / Oktiabr"), not another
    destination; a shop front's words beside each other name no place, so they stay words.
    """
    named: dict[int | None, dict[int, set[int]]] = {}  # per panel and row, places named by a name that is no word
    for m in mentions:
        places = {
            p.geonameid
            for x, hits in found_by[id(m)].items()
            if not is_everyday_text(x)
            for p in hits
            if p.match >= EXACT_MATCH
        }
        if m.kind == "ocr" and places:
            named.setdefault(m.region, {})[id(m)] = places
    out: dict[int, dict[str, list[Place]]] = {}
    for m in mentions:
        others = {g for i, places in named.get(m.region, {}).items() if i != id(m) for g in places}
        if m.kind != "ocr" or not others or any(found_by[id(m)].values()):
            continue
        if not any(is_everyday_text(x) for x in m.readings):
            continue
        found = {reading: _reading_hits(m, reading, gazetteer, priors, True) for reading in m.readings}
        if not any(p.geonameid in others for hits in found.values() for p in hits):
            out[id(m)] = found
    return out


def _cross_pass_misreadings(m: Mention, found: dict[str, list[Place]]) -> tuple[tuple[str, str], ...]:
    """Readings by the other alphabet's pass of a line that one alphabet reads as a name or a word.

    Each OCR pass reads every line; the Latin pass turns Cyrillic letters into look-alike Latin
    ones ("Берегове" -> "Beperose", "ЛУКОЙЛ" -> "JIYKONJI") and the Cyrillic pass does the same to
    Latin lines ("Amara" -> "Атага"); such junk can match some place far away. A line read in
    Cyrillic as a place is a Cyrillic line, unless the Latin reading is the place's own spelling
    and the Cyrillic one matches only once romanised: the other reading never outranks it. Nor
    does it outrank a Latin reading that is a word or a place's own name in letters no Cyrillic
    letter looks like (``cyrillic_lookalike``): "Gap" has a G the Latin pass cannot have made of
    a Cyrillic line, so the Cyrillic pass's "Сар" is its look-alike, not "Sar" (Surskoye, 2,500
    km away).
    Otherwise a line that one alphabet reads as a word (``is_word``) is in that alphabet, and the
    other alphabet's readings naming other places are misreadings.
    """
    if m.kind != "ocr":
        return ()
    scripts = (SCRIPT_CYRILLIC, SCRIPT_LATIN)
    places = {s: {p.geonameid for r, hits in found.items() if script_of(r) == s for p in hits} for s in scripts}
    best = {
        s: max((p.match for r, hits in found.items() if script_of(r) == s for p in hits), default=0.0) for s in scripts
    }
    latin_line = any(
        script_of(r) == SCRIPT_LATIN
        and cyrillic_lookalike(r) is None
        and (is_word(r) or any(p.match > SPELLING_MATCH for p in hits))
        for r, hits in found.items()
    )
    romanised_only = best[SCRIPT_CYRILLIC] <= SPELLING_MATCH
    right = None
    if places[SCRIPT_CYRILLIC] and not (romanised_only and (best[SCRIPT_LATIN] > SPELLING_MATCH or latin_line)):
        right = SCRIPT_CYRILLIC
    elif best[SCRIPT_LATIN] > SPELLING_MATCH or latin_line:
        # "Amara" spelled as the place's own name; the Cyrillic pass's "Атага" near a place only
        # once romanised ("Novyye Atagi"): look-alike letters romanise to look-alike names.
        right = SCRIPT_LATIN
    if right is None:
        # a word of a few letters ("па" read off an arrow or an edge) says nothing of the line
        in_words = [s for s in scripts if any(script_of(r) == s and is_word(r) and worded(r) for r in found)]
        right = in_words[0] if len(in_words) == 1 else None
    if right is None and _looks_cyrillic_read_as_latin(found):
        right = SCRIPT_CYRILLIC
    if right is None:
        return ()
    other = SCRIPT_LATIN if right == SCRIPT_CYRILLIC else SCRIPT_CYRILLIC
    why = f"{_SCRIPT_NAMES[other]} reading of a line read in {_SCRIPT_NAMES[right]}"
    return tuple(
        (r, why)
        for r, hits in found.items()
        if script_of(r) == other and hits and not {p.geonameid for p in hits} & places[right]
    )


_SCRIPT_NAMES = {SCRIPT_CYRILLIC: "Cyrillic", SCRIPT_LATIN: "Latin"}

NAME_PREFIXES = frozenset({"Mac", "Fitz", "Van", "Von"})
"""Starts of Latin names followed by a capital ("MacKenzie", "VanBuren"); shorter ones ("McDonald",
"DeKalb", "O'Neill") end where an arrow glued before a name does, and are skipped with it."""


def _looks_cyrillic_read_as_latin(found: dict[str, list[Place]]) -> bool:
    """Whether a line's readings show a Cyrillic line read by the Latin pass, even where the
    Cyrillic reading names no place ("Влогда", Вологда with a letter lost).

    The Latin pass reads Cyrillic small letters as look-alike Latin capitals (н as H, в as B, д as
    A, к as K), so its reading has a capital right after a small letter inside a word
    ("BonorAa", "KpemeHyyk", "PocnaBnb"), which Latin names seldom have. With a reading of the
    same line in Cyrillic letters only, the line is Cyrillic.
    """
    cyrillic = any(
        all(is_cyrillic_letter(ch) for ch in r if ch.isalpha()) and script_of(r) == SCRIPT_CYRILLIC for r in found
    )
    return cyrillic and any(script_of(r) == SCRIPT_LATIN and _odd_capital(r) for r in found)


def _odd_capital(text: str) -> bool:
    """Whether the text has a capital right after a small letter inside a word (``_odd_capitals``)."""
    return bool(_odd_capitals(text))


def _odd_capitals(text: str) -> list[int]:
    """Where, counting letters only, the text has a capital right after a small letter inside a
    word: not after a name's prefix ("MacKenzie"), nor after one or two letters that are an arrow
    read glued to the name ("tThorngumbald", as ``_ARROW_PREFIX``), and not "I", which the Latin
    pass reads for a Latin "l" ("VaIea")."""
    found: list[int] = []
    offset = 0
    for word in text.split():
        for i in range(3, len(word)):
            if word[i].isupper() and word[i] != "I" and word[i - 1].islower() and word[:i] not in NAME_PREFIXES:
                found.append(offset + sum(ch.isalpha() for ch in word[:i]))
        offset += sum(ch.isalpha() for ch in word)
    return found


def _capitals_agree(reading: str, odd: Sequence[int], name: str) -> bool:
    """Whether the name has a capital wherever the reading has one inside a word (``odd``, the
    letter positions ``_odd_capitals`` found: "NewYork", "New York"; "SanFrancisco"), rather than
    a small letter the reader misread ("OsloB", "Oslob")."""
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) == sum(ch.isalpha() for ch in reading) and all(letters[k].isupper() for k in odd)


def _names(word: str, p: Place) -> bool:
    """Whether a word of its language is a name of ``p``, as ``_reading_hits`` judges words: a
    Latin word only as written ("BAKERY" is not "Bakeri", Bakri), a Cyrillic one also through its
    romanisation ("КОРМА", Korma)."""
    return p.match > SPELLING_MATCH if script_of(word) == SCRIPT_LATIN else p.match >= EXACT_MATCH


WORD_MISREAD_EDITS = 2
"""A reading this many letters or fewer away from a word read on the same line, in the same
alphabet, is that word misread: OCR passes disagree by a letter or two on one line ("BAKERY" and
"BAKEY"), and a place whose name is a letter off a shop word is no likelier for it."""


def _word_misreadings(
    m: Mention, found: dict[str, list[Place]], gazetteer: Gazetteer, priors: Priors
) -> tuple[tuple[str, str], ...]:
    """Readings of a line that another reading of it spells as a word of its language, naming no place.

    Two passes over a board reading "BAKERY" return "BAKERY" and "BAKEY"; the word is no place's
    name, but the near miss matches Bakel in Senegal. The word was read as written and the other
    reading names a place only within OCR tolerance: the line says the word. A reading that is a
    place's exact name ("Lviv" beside a pass's "Live") is left to the choice, and so is a word that
    is also a town's name ("Kirchen" beside "Kirchn"), which the line may well say.
    """
    if m.kind != "ocr":
        return ()
    from rapidfuzz.distance import Levenshtein  # imported on first use: keeps start-up fast

    words = [
        r
        for r, hits in found.items()
        if not hits
        and is_word(r)
        and not any(_names(r, p) for p in gazetteer.search(r, priors=priors, limit=1, fuzzy=False))
    ]
    out: list[tuple[str, str]] = []
    for r, hits in found.items():
        if not hits or max(p.match for p in hits) >= EXACT_MATCH:
            continue
        word = next(
            (
                w
                for w in words
                if script_of(w) == script_of(r)
                and Levenshtein.distance(w.casefold(), r.casefold(), score_cutoff=WORD_MISREAD_EDITS)
                <= WORD_MISREAD_EDITS
            ),
            None,
        )
        if word is not None:
            out.append((r, f"a misreading of the word '{word}' read on the same line"))
    return tuple(out)


def _legible(m: Mention) -> bool:
    """Whether an OCR line is read well enough to be a name: short junk needs high confidence.

    Tesseract turns foliage and brickwork into 2-4 letter "words" at confidence 20-50, and some
    village somewhere is called "Ody"; a real sign name is longer or read with confidence.
    """
    conf = m.confidence if m.confidence is not None else 100.0
    longest = max(len(r.replace(" ", "")) for r in m.readings)
    return conf >= MIN_LEGIBLE_CONF and (longest >= SHORT_NAME_LETTERS or conf >= SHORT_NAME_CONF)


def word_rows(mentions: Sequence[Mention], resolved: Sequence[Resolved], gazetteer: Gazetteer) -> list[tuple[str, str]]:
    """Destination rows read as everyday words and so taken as no place, each with the town it
    spells: what the analyst should know was set aside ("Любим 92": "(we) love", and Lyubim, a town
    of 6,000 on the road north of Yaroslavl).

    Only rows with a distance are named: a number beside a word makes a destination of it on a
    road sign and a price on a shop board, and only the analyst can tell which the photo shows. A
    shop word with no number ("APTEKA") is no row anyone would miss. Such a row names a town of
    ``NAMESAKE_MIN_POPULATION`` or more, or any village on a panel whose other rows are kept as
    destinations with their distances ("Benz 21" under "Neue Neustadt 331": Benz, a village of
    650, and a German word): there it is a destination row, not a price.
    """
    kept = [r.mention.box for r in resolved if r.mention.kind == "ocr" and r.mention.box is not None]
    listing = {r.mention.region for r in resolved if r.mention.kind == "ocr" and r.mention.distance_km}
    near = [r.options[0] for r in resolved if r.options]
    out: list[tuple[str, str]] = []
    for m in mentions:
        if m.kind != "ocr" or not m.distance_km or m.box is None or any(box_within(m.box, k) for k in kept):
            continue
        least = 1 if m.region in listing else NAMESAKE_MIN_POPULATION  # 1: a village the gazetteer counts
        for reading in m.readings:
            if not is_everyday_text(reading):
                continue
            cyrillic = script_of(reading) == SCRIPT_CYRILLIC
            towns = [
                p
                for p in gazetteer.lookup_exact(reading)
                if p.kind == "city" and p.population >= least and (not cyrillic or p.country_code in CYRILLIC_COUNTRIES)
            ]
            if towns:
                # The town near the places read with it ("Бар 25 / Вінниця 70": Bar in Vinnytsia
                # oblast, not Montenegro's), else the largest.
                p = min(
                    towns,
                    key=lambda q: (
                        min((haversine_km(q.lat, q.lon, a.lat, a.lon) for a in near), default=0.0),
                        -q.population,
                    ),
                )
                out.append(
                    (
                        reading,
                        f"read as a common word, not a place, though {p.name} ({p.country_code}, "
                        f"{p.population:,} people) bears the name",
                    )
                )
                break
    return out


def metadata_mentions(metadata: Metadata) -> list[Mention]:
    """IPTC/XMP location fields as a mention: the most specific name written."""
    loc = metadata.location
    if loc is None:
        return []
    kind = "iptc" if loc.source == "iptc" else "xmp"
    for name, place_kind in (
        (loc.city, "city"),
        (loc.sublocation, None),
        (loc.state, "admin1"),
        (loc.country, "country"),
    ):
        if name:
            return [Mention(readings=(name,), kind=kind, source=f"{kind} location", place_kind=place_kind)]
    return []


_DEMONYM_RE = re.compile(r"(?:an|ans|ish|ese|ch|i|ий|ій|ая|ой)$")
"""How the adjectives of peoples end ("Russian", "Polish", "Chinese", "French", "Israeli",
"український", "российская"), which the gazetteer holds as other names of their countries."""


def by_demonym(p: Place) -> bool:
    """Whether a country was named only by its people's adjective ("Russian forces", "Ukrainian
    troops"): whose they are, not where the photo is. A country's own names match it exactly;
    "UK" and "U.S." are abbreviations of it, not adjectives."""
    matched = p.matched or p.name
    return p.kind == "country" and p.match < 1.0 and not matched.isupper() and bool(_DEMONYM_RE.search(matched.lower()))


def dominant_country(places: Sequence[Place]) -> str | None:
    codes = [p.country_code for p in places if p.kind != "country"]
    return max(set(codes), key=codes.count) if codes else None


MISREAD_COST = 3.0
"""Cost of taking a reading as "not a place / misread" rather than as one of its places. Equal to
the pair cost of two places about 450 km apart, or a ring disagreement of six log-units: a reading
that only fits that far from every other place read on the photo is likelier a misreading than a
second, unrelated place in the picture (places on one photo lie within a region's reach)."""
SURE_READING_COST = 3.0
"""Added to ``MISREAD_COST`` for a reading that names its place exactly, at full OCR confidence and
with at least ``SURE_READING_LETTERS`` letters: such a reading is seldom a misreading, so it is
dropped only when it fits nowhere near the rest (a pair over 900 km apart, or rings far apart)."""
SURE_READING_LETTERS = 6
ROW_ORDER_COST = 2.0
"""Cost of each pair of rows on one sign without arrows whose distances run against the order
they are read in (top to bottom). A distance sign lists the places along its road nearest first,
so a number larger than one below it is often a misread digit ("111" read "711"); a junction sign
whose arrows were not read may list them in any order, so an inversion is evidence, not proof."""
ROW_ORDER_SLACK = 1.25
"""An upper row's distance up to this times the lower one's is no inversion: places listed by
their straight-line distance, or a road that bends, may swap rows a few percent apart."""
SPLIT_MIN_SHARE = 0.05
"""Smallest share of the probability at which another split of the readings is weighed further
(``Choice.splits``): half what an alternative worth naming holds, since the order of a sign's rows
may still make it likelier than the split the choice found best."""
MAX_SPLITS = 3
"""Most other splits weighed further: each costs an estimate of its own, and a fourth likely split
leaves none of them worth stating."""
NUMBER_MISREAD_COST = MISREAD_COST
"""Cost of keeping a destination but taking the distance read beside it as misread. A number's
digits are misread apart from its name's letters ("111" as "711", "3" as "8", a digit lost): a
name read surely says nothing of its number, so a ring that fits nowhere may be a sure name with
a wrong number as well as a misread name, and neither is cheaper to assume."""


@dataclass(frozen=True)
class Choice:
    """The place picked for each mention (None: taken as a misreading), and how sure that split is.

    ``support`` is the share of the choice's probability (each combination weighs ``exp(-cost)``)
    held by combinations that keep and drop the same mentions as the best one: 1.0 when no other
    split of the readings is plausible, about 0.5 when two readings exclude each other and either
    could be the misread one.
    """

    places: tuple[Place | None, ...]
    support: float
    misread_numbers: tuple[bool, ...] = ()
    """Per mention: its place is kept but the distance read beside it is taken as misread."""
    share: float = 1.0
    """The share of the split's probability held by the places chosen for the rows that place the
    camera (those with distances kept as rings; on a sign without one, every row naming a place):
    below 1.0 when same-named places elsewhere fit the same readings ("Лесной" near Kirs, or in
    the Urals; "Hampstead / Durham" in North Carolina or in New Hampshire), among the sets the
    search weighed and those ``_namesake_sets`` adds."""
    rivals: tuple[tuple[tuple[Place | None, ...], float], ...] = ()
    """Other places for those rows, each set with its share, likeliest first, down to
    ``NAMESAKE_MIN_SHARE`` (``DESTINATION_SET_MIN_SHARE`` without rings): a place per mention,
    as ``places``, but None for every mention that does not place the camera (a row whose
    distance is not taken as a ring, when others are)."""
    splits: tuple[Split, ...] = ()
    """Other splits of the readings into places and misreadings, likeliest first, each with its
    share of the probability, down to ``SPLIT_MIN_SHARE``: "Виноград 33 / Жмеринка 21" cannot both
    be right, and either number may be the misread one."""


class Split(NamedTuple):
    """Another way the readings may split into places and misreadings (``Choice.splits``)."""

    places: tuple[Place | None, ...]
    misread_numbers: tuple[bool, ...]
    share: float


def _misread_cost(r: Resolved) -> float:
    """What it costs to call this mention a misreading: more for a long, exact, confident one."""
    m = r.mention
    sure = m.kind != "ocr" or (
        r.options[0].match >= EXACT_MATCH
        and (m.confidence if m.confidence is not None else 100.0) >= FULL_CONF_OCR
        and max(len(x.replace(" ", "")) for x in m.readings) >= SURE_READING_LETTERS
    )
    return MISREAD_COST + (SURE_READING_COST if sure else 0.0)


def arrowed_signs(resolved: Sequence[Resolved]) -> frozenset[int]:
    """The sign panels with an arrow read beside a row: junction signs, whose rows keep no order."""
    return frozenset(r.mention.region or 0 for r in resolved if r.mention.arrow is not None)


def row_inversions(
    resolved: Sequence[Resolved], rows: Sequence[tuple[int, float, float]], arrowed: frozenset[int]
) -> int:
    """Pairs of rows of one sign without arrows listed farther first (``ROW_ORDER_COST``).

    ``rows``: (index into ``resolved``, least road km, most road km) for each row whose distance
    is read or implied; a pair counts when even the least the upper row may be is beyond the most
    the lower one may be. ``arrowed``: ``arrowed_signs(resolved)``, found once by the caller, as
    the choice counts inversions for every combination it weighs.
    """
    count = 0
    for (i, lo_i, hi_i), (j, lo_j, hi_j) in itertools.combinations(rows, 2):
        mi, mj = resolved[i].mention, resolved[j].mention
        sign = mi.region or 0
        if sign != (mj.region or 0) or sign in arrowed or mi.box is None or mj.box is None or mi.box[1] == mj.box[1]:
            continue
        upper, lower = (lo_i, hi_j) if mi.box[1] < mj.box[1] else (lo_j, hi_i)
        count += upper > ROW_ORDER_SLACK * lower
    return count


def choose(resolved: Sequence[Resolved], anchors: Sequence[Place]) -> Choice:
    """Pick one place per mention, or none, so that the picks agree with each other, the caption and GPS.

    Places named together on one photo lie near each other, and road distances read on signs
    must meet at one camera position: among same-named places, the combination whose rings
    intersect wins. Any OCR reading may be a misreading ("Берегове" read as "Beperose" matches a
    place in the US): each mention may also be left out, at ``_misread_cost``, so one bad reading
    cannot drag the others across a continent. Exhaustive over the few top options of the first
    mentions; written locations and captions are never dropped (they are typed, not read).
    """
    signs = [r.mention.region or 0 for r in resolved]
    # Rows of a sign without a distance, whose places the panel's reach bounds (a caption's places
    # share no panel; rows with distances are judged by their rings, and where a number is taken
    # as misread the pair's cost below still keeps its place near the others).
    unnumbered = [r.mention.kind == "ocr" and not r.mention.distance_km for r in resolved]
    arrowed = arrowed_signs(resolved)
    ring_cost: dict[tuple[int, ...], float] = {}  # the same rings recur across combinations

    def cost(combo: Sequence[_Option]) -> float:
        c = sum(o.penalty for o in combo)
        picked = [(i, o.place, o.km) for i, o in enumerate(combo) if o.place is not None]
        for (i, a, da), (j, b, db) in itertools.combinations(picked, 2):
            km = haversine_km(a.lat, a.lon, b.lat, b.lon)
            if km > 2 * FARTHEST_DESTINATION_KM and unnumbered[i] and unnumbered[j] and signs[i] == signs[j]:
                return math.inf
            if not (da and db):  # rings judge the pairs that have distances
                # Destinations of one sign lie apart, with or without a distance read (a misread
                # number leaves its place on the panel with the others).
                c += min(km, PAIR_KM_CAP) / (PANEL_KM_SCALE if signs[i] == signs[j] else PAIR_KM_SCALE)
        rings = [Ring(p, km, signs[i]) for i, p, km in picked if km]
        c += ROW_ORDER_COST * row_inversions(resolved, [(i, km, km) for i, _, km in picked if km], arrowed)
        if len(rings) >= 2:
            key = tuple(p.geonameid for i, p, km in picked if km) + tuple(i for i, _, km in picked if km)
            if key not in ring_cost:
                ring_cost[key] = min(-ring_consistency(rings), RING_COST_CAP) / 2.0
            c += ring_cost[key]
        for _, p, _ in picked:
            if anchors:
                near = min(haversine_km(p.lat, p.lon, q.lat, q.lon) for q in anchors)
                c += min(near, ANCHOR_KM_CAP) / ANCHOR_KM_SCALE
        return c

    head, tail = list(resolved[:MAX_JOINT]), list(resolved[MAX_JOINT:])
    ringed = [r for r in head if r.mention.distance_km]
    options: list[list[_Option]] = []
    for r in head:
        opts = [_Option(_place_penalty(r, k, p), p, mention_km(r.mention, p)) for k, p in enumerate(r.options)]
        if r.mention.kind == "ocr" and len(head) >= 2:
            opts.append(_Option(_misread_cost(r), None, None))
            if r.mention.distance_km:  # the likeliest place with its number misread; the others rarely matter
                opts.append(_Option(opts[0].penalty + NUMBER_MISREAD_COST, opts[0].place, None))
        options.append(opts)
    extra = [_reachable_namesakes(r, ringed) if r.mention.distance_km else [] for r in head]
    for j in range(RING_NAMESAKES):  # one more namesake a row at a time, within the budget
        for i, r in enumerate(head):
            grown = math.prod(map(len, options)) // len(options[i]) * (len(options[i]) + 1)
            if j < len(extra[i]) and grown <= RING_COMBOS:
                p = extra[i][j]
                options[i].append(_Option(_place_penalty(r, len(r.options) + j, p), p, mention_km(r.mention, p)))
    combos = [(cost(combo), combo) for combo in itertools.product(*options)] if options else [(0.0, ())]
    combos.sort(key=lambda cc: cc[0])  # likeliest first: each grouping below keeps its likeliest combination
    best_cost, best = combos[0]

    def pattern(combo: Sequence[_Option]) -> tuple[bool, ...]:
        """What a combination believes of each mention: its ring if it has a distance (a misread
        number and a misread line leave the same rings), else whether it names a place."""
        return tuple(
            (o.km is not None) if r.mention.distance_km else (o.place is not None)
            for o, r in zip(combo, head, strict=True)
        )

    # The rows that place the camera: its rings, or, on a sign without a distance kept, every
    # place it names ("Hampstead / Durham" fits two towns of North Carolina and two of New
    # Hampshire alike, and which pair is meant is where the camera is).
    rings_kept = any(o.km for o in best)

    def placing(o: _Option) -> bool:
        return o.place is not None and bool(o.km or not rings_kept)

    def ring_places(combo: Sequence[_Option]) -> tuple[int, ...]:
        return tuple(o.place.geonameid if placing(o) and o.place is not None else 0 for o in combo)

    total = sum(math.exp(best_cost - c) for c, _ in combos)
    best_pattern = pattern(best)
    split = [(c, combo) for c, combo in combos if pattern(combo) == best_pattern]
    same = sum(math.exp(best_cost - c) for c, _ in split)
    by_places: dict[tuple[int, ...], tuple[float, Sequence[_Option]]] = {}  # weight, likeliest combo
    for c, combo in split:
        key = ring_places(combo)
        weight, first = by_places.get(key, (0.0, combo))
        by_places[key] = (weight + math.exp(best_cost - c), first)
    # The search weighs only a row's first namesakes: its other ones that would fit as well
    # ("Іванівка" names dozens of villages, several within reach of any other row's place) share
    # the probability too, or a set of common names fitting by chance is stated as sure.
    for c, combo in _namesake_sets(best, head, options, cost):
        weight = math.exp(best_cost - c)
        by_places[ring_places(combo)] = (weight, combo)
        same += weight
        total += weight
    chosen: list[Place | None] = [o.place for o in best]

    def dropped_numbers(combo: Sequence[_Option]) -> list[bool]:
        """Per mention: its place kept, the distance read beside it taken as misread."""
        return [
            o.place is not None and o.km is None and bool(r.mention.distance_km)
            for o, r in zip(combo, head, strict=True)
        ]

    numbers = dropped_numbers(best)
    kept = [p for p in chosen if p is not None]
    for r in tail:  # greedily: nearest to what is already chosen
        pick = min(r.options, key=lambda p: min((haversine_km(p.lat, p.lon, q.lat, q.lon) for q in kept), default=0.0))
        chosen.append(pick)
        numbers.append(False)
        kept.append(pick)
    best_places = ring_places(best)
    least = NAMESAKE_MIN_SHARE if rings_kept else DESTINATION_SET_MIN_SHARE
    rivals = sorted(
        (
            (tuple(o.place if placing(o) else None for o in combo) + (None,) * len(tail), weight / same)
            for key, (weight, combo) in by_places.items()
            if key != best_places and weight / same >= least
        ),
        key=lambda ps: -ps[1],
    )
    share = by_places[best_places][0] / same
    by_pattern: dict[tuple[bool, ...], tuple[float, Sequence[_Option]]] = {}  # weight, likeliest combo
    for c, combo in combos:
        key = pattern(combo)
        if key != best_pattern:
            weight, first = by_pattern.get(key, (0.0, combo))
            by_pattern[key] = (weight + math.exp(best_cost - c), first)
    splits = sorted(
        (
            Split(
                tuple(o.place for o in combo) + tuple(chosen[len(head) :]),
                tuple(dropped_numbers(combo)) + (False,) * len(tail),
                weight / total,
            )
            for weight, combo in by_pattern.values()
            if weight / total >= SPLIT_MIN_SHARE
        ),
        key=lambda x: -x.share,
    )[:MAX_SPLITS]
    return Choice(tuple(chosen), same / total, tuple(numbers), share, tuple(rivals), tuple(splits))


def _place_penalty(r: Resolved, k: int, p: Place) -> float:
    """What taking ``p``, the mention's ``k``-th option, costs against its first.

    Each rank down costs ``RANK_COST``, but a smaller place named exactly as the first, in its
    country, costs no more than its size says (``namesake_weight``, as a lone name's namesakes are
    weighed): the fifth of five Lesnoys, of 7,000 people, is a third as likely as one of 55,000,
    not a tenth. How well the reading matches counts too. A place the reading names only within
    OCR tolerance, when it names another exactly, supposes the reading wrong ("Poltava" taken as
    "Poltavka", 700 km away, to fit a misread distance): it costs what a misreading costs. A place
    whose country signs in another unit than the one written costs ``UNIT_ABROAD_ODDS``. A hamlet
    signed far (``signed_far``) costs nothing more here: the place chosen is the one its reading
    names best, and only its namesakes are weighed by that (``estimate._namesake_shares``).
    """
    top = r.options[0]
    rank = RANK_COST * k
    if p.match == top.match >= EXACT_MATCH and p.country_code == top.country_code and p.population <= top.population:
        rank = min(rank, math.log(namesake_weight(top) / namesake_weight(p)))
    misread = p.match < EXACT_MATCH and any(q.match >= EXACT_MATCH for q in r.options)
    abroad = -math.log(UNIT_ABROAD_ODDS) if unit_abroad(r.mention.distance_unit, p) else 0.0
    return rank + MATCH_COST * (1 - p.match) + (_misread_cost(r) if misread else 0.0) + abroad


def _namesake_sets(
    best: Sequence[_Option],
    head: Sequence[Resolved],
    options: Sequence[Sequence[_Option]],
    cost: Callable[[Sequence[_Option]], float],
) -> list[tuple[float, list[_Option]]]:
    """Other sets of exact namesakes for the best combination's ring rows that the search never weighed.

    A sign of common names ("Іванівка 38 / Василівка 110 / Степанівка 142") fits some set of
    their dozens of namesakes almost whatever its numbers; the search weighs only a few per row,
    so the set it finds would be stated as sure. Every set whose places lie pairwise as two rings
    allow (no farther apart than the two distances together, no nearer than ``ROAD_FACTOR_MIN``
    times their difference) is a rival, and each is costed as the search costs its combinations,
    the likeliest first: namesakes by their prior (``_namesake_penalty``), at most ``SET_BUDGET``.
    """
    rings = [i for i, o in enumerate(best) if o.place is not None and o.km]
    if len(rings) < 2:
        return []
    base = sum(best[i].penalty for i in rings)
    rows: list[list[_Option]] = []
    for i in rings:
        r, chosen = head[i], best[i]
        assert chosen.place is not None
        known = {q.geonameid for q in r.options}
        ranked = list(r.options) + [q for q in r.namesakes if q.geonameid not in known]
        row = [
            _Option(_namesake_penalty(r, k, q, chosen.place, chosen.penalty), q, mention_km(r.mention, q))
            for k, q in enumerate(ranked)
            if q.match >= EXACT_MATCH
        ]
        rows.append(sorted(row, key=lambda o: o.penalty))
    searched = [{o.place.geonameid for o in options[i] if o.place is not None and o.km} for i in rings]

    def apart(a: _Option, b: _Option) -> bool:
        assert a.place is not None and b.place is not None and a.km and b.km
        km = haversine_km(a.place.lat, a.place.lon, b.place.lat, b.place.lon)
        return ROAD_FACTOR_MIN * abs(a.km - b.km) <= km <= a.km + b.km

    found: list[list[_Option]] = []

    def grow(chosen: list[_Option], penalty: float) -> None:
        if len(found) >= SET_BUDGET:
            return
        if len(chosen) == len(rows):
            if not all(o.place is not None and o.place.geonameid in s for o, s in zip(chosen, searched, strict=True)):
                found.append(chosen)
            return
        for o in rows[len(chosen)]:
            if penalty + o.penalty > base + SET_PENALTY_SPAN:
                break  # sorted: the rest weigh less still
            if all(apart(o, c) for c in chosen):
                grow([*chosen, o], penalty + o.penalty)

    grow([], 0.0)
    sets = []
    for picked in found:
        combo = list(best)
        for i, o in zip(rings, picked, strict=True):
            combo[i] = o
        sets.append((cost(combo), combo))
    return sets


def _namesake_penalty(r: Resolved, k: int, q: Place, chosen: Place, penalty: float) -> float:
    """What taking namesake ``q`` (the ``k``-th) costs, given the place chosen for its row at ``penalty``.

    A smaller namesake in the chosen place's country costs no more than its size says against the
    chosen one: the twentieth Ivanivka of Ukraine is weighed by its size, not by the ranks of the
    namesakes listed before it (``RANK_COST`` each); namesakes elsewhere cost what the search
    costs them. A hamlet signed farther than hamlets are (``signed_far``) costs its odds more,
    as among a lone name's namesakes, unless the chosen place is one too.
    """
    own = _place_penalty(r, k, q)
    if q.country_code == chosen.country_code and q.population <= chosen.population:
        own = min(own, penalty + math.log(namesake_weight(chosen) / namesake_weight(q)))
    if signed_far(r, q) and not signed_far(r, chosen):
        own -= math.log(FAR_HAMLET_ODDS)
    return own


def _reachable_namesakes(r: Resolved, ringed: Sequence[Resolved]) -> list[Place]:
    """Up to ``RING_NAMESAKES`` more of a row's namesakes that another row's places lie within reach
    of: no farther apart than the two road distances together, which bound the straight line."""
    known = {p.geonameid for p in r.options}
    others = [(o, o_km) for q in ringed if q is not r for o in q.options if (o_km := mention_km(q.mention, o))]
    out: list[Place] = []
    for p in r.namesakes:
        if p.geonameid in known:
            continue
        km = mention_km(r.mention, p) or 0.0  # in the unit of p's country
        if any(haversine_km(p.lat, p.lon, o.lat, o.lon) <= km + d for o, d in others):
            out.append(p)
            if len(out) == RING_NAMESAKES:
                break
    return out


class _Option(NamedTuple):
    """One way to take a mention: a place with its distance, a place whose distance was misread
    (``km`` None), or a misreading (``place`` None), at a cost."""

    penalty: float
    place: Place | None
    km: float | None
