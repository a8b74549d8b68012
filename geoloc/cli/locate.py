"""``geoloc locate``: photos in, a ranked estimate per photo, a map and a JSON report out."""

from __future__ import annotations

import logging
import sys
import webbrowser
from pathlib import Path

import click

from geoloc.areas import load_area_file, map_geography, resolve_areas
from geoloc.batch import DEFAULT_TIMEOUT_S, default_jobs, run_batch
from geoloc.cache import ObservationCache
from geoloc.common.files import STDOUT, check_outputs, is_stdout, write_output
from geoloc.common.text import decodable, printable
from geoloc.errors import GeolocError
from geoloc.infer import at_estimate
from geoloc.model import PhotoReport, Report
from geoloc.pipeline import Settings, locate_scene, reported_areas
from geoloc.read.context import read_context_file
from geoloc.render.jsontext import dumps

from .options import (
    EXIT_OK,
    EXIT_SIGNALLED,
    EXIT_SOME_FAILED,
    Kilometres,
    country_option,
    json_flag,
    lang_option,
    near_option,
    note,
    photos_argument,
    report_error,
    setup_logging,
    verbosity,
)

log = logging.getLogger("geoloc")

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".heic", ".heif", ".gif", ".bmp"}


def expand_inputs(inputs: tuple[str, ...]) -> list[str]:
    """Photos in the order given; a directory stands for the images directly inside it, sorted.

    A directory holding no image is named on stderr: a mistyped folder should not pass silently.
    """
    out: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = [
                str(c) for c in sorted(p.iterdir()) if c.suffix.lower() in IMAGE_SUFFIXES and not c.name.startswith(".")
            ]
            if not found:
                note(f"{item}: no photos in this folder; skipped")
            out.extend(found)
        else:
            out.append(item)
    return out


def summary_line(photo: PhotoReport) -> str:
    """A few lines a person reads: the best estimate and its basis, each other place the evidence
    allows ("or: ..."), or why there is none.

    Each line is made printable: file names, place names, metadata and caption text in it
    came from outside.
    """
    if photo.estimate is None:
        texts = len(photo.texts)
        return printable(
            f"{photo.path}: no location evidence ({texts} text span{'s' * (texts != 1)} read, none a place)"
        )
    e = photo.estimate
    at = at_estimate(photo.candidates, e)  # a candidate away from the estimate never headlines it
    best = at.place if at is not None else None
    if best is not None:
        where = f"{best.name}, {best.admin1 + ', ' if best.admin1 else ''}{best.country_code}"
    else:
        where = {
            "gps": "GPS position",
            "context": "from the caption only",
            "distance": "where the distance signs meet",
        }.get(e.basis, e.basis)
    lines = [
        f"{photo.path}: {where}  ({e.lat:.4f}, {e.lon:.4f}) ± {e.radius_km:.0f} km, confidence {e.confidence:.2f}",
        f"    basis: {e.explanation or e.basis}",
    ]
    lines += [
        f"    or: ({a.lat:.4f}, {a.lon:.4f}) ± {a.radius_km:.0f} km, probability {a.probability:.2f}"
        for a in e.alternatives
    ]
    lines += [f"    conflict: {conflict}" for conflict in photo.conflicts]
    for area in photo.areas:
        where = "inside" if area["inside"] else f"{area['distance_km']:.0f} km from"
        lines.append(f"    {where} {area['name']}")
    return "\n".join(printable(line) for line in lines)


