"""What the user named -> the photos to read, each with its own words and where they came from.

The one home of input expansion: a photo file, a folder (the images directly inside it, in name
order), a saved article page (``.html`` with its files, ``.mhtml``: ``geoloc.read.pages``) and a
Telegram Desktop export (its folder or ``result.json``: ``geoloc.read.telegram``). A page or an
export that cannot be read is one error and the others go on; what is left out of one (an image
on the web, a photo not exported) is one line. Images taken out of an ``.mhtml`` live in a private
temporary folder for as long as the ``expanded`` block runs (the batch, then the map's thumbnails).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from geoloc.common.text import decodable
from geoloc.errors import GeolocError
from geoloc.model import PhotoContext, PhotoInput
from geoloc.read import pages, telegram
from geoloc.read.video import VIDEO_SUFFIXES

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif", ".gif", ".bmp"})
"""The files of a folder taken as photos, with the videos of ``VIDEO_SUFFIXES`` (a file named on
the command line is tried whatever its name)."""

SCRATCH_PREFIX = "geoloc-page-"
"""The name the private temporary folder of taken-out images starts with, so a user who finds one
left by a killed run knows whose it is."""


@dataclass
class Inputs:
    """The photos to read, in the order named, and what the user is told about the rest."""

    photos: list[str | PhotoInput] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines about what was left out; nothing failed
    errors: list[GeolocError] = field(default_factory=list)  # pages and exports that could not be read
    read: list[str] = field(default_factory=list)  # files read to list the photos: no output may replace them
    title: str = ""  # what the run is called by default (its map's name): the first page or export, else photo


def shown(photo: str | PhotoInput) -> str:
    """The name a photo has in the report and on the terminal (a page's image:
    ``page.mhtml#photo.jpg``), made decodable."""
    return decodable(photo if isinstance(photo, str) else photo.shown)


def file_of(photo: str | PhotoInput) -> str:
    """The file a photo is read from: the path named, or a page's or export's image on disk."""
    return photo if isinstance(photo, str) else photo.path


@contextmanager
def expanded(named: Sequence[str], context: PhotoContext | None = None) -> Iterator[Inputs]:
    """The photos of every input named, for the duration of the block.

    ``context`` (the run's ``--context``) is the own words of every photo named as a file or in a
    folder; photos of pages and exports have their own. The temporary folder of taken-out
    images is removed when the block ends, however it ends.
    """
    root: list[Path] = []

    def scratch() -> Path:
        if not root:
            root.append(Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX)))  # mode 0700: the user's alone
        return Path(tempfile.mkdtemp(dir=root[0]))

    try:
        yield expand(named, context, scratch)
    finally:
        if root:
            shutil.rmtree(root[0], ignore_errors=True)


def expand(named: Sequence[str], context: PhotoContext | None, scratch: pages.Scratch) -> Inputs:
    """The photos of every input named, in order (see ``expanded``, which owns ``scratch``)."""
    out = Inputs()
    for item in named:
        p = Path(item)
        title = ""
        try:
            if telegram.is_export(p):
                title = p.name if p.is_dir() else p.parent.name
                _add_export(out, item)
            elif telegram.is_html_export(p):
                out.errors.append(
                    GeolocError(
                        "a Telegram export in HTML, which geoloc does not read: export again as JSON "
                        "(Export chat history, Format: Machine-readable JSON)",
                        path=item,
                    )
                )
            elif p.is_dir():
                _add_folder(out, item, context)
            elif p.suffix.lower() in pages.PAGE_SUFFIXES | pages.MHTML_SUFFIXES:
                title = p.stem
                mhtml = p.suffix.lower() in pages.MHTML_SUFFIXES
                page = pages.read_mhtml(item, scratch) if mhtml else pages.read_saved_page(item, scratch)
                out.read.append(item)
                out.photos += page.photos
                out.notes += page.notes
                if not page.photos:
                    out.notes.append(f"{item}: no photos of the article in the saved page")
            else:
                out.photos.append(PhotoInput(item, context=context) if context else item)
        except GeolocError as err:
            out.errors.append(err)
        if not out.title and (title or out.photos):
            first = out.photos[0] if out.photos else ""
            out.title = title or Path(first if isinstance(first, str) else first.shown).stem
    return out


def _add_folder(out: Inputs, folder: str, context: PhotoContext | None) -> None:
    """The images and videos directly inside ``folder``, in name order.

    A folder holding none is named: a mistyped folder should not pass silently.
    """
    suffixes = IMAGE_SUFFIXES | VIDEO_SUFFIXES
    found = [
        str(c) for c in sorted(Path(folder).iterdir()) if c.suffix.lower() in suffixes and not c.name.startswith(".")
    ]
    if not found:
        out.notes.append(f"{folder}: no photos in this folder; skipped")
    out.photos += [PhotoInput(f, context=context) if context else f for f in found]


def _add_export(out: Inputs, item: str) -> None:
    """The photos and videos of a Telegram export, each with its post's words (a video is read
    as one photo whose text was seen over time, ``geoloc.read.video``)."""
    export = telegram.read_export(item)
    p = Path(item)
    out.read.append(str(p / telegram.RESULT) if p.is_dir() else item)
    out.notes += export.notes
    out.photos += export.photos
    if not export.photos:
        out.notes.append(f"{item}: no photos or videos in this export")
