"""Name folding: the keys under which a place name is filed and looked up.

Three levels, from strict to forgiving:

* ``normalise``: case, diacritics, punctuation and Latin/Cyrillic look-alike letters inside a word
  folded away, script kept ("Чернiгiв" with Latin i becomes "чернігів"): equal means an exact match.
* ``keys``: every romanisation of a Cyrillic name (see ``translit``), folded to ASCII and loosened
  (y/j read as i, doubled letters single, no spaces), so "Zaporizhzhia", "Zaporizhzhya" and
  "Запоріжжя" share one key: equal means the same name in another spelling.
* ``skeleton``: a key with the letters OCR confuses merged (l/1/i, 0/o, rn/m, vv/w), the space in
  which the fuzzy index measures edit distance, so "Chernihlv" is 0 edits from "Chernihiv".

Beside them, ``abbreviation_expansions`` spells out the abbreviated "saint" of signs ("St", "Ste",
"Sv.", "Św.", "Св.", "S.", "Sta.", "Sto."), so "ST EMILION" reaches "Saint-Émilion" as any other
spelling does.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from geoloc.common.text import COMMON_WORDS, fix_homoglyphs, fold_ascii, has_cyrillic, normalise, script_of
from geoloc.places.translit import romanisations

_REPEAT_RE = re.compile(r"(.)\1+")

SIGN_SCRIPTS = frozenset({"Grek", "Armn", "Geor", "Hebr", "Arab"})
"""Alphabets besides Latin and Cyrillic whose alternate names are kept: signs in them are read
("Αθήνα" finds Athens). Han, kana, Hangul and Thai names are left out: two-character names are
below the shortest query looked up, and shop words of those scripts would find places."""


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
    if script_of(text) in SIGN_SCRIPTS:  # a Greek or Hebrew name is its own key: no ASCII form
        out.add(normalise(text).replace(" ", ""))
    out.discard("")
    return out


ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "st": ("saint", "sankt", "sint"),  # English/French, German, Dutch
    "ste": ("sainte",),
    "s": ("san", "santa", "santo", "sao", "sant"),  # Italian, Spanish, Portuguese, Catalan
    "sta": ("santa",),
    "sto": ("santo",),
    "sv": ("sveti", "sveta", "sveto", "svaty", "svata", "svate"),  # South Slavic, Czech, Slovak
    "sw": ("swiety", "swieta", "swiete"),  # Polish "Św." ("Święty") folded
    "св": ("свети", "света", "свето", "святой", "святая", "свята", "святий"),
}
"""The abbreviated word "saint" as signs write it (normalised: no dot, no accent, lower case) and the
full words it stands for, each of which the gazetteer files names under. Only a word followed by
another is one ("Main St" is a street, "Stryi" a town), and the expansions are looked up exactly,
so one that names no place finds nothing."""


def abbreviation_expansions(text: str) -> list[str]:
    """The name with its first abbreviated "saint" written out in each full form ([] when it has none).

    "ST. EMILION" gives "saint emilion", "sankt emilion" and "sint emilion"; "Ste-Foy" gives
    "sainte foy". The folded key of an abbreviation is not merged with the full word's instead,
    because "st" also begins names ("Stryi", "Sterling") that folding must leave alone.
    """
    words = normalise(text).split()
    for i, word in enumerate(words[:-1]):
        if word in ABBREVIATIONS:
            return [" ".join([*words[:i], full, *words[i + 1 :]]) for full in ABBREVIATIONS[word]]
    return []


_SKELETON = [
    ("rn", "m"),
    ("vv", "w"),
    ("cl", "d"),
    ("l", "i"),
    ("1", "i"),
    ("|", "i"),
    ("!", "i"),
    ("0", "o"),
    ("5", "s"),
    ("8", "b"),
]


def skeleton(key: str) -> str:
    """A loose key with the letters OCR confuses merged, for edit distances that forgive them."""
    for a, b in _SKELETON:
        key = key.replace(a, b)
    return _REPEAT_RE.sub(r"\1", key)


@functools.cache
def common_words() -> frozenset[str]:
    """Keys of the common sign and caption words (computed once, at index build time)."""
    return frozenset(k for w in COMMON_WORDS for k in keys(w))
