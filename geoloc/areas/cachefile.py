"""The boundary cache's file format, read as plain data: a file found in the cache folder is checked, never run.

Someone else may be able to put a file where the cache is read (a shared or badly permissioned
cache folder), so the reader trusts nothing in it. The file is opened without following a
symlink and without blocking on a FIFO, must be a regular file under a size cap, and holds only
JSON and bytes: parsing it can fail but cannot execute anything. It is read into memory rather
than mapped, because whoever owns a mapped file can truncate it and crash the reader with SIGBUS.
What the header says is for the caller to check.

Layout: ``MAGIC``, the header's length (8 bytes, little-endian), the header (UTF-8 JSON), the blob.
"""

from __future__ import annotations

import json
import os
import stat
import struct
from pathlib import Path
from typing import Any

from geoloc.common.files import atomic_write_bytes

MAGIC = b"geoloc cache\n"
"""The file's first bytes: anything else (an older pickle, a stray file) is rejected unread."""
_LENGTH = struct.Struct("<Q")
_PREFIX = len(MAGIC) + _LENGTH.size


class UnusableCacheError(ValueError):
    """The cache file is there but cannot be used; the message says why, for the log."""


def write(path: Path, header: dict[str, Any], blob: bytes) -> None:
    """Write the cache file atomically: a reader sees the previous file or the whole new one."""
    raw = json.dumps(header, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(path, MAGIC + _LENGTH.pack(len(raw)) + raw + blob)


def read(path: Path, *, max_bytes: int, max_header_bytes: int) -> tuple[dict[str, Any], memoryview]:
    """The header and the blob of the cache file at ``path``.

    Raises FileNotFoundError when there is no file, and UnusableCacheError when the file is a
    symlink, not a regular file, over ``max_bytes``, unreadable, or not in this format.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:  # ELOOP for a symlink, EACCES, ...
        raise UnusableCacheError(f"cannot open it ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # checked before reading: a FIFO or device never is
            raise UnusableCacheError("not a regular file")
        if st.st_size > max_bytes:
            raise UnusableCacheError(f"{st.st_size} bytes, over the cap of {max_bytes}")
        with open(fd, "rb", closefd=False) as fh:
            data = fh.read(st.st_size + 1)  # one byte more shows a file still growing
    except OSError as exc:
        raise UnusableCacheError(f"cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) != st.st_size:
        raise UnusableCacheError("it changed while being read")
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
