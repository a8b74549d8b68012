"""From mentions and metadata to ranked candidate places and one honest estimate.

The reasoning follows an analyst's: GPS in the file beats everything (but contradicting evidence
is flagged, not dropped); distances on signs put the camera on rings around their destinations and
several rings meet where the camera stood; a lone name or a city-limit sign puts it in or near that
place; a caption narrows ambiguous names; no evidence gives no estimate.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Protocol, Sequence

import numpy as np
from shapely.geometry import MultiPoint

from .geometry import ROAD_FACTOR_MIN, LocalProjection, haversine_km, haversine_km_array
from .report import GPS, Candidate, Estimate, Evidence, Metadata, Place, union_box
from .toponyms import ContextFacts, Mention, is_common_word, script_of

MIN_MATCH = 0.8
"""Fuzzy matches below this are not taken as places (OCR junk and common words land lower)."""

EXACT_MATCH = 0.95
"""A match at least this good is a name the gazetteer holds, up to spelling system ("Стрий" for
GeoNames "Stryi", "Bryansk region" for "Bryansk Oblast"), not an OCR-tolerant guess. Captions are
matched only this way: prose is full of capitalised words a letter away from some village."""

ROAD_FACTOR = (ROAD_FACTOR_MIN, 0.83, 1.02)
"""Straight-line / road distance: lowest plausible, most likely, highest (with reading slack)."""

CONFLICT_KM = 50.0
TOP_PER_MENTION = 4
MAX_JOINT = 6  # mentions resolved jointly by exhaustive search; the rest greedily


class Gazetteer(Protocol):
    """What inference needs from a gazetteer (geoloc.gazetteer provides it)."""

    def search(self, query: str, *, priors: object = None, limit: int = 10,
               fuzzy: bool = True) -> list[Place]: ...


class PriorsFactory(Protocol):
    def __call__(self, *, country: str | None = None,
                 near: tuple[float, float, float] | None = None,
                 places: Sequence[Place] = (), script: str | None = None) -> object: ...


@dataclass
class Inference:
    """What inference concluded for one photo (or one scene of several photos)."""

    candidates: list[Candidate] = field(default_factory=list)
    estimate: Estimate | None = None
    conflicts: list[str] = field(default_factory=list)
    context_places: list[Place] = field(default_factory=list)


@dataclass
class _Resolved:
    mention: Mention
    options: list[Place]  # best first, match >= MIN_MATCH


def place_radius_km(place: Place) -> float:
    """How far from a place's point its built-up area reaches: grows with population."""
    by_kind = {"continent": 2000.0, "country": 300.0, "admin1": 80.0, "admin2": 30.0}
    if place.kind in by_kind:
        return by_kind[place.kind]
    return min(30.0, 2.0 + 0.6 * math.sqrt(max(place.population, 0) / 1000.0))


def sign_country(mentions: Sequence[Mention]) -> str | None:
    """The country a sign's alphabet gives away, or None when the letters could be several.

    Ukrainian alone has ї є ґ, Belarusian alone ў; і with ы/э/ё is Belarusian, і without them
    taken as Ukrainian (far more signs); ъ, or и with ы/э/ё, is Russian.
    """
    letters = set("".join(r.lower() for m in mentions if m.kind == "ocr" for r in m.readings))
    ru_by = bool(letters & set("ыэё"))
    if "ў" in letters:
        return "BY"
    if "і" in letters and ru_by:
        return "BY"
    if letters & set("іїєґ"):
        return "UA"
    if "ъ" in letters or ("и" in letters and ru_by):
        return "RU"
    return None


def resolve_context(context: ContextFacts | None, gazetteer: Gazetteer,
                     make_priors: PriorsFactory) -> list[Place]:
    """Places a caption names: exact matches only, so ordinary capitalised words are not places."""
    if context is None:
        return []
    found: list[Place] = []
    for m in context.mentions:
        hits = [p for p in gazetteer.search(m.text, priors=make_priors(places=found), limit=3,
                                            fuzzy=False) if p.match >= EXACT_MATCH]
        if hits and hits[0].geonameid not in {p.geonameid for p in found}:
            found.append(hits[0])
    return found


