"""A run's JSON lines kept in a file that the next run resumes from: one whole line per photo, appended.

An export of 10,000 posts takes hours to read; a run that is stopped (Ctrl-C, a reboot) must not
cost what it did. Each photo's line is appended to the file as soon as it is done, in one write,
and synced, so what was written stays written; nothing ever truncates the file. A later run reads
the file first and skips the photos it already holds a good line for. A photo whose line carries an
error is read again (a time limit or a missing file may be gone by then), and its new line comes
after the old one: a reader of the file takes each photo's last line.
"""

from __future__ import annotations

import json
import logging
import os
import stat

from geoloc.errors import OutputError

log = logging.getLogger(__name__)


class JsonLinesFile:
    """A JSON-lines file opened to append to, and the photos it already holds."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._fd: int | None = None

    def _check(self) -> bool:
        """True when the file exists; OutputError when it is something else than a regular file
        (a FIFO would block, a device or folder cannot be resumed from)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise OutputError(f"cannot read ({exc.strerror or exc})", path=self.path) from None
        if not stat.S_ISREG(st.st_mode):
            raise OutputError("not a regular file; a run can only be resumed from a file", path=self.path)
        return True

    def done(self) -> set[str]:
        """The ``path`` of every photo with a line without errors (a line that is not a whole JSON
        object, such as one cut off by a crash, is left out and said once)."""
        if not self._check():
            return set()
        found: set[str] = set()
        bad = 0
        try:
            with open(self.path, "rb") as fh:
                for raw in fh:
                    try:
                        line = json.loads(raw)
                    except ValueError:  # UnicodeDecodeError and JSONDecodeError
                        bad += bool(raw.strip())
                        continue
                    if isinstance(line, dict) and isinstance(line.get("path"), str) and not line.get("errors"):
                        found.add(line["path"])
        except OSError as exc:
            raise OutputError(f"cannot read ({exc.strerror or exc})", path=self.path) from None
        if bad:
            log.warning("%s: %d line(s) are not whole JSON lines (a run cut off?); left as they are", self.path, bad)
        return found

    def append(self, line: str) -> None:
        """Append one line (without its newline) in one write, and sync it to the disk."""
        if self._fd is None:
            self._open()
        assert self._fd is not None
        self._write(line.encode("utf-8") + b"\n")

    def _open(self) -> None:
        existed = self._check()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
            if existed and os.fstat(self._fd).st_size:
                with open(self.path, "rb") as fh:
                    fh.seek(-1, os.SEEK_END)
                    if fh.read(1) != b"\n":  # a line cut off by a crash: the next line starts on its own
                        self._write(b"\n")
        except OSError as exc:
            raise OutputError(f"cannot write ({exc.strerror or exc})", path=self.path) from None

    def _write(self, data: bytes) -> None:
        assert self._fd is not None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
            os.fsync(self._fd)
        except OSError as exc:
            raise OutputError(f"cannot write ({exc.strerror or exc})", path=self.path) from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
