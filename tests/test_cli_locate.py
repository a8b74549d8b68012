"""``geoloc locate`` as a user runs it: exit codes, --jsonl, --jobs, the cache, Ctrl-C, --offline."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import socket
import struct
import subprocess
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoloc.cli.main import cli
from tests.support.limits import GEOLOC, as_a_terminal_job, first_line, write_copies, write_sign_photos


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six sign photos and one broken file, named so that the broken one comes third."""
    folder = tmp_path_factory.mktemp("photos")
    write_sign_photos(folder, seed=200)
    (folder / "01b_broken.jpg").write_bytes(b"GIF89a, or so it claims")
    return folder


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One observation cache for the module's runs (the gazetteer's own cache stays where it is)."""
    root = tmp_path_factory.getbasetemp() / "cli-cache"
    monkeypatch.setattr("geoloc.cache.cache_root", lambda: root)
    return root


CTRL_C_COPIES = 4
"""Copies of the folder's files in the Ctrl-C test (read again each time: no cache)."""


def _run(*args: str):
    return CliRunner().invoke(cli, ["locate", *args], catch_exceptions=False)


def _photos(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.iterdir())


def test_jsonl_streams_one_line_per_photo_in_input_order(folder, cache, tmp_path) -> None:
    result = _run(str(folder), "--jsonl", "--jobs", "2", "--map", str(tmp_path / "m.html"))
    assert result.exit_code == 1  # one photo failed
    lines = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert [ln["path"] for ln in lines] == _photos(folder)
    broken = lines[2]
    assert broken["errors"] and "not an image" in broken["errors"][0] and broken["estimate"] is None
    good = [ln for ln in lines if not ln["errors"]]
    assert len(good) == 6 and all(ln["texts"] for ln in good)
    assert f"geoloc: {folder}/01b_broken.jpg: not an image" in result.stderr
    assert f"wrote {tmp_path / 'm.html'}" in result.stderr  # stdout holds only the JSON lines


def test_one_and_two_jobs_write_the_same_report(folder, cache, tmp_path) -> None:
    photos = _photos(folder)[:4]
    one = _run(
        *photos, "--jobs", "1", "--no-cache", "--report", str(tmp_path / "1.json"), "--map", str(tmp_path / "1.html")
    )
    two = _run(
        *photos, "--jobs", "2", "--no-cache", "--report", str(tmp_path / "2.json"), "--map", str(tmp_path / "2.html")
    )
    assert one.exit_code == two.exit_code == 1
    summary = [ln for ln in one.stdout.splitlines() if not ln.startswith("wrote ")]
    assert summary == [ln for ln in two.stdout.splitlines() if not ln.startswith("wrote ")]
    assert summary[0].startswith(photos[0] + ": ")  # the summary, in input order
    assert json.loads((tmp_path / "1.json").read_text()) == json.loads((tmp_path / "2.json").read_text())
    assert not list(tmp_path.glob(".*.part"))


def test_all_good_photos_exit_0_and_a_rerun_reads_nothing_again(folder, cache, tmp_path, monkeypatch) -> None:
    photos = [p for p in _photos(folder) if "broken" not in p][:3]
    first = _run(*photos, "--json", "--map", str(tmp_path / "a.html"))
    assert first.exit_code == 0, first.stderr

    def no_reading(path, settings):
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr("geoloc.batch.observe", no_reading)  # --timeout 0: read in this process, where it is patched
    again = _run(
        *photos, "--json", "--jobs", "1", "--timeout", "0", "--country", "UA", "--map", str(tmp_path / "b.html")
    )
    assert again.exit_code == 0, again.stderr
    assert [p["texts"] for p in json.loads(again.stdout)["photos"]] == [
        p["texts"] for p in json.loads(first.stdout)["photos"]
    ]
    nocache = _run(photos[0], "--no-cache", "--jobs", "1", "--timeout", "0", "--map", str(tmp_path / "c.html"))
    assert nocache.exit_code == 1 and "was read again" in nocache.stderr  # --no-cache reads


@pytest.mark.parametrize(
    "args, words",
    [
        (["--json", "--jsonl"], "choose one"),
        (["--jobs", "0"], "--jobs"),
        (["--near", "north"], "LAT,LON"),
    ],
)
def test_bad_usage_exits_2(folder, args, words) -> None:
    result = CliRunner().invoke(cli, ["locate", str(folder), *args])
    assert result.exit_code == 2
    assert words in result.stderr