def _resolve_mentions(mentions: Sequence[Mention], gazetteer: Gazetteer, priors: object) -> list[_Resolved]:
    """Look every reading up; keep each place once with its best match; merge sign lines.

    A Cyrillic line and the Latin line under it on one sign resolve to the same place: they become
    one mention, and the distance read on either belongs to it.
    """
    resolved: list[_Resolved] = []
    for m in mentions:
        best: dict[int, Place] = {}
        useful: list[str] = []  # readings that name a place; the others are misreadings
        if m.kind == "ocr" and not _legible(m):
            continue
        for reading in m.readings:
            if len(reading.replace(" ", "")) < 3 or is_common_word(reading):
                continue
            for p in gazetteer.search(reading, priors=priors, limit=TOP_PER_MENTION * 2):
                if p.match < MIN_MATCH:
                    continue
                if reading not in useful:
                    useful.append(reading)
                if p.geonameid not in best or p.match > best[p.geonameid].match:
                    best[p.geonameid] = p
        if m.kind != "context" and any(p.kind == "city" for p in best.values()):
            # Signs and written locations name settlements; "Chernihiv" there is the city.
            best = {k: p for k, p in best.items() if p.kind == "city"}
        if best:
            ordered = sorted(best.values(), key=lambda p: -p.match)  # stable: gazetteer rank breaks ties
            resolved.append(_Resolved(replace(m, readings=tuple(useful)), ordered[:TOP_PER_MENTION]))
    merged: list[_Resolved] = []
    for r in resolved:
        twin = next((o for o in merged if o.mention.region == r.mention.region
                     and o.mention.kind == r.mention.kind == "ocr"
                     and o.options[0].geonameid == r.options[0].geonameid), None)
        if twin is None:
            merged.append(r)
            continue
        tm, rm = twin.mention, r.mention
        twin.mention = Mention(readings=tm.readings + tuple(x for x in rm.readings if x not in tm.readings),
                               kind=tm.kind, distance_km=tm.distance_km if tm.distance_km is not None else rm.distance_km,
                               box=union_box((tm.box, rm.box)), confidence=max(tm.confidence or 0, rm.confidence or 0),
                               region=tm.region, source=tm.source)
    return merged


def _legible(m: Mention) -> bool:
    """Whether an OCR line is read well enough to be a name: short junk needs high confidence.

    Tesseract turns foliage and brickwork into 2-4 letter "words" at confidence 20-50, and some
    village somewhere is called "Ody"; a real sign name is longer or read with confidence.
    """
    conf = m.confidence if m.confidence is not None else 100.0
    longest = max(len(r.replace(" ", "")) for r in m.readings)
    return conf >= 40 and (longest >= 5 or conf >= 70)


class Ring(NamedTuple):
    """A destination read on a sign with its road distance; ``sign`` groups one panel's lines."""

    place: Place
    road_km: float
    sign: int = 0


SAME_DIRECTION_DEG = 45.0
"""A direction sign without arrows lists places along the road ahead: seen from the camera, its
destinations lie within about this angle of each other."""


def _bearings_deg(lat: np.ndarray, lon: np.ndarray, place: Place) -> np.ndarray:
    dx = (place.lon - lon) * np.cos(np.radians(lat))
    return np.degrees(np.arctan2(dx, place.lat - lat))


def _ring_loglik(lat: np.ndarray, lon: np.ndarray, rings: Sequence[Ring]) -> np.ndarray:
    """Log-likelihood of camera positions given the rings read on signs.

    The destinations of one sign are reached by the same road network, so their straight-line /
    road ratios share one factor: the ratios must agree with each other closely (sigma 0.05),
    while the common factor itself is only loosely known (mode 0.83, sigma 0.12). And the places
    on one panel lie ahead, in about the same direction. Together these turn two nearly
    concentric rings into a point rather than a long arc.
    """
    lo, mode, hi = ROAD_FACTOR
    ratios = np.stack([haversine_km_array(lat, lon, r.place.lat, r.place.lon) / r.road_km for r in rings])
    common = ratios.mean(axis=0)
    total = -0.5 * ((common - mode) / 0.12) ** 2
    total -= 0.5 * (((ratios - common) / 0.05) ** 2).sum(axis=0)
    total -= 50.0 * ((ratios < lo - 0.1) | (ratios > hi + 0.05)).any(axis=0)
    for sign in {r.sign for r in rings}:
        panel = [r for r in rings if r.sign == sign]
        for a, b in itertools.combinations(panel, 2):
            diff = np.abs((_bearings_deg(lat, lon, a.place) - _bearings_deg(lat, lon, b.place) + 180) % 360 - 180)
            # soft and capped: a sign with arrows may point both ways, and rings still rule
            total -= np.minimum(3.0, 0.5 * (np.maximum(0.0, diff - SAME_DIRECTION_DEG) / 30.0) ** 2)
    return total


