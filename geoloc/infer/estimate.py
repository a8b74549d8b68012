"""From mentions and metadata to ranked candidates and one honest estimate: the stage's entry point.

The reasoning follows an analyst's: GPS in the file beats everything (but contradicting evidence
is flagged, not dropped); distances on signs put the camera on rings around their destinations and
several rings meet where the camera stood; a lone name or a city-limit sign puts it in or near that
place; a caption narrows ambiguous names; no evidence gives no estimate.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

import shapely
from shapely.geometry.base import BaseGeometry

from geoloc.areas import resolve_areas
from geoloc.common.geodesy import buffer_km, distance_km, haversine_km, offset_km
from geoloc.common.text import (
    SCRIPT_CYRILLIC,
    SCRIPT_LATIN,
    is_district_word,
    is_everyday_text,
    is_region_word,
    name_words,
    normalise,
    script_of,
    text_zipf,
)
from geoloc.errors import RegionError
from geoloc.infer.calibration import CALIBRATED_MAX, calibrate
from geoloc.infer.candidates import rank_candidates
from geoloc.infer.choice import (
    ANCHOR_KM_CAP,
    CAPTION_POPULATION_EXPONENT,
    EXACT_MATCH,
    FAR_HAMLET_ODDS,
    FARTHEST_DESTINATION_KM,
    FULL_CONF_OCR,
    IMPORTANT_POPULATION,
    MAX_PRIOR_PLACES,
    MIN_MATCH,
    NAMESAKE_LIMIT,
    NAMESAKE_MIN_SHARE,
    NAMESAKE_POPULATION_EXPONENT,
    ROW_ORDER_COST,
    SHORT_NAME_CONF,
    SHORT_NAME_LETTERS,
    SMALL_PLACE_POPULATION,
    TOP_PER_MENTION,
    Choice,
    Resolved,
    Split,
    arrowed_signs,
    border_places,
    by_demonym,
    choose,
    dominant_country,
    match_rank,
    metadata_mentions,
    named_only_whence,
    namesake_weight,
    resolve_context,
    resolve_mentions,
    romanised_alias,
    row_inversions,
    settle_context,
    sign_country,
    signed_far,
    spelled_alike,
    ukrainian_namesakes,
    word_rows,
    written_after,
)
from geoloc.infer.rings import (
    DESTINATIONS_ABROAD_PENALTY,
    OUTSIDE_HOME_PENALTY,
    REGION_MASS,
    ROAD_FACTOR,
    UNIT_ABROAD_ODDS,
    Mode,
    Ring,
    fit_rings,
    mention_km,
    mention_ring,
    ring_contradictions,
    unit_abroad,
)
from geoloc.model import (
    GPS,
    Alternative,
    Area,
    Box,
    ContextFacts,
    Estimate,
    EstimateBasis,
    EstimateRule,
    Inference,
    Mention,
    Metadata,
    PanelColour,
    Place,
    box_within,
    place_radius_km,
)
from geoloc.places.index import ALTERNATE
from geoloc.places.names import keys as name_keys
from geoloc.places.offline import name_odds
from geoloc.places.protocol import Gazetteer, Priors
from geoloc.places.resolve import lies_in_any
from geoloc.places.tables import CYRILLIC_COUNTRIES
from geoloc.read.lemmas import ukrainian_spellings
from geoloc.read.mentions import sentences

CONFLICT_KM = 50.0
"""Evidence farther than this beyond its own reach from the file's GPS is a stated conflict."""
GPS_CONFIDENCE = 0.95
GPS_RADIUS_KM = 0.1
RINGS_HOLD = 0.95
"""Share of regions where rings meet (the whole region, ``REGION_MASS`` of the grid) whose circle
holds the camera when every name is read right: about 95% on generated signs with road factors
1.05-1.6 (benchmarks/locate_scenes.py, text mode); the circle holds every cell of the region."""
RINGS_CONF_MIN = 0.3
RINGS_LOGLIK_FLOOR = -10.0
"""Rings that fit no worse than this meet; worse, they barely agree (a misread distance or a
wrongly chosen place is likelier than such a road) and get at most ``RINGS_CONF_MIN``."""
ONE_RING_CONF = 0.9
"""A road distance bounds the straight line, so the camera lies within it whenever the name was
read right and its place chosen right (on generated signs 94% of such estimates hold it)."""
NAME_EXACT_CONF = 0.75
"""A lone name read exactly: the camera at that place, unless the sign was a destination's."""
FUZZY_FACTOR = (0.2, 0.8)
"""Share of the confidence kept by a name matched only within OCR tolerance, from the weakest
match taken (``MIN_MATCH``) to one just short of exact: a near miss on a long name ("Солиечнодольск")
is nearly always that place, while junk out of a word ("tation" for "Station", "KAUFLAN") lands
at the bottom of the tolerance and matches some village as easily as a misread name its own."""
OCR_NAME_FACTOR = 0.9
METADATA_NAME_FACTOR = 0.8
"""A sign read in the photo is surer than a location someone typed into the metadata."""
MAX_NAMESAKE_ALTERNATIVES = 3
WORD_NAME_ZIPF = 3.5
"""A lone name spelled as a word used at least three times per million words ("КОРМА" 3.6,
"ORANGE" 4.6) may be that word: shop, brand or notice text."""
WORD_NAME_FACTOR = 0.5
"""Confidence kept by a lone name that is such a word, unless it names a place of at least
``IMPORTANT_POPULATION`` (whose name is common because the place is talked about)."""
SMALL_PLACE_FACTOR = 0.3
SHORT_NAME_FACTOR = 0.3
"""Confidence kept by a lone reading of fewer than ``SHORT_NAME_LETTERS`` letters naming a place
under ``IMPORTANT_POPULATION``: half of all three-letter Latin strings (8,517 of 17,576) are the
name of some GeoNames town of 500 people or more, so such a reading ("oer" off a weathered
board: Or, Sweden) names a village by chance as easily as by design. The letters counted are those
of the shorter of the reading and the name it matched: "ieEio" off a panorama's texture matched
"Эйо" (Aígio) once "ie" was taken for an arrow glued to it, a three-letter match."""
FRAGMENT_FACTOR = 0.3
"""Confidence kept by a lone Latin name read beginning with a small letter, without a distance,
under ``IMPORTANT_POPULATION`` (``_fragment``): a sign writes a place's name with a capital or in
capitals, so such a reading is the tail of a word whose start was lost ("herin" off a shop
front's "...chérin": Hérin, France) or lettering of another kind."""
ALIAS_CITY_ODDS = 0.1
"""Weight kept on a sign by a town of ``IMPORTANT_POPULATION`` or more that the sign's name is only
another name of (``Resolved.aliases``: a former or merged village's name, "Олександрівка" being
one of Donetsk's; not its own name as its country romanises it, nor a misreading), among places
the name is the own name of: a sign names such a town by its own name, and its size would
otherwise outweigh the thirty villages so called (Donetsk 54%). One in ten, as the odds GeoNames'
ranking gives another name against the own one (``places.offline.name_odds``, 10 ** (32 * -0.03))."""
OFF_PRIOR_FACTOR = 0.05
"""Weight kept by a namesake outside the country the evidence gives (``--country``, the sign's
alphabet, the metadata, the caption) and far from every place named with it: such a prior is
wrong far less often than one time in ten, so the namesake inside it dominates."""
LANDS_REACH_KM = 300.0
"""How far beyond its country's border a caption's people's adjective, or another town it names,
holds the namesakes of a place it names, where nothing else gives the country ("Belarusian troops
near Brest": the Brest in Belarus, not the one in France; "Russian forces near Marinka": Marinka
in Ukraine as well as those in Russia; "leaves Pokrovsk station for Lviv": not Engels, which was
Pokrovsk): the depth of a border area and of a front, where such reports mostly are."""
LANDS_FAR_FACTOR = 0.3
"""Weight kept by a namesake beyond ``LANDS_REACH_KM`` of every such country: far less than a
named country (``OFF_PRIOR_FACTOR``) says, because people and stories travel ("Ukrainian
refugees arrive in Alexandria", "a Ukrainian drone over Kazan", "journalists in Rossosh")."""
DESTINATION_REACH_KM = 300.0
"""How far ahead a direction sign names places: the next towns, and the cities a road leads to
up to a few hundred km away."""
DESTINATION_CONF = 0.85
"""Confidence that the camera lies within reach of a direction sign's places (no distances read)
when it names two or more: each bounds the camera, and signs name the next towns and regional
centres within reach."""
LISTED_ROW_LETTERS = 4
"""Letters from which a panel's other row may be a destination's name ("Rohr", "Ялта"); shorter
reads are as often a route shield, an arrow or a border's texture."""
ROW_HEIGHT_RATIO = 1.6
"""A direction sign's rows share a letter height (a bilingual sign's second alphabet a little
smaller); a row far taller or smaller is other lettering in the photo (a notice's title, a plate)."""
ADMIN_WORDS = frozenset(
    {
        "stadt", "gemeinde", "ortsteil", "amt", "markt", "gmina", "miasto",
        "województwo", "obec", "mesto", "město", "comune", "commune", "громада", "місто", "город",
        "село", "селище", "посёлок", "поселок", "смт", "пгт", "м", "с", "г", "округ", "сельсовет", "поселение",
        "twinned", "welcome", "ласкаво", "добро",
    }
)  # fmt: skip
"""Words of a city-limit sign's other lines besides its district's (``is_district_word``,
``is_region_word``): its status ("Stadt", "м.", "смт") or a greeting; such a line names no
destination."""
DIRECTION_PANELS: frozenset[PanelColour] = frozenset({"blue", "green"})
"""Panel colours that make a lone name a direction sign's destination. Outside towns, direction
signs are blue or green across Europe (blue on Ukrainian, Russian and Belarusian main roads, green
on motorways and on Polish and Czech roads), while a town's own sign is white (Ukraine 5.45,
Russia 5.23.1, Belarus, Poland, Czechia, France) or yellow (Germany). Blue town signs exist
(Ukraine 5.47, Russia 5.25, where the town's speed rules do not apply; the Netherlands), and so
does a green "City Limit" in the United States: read as a destination, such a sign still has the
camera within the destination's reach of the town, so the cost is a wider region, not a wrong one."""
ONE_DESTINATION_CONF = 0.25
"""The same for a single destination with a route number: a trunk road's sign also names the end
of its route ("ПСКОВ E22" in Moscow, 600 km away), and one place bounds nothing else."""
LONE_DESTINATION_CONF = NAME_EXACT_CONF * OCR_NAME_FACTOR
"""A lone name told a destination only by its panel's colour (``DIRECTION_PANELS``): a destination
within reach or the town's own sign, the camera in the circle either way, so it is stated as the
same name read as the town's own sign would be, among the same namesakes. Its wider circle holds
the camera more often than that (0.85 would be the direction sign's figure), but which of several
same-named places a lone name means is no surer for its colour: stated at 0.85 with namesakes
within reach pooled, American names on generated signs in miles gave three more answers over
500 km off at 0.3 or more."""
CAPTION_ONLY_CONF = 0.25
CLEAR_SPLIT = 2 / 3
"""Distance readings are left out as misreadings only when that split of the readings is at least
twice as likely as every other split together; below, the signs are reported as contradicting."""
CONTRADICTION_CONF = 0.1
"""Confidence when the distance signs read cannot all be true: below any answer worth publishing."""
SHARED_PLACES = 1.0 - NAMESAKE_MIN_SHARE
"""Largest share of the chosen places at which the estimate is one of several sets of places:
other sets hold at least what one alternative would, even when none alone is worth listing."""


