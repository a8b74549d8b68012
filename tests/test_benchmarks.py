"""Every benchmark script starts and teaches its use (`--help`), from any working directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARK_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
BENCHMARKS = sorted(BENCHMARK_DIR.glob("*.py"))


def _run(script: Path, *args: str, cwd: Path) -> str:
    """A benchmark script's standard output, run from ``cwd`` (not the project root); it must succeed."""
    run = subprocess.run([sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    return run.stdout


def _rows_by_count(out: str) -> list[list[str]]:
    """The cells of a sign benchmark's table rows for signs of 2, 3 and 4 rows; all three must be there."""
    lines = [line for line in out.splitlines() if line[:4] in ("| 2 ", "| 3 ", "| 4 ")]
    assert len(lines) == 3, out
    return [[c.strip() for c in line.strip("|").split("|")] for line in lines]


def test_there_are_benchmarks() -> None:
    assert len(BENCHMARKS) >= 8


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_help_runs(script: Path, tmp_path: Path) -> None:
    out = _run(script, "--help", cwd=tmp_path)
    assert "usage:" in out and len(out) > 200  # says what it measures, not only its flags


@pytest.mark.slow
def test_ring_ceiling_tiny_run(tmp_path: Path) -> None:
    """The Bayes ceiling replays two scenes of each multi-destination kind and prints its table."""
    lines = _run(BENCHMARK_DIR / "ring_ceiling.py", "--per-kind", "2", "--seeds", "1", cwd=tmp_path).splitlines()
    top = lines.index(next(line for line in lines if line.startswith("| kind | scenes | **Bayes ceiling**")))
    header = [c.strip() for c in lines[top].strip("|").split("|")]
    geoloc_column = header.index(next(c for c in header if c.startswith("geoloc right")))
    for kind, line in zip(("distance_sign", "junction_sign"), lines[top + 2 : top + 4], strict=True):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert cells[:2] == [kind, "2"], line
        ceiling = float(cells[2].strip("*").split("%")[0])
        assert 0 < ceiling <= 100, line  # the best estimate's chance is a probability, and a sign says something
        assert cells[geoloc_column].endswith("/2)"), line  # geoloc's own answer on the same two scenes


@pytest.mark.slow
def test_chance_signs_tiny_run(tmp_path: Path) -> None:
    """Distance signs with numbers that are no distances: read and counted per number of rows."""
    out = _run(BENCHMARK_DIR / "chance_signs.py", "--per-kind", "6", "--seeds", "1", cwd=tmp_path)
    rows = _rows_by_count(out)
    for cells in rows:
        n = int(cells[1])
        stated = [int(cells[i].split()[0]) for i in (2, 4)]
        kept = [int(cells[i]) for i in (3, 5)]
        assert n >= stated[0] >= stated[1] and all(k <= s for k, s in zip(kept, stated, strict=True)), cells
    assert sum(int(cells[1]) for cells in rows) == 6
    assert "the same signs with their true distances: " in out and " of 6 (" in out


def test_common_names_tiny_run(tmp_path: Path) -> None:
    """Signs of common village names with random numbers: read and counted per number of rows."""
    out = _run(BENCHMARK_DIR / "common_names.py", "--signs", "6", "--seeds", "1", cwd=tmp_path)
    rows = _rows_by_count(out)
    for cells in rows:
        n, at3, at5 = int(cells[1]), int(cells[2].split()[0]), int(cells[3].split()[0])
        assert n >= at3 >= at5 >= 0, cells
    assert sum(int(cells[1]) for cells in rows) == 6


def _corpus(folder: Path, gold: list[tuple[str, float, float]]) -> Path:
    """A corpus in LGL's format: one article naming each toponym, with its gold point."""
    tops = "".join(
        f"<toponym><phrase>{name}</phrase><gaztag><lat>{lat}</lat><lon>{lon}</lon></gaztag></toponym>"
        for name, lat, lon in gold
    )
    folder.mkdir()
    path = folder / "lgl.xml"
    path.write_text(f"<articles><article><text>x</text><toponyms>{tops}</toponyms></article></articles>")
    return path


def test_namesake_exponent_fits_the_corpus(tmp_path: Path) -> None:
    """The exponent is the one the gold towns make likeliest: high when news names the largest of
    each name, none when it names smaller ones."""
    largest = [("Alexandria", 31.20, 29.92), ("Odesa", 46.48, 30.73), ("Paris", 48.85, 2.35)]
    smaller = [("Alexandria", 38.80, -77.05), ("Odesa", 31.87, -102.34), ("Paris", 33.66, -95.55)]

    def best(corpus: Path) -> float:
        out = _run(BENCHMARK_DIR / "namesake_exponent.py", "--corpus", str(corpus), cwd=tmp_path)
        row = next(line for line in out.splitlines() if line.startswith("| all |"))
        return float(row.split("|")[3])

    assert best(_corpus(tmp_path / "a", largest)) >= 1.0 and best(_corpus(tmp_path / "b", smaller)) < 0.5


def test_written_captions_run(tmp_path: Path) -> None:
    """The written captions: every language and set counted, in both modes, and the answers bounded."""
    out = _run(BENCHMARK_DIR / "written_captions.py", cwd=tmp_path)
    rows = [
        [c.strip() for c in line.strip("|").split("|")] for line in out.splitlines() if line.startswith("| geoloc |")
    ]
    sets = [r[1] for r in rows if r[2] == "all"]
    assert sets == [
        "captions",
        "variants",
        "fresh",
        "articles",
        "landmarks",
        "posts",
        "checks",
        "world",
        "addresses",
        "videos",
        "headlines",
        "mixed",
    ], out
    assert sum(int(r[3]) for r in rows if r[2] == "all") == 749
    for r in rows:
        n, made, right = int(r[3]), int(r[4]), int(r[5].split("/")[0])
        assert 0 <= made <= n and 0 <= right <= n, r
    assert "| no lemmas | captions | all | 150 |" in out


@pytest.mark.slow
def test_lookalike_letters_tiny_run(tmp_path: Path) -> None:
    """Four rendered Russian signs read: each Latin letter's count is the sum of what it stood for."""
    out = _run(BENCHMARK_DIR / "lookalike_letters.py", "--signs", "4", "--population", "100000-300000", cwd=tmp_path)
    assert "4 signs," in out, out
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines()[5:] if line.startswith("| ")]
    assert rows, out  # four clear signs give some Latin readings letter for letter
    for latin, times, stood in rows:
        assert int(times) == sum(int(part.rsplit(" ", 1)[1]) for part in stood.split(", ")), (latin, times, stood)


@pytest.mark.slow
def test_town_signs_tiny_run(tmp_path: Path) -> None:
    """Signs to the two largest towns of each style: read by photo and by a perfect reading, and counted."""
    out = _run(BENCHMARK_DIR / "town_signs.py", "--limit", "2", "--population", "100000-200000", cwd=tmp_path)
    lines = [line for line in out.splitlines() if line.startswith(("| ua ", "| ru ", "| all "))]
    assert [line.split("|")[1].strip() for line in lines] == ["ua", "ru", "all"], out
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        towns = int(cells[1])
        assert towns == (4 if cells[0] == "all" else 2), line
        found = [int(cells[i].split("/")[0]) for i in (2, 3)]
        assert all(0 <= f <= towns for f in found) and int(cells[5].split("/")[0]) <= towns - found[0], line
    # a town of 100,000-200,000 people, its name read perfectly, is found
    assert lines[-1].split("|")[4].strip().startswith(("3/4", "4/4")), out


@pytest.mark.parametrize("seeds", ["", " , ", "1,x"])
@pytest.mark.parametrize("script", [s for s in BENCHMARKS if "add_seeds(" in s.read_text()], ids=lambda p: p.name)
def test_seeds_that_are_no_seeds_are_a_usage_error(script: Path, seeds: str, tmp_path: Path) -> None:
    """No seed, or one that is not a number, stops the script with its usage line: never an empty table."""
    run = subprocess.run(
        [sys.executable, str(script), "--seeds", seeds], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2 and "--seeds" in run.stderr and "usage:" in run.stderr, run.stderr
