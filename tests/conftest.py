"""Shared test set-up: what a test does when part of the install is missing.

A bare ``pytest`` on a half set-up machine should still run, and say what it could not test: so a
test whose model, asset or package is missing skips, naming the set-up step that installs it.
``make test`` must not pass on a broken install, though (a skipped test looks green in a summary
nobody reads), so it sets ``GEOLOC_STRICT_TESTS=1`` and the same tests fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from geoloc.places import get_gazetteer
from geoloc.places.protocol import Gazetteer

STRICT_ENV = "GEOLOC_STRICT_TESTS"
"""Environment variable: set (to anything but "" or "0") to make a missing install fail the run."""

DET_MODEL_ENV = "GEOLOC_TEST_DET_MODEL"
"""Environment variable: a path used as the OCR text-line model for this run, so that a test can
show what a missing model does without deleting the real one."""

MODEL_STEP = "`make setup` (scripts/fetch_ocr_model.sh)"
ASSETS_STEP = "`make setup` (scripts/fetch_assets.sh)"
SYSTEM_STEP = "`make setup` (scripts/system_packages.sh)"
PACKAGES_STEP = '`make setup` (pip install -e ".[test]" in the virtualenv)'
"""The set-up steps a missing piece names: ``make setup`` runs all of them."""


def strict() -> bool:
    """True when a missing install must fail the test rather than skip it (``make test``)."""
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def require(condition: bool, what: str, setup_step: str) -> None:
    """Go on when ``condition`` holds; else skip, or under ``GEOLOC_STRICT_TESTS`` fail, the test.

    ``what`` names the missing piece and ``setup_step`` the command that installs it, so that the
    message tells the reader what to run rather than only what broke.
    """
    if condition:
        return
    message = f"{what} is missing: run {setup_step}"
    if strict():
        pytest.fail(f"{message} ({STRICT_ENV} is set: a missing install fails the run)", pytrace=False)
    pytest.skip(message)


def pytest_report_header(config: pytest.Config) -> str:
    """Say in the header whether a missing install skips or fails, so a green run can be read."""
    mode = "fail" if strict() else "skip"
    return f"geoloc: tests needing a missing model, asset or package will {mode} ({STRICT_ENV})"


@pytest.fixture(autouse=True, scope="session")
def _det_model_override() -> Iterator[None]:
    """Point the OCR at ``$GEOLOC_TEST_DET_MODEL`` for the whole run, when that is set."""
    override = os.environ.get(DET_MODEL_ENV)
    if not override:
        yield
        return
    from geoloc.read.ocr import reader

    mp = pytest.MonkeyPatch()
    mp.setattr(reader, "DET_MODEL", Path(override))
    reader._line_detector_ready.cache_clear()
    try:
        yield
    finally:
        mp.undo()
        reader._line_detector_ready.cache_clear()


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    """The offline gazetteer (built once into the cache, then opened per test module)."""
    return get_gazetteer()