def _grid(rings: Sequence[Ring], steps: int = 121) -> tuple[np.ndarray, np.ndarray]:
    """A lat/lon grid over the box where all rings may meet."""
    proj = LocalProjection(float(np.mean([r.place.lat for r in rings])),
                           float(np.mean([r.place.lon for r in rings])))
    xs0, ys0, xs1, ys1 = [], [], [], []
    for r in rings:
        x, y = proj.to_km(r.place.lon, r.place.lat)
        reach = r.road_km * ROAD_FACTOR[2]
        xs0.append(x - reach), ys0.append(y - reach), xs1.append(x + reach), ys1.append(y + reach)
    x0, y0, x1, y1 = max(xs0), max(ys0), min(xs1), min(ys1)
    if x0 >= x1 or y0 >= y1:  # the rings' boxes do not even overlap
        x0, y0, x1, y1 = min(xs0), min(ys0), max(xs1), max(ys1)
    gx, gy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    lon, lat = proj.to_lonlat(gx, gy)
    return lat.ravel(), lon.ravel()


@dataclass
class _RingFit:
    loglik: float
    lat: float
    lon: float
    radius_km: float
    polygon: tuple[tuple[float, float], ...]


def _fit_rings(rings: Sequence[Ring], home: object | None) -> _RingFit:
    """Most likely camera position on the rings, and the radius of the region that holds it."""
    lat, lon = _grid(rings)
    ll = _ring_loglik(lat, lon, rings)
    if home is not None:  # a sign stands in the country whose alphabet it uses
        import shapely

        ll = ll + np.where(shapely.contains_xy(home, lon, lat), 0.0, -3.0)
    best = float(ll.max())
    inside = ll >= best - 2.3  # ~90% of a 2-D Gaussian's mass
    # The posterior mean, not the peak: two rings meet in two mirror-image places (and the
    # destinations of one road are nearly collinear, so more rings keep the mirror), and the
    # mean of both lies on the road's line, nearer the truth than the wrong mirror.
    w = np.exp(ll[inside] - best)
    clat, clon = float(np.average(lat[inside], weights=w)), float(np.average(lon[inside], weights=w))
    dist = haversine_km_array(lat[inside], lon[inside], clat, clon)
    radius = max(3.0, float(np.percentile(dist, 90)) if dist.size else 3.0)
    pts = MultiPoint(list(zip(lon[inside], lat[inside])))
    hull = pts.convex_hull
    polygon = tuple(hull.exterior.coords) if hull.geom_type == "Polygon" else ()
    return _RingFit(best, clat, clon, radius, polygon)


def _home_geometry(country: str | None):
    if not country:
        return None
    try:
        from .regions import resolve_areas

        areas = resolve_areas(regions=[country])
    except Exception:  # noqa: BLE001 - boundaries are a refinement; inference works without them
        return None
    return areas[0].geometry if areas else None


def _ring_consistency(rings: Sequence[Ring]) -> float:
    """Best log-likelihood of any camera position for these rings (on a coarse grid)."""
    lat, lon = _grid(rings, steps=41)
    return float(np.max(_ring_loglik(lat, lon, rings)))


def _choose(resolved: Sequence[_Resolved], anchors: Sequence[Place]) -> list[Place]:
    """Pick one place per mention so that the picks agree with each other, the caption and GPS.

    Places named together on one photo lie near each other, and road distances read on signs
    must meet at one camera position: among same-named places, the combination whose rings
    intersect wins. Exhaustive over the few top options of the first mentions.
    """
    distances = [r.mention.distance_km for r in resolved]
    signs = [r.mention.region or 0 for r in resolved]

    def cost(combo: Sequence[tuple[float, Place]]) -> float:
        c = sum(penalty for penalty, _ in combo)
        places = [p for _, p in combo]
        for (i, a), (j, b) in itertools.combinations(enumerate(places), 2):
            if not (distances[i] and distances[j]):  # rings judge the pairs that have distances
                c += min(haversine_km(a.lat, a.lon, b.lat, b.lon), 1500.0) / 150.0
        rings = [Ring(p, distances[i], signs[i]) for i, p in enumerate(places) if distances[i]]
        if len(rings) >= 2:
            c += min(-_ring_consistency(rings), 60.0) / 2.0
        for p in places:
            if anchors:
                near = min(haversine_km(p.lat, p.lon, q.lat, q.lon) for q in anchors)
                c += min(near, 600.0) / 300.0
        return c

    head, tail = list(resolved[:MAX_JOINT]), list(resolved[MAX_JOINT:])
    options = [[(0.6 * k + 2.0 * (1 - p.match), p) for k, p in enumerate(r.options)] for r in head]
    best = min(itertools.product(*options), key=cost) if options else ()
    chosen = [p for _, p in best]
    for r in tail:  # greedily: nearest to what is already chosen
        chosen.append(min(r.options, key=lambda p: min(
            (haversine_km(p.lat, p.lon, q.lat, q.lon) for q in chosen), default=0.0)))
    return chosen


