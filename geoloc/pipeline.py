"""One photo (or one scene of several photos) through every stage, as plain function calls.

photo -> metadata + OCR text (``observe``: slow, cacheable) -> mentions (+ caption facts) ->
inference (``conclude``: cheap, re-run every time) -> PhotoReport. Nothing here prints or writes.

A photo's words are its own: the caption or post it was published with (``PhotoReport.context``),
the article around it, and the run's ``--context`` (``Settings``). They are applied in
``conclude``, never stored with what was read, so one photo's reading serves every post it is in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from geoloc.areas import country_at, measure, resolve_areas
from geoloc.common.photo import load_image
from geoloc.errors import PhotoError
from geoloc.infer import border_places, infer, resolve_context, settle_context
from geoloc.model import Area, ContextFacts, ContextUse, Inference, Mention, PhotoReport, Place, Report
from geoloc.places import Gazetteer, get_gazetteer
from geoloc.read.mentions import context_facts, mentions_from_spans
from geoloc.read.metadata import read_metadata
from geoloc.read.ocr.reader import DEFAULT_LANGS, read_text
from geoloc.read.video import DEFAULT_FRAMES_PER_MINUTE, is_video, read_video

log = logging.getLogger(__name__)

SCENE_REGION_STRIDE = 10_000
"""Added per photo to the sign-panel numbers of a scene, so panels of different photos stay apart."""

FACTS_CACHED = 256
"""Parsed texts kept: an article's images, an album's photos and a run's ``--context`` share one
text, parsed once; posts of an export come in order, so a few hundred covers any album or page."""

MAX_NAMED_AREAS = 12
"""Countries, regions and borders the texts add to the reported areas (borders first, then the
others in the order named): each is measured from every estimate and drawn with its distance
lines, so an export whose posts name fifty countries would bury the map; ``--border`` and
``--region`` are not counted."""


@lru_cache(maxsize=FACTS_CACHED)
def _context_facts(text: str, source: str, gazetteer: Gazetteer) -> ContextFacts | None:
    """A text's facts, their names settled against ``gazetteer`` once (``settle_context``): the
    photo's inference, the check that the text names a place and the reported areas share them."""
    return settle_context(context_facts(text, source=source), gazetteer) if text.strip() else None


@dataclass(frozen=True)
class Settings:
    """Everything that changes a photo's result; only ``langs`` (and, for a video,
    ``frames_per_minute``) changes what is read from it."""

    langs: str = DEFAULT_LANGS
    country: str | None = None
    near: tuple[float, float, float] | None = None
    context_text: str = ""
    context_source: str = ""
    geocoder: str = "geonames"
    geocoder_url: str | None = None
    offline: bool = True
    frames_per_minute: int = DEFAULT_FRAMES_PER_MINUTE  # frames of a video read per minute
    progress: bool = False  # a long video shows its progress on stderr (a terminal, not -q)

    def gazetteer(self):  # noqa: ANN201 - the gazetteer protocol lives in geoloc.places
        if self.geocoder == "geonames":
            return get_gazetteer()
        return get_gazetteer(self.geocoder, url=self.geocoder_url, offline_fallback=True)

    def context(self) -> ContextFacts | None:
        """The caption's facts, parsed once per Settings (every photo of a run shares them)."""
        return _context_facts(self.context_text, self.context_source or "context", self.gazetteer())


def observe(path: str, settings: Settings) -> PhotoReport:
    """Read a photo's (or a video's) metadata and text: the slow part, cached by the batch runner.

    Raises PhotoError/PhotoIOError for unusable files. A photo whose pixels cannot be decoded
    (a cut-off download) but whose metadata carries a location keeps that metadata, with a warning.
    A video (by its first bytes, or its name) is read as one photo whose text was seen over time.
    """
    if is_video(path):
        return read_video(
            path, settings.langs, frames_per_minute=settings.frames_per_minute, progress=settings.progress
        )
    metadata = read_metadata(path)
    try:
        image = load_image(path)
    except PhotoError as err:
        if metadata.gps is None and metadata.location is None:
            raise
        note = f"picture not read ({err.message}); location from metadata only"
        return PhotoReport(path=path, metadata=replace(metadata, warnings=metadata.warnings + (note,)))
    return PhotoReport(path=path, texts=read_text(image, settings.langs), metadata=metadata)


