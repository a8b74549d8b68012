"""``geoloc summarize``: an archive run's outputs checked at a glance (counts, gaps, failures)."""

from __future__ import annotations

import click

from geoloc.common.text import printable
from geoloc.render.jsontext import dumps
from geoloc.summary import CONFIDENCE_BANDS, Summary, summarize

from .options import EXIT_OK, EXIT_SOME_FAILED, json_flag, report_error, setup_logging, verbosity


def _count_lines(counts: list[tuple[str, int]]) -> list[str]:
    """Aligned ``name  count`` lines, names made printable (they came from files)."""
    names = [printable(name) for name, _ in counts]
    width = max((len(n) for n in names), default=0)
    return [f"  {name:<{width}}  {n:>7,}" for name, (_, n) in zip(names, counts, strict=True)]


def summary_text(s: Summary) -> str:
    """The summary a person reads; every name and path from the files made printable."""
    lines = [
        f"{s.photos:,} photos in {s.files} file{'s' * (s.files != 1)}: {s.located:,} located, "
        f"{s.without_evidence:,} without location evidence, {s.failed:,} failed"
    ]
    if s.located:
        lines.append("by country:")
        lines += _count_lines([(cc or "(none: at sea or unknown)", n) for cc, n in s.countries.most_common()])
        lines.append("by admin-1 region:")
        lines += _count_lines(
            [(f"{cc or '--'}  {region or '(no region named)'}", n) for (cc, region), n in s.regions.most_common()]
        )
        lines.append("by confidence:")
        lines += _count_lines([(label, s.bands[label]) for _, label in CONFIDENCE_BANDS])
    if s.without_evidence:
        lines.append("without location evidence:")
        lines += [f"  {printable(path)}" for path in s.without_evidence_listed]
        if s.without_evidence > len(s.without_evidence_listed):
            lines.append(f"  ... and {s.without_evidence - len(s.without_evidence_listed):,} more")
    if s.failed:
        lines.append("failed:")
        lines += [f"  {printable(path)}: {printable(error)}" for path, error in s.failed_listed]
        if s.failed > len(s.failed_listed):
            lines.append(f"  ... and {s.failed - len(s.failed_listed):,} more")
    return "\n".join(lines)


@click.command("summarize")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str, allow_dash=True))
@json_flag
@verbosity
def command(files: tuple[str, ...], as_json: bool, verbose: int, quiet: int) -> None:
    """Count what geoloc found in its output FILEs: JSON reports, JSONL streams, Parquet files.

    Prints the photos per country and per admin-1 region (of each estimate's best candidate), per
    confidence band, and lists the photos without location evidence and those that failed. A
    line or file that cannot be read is named on stderr and the rest is read. - reads stdin.

    \b
    Examples:
      geoloc summarize run.jsonl
      geoloc locate photos/ --jsonl | geoloc summarize -
      geoloc summarize day1.jsonl day2.parquet report.json --json

    Exit status: 0 every file read whole, 1 some lines or files could not be read, 2 bad usage.
    """
    setup_logging(verbose, quiet)
    summary = summarize(files, report_error)
    click.echo(dumps(summary.to_dict(), indent=2) if as_json else summary_text(summary))
    raise SystemExit(EXIT_SOME_FAILED if summary.problems else EXIT_OK)