def test_a_folder_without_photos_is_bad_usage(tmp_path) -> None:
    (tmp_path / "readme.txt").write_text("no photos here")
    result = CliRunner().invoke(cli, ["locate", str(tmp_path)])
    assert result.exit_code == 2 and "no photos found" in result.stderr


def test_only_broken_photos_exit_1_with_one_line_each(tmp_path) -> None:
    (tmp_path / "a.jpg").write_bytes(b"")
    (tmp_path / "b.png").write_text("text")
    result = CliRunner().invoke(
        cli, ["locate", str(tmp_path / "a.jpg"), str(tmp_path / "b.png"), str(tmp_path / "missing.jpg")]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"geoloc: {tmp_path}/a.jpg: not an image (empty file)",
        f"geoloc: {tmp_path}/b.png: not an image (unknown or unsupported format)",
        f"geoloc: {tmp_path}/missing.jpg: no such file",
    ]
    assert result.stdout == ""


def test_offline_opens_no_socket(folder, tmp_path, monkeypatch) -> None:
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during an --offline run")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    with pytest.raises(OSError):  # the guard is really in place
        socket.create_connection(("127.0.0.1", 9))
    attempts.clear()
    photo = str(folder / "00_Chernihiv.jpg")
    in_process = ["--jobs", "1", "--timeout", "0"]  # the photo is read here, where sockets are refused
    result = _run(photo, "--offline", *in_process, "--no-cache", "--json", "--map", str(tmp_path / "offline.html"))
    assert result.exit_code == 0, result.stderr
    assert attempts == []
    data = json.loads(result.stdout)
    assert data["photos"][0]["texts"]  # the photo was really read and located
    assert (tmp_path / "offline.html").stat().st_size > 0


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_keeps_lines_and_writes_whole_outputs(folder, tmp_path) -> None:
    # Enough photos that Ctrl-C comes while most are still to read, however slowly the worker
    # holding the first photo starts on a loaded machine.
    many = write_copies(sorted(folder.iterdir()), tmp_path / "many", CTRL_C_COPIES)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            *GEOLOC,
            "locate",
            str(many),
            "--jsonl",
            "--jobs",
            "2",
            "--no-cache",
            "--report",
            str(out / "report.json"),
            "--map",
            str(out / "map.html"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=as_a_terminal_job,
    )
    try:
        first = first_line(proc, timeout=240)
        assert b"\n" in first, proc.stderr.read().decode() if proc.poll() is not None else "no line"
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
        rest, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()
    lines = [json.loads(ln) for ln in (first + rest).decode().splitlines()]
    photos = _photos(many)
    assert 1 <= len(lines) < len(photos)
    assert [ln["path"] for ln in lines] == photos[: len(lines)]
    assert b"interrupted after" in err and b"Traceback" not in err
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    done = [p["path"] for p in report["photos"]]
    assert done == [p for p in photos[: len(done)] if "broken" not in p]
    assert len(done) >= len([ln for ln in lines if not ln["errors"]])
    assert (out / "map.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not [p.name for p in out.iterdir() if p.name.endswith(".part")]


def _stderr_on_a_terminal(args: list[str]) -> str:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen([*GEOLOC, *args], stdout=subprocess.DEVNULL, stderr=terminal)
    os.close(terminal)
    chunks = []
    while True:
        try:
            ready, _, _ = select.select([controller], [], [], 60)
            if not ready:
                break
            data = os.read(controller, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(controller)
    return b"".join(chunks).decode(errors="replace")


def test_progress_bar_only_on_a_terminal_and_not_with_q(tmp_path) -> None:
    for i in range(3):
        (tmp_path / f"{i}.jpg").write_bytes(b"")
    bar = _stderr_on_a_terminal(["locate", str(tmp_path), "--no-cache"])
    assert "/3 [" in bar and "photo" in bar  # tqdm's "n/3 [elapsed, rate photo/s]"
    assert bar.count("not an image (empty file)") == 3
    quiet = _stderr_on_a_terminal(["locate", str(tmp_path), "--no-cache", "-q"])
    assert "/3 [" not in quiet and quiet.count("not an image (empty file)") == 3
    piped = CliRunner().invoke(cli, ["locate", str(tmp_path), "--no-cache"])
    assert "/3 [" not in piped.stderr


def test_the_headline_follows_the_gps_not_a_caption_region_far_from_it(tmp_path: Path) -> None:
    import io

    from PIL import Image

    img = Image.open(Path(__file__).resolve().parents[1] / "images" / "no_text.jpg")
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "E", 4: (31.0, 18.0, 0.0)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    photo = tmp_path / "gps.jpg"
    photo.write_bytes(buf.getvalue())
    caption = tmp_path / "caption.txt"
    caption.write_text("Photo taken in the Bryansk region.", encoding="utf-8")
    res = _run(str(photo), "--context", str(caption), "--offline", "--no-cache", "--map", str(tmp_path / "m.html"))
    headline = res.output.splitlines()[0]
    assert "GPS position" in headline and "Bryansk" not in headline, res.output
    assert "conflict: caption 'Bryansk" in res.output


def test_resume_appends_each_line_and_a_rerun_skips_what_is_written(tmp_path: Path, cache: Path) -> None:
    from tests.support.published import message, telegram_export

    posts = [
        message(1, "Харків, ринок", photo="photos/1.jpg"),
        message(2, "Sumy station", photo="photos/2.jpg", date="2026-11-30T11:00:00"),
        message(3, "Chernihiv, the old town", photo="photos/missing_3.jpg", date="2026-11-30T12:00:00"),
    ]
    export = telegram_export(tmp_path / "ChatExport", posts)
    out = tmp_path / "channel.jsonl"
    args = [str(export), "--resume", str(out), "--offline", "--jobs", "1", "--timeout", "0"]
    first = _run(*args, "--map", str(tmp_path / "1.html"))
    assert first.exit_code == 1  # post 3's photo is missing: a line with its error
    lines = out.read_bytes().splitlines(keepends=True)
    assert [json.loads(ln)["context"]["source"] for ln in lines] == ["post 1", "post 2", "post 3"]
    assert json.loads(lines[2])["errors"] == ["no such file"]

    cut = lines[0] + lines[1][: len(lines[1]) // 2]  # a run killed while writing its second line
    out.write_bytes(cut)
    second = _run(*args, "--map", str(tmp_path / "2.html"))
    assert f"geoloc: {out}: 1 of 3 photos already there; skipped" in second.stderr
    written = out.read_bytes()
    assert written.startswith(cut + b"\n")  # nothing written before is lost or rewritten
    redone = [json.loads(ln) for ln in written[len(cut) + 1 :].splitlines()]
    assert [(r["context"]["source"], bool(r["errors"])) for r in redone] == [("post 2", False), ("post 3", True)]

    shutil.copyfile(export / "photos" / "1.jpg", export / "photos" / "missing_3.jpg")  # the photo turned up
    third = _run(*args, "--map", str(tmp_path / "3.html"))
    assert third.exit_code == 0, third.stderr
    assert f"geoloc: {out}: 2 of 3 photos already there; skipped" in third.stderr
    last = json.loads(out.read_bytes().splitlines()[-1])
    assert last["context"]["source"] == "post 3" and not last["errors"] and last["estimate"] is not None
    fourth = _run(*args, "--map", str(tmp_path / "4.html"))
    assert fourth.exit_code == 0 and f"{out}: 3 of 3 photos already there; skipped" in fourth.stderr
    assert not (tmp_path / "4.html").exists()  # nothing left to do: nothing read, nothing written


def test_resume_refuses_stdout_and_an_input(tmp_path: Path) -> None:
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"")
    for target, words in (("-", "--resume needs a file"), (str(photo), "--resume would overwrite this input")):
        result = CliRunner().invoke(cli, ["locate", str(photo), "--resume", target])
        assert result.exit_code == 2 and words in result.stderr, result.stderr
    assert photo.read_bytes() == b""


def test_context_file_is_for_photos_named_and_pages_keep_their_captions(tmp_path: Path, cache: Path) -> None:
    from tests.support.published import FIGURES, blank_photo, saved_page

    page = saved_page(tmp_path / "saved", figures=FIGURES[:1])  # its caption names Chernihiv
    photo = blank_photo(tmp_path / "loose.jpg", seed=7)
    caption = tmp_path / "caption.txt"
    caption.write_text("Taken in Kharkiv on Tuesday.", encoding="utf-8")
    result = _run(
        str(photo), str(page), "--context", str(caption), "--offline", "--json", "--map", str(tmp_path / "m.html")
    )
    assert result.exit_code == 0, result.stderr
    loose, figure = json.loads(result.stdout)["photos"]
    assert loose["context"] == {
        "source": str(caption),
        "text": "Taken in Kharkiv on Tuesday.",
        "wider": "",
        "wider_source": "",
        "date": None,
        "link": None,
        "forwarded_from": None,
        "used": "text",
    }
    assert "Kharkiv" in loose["estimate"]["explanation"]
    assert figure["context"]["used"] == "text" and "Chernihiv" in figure["estimate"]["explanation"]
