"""``geoloc proof``: a picture, a page and a record that show where a photo was taken and how.

The command parses the options, calls ``geoloc.proof`` (which locates the photos as ``geoloc
locate`` does, gathers their provenance and writes the proofs, or re-runs a record) and prints
what it says: a summary line per proof written, one line per failure, and for ``--check`` whether
the estimate is the same.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from geoloc.common.text import printable
from geoloc.errors import ProofRefused
from geoloc.model import PhotoReport
from geoloc.proof import RecordCheck, check_record, make_proofs, read_record
from geoloc.render.proof import Options
from geoloc.render.proof.i18n import UI_LANGUAGES

from .locate import summary_line
from .options import (
    EXIT_OK,
    EXIT_SIGNALLED,
    EXIT_SOME_FAILED,
    MAX_KM,
    Kilometres,
    batch_options,
    country_option,
    lang_option,
    near_option,
    note,
    report_error,
    setup_logging,
    verbosity,
)

RECORDED = {
    "out_dir": "-o",
    "lang": "--lang",
    "country": "--country",
    "near": "--near",
    "borders": "--border",
    "regions": "--region",
    "within_km": "--within-km",
    "lang_ui": "--lang-ui",
    "force": "--force",
}
"""The options a record decides (or that write files): refused beside --check, which re-runs the record's."""


def _regular_file(path: Path, option: str) -> Path:
    """``path`` when it is a regular file (its SHA-256 names it in the record), else bad usage."""
    try:
        st = path.stat()
    except OSError as exc:
        raise click.UsageError(f"{printable(path)}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise click.UsageError(f"{option} {printable(path)}: a proof needs a regular file, whose SHA-256 it records")
    return path


@click.command("proof")
@click.argument("photos", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write each photo's proof into DIR/<photo name>/.",
)
@click.option(
    "--context",
    "context_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Caption or article text published with the photos (any language).",
)
@lang_option
@country_option("Prior: the photo is probably in this country (ISO code or name).")
@near_option("Prior: the photo is probably near this point (100 km by default).")
@click.option(
    "--border", "borders", multiple=True, metavar="CC|CC-CC", help="Give the distance to this border. Repeatable."
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="NAME",
    help="Give the distance to this country or region. Repeatable.",
)
@click.option(
    "--area",
    "area_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Give the distance to the polygons in this GeoJSON file. Repeatable.",
)
@click.option("--within-km", type=Kilometres(), metavar="KM", help="Draw a band this wide along each reported border.")
@click.option(
    "--lang-ui",
    type=click.Choice(UI_LANGUAGES),
    default="en",
    show_default=True,
    help="Language of the labels: English, Ukrainian or Russian.",
)
@click.option("--force", is_flag=True, help="Replace proof files already in DIR (else they are never replaced).")
@click.option(
    "--check",
    "record_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="RECORD",
    help="Re-run a proof's record.json instead: check the inputs' SHA-256, locate again with the recorded "
    "options, and say whether the estimate is the same. Writes nothing.",
)
@batch_options("A photo whose reading takes longer fails (one line) and the others go on; 0: no limit.")
@verbosity
def command(
    photos: tuple[str, ...],
    out_dir: Path | None,
    context_file: Path | None,
    lang: str,
    country: str | None,
    near: tuple[float, float, float] | None,
    borders: tuple[str, ...],
    regions: tuple[str, ...],
    area_files: tuple[str, ...],
    within_km: float | None,
    lang_ui: str,
    force: bool,
    record_path: Path | None,
    jobs: int,
    timeout: int,
    no_cache: bool,
    verbose: int,
    quiet: int,
) -> None:
    """Make a proof to publish: where each PHOTO was taken, shown and recorded.

    For each photo, geoloc locates it as 'geoloc locate' does (offline, with the built-in
    gazetteer) and writes into DIR/<photo name>/:

    \b
      proof.png    the photo with each piece of evidence outlined and labelled, beside a
                   map of the estimate (region, other places the evidence allows, distance
                   rings, the reported areas and their distances, borders, scale, north),
                   and the estimate, its basis, the distances and the confidence in words
      proof.svg    the same picture as SVG
      proof.html   the same as one self-contained page (works offline, loads nothing),
                   with the evidence crops at full resolution
      record.json  the photo's report, the SHA-256 of every input, the versions of geoloc,
                   Tesseract, the OCR models and the data, the options and the time

    \b
    Examples:
      geoloc proof images/chernihiv_sign.jpg --context images/chernihiv_caption.txt -o proofs/
      geoloc proof photo.jpg --border BY --within-km 20 --lang-ui uk -o proofs/
      geoloc proof --check proofs/chernihiv_sign/record.json
      geoloc proof --check record.json downloaded_copy.jpg --context caption.txt

    --check re-runs a record: it finds the inputs the record names (or the PHOTO, --context and
    --area given instead, e.g. copies you downloaded), refuses any whose SHA-256 differs,
    locates the photo again from scratch with the recorded options, and says whether the
    estimate is the same (exit 0) or not (exit 1), naming any software or data version that
    changed since.

    Files already in DIR are never replaced without --force. Exit status: 0 all proofs written
    (or the check agrees), 1 some photo failed (or the check disagrees), 2 bad usage.
    """
    setup_logging(verbose, quiet)
    if record_path is not None:
        ctx = click.get_current_context()
        given = [
            flag for name, flag in RECORDED.items() if ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE
        ]
        if given:
            raise click.UsageError(f"--check re-runs the recorded options and writes nothing; drop {', '.join(given)}")
        raise SystemExit(_check(record_path, photos, context_file, area_files, jobs=jobs, timeout=timeout))
    if not photos:
        raise click.UsageError("give one or more photos (or --check RECORD)")
    if out_dir is None:
        raise click.UsageError("give the folder to write the proofs in: -o DIR")
    if context_file is not None:
        _regular_file(context_file, "--context")
    for f in area_files:
        _regular_file(Path(f), "--area")
    options = Options(
        lang=lang, country=country, near=near, borders=borders, regions=regions, within_km=within_km, lang_ui=lang_ui
    )
    shared = str(context_file) if context_file else None

    def written(photo: PhotoReport, folder: Path) -> None:
        click.echo(summary_line(photo, shared))
        click.echo(f"wrote {printable(folder)}{os.sep} (proof.png, proof.svg, proof.html, record.json)")

    try:
        run = make_proofs(
            photos,
            options,
            out_dir,
            context_file=context_file,
            area_files=area_files,
            force=force,
            jobs=jobs,
            timeout=timeout,
            no_cache=no_cache,
            progress=not quiet and sys.stderr.isatty(),
            on_note=note,
            on_error=report_error,
            on_written=written,
        )
    except ProofRefused as err:
        raise click.UsageError(printable(str(err))) from None
    if run.interrupted:
        raise SystemExit(EXIT_SIGNALLED + run.interrupted)  # 130 after Ctrl-C, 143 after SIGTERM
    raise SystemExit(EXIT_SOME_FAILED if run.failed else EXIT_OK)


def _check(
    record_path: Path,
    photos: tuple[str, ...],
    context_file: Path | None,
    area_files: tuple[str, ...],
    *,
    jobs: int,
    timeout: int,
) -> int:
    """Re-run a proof's record; print what agrees and what does not; return the exit status."""
    try:
        rec = read_record(record_path)
        if len(photos) > 1:
            raise click.UsageError("--check re-runs one photo: give at most one PHOTO")
        if rec.options.near is not None:  # held to the rule --near is parsed by
            lat, lon, km = rec.options.near
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < km <= MAX_KM):
                raise click.UsageError(f"{printable(record_path)}: options.near is not a point and a radius in km")
        check = check_record(
            rec,
            record_path,
            photos[0] if photos else None,
            context_file,
            area_files,
            jobs=jobs,
            timeout=timeout,
            on_error=report_error,
        )
    except ProofRefused as err:
        raise click.UsageError(printable(str(err))) from None
    for line in check.problems:
        note(line)
    if check.problems:
        return EXIT_SOME_FAILED
    if check.now is None:
        return EXIT_SIGNALLED + check.interrupted if check.interrupted else EXIT_SOME_FAILED
    for line in check.changed:
        note(f"changed since the record: {line}")
    return _compared(record_path, check, check.now)


