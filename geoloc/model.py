"""The plain records that flow through the pipeline, and the versioned JSON report built from them.

Stages exchange these dataclasses only, so each stage can be tested alone and reused from Python.
``Report.to_dict`` is the public schema ``geoloc.report/1``: later versions add fields, never rename.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

SCHEMA = "geoloc.report/1"

EvidenceKind = Literal["ocr", "iptc", "xmp", "context", "route"]
"""Where a piece of evidence comes from: text read in the photo, a location written in its IPTC or
XMP metadata, the caption or article published with it, or a route number read on a sign."""

MentionKind = Literal["ocr", "iptc", "xmp", "context"]
"""Where a name that may be a place was found (route numbers are never places)."""

EstimateBasis = Literal["gps", "ocr", "distance", "iptc", "xmp", "context"]
"""What an estimate rests on: the file's GPS, a name or distance signs read in the photo, a written
location in the metadata, or only the caption."""

EstimateRule = Literal[
    "gps",
    "distance_signs",
    "distance_sign",
    "direction_sign",
    "place_sign",
    "written_location",
    "caption",
    "contradiction",
]
"""Which rule drew an estimate, and so what its confidence was calibrated against: the file's GPS,
distance signs that meet, one distance sign, a direction sign without distances, a place's own
sign, a location written in the metadata, the caption alone, or distance signs that cannot all be
true."""

PlaceKind = Literal["city", "admin2", "admin1", "country", "continent"]
"""What a gazetteer entry is: a populated place, a county/district, a region, a country."""

Compass = Literal["N", "S", "E", "W"]
"""The part of a country or region a text means: "northern Ukraine", "на сході України"."""

AreaKind = Literal["country", "admin1", "border", "user"]
"""What a reported area is: a country, a region, the border between two countries, a user polygon."""

Box = tuple[int, int, int, int]
"""``(x, y, width, height)`` in pixels of the original (orientation-corrected) image."""

DistanceUnit = Literal["km", "mi"]
"""The unit of a road distance: kilometres, or the miles of the countries that sign in miles."""

Arrow = Literal["left", "up-left", "up", "up-right", "right"]
"""The arrow drawn beside a destination on a junction sign."""
ARROW_DEG: dict[str, float] = {"left": -90.0, "up-left": -45.0, "up": 0.0, "up-right": 45.0, "right": 90.0}
"""Where each arrow points, in degrees clockwise from straight ahead (the arrow drawn upright)."""
PanelColour = Literal["blue", "green", "yellow", "red", "white"]
"""The background of a sign panel found by its colour (``read.ocr.detect``): what kind of sign holds
a name is partly told by it (a direction sign's blue or green, a town's own white or yellow)."""
RIGHT_SIDE_ARROWS: frozenset[Arrow] = frozenset({"right", "up-right"})
"""Arrows a sign draws right of a distance ("Ніжин 40 →", "205Km →"): those pointing right. Any
other arrow found there is the next column's, drawn left of its own distance."""


def union_box(boxes: Iterable[Box | None]) -> Box | None:
    """The smallest box holding all the given boxes (None when none is given)."""
    bs = [b for b in boxes if b is not None]
    if not bs:
        return None
    x0, y0 = min(b[0] for b in bs), min(b[1] for b in bs)
    return (x0, y0, max(b[0] + b[2] for b in bs) - x0, max(b[1] + b[3] for b in bs) - y0)


def shared_extent(a: Box, b: Box, axis: int) -> int:
    """How far two boxes overlap along one axis (0: across, 1: down), in pixels; negative, the gap
    between them. Sign layout asks it both ways: words of one row share their height, rows of one
    panel share columns. Each caller measures the result against the size that matters to it."""
    return min(a[axis] + a[axis + 2], b[axis] + b[axis + 2]) - max(a[axis], b[axis])


def box_within(inner: Box, outer: Box) -> bool:
    """Whether box ``inner`` lies within ``outer``, a pixel of slack for rounding (a span in the
    box of the row or sign it was joined into)."""
    return (
        inner[0] >= outer[0] - 1
        and inner[1] >= outer[1] - 1
        and inner[0] + inner[2] <= outer[0] + outer[2] + 1
        and inner[1] + inner[3] <= outer[1] + outer[3] + 1
    )


