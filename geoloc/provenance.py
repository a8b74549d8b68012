"""What makes a result reproducible: the exact inputs, the software and the data it was reached with.

A proof's record (``geoloc.render.proof.record``) names every input by its SHA-256 and size, the
versions of geoloc, Python, Tesseract, the OCR models (by SHA-256) and the libraries that read and
draw, and the gazetteer's and boundaries' sources. A renderer reads no stage, so they are gathered
here, by hashing files and asking Tesseract its version, and handed to it as a ``Provenance``;
``geoloc proof --check`` gathers them again to say what changed since a record was made.
"""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from geoloc import __version__
from geoloc.cache import file_digest
from geoloc.common.text import decodable
from geoloc.render.proof import InputFile, Options, Provenance

LIBRARIES = ("onnxruntime", "opencv-python-headless", "Pillow", "shapely", "matplotlib", "pymorphy3", "wordfreq")
"""The distributions whose versions can change what is read from a photo or how a proof is drawn."""
MISSING = "missing"
"""Recorded in place of a version or a hash that cannot be had: the record says so rather than fail."""


@lru_cache(maxsize=1)
def software() -> dict[str, Any]:
    """geoloc, Python, Tesseract, the OCR models (by SHA-256) and the libraries that draw and read.

    Cached: asking Tesseract and hashing the models once per process is enough for every proof.
    """
    import pytesseract

    from geoloc.read.ocr import reader, recognise

    try:
        tesseract = str(pytesseract.get_tesseract_version())
    except (OSError, pytesseract.TesseractNotFoundError, ValueError):
        tesseract = MISSING
    models = {m.name: file_digest(m) if m.is_file() else MISSING for m in (reader.DET_MODEL, recognise.REC_MODEL)}
    libraries = {}
    for dist in LIBRARIES:
        try:
            libraries[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            libraries[dist] = MISSING
    return {
        "geoloc": __version__,
        "python": platform.python_version(),
        "tesseract": tesseract,
        "ocr_models": models,
        "libraries": libraries,
    }


@lru_cache(maxsize=1)
def data_sources() -> dict[str, Any]:
    """The gazetteer's sources and builder, and the Natural Earth boundary files by SHA-256 (cached
    as ``software`` is: hashing the boundaries once per process is enough)."""
    from geoloc.areas import ADMIN1_PATH, countries_zip
    from geoloc.places.sources import source_versions

    def digest(p: Path) -> dict[str, str]:
        return {"file": p.name, "sha256": file_digest(p) if p.is_file() else MISSING}

    return {
        "gazetteer": {"name": "GeoNames (offline index)", **source_versions()},
        "natural_earth": {"countries": digest(countries_zip()), "admin1": digest(ADMIN1_PATH)},
    }


def input_file(role: str, path: str | os.PathLike[str], shown: str = "") -> InputFile:
    """An input by its bytes, under the name the user gave it (``shown``: a page's image by its page)."""
    return InputFile(
        role=role, path=shown or decodable(os.fspath(path)), sha256=file_digest(path), size=os.path.getsize(path)
    )


def provenance(inputs: tuple[InputFile, ...], options: Options) -> Provenance:
    """Where a proof made now comes from: ``inputs`` and ``options``, this installation's software
    and data, and the UTC time to the second."""
    return Provenance(
        inputs=inputs,
        options=options,
        software=software(),
        data=data_sources(),
        created_utc=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def changed_since(software_then: dict[str, Any], data_then: dict[str, Any]) -> list[str]:
    """The versions and hashes a record names that differ in this installation, as 'what: then -> now'."""
    return _changed({"software": software_then, "data": data_then}, {"software": software(), "data": data_sources()})


def _changed(recorded: Any, now: Any, where: str = "") -> list[str]:
    if isinstance(recorded, dict) and isinstance(now, dict):
        out = []
        for key in sorted(set(recorded) | set(now), key=str):
            out += _changed(recorded.get(key), now.get(key), f"{where}.{key}" if where else str(key))
        return out
    return [] if recorded == now else [f"{where}: {recorded} -> {now}"]
