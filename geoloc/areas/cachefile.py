"""The boundary cache's file format, read as plain data: a file found in the cache folder is checked, never run.

Someone else may be able to put a file where the cache is read (a shared or badly permissioned
cache folder), so the reader trusts nothing in it. The file is read like every cache file
(``geoloc.common.files.read_cache_file``: no symlink, no FIFO, a size cap, into memory) and holds
only JSON and bytes: parsing it can fail but cannot execute anything. What the header says is for
the caller to check.

Layout: ``MAGIC``, the header's length (8 bytes, little-endian), the header (UTF-8 JSON), the blob.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from geoloc.common.files import UnusableCacheError, atomic_write_bytes, read_cache_file

MAGIC = b"geoloc cache\n"
"""The file's first bytes: anything else (an older pickle, a stray file) is rejected unread."""
_LENGTH = struct.Struct("<Q")
_PREFIX = len(MAGIC) + _LENGTH.size


def write(path: Path, header: dict[str, Any], blob: bytes) -> None:
    """Write the cache file atomically: a reader sees the previous file or the whole new one."""
    raw = json.dumps(header, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(path, MAGIC + _LENGTH.pack(len(raw)) + raw + blob, replace_planted=True)


def read(path: Path, *, max_bytes: int, max_header_bytes: int) -> tuple[dict[str, Any], memoryview]:
    """The header and the blob of the cache file at ``path``.

    Raises FileNotFoundError when there is no file, and UnusableCacheError when the file cannot be
    read safely (see ``read_cache_file``) or is not in this format.
    """
    data = read_cache_file(path, max_bytes)
    if len(data) < _PREFIX or not data.startswith(MAGIC):
        raise UnusableCacheError("not a geoloc cache file")
    (length,) = _LENGTH.unpack_from(data, len(MAGIC))
    if length > min(max_header_bytes, len(data) - _PREFIX):
        raise UnusableCacheError("the header length is out of range")
    try:
        header = json.loads(data[_PREFIX : _PREFIX + length].decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise UnusableCacheError(f"the header is not JSON ({exc})") from None
    if not isinstance(header, dict):
        raise UnusableCacheError("the header is not a JSON object")
    return header, memoryview(data)[_PREFIX + length :]
