"""Text helpers every stage shares: which alphabet a text is in, how names are folded, word lists.

One home for each: the sign-alphabet prior, the gazetteer's keys and the region lookup all fold
names and tell scripts apart the same way, so a name read on a sign, typed on the command line or
written in a caption reaches the same entry.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from types import ModuleType

SCRIPT_CYRILLIC = "Cyrl"
SCRIPT_LATIN = "Latn"
"""ISO 15924 codes, the values ``script_of`` returns (with those of ``OTHER_SCRIPTS``)."""

OTHER_SCRIPTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Grek", (("\u0370", "\u03ff"), ("\u1f00", "\u1fff"))),
    ("Armn", (("\u0530", "\u058f"),)),
    ("Hebr", (("\u0590", "\u05ff"),)),
    ("Arab", (("\u0600", "\u06ff"), ("\u0750", "\u077f"), ("\ufb50", "\ufdff"), ("\ufe70", "\ufeff"))),
    ("Thai", (("\u0e00", "\u0e7f"),)),
    ("Geor", (("\u10a0", "\u10ff"), ("\u1c90", "\u1cbf"), ("\u2d00", "\u2d2f"))),
    ("Hang", (("\u1100", "\u11ff"), ("\u3130", "\u318f"), ("\uac00", "\ud7af"))),
    ("Jpan", (("\u3040", "\u30ff"),)),
    ("Hani", (("\u4e00", "\u9fff"), ("\u3400", "\u4dbf"))),
)
"""The other scripts geoloc reads signs in (besides Latin and Cyrillic), by their Unicode blocks:
a Greek or Georgian reading is looked up among the names written in its own script, and is no
Latin text to judge with English word lists. Kana stands for Japanese (kanji are Han)."""

# Latin letters that look like Cyrillic ones and back: OCR and hurried typing mix them in a word.
_LAT2CYR = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
_CYR2LAT = str.maketrans("асеіорхуАВСЕНІКМОРТХУ", "aceiopxyABCEHIKMOPTXY")
_STROKED = {"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ŀ": "l"}
"""Latin letters with a stroke, which NFKD does not take apart: folded to the plain letter (both
cases, so "ĦAMRUN" and "Ħamrun" fold alike), and for ``unread_marks`` a stroke is a mark."""
_SPECIAL = str.maketrans(
    {
        **_STROKED,
        **{k.upper(): v.upper() for k, v in _STROKED.items()},
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "ð": "d",
    }
)
_APOS_RE = re.compile(r"['’ʼ`´ʹʻ′\"”“·]")
_SEP_RE = re.compile(r"[^\w]+|_+", re.UNICODE)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_KEEP_MARKS = {"й", "Й", "ї", "Ї", "ё", "Ё", "ў", "Ў"}  # Cyrillic letters whose mark makes another letter


def is_cyrillic_letter(ch: str) -> bool:
    """True for a letter of the Cyrillic block (U+0400-U+04FF), where every Slavic alphabet lives."""
    return "\u0400" <= ch <= "\u04ff"


def _fix_mixed_word(match: re.Match[str]) -> str:
    word = match.group(0)
    cyr = sum(is_cyrillic_letter(c) for c in word)
    if cyr == 0 or cyr == len(word):
        return word
    return word.translate(_LAT2CYR) if cyr * 2 >= len(word) else word.translate(_CYR2LAT)


def fix_homoglyphs(text: str) -> str:
    """Rewrite look-alike letters of the minority script in each word ("Kиїв" -> "Київ")."""
    if not _CYR_RE.search(text) or not _LATIN_RE.search(text):
        return text
    return _WORD_RE.sub(_fix_mixed_word, text)


LATIN_AS_CYRILLIC: dict[str, str] = {
    "bl": "ы", "bI": "ы", "bi": "ы", "JI": "Л", "Jl": "Л", "IO": "Ю", "I0": "Ю", "A": "А",
    "a": "а", "B": "В", "b": "ь", "C": "С", "c": "с", "E": "Е", "e": "е", "Φ": "Ф", "H": "Н",
    "h": "н", "I": "І", "i": "і", "K": "К", "k": "к", "M": "М", "m": "м", "N": "И", "n": "л",
    "O": "О", "o": "о", "P": "Р", "p": "р", "r": "г", "s": "в", "T": "Т", "t": "т", "U": "И",
    "u": "и", "W": "Ш", "w": "ш", "X": "Х", "x": "х", "Y": "Ч", "y": "у", "0": "О", "3": "З",
    "4": "Ч", "6": "б",
}  # fmt: skip
"""The Cyrillic letter each Latin reading stands for, when a Latin pass (Tesseract's or the
recognition network's) reads a Cyrillic line: the commonest one on 392 Latin readings of 561
rendered Russian-style town and city signs ("4e6okcapbl" is "Чебоксары", "Capa KTaw" "Сара КТаш").
Letter pairs first: "bl" is ы, "JI" Л. Ambiguous letters take the commoner: n was л 127 times, и
35, п 21, д 20; u и 18 and ц 17; Y Ч 5 and У 3; і and ї, which Russian does not write, as the
letters look. Only look-alikes: a Ukrainian sign's Latin line is a romanisation ("Kyiv", its v for
в, its h for г), not a misreading, and a reading with a letter no Cyrillic letter looks like (D, F,
G, L, R, S, V, Z, d, f, g, j, l, q, v, z) is a Latin line."""
_LATIN_AS_CYRILLIC_MAX = max(len(a) for a in LATIN_AS_CYRILLIC)
LATIN_AS_CYRILLIC_ALSO: dict[str, tuple[tuple[str, float], ...]] = {
    "n": (("п", 0.15), ("и", 0.15), ("й", 0.14), ("д", 0.11)),
    "A": (("Д", 0.29), ("я", 0.25)),
    "a": (("я", 0.06),),
    "u": (("ц", 0.55), ("ч", 0.14)),
    "y": (("ў", 0.1), ("ч", 0.07)),
    "B": (("б", 0.11),),
    "x": (("к", 0.19), ("ж", 0.19)),
    "b": (("б", 0.2), ("ы", 0.12)),
    "N": (("й", 0.21),),
    "w": (("щ", 0.21), ("и", 0.13)),
}  # fmt: skip
"""Other Cyrillic letters a Latin letter stood for, with their share of its readings, where that is
one in twenty or more and three times or more: 193 Latin readings, aligned letter for letter, of
400 rendered Russian-style direction signs to places of 2,000-30,000 people
(``benchmarks/lookalike_letters.py --population 2000-30000 --signs 400 --seed 5``), none of them
among the signs ``LATIN_AS_CYRILLIC`` was counted on. n stood for л 50 times, п 18, и 17, й 16, д
13; A for а 11, Д 7, я 6; u for ц 12, и 6, ч 3 (и 18 and ц 17 on the first count, which keeps и
first): "Талдом" read "TanAom" is "ТалАом" letter for letter, and "Качканар" read "KaykaHap" is
"КаукаНар"."""
LOOKALIKE_READINGS = 24
"""Most Cyrillic readings one Latin reading is read back as (``cyrillic_lookalikes``): the likeliest
hold the letters a name needs, and every one more is one more chance to spell a hamlet."""


def lookalike_pieces(text: str) -> list[str] | None:
    """A Latin reading cut into the letters and pairs ``LATIN_AS_CYRILLIC`` reads back, longest
    first ("bl" is one piece, ы), marks and spaces kept as pieces of their own; None when a letter
    of it has no Cyrillic look-alike: then it is a Latin line."""
    out: list[str] = []
    i = 0
    while i < len(text):
        size = next((n for n in range(_LATIN_AS_CYRILLIC_MAX, 0, -1) if text[i : i + n] in LATIN_AS_CYRILLIC), 1)
        if size == 1 and text[i] not in LATIN_AS_CYRILLIC and text[i].isalnum():
            return None
        out.append(text[i : i + size])
        i += size
    return out


def cyrillic_lookalike(text: str) -> str | None:
    """The Cyrillic letters a Latin reading of a Cyrillic line stands for (``LATIN_AS_CYRILLIC``),
    or None when a letter of it has no Cyrillic look-alike: then it is a Latin line."""
    pieces = lookalike_pieces(text)
    return None if pieces is None else "".join(LATIN_AS_CYRILLIC.get(p, p) for p in pieces)


def cyrillic_lookalikes(text: str, limit: int = LOOKALIKE_READINGS) -> list[str]:
    """The Cyrillic readings a Latin reading of a Cyrillic line may stand for: the commonest letter
    for each (``cyrillic_lookalike``) first, then the readings with the other letters it stood for
    (``LATIN_AS_CYRILLIC_ALSO``), likeliest first by the product of their shares, up to ``limit``.
    Empty when a letter of it has no Cyrillic look-alike."""
    if (pieces := lookalike_pieces(text)) is None:
        return []
    commonest = "".join(LATIN_AS_CYRILLIC.get(p, p) for p in pieces)
    options: list[tuple[tuple[str, float], ...]] = []
    for piece in pieces:
        if piece in LATIN_AS_CYRILLIC:
            also = LATIN_AS_CYRILLIC_ALSO.get(piece, ())
            options.append(((LATIN_AS_CYRILLIC[piece], 1.0 - sum(p for _, p in also)), *also))
        else:
            options.append(((piece, 1.0),))
    beam: list[tuple[float, str]] = [(1.0, "")]
    for choices in options:
        beam = sorted(((p * q, read + letter) for p, read in beam for letter, q in choices), key=lambda x: -x[0])
        beam = beam[:limit]
    return [commonest, *(read for _, read in beam if read != commonest)][:limit]


_CYR_RE = re.compile("[\u0400-\u04ff]")
_LATIN_RE = re.compile("[A-Za-z]")
_COMBINING_RE = re.compile("[\u0300-\u036f]")
_PROTECT = str.maketrans({c: chr(0xE000 + i) for i, c in enumerate(sorted(_KEEP_MARKS))})
_UNPROTECT = str.maketrans({chr(0xE000 + i): c for i, c in enumerate(sorted(_KEEP_MARKS))})


def _strip_marks(text: str) -> str:
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_PROTECT))
    return _COMBINING_RE.sub("", text).translate(_UNPROTECT)


def normalise(text: str) -> str:
    """Case-, diacritics- and punctuation-folded form, script kept: the test for an exact match."""
    text = fix_homoglyphs(unicodedata.normalize("NFKC", text))
    # Greek final sigma folded: lowering a sign in capitals ("ΠΑΤΡΑΣ") may give either form
    text = _strip_marks(text.translate(_SPECIAL)).lower().replace("ς", "σ")
    text = _APOS_RE.sub("", text)
    return " ".join(_SEP_RE.sub(" ", text).split())


_DOTTED = "\u0307"  # "İ" lowered is i with a dot above: the dot of every i, not a mark


def _marked_letters(text: str) -> list[tuple[str, bool]]:
    """Each Latin letter of ``text`` lowered and without its marks, and whether it bore one."""
    out: list[tuple[str, bool]] = []
    for ch in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).lower()):
        if unicodedata.combining(ch):
            if out and not (ch == _DOTTED and out[-1][0] in "ij"):
                out[-1] = (out[-1][0], True)
        elif ch in _STROKED:
            out.append((_STROKED[ch], True))
        elif ch.isalpha():
            out.append((ch, False))
    return out


def unread_marks(reading: str, name: str) -> int | None:
    """How many letters a Latin reading marks (an accent, a cedilla, a stroke) where a name of the
    same letters has them bare: "Câmpina" against "Campiña" is 1, against "Câmpina" 0.

    Readings lose marks all the time (a worn sign, an English OCR model: "Campina" names both
    places alike), but seldom gain one, so a mark read is evidence of the spelling, and a name
    without it matches the reading less than exactly. None when the letters differ otherwise or
    the name is in another script: that is the fuzzy match's measure, not this one's.
    """
    a, b = _marked_letters(reading), _marked_letters(name)
    if [ch for ch, _ in a] != [ch for ch, _ in b]:
        return None
    return sum(1 for (_, marked), (_, bare) in zip(a, b, strict=True) if marked and not bare)


def fold_ascii(text: str) -> str:
    """``normalise`` then ASCII only (Latin input; Cyrillic should be romanised first)."""
    return normalise(text).encode("ascii", "ignore").decode("ascii").strip()


def has_cyrillic(text: str) -> bool:
    """True when any letter of ``text`` is Cyrillic."""
    return any(is_cyrillic_letter(ch) for ch in text)


def letter_script(ch: str) -> str:
    """The script of one letter: ``SCRIPT_CYRILLIC``, a code of ``OTHER_SCRIPTS``, else ``SCRIPT_LATIN``."""
    if is_cyrillic_letter(ch):
        return SCRIPT_CYRILLIC
    if ch.isascii():
        return SCRIPT_LATIN
    for code, blocks in OTHER_SCRIPTS:
        if any(lo <= ch <= hi for lo, hi in blocks):
            return code
    return SCRIPT_LATIN


def script_of(text: str) -> str:
    """``SCRIPT_CYRILLIC``, ``SCRIPT_LATIN``, another script's code or "" by majority of letters.

    A hint for ranking: a name written in Cyrillic is most likely in a country that writes it.
    A reading half Cyrillic is Cyrillic (look-alike Latin letters slip into Cyrillic words).
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    cyr = sum(is_cyrillic_letter(c) for c in letters)
    if cyr * 2 >= len(letters):
        return SCRIPT_CYRILLIC
    counts: dict[str, int] = {}
    for c in letters:
        code = letter_script(c)
        counts[code] = counts.get(code, 0) + 1
    return max(counts, key=lambda code: (counts[code], code == SCRIPT_LATIN))


