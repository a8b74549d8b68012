"""What a proof says in words: its title, the lines of its text block and the numbered evidence marks.

The picture and the page state the same thing, so both take it from here: the estimate, the rule
behind it in one sentence, the other places the evidence allows, the distances to the reported
areas, the confidence in plain words, and each piece of evidence read in the photo with the box it
was read in. Every text that came from outside (what OCR read, the caption, metadata, file and
area names) passes ``shown`` first: escape sequences, bidirectional overrides and other invisible
characters become visible escapes, and a very long line is cut, so that what is drawn is what
was read and no line can push the rest off the picture.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from geoloc.common.text import printable
from geoloc.model import Box, Candidate, PhotoReport
from geoloc.render.proof.i18n import Translate

MAX_SHOWN_CHARS = 160
"""A text from outside is cut to this many characters (a sign line is under 40, a caption
sentence under 160): a 100,000-character "name" must not become a 100,000-character label."""
MAX_MARKS = 12
"""Evidence boxes outlined and listed per photo: a road sign carries two to six names, a street
scene a dozen; beyond that the picture is unreadable and the record holds them all anyway."""
MAX_CAPTION_NAMES = 8
"""Places the caption names, listed before "and N more"."""
ELLIPSIS = "…"

RULE_SENTENCES = {
    "gps": "the GPS position written in the file",
    "distance_signs": "where the road distances read on the signs meet",
    "distance_sign": "within the road distance read on a sign",
    "direction_sign": "a direction sign: it says where the road goes, not where the camera is",
    "place_sign": "the place's own sign read in the photo",
    "written_location": "the location written in the photo's metadata",
    "caption": "the caption alone",
    "contradiction": "distance signs that cannot all be true",
}
"""Each estimate rule (``Estimate.rule``) as the catalogue message that says it in a sentence."""


def shown(text: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """Untrusted ``text`` as it may be drawn or written: every invisible or controlling character
    as a visible escape (``printable``), on one line, at most ``limit`` characters."""
    line = printable(text)
    return line if len(line) <= limit else line[: limit - 1] + ELLIPSIS


def photo_name(photo: PhotoReport) -> str:
    """The photo's file name, as shown."""
    return shown(os.path.basename(photo.path) or photo.path or "photo")


def place_label(c: Candidate) -> str:
    """A candidate place as a reader knows it: "Chernihiv, Chernihiv Oblast, UA"."""
    p = c.place
    return shown(", ".join(x for x in (p.name, p.admin1 if p.admin1 != p.name else "", p.country_code) if x))


@dataclass(frozen=True)
class Mark:
    """One piece of evidence read in the photo, numbered as it is outlined on the picture."""

    number: int
    box: Box  # in pixels of the upright photo
    read: str  # what was read there, as shown
    place: str  # the best place it was taken for, as shown
    score: float  # that place's score
    distance_km: float | None = None  # the road distance read beside it
    confidence: float | None = None  # OCR confidence, 0-100


@dataclass(frozen=True)
class Line:
    """One line of the text block: a short heading (or "" to continue the one above) and its text."""

    heading: str
    text: str


@dataclass(frozen=True)
class Statement:
    """Everything a proof says in words, in the chosen label language."""

    title: str
    lines: tuple[Line, ...]
    marks: tuple[Mark, ...]
    more_marks: int  # evidence boxes beyond MAX_MARKS, not outlined


def evidence_marks(photo: PhotoReport) -> tuple[list[Mark], int]:
    """The evidence read in the photo, one mark per box, best place first; and how many were left out.

    A box read as several places (namesakes) is one mark, named after its best-scored place.
    """
    by_box: dict[Box, Mark] = {}
    for c in sorted(photo.candidates, key=lambda c: -c.score):
        for ev in c.evidence:
            if ev.box is None or ev.kind not in ("ocr", "route") or ev.box in by_box:
                continue
            by_box[ev.box] = Mark(
                number=len(by_box) + 1,
                box=ev.box,
                read=shown(ev.text),
                place=place_label(c),
                score=c.score,
                distance_km=ev.distance_km,
                confidence=ev.confidence,
            )
    marks = list(by_box.values())
    return marks[:MAX_MARKS], max(0, len(marks) - MAX_MARKS)


