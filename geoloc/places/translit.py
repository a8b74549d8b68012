"""Romanisation of Ukrainian, Russian and Belarusian place names by the official systems.

Road signs and news print Cyrillic names in several Latin spellings: Ukraine's national system
of 2010 (Чернігів -> Chernihiv, Запоріжжя -> Zaporizhzhia), Russia's road-sign standard
GOST R 52290 and BGN/PCGN (Брянск -> Bryansk), GOST 7.79 system B (Щёкино -> Shhyokino), and
Belarus's national system of 2007 (Магілёў -> Mahilioŭ). The gazetteer keys every Cyrillic name
by all of them, so whichever spelling a sign or an article uses reaches the same entry.

Each system is a table of letters plus the context rules the standards print: a different
spelling at the start of a word (Ukrainian є/ї/й/ю/я, Russian е after a vowel) and a few
letter pairs (Ukrainian зг -> zgh, Belarusian soft consonants ль -> ĺ).

Two things the standards allow or print are left out on purpose, because names as printed and
as filed in GeoNames leave them out too: BGN/PCGN's optional middle dot (Улан-Удэ -> Ulan-Ud·e,
written here Ulan-Ude), and GOST 7.79 system B's reversibility marks (ы -> y`, ь -> `), which
would also split a name with letters outside these alphabets (Kazakh Қызыл) into junk keys.
BGN/PCGN's own apostrophes for ь and ъ (’ and ”) are kept: name keys fold them away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geoloc.common.text import has_cyrillic

_VOWELS = set("аеёиіїоуыэюяєАЕЁИІЇОУЫЭЮЯЄ")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*|[^\W_]+|\W+|_+", re.UNICODE)
_APOSTROPHES = "'’ʼ`"


@dataclass(frozen=True)
class System:
    """One romanisation standard: letters, word-initial forms, forms after a vowel, pairs."""

    name: str
    letters: dict[str, str]
    initial: dict[str, str] = field(default_factory=dict)  # at the start of a word
    after_vowel: dict[str, str] = field(default_factory=dict)  # after a vowel, soft/hard sign, apostrophe
    pairs: dict[str, str] = field(default_factory=dict)  # two-letter sequences with their own spelling
    before_front: dict[str, str] = field(default_factory=dict)  # before е, и, ы, й (GOST 7.79 ц -> c)
    after_consonant: dict[str, str] = field(default_factory=dict)  # GOST R 52290 ё -> ye after a consonant (not ь, ъ)


_COMMON = {
    "а": "a",
    "б": "b",
    "в": "v",
    "д": "d",
    "з": "z",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
}

UK_2010 = System(
    "uk-2010",
    {
        **_COMMON,
        "г": "h",
        "ґ": "g",
        "е": "e",
        "є": "ie",
        "ж": "zh",
        "и": "y",
        "і": "i",
        "ї": "i",
        "й": "i",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ь": "",
        "ю": "iu",
        "я": "ia",
        "ъ": "",
        "ы": "y",
        "э": "e",
        "ё": "io",
        "ў": "u",
    },
    initial={"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
    pairs={"зг": "zgh"},
)

RU_GOST_52290 = System(
    "ru-gost-52290",
    {
        **_COMMON,
        "г": "g",
        "е": "e",
        "ё": "yo",
        "ж": "zh",
        "и": "i",
        "й": "y",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "'",
        "ы": "y",
        "ь": "'",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ґ": "g",
        "ў": "u",
    },
    after_vowel={"е": "ye"},
    after_consonant={"ё": "ye"},
    pairs={"жё": "zhe", "чё": "che", "шё": "she", "щё": "shche", "ье": "'ye", "ъе": "'ye"},
)

RU_BGN = System(
    "ru-bgn-pcgn",
    {**RU_GOST_52290.letters, "ё": "ë", "ъ": "”", "ь": "’"},
    initial={"е": "ye", "ё": "yë"},
    after_vowel={"е": "ye", "ё": "yë"},
)

RU_GOST_779 = System(
    "ru-gost-7.79-b",
    {
        **_COMMON,
        "г": "g",
        "е": "e",
        "ё": "yo",
        "ж": "zh",
        "и": "i",
        "й": "j",
        "х": "x",
        "ц": "cz",
        "ч": "ch",
        "ш": "sh",
        "щ": "shh",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "і": "i",
        "ї": "yi",
        "є": "ye",
        "ґ": "g",
        "ў": "u",
    },
    before_front={"ц": "c"},
)

BE_2007 = System(
    "be-2007",
    {
        **_COMMON,
        "г": "h",
        "ґ": "g",
        "е": "ie",
        "ё": "io",
        "ж": "ž",
        "і": "i",
        "и": "i",
        "й": "j",
        "ў": "ŭ",
        "х": "ch",
        "ц": "c",
        "ч": "č",
        "ш": "š",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
        "ъ": "",
        "щ": "šč",
        "ї": "ji",
        "є": "je",
    },
    initial={"е": "je", "ё": "jo", "ю": "ju", "я": "ja"},
    after_vowel={"е": "je", "ё": "jo", "ю": "ju", "я": "ja"},
    pairs={"зь": "ź", "ль": "ĺ", "нь": "ń", "сь": "ś", "ць": "ć"},
)

SYSTEMS: dict[str, System] = {s.name: s for s in (UK_2010, RU_GOST_52290, RU_BGN, RU_GOST_779, BE_2007)}
ROMANISED_COUNTRIES = frozenset({"UA", "RU", "BY"})
"""The countries whose own Latin spellings of their places ``SYSTEMS`` give: their signs write
"Zaporizhzhia" and "Moskva", whatever the gazetteer calls the places ("Zaporizhzhya", Moscow)."""

_FRONT = set("еиыйєіїЕИЫЙЄІЇ")


def _word(word: str, system: System) -> str:
    out: list[str] = []
    i = 0
    n = len(word)
    prev = ""
    all_upper = n > 1 and word.isupper()
    while i < n:
        ch = word[i]
        low = ch.lower()
        if ch in _APOSTROPHES:
            prev = "'"
            i += 1
            continue
        pair = word[i : i + 2].lower()
        if len(pair) == 2 and pair in system.pairs:
            rep = system.pairs[pair]
            step = 2
        else:
            step = 1
            if low not in system.letters:
                out.append(ch)
                prev = ch
                i += 1
                continue
            if i == 0 and low in system.initial:
                rep = system.initial[low]
            elif prev and (prev.lower() in _VOWELS or prev in "'ьъйЬЪЙўЎ") and low in system.after_vowel:
                rep = system.after_vowel[low]
            elif (
                prev
                and prev.isalpha()
                and prev.lower() not in _VOWELS
                and prev.lower() not in "ьъ"
                and low in system.after_consonant
            ):
                rep = system.after_consonant[low]
            elif low in system.before_front and i + 1 < n and word[i + 1] in _FRONT:
                rep = system.before_front[low]
            else:
                rep = system.letters[low]
        if ch.isupper() and rep:
            rep = rep.upper() if all_upper else rep[0].upper() + rep[1:]
        out.append(rep)
        prev = word[i + step - 1]
        i += step
    return "".join(out)


def romanise(text: str, system: str = "uk-2010") -> str:
    """Romanise Cyrillic ``text`` by one of the systems in ``SYSTEMS``; other characters pass through."""
    sys_ = SYSTEMS[system]
    return "".join(_word(tok, sys_) if has_cyrillic(tok) else tok for tok in _WORD_RE.findall(text))


def romanisations(text: str) -> list[str]:
    """All distinct romanisations of ``text`` by the systems a sign or an article may use."""
    seen: dict[str, None] = {}
    for name in SYSTEMS:
        seen.setdefault(romanise(text, name))
    return list(seen)
