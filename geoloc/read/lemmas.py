"""The dictionary forms of an inflected Ukrainian or Russian name: "під Черніговом" names Чернігів.

Slavic prose declines place names ("у Брянській області", "з Білоруссю", "в Сумах"), and a
gazetteer holds them in the nominative. pymorphy3 with its Ukrainian and Russian dictionaries
(OpenCorpora and LanguageTool data, shipped in the registry packages) gives each word's possible
lemmas; the gazetteer then decides which of them is a place, so a wrong parse costs nothing.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from geoloc.common.text import SCRIPT_CYRILLIC, script_of

LANGUAGES = ("uk", "ru")
"""Dictionaries tried for every Cyrillic phrase: Ukrainian and Russian share most of the alphabet,
and a caption's language is not known word by word."""

MAX_PARSES = 3
"""Readings of a word kept per language: the first parse of "Києві" is the noun "кий" (cue); the
second is Київ. Three cover the place among the common nouns it declines like."""

MAX_FORMS = 6
"""Dictionary forms returned per phrase (a few per language), best parses first."""

REMEMBERED_NAMES = 4096
"""Names whose guessed forms a process keeps, and words whose parses it keeps: a caption's names
are looked at by each of its passes (the regions' pass, the namesakes' weighing), a batch's
captions name a few thousand, and a long article repeats its words."""


@functools.cache
def _analyzer(lang: str) -> Any:  # noqa: ANN401 - pymorphy3 ships no type hints
    """pymorphy3's analyser for one language, loaded on first use (about 0.1 s)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _title(word: str) -> str:
    """A lemma written as a name: "брянська" -> "Брянська", "івано-франківськ" -> "Івано-Франківськ"."""
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


_CASE_OF = {"loc2": "loct", "gen2": "gent", "acc2": "accs"}
"""The dictionaries' second cases, as the first ("в лесу", "из лесу"): an adjective before such a
noun takes the first case's form."""


def _case(tag: Any) -> str | None:  # noqa: ANN401 - pymorphy3's OpencorporaTag
    """A parse's case, a second case as its first; None for a word without case (a verb)."""
    return _CASE_OF.get(tag.case, tag.case)


_IN_OR_INTO = frozenset({"loct", "accs"})
_GENITIVE = frozenset({"gent"})
_UNDER_OR_BEHIND = frozenset({"ablt", "accs"})
_NEUTER_ALIKE = frozenset({"gent", "datv", "ablt", "loct"})
"""The cases in which a masculine adjective is spelled as the neuter ("Каменского", "Каменському")."""


def _neuter(parse: Any) -> str | None:  # noqa: ANN401 - pymorphy3's Parse
    """The neuter nominative of a masculine adjective, or of a surname declined as one (the
    Russian dictionary knows "Каменский" only as a surname): "Каменское", "Кам'янське"."""
    if "ADJF" in parse.tag:
        inflected = parse.inflect({"nomn", "neut"})
        return inflected.word if inflected is not None else None
    lemma = parse.normal_form
    if "Surn" in parse.tag and lemma.endswith(TOWN_ADJECTIVE_ENDINGS):
        return lemma[:-2] + ("е" if lemma.endswith("ький") else "ое")
    return None


PREPOSITION_CASES: dict[str, frozenset[str]] = {
    **dict.fromkeys("в во на".split(), _IN_OR_INTO),
    **dict.fromkeys("у".split(), _IN_OR_INTO | _GENITIVE),
    **dict.fromkeys("под подо під над за перед между між".split(), _UNDER_OR_BEHIND),
    **dict.fromkeys("с со з із зі".split(), _GENITIVE | {"ablt"}),
    **dict.fromkeys(
        "біля поблизу неподалік коло від до з-під около возле близ от из районі районе околиці окраине "
        "окрестностях".split(),
        _GENITIVE,
    ),
    **dict.fromkeys("к ко".split(), frozenset({"datv"})),
}  # fmt: skip
"""The cases a name takes after a preposition or a location noun, in Ukrainian and Russian, as
``_case`` names them (a second case as its first): "под Артемовском" is Артемовск in the
instrumental, not the locative of the adjective "Артёмовский" it also spells; "у Харкові" is
Харків, "у Харкова" too. Only the head word's parses are filtered, and when none fits, all are
kept."""