def _evidence(m: Mention) -> list[Evidence]:
    """The mention as evidence, plus the route numbers read beside it (a road, not a place)."""
    main = Evidence(kind=m.kind, text=" / ".join(m.readings), confidence=m.confidence, box=m.box,
                    source=m.source, distance_km=m.distance_km)
    return [main] + [Evidence(kind="route", text=r, box=m.box, source=m.source) for r in m.routes]


def infer(mentions: Sequence[Mention], metadata: Metadata, context: ContextFacts | None,
          gazetteer: Gazetteer, make_priors: PriorsFactory, *, country: str | None = None,
          near: tuple[float, float, float] | None = None) -> Inference:
    """Rank candidate places and estimate where the camera was."""
    context_places = resolve_context(context, gazetteer, make_priors)
    loc_cc = metadata.location.country_code if metadata.location else None
    home = country or sign_country(mentions) or loc_cc or _dominant_country(context_places)
    metadata_mentions = _metadata_mentions(metadata)
    priors = make_priors(country=home, near=near, places=context_places,
                         script=script_of(" ".join(r for m in mentions for r in m.readings)) or None)
    resolved = _resolve_mentions(list(mentions) + metadata_mentions, gazetteer, priors)
    anchors = list(context_places)
    if metadata.gps is not None:  # same-named places: the one near the file's GPS
        g = metadata.gps
        anchors.append(Place(geonameid=0, name="GPS", lat=g.lat, lon=g.lon, country_code=""))
    chosen = _choose(resolved, anchors)

    estimate = _estimate(resolved, chosen, metadata.gps, context_places, home)
    candidates = _candidates(resolved, chosen, estimate, context_places,
                             context.mentions[0].source if context and context.mentions else "")
    conflicts = _conflicts(metadata.gps, resolved, chosen)
    return Inference(candidates=candidates, estimate=estimate, conflicts=conflicts,
                     context_places=context_places)


def _dominant_country(places: Sequence[Place]) -> str | None:
    codes = [p.country_code for p in places if p.kind != "country"]
    return max(set(codes), key=codes.count) if codes else None


def _metadata_mentions(metadata: Metadata) -> list[Mention]:
    """IPTC/XMP location fields as a mention: the most specific name written."""
    loc = metadata.location
    if loc is None:
        return []
    kind = "iptc" if loc.source == "iptc" else "xmp"
    name = loc.city or loc.sublocation or loc.state or loc.country
    return [Mention(readings=(name,), kind=kind, source=f"{kind} location")] if name else []


def _candidates(resolved: Sequence[_Resolved], chosen: Sequence[Place], estimate: Estimate | None,
                context_places: Sequence[Place], context_source: str) -> list[Candidate]:
    """Every option of every mention, scored by how strongly it is read and how near it lies.

    A candidate's score is the belief that the photo was taken at or near it: the quality of the
    reading (match, OCR confidence), whether the joint choice picked it, and its distance from the
    estimate, so that on a sign "Чернігів 14 / Київ 157" Chernihiv ranks above Kyiv.
    """
    by_id: dict[int, tuple[float, Place, list[Evidence]]] = {}
    for r, pick in zip(resolved, chosen):
        conf = (r.mention.confidence or 90.0) / 100.0
        ev = _evidence(r.mention)
        for k, p in enumerate(r.options):
            picked = p.geonameid == pick.geonameid
            score = p.match ** 2 * (0.4 + 0.6 * conf) * (1.0 if picked else 0.5 / (k + 1))
            if estimate is not None:
                gap = haversine_km(p.lat, p.lon, estimate.lat, estimate.lon) - estimate.radius_km - place_radius_km(p)
                score /= 1.0 + max(0.0, gap) / 50.0
            prev = by_id.get(p.geonameid)
            if prev is None:
                by_id[p.geonameid] = (score, p, list(ev))
            else:  # read twice (two photos, or metadata and a sign): more belief, both evidences
                by_id[p.geonameid] = (max(prev[0], score) + 0.1, prev[1], prev[2] + ev)
    for p in context_places:  # what the caption names supports a candidate, or is a weak one
        if p.kind not in ("city", "admin1"):
            continue
        ev = Evidence(kind="context", text=p.matched or p.name, source=context_source)
        prev = by_id.get(p.geonameid)
        if prev is not None:
            by_id[p.geonameid] = (prev[0] + 0.05, prev[1], prev[2] + [ev])
        else:
            by_id[p.geonameid] = (0.25 if estimate is None or estimate.basis == "context" else 0.1, p, [ev])
    out = [Candidate(place=p, score=round(min(1.0, s), 3), evidence=tuple(ev)) for s, p, ev in by_id.values()]
    return sorted(out, key=lambda c: -c.score)


