"""Telegram Desktop exports: each post's photos with the post's text, date, id and link
(``geoloc.read.telegram`` through ``geoloc locate``), and exports that are broken or large."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoloc.cli.main import cli
from geoloc.common.geodesy import haversine_km
from geoloc.read.coordinates import text_coordinates
from geoloc.read.sources import expanded
from geoloc.read.telegram import post_text, read_export
from tests.support.limits import bounded
from tests.support.published import TOWNS, message, telegram_export

NEAR_KM = 60
"""A caption-only estimate sits on the town the post names (its radius is the town's reach)."""

NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
"""What Telegram Desktop writes instead of a media path it did not download."""

POSTS = [
    {"id": 4210, "type": "service", "date": "2026-11-30T10:00:00", "actor": "Kharkiv Today",
     "actor_id": "channel1876543210", "action": "pin_message", "message_id": 4209, "text": "",
     "text_entities": []},
    message(4211, ["Наслідки удару по ", {"type": "bold", "text": "Харкову"}, ". ",
                   {"type": "link", "text": "https://example.org/x"}], photo="photos/photo_1@30-11-2026_10-15-00.jpg"),
    message(4212, "Ранок у Чернігові: черга по воду", photo="photos/photo_2@30-11-2026_10-20-00.jpg",
            date="2026-11-30T10:20:00"),
    message(4213, "", photo="photos/photo_3@30-11-2026_10-20-00.jpg", date="2026-11-30T10:20:00"),
    message(4214, "Sumy this morning, after the night's strikes.", photo="photos/photo_4@30-11-2026_11-00-00.jpg",
            date="2026-11-30T11:00:00", forwarded_from="Sumy Live"),
    message(4215, "Ще одне фото з Харкова", photo=NOT_INCLUDED, date="2026-11-30T11:30:00"),
    message(4216, "Знову Харків", photo="photos/photo_missing@30-11-2026_12-00-00.jpg", date="2026-11-30T12:00:00"),
    message(4217, "Без фото: лише текст про Одесу.", date="2026-11-30T12:30:00"),
    message(4218, "Харків <script>alert(1)</script>", date="2026-11-30T13:00:00", file="files/IMG_0042.JPG",
            file_name="IMG_0042.JPG", mime_type="image/jpeg"),
]  # fmt: skip
"""A channel's posts in the real export format: a service message, text as a list of entities, an
album of two photos with one text, a forwarded post, a photo not downloaded, a photo missing from
the folder, a post without media, and a photo sent as a file (with markup in its text)."""

EXPECTED = {  # post id -> (town, context source, text)
    4211: ("Kharkiv", "post 4211", "Наслідки удару по Харкову. https://example.org/x"),
    4212: ("Chernihiv", "post 4212", "Ранок у Чернігові: черга по воду"),
    4213: ("Chernihiv", "post 4213, album text from post 4212", "Ранок у Чернігові: черга по воду"),
    4214: ("Sumy", "post 4214", "Sumy this morning, after the night's strikes."),
    4218: ("Kharkiv", "post 4218", "Харків <script>alert(1)</script>"),
}


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One observation cache: the export's photos are one picture, read once."""
    root = tmp_path_factory.getbasetemp() / "telegram-cache"
    monkeypatch.setattr("geoloc.cache.cache_root", lambda: root)
    return root


def _locate(*args: str):
    return CliRunner().invoke(cli, ["locate", *args, "--offline", "--jobs", "1", "--timeout", "0"])


def test_each_post_photo_is_placed_by_its_own_post(tmp_path: Path, cache: Path) -> None:
    export = telegram_export(tmp_path / "ChatExport_2026-11-30", POSTS)
    result = _locate(str(export), "--jsonl", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 1, result.stderr  # the photo missing from the folder failed
    lines = [json.loads(ln) for ln in result.stdout.splitlines()]
    good = [ln for ln in lines if not ln["errors"]]
    assert [int(ln["context"]["link"].rsplit("/", 1)[1]) for ln in good] == list(EXPECTED)
    for line in good:
        post = int(line["context"]["link"].rsplit("/", 1)[1])
        town, source, text = EXPECTED[post]
        e, ctx = line["estimate"], line["context"]
        assert e is not None and haversine_km(e["lat"], e["lon"], *TOWNS[town]) < NEAR_KM, (post, e)
        assert (ctx["source"], ctx["text"], ctx["used"]) == (source, text, "text")
        assert ctx["link"] == f"https://t.me/kharkiv_today/{post}"
        assert ctx["date"] == next(m["date"] for m in POSTS if m["id"] == post)
        assert ctx["forwarded_from"] == ("Sumy Live" if post == 4214 else None)
    missing = export / "photos" / "photo_missing@30-11-2026_12-00-00.jpg"
    failed = [ln for ln in lines if ln["errors"]]
    assert [(f["path"], f["context"]["source"]) for f in failed] == [(str(missing), "post 4216")]
    assert [ln for ln in result.stderr.splitlines() if not ln.startswith("wrote ")] == [
        f"geoloc: {export}: post 4215: its photo is not in the export {NOT_INCLUDED}",
        f"geoloc: {missing}: no such file",
    ]
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "context: <b>post 4211</b>" in page and "https://t.me/kharkiv_today/4211" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_the_summary_names_each_post(tmp_path: Path, cache: Path) -> None:
    export = telegram_export(tmp_path / "export", POSTS[:3])
    result = _locate(str(export), "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 0, result.stderr
    assert (
        "    context: post 4211, 2026-11-30T10:15:00, https://t.me/kharkiv_today/4211: "
        "“Наслідки удару по Харкову. https://example.org/x”" in result.stdout.splitlines()
    )


def test_without_a_username_there_is_no_link(tmp_path: Path) -> None:
    export = telegram_export(tmp_path / "private", POSTS[1:3], username=None)
    photos = read_export(str(export)).photos
    assert [p.context.source for p in photos if p.context] == ["post 4211", "post 4212"]
    assert all(p.context and p.context.link is None for p in photos)


def test_albums_share_their_text_and_separate_posts_keep_their_own(tmp_path: Path) -> None:
    posts = [
        message(1, "Kharkiv, the market", photo="photos/1.jpg", media_group_id=77),
        message(2, "", photo="photos/2.jpg", media_group_id=77, date="2026-11-30T10:16:00"),  # album by its id
        message(3, "", photo="photos/3.jpg", date="2026-11-30T10:17:00"),
        message(4, "Odesa port", photo="photos/4.jpg", date="2026-11-30T10:18:00"),  # another minute: own post
        message(5, "Lviv station", photo="photos/5.jpg", date="2026-11-30T10:19:00"),
        message(6, "Dnipro bridge", photo="photos/6.jpg", date="2026-11-30T10:19:00"),  # both have text
        message(7, "", photo="photos/7.jpg", date="2026-11-30T10:20:00"),
        message(8, "Poltava, the square", photo="photos/8.jpg", date="2026-11-30T10:20:00"),  # as Desktop writes
    ]
    photos = read_export(str(telegram_export(tmp_path / "e", posts))).photos
    assert [(p.context.source, p.context.text) for p in photos if p.context] == [
        ("post 1", "Kharkiv, the market"),
        ("post 2, album text from post 1", "Kharkiv, the market"),
        ("post 3", ""),
        ("post 4", "Odesa port"),
        ("post 5", "Lviv station"),
        ("post 6", "Dnipro bridge"),
        ("post 7, album text from post 8", "Poltava, the square"),
        ("post 8", "Poltava, the square"),
    ]


def test_text_entities_are_joined() -> None:
    assert (
        post_text(["Удар по ", {"type": "hashtag", "text": "#Харків"}, " ", {"type": "bold"}, 7]) == "Удар по #Харків "
    )
    assert post_text(None) == "" and post_text("plain") == "plain"


def test_a_link_hidden_behind_words_gives_its_coordinates(tmp_path: Path) -> None:
    # channels hide a geolocation's map link behind a word; Yandex writes longitude first
    link = "https://yandex.ru/maps/?pt=37.9940%2C48.5921&z=16"
    text = [
        "Позиції ворога. ",
        {"type": "text_link", "text": "Геолокація", "href": link},
        " ",
        {"type": "text_link", "text": "x", "href": "javascript:alert(1)"},
    ]
    export = telegram_export(tmp_path / "export", [message(4301, text, photo="photos/photo_1@30-11-2026_10-15-00.jpg")])
    (photo,) = read_export(str(export)).photos
    assert photo.context is not None and photo.context.text == f"Позиції ворога. Геолокація ({link}) x"
    ((lat, lon),) = text_coordinates(photo.context.text)
    assert haversine_km(lat, lon, 48.5921, 37.9940) < 0.1


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"<html><body>Telegram</body></html>", "not a Telegram export: result.json is not JSON (line 1)"),
        (
            b'{"about": "an account export without chats"}',
            "not a Telegram Desktop export (result.json holds no messages)",
        ),
        (b'{"name": "\xff"}', "not a Telegram export: result.json is not UTF-8 JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not a Telegram export: result.json is nested too deeply"),
    ],
)
def test_an_export_that_is_not_one_is_one_line_and_the_run_goes_on(
    tmp_path: Path, cache: Path, content: bytes, problem: str
) -> None:
    broken = tmp_path / "ChatExport_broken"
    broken.mkdir()
    (broken / "result.json").write_bytes(content)
    good = telegram_export(tmp_path / "ChatExport_good", POSTS[1:2])
    result = _locate(str(broken), str(good), "--jsonl", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert [ln for ln in result.stderr.splitlines() if not ln.startswith("wrote ")] == [
        f"geoloc: {broken / 'result.json'}: {problem}"
    ]
    assert [json.loads(ln)["context"]["source"] for ln in result.stdout.splitlines()] == ["post 4211"]


def test_an_html_export_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "ChatExport_html").mkdir()
    (tmp_path / "ChatExport_html" / "messages.html").write_text("<html></html>")
    result = _locate(str(tmp_path / "ChatExport_html"))
    assert result.exit_code == 1
    assert "a Telegram export in HTML, which geoloc does not read: export again as JSON" in result.stderr


