"""Make proofs of where photos were taken, and check a proof's record by running it again.

The photos go through the same pipeline as ``geoloc locate`` (``run_batch``, ``reported_areas``),
always with the built-in gazetteer so the result depends on nothing but the inputs, the software
and the data. ``make_proofs`` writes each photo's proof (``geoloc.render.proof``) with its
provenance (``geoloc.provenance``) into a folder of its own; ``check_record`` verifies the inputs
a record names by their SHA-256, locates the photo again with the recorded options and gives what
it finds beside what the record says. Both return plain data and report as they go through
callbacks, so the CLI decides what is printed where.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoloc.areas import load_area_file, map_geography
from geoloc.batch import run_batch
from geoloc.cache import ObservationCache, file_digest
from geoloc.common.files import atomic_write_bytes, check_outputs, read_at_most
from geoloc.common.photo import load_image
from geoloc.common.text import decodable
from geoloc.errors import GeolocError, ProofRefused
from geoloc.infer import at_estimate
from geoloc.locate import read_areas
from geoloc.model import Area, PhotoContext, PhotoInput, PhotoReport, Report
from geoloc.pipeline import Settings, reported_areas
from geoloc.provenance import changed_since, input_file, provenance
from geoloc.read.context import read_context_file
from geoloc.read.sources import Inputs, expanded, file_of, shown
from geoloc.read.video import is_video
from geoloc.render.proof import FILES, InputFile, Options, Recorded, make_proof
from geoloc.render.proof.record import MAX_RECORD_BYTES, parse_record

MAX_FOLDER_CHARS = 100
"""A proof folder's name is cut to this many characters of the photo's name (file systems allow 255 bytes)."""
ROLE_NAMES = {"photo": "photo", "context": "caption", "area": "area file", "source": "page or export"}
"""An input's role (``record.ROLES``) as a message names it."""
_UNSAFE_RE = re.compile(r"[^\w.\-]+")
"""Characters left out of a folder name: separators, controls, spaces, shell and markup characters."""


def _refused(err: GeolocError, path: str | None = None) -> ProofRefused:
    """``err`` as a refusal; with ``path`` (a record), the whole of it said about that file."""
    return ProofRefused(str(err), path=path) if path is not None else ProofRefused(err.message, path=err.path)


@dataclass(frozen=True)
class ProofRun:
    """How making proofs went, for the exit status (each failure and each proof was said as it happened)."""

    failed: int = 0
    interrupted: int = 0  # the signal that stopped the reading (0: none)


@dataclass(frozen=True)
class RecordCheck:
    """A record run again: the problems that stopped it, or what the re-run concluded beside the record.

    ``problems`` (inputs missing, or not the bytes recorded) means nothing was re-run; otherwise
    ``now`` is the re-run photo's report dict, or None when reading it failed or was interrupted
    (``interrupted``: the signal). ``changed`` lists the versions that differ since the record.
    """

    recorded: Recorded
    problems: list[str] = field(default_factory=list)
    now: dict[str, Any] | None = None
    interrupted: int = 0
    changed: list[str] = field(default_factory=list)

    @property
    def same_estimate(self) -> bool:
        return self.now is not None and self.now["estimate"] == self.recorded.estimate

    @property
    def same_areas(self) -> bool:
        return self.now is not None and self.now["areas"] == self.recorded.areas


# ---------------------------------------------------------------------------------------------
# where proofs go


def folder_name(photo: str) -> str:
    """The folder a photo's proof goes in: its name without suffix, reduced to letters, digits, '.', '-'
    and '_', never hidden, never '.' or '..', at most ``MAX_FOLDER_CHARS``."""
    stem = _UNSAFE_RE.sub("_", decodable(Path(photo).stem)).lstrip(".")
    return stem[:MAX_FOLDER_CHARS] or "photo"


def proof_folders(paths: list[str], out_dir: Path) -> dict[str, Path]:
    """Each photo's proof folder under ``out_dir``; photos of one name in several folders get -2, -3..."""
    taken: set[str] = set()
    folders: dict[str, Path] = {}
    for path in paths:
        base = name = folder_name(path)
        n = 1
        while name.casefold() in taken:  # also apart on case-insensitive file systems
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        folders[path] = out_dir / name
    return folders


def check_proof_outputs(folders: dict[str, Path], inputs: list[str], force: bool) -> None:
    """Refuse, before any photo is read, to replace files this run did not write (unless ``force``),
    to write through a linked folder, or to write over an input (ProofRefused)."""
    outputs: dict[str, Path] = {}
    for folder in folders.values():
        if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
            raise ProofRefused("not a folder, or a link: proofs are not written there", path=os.fspath(folder))
        for name in FILES:
            target = folder / name
            if os.path.lexists(target) and not force:
                raise ProofRefused(f"{target} already exists: add --force to replace it, or choose another -o")
            outputs[f"-o ({target})"] = target
    try:
        check_outputs(outputs, inputs)
    except GeolocError as err:
        raise _refused(err) from None


