"""Cells of the Markdown tables the benchmarks print."""

from __future__ import annotations


def share(n: int, of: int) -> str:
    """ "n/of (pct)", the count beside its share, so a table shows how few cases a rate rests on."""
    return f"{n}/{of} ({n / of:.0%})" if of else "—"