@click.command("locate")
@photos_argument
@click.option(
    "--context",
    "context_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Caption or article text published with the photos (any language).",
)
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the HTML map [default: maps/<first photo>.html].",
)
@click.option(
    "--geojson",
    "geojson_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the candidates, estimates and areas as GeoJSON (for QGIS); - for stdout.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the JSON report to this file; - for stdout.",
)
@json_flag
@click.option(
    "--jsonl",
    "as_jsonl",
    is_flag=True,
    help="Stream: print each photo's report as one JSON line as soon as it is done "
    "(input order; a failed photo is a line with its error).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=default_jobs,
    show_default="CPUs",
    help="Read this many photos at once, in worker processes.",
)
@click.option(
    "--timeout",
    type=click.IntRange(min=0),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    metavar="SECONDS",
    help="A photo whose reading takes longer fails (one line) and the others go on; 0: no limit.",
)
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Read every photo again instead of reusing what earlier runs read (see geoloc cache).",
)
@click.option(
    "--open/--no-open", "open_map", default=False, show_default=True, help="Open the map in the web browser when done."
)
@click.option(
    "--offline", is_flag=True, help="Self-contained map (no tiles, Leaflet inlined) and no network access at all."
)
@lang_option
@country_option("Prior: the photo is probably in this country (ISO code or name).")
@near_option("Prior: the photo is probably near this point (100 km by default).")
@click.option(
    "--border",
    "borders",
    multiple=True,
    metavar="CC|CC-CC",
    help="Report the distance to this border: BY (with the estimate's country) or UA-BY. Repeatable.",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="NAME",
    help="Report the distance to this country or region, in any script. Repeatable.",
)
@click.option(
    "--area",
    "area_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Report the distance to the polygons in this GeoJSON file. Repeatable.",
)
@click.option(
    "--within-km",
    type=Kilometres(),
    metavar="KM",
    help="Draw a band this wide along each reported border.",
)
@click.option("--together", is_flag=True, help="The photos show one scene: add one joint estimate.")
@click.option(
    "--geocoder",
    default="geonames",
    show_default=True,
    help="Gazetteer: geonames (offline, built in) or an online geopy service (nominatim, photon...).",
)
@click.option("--geocoder-url", metavar="URL", help="Base URL of a self-hosted online geocoder.")
@verbosity
def command(
    photos: tuple[str, ...],
    context_file: Path | None,
    map_path: Path | None,
    geojson_path: Path | None,
    report_path: Path | None,
    as_json: bool,
    as_jsonl: bool,
    jobs: int,
    timeout: int,
    no_cache: bool,
    open_map: bool,
    offline: bool,
    lang: str,
    country: str | None,
    near: tuple[float, float, float] | None,
    borders: tuple[str, ...],
    regions: tuple[str, ...],
    area_files: tuple[str, ...],
    within_km: float | None,
    together: bool,
    geocoder: str,
    geocoder_url: str | None,
    verbose: int,
    quiet: int,
) -> None:
    """Estimate where each PHOTO was taken and draw it on a map.

    PHOTO may be files or folders (their images are taken in name order). For each photo geoloc
    reads EXIF GPS and IPTC/XMP location, OCRs signs in the picture (Latin and Cyrillic), looks the
    names up in the offline GeoNames gazetteer, and ranks the candidate places with their evidence.

    \b
    Examples:
      geoloc locate images/chernihiv_sign.jpg --context images/chernihiv_caption.txt --open
      geoloc locate photos/ --border BY --within-km 20 --offline
      geoloc locate a.jpg b.jpg --together --json > report.json
      geoloc locate photos/ --jobs 2 --jsonl > reports.jsonl

    What was read from each photo (metadata, OCR text) is cached by the photo's content, so a
    re-run, or a run that was interrupted, reads only new photos; --no-cache reads all again.

    Exit status: 0 all photos done, 1 some photos failed (each said on stderr), 2 bad usage,
    130 interrupted (Ctrl-C: lines already printed stay, map and report cover the photos done),
    143 the same after SIGTERM.
    """
    setup_logging(verbose, quiet)
    if as_json and as_jsonl:
        raise click.UsageError("--json and --jsonl both print on stdout; choose one")
    if offline and geocoder != "geonames":
        raise click.UsageError("--offline uses the built-in gazetteer; drop --geocoder or --offline")
    settings = Settings(
        langs=lang,
        country=country,
        near=near,
        context_text=read_context_file(context_file) if context_file else "",
        context_source=str(context_file or ""),
        geocoder=geocoder,
        geocoder_url=geocoder_url,
        offline=offline or geocoder == "geonames",
    )
    paths = expand_inputs(photos)
    if not paths:
        raise click.UsageError("no photos found in " + ", ".join(photos))
    map_path = map_path or Path("maps") / f"{decodable(Path(paths[0]).stem)[:100] or 'geoloc'}.html"
    outputs: dict[str, str | Path | None] = {"--map": map_path, "--geojson": geojson_path, "--report": report_path}
    if as_json or as_jsonl:
        outputs["--json" if as_json else "--jsonl"] = STDOUT
    try:  # every option is checked before the first photo is read: a typo costs no OCR
        check_outputs(outputs, [*paths, *([context_file] if context_file else []), *area_files])
        user_areas = [area for f in area_files for area in load_area_file(Path(f))]  # read once
        if regions:
            resolve_areas(regions=regions, home_country=settings.country)
    except GeolocError as err:
        raise click.UsageError(str(err)) from None
    summary_to_stderr = any(is_stdout(p) for p in outputs.values() if p is not None)

    def stream_error(err: GeolocError) -> None:
        report_error(err)
        if as_jsonl:
            failed_photo = PhotoReport(path=err.path or "", errors=[err.message])
            click.echo(dumps(failed_photo.to_dict()))

    batch = run_batch(
        paths,
        settings,
        jobs=jobs,
        timeout=timeout or None,
        cache=None if no_cache else ObservationCache(),
        progress=not quiet and sys.stderr.isatty(),
        on_error=stream_error,
        on_result=(lambda r: click.echo(dumps(r.to_dict()))) if as_jsonl else None,
    )
    report, failed = Report(photos=batch.reports), len(batch.errors)
    stopped_code = EXIT_SIGNALLED + batch.interrupted  # 130 after Ctrl-C, 143 after SIGTERM
    done_code = stopped_code if batch.interrupted else EXIT_SOME_FAILED if failed else EXIT_OK
    if batch.interrupted:
        note(f"interrupted after {len(report.photos) + failed} of {len(paths)} photos")
    if not report.photos:
        raise SystemExit(stopped_code if batch.interrupted else EXIT_SOME_FAILED)

    try:
        areas = reported_areas(report, settings, borders=borders, regions=regions, user_areas=user_areas)
    except GeolocError as err:
        raise click.UsageError(str(err)) from None
    if together and len(report.photos) > 1:
        report.scene = locate_scene(report.photos, settings)

    from geoloc.render.geojson import write_geojson
    from geoloc.render.map import render_map

    data = report.to_dict()
    try:
        html = render_map(report, map_geography(report, areas), offline=offline, within_km=within_km)
        written = [write_output(map_path, html.encode("utf-8"))]
        if geojson_path:
            written.append(write_geojson(report, geojson_path, areas=areas))
        if report_path:
            written.append(write_output(report_path, (dumps(data, indent=2) + "\n").encode("utf-8")))
    except GeolocError as err:
        report_error(err)
        raise SystemExit(EXIT_SOME_FAILED) from None

    if as_json:
        click.echo(dumps(data, indent=2))
    elif not as_jsonl:
        for photo in report.photos:
            click.echo(summary_line(photo), err=summary_to_stderr)
        if report.scene is not None and report.scene.estimate is not None:
            e = report.scene.estimate
            click.echo(
                f"together: ({e.lat:.4f}, {e.lon:.4f}) ± {e.radius_km:.0f} km, confidence {e.confidence:.2f}\n"
                + printable(f"    basis: {e.explanation}"),
                err=summary_to_stderr,
            )
    for path in written:
        click.echo(f"wrote {printable(path)}", err=summary_to_stderr)
    if open_map and written[0].is_file():
        webbrowser.open(written[0].resolve().as_uri())
    raise SystemExit(done_code)
