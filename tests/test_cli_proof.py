"""``geoloc proof`` as a user runs it: the files it writes, --check, what it never replaces, --lang-ui,
and proof.html in headless Chromium with the network blocked."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from PIL import Image

from geoloc.cli.main import cli
from tests.support.scenes import SignLine, SignSpec, render_scene
from tests.test_browser import ARTIFACTS, OfflinePage, browser  # noqa: F401 - browser is a fixture

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "images" / "chernihiv_sign.jpg"
CAPTION = ROOT / "images" / "chernihiv_caption.txt"
FILES = ("proof.png", "proof.svg", "proof.html", "record.json")
FAST = ("--jobs", "1", "--timeout", "0")  # read in this process: the tests stay quick
HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">'


def _run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["proof", *map(str, args)], catch_exceptions=False)


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One observation cache for the module (a photo read once is not read again), never the user's."""
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("proof-cache")
    mp.setattr("geoloc.cache.cache_root", lambda: root)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def second_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another sign photo, generated: Ніжин 40 / Nizhyn and Прилуки 63 / Pryluky."""
    image, _ = render_scene(
        [
            SignSpec(
                "ua_direction",
                (SignLine("Ніжин", "Nizhyn", 40), SignLine("Прилуки", "Pryluky", 63)),
                cap_px=26,
                position=(0.35, 0.33),
                angle_deg=1.0,
                tilt=0.05,
            )
        ],
        seed=1818,
        lighting="day",
        blur=0.4,
    )
    path = tmp_path_factory.mktemp("second") / "nizhyn_sign.jpg"
    image.save(path, "JPEG", quality=88)
    return path


@pytest.fixture(scope="module")
def sample_proof(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The README's command: the sample photo and its caption."""
    out = tmp_path_factory.mktemp("proofs")
    result = _run(SAMPLE, "--context", CAPTION, "-o", out, *FAST)
    return out / "chernihiv_sign", result


@pytest.fixture(scope="module")
def second_proof(tmp_path_factory: pytest.TempPathFactory, second_photo: Path) -> tuple[Path, Result]:
    out = tmp_path_factory.mktemp("proofs2")
    result = _run(second_photo, "-o", out, *FAST)
    return out / "nizhyn_sign", result