# Words on shop fronts, warning and traffic signs, and in prose, that are never place names even
# when a gazetteer holds a village of that name (there is a "Tsentr" and a "Stop" somewhere).
# Sign readers skip them; the gazetteer files them with a low match.
COMMON_WORDS = frozenset(
    """
аптека магазин продукти продукты кафе бар ресторан готель гостиница хостел банк пошта почта
вхід вход вихід выход центр центральна центральная стоп увага внимание обережно осторожно діти
дети школа лікарня больница ринок рынок вулиця вул улица ул проспект площа площадь шосе шоссе
траса трасса обїзд объезд обхід обход митниця таможня кордон граница пункт пропуску пропуска
хліб хлеб квіти цветы оптика ремонт шиномонтаж мінімаркет минимаркет товари товары дороги дорога
місто село міст вокзал станція аеропорт поліція музей церква парк таксі такси автобус зупинка
відчинено зачинено північ південь схід захід ласкаво просимо город мост станция аэропорт полиция
остановка открыто закрыто север юг восток запад добро пожаловать вуліца плошча горад вёска крама
км km stop pharmacy apotheke shop store market cafe bar restaurant hotel hostel bank post office
exit entrance center centre pizza pizzeria kebab sushi burger coffee kawa apteka sklep bistro
motel cinema kino taxi bus tram metro station airport police hospital museum church park parking
bridge school open closed sale toilet information welcome left right
street road avenue square highway city town village north south east west
the a an of in on at near and or with by from to for after before during was is are were
border region oblast province district area
на з із зі до від по за над про для та і й але або через при с со из от о об и но или
""".split()
)


