"""The install itself: every piece `make setup` fetches is there and works.

Most of these pieces have a fallback in the code (OCR without the text-line model reads colour
panels only, the gazetteer builds without admin1.json), so a broken install would otherwise show
up only as weaker answers. Each check below skips under a bare ``pytest`` and fails under
``make test`` (``GEOLOC_STRICT_TESTS=1``), naming the set-up step to run; the last tests prove that
the strict mode really turns a missing model into a failure.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from geoloc.common.paths import ASSETS
from geoloc.errors import OCRError
from geoloc.read.ocr import reader as ocr
from geoloc.read.ocr.reader import DEFAULT_LANGS
from tests.conftest import ASSETS_STEP, DET_MODEL_ENV, MODEL_STEP, PACKAGES_STEP, STRICT_ENV, SYSTEM_STEP, require

ROOT = Path(__file__).resolve().parents[1]
EXTRA_LANGS = ("deu", "pol", "ces")
"""Accented Latin names read with --lang: installed by the set-up beside the default languages."""
MAP_ASSETS = ("admin1.json", "leaflet.js", "leaflet.css", "jquery.min.js")
MODEL_TEST = "tests/test_ocr.py::test_text_line_detector_finds_each_line_of_the_sample"


def test_text_line_model_is_installed_and_loads() -> None:
    """The model file exists and onnxruntime opens it (a truncated download would not)."""
    model = ocr.DET_MODEL
    require(model.is_file() and model.stat().st_size > 0, f"text-line model {model.name}", MODEL_STEP)
    import onnxruntime

    try:
        session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
        loaded = ""
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own unrelated types
        session, loaded = None, f" (onnxruntime cannot load it: {exc})"
    require(session is not None, f"a working text-line model {model.name}{loaded}", MODEL_STEP)
    assert [i.name for i in session.get_inputs()]


def test_heif_encoder_round_trips_a_photo() -> None:
    """pillow-heif writes a HEIF that reads back with its size: phones' photos depend on it."""
    import geoloc.common.photo  # noqa: F401  (registers the HEIF opener)

    buf = io.BytesIO()
    try:
        Image.new("RGB", (48, 32), "green").save(buf, "HEIF", quality=50)
        problem = ""
    except (KeyError, OSError, ValueError) as exc:
        problem = f" ({exc!r})"
    require(not problem, f"a working HEIF encoder (pillow-heif){problem}", PACKAGES_STEP)
    buf.seek(0)
    with Image.open(buf) as back:
        assert back.format == "HEIF" and back.size == (48, 32)


def test_tesseract_and_its_language_packs_are_installed() -> None:
    """Tesseract with the default OCR languages and the accented-Latin extras the set-up installs."""
    ocr._available_langs.cache_clear()
    try:
        have = ocr._available_langs()
        problem = ""
    except OCRError as exc:
        have, problem = frozenset(), f" ({exc})"
    finally:
        ocr._available_langs.cache_clear()
    require(not problem, f"Tesseract{problem}", SYSTEM_STEP)
    wanted = [*DEFAULT_LANGS.split("+"), *EXTRA_LANGS]
    missing = [lang for lang in wanted if lang not in have]
    require(not missing, f"Tesseract language pack(s) {', '.join(missing)}", SYSTEM_STEP)


def test_map_assets_are_installed() -> None:
    """Leaflet, jQuery, Leaflet's images and the admin-1 regions the offline map and regions use."""
    missing = [name for name in MAP_ASSETS if not (ASSETS / name).is_file() or (ASSETS / name).stat().st_size == 0]
    if not list((ASSETS / "images").glob("*.png")):
        missing.append("images/*.png")
    require(not missing, f"map asset(s) {', '.join(missing)} in geoloc/assets", ASSETS_STEP)


def _run_model_test(tmp_path: Path, strict: bool) -> subprocess.CompletedProcess[str]:
    """Run one model-dependent test in a fresh pytest with the model pointed at a missing file."""
    env = {
        **os.environ,
        DET_MODEL_ENV: str(tmp_path / "absent.onnx"),
        STRICT_ENV: "1" if strict else "0",
        "OMP_THREAD_LIMIT": "1",
    }
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfs", "-p", "no:cacheprovider", MODEL_TEST],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_strict_mode_fails_a_run_whose_model_is_missing(tmp_path: Path) -> None:
    """Under the flag `make test` sets, a missing model fails the run and names the set-up step."""
    run = _run_model_test(tmp_path, strict=True)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "1 failed" in out and "skipped" not in out, out
    assert "text-line model absent.onnx is missing" in out, out
    assert "make setup" in out and "scripts/fetch_ocr_model.sh" in out, out


def test_without_the_flag_a_missing_model_only_skips(tmp_path: Path) -> None:
    """A bare pytest still runs on a half set-up machine, and says which step would fix it."""
    run = _run_model_test(tmp_path, strict=False)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "1 skipped" in out and "failed" not in out, out
    assert "scripts/fetch_ocr_model.sh" in out, out