# ---------------------------------------------------------------------------------------------
# making proofs


def _settings(options: Options, context_file: Path | str | None) -> tuple[Settings, PhotoContext | None]:
    """The pipeline's settings for a proof (the options, always the offline gazetteer) and the
    caption as every photo's own words, as ``geoloc locate`` gives them."""
    text = read_context_file(context_file) if context_file else ""
    settings = Settings(
        langs=options.lang,
        country=options.country,
        near=options.near,
        context_text=text,
        context_source=str(context_file or ""),
        geocoder="geonames",
        offline=True,
    )
    return settings, PhotoContext(source=str(context_file), text=text) if context_file else None


def make_proofs(
    named: tuple[str, ...],
    options: Options,
    out_dir: Path,
    *,
    context_file: Path | None,
    area_files: tuple[str, ...],
    force: bool,
    jobs: int,
    timeout: int,
    no_cache: bool,
    progress: bool,
    on_note: Callable[[str], None],
    on_error: Callable[[GeolocError], None],
    on_written: Callable[[PhotoReport, Path], None],
) -> ProofRun:
    """Locate the photos ``named`` (files, folders, saved pages, exports) and write a proof of each
    into its folder under ``out_dir``.

    Raises ProofRefused, before any photo is read, when no photo was found, an output is in the way
    or an area cannot be resolved. Says each note on the inputs and the run (``on_note``), each
    photo that fails (``on_error``) and each proof written (``on_written``) as it happens.
    """
    settings, run_context = _settings(options, context_file)
    with expanded(named, run_context) as inputs:  # taken-out page images live until the proofs are drawn
        for line in inputs.notes:
            on_note(line)
        for err in inputs.errors:
            on_error(err)
        failed = len(inputs.errors)
        photos: dict[str, str | PhotoInput] = {}
        for p in inputs.photos:
            if is_video(file_of(p)):  # a proof draws one picture; a video has many
                on_error(GeolocError("a video: proofs are drawn for photos (use geoloc locate)", path=shown(p)))
                failed += 1
            else:
                photos.setdefault(shown(p), p)  # one photo named twice gets one proof
        if not photos:
            if failed:
                return ProofRun(failed=failed)
            raise ProofRefused("no photos found in " + ", ".join(named))
        folders = proof_folders(list(photos), out_dir)
        paths = [file_of(p) for p in photos.values()]
        check_proof_outputs(
            folders, [*paths, *inputs.read, *([str(context_file)] if context_file else []), *area_files], force
        )
        try:
            user_areas = read_areas(area_files, options.regions, settings.country)
        except GeolocError as err:
            raise _refused(err) from None

        batch = run_batch(
            list(photos.values()),
            settings,
            jobs=jobs,
            timeout=timeout or None,
            cache=None if no_cache else ObservationCache(),
            progress=progress,
            on_error=on_error,
        )
        failed += len(batch.errors)
        if batch.interrupted:
            on_note(f"interrupted after {len(batch.reports) + len(batch.errors)} of {len(photos)} photos")
        report = Report(photos=batch.reports)
        if report.photos:
            try:
                areas = reported_areas(
                    report, settings, borders=options.borders, regions=options.regions, user_areas=user_areas
                )
            except GeolocError as err:
                raise _refused(err) from None
            shared = [
                *([input_file("context", context_file)] if context_file else []),
                *(input_file("area", f) for f in area_files),
                *(input_file("source", f) for f in inputs.read),  # the pages and exports the photos came from
            ]
            for photo in report.photos:
                given = photos[photo.path]
                path = given if isinstance(given, str) else given.path
                try:
                    folder = _write_proof(photo, path, folders[photo.path], areas, options, shared)
                except GeolocError as err:
                    on_error(err if err.path else type(err)(err.message, path=photo.path))
                    failed += 1
                    continue
                on_written(photo, folder)
    return ProofRun(failed=failed, interrupted=batch.interrupted)


def _write_proof(
    photo: PhotoReport, path: str, folder: Path, areas: list[Area], options: Options, inputs: list[InputFile]
) -> Path:
    """Render one photo's proof and write its files atomically into ``folder``; return the folder."""
    proof = make_proof(
        photo,
        load_image(path),
        map_geography(Report(photos=[photo]), areas),
        provenance((input_file("photo", path, shown=photo.path), *inputs), options),
        headline=at_estimate(photo.candidates, photo.estimate),
        within_km=options.within_km,
    )
    files = proof.files()
    for name in FILES:
        atomic_write_bytes(folder / name, files[name])
    return folder


