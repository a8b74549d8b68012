"""Confidence as measured: each estimate rule's confidence mapped to how often such estimates held the camera.

The rules in ``estimate`` state a confidence from their own reasoning (a lone place sign 0.68 times
its namesake share, distance signs the share of the rings' mass in their region, ...). Measured on
generated sign scenes drawn wider than those rules' priors (``benchmarks/locate_scenes.py``), most
are too modest: a lone city-limit name stated at 0.57 held the camera 96% of the time. The table in
``data/calibration.json``, fitted by ``benchmarks/calibrate.py`` on scenes of other seeds than
the ones the benchmark reports, maps each rule's confidence to the share of its estimates that held
the camera (isotonic: a higher stated confidence never maps lower).

Only the rules whose geometry the scenes measure are calibrated (``CALIBRATED_RULES``: distance
signs that meet, one distance sign, a direction sign without distances). The others keep their
stated confidence: generated GPS is exact by construction; a contradiction says the readings are
wrong, not where the camera is; and whether a lone place name is the camera's town (a city-limit
sign) or a destination (a direction sign), or which of several same-named places is meant, the
scenes' mix of signs and towns decides, not the photo. One of several places (namesakes, rings
that meet twice) keeps its stated confidence for the same reason.

Two more limits keep the table from making a confident wrong answer out of weak evidence, because
generated scenes cannot vouch for what real photos make of it (their misreadings are drawn from a
few look-alike swaps; a real photo's fuzzy match is junk far more often): a confidence below
``RAISE_FLOOR`` is never raised, nor one resting on a name matched only within OCR tolerance or
on a direction sign's lone destination, and none above ``CALIBRATED_MAX``. Lowering is always
allowed.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from geoloc.common.paths import DATA
from geoloc.model import EstimateRule

TABLE_FILE = DATA / "calibration.json"
RAISE_FLOOR = 0.3
"""Below this a confidence says "do not publish on this alone"; the table never lifts one across it."""
CALIBRATED_RULES: frozenset[EstimateRule] = frozenset({"distance_signs", "distance_sign", "direction_sign"})
CALIBRATED_MAX = 0.95
"""No reading of signs is stated surer than the file's own GPS (``estimate.GPS_CONFIDENCE``)."""
MAX_TABLE_BYTES = 200_000
"""The table holds a few dozen knots per rule (~5 KB): a far larger file is not the fitter's."""

Knots = tuple[tuple[float, float], ...]
_enabled = True
_asked: list[Asked] = []


class Asked(NamedTuple):
    """One estimate's question to the table, as ``uncalibrated`` records it for the fitter."""

    rule: EstimateRule
    confidence: float
    fitted: bool
    """The table would map this confidence (a calibrated rule, not one of several places)."""


class CalibrationError(ValueError):
    """The calibration table is missing or malformed: an install problem, never silently ignored."""


def calibrate(
    rule: EstimateRule, confidence: float, *, exact: bool, split: bool, misread: bool = False, lone: bool = False
) -> float:
    """The confidence an estimate of ``rule`` should state, given the one its rule worked out.

    ``exact``: every name the estimate rests on matched a gazetteer name exactly (up to spelling
    system), not only within OCR tolerance. ``split``: the estimate is one of several places.
    ``misread``: a name or a distance read on the photo was left out as misread so that the rest
    agree; such estimates hold the camera less often than the rule's others (on the fitting seeds,
    distance signs 81% against 89%, one distance 78% against 95%), and the table, fitted mostly on
    estimates that keep every reading, cannot vouch for the guess of which reading was wrong.
    ``lone``: the estimate rests on one place a direction sign names (a lone name on a blue panel):
    how far from it the camera stands is the scenes' own draw (10-350 km), not anything the photo
    shows, and a lone word on a shop's blue board ("ORANGE") is not one of their destinations.
    The table may lower such a confidence, never raise it.
    """
    if not _enabled:
        _asked.append(Asked(rule, confidence, rule in CALIBRATED_RULES and not split))
        return confidence
    if rule not in CALIBRATED_RULES or split:
        return confidence
    knots = table().get(rule)
    if not knots:
        return confidence
    measured = _interpolate(knots, confidence)
    if measured <= confidence:
        return measured
    if confidence < RAISE_FLOOR or not exact or misread or lone:
        return confidence
    return max(confidence, min(measured, CALIBRATED_MAX))


@contextlib.contextmanager
def uncalibrated() -> Iterator[list[Asked]]:
    """The rules' own confidences, as the table's fitter must measure them; yields the list of what
    each estimate asked meanwhile, so the fitter fits exactly the confidences the table will map."""
    global _enabled
    before, _enabled = _enabled, False
    _asked.clear()
    try:
        yield _asked
    finally:
        _enabled = before


@functools.cache
def table() -> Mapping[str, Knots]:
    """The fitted knots per rule, checked: probabilities in [0, 1], raw values rising, fits not falling."""
    return parse_table(_read(TABLE_FILE))


def parse_table(text: str) -> dict[str, Knots]:
    """The knots of a calibration table's JSON text (``CalibrationError`` when malformed)."""
    try:
        data = json.loads(text)
        rules = data["rules"]
        out: dict[str, Knots] = {}
        for rule, entry in rules.items():
            knots = tuple((float(a), float(b)) for a, b in entry["knots"])
            _check(rule, knots)
            out[rule] = knots
    except (ValueError, KeyError, TypeError) as e:
        raise CalibrationError(f"{TABLE_FILE.name}: not a calibration table ({e})") from None
    return out


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise CalibrationError(f"{path.name}: larger than {MAX_TABLE_BYTES} bytes")
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise CalibrationError(f"{path.name}: cannot be read ({e.strerror}); reinstall geoloc") from None


def _check(rule: str, knots: Sequence[tuple[float, float]]) -> None:
    if not knots:
        raise ValueError(f"rule {rule!r} has no knots")
    for a, b in knots:
        if not (0.0 <= a <= 1.0 and 0.0 <= b <= 1.0):
            raise ValueError(f"rule {rule!r}: knot ({a}, {b}) outside [0, 1]")
    for (a0, b0), (a1, b1) in zip(knots, knots[1:], strict=False):
        if a1 <= a0 or b1 < b0:
            raise ValueError(f"rule {rule!r}: knots must rise")


def _interpolate(knots: Knots, x: float) -> float:
    """Piecewise linear through the knots, flat beyond the first and the last."""
    if x <= knots[0][0]:
        return knots[0][1]
    for (a0, b0), (a1, b1) in zip(knots, knots[1:], strict=False):
        if x <= a1:
            return b0 + (b1 - b0) * (x - a0) / (a1 - a0)
    return knots[-1][1]
