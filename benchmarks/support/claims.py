"""What the benchmarks count alike: the confidences that make an answer, and the seeds they draw from.

Every benchmark that judges estimates counts them at the same two levels, so that its figures can
be read beside the others', and takes its seeds on the command line the same way.
"""

from __future__ import annotations

import argparse

CLAIM_CONF = 0.3
"""Confidence from which an estimate is an answer a reader may act on (distractors must give none)."""
CONFIDENT = 0.5
"""The confidence the README tells readers to treat as an answer rather than a lead: wrong above it
is the costly error."""
LEVELS = (CLAIM_CONF, CONFIDENT)
"""The levels the tables count estimates at."""


def seed_list(text: str) -> list[int]:
    """``--seeds`` as argparse reads it: "1,2,3" -> [1, 2, 3]. No seed, or one that is not a whole
    number, is a usage error, not an empty table."""
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"seeds are comma-separated whole numbers, not {text!r}") from None
    if not seeds:
        raise argparse.ArgumentTypeError("give at least one seed")
    return seeds


def add_seeds(ap: argparse.ArgumentParser, default: str = "1,2,3", note: str = "") -> None:
    """The ``--seeds`` option; ``args.seeds`` is then a list of ints (the default parsed too)."""
    ap.add_argument("--seeds", type=seed_list, default=default, help=f"comma-separated seeds (default {default}{note})")
