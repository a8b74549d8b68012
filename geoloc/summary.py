"""Tally geoloc's outputs (JSON reports, JSONL streams, GeoParquet files) into the counts an
analyst checks an archive run by: photos per country and per admin-1 region, per confidence
band, and which photos gave no location evidence or failed.

The files were written by geoloc but may have been cut short, edited or swapped, so every photo
record is checked before it counts; a bad line, a file that is not geoloc's, or a Parquet file
without geoloc's columns is one ``ReportFileError`` handed to ``on_problem`` (naming the file and
line), and the rest is read. Memory stays bounded whatever the archive's size: JSONL is read a
line at a time and Parquet a batch of rows at a time, the tallies are per country and region,
and the lists of photos keep their first ``MAX_LISTED`` entries (their counts stay exact).

A photo's country and region are those of its estimate's best candidate, the one the summary
line of ``geoloc locate`` names (``geoloc.infer.at_estimate``); an estimate no candidate lies at
(a GPS position) gets its country from the boundaries (``geoloc.areas.country_at``).
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from geoloc.areas import country_at
from geoloc.errors import GeolocError, ReportFileError
from geoloc.infer import at_estimate
from geoloc.model import Candidate, Estimate, Place

STDIN = "-"
"""The input name that means standard input (a JSONL stream piped from ``geoloc locate --jsonl``)."""

MAX_REPORT_BYTES = 256 * 1024 * 1024
"""A JSON report is one document, read whole (and parsed, some times its size in memory): about
6 kB a photo, so 256 MiB is some 40,000 photos. An archive run larger than that is written as
JSONL or Parquet, which are streamed."""

MAX_LINE_BYTES = 16 * 1024 * 1024
"""A JSONL line is one photo's report: a few kB, some hundred kB for a photo full of text. A
longer line is not one geoloc wrote, and is refused without being held in memory."""

MAX_PROBLEMS_SHOWN = 20
"""Bad lines or rows named one by one in a file; beyond this they are counted in one line (a
file with garbage appended would otherwise print a line for each of its lines)."""

PARQUET_BATCH_ROWS = 4096
"""Parquet rows read at a time: a few MB of columns, however many rows the file holds."""

MAX_LISTED = 1000
"""Photos without evidence, and failed photos, listed by name; beyond this only counted (the
archive's own files list them all)."""

MAX_GROUPS = 10_000
"""Distinct countries, and distinct regions, counted one by one (Natural Earth has about 4,600
admin-1 regions); any beyond are counted together as ``OTHER``, so an edited file full of made-up
region names cannot grow the tally without bound."""

OTHER = "(others)"
"""The group that counts what is beyond ``MAX_GROUPS``."""

MAX_PATH_CHARS = 4096
"""The longest photo path a record may give (Linux's PATH_MAX); a longer one is not geoloc's."""

MAX_NAME_CHARS = 200
"""The longest country code or region name a candidate may give (the longest real ones are
under 60 characters)."""

MAX_ERROR_CHARS = 500
"""A failed photo's error as listed: geoloc's messages are one short line."""

CONFIDENCE_BANDS = ((0.9, "0.9 or more"), (0.5, "0.5 to 0.9"), (0.0, "under 0.5"))
"""Confidence bands, highest first, as the README reads them: at 0.9 or more the camera was in
the circle 97-98% of the time; under 0.5 an estimate is a lead to check, not an answer."""

UNKNOWN = ""
"""The country or region of an estimate that names none (at sea, or a candidate without a region)."""

PARQUET_MAGIC = b"PAR1"
"""The first four bytes of every Parquet file."""

PARQUET_COLUMNS = ("path", "lat", "lon", "radius_km", "confidence", "candidates", "errors")
"""The columns of a ``--parquet`` photo file the summary needs."""


@dataclass
class Summary:
    """The counts over every photo record read, and the photos an analyst looks at next."""

    files: int = 0
    photos: int = 0
    located: int = 0
    countries: Counter[str] = field(default_factory=Counter)
    regions: Counter[tuple[str, str]] = field(default_factory=Counter)
    bands: Counter[str] = field(default_factory=Counter)
    without_evidence: int = 0
    without_evidence_listed: list[str] = field(default_factory=list)
    failed: int = 0
    failed_listed: list[tuple[str, str]] = field(default_factory=list)  # (path, its first error)
    problems: int = 0  # lines and files that could not be read

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable summary (``geoloc summarize --json``)."""
        return {
            "files": self.files,
            "photos": self.photos,
            "located": self.located,
            "countries": [{"country": cc or None, "photos": n} for cc, n in self.countries.most_common()],
            "regions": [
                {"country": cc or None, "admin1": region or None, "photos": n}
                for (cc, region), n in self.regions.most_common()
            ],
            "confidence": [{"band": label, "photos": self.bands[label]} for _, label in CONFIDENCE_BANDS],
            "without_evidence": {"photos": self.without_evidence, "paths": list(self.without_evidence_listed)},
            "failed": {
                "photos": self.failed,
                "paths": [{"path": p, "error": e} for p, e in self.failed_listed],
            },
            "problems": self.problems,
        }


class _BadRecord(ValueError):
    """A photo record that is not as geoloc writes it; the message says which field."""


def _number(value: Any, what: str, low: float = -math.inf, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _BadRecord(f"{what} is not a finite number")
    if not low <= value <= high:
        raise _BadRecord(f"{what} is not a number in [{low:g}, {high:g}]")
    return float(value)


def _string(value: Any, what: str, max_chars: int = MAX_NAME_CHARS) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _BadRecord(f"{what} is not text")
    if len(value) > max_chars:
        raise _BadRecord(f"{what} is longer than {max_chars} characters")
    return value


def _estimate(d: Any) -> Estimate | None:
    if d is None:
        return None
    if not isinstance(d, dict):
        raise _BadRecord("estimate is not an object")
    return Estimate(
        lat=_number(d.get("lat"), "estimate lat", -90, 90),
        lon=_number(d.get("lon"), "estimate lon", -180, 180),
        radius_km=_number(d.get("radius_km"), "estimate radius_km", 0),
        confidence=_number(d.get("confidence"), "estimate confidence", 0, 1),
        basis=_string(d.get("basis"), "estimate basis"),  # type: ignore[arg-type]
    )


def _candidate(d: Any) -> Candidate:
    if not isinstance(d, dict):
        raise _BadRecord("a candidate is not an object")
    population = d.get("population") or 0
    if isinstance(population, bool) or not isinstance(population, int):
        raise _BadRecord("a candidate's population is not a whole number")
    place = Place(
        geonameid=0,
        name=_string(d.get("name"), "candidate name"),
        lat=_number(d.get("lat"), "candidate lat", -90, 90),
        lon=_number(d.get("lon"), "candidate lon", -180, 180),
        country_code=_string(d.get("country_code"), "candidate country_code"),
        admin1=_string(d.get("admin1"), "candidate admin1"),
        population=population,
        kind=_string(d.get("kind"), "candidate kind") or "city",  # type: ignore[arg-type]
    )
    return Candidate(place=place, score=0.0)


def _errors(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(e, str) for e in value):
        raise _BadRecord("errors is not a list of texts")
    return value


def _add(summary: Summary, record: Any) -> None:
    """Count one photo record (a report's photo object, a JSONL line, a Parquet row)."""
    if not isinstance(record, dict) or not isinstance(record.get("path"), str):
        raise _BadRecord("not a geoloc photo report (no path)")
    path = _string(record["path"], "path", MAX_PATH_CHARS)
    errors = _errors(record.get("errors"))
    estimate = _estimate(record.get("estimate"))
    raw = record.get("candidates") or []
    if not isinstance(raw, list):
        raise _BadRecord("candidates is not a list")
    candidates = [_candidate(c) for c in raw]
    summary.photos += 1
    if errors:
        summary.failed += 1
        if len(summary.failed_listed) < MAX_LISTED:
            summary.failed_listed.append((path, errors[0][:MAX_ERROR_CHARS]))
        return
    if estimate is None:
        summary.without_evidence += 1
        if len(summary.without_evidence_listed) < MAX_LISTED:
            summary.without_evidence_listed.append(path)
        return
    summary.located += 1
    best = at_estimate(candidates, estimate)
    if best is not None and best.place.country_code:
        country, region = best.place.country_code, best.place.admin1
    else:
        country, region = country_at(estimate.lat, estimate.lon) or UNKNOWN, UNKNOWN
    _tally(summary.countries, country, OTHER)
    _tally(summary.regions, (country, region), (OTHER, OTHER))
    summary.bands[next(label for low, label in CONFIDENCE_BANDS if estimate.confidence >= low)] += 1


def _tally(counter: Counter[Any], key: Any, other: Any) -> None:
    """Count ``key``, or ``other`` once ``MAX_GROUPS`` distinct keys are counted."""
    counter[key if key in counter or len(counter) < MAX_GROUPS else other] += 1


def _lines(fh: IO[bytes], first: bytes) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a JSONL stream from its ``first`` line on; None for a line over
    ``MAX_LINE_BYTES``, whose rest is skipped without being kept."""
    number, line = 1, first
    while line:
        if len(line) > MAX_LINE_BYTES:
            while line and not line.endswith(b"\n"):
                line = fh.readline(MAX_LINE_BYTES + 1)
            yield number, None
        else:
            yield number, line
        number += 1
        line = fh.readline(MAX_LINE_BYTES + 1)


class _Problems:
    """The bad lines or rows of one file: each named, up to ``MAX_PROBLEMS_SHOWN``, then counted."""

    def __init__(self, summary: Summary, shown: str, on_problem: Callable[[GeolocError], None]) -> None:
        self.summary, self.shown, self.on_problem = summary, shown, on_problem
        self.count = 0

    def __call__(self, message: str, where: str) -> None:
        self.summary.problems += 1
        self.count += 1
        if self.count <= MAX_PROBLEMS_SHOWN:
            self.on_problem(ReportFileError(message, path=where))

    def close(self) -> None:
        """Say how many bad lines were not named."""
        if self.count > MAX_PROBLEMS_SHOWN:
            more = self.count - MAX_PROBLEMS_SHOWN
            self.on_problem(ReportFileError(f"{more} more bad lines or rows skipped", path=self.shown))


def _read_jsonl(fh: IO[bytes], first: bytes, shown: str, summary: Summary, problem: _Problems) -> None:
    for number, line in _lines(fh, first):
        where = f"{shown}:{number}"
        if line is None:
            problem(f"line longer than {MAX_LINE_BYTES:,} bytes; skipped", where)
            continue
        if not line.strip():
            continue
        try:
            _add(summary, json.loads(line))
        except (ValueError, RecursionError) as exc:  # JSONDecodeError and _BadRecord are ValueErrors
            reason = "not a whole JSON line (cut short?)" if isinstance(exc, json.JSONDecodeError) else str(exc)
            problem(f"{reason}; skipped", where)


def _read_document(fh: IO[bytes], first: bytes, shown: str, summary: Summary, problem: _Problems) -> None:
    data = first + fh.read(MAX_REPORT_BYTES + 1 - len(first))
    if len(data) > MAX_REPORT_BYTES:
        raise ReportFileError(
            f"a JSON report over {MAX_REPORT_BYTES // 2**20} MiB; write archives with --jsonl or --parquet", path=shown
        )
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        raise ReportFileError("not valid JSON (cut short?)", path=shown) from None
    _read_report(doc, shown, summary, problem)


def _read_report(doc: Any, shown: str, summary: Summary, problem: _Problems) -> None:
    """The photos of a whole JSON report (``geoloc locate --json`` or ``--report``)."""
    schema = doc.get("schema") if isinstance(doc, dict) else None
    if not isinstance(schema, str) or not schema.startswith("geoloc.report/") or not isinstance(doc["photos"], list):
        raise ReportFileError("not a geoloc report (no geoloc.report schema and photos list)", path=shown)
    for i, photo in enumerate(doc["photos"]):
        try:
            _add(summary, photo)
        except _BadRecord as exc:
            problem(f"{exc}; skipped", f"{shown}: photo {i + 1}")


def _parquet_photos(path: str, shown: str) -> Iterator[dict[str, Any]]:
    """The rows of a ``--parquet`` photo file as report photo objects, a batch at a time."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ReportFileError("reading Parquet needs pyarrow: pip install 'geoloc[archive]'", path=shown) from None
    try:
        pf = pq.ParquetFile(path)
        missing = [c for c in PARQUET_COLUMNS if c not in pf.schema_arrow.names]
        if missing:
            raise ReportFileError(f"not a geoloc Parquet file (no column {', '.join(missing)})", path=shown)
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=list(PARQUET_COLUMNS)):
            for row in batch.to_pylist():
                has = row["lat"] is not None
                keys = ("lat", "lon", "radius_km", "confidence")
                yield {
                    "path": row["path"],
                    "errors": row["errors"],
                    "candidates": row["candidates"],
                    "estimate": {k: row[k] for k in keys} if has else None,
                }
    except GeolocError:
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow's errors on a damaged file have no common base
        raise ReportFileError(f"not a readable Parquet file ({type(exc).__name__}: {exc})", path=shown) from None


def _read_parquet(path: str, shown: str, summary: Summary, problem: _Problems) -> None:
    for i, photo in enumerate(_parquet_photos(path, shown)):
        try:
            _add(summary, photo)
        except _BadRecord as exc:
            problem(f"{exc}; skipped", f"{shown}: row {i + 1}")


def _read_stream(fh: IO[bytes], shown: str, summary: Summary, problem: _Problems) -> None:
    """A JSON report or a JSONL stream, told apart by the first line: a report begins with a
    line holding ``{`` alone (as geoloc indents it) or with the whole report on one line; a JSONL
    stream with one photo's report. Anything else is not geoloc's, and is not read further (a
    photo or a log given by mistake would otherwise be a bad line per line)."""
    first = fh.readline(MAX_LINE_BYTES + 1)
    if not first.strip():
        raise ReportFileError("empty file", path=shown)
    if first.strip() == b"{":
        _read_document(fh, first, shown, summary, problem)
        return
    try:
        head = json.loads(first) if len(first) <= MAX_LINE_BYTES else None
    except (ValueError, RecursionError):
        head = None
    if isinstance(head, dict) and "photos" in head and "path" not in head:
        _read_report(head, shown, summary, problem)
    elif isinstance(head, dict) and "path" in head:
        _read_jsonl(fh, first, shown, summary, problem)
    else:
        raise ReportFileError("not a geoloc report or JSONL stream (its first line is neither)", path=shown)


def read_file(path: str, summary: Summary, on_problem: Callable[[GeolocError], None], shown: str = "") -> None:
    """Count the photos of one geoloc output file into ``summary``; ``-`` is standard input.

    A bad line or row goes to ``on_problem`` and the rest is read; a file that cannot be read at
    all raises ReportFileError naming it. ``shown`` is the printable name to give in messages.
    """
    shown = shown or path
    summary.files += 1
    problem = _Problems(summary, shown, on_problem)
    try:
        if path == STDIN:
            _read_stream(sys.stdin.buffer, "stdin", summary, problem)
        elif _is_parquet(path):
            _read_parquet(path, shown, summary, problem)
        else:
            with open(path, "rb") as fh:
                _read_stream(fh, shown, summary, problem)
    except IsADirectoryError:
        raise ReportFileError("a folder, not a geoloc output file", path=shown) from None
    except OSError as exc:
        raise ReportFileError(f"cannot read ({exc.strerror or exc})", path=shown) from None
    finally:
        problem.close()


def _is_parquet(path: str) -> bool:
    """True when the file starts as Parquet does. A pipe is never Parquet (Parquet is read from
    its end), so only a regular file is looked into: a pipe's first bytes are not consumed."""
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as fh:
        return fh.read(len(PARQUET_MAGIC)) == PARQUET_MAGIC


def summarize(
    paths: Iterable[str], on_problem: Callable[[GeolocError], None], shown: Callable[[str], str] = os.fspath
) -> Summary:
    """Read every output file in ``paths`` into one summary; problems go to ``on_problem``.

    A file that cannot be read at all is one problem too; the next file is read.
    """
    summary = Summary()
    for path in paths:
        try:
            read_file(path, summary, on_problem, shown(path))
        except GeolocError as exc:
            summary.problems += 1
            on_problem(exc)
    return summary