def clock(seconds: float) -> str:
    """A time in a video as players show it: "0:12", "1:02:05" (whole seconds)."""
    whole = int(seconds)
    hours, minutes, secs = whole // 3600, whole // 60 % 60, whole % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_range(first: float, last: float) -> str:
    """When a video showed something: "0:12-0:15", or "0:12" within one second."""
    return clock(first) if clock(first) == clock(last) else f"{clock(first)}-{clock(last)}"


PHRASE_GAP = 1.0
"""Words of one text line farther apart than this many heights of the lower word are separate
phrases, and lettered phrases that far apart are separate names: a word space is a third to a half
of a capital's height, so the words of a name stand well under one height apart, while the
destinations of a sign with columns ("Чернігів   Ніжин") stand one to several apart."""


@dataclass(frozen=True)
class TextSpan:
    """One piece of text read in a photo, or in a video's frames (then with the frame's time)."""

    text: str
    confidence: float  # 0-100, as Tesseract reports it
    box: Box
    line: int = 0  # spans sharing a line number were read on the same text line
    region: int = 0  # index of the detected text region (sign panel) they came from
    lang: str = ""  # the Tesseract languages of the pass that read it
    time_s: float | None = None  # video: seconds from its start to the frame the box is on
    time_range: tuple[float, float] | None = None  # video: the first and last time the text was seen
    arrow: Arrow | None = None  # the arrow drawn beside a sign row's text or its distance, when one was seen
    panel: PanelColour | None = None  # the colour of the sign panel it was read on, when found by its colour

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "confidence": round(self.confidence, 1),
            "box": list(self.box),
            "line": self.line,
            "region": self.region,
        }
        if self.time_s is not None:
            d["time_s"] = round(self.time_s, 2)
        if self.time_range is not None:
            d["time_range"] = [round(t, 2) for t in self.time_range]
        if self.arrow is not None:
            d["arrow"] = self.arrow
        if self.panel is not None:
            d["panel"] = self.panel
        return d

    def when(self) -> str | None:
        """When a video showed the text, as players count: "0:12-0:15", "0:12"; None for a photo."""
        if self.time_s is None:
            return None
        return clock_range(*(self.time_range or (self.time_s, self.time_s)))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TextSpan:
        """Rebuild a span from ``to_dict`` or ``dataclasses.asdict`` output (cache, saved reports).

        The dict may come from a damaged or planted file, so every value is checked: a ValueError
        or TypeError says which one is wrong, and the caller reads the photo again.
        """
        x, y, w, h = d["box"]
        return cls(
            text=_text(d["text"], "text"),
            confidence=_number(d["confidence"], "confidence", 0.0, 100.0),
            box=(_integer(x, "box x"), _integer(y, "box y"), _integer(w, "box width", 0), _integer(h, "box height", 0)),
            line=_integer(d.get("line", 0), "line"),
            region=_integer(d.get("region", 0), "region"),
            lang=_text(d.get("lang", ""), "lang"),
            time_s=None if d.get("time_s") is None else _number(d["time_s"], "time_s", 0.0, math.inf),
            time_range=None if d.get("time_range") is None else _time_range(d["time_range"]),
            arrow=None if d.get("arrow") is None else _one_of(d["arrow"], ARROW_DEG, "arrow"),
            panel=None if d.get("panel") is None else _one_of(d["panel"], get_args(PanelColour), "panel"),
        )