def infer(
    mentions: Sequence[Mention],
    metadata: Metadata,
    context: ContextFacts | None,
    gazetteer: Gazetteer,
    *,
    country: str | None = None,
    near: tuple[float, float, float] | None = None,
) -> Inference:
    """Rank candidate places and estimate where the camera was."""
    context = settle_context(context, gazetteer) if context is not None else None
    context_places = resolve_context(context, gazetteer)
    loc_cc = metadata.location.country_code if metadata.location else None
    anchors = list(context_places)
    if metadata.gps is not None:  # same-named places: the one near the file's GPS
        g = metadata.gps
        anchors.append(Place(geonameid=0, name="GPS", lat=g.lat, lon=g.lon, country_code=""))
    anchors += _caption_points(context)  # ... or near the coordinates a caption gives

    def home_given(sign: Sequence[Mention]) -> str | None:
        return country or sign_country(sign) or loc_cc or dominant_country(context_places)

    def resolve_and_choose(home: str | None) -> tuple[list[Resolved], Choice]:
        # No script here: each reading is looked up with its own alphabet as the prior (a Cyrillic
        # reading is most likely in a Cyrillic country), since one sign's passes read both alphabets.
        priors = Priors(country=home, near=near, places=context_places[:MAX_PRIOR_PLACES])
        resolved = resolve_mentions(list(mentions) + metadata_mentions(metadata), gazetteer, priors)
        return resolved, choose(resolved, anchors)

    home = home_given(mentions)
    resolved, choice = resolve_and_choose(home)
    held = home_given(_written(mentions, resolved, choice.places))
    if held != home:
        home = held
        resolved, choice = resolve_and_choose(home)

    def answer(split: Split, own: bool) -> _Answer:
        """The estimate if ``split`` is how the readings divide into places and misreadings;
        ``own``: the choice's best split, whose same-named rivals the choice weighed."""
        fixed = [
            replace(r, mention=replace(r.mention, distance_km=None)) if misread else r
            for r, misread in zip(resolved, split.misread_numbers, strict=True)
        ]
        kept = [r for r, p in zip(fixed, split.places, strict=True) if p is not None]
        chosen = [p for p in split.places if p is not None]
        rings = _rings(kept, chosen)
        contradictions = ring_contradictions(rings)
        estimate = _estimate(
            kept, chosen, rings, bool(contradictions), metadata.gps, context_places, home, context, gazetteer, mentions
        )
        share = 1.0  # of the places the estimate rests on, among same-named sets that fit the readings too
        # Estimates that rest on a set of places jointly: where the distance signs meet, or a
        # direction sign to several places (one place alone weighs its namesakes itself).
        if (
            own
            and estimate is not None
            and choice.share < 1.0
            and (
                estimate.rule == "distance_signs"
                or (estimate.rule == "direction_sign" and len({p.geonameid for p in chosen}) > 1)
            )
        ):
            estimate, share = _with_rivals(estimate, choice, fixed, list(split.places), home, context_places, mentions)
        implied = _implied_inversions(resolved, split, estimate)
        # A sign stands in the country whose alphabet it uses (as where rings meet, ``fit_rings``):
        # a split whose answer rests on places abroad only is the less likely.
        rests_on = [p for r, p in zip(fixed, split.places, strict=True) if p is not None and r.mention.distance_km]
        abroad = (
            sign_home is not None
            and estimate is not None
            and estimate.rule != "contradiction"
            and all(p.country_code != sign_home for p in rests_on or chosen)
        )
        wrong = [
            f"'{r.mention.distance_km:g}' beside '{r.mention.text}'" if misread else f"'{r.mention.text}'"
            for r, p, misread in zip(resolved, split.places, split.misread_numbers, strict=True)
            if misread or (p is None and r.mention.distance_km)
        ]
        odds = math.exp(-ROW_ORDER_COST * implied - (OUTSIDE_HOME_PENALTY if abroad else 0.0))
        return _Answer(split, fixed, contradictions, estimate, share, odds, tuple(wrong))

    sign_home = (home or _cyrillic_home(resolved, choice)) if choice.splits else None
    splits = (Split(choice.places, choice.misread_numbers, choice.support), *choice.splits)
    answers = [answer(split, k == 0) for k, split in enumerate(splits)]
    # A split that leaves a sign's rows out of their order (nearest first) once its dropped
    # distances are put back as its camera implies them is as unlikely as the choice found the
    # order of distances read (``ROW_ORDER_COST``), and one that puts the camera outside the
    # country of the sign's alphabet as unlikely as the rings' fit finds it there; the splits
    # not weighed keep their shares. Odds count against the likeliest split's: what every split
    # supposes alike (a sign abroad) is no evidence between them.
    best_odds = max(a.odds for a in answers)
    weights = [a.split.share * a.odds / best_odds for a in answers]
    total = sum(weights) + max(0.0, 1.0 - sum(a.split.share for a in answers))
    ranked = sorted(zip(answers, (w / total for w in weights), strict=True), key=lambda aw: -aw[1])
    if answers[0].odds == best_odds:
        # The choice's best split stands unless its camera speaks against it: a split's share
        # sums its combinations, and one that drops a name spelt like many places ("Sânger":
        # Sanger, US) sums more of them than it deserves.
        ranked.sort(key=lambda aw: aw[0] is not answers[0])
    top, support = ranked[0]
    # Every reading kept, each row at its likeliest place: what the signs say all together.
    everything = [p if p is not None else r.options[0] for r, p in zip(resolved, top.split.places, strict=True)]
    several: list[tuple[_Answer, float]] = []
    if support < CLEAR_SPLIT and top.misread:
        # The distance signs exclude each other and either may be the misread one: each split that
        # places the camera is an answer with its share (unless the file's GPS says where); if
        # none does, say that they cannot all be true, rather than guess which to believe.
        several = [
            (a, w)
            for a, w in ranked
            if w >= NAMESAKE_MIN_SHARE and a.estimate is not None and a.estimate.rule != "contradiction"
        ]
        if not several or metadata.gps is not None:
            several = []
            top = answer(Split(tuple(everything), (False,) * len(everything), 1.0), False)
            support = 1.0
    if several:
        estimate = _one_of_splits([(_finish(a.estimate, a, 1.0, split=True), a, w) for a, w in several])
    else:
        estimate = _finish(top.estimate, top, support, split=False)
    misread_numbers = [
        f"'{r.mention.distance_km:g}' beside '{r.mention.text}': the distance does not fit the other signs: "
        "taken as a misread number"
        + (" (or another reading is misread: see the estimate's alternatives)" if several else "")
        for r, misread in zip(resolved, top.split.misread_numbers, strict=True)
        if misread
    ]
    contradictions = top.contradictions
    if several:  # what the readings say all together, which no split believes whole
        contradictions = ring_contradictions(_rings(resolved, everything))
    picks, resolved = top.split.places, top.resolved
    kept = [r for r, p in zip(resolved, picks, strict=True) if p is not None]
    candidates = rank_candidates(
        resolved,
        picks,
        estimate,
        context_places,
        context.mentions[0].source if context and context.mentions else "",
    )
    conflicts = _conflicts(metadata.gps, kept, top.chosen, context_places) + contradictions
    conflicts += _caption_point_conflicts(context, estimate)
    left_out = [f"'{reading}': {why}" for r in resolved for reading, why in r.left_out]
    left_out += [
        f"'{r.mention.text}': {_misread_reason(r, top.chosen)}"
        for r, p in zip(resolved, picks, strict=True)
        if p is None
    ]
    left_out += misread_numbers
    left_out += [f"'{reading}': {why}" for reading, why in word_rows(mentions, resolved, gazetteer)]
    return Inference(
        candidates=candidates, estimate=estimate, conflicts=conflicts, context_places=context_places, left_out=left_out
    )


@dataclass(frozen=True)
class _Answer:
    """Where one split of the readings into places and misreadings puts the camera."""

    split: Split
    resolved: list[Resolved]  # the mentions, without the distances this split takes as misread
    contradictions: list[str]
    estimate: Estimate | None
    share: float  # of the estimate's places among same-named sets that fit the readings too
    odds: float  # how much less likely its camera makes it (row order, the sign's country), 1.0: no less
    misread: tuple[str, ...]  # rows with a distance it takes as misread: "'21' beside 'Жмеринка'", or "'Київ'" whole

    @property
    def chosen(self) -> list[Place]:
        return [p for p in self.split.places if p is not None]

    @property
    def why(self) -> str:
        """The condition the answer rests on: "if '21' beside 'Жмеринка' is misread"."""
        if not self.misread:
            return "if all are right"
        return f"if {' and '.join(self.misread)} {'is' if len(self.misread) == 1 else 'are'} misread"


def _cyrillic_home(resolved: Sequence[Resolved], choice: Choice) -> str | None:
    """The one Cyrillic country whose places a sign's Cyrillic readings name, whichever split of
    the readings is true: where the sign stands when its letters do not say which country's
    ("Миргород" is Ukrainian and Russian alike; the place it names is in Ukraine)."""
    countries = {
        p.country_code
        for places in (choice.places, *(s.places for s in choice.splits))
        for r, p in zip(resolved, places, strict=True)
        if p is not None
        and p.match >= EXACT_MATCH
        and p.country_code in CYRILLIC_COUNTRIES
        and any(script_of(x) == SCRIPT_CYRILLIC for x in r.mention.readings)
    }
    return countries.pop() if len(countries) == 1 else None


def _finish(estimate: Estimate | None, a: _Answer, support: float, *, split: bool) -> Estimate | None:
    """The estimate's confidence as stated: times the share of its split of the readings, then
    as often as such estimates were measured to hold the camera (``calibrate``)."""
    if estimate is None:
        return None
    if estimate.basis != "gps" and support < 1.0:
        # Another split of the readings into places and misreadings is also plausible: the
        # estimate holds only if this split is the true one.
        estimate = replace(estimate, confidence=round(estimate.confidence * support, 2))
    if estimate.rule is None:
        return estimate
    exact = all(p.match >= EXACT_MATCH for p in a.chosen)
    misread = any(p is None for p in a.split.places) or any(a.split.misread_numbers)
    # One of several places: regions listed as alternatives, or sets of same-named places
    # elsewhere that the distance signs fit too, each too small to list but together not.
    several = split or bool(estimate.alternatives) or a.share <= SHARED_PLACES
    lone = estimate.rule == "direction_sign" and len({p.geonameid for p in a.chosen}) == 1
    conf = calibrate(estimate.rule, estimate.confidence, exact=exact, split=several, misread=misread, lone=lone)
    conf = min(conf, CALIBRATED_MAX * a.share)  # the table measures the rings, not which places they are
    return replace(estimate, confidence=round(conf, 2))


def _implied_inversions(resolved: Sequence[Resolved], split: Split, estimate: Estimate | None) -> int:
    """Rows a split would leave out of their sign's order whatever its misread distances were.

    "Житомир 35 / Київ 11" read from top to bottom: if "35" were the misread number, the camera
    would stand within 11 km of Kyiv, over 115 km from Zhytomyr, and the sign would list the far
    town above the near one; if "11" were ("110" with a digit lost), the order holds. A distance
    sign lists its towns nearest first, so the second is the likelier split. Each misread
    distance is put back as the road distances from the split's region to the nearest place its
    name may be, and a pair of rows counts only when no camera in the region keeps their order.
    A row left out whole ("Київ" with its "11") counts as its number misread when its name is read
    exactly; a row whose name names no place a sign would name from there does not count.
    """
    if estimate is None or estimate.rule == "contradiction":
        return 0
    known: list[tuple[int, float, float]] = []
    implied: list[tuple[int, float, float]] = []
    for i, (r, p, misread) in enumerate(zip(resolved, split.places, split.misread_numbers, strict=True)):
        if not r.mention.distance_km:
            continue
        if misread or p is None:
            # The nearest place the name may be: without its ring, the choice of one is a guess. A
            # row left out whole is such a place if its name is read exactly. Beyond what any
            # sign names ("Jokiniemi", a Finnish village, off a Ukrainian line, 1,300 km away) the
            # name is the misread part, and its number says nothing of the order.
            places = [q for q in (*([p] if p else r.options[:1]), *r.namesakes) if p or q.match >= EXACT_MATCH]
            km = min((haversine_km(estimate.lat, estimate.lon, q.lat, q.lon) for q in places), default=math.inf)
            if km > FARTHEST_DESTINATION_KM + estimate.radius_km:
                continue
            near, far = max(0.0, km - estimate.radius_km), km + estimate.radius_km
            implied.append((i, near / ROAD_FACTOR[2], far / ROAD_FACTOR[0]))
        elif (km := mention_km(r.mention, p)) is not None:
            known.append((i, km, km))
    if not implied:
        return 0
    arrowed = arrowed_signs(resolved)
    return row_inversions(resolved, known + implied, arrowed) - row_inversions(resolved, known, arrowed)


