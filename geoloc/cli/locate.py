"""``geoloc locate``: photos, saved pages and Telegram exports in; a ranked estimate per photo, a map
and a JSON report out."""

from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import click

from geoloc.cluster import check_address
from geoloc.common.text import printable
from geoloc.errors import GeolocError
from geoloc.infer import at_estimate
from geoloc.locate import AreaOptions, BatchOptions, LocateRun, Outcome, Outputs, default_map, locate_photos
from geoloc.model import PhotoContext, PhotoReport
from geoloc.pipeline import Settings
from geoloc.read.context import read_context_file
from geoloc.read.sources import expanded
from geoloc.read.video import DEFAULT_FRAMES_PER_MINUTE, seen_at
from geoloc.render.jsontext import dumps

from .options import (
    EXIT_OK,
    EXIT_SIGNALLED,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    Kilometres,
    batch_options,
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

EXCERPT_CHARS = 100
"""How much of a photo's own text the summary quotes: enough to recognise the post or caption."""

_USED = {
    "wider": "its own words name no place; the article's text was used",
    "context_file": "its own words name no place; --context was used",
}
"""The summary's line when a photo's estimate rests on words other than its own."""


def _excerpt(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= EXCERPT_CHARS else one_line[: EXCERPT_CHARS - 1] + "…"


def context_lines(photo: PhotoReport, shared_source: str | None = None) -> list[str]:
    """Where a photo's own words came from (a post, a page's caption), quoted, and which words its
    estimate used; nothing for the ``--context`` every photo shares (``shared_source``)."""
    c = photo.context
    if c is None or c.source == shared_source:
        return []
    bits = [c.source, c.date or "", f"forwarded from {c.forwarded_from}" if c.forwarded_from else "", c.link or ""]
    head = "    context: " + ", ".join(b for b in bits if b)
    lines = [head + (f": “{_excerpt(c.text)}”" if c.text.strip() else "")]
    if c.used in _USED:
        lines.append(f"    {_USED[c.used]}")
    return lines


def summary_line(photo: PhotoReport, shared_source: str | None = None) -> str:
    """A few lines a person reads: the best estimate and its basis, each other place the evidence
    allows ("or: ..."), or why there is none, and the photo's own words with their source.

    Each line is made printable: file names, place names, metadata and caption text in it
    came from outside.
    """
    if photo.estimate is None:
        texts = len(photo.texts)
        lines = [f"{photo.path}: no location evidence ({texts} text span{'s' * (texts != 1)} read, none a place)"]
        return "\n".join(printable(line) for line in lines + context_lines(photo, shared_source))
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
    when = seen_at(photo.texts, [ev.box for ev in at.evidence] if at is not None else ())
    if when:  # a video: when its evidence was on screen
        lines.append(f"    {when}")
    lines += [
        f"    or: ({a.lat:.4f}, {a.lon:.4f}) ± {a.radius_km:.0f} km, probability {a.probability:.2f}"
        + (f": {a.explanation}" if a.explanation else "")
        for a in e.alternatives
    ]
    lines += [f"    conflict: {conflict}" for conflict in photo.conflicts]
    for area in photo.areas:
        where = "inside" if area["inside"] else f"{area['distance_km']:.0f} km from"
        lines.append(f"    {where} {area['name']}")
    lines += context_lines(photo, shared_source)
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
    help="Where to write the HTML map [default: maps/<first page, export or photo>.html].",
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
@click.option(
    "--parquet",
    "parquet_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write one row per photo as GeoParquet (the estimate as its point), and the evidence in "
    "<stem>.evidence.parquet: for GeoPandas, DuckDB, QGIS (needs geoloc[archive]).",
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
    "--resume",
    "resume_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.jsonl",
    help="Append each photo's JSON line to FILE as soon as it is done (never truncated), and skip "
    "the photos FILE already holds a line without errors for: run the same command again to go on.",
)
@batch_options(
    "A photo whose reading takes longer fails (one line) and the others go on; a video gets this "
    "for every 50 frames it may read; 0: no limit."
)
@click.option(
    "--frames-per-minute",
    type=click.IntRange(min=1),
    default=DEFAULT_FRAMES_PER_MINUTE,
    show_default=True,
    help="Video: frames read per minute of video (the sharpest of each stretch, near-duplicates skipped).",
)
@click.option(
    "--cluster",
    "cluster_address",
    callback=lambda ctx, param, value: _cluster_address(value),
    metavar="tcp://HOST:PORT|local:N",
    help="Read the photos on a Dask cluster: its scheduler's address, or local:N to start N worker processes "
    "here (needs geoloc[cluster]; --jobs is then unused).",
)
@click.option(
    "--send-bytes",
    is_flag=True,
    help="With --cluster: send each photo's bytes to the workers, for workers that do not share these folders.",
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
    parquet_path: Path | None,
    as_json: bool,
    as_jsonl: bool,
    resume_path: Path | None,
    jobs: int,
    timeout: int,
    frames_per_minute: int,
    cluster_address: str | None,
    send_bytes: bool,
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

    PHOTO may be files or folders (their images are taken in name order), saved article pages
    (page.html saved with its files, or page.mhtml: each article image with its own caption, the
    article as wider context) and Telegram Desktop JSON exports (the folder with result.json: each
    post's photos with the post's text, date and link). For each photo geoloc reads EXIF GPS and
    IPTC/XMP location, OCRs signs in the picture (Latin and Cyrillic), looks the names up in the
    offline GeoNames gazetteer, and ranks the candidate places with their evidence. A photo's own
    words come first; the article's text, then --context, only when they name no place.

    \b
    Examples:
      geoloc locate images/chernihiv_sign.jpg --context images/chernihiv_caption.txt --open
      geoloc locate photos/ --border BY --within-km 20 --offline
      geoloc locate a.jpg b.jpg --together --json > report.json
      geoloc locate photos/ --jobs 2 --jsonl > reports.jsonl
      geoloc locate archive/ --cluster tcp://scheduler:8786 --jsonl > reports.jsonl
      geoloc locate saved/article.html saved/other.mhtml --offline
      geoloc locate ChatExport_2026-11-30/ --resume channel.jsonl -q

    What was read from each photo (metadata, OCR text) is cached by the photo's content, so a
    re-run, or a run that was interrupted, reads only new photos; --no-cache reads all again.
    With --resume FILE.jsonl a re-run also skips the photos already written to FILE.

    Exit status: 0 all photos done, 1 some photos failed (each said on stderr), 2 bad usage,
    130 interrupted (Ctrl-C: lines already printed stay, map and report cover the photos done),
    143 the same after SIGTERM.
    """
    setup_logging(verbose, quiet)
    if as_json and as_jsonl:
        raise click.UsageError("--json and --jsonl both print on stdout; choose one")
    if offline and geocoder != "geonames":
        raise click.UsageError("--offline uses the built-in gazetteer; drop --geocoder or --offline")
    if send_bytes and not cluster_address:
        raise click.UsageError("--send-bytes sends the photos to a cluster's workers; add --cluster")
    context_text = read_context_file(context_file) if context_file else ""
    settings = Settings(
        langs=lang,
        country=country,
        near=near,
        context_text=context_text,
        context_source=str(context_file or ""),
        geocoder=geocoder,
        geocoder_url=geocoder_url,
        offline=offline or geocoder == "geonames",
        frames_per_minute=frames_per_minute,
        progress=not quiet and sys.stderr.isatty(),
    )
    run_context = PhotoContext(source=str(context_file), text=context_text) if context_file else None
    with expanded(photos, run_context) as inputs:  # their temporary files live until the run is done
        for line in inputs.notes:
            note(line)
        for err in inputs.errors:
            report_error(err)
        if not inputs.photos:
            if inputs.errors:  # each said above: a broken page or export is a failed input, not bad usage
                raise SystemExit(EXIT_SOME_FAILED)
            raise click.UsageError("no photos found in " + ", ".join(photos))
        outputs = Outputs(
            map=map_path or default_map(inputs.title),
            geojson=geojson_path,
            report=report_path,
            parquet=parquet_path,
            resume=resume_path,
            json=as_json,
            jsonl=as_jsonl,
            offline=offline,
        )
        run = locate_photos(
            inputs,
            settings,
            outputs,
            AreaOptions(borders=borders, regions=regions, files=area_files, within_km=within_km),
            BatchOptions(
                jobs=jobs,
                timeout=timeout,
                no_cache=no_cache,
                progress=settings.progress,
                cluster=cluster_address,
                send_bytes=send_bytes,
            ),
            context_file=context_file,
            together=together,
            on_note=note,
            on_error=report_error,
            on_line=click.echo,
        )
        raise SystemExit(_finish(run, outputs, shared=str(context_file) if context_file else None, open_map=open_map))


def _cluster_address(value: str | None) -> str | None:
    """``--cluster``'s address, checked for its form before anything is read (Dask is not imported)."""
    try:
        return None if value is None else check_address(value)
    except GeolocError as err:
        raise click.BadParameter(str(err)) from None


def _finish(run: LocateRun, outputs: Outputs, *, shared: str | None, open_map: bool) -> int:
    """Print what a run concluded and wrote (on stderr when stdout carries an output), open the
    map if asked; return the exit status."""
    stopped_code = EXIT_SIGNALLED + run.interrupted  # 130 after Ctrl-C, 143 after SIGTERM
    if run.outcome is Outcome.REFUSED:
        raise click.UsageError(str(run.refused))
    if run.outcome is Outcome.NO_CLUSTER:
        return EXIT_USAGE
    if run.outcome is Outcome.BROKEN:
        return EXIT_SOME_FAILED
    if run.outcome is Outcome.NOTHING_LEFT:
        return EXIT_SOME_FAILED if run.failed else EXIT_OK
    if run.outcome is Outcome.NONE_DONE:
        return stopped_code if run.interrupted else EXIT_SOME_FAILED
    report, summary_to_stderr = run.report, outputs.stdout_taken
    if outputs.json:
        click.echo(dumps(report.to_dict(), indent=2))
    elif not outputs.jsonl:
        for photo in report.photos:
            click.echo(summary_line(photo, shared), err=summary_to_stderr)
        if report.scene is not None and report.scene.estimate is not None:
            e = report.scene.estimate
            click.echo(
                f"together: ({e.lat:.4f}, {e.lon:.4f}) ± {e.radius_km:.0f} km, confidence {e.confidence:.2f}\n"
                + printable(f"    basis: {e.explanation}"),
                err=summary_to_stderr,
            )
    for path in run.written:
        click.echo(f"wrote {printable(path)}", err=summary_to_stderr)
    if open_map and run.written[0].is_file():
        webbrowser.open(run.written[0].resolve().as_uri())
    if run.interrupted:
        return stopped_code
    return EXIT_SOME_FAILED if run.failed else EXIT_OK
