"""Options shared by several subcommands, and the mapping of -v/-q to log levels and exit codes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from geoloc.errors import GeolocError
from geoloc.read.ocr.langs import DEFAULT_LANGS

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C

F = Callable[..., Any]


def verbosity(f: F) -> F:
    """-v/-q: more or less logging on stderr (warnings by default)."""
    f = click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")(f)
    f = click.option("-q", "--quiet", count=True, help="Only errors on stderr.")(f)
    return f


def setup_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING - 10 * verbose + 10 * quiet
    logging.basicConfig(
        level=max(logging.DEBUG, min(level, logging.CRITICAL)),
        format="geoloc: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


json_flag = click.option(
    "--json", "as_json", is_flag=True, help="Print the machine-readable JSON on stdout instead of the summary."
)

lang_option = click.option(
    "--lang",
    default=DEFAULT_LANGS,
    show_default=True,
    metavar="LANGS",
    help="Tesseract languages, joined with '+'. Cyrillic and Latin passes are run separately.",
)

photos_argument = click.argument("photos", nargs=-1, required=True, type=click.Path(path_type=str))


def report_error(err: GeolocError) -> None:
    """Print a GeolocError as the one line a user reads: '<file>: <problem>'."""
    click.echo(f"geoloc: {err}", err=True)


def _parse_near(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float, float] | None:
    """'LAT,LON[,KM]' -> (lat, lon, km); 100 km when the radius is left out."""
    if not value:
        return None
    try:
        parts = [float(x) for x in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) not in (2, 3) or not (-90 <= parts[0] <= 90 and -180 <= parts[1] <= 180):
        raise click.BadParameter("expected LAT,LON or LAT,LON,KM, e.g. 51.5,31.3,50")
    return (parts[0], parts[1], parts[2] if len(parts) == 3 else 100.0)


def near_option(help_text: str) -> Callable[[F], F]:
    """--near LAT,LON[,KM], parsed into a (lat, lon, km) prior."""
    return click.option("--near", metavar="LAT,LON[,KM]", callback=_parse_near, help=help_text)