def _one_of_splits(answers: Sequence[tuple[Estimate | None, _Answer, float]]) -> Estimate:
    """One estimate from splits of the readings that exclude each other, each with its share.

    "Виноград 33 / Жмеринка 21" cannot both be right: within 33 km of Vynohrad if the 21 is
    misread, within 21 km of Zhmerynka if the 33 is. Each split's estimate and alternatives are
    regions of the answer at their probability times the split's share; the likeliest split's
    estimate is the answer (a split's own estimate is its likeliest region), every other region
    worth naming an alternative, and the answer's confidence is its own times its split's share.
    """
    held = [(e, a, w, (e.probability or 1.0) * w) for e, a, w in answers if e is not None]
    held.sort(key=lambda eawp: -eawp[3])
    e, a, w, probability = held[0]

    def scaled(x: Alternative, b: _Answer, share: float) -> Alternative:
        return replace(x, probability=x.probability * share, explanation=f"{b.why}, {x.explanation}")

    regions = [scaled(x, a, w) for x in e.alternatives]
    for other, b, v, p in held[1:]:
        regions.append(Alternative(other.lat, other.lon, other.radius_km, p, f"{b.why}, {other.explanation}"))
        regions += [scaled(x, b, v) for x in other.alternatives]
    return replace(
        e,
        confidence=round(e.confidence * w, 2),
        probability=round(probability, 4),
        alternatives=tuple(
            sorted((x for x in regions if x.probability >= NAMESAKE_MIN_SHARE), key=lambda x: -x.probability)
        ),
        explanation=f"the distance signs cannot all be true ({probability:.0%}): {a.why}, {e.explanation}",
    )


def _written(mentions: Sequence[Mention], resolved: Sequence[Resolved], picks: Sequence[Place | None]) -> list[Mention]:
    """The lines with the readings that show the alphabet they were written in.

    Each OCR pass reads every line, and the Cyrillic pass reads a Latin line as Cyrillic letters
    ("Sárospatak" as "5агозраіак", an "l" as the Ukrainian "і"). A line read as a place shows its
    alphabet in the readings that name it; a line taken as a misreading shows nothing; a board
    that names no place ("ПАРФУМЕРІЯ") shows its letters as read.
    """
    named = {x for r, p in zip(resolved, picks, strict=True) if p is not None for x in r.mention.readings}
    looked_up = {x for r in resolved for x in r.mention.readings}
    out = []
    for m in mentions:
        kept = tuple(x for x in m.readings if x in named)
        if kept or not looked_up.intersection(m.readings):
            out.append(replace(m, readings=kept or m.readings))
    return out


def _with_rivals(
    estimate: Estimate,
    choice: Choice,
    resolved: Sequence[Resolved],
    picks: Sequence[Place | None],
    home: str | None,
    context_places: Sequence[Place],
    rows: Sequence[Mention],
) -> tuple[Estimate, float]:
    """The region the chosen places give, beside the regions same-named places would give.

    "Лесной 413 / Кирс 458 / Омутнинск 523" fits a Lesnoy in the Urals as well as the one near
    Kirs, and a direction sign to "Hampstead / Durham" points to two towns of North Carolina or
    two of New Hampshire: each set of places is weighed by its share (``Choice.share``,
    ``Choice.rivals``). The estimate keeps its own region at its set's share; a rival's region
    whose centre it holds adds to it, and each other one is an alternative, so the answer never
    rests on one namesake alone. Also returns the share of the probability the estimate's region
    keeps, rivals that overlap it included.
    """
    own = estimate.probability or 1.0
    held = choice.share * own  # the estimate's probability, before overlapping rivals add theirs
    alternatives = [replace(a, probability=a.probability * choice.share) for a in estimate.alternatives]
    heading: dict[int, bool] = {}  # the rows a direction sign points along: the same for every rival
    if estimate.rule == "direction_sign":
        named = [(r, p) for r, p in zip(resolved, picks, strict=True) if p is not None]
        heading = _destinations([r for r, _ in named], [p for _, p in named], rows)
    for places, share in choice.rivals:
        kept = [(r, q) for r, q in zip(resolved, places, strict=True) if q is not None]
        which = "; ".join(
            f"'{r.mention.text}' is the {q.name} ({q.country_code}) "
            + (f"of {q.population:,} people" if q.population else f"at {q.lat:.2f}, {q.lon:.2f}")
            for r, q, p in zip(resolved, places, picks, strict=True)
            if q is not None and p is not None and q.geonameid != p.geonameid
        )
        if estimate.rule == "direction_sign":
            there = _towards(kept, heading, home, context_places)
            regions = [
                (
                    there.lat,
                    there.lon,
                    there.radius_km,
                    1.0,
                    f"on a road towards them, within about {there.radius_km:.0f} km",
                )
            ]
        else:
            rings = _rings([r for r, _ in kept], [q for _, q in kept])
            if len(rings) < 2 or ring_contradictions(rings):
                continue  # its share is lost: it supposes a road that cannot be
            modes = fit_rings(rings, *_sign_area(home, [q for _, q in kept])).modes
            regions = [
                (m.lat, m.lon, m.radius_km, m.probability, f"the distance signs meet {_where(m, rings, modes)}")
                for m in modes
            ]
        for lat, lon, radius, probability, where in regions:
            if haversine_km(lat, lon, estimate.lat, estimate.lon) <= estimate.radius_km:
                held += probability * share
            else:
                alternatives.append(Alternative(lat, lon, radius, probability * share, f"if {which}: {where}"))
    kept_alternatives = sorted(
        (a for a in alternatives if a.probability >= NAMESAKE_MIN_SHARE), key=lambda a: -a.probability
    )
    # The places' share, not the region's: a region holds ``own`` of its rings' mass however sure
    # the places are.
    places = min(1.0, held / own)
    said = f" ({places:.0%}: same-named places elsewhere fit the signs too)" if round(places, 2) < 1.0 else ""
    return replace(
        estimate,
        confidence=round(estimate.confidence * held / own, 2),
        probability=held,
        alternatives=tuple(kept_alternatives),
        explanation=estimate.explanation + said,
    ), places


def _misread_reason(r: Resolved, kept: Sequence[Place]) -> str:
    """Why a reading was taken as a misreading: how far its places lie from the others read."""
    p = r.options[0]
    if not kept:
        return "taken as a misreading"
    km = min(haversine_km(p.lat, p.lon, q.lat, q.lon) for q in kept)
    what = "its distance does not fit the other signs" if r.mention.distance_km else "it fits none of the other places"
    return f"{what} ({p.name}, {p.country_code}, lies {km:.0f} km from the nearest): taken as a misreading"


def _rings(resolved: Sequence[Resolved], chosen: Sequence[Place]) -> list[Ring]:
    """The distance signs read in the photo, each with the place chosen for it."""
    return [
        ring
        for r, p in zip(resolved, chosen, strict=True)
        if r.mention.kind == "ocr" and (ring := mention_ring(r.mention, p)) is not None
    ]


def _sign_area(home: str | None, places: Sequence[Place]) -> tuple[BaseGeometry | None, float]:
    """Where a distance sign stands, and what lying outside it costs: the country the evidence
    gives (``OUTSIDE_HOME_PENALTY``), else the one country all its destinations lie in
    (``DESTINATIONS_ABROAD_PENALTY``), else nowhere in particular."""
    if home:
        return _home_geometry(home), OUTSIDE_HOME_PENALTY
    countries = {p.country_code for p in places}
    if len(countries) == 1:
        return _home_geometry(countries.pop()), DESTINATIONS_ABROAD_PENALTY
    return None, OUTSIDE_HOME_PENALTY


def _home_geometry(country: str | None) -> BaseGeometry | None:
    if not country:
        return None
    try:
        areas = resolve_areas(regions=[country])
    except Exception:  # noqa: BLE001 - boundaries are a refinement; inference works without them
        return None
    return areas[0].geometry if areas else None