def test_media_paths_cannot_leave_the_export(tmp_path: Path) -> None:
    posts = [message(1, "Kharkiv", photo="../../etc/passwd"), message(2, "Kharkiv", file="/etc/hostname",
                                                                       mime_type="image/jpeg")]  # fmt: skip
    export = read_export(str(telegram_export(tmp_path / "e", posts)))
    assert export.photos == []
    assert [n.split(": ", 2)[1:] for n in export.notes] == [
        ["post 1", "media path '../../etc/passwd' leads out of the export; skipped"],
        ["post 2", "media path '/etc/hostname' leads out of the export; skipped"],
    ]


def test_a_10000_post_export_is_listed_in_bounded_time_and_memory(tmp_path: Path) -> None:
    posts = [
        message(i, f"Пост {i}: ранок у Харкові, черга по воду біля ринку.", photo=f"photos/photo_{i}.jpg",
                date=f"2026-11-{1 + i // 1000:02d}T10:{i % 60:02d}:00", reactions=[{"emoji": "👍", "count": i}])
        for i in range(1, 10_001)
    ]  # fmt: skip
    folder = tmp_path / "big"
    (folder / "photos").mkdir(parents=True)
    (folder / "result.json").write_text(
        json.dumps({"name": "Big", "type": "public_channel", "id": 1, "messages": posts})
    )
    size_mb = (folder / "result.json").stat().st_size / 2**20
    started = time.monotonic()
    with bounded(seconds=60, memory=1 << 30), expanded([str(folder)]) as inputs:
        assert len(inputs.photos) == 10_000
    print(f"10,000 posts, {size_mb:.1f} MB of result.json listed in {time.monotonic() - started:.2f} s")