def is_common_word(name: str) -> bool:
    """True when every word of ``name`` is a common word (``COMMON_WORDS``): not a place name."""
    words = [w.lower().strip("'’.") for w in name.split()]
    return bool(words) and all(w in COMMON_WORDS for w in words)


EVERYDAY_ZIPF = 3.8
"""Zipf frequency (log10 of uses per billion words) from which a word is everyday vocabulary of a
language: about 6 uses per million words. Shop and notice words ("ОДЯГ" 4.6, "ЗНИЖКИ" 4.0,
"Öffnungszeiten" 3.9) lie above it; names of towns below about 100,000 people lie below it
("Ялта" 3.6, "Миргород" 3.1, "Берегове" 2.7), and larger ones that pass it ("Київ", "Суми") are
kept as exact matches of important places by the caller."""

WORD_LANGUAGES = {SCRIPT_CYRILLIC: ("uk", "ru"), SCRIPT_LATIN: ("en", "de", "pl", "fr")}
"""Languages whose word lists judge a word in each alphabet: those of the signs geoloc reads. wordfreq
has no Belarusian list (it answers with Russian), so Belarusian shop words stay in ``COMMON_WORDS``;
French is there for station and shop signs ("gare")."""

_WORDLIST = "small"
"""wordfreq's list of words used at least once per million (zipf >= 3): it covers
``EVERYDAY_ZIPF`` and loads in milliseconds, where the large list takes a third of a second."""


