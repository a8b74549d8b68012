"""Reading the caption or article file: bounded whatever the file, linear however many names."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest

from geoloc.errors import ContextError
from geoloc.infer import resolve_context
from geoloc.places import get_gazetteer
from geoloc.read.context import MAX_CONTEXT_BYTES, read_context_file
from geoloc.read.mentions import MAX_CONTEXT_MENTIONS, context_facts


def test_a_caption_is_read_whole_and_invalid_bytes_become_replacement_characters(tmp_path: Path) -> None:
    f = tmp_path / "caption.txt"
    f.write_bytes("Фото зроблено під Черніговом.\n".encode() + b"\xff\xfe end")
    text = read_context_file(f)
    assert text.startswith("Фото зроблено під Черніговом.") and "\ufffd" in text and text.endswith(" end")


def test_an_endless_file_is_cut_at_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"Kyiv. " * (MAX_CONTEXT_BYTES // 3))
    assert len(read_context_file(big)) == MAX_CONTEXT_BYTES
    started = time.monotonic()
    assert len(read_context_file("/dev/zero")) == MAX_CONTEXT_BYTES  # never ends by itself
    assert time.monotonic() - started < 5


def test_a_fifo_is_read_like_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "caption.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as fh:
            fh.write(b"near the border with Belarus")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    assert read_context_file(fifo) == "near the border with Belarus"
    writer.join(5)


def test_a_missing_context_is_one_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ContextError) as err:
        read_context_file(tmp_path / "nope.txt")
    assert "nope.txt" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.slow
def test_random_bytes_as_context_are_parsed_and_resolved_in_bounded_time(tmp_path: Path) -> None:
    # 1 MiB of random bytes holds ~20,000 capitalised "phrases"; looking each up and scoring it
    # against every place found before took minutes (quadratic).
    f = tmp_path / "noise.bin"
    f.write_bytes(random.Random(5).randbytes(MAX_CONTEXT_BYTES))
    started = time.monotonic()
    facts = context_facts(read_context_file(f))
    assert len(facts.mentions) == MAX_CONTEXT_MENTIONS
    resolve_context(facts, get_gazetteer())
    assert time.monotonic() - started < 10


@pytest.mark.slow
def test_a_megabyte_of_caption_prose_is_read_in_bounded_time() -> None:
    # A long article repeats its words: each capitalised word before a small one is parsed as a
    # town's adjective, a plain adjective and an institution's ("Харкові та", "Центральний ринок"),
    # which without the parses kept took 12 s a megabyte.
    text = ("Вибухи у Харкові та Сумах, Pokrovsk direction. Центральний ринок і Одесский оперный театр. " * 12000)[
        :MAX_CONTEXT_BYTES
    ]
    started = time.monotonic()
    facts = context_facts(text)
    assert {"Харкові", "Сумах", "Pokrovsk"} <= {m.readings[0] for m in facts.mentions}
    assert time.monotonic() - started < 10


@pytest.mark.slow
def test_long_cyrillic_words_as_context_are_read_and_placed_in_bounded_time(tmp_path: Path) -> None:
    # Words of a thousand letters: a test of the whole text's spelling that scanned the rest of
    # it from every letter took half a minute for 50 KB (quadratic), and each vowel of a word
    # ending as a Russian village name does was one more lookup of its Ukrainian spelling.
    from geoloc.model import PhotoReport
    from geoloc.pipeline import Settings, conclude

    f = tmp_path / "words.txt"
    words = ("Бои за Ко" + "ло" * 1500 + "вка. ") * 3 + "Бои за " + ("Абвгд" * 200 + "ое ") * 200
    f.write_text(words, encoding="utf-8")
    started = time.monotonic()
    conclude(PhotoReport(path="photo.jpg"), Settings(context_text=read_context_file(f)))
    assert time.monotonic() - started < 10


@pytest.mark.slow
def test_names_after_a_location_word_read_word_by_word_take_bounded_time(monkeypatch) -> None:
    # A stranger's text of many "в <Town> <Name> <Name> <Name>" phrases that name nothing: each
    # one's leading words are a dozen lookups more; only the first few phrases' are read, so the
    # text takes about as long as when none are.
    from geoloc.infer import choice
    from geoloc.model import PhotoReport
    from geoloc.pipeline import Settings, conclude

    rng = random.Random(3)

    def word() -> str:
        return "".join(rng.choice("абвгдежзиклмнопрстуфхцчшщ") for _ in range(rng.randint(5, 9))).capitalize()

    text = " ".join(f"Бои в {word()}ске {word()}ом {word()}ой {word()}ах." for _ in range(600))
    conclude(PhotoReport(path="photo.jpg"), Settings(context_text=text[:2000]))  # dictionaries and gazetteer loaded
    seconds = []
    for settled in (0, choice.MAX_SETTLED):  # the text's words' forms are remembered from the first run
        monkeypatch.setattr(choice, "MAX_SETTLED", settled)
        started = time.monotonic()
        conclude(PhotoReport(path="photo.jpg"), Settings(context_text=text))
        seconds.append(time.monotonic() - started)
    assert seconds[1] < 1.5 * seconds[0] + 1.0, seconds
