"""The observation cache: keys, atomic entries, damaged entries, and ``geoloc cache``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from geoloc import __version__
from geoloc.cache import CACHEDIR_TAG, ObservationCache, clear_all, code_fingerprint, file_digest, reader_fingerprint
from geoloc.cli.main import cli
from geoloc.common.paths import cache_root
from geoloc.errors import GeolocError
from geoloc.model import GPS, Location, Metadata, TextSpan

SPANS = [
    TextSpan("Чернігів", 91.25, (10, 20, 300, 40), line=0, region=1, lang="ukr+rus+bel"),
    TextSpan("Chernihiv 25", 88.0, (12, 70, 280, 30), line=1, region=1, lang="eng"),
]
META = Metadata(
    gps=GPS(
        51.4982,
        31.2893,
        altitude_m=130.5,
        direction_deg=270.0,
        timestamp="2022-03-01T10:00:00Z",
        datum="WGS-84",
        source="exif",
    ),
    location=Location(
        city="Chernihiv", state="Chernihiv Oblast", country="Ukraine", country_code="UA", source="xmp+iptc"
    ),
    camera={"make": "Canon", "model": "EOS 5D"},
    warnings=("GPSAltitude 1/0 is undefined",),
)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(root))
    return root


def test_records_round_trip_through_dicts() -> None:
    for span in SPANS:
        assert TextSpan.from_dict(asdict(span)) == span
        again = TextSpan.from_dict(span.to_dict())  # the report's form: rounded, no lang
        assert (again.text, again.box, again.line, again.region) == (span.text, span.box, span.line, span.region)
    assert Metadata.from_dict(META.to_dict()) == META
    assert Metadata.from_dict(Metadata().to_dict()) == Metadata()
    assert GPS.from_dict(META.gps.to_dict()) == META.gps
    assert Location.from_dict(META.location.to_dict()) == META.location
    # JSON turns tuples into lists: the rebuilt records must still compare equal
    assert Metadata.from_dict(json.loads(json.dumps(META.to_dict()))) == META


def test_cache_root_follows_the_environment(cache_dir: Path) -> None:
    assert cache_root() == cache_dir
    assert ObservationCache().directory == cache_dir / "observations"


def test_key_depends_on_bytes_languages_and_version(tmp_path: Path, monkeypatch) -> None:
    a, b, c = tmp_path / "a.jpg", tmp_path / "b.jpg", tmp_path / "c.jpg"
    a.write_bytes(b"\xff\xd8same bytes")
    b.write_bytes(b"\xff\xd8same bytes")
    c.write_bytes(b"\xff\xd8same bytez")
    cache = ObservationCache(tmp_path / "obs")
    assert file_digest(a) == file_digest(b) != file_digest(c)
    ka = cache.key(file_digest(a), "eng+ukr")
    assert ka == cache.key(file_digest(b), "eng+ukr")  # a renamed copy is a hit
    assert ka != cache.key(file_digest(c), "eng+ukr")  # an edited photo is not
    assert ka != cache.key(file_digest(a), "eng")  # other OCR languages read other text
    monkeypatch.setattr("geoloc.cache.__version__", __version__ + ".post1")
    assert ka != cache.key(file_digest(a), "eng+ukr")  # a new geoloc may read differently


def test_the_reader_fingerprint_follows_only_the_reading_code(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    for folder in ("cli", "read/ocr", "infer", "common"):
        (pkg / folder).mkdir(parents=True)
    (pkg / "read" / "ocr" / "reader.py").write_text("THRESHOLD = 0.5\n")
    (pkg / "common" / "photo.py").write_text("MAX_PIXELS = 1\n")
    (pkg / "cli" / "locate.py").write_text("HELP = 'old'\n")
    (pkg / "infer" / "estimate.py").write_text("CONFLICT_KM = 50\n")
    before = code_fingerprint(pkg)
    (pkg / "cli" / "locate.py").write_text("HELP = 'new'\n")
    (pkg / "infer" / "estimate.py").write_text("CONFLICT_KM = 40\n")
    assert code_fingerprint(pkg) == before  # the CLI and inference do not change what is read
    (pkg / "read" / "ocr" / "reader.py").write_text("THRESHOLD = 0.6\n")
    after_ocr = code_fingerprint(pkg)
    assert after_ocr != before  # the OCR code does
    (pkg / "common" / "photo.py").write_text("MAX_PIXELS = 2\n")
    assert code_fingerprint(pkg) != after_ocr  # and so does the photo loader
    assert "tesseract-" in reader_fingerprint()


def test_put_then_get_returns_the_same_observation(cache_dir: Path) -> None:
    cache = ObservationCache()
    key = cache.key("0" * 64, "eng")
    assert cache.get(key) is None
    cache.put(key, SPANS, META)
    assert cache.get(key) == (SPANS, META)
    assert (cache_dir / "CACHEDIR.TAG").read_text() == CACHEDIR_TAG
    assert not list(cache.directory.rglob("*.part"))  # atomic: no temporary file left behind
    assert cache.info().entries == 1 and cache.info().size_bytes > 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # cut short
        lambda p: p.write_bytes(b"\x00\xff garbage"),
        lambda p: p.write_text(json.dumps({"key": "another", "texts": [], "metadata": {}})),
        lambda p: p.write_text(json.dumps({"key": p.stem, "texts": [{"text": "x"}], "metadata": {}})),
        lambda p: p.write_text(json.dumps({"key": p.stem, "texts": "nope", "metadata": None})),
        lambda p: p.write_text("[]"),
    ],
)
def test_a_damaged_entry_is_a_miss_and_is_rewritten(cache_dir: Path, damage) -> None:
    cache = ObservationCache()
    key = cache.key("1" * 64, "eng")
    cache.put(key, SPANS, META)
    entry = next(cache.directory.rglob(f"{key}.json"))
    damage(entry)
    assert cache.get(key) is None
    cache.put(key, SPANS, META)
    assert cache.get(key) == (SPANS, META)


def test_an_unwritable_cache_raises_a_geoloc_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(GeolocError):
        ObservationCache(blocker / "obs").put("ab" * 32, SPANS, META)


def test_cache_cli_info_and_clear(cache_dir: Path) -> None:
    cache = ObservationCache()
    for i in range(3):
        cache.put(cache.key(str(i) * 64, "eng"), SPANS, META)
    other = cache_dir / "gazetteer"
    other.mkdir()
    (other / "index.sqlite").write_bytes(b"x" * 2048)
    runner = CliRunner()

    out = runner.invoke(cli, ["cache", "info"])
    assert out.exit_code == 0, out.output
    assert str(cache_dir) in out.output
    assert "observations: 3 photos" in out.output
    assert "gazetteer: 1 file, 2.0 KB" in out.output

    out = runner.invoke(cli, ["cache", "clear"])
    assert out.exit_code == 0 and "removed 3" in out.output
    assert cache.info().entries == 0
    assert (other / "index.sqlite").exists()  # other components' caches are left alone

    out = runner.invoke(cli, ["cache", "clear", "--all"])
    assert out.exit_code == 0, out.output
    assert cache_dir.exists() and not any(cache_dir.iterdir())


def test_clear_all_refuses_a_folder_geoloc_did_not_make(tmp_path: Path, monkeypatch) -> None:
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    monkeypatch.setenv("GEOLOC_CACHE_DIR", str(precious))
    with pytest.raises(GeolocError, match="CACHEDIR.TAG"):
        clear_all()
    out = CliRunner().invoke(cli, ["cache", "clear", "--all"])
    assert out.exit_code == 1
    assert (precious / "thesis.tex").exists()