@dataclass(frozen=True)
class Mention:
    """A name that may be a place, with every reading of it and where it was seen."""

    readings: tuple[str, ...]  # alternative spellings of one name (Cyrillic and Latin passes)
    kind: MentionKind
    distance_km: float | None = None  # road distance read beside it on a sign, the number as written
    distance_unit: DistanceUnit | None = None  # the unit written beside it; None: the country's (rings.sign_unit)
    bearing_deg: float | None = None  # a caption's "25 km north of X": which way from X, clockwise from north
    box: Box | None = None
    confidence: float | None = None
    region: int | None = None  # the OCR text region (sign panel) it came from
    source: str = ""
    routes: tuple[str, ...] = ()  # route numbers on the same line (М01, E95): kept as evidence
    place_kind: PlaceKind | None = None  # the kind of place named, when the source says (a country field)
    part: Compass | None = None  # the part of the named area a caption means ("northern Ukraine")
    signpost: bool = False  # its panel points elsewhere too (a distance, "gare SNCF", "ЦЕНТР"): a direction sign
    arrow: Arrow | None = None  # the arrow drawn beside it on a junction sign: which way it lies
    panel: PanelColour | None = None  # the colour of the sign panel it was read on (a direction sign's blue)
    twinned: str | None = None  # the language of its panel's twinning line ("Twinned with": en)
    adjective: bool = False  # a caption's town adjective ("Суджанського району"): it may be a city's district
    capital: bool = False  # a caption's "the Ukrainian capital", "столиця України": the country's capital is meant
    article: bool = False  # a caption's "crossed the Dnipro": English "the" before it, so no town is meant
    largest: int = 0  # a caption's "Ukraine's second-largest city": 2, the country's second city is meant
    fallback: tuple[str, ...] = ()
    """A caption's leading words, longest first, read when no reading names a place ("В Белгороде
    Гладков объявил": "Белгороде"; ``choice.settle_context``)."""
    institution: bool = False
    """A caption's name of an institution after its town ("Sumy State University"): the leading
    words must name a town, not a hamlet that spells a word of the name ("Bolshoi Theatre")."""
    of_country: str = ""
    """The country a caption's people's adjective right before it names ("в іспанській Валенсії":
    Spain): the place of that name in that country is meant."""

    @property
    def text(self) -> str:
        return self.readings[0]


@dataclass(frozen=True)
class ContextFacts:
    """What a caption or article says about where: place mentions and borders it names."""

    mentions: tuple[Mention, ...] = ()
    border_with: tuple[str, ...] = ()  # names following "border with/between"
    text: str = ""
    border_km: float | None = None  # "10 km from the border": how far from it the text puts the photo
    tied: int = 0  # how many of the first mentions a location, photo or event word ties to the photo alike
    placed: tuple[bool, ...] = ()  # per mention: a word puts something at it ("в Одесі"); missing: no
    coordinates: tuple[tuple[float, float], ...] = ()  # (lat, lon) pairs the text gives ("Geolocated: 48.59, 37.99")


