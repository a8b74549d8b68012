"""The observation cache: what was read from a photo (metadata and OCR text), keyed by its bytes.

OCR is the slow part of geoloc (about a second a photo); deciding where a photo was taken from
what was read is fast. So the cache keeps the *observation* of each photo, keyed by the SHA-256 of
the file's bytes and what changes what is read (OCR languages, geoloc's version and code, the
Tesseract version), and
inference always runs again: a re-run with another ``--context`` or ``--country`` reads nothing
twice, a renamed or copied photo is still a hit, and an edited one is not.

Entries are small JSON files written atomically by whichever process read the photo, so an
interrupted batch resumes where it stopped. A damaged entry is treated as a miss and rewritten: an
entry is read as an untrusted cache file (no symlink, no FIFO, a size cap) and every value in it is
checked as it is rebuilt into records.
The cache lives in ``observations/`` under the geoloc cache folder ($GEOLOC_CACHE_DIR, else the
platform's user cache folder), beside other components' caches.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import stat
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import pytesseract

from geoloc import __version__
from geoloc.common.files import atomic_write_text, read_cache_file
from geoloc.common.paths import cache_root, default_cache_root
from geoloc.errors import GeolocError
from geoloc.model import Metadata, TextSpan

log = logging.getLogger("geoloc.cache")

OBSERVATIONS = "observations"
"""This cache's sub-folder of the cache root."""

FORMAT = 1
"""Version of the entry layout; part of every key, so a new layout never reads an old entry."""

CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder holds geoloc's caches.\n"
"""The Cache Directory Tagging marker (bford.info/cachedir): backup tools skip the folder, and
``geoloc cache clear --all`` only empties a folder that carries it."""

MAX_ENTRY_BYTES = 8_000_000
"""An entry holds what one photo yielded: OCR reads at most a few dozen text regions and lines,
metadata texts are capped at 2000 characters, so real entries are a few KB. A file thousands of
times that size was not written by geoloc and is not read."""

_CHUNK = 1 << 20
_ENTRY_NAME_RE = re.compile(r"[0-9a-f]{64}\.json")
"""An entry's file name: the SHA-256 key in hex (``key``), in the folder named by its first two."""


def file_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, as hex: the identity of a photo whatever its name."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


READER_SOURCES = ("read", "common/photo.py", "model.py")
"""The package's parts that decide what is read from a photo (and how it is stored): the reading
stage, the safe photo loader and the records. Inference, rendering and the CLI are left out: they
run again on every call, so changing them must not throw away what was read."""


def code_fingerprint(package: Path) -> str:
    """SHA-256 over the sources that decide what is read from a photo, and the bundled models' sizes.

    The version number alone does not tell two readers apart in a development install, where the
    OCR code changes without it; a stale reading would then be served as if it were current.
    """
    h = hashlib.sha256()
    for part in READER_SOURCES:
        root = package / part
        for src in sorted(root.rglob("*.py")) if root.is_dir() else [root] if root.is_file() else []:
            rel = src.relative_to(package)
            h.update(rel.as_posix().encode() + b"\0" + src.read_bytes() + b"\0")
    for model in sorted(package.glob("assets/*.onnx")):
        h.update(f"{model.name}:{model.stat().st_size}\0".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """What besides the photo and the languages decides what is read: geoloc's code, Tesseract."""
    try:
        tesseract = str(pytesseract.get_tesseract_version())
    except (OSError, pytesseract.TesseractNotFoundError, ValueError):
        tesseract = "missing"  # reading fails then anyway, with its own clear error
    return f"{code_fingerprint(Path(__file__).resolve().parent)}/tesseract-{tesseract}"


@dataclass(frozen=True)
class CacheInfo:
    """What ``geoloc cache info`` shows for one cache folder."""

    path: Path
    entries: int
    size_bytes: int


class ObservationCache:
    """Observations (text spans + metadata) of photos already read, one JSON file per entry."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else cache_root() / OBSERVATIONS

    def key(self, digest: str, langs: str) -> str:
        """The entry name for a photo's bytes read with these OCR languages by this geoloc."""
        ident = json.dumps(
            {"sha256": digest, "langs": langs, "geoloc": __version__, "format": FORMAT, "reader": reader_fingerprint()},
            sort_keys=True,
        )
        return hashlib.sha256(ident.encode()).hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[list[TextSpan], Metadata] | None:
        """The cached observation, or None when missing or unreadable (then it is read again)."""
        entry = self._entry(key)
        try:
            data = json.loads(read_cache_file(entry, MAX_ENTRY_BYTES))
            if not isinstance(data, dict) or data.get("key") != key:
                raise ValueError("entry does not match its key")
            texts = [TextSpan.from_dict(t) for t in data["texts"]]
            metadata = Metadata.from_dict(data["metadata"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            log.debug("ignoring damaged cache entry %s (%s)", entry, exc)
            return None
        return texts, metadata

    def put(self, key: str, texts: list[TextSpan], metadata: Metadata) -> None:
        """Store an observation atomically. Raises OutputError when the folder is not writable."""
        self._tag_root()
        data = {"key": key, "format": FORMAT, "texts": [asdict(t) for t in texts], "metadata": metadata.to_dict()}
        atomic_write_text(self._entry(key), json.dumps(data, ensure_ascii=False), replace_planted=True)

    def _tag_root(self) -> None:
        tag = self.directory.parent / "CACHEDIR.TAG"
        if not tag.exists():
            try:
                atomic_write_text(tag, CACHEDIR_TAG)
            except GeolocError:
                pass  # the entry write below reports an unwritable folder

    def info(self) -> CacheInfo:
        """How many entries the cache holds and how much disk they take.

        Only files named and placed as ``put`` writes them count: anything else in the folder (a
        note, a copy, a link, a FIFO, a temporary file left by a killed run) is no photo reading.
        """
        sizes = [
            p.lstat().st_size
            for p in self.directory.glob("??/*.json")
            if _ENTRY_NAME_RE.fullmatch(p.name)
            and p.parent.name == p.name[:2]
            and not p.parent.is_symlink()
            and stat.S_ISREG(p.lstat().st_mode)
        ]
        return CacheInfo(self.directory, len(sizes), sum(sizes))

    def clear(self) -> int:
        """Remove every entry; return how many there were."""
        n = self.info().entries
        if self.directory.is_dir():
            shutil.rmtree(self.directory)
        return n


def clear_all(root: Path | None = None) -> None:
    """Empty the whole cache folder (every component's cache), if it is one geoloc made.

    A folder named by $GEOLOC_CACHE_DIR might be anything, so it is emptied only when it carries
    geoloc's CACHEDIR.TAG or is the platform's default geoloc cache folder.
    """
    root = root or cache_root()
    if not root.exists():
        return
    default = default_cache_root()
    tag = root / "CACHEDIR.TAG"
    is_ours = (
        tag.is_file() and tag.read_text(errors="replace").startswith(CACHEDIR_TAG[:44])
    ) or root.resolve() == default.resolve()
    if not is_ours:
        raise GeolocError(
            "not clearing: the folder has no geoloc CACHEDIR.TAG; remove it by hand if it really is a cache",
            path=str(root),
        )
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
