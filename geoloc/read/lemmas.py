"""The dictionary forms of an inflected Ukrainian or Russian name: "під Черніговом" names Чернігів.

Slavic prose declines place names ("у Брянській області", "з Білоруссю", "в Сумах"), and a
gazetteer holds them in the nominative. pymorphy3 with its Ukrainian and Russian dictionaries
(OpenCorpora and LanguageTool data, shipped in the registry packages) gives each word's possible
lemmas; the gazetteer then decides which of them is a place, so a wrong parse costs nothing.
"""

from __future__ import annotations

import functools
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


@functools.cache
def _analyzer(lang: str) -> Any:  # noqa: ANN401 - pymorphy3 ships no type hints
    """pymorphy3's analyser for one language, loaded on first use (about 0.1 s)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _title(word: str) -> str:
    """A lemma written as a name: "брянська" -> "Брянська", "івано-франківськ" -> "Івано-Франківськ"."""
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def dictionary_forms(phrase: str) -> tuple[str, ...]:
    """The nominative forms a Cyrillic phrase may stand for, best first, without the phrase itself.

    The last word is the head (a town, a country, "область"); the words before it are adjectives
    put in the head's gender and number ("Брянською областю" -> "Брянська область"). Latin
    phrases have none: English and the other Latin-script languages of captions do not decline
    their place names.
    """
    words = phrase.split()
    if not words or script_of(phrase) != SCRIPT_CYRILLIC:
        return ()
    forms: list[str] = []
    for lang in LANGUAGES:
        morph = _analyzer(lang)
        for head in morph.parse(words[-1])[:MAX_PARSES]:
            plural = bool({"plur", "Pltm"} & set(head.tag.grammemes))
            agree = {"nomn", "plur"} if plural or not head.tag.gender else {"nomn", head.tag.gender}
            before = []
            for word in words[:-1]:
                adjective = next((p for p in morph.parse(word)[:MAX_PARSES] if "ADJF" in p.tag), None)
                inflected = adjective.inflect(agree) if adjective is not None else None
                before.append(_title(inflected.word) if inflected is not None else word)
            form = " ".join([*before, _title(head.normal_form)])
            if form != phrase and form not in forms:
                forms.append(form)
    return tuple(forms[:MAX_FORMS])


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


def is_plain_word(word: str) -> bool:
    """Whether a Cyrillic word is, by its likeliest parse in a dictionary that holds it, a plain
    word of the language (a noun, an adjective, a preposition), not a name: "Освобождение",
    "Прикордонний" and "На" are; "Тарас", "Николай" and "Донецк" are not, nor a Latin word."""
    if script_of(word) != SCRIPT_CYRILLIC:
        return False
    for lang in LANGUAGES:
        morph = _analyzer(lang)
        if morph.word_is_known(word.lower()):
            return not NAME_GRAMMEMES & set(morph.parse(word)[0].tag.grammemes)
    return False
