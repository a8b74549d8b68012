"""Name folding: the keys under which a place name is filed and looked up.

Three levels, from strict to forgiving:

* ``normalise``: case, diacritics, punctuation and Latin/Cyrillic look-alike letters inside a word
  folded away, script kept ("Чернiгiв" with Latin i becomes "чернігів"): equal means an exact match.
* ``keys``: every romanisation of a Cyrillic name (see ``translit``), folded to ASCII and loosened
  (y/j read as i, doubled letters single, no spaces), so "Zaporizhzhia", "Zaporizhzhya" and
  "Запоріжжя" share one key: equal means the same name in another spelling.
* ``skeleton``: a key with the letters OCR confuses merged (l/1/i, 0/o, rn/m, vv/w), the space in
  which the fuzzy index measures edit distance, so "Chernihlv" is 0 edits from "Chernihiv".
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .translit import has_cyrillic, romanisations

# Latin letters that look like Cyrillic ones and back: OCR and hurried typing mix them in a word.
_LAT2CYR = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
_CYR2LAT = str.maketrans("асеіорхуАВСЕНІКМОРТХУ", "aceiopxyABCEHIKMOPTXY")
_SPECIAL = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i",
                          "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th",
                          "ð": "d", "ħ": "h", "ŀ": "l"})
_APOS_RE = re.compile(r"['’ʼ`´ʹʻ′\"”“·]")
_SEP_RE = re.compile(r"[^\w]+|_+", re.UNICODE)
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_REPEAT_RE = re.compile(r"(.)\1+")
_KEEP_MARKS = {"й", "Й", "ї", "Ї", "ё", "Ё", "ў", "Ў"}  # Cyrillic letters whose mark makes another letter


def _is_cyr(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _fix_mixed_word(match: re.Match[str]) -> str:
    word = match.group(0)
    cyr = sum(_is_cyr(c) for c in word)
    if cyr == 0 or cyr == len(word):
        return word
    return word.translate(_LAT2CYR) if cyr * 2 >= len(word) else word.translate(_CYR2LAT)


def fix_homoglyphs(text: str) -> str:
    """Rewrite look-alike letters of the minority script in each word ("Kиїв" -> "Київ")."""
    if not _CYR_RE.search(text) or not _LATIN_RE.search(text):
        return text
    return _WORD_RE.sub(_fix_mixed_word, text)


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
    text = _strip_marks(text.translate(_SPECIAL)).lower()
    text = _APOS_RE.sub("", text)
    return " ".join(_SEP_RE.sub(" ", text).split())


def fold_ascii(text: str) -> str:
    """``normalise`` then ASCII only (Latin input; Cyrillic should be romanised first)."""
    return normalise(text).encode("ascii", "ignore").decode("ascii").strip()


def loosen(folded: str) -> str:
    """Spelling-insensitive key of an ASCII-folded name: y/j as i, no doubled letters, no spaces.

    An article "the" inside a name goes too ("Republic of the Congo" = "Republic of Congo").
    """
    if " the " in f" {folded} " and folded != "the":
        folded = " ".join(w for w in folded.split() if w != "the")
    key = folded.replace(" ", "").replace("y", "i").replace("j", "i")
    return _REPEAT_RE.sub(r"\1", key)


def keys(text: str) -> set[str]:
    """The loose keys of a name in every spelling it may be written in (romanisations included)."""
    text = fix_homoglyphs(unicodedata.normalize("NFKC", text))
    if has_cyrillic(text):
        forms = romanisations(normalise(text))
    else:
        forms = [text]
    out = {loosen(fold_ascii(f)) for f in forms}
    out.discard("")
    return out


_SKELETON = [("rn", "m"), ("vv", "w"), ("cl", "d"), ("l", "i"), ("1", "i"), ("|", "i"),
             ("!", "i"), ("0", "o"), ("5", "s"), ("8", "b")]


def skeleton(key: str) -> str:
    """A loose key with the letters OCR confuses merged, for edit distances that forgive them."""
    for a, b in _SKELETON:
        key = key.replace(a, b)
    return _REPEAT_RE.sub(r"\1", key)


def script_of(text: str) -> str:
    """"Cyrl", "Latn" or "" by majority of letters: a hint for ranking (a Cyrillic sign is not in Peru)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    cyr = sum(_is_cyr(c) for c in letters)
    return "Cyrl" if cyr * 2 >= len(letters) else "Latn"


# Words printed on signs, shop fronts and captions that are not place names even when some hamlet
# shares them: a match on one of them gets a low ``match`` so callers scanning OCR text skip it.
_COMMON_TEXT = """
stop exit entrance pharmacy apotheke centre center city town village street road avenue square
bridge station airport hotel hostel police bank cafe bar restaurant market shop store school
hospital museum church park parking taxi bus tram metro post office open closed sale north south
east west left right toilet information welcome km
аптека центр місто село вулиця вул проспект площа міст вокзал станція аеропорт готель поліція
банк кафе бар ресторан ринок магазин продукти школа лікарня музей церква парк таксі автобус
зупинка пошта вихід вхід відчинено зачинено північ південь схід захід ласкаво просимо
город улица ул мост станция аэропорт гостиница полиция рынок больница остановка почта выход
вход открыто закрыто север юг восток запад добро пожаловать
вуліца плошча горад вёска крама
"""


@functools.cache
def common_words() -> frozenset[str]:
    """Keys of the common sign and caption words (computed once, at index build time)."""
    return frozenset(k for w in _COMMON_TEXT.split() for k in keys(w))
