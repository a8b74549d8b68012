"""Write outputs atomically: a temporary file beside the target, then one rename.

An interrupted run therefore leaves either the previous file or the complete new one, never a
half-written map or report. An output the user names may also be standard output (``-``), a
terminal, ``/dev/null`` or a FIFO: those are written straight into, never replaced by a file, and
an output that is one of the run's inputs (under any name) is refused before anything is read.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from geoloc.errors import OutputError


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, replace_planted: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically, creating parent folders; return the path.

    Only a regular file (or nothing) is replaced: a device, FIFO or folder at ``path``, or a
    link to one, is left alone with an OutputError (``write_output`` writes into devices). A cache
    entry is geoloc's own file, so with ``replace_planted`` a FIFO or link that someone put in its
    place is replaced by the entry (the link itself, never its target); a folder still is not.
    """
    target = Path(path)
    if target.exists() and not target.is_file() and not replace_planted:
        raise OutputError("not a regular file; not replaced", path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", path=str(target)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), 0o666 & ~_umask())  # mkstemp's 0600 would hide maps from others
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write ({exc.strerror or exc})", path=str(target)) from None
        raise
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike[str], text: str, *, replace_planted: bool = False) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically; return the path (see ``atomic_write_bytes``)."""
    return atomic_write_bytes(path, text.encode("utf-8"), replace_planted=replace_planted)


STDOUT = "-"
"""The output name that means standard output, as in most command-line tools."""


def _standard_stream(st: os.stat_result) -> TextIO | None:
    """sys.stdout or sys.stderr when ``st`` is the file it writes to (``/dev/stdout`` names it)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if os.path.samestat(os.fstat(stream.fileno()), st):
                return stream
        except (AttributeError, OSError, ValueError):  # replaced by a test runner, or closed
            continue
    return None


def _write_stream(stream: TextIO, data: bytes, shown: str) -> None:
    try:
        stream.flush()  # what was printed before stays before
        stream.buffer.write(data)
        stream.buffer.flush()
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", path=shown) from None


def write_output(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write an output the user named; return its name.

    ``-`` (or a name of the file standard output already writes to, such as ``/dev/stdout``) is
    written through standard output; a character device (a terminal, ``/dev/null``) or a FIFO
    is written straight into, as a shell redirection would; a regular file is replaced
    atomically, and through a symlink the file it points at is replaced, not the link.
    Anything else (a folder, a socket, a block device) is refused with an OutputError.
    """
    name = os.fspath(path)
    if name == STDOUT:
        _write_stream(sys.stdout, data, "stdout")
        return Path(name)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        return atomic_write_bytes(name, data)  # a dangling link is replaced, not followed
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", path=name) from None
    stream = _standard_stream(st)
    if stream is not None:
        _write_stream(stream, data, name)
    elif stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        try:
            with open(name, "wb") as fh:  # a FIFO waits here for its reader, as with `> fifo`
                fh.write(data)
        except OSError as exc:
            raise OutputError(f"cannot write ({exc.strerror or exc})", path=name) from None
    elif stat.S_ISREG(st.st_mode):
        atomic_write_bytes(os.path.realpath(name) if os.path.islink(name) else name, data)
    else:
        raise OutputError("not a file, terminal, device or FIFO; not written", path=name)
    return Path(name)


def _identity(path: str | os.PathLike[str]) -> tuple[object, bool]:
    """(what tells this file from others, whether it is a character device).

    Device and inode for a file that exists, so that a link or another spelling of one file
    gives the same identity; the resolved path for a file not written yet.
    """
    name = os.fspath(path)
    try:
        st = os.fstat(sys.stdout.fileno()) if name == STDOUT else os.stat(name)
    except (AttributeError, OSError, ValueError):
        return (name if name == STDOUT else os.path.realpath(name)), False
    return (st.st_dev, st.st_ino), stat.S_ISCHR(st.st_mode)


def is_stdout(path: str | os.PathLike[str]) -> bool:
    """True when writing ``path`` writes to standard output (``-``, ``/dev/stdout``...)."""
    return os.fspath(path) == STDOUT or _identity(path)[0] == _identity(STDOUT)[0]


def check_outputs(
    outputs: Mapping[str, str | os.PathLike[str] | None], inputs: Iterable[str | os.PathLike[str]]
) -> None:
    """Refuse outputs that would destroy an input or each other, before anything is read.

    ``outputs`` maps each option to the file it names (None: not asked for). An output that is
    one of the ``inputs`` (the same file under any name, through links too) would replace it;
    two outputs naming one file would leave only the last. A character device is exempt: writing
    twice to ``/dev/null`` or a terminal loses nothing. Raises OutputError naming the file.
    """
    named = {option: path for option, path in outputs.items() if path is not None}
    if not named:
        return
    taken: dict[object, str] = {}
    for path in inputs:
        try:
            st = os.stat(path)
        except OSError:
            continue  # a missing input fails on its own, with its own message
        taken.setdefault((st.st_dev, st.st_ino), os.fspath(path))
    claimed: dict[object, str] = {}
    for option, path in named.items():
        key, device = _identity(path)
        if device:
            continue
        if key in taken:
            raise OutputError(f"{option} would overwrite this input; name another file", path=os.fspath(path))
        if key in claimed:
            raise OutputError(
                f"named for both {claimed[key]} and {option}; give each output its own file", path=os.fspath(path)
            )
        claimed[key] = option


class UnusableCacheError(ValueError):
    """A cache file is there but cannot be used; the message says why, for the log."""


def open_cache_file(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """A read-only descriptor on the cache file at ``path`` and its status; the caller closes it.

    Someone else may be able to put a file where a cache is read (a shared or badly permissioned
    cache folder). So the file is opened without following a symlink and without blocking on a
    FIFO, and must be a regular file (not a FIFO or a device, which could hang or never end).
    Raises FileNotFoundError when there is no file, and UnusableCacheError otherwise.
    """
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:  # ELOOP for a symlink, EACCES, ...
        raise UnusableCacheError(f"cannot open it ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise UnusableCacheError(f"cannot read it ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):  # checked before reading: a FIFO or device never is
        os.close(fd)
        raise UnusableCacheError("not a regular file")
    return fd, st


def read_cache_file(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes of the cache file at ``path``, opened as ``open_cache_file`` does, at most ``max_bytes``.

    The file is read whole into memory rather than mapped, because whoever owns a mapped file can
    truncate it and crash the reader with SIGBUS. Raises FileNotFoundError when there is no file,
    and UnusableCacheError when the file cannot be opened safely, is over ``max_bytes``, cannot
    be read, or changed while being read.
    """
    fd, st = open_cache_file(path)
    try:
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
    return data


def read_at_most(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Up to ``max_bytes + 1`` bytes of a file the user names: one more than allowed tells the
    caller the file is too long, and reading ends whatever the path is (``/dev/zero``, a 5 GB log).

    A FIFO is read like a pipe (``--context <(curl ...)`` is ordinary use). Raises OSError.
    """
    with open(path, "rb") as fh:
        return fh.read(max_bytes + 1)