def _number(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def statement(photo: PhotoReport, headline: Candidate | None, t: Translate) -> Statement:
    """What the proof of ``photo`` says; ``headline`` is the candidate at the estimate, if any."""
    marks, more = evidence_marks(photo)
    lines: list[Line] = []
    e = photo.estimate
    if e is None:
        lines.append(Line(t("Estimate"), t("No location evidence: geoloc makes no estimate for this photo.")))
    else:
        place = place_label(headline) if headline is not None else ""
        at = t(
            "{place} ({lat}, {lon}) ± {radius} km",
            place=place,
            lat=_number(e.lat, 4),
            lon=_number(e.lon, 4),
            radius=_number(e.radius_km, 0),
        )
        lines.append(Line(t("Estimate"), at.strip()))
        rule = RULE_SENTENCES.get(e.rule or "")
        basis = shown(e.explanation or e.basis, 2 * MAX_SHOWN_CHARS)
        if rule is not None and t(rule) != rule:  # another language: the rule in it, geoloc's words after
            own_words = t("geoloc's explanation")
            basis = f"{t(rule)} ({own_words}: {basis})"
        lines.append(Line(t("Basis"), basis))
        lines += [
            Line(
                t("Or") if i == 0 else "",
                t(
                    "({lat}, {lon}) ± {radius} km, probability {probability}",
                    lat=_number(a.lat, 4),
                    lon=_number(a.lon, 4),
                    radius=_number(a.radius_km, 0),
                    probability=_number(a.probability, 2),
                ),
            )
            for i, a in enumerate(e.alternatives)
        ]
        for i, area in enumerate(photo.areas):
            name = shown(area.get("name", ""))
            text = (
                t("inside {name}", name=name)
                if area.get("inside")
                else t("{km} km from {name}", km=_number(float(area.get("distance_km") or 0.0), 0), name=name)
            )
            lines.append(Line(t("Distances") if i == 0 else "", text))
        lines.append(
            Line(
                t("Confidence"),
                t(
                    "{confidence}: the camera was within {radius} km of this point with this probability",
                    confidence=_number(e.confidence, 2),
                    radius=_number(e.radius_km, 0),
                ),
            )
        )
    for i, m in enumerate(marks):
        lines.append(Line(t("Evidence") if i == 0 else "", f"[{m.number}] “{m.read}”{_distance(m, t)} → {m.place}"))
    if more:
        lines.append(Line("", t("and {n} more", n=more)))
    caption = list(dict.fromkeys(shown(ev.text) for c in photo.candidates for ev in c.evidence if ev.kind == "context"))
    listed = ", ".join(caption[:MAX_CAPTION_NAMES])
    if len(caption) > MAX_CAPTION_NAMES:
        listed += ", " + t("and {n} more", n=len(caption) - MAX_CAPTION_NAMES)
    words = photo.context  # the words published with the photo, and where they came from: a file, a post, a page
    source = ", ".join(shown(x) for x in (words.source, words.date, words.link) if x) if words is not None else ""
    if listed or source:
        lines.append(Line(t("Caption"), f"{listed} ({source})" if listed and source else listed or source))
    md = photo.metadata
    if md.gps is not None:
        lines.append(
            Line(
                t("Metadata"),
                t(
                    "GPS {lat}, {lon} ({source})",
                    lat=_number(md.gps.lat, 5),
                    lon=_number(md.gps.lon, 5),
                    source=shown(md.gps.source),
                ),
            )
        )
    if md.location is not None:
        where = ", ".join(
            shown(v) for v in (md.location.sublocation, md.location.city, md.location.state, md.location.country) if v
        )
        if where:
            lines.append(
                Line(
                    "" if md.gps else t("Metadata"),
                    t("written location: {where} ({source})", where=where, source=shown(md.location.source)),
                )
            )
    lines += [
        Line(t("Conflicts") if i == 0 else "", shown(c, 2 * MAX_SHOWN_CHARS)) for i, c in enumerate(photo.conflicts)
    ]
    title = t("Proof of location: {photo}", photo=photo_name(photo))
    return Statement(title=title, lines=tuple(lines), marks=tuple(marks), more_marks=more)


def _distance(m: Mark, t: Translate) -> str:
    return f" {t('{km} km by road', km=f'{m.distance_km:g}')}" if m.distance_km else ""
