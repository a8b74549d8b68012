"""Confidence calibration: the shipped table is sound, and it never turns weak evidence into a confident answer."""

from __future__ import annotations

import json

import pytest

from geoloc.infer import infer
from geoloc.infer.calibration import (
    CALIBRATED_MAX,
    CALIBRATED_RULES,
    RAISE_FLOOR,
    Asked,
    CalibrationError,
    calibrate,
    parse_table,
    table,
    uncalibrated,
)
from geoloc.model import Estimate, Mention, Metadata
from tests.test_infer import sign

RULES = ("distance_signs", "distance_sign", "direction_sign")


def test_the_shipped_table_covers_the_sign_rules_with_rising_knots():
    knots = table()
    for rule in RULES:
        assert len(knots[rule]) >= 2, rule
        xs = [a for a, _ in knots[rule]]
        ys = [b for _, b in knots[rule]]
        assert xs == sorted(xs) and ys == sorted(ys)
    assert set(knots) == set(CALIBRATED_RULES)


@pytest.mark.parametrize("rule", RULES)
def test_calibration_never_lifts_weak_or_fuzzy_evidence_and_keeps_order(rule):
    grid = [i / 100 for i in range(101)]
    out = [calibrate(rule, c, exact=True, split=False) for c in grid]
    assert out == sorted(out), "a higher stated confidence must never map lower"
    for c, got in zip(grid, out, strict=True):
        assert 0.0 <= got <= 1.0
        if c < RAISE_FLOOR:
            assert got <= c, (rule, c, got)
        if got > c:
            assert got <= CALIBRATED_MAX
        assert calibrate(rule, c, exact=False, split=False) <= c  # a fuzzy match is never lifted
        assert calibrate(rule, c, exact=True, split=True) == c  # one of several places keeps its own


@pytest.mark.parametrize("rule", ["gps", "contradiction", "place_sign", "written_location", "caption"])
def test_rules_the_scenes_cannot_measure_keep_their_stated_confidence(rule):
    for c in (0.05, 0.1, 0.3, 0.5, 0.68, 0.95):
        assert calibrate(rule, c, exact=True, split=False) == c


def _raw_and_stated(gz, *rows: tuple[str, float]) -> tuple[Estimate, Estimate, list[Asked]]:
    """One distance sign's estimate with its rule's own confidence, the same estimate as stated, and
    what it asked the table; both estimates from the distance-signs rule."""
    mentions = sign(*rows)
    with uncalibrated() as asked:
        raw = infer(mentions, Metadata(), None, gz).estimate
    est = infer(mentions, Metadata(), None, gz).estimate
    assert raw is not None and est is not None and est.rule == "distance_signs"
    return raw, est, list(asked)


def test_two_distance_signs_that_meet_state_what_such_regions_were_measured_to_hold(gz):
    raw, est, asked = _raw_and_stated(gz, ("Чернігів", 14.0), ("Київ", 157.0))
    assert raw.rule == "distance_signs"
    # The fitter sees exactly what the table is asked to map.
    assert asked[-1].rule == "distance_signs" and asked[-1].fitted and asked[-1].confidence == raw.confidence
    assert (est.lat, est.lon, est.radius_km) == (raw.lat, raw.lon, raw.radius_km)
    assert est.confidence == round(calibrate("distance_signs", raw.confidence, exact=True, split=False), 2)
    assert est.confidence > raw.confidence  # such regions held the camera more often than stated
    assert est.to_dict()["rule"] == "distance_signs"


def test_a_sign_many_sets_of_namesakes_fit_keeps_its_stated_confidence(gz):
    # Common village names whose rings several sets of namesakes fit: one of several places, so the
    # table, measured on signs whose places are known, neither raises it nor is fitted on it.
    raw, est, asked = _raw_and_stated(gz, ("Іванівка", 7.0), ("Василівка", 115.0))
    assert not asked[-1].fitted
    assert est.confidence == raw.confidence


def test_the_table_never_lifts_a_sign_that_may_be_other_places(gz):
    # "Сосновка 132 / Михайловка 145": dozens of villages bear each name, and several sets of them
    # fit the rings, each too small to list but together half the probability. The table, measured
    # on how often such rings hold the camera, would lift the estimate to 0.9; which places they
    # are is not what it measures, so it is not asked.
    raw, est, asked = _raw_and_stated(gz, ("Сосновка", 132.0), ("Михайловка", 145.0))
    assert "same-named places elsewhere fit the signs too" in est.explanation
    assert not asked[-1].fitted
    assert est.confidence == raw.confidence < calibrate("distance_signs", raw.confidence, exact=True, split=False)
    assert est.probability is not None and est.confidence <= est.probability


def test_the_table_never_lifts_a_lone_destination_told_by_its_panels_colour(gz):
    # "Житомир" alone on a blue panel: a destination within reach, or the town's own blue sign.
    # How far from it the camera stands is what generated scenes draw, not what the photo shows,
    # so the table, which would lift such a direction sign to about 0.95, may not.
    read = Mention(readings=("Житомир",), kind="ocr", box=(40, 10, 120, 30), confidence=92.0, region=0, panel="blue")
    with uncalibrated() as asked:
        raw = infer([read], Metadata(), None, gz).estimate
    est = infer([read], Metadata(), None, gz).estimate
    assert raw is not None and est is not None and est.rule == "direction_sign"
    assert asked[-1].fitted and RAISE_FLOOR <= raw.confidence
    assert est.confidence == raw.confidence < calibrate("direction_sign", raw.confidence, exact=True, split=False)
    lowered = [c for c in (i / 100 for i in range(101)) if calibrate("direction_sign", c, exact=True, split=False) < c]
    for c in lowered:  # lowering is still allowed
        assert calibrate("direction_sign", c, exact=True, split=False, lone=True) < c


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"rules": {"place_sign": {"knots": [[0.2, 0.5], [0.1, 0.6]]}}}),  # stated values fall
        json.dumps({"rules": {"place_sign": {"knots": [[0.2, 0.7], [0.5, 0.6]]}}}),  # fitted values fall
        json.dumps({"rules": {"place_sign": {"knots": [[0.2, 1.5]]}}}),  # not a probability
        json.dumps({"rules": {"place_sign": {"knots": []}}}),
        json.dumps({"table": {}}),
    ],
)
def test_a_malformed_table_is_refused_with_its_reason(text):
    with pytest.raises(CalibrationError, match="not a calibration table"):
        parse_table(text)
