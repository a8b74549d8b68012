"""How broken metadata is signalled inside the reader and worded when it becomes a warning."""

from __future__ import annotations

import struct
import zlib
from xml.etree.ElementTree import ParseError


class Malformed(Exception):
    """Internal: the metadata at hand is broken; its message becomes a warning."""


class OverBudget(Exception):
    """Internal: the file holds more metadata than is read from one file; reading stops there and
    the message becomes a warning. Not a parse error, so no per-block handler swallows it."""


PARSE_ERRORS = (
    Malformed,
    struct.error,
    ValueError,
    IndexError,
    OverflowError,
    zlib.error,
    UnicodeError,
    ParseError,
    RecursionError,
)
"""Every error a hostile or damaged block can raise while being parsed; each becomes a warning."""


def why(exc: BaseException) -> str:
    """A parse error in words an analyst can act on (a bare ``struct.error`` says nothing)."""
    if isinstance(exc, struct.error):
        return "data ends early"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc) or type(exc).__name__