@dataclass(frozen=True)
class GPS:
    """A position read from photo metadata (EXIF or XMP)."""

    lat: float
    lon: float
    altitude_m: float | None = None
    direction_deg: float | None = None
    timestamp: str | None = None  # ISO 8601, UTC when the GPS date/time says so
    datum: str | None = None
    source: str = "exif"  # "exif" or "xmp"
    direction_ref: str | None = None  # "T" (true north) or "M" (magnetic north) for direction_deg

    def to_dict(self) -> dict[str, Any]:
        return {
            "lat": self.lat,
            "lon": self.lon,
            "altitude_m": self.altitude_m,
            "direction_deg": self.direction_deg,
            "direction_ref": self.direction_ref,
            "timestamp": self.timestamp,
            "datum": self.datum,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GPS:
        """Rebuild a position from ``to_dict`` output: finite numbers in their ranges, other fields text.

        A non-finite or out-of-range value (a damaged cache entry) raises ValueError rather than
        reaching the estimate and the map, which cannot draw it.
        """
        kw: dict[str, Any] = {}
        for f in fields(cls):
            value = d.get(f.name)
            if value is None:
                continue
            if f.name in _GPS_RANGES:
                kw[f.name] = _number(value, f.name, *_GPS_RANGES[f.name])
            else:
                kw[f.name] = _text(value, f.name)
        return cls(**kw)


@dataclass(frozen=True)
class Location:
    """A written location from IPTC IIM or XMP (after Metadata Working Group precedence)."""

    city: str | None = None
    state: str | None = None
    country: str | None = None
    country_code: str | None = None
    sublocation: str | None = None
    source: str = "xmp"  # "xmp", "iptc" or "xmp+iptc"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Location:
        """Rebuild a written location from ``to_dict`` output."""

        def opt(key: str) -> str | None:
            return None if d.get(key) is None else _text(d[key], key)

        return cls(
            city=opt("city"),
            state=opt("state"),
            country=opt("country"),
            country_code=opt("country_code"),
            sublocation=opt("sublocation"),
            source=_text(d.get("source", "xmp"), "source"),
        )


@dataclass(frozen=True)
class Metadata:
    """Everything the file's metadata says about where and when."""

    gps: GPS | None = None
    location: Location | None = None
    camera: dict[str, str] = field(default_factory=dict)  # make, model, datetime_original...
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "gps": self.gps.to_dict() if self.gps else None,
            "location": self.location.to_dict() if self.location else None,
            "camera": dict(self.camera),
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Metadata:
        """Rebuild metadata from ``to_dict`` output (the observation cache stores it this way)."""
        return cls(
            gps=GPS.from_dict(d["gps"]) if d.get("gps") else None,
            location=Location.from_dict(d["location"]) if d.get("location") else None,
            camera={_text(k, "camera field"): _text(v, "camera value") for k, v in (d.get("camera") or {}).items()},
            warnings=tuple(_text(w, "warning") for w in d.get("warnings") or ()),
        )


@dataclass(frozen=True)
class Place:
    """A gazetteer entry: a populated place, an admin-1 region or a country."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str
    admin1: str = ""  # admin-1 region name, e.g. "Chernihiv Oblast"
    admin1_code: str = ""  # GeoNames admin-1 code, e.g. "02"
    population: int = 0
    kind: PlaceKind = "city"
    matched: str = ""  # the gazetteer name the query matched
    match: float = 1.0  # 1.0 exact after folding, lower for fuzzy matches
    source: str = "geonames"  # or the online geocoder's name
    score: float = 0.0  # ranking score in [0, 1] from the gazetteer search (match, size, priors)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


PLACE_RADIUS_KM = {"continent": 2000.0, "country": 300.0, "admin1": 80.0, "admin2": 30.0}
"""How far an area reaches from its point, by kind; a city's reach grows with its population."""
MAX_CITY_RADIUS_KM = 30.0


def place_radius_km(place: Place) -> float:
    """How far from a place's point its built-up area reaches: grows with population."""
    if place.kind in PLACE_RADIUS_KM:
        return PLACE_RADIUS_KM[place.kind]
    return min(MAX_CITY_RADIUS_KM, 2.0 + 0.6 * math.sqrt(max(place.population, 0) / 1000.0))


@dataclass(frozen=True)
class Evidence:
    """One observation that says something about where: with provenance a user can check."""

    kind: EvidenceKind
    text: str
    confidence: float | None = None  # 0-100 for OCR
    box: Box | None = None
    source: str = ""  # file or caption it came from
    distance_km: float | None = None  # a road distance read beside a name, in km
    distance_unit: DistanceUnit = "km"  # the unit the sign gave it in ("mi": ``distance_km`` converted)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.confidence is not None:
            d["confidence"] = round(self.confidence, 1)
        if self.box is not None:
            d["box"] = list(self.box)
        if self.source:
            d["source"] = self.source
        if self.distance_km is not None:
            d["distance_km"] = self.distance_km
            if self.distance_unit != "km":
                d["distance_unit"] = self.distance_unit
        return d


@dataclass(frozen=True)
class Candidate:
    """A place the evidence may point to, with a score in [0, 1] and the evidence behind it."""

    place: Place
    score: float
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        p = self.place
        return {
            "name": p.name,
            "lat": round(p.lat, 5),
            "lon": round(p.lon, 5),
            "country_code": p.country_code,
            "admin1": p.admin1,
            "score": round(self.score, 3),
            "geonameid": p.geonameid,
            "population": p.population,
            "kind": p.kind,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Alternative:
    """Another separated region where the evidence allows the camera to be, with its probability.

    Two distance rings meet in two places: the estimate is the likelier, this is the other. A
    reader must see both, never one point between them.
    """

    lat: float
    lon: float
    radius_km: float
    probability: float  # in [0, 1]: that the camera lies within radius_km of (lat, lon)
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "lat": round(self.lat, 7),
            "lon": round(self.lon, 7),
            "radius_km": round(self.radius_km, 1),
            "probability": round(self.probability, 2),
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Estimate:
    """The best guess of where the camera was: a circle with a calibrated confidence.

    When the evidence allows several separated regions, this is the most probable one and
    ``alternatives`` holds the others; ``probability`` is then this region's own share, and the
    shares of the estimate and its alternatives add up to at most 1.
    """

    lat: float
    lon: float
    radius_km: float
    confidence: float  # in [0, 1]
    basis: EstimateBasis
    explanation: str = ""
    polygon: tuple[tuple[float, float], ...] = ()  # (lon, lat) ring of the region, when not a circle
    probability: float | None = None  # this region's share when the evidence was weighed over regions
    alternatives: tuple[Alternative, ...] = ()  # the other regions, most probable first
    rule: EstimateRule | None = None  # None only for estimates made outside geoloc's rules

    def to_dict(self) -> dict[str, Any]:
        return {
            "lat": round(self.lat, 7),
            "lon": round(self.lon, 7),  # GPS-exact when from GPS
            "radius_km": round(self.radius_km, 1),
            "confidence": round(self.confidence, 2),
            "basis": self.basis,
            "rule": self.rule,
            "explanation": self.explanation,
            "probability": None if self.probability is None else round(self.probability, 2),
            "alternatives": [a.to_dict() for a in self.alternatives],
        }


@dataclass
class Inference:
    """What inference concluded for one photo (or one scene of several photos)."""

    candidates: list[Candidate] = field(default_factory=list)
    estimate: Estimate | None = None
    conflicts: list[str] = field(default_factory=list)
    context_places: list[Place] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # readings not taken as places, and why

    def to_dict(self) -> dict[str, Any]:
        """The scene part of the report (``--together``): estimate, candidates, conflicts."""
        return {
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "candidates": [c.to_dict() for c in self.candidates],
            "conflicts": list(self.conflicts),
        }


@dataclass(frozen=True)
class Area:
    """A reported area the estimate is checked against: a country, a region, a border or a user polygon."""

    name: str
    kind: AreaKind
    geometry: BaseGeometry  # lon/lat
    code: str = ""  # "BY", "RU.10", "UA-BY"


ContextUse = Literal["text", "wider", "context_file"]
"""Which words inference took as the photo's context: its own (a caption, a post), the wider text
around it (the article), or the ``--context`` file of the run."""


@dataclass(frozen=True)
class PhotoContext:
    """The words published with one photo, and where they came from, so a reader can check them.

    A photo from a saved page has its caption as ``text`` and the article as ``wider``; a photo
    from a Telegram export has its post's text, date and link. Inference takes the most specific
    of these that names a place (``used`` says which), because a caption speaks of its photo and
    an article of many things.
    """

    source: str  # where ``text`` came from: "post 4211", "saved/article.html (figure caption)", a file
    text: str = ""
    wider: str = ""  # the text around the photo (the article), weaker: used when ``text`` names no place
    wider_source: str = ""
    date: str | None = None  # when it was published, as the source writes it (ISO 8601 for Telegram)
    link: str | None = None  # the post or page on the web, when the source names it
    forwarded_from: str | None = None  # a forwarded post: whom it was forwarded from
    used: ContextUse | None = None  # set by inference; None when no text named a place

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "text": self.text,
            "wider": self.wider,
            "wider_source": self.wider_source,
            "date": self.date,
            "link": self.link,
            "forwarded_from": self.forwarded_from,
            "used": self.used,
        }


@dataclass(frozen=True)
class PhotoInput:
    """A photo to read, with its own words, as the inputs a user named were expanded into.

    ``name`` is what the report calls it when that is not ``path``: an image taken out of a saved
    ``.mhtml`` is read from a temporary file, but reported as ``page.mhtml#photo.jpg``.
    """

    path: str
    context: PhotoContext | None = None
    name: str = ""

    @property
    def shown(self) -> str:
        return self.name or self.path


@dataclass
class PhotoReport:
    """Everything geoloc concluded about one photo."""

    path: str
    estimate: Estimate | None = None
    candidates: list[Candidate] = field(default_factory=list)
    texts: list[TextSpan] = field(default_factory=list)
    metadata: Metadata = field(default_factory=Metadata)
    errors: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # readings not taken as places, and why
    context: PhotoContext | None = None  # the words published with this photo

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "candidates": [c.to_dict() for c in self.candidates],
            "texts": [t.to_dict() for t in self.texts],
            "metadata": self.metadata.to_dict(),
            "conflicts": list(self.conflicts),
            "left_out": list(self.left_out),
            "areas": list(self.areas),
            "errors": list(self.errors),
            "context": self.context.to_dict() if self.context else None,
        }