def _estimate(
    resolved: Sequence[Resolved],
    chosen: Sequence[Place],
    pairs: Sequence[Ring],
    contradicted: bool,
    gps: GPS | None,
    context_places: Sequence[Place],
    home: str | None,
    context: ContextFacts | None,
    gazetteer: Gazetteer,
    rows: Sequence[Mention],
) -> Estimate | None:
    """The estimate from the places kept; ``rows``: every line read on the photo, named or not."""
    if gps is not None:
        return Estimate(
            lat=gps.lat,
            lon=gps.lon,
            radius_km=GPS_RADIUS_KM,
            confidence=GPS_CONFIDENCE,
            basis="gps",
            rule="gps",
            explanation=f"{gps.source.upper()} GPS {gps.lat:.5f}, {gps.lon:.5f}",
        )
    parts = ", ".join(f"{ring.place.name} {ring.as_signed}" for ring in pairs)
    if contradicted:
        # No camera position fits every sign: a misreading or a wrongly chosen place. Say so with
        # a region wide enough to hold every ring, at the lowest confidence, never a tidy point.
        lat = sum(p.lat for p, *_ in pairs) / len(pairs)
        lon = sum(p.lon for p, *_ in pairs) / len(pairs)
        radius = max(haversine_km(lat, lon, p.lat, p.lon) + d for p, d, *_ in pairs)
        return Estimate(
            lat=lat,
            lon=lon,
            radius_km=radius,
            confidence=CONTRADICTION_CONF,
            basis="distance",
            rule="contradiction",
            explanation=f"{len(pairs)} distance signs that cannot all be true: {parts} -> no single region",
        )
    if len(pairs) >= 2:
        fit = fit_rings(pairs, *_sign_area(home, [r.place for r in pairs]))
        best, others = fit.modes[0], fit.modes[1:]
        # How often such a region holds the camera (a share of that where the rings meet in
        # several places), times how well its names were read on average: a poorly read name
        # that still meets the others is no misreading. A wide region is no less likely to hold
        # the camera: its radius says how little it narrows things down.
        factors = [_reading_factor(r, p) for r, p in zip(resolved, chosen, strict=True) if r.mention.distance_km]
        read = sum(factors) / len(factors)
        held = best.probability / REGION_MASS * RINGS_HOLD
        conf = held * read if fit.loglik > RINGS_LOGLIK_FLOOR else min(RINGS_CONF_MIN, held)
        if others:  # one of several places: no more than this place's own share
            conf = min(conf, best.probability)
        conf = round(conf, 2)
        if others:
            named = " or ".join(f"{_where(m, pairs, fit.modes)} ({m.probability:.0%})" for m in fit.modes)
            outcome = f"one of {_COUNT_WORDS.get(len(fit.modes), str(len(fit.modes)))} places: {named}"
        else:
            outcome = f"region of {best.radius_km:.0f} km radius"
        return Estimate(
            lat=best.lat,
            lon=best.lon,
            radius_km=best.radius_km,
            confidence=conf,
            basis="distance",
            rule="distance_signs",
            polygon=best.polygon,
            explanation=f"{len(pairs)} distance signs: {parts} -> {outcome}",
            probability=best.probability,
            alternatives=tuple(
                Alternative(
                    lat=m.lat,
                    lon=m.lon,
                    radius_km=m.radius_km,
                    probability=m.probability,
                    explanation=f"the distance signs also meet {_where(m, pairs, fit.modes)}",
                )
                for m in others
            ),
        )
    if len(pairs) == 1:
        first = pairs[0]
        r = next(r for r, q in zip(resolved, chosen, strict=True) if q is first.place and r.mention.distance_km)
        # Same-named destinations farther apart than the distance are different answers.
        p, shares = _likeliest_namesake(first.place, r, home, list(context_places), same_km=first.road_km)
        ring = mention_ring(r.mention, p)
        assert ring is not None  # r has a distance
        return _among_namesakes(
            p,
            radius_km=ring.road_km,
            confidence=ONE_RING_CONF * _reading_factor(r, p) * _lone_word_factor(r, p) * _unit_odds(p, r),
            basis="distance",
            rule="distance_sign",
            explanation=f"sign: {p.name} {ring.as_signed} -> within {ring.road_km:.0f} km of {p.name}",
            shares=shares,
            ring=r.mention,
        )
    named = [(r, p) for r, p in zip(resolved, chosen, strict=True)]
    heading = _destinations(resolved, chosen, rows)
    if named and all(id(r) in heading for r, _ in named if r.mention.kind == "ocr") and heading:
        return _towards(named, heading, home, context_places)
    if named:
        # The strongest sign evidence: a place's own sign over a direction sign's destination, OCR
        # over metadata location over nothing; best match first.
        order = {"ocr": 0, "xmp": 1, "iptc": 1}
        r, p = min(named, key=lambda rp: (id(rp[0]) in heading, order.get(rp[0].mention.kind, 2), -rp[1].match))
        others_read = [q for q in chosen if q is not p]
        if r.roads:
            # A destination beyond a direction sign's reach of every city the ring road may be
            # ("ПСКОВ E22 / МКАД": Pskov is 610 km from Moscow, 440 from Minsk, the end of a
            # trunk road from either) says nothing of which city it is; a near one does.
            others_read = [
                q
                for q in others_read
                if any(haversine_km(q.lat, q.lon, c.lat, c.lon) <= DESTINATION_REACH_KM for c in r.namesakes)
            ]
        anchors = list(context_places) + others_read
        picked = p
        # The coordinates a caption gives hold the town whose own sign the photo shows, if any does.
        said_at = [(point, CAPTION_NEAR_KM) for point in _caption_points(context)]
        p, shares = _likeliest_namesake(p, r, home, anchors, beside=said_at)
        # Readings that disagree are all quoted: the one that matched best named another place.
        read = " / ".join(f"'{x}'" for x in r.mention.readings) if p is not picked else f"'{_reading_of(r, p)}'"
        # A ring road's name ("МКАД") puts the sign inside the ring or on a road leading to it.
        reach = {road.city_id: road.reach_km + r.road_km for road in r.roads}
        radius = reach.get(p.geonameid) or place_radius_km(p)
        conf = NAME_EXACT_CONF * _reading_factor(r, p)
        conf *= OCR_NAME_FACTOR * _lone_word_factor(r, p) if r.mention.kind == "ocr" else METADATA_NAME_FACTOR
        what = {"ocr": "sign reads", "xmp": "XMP location", "iptc": "IPTC location"}.get(r.mention.kind, "names")
        road = next((f", the {x.name}," for x in r.roads if x.city_id == p.geonameid), "")
        # A lone name may be the town's own sign or a direction sign's destination: nothing on the
        # photo told them apart, so the analyst is told what the other reading would mean.
        other_kind = (
            f", if it is the town's own sign; a direction sign to it would leave the camera up to about "
            f"{DESTINATION_REACH_KM:.0f} km away"
            if r.mention.kind == "ocr" and not r.roads
            else ""
        )
        return _among_namesakes(
            p,
            radius_km=radius,
            confidence=conf,
            basis=r.mention.kind,
            rule="place_sign" if r.mention.kind == "ocr" else "written_location",
            explanation=f"{what} {read}{road} -> {p.name} ({p.country_code}), within {radius:.0f} km",
            caveat=other_kind,
            shares=shares,
            radii=reach,
        )
    if context is not None and context.coordinates:
        return _caption_coordinates(context)
    # A country named only by its people's adjective says whose, not where ("Russian forces
    # shelled the town": not Russia, ``by_demonym``); alone, the caption names no place.
    text = context.text if context else ""
    where = [q for q in context_places if not by_demonym(q) or _qualifies_a_place(q, text)]
    if where:
        p = _finest(where, context)
        sentence = _sentence_naming(context, p)
        region = _caption_region(p, context, gazetteer, context_places)
        if region is not None:
            return _within(*region, sentence)
        if p.kind == "country":
            return None  # a country across a border the caption names, which it does not say which side of
        said = context.mentions if context else ()
        far = next((m for m in said if m.distance_km and p.matched in m.readings), None)
        km = mention_km(far, p) if far else None
        if far and km and far.bearing_deg is not None:  # "35 miles south-west of Austin": about there
            lat, lon = offset_km(p.lat, p.lon, km, far.bearing_deg)
            way = _COMPASS[round(far.bearing_deg / 45) % 8]
            reach = place_radius_km(p) + CAPTION_BEARING_SPREAD * km
            estimate = _from_caption(lat, lon, reach, sentence, f"puts it {km:.0f} km {way} of {p.name}")
            return _beside_tied_towns(estimate, p, context, context_places)
        named, shares = p, Shares(1.0, [], 0, False)
        if p.kind == "city" and not _named_by_country(context, p):  # a country's capital has no namesakes
            p, shares = _caption_namesakes(p, context_places, context, home, gazetteer)
            km = mention_km(far, p) if far else None
        # "під Черніговом", "near Chernihiv", "the outskirts of": a caption places a photo about a
        # town, not in it; a region or a country is already as vague as its own reach.
        radius = place_radius_km(p) + (CAPTION_NEAR_KM if p.kind == "city" else 0.0)
        if km:  # "25 km from Chernihiv": the camera about that far from the town, any direction
            radius = max(radius, km + place_radius_km(p))
        if round(shares.share, 2) >= 1.0:
            estimate = _from_caption(p.lat, p.lon, radius, sentence, f"names {p.name}")
        else:
            estimate = _among_namesakes(
                p,
                radius_km=radius,
                confidence=CAPTION_ONLY_CONF,
                basis="context",
                rule="caption",
                explanation=_caption_says(sentence, f"names {p.name}"),
                shares=shares,
                radii={q.geonameid: place_radius_km(q) + CAPTION_NEAR_KM for q, _ in shares.others},
            )
            estimate = _beside_unlisted(estimate, p, shares, named.matched or named.name, sentence)
        return _beside_tied_towns(estimate, named, context, context_places)
    return None


def _finest(where: Sequence[Place], context: ContextFacts | None) -> Place:
    """The place a caption names most narrowly among those it ties to the photo most strongly: a
    town before a region before a country; and a town inside the area the caption names about
    another ("на Запорожском направлении, в районе Работино": the front about Zaporizhzhia is 80 km
    wide, Robotyne lies in it) before that one. A town named as itself ("in Kyiv") is not an area,
    and the towns about it stay second.

    ``where`` comes in the order the caption ties its places to the photo. Where that is a region,
    narrower than it are only the places tied to the photo alike (``ContextFacts.tied``) and the
    places inside it ("Kupiansk, Kharkiv region"; "Journalists in Kramatorsk, Donetsk region"): a
    town named elsewhere in the caption is not ("Smoke over a field in the Kursk region. Kyiv has
    not commented."; "A soldier born in Odesa trains in Chernihiv region"). A country is often
    named in passing ("Ukraine's war"), and a word that names a district somewhere ("Аеродром")
    is no region the caption means, so they take no precedence."""
    said = context.mentions if context else ()
    if where[0].kind == "admin1" and context is not None:
        first = [where[0], *_tied_places(context, where)]
        where = [q for q in where if q in first or lies_in_any(q, first)]
    p = min(where, key=lambda q: {"city": 0, "admin2": 1, "admin1": 2, "country": 3}.get(q.kind, 4))
    named_about = any(m.distance_km and m.bearing_deg is None and p.matched in m.readings for m in said)
    if p.kind != "city" or not named_about:
        return p
    reach = _caption_reach(p, said)
    inside = [
        q
        for q in where
        if q.kind == "city"
        and q.geonameid != p.geonameid
        and haversine_km(p.lat, p.lon, q.lat, q.lon) <= reach
        and _caption_reach(q, said) < reach
    ]
    return min(inside, key=lambda q: _caption_reach(q, said)) if inside else p


def _beside_unlisted(estimate: Estimate, p: Place, shares: Shares, name: str, sentence: str) -> Estimate:
    """``estimate`` (at ``p``) with the place called ``name`` that the gazetteer may lack near the
    caption's other town (``Shares.unlisted``): an alternative, or the estimate where it is the likelier."""
    if shares.unlisted is None:
        return estimate
    town, share = shares.unlisted
    radius = place_radius_km(town) + CAPTION_NEAR_KM
    lacked = f"a place near {town.name} ({town.country_code}) that the gazetteer lacks"
    if share <= shares.share:
        near = Alternative(town.lat, town.lon, radius, share, f"or {lacked}, {share:.0%}")
        return replace(
            estimate, alternatives=tuple(sorted((*estimate.alternatives, near), key=lambda a: -a.probability))
        )
    held = estimate.probability or 1.0
    listed = Alternative(
        estimate.lat, estimate.lon, estimate.radius_km, held, f"or {p.name} ({p.country_code}), {held:.0%}"
    )
    return Estimate(
        lat=town.lat,
        lon=town.lon,
        radius_km=radius,
        confidence=round(CAPTION_ONLY_CONF * share, 2),
        basis="context",
        rule="caption",
        explanation=_caption_says(sentence, f"names {name}, likeliest {lacked} ({share:.0%})"),
        probability=share,
        alternatives=tuple(sorted((listed, *estimate.alternatives), key=lambda a: -a.probability)),
    )


def _beside_tied_towns(
    estimate: Estimate, town: Place, context: ContextFacts | None, context_places: Sequence[Place]
) -> Estimate:
    """``estimate``, from the place a caption names first, sharing its probability equally with each
    town the caption ties to the photo as strongly (``ContextFacts.tied``) that lies outside it and
    whose own area (within the distance or the area the caption gives about it) does not hold it.

    "10 km south of Kherson, near the village of Krynky" puts the photo in one of two places 40 km
    apart, as written: each is an alternative to the other, neither a mean of the two. Towns no
    word ties to the photo, or tied less ("in a statement from Kyiv"), are not where it may be."""
    if context is None or not context.tied or town.kind != "city":
        return estimate
    said = context.mentions[: context.tied]
    tied = {reading for m in said for reading in m.readings}
    if town.matched not in tied:
        return estimate

    # A town whose named area holds the estimate ("в районі Вербового на Запорізькому напрямку":
    # Verbove lies on that front) is the same answer, not another.
    towns = [
        (q, _caption_reach(q, said))
        for q in context_places
        if q.kind == "city" and q.geonameid != town.geonameid and q.matched in tied
    ]
    towns = [
        (q, r)
        for q, r in towns
        if (d := haversine_km(q.lat, q.lon, estimate.lat, estimate.lon)) > estimate.radius_km and d > r
    ]
    if not towns:
        return estimate
    n = len(towns) + 1
    own = (estimate.probability or 1.0) / n
    kept = [replace(a, probability=a.probability / n) for a in estimate.alternatives]
    added = [
        Alternative(
            lat=q.lat,
            lon=q.lon,
            radius_km=r,
            probability=1 / n,
            explanation=f"or near {q.name} ({q.country_code}), which the caption names as plainly, {1 / n:.0%}",
        )
        for q, r in towns
    ]
    named = ", ".join(q.name for q, _ in towns)
    return replace(
        estimate,
        confidence=round(estimate.confidence / n, 2),
        probability=own,
        explanation=f"{estimate.explanation}; it names {named} as plainly ({own:.0%})",
        alternatives=tuple(
            sorted((a for a in (*kept, *added) if a.probability >= NAMESAKE_MIN_SHARE), key=lambda a: -a.probability)
        ),
    )


