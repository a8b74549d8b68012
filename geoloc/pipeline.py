"""One photo (or one scene of several photos) through every stage, as plain function calls.

photo -> metadata + OCR text (``observe``: slow, cacheable) -> mentions (+ caption facts) ->
inference (``conclude``: cheap, re-run every time) -> PhotoReport. Nothing here prints or writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from geoloc.areas import country_at, measure, resolve_areas
from geoloc.common.photo import load_image
from geoloc.errors import PhotoError
from geoloc.infer import border_places, infer, resolve_context
from geoloc.model import Area, ContextFacts, Inference, Mention, PhotoReport, Place, Report
from geoloc.places import get_gazetteer
from geoloc.read.mentions import context_facts, mentions_from_spans
from geoloc.read.metadata import read_metadata
from geoloc.read.ocr.reader import DEFAULT_LANGS, read_text

SCENE_REGION_STRIDE = 10_000
"""Added per photo to the sign-panel numbers of a scene, so panels of different photos stay apart."""


@lru_cache(maxsize=8)
def _context_facts(text: str, source: str) -> ContextFacts | None:
    return context_facts(text, source=source) if text.strip() else None


@dataclass(frozen=True)
class Settings:
    """Everything that changes a photo's result; only ``langs`` changes what is read from it."""

    langs: str = DEFAULT_LANGS
    country: str | None = None
    near: tuple[float, float, float] | None = None
    context_text: str = ""
    context_source: str = ""
    geocoder: str = "geonames"
    geocoder_url: str | None = None
    offline: bool = True

    def gazetteer(self):  # noqa: ANN201 - the gazetteer protocol lives in geoloc.places
        if self.geocoder == "geonames":
            return get_gazetteer()
        return get_gazetteer(self.geocoder, url=self.geocoder_url, offline_fallback=True)

    def context(self) -> ContextFacts | None:
        """The caption's facts, parsed once per Settings (every photo of a run shares them)."""
        return _context_facts(self.context_text, self.context_source or "context")


def observe(path: str, settings: Settings) -> PhotoReport:
    """Read a photo's metadata and text: the slow part, cached by the batch runner.

    Raises PhotoError/PhotoIOError for unusable files. A photo whose pixels cannot be decoded
    (a cut-off download) but whose metadata carries a location keeps that metadata, with a warning.
    """
    metadata = read_metadata(path)
    try:
        image = load_image(path)
    except PhotoError as err:
        if metadata.gps is None and metadata.location is None:
            raise
        note = f"picture not read ({err.message}); location from metadata only"
        return PhotoReport(path=path, metadata=replace(metadata, warnings=metadata.warnings + (note,)))
    return PhotoReport(path=path, texts=read_text(image, settings.langs), metadata=metadata)


def conclude(report: PhotoReport, settings: Settings) -> PhotoReport:
    """Decide where a photo was taken from what was read: fill its candidates and estimate."""
    inf = infer(
        mentions_from_spans(report.texts, source=report.path),
        report.metadata,
        settings.context(),
        settings.gazetteer(),
        country=settings.country,
        near=settings.near,
    )
    report.candidates = inf.candidates
    report.estimate = inf.estimate
    report.conflicts = inf.conflicts
    report.left_out = inf.left_out
    return report


def locate_photo(path: str, settings: Settings) -> PhotoReport:
    """Everything geoloc concludes about one photo."""
    return conclude(observe(path, settings), settings)


def locate_scene(reports: Sequence[PhotoReport], settings: Settings) -> Inference:
    """One joint estimate for several photos of one scene (their mentions pooled)."""
    pooled: list[Mention] = []
    for i, r in enumerate(reports):
        for m in mentions_from_spans(r.texts, source=r.path):
            # keep sign regions of different photos apart
            pooled.append(replace(m, region=(m.region or 0) + SCENE_REGION_STRIDE * (i + 1)))
    gps_report = next((r for r in reports if r.metadata.gps), reports[0])
    return infer(
        pooled,
        gps_report.metadata,
        settings.context(),
        settings.gazetteer(),
        country=settings.country,
        near=settings.near,
    )


def named_places(settings: Settings) -> list[Place]:
    """Countries and regions the context names: shown on the map as reported areas."""
    places = resolve_context(settings.context(), settings.gazetteer())
    return [p for p in places if p.kind in ("country", "admin1")]


def reported_areas(
    report: Report,
    settings: Settings,
    *,
    borders: Sequence[str] = (),
    regions: Sequence[str] = (),
    user_areas: Sequence[Area] = (),
) -> list[Area]:
    """The areas to check the estimate against: asked for, plus those the context names.

    "near the border with Belarus" becomes the border between the estimate's country and
    Belarus; "Russia's Bryansk region" becomes that region. Each photo's report gets the distance
    from its estimate to each area, and whether it lies inside.
    """
    ctx = settings.context()
    named: list[Place] = []
    near_borders: list[Place] = []
    if ctx is not None:
        named = named_places(settings)
        for hit in border_places(ctx, settings.gazetteer()):
            if hit.kind == "country":
                near_borders.append(hit)
            elif hit not in named:
                named.append(hit)
    first = next((p.estimate for p in report.photos if p.estimate), None)
    home = settings.country or (country_at(first.lat, first.lon) if first else None)
    areas = resolve_areas(
        borders=[b for b in borders if b != home],
        regions=regions,
        user_areas=user_areas,
        named=named,
        home_country=home,
        reported_borders=[p for p in near_borders if p.country_code != home],
    )
    for photo in report.photos:
        if photo.estimate is not None:
            photo.areas = [measure(a, photo.estimate.lat, photo.estimate.lon) for a in areas]
    return areas