@dataclass
class Report:
    """The report of one run: a PhotoReport per input photo, in input order, and the joint
    estimate when the photos were located together as one scene."""

    photos: list[PhotoReport] = field(default_factory=list)
    scene: Inference | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"schema": SCHEMA, "photos": [p.to_dict() for p in self.photos]}
        if self.scene is not None:
            out["scene"] = self.scene.to_dict()
        return out


@dataclass(frozen=True)
class AreaDistance:
    """How far one photo's estimate lies from one reported area, and where the area comes nearest."""

    photo: int  # index of the photo in Report.photos
    area: int  # index of the area in MapGeography.areas
    distance_km: float  # the report's own figure when it has one
    inside: bool
    nearest: tuple[float, float]  # (lat, lon) of the area's point nearest the estimate


@dataclass(frozen=True)
class MapGeography:
    """What a map draws besides the report, gathered from the areas stage before rendering.

    The view frames the evidence; the window around it, wider by a zoom out, is where outlines
    are drawn in detail. Extents are (west, south, east, north) in degrees.
    """

    view: tuple[float, float, float, float]
    window: tuple[float, float, float, float]
    areas: tuple[Area, ...] = ()  # the reported areas
    distances: tuple[AreaDistance, ...] = ()  # per photo with an estimate, per area
    countries: tuple[Area, ...] = ()  # every country: the country layer
    nearby: frozenset[str] = frozenset()  # codes of the countries meeting the window