def dictionary_forms(phrase: str, after: str = "") -> tuple[str, ...]:
    """The nominative forms a Cyrillic phrase may stand for, best first, without the phrase itself.

    The last word is the head (a town, a country, "область"); the words before it are adjectives
    put in the head's gender and number ("Брянською областю" -> "Брянська область"). ``after`` is
    the word right before the phrase: a preposition there allows only the cases it governs
    (``PREPOSITION_CASES``). Latin phrases have none: English and the other Latin-script languages
    of captions do not decline their place names.
    """
    words = phrase.split()
    if not words or script_of(phrase) != SCRIPT_CYRILLIC:
        return ()
    cases = PREPOSITION_CASES.get(after.lower(), frozenset())
    forms: list[str] = []
    for lang in LANGUAGES:
        morph = _analyzer(lang)
        parses = morph.parse(words[-1])
        governed = [p for p in parses if _case(p.tag) in cases]
        for head in (governed or parses)[:MAX_PARSES]:
            plural = bool({"plur", "Pltm"} & set(head.tag.grammemes))
            agree = {"nomn", "plur"} if plural or not head.tag.gender else {"nomn", head.tag.gender}
            lemmas = [(head.normal_form, agree)]
            if "plur" in head.tag.grammemes and (many := head.inflect({"nomn", "plur"})) is not None:
                # "в районі Кринок", "Алешек": a town named in the plural (Кринки, Алешки), which
                # the dictionary knows only as a common noun, whose dictionary form is singular
                lemmas.append((many.word, {"nomn", "plur"}))
            if head.tag.gender == "masc" and _case(head.tag) in _NEUTER_ALIKE and (neuter := _neuter(head)):
                # "от Каменского" is Каменский or Каменское (Kamianske's Russian name): the
                # masculine and neuter adjective share this case, and towns are named both ways.
                lemmas.append((neuter, {"nomn", "neut"}))
            for lemma, grammemes in lemmas:
                before = []
                for word in words[:-1]:
                    # An adjective agrees with its noun: "Кривому Розі" is Кривий Ріг, though
                    # "Кривому" is first the noun "криве" and a surname, and its adjective only fifth.
                    word_parses = morph.parse(word)
                    adjective = next(
                        (p for p in word_parses if "ADJF" in p.tag and _case(p.tag) == _case(head.tag)),
                        next((p for p in word_parses[:MAX_PARSES] if "ADJF" in p.tag), None),
                    )
                    inflected = adjective.inflect(grammemes) if adjective is not None else None
                    before.append(_title(inflected.word) if inflected is not None else word)
                form = " ".join([*before, _title(lemma)])
                if form != phrase and form not in forms:
                    forms.append(form)
    forms = forms[:MAX_FORMS]
    if len(words) == 2 and (owner := _possessive(words[0])):
        # "Часового Яру": a possessive adjective, which the dictionaries lemmatise as a plain one ("Часовий")
        heads = dict.fromkeys(form.split()[-1] for form in forms)
        forms += [f"{owner} {head}" for head in heads if f"{owner} {head}" not in forms]
    head = phrase.partition("-")[0]
    if len(words) == 1 and "-" in phrase and all(form.partition("-")[0] == head for form in forms):
        forms += [form for form in _hyphenated_forms(phrase, after) if form != phrase and form not in forms]
    if len(words) == 1:
        stems = [_SK_TOWN_RE.sub(r"\1", phrase)]
        known = {lang: _analyzer(lang).word_is_known(phrase.lower()) for lang in LANGUAGES}
        if not known["uk"]:
            stems.append(_LOCATIVE_TOWN_RE.sub("", phrase))
        if not any(known.values()):
            stems += _belarusian_forms(phrase)
        forms += [town for town in dict.fromkeys(stems) if town != phrase and town not in forms]
    return tuple(forms)


def _hyphenated_forms(word: str, after: str) -> list[str]:
    """The nominative forms of a declined hyphenated town name whose first part the dictionaries
    leave as written: a noun and its adjective after it ("Каменске-Шахтинском" -> Каменск-Шахтинский,
    "Кам'янці-Дніпровській" -> Кам'янка-Дніпровська), read as the adjective before the noun; or a
    noun and a river's name ("Николаевске-на-Амуре" -> Николаевск-на-Амуре), which stays as written."""
    head, _, rest = word.partition("-")
    if not head or not rest:
        return []
    if rest[:1].islower():
        return [f"{form}-{rest}" for form in dictionary_forms(head, after)[:MAX_PARSES]]
    if "-" in rest:
        return []
    pairs = (form.split(" ", 1) for form in dictionary_forms(f"{rest} {head}", after) if form.count(" ") == 1)
    return [f"{noun}-{adjective}" for adjective, noun in pairs]


