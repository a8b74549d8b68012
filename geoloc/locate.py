"""A ``geoloc locate`` run: photos already listed in; estimates, areas, a map and reports out.

``locate_photos`` checks every output and area before the first photo is read, skips the photos a
``--resume`` file already holds, reads the rest in a batch (worker processes or a Dask cluster),
concludes the reported areas and the ``--together`` scene, and writes the map, GeoJSON, report and
GeoParquet. It returns plain data and reports as it goes through callbacks (each note, each
failure, each streamed JSON line), so the CLI decides what is printed where and with which exit
status. ``geoloc.proof`` locates its photos the same way and shares ``read_areas``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geoloc.areas import load_area_file, map_geography, resolve_areas
from geoloc.batch import run_batch
from geoloc.cache import ObservationCache
from geoloc.cluster import Cluster, connect
from geoloc.common.files import STDOUT, check_outputs, is_stdout, write_output
from geoloc.common.text import decodable
from geoloc.errors import GeolocError
from geoloc.model import Area, PhotoInput, PhotoReport, Report
from geoloc.pipeline import Settings, locate_scene, reported_areas
from geoloc.read.sources import Inputs, file_of, shown
from geoloc.render.jsonl import JsonLinesFile
from geoloc.render.jsontext import dumps

MAX_MAP_NAME_CHARS = 100
"""The default map's name is cut to this many characters of the run's title (file systems allow 255 bytes)."""


@dataclass(frozen=True)
class Outputs:
    """What a run writes: the map always, each other file when asked, and what it prints on stdout."""

    map: Path
    geojson: Path | None = None
    report: Path | None = None
    parquet: Path | None = None  # and its evidence beside it
    resume: Path | None = None  # appended to as each photo is done, and the photos it holds skipped
    json: bool = False  # the whole report on stdout when the run is done
    jsonl: bool = False  # each photo's JSON line on stdout as soon as it is done
    offline: bool = False  # a self-contained map: no tiles, Leaflet inlined

    def named(self) -> dict[str, str | Path | None]:
        """Each output by the option that names it, for ``check_outputs`` (None: not asked for)."""
        named: dict[str, str | Path | None] = {
            "--map": self.map,
            "--geojson": self.geojson,
            "--report": self.report,
            "--resume": self.resume,
        }
        if self.json or self.jsonl:
            named["--json" if self.json else "--jsonl"] = STDOUT
        if self.parquet:
            from geoloc.render.parquet import evidence_path  # pyarrow and shapely only when asked for

            named["--parquet"], named["--parquet evidence"] = self.parquet, evidence_path(self.parquet)
        return named

    @property
    def stdout_taken(self) -> bool:
        """True when an output goes to stdout: the summary lines then go to stderr, not into it."""
        return any(is_stdout(p) for p in self.named().values() if p is not None)


@dataclass(frozen=True)
class AreaOptions:
    """The areas each estimate is measured against (``--border``, ``--region``, ``--area``) and the
    band drawn along each reported border (``--within-km``)."""

    borders: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    within_km: float | None = None


@dataclass(frozen=True)
class BatchOptions:
    """How the photos are read: here in ``jobs`` worker processes, or on the Dask cluster at
    ``cluster`` (``send_bytes``: for workers that do not share these folders)."""

    jobs: int = 1
    timeout: int = 0  # seconds a photo's reading may take; 0: no limit
    no_cache: bool = False
    progress: bool = False  # a progress bar on stderr
    cluster: str | None = None
    send_bytes: bool = False


class Outcome(enum.Enum):
    """How a run ended; each failure in it but a refusal was said through ``on_error`` as it happened."""

    DONE = "done"  # photos were read (some may have failed) and the outputs written
    REFUSED = "refused"  # an option cannot be used (bad usage): the problem is the run's ``refused``
    NOTHING_LEFT = "nothing left"  # every photo was already in the --resume file
    NONE_DONE = "none done"  # no photo was done (each failed, or the run was interrupted first)
    NO_CLUSTER = "no cluster"  # --cluster could not be reached or used: bad usage
    BROKEN = "broken"  # the --resume file or an output could not be written, or the cluster was lost


@dataclass(frozen=True)
class LocateRun:
    """What a run did: how it ended (and the problem, when it was refused); the report of the photos
    done and the files written (the map first), for the summary; the failures (inputs and photos)
    and the signal that stopped it, for the exit status."""

    outcome: Outcome
    refused: GeolocError | None = None
    report: Report = field(default_factory=Report)
    written: list[Path] = field(default_factory=list)
    failed: int = 0
    interrupted: int = 0  # the signal that stopped the reading (0: none)


def default_map(title: str) -> Path:
    """Where the map goes when ``--map`` is not given: ``maps/<the run's title>.html``."""
    return Path("maps") / f"{decodable(title)[:MAX_MAP_NAME_CHARS] or 'geoloc'}.html"


def read_areas(files: Sequence[str], regions: Sequence[str], home_country: str | None) -> list[Area]:
    """The polygons of each ``--area`` file, read once, with each ``--region`` checked to resolve:
    both before the first photo is read, so a typo costs no OCR (RegionError otherwise)."""
    user_areas = [area for f in files for area in load_area_file(Path(f))]
    if regions:
        resolve_areas(regions=regions, home_country=home_country)
    return user_areas


