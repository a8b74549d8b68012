"""Options shared by several subcommands, and the mapping of -v/-q to log levels and exit codes.

Everything printed on stderr passes through ``printable`` (``geoloc.common.text``): error lines
and log lines carry file names and text from photos, which may hold terminal escape sequences.
"""

from __future__ import annotations

import logging
import math
import numbers
import sys
import warnings
from collections.abc import Callable
from typing import Any

import click

from geoloc.common.geodesy import EARTH_RADIUS_KM
from geoloc.common.text import printable
from geoloc.errors import GeolocError
from geoloc.read.ocr.langs import DEFAULT_LANGS

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_SIGNALLED = 128  # + the signal that stopped a run, as shells report it: 130 Ctrl-C, 143 SIGTERM

F = Callable[..., Any]

MAX_KM = math.pi * EARTH_RADIUS_KM
"""The longest radius or band width accepted (about 20,015 km): half the Earth's circumference,
beyond which a distance on the ground says nothing more."""

log = logging.getLogger("geoloc")


def verbosity(f: F) -> F:
    """-v/-q: more or less logging on stderr (warnings by default)."""
    f = click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")(f)
    f = click.option("-q", "--quiet", count=True, help="Only errors on stderr.")(f)
    return f


class PrintableFormatter(logging.Formatter):
    """Log lines with every value from outside made printable: the arguments of a message
    (file names, texts) each on one line, and the whole line cleared of escape sequences (a
    traceback at -vv keeps its line breaks)."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.args, tuple):
            record = logging.makeLogRecord(record.__dict__)
            record.args = tuple(a if isinstance(a, numbers.Number) else printable(a) for a in record.args)
        return "\n".join(printable(line) for line in super().format(record).split("\n"))


def _log_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int, *_: object) -> None:
    """Python warnings (Pillow's on odd files, libraries' deprecations) are for developers: -vv."""
    log.debug("%s: %s (%s:%d)", category.__name__, message, filename, lineno)


def setup_logging(verbose: int, quiet: int) -> None:
    """Log on stderr at the level -v/-q ask for, escaped; Python warnings to the debug log."""
    level = logging.WARNING - 10 * verbose + 10 * quiet
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrintableFormatter("geoloc: %(levelname)s: %(message)s"))
    logging.basicConfig(level=max(logging.DEBUG, min(level, logging.CRITICAL)), handlers=[handler])
    warnings.showwarning = _log_warning


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
    click.echo(f"geoloc: {printable(err)}", err=True)


def note(message: str) -> None:
    """Print a line for the user on stderr ('geoloc: ...'), escaped like an error line."""
    click.echo(f"geoloc: {printable(message)}", err=True)


def _km(text: str) -> float | None:
    """``text`` as a distance in km, or None unless it is a number over 0 and at most ``MAX_KM``."""
    try:
        km = float(text)
    except ValueError:
        return None
    return km if 0 < km <= MAX_KM else None  # NaN compares false: refused too


KM_RULE = f"a distance in km over 0 and at most {MAX_KM:.0f}"


class Kilometres(click.ParamType):
    """A distance in km (``--within-km``): NaN, infinities, 0 and negatives are bad usage."""

    name = "km"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        km = _km(str(value))
        if km is None:
            self.fail(f"{value!s} is not {KM_RULE}", param, ctx)
        return km


def _parse_near(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float, float] | None:
    """'LAT,LON[,KM]' -> (lat, lon, km); 100 km when the radius is left out."""
    if not value:
        return None
    usage = "expected LAT,LON or LAT,LON,KM, e.g. 51.5,31.3,50"
    parts = value.split(",")
    try:
        lat, lon = (float(parts[0]), float(parts[1])) if len(parts) in (2, 3) else (math.nan, math.nan)
    except ValueError:
        lat = lon = math.nan
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also false for NaN
        raise click.BadParameter(usage)
    km = _km(parts[2]) if len(parts) == 3 else 100.0
    if km is None:
        raise click.BadParameter(f"radius {parts[2]} is not {KM_RULE}; {usage}")
    return (lat, lon, km)


def _parse_country(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An ISO code or a country name the gazetteer knows ("UA", "Ukraine", "Україна") -> "UA"."""
    if value is None:
        return None
    from geoloc.places import get_gazetteer

    try:
        place = get_gazetteer().country(value.strip()) if value.strip() else None
    except GeolocError as err:
        raise click.BadParameter(f"cannot check it: {err}") from None
    if place is None:
        raise click.BadParameter(f'unknown country "{value}": give an ISO code such as UA, or its name')
    return place.country_code


def country_option(help_text: str) -> Callable[[F], F]:
    """--country CC|NAME, checked against the gazetteer before anything is read, as its ISO code."""
    return click.option("--country", metavar="CC", callback=_parse_country, help=help_text)


def near_option(help_text: str) -> Callable[[F], F]:
    """--near LAT,LON[,KM], parsed into a (lat, lon, km) prior."""
    return click.option("--near", metavar="LAT,LON[,KM]", callback=_parse_near, help=help_text)


def batch_options(timeout_help: str) -> Callable[[F], F]:
    """-j/--jobs, --timeout and --no-cache: how a command that reads photos runs its batch.

    ``geoloc.batch`` (and with it the OCR stack) is imported here, when a command that reads
    photos is defined, not by every command that imports this module.
    """
    from geoloc.batch import DEFAULT_TIMEOUT_S, default_jobs

    options = (
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=default_jobs,
            show_default="CPUs",
            help="Read this many photos at once, in worker processes.",
        ),
        click.option(
            "--timeout",
            type=click.IntRange(min=0),
            default=DEFAULT_TIMEOUT_S,
            show_default=True,
            metavar="SECONDS",
            help=timeout_help,
        ),
        click.option(
            "--no-cache",
            "no_cache",
            is_flag=True,
            help="Read every photo again instead of reusing what earlier runs read (see geoloc cache).",
        ),
    )

    def decorate(f: F) -> F:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate
