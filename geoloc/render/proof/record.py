"""The proof's record: what was concluded, from which exact inputs, by which software and data, when.

``record.json`` holds the photo's report (the dict ``geoloc locate --json`` gives for it), the
SHA-256 and size of every input (the photo, the caption file, the area files), the versions of
geoloc, Tesseract and the OCR models (with their SHA-256), the data sources and their versions,
the options used and the UTC time. Anyone with the same inputs can run
``geoloc proof --check record.json`` to reproduce the estimate; the record is read back by
``parse_record``, which treats it as untrusted (it may have been edited or planted): its size is
capped and every field it uses is checked before anything is re-run with it.

The CLI gathers the hashes and versions and passes them in (``Provenance``): a renderer reads no
other stage.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from geoloc.errors import GeolocError
from geoloc.model import SCHEMA, PhotoReport
from geoloc.render.jsontext import dumps

PROOF_SCHEMA = "geoloc.proof/1"
"""The record's format; later versions add fields, never rename these."""
CHECK_COMMAND = "geoloc proof --check record.json"
"""How to re-run a record, written into it and onto the page."""
MAX_RECORD_BYTES = 16 * 2**20
"""A record holds one photo's report (a few hundred texts at most: some 100 KB): a file over 16 MiB
was not written by geoloc and is not parsed."""
MAX_INPUTS = 102
"""A photo, a caption and up to a hundred area files: more inputs than any record geoloc writes."""
MAX_NAMES = 100
"""Borders or regions an option may list in a record read back."""
MAX_TEXT = 4096
"""Longest path or name accepted from a record read back (PATH_MAX on Linux)."""
ROLES = ("photo", "context", "area", "source")
"""What an input is to the run: the photo, the caption or article (``--context``), an ``--area``
file, or a saved page or Telegram export the photo was taken from (with its words)."""
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
_LANGS_RE = re.compile(r"[A-Za-z_]{2,20}(\+[A-Za-z_]{2,20}){0,19}")
"""Tesseract language names joined with '+': the only form ``--lang`` takes."""
_COUNTRY_RE = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class InputFile:
    """One input of the run, identified by its bytes."""

    role: str  # one of ROLES
    path: str  # as it was given on the command line
    sha256: str
    size: int  # bytes

    def to_dict(self) -> dict[str, Any]:
        return {"role": self.role, "path": self.path, "sha256": self.sha256, "bytes": self.size}


@dataclass(frozen=True)
class Options:
    """The options that decide a proof's estimate and drawing, as recorded and as re-run."""

    lang: str
    country: str | None = None
    near: tuple[float, float, float] | None = None
    borders: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    within_km: float | None = None
    lang_ui: str = "en"

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "country": self.country,
            "near": list(self.near) if self.near else None,
            "borders": list(self.borders),
            "regions": list(self.regions),
            "within_km": self.within_km,
            "lang_ui": self.lang_ui,
            "offline": True,  # a proof always uses the built-in gazetteer: nothing it says depends on a service
        }


@dataclass(frozen=True)
class Provenance:
    """Where a proof comes from, gathered by the CLI: inputs, options, software, data and time."""

    inputs: tuple[InputFile, ...]
    options: Options
    software: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    created_utc: str = ""


def build_record(photo: PhotoReport, provenance: Provenance) -> dict[str, Any]:
    """The record of one photo's proof, as the dict written to ``record.json``."""
    return {
        "schema": PROOF_SCHEMA,
        "created_utc": provenance.created_utc,
        "check": CHECK_COMMAND,
        "inputs": [i.to_dict() for i in provenance.inputs],
        "options": provenance.options.to_dict(),
        "software": provenance.software,
        "data": provenance.data,
        "report_schema": SCHEMA,
        "report": photo.to_dict(),
    }


def record_text(photo: PhotoReport, provenance: Provenance) -> str:
    """``record.json``'s text: finite numbers only, terminal-safe (``jsontext.dumps``)."""
    return dumps(build_record(photo, provenance), indent=2) + "\n"


@dataclass(frozen=True)
class Recorded:
    """A record read back: the run to repeat and what it concluded."""

    inputs: tuple[InputFile, ...]
    options: Options
    estimate: dict[str, Any] | None
    areas: list[Any]
    software: dict[str, Any]
    data: dict[str, Any]
    created_utc: str

    def of_role(self, role: str) -> list[InputFile]:
        return [i for i in self.inputs if i.role == role]


class _Bad(ValueError):
    """A field of a record read back is missing or wrong; the message names it."""


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT or "\0" in value:
        raise _Bad(f"{what} is not a text of 1 to {MAX_TEXT} characters")
    return value


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Bad(f"{what} is not a finite number")
    return float(value)


def _names(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_NAMES:
        raise _Bad(f"{what} is not a list of at most {MAX_NAMES} names")
    return tuple(_text(v, what) for v in value)


def _input(d: Any) -> InputFile:
    if not isinstance(d, dict):
        raise _Bad("an input is not an object")
    role = d.get("role")
    if role not in ROLES:
        raise _Bad(f"an input's role is not one of {', '.join(ROLES)}")
    sha = d.get("sha256")
    if not isinstance(sha, str) or not _SHA256_RE.fullmatch(sha):
        raise _Bad("an input's sha256 is not 64 hexadecimal digits")
    size = d.get("bytes")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise _Bad("an input's bytes is not a count")
    return InputFile(role=role, path=_text(d.get("path"), "an input's path"), sha256=sha, size=size)


def _options(d: Any) -> Options:
    if not isinstance(d, dict):
        raise _Bad("options is not an object")
    lang = d.get("lang")
    if not isinstance(lang, str) or not _LANGS_RE.fullmatch(lang):
        raise _Bad("options.lang is not Tesseract languages joined with '+'")
    country = d.get("country")
    if country is not None and (not isinstance(country, str) or not _COUNTRY_RE.fullmatch(country)):
        raise _Bad("options.country is not a two-letter country code")
    near = d.get("near")
    if near is not None:
        if not isinstance(near, list) or len(near) != 3:
            raise _Bad("options.near is not [lat, lon, km]")
        near = tuple(_number(v, "options.near") for v in near)
    within = d.get("within_km")
    lang_ui = d.get("lang_ui", "en")
    if not isinstance(lang_ui, str) or len(lang_ui) > 8:
        raise _Bad("options.lang_ui is not a language code")
    return Options(
        lang=lang,
        country=country,
        near=near,
        borders=_names(d.get("borders", []), "options.borders"),
        regions=_names(d.get("regions", []), "options.regions"),
        within_km=None if within is None else _number(within, "options.within_km"),
        lang_ui=lang_ui,
    )


def parse_record(data: bytes, source: str) -> Recorded:
    """A ``record.json`` read back, every field the re-run uses checked; GeolocError naming ``source`` if not."""
    if len(data) > MAX_RECORD_BYTES:
        raise GeolocError(f"over {MAX_RECORD_BYTES // 2**20} MiB: not a geoloc proof record", path=source)
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise GeolocError("not a geoloc proof record (not JSON)", path=source) from None
    if not isinstance(doc, dict) or doc.get("schema") != PROOF_SCHEMA:
        raise GeolocError(f"not a geoloc proof record (no schema {PROOF_SCHEMA!r})", path=source)
    try:
        raw_inputs = doc.get("inputs")
        if not isinstance(raw_inputs, list) or len(raw_inputs) > MAX_INPUTS:
            raise _Bad(f"inputs is not a list of at most {MAX_INPUTS}")
        inputs = tuple(_input(i) for i in raw_inputs)
        if sum(i.role == "photo" for i in inputs) != 1 or sum(i.role == "context" for i in inputs) > 1:
            raise _Bad("inputs must name one photo and at most one caption")
        report = doc.get("report")
        if not isinstance(report, dict):
            raise _Bad("report is not an object")
        estimate = report.get("estimate")
        if estimate is not None and not isinstance(estimate, dict):
            raise _Bad("report.estimate is not an object")
        areas = report.get("areas", [])
        if not isinstance(areas, list):
            raise _Bad("report.areas is not a list")
        software, data_sources = doc.get("software", {}), doc.get("data", {})
        if not isinstance(software, dict) or not isinstance(data_sources, dict):
            raise _Bad("software or data is not an object")
        created = doc.get("created_utc", "")
        return Recorded(
            inputs=inputs,
            options=_options(doc.get("options")),
            estimate=estimate,
            areas=areas,
            software=software,
            data=data_sources,
            created_utc=created if isinstance(created, str) else "",
        )
    except _Bad as exc:
        raise GeolocError(f"not a usable proof record: {exc}", path=source) from None