_POSSESSIVE_ENDINGS = (
    (re.compile(r"(?:ов|ев)(?:ого|ому|им|ім)$"), "ів"),  # Ukrainian: "Часового Яру" -> Часів Яр
    (re.compile(r"єв(?:ого|ому|им|ім)$"), "їв"),
    (re.compile(r"(?<=ов|ев|ин)(?:а|у|ым|е)$"), ""),  # Russian: "Часова Яра" -> Часов Яр
)
"""The declined endings of a possessive adjective, the first word of names such as "Часів Яр"
(Часов Яр): Ukrainian declines "Часів" as the adjective "Часовий" ("Часового", "Часовому"),
Russian "Часов" by its short endings ("Часова", "Часову"), and neither dictionary holds them."""


def _possessive(word: str) -> str | None:
    """The nominative of a declined possessive adjective ("Часового" -> "Часів", "Часова" -> "Часов"), else None."""
    for ending, nominative in _POSSESSIVE_ENDINGS:
        if ending.search(word):
            return ending.sub(nominative, word)
    return None


_BELARUSIAN_CASE_RE = re.compile(r"(?:амі|ямі|ах|ях|аў|яў|ам|ям|ом|ём|ем|ай|яй|аю|ою|ы|і|е|у|ю|а|я)$")
"""The case endings of Belarusian nouns ("у Брэсце", "пад Мазыром", "з Баранавічаў", "у Лідзе"),
which neither dictionary reads: the Belarusian town names the gazetteer holds ("Брэст",
"Баранавічы") are reached through their stems."""
_BELARUSIAN_HARDENED = (("сц", "ст"), ("дз", "д"), ("в", "ў"))
"""A declined stem's last letters and the nominative's: the locative softens "Брэсце" (Брэст) and
"Лідзе" (Ліда); a final ў is в before an ending ("у Магілёве": Магілёў)."""
_BELARUSIAN_NOMINATIVE_ENDINGS = ("", "а", "я", "ы", "і")
"""What a Belarusian town's nominative may end in after its stem: Брэст, Ліда, Баранавічы."""


def _belarusian_forms(word: str) -> list[str]:
    """The nominatives a declined Belarusian town name may stand for: its stem (``_BELARUSIAN_CASE_RE``,
    hardened as the locative softens it) with each nominative ending; the gazetteer keeps the one
    that names a place."""
    stem = _BELARUSIAN_CASE_RE.sub("", word)
    if stem == word:
        return []
    stems = [stem] + [stem[: -len(soft)] + hard for soft, hard in _BELARUSIAN_HARDENED if stem.endswith(soft)]
    forms = (s + ending for s in stems for ending in _BELARUSIAN_NOMINATIVE_ENDINGS)
    return [form for form in forms if len(form) >= TOWN_FORM_LETTERS]


_SK_TOWN_RE = re.compile(r"(ськ|цьк|зьк|ск|цк)(?:а|у|ом|ові|е|ою)$")
"""A town named in "-ськ"/"-ск" declined as the noun it is ("у Слуцьку", "від Климовська", "в
Вавкависке"): the dictionaries guess an unknown one as an adjective ("Слуцький", "Слуцька"),
so the noun's stem is offered too, and the gazetteer decides."""


_LOCATIVE_TOWN_RE = re.compile(r"(?<=[бвгґджзклмнпрстфхцчшщ])(?:ові|еві|і)$")
"""A town the Ukrainian dictionary lacks, in the locative or dative of a masculine noun ("у
Жлобіні", "по Жлобінові"): the dictionary offers nothing or an adjective ("Жлобіновий"), so the
stem is offered as the noun's nominative, and the gazetteer decides."""


_UKRAINIAN_ENDINGS = (
    ("еевка", "іївка"),  # Андреевка: Андріївка
    ("аевка", "аївка"),  # Николаевка: Миколаївка (the stem's и is і's key alike)
    ("оевка", "оївка"),
    ("иевка", "іївка"),
    ("овка", "івка"),  # Новопрокоповка: Новопрокопівка
    ("евка", "івка"),
    ("ское", "ське"),  # Невельское: Невельське
    ("цкое", "цьке"),
    ("ое", "е"),  # Нескучное: Нескучне
    ("ино", "ине"),  # Очеретино: Очеретине
    ("ово", "ове"),  # Курахово: Курахове
    ("ево", "еве"),
    ("ск", "ськ"),
    ("цк", "цьк"),
)
"""Russian endings of Ukrainian place names and the Ukrainian ones they stand for, longest first."""

_UKRAINIAN_VOWELS = (("е", "і"), ("о", "і"), ("а", "о"))
"""Vowels a Russian name's stem may write where the Ukrainian name has another: і for о and е in
a closed syllable (Спорное: Спірне, Клещеевка: Кліщіївка), о for а (Работино: Роботине)."""