def _estimate(resolved: Sequence[_Resolved], chosen: Sequence[Place], gps: GPS | None,
              context_places: Sequence[Place], home: str | None) -> Estimate | None:
    if gps is not None:
        return Estimate(lat=gps.lat, lon=gps.lon, radius_km=0.1, confidence=0.95, basis="gps",
                        explanation=f"{gps.source.upper()} GPS {gps.lat:.5f}, {gps.lon:.5f}")
    pairs = [Ring(p, r.mention.distance_km, r.mention.region or 0) for r, p in zip(resolved, chosen)
             if r.mention.distance_km and r.mention.kind == "ocr"]
    if len(pairs) >= 2:
        fit = _fit_rings(pairs, _home_geometry(home))
        parts = ", ".join(f"{p.name} {d:g} km" for p, d, _ in pairs)
        # Two rings meet in two mirror-image places, and nearly collinear destinations smear
        # the region: the wider the region, the less a point estimate is worth.
        conf = max(0.3, min(0.85, 0.95 - fit.radius_km / 100.0)) if fit.loglik > -10 else 0.3
        return Estimate(lat=fit.lat, lon=fit.lon, radius_km=fit.radius_km, confidence=conf,
                        basis="distance", polygon=fit.polygon,
                        explanation=f"{len(pairs)} distance signs: {parts} -> region of {fit.radius_km:.0f} km radius")
    if len(pairs) == 1:
        p, d, _ = pairs[0]
        return Estimate(lat=p.lat, lon=p.lon, radius_km=d, confidence=0.7, basis="distance",
                        explanation=f"sign: {p.name} {d:g} km -> within {d:g} km of {p.name}")
    named = [(r, p) for r, p in zip(resolved, chosen)]
    if named:
        # The strongest sign evidence: OCR over metadata location over nothing; best match first.
        order = {"ocr": 0, "xmp": 1, "iptc": 1}
        r, p = min(named, key=lambda rp: (order.get(rp[0].mention.kind, 2), -rp[1].match))
        radius = place_radius_km(p)
        conf = (0.75 if p.match >= EXACT_MATCH else 0.4) * (0.9 if r.mention.kind == "ocr" else 0.8)
        conf *= min(1.0, (r.mention.confidence or 85.0) / 85.0)
        what = {"ocr": "sign reads", "xmp": "XMP location", "iptc": "IPTC location"}.get(r.mention.kind, "names")
        return Estimate(lat=p.lat, lon=p.lon, radius_km=radius, confidence=round(conf, 2),
                        basis=r.mention.kind,
                        explanation=f"{what} '{r.mention.text}' -> {p.name} ({p.country_code}), within {radius:.0f} km")
    if context_places:
        p = min(context_places, key=lambda q: {"city": 0, "admin2": 1, "admin1": 2, "country": 3}.get(q.kind, 4))
        radius = place_radius_km(p)
        return Estimate(lat=p.lat, lon=p.lon, radius_km=radius, confidence=0.25, basis="context",
                        explanation=f"only the caption: it names {p.name}")
    return None


def _conflicts(gps: GPS | None, resolved: Sequence[_Resolved], chosen: Sequence[Place]) -> list[str]:
    """Evidence that disagrees with the file's GPS by more than CONFLICT_KM, said plainly."""
    if gps is None:
        return []
    out = []
    for r, p in zip(resolved, chosen):
        km = haversine_km(gps.lat, gps.lon, p.lat, p.lon)
        d = r.mention.distance_km
        limit = (d * ROAD_FACTOR[2] if d else place_radius_km(p)) + CONFLICT_KM
        if km > limit:
            out.append(f"{r.mention.kind} '{r.mention.text}' -> {p.name} is {km:.0f} km from the GPS position")
    return out