_NAME_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
"""A word of a name, apostrophe inside kept ("Знам'янка" is one word, not "Знам" and "янка")."""


@functools.cache
def _wordfreq() -> ModuleType:
    """The wordfreq module, imported on first use (most commands never need its lists)."""
    import wordfreq

    return wordfreq


def word_zipf(word: str, languages: Sequence[str] | None = None) -> float:
    """The highest Zipf frequency of ``word`` in ``languages``, by default those of its alphabet
    (0.0: not a word).

    wordfreq ships its lists inside the package: nothing is fetched.
    """
    wordfreq = _wordfreq()
    langs = WORD_LANGUAGES.get(script_of(word), ()) if languages is None else languages
    return max((wordfreq.zipf_frequency(word, lang, wordlist=_WORDLIST) for lang in langs), default=0.0)


WORD_ZIPF = 3.0
"""Zipf frequency from which a reading is a word of its alphabet's languages (once per million
words, wordfreq's small list): "BAKERY" 3.7, "ROSSMANN" 3.4, "КОРМА" 3.6. A third of town names
also pass it ("Миргород" 3.1), so it never rejects a name alone: it says the reading is spelled
as written (no misreading of another name) and that it may be shop or notice text."""


def name_words(text: str) -> list[str]:
    """The words of a name or phrase: runs of letters, an apostrophe inside kept, hyphens and
    numbers apart ("Mercy-le-Bas" is three words, "Знам'янка" one)."""
    return _NAME_WORD_RE.findall(text)


