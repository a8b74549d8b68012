"""Decode metadata byte strings into stripped, length-capped text."""

from __future__ import annotations

MAX_TEXT = 2000
"""Longest metadata string kept; longer values are cut (no camera writes a 2000-character city)."""


def clean(b: bytes) -> str | None:
    """Decode a metadata string: UTF-8 when valid, else Latin-1; strip padding; cap its length."""
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        s = b.decode("latin-1")
    s = s.replace("\x00", "").strip()
    return s[:MAX_TEXT] or None
