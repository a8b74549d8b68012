"""``geoloc cache``: see how much the caches hold, and empty them."""

from __future__ import annotations

import os
from pathlib import Path

import click

from geoloc.cache import ObservationCache, clear_all
from geoloc.common.paths import CACHE_ENV, cache_root
from geoloc.common.text import printable
from geoloc.errors import GeolocError

from .options import EXIT_SOME_FAILED, report_error


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    raise AssertionError("unreachable")


def _folder_usage(folder: Path) -> tuple[int, int]:
    """(files, bytes) under a folder, symlinks not followed."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return len(files), sum(p.stat().st_size for p in files)


@click.group("cache")
def command() -> None:
    """What earlier runs read from photos, kept so that a re-run does not read them again.

    geoloc locate stores what it read from each photo (metadata and OCR text) under the photo's
    content hash, its OCR languages and the geoloc version: a re-run, a renamed copy, or a run
    with another --context or --country reuses it; an edited photo is read again. Other parts of
    geoloc keep their own files (the gazetteer index, borders) in sibling folders.

    \b
    The folder is $GEOLOC_CACHE_DIR if set, else the user cache folder
    (~/.cache/geoloc on Linux).

    \b
    Examples:
      geoloc cache info
      geoloc cache clear           # what photos were read as; other caches stay
      geoloc cache clear --all     # everything, including the gazetteer index
    """


@command.command("info")
def info() -> None:
    """Show where the caches are and how much they hold."""
    root = cache_root()  # named by $GEOLOC_CACHE_DIR, maybe: its names are printed printable
    obs = ObservationCache().info()
    click.echo(f"cache folder: {printable(root)}" + (f"  (from ${CACHE_ENV})" if os.environ.get(CACHE_ENV) else ""))
    click.echo(f"  observations: {obs.entries} photo{'s' * (obs.entries != 1)}, {_size(obs.size_bytes)}")
    if root.is_dir():
        for child in sorted(root.iterdir()):
            if child.is_symlink() or child.name.startswith(".") or child.name in (obs.path.name, "CACHEDIR.TAG"):
                continue
            if child.is_dir():
                files, size = _folder_usage(child)
                click.echo(f"  {printable(child.name)}: {files} file{'s' * (files != 1)}, {_size(size)}")
            elif child.is_file() and not child.name.endswith(".part"):
                click.echo(f"  {printable(child.name)}: {_size(child.stat().st_size)}")


@command.command("clear")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also remove the other caches (gazetteer index, borders): rebuilt when next needed.",
)
def clear(everything: bool) -> None:
    """Forget what photos were read as (with --all: empty the whole cache folder)."""
    try:
        if everything:
            clear_all()
            click.echo(f"emptied {printable(cache_root())}")
            return
        n = ObservationCache().clear()
    except GeolocError as err:
        report_error(err)
        raise SystemExit(EXIT_SOME_FAILED) from None
    except OSError as exc:
        report_error(GeolocError(f"cannot remove ({exc.strerror or exc})", path=str(cache_root())))
        raise SystemExit(EXIT_SOME_FAILED) from None
    click.echo(f"removed {n} cached photo reading{'s' * (n != 1)}")
