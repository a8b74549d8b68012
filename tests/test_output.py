"""Atomic writes: the whole file or the old one, with ordinary permissions."""

import os
import stat

import pytest

from geoloc.common.files import atomic_write_text
from geoloc.errors import OutputError


def test_writes_whole_file_with_umask_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        p = atomic_write_text(tmp_path / "sub" / "map.html", "<html>ü</html>")
    finally:
        os.umask(old)
    assert p.read_text(encoding="utf-8") == "<html>ü</html>"
    assert stat.S_IMODE(p.stat().st_mode) == 0o644
    assert [f.name for f in p.parent.iterdir()] == ["map.html"]  # no temporary file left


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["report.json"]
