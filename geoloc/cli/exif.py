"""``geoloc exif``: what a photo's metadata says about where and when, read the way exiftool reads it."""

from __future__ import annotations

import click

from geoloc.common.text import decodable, printable
from geoloc.errors import GeolocError
from geoloc.model import Metadata
from geoloc.read.metadata import read_metadata
from geoloc.render.jsontext import dumps

from .options import EXIT_OK, EXIT_SOME_FAILED, json_flag, photos_argument, report_error, setup_logging, verbosity


def summary(path: str, md: Metadata) -> str:
    """The lines a person reads for one photo (every text from the file made printable)."""
    lines = [printable(path)]
    if md.gps:
        g = md.gps
        extra = []
        if g.altitude_m is not None:
            extra.append(f"altitude {g.altitude_m:.1f} m")
        if g.direction_deg is not None:
            north = {"T": " true", "M": " magnetic"}.get(g.direction_ref or "", "")
            extra.append(f"facing {g.direction_deg:.1f}°{north}")
        if g.timestamp:
            extra.append(printable(g.timestamp))
        if g.datum:
            extra.append(f"datum {printable(g.datum)}")
        lines.append(
            f"  GPS       {g.lat:.6f}, {g.lon:.6f} ({g.source.upper()})" + (f"  {', '.join(extra)}" if extra else "")
        )
    else:
        lines.append("  GPS       none")
    if md.location:
        loc = md.location
        parts = [p for p in (loc.sublocation, loc.city, loc.state, loc.country) if p]
        code = f" [{loc.country_code}]" if loc.country_code else ""
        lines.append(f"  Location  {printable(', '.join(parts))}{printable(code)} ({loc.source.upper()})")
    cam = md.camera
    if cam:
        who = " ".join(cam[k] for k in ("make", "model") if k in cam)
        when = cam.get("datetime_original", "")
        lines.append(
            f"  Camera    {printable(', '.join(x for x in (who, when) if x))}"
            + (f" (software: {printable(cam['software'])})" if "software" in cam else "")
        )
    for w in md.warnings:
        lines.append(f"  Warning   {printable(w)}")
    return "\n".join(lines)


@click.command("exif")
@photos_argument
@json_flag
@verbosity
def command(photos: tuple[str, ...], as_json: bool, verbose: int, quiet: int) -> None:
    """Show the GPS position, written location and camera details stored in photos.

    Reads EXIF GPS (hemisphere signs, altitude, direction, GPS time, datum), IPTC IIM and XMP
    location fields (Metadata Working Group precedence: XMP over IPTC when both exist and differ)
    from JPEG, PNG, TIFF, WebP, HEIC/HEIF/AVIF and JPEG XL files. Placeholder or broken GPS
    (0/0, zero denominators, out-of-range values) is reported as a warning, never used.
    Only the metadata is read: no pixels are decoded and nothing goes over the network.

    \b
    Examples:
      geoloc exif photo.jpg
      geoloc exif *.jpg --json > metadata.json
      geoloc exif IMG_0042.HEIC -q

    A file that cannot be read gives one line on stderr and the others go on; the exit code is
    0 when every photo was read and 1 when some could not be.
    """
    setup_logging(verbose, quiet)
    results = []
    failed = 0
    for path in photos:
        try:
            md = read_metadata(path)
        except GeolocError as err:
            report_error(err)
            failed += 1
            continue
        if as_json:
            results.append({"path": decodable(path), **md.to_dict()})
        else:
            click.echo(summary(path, md))
    if as_json:
        click.echo(dumps({"photos": results}, indent=2))
    raise SystemExit(EXIT_SOME_FAILED if failed else EXIT_OK)