def locate_photos(
    inputs: Inputs,
    settings: Settings,
    outputs: Outputs,
    areas: AreaOptions,
    batch: BatchOptions,
    *,
    context_file: Path | None,
    together: bool,
    on_note: Callable[[str], None],
    on_error: Callable[[GeolocError], None],
    on_line: Callable[[str], None],
) -> LocateRun:
    """Locate the photos of ``inputs`` (expanded, with at least one photo) and write the outputs.

    Ends ``REFUSED``, with the problem in ``refused``, when an option cannot be used: before any
    photo is read (an output in the way, an unreadable area file or ``--resume`` file, a region
    that cannot be resolved), or once they are read (an area that cannot be placed beside the
    estimates). Says each note on the run (``on_note``), each photo that fails and the failure that
    ends a run (``on_error``), and with ``outputs.jsonl`` each photo's JSON line (``on_line``), as
    it happens.
    """
    paths = [file_of(p) for p in inputs.photos]
    try:  # every option is checked before the first photo is read: a typo costs no OCR
        if outputs.resume is not None and str(outputs.resume) == STDOUT:
            raise GeolocError("--resume needs a file to append to and read back, not stdout", path=STDOUT)
        if outputs.parquet:
            from geoloc.render.parquet import require_pyarrow

            require_pyarrow()  # without it: one line before any photo is read
        read = [*paths, *inputs.read, *([context_file] if context_file else []), *areas.files]
        check_outputs(outputs.named(), read)
        user_areas = read_areas(areas.files, areas.regions, settings.country)
        resume = JsonLinesFile(outputs.resume) if outputs.resume else None
        done = resume.done() if resume else set()
    except GeolocError as err:
        return LocateRun(Outcome.REFUSED, refused=err)

    todo = [p for p in inputs.photos if shown(p) not in done]
    if len(todo) < len(inputs.photos):
        skipped, total = len(inputs.photos) - len(todo), len(inputs.photos)
        on_note(f"{outputs.resume}: {skipped:,} of {total:,} photos already there; skipped")
    if not todo:
        return LocateRun(Outcome.NOTHING_LEFT, failed=len(inputs.errors))
    contexts = {shown(p): p.context for p in todo if isinstance(p, PhotoInput)}

    def stream(photo: PhotoReport) -> None:
        line = dumps(photo.to_dict())
        if outputs.jsonl:
            on_line(line)
        if resume is not None:
            resume.append(line)

    failed_photos: list[PhotoReport] = []  # rows of the Parquet file, after the photos done

    def stream_error(err: GeolocError) -> None:
        on_error(err)
        failed_photo = PhotoReport(path=err.path or "", errors=[err.message], context=contexts.get(err.path or ""))
        failed_photos.append(failed_photo)
        if outputs.jsonl or resume is not None:
            stream(failed_photo)

    cluster: Cluster | None = None
    try:
        if batch.cluster:
            try:
                cluster = connect(batch.cluster, send_bytes=batch.send_bytes)
            except GeolocError as err:
                on_error(err)
                return LocateRun(Outcome.NO_CLUSTER)
        result = run_batch(
            todo,
            settings,
            jobs=batch.jobs,
            timeout=batch.timeout or None,
            cache=None if batch.no_cache else ObservationCache(),
            progress=batch.progress,
            on_error=stream_error,
            on_result=stream if outputs.jsonl or resume is not None else None,
            backend=cluster.readers if cluster else None,
        )
    except GeolocError as err:  # the --resume file cannot be written, or the cluster was lost: stop
        on_error(err)
        return LocateRun(Outcome.BROKEN)
    finally:
        if resume is not None:
            resume.close()
        if cluster is not None:
            cluster.close()
    report, failed = Report(photos=result.reports), len(result.errors) + len(inputs.errors)
    if result.interrupted:
        on_note(f"interrupted after {len(report.photos) + len(result.errors)} of {len(todo)} photos")
    if not report.photos:
        return LocateRun(Outcome.NONE_DONE, failed=failed, interrupted=result.interrupted)

    try:
        reported = reported_areas(report, settings, borders=areas.borders, regions=areas.regions, user_areas=user_areas)
    except GeolocError as err:
        return LocateRun(Outcome.REFUSED, refused=err)
    if together and len(report.photos) > 1:
        try:
            report.scene = locate_scene(report.photos, settings)
        except GeolocError as err:  # an online geocoder failing on the pooled names: the photos stand
            on_error(err)
            failed += 1
    try:
        written = _write(report, outputs, reported, areas.within_km, failed_photos)
    except GeolocError as err:
        on_error(err)
        return LocateRun(Outcome.BROKEN)
    return LocateRun(Outcome.DONE, report=report, written=written, failed=failed, interrupted=result.interrupted)


def _write(
    report: Report, outputs: Outputs, areas: list[Area], within_km: float | None, failed: list[PhotoReport]
) -> list[Path]:
    """Write the map, then each other file asked for; return the names written, the map first."""
    from geoloc.render.geojson import write_geojson
    from geoloc.render.map import render_map

    html = render_map(report, map_geography(report, areas), offline=outputs.offline, within_km=within_km)
    written = [write_output(outputs.map, html.encode("utf-8"))]
    if outputs.geojson:
        written.append(write_geojson(report, outputs.geojson, areas=areas))
    if outputs.report:
        written.append(write_output(outputs.report, (dumps(report.to_dict(), indent=2) + "\n").encode("utf-8")))
    if outputs.parquet:
        from geoloc.render.parquet import write_parquet

        written += write_parquet(report, outputs.parquet, failed=failed)
    return written
