"""``geoloc geocode``: place names in, ranked candidate places out (offline by default)."""

from __future__ import annotations

import click

from geoloc.common.text import printable
from geoloc.errors import GeolocError
from geoloc.render.jsontext import dumps

from .options import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    country_option,
    json_flag,
    near_option,
    report_error,
    setup_logging,
    verbosity,
)


def candidate_record(place) -> dict:  # type: ignore[no-untyped-def]
    """A Place as the report schema's candidate record (plus what matched, and how well)."""
    return {
        "name": place.name,
        "lat": round(place.lat, 5),
        "lon": round(place.lon, 5),
        "country_code": place.country_code,
        "admin1": place.admin1,
        "score": place.score,
        "geonameid": place.geonameid,
        "population": place.population,
        "kind": place.kind,
        "matched": place.matched,
        "match": place.match,
        "source": place.source,
    }


@click.command()
@click.argument("names", nargs=-1, required=True)
@country_option("Prior: the place is probably in this country (ISO code or name).")
@near_option("Prior: the place is probably near this point (100 km by default).")
@click.option(
    "--together",
    is_flag=True,
    help="The names come from one photo or caption: resolve them jointly (near ones reinforce each other).",
)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Candidates per name.")
@click.option("--exact", is_flag=True, help="No fuzzy matching (spelling variants and transliterations still match).")
@click.option(
    "--geocoder",
    default="geonames",
    show_default=True,
    help="geonames (offline, built in) or an online geopy service: nominatim, photon, pelias...",
)
@click.option("--geocoder-url", metavar="URL", help="Base URL of a self-hosted online geocoder.")
@click.option("--offline", is_flag=True, help="Never touch the network: the built-in gazetteer only.")
@json_flag
@verbosity
def command(
    names: tuple[str, ...],
    country: str | None,
    near: tuple[float, float, float] | None,
    together: bool,
    limit: int,
    exact: bool,
    geocoder: str,
    geocoder_url: str | None,
    offline: bool,
    as_json: bool,
    verbose: int,
    quiet: int,
) -> None:
    """Look place names up: Cyrillic or Latin, any standard spelling, OCR slips forgiven.

    Each NAME gets its ranked candidates: populated places, regions (oblasts,
    states, counties, raions), countries and continents from the offline
    GeoNames gazetteer, built on first use into the cache directory (about a
    minute, once; see 'geoloc data'). 'match' says how well the name itself
    matched: 1.0 the place's own name, 0.97 one of its other names, 0.95 the
    name in another romanisation or script, 0.8-0.95 an OCR-style slip,
    0.4 or less a common sign word ("STOP", "АПТЕКА"). 'score' ranks with
    size and priors. Exit code 1 when some name matched nothing.

    \b
    Examples:
      geoloc geocode Чернігів Chernihlv "Chernihiv region"
      geoloc geocode Ivanivka --country UA --near 51.4,31.3,30
      geoloc geocode Novozybkov Klintsy --together --json
      geoloc geocode Zaporizhzhia --geocoder nominatim --geocoder-url http://localhost:8080
    """
    setup_logging(verbose, quiet)
    from geoloc.places import Priors, get_gazetteer
    from geoloc.places.resolve import resolve

    if offline and geocoder != "geonames":
        raise click.UsageError("--offline uses the built-in gazetteer; drop --geocoder or --offline")
    priors = Priors(country=country, near=near)
    try:
        gz = get_gazetteer(geocoder, url=geocoder_url) if geocoder != "geonames" else get_gazetteer()
        if together:
            ranked = [r[:limit] for r in resolve(list(names), priors=priors, gazetteer=gz)]
        else:
            ranked = [gz.search(n, priors=priors, limit=limit, fuzzy=not exact) for n in names]
    except GeolocError as err:
        report_error(err)
        raise SystemExit(EXIT_SOME_FAILED) from None
    if as_json:
        doc = {
            "queries": [
                {"query": q, "candidates": [candidate_record(p) for p in r]} for q, r in zip(names, ranked, strict=True)
            ]
        }
        click.echo(dumps(doc, indent=2))
    else:  # names, and an online geocoder's answers, come from outside: printed printable
        for q, r in zip(names, ranked, strict=True):
            click.echo(printable(f"{q}:" + ("" if r else " no match")))
            for i, p in enumerate(r, 1):
                where = ", ".join(x for x in (p.admin1 if p.kind in ("city", "admin2") else "", p.country_code) if x)
                via = (
                    f" (as {p.matched!r}, match {p.match:.2f})"
                    if p.matched and p.matched != p.name
                    else f" (match {p.match:.2f})"
                    if p.match < 1.0
                    else ""
                )
                pop = f", pop. {p.population:,}" if p.population else ""
                click.echo(
                    printable(
                        f"  {i}. {p.name}, {where} [{p.kind}{pop}] {p.lat:.4f},{p.lon:.4f} score {p.score:.2f}{via}"
                    )
                )
    raise SystemExit(EXIT_OK if all(ranked) else EXIT_SOME_FAILED)