PLACE_NOUNS = "town|village|city|settlement|region|territory|side|soil|border|crossing|checkpoint|port|capital"
"""English nouns of a place that a people's adjective may qualify: "the Russian town of Sudzha", "a
Moldovan border crossing", "on the Polish side": there the adjective says where."""


def _named_by_country(context: ContextFacts | None, p: Place) -> bool:
    """Whether the caption names ``p`` by its country's name, which is not the town's, as the
    country's capital or its n-th city by size ("the Ukrainian capital", "Ukraine's second-largest
    city"; ``choice._capital``, ``choice._largest_city``)."""
    return any((m.capital or m.largest) and p.matched in m.readings for m in (context.mentions if context else ()))


def _qualifies_a_place(country: Place, text: str) -> bool:
    """Whether the caption's adjective of ``country``'s people qualifies a place ("the Russian
    village of Plekhovo"), not people or things ("Russian forces")."""
    adjective = re.escape(country.matched or country.name)
    return re.search(rf"\b{adjective}\s+(?:{PLACE_NOUNS})s?\b", text, re.IGNORECASE) is not None


def _caption_reach(town: Place, said: Sequence[Mention]) -> float:
    """How far from ``town`` a caption puts what it says: an area it names about the town ("на
    Запорізькому напрямку", 80 km) or a distance it gives, else "near" it, beyond its built-up area."""
    m = next((m for m in said if town.matched in m.readings and m.distance_km), None)
    return place_radius_km(town) + ((mention_km(m, town) if m else None) or CAPTION_NEAR_KM)


def _caption_namesakes(
    p: Place, context_places: Sequence[Place], context: ContextFacts | None, home: str | None, gazetteer: Gazetteer
) -> tuple[Place, Shares]:
    """The likeliest of the towns a caption's name for ``p`` may be, and how the probability
    divides among them.

    The caption's places decide between namesakes that lie apart ("Золочів Харківської області",
    ``resolve_context``); a name alone stays ambiguous: "под Волчанском" is Vovchansk in Ukraine
    (17,000 people; Волчанск in Russian) or Volchansk in the Urals (10,000, named so). Each namesake
    weighs as a sign's do (``_namesake_shares``) and by how the gazetteer ranks the name for it, beside the
    regions the caption names and the country it names or the evidence gives (not the country of
    the caption's own places, which is the question), and the heaviest is the estimate.
    """
    name = p.matched or p.name
    # The regions it names weigh (a region written with a town is the town's), and so do the towns
    # of its sentence about them ("near Andriivka, south of Bakhmut": the Andriivka by Bakhmut,
    # not the larger ones in other oblasts, and it is looked up among them), and those of a
    # dateline or headline, which says where the whole post is ("Бахмутское направление\nПозиции
    # под Клещеевкой"); towns of other sentences may be far on purpose ("journalists working in
    # Rossosh").
    text = context.text if context else ""
    at = _naming_sentence(context, p)
    beside = [
        (q, _caption_reach(q, context.mentions if context else ()))
        for q in context_places
        if q.kind == "city"
        and q.matched != name
        and at is not None
        and (other := _naming_sentence(context, q)) is not None
        and (other[0] == at[0] or len(name_words(other[2])) <= DATELINE_WORDS)
    ]
    regions = [q for q in context_places if q.kind == "admin1"]
    near = Priors(places=[*(q for q, _ in beside), *regions][:MAX_PRIOR_PLACES])
    found = gazetteer.search(name, priors=near, limit=NAMESAKE_LIMIT, fuzzy=False)
    # A Latin name that is how a town's country romanises its own name ("Zaporizhzhia", GeoNames'
    # city being "Zaporizhzhya") names it as its own name does, as on a sign (``match_rank``): a
    # caption's "Zaporizhzhia" is the city of 710,000 more than the villages the register so spells.
    # So is a Ukrainian town's Russian name, which prose in Russian names it by ("под Волчанском":
    # Vovchansk as much as Volchansk in the Urals, named so).
    # A Cyrillic name that reaches a town only as a romanised other name of it ("Горки": "Gorki",
    # Nizhny Novgorod's name until 1990) names the towns that bear it, not that one.
    pool = tuple(
        replace(q, match=max(q.match, match_rank(q, gazetteer, prose=True)))
        for q in found
        if q.kind == "city" and q.match >= EXACT_MATCH and not romanised_alias(q, name, gazetteer)
    )
    # A Russian name also stands for Ukraine's villages so called in Russian, which GeoNames holds
    # by their Ukrainian name only ("под Клещеевкой": Kleshchevka in Russia, or Кліщіївка); not
    # the guessed names of a town's adjective.
    # Where the name already reaches Ukraine's places ("Авдеевка": GeoNames holds Avdiivka's Russian
    # name; "Каховка" is spelled so in both), its spellings add only false namesakes.
    if not any(q.country_code == "UA" for q in pool):
        said = [m for m in (context.mentions if context else ()) if not m.adjective and _reads_as(m, name)]
        for x in dict.fromkeys(x for m in said for x in m.readings):
            held = {q.geonameid for q in pool}
            pool += tuple(q for q in ukrainian_namesakes(x, gazetteer, near) if q.geonameid not in held)
    # A region written right after the town says which one it is, as when the caption was first
    # read ("Alexandria, Kirovohrad region": Oleksandriia, not Alexandria in Egypt, however much
    # larger and named so as its own name): the namesakes beyond it are not weighed.
    qualifiers = written_after(context, name, [q for q in context_places if q.kind == "admin1"]) if context else []
    pool = tuple(q for q in pool if lies_in_any(q, qualifiers)) or pool
    # So does a country's people's adjective right before it ("в іспанській Валенсії": Spain's).
    peoples = {m.of_country for m in (context.mentions if context else ()) if m.of_country and _reads_as(m, name)}
    codes = {q.country_code for c in peoples if (q := gazetteer.country(c)) is not None}
    if any(q.country_code in codes for q in pool):
        pool = tuple(q for q in pool if q.country_code in codes)
        p = p if p.country_code in codes else pool[0]
    if pool and romanised_alias(p, name, gazetteer):
        p = pool[0]
    ids = {q.geonameid for q in pool} | {p.geonameid}
    anchors = [q for q in regions if q.geonameid not in ids]
    beside = [(q, km) for q, km in beside if q.geonameid not in ids]
    # A country the caption names is where the photo is ("Kharkiv, Ukraine"), unless it is across
    # a border the caption names ("під Слуцьком, неподалік кордону з Росією"), named only by its
    # people's adjective ("Russian forces captured ...": whose forces, not where; but "the Russian
    # town of Sudzha" says where) or only as where things come from ("refugees from Ukraine").
    across = {q.geonameid for q in border_places(context, gazetteer)}
    named = next(
        (
            q.country_code
            for q in context_places
            if q.kind == "country"
            and q.geonameid not in across
            and (not by_demonym(q) or _qualifies_a_place(q, text))
            and not (context is not None and named_only_whence(context, q))
        ),
        None,
    )
    country = home if home != dominant_country(context_places) else named
    # Nothing giving the country, the peoples the caption names by adjective and the countries of
    # its other towns say near where.
    kin = {
        q.country_code
        for q in context_places
        if by_demonym(q) or (q.kind == "city" and q.matched != name and q.geonameid not in ids)
    }
    lands = [] if country else [g for c in sorted(kin) if (g := _home_geometry(c)) is not None]
    # Where every namesake lies far from those lands, the name may be a place the gazetteer lacks
    # (a district, a beach, a resort) near the town the caption first puts something at: "В Одесі
    # ППО працювала ... Фото з Аркадії" is Odesa's Arcadia, not Arcadia, California; not near
    # where it was only said ("journalists working in Warsaw").
    # Facts built by hand may give no ``placed``: their mentions then place nothing.
    placed = [m for m, at in zip(context.mentions, context.placed, strict=False) if at] if context else []
    towns = [
        (at, q)
        for q in context_places[:MAX_PRIOR_PLACES]  # the places the caption ties to the photo come first
        if q.kind == "city"
        and q.matched != name
        and q.geonameid not in ids
        and (q.country_code == country if country else lands)
        and any(_reads_as(m, q.matched) for m in placed)
        and (at := _naming_sentence(context, q)) is not None
    ]
    town = min(towns, key=lambda aq: aq[0][:2])[1] if towns else None
    # The place as this search matched the name, so that it weighs as its namesakes do.
    p = next((q for q in pool if q.geonameid == p.geonameid), p)
    r = Resolved(Mention(readings=(name,), kind="context"), [p], namesakes=pool)
    # Namesakes "near" one another as a caption means it (a post office's point a few km from its
    # town) are one place to the caption.
    return _likeliest_namesake(
        p, r, country, anchors, CAPTION_NEAR_KM, written=name, beside=beside, lands=lands, unlisted=town
    )


def _among_namesakes(
    place: Place,
    *,
    radius_km: float,
    confidence: float,
    basis: EstimateBasis,
    rule: EstimateRule,
    explanation: str,
    shares: Shares,
    ring: Mention | None = None,
    reach_km: float | None = None,
    radii: Mapping[int, float] | None = None,
    caveat: str = "",
) -> Estimate:
    """An estimate at a place that others share the name of (``_namesake_shares``): its share is
    the probability and multiplies the confidence, and the explanation says how many places share
    the name ("11%: 30 other places share the name"); each namesake worth naming is an alternative,
    within the distance ``ring`` gives when a distance sign named it (in the unit the namesake's
    country signs in), within ``reach_km`` when a direction sign points to it, else within its
    own reach, or the radius ``radii`` gives it by GeoNames id (a ring road's). A place the name
    matches only within OCR tolerance, where the estimate's place matches it exactly, says so: it
    supposes the reading wrong. ``caveat`` ends the explanation: what else the evidence may mean."""
    share, others = shares.share, shares.others
    misread = [q.match < EXACT_MATCH <= place.match for q, _ in others]  # a reading the estimate takes as right
    if round(share, 2) < 1.0:  # "(100%: ...)" would say nothing
        fits = " or a misreading of it" if any(misread) else ""
        explanation += f" ({share:.0%}: {_sharing(shares)} the name{fits})"
    explanation += caveat
    reach = [mention_km(ring, q) if ring else None for q, _ in others]
    off = ", if the reading is a letter or two off"
    return Estimate(
        lat=place.lat,
        lon=place.lon,
        radius_km=radius_km,
        confidence=round(confidence * share, 2),
        basis=basis,
        rule=rule,
        explanation=explanation,
        probability=share if share < 1.0 else None,
        alternatives=tuple(
            Alternative(
                lat=q.lat,
                lon=q.lon,
                radius_km=km or reach_km or (radii or {}).get(q.geonameid) or place_radius_km(q),
                probability=w,
                explanation=f"or {f'within {km:.0f} km of ' if km else 'towards ' if reach_km else ''}{q.name}"
                f" ({q.country_code}){off if wrong else ''}, {w:.0%}",
            )
            for (q, w), wrong, km in zip(others, misread, reach, strict=True)
        ),
    )


def _sharing(shares: Shares) -> str:
    """Who else bears the name, as the explanation says it: "one other place shares", "30 other
    places share", "24 or more other places share" (the gazetteer was asked for no more)."""
    n = shares.count
    if n == 0:  # only the weight that stands for places the gazetteer was not asked for
        return "other places may share"
    if shares.more:
        return f"{n} or more other places share"
    return "one other place shares" if n == 1 else f"{n} other places share"


def _caption_says(sentence: str, claim: str) -> str:
    """The explanation of an estimate from the caption alone, quoting the sentence it rests on
    when one was found."""
    return f'only the caption: "{sentence}" {claim}' if sentence else f"only the caption: it {claim}"


def _from_caption(lat: float, lon: float, radius_km: float, sentence: str, claim: str) -> Estimate:
    """An estimate from the caption alone (``_caption_says``)."""
    return Estimate(
        lat=lat,
        lon=lon,
        radius_km=radius_km,
        confidence=CAPTION_ONLY_CONF,
        basis="context",
        rule="caption",
        explanation=_caption_says(sentence, claim),
    )


