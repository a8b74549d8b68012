"""One photo (or one scene of several photos) through every stage, as plain function calls.

photo -> metadata + OCR text -> mentions (+ caption facts) -> inference -> PhotoReport. The CLI and
the batch runner call ``locate_photo``; nothing here prints or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .gazetteer import Priors, get_gazetteer
from .infer import EXACT_MATCH, Inference, infer
from .metadata import read_metadata
from .ocr import DEFAULT_LANGS, read_text
from .photo import load_image
from .regions import Area, country_at, measure, resolve_areas
from .report import PhotoReport, Place, Report
from .toponyms import ContextFacts, Mention, context_facts, mentions_from_spans


@dataclass(frozen=True)
class Settings:
    """Everything that changes a photo's result (and so keys its cache entry)."""

    langs: str = DEFAULT_LANGS
    country: str | None = None
    near: tuple[float, float, float] | None = None
    context_text: str = ""
    context_source: str = ""
    geocoder: str = "geonames"
    geocoder_url: str | None = None
    offline: bool = True

    def gazetteer(self):  # noqa: ANN201 - the gazetteer protocol lives in geoloc.gazetteer
        if self.geocoder == "geonames":
            return get_gazetteer()
        return get_gazetteer(self.geocoder, url=self.geocoder_url, offline_fallback=True)

    def context(self) -> ContextFacts | None:
        if not self.context_text.strip():
            return None
        return context_facts(self.context_text, source=self.context_source or "context")


@dataclass
class Observation:
    """What was read from one photo before any place was decided."""

    report: PhotoReport
    mentions: list[Mention] = field(default_factory=list)


def observe(path: str, settings: Settings) -> Observation:
    """Read a photo's metadata and text. Raises PhotoError/PhotoIOError for unusable files."""
    image = load_image(path)
    metadata = read_metadata(path)
    spans = read_text(image, settings.langs)
    return Observation(report=PhotoReport(path=path, texts=spans, metadata=metadata),
                       mentions=mentions_from_spans(spans, source=path))


def _infer(obs_mentions: Sequence[Mention], report: PhotoReport, settings: Settings) -> Inference:
    return infer(obs_mentions, report.metadata, settings.context(), settings.gazetteer(), Priors,
                 country=settings.country, near=settings.near)


def _apply(report: PhotoReport, inf: Inference) -> PhotoReport:
    report.candidates = inf.candidates
    report.estimate = inf.estimate
    report.conflicts = inf.conflicts
    return report


def locate_photo(path: str, settings: Settings) -> PhotoReport:
    """Everything geoloc concludes about one photo."""
    obs = observe(path, settings)
    return _apply(obs.report, _infer(obs.mentions, obs.report, settings))


def locate_scene(reports: Sequence[PhotoReport], settings: Settings) -> Inference:
    """One joint estimate for several photos of one scene (their mentions pooled)."""
    pooled: list[Mention] = []
    for i, r in enumerate(reports):
        for m in mentions_from_spans(r.texts, source=r.path):
            # keep sign regions of different photos apart
            pooled.append(Mention(readings=m.readings, kind=m.kind, distance_km=m.distance_km,
                                  box=m.box, confidence=m.confidence,
                                  region=(m.region or 0) + 10_000 * (i + 1), source=m.source))
    gps_report = next((r for r in reports if r.metadata.gps), reports[0])
    return _infer(pooled, gps_report, settings)


def named_places(settings: Settings) -> list[Place]:
    """Countries and regions the context names: shown on the map as reported areas."""
    ctx = settings.context()
    if ctx is None:
        return []
    inf = infer([], _EMPTY.metadata, ctx, settings.gazetteer(), Priors)
    return [p for p in inf.context_places if p.kind in ("country", "admin1")]


_EMPTY = PhotoReport(path="")




def reported_areas(report: Report, settings: Settings, *, borders: Sequence[str] = (),
                   regions: Sequence[str] = (), area_files: Sequence[str] = ()) -> list[Area]:
    """The areas to check the estimate against: asked for, plus those the context names.

    "near the border with Belarus" becomes the border between the estimate's country and
    Belarus; "Russia's Bryansk region" becomes that region. Each photo's report gets the distance
    from its estimate to each area, and whether it lies inside.
    """
    ctx = settings.context()
    gz = settings.gazetteer()
    borders, regions = list(borders), list(regions)
    named: list[Place] = []
    if ctx is not None:
        named = named_places(settings)
        for name in ctx.border_with:
            hit = next(iter(gz.search(name, limit=1, fuzzy=False)), None)
            if hit is None or hit.match < EXACT_MATCH:
                continue
            if hit.kind == "country":
                borders.append(hit.country_code)
            elif hit.kind == "admin1" and hit not in named:
                named.append(hit)
    first = next((p.estimate for p in report.photos if p.estimate), None)
    home = settings.country or (country_at(first.lat, first.lon) if first else None)
    areas = resolve_areas(borders=[b for b in borders if b != home], regions=regions,
                          area_files=[Path(f) for f in area_files], named=named, home_country=home)
    for photo in report.photos:
        if photo.estimate is not None:
            photo.areas = [measure(a, photo.estimate.lat, photo.estimate.lon) for a in areas]
    return areas
