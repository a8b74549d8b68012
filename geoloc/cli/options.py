"""Options shared by several subcommands, and the mapping of -v/-q to log levels and exit codes."""

from __future__ import annotations

import logging
import sys
from typing import Any, Callable

import click

from ..errors import GeolocError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C

DEFAULT_LANGS = "eng+ukr+rus+bel"

F = Callable[..., Any]


def verbosity(f: F) -> F:
    """-v/-q: more or less logging on stderr (warnings by default)."""
    f = click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")(f)
    f = click.option("-q", "--quiet", count=True, help="Only errors on stderr.")(f)
    return f


def setup_logging(verbose: int, quiet: int) -> None:
    level = logging.WARNING - 10 * verbose + 10 * quiet
    logging.basicConfig(level=max(logging.DEBUG, min(level, logging.CRITICAL)),
                        format="geoloc: %(levelname)s: %(message)s", stream=sys.stderr)


json_flag = click.option("--json", "as_json", is_flag=True,
                         help="Print the machine-readable JSON on stdout instead of the summary.")

lang_option = click.option(
    "--lang", default=DEFAULT_LANGS, show_default=True, metavar="LANGS",
    help="Tesseract languages, joined with '+'. Cyrillic and Latin passes are run separately.")

photos_argument = click.argument("photos", nargs=-1, required=True,
                                 type=click.Path(path_type=str))


def report_error(err: GeolocError) -> None:
    """Print a GeolocError as the one line a user reads: '<file>: <problem>'."""
    click.echo(f"geoloc: {err}", err=True)
