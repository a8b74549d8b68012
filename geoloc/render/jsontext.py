"""JSON text as geoloc writes it: valid for any JSON parser, and safe to print on a terminal.

Every report, GeoJSON file and ``--json`` answer goes through ``dumps``. Python's ``json`` would
write a non-finite float as ``Infinity`` or ``NaN``, which no standard parser accepts (a photo's
metadata can hold an altitude of 1e999): such a value is written as ``null``, with a warning
naming where it was. Text is kept readable (UTF-8, not ``\\u`` escapes), except the characters
a terminal would act on or hide (C1 controls, DEL, bidi overrides, zero-width and line
separators, lone surrogates), which are written as ``\\u`` escapes: the data is the same once
parsed, but ``cat report.json`` cannot drive the terminal.
"""

from __future__ import annotations

import json
import logging
import math
import re
from typing import Any

from geoloc.common.text import printable

log = logging.getLogger(__name__)

_NON_ASCII_RUN_RE = re.compile("[^\x00-\x7e]+")
"""Runs of characters outside printable ASCII: the only place an unsafe character can hide
(``json`` already escapes the C0 controls, quotes and backslashes)."""


def finite(value: Any, where: str = "") -> Any:
    """``value`` with every non-finite float replaced by None, warning once per value replaced."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        log.warning("%s is %s, not a number; written as null", where or "a value", value)
        return None
    if isinstance(value, dict):
        return {k: finite(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _escape_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if run.isprintable():
        return run
    return "".join(ch if printable(ch) == ch else _json_escape(ch) for ch in run)


def dumps(data: Any, *, indent: int | None = None, compact: bool = False) -> str:
    """``data`` as JSON text: finite numbers only, terminal-safe, UTF-8 letters kept.

    ``compact`` drops the spaces after separators (GeoJSON files, which can be large).
    """
    text = json.dumps(
        finite(data),
        ensure_ascii=False,
        allow_nan=False,
        indent=indent,
        separators=(",", ":") if compact else None,
    )
    return _NON_ASCII_RUN_RE.sub(_escape_run, text)
