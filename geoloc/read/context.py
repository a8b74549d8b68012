"""Read the words published with a photo (a caption, a post, an article) from a file, within bounds.

The text comes from strangers and the path may be anything: a FIFO, ``/dev/zero``, a 5 GB log.
Only the first ``MAX_CONTEXT_BYTES`` are read (a longer text is cut, with a warning), so reading
ends whatever the file, and bytes that are not UTF-8 become U+FFFD instead of an error.
"""

from __future__ import annotations

import logging
import os

from geoloc.common.files import read_at_most
from geoloc.errors import ContextError

log = logging.getLogger(__name__)

MAX_CONTEXT_BYTES = 1 << 20
"""1 MiB: a long article is 20-60 KB and a whole report rarely 500 KB; beyond this the text is
cut, which keeps parsing it under about a second."""


def read_context_file(path: str | os.PathLike[str]) -> str:
    """The text of a caption or article file, at most ``MAX_CONTEXT_BYTES`` of it."""
    shown = os.fspath(path)
    try:
        data = read_at_most(path, MAX_CONTEXT_BYTES)
    except OSError as exc:
        raise ContextError(f"cannot read the context ({exc.strerror or exc})", path=shown) from None
    if len(data) > MAX_CONTEXT_BYTES:
        log.warning("%s: longer than %d bytes; only the start is read", shown, MAX_CONTEXT_BYTES)
        data = data[:MAX_CONTEXT_BYTES]
    return data.decode("utf-8", errors="replace")