def photo_facts(report: PhotoReport, settings: Settings) -> tuple[ContextFacts | None, ContextUse | None]:
    """The facts of the words that speak for this photo, and which words they are.

    The photo's own text (its caption, its post) comes first, then the wider text (the article
    it appeared in), then the run's ``--context``: the first that names a place (or a border, or
    gives coordinates) is used, alone. A caption speaks of its photo; an article names every
    place its story touches, so its places would compete with the caption's, and it is asked
    only when the caption names none ("A destroyed bridge."). When no text names a place, the
    first text's facts are still given (they change nothing) and the use is None.
    """
    own = report.context
    texts: list[tuple[ContextUse, str, str]] = []
    if own is not None:
        texts += [("text", own.text, own.source), ("wider", own.wider, own.wider_source or own.source)]
    texts.append(("context_file", settings.context_text, settings.context_source or "context"))
    first: ContextFacts | None = None
    seen: set[str] = set()
    for use, text, source in texts:
        if not text.strip() or text in seen:
            continue
        seen.add(text)
        gazetteer = settings.gazetteer()
        facts = _context_facts(text, source, gazetteer)
        first = first or facts
        if facts.coordinates or resolve_context(facts, gazetteer) or border_places(facts, gazetteer):
            return facts, use
    return first, None


def conclude(report: PhotoReport, settings: Settings) -> PhotoReport:
    """Decide where a photo was taken from what was read: fill its candidates and estimate."""
    facts, used = photo_facts(report, settings)
    inf = infer(
        mentions_from_spans(report.texts, source=report.path),
        report.metadata,
        facts,
        settings.gazetteer(),
        country=settings.country,
        near=settings.near,
    )
    report.candidates = inf.candidates
    report.estimate = inf.estimate
    report.conflicts = inf.conflicts
    report.left_out = inf.left_out
    if report.context is not None:
        report.context = replace(report.context, used=used)
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


def named_places(settings: Settings, context: ContextFacts | None = None) -> list[Place]:
    """Countries and regions a text names (the run's ``--context`` by default): shown on the map
    as reported areas."""
    places = resolve_context(context or settings.context(), settings.gazetteer())
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
    Belarus; "Russia's Bryansk region" becomes that region. The texts are the run's ``--context``
    and the words each photo's inference used (its caption, its post, its article), at most
    ``MAX_NAMED_AREAS`` areas between them. Each photo's report gets the distance from its
    estimate to each area, and whether it lies inside.
    """
    texts: dict[str, ContextFacts] = {}
    for facts in [settings.context(), *(photo_facts(p, settings)[0] for p in report.photos if p.context)]:
        if facts is not None:
            texts.setdefault(facts.text, facts)
    named: list[Place] = []
    near_borders: list[Place] = []
    for ctx in texts.values():
        for hit in named_places(settings, ctx):
            if hit not in named:
                named.append(hit)
        for hit in border_places(ctx, settings.gazetteer()):
            if hit.kind == "country" and hit not in near_borders:
                near_borders.append(hit)
            elif hit.kind != "country" and hit not in named:
                named.append(hit)
    if len(named) + len(near_borders) > MAX_NAMED_AREAS:
        log.warning(
            "the texts name %d countries, regions and borders; the first %d are reported",
            len(named) + len(near_borders),
            MAX_NAMED_AREAS,
        )
        near_borders = near_borders[:MAX_NAMED_AREAS]
        named = named[: MAX_NAMED_AREAS - len(near_borders)]
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