SPELLED_NAME_LETTERS = 32
"""Longest name given Ukrainian spellings: Ukraine's longest village names have about 25 letters
("Новоолександрополь" 18), and each vowel of a longer word would be one more lookup."""


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def ukrainian_spellings(name: str) -> tuple[str, ...]:
    """The Ukrainian spellings a Russian name of a Ukrainian village may stand for, to look up.

    Russian-language news names Ukraine's villages in Russian ("под Клещеевкой", "в районе
    Работино"); GeoNames holds most villages by their Ukrainian name only. The Russian ending is
    put in Ukrainian, and one vowel of the stem at most changed as Ukrainian spells it; most of the
    spellings name nothing, and the gazetteer keeps the one that names a place. A name without a
    Russian ending gives none.
    """
    if script_of(name) != SCRIPT_CYRILLIC or " " in name or len(name) > SPELLED_NAME_LETTERS:
        return ()
    word = name.replace("ы", "и").replace("Ы", "И").replace("э", "е").replace("Э", "Е")
    lower = word.lower()
    ending = next(((ru, uk) for ru, uk in _UKRAINIAN_ENDINGS if lower.endswith(ru) and len(lower) > len(ru) + 2), None)
    if ending is None:
        return ()
    stem = word[: -len(ending[0])]
    stems = [stem] + [
        stem[:i] + new + stem[i + 1 :]
        for i, letter in enumerate(stem)
        for old, new in _UKRAINIAN_VOWELS
        if letter == old
    ]
    forms = dict.fromkeys(s + ending[1] for s in stems)
    forms.pop(name, None)
    return tuple(forms)


TOPONYM_SHARE = 0.5
"""Share of the Russian dictionary's parse probability above which a word is mainly a place's name:
"Донецк" 1.0, "Азов" 0.6 (and "аз", a letter), "Киров" 0.75 (and a surname); not "Мирный" 0.5
(peaceful), "Орёл" 0.33 (eagle), "Пушкин" 0.33 (the poet), "Зима" 0 (winter)."""


def is_toponym(phrase: str) -> bool:
    """Whether a word of a Cyrillic phrase is, by the Russian dictionary, mainly a place's name.

    wordfreq counts names with words, so a town talked about ("Азов", "Усть-Кут", "Донецк") is as
    frequent as shop and notice vocabulary; OpenCorpora tags place names (Geox), and its parse
    scores say how often a word is one. Only words the dictionary holds count: it guesses the
    others from their endings. The Ukrainian dictionary tags no place names, so a Ukrainian
    spelling ("Бориспіль") is not judged here.
    """
    if script_of(phrase) != SCRIPT_CYRILLIC:
        return False
    morph = _analyzer("ru")
    for word in phrase.lower().split():
        if morph.word_is_known(word):
            parses = morph.parse(word)
            if sum(p.score for p in parses if "Geox" in p.tag.grammemes) > TOPONYM_SHARE:
                return True
    return False


def is_russian(phrase: str) -> bool:
    """Whether the Russian dictionary holds every word of a Cyrillic phrase (then ``is_toponym``
    judges it; a Ukrainian or Belarusian spelling such as "Бориспіль" it does not hold)."""
    morph = _analyzer("ru")
    words = phrase.lower().split()
    return bool(words) and script_of(phrase) == SCRIPT_CYRILLIC and all(morph.word_is_known(w) for w in words)


NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
"""What the dictionaries tag as a name: of a person, a place, an organisation, a brand."""


def is_locative(word: str) -> bool:
    """Whether a Cyrillic word after "на" names where (the locative: "на Салтівці", "на
    Донбассе", "на Сумщині"), not whither (the accusative: "атака на Москву", "на Харків").

    "На" takes both cases, so it says where only when a dictionary's parses of the word include
    the locative and none the accusative. Each language is asked on its own: the Ukrainian
    dictionary guesses "Кубани" as an accusative of an unknown "Кубан"; the Russian one knows it."""
    if script_of(word) != SCRIPT_CYRILLIC:
        return False
    for lang in LANGUAGES:
        cases = {_case(p.tag) for p in _analyzer(lang).parse(word)[:MAX_PARSES]}
        if "loct" in cases and "accs" not in cases:
            return True
    return False


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def _likeliest_parse(word: str) -> Any | None:  # noqa: ANN401 - pymorphy3's Parse
    """A Cyrillic word's likeliest parse in the first dictionary that holds it; None for a word
    neither holds, or a Latin one."""
    if script_of(word) != SCRIPT_CYRILLIC:
        return None
    for lang in LANGUAGES:
        morph = _analyzer(lang)
        if morph.word_is_known(word.lower()):
            return morph.parse(word)[0]
    return None


