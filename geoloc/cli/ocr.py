"""``geoloc ocr``: the text geoloc reads in photos (road signs, shop fronts), with boxes."""

from __future__ import annotations

import json
from pathlib import Path

import click

from geoloc.common.files import atomic_write_text
from geoloc.common.photo import load_image
from geoloc.common.text import decodable, printable
from geoloc.errors import GeolocError, OCRError
from geoloc.model import TextSpan
from geoloc.read.ocr.reader import read_text
from geoloc.render.jsontext import dumps
from geoloc.render.map.escape import esc

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


def _levels_line(levels: dict | None) -> str:
    """Whether the photo's levels were stretched before text was looked for (a dim or hazy photo)."""
    if not levels:
        return "<p>Levels: the photo already spans black to white; read as it is.</p>"
    return (
        f"<p>Levels: grey {esc(levels['black'])} to {esc(levels['white'])} stretched to black and white "
        "before text was looked for (a dim or low-contrast photo).</p>"
    )


def _debug_page(folder: Path, photo: str) -> None:
    """Write ``index.html`` beside the debug report: the overlay, then the searches, the regions
    and every reading with why it was kept or dropped (all text escaped: it comes from the photo
    and its file name)."""
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))

    def table(rows: list[dict], columns: list[str], numbered: bool = False) -> str:
        head = "".join(f"<th>{esc(c)}</th>" for c in (["#"] if numbered else []) + columns)
        body = "".join(
            "<tr>"
            + (f"<td>{i}</td>" if numbered else "")
            + "".join(f"<td>{esc(row.get(c, ''))}</td>" for c in columns)
            + "</tr>"
            for i, row in enumerate(rows)
        )
        return f"<table><tr>{head}</tr>{body}</table>"

    page = (
        '<!doctype html><meta charset="utf-8"><title>geoloc ocr: '
        + esc(photo)
        + "</title><style>td,th{border:1px solid #ccc;padding:2px 6px}table{border-collapse:collapse}"
        "img{max-width:100%}</style>"
        + f"<h1>{esc(photo)}</h1>"
        + "<p>Blue: colour panels; yellow: text lines; magenta: lines only the second search found; "
        "green: readings kept; red: readings dropped (numbers as in the last table).</p>"
        + '<img src="regions.jpg" alt="regions">'
        + _levels_line(report.get("levels"))
        + "<h2>Where text was looked for</h2>"
        + table(report["searches"], ["finder", "side", "scale", "found"])
        + "<h2>Regions</h2>"
        + table(report["regions"], ["kind", "found_by", "centre", "size", "angle", "read", "crop"], True)
        + "<h2>Lines read again with other scripts' models</h2>"
        + table(report["other_scripts"], ["langs", "lines", "why"])
        + "<h2>Readings</h2>"
        + table(report["readings"], ["text", "confidence", "lang", "box", "why"], True)
    )
    atomic_write_text(folder / "index.html", page + "\n")


@click.command("ocr")
@photos_argument
@json_flag
@click.option(
    "--debug-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Save, per photo (one folder each), where text was looked for at which scale, the regions and their "
    "binarised crops, and why each reading was kept or dropped (index.html, report.json, regions.jpg), "
    "to see why a sign was missed.",
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
            if sub is not None:
                try:
                    _debug_page(sub, decodable(path))
                except OSError as exc:
                    raise OCRError(f"cannot write the debug page: {exc}", path=str(sub)) from None
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
