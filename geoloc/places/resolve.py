"""Joint resolution: several names from one photo or document pick their places together.

One name alone is ambiguous (17 Oleksandrivkas in Ukraine; Alexandria in Egypt, Virginia and
Louisiana); names seen together are not independent: a caption naming "Chernihiv Oblast" and
"Oleksandrivka" means the Oleksandrivka in that oblast, a sign reading "Novozybkov" beside
"Klintsy" means the Bryansk ones. Each mention's candidates are re-scored by how well they fit the
readings of the others (same country, same region, containing region, distance), a few rounds, so
a consistent reading emerges (the "spatial minimality" and "one sense per discourse" heuristics of
the geoparsing literature). A runner-up reading of another mention counts too, less what it lacks
in score, so two small namesakes that belong together are not trapped behind their famous ones.
The surrounding text, when given, adds what a reader uses: "Paris, Tenn.", "Becker and Clay
counties", a county or region named elsewhere in it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from geoloc.common.geodesy import haversine_km
from geoloc.common.text import is_region_word
from geoloc.model import Place
from geoloc.places import get_gazetteer
from geoloc.places.offline import base_score, prior_bonus, to_unit
from geoloc.places.protocol import Gazetteer, Priors

CANDIDATES = 25
CONTEXT_CANDIDATES = 10
ROUNDS = 3
_REGION_KINDS = ("admin1", "admin2", "country")
# Capitalised runs of up to four words ("Rapides Parish", "New South Wales") and AP abbreviations
_ABBR = r"(?:[A-Z]\.){2,3}|[A-Z][a-z]{1,4}\.(?:[A-Z][a-z]{0,2}\.)?"
_SPAN_RE = re.compile(rf"(?:{_ABBR})|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){{0,3}}")
_ABBR_RE = re.compile(_ABBR)
_NAME = r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+)?"
_COUNTY_LIST_RE = re.compile(  # every separator spelled out, so matching stays linear
    rf"((?:{_NAME}(?:, and |, or |, | and | or ))*{_NAME}) (?:counties|parishes|Counties|Parishes)\b"
)


@dataclass(frozen=True)
class Weights:
    """How much each kind of agreement between two readings counts (log10-population units)."""

    population: float = 1.0  # times log10(population): the size prior
    country: float = 1.0  # more for a country reading (news rarely means Italy, Texas)
    same_country: float = 0.6
    country_named: float = 0.6  # the other mention is this candidate's country
    region_named: float = 1.5  # the other mention is this candidate's admin-1 region
    same_region: float = 0.8
    contains: float = 0.5  # this candidate is the region/country containing the other mention
    nearby: float = 1.5  # two local places close together ...
    nearby_km: float = 100.0  # ... decaying with distance on this scale
    close: float = 1.0  # and more when they are next to each other (a town and its county) ...
    close_km: float = 20.0  # ... on this scale
    top: int = 4  # the strongest supports counted
    cap: float = 6.0  # context never outweighs more than this (tuned on LGL and GeoVirus)
    runner_up: float = 1.0  # a runner-up reading supports others less by this times its deficit
    alternatives: int = 8  # readings of each other mention considered
    text: float = 0.7  # a region named elsewhere in the text supports at this fraction of a mention
    county: float = 4.0  # an admin-2 reading of a name the text calls a county
    qualified: float = 2.0  # a candidate inside the region written right after it ("Paris, Tenn.")


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
        b += w.nearby * math.exp(-d / w.nearby_km) + w.close * math.exp(-d / w.close_km)
    return b


def lies_in(p: Place, region: Place) -> bool:
    """True when ``p`` lies in ``region`` (a country or an admin-1 region) by its codes."""
    if p.geonameid == region.geonameid or p.country_code != region.country_code:
        return False
    return region.kind == "country" or (bool(region.admin1_code) and p.admin1_code == region.admin1_code)


def lies_in_any(p: Place, regions: Sequence[Place]) -> bool:
    """True when ``p`` lies in one of ``regions`` (``lies_in``)."""
    return any(lies_in(p, r) for r in regions)


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


def text_regions(text: str, gz: Gazetteer, skip: Collection[str] = ()) -> dict[str, list[Place]]:
    """Regions and countries the text names besides the mentions: "Rapides Parish", "Tenn.".

    A caption or article names more places than the ones being resolved, and the regions among
    them ("... at the Henderson County Jail", "Paris, Tenn.") are what tell a reader which Paris.
    Only abbreviations and names ending in a unit word ("County", "Parish", "Oblast") that are
    exact names of admin-1/admin-2 regions or countries are kept: a capitalised word that is also
    some place's name ("Chad", "Central", "March") would be noise.
    """
    skip_norm = {s.strip().casefold() for s in skip}
    spans: dict[str, bool] = {}  # span -> is an abbreviation
    for m in _SPAN_RE.finditer(text):
        run = m.group(0)
        if _ABBR_RE.fullmatch(run):
            spans.setdefault(run, True)
            continue
        words = run.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                spans.setdefault(" ".join(words[i:j]), False)
    out: dict[str, list[Place]] = {}
    for span, abbr in spans.items():
        if len(span) < 4 or span.casefold() in skip_norm:
            continue
        if not abbr and not is_region_word(span.rsplit(" ", 1)[-1]):
            continue  # a bare name ("Chad", "Central", "Henry") is too often a word or a person
        least = 0.9 if abbr else 0.95
        found = [
            p
            for p in gz.search(span, fuzzy=False, limit=CONTEXT_CANDIDATES)
            if p.match >= least and p.kind in _REGION_KINDS and (not abbr or "." in (p.matched or ""))
        ]  # not "Iran." ending a sentence
        if found:
            out[span] = found
    return out


def qualifiers(text: str, mentions: Collection[str], gz: Gazetteer) -> dict[str, list[Place]]:
    """Regions or countries written right after a mention: "Paris, Tenn.", "Athens, Georgia".

    The "City, State" pattern is how news text itself disambiguates a town from its famous
    namesake, so it counts far more than a region named anywhere else in the text.
    """
    out: dict[str, list[Place]] = {}
    for m in mentions:
        if not m.strip():
            continue
        for hit in re.finditer(rf"(?<!\w){re.escape(m)},\s+({_ABBR}|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)", text):
            q = hit.group(1) if _ABBR_RE.fullmatch(hit.group(1)) else hit.group(1).rstrip(".")
            found = [
                p
                for p in gz.search(_query_form(q), fuzzy=False, limit=CONTEXT_CANDIDATES)
                if p.match >= 0.9 and p.kind in ("admin1", "country")
            ]
            if found:
                out.setdefault(m, []).extend(found)
    return out


def named_as_counties(text: str, mentions: Collection[str]) -> set[str]:
    """Mentions the text calls counties: "Clay, Becker and Grant counties", "Clarke County".

    Local news names counties by their bare name in such lists; the bare name alone is first a
    town ("Becker", Minnesota) and only then the county, so the list is what tells them apart.
    """
    named: set[str] = set()
    for hit in _COUNTY_LIST_RE.finditer(text):
        named.update(n.strip() for n in re.split(r",|\band\b|\bor\b", hit.group(1)) if n.strip())
    out = {m for m in mentions if m.strip() in named}
    out |= {
        m
        for m in mentions
        if m.strip()
        and not m.rstrip().endswith(("County", "Parish"))
        and re.search(rf"(?<!\w){re.escape(m.strip())} (?:County|Parish)\b", text)
    }
    return out


def resolve(
    mentions: Sequence[str],
    *,
    priors: Priors | None = None,
    gazetteer: Gazetteer | None = None,
    limit: int = CANDIDATES,
    weights: Weights = WEIGHTS,
    text: str | None = None,
) -> list[list[Place]]:
    """Ranked candidates for each mention (in order), chosen jointly; ``score`` reflects the context.

    ``text``, the caption or article the mentions come from, adds the regions it names as context.
    """
    gz = gazetteer or get_gazetteer()
    search_priors = replace(priors, places=()) if priors else None
    distinct = list(dict.fromkeys(m for m in mentions if m and m.strip()))
    cands: dict[str, list[Place]] = {m: gz.search(_query_form(m), priors=search_priors, limit=limit) for m in distinct}
    context = text_regions(text, gz, skip=distinct) if text else {}
    qualified = qualifiers(text, distinct, gz) if text else {}
    counties = named_as_counties(text, distinct) if text else set()
    cc = None
    if priors and priors.country:
        c = priors.country.strip()
        cc = c.upper() if len(c) == 2 else (p.country_code if (p := gz.country(c)) else None)
    ranked = rank(
        cands,
        priors=search_priors,
        country_code=cc,
        fixed=list(priors.places) if priors else [],
        weights=weights,
        context=context,
        qualified=qualified,
        counties=counties,
    )
    return [ranked.get(m, []) if m and m.strip() else [] for m in mentions]


def rank(
    cands: dict[str, list[Place]],
    *,
    priors: Priors | None = None,
    country_code: str | None = None,
    fixed: Sequence[Place] = (),
    weights: Weights = WEIGHTS,
    context: dict[str, list[Place]] | None = None,
    qualified: dict[str, list[Place]] | None = None,
    counties: Collection[str] = (),
) -> dict[str, list[Place]]:
    """Re-rank each mention's candidates by how well they fit the other mentions' readings.

    ``qualified`` maps a mention to the regions written right after it ("Paris, Tenn."): its
    candidates inside one of them gain ``weights.qualified``. Mentions in ``counties`` (from
    ``named_as_counties``) prefer their admin-2 readings by ``weights.county``.

    ``context`` holds more names (from ``text_regions``) that are resolved alongside and support
    the mentions, at ``weights.text`` of a mention's weight, but are not returned.
    """
    extra = {f"\0{k}": v for k, v in (context or {}).items() if k not in cands}
    cands = {**cands, **extra}
    base: dict[str, list[float]] = {
        m: [
            base_score(p.match, p.population, p.kind)
            + prior_bonus(p, priors, country_code)
            - (1.0 - weights.population) * math.log10(max(p.population, 0) + 1)
            + (weights.country if p.kind == "country" else 0.0)
            for p in ps
        ]
        for m, ps in cands.items()
    }
    for m, regions in (qualified or {}).items():
        for i, p in enumerate(cands.get(m, ())):
            if any(lies_in(p, r) for r in regions):
                base[m][i] += weights.qualified
    for m in counties:
        for i, p in enumerate(cands.get(m, ())):
            if p.kind == "admin2":
                base[m][i] += weights.county
    live = [m for m in cands if cands[m]]
    scores: dict[str, list[float]] = {m: list(base[m]) for m in live}
    fixed_alts = [(p, 0.0) for p in fixed]
    best = {m: max(range(len(scores[m])), key=scores[m].__getitem__) for m in live}
    for _ in range(ROUNDS):
        alts: dict[str, list[tuple[Place, float]]] = {}
        for m in live:
            top = scores[m][best[m]]
            order = sorted(range(len(cands[m])), key=lambda i: -scores[m][i])[: weights.alternatives]
            alts[m] = [(cands[m][i], top - scores[m][i]) for i in order]
        new_scores: dict[str, list[float]] = {}
        for m in live:
            others = [(alts[o], weights.text if o in extra else 1.0) for o in live if o != m]
            others += [([a], 1.0) for a in fixed_alts]
            row = []
            for i, c in enumerate(cands[m]):
                ctx = sum(sorted((k * _supports(c, a, weights) for a, k in others), reverse=True)[: weights.top])
                row.append(base[m][i] + min(ctx, weights.cap))
            new_scores[m] = row
        scores = new_scores
        new_best = {m: max(range(len(scores[m])), key=scores[m].__getitem__) for m in live}
        if new_best == best:
            break
        best = new_best
    out: dict[str, list[Place]] = {}
    for m, ps in cands.items():
        if m in extra:
            continue
        row = scores.get(m, [])
        order = sorted(range(len(ps)), key=lambda i: -row[i])
        out[m] = [replace(ps[i], score=to_unit(row[i])) for i in order]
    return out
