"""What the reader did with one photo, for ``geoloc ocr --debug-dir``: where it looked for text,
at which scale, which regions it read and why each reading was kept or dropped.

A missed sign was either never found (no region over it: see the searches and regions), found but
badly cut (see its crop), or read and then dropped (its reading, with the reason). The files are
written atomically into the photo's debug folder: ``regions.jpg`` (the photo with every search's
regions and every reading drawn on it, numbered as in the JSON), ``report.json``, the binarised
crops ``crop_NN.png`` and the stacked page Tesseract read, ``page.png``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from geoloc.common.files import atomic_write_bytes, atomic_write_text
from geoloc.errors import OCRError

Box = tuple[int, int, int, int]

MAX_READINGS = 400
"""Readings listed per photo (kept and dropped): a photo of dense small print yields thousands of
fragments, and the report is for a person to read."""

# BGR colours of the overlay
_PANEL = (255, 128, 0)
_LINE = (0, 200, 255)
_ZOOM_LINE = (255, 0, 255)
_KEPT = (0, 180, 0)
_DROPPED = (0, 0, 255)


@dataclass
class Trace:
    """The reader's record of one photo (filled by ``reader.read_text`` when asked to debug)."""

    size: tuple[int, int] = (0, 0)  # width, height of the photo as read
    levels: tuple[float, float] | None = None  # grey levels stretched to black and white, if any
    searches: list[dict[str, Any]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)
    other_scripts: list[dict[str, Any]] = field(default_factory=list)
    zoomed: set[tuple] = field(default_factory=set)  # rectangles found only by the second search

    def search(self, finder: str, side: int, scale: float, found: int) -> None:
        """One search for text: ``finder`` ran on the photo at ``side`` px (``scale`` of it)."""
        self.searches.append({"finder": finder, "side": side, "scale": round(scale, 3), "found": found})

    def region(self, kind: str, found_by: str, rect: tuple, why: str, crop: int | None) -> None:
        """A region found, and whether (and why) Tesseract read it; ``crop`` numbers its crop file."""
        (cx, cy), (w, h), angle = rect
        self.regions.append(
            {
                "kind": kind,
                "found_by": found_by,
                "centre": [round(cx), round(cy)],
                "size": [round(w), round(h)],
                "angle": round(angle, 1),
                "read": why,
                "crop": crop,
            }
        )

    def reading(self, text: str, confidence: float, lang: str, box: Box, why: str = "kept") -> None:
        """A reading of a pass, kept or dropped with ``why``."""
        if len(self.readings) < MAX_READINGS:
            self.readings.append(
                {"text": text, "confidence": round(confidence, 1), "lang": lang, "box": list(box), "why": why}
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "size": list(self.size),
            "levels": None if self.levels is None else {"black": round(self.levels[0]), "white": round(self.levels[1])},
            "searches": self.searches,
            "regions": self.regions,
            "other_scripts": self.other_scripts,
            "readings": self.readings,
        }


def write_debug(debug_dir: Path, rgb: np.ndarray, trace: Trace, crops: list[tuple[int, np.ndarray]]) -> None:
    """Write the overlay, the report and the crops of one photo into ``debug_dir``."""
    try:
        debug_dir.mkdir(parents=True, exist_ok=True)
        overlay = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        thick = max(2, round(max(rgb.shape[:2]) / 800))
        for r in trace.regions:
            colour = _PANEL if r["found_by"] == "colour panel" else _ZOOM_LINE if "second" in r["found_by"] else _LINE
            rect = (tuple(r["centre"]), tuple(r["size"]), r["angle"])
            cv2.polylines(overlay, [cv2.boxPoints(rect).astype(np.int32)], True, colour, thick)
        for i, r in enumerate(trace.readings):
            x, y, w, h = r["box"]
            colour = _KEPT if r["why"] == "kept" else _DROPPED
            cv2.rectangle(overlay, (x, y), (x + w, y + h), colour, max(1, thick // 2))
            cv2.putText(overlay, str(i), (x, max(12, y - 3)), cv2.FONT_HERSHEY_SIMPLEX, 0.5 * thick, colour, thick)
        _write_image(debug_dir / "regions.jpg", overlay)
        for index, image in crops:
            _write_image(debug_dir / f"crop_{index:02d}.png", image)
        text = json.dumps(trace.as_dict(), ensure_ascii=False, indent=1)
        atomic_write_text(debug_dir / "report.json", text + "\n")
    except OSError as exc:
        raise OCRError(f"cannot write debug images: {exc}", path=str(debug_dir)) from None


def write_page(debug_dir: Path, page: np.ndarray) -> None:
    """The stacked page of crops Tesseract reads, as ``page.png``."""
    try:
        _write_image(debug_dir / "page.png", page)
    except OSError as exc:
        raise OCRError(f"cannot write debug images: {exc}", path=str(debug_dir)) from None


def _write_image(path: Path, image: np.ndarray) -> None:
    ok, data = cv2.imencode(path.suffix, image)
    if not ok:
        raise OSError(f"cannot encode {path.name}")
    atomic_write_bytes(path, data.tobytes())
