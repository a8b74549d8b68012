"""Which Tesseract languages geoloc reads with, and which of them are read in the Cyrillic pass.

Kept apart from the reader so that the command line can show its defaults without loading OpenCV.
"""

DEFAULT_LANGS = "eng+ukr+rus+bel"
"""English and the three Cyrillic languages of the signs geoloc was made for."""

CYRILLIC_LANGS = frozenset(
    {"ukr", "rus", "bel", "bul", "mkd", "srp", "kaz", "kir", "tgk", "mon", "uzb_cyrl", "tat", "bak", "chv"}
)
"""Tesseract languages read in the Cyrillic pass; every other language goes to the Latin pass."""
