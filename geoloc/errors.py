"""The error hierarchy: every failure a user can cause is a GeolocError with a one-line message.

The CLI turns a GeolocError into ``<file>: <problem>`` and an exit code; anything else is a bug.
Subclasses mix in the matching built-in (as rasterio does) so callers may catch either.
"""

from __future__ import annotations


class GeolocError(Exception):
    """Base class: a problem with the user's input or environment, explained in one line."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PhotoError(GeolocError, ValueError):
    """A photo cannot be opened or decoded (not an image, truncated, too large...)."""


class PhotoIOError(GeolocError, OSError):
    """A photo path cannot be read (missing, a directory, no permission, a symlink loop)."""


class ContextError(GeolocError, OSError):
    """The caption or article file given as context cannot be read (missing, a folder, no permission)."""


class MetadataError(GeolocError, ValueError):
    """Metadata is present but malformed beyond what can be read safely."""


class OCRError(GeolocError, RuntimeError):
    """Tesseract is missing, or a language pack it was asked for is not installed."""


class GazetteerError(GeolocError, RuntimeError):
    """The offline index cannot be built or read, or a query is unusable."""


class GeocoderServiceError(GazetteerError):
    """An online geocoder failed (timeout, rate limit, bad answer) after its retries."""


class RegionError(GeolocError, ValueError):
    """A reported area (border, region, GeoJSON file) cannot be resolved or read."""


class OutputError(GeolocError, OSError):
    """A report or map cannot be written."""


class ProofRefused(GeolocError, ValueError):
    """A proof cannot be made or a record checked as asked (an output in the way, an area that
    cannot be resolved, a record that is unusable or does not fit the files given): bad usage,
    said before any proof is written."""


class ClusterError(GeolocError, ConnectionError):
    """``--cluster`` cannot be used: a bad address, nothing or no Dask scheduler listening, Dask not
    installed, a worker running other code, or the cluster lost while reading."""


class ReportFileError(GeolocError, ValueError):
    """A file given to ``summarize`` is not a readable geoloc output (not JSON, JSONL or Parquet of a
    report, cut short, a folder), or some of its lines or rows are not."""