def text_zipf(text: str, languages: Sequence[str] | None = None) -> float:
    """How common the rarest word of ``text`` is in ``languages`` (by default its alphabet's; a
    common word counts as very common; 0.0: none).

    A phrase is vocabulary only if each of its words is ("STREET FOOD"; not "Нова Каховка").
    """
    words = name_words(text)
    if not words:
        return 0.0
    return min(EVERYDAY_ZIPF + 1 if w.lower() in COMMON_WORDS else word_zipf(w.lower(), languages) for w in words)


def is_everyday_text(text: str) -> bool:
    """True when every word of ``text`` is everyday vocabulary (``EVERYDAY_ZIPF``) or a common word.

    A shop front or notice ("ПРОДУКТИ", "24 ГОДИНИ", "PROMOCJA") is made of such words; a place
    name is seldom, unless the place is large enough to be talked about.
    """
    return text_zipf(text) >= EVERYDAY_ZIPF


REMEMBERED_WORDS = 1 << 14
"""Readings whose word test a process keeps: a long caption asks it of every word, most of them
many times, and a batch's photos read the same shop and sign words again."""


@functools.lru_cache(maxsize=REMEMBERED_WORDS)
def is_word(text: str) -> bool:
    """True when ``text`` is spelled as words of its alphabet's languages (``WORD_ZIPF``)."""
    return text_zipf(text) >= WORD_ZIPF


LINE_WORD_LETTERS = 3
"""Letters a reading needs for a word that says what a text line is: an arrow or a panel edge read
as text gives one or two ("ша", "е73"), and two-letter words ("па", "на", "до") are such reads as
often as they are words."""


def worded(text: str) -> bool:
    """Whether a reading holds a word of ``LINE_WORD_LETTERS`` letters or more."""
    return any(sum(ch.isalpha() for ch in token) >= LINE_WORD_LETTERS for token in text.split())


