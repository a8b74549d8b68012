"""The ``geoloc`` click group: loads one module per subcommand, lazily, so start-up stays fast.

Exit codes: 0 all done, 1 some photos failed (each failure printed as one line), 2 bad usage.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any

import click

from geoloc import __version__
from geoloc.common.text import printable

COMMANDS: dict[str, str] = {
    # command name -> module under geoloc.cli that defines ``command``
    "locate": "locate",
    "geocode": "geocode",
    "data": "data",
    "cache": "cache",
    "exif": "exif",
    "ocr": "ocr",
    "summarize": "summarize",
    "proof": "proof",
}


@contextlib.contextmanager
def _printable_errors() -> Iterator[None]:
    """Click's messages quote what was typed (a path that is not there, a bad value), and a
    file name can carry escape sequences: they are escaped like every other line geoloc prints."""
    try:
        yield
    except click.ClickException as exc:
        exc.message = printable(exc.message)
        raise


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used (``geoloc --help`` lists them all)."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        with _printable_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _printable_errors():
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        return importlib.import_module(f"geoloc.cli.{module}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geoloc")
def cli() -> None:
    """Work out where a published photo was taken.

    geoloc reads the photo's metadata (EXIF GPS, IPTC, XMP), the text in the picture
    (road signs, city-limit signs, shop fronts; Latin and Cyrillic) and the caption it was
    published with, looks the place names up in an offline gazetteer, ranks the candidate
    places with their evidence, and writes an interactive map plus a JSON report.

    \b
    Start here:
      geoloc locate photo.jpg --context caption.txt --open
      geoloc locate photos/ --jsonl > reports.jsonl
    Each command has its own --help.
    """