def is_plain_word(word: str) -> bool:
    """Whether a Cyrillic word is, by its likeliest parse in a dictionary that holds it, a plain
    word of the language (a noun, an adjective, a preposition), not a name: "Освобождение",
    "Прикордонний" and "На" are; "Тарас", "Николай" and "Донецк" are not, nor a Latin word."""
    parse = _likeliest_parse(word)
    return parse is not None and not NAME_GRAMMEMES & set(parse.tag.grammemes)


_BELARUSIAN_LETTERS_RE = re.compile(r"ў|[жшч]ы", re.IGNORECASE)
"""Belarusian spelling: "ў", which neither Ukrainian nor Russian has; "жы", "шы", "чы", which
Russian spells "жи", "ши", "чи" and Ukrainian, without "ы", never writes."""


def is_belarusian_spelling(text: str) -> bool:
    """Whether ``text`` is spelled as Belarusian is, not as Ukrainian or Russian: its letters
    (``_BELARUSIAN_LETTERS_RE``), or "і" with "ы" or "э", which each of them has only one of.
    Each test is one pass over the text: a caption may be a megabyte long."""
    if _BELARUSIAN_LETTERS_RE.search(text) is not None:
        return True
    lower = text.lower()
    return "і" in lower and ("ы" in lower or "э" in lower)


def is_unknown_belarusian(word: str, sentence: str) -> bool:
    """Whether ``word`` is a word of a Belarusian ``sentence`` that neither dictionary holds: no
    dictionary in the registries reads Belarusian, so its plain words ("Жыхары", residents) are
    unknown there as names are; in a sentence spelled in Belarusian, an unknown word is taken for
    a plain one."""
    if script_of(word) != SCRIPT_CYRILLIC or not is_belarusian_spelling(sentence):
        return False
    return not any(_analyzer(lang).word_is_known(word.lower()) for lang in LANGUAGES)


TOWN_ADJECTIVE_ENDINGS = ("ський", "цький", "зький", "ский", "цкий", "зкий")
"""Endings of the adjectives Ukrainian and Russian make from a town's name ("Покровський",
"Донецкий", "Запорізький"). A possessive adjective ("Миколаїв", Mykola's) spells like a town."""


def is_adjective(word: str) -> bool:
    """Whether a Cyrillic word is, by its likeliest parse in a dictionary that holds it, an
    adjective ("оперный", "національного"), not a preposition, a verb or a noun ("в", "суботу")."""
    parse = _likeliest_parse(word.lower())
    return parse is not None and "ADJF" in parse.tag


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def qualifies(adjective: str, noun: str) -> bool:
    """Whether a Cyrillic ``adjective`` is, by its likeliest parse, an adjective that agrees with
    ``noun`` in case, number and gender, in a dictionary that holds both: "Пограничный пункт",
    "Центральний район", "Красная площадь"; not "Суми потерпають" or "Харків сьогодні"."""
    if script_of(adjective) != SCRIPT_CYRILLIC:
        return False
    for lang in LANGUAGES:
        morph = _analyzer(lang)
        if not (morph.word_is_known(adjective.lower()) and morph.word_is_known(noun.lower())):
            continue
        parses, noun_parses = morph.parse(adjective.lower()), morph.parse(noun.lower())
        if "ADJF" not in parses[0].tag or "NOUN" not in noun_parses[0].tag:
            return False  # "Витебском в ночь": "в" is a letter's name, but a preposition first
        return _agreeing_noun([p for p in parses if "ADJF" in p.tag], noun_parses) is not None
    return False


