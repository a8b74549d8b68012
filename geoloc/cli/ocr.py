"""``geoloc ocr``: the text geoloc reads in photos (road signs, shop fronts), with boxes."""

from __future__ import annotations

from pathlib import Path

import click

from geoloc.common.photo import load_image
from geoloc.common.text import decodable, printable
from geoloc.errors import GeolocError
from geoloc.model import TextSpan
from geoloc.read.ocr.reader import read_text
from geoloc.render.jsontext import dumps

from .options import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    json_flag,
    lang_option,
    photos_argument,
    report_error,
    setup_logging,
    verbosity,
)


def _summary(path: str, spans: list[TextSpan]) -> str:
    """One line per text line of the photo: its readings, their confidence and box.

    The text read is whatever the photo shows (it may spell escape sequences), so each line is
    made printable, as is the file name.
    """
    lines = [path]
    if not spans:
        lines.append("  (no text found)")
    by_line: dict[tuple[int, int], list[TextSpan]] = {}
    for s in spans:
        by_line.setdefault((s.region, s.line), []).append(s)
    for (region, _), group in by_line.items():
        readings = "  |  ".join(f"{s.text} ({s.confidence:.0f})" for s in group)
        x, y, w, h = group[0].box
        lines.append(f"  sign {region}: {readings}    at x={x} y={y} w={w} h={h}")
    return "\n".join(printable(line) for line in lines)


@click.command("ocr")
@photos_argument
@json_flag
@click.option(
    "--debug-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Save the detected regions and the binarised crops here (one folder per photo), to see why a sign was missed.",
)
@lang_option
@verbosity
def command(
    photos: tuple[str, ...], as_json: bool, debug_dir: Path | None, lang: str, verbose: int, quiet: int
) -> None:
    """Read the text in photos: road signs in Cyrillic and Latin, shop fronts, plates.

    geoloc first finds where the text is (coloured sign panels, and text lines found by a
    text-detection network), cuts each region out at full resolution, cleans it (upright, dark
    text on white, scaled, binarised) and reads it with Tesseract, once for the Cyrillic
    languages and once for the Latin ones. A sign reading "Чернігів" over
    "Chernihiv" therefore gives both names; when the two passes disagree about a line, both
    readings are shown. Boxes are x, y, width, height in pixels of the upright photo.

    \b
    Examples:
      geoloc ocr images/chernihiv_sign.jpg
      geoloc ocr photos/*.jpg --json > texts.json
      geoloc ocr sign.jpg --debug-dir debug/ --lang eng+rus

    A file that cannot be read gives one line on stderr and the others go on; the exit code is
    0 when every photo was read and 1 when some could not be.
    """
    setup_logging(verbose, quiet)
    results = []
    failed = False
    for path in photos:
        try:
            image = load_image(path)
            sub = debug_dir / Path(path).stem if debug_dir is not None else None
            spans = read_text(image, lang, debug_dir=sub)
        except GeolocError as err:
            if err.path is None:
                err.path = decodable(path)
            report_error(err)
            failed = True
            continue
        if as_json:
            results.append(
                {
                    "path": decodable(path),
                    "texts": [
                        {
                            "text": s.text,
                            "confidence": round(s.confidence, 1),
                            "box": list(s.box),
                            "line": s.line,
                            "region": s.region,
                            "lang": s.lang,
                        }
                        for s in spans
                    ],
                }
            )
        else:
            click.echo(_summary(path, spans))
    if as_json:
        click.echo(dumps({"photos": results}, indent=2))
    raise SystemExit(EXIT_SOME_FAILED if failed else EXIT_OK)