CAPTION_POINT_KM = 1.0
"""Radius about coordinates a caption gives: a geolocation marks the spot the camera saw, given to
a few hundred metres; the camera stood at most about this far from it."""


def _caption_points(context: ContextFacts | None) -> list[Place]:
    """The coordinates a caption gives, as places to weigh namesakes by."""
    return [
        Place(geonameid=0, name="caption coordinates", lat=lat, lon=lon, country_code="")
        for lat, lon in (context.coordinates if context else ())
    ]


def _caption_coordinates(context: ContextFacts) -> Estimate:
    """An estimate at the coordinates a caption gives ("Geolocated: 48.5921, 37.9940"): its
    author's claim, as a town it names is, but to a point; several pairs share the probability."""
    (lat, lon), *more = context.coordinates
    claim = f"gives the coordinates {lat:.5f}, {lon:.5f}"
    if not more:
        return _from_caption(lat, lon, CAPTION_POINT_KM, "", claim)
    n = 1 + len(more)
    return Estimate(
        lat=lat,
        lon=lon,
        radius_km=CAPTION_POINT_KM,
        confidence=round(CAPTION_ONLY_CONF / n, 2),
        basis="context",
        rule="caption",
        explanation=f"{_caption_says('', claim)}, and {n - 1} more pair{'s' if n > 2 else ''} ({1 / n:.0%} each)",
        probability=1 / n,
        alternatives=tuple(
            Alternative(
                lat=a,
                lon=b,
                radius_km=CAPTION_POINT_KM,
                probability=1 / n,
                explanation=f"or the caption's coordinates {a:.5f}, {b:.5f}, {1 / n:.0%}",
            )
            for a, b in more
        ),
    )


def _caption_border(context: ContextFacts | None, gazetteer: Gazetteer, home: str) -> Area | None:
    """The band along the border a caption places the photo near ("in Ukraine, near the border
    with Belarus"), on the side of the country ``home``; as wide as the caption says ("10 km from
    the border", with ``CAPTION_DISTANCE_SLACK``), else ``CAPTION_NEAR_KM``. None when it names
    no neighbour of ``home``."""
    neighbours = [p for p in border_places(context, gazetteer) if p.kind == "country" and p.country_code != home]
    if not neighbours or context is None:
        return None
    try:
        line, country = resolve_areas(borders=[f"{home}-{neighbours[0].country_code}"], regions=[home])
    except (RegionError, ValueError):
        return None
    km = context.border_km * CAPTION_DISTANCE_SLACK if context.border_km else CAPTION_NEAR_KM
    band = buffer_km(line.geometry, km).intersection(country.geometry)
    return None if band.is_empty else Area(name=line.name, kind="border", geometry=band, code=line.code)


CAPTION_DISTANCE_SLACK = 1.5
"""A caption's distance from a border is rounded and often by road: the band reaches half again as far."""


PART_SHARE = 1 / 3
"""Share of a country's or region's north-south (or east-west) extent that "northern X" ("на
півночі X") means: its outer third."""
_PART_NAMES = {"N": "northern", "S": "southern", "E": "eastern", "W": "western"}


def _caption_region(
    place: Place, context: ContextFacts | None, gazetteer: Gazetteer, context_places: Sequence[Place]
) -> tuple[BaseGeometry, str] | None:
    """The area a caption defines when it names no town: the part of a country or region it
    names ("northern Ukraine"), the band along a border it names, or where both meet, or the
    country it names, whole, unless it names it as the one across a border ("каля мяжы з
    Украінай": not Ukraine). Worked out only here, where no other evidence placed the photo: a
    border's band costs a buffer."""
    if place.kind not in ("country", "admin1") or context is None:
        return None
    homes = [p.country_code for p in context_places if p.kind == "country"]
    home = place.country_code if place.kind == "admin1" else (homes[0] if homes else None)
    border = _caption_border(context, gazetteer, home) if home else None
    part = next((m.part for m in context.mentions if m.part and place.matched in m.readings), None)
    shape: BaseGeometry | None = None
    what = ""
    area = None
    if part is not None or (border is not None and place.kind == "admin1"):
        try:
            (area,) = resolve_areas(named=[place]) or (None,)
        except RegionError:
            area = None
    if part is not None:
        if area is not None:
            x0, y0, x1, y1 = area.geometry.bounds
            w, h = (x1 - x0) * PART_SHARE, (y1 - y0) * PART_SHARE
            rect = {"N": (x0, y1 - h, x1, y1), "S": (x0, y0, x1, y0 + h), "E": (x1 - w, y0, x1, y1)}
            clipped = shapely.clip_by_rect(area.geometry, *rect.get(part, (x0, y0, x0 + w, y1)))
            if not clipped.is_empty:
                shape, what = clipped, f"{_PART_NAMES[part]} {place.name}"
    if border is not None:
        # A region's own stretch of the border ("10 km from the border in Chernihiv region"), or
        # the part of a country near it.
        within = shape if shape is not None else (area.geometry if area is not None else None)
        near = border.geometry if within is None else border.geometry.intersection(within)
        if not near.is_empty:
            where = what or (place.name if within is not None else "")
            shape, what = near, f"{where + ', ' if where else ''}near the {border.name}"
    if shape is None and place.kind == "country":
        across = {q.geonameid for q in border_places(context, gazetteer)}
        whole = _home_geometry(place.country_code) if place.geonameid not in across else None
        if whole is not None:
            shape, what = whole, place.name  # the whole country: a radius that reaches all of it
    if shape is None and place.kind == "admin1":
        # "над Брянской, Курской и Белгородской областями": every region the caption ties alike
        alike = [q for q in _tied_places(context, context_places) if q.kind == "admin1"]
        shape, what = _whole_regions(place, gazetteer, alike)
    return (shape, what) if shape is not None else None


def _whole_regions(place: Place, gazetteer: Gazetteer, alike: Sequence[Place] = ()) -> tuple[BaseGeometry | None, str]:
    """All of the region a caption names alone, of every region of its country the name names
    alike ("Donbas": Donetsk and Luhansk Oblasts), and of the regions ``alike`` it is named with
    ("Bryansk, Kursk and Belgorod regions"), with their names; (None, "") without outlines."""
    name = normalise(place.matched or place.name)
    regions = [place, *(q for q in alike if q.geonameid != place.geonameid)] + [
        q
        for q in gazetteer.search(place.matched or place.name, fuzzy=False, limit=10)
        if q.kind == "admin1"
        and q.country_code == place.country_code
        and q.geonameid != place.geonameid
        and q.match >= EXACT_MATCH
        and normalise(q.matched or q.name) == name
    ]
    try:
        areas = resolve_areas(named=regions)
    except RegionError:
        return None, ""
    if not areas:
        return None, ""
    return shapely.union_all([a.geometry for a in areas]), " and ".join(q.name for q in regions)


def _within(shape: BaseGeometry, what: str, sentence: str) -> Estimate:
    """A caption-only estimate over an area: its centre inside it, a radius that reaches all of it."""
    centre = shape.centroid
    if not shape.covers(centre):
        centre = shape.representative_point()
    radius = max(haversine_km(centre.y, centre.x, lat, lon) for lon, lat in shapely.get_coordinates(shape))
    return _from_caption(centre.y, centre.x, radius, sentence, f"says {what}")


DATELINE_WORDS = 3
"""Most words of a sentence that is a dateline or a headline naming where a post is, a line or a
sentence of its own: "KHARKIV", "#Бахмут", "Kyiv, Ukraine", "Бахмутское направление"."""
CAPTION_NEAR_KM = 25.0
"""Added to a town's reach for an estimate from a caption alone: captions say "near", "під",
"outside" or "the outskirts of" a town at about the distance of its suburbs and next villages."""
CAPTION_BEARING_SPREAD = 0.5
"""Reach, as a share of the distance, about the point a caption's "35 miles south-west of X" gives:
its direction is one of eight (22.5 degrees either side, 0.38 of the distance sideways) and its
distance a round figure ("about 35 miles", 20% either way); the farthest corner of that sector
lies 0.47 of the distance from the point."""
QUOTE_CHARS = 160
"""Longest piece of the caption quoted in an explanation: the sentence, cut around the name."""


_APOSTROPHES = str.maketrans("", "", "'’ʼ`")
"""Apostrophes, which one spelling of a name has and another lacks ("Mar'inka", "Marinka")."""


def _naming_sentence(context: ContextFacts | None, place: Place) -> tuple[int, int, str] | None:
    """Which of the caption's sentences names ``place``, about where in it, and the sentence; None
    when none does. The name is looked for as written where one of a mention's readings is the name
    matched ("Сум", whose form "Суми" named Sumy), else as matched or by the first letters of its
    declined form, apostrophes aside."""
    if context is None:
        return None
    matched = place.matched or place.name
    written = [re.escape(m.readings[0]) for m in context.mentions if _reads_as(m, matched)]
    said = re.compile(rf"(?<!\w)(?:{'|'.join(written)})(?!\w)") if written else None
    word = matched.split()[0].translate(_APOSTROPHES)
    stem = word[: max(4, len(word) - 3)].lower()  # "Чернігів" finds "Черніговом"
    for k, sentence in enumerate(sentences(context.text)):
        if said is not None and (hit := said.search(sentence)):
            return k, hit.start(), sentence
    for k, sentence in enumerate(sentences(context.text)):
        at = sentence.lower().translate(_APOSTROPHES).find(stem)
        if at >= 0:
            return k, at, sentence
    return None


def _tied_places(context: ContextFacts, places: Sequence[Place]) -> list[Place]:
    """Those of ``places`` named by the mentions the caption ties to the photo alike, first
    (``ContextFacts.tied``)."""
    tied = context.mentions[: context.tied]
    return [q for q in places if any(_reads_as(m, q.matched or q.name) for m in tied)]


def _reads_as(m: Mention, matched: str) -> bool:
    """Whether one of the mention's readings is the name ``matched``, as written, romanised as the
    gazetteer matched it ("Асіповічы" matched "Asipovichy", the only form of the Belarusian name
    the gazetteer holds; "Клещеевка" matched "Kleshchevka") or spelled in Ukrainian ("Работино"
    matched "Роботине", ``choice._ukrainian_village``)."""
    if matched.casefold() in {reading.casefold() for reading in m.readings}:  # "Брянская Область"
        return True
    if any(matched in ukrainian_spellings(reading) for reading in m.readings):
        return True
    if script_of(matched) != SCRIPT_LATIN:
        return False
    key = name_keys(matched)
    return any(name_keys(reading) & key for reading in m.readings)