def _agreeing_noun(adjectives: list[Any], parses: list[Any]) -> str | None:
    """The dictionary form of the first noun among ``parses`` that one of the ``adjectives``
    (pymorphy3 parses) agrees with in case, number and gender; None when none does."""
    for n in (p for p in parses if "NOUN" in p.tag):
        plural = "plur" in n.tag
        for a in adjectives:
            if _case(a.tag) != _case(n.tag) or plural != ("plur" in a.tag):
                continue
            if plural or a.tag.gender == n.tag.gender:
                return str(n.normal_form)
    return None


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def attributed_noun(adjective: str, noun: str) -> str | None:
    """The dictionary form of ``noun`` when ``adjective``, the word before it, is an adjective that
    agrees with it, in case, number and gender: "Суджанського району" -> "район", "Первомайском
    сквере" -> "сквер"; None for "Черніговом сьогодні" or "Донецьк місто".

    Ukrainian and Russian name districts, fronts, squares, bays and streets with the adjective of a
    town ("Покровський напрямок", "Севастопольская бухта"), and write the adjective capitalised.
    Each must be first of all an adjective and a noun. The noun must be a word the dictionary holds;
    the adjective may be guessed from its ending, as a small town's ("Суджанський") is in no dictionary.
    """
    for lang in LANGUAGES:
        morph = _analyzer(lang)
        noun_parses, adjective_parses = morph.parse(noun.lower()), morph.parse(adjective.lower())
        if not morph.word_is_known(noun.lower()) or "NOUN" not in noun_parses[0].tag:
            continue  # "в" is a letter's name, but a preposition first
        if "ADJF" in adjective_parses[0].tag or not morph.word_is_known(adjective.lower()):
            # a small town's adjective is in no dictionary, and its parses are guesses, the
            # adjective's among them ("Изюмском": also guessed a noun)
            adjectives = [
                p for p in adjective_parses if "ADJF" in p.tag and p.normal_form.endswith(TOWN_ADJECTIVE_ENDINGS)
            ]
        elif _a_town(adjective_parses[0]):
            adjectives = _spelt_as_town(morph, adjective.lower(), adjective_parses[0].normal_form)
        else:
            continue  # "Чернігова" may be an adjective, but is Chernihiv first
        if (agreeing := _agreeing_noun(adjectives, noun_parses)) is not None:
            return agreeing
    return None


_TOWN_STEM_ENDINGS = tuple(ending.removesuffix("ий") for ending in TOWN_ADJECTIVE_ENDINGS)
"""How the stem of a town's adjective ends ("Купянск-ий", "Торецьк-ий"): a town so named spells
some of its forms as the adjective's ("Купянском", "Торецькому")."""


def _a_town(parse: Any) -> bool:  # noqa: ANN401 - pymorphy3's Parse
    """Whether the dictionary reads a word as a town whose name spells like its own adjective's
    forms: a place's name (Russian's "Geox": "Купянск") or a noun made of an adjective ("Торецьке",
    which the Ukrainian dictionary files as a noun)."""
    town = str(parse.normal_form)
    adjectival = town[-1:] in "еаяоі" and town[:-1].endswith(_TOWN_STEM_ENDINGS)
    return "NOUN" in parse.tag and ("Geox" in parse.tag.grammemes or adjectival)


def _spelt_as_town(morph: Any, word: str, town: str) -> list[Any]:  # noqa: ANN401 - pymorphy3's analyser
    """The parses of ``word`` as a form of the adjective of ``town``, the town the dictionary reads
    it as: "Купянском" is Kupiansk's instrumental and, spelt alike, its adjective's locative ("на
    Купянском направлении"); "Торецькому" the dative of Торецьке, and of "Торецький". Which one the
    noun after it says."""
    stem = town if town.endswith(_TOWN_STEM_ENDINGS) else town[:-1]
    if not stem.endswith(_TOWN_STEM_ENDINGS):
        return []
    forms = []
    for parse in morph.parse(stem + "ий"):
        if "ADJF" in parse.tag and parse.normal_form.endswith(TOWN_ADJECTIVE_ENDINGS):
            forms += [form for form in parse.lexeme if form.word == word]
    return forms


TOWN_FORM_LETTERS = 4
"""Fewest letters of a town's name derived from an adjective: the stem of "Курський" is "Кур", a
word, not the town; the shortest towns so named ("Суми", "Рига") have four."""
SECOND_WORD_LETTERS = 3
"""The same for the second word of a two-word town, which is read with its first: "Кривий Ріг"."""

_ADJECTIVE_ENDINGS = ("ий", "ій", "ой")
"""Masculine dictionary-form endings of Ukrainian and Russian adjectives."""

