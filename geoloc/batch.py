"""Run many photos through the pipeline, keep going past bad files, and hand back results in order.

A bad photo is a ``GeolocError``: it is reported through ``on_error`` and the batch goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from .errors import GeolocError
from .pipeline import Settings, locate_photo
from .report import PhotoReport


@dataclass
class BatchResult:
    """Reports of the photos that worked, in input order, and the errors of those that did not."""

    reports: list[PhotoReport] = field(default_factory=list)
    errors: list[GeolocError] = field(default_factory=list)


def run_batch(paths: Sequence[str], settings: Settings, *,
              on_result: Callable[[PhotoReport], None] | None = None,
              on_error: Callable[[GeolocError], None] | None = None) -> BatchResult:
    """Locate every photo in ``paths``; call ``on_result``/``on_error`` as each one finishes."""
    result = BatchResult()
    for path in paths:
        try:
            report = locate_photo(path, settings)
        except GeolocError as err:
            result.errors.append(err)
            if on_error:
                on_error(err)
            continue
        result.reports.append(report)
        if on_result:
            on_result(report)
    return result