# ---------------------------------------------------------------- checks for from_dict
# The dicts ``from_dict`` reads come from files (the observation cache) that may be damaged or
# planted: a value of the wrong type or out of range raises, so the caller treats it as a miss.

_GPS_RANGES: dict[str, tuple[float, float]] = {
    "lat": (-90.0, 90.0),
    "lon": (-180.0, 180.0),
    "altitude_m": (-math.inf, math.inf),  # finite only: a photo may be taken below sea level or in flight
    "direction_deg": (0.0, 360.0),
}
"""The values a GPS record's numbers may take, as the metadata reader produces them."""


def _number(value: Any, what: str, low: float, high: float) -> float:
    """``value`` as a float when it is a finite JSON number within [low, high]; else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} is not a number")
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"{what} {number!r} is not a finite number in {low:g}..{high:g}")
    return number


def _integer(value: Any, what: str, low: int | None = None) -> int:
    """``value`` when it is a JSON integer, at least ``low`` when given; else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} is not an integer")
    if low is not None and value < low:
        raise ValueError(f"{what} {value} is below {low}")
    return value


def _time_range(value: Any) -> tuple[float, float]:
    """A span's ``time_range``: two finite times from the video's start, the first not after the second."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise TypeError("time_range is not a pair of times")
    first, last = (_number(v, "time_range", 0.0, math.inf) for v in value)
    if first > last:
        raise ValueError(f"time_range {first:g}-{last:g} runs backwards")
    return first, last


def _text(value: Any, what: str) -> str:
    """``value`` when it is a string; else TypeError."""
    if not isinstance(value, str):
        raise TypeError(f"{what} is not text")
    return value


def _one_of(value: Any, options: Iterable[str], what: str) -> Any:
    """``value`` when it is one of the names ``options``; else ValueError naming them."""
    names = tuple(options)
    if not isinstance(value, str) or value not in names:
        raise ValueError(f"{what} is not one of " + ", ".join(names))
    return value