# ---------------------------------------------------------------------------------------------
# checking a record


def read_record(record_path: Path) -> Recorded:
    """A proof's ``record.json`` read back and checked field by field; ProofRefused if it cannot be."""
    try:
        return parse_record(read_at_most(record_path, MAX_RECORD_BYTES), str(record_path))
    except OSError as exc:
        raise ProofRefused(f"{exc.strerror or exc}", path=str(record_path)) from None
    except GeolocError as err:
        raise _refused(err) from None


def check_record(
    rec: Recorded,
    record_path: Path,
    photo_given: str | None,
    context_file: Path | None,
    area_files: tuple[str, ...],
    *,
    jobs: int,
    timeout: int,
    on_error: Callable[[GeolocError], None],
) -> RecordCheck:
    """Run the record ``rec`` (read from ``record_path``) again, from its inputs or the files given
    in their place (``photo_given``, ``context_file``, ``area_files``: copies downloaded, say).

    Raises ProofRefused when the files given do not fit the record or its areas cannot be resolved;
    says each photo that fails to be read (``on_error``) as it happens.
    """
    opts = rec.options
    recorded_photo = rec.of_role("photo")[0]
    recorded_context = next(iter(rec.of_role("context")), None)
    recorded_areas = rec.of_role("area")
    if area_files and len(area_files) != len(recorded_areas):
        raise ProofRefused(f"the record names {len(recorded_areas)} --area files; give as many, in its order")
    if recorded_context is None and context_file is not None:
        raise ProofRefused("the record was made without --context; drop it")
    context_path = str(context_file or recorded_context.path) if recorded_context is not None else None
    area_paths = list(area_files) or [a.path for a in recorded_areas]
    sources = [page.path for page in rec.of_role("source")]
    problems = _verified(
        ([(recorded_context, context_path, "give the caption as --context")] if recorded_context else [])
        + [(a, p, "give the area files as --area") for a, p in zip(recorded_areas, area_paths, strict=True)]
        + [(page, page.path, "the page or export it names is needed") for page in rec.of_role("source")]
    )
    if problems:
        return RecordCheck(rec, problems=problems)
    settings, run_context = _settings(opts, context_path)
    try:
        user_areas = [area for f in area_paths for area in load_area_file(Path(f))]
    except GeolocError as err:
        raise _refused(err) from None
    with expanded(sources, run_context) as inputs:  # a page's photo is read again with its own words
        found = _recorded_photo(inputs, recorded_photo.sha256)
        photo: str | PhotoInput | None = found
        if photo_given is not None or found is None:
            path = photo_given if photo_given is not None else recorded_photo.path
            problems = _verified([(recorded_photo, path, "give the photo as PHOTO")])
            if problems:
                return RecordCheck(rec, problems=problems)
            words = found.context if found is not None else run_context
            photo = PhotoInput(path, context=words, name=found.name if found else "") if words else path
        batch = run_batch([photo], settings, jobs=jobs, timeout=timeout or None, cache=None, on_error=on_error)
    if not batch.reports:
        return RecordCheck(rec, interrupted=batch.interrupted)
    report = Report(photos=batch.reports)
    try:
        reported_areas(report, settings, borders=opts.borders, regions=opts.regions, user_areas=user_areas)
    except GeolocError as err:
        raise _refused(err, path=str(record_path)) from None
    return RecordCheck(rec, now=report.photos[0].to_dict(), changed=changed_since(rec.software, rec.data))


def _verified(pairs: list[tuple[InputFile, str, str]]) -> list[str]:
    """Check each (recorded input, file, what to do if it is missing) by SHA-256; the problems, one
    line each."""
    problems = []
    for recorded, path, missing in pairs:
        try:
            digest = file_digest(path)
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}; {missing}")
            continue
        if digest != recorded.sha256:
            problems.append(
                f"{path}: SHA-256 {digest[:16]}... differs from the record's {recorded.sha256[:16]}...: "
                f"not the {ROLE_NAMES.get(recorded.role, recorded.role)} the proof was made from"
            )
    return problems


def _recorded_photo(inputs: Inputs, sha256: str) -> PhotoInput | None:
    """The recorded photo as the recorded page or export gives it (its own words, and for an
    ``.mhtml`` the image taken out of it), found by its bytes; None when the record names no page
    or export holding it."""
    for p in inputs.photos:
        if isinstance(p, PhotoInput) and p.context is not None and file_digest(p.path) == sha256:
            return p
    return None