def _sentence_naming(context: ContextFacts | None, place: Place) -> str:
    """The caption's sentence that names ``place``, cut to ``QUOTE_CHARS`` around the name; "" when
    none is found."""
    found = _naming_sentence(context, place)
    if found is None:
        return ""
    _k, at, sentence = found
    if len(sentence) <= QUOTE_CHARS:
        return sentence.strip()
    start = max(0, min(at - QUOTE_CHARS // 2, len(sentence) - QUOTE_CHARS))
    return ("…" if start else "") + sentence[start : start + QUOTE_CHARS].strip() + "…"


def _reading_factor(r: Resolved, p: Place) -> float:
    """How far a reading's own quality lowers what it says: a fuzzy match of the name
    (``FUZZY_FACTOR``), and the OCR confidence of the name itself."""
    low, high = FUZZY_FACTOR
    near = min(1.0, max(0.0, (p.match - MIN_MATCH) / (EXACT_MATCH - MIN_MATCH)))
    match = 1.0 if p.match >= EXACT_MATCH else low + (high - low) * near
    return match * min(1.0, (r.mention.confidence or FULL_CONF_OCR) / FULL_CONF_OCR)


def _lone_word_factor(r: Resolved, p: Place) -> float:
    """How much less a lone name read on a sign says when a word or a hamlet shares it.

    Alone on a photo, "КОРМА" (fodder) is a shop sign as likely as the town of Korma, and
    "НАЛИВАЙКА" a bar as likely as a village of 700; a town talked about less than its name is
    used as a word, or a hamlet among the many that share names with brands and surnames, is the
    weaker reading. A city's name is common because the city is talked about ("Київ", "Paris"),
    so it keeps its confidence. A name begun in a small letter is likely a piece of a word
    (``FRAGMENT_FACTOR``).
    """
    factor = 1.0
    if p.population < IMPORTANT_POPULATION and text_zipf(r.mention.text) >= WORD_NAME_ZIPF:
        factor *= WORD_NAME_FACTOR
    if p.population < SMALL_PLACE_POPULATION and not r.both_alphabets:
        factor *= SMALL_PLACE_FACTOR
    letters = max(sum(ch.isalpha() for ch in reading) for reading in r.mention.readings)
    if p.matched:  # the name that matched, when shorter: letters glued to it were left aside
        letters = min(letters, sum(ch.isalpha() for ch in p.matched))
    if letters < SHORT_NAME_LETTERS and p.population < IMPORTANT_POPULATION:
        factor *= SHORT_NAME_FACTOR
    if _fragment(r, p) and p.population < IMPORTANT_POPULATION:
        factor *= FRAGMENT_FACTOR
    return factor


def _fragment(r: Resolved, p: Place) -> bool:
    """Whether every reading that spells ``p`` exactly is Latin and begins with a small letter, on
    a row without a distance (``FRAGMENT_FACTOR``). Not a Cyrillic reading, whose capitals and small
    letters mostly share their shapes ("липки" off "ЛИПКИ"); not a row with its distance, a sign's
    destination whatever its letters' case ("insuratei 216"); not "omarna", a letter lost off
    Comarna, which matches only fuzzily."""
    key = normalise(p.matched or p.name)
    spelled = [x for x in r.mention.readings if normalise(x) == key]
    return (
        bool(spelled)
        and r.mention.distance_km is None
        and all(x[:1].islower() and script_of(x) == SCRIPT_LATIN for x in spelled)
    )


def _destinations(resolved: Sequence[Resolved], chosen: Sequence[Place], rows: Sequence[Mention]) -> dict[int, bool]:
    """The sign rows, by ``id`` of their ``Resolved``, that name where a road goes, not where the
    camera is, each with whether only its panel's colour says so (it may then be a town's own blue
    sign, ``DIRECTION_PANELS``).

    A city-limit sign names one place (in one or two alphabets, merged into one mention). A row
    with a route number ("ПСКОВ E22") or an arrow drawn beside it, a panel that names two or more
    separate places, one that also points to a service ("BORDEAUX / gare SNCF"), or one with
    another row read as some other name (``_listing_panels``), is a direction sign: its places are
    destinations, often far ahead. A junction sign whose other rows were not read still points
    its one name somewhere. So, very likely, does a name on a panel of a direction sign's colour.
    """
    panels: dict[int, list[Place]] = {}
    for r, p in zip(resolved, chosen, strict=True):
        if r.mention.kind == "ocr":
            panels.setdefault(r.mention.region or 0, []).append(p)

    def separate(places: Sequence[Place]) -> bool:
        return any(
            haversine_km(a.lat, a.lon, b.lat, b.lon) > place_radius_km(a) + place_radius_km(b)
            for a, b in itertools.combinations(places, 2)
        )

    listing = _listing_panels(resolved, chosen, rows)
    out: dict[int, bool] = {}
    for r in resolved:
        if r.mention.kind != "ocr" or r.roads:
            continue
        region = r.mention.region or 0
        pointed = bool(
            r.mention.routes
            or r.mention.signpost
            or r.mention.arrow is not None
            or separate(panels[region])
            or region in listing
        )
        if pointed or r.mention.panel in DIRECTION_PANELS:
            out[id(r)] = not pointed
    return out


def _listing_panels(resolved: Sequence[Resolved], chosen: Sequence[Place], rows: Sequence[Mention]) -> set[int]:
    """Sign panels with a row that reads as another name than the places kept on them.

    A city-limit sign holds one name, in one or two alphabets. A panel with another row spelled
    as a name (capitalised, ``LISTED_ROW_LETTERS`` letters or more, read with ``SHORT_NAME_CONF``,
    in letters about as tall as a kept name's, not everyday words nor a district's "Kreis" or
    "район") lists destinations even when that row names no place the gazetteer finds or was left
    out as misread: "Жловин / Рославль" (Жлобин with one letter wrong) is a direction sign to
    Roslavl, not Roslavl's own sign. A row spelled like a kept place's name, in either alphabet, is
    that sign's other line, not another name.
    """
    kept: dict[int, list[Box]] = {}  # per panel, the boxes of the rows kept as places
    for r in resolved:
        if r.mention.kind == "ocr" and r.mention.box is not None:
            kept.setdefault(r.mention.region or 0, []).append(r.mention.box)
    names = [x for r in resolved for x in r.mention.readings] + [p.name for p in chosen]
    heights: dict[int, list[int]] = {}  # per panel, the letter heights of the rows kept as places
    others: list[Mention] = []
    for m in rows:
        if m.kind != "ocr" or m.box is None:
            continue
        if any(box_within(m.box, k) for k in kept.get(m.region or 0, ())):
            heights.setdefault(m.region or 0, []).append(m.box[3])
        else:
            others.append(m)
    listing: set[int] = set()
    for m in others:
        assert m.box is not None
        region = m.region or 0
        if region in listing or (m.confidence or 0.0) < SHORT_NAME_CONF:
            continue
        tall = m.box[3]
        if not any(tall <= ROW_HEIGHT_RATIO * h and h <= ROW_HEIGHT_RATIO * tall for h in heights.get(region, ())):
            continue
        named = any(sum(ch.isalpha() for ch in x) >= LISTED_ROW_LETTERS and x[:1].isupper() for x in m.readings)
        if not named or any(is_everyday_text(x) or _admin_row(x) for x in m.readings):
            continue
        if spelled_alike(m.readings, names):
            continue
        listing.add(region)
    return listing


def _admin_row(text: str) -> bool:
    """Whether a row names a district or a town's status ("Kreis Nordfriesland", "м. Київ"), as a
    city-limit sign's second line does, rather than another place."""
    return any(is_region_word(w) or is_district_word(w) or w.lower().strip(".") in ADMIN_WORDS for w in text.split())


def _towards(
    named: Sequence[tuple[Resolved, Place]],
    heading: Mapping[int, bool],
    home: str | None,
    context_places: Sequence[Place],
) -> Estimate:
    """Where a direction sign without distances leaves the camera: on a road towards its places.

    Each destination lies within ``DESTINATION_REACH_KM`` of the camera, so the camera lies within
    that reach of the places' centre plus the places' own spread; no point on a destination. As
    sure as its names were read: fuzzy matches ("SSEREL", "CROCA" off a hiking sign) say less,
    and a name that a word or a hamlet shares as little as it says alone (``_lone_word_factor``:
    "Gro" off "Groß-Umstadt" is a village in Côte d'Ivoire). A lone destination is weighed over
    the places sharing its name farther apart than that reach, as a lone name is. Of several,
    one read right places the camera (the choice took the others near it), and the estimate
    misses only when every one is junk: two shop words or cut-off words that match hamlets by
    chance are found near each other easily among the thousands of hamlets the choice weighs
    ("SSEREL" and "CRISTOL" on a French hiking sign: a Romanian village of 600 and one of 1,500).
    """
    places = [p for r, p in named if id(r) in heading]
    weights = [_reading_factor(r, p) * _lone_word_factor(r, p) for r, p in named if id(r) in heading]
    if len({p.geonameid for p in places}) == 1:
        r, p = next((r, p) for r, p in named if id(r) in heading)
        read = min(weights)
        anchors = list(context_places) + [q for _, q in named if q.geonameid != p.geonameid]
        # Told only by its panel's colour, it may still be a town's own blue sign: then the camera is
        # there. Its circle widens to hold the camera either way; which place the name means, and how
        # surely, is asked as of any lone name (``LONE_DESTINATION_CONF``).
        by_colour = heading[id(r)]
        p, shares = _likeliest_namesake(p, r, home, anchors, same_km=None if by_colour else DESTINATION_REACH_KM)
        return _among_namesakes(
            p,
            radius_km=DESTINATION_REACH_KM,
            confidence=(LONE_DESTINATION_CONF if by_colour else ONE_DESTINATION_CONF) * read,
            basis="ocr",
            rule="direction_sign",
            explanation=(
                f"direction sign reads '{r.mention.text}' -> {p.name} ({p.country_code}), no distances: the "
                f"camera is on a road towards it, within about {DESTINATION_REACH_KM:.0f} km"
            ),
            shares=shares,
            reach_km=DESTINATION_REACH_KM,
            caveat=f"; read so by its {r.mention.panel} panel: were it the town's own sign, the camera is in it"
            if by_colour
            else "",
        )
    lat = sum(p.lat for p in places) / len(places)
    lon = sum(p.lon for p in places) / len(places)
    radius = max(haversine_km(lat, lon, p.lat, p.lon) for p in places) + DESTINATION_REACH_KM
    names = ", ".join(dict.fromkeys(p.name for p in places))
    return Estimate(
        lat=lat,
        lon=lon,
        radius_km=radius,
        confidence=DESTINATION_CONF * (1.0 - math.prod(1.0 - w for w in weights)),
        basis="ocr",
        rule="direction_sign",
        explanation=(
            f"direction sign to {names}, no distances: the camera is on a road towards them, "
            f"within about {radius:.0f} km"
        ),
    )


def _reading_of(r: Resolved, p: Place) -> str:
    """The reading of a row that names ``p`` as the gazetteer matched it, else its first: the
    passes may read one line differently ("IDe" and "LILLE"), and the analyst is shown the one
    the answer rests on."""
    key = normalise(p.matched or p.name)
    return next((x for x in r.mention.readings if normalise(x) == key), r.mention.text)


class Shares(NamedTuple):
    """How a lone name's probability divides among the places it may be (``_namesake_shares``)."""

    share: float
    """The chosen place's share."""
    others: list[tuple[Place, float]]
    """The namesakes worth naming (``NAMESAKE_MIN_SHARE``), each with its share, heaviest first."""
    count: int
    """How many other places, each a separated region, the name may be: the analyst is told that a
    village sign's 11% is one of thirty villages' shares, not a near tie."""
    more: bool
    """The gazetteer returned as many places as were asked for: more may bear the name."""
    unlisted: tuple[Place, float] | None = None
    """A place of the name that the gazetteer lacks, near this town of the caption's, and its share
    (``_caption_namesakes``): "Фото з Аркадії" after a story about Odesa is its Arcadia district."""


def _likeliest_namesake(
    chosen: Place,
    r: Resolved,
    home: str | None,
    anchors: Sequence[Place],
    same_km: float | None = None,
    *,
    written: str | None = None,
    beside: Sequence[tuple[Place, float]] = (),
    lands: Sequence[BaseGeometry] = (),
    unlisted: Place | None = None,
) -> tuple[Place, Shares]:
    """The likeliest of a lone name's places and how the name's probability divides (``_namesake_shares``).

    The choice takes the place its readings match best, and weighs the exact namesakes there (by
    rank and by how the name matched: "Олександрівськ" is a town of 6,000 and a former name of
    Zaporizhzhia). On a sign, a place only another reading of the line names (``_disputed_readings``)
    it weighs as a misreading; when such a place weighs more ("tasi" spells Teshi Old Town, 144,000
    people, as "Tassi"; "lasi" on the same line is Iaşi, 379,000, its I read as l), it is the
    estimate, and the place matched best an alternative. A name ``written`` in a caption is read
    as written, so its heaviest namesake is the estimate. So is a heavier namesake of a city's
    district the sign gives farther than districts are signposted (``signed_far``): the choice ranks
    a line's places by name and size, and a district has a town's size but is signed as its city.
    A hamlet so signed stays the choice's: its reading may well name it and nothing else.
    """

    def shares_of(place: Place) -> Shares:
        return _namesake_shares(
            place, r, home, anchors, same_km, written=written, beside=beside, lands=lands, unlisted=unlisted
        )

    shares = shares_of(chosen)
    top = shares.others[0] if shares.others else None
    far = chosen.geonameid in r.parts and signed_far(r, chosen) and top is not None and not signed_far(r, top[0])
    if top is not None and top[1] > shares.share and (written is not None or top[0].match < EXACT_MATCH or far):
        chosen = top[0]
        shares = shares_of(chosen)
    return chosen, shares


def _namesake_shares(
    chosen: Place,
    r: Resolved,
    home: str | None,
    anchors: Sequence[Place],
    same_km: float | None = None,
    *,
    written: str | None = None,
    beside: Sequence[tuple[Place, float]] = (),
    lands: Sequence[BaseGeometry] = (),
    unlisted: Place | None = None,
) -> Shares:
    """The chosen place's share of a lone name's probability, the namesakes worth naming and how
    many others there are.

    "Epping" alone is a town in England and two suburbs in Australia: each namesake weighs its
    size (``namesake_weight``) times its match. The mention's ``namesakes`` are the places it names
    exactly, and the place another reading of the same line names best. Other places it names
    only within OCR tolerance, while it names some exactly, are its ``rivals``: they weigh as
    much times the odds of that misreading (a reading that lost a letter of a far larger place
    may be that place), and those too light to name weigh nothing. Where the evidence gives a
    country, or other places are named with it, a namesake in neither keeps ``OFF_PRIOR_FACTOR``
    of its weight, and one whose country signs in another unit than the sign wrote keeps
    ``UNIT_ABROAD_ODDS``, and a hamlet or a city's part signed far (``signed_far``) keeps ``FAR_HAMLET_ODDS``.
    Where some namesakes lie in an admin-1 region among the ``anchors``, or within the reach of a
    town ``beside`` them ((town, km): "near Andriivka, south of Bakhmut"), the others keep
    ``OFF_PRIOR_FACTOR``, in the same country too. Namesakes beyond ``LANDS_REACH_KM`` of every
    one of ``lands`` (the countries of a caption's peoples and other towns) keep ``LANDS_FAR_FACTOR``.
    When every namesake lies off what the evidence says, the name may be a place the gazetteer
    lacks near the town ``unlisted`` (which lies on it), weighed as a namesake of no known size.
    Entries lying within one another's built-up
    area (or within ``same_km``: a distance sign's ring holds both) are one place. A reading that
    names nothing exactly ("C0NVERSE", "Brcntwood") is taken for a name, and each place of that
    name among its options is a namesake as well: the one ranked first is no likelier what the
    sign says. When the gazetteer returned as many namesakes as were asked for, more may exist,
    none larger than the last: one more of its weight stands for them. ``written``: the name as
    prose wrote it; each
    namesake weighs also how the gazetteer ranks that name for it (``name_odds``): prose names a
    town by its own name far more often than by a former one, and in Cyrillic a town where
    Cyrillic is written.
    """
    prior = bool(home) or bool(anchors)
    named = {q.geonameid for q in r.namesakes}
    odds = {q.geonameid: o for q, o in r.rivals if q.geonameid not in named}
    pool, spelled = _namesake_pool(chosen, r)
    regions = [a for a in anchors if a.kind == "admin1"]
    held = {
        q.geonameid
        for q in pool
        if lies_in_any(q, regions) or any(haversine_km(q.lat, q.lon, t.lat, t.lon) <= km for t, km in beside)
    }

    own_named = any(q.match > ALTERNATE for q in pool)  # the name is some namesake's own

    def off_prior(q: Place) -> float:
        """What the evidence of where leaves of ``q``'s weight: 1.0 where it may well be."""
        if held:  # a region or a town written with the name holds some of its places: not the others
            return 1.0 if q.geonameid in held else OFF_PRIOR_FACTOR
        factor = LANDS_FAR_FACTOR if lands and _beyond(lands, q) else 1.0
        near = q.country_code == home or any(haversine_km(q.lat, q.lon, a.lat, a.lon) <= ANCHOR_KM_CAP for a in anchors)
        return factor if near or not prior else factor * OFF_PRIOR_FACTOR

    def weight(q: Place) -> float:
        exponent = CAPTION_POPULATION_EXPONENT if written else NAMESAKE_POPULATION_EXPONENT
        named_so = name_odds(q, written) ** exponent if written else q.match
        if not written and own_named and q.geonameid in r.aliases:
            named_so *= ALIAS_CITY_ODDS
        w = namesake_weight(q, exponent) * named_so * odds.get(q.geonameid, 1.0)
        if unit_abroad(r.mention.distance_unit, q):
            w *= UNIT_ABROAD_ODDS
        if signed_far(r, q):
            w *= FAR_HAMLET_ODDS
        return w * off_prior(q)

    places: list[Place] = []  # one per separated region: the chosen place first, then by gazetteer rank
    weights: list[float] = []
    for q in pool:
        same = next(
            (
                i
                for i, g in enumerate(places)
                if haversine_km(q.lat, q.lon, g.lat, g.lon) <= (same_km if same_km is not None else place_radius_km(g))
            ),
            None,
        )
        if same is None:
            places.append(q)
            weights.append(weight(q))
        else:
            weights[same] += weight(q)
    total = sum(weights)
    exact = [q for q in r.namesakes if q.match >= EXACT_MATCH]
    if len(exact) >= NAMESAKE_LIMIT:
        unasked: Place | None = exact[-1]
    elif spelled and len(spelled) == len(r.options) == TOP_PER_MENTION:
        unasked = spelled[-1]
    else:
        unasked = None
    if unasked is not None:
        total += weight(unasked)
    near: tuple[Place, float] | None = None
    if unlisted is not None and all(off_prior(q) < 1.0 for q in places):
        # A place of no known size, named as its best-named namesake is ("Стокгольм" is Stockholm's
        # name in another alphabet, and of no place near Kyiv's own either).
        named_so = max(name_odds(q, written) for q in places) ** CAPTION_POPULATION_EXPONENT if written else 1.0
        lacked = namesake_weight(replace(unlisted, population=0), CAPTION_POPULATION_EXPONENT) * named_so
        if lacked >= NAMESAKE_MIN_SHARE * (total + lacked):  # lighter, it would only shave every share
            total += lacked
            near = (unlisted, lacked / total)
    others = sorted(((q, w / total) for q, w in zip(places[1:], weights[1:], strict=True)), key=lambda qw: -qw[1])
    worth = [qw for qw in others if qw[1] >= NAMESAKE_MIN_SHARE][:MAX_NAMESAKE_ALTERNATIVES]
    return Shares(weights[0] / total, worth, len(places) - 1, unasked is not None, near)


def _beyond(lands: Sequence[BaseGeometry], q: Place) -> bool:
    """Whether ``q`` lies beyond ``LANDS_REACH_KM`` of every one of ``lands``."""
    return not any(distance_km(g, q.lat, q.lon) <= LANDS_REACH_KM for g in lands)


def _namesake_pool(chosen: Place, r: Resolved) -> tuple[list[Place], list[Place]]:
    """The places a lone name may be, the chosen one first (``_namesake_shares``), and those of them
    that are only the options spelled as the reading when it names nothing exactly."""
    named = {q.geonameid for q in r.namesakes}
    guesses = [q for q, _ in r.rivals if q.geonameid not in named]
    spelled = [] if named else [q for q in r.options if q.matched == chosen.matched and q.match == chosen.match]
    return [chosen] + [q for q in (*r.namesakes, *guesses, *spelled) if q.geonameid != chosen.geonameid], spelled


def _unit_odds(chosen: Place, r: Resolved) -> float:
    """What a unit written beside a lone distance leaves of the estimate on ``chosen``.

    A place whose country signs in another unit than the one written is abroad for that sign: it
    keeps ``UNIT_ABROAD_ODDS`` when every place the name may be is abroad, because then the sign
    as likely names a place the gazetteer lacks or a misreading ("LAFFREY 22km": a French village
    of 500, one letter from Jaffrey, New Hampshire). When the name also has a place where the unit
    is signed, the namesake shares already weigh the unit (``_namesake_shares``): it is not
    counted twice.
    """
    pool, _ = _namesake_pool(chosen, r)
    if all(unit_abroad(r.mention.distance_unit, q) for q in pool):
        return UNIT_ABROAD_ODDS
    return 1.0


_COUNT_WORDS = {2: "two", 3: "three", 4: "four"}
"""How many places an explanation names, as a reader says it."""
_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def _where(mode: Mode, rings: Sequence[Ring], modes: Sequence[Mode]) -> str:
    """A region said by the sign destination nearest it: "near A" within the region's radius,
    else "40 km NE of A" (a reader finds it on any map without a reverse geocoder). Where another
    of the ``modes`` would also be "near A", both are said by distance and bearing: "near Orël
    or near Orël" would not tell the analyst which two places are meant."""
    p = _nearest_place(mode, rings)
    km = haversine_km(p.lat, p.lon, mode.lat, mode.lon)
    near = [
        m for m in modes if _nearest_place(m, rings) is p and haversine_km(p.lat, p.lon, m.lat, m.lon) <= m.radius_km
    ]
    if km <= mode.radius_km and all(m is mode for m in near):
        return f"near {p.name}"
    east = (mode.lon - p.lon) * math.cos(math.radians(p.lat))
    bearing = math.degrees(math.atan2(east, mode.lat - p.lat)) % 360
    return f"{km:.0f} km {_COMPASS[round(bearing / 45) % 8]} of {p.name}"


def _nearest_place(mode: Mode, rings: Sequence[Ring]) -> Place:
    """The sign destination nearest a region's centre: the one that says where the region is."""
    return min((r.place for r in rings), key=lambda q: haversine_km(mode.lat, mode.lon, q.lat, q.lon))


def _caption_point_conflicts(context: ContextFacts | None, estimate: Estimate | None) -> list[str]:
    """Coordinates a caption gives that lie more than CONFLICT_KM beyond the estimate the photo's own
    evidence made: the post's geolocation and the photo disagree, a claim to check."""
    if context is None or estimate is None or estimate.rule == "caption":
        return []
    out = []
    for lat, lon in context.coordinates:
        km = haversine_km(lat, lon, estimate.lat, estimate.lon)
        if km > estimate.radius_km + CONFLICT_KM:
            out.append(f"the caption's coordinates {lat:.5f}, {lon:.5f} are {km:.0f} km from the estimate")
    return out


def _conflicts(
    gps: GPS | None, resolved: Sequence[Resolved], chosen: Sequence[Place], context_places: Sequence[Place]
) -> list[str]:
    """Evidence that disagrees with the file's GPS by more than CONFLICT_KM, said plainly.

    A place the caption names counts too: a photo whose GPS lies 128 km from the town its caption
    names is a claim to check, whichever of the two is wrong.
    """
    if gps is None:
        return []
    out = []
    for r, p in zip(resolved, chosen, strict=True):
        km = haversine_km(gps.lat, gps.lon, p.lat, p.lon)
        d = mention_km(r.mention, p)
        limit = (d * ROAD_FACTOR[2] if d else place_radius_km(p)) + CONFLICT_KM
        if km > limit:
            out.append(f"{r.mention.kind} '{r.mention.text}' -> {p.name} is {km:.0f} km from the GPS position")
    for p in context_places:
        if p.kind == "country" or p.kind == "continent":
            continue  # the border check against the reported areas says how far a country is
        km = haversine_km(gps.lat, gps.lon, p.lat, p.lon)
        if km > place_radius_km(p) + CONFLICT_KM:
            out.append(f"caption '{p.matched or p.name}' -> {p.name} is {km:.0f} km from the GPS position")
    return out
