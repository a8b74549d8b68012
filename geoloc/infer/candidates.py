"""Every place the evidence may point to, scored by how strongly it is read and how near it lies."""

from __future__ import annotations

from collections.abc import Sequence

from geoloc.common.geodesy import haversine_km
from geoloc.infer.choice import Resolved
from geoloc.infer.rings import mention_km, sign_unit
from geoloc.model import Candidate, Estimate, Evidence, Mention, Place, place_radius_km

NOT_PICKED = 0.5
"""Score kept by an option the joint choice did not pick, divided further by its rank."""
GAP_KM_SCALE = 50.0
"""A candidate this far outside the estimate's region keeps half its score."""
READ_TWICE_BONUS = 0.1
"""Added when one place is read twice (two photos, or metadata and a sign)."""
CAPTION_SUPPORT = 0.05
"""Added to a candidate the caption also names."""
CAPTION_ONLY_SCORE = 0.25
"""Score of a place only the caption names, when nothing better places the photo."""
CAPTION_BESIDE_SCORE = 0.1
"""Score of a place only the caption names, beside an estimate from the photo itself."""
DEFAULT_OCR_CONF = 90.0
"""OCR confidence assumed for evidence that carries none."""


def mention_evidence(m: Mention, place: Place) -> list[Evidence]:
    """The mention as evidence for ``place``, plus the route numbers read beside it (a road, not a
    place); its distance in km, as the unit written or the place's country's makes it."""
    main = Evidence(
        kind=m.kind,
        text=" / ".join(m.readings),
        confidence=m.confidence,
        box=m.box,
        source=m.source,
        distance_km=round(km, 1) if (km := mention_km(m, place)) else None,
        distance_unit=sign_unit(m.distance_unit, place) if m.distance_km else "km",
    )
    return [main] + [Evidence(kind="route", text=r, box=m.box, source=m.source) for r in m.routes]


def rank_candidates(
    resolved: Sequence[Resolved],
    chosen: Sequence[Place | None],
    estimate: Estimate | None,
    context_places: Sequence[Place],
    context_source: str,
) -> list[Candidate]:
    """Every option of every mention, scored by how strongly it is read and how near it lies.

        A candidate's score is the belief that the photo was taken at or near it: the quality of the
        reading (match, OCR confidence), whether the joint choice picked it (None: it took the reading
    as a misreading), and its distance from the
        estimate, so that on a sign "Чернігів 14 / Київ 157" Chernihiv ranks above Kyiv.
    """
    by_id: dict[int, tuple[float, Place, list[Evidence]]] = {}
    for r, pick in zip(resolved, chosen, strict=True):
        conf = (r.mention.confidence or DEFAULT_OCR_CONF) / 100.0
        for k, p in enumerate(r.options):
            ev = mention_evidence(r.mention, p)
            picked = pick is not None and p.geonameid == pick.geonameid
            score = p.match**2 * (0.4 + 0.6 * conf) * (1.0 if picked else NOT_PICKED / (k + 1))
            if estimate is not None:
                gap = haversine_km(p.lat, p.lon, estimate.lat, estimate.lon) - estimate.radius_km - place_radius_km(p)
                score /= 1.0 + max(0.0, gap) / GAP_KM_SCALE
            prev = by_id.get(p.geonameid)
            if prev is None:
                by_id[p.geonameid] = (score, p, list(ev))
            else:  # read twice (two photos, or metadata and a sign): more belief, both evidences
                by_id[p.geonameid] = (max(prev[0], score) + READ_TWICE_BONUS, prev[1], prev[2] + ev)
    for p in context_places:  # what the caption names supports a candidate, or is a weak one
        if p.kind not in ("city", "admin1"):
            continue
        ev = Evidence(kind="context", text=p.matched or p.name, source=context_source)
        prev = by_id.get(p.geonameid)
        if prev is not None:
            by_id[p.geonameid] = (prev[0] + CAPTION_SUPPORT, prev[1], prev[2] + [ev])
        else:
            by_id[p.geonameid] = (
                CAPTION_ONLY_SCORE if estimate is None or estimate.basis == "context" else CAPTION_BESIDE_SCORE,
                p,
                [ev],
            )
    out = [Candidate(place=p, score=round(min(1.0, s), 3), evidence=tuple(ev)) for s, p, ev in by_id.values()]
    return sorted(out, key=lambda c: -c.score)


def at_estimate(candidates: Sequence[Candidate], estimate: Estimate | None) -> Candidate | None:
    """The best candidate that lies where the estimate is, if any: the name a summary may lead with.

    A candidate outside the estimate's reach (the caption's region 200 km from the file's GPS) is
    evidence to weigh, not the answer, and must not headline it.
    """
    if estimate is None:
        return None
    for c in candidates:
        km = haversine_km(c.place.lat, c.place.lon, estimate.lat, estimate.lon)
        if km <= estimate.radius_km + place_radius_km(c.place):
            return c
    return None
