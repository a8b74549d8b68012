"""Saved article pages: each image with its own caption, the article as wider context, bounded and
offline (``geoloc.read.pages`` through ``geoloc locate``)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoloc.cli.main import cli
from geoloc.common.geodesy import haversine_km
from geoloc.read.pages import MAX_PAGE_BYTES, MAX_PAGE_IMAGES, MIN_IMAGE_BYTES
from geoloc.read.sources import SCRATCH_PREFIX, expanded
from tests.support.limits import bounded
from tests.support.published import ARTICLE, FIGURES, TOWNS, blank_photo, mhtml_of, saved_page

NEAR_KM = 60
"""A caption-only estimate sits on the town the caption names (its radius is the town's reach)."""


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One observation cache for the module (every page photo is the same picture: read once)."""
    root = tmp_path_factory.getbasetemp() / "pages-cache"
    monkeypatch.setattr("geoloc.cache.cache_root", lambda: root)
    return root


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every socket connection and name lookup fails and is recorded: a page must fetch nothing."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access while reading a saved page")

    for name in ("connect", "connect_ex"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.fixture
def scratch_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder of this test, where taken-out images go (and must be gone after)."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _locate(*args: str):
    # --jobs 1 --timeout 0: read in this process, where the sockets are refused
    return CliRunner().invoke(cli, ["locate", *args, "--offline", "--jobs", "1", "--timeout", "0"])


def _check_estimates(photos: list[dict]) -> None:
    """Each photo lies at the town its own caption names; the one whose caption names none, at the
    article's town, saying that the article was used."""
    assert len(photos) == len(FIGURES)
    for photo, (caption, town) in zip(photos, FIGURES, strict=True):
        e, ctx = photo["estimate"], photo["context"]
        assert e is not None, photo
        assert haversine_km(e["lat"], e["lon"], *TOWNS[town]) < NEAR_KM, (caption, e)
        assert ctx["text"] == caption and ctx["source"].endswith("(figure caption)")
        assert ARTICLE[:60] in ctx["wider"] and "![" not in ctx["wider"]
        assert ctx["link"] == "https://news.example.org/2026/11/sumy-week"
        assert ctx["used"] == ("wider" if town == "Sumy" else "text")


def test_each_photo_of_a_saved_page_is_placed_by_its_own_caption(
    tmp_path: Path, cache: Path, no_network: list[object]
) -> None:
    outside = blank_photo(tmp_path / "private" / "holiday.jpg", seed=9)
    page = saved_page(
        tmp_path / "saved",
        extra='<figure><img src="https://cdn.example.org/wire/photo.jpg"><figcaption>In Kyiv.</figcaption></figure>'
        f'<figure><img src="../private/{outside.name}"><figcaption>In Lviv.</figcaption></figure>',
    )
    result = _locate(str(page), "--json", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    _check_estimates(data["photos"])
    assert [p["path"] for p in data["photos"]] == [
        str(page.parent / "article_files" / f"photo-{i}.jpg") for i in range(len(FIGURES))
    ]
    lines = result.stderr.splitlines()
    assert f"geoloc: {page}: 1 image on the web, not in the saved page; not fetched: " in lines[0]
    assert "https://cdn.example.org/wire/photo.jpg" in lines[0]
    assert f"geoloc: {page}: 1 image not in the saved page; skipped: ../private/holiday.jpg" in lines
    assert no_network == []
    page_map = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "context: <b>" in page_map and "A destroyed bridge near Chernihiv on Monday." in page_map


def test_an_mhtml_page_gives_the_same_and_leaves_no_temporary_file(
    tmp_path: Path, cache: Path, no_network: list[object], scratch_root: Path
) -> None:
    page = mhtml_of(saved_page(tmp_path / "saved"), tmp_path / "article.mhtml")
    result = _locate(str(page), "--json", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 0, result.stderr
    photos = json.loads(result.stdout)["photos"]
    _check_estimates(photos)
    assert [p["path"] for p in photos] == [f"{page}#photo-{i}.jpg" for i in range(len(FIGURES))]
    assert no_network == []
    assert list(scratch_root.iterdir()) == []  # the images taken out are gone with the run


def test_the_images_taken_out_of_an_mhtml_are_private_and_exist_during_the_run(
    tmp_path: Path, scratch_root: Path
) -> None:
    page = mhtml_of(saved_page(tmp_path / "saved"), tmp_path / "article.mhtml")
    with expanded([str(page)]) as inputs:
        taken = [Path(p.path) for p in inputs.photos if not isinstance(p, str)]
        assert len(taken) == len(FIGURES) and all(p.is_file() for p in taken)
        folder = next(scratch_root.iterdir())
        assert folder.name.startswith(SCRATCH_PREFIX) and folder.stat().st_mode & 0o077 == 0
        assert taken[0].read_bytes() == (tmp_path / "saved" / "article_files" / "photo-0.jpg").read_bytes()
    assert not any(p.exists() for p in taken) and list(scratch_root.iterdir()) == []


def test_a_page_with_500_images_reads_the_first_200_and_says_so_in_one_line(tmp_path: Path, cache: Path) -> None:
    folder = tmp_path / "essay"
    first = blank_photo(folder / "essay_files" / "0.jpg")
    for i in range(1, 500):
        shutil.copyfile(first, folder / "essay_files" / f"{i}.jpg")  # one picture: read once, concluded 200 times
    imgs = "".join(
        f'<p><img src="essay_files/{i}.jpg" alt="Frame {i} of the march in Kharkiv"></p>' for i in range(500)
    )
    (folder / "essay.html").write_text(f"<html><body><article><p>{ARTICLE}</p>{imgs}</article></body></html>")
    result = _locate(str(folder / "essay.html"), "--jsonl", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 0, result.stderr
    said = [ln for ln in result.stderr.splitlines() if "images;" in ln]
    assert said == [
        f"geoloc: {folder / 'essay.html'}: 500 images; the first {MAX_PAGE_IMAGES} are read, "
        f"{500 - MAX_PAGE_IMAGES} skipped (at most {MAX_PAGE_IMAGES} per page)"
    ]
    lines = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert [ln["path"] for ln in lines] == [str(folder / "essay_files" / f"{i}.jpg") for i in range(MAX_PAGE_IMAGES)]
    assert all(ln["context"]["source"].endswith("(alt text)") and ln["estimate"] for ln in lines)


def test_a_page_too_large_or_broken_is_one_line_and_the_run_goes_on(tmp_path: Path, cache: Path) -> None:
    big = tmp_path / "big.html"
    with open(big, "wb") as fh:
        fh.truncate(MAX_PAGE_BYTES + 1)
    empty = tmp_path / "empty.mhtml"
    empty.write_bytes(b"Subject: not a saved page\n\njust text\n")
    photo = blank_photo(tmp_path / "photo.jpg")
    caption = tmp_path / "caption.txt"
    caption.write_text("Taken in Kharkiv.", encoding="utf-8")
    result = _locate(str(big), str(empty), str(photo), "--context", str(caption), "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 1  # two inputs failed, each said once; the photo was located
    assert result.stderr.splitlines() == [
        f"geoloc: {big}: larger than {MAX_PAGE_BYTES // 2**20} MiB; not read (at most that per page)",
        f"geoloc: {empty}: not a saved page (.mhtml holds no MIME parts)",
    ]
    assert result.stdout.startswith(f"{photo}: Kharkiv, Kharkiv Oblast, UA")


def test_hostile_html_is_parsed_without_entity_expansion_or_unbounded_depth(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    (tmp_path / "laughs.html").write_text(
        f'<!DOCTYPE html [<!ENTITY l0 "ha">{laughs}]><html><body><article><p>&l9;</p>'
        '<img src="file:///etc/passwd"><img src="/etc/hostname"></article></body></html>'
    )
    (tmp_path / "deep.html").write_text("<div>" * 200_000 + "<p>Kharkiv</p>" + "</div>" * 200_000)
    with (
        bounded(seconds=30, memory=1 << 30),
        expanded([str(tmp_path / "laughs.html"), str(tmp_path / "deep.html")]) as inputs,
    ):
        assert inputs.photos == []
    said = " | ".join([*inputs.notes, *(str(e) for e in inputs.errors)])
    assert "2 images not in the saved page; skipped: file:///etc/passwd, /etc/hostname" in said
    assert "deep.html" in said  # no photos, or not readable: named either way


def test_tiny_images_and_declared_icons_are_not_photos(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    photo = blank_photo(folder / "p_files" / "photo.jpg")
    (folder / "p_files" / "pixel.gif").write_bytes(b"GIF89a" + bytes(MIN_IMAGE_BYTES // 4))
    shutil.copyfile(photo, folder / "p_files" / "logo.jpg")
    (folder / "p.html").write_text(
        '<html><body><article><img src="p_files/logo.jpg" width="48" height="48">'
        '<img src="p_files/pixel.gif"><img src="p_files/photo.jpg" title="Kharkiv at dawn"></article></body></html>'
    )
    with expanded([str(folder / "p.html")]) as inputs:
        assert [os.path.basename(p.path) for p in inputs.photos if not isinstance(p, str)] == ["photo.jpg"]
        ctx = inputs.photos[0].context  # type: ignore[union-attr]
        assert ctx is not None and ctx.text == "Kharkiv at dawn" and ctx.source.endswith("(title)")