_STEM_TOWN_ENDINGS = ("", "и", "ы", "о", "е", "ье", "я", "ь", "ка", "а", "са", "си", "сы")
"""What a town's name may end in after the stem its adjective keeps: "Бахмут(ський)", "Сум(ський)":
Суми, "Одинцов(ский)": Одинцово, "Запорож(ский)": Запорожье, "Рязан(ский)": Рязань,
"Кахов(ський)": Каховка, "Сквир(ський)": Сквира; a town's last "с" merges into the suffix:
"Оде(ський)": Одеса, "Одес(ский)": Одесса, "Черка(ський)": Черкаси, "Черкас(ский)": Черкассы."""


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def town_forms(adjective: str) -> tuple[str, ...]:
    """The names a town's adjective may be made from, for the gazetteer to choose among.

    "Раменском" -> "Раменское" (a town named by its adjective, in any gender); "Покровському" ->
    "Покровськ" (the adjective keeps the town's "-ськ"); "Бахмутського" -> "Бахмут" and
    "Сумського" -> "Суми" (it adds "-ськ" to the stem); "Суджанського" -> "Суджа" (with "-ан");
    "Запорізького" -> "Запоріжжя" (ж becomes з); "Курахівського" -> "Курахове" (о becomes і);
    "Дніпровського" -> "Дніпро" (a "в" put in).
    Most of the forms name nothing: the gazetteer keeps the one that names a place best.
    """
    unique = _one_word_towns(adjective, TOWN_FORM_LETTERS)
    return unique + tuple(x for x in _two_word_towns(adjective) if x not in unique)


def _one_word_towns(adjective: str, fewest: int) -> tuple[str, ...]:
    """The one-word names of ``_town_forms``, each once, of ``fewest`` letters or more: a town's
    (``TOWN_FORM_LETTERS``), or the second word of a two-word town (``SECOND_WORD_LETTERS``:
    "різького" -> "Ріг", among others)."""
    return tuple(dict.fromkeys(_title(form) for form, _ in _town_forms(adjective) if len(form) >= fewest))


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def slavic_town_forms(adjective: str) -> frozenset[str]:
    """Those of ``town_forms`` that only the ways of Ukrainian and Russian place names make: a
    suffix "-ан-" or "-ин-" taken off ("Суджанського": Суджа), "і" for "о" ("Курахівського":
    Курахове), a plural town ("Пологівського": Пологи). A town abroad such a form spells is a
    coincidence of letters: "Лиманском" is Lyman's front, not Lima's (whose adjective is "лимский");
    "Курахівському" not Karachi's."""
    plain = {_title(form) for form, slavic in _town_forms(adjective) if not slavic}
    return frozenset(_title(form) for form, slavic in _town_forms(adjective) if slavic) - plain


@functools.lru_cache(maxsize=REMEMBERED_NAMES)
def _town_forms(adjective: str) -> tuple[tuple[str, bool], ...]:
    """``town_forms`` in the order made, each with whether a way of Slavic place names made it."""
    forms: list[tuple[str, bool]] = []
    for lang in LANGUAGES:
        morph = _analyzer(lang)
        parses = morph.parse(adjective.lower())
        geox = [_spelt_as_town(morph, adjective.lower(), p.normal_form) for p in parses[:1] if _a_town(p)]
        for a in [p for p in parses if "ADJF" in p.tag] + [a for forms in geox for a in forms]:
            for gender in ("masc", "femn", "neut"):
                inflected = a.inflect({"nomn", "sing", gender}) or a.inflect({"nomn", gender})
                if inflected is not None:
                    forms.append((inflected.word, False))
            lemma = str(a.normal_form)
            if not lemma.endswith(_ADJECTIVE_ENDINGS):
                continue
            base = lemma[:-2]
            forms.append((base, False))  # Покровськ, Курск, Донецьк
            slavic: list[str] = []
            for suffix in ("ськ", "ск"):
                if base.endswith(suffix):
                    stem = base[: -len(suffix)]
                    forms += [(stem + ending, False) for ending in _STEM_TOWN_ENDINGS]
                    if stem.endswith(("ан", "ян", "ин", "ен")):  # Судж-ан-ський, Шостк-ин-ський, Токмач-ан-ський
                        slavic += [stem[:-2] + "а", stem[:-2] + "о", stem[:-2] + "ка"]
                    if stem.endswith(("ін", "ен", "ин")):  # Кремін-ський: Кремінна; Кремен-ский: Кременная
                        slavic += [stem + "на", stem + "ная"]
                    if stem.endswith("ен"):  # an "е" put in: Рівнен-ський, Рівне; Ровен-ский, Ровно
                        slavic += [stem[:-2] + "е", stem[:-2] + "но"]
                    if stem.endswith("ів"):  # Ukrainian і for о in a closed syllable: Курахів-ський, Курахове
                        slavic += [stem[:-2] + "ове", stem[:-2] + "ово", stem[:-2] + "ова"]  # Лозів-ський: Лозова
                    if stem.endswith(("ів", "ов")):  # a plural town's -ів-/-ов-: Пологівський, Пологовский: Пологи
                        slavic += [stem[:-2] + "и", stem[:-2] + "а"]  # and a -ка town's: Новосілків-ський: Новосілка
                    if stem.endswith("ів"):  # "і" put before a last "в": Жовків-ський, Жовква; Церків-ський, Церква
                        slavic.append(stem[:-2] + "ва")
                    if stem.endswith("ов"):  # a "в" put in after a last "о": Дніпров-ський, Дніпро
                        slavic.append(stem[:-1])
            forms += [(form, True) for form in slavic]
            if base.endswith(("цьк", "цк")):  # Прилу-цький: Прилуки; Бурлу-цький: Бурлук (к becomes ц)
                stem = base.removesuffix("цьк").removesuffix("цк")
                forms += [(stem + "к", False), (stem + "ки", False)]
                forms += [(stem + "ця", False), (stem + "ца", False)]  # Вінни-цький: Вінниця; Винни-цкий: Винница
            if base.endswith("зьк"):  # Запоріз-ький: Запоріжжя; Ризький: Рига; Різький: Ріг
                forms += [(base[:-3] + "жжя", False), (base[:-3] + "га", False), (base[:-3] + "г", False)]
            if base.endswith("жск"):  # Рож-ский: Рог (г becomes ж)
                forms += [(base[:-3] + "г", False)]
    return tuple(forms)


