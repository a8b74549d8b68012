"""Joint resolution: several names from one photo or document pick their places together.

One name alone is ambiguous (17 Oleksandrivkas in Ukraine; Alexandria in Egypt, Virginia and
Louisiana); names seen together are not independent: a caption naming "Chernihiv Oblast" and
"Oleksandrivka" means the Oleksandrivka in that oblast, a sign reading "Novozybkov" beside
"Klintsy" means the Bryansk ones. Each mention's candidates are re-scored by how well they fit the
current best reading of the others (same country, same region, containing region, distance), a few
rounds, so a consistent reading emerges (the "spatial minimality" and "one sense per discourse"
heuristics of the geoparsing literature).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..report import Place
from . import Gazetteer, Priors, get_gazetteer
from .offline import base_score, haversine_km, prior_bonus, to_unit

CANDIDATES = 25
ROUNDS = 3


@dataclass(frozen=True)
class Weights:
    """How much each kind of agreement between two readings counts (log10-population units)."""

    population: float = 1.0  # times log10(population): the size prior
    same_country: float = 0.6
    country_named: float = 0.6  # the other mention is this candidate's country
    region_named: float = 2.0  # the other mention is this candidate's admin-1 region
    same_region: float = 0.8
    contains: float = 0.5  # this candidate is the region/country containing the other mention
    nearby: float = 1.5  # two local places close together ...
    nearby_km: float = 100.0  # ... decaying with distance on this scale
    top: int = 4  # the strongest supports counted
    cap: float = 6.0  # context never outweighs more than this (tuned on LGL and GeoVirus)
    runner_up: float = 1.0  # a runner-up reading supports others less by this times its deficit
    alternatives: int = 8  # readings of each other mention considered


WEIGHTS = Weights()
_LOCAL = ("city", "admin2")


def _fit(c: Place, t: Place, w: Weights) -> float:
    """How much the place ``t`` (another mention's reading) supports candidate ``c``."""
    if c.geonameid == t.geonameid:
        return 0.0
    b = 0.0
    if c.country_code and c.country_code == t.country_code:
        b += w.same_country
        same_a1 = bool(c.admin1_code) and c.admin1_code == t.admin1_code
        if t.kind == "country":
            b += w.country_named  # the country itself is named: its places are expected
        elif t.kind == "admin1" and same_a1 and c.kind in _LOCAL:
            b += w.region_named  # "Alexandria ... Louisiana"
        elif same_a1 and c.kind in _LOCAL:
            b += w.same_region
        if c.kind == "country" or (c.kind == "admin1" and same_a1 and t.kind in _LOCAL):
            b += w.contains  # a named region or country that contains another named place
    if c.kind in _LOCAL and t.kind in _LOCAL:
        d = haversine_km(c.lat, c.lon, t.lat, t.lon)
        b += w.nearby * math.exp(-d / w.nearby_km)
    return b


def _query_form(mention: str) -> str:
    """In running text a two-letter capital word is an abbreviation: "US" is searched as "U.S."."""
    m = mention.strip()
    return f"{m[0]}.{m[1]}." if len(m) == 2 and m.isalpha() and m.isupper() else m


def _supports(c: Place, alts: list[tuple[Place, float]], w: Weights) -> float:
    """The best support another mention gives ``c``: its current reading, or a runner-up reading
    that fits ``c`` better, less what that reading lacks in score (``alts`` holds (place, deficit)).

    Taking only the current reading traps two small namesakes that belong together ("Paris" and
    "Henry County", both in Tennessee) behind their famous ones; letting any runner-up count
    would let every "Paris" find some "Henry County" next to it.
    """
    best = 0.0
    for t, deficit in alts:
        f = _fit(c, t, w) - w.runner_up * deficit
        if f > best:
            best = f
    return best


def resolve(mentions: Sequence[str], *, priors: Priors | None = None,
            gazetteer: Gazetteer | None = None, limit: int = CANDIDATES,
            weights: Weights = WEIGHTS) -> list[list[Place]]:
    """Ranked candidates for each mention (in order), chosen jointly; ``score`` reflects the context."""
    gz = gazetteer or get_gazetteer()
    search_priors = replace(priors, places=()) if priors else None
    distinct = list(dict.fromkeys(m for m in mentions if m and m.strip()))
    cands: dict[str, list[Place]] = {m: gz.search(_query_form(m), priors=search_priors, limit=limit)
                                     for m in distinct}
    cc = None
    if priors and priors.country:
        c = priors.country.strip()
        cc = c.upper() if len(c) == 2 else (p.country_code if (p := gz.country(c)) else None)
    ranked = rank(cands, priors=search_priors, country_code=cc,
                  fixed=list(priors.places) if priors else [], weights=weights)
    return [ranked.get(m, []) if m and m.strip() else [] for m in mentions]


def rank(cands: dict[str, list[Place]], *, priors: Priors | None = None, country_code: str | None = None,
         fixed: Sequence[Place] = (), weights: Weights = WEIGHTS) -> dict[str, list[Place]]:
    """Re-rank each mention's candidates by how well they fit the other mentions' readings."""
    base: dict[str, list[float]] = {
        m: [base_score(p.match, p.population, p.kind) + prior_bonus(p, priors, country_code)
            - (1.0 - weights.population) * math.log10(max(p.population, 0) + 1) for p in ps]
        for m, ps in cands.items()}
    live = [m for m in cands if cands[m]]
    scores: dict[str, list[float]] = {m: list(base[m]) for m in live}
    fixed_alts = [(p, 0.0) for p in fixed]
    best = {m: max(range(len(scores[m])), key=scores[m].__getitem__) for m in live}
    for _ in range(ROUNDS):
        alts: dict[str, list[tuple[Place, float]]] = {}
        for m in live:
            top = scores[m][best[m]]
            order = sorted(range(len(cands[m])), key=lambda i: -scores[m][i])[:weights.alternatives]
            alts[m] = [(cands[m][i], top - scores[m][i]) for i in order]
        new_scores: dict[str, list[float]] = {}
        for m in live:
            others = [alts[o] for o in live if o != m] + [[a] for a in fixed_alts]
            row = []
            for i, c in enumerate(cands[m]):
                ctx = sum(sorted((_supports(c, a, weights) for a in others), reverse=True)[:weights.top])
                row.append(base[m][i] + min(ctx, weights.cap))
            new_scores[m] = row
        scores = new_scores
        new_best = {m: max(range(len(scores[m])), key=scores[m].__getitem__) for m in live}
        if new_best == best:
            break
        best = new_best
    out: dict[str, list[Place]] = {}
    for m, ps in cands.items():
        row = scores.get(m, [])
        order = sorted(range(len(ps)), key=lambda i: -row[i])
        out[m] = [replace(ps[i], score=to_unit(row[i])) for i in order]
    return out