# Words that make a name a region's: after it ("Bryansk Oblast", "Брянская область") or, for the
# leading ones, before it ("Republic of Dagestan"). Inflected Cyrillic forms are matched by stem.
REGION_WORDS = frozenset(
    """
oblast oblast' oblasti region regione province provincia state krai kray territory voblasts
voblasts' voblast county parish borough raion rayon district governorate prefecture okrug
municipality область обл регион регіон край краю края крае краї вобласць губерния округ район
""".split()
)
REGION_STEMS = ("област", "облас", "вобласц", "territor", "respubli", "республ")
"""Prefixes of region words that inflect ("області", "областью", "вобласці", "Territories", "Respublika")."""
LEADING_REGION_WORDS = frozenset({"republic", "of", "respublika", "республика", "республіка", "the"})


def is_region_word(word: str) -> bool:
    """True for a word that says "region" in English, Ukrainian, Russian or Belarusian, any case."""
    w = word.lower().strip(".,;:")
    return w in REGION_WORDS or w.startswith(REGION_STEMS)


def has_region_word(name: str) -> bool:
    """True when some word of ``name`` is a region word ("Bryansk Oblast", "Kyiv Region")."""
    return any(is_region_word(w) for w in name.split())


DISTRICT_WORDS = frozenset({"kreis", "landkreis", "powiat", "okres", "район", "р-н", "raion", "rayon", "district"})
"""Words of a town sign's line that names its district ("Landkreis Osnabrück", "Чернігівський
район", "powiat kutnowski"): most districts are named after their seat town."""

_DISTRICT_ADJECTIVES = (("ський", ("", "а", "и", "я")), ("ский", ("ск", "", "а")))
"""A district's adjective and the endings that make its seat's name from the stem: Чернігівський
-> Чернігів, Полтавський -> Полтава, Сумський -> Суми; Брянский -> Брянск, Тверской is missed."""


def is_district_word(word: str) -> bool:
    """True for a word that says "district" on a town sign (``DISTRICT_WORDS``), any case."""
    return word.lower().strip(".,:") in DISTRICT_WORDS


def district_seat_names(line: str) -> list[str]:
    """The names a sign's district line may give its seat town by, most literal first; none for
    a line without a district word. "Landkreis Osnabrück": "Osnabrück"; "Брянский район":
    "Брянский", then "Брянск", "Брян", "Бряна". Each is only a guess to look up exactly."""
    words = line.split()
    rest = [w for w in words if not is_district_word(w)]
    if len(rest) == len(words) or not rest:
        return []
    names = [" ".join(rest)]
    last = rest[-1]
    for suffix, endings in _DISTRICT_ADJECTIVES:
        if last.lower().endswith(suffix) and len(last) > len(suffix) + 2:
            stem = last[: -len(suffix)]
            names += [" ".join([*rest[:-1], stem + ending]) for ending in endings]
    return names


# ---------------------------------------------------------------------------------------------
# text from outside, on its way to a terminal or a log line

_SURROGATES_RE = re.compile("[\ud800-\udfff]")


def _surrogate_escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def decodable(text: str) -> str:
    """``text`` with lone surrogates written as escapes, so that it encodes as UTF-8.

    A file name whose bytes are not UTF-8 reaches Python with each such byte as a surrogate
    (U+DC80-U+DCFF, PEP 383); it is shown as ``\\xNN``, the byte it stands for. Everything else is
    kept as it is: this is the form a file name is stored under in a report.
    """
    return _SURROGATES_RE.sub(_surrogate_escape, text)


def _is_shown(ch: str) -> bool:
    """True for a character a terminal draws as itself: not a control, format or separator
    character (C0, DEL, C1, bidi overrides, zero-width marks, line separators), spaces aside."""
    return ch.isprintable() or unicodedata.category(ch) == "Zs"


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: object) -> str:
    """``text`` made safe to print on a terminal or in a log line.

    File names, metadata, OCR and caption text, geocoder answers and GeoJSON names are written
    by strangers: an escape sequence among them could retitle the window, clear the screen or
    write the clipboard (OSC 52), and a bidi override could show a line reversed. Every
    character a terminal would not draw as itself is written as a Python-style escape
    (``\\x1b``, ``\\u202e``), and undecodable bytes of a file name as ``\\xNN``; a newline too,
    so one value stays on one line.
    """
    text = decodable(text if isinstance(text, str) else str(text))
    if text.isprintable():
        return text
    return "".join(ch if _is_shown(ch) else _escaped(ch) for ch in text)