_COMPOUND_PREFIXES: dict[str, tuple[str, str, str, str]] = {
    "велико": ("Великий", "Велика", "Велике", "Великі"), "ново": ("Новий", "Нова", "Нове", "Нові"),
    "старо": ("Старий", "Стара", "Старе", "Старі"), "мало": ("Малий", "Мала", "Мале", "Малі"),
    "верхньо": ("Верхній", "Верхня", "Верхнє", "Верхні"), "нижньо": ("Нижній", "Нижня", "Нижнє", "Нижні"),
    "верхне": ("Верхний", "Верхняя", "Верхнее", "Верхние"), "нижне": ("Нижний", "Нижняя", "Нижнее", "Нижние"),
    "біло": ("Білий", "Біла", "Біле", "Білі"), "бело": ("Белый", "Белая", "Белое", "Белые"),
    "красно": ("Красний", "Красна", "Красне", "Красні"), "криво": ("Кривий", "Крива", "Криве", "Криві"),
}  # fmt: skip
"""The first words of two-word town names that their adjective makes one word with, in each gender
and the plural ("Велика Новосілка": Великоновосілківський; "Нова Каховка": Новокаховський; "Біла
Церква": Білоцерківський; "Кривий Ріг": Криворізький; "Красний Лиман": Краснолиманський)."""
_PREFIX_RUSSIAN = {
    "велико": ("Великий", "Великая", "Великое", "Великие"), "ново": ("Новый", "Новая", "Новое", "Новые"),
    "старо": ("Старый", "Старая", "Старое", "Старые"), "мало": ("Малый", "Малая", "Малое", "Малые"),
    "красно": ("Красный", "Красная", "Красное", "Красные"), "криво": ("Кривой", "Кривая", "Кривое", "Кривые"),
}  # fmt: skip
"""The Russian forms of those first words, where they differ from the Ukrainian ("Великая Новосёлка",
"Кривой Рог")."""
_GENDER_BY_ENDING = {**dict.fromkeys("ая", 1), **dict.fromkeys("оеє", 2), **dict.fromkeys("иіы", 3)}
"""Which of a first word's forms (masculine, feminine, neuter, plural) a town's last letter asks for;
a soft sign leaves it open ("Церковь" is feminine, "Ярославль" masculine)."""


def _two_word_towns(adjective: str) -> tuple[str, ...]:
    """The two-word towns a compound adjective may be made from: its first part put before each
    town the rest's adjective may be made from, agreeing with it ("Великоновосілківському" ->
    "Велика Новосілка", "Новокаховська" -> "Нова Каховка")."""
    low = adjective.lower()
    prefix = next(
        (p for p in _COMPOUND_PREFIXES if low.startswith(p) and len(low) - len(p) >= 2 * TOWN_FORM_LETTERS), None
    )
    if prefix is None:
        return ()
    out: list[str] = []
    for town in _one_word_towns(adjective[len(prefix) :], SECOND_WORD_LETTERS):
        genders = (0, 1) if town.endswith("ь") else (_GENDER_BY_ENDING.get(town[-1:].lower(), 0),)
        for gender in genders:
            words = [_COMPOUND_PREFIXES[prefix][gender]]
            russian = _PREFIX_RUSSIAN.get(prefix)
            if russian and russian[gender] != words[0]:
                words.append(russian[gender])
            out += [f"{word} {town}" for word in words]
    return tuple(dict.fromkeys(out))