def _compared(record_path: Path, check: RecordCheck, now: dict[str, Any]) -> int:
    """Say whether the re-run's estimate and distances (``now``) are the recorded ones; the exit status."""
    rec = check.recorded
    shown_record = printable(record_path)
    if check.same_estimate:
        click.echo(f"{shown_record}: the same estimate: {_estimate_line(now['estimate'])}")
    else:
        click.echo(f"{shown_record}: a different estimate")
        click.echo(f"    recorded: {printable(_estimate_line(rec.estimate))}")
        click.echo(f"    now:      {printable(_estimate_line(now['estimate']))}")
    if not check.same_areas:
        click.echo("    the distances to the reported areas differ:")
        click.echo(f"    recorded: {printable(_areas_line(rec.areas))}")
        click.echo(f"    now:      {printable(_areas_line(now['areas']))}")
    return EXIT_OK if check.same_estimate and check.same_areas else EXIT_SOME_FAILED


def _estimate_line(estimate: dict[str, Any] | None) -> str:
    if not estimate:
        return "no estimate"
    return (
        f"({estimate.get('lat')}, {estimate.get('lon')}) ± {estimate.get('radius_km')} km, "
        f"confidence {estimate.get('confidence')}"
    )


def _areas_line(areas: list[Any]) -> str:
    parts = []
    for a in areas:
        if isinstance(a, dict):
            parts.append(f"{a.get('name')} {'inside' if a.get('inside') else str(a.get('distance_km')) + ' km'}")
    return "; ".join(parts) or "none"
