"""The first line a benchmark prints: the machine, the date and the command that made its tables.

RESULTS.md keeps each table with this line, so a figure can be re-made and compared on the same
kind of machine.
"""

from __future__ import annotations

import os
import platform
import shlex
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def header_line(extra: str = "") -> str:
    """ "machine: ...; date ...; command: ..." for the running script; ``extra`` adds to the machine
    (", tesseract 5.3.0"). The command is written as run from the repository, with the thread
    limit when one was set (it changes the speed figures)."""
    script = Path(sys.argv[0]).resolve()
    shown = script.relative_to(ROOT) if script.is_relative_to(ROOT) else Path(script.name)
    env = f"OMP_THREAD_LIMIT={os.environ['OMP_THREAD_LIMIT']} " if "OMP_THREAD_LIMIT" in os.environ else ""
    command = f"{env}python {shlex.join([str(shown), *sys.argv[1:]])}"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}{extra}"
    return f"machine: {machine}; date {time.strftime('%Y-%m-%d %H:%M')}; command: {command}"