def _png(path: Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB")).astype(int)


def test_proof_writes_the_picture_the_page_and_the_record(sample_proof, tmp_path) -> None:
    folder, result = sample_proof
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)  # and no temporary file left
    assert "Chernihiv" in result.stdout and f"wrote {folder}/" in result.stdout
    png = Image.open(folder / "proof.png")
    assert png.format == "PNG" and png.width >= 1200 and png.height >= 800
    assert (folder / "proof.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert "<html" in (folder / "proof.html").read_text(encoding="utf-8")
    # the record holds the very report `geoloc locate --json` gives for this photo
    record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
    located = CliRunner().invoke(
        cli,
        ["locate", str(SAMPLE), "--context", str(CAPTION), "--json", "--map", str(tmp_path / "m.html"), *FAST],
        catch_exceptions=False,
    )
    assert located.exit_code == 0
    assert record["report"] == json.loads(located.stdout)["photos"][0]
    assert record["report"]["estimate"]["rule"] == "distance_signs"
    assert [(i["role"], Path(i["path"]).name) for i in record["inputs"]] == [
        ("photo", "chernihiv_sign.jpg"),
        ("context", "chernihiv_caption.txt"),
    ]
    import hashlib

    assert record["inputs"][0]["sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert record["software"]["tesseract"] not in ("", "missing")
    assert all(len(h) == 64 for h in record["software"]["ocr_models"].values())
    assert record["data"]["natural_earth"]["countries"]["sha256"] != "missing"
    assert record["options"]["lang"] and record["created_utc"].endswith("Z")


def test_two_photos_give_different_pictures(sample_proof, second_proof) -> None:
    assert second_proof[1].exit_code == 0, second_proof[1].output
    first, second = _png(sample_proof[0] / "proof.png"), _png(second_proof[0] / "proof.png")
    assert first.shape[1] == second.shape[1] >= 1200
    rows = min(first.shape[0], second.shape[0])
    assert (np.abs(first[:rows] - second[:rows]).max(axis=2) > 40).mean() > 0.1
    assert "Nizhyn" in (second_proof[0] / "proof.html").read_text(encoding="utf-8")


def test_check_reruns_the_record_and_finds_the_same_estimate(sample_proof) -> None:
    folder, _ = sample_proof
    result = _run("--check", folder / "record.json", *FAST)
    assert result.exit_code == 0, result.output
    estimate = json.loads((folder / "record.json").read_text(encoding="utf-8"))["report"]["estimate"]
    assert f"the same estimate: ({estimate['lat']}, {estimate['lon']}) ± {estimate['radius_km']} km" in result.stdout


def test_check_refuses_a_photo_that_is_not_the_recorded_one(sample_proof, second_photo) -> None:
    result = _run("--check", sample_proof[0] / "record.json", second_photo, *FAST)
    assert result.exit_code == 1
    assert f"{second_photo}: SHA-256" in result.stderr and "not the photo the proof was made from" in result.stderr


def test_check_says_when_the_estimate_differs(sample_proof, tmp_path) -> None:
    record = json.loads((sample_proof[0] / "record.json").read_text(encoding="utf-8"))
    record["report"]["estimate"]["lat"] += 0.5  # an edited record: the re-run disagrees
    edited = tmp_path / "record.json"
    edited.write_text(json.dumps(record), encoding="utf-8")
    result = _run("--check", edited, *FAST)
    assert result.exit_code == 1
    assert "a different estimate" in result.stdout
    assert f"recorded: ({record['report']['estimate']['lat']}," in result.stdout


def test_check_with_an_unusable_record_is_one_line(tmp_path) -> None:
    bad = tmp_path / "record.json"
    bad.write_text('{"schema": "geoloc.proof/1", "inputs": "\\u001b]0;x\\u0007"}', encoding="utf-8")
    result = _run("--check", bad)
    assert result.exit_code == 2
    assert "not a usable proof record: inputs is not a list" in result.stderr and "\x1b" not in result.stderr
    bad.write_bytes(b"\x1b]0;retitled\x07 not JSON")
    result = _run("--check", bad)
    assert result.exit_code == 2 and "not a geoloc proof record (not JSON)" in result.stderr
    assert _run("--check", bad, "--country", "UA").exit_code == 2  # the record decides the options


def test_files_are_never_replaced_without_force(second_photo, tmp_path) -> None:
    mine = tmp_path / "nizhyn_sign" / "proof.html"
    mine.parent.mkdir()
    mine.write_text("my notes", encoding="utf-8")
    refused = _run(second_photo, "-o", tmp_path, *FAST)
    assert refused.exit_code == 2 and "already exists: add --force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "my notes" and len(list(mine.parent.iterdir())) == 1
    forced = _run(second_photo, "-o", tmp_path, "--force", *FAST)
    assert forced.exit_code == 0, forced.output
    assert "<html" in mine.read_text(encoding="utf-8")


def test_a_proof_never_writes_over_its_photo(second_photo, tmp_path) -> None:
    """A PNG photo called proof.png in DIR/proof/ would be the proof's own picture: refused, even with --force."""
    folder = tmp_path / "proof"
    folder.mkdir()
    photo = folder / "proof.png"
    Image.open(second_photo).save(photo)
    before = photo.read_bytes()
    result = _run(photo, "-o", tmp_path, "--force", *FAST)
    assert result.exit_code == 2 and "would overwrite this input" in result.stderr
    assert photo.read_bytes() == before


def test_a_bad_photo_fails_alone(second_photo, tmp_path) -> None:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copy(second_photo, photos / "b.jpg")
    (photos / "a.jpg").write_bytes(b"<html>saved as .jpg</html>")
    result = _run(photos, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 1
    assert f"geoloc: {photos}/a.jpg: not an image" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b"]
    assert sorted(p.name for p in (tmp_path / "out" / "b").iterdir()) == sorted(FILES)


def test_a_photo_from_a_saved_page_is_checked_with_its_caption(tmp_path) -> None:
    """The page's caption names the border; the record names the page, so --check reads the photo
    from it again with that caption and finds the same distances."""
    (tmp_path / "article_files").mkdir()
    shutil.copy(SAMPLE, tmp_path / "article_files" / "sign.jpg")
    page = tmp_path / "article.html"
    page.write_text(
        "<html><body><article><h1>Road reopened</h1><p>The road north of Chernihiv was reopened.</p>"
        '<figure><img src="article_files/sign.jpg"><figcaption>A road sign near Chernihiv, close to the '
        "border with Belarus.</figcaption></figure></article></body></html>",
        encoding="utf-8",
    )
    result = _run(page, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out" / "sign" / "record.json").read_text(encoding="utf-8"))
    assert [i["role"] for i in record["inputs"]] == ["photo", "source"]
    assert record["report"]["context"]["used"] == "text"
    assert any(a["name"] == "Belarus" for a in record["report"]["areas"])
    check = _run("--check", tmp_path / "out" / "sign" / "record.json", *FAST)
    assert check.exit_code == 0, check.output
    assert "the same estimate" in check.stdout and "differ" not in check.stdout


def test_lang_ui_uk_puts_ukrainian_labels_in_the_page(tmp_path) -> None:
    result = _run(SAMPLE, "--context", CAPTION, "-o", tmp_path, "--lang-ui", "uk", *FAST)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "chernihiv_sign" / "proof.html").read_text(encoding="utf-8")
    assert '<html lang="uk">' in page
    for label in ("Доказ місця зйомки", "Оцінка", "Підстава", "Достовірність", "Докази в повній роздільності"):
        assert label in page, label
    record = json.loads((tmp_path / "chernihiv_sign" / "record.json").read_text(encoding="utf-8"))
    assert record["options"]["lang_ui"] == "uk"


def test_help_explains_check() -> None:
    result = CliRunner().invoke(cli, ["proof", "--help"])
    assert result.exit_code == 0
    assert (
        "--check RECORD" in result.stdout and "geoloc proof --check proofs/chernihiv_sign/record.json" in result.stdout
    )


@pytest.mark.browser
def test_proof_page_renders_offline_with_hostile_names_shown_as_text(browser, second_photo, tmp_path) -> None:  # noqa: F811
    photo = tmp_path / f"{HOSTILE_NAME}.jpg"  # a legal file name
    shutil.copy(second_photo, photo)
    result = _run(photo, "-o", tmp_path / "out", *FAST)
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "out").iterdir()
    assert not set(folder.name) & set('<>"= ')  # the folder name is made safe
    view = OfflinePage(browser, folder / "proof.html")
    page = view.page
    page.wait_for_timeout(300)  # give an injected onerror handler the chance to fire
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img[src='x']").count() == 0
    assert f"{HOSTILE_NAME}.jpg" in page.inner_text("h1")
    widths = page.evaluate("Array.from(document.images).map(i => [i.className, i.naturalWidth])")
    assert widths[0] == ["proof", Image.open(folder / "proof.png").width]
    assert len(widths) >= 3 and all(w > 0 for _, w in widths)  # the picture and the crops all decoded
    shot = page.screenshot(full_page=True)
    assert Image.open(io.BytesIO(shot)).width == 1200  # the viewport: the page fits it
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "proof_page.png").write_bytes(shot)
    assert view.blocked == []
    assert view.errors == []
    page.close()
