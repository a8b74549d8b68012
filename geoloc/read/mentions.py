"""Turn read text into place-name mentions: OCR lines with their distances, and caption phrases.

A road sign is not prose: a name and a number on one line are a destination and its distance in
km, route numbers (М01, E95) are not places, and a Cyrillic name over its Latin spelling is one
destination read twice. A caption is prose: capitalised phrases, "X region/oblast", and
"border with X" are what it says about where.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from geoloc.common.geodesy import KM_PER_MILE
from geoloc.common.text import SCRIPT_CYRILLIC, SCRIPT_LATIN, is_common_word, is_region_word, is_word, script_of
from geoloc.model import (
    PHRASE_GAP,
    RIGHT_SIDE_ARROWS,
    Box,
    Compass,
    ContextFacts,
    DistanceUnit,
    Mention,
    TextSpan,
    shared_extent,
    union_box,
)
from geoloc.read.coordinates import text_coordinates
from geoloc.read.lemmas import (
    attributed_noun,
    dictionary_forms,
    is_adjective,
    is_locative,
    is_plain_word,
    is_unknown_belarusian,
    qualifies,
    town_forms,
)

ROUTE_RE = re.compile(r"^(?:AP|SS|SP|[MМPРHНTТEЕAАNDBSL])-?\d{1,3}(?:-\d{1,2}){0,2}$", re.IGNORECASE)
"""Route numbers on signs: Ukrainian and Russian (М01, M-01, Р56, H07, T-25-01, А-240), European
(E95), and the national letters of the signs' other countries: motorways A/M/D/S (A7, M6, D1,
S8), national and federal roads N/B (N10, B96), departmental and state roads D/L/SS/SP (D217,
L308, SS1), Spain's AP-7."""

DISTANCE_RE = re.compile(
    r"^(?!0\d)(\d{1,3}(?:[.,]\d)?|\d{0,3}[¼½¾]|\d{1,3}(?:1/2|1/4|3/4))(?:\s*(km|км|kм|mi|miles?))?$", re.IGNORECASE
)
"""A distance as signs print it: whole km or miles, one decimal ("4,2 km", "1.5", "0,5"), or a
British sign's fraction of a mile ("6½", "¾"; the recognition network reads "6½" as "61/2"). A
price's two decimals, a "1,200", a fraction apart from its number ("6 1/2": which number?), or a
number written with a leading zero is none: no sign prints "060", while a pass that reads a
name's letters as digits ("Любомль" as "Любомлі 060") and a phone number ("073 799") do."""
FRACTIONS = {"¼": 0.25, "½": 0.5, "¾": 0.75, "1/4": 0.25, "1/2": 0.5, "3/4": 0.75}
UNIT_RE = re.compile(r"^(?:km|км|kм|mi)\.?$", re.IGNORECASE)
"""A distance's unit read apart from its number ("125 km" read as two words). "Miles" apart is a
word (a name, "Miles City"), and only a unit glued to its number ("12miles")."""

log = logging.getLogger(__name__)

MAX_CONTEXT_MENTIONS = 1000
"""Distinct capitalised phrases of one context that are looked up (in order of appearance): a long
article names a few hundred, and each look-up costs a few milliseconds, so a document of any size
is read in seconds; where a text says where, it says it early."""

_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)


TWIN_CUES = tuple(
    (language, re.compile(cue, re.IGNORECASE))
    for language, cue in (
        ("en", r"twinned\b|twin towns?\b"),
        ("fr", r"jumel[ée]e?s? avec|villes? jumel"),
        ("de", r"partnerst[äa]dt|partnergemeinde"),
        ("pl", r"miasta? partnersk"),
        ("it", r"gemellat[ao] con"),
        ("es", r"hermanad[ao] con"),
        ("cs", r"město partnersk"),
        ("uk", r"місто-побратим|міста-побратим"),
        ("ru", r"город-побратим|города-побратим"),
    )
)
"""The start of a town sign's twinning line ("EPPING / Twinned with Eppingen, Germany") and its
language: the line and the lines under it name partner towns far away, which say nothing of where
the sign stands; its language says which country's sign it is."""

SIGNPOST_WORDS = frozenset(
    {
        "gare", "centre", "centre-ville", "aéroport", "aeroport", "hôpital", "hopital", "toutes", "autres",
        "zentrum", "bahnhof", "hauptbahnhof", "flughafen", "centrum", "dworzec", "lotnisko", "centro", "stazione",
        "aeropuerto", "airport", "центр", "вокзал", "аэропорт", "аеропорт", "лікарня", "больница", "мкад",
        "messe", "hbf",
    }
)  # fmt: skip
"""Words that open or close a direction sign's row pointing to a service, not a place: the
station, the centre, the airport, the trade fair, "toutes directions", Moscow's ring road. A panel
naming a town beside one ("BORDEAUX / gare SNCF", "ПСКОВ E22 / МКАД / ЦЕНТР") tells where a road
goes, not where the camera is. A row that names the town beside the word ("Flughafen München",
"Wien Hbf", "MESSE WIEN" over a hall's doors) points to that town's service: the town is also read
alone (``_service_of``)."""

ROW_OVERLAP = 0.5
"""Share of the shorter box's height two spans must share to be on one sign row. OCR passes can
merge two rows into one text line (a skewed panel, a distance printed between a Cyrillic row and
its Latin row); a row below shares none of a name's height, a number beside it most."""


def _names_something(s: TextSpan) -> bool:
    """Whether a span holds a word: not only distances ("56Km"), units and route numbers."""
    for tok in s.text.split():
        tok = _clean_token(tok)
        if any(c.isalpha() for c in tok) and not (UNIT_RE.match(tok) or DISTANCE_RE.match(tok) or is_route_number(tok)):
            return True
    return False


def _row_numbers(spans: Sequence[TextSpan]) -> list[TextSpan]:
    """The spans that read a distance and nothing else ("343", a pass's "343km"): no name among
    them, as ``_number_only`` reads a word as no distance."""
    return [s for s in spans if _number_only([s])]


def _without_misread_numbers(spans: Sequence[TextSpan]) -> list[TextSpan]:
    """An OCR line's spans without a pass's misreading of a distance that another pass read in the
    same place: "2260" over "260" (the arrow beside it read as a digit), "t428" over "428". Such a
    reading is neither a distance nor a word, and a line of distances under a sign's columns
    holding one was no line of distances: no name took its distance."""
    numbers = _row_numbers(spans)
    return [
        s
        for s in spans
        if _names_something(s)
        or any(n is s for n in numbers)
        or not any(
            shared_extent(s.box, n.box, 0) >= min(s.box[2], n.box[2]) / 2
            and shared_extent(s.box, n.box, 1) >= min(s.box[3], n.box[3]) / 2
            for n in numbers
        )
    ]


def _twinning_language(row: Sequence[TextSpan]) -> str | None:
    """The language of the twinning cue some OCR pass reads the row as beginning with, if any."""
    passes: dict[str, list[TextSpan]] = {}
    for s in row:
        passes.setdefault(s.lang, []).append(s)
    for spans in passes.values():
        text = " ".join(s.text.strip() for s in sorted(spans, key=lambda t: t.box[0]))
        for language, cue in TWIN_CUES:
            if cue.match(text):
                return language
    return None


def _middle(box: Box) -> float:
    """The height of a box's middle: where a sign row, or a number beside it, stands."""
    return box[1] + box[3] / 2


def _rows(spans: Sequence[TextSpan]) -> list[list[TextSpan]]:
    """Split one OCR line's spans into the sign rows they stand on, top first."""
    rows: list[tuple[float, float, list[TextSpan]]] = []  # (top, bottom, spans)
    for s in sorted(spans, key=lambda t: _middle(t.box)):
        top, bottom = s.box[1], s.box[1] + s.box[3]
        for i, (r_top, r_bottom, members) in enumerate(rows):
            shared = min(bottom, r_bottom) - max(top, r_top)
            if shared >= ROW_OVERLAP * max(1, min(bottom - top, r_bottom - r_top)):
                rows[i] = (min(top, r_top), max(bottom, r_bottom), [*members, s])
                break
        else:
            rows.append((top, bottom, [s]))
    return [members for _, _, members in rows]


NUMBER_ROW_REACH = 1.5
"""How far, in the name's heights, the middle of a number read alone may lie below or above the
middle of a name on the same OCR line and still be its distance. A photo taken at an angle puts
the right end of a sign row lower or higher than its left end (a number 200 px right of the name
sits 20-30 px lower at 7-8 degrees), so the number shares too little of the name's height to fall
on its row; a number a whole row away is another row's."""


LONE_NUMBER_DIGITS = 2
"""Fewest digits of a number on a row of its own that may join a name: a lone single digit is far
likelier a junction arrow or a panel mark read as "4" or "1" than a distance under 10 km."""


ARROW_NUMBER_RE = re.compile(r"^(?:(?:[^\W\d_]{1,2}|[47])([1-9]\d{1,2})|([1-9]\d{1,2})[^\W\d_]{1,2})$", re.UNICODE)
"""A distance with the arrow drawn left of it read as one or two letters glued on ("K131", "т93")
or as a 4 or 7 ("4384" for "← 384"), or with a right-pointing arrow drawn right of it read as
letters ("40a" for "40 ↗"), as happens on a line of distances alone under a sign's columns
(``_column_numbers``). A four-digit number starting with 1 is left alone: Russian trunk roads sign
cities over 1,000 km ahead ("Чита 1021"), and reading it as 21 would make a ring; so is a digit
after the number, which may be its own."""


def distance_value(number: str) -> float:
    """The value of a distance ``DISTANCE_RE`` matched ("42", "4,2", "6½")."""
    for tail in (number[-3:], number[-1:]):
        if tail in FRACTIONS:
            return float(number[: -len(tail)] or 0) + FRACTIONS[tail]
    return float(number.replace(",", "."))


def _distance_token(token: str, glued_arrow: bool = False) -> str | None:
    """The digits of a distance token ("56Km", "205"), or with ``glued_arrow`` of one whose arrow
    was read as letters ("K131"; never a route number such as "M06", which signs print in capitals:
    "е162" is an arrow read as a small letter)."""
    if m := DISTANCE_RE.match(token):
        return m.group(1)
    route = is_route_number(token) and not token[:1].islower()
    if glued_arrow and (m := ARROW_NUMBER_RE.match(token)) and not route:
        return m.group(1) or m.group(2)
    return None


def _number_only(row: Sequence[TextSpan], glued_arrow: bool = False) -> bool:
    """Whether a row holds only distances ("56Km", "205", "km"), one at least ``LONE_NUMBER_DIGITS``
    long; a single digit beside it is a mark or an arrow read as a digit."""
    numbers = 0
    for s in row:
        for t in s.text.split():
            t = _clean_token(t)
            digits = _distance_token(t, glued_arrow)
            if digits is None and not UNIT_RE.match(t):
                return False
            numbers += digits is not None and len(digits) >= LONE_NUMBER_DIGITS
    return numbers > 0


def _column_numbers(row: Sequence[TextSpan]) -> list[TextSpan]:
    """A line of distances alone with each arrow read as letters taken off its number ("K131" ->
    "131"; a unit glued on stays: "56Km"): the arrow itself is found by its shape (``read.ocr.arrows``)."""
    return [
        replace(
            s,
            text=" ".join(
                t if DISTANCE_RE.match(t) else _distance_token(t, True) or t for t in map(_clean_token, s.text.split())
            ),
        )
        for s in row
    ]


def _with_lone_numbers(rows: list[list[TextSpan]]) -> list[list[TextSpan]]:
    """Rows of one OCR line, each number that stands on a row of its own joined to its name.

    The OCR line says the number and the name were read side by side; a sign seen at an angle puts
    the number lower or higher than its name, and the split by height (``_rows``) parts them. A
    number joins the lettered row without a distance whose middle is nearest its own, when it
    stands right of that row's name and within ``NUMBER_ROW_REACH``; anything else stays as it was
    (no name takes two numbers, and a row that has its number keeps it). Numbers the reader put on
    lines of their own are left there: across lines, a slanted sign's number sits as near the next
    row's name as its own, and joining by distance gave names their neighbours' numbers.
    """
    lettered = [i for i, row in enumerate(rows) if any(_names_something(s) for s in row)]
    lone = [i for i, row in enumerate(rows) if i not in lettered and _number_only(row)]
    if not lettered or not lone:
        return rows
    taken = {i for i in lettered if _row_distance(rows[i]) is not None}
    joined: dict[int, list[int]] = {}
    for i in lone:
        box = union_box(s.box for s in rows[i])
        middle = _middle(box)
        best: tuple[float, int] | None = None
        for j in lettered:
            if j in taken:
                continue
            name = union_box(s.box for s in rows[j] if _names_something(s))
            gap = abs(_middle(name) - middle)
            if box[0] >= name[0] + name[2] - name[3] / 2 and gap <= NUMBER_ROW_REACH * name[3]:
                best = min(best or (gap, j), (gap, j))
        if best is not None:
            taken.add(best[1])
            joined.setdefault(best[1], []).append(i)
    gone = {i for parts in joined.values() for i in parts}
    return [row + [s for k in joined.get(i, []) for s in rows[k]] for i, row in enumerate(rows) if i not in gone]


def _columns(row: list[TextSpan]) -> list[list[TextSpan]]:
    """Split one sign row into the destinations written side by side on it, left to right.

    A sign with columns ("서울 | 평양" over "Seoul | Pyeongyang" over "← 56Km | 205Km") sets its
    names ``PHRASE_GAP`` or more word heights apart. A number stays with the name on its left (its
    distance) or, before any name, with the name on its right; passes that read the same words
    overlap and stay together.
    """
    if sum(_names_something(s) for s in row) < 2:
        return [row]
    cells: list[list[TextSpan]] = []
    last: TextSpan | None = None  # the current column's rightmost words
    for s in sorted(row, key=lambda t: t.box[0]):
        has_words = _names_something(s)
        if (
            cells
            and has_words
            and last is not None
            and s.box[0] - (last.box[0] + last.box[2]) >= PHRASE_GAP * min(s.box[3], last.box[3])
        ):
            cells.append([s])
            last = s
            continue
        if not cells:
            cells.append([])
        cells[-1].append(s)
        if has_words and (last is None or s.box[0] + s.box[2] > last.box[0] + last.box[2]):
            last = s
    return cells


COLUMN_REACH = 3.0
"""How far under a name, in its letter heights, a distance on a row of its own may stand and
still be that name's: a sign with columns writes each distance under its name, or under the name
and its spelling in another script; a row further down is another sign's."""
COLUMN_OVERLAP = 0.5
"""Share of a distance's width that must lie under a name's words for it to be that name's."""


def _column_gap(number: Box, words: Box) -> float | None:
    """How far under a name's words a distance written below it stands, or None when it is not
    there: above their middle, or more than ``COLUMN_REACH`` of their height under them."""
    below = number[1] - (words[1] + words[3])
    return below if -words[3] / 2 <= below <= COLUMN_REACH * words[3] else None


def _number_groups(row: list[TextSpan]) -> list[list[TextSpan]]:
    """The distances of a row without words, each with the spans that read it ("56Km", "56", "Km")."""
    groups: list[list[TextSpan]] = []
    end = -math.inf
    for s in sorted(row, key=lambda t: t.box[0]):
        if groups and s.box[0] - end < s.box[3]:
            groups[-1].append(s)
        else:
            groups.append([s])
        end = max(end, s.box[0] + s.box[2]) if len(groups[-1]) > 1 else s.box[0] + s.box[2]
    return groups


def _with_column_numbers(cells: list[list[TextSpan]]) -> list[list[TextSpan]]:
    """One sign panel's rows and columns, each distance written under a name joined to it.

    Only a row that holds nothing but distances is read this way, and each of its distances goes
    to the nearest name above it that has none, when at least ``COLUMN_OVERLAP`` of the number
    lies under that name's words and it stands within ``COLUMN_REACH`` of it; a distance beside
    a name (``_with_lone_numbers``) or under nothing stays where it was.
    """
    numbers = [i for i, cell in enumerate(cells) if _number_only(cell, glued_arrow=True)]
    named = [i for i, cell in enumerate(cells) if i not in numbers and any(_names_something(s) for s in cell)]
    if not named or not numbers:
        return cells
    cells = [_column_numbers(cell) if i in numbers else cell for i, cell in enumerate(cells)]
    cells = _split_run_together(cells, numbers)
    numbers = [i for i, cell in enumerate(cells) if _number_only(cell)]
    named = [i for i, cell in enumerate(cells) if i not in numbers and any(_names_something(s) for s in cell)]
    free = {i for i in named if _row_distance(cells[i]) is None}
    joined: dict[int, list[TextSpan]] = {}
    gone: set[int] = set()
    for i in numbers:
        groups = _number_groups(cells[i])
        placed = 0
        for group in groups:
            box = union_box(s.box for s in group)
            best: tuple[float, int] | None = None
            for j in free:
                words = union_box(s.box for s in cells[j] if _names_something(s))
                below = _column_gap(box, words)
                if below is not None and shared_extent(box, words, 0) >= COLUMN_OVERLAP * box[2]:
                    best = min(best or (below, j), (below, j))
            if best is not None:
                free.discard(best[1])
                joined.setdefault(best[1], []).extend(group)
                placed += 1
        if placed == len(groups):
            gone.add(i)
        elif placed:  # part of the row found its names: the rest stays a row of its own
            taken = {id(s) for group in joined.values() for s in group}
            cells[i] = [s for s in cells[i] if id(s) not in taken]
    return [cell + joined.get(i, []) for i, cell in enumerate(cells) if i not in gone]


def _split_run_together(cells: list[list[TextSpan]], numbers: Sequence[int]) -> list[list[TextSpan]]:
    """Sign cells whose one phrase runs several columns' names together, cut into one cell per
    distance written under it.

    Columns set closer than ``PHRASE_GAP`` read as one phrase ("Călan Orosháza Todireşti" over "81
    320 382"), and the whole phrase then names nothing. When two or more distances on lines of
    distances alone lie right under such a cell (within ``COLUMN_REACH``; a slanted sign's
    distances fall on several such lines), each under its words, each pass's phrase is cut over
    the distances under it, at the word boundaries whose pieces centre
    best over them (``_cut_words``); a phrase over one distance (another pass may have read the
    columns apart: "Herbertingen Penzberg Nuremberg" beside "Penzberg") goes to that column. The
    cell is cut only when some phrase runs over two distances or more, and each column gets words.
    """
    groups = [
        union_box(s.box for s in group) for i in numbers for group in _number_groups(cells[i])
    ]  # every distance on the panel's lines of distances alone, as a box
    cut: dict[int, list[list[TextSpan]]] = {}  # named cell -> its pieces, one per column
    for j, cell in enumerate(cells):
        if j in numbers or _row_distance(cell) is not None:
            continue
        if not all(_names_something(s) and s.arrow is None for s in cell):
            continue
        words = union_box(s.box for s in cell)
        centres = sorted(
            b[0] + b[2] / 2
            for b in groups
            if _column_gap(b, words) is not None and words[0] <= b[0] + b[2] / 2 <= words[0] + words[2]
        )
        if len(centres) >= 2 and (columns := _cut_cell(cell, centres)) is not None:
            cut[j] = columns
    return [piece for j, cell in enumerate(cells) for piece in cut.get(j, [cell])]


def _cut_cell(cell: Sequence[TextSpan], centres: Sequence[float]) -> list[list[TextSpan]] | None:
    """A sign cell's phrases sorted into columns, one per distance centre (``_split_run_together``),
    or None when no phrase runs over two distances, a phrase cannot be cut, or a column gets none."""
    columns: list[list[TextSpan]] = [[] for _ in centres]
    ran_together = False
    for s in cell:
        over = [k for k, c in enumerate(centres) if s.box[0] <= c <= s.box[0] + s.box[2]]
        if len(over) >= 2:
            pieces = _cut_words(s, [centres[k] for k in over])
            if pieces is None:
                return None
            ran_together = True
            for k, piece in zip(over, pieces, strict=True):
                columns[k].append(piece)
        else:
            middle = s.box[0] + s.box[2] / 2
            columns[over[0] if over else min(range(len(centres)), key=lambda k: abs(centres[k] - middle))].append(s)
    return columns if ran_together and all(columns) else None


MAX_CUT_WORDS = 12
"""Most words a phrase run over a sign's columns is cut from: three or four names of up to three
words each. A longer phrase is a notice's or a poster's text, and the cuts tried grow as the
binomial of its words."""


def _cut_words(s: TextSpan, centres: Sequence[float]) -> list[TextSpan] | None:
    """One phrase cut into as many runs of its words as there are ``centres``, each run's middle as
    near its centre as any cut allows; None when it has fewer words.

    A phrase's span gives no word boxes, so each word is placed by its letters' share of the
    span's width: the letters of one sign are about equally wide. Each distance must lie under its
    own piece, or the phrase is no names run together over them (None).
    """
    found = list(re.finditer(r"\S+", s.text))
    k = len(centres)
    if not k <= len(found) <= MAX_CUT_WORDS:
        return None
    width = s.box[2] / max(1, len(s.text))
    spans = [(s.box[0] + w.start() * width, s.box[0] + w.end() * width) for w in found]

    def runs(cut: tuple[int, ...]) -> list[tuple[int, int]]:
        return list(itertools.pairwise((0, *cut, len(found))))

    def cost(cut: tuple[int, ...]) -> float:
        return sum(((spans[a][0] + spans[b - 1][1]) / 2 - c) ** 2 for (a, b), c in zip(runs(cut), centres, strict=True))

    best = runs(min(itertools.combinations(range(1, len(found)), k - 1), key=cost))
    if any(not spans[a][0] <= c <= spans[b - 1][1] for (a, b), c in zip(best, centres, strict=True)):
        return None  # a distance under no piece of its own: not names run together over it
    return [
        replace(
            s,
            text=" ".join(w.group() for w in found[a:b]),
            box=(int(spans[a][0]), s.box[1], max(1, int(spans[b - 1][1] - spans[a][0])), s.box[3]),
        )
        for a, b in best
    ]


def _with_orphan_numbers(cells: list[list[TextSpan]]) -> list[list[TextSpan]]:
    """One sign panel's rows, each distance whose name was not read joined to the name under it.

    A Ukrainian sign writes a destination in two lines and its distance beside the first: when the
    reader loses that line ("Запоріжжя 46" read as "46" alone), the line under it names the place
    in the other alphabet ("Zaporizhzhia") and the number is its distance. A number left alone on
    its row after ``_with_column_numbers`` joins the row right under it (at most ``STACK_GAP`` of
    that row's height below) whose name has no distance and ends left of the number; a row with
    its own distance, or none close under it, leaves the number where it was.
    """
    numbers = [i for i, cell in enumerate(cells) if _number_only(cell) and len(_number_groups(cell)) == 1]
    free = [
        i
        for i, cell in enumerate(cells)
        if i not in numbers and any(_names_something(s) for s in cell) and _row_distance(cell) is None
    ]
    joined: dict[int, int] = {}  # named row -> the number row it takes
    for i in numbers:
        box = union_box(s.box for s in cells[i])
        best: tuple[float, int] | None = None
        for j in free:
            words = union_box(s.box for s in cells[j] if _names_something(s))
            below = words[1] - (box[1] + box[3])
            if j not in joined and -box[3] / 2 <= below <= STACK_GAP * words[3] and words[0] + words[2] <= box[0]:
                best = min(best or (below, j), (below, j))
        if best is not None:
            joined[best[1]] = i
    gone = set(joined.values())
    return [cell + (cells[joined[i]] if i in joined else []) for i, cell in enumerate(cells) if i not in gone]


NUMBER_COLUMN_SLACK = 0.5
"""How far, in name heights, each distance of a column may lie off its name's row once the whole
column is shifted by one amount (a panel seen at an angle lifts or lowers its right end): half a
row, beyond which it would as well be the next row's."""

NUMBER_COLUMN_LIMIT = 8
"""Most distances in one column: a direction sign lists a handful of places; more rows of
numbers alone are a price board or a timetable, and pairing them would take too long."""

NUMBER_COLUMN_TRIALS = 20_000
"""Most ways of laying a column against rows of names tried for one photo (all its regions
together): a sign's few rows need a few hundred; a page of text beside a column of figures
would need millions (tried: 50 regions of 16 rows took 20 s)."""


def _with_number_columns(panels: dict[int, list[list[TextSpan]]]) -> dict[int, list[list[TextSpan]]]:
    """Sign panels with a column of distances that the reader found as a text region of its own
    joined, row by row, to the names of the panel on their left.

    A distance sign sets its names left and their distances right with a wide gap between; on a
    panel seen at an angle, blurred or unevenly lit, the text detector may find the column of
    numbers as another region, or several ("Воронеж / Липецк" and "295 / 396"), and the rows above
    never pair them. A region whose rows each hold one distance and nothing else, at least two
    rows stacked in one column, is the distance column of the region whose rows without distance
    it can be laid against in order: each number right of its name, every number off its name's
    row by the same shift (the panel's tilt) within ``NUMBER_COLUMN_SLACK``. A lone number is
    never joined so: a speed limit beside a sign of names alone would become a distance.
    """
    lone = [
        (region, cell)
        for region, cells in panels.items()
        if not any(_names_something(s) for cell in cells for s in cell)
        for cell in cells
        if _number_only(cell) and len(_number_groups(cell)) == 1
    ]
    if len(lone) < 2 or len(lone) > NUMBER_COLUMN_LIMIT:
        return panels
    lone.sort(key=lambda rc: _middle(union_box(s.box for s in rc[1])))
    boxes = [union_box(s.box for s in cell) for _, cell in lone]
    if not all(shared_extent(a, b, 0) > 0 for a, b in itertools.pairwise(boxes)):
        return panels  # not one column
    best: tuple[float, int, tuple[int, ...]] | None = None
    trials = NUMBER_COLUMN_TRIALS
    for region, cells in panels.items():
        name_boxes = {
            i: box
            for i, cell in enumerate(cells)
            if (box := union_box(s.box for s in cell if _names_something(s))) is not None
            and _row_distance(cell) is None
            and box[0] + box[2] <= min(b[0] for b in boxes)
        }
        free = sorted(name_boxes, key=lambda i: _middle(name_boxes[i]))
        trials -= math.comb(len(free), len(lone))
        if trials < 0:
            break  # a page of text, not a sign's names
        for rows in itertools.combinations(free, len(lone)):
            names = [name_boxes[i] for i in rows]
            offsets = [_middle(b) - _middle(n) for b, n in zip(boxes, names, strict=True)]
            shift = statistics.median(offsets)
            misfit = [abs(o - shift) / n[3] for o, n in zip(offsets, names, strict=True)]
            if max(misfit) <= NUMBER_COLUMN_SLACK and abs(shift) <= NUMBER_ROW_REACH * names[0][3]:
                if best is None or sum(misfit) < best[0]:
                    best = (sum(misfit), region, rows)
    if best is None:
        return panels
    _, region, rows = best
    numbers = {id(cell) for _, cell in lone}
    joined = dict(zip(rows, (cell for _, cell in lone), strict=True))
    out = {
        r: [c + joined.get(i, []) for i, c in enumerate(cs)] if r == region else [c for c in cs if id(c) not in numbers]
        for r, cs in panels.items()
    }
    return {r: cs for r, cs in out.items() if cs}


def _in_row_order(cells: list[list[TextSpan]]) -> list[list[TextSpan]]:
    """One sign panel's rows with their distances given back in the order the names stand.

    A panel is rigid: however it is turned in the photo, its column of distances lists them in the
    order of the names on their left. A turned panel may lead the reader to join a name to the next
    row's number (a raised right end sets "343" level with "Ploieşti", and "58", left alone, then
    goes to "Orăştie" under it). Where the distances of one column, each right of its name's start
    and read in one place, stand in another order than their names, each name takes the distance
    of its own rank; anything else leaves the rows as they are."""
    rows: list[tuple[int, Box, Box, list[TextSpan]]] = []  # (cell, name box, number box, number spans)
    for i, cell in enumerate(cells):
        names = union_box(s.box for s in cell if _names_something(s))
        numbers = _row_numbers(cell)
        number = union_box(s.box for s in numbers)
        if names is None or number is None:
            continue
        if any(shared_extent(a.box, b.box, 0) <= 0 for a, b in itertools.combinations(numbers, 2)):
            return cells  # two numbers in two places on one row: which is whose is no question of order
        if number[0] < names[0]:
            return cells
        rows.append((i, names, number, numbers))
    by_name = sorted(range(len(rows)), key=lambda k: _middle(rows[k][1]))
    by_number = sorted(range(len(rows)), key=lambda k: _middle(rows[k][2]))
    column = all(shared_extent(rows[a][2], rows[b][2], 0) > 0 for a, b in itertools.pairwise(by_number))
    if len(rows) < 2 or by_name == by_number or not column:
        return cells
    given = {rows[n][0]: rows[d][3] for n, d in zip(by_name, by_number, strict=True)}
    numbers = {id(s) for _, _, _, spans in rows for s in spans}
    return [[s for s in cell if id(s) not in numbers] + given.get(i, []) for i, cell in enumerate(cells)]


class _RowNumber(NamedTuple):
    """A number read on a sign row, as read, with the left and right edges of its span."""

    text: str
    start: int
    end: int

    @property
    def preference(self) -> tuple[int, int, float]:
        """The order ``_row_distance`` prefers numbers in: more digits, then further left, then smaller."""
        return (-sum(ch.isdigit() for ch in self.text.lstrip("0")), self.start, distance_value(self.text))


def _row_distance(row: Sequence[TextSpan]) -> float | None:
    """The distance written beside the name on one sign row, or None.

    A number left of the name is not its distance (a route shield, an arrow or the panel's edge
    read as "1"). Where passes read different numbers right of the name, the one with more digits
    wins, then the nearest: OCR loses digits of a number far more often than it invents them, and a
    stray mark reads as a single "1" or "7". The exception is an arrow drawn beside the distance
    (a sign's columns put it left of the number, a right turn's right of it): where one was seen
    there, a reading that is another's with one digit more on the arrow's side, reaching further
    that way ("213" beside "21 →", "260" beside "↑60"), read the arrow as that digit.
    """
    lettered = [s.box[0] for s in row if _names_something(s)]
    name_left = min(lettered) if lettered else None
    numbers: list[_RowNumber] = []
    arrows = {s.arrow for s in row if not _names_something(s) and s.arrow is not None}
    arrow_right = bool(arrows & RIGHT_SIDE_ARROWS)
    arrow_left = bool(arrows - RIGHT_SIDE_ARROWS)
    for s in row:
        seen_letters = False
        for tok in s.text.split():
            tok = _clean_token(tok)
            m = DISTANCE_RE.match(tok)
            if m is None and any(c.isalpha() for c in tok) and not is_route_number(tok) and not UNIT_RE.match(tok):
                seen_letters = True
                continue
            if not m or is_route_number(tok):
                continue
            # right of the name's start: beside it, or under it in a column (a short name over a
            # longer "125 km" starts right of the number)
            if seen_letters or (name_left is not None and s.box[0] + s.box[2] / 2 >= name_left):
                numbers.append(_RowNumber(m.group(1), s.box[0], s.box[0] + s.box[2]))
    if arrow_right or arrow_left:
        numbers = [
            n
            for n in numbers
            if not any(
                (arrow_right and n.text[:-1] == o.text and n.end > o.end)
                or (arrow_left and n.text[1:] == o.text and n.start < o.start)
                for o in numbers
            )
        ] or numbers
    if not numbers:
        return None
    return distance_value(min(numbers, key=lambda n: n.preference).text)


def _row_unit(row: Sequence[TextSpan]) -> DistanceUnit | None:
    """The unit written on a sign row beside its distance ("56Km", "12 mi"), or None when the sign
    gives none (most do not: the country's unit is meant)."""
    for s in row:
        for tok in s.text.split():
            tok = _clean_token(tok)
            unit = m.group(2) if (m := DISTANCE_RE.match(tok)) else tok if UNIT_RE.match(tok) else None
            if unit:
                return "mi" if unit.casefold().startswith("mi") else "km"
    return None


def is_route_number(token: str) -> bool:
    return bool(ROUTE_RE.match(token.strip(".,;:")))


def _clean_token(token: str) -> str:
    return token.strip(".,;:!?\"'«»()[]{}|/\\_—–-")


def mentions_from_spans(spans: Sequence[TextSpan], source: str = "") -> list[Mention]:
    """Group OCR spans into sign rows and make one mention per row that has letters.

    A row is an OCR line cut by height, so a name never takes the number of another row; the number
    right of the name is its distance (unless it is a route number); several passes that read the
    same row differently become readings of one mention.
    """
    lines: dict[tuple[int, int], list[TextSpan]] = {}
    for s in spans:
        lines.setdefault((s.region, s.line), []).append(s)

    panels: dict[int, list[list[TextSpan]]] = {}  # per sign panel, its rows cut into columns
    for (region, _line), line_spans in lines.items():
        for row in _with_lone_numbers(_rows(_without_misread_numbers(line_spans))):
            panels.setdefault(region, []).extend(_columns(row))

    panels = {region: _with_orphan_numbers(_with_column_numbers(cells)) for region, cells in panels.items()}
    panels = {region: _in_row_order(cells) for region, cells in _with_number_columns(panels).items()}
    out: list[Mention] = []
    twinning_at: dict[int, float] = {}  # per sign panel, the top of its twin-town line
    twinned: dict[int, str] = {}  # per sign panel, the language of that line
    signposts: set[int] = set()  # sign panels with a row pointing to a service
    services: list[Box] = []  # the rows that point to a service, wherever the reader put them
    for region, cells in panels.items():
        for row in cells:
            service = any(_end_words(s.text) & SIGNPOST_WORDS for s in row)
            if service and (box := union_box(s.box for s in row)) is not None:
                services.append(box)
            if service or _row_distance(row) is not None or _number_only(row):
                # A service, or a distance on any row ("Схід 210"), its name's row lost or not
                # beside it ("295" over "Vinkivtsi", the Cyrillic line unread): a direction sign.
                signposts.add(region)
            if (language := _twinning_language(row)) is not None:
                top = min(s.box[1] for s in row)
                twinning_at[region] = min(top, twinning_at.get(region, top))
                twinned.setdefault(region, language)
                continue
            mention = _row_mention(row, region, source)
            if mention is not None:
                out.append(mention)
    # The towns named on and under a twinning line are partner towns abroad, not destinations.
    out = [m for m in out if m.box is None or m.box[1] < twinning_at.get(m.region or 0, math.inf)]
    # A service row set right above or below a name is on its panel, even where the reader cut the
    # panel in two (a messenger's copy of "BORDEAUX / gare SNCF" read as two regions).
    signposts |= {m.region or 0 for m in out if m.box is not None and any(stacked(m.box, b) for b in services)}
    out = [replace(m, twinned=twinned[m.region]) if m.region in twinned else m for m in out]
    return [replace(m, signpost=True) if m.region in signposts else m for m in out]


STACK_GAP = 1.5
"""Widest gap between two rows of one panel, in heights of the taller: a panel sets its rows about
a line apart, and a separate sign stacked on the same pole adds its own border and margins."""


def stacked(a: Box, b: Box) -> bool:
    """Whether two rows lie one right above the other: a gap of at most ``STACK_GAP`` line heights,
    and at least ``COLUMN_OVERLAP`` of the narrower one's width shared."""
    gap, shared = -shared_extent(a, b, 1), shared_extent(a, b, 0)
    return gap <= STACK_GAP * max(a[3], b[3]) and shared >= COLUMN_OVERLAP * min(a[2], b[2])


def _end_words(text: str) -> set[str]:
    """The first and last words of a span, lower case."""
    words = _WORD_RE.findall(text.lower())
    return {words[0], words[-1]} if words else set()


def _service_of(reading: str) -> str | None:
    """The name a row pointing to a service gives the service's town by ("Flughafen München":
    "München"), or None when the row has no service word at its ends or nothing else that may be a
    name.

    What is left must be a word of three letters or more and no acronym: "gare SNCF" names the
    railway company, "Flughafen BER" an airport code, not a town.
    """
    words = reading.split()
    while words and words[0].lower() in SIGNPOST_WORDS:
        words = words[1:]
    while words and words[-1].lower() in SIGNPOST_WORDS:
        words = words[:-1]
    rest = " ".join(words)
    if rest == reading or sum(c.isalpha() for c in rest) < SERVICE_TOWN_LETTERS:
        return None
    if rest.isupper() and not reading.isupper():
        return None  # an acronym beside a word in small letters
    return rest


SERVICE_TOWN_LETTERS = 3
"""Letters from which what a service row adds to its word may be a town's name ("Metz"); shorter
is a code or a gate ("Flughafen T2")."""


SAME_TEXT_OVERLAP = 0.5
"""Share of the narrower span's width two spans of one pass must share to be two readings of the
same words (overlapping detections of one sign row) rather than words side by side."""


def _tracks(spans: Sequence[TextSpan]) -> list[list[TextSpan]]:
    """One pass's spans of a row, left to right, split into alternative readings of the same words.

    Overlapping detections make one pass read a row twice ("Düseldorf" and "Düsseldorf" at one
    place): joined, they would be "Düseldorf Düsseldorf", a name no gazetteer holds. A span goes on
    the first track it does not overlap; one that overlaps every track starts a new one.
    """
    tracks: list[list[TextSpan]] = []
    for s in sorted(spans, key=lambda t: t.box[0]):
        for track in tracks:
            last = track[-1]
            if shared_extent(last.box, s.box, 0) < SAME_TEXT_OVERLAP * max(1, min(last.box[2], s.box[2])):
                track.append(s)
                break
        else:
            tracks.append([s])
    return tracks


def _row_mention(row: Sequence[TextSpan], region: int, source: str) -> Mention | None:
    """One sign row as a mention: a reading per OCR pass, its route numbers and its distance."""
    # Passes in different languages read the same words: split spans by pass, one reading each.
    by_pass: dict[str, list[TextSpan]] = {}
    for s in row:
        by_pass.setdefault(s.lang, []).append(s)
    readings: list[str] = []
    routes: list[str] = []
    name_conf: list[float] = []  # how well the name was read: the number beside it says nothing
    for track in (t for pass_spans in by_pass.values() for t in _tracks(pass_spans)):
        words: list[str] = []
        for s in track:
            for tok in s.text.split():
                tok = _clean_token(tok)
                if tok and is_route_number(tok):
                    if tok.upper() not in routes:
                        routes.append(tok.upper())
                    continue
                if not tok or UNIT_RE.match(tok) or DISTANCE_RE.match(tok):
                    continue
                if any(c.isalpha() for c in tok):
                    words.append(tok)
                    name_conf.append(s.confidence)
        name = " ".join(words)
        if len(name) >= 2 and name not in readings:
            readings.append(name)
    readings += [town for x in list(readings) if (town := _service_of(x)) is not None and town not in readings]
    if not readings or _read_as_common_word(readings):
        return None
    return Mention(
        readings=tuple(readings),
        kind="ocr",
        distance_km=(km := _row_distance(row)),
        distance_unit=_row_unit(row) if km else None,
        box=union_box(s.box for s in row),
        confidence=max(name_conf),
        region=region,
        source=source,
        routes=tuple(routes),
        arrow=next((s.arrow for s in sorted(row, key=lambda t: t.box[0]) if s.arrow is not None), None),
        panel=next((s.panel for s in row if s.panel is not None), None),
    )


def _read_as_common_word(readings: Sequence[str]) -> bool:
    """Whether a row's readings say it is a common word, not a name: one pass reads a word of
    ``COMMON_WORDS`` and no pass of the other alphabet reads a word of its own languages.

    "КАФЕ" read as "KAΦE" by the Latin pass is still a cafe, not Kade in Ghana. But look-alike
    letters can turn a name into a common word of the other alphabet: the Latin pass reads the
    city "ОРЁЛ" as "OPEN". Both readings are words there, so either may be the misread one, and
    the row goes on for the places stage to judge by the places each reading names. The
    other alphabet's pass reading a shop's "OPEN" gives no word ("ОРЕМ").
    """
    common = {script_of(r) for r in readings if is_common_word(r)}
    return bool(common) and not any(script_of(r) not in common and is_word(r) for r in readings)


_BORDER_RE = re.compile(
    r"\bborders?\s+(?:(?:crossing|checkpoint|post|point|area|region|zone)s?\s+)?(?:with|between)\s+(.+?)(?:[.;:!?]|$)|\b(?:кордон\w*|границ\w*|мяж\w*)\s+(?:з|с|между|паміж)\s+(.+?)(?:[.;:!?]|$)",
    re.IGNORECASE | re.UNICODE,
)


_NOT_NEIGHBOURS_RE = re.compile(
    r"\s(?:in|inside|near|at|on|within|close to|у|ў|в|на|біля|поблизу|возле|около|под|каля|пад)\s", re.IGNORECASE
)
"""Where the list of a border's neighbours ends: "the border with Belarus in Ukraine's Chernihiv
region" names Belarus; Chernihiv region is where the photo is, not across the border."""


LOWERCASE_COUNTRIES = {"росі": "Russia", "рф": "Russia"}
"""Word beginnings of a country Ukrainian outlets write in lower case ("біля кордону з росією",
"з рф"), as a neighbour of a border."""
PEOPLE_ADJECTIVES = {
    "російськ": "Russia", "россий": "Russia", "білорус": "Belarus", "белорус": "Belarus",
    "польськ": "Poland", "польск": "Poland", "угорськ": "Hungary", "венгерск": "Hungary",
    "румунськ": "Romania", "румынск": "Romania", "молдовськ": "Moldova", "молдавск": "Moldova",
    "словацьк": "Slovakia", "словацк": "Slovakia", "литовськ": "Lithuania", "литовск": "Lithuania",
    "латвійськ": "Latvia", "латвийск": "Latvia", "естонськ": "Estonia", "эстонск": "Estonia",
    "українськ": "Ukraine", "украинск": "Ukraine", "казахстанськ": "Kazakhstan",
    "казахстанск": "Kazakhstan", "грузинськ": "Georgia", "грузинск": "Georgia",
    "фінськ": "Finland", "финск": "Finland", "норвезьк": "Norway", "норвежск": "Norway",
    "китайськ": "China", "китайск": "China", "монгольськ": "Mongolia", "монгольск": "Mongolia",
    "russian": "Russia", "belarus": "Belarus", "polish": "Poland", "hungarian": "Hungary",
    "romanian": "Romania", "moldova": "Moldova", "slovak": "Slovakia", "lithuanian": "Lithuania",
    "latvian": "Latvia", "estonian": "Estonia", "ukrainian": "Ukraine", "kazakh": "Kazakhstan",
    "georgian": "Georgia", "finnish": "Finland", "norwegian": "Norway", "chinese": "China",
    "mongolian": "Mongolia",
    "расійск": "Russia", "беларуск": "Belarus", "украінск": "Ukraine", "літоўск": "Lithuania",
    "латвійск": "Latvia",
    # countries farther off, in Ukrainian and Russian
    "іспанськ": "Spain", "испанск": "Spain", "італійськ": "Italy", "итальянск": "Italy",
    "французьк": "France", "французск": "France", "німецьк": "Germany", "немецк": "Germany",
    "британськ": "United Kingdom", "британск": "United Kingdom", "англійськ": "United Kingdom",
    "английск": "United Kingdom", "американськ": "United States", "американск": "United States",
    "канадськ": "Canada", "канадск": "Canada", "турецьк": "Turkey", "турецк": "Turkey",
    "ізраїльськ": "Israel", "израильск": "Israel", "іранськ": "Iran", "иранск": "Iran",
    "іракськ": "Iraq", "иракск": "Iraq", "сирійськ": "Syria", "сирийск": "Syria",
    "ліванськ": "Lebanon", "ливанск": "Lebanon", "єгипетськ": "Egypt", "египетск": "Egypt",
    "лівійськ": "Libya", "ливийск": "Libya", "японськ": "Japan", "японск": "Japan",
    "індійськ": "India", "индийск": "India", "вірменськ": "Armenia", "армянск": "Armenia",
    "азербайджанськ": "Azerbaijan", "азербайджанск": "Azerbaijan", "сербськ": "Serbia",
    "сербск": "Serbia", "хорватськ": "Croatia", "хорватск": "Croatia", "болгарськ": "Bulgaria",
    "болгарск": "Bulgaria", "грецьк": "Greece", "греческ": "Greece", "чеськ": "Czechia",
    "чешск": "Czechia", "австрійськ": "Austria", "австрийск": "Austria",
    "австралійськ": "Australia", "австралийск": "Australia", "швейцарськ": "Switzerland",
    "швейцарск": "Switzerland", "нідерландськ": "Netherlands", "нидерландск": "Netherlands",
    "голландськ": "Netherlands", "голландск": "Netherlands", "бельгійськ": "Belgium",
    "бельгийск": "Belgium", "шведськ": "Sweden", "шведск": "Sweden", "данськ": "Denmark",
    "датск": "Denmark", "португальськ": "Portugal", "португальск": "Portugal",
    "ірландськ": "Ireland", "ирландск": "Ireland", "бразильськ": "Brazil", "бразильск": "Brazil",
    "аргентинськ": "Argentina", "аргентинск": "Argentina", "мексиканськ": "Mexico",
    "мексиканск": "Mexico", "венесуельськ": "Venezuela", "венесуэльск": "Venezuela",
    "кубинськ": "Cuba", "кубинск": "Cuba", "чилійськ": "Chile", "чилийск": "Chile",
}  # fmt: skip
"""Ukrainian, Russian, English and Belarusian adjectives of the countries that border Ukraine,
Russia and Belarus, and Ukrainian and Russian ones of countries farther off, by stem. "біля
російського кордону" and "30 km from the Russian border" are the border with Russia, which lies
across it: the demonym alone would name Russia as the photo's country. "в российской столице" is
Moscow, and "в іспанській Валенсії" Valencia in Spain, not the larger one in Venezuela:
Ukrainian, Russian and Belarusian write these adjectives in small letters, so they are no
capitalised name to look up."""

CITY_DEMONYMS = {
    "киян": "Київ", "киевлян": "Киев", "kyivan": "Kyiv", "kievan": "Kyiv",
    "харків'ян": "Харків", "харьковчан": "Харьков", "kharkivite": "Kharkiv",
    "одесит": "Одеса", "одессит": "Одесса", "odesan": "Odesa", "odessan": "Odesa",
    "львів'ян": "Львів", "львовян": "Львов", "дніпрян": "Дніпро", "днепрян": "Днепр",
    "запоріжц": "Запоріжжя", "миколаївц": "Миколаїв", "николаевц": "Николаев", "херсонц": "Херсон",
    "сумчан": "Суми", "чернігівц": "Чернігів", "черниговц": "Чернигов", "полтавц": "Полтава",
    "вінничан": "Вінниця", "винничан": "Винница", "житомирян": "Житомир", "черкащан": "Черкаси",
    "москвич": "Москва", "muscovite": "Moscow", "петербуржц": "Санкт-Петербург",
    "минчан": "Минск", "мінчан": "Мінськ", "белгородц": "Белгород", "бєлгородц": "Бєлгород",
    "курян": "Курск", "брянц": "Брянск",
}  # fmt: skip
"""The residents of a city by the stem of their name, in Ukrainian, Russian and English, with the
city: "Петербуржцы несут цветы", "Кияни ховаються в метро", "Muscovites lay flowers" name the city
where they do it when nothing else does (a name the caption puts something at outweighs it:
"Кияни, що загинули під Бахмутом"). Only stems made from the city's name, whose forms name no
other thing."""
DEMONYM_ENDINGS = ("", "и", "ы", "і", "е", "ів", "ев", "ей", "ам", "ям", "ами", "ями", "ах", "ях", "ин", "s")
"""The endings of a resident's name after its stem: the plural in every case, the singular man,
the English plural."""


def demonym_city(word: str) -> str | None:
    """The city whose residents ``word`` names (``CITY_DEMONYMS``), or None."""
    folded = word.lower().replace("’", "'").replace("ʼ", "'")
    return next(
        (
            city
            for stem, city in CITY_DEMONYMS.items()
            if folded.startswith(stem) and folded[len(stem) :] in DEMONYM_ENDINGS
        ),
        None,
    )


_BORDER_ADJECTIVE_RE = re.compile(
    r"\b([^\W\d_]+)\s+(?:кордон|границ|мяж|border|frontier)\w*", re.IGNORECASE | re.UNICODE
)


_UNIT_WORDS = r"(?:(?P<km>km|kilomet(?:er|re)s?|км|кілометр\w*|километр\w*)|(?P<mi>mi|miles?))\.?"
"""A distance's unit in a caption, in kilometres or in the miles of English-language news."""
_NUMBER_WORD = r"(?<![\d.,])(?P<n>\d{1,3}(?:[.,]\d)?)\s*"
"""A caption's distance figure, not the tail of a larger one ("1,200 miles"), one decimal at most."""
_ALSO_KM = r"(?:\s*\([^()]{0,30}\))?"
"""A conversion in brackets after the figure ("30 miles (48 km)"), skipped."""

_DISTANCE_FROM_RE = re.compile(
    _NUMBER_WORD + _UNIT_WORDS + _ALSO_KM + r"\s+"
    r"(?:from|outside|(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)|від|од|от|до"
    r"|на\s+(?P<dir_uk>\w+(?:\s+(?:схід|захід))?)\s+від|к\s+(?P<dir_ru>[\w-]+)\s+от)\s+"
    r"(?:(?:the\s+)?(?:town|city|village)\s+of\s+|міста\s+|села\s+|города\s+|села\s+|of\s+)?"
    r"(?P<place>[^\W\d_][\w'’\-]*)",
    re.IGNORECASE | re.UNICODE,
)
"""A caption's "25 km from Chernihiv", "35 miles southwest of Austin", "за 25 км від Чернігова",
"в 25 км от Чернигова", "в 30 км к северо-западу от Курска": the distance, its unit, the
direction when it says one, and the first word of the place it is measured from."""

BEARINGS: dict[str, float] = {
    "north": 0, "northeast": 45, "east": 90, "southeast": 135,
    "south": 180, "southwest": 225, "west": 270, "northwest": 315,
    "північ": 0, "схід": 90, "південь": 180, "захід": 270,
    "північнийсхід": 45, "південнийсхід": 135, "південнийзахід": 225, "північнийзахід": 315,
    "северу": 0, "северовостоку": 45, "востоку": 90, "юговостоку": 135,
    "югу": 180, "югозападу": 225, "западу": 270, "северозападу": 315,
}  # fmt: skip
"""Degrees clockwise from north of the directions a caption puts a photo in from a town ("north-east
of", "на північний схід від", "к северо-востоку от"), hyphens and spaces dropped."""


_BORDER_DISTANCE_RE = re.compile(
    _NUMBER_WORD + _UNIT_WORDS + _ALSO_KM + r"\s+"
    r"(?:(?:away\s+)?from|off|від|од|от|до)\s+(?:the\s+)?(?:[^\W\d_]+\s+)?"
    r"(?:border|frontier|кордон\w*|границ\w*)",
    re.IGNORECASE | re.UNICODE,
)
"""A caption's "10 km from the border", "6 miles from the border", "за 10 км від кордону", "в 10
км от границы"."""


def _figure(m: re.Match[str]) -> tuple[float, DistanceUnit]:
    """A caption distance's number and unit ("2,5 км": a decimal comma)."""
    return distance_value(m.group("n")), "mi" if m.group("mi") else "km"


def _with_distances(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """The mentions, those a caption gives a distance from ("25 km from X") carrying it."""
    out = list(mentions)
    for m in _DISTANCE_FROM_RE.finditer(text):
        word = m.group("place")
        for k, mention in enumerate(out):
            if mention.distance_km is None and mention.text.split()[0] == word:
                number, unit = _figure(m)
                way = re.sub(r"[\s-]", "", (m.group("dir") or m.group("dir_uk") or m.group("dir_ru") or "").casefold())
                out[k] = replace(mention, distance_km=number, distance_unit=unit, bearing_deg=BEARINGS.get(way))
                break
    return out


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def _possessive_before(clause: str, found: Sequence[re.Match[str]], i: int) -> bool:
    """Whether a capitalised possessive stands right before word ``i``, only a space between."""
    word = found[i - 1].group(0)
    spaced = not clause[found[i - 1].end() : found[i].start()].strip()
    return word[:1].isupper() and _strip_possessive(word) != word and spaced


def _phrases(sentence: str, max_words: int) -> list[str]:
    """Capitalised runs of words; a possessive ("Russia's") ends a run, a region word extends it:
    a border's neighbour is "Russia's Bryansk region" without its possessor."""
    return [
        found.text.partition(" ")[2] if found.possessed else found.text
        for found, *_ in _cued_phrases(sentence, max_words, _in_title_case(sentence))
    ]


LOCATION_CUES = frozenset(
    """
in near outside around at between outskirts suburbs centre center heart
у в під біля поблизу неподалік околиці поруч коло між районі центрі передмісті
под около возле недалеко окрестностях окраине рядом между районе центре пригороде
ў пад каля ля паблізу непадалёк побач паміж раёне
""".split()
)
"""Words that put the next name where something happened ("near X", "під X", "под X", "каля X",
"the outskirts of X", "in the centre of X", "в центрі X", "в районе X": in the area of X): a
caption names the photo's place after them, and its outlet or a party without."""

RUN_BREAK_WORDS = frozenset(
    """
over on onto from to after before by for with into across above under toward towards against during amid and or
над по на з із зі від до після через за перед для про с со от из после к ко і й та и або или
""".split()
)
"""Prepositions and conjunctions besides ``LOCATION_CUES``, which no place's name written without
hyphens holds ("Ростов-на-Дону" is one word): a run of capitalised words ends before one, as a
headline in capitals writes them in capitals too ("SMOKE OVER DZHANKOI", "УДАР ПО ХАРКОВУ", "DRONES
FROM BELARUS"), and so does one in title case ("Smoke Over Kyiv"). Not "of": "Isle of Man"."""
RUN_ENDS = LOCATION_CUES | RUN_BREAK_WORDS
"""The small words a run of capitalised words ends before, and no name begins with."""

PHOTO_WORDS = (
    "photo", "footage", "video", "image", "picture", "geolocat", "filmed", "taken", "shot", "shows",
    "фото", "відео", "світлин", "знімк", "кадр", "зроблен", "знят",
    "снимк", "снято", "сделан", "видео", "запечатл",
)  # fmt: skip
"""Word beginnings of a sentence that speaks about the photo itself ("a photo ... showed", "Фото
зроблено", "Снимок сделан"), in English, Ukrainian and Russian."""


SETTLEMENT_NOUNS = (
    "village", "town", "city", "settlement", "hamlet",
    "сел", "міст", "хутор", "город", "посел", "посёл", "деревн", "станиц",
)  # fmt: skip
"""Word beginnings of the nouns a caption may set between a location word and a settlement's name
("near the village of Krynky", "у селі Кринки", "в городе Курске"): the location word still cues
the name."""
SETTLEMENT_ADJECTIVES_MAX = 2
"""Words that may describe a settlement between a location word (and an article) and its noun: "in
the southern port city of Odesa", "у прифронтовому місті Покровськ"."""
ARTICLES = frozenset({"the", "a", "an"})
SETTLEMENT_ABBREVIATIONS = frozenset("с м г смт пгт пос н п".split())
"""Their abbreviations ("у с. Кринки", "в г. Курске", and "н. п.", a populated place, as military
posts write it: "у н.п. Кринки")."""
SETTLEMENT_WORDS_MAX = 2
"""Words of a settlement noun or its abbreviation between a location word and the name ("н. п.")."""


_RIVER_RE = re.compile(
    r"(?:річк\w*|річц\w*|рік[аиіуо]\w*|ріц\w*|рек[аиеуо]й?|речк\w*|river|берег\w*|берез[іи])",
    re.IGNORECASE,
)
"""A river or its bank before a name ("річки Дніпро", "реки Днепр", "на лівому березі Дніпра", "на
левом берегу Днепра", "the banks of the Dnipro"): the name is the river's, which a town may share
(Dnipro; Oskil, Desna and Psel are villages too)."""


def _compound_adjective(token: str) -> bool:
    """Whether a capitalised hyphenated word ends in a small-letter word, as an adjective made of a
    name and a participle does ("Russian-occupied", "Kremlin-backed", "Ukrainian-controlled"),
    and a name does not ("Rostov-on-Don", "Kupiansk-Vuzlovyi", "Ivano-Frankivsk")."""
    *_, last = token.split("-")
    return "-" in token and len(last) >= COMPOUND_TAIL_LETTERS and last.islower()


COMPOUND_TAIL_LETTERS = 3
"""Fewest letters of the small-letter word ending an adjective compound: "-held", "-led"; not the
"-on-" or "-de-" inside a name."""


ARTICLE_FOLLOWERS = frozenset(
    """
in on at near after before to from into onto across along over under by with for off past through
towards toward around behind beyond during since until outside upstream downstream
is was are were has had have
""".split()
)
"""English words that may follow "the X" where X is the whole name, not a noun's modifier: "crossed
the Dnipro in a night operation", "smoke over the Dnipro after ...". "and" is not among them: "the
Kharkiv and Sumy regions" qualifies a noun further on."""


def _after_article(tokens: Sequence[str], i: int, j: int) -> bool:
    """Whether English "the" comes right before the name ``tokens[i:j]`` and no noun it qualifies
    follows it ("crossed the Dnipro", "in the Donbas", but not "the Kyiv government"): such a name
    is a river's, a region's or a country's, or a town whose own name has the article (The Hague);
    a town is not written so."""
    if i == 0 or tokens[i - 1].lower() != "the":
        return False
    after = tokens[j] if j < len(tokens) else ""
    return not after[:1].islower() or after in ARTICLE_FOLLOWERS


def _names_a_river(tokens: Sequence[str], i: int, j: int) -> bool:
    """Whether the name ``tokens[i:j]`` is a river's: after a river or bank noun ("на березі
    Дніпра", "the bank of the Dnipro", "река Днепр"), or before "river" ("the Dnipro river")."""
    before = [t.lower() for t in tokens[max(0, i - 3) : i]]
    while before and before[-1] in ("the", "of"):
        before.pop()
    after = tokens[j].lower() if j < len(tokens) else ""
    banks = bool(before) and (before[-1] in ("bank", "banks") or _RIVER_RE.fullmatch(before[-1]) is not None)
    return banks or after in ("river", "river's")


STREET_NOUNS = (
    "вулиц", "проспект", "бульвар", "провул", "площ", "шосе", "набережн", "узвіз", "майдан",
    "улиц", "переул", "шоссе", "узвоз", "парк", "сквер",
)  # fmt: skip
"""Word beginnings of the nouns a street's, a square's or a park's name follows ("вулиці Шевченка",
"на улице Щорса", "проспект Миру", "у парку Шевченка"): a person's or a town's name there names
the street, not a place (Shevchenko and Shchors are former names of Aktau and Snovsk)."""
PLURAL_ENDINGS = ("ах", "ях", "ами", "ями", "ам", "ям", "ів", "ов", "иць")
"""Endings of such a noun in the plural, which a town's name follows as whose they are: "на
вулицях Києва", "в парках Москвы", "одна з вулиць Харкова" (the streets, the parks of the city)."""
PLURAL_FORMS = frozenset({"улиц", "площ"})
"""The plural forms that are the beginnings themselves: "одной из улиц Москвы"."""
VESSEL_NOUNS = (
    "ship", "vessel", "cruiser", "frigate", "corvette", "submarine", "tanker", "destroyer",
    "корабл", "корабел", "крейсер", "фрегат", "корвет", "субмарин", "танкер", "есмін", "эсмин", "судн",
    "бдк", "мдк",
)  # fmt: skip
"""Word beginnings of the nouns a ship's name goes with: warships are named after towns ("the
Saratov landing ship", "крейсер «Москва»", "БДК «Новочеркасск»"), and a strike on one is not at
that town."""
VESSEL_AFTER = 2
"""Words after a name looked at for a vessel noun ("the Saratov landing ship")."""
FORMATION_NOUNS = (
    "regiment", "brigade", "battalion",
    "полк", "бригад", "батальйон", "батальон", "дивізі", "дивизи", "загін", "загон", "отряд",
    "підрозділ", "подразделени", "угруповання", "группировк",
)  # fmt: skip
"""Word beginnings of the nouns a military formation's name goes with: formations are named after
towns and rivers ("полк «Азов»", "батальйон «Дніпро-1»", "группировка войск «Днепр»", "the Azov
brigade") and fight far from them. Not "corps" or "корпус" (also a building: "корпус Харьковского
университета"), nor "unit" or "division" ("the Kharkiv police unit" is there)."""
BODY_NOUNS = (
    "пресс-служб", "прес-служб", "компани", "компані", "чвк", "пвк", "концерн", "холдинг", "корпораци",
    "корпораці", "газет", "издани", "видання", "телеканал", "агентств", "фонд",
)  # fmt: skip
"""Word beginnings of the nouns an organisation's name in quotes comes right after ("пресс-служба
«Конкорд»", "ЧВК «Вагнер»", "газета «Коммерсант»", "телеканал «Дождь»"): Ukrainian and Russian
quote the names of organisations, never a place's, and organisations are named after places far
away ("компания «Сибирь»", "агентство «Україна»")."""
QUOTE_MARKS = '«„“"'
"""Marks that open a quoted name."""
TROOPS_WORDS = ("войск", "військ")
"""What may stand between such a noun and the name ("группировка войск «Днепр»")."""
VENUE_NOUNS = ("arena", "арен", "stadium", "стадіон", "стадион")
"""Word beginnings of a venue's first word when a town's name follows it: "Arena Lviv", "на «Арені
Львів»" are in Lviv."""
REPUBLIC_NOUNS = ("республик", "республік", "рэспублік")
"""Word beginnings of a republic's noun, capitalised in its official name and followed by the name
in the nominative whatever the noun's case ("в Республике Крым", "Автономної Республіки Крим",
"Республики Башкортостан"): the name after it is read when the whole names nothing."""
STREET_ABBREVIATIONS = frozenset("вул просп пров бульв пл ул пер".split())
"""Their abbreviations ("вул. Шевченка")."""
STREET_NOUNS_AFTER = frozenset("street st avenue ave boulevard blvd lane prospekt prospect vulytsia ulitsa".split())
"""The nouns a street's name comes before in English and romanised ("Khreshchatyk Street", "Lesi
Ukrainky Boulevard", "Peremohy Avenue"): the name before them names the street, not a place
(Khreshchatyk is also a village in Chernivtsi Oblast)."""

INSTITUTION_NOUNS_AFTER = frozenset(
    """
theatre theater opera philharmonic circus zoo museum university polytechnic institute academy
conservatory hospital airport plant factory works palace
""".split()
)
"""Nouns of the institutions an English caption names after their town ("Chernihiv Drama Theatre",
"Sumy State University", "Kyiv Zoo", "Kharkiv Palace of Sports", "Kherson Regional Children's
Hospital"): where the whole names nothing, its leading words name the town it stands in. Not a
station, named after where its trains go as often (Moscow's Kievsky station), nor a church."""
FEATURE_NOUNS_AFTER = frozenset("park square gardens garden".split())
"""The nouns a park's or a square's name comes before ("Gorky Park", "Victoria Park", "Trafalgar
Square"): the words before them name the park, not a place (Gorky was Nizhny Novgorod), unless
the whole names one ("Menlo Park"). Not "beach": "Long Beach" and "Miami Beach" are cities."""


_CLAUSE_RE = re.compile(r"([,:;()\[\]—–#])")
"""Where a sentence's clauses part: "Как сообщили в Москве, снимок сделан под Черниговом"; and at a
hashtag, each of which is a name of its own ("#Bakhmut #Donetsk"). The mark is kept in the split,
as a credit follows a colon ("Джерело: Еспресо")."""

_OPENING_MARKS = " «“„\"'(["
"""What may come before a sentence's first word."""

_STRAY_APOSTROPHE_RE = re.compile(r"(?<=[^\W\d_])[`´ʹʻ′](?=[^\W\d_])")
"""Marks typed for an apostrophe inside a word where a keyboard lacks one ("Кам`янське",
"Мар´їнка"): read as the apostrophe, so the word stays one word."""

_ABBREVIATIONS = sorted(STREET_ABBREVIATIONS | SETTLEMENT_ABBREVIATIONS | {"обл"})
"""Abbreviations a full stop ends without ending the sentence: streets ("вул. Шевченка"),
settlements ("с. Кринки", "м. Київ", "г. Курск", "смт", "пос.") and regions ("Сумської обл.")."""
_SENTENCE_RE = re.compile(
    "".join(rf"(?<!\b{a}\.)" for a in _ABBREVIATIONS) + r"(?<=[.!?;])\s+|\s*\n\s*|\s+\|\s+"
    r"|\s*[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u297f\u2b00-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]+\s*"
)
"""Where a caption's sentences part: after a full stop, at a line break that ends a line of its own
(``_spaced``), at a bar between a headline's parts ("Odesa | Port damaged overnight"), and at an
emoji or other pictograph (arrows, dingbats, flags), which posts put where prose puts a full stop:
"до Енгельса 🔥 Аеродром горить" names Engels, then begins a sentence."""

_LINE_BREAK_RE = re.compile(r"\s*\n\s*")
LINE_GOES_ON = tuple(",-‐–—(/&+")
"""Marks a line ends with when its sentence goes on in the next line ("Харків,\nСуми")."""
LINE_GOES_ON_WORDS = RUN_ENDS | ARTICLES | {"of"}
"""Small words no sentence ends with: a line ending with one goes on in the next ("у\nНікополі")."""


def _spaced(text: str) -> str:
    """The text with each run of white space one space, but a line break that ends a line of its own
    kept as one line break, which ``_SENTENCE_RE`` parts sentences at.

    Posts put a place on a line of its own, as a headline, a dateline or a hashtag ("Бахмут\nПозиції
    під Кліщіївкою", "KHARKIV\nFirefighters battle ..."): run into the next line, the name and that
    line's first word make one phrase that names nothing ("Бахмут Позиції"). Prose wrapped by hand
    breaks lines anywhere, so a line break parts nothing where the next line goes on in lower case,
    or where the line ends with a comma or a dash (``LINE_GOES_ON``) or a small word no sentence ends
    with ("у\nНікополі", "in the\nKharkiv region": ``LINE_GOES_ON_WORDS``). A blank line always parts.
    """
    out: list[str] = []
    at = 0
    for gap in _LINE_BREAK_RE.finditer(text):
        before, after = text[at : gap.start()], text[gap.end() : gap.end() + 1]
        last = before.rstrip()
        words = _WORD_RE.findall(last[-40:])
        goes_on = (
            after.islower()
            or last.endswith(LINE_GOES_ON)
            or (bool(words) and last.endswith(words[-1]) and words[-1].lower() in LINE_GOES_ON_WORDS)
        )
        blank = gap.group().count("\n") > 1
        out.append(re.sub(r"\s+", " ", before))
        out.append("\n" if blank or not goes_on else " ")
        at = gap.end()
    out.append(re.sub(r"\s+", " ", text[at:]))
    return "".join(out)


def sentences(text: str) -> list[str]:
    """A caption's sentences, as ``_SENTENCE_RE`` parts them."""
    return [s for s in _SENTENCE_RE.split(text) if s]


def _about_photo(text: str) -> bool:
    return any(m.group(0).lower().startswith(PHOTO_WORDS) for m in _WORD_RE.finditer(text))


EVENT_WORDS = (
    "strike", "struck", "hit", "shell", "attack", "explos", "drone", "debris", "fell", "crash",
    "удар", "обстріл", "атак", "вибух", "уламк", "впал", "приліт", "прильот", "влуч",
    "обстрел", "взрыв", "обломк", "упал", "прилет", "прилёт", "попадан",
)  # fmt: skip
"""Word beginnings of what happened at the photo's place ("the strike hit X", "удар по X",
"обломки упали в X": where the debris fell is where the photo of it was taken)."""
REPORTING_WORDS = (
    "speak", "working", "said", "says", "claim", "statement", "journalist", "talks", "negotiat", "press",
    "told",
    "виступ", "журналіст", "переговор", "заяв", "повідом", "стверджу",
    "выступ", "журналист", "сообщ", "утвержда",
)  # fmt: skip
"""Word beginnings of where something was said or checked, not where the photo was taken
("speaking in Kyiv", "журналісти в Бахчисараї", "на переговорах у Вашингтоні")."""
GOVERNMENT_VERBS = (
    "calls", "accus", "denie", "insist",
    "назива", "звинувач", "заперечу", "наполяга",
    "называ", "обвин", "отрица", "настаива",
)  # fmt: skip
"""Word beginnings of what a government, named by its capital, does in words right after the
capital's name: calls a place by its name, accuses, denies, insists ("what Moscow calls
Artemovsk", "яке Москва називає Артемівськом", "Москва отрицает удар по Кременчугу"). The capital
then weighs as a reporting word's; the place named after the verb does not."""
PEOPLE_WORDS = (
    "refugee", "evacuee", "soldier", "troop", "fighter", "servicem", "volunteer", "delegat",
    "біженц", "евакуйован", "переселенц", "бійц", "воїн", "військов", "побратим", "захисник",
    "волонтер", "земляк", "вихідц", "делегац",
    "беженц", "эвакуирован", "бойц", "военн", "сослуживц", "защитник", "выходц", "делегац",
)  # fmt: skip
"""Word beginnings of people a caption says where they come from ("Побратими з Житомирщини
передали привіт з Донеччини", "Refugees from Mariupol arrive in Zaporizhzhia"): a place right
after them and "з"/"из"/"from" is their home, and weighs as a reporting word's."""
RESIDENT_WORDS = ("жител", "мешкан", "жыхар", "residents", "locals")
"""Word beginnings of a town's residents, capitalised as a sentence's first word before the town
("Жители Энгельса сообщают о взрывах", "Мешканці Сум повідомляють..."): they report where they
live, and are no outlet reporting from elsewhere."""
ORIGIN_WORDS = frozenset({"з", "із", "зі", "из", "from"})
"""The prepositions between such people and their home."""
BIRTH_WORDS = (
    "born", "native", "народив", "народил", "народжен", "уродженц", "уродженець", "родом",
    "родил", "рожден", "уроженц", "уроженец",
)  # fmt: skip
"""Word beginnings of where a person was born or comes from ("A soldier born in Odesa trains in
Chernihiv region", "Уроженец Кемерово проходит службу..."): a place right after them is the
person's past, not where the photo was taken, and weighs as a reporting word's."""
AFTERMATH_WORDS = (
    "funeral", "mourn", "buried", "burial", "bury", "cemeter", "memorial", "commemor", "farewell",
    "hospital",
    "похорон", "поховал", "поховав", "попрощал", "прощан", "цвинтар", "кладовищ",
    "меморіал", "вшанув", "пам'ят", "пам’ят", "шпитал", "лікарн",
    "похоронил", "простил", "кладбищ", "мемориал", "почтил", "памят", "госпитал", "больниц",
)  # fmt: skip
"""Word beginnings of a funeral, a memorial or a hospital: in a sentence with one, a place right
after a verb of death or harm (``HARM_WORDS``) is where it befell the person, and the photo is of
the funeral or the ward ("Funeral in Lviv of a soldier killed near Bakhmut", "У Львові
попрощалися з воїном, який загинув під Бахмутом", "Dnipro: a hospital treats soldiers wounded in
the Zaporizhzhia region")."""
LAST_JOURNEY_RE = re.compile(r"\b(?:останн|последн)\w*\s+(?:пут|дорог)", re.IGNORECASE)
"""The funeral's idiom, "seen off on the last journey" ("провели в останню путь", "в последний
путь"): a sentence with it is about a funeral as one with ``AFTERMATH_WORDS`` is."""
HARM_WORDS = (
    "killed", "died", "wounded", "injured",
    "загинув", "загинул", "загинувш", "поліг", "полягл", "поранен",
    "погиб", "погибш", "ранен",
)  # fmt: skip
"""Word beginnings of the verbs of a death or a wound: "who died near Avdiivka", "який загинув під
Бахмутом", "погибшего под Авдеевкой", "wounded in the Zaporizhzhia region"."""
SOURCE_WORDS = (
    "пиш", "сообща", "сообщи", "повідомля", "повідоми", "паведам", "піша",
    "writes", "wrote", "reports", "reported",
)  # fmt: skip
"""Word beginnings of the verbs an outlet follows ("пишет Фонтанка", "повідомляє Главком", "writes
the Kyiv Independent"), as does "according to": the name after them is a source, not a place
(Fontanka is also a village near Odesa)."""
SOURCE_LABELS = frozenset({"джерело", "источник", "source", "credit"})
"""Words a credit follows after a colon ("Джерело: Еспресо", "Источник: Медуза"): a source."""
WHENCE_WORDS = frozenset(
    {("з", "боку"), ("зі", "сторони"), ("з", "сторони"), ("со", "стороны"), ("с", "стороны"), ("direction", "of")}
)
"""The word pairs before the place fire or an attack came from ("обстріли з боку Енергодара",
"обстрел со стороны Харькова", "shelling from the direction of Belgorod"): whence, not where the
photo is; the place weighs as a reporting word's."""


def _reported(near: Sequence[str], after: str) -> bool:
    """Whether a reporting word stands among the words before a name (lower case) or right after it:
    where something was said or checked ("officials in Kyiv said", "повідомили в Одеській ОВА")."""
    return any(w.startswith(REPORTING_WORDS) for w in (*near, after.lower()))


NEGATIONS = frozenset({"не", "not", "ні", "ни"})
"""Words that deny what follows (``_denied``): the name is where the photo is said not to be
("Видео снято не в Курске, а в Харькове", "Це Миколаїв, а не Одеса", "was not filmed in
Bakhmut"); it weighs as a reporting word's, and the photo and location words before it count for
nothing."""


def _denied(near: Sequence[str], cued: bool) -> bool:
    """Whether the words before a name (lower case) deny it: a negation right before it ("а не
    Одеса"), before its location word ("не в Курске"), or before a word of taking the photo and its
    location word ("not filmed in Bakhmut"); not a negation of what was done there ("did not sleep
    in Avdiivka")."""
    if near[-1:] and near[-1] in NEGATIONS:
        return True
    if not cued or len(near) < 2:
        return False
    return near[-2] in NEGATIONS or (len(near) >= 3 and near[-3] in NEGATIONS and near[-2].startswith(PHOTO_WORDS))


CORRECTION_WORDS = frozenset({"насправді", "деле", "actually", "fact"})
"""Words that put right what was claimed ("насправді", "на самом деле", "actually", "in fact"): a
name among the words after one is where the photo is, as after a location word ("видають це за
Харків, але насправді це Бєлгород")."""
HOME_QUOTES = '»”"'
"""Closing quotes before a town in brackets that make the town the home of what they name: a club
("«Шахтар» (Донецьк) переміг «Динамо» (Київ)", "Zorya (Luhansk)"), a company or a unit, which
play, work and fight elsewhere; the place weighs as a reporting word's."""
EARLIER_WORDS = ("earlier", "previously", "раніше", "напередодні", "ранее", "накануне")
"""First words of a sentence about another time than the photo's ("Ранее митинг прошел в Москве",
"Earlier, a strike hit Kharkiv"): its places weigh as a reporting word's."""
DISTANCE_CUE = 2
"""Strength a name gains when the caption gives the photo's distance from it ("25 km north of X"):
that of a location word right before it (``_cued_phrases``)."""
NEAR_TOKENS = 3
"""How many words before a name are looked at for a photo, event or reporting word."""


PART_WORDS: dict[str, Compass] = {
    "northern": "N", "southern": "S", "eastern": "E", "western": "W",
    "півночі": "N", "півдні": "S", "сході": "E", "заході": "W",
    "північ": "N", "південь": "S", "схід": "E", "захід": "W",
    "севере": "N", "юге": "S", "востоке": "E", "западе": "W",
    "север": "N", "юг": "S", "восток": "E", "запад": "W",
}  # fmt: skip
"""Words right before a country or region that name a part of it: "northern Ukraine", "на
півночі України", "на востоке Украины"."""


ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "друг": 2, "втор": 2, "трет": 3, "четверт": 4, "пят": 5}
"""Ordinals (Cyrillic ones by stem, "п'ятого" without its apostrophe) that rank a country's cities by
size: "Ukraine's second-largest city", "друге за величиною місто України", "второй по величине город"."""
_ENGLISH_LARGEST = r"(?:(second|third|fourth|fifth)[- ](?:(?:largest|biggest) )?|(?:largest|biggest) )city"
"""A country's n-th city in English: "second-largest city", "second largest city", "second city",
"largest city" (the first); not "cities" ("one of the largest cities")."""
_LARGEST_AFTER_RE = re.compile(_ENGLISH_LARGEST + r"\b")
"""After a country's possessive: "Ukraine's second-largest city"."""
_LARGEST_BEFORE_RE = re.compile(
    r"(?:" + _ENGLISH_LARGEST + r" (?:in|of)"
    r"|(?:(друг|втор|трет|четверт|пят)\w*\s+)?(?:(?:за|по)\s+величин\w*|(?:найбільш|крупнейш|наибольш)"
    r"(?:е|ого|ому|им|ім|ий|ем|ая|ое)?)\s+(?:міст(?:о|а|у|ом|і)|город(?:а|у|ом|е)?))$"
)
"""Before a country's name: "the second-largest city in Ukraine", "другого за величиною міста України",
"второй по величине город России", "крупнейший город Беларуси"; in the singular only ("одне з
найбільших міст" is one of several)."""


def _largest_rank(tokens: Sequence[str], i: int, j: int) -> int:
    """Which of its country's cities by size the words about the country ``tokens[i:j]`` name (1 for
    the largest), or 0: "Ukraine's second-largest city" is Kharkiv without its name."""
    if _strip_possessive(tokens[j - 1]) != tokens[j - 1]:
        found = _LARGEST_AFTER_RE.match(" ".join(tokens[j : j + 3]).lower())
    else:
        before = " ".join(tokens[max(0, i - LARGEST_WORDS_BEFORE) : i]).lower()
        found = _LARGEST_BEFORE_RE.search(before.replace("'", "").replace("ʼ", "").replace("’", ""))
    if found is None:
        return 0
    ordinal = next((g for g in found.groups() if g), None)
    return ORDINALS[ordinal] if ordinal else 1


LARGEST_WORDS_BEFORE = 5
"""Words a country's n-th city takes before the country: "друге за величиною місто", "the second
largest city in"."""

OFFICE_KINDS_EN = frozenset("city regional oblast region military state".split())
"""English words of an office's kind between a place's name and the office's noun ("Kyiv City
Military Administration", "Kharkiv Regional State Administration", "the Kharkiv oblast council")."""
OFFICE_NOUNS_EN = frozenset({"administration", "council", "duma"})
"""English nouns of a city's or a region's office: a photo it publishes shows its city or region
("Odesa City Council", "Moscow City Duma")."""
OFFICE_TERMS_EN = OFFICE_KINDS_EN | OFFICE_NOUNS_EN
OFFICE_WORDS = 4
"""Most words of an office's kinds and noun after a name in small letters ("regional state
administration")."""
REGION_KINDS_EN = frozenset({"regional", "oblast", "region"})
"""English office kinds that make the office a region's ("Kharkiv Regional Military Administration")."""


def _office(words: Sequence[str]) -> str | None:
    """Whether ``words``, right after a place's name, make the name an office's, and whose: "region"
    for "Regional Military Administration", "city" for "City Council" or "city military
    administration"; None without a kind ("Security Council" is no place's office)."""
    lowered = [w.lower() for w in words]
    end = next((k for k, w in enumerate(lowered) if w not in OFFICE_KINDS_EN), len(lowered))
    if not end or end == len(lowered) or lowered[end] not in OFFICE_NOUNS_EN:
        return None
    return "region" if REGION_KINDS_EN & set(lowered[:end]) else "city"


CAPITAL_NOUNS = ("capital", "столиц", "сталіц")
"""A country's capital in English, Ukrainian and Russian, and Belarusian (stems): "the Ukrainian
capital", "Ukraine's capital", "the capital of Russia", "у столиці України", "в российской столице",
"у беларускай сталіцы" name the city without its name."""


class _Phrase(NamedTuple):
    """A capitalised run of words of a caption that may name a place."""

    text: str
    cued: bool  # a location word comes right before it ("під", "near")
    before: list[str]  # the ``NEAR_TOKENS`` words before it
    adjective: bool = False  # a town's adjective before a noun ("Суджанського району"): read as the town
    around_km: float | None = None  # how far from the town the noun reaches ("район", "напрямок")
    governor: str = ""  # the word right before it, when a preposition may decide its case ("под")
    capital: bool = False  # a capital noun qualifies it ("the Ukrainian capital"): the country's capital is meant
    country: str = ""  # the country a Cyrillic people's adjective is of ("российской": Russia)
    after: str = ""  # the word right after it in its clause ("officials in Kyiv said")
    article: bool = False  # English "the" before it, and no noun it qualifies after ("crossed the Dnipro")
    largest: int = 0  # a country's n-th city by size is meant ("Ukraine's second-largest city": 2)
    office: bool = False  # a city's office ("Odesa City Council"): the name without "City" if the whole names nothing
    publisher: bool = False  # an office's ("Одеська ОВА", "Kharkiv City Council"): a credit to it names a place
    of_country: str = ""  # the country whose people's adjective comes right before it ("в іспанській Валенсії")
    possessed: bool = False  # it begins with the possessive before it ("Cox's Bazar"); else the rest is read


class _CuedPhrase(NamedTuple):
    phrase: _Phrase
    strength: int  # how strongly the text ties it to the photo's place
    part: Compass | None  # the part of the named area ("northern Ukraine")
    placed: bool  # a location, photo or event word puts something at it, and nothing says it was only said there


SHOWN_LABELS = frozenset(
    {
        ("на", "фото"), ("на", "знімку"), ("на", "світлині"), ("на", "відео"),
        ("на", "снимке"), ("на", "видео"), ("на", "кадрах"),
        ("pictured",), ("in", "the", "photo"), ("in", "the", "picture"), ("in", "the", "video"),
    }
)  # fmt: skip
"""Labels before a colon or a dash that say what the photo shows ("На фото — Одеса", "Pictured:
Odesa"), in Ukrainian, Russian and English; "Фото:" alone is a credit."""
SHOWN_MARKS = frozenset(":—–")
"""The marks such a label ends with."""


def _shown_label(clause: str) -> bool:
    """Whether a clause ends with a label saying what the photo shows (``SHOWN_LABELS``)."""
    words = tuple(w.lower() for w in _WORD_RE.findall(clause))
    return any(words[-len(label) :] == label for label in SHOWN_LABELS)


def _cued_phrases(sentence: str, max_words: int, headline: bool) -> list[_CuedPhrase]:
    """Capitalised runs of words, clause by clause, each with how strongly the text ties it to the
    photo's place: two points for a location word right before it, two for a clause about the
    photo, one for a sentence about it, three for a photo or event word just before it ("footage
    from X", "Фото з X", "удар по X"), three fewer for a reporting word before or right after it
    ("speaking in X", "officials in X said"), for the home of people the caption names
    ("Побратими з Житомирщини"), for where fire came from ("з боку Енергодара"), for where a
    person was born ("born in Odesa") or, at a funeral or in hospital, died or was wounded
    ("Funeral in Lviv of a soldier killed near Bakhmut"), for the home of a club or company named in quotes before it
    ("«Шахтар» (Донецьк)") or in a sentence about an earlier time ("Ранее митинг прошел в
    Москве"); three for a label of what the photo shows before it ("На фото — Одеса",
    ``SHOWN_LABELS``). A credit ("Джерело: Еспресо") names no place, unless it is an office's
    ("Джерело: Одеська ОВА"), which publishes its own city or region. Names never run across a comma
    ("Sumy, Kharkiv"). ``headline``: the sentence is a headline in title case (``_in_title_case``)."""
    words = _WORD_RE.findall(sentence)
    earlier = bool(words) and words[0].lower() in EARLIER_WORDS
    aftermath = any(w.lower().startswith(AFTERMATH_WORDS) for w in words) or bool(LAST_JOURNEY_RE.search(sentence))
    in_sentence = int(_about_photo(sentence)) - 3 * earlier
    out: list[_CuedPhrase] = []
    pieces = _CLAUSE_RE.split(sentence)  # clause, mark, clause, mark, ...
    clauses, marks = pieces[0::2], pieces[1::2]
    for at, clause in enumerate(clauses):
        label = [w.lower() for w in _WORD_RE.findall(clauses[at - 1])[-1:]] if at else []
        credit = bool(label) and label[0] in SOURCE_LABELS and marks[at - 1] == ":"
        # "На фото — Одеса", "Pictured: Odesa": the clause is about the photo, and its label is a
        # photo word right before the name ("Фото: Суспільне" is a credit, and stays as it is).
        shown = at > 0 and marks[at - 1] in SHOWN_MARKS and _shown_label(clauses[at - 1])
        bonus = in_sentence + 2 * int(shown or _about_photo(clause))
        home = at > 0 and marks[at - 1] == "(" and clauses[at - 1].rstrip().endswith(tuple(HOME_QUOTES))
        bonus -= 3 * home  # "«Шахтар» (Донецьк)": the club's home
        for phrase in _clause_phrases(clause, max_words, headline):
            if credit and not phrase.publisher:
                continue  # "Джерело: Еспресо"; but an office ("Джерело: Одеська ОВА") publishes its own region
            near = [w.lower() for w in phrase.before]
            corrected = any(w in CORRECTION_WORDS for w in near)
            denied = _denied(near, phrase.cued)
            cue = 2 * (phrase.cued or corrected) + 3 * (
                shown or any(w.startswith(PHOTO_WORDS + EVENT_WORDS) for w in near)
            )
            if denied:  # "Видео снято не в Курске": the photo and location words before it deny it too
                cue = 0
            doubt = 3 * (
                denied
                + _reported(near, phrase.after)
                + phrase.after.lower().startswith(GOVERNMENT_VERBS)
                + (len(near) >= 2 and near[-1] in ORIGIN_WORDS and near[-2].startswith(PEOPLE_WORDS))
                + (tuple(near[-2:]) in WHENCE_WORDS)
                # "Уроженец Кемерово проходит службу": at a sentence's start, the word is in the run
                + any(w.startswith(BIRTH_WORDS) for w in (*near, phrase.text.split()[0].lower()))
                + (aftermath and any(w.startswith(HARM_WORDS) for w in near))
            )
            part = PART_WORDS.get(near[-1]) if near else None
            placed = cue > 0 and not doubt and not home and not earlier
            out.append(_CuedPhrase(phrase, cue + bonus - doubt, part, placed))
    return out


_REGION_ADJECTIVE_RE = re.compile(r"(?:ськ|цьк|зьк|ск|цк|н)(?:ої|ій|а|ого|ому|ий|ая|ой|ом|ый|ай|ага|аму)$")
"""The endings of a Ukrainian, Russian or Belarusian region adjective in any case ("Гродненської",
"Харьковской", "Приморского", "Гомельскай")."""
_TOWN_ADJECTIVE_RE = re.compile(r"(?:ськ|цьк|зьк|ск|цк)(?:ий|ого|ому|им|ім|ая|ої|ій|ой|ом|ый|а|у|ою|е|ое)$")
"""The endings of the adjective Ukrainian and Russian make from a town's name, in any case
("Раменском", "Київському"); a date's or a person's adjective ends otherwise ("Першотравневому",
"Центральному")."""


DISTRICT_REACH_KM = 40.0
"""How far from its town a district ("Суджанський район", "Раменский район") reaches: Ukraine's
districts since 2020 and Russia's are 50-90 km across, their seat seldom at the middle. A
radius about the town, tighter than ``choice.DISTRICT_KM``, the farthest a district's place may
lie from its seat."""
COMMUNITY_KM = 20.0
"""How far from its town a Ukrainian community ("Сумська громада"), a town and its villages, reaches."""
FRONT_KM = 80.0
"""How far from its town the front a "direction" is named after lies ("Запорізький напрямок",
"Pokrovsk direction"): the line the town's name stands for runs 10-100 km from the town itself."""

AREA_NOUNS: dict[str, float] = {
    "район": DISTRICT_REACH_KM, "округ": DISTRICT_REACH_KM, "district": DISTRICT_REACH_KM,
    "громада": COMMUNITY_KM,
    "напрямок": FRONT_KM, "направление": FRONT_KM, "direction": FRONT_KM, "axis": FRONT_KM, "front": FRONT_KM,
}  # fmt: skip
"""Nouns after a town's name or adjective that name the area about the town, with how far it
reaches (dictionary forms): "у Раменському районі", "на Покровському напрямку", "the Sudzha district"."""

NUCLEAR_PLANT_KM = 130.0
"""How far from the town it is named after a nuclear power plant lies: plants take the name of
their region's city, or of the region, and stand apart from it (Zaporizhzhia's 53 km from the
city, at Enerhodar; Khmelnytskyi's 104, Rivne's 84, Kursk's 35, Novovoronezh's 39 from Voronezh,
Leningrad's 69 from St Petersburg, Smolensk's 106, Kalinin's 125 from Tver; Kola's and Rostov's,
180-190 km off, lie beyond)."""
POWER_PLANT_KM = 60.0
"""How far from the town it is named after a dam, a hydroelectric or a thermal power plant lies:
most stand at or by it (Kakhovka's 11 km, at Nova Kakhovka; Kyiv's 15, at Vyshhorod; Kremenchuk's
12, Zmiiv's 16), a few named after the region's city farther (Zaporizhzhia's thermal plant, 53)."""

FACILITY_NOUNS: dict[str, float] = {
    "аес": NUCLEAR_PLANT_KM, "аэс": NUCLEAR_PLANT_KM, "npp": NUCLEAR_PLANT_KM, "nuclear": NUCLEAR_PLANT_KM,
    "гес": POWER_PLANT_KM, "гэс": POWER_PLANT_KM, "тес": POWER_PLANT_KM, "тэс": POWER_PLANT_KM,
    "тец": POWER_PLANT_KM, "тэц": POWER_PLANT_KM, "hpp": POWER_PLANT_KM, "tpp": POWER_PLANT_KM,
    "chp": POWER_PLANT_KM, "hydroelectric": POWER_PLANT_KM, "thermal": POWER_PLANT_KM, "dam": POWER_PLANT_KM,
}  # fmt: skip
"""Words after a town's name or adjective that name a plant or a dam called after the town, with
how far from it such plants lie (dictionary forms, abbreviations lower-cased): "Запорізька АЕС",
"the Zaporizhzhia nuclear plant", "Kursk NPP", "Каховська ГЕС", "the Kakhovka dam"."""

FEATURE_NOUNS = frozenset(
    """
аеропорт аэропорт порт бухта затока залив водосховище водохранилище нпз
театр драмтеатр філармонія филармония цирк зоопарк музей замок фортеця крепость кремль
університет университет госуниверситет медуніверситет медуниверситет політехніка политехника
академія академия консерваторія консерватория лікарня больница госпиталь шпиталь завод комбинат
""".split()
)
"""Nouns a town's adjective names a place at the town with (dictionary forms): "Донецкий аэропорт",
"Севастопольская бухта", "Каховське водосховище", "Рязанский НПЗ" (a refinery); and the town's
institutions, which stand in it: "Чернігівський драмтеатр", "Одесский оперный театр",
"Харківський національний університет", "Сумська обласна лікарня", "Минский тракторный завод".
Before any other noun a town's adjective names something anywhere: a street or a square
("Первомайский сквер" lies in Novosibirsk, "Київська вулиця" in most Ukrainian towns), a station,
named after where its trains go (Moscow's "Киевский вокзал"), an outlet ("Українська правда",
"Московский комсомолец") or an office."""
QUALIFIERS_BETWEEN = 2
"""Most words between a town's adjective and its noun: "Харківський національний університет",
"Севастопольский морской завод", "Краматорский железнодорожный вокзал"."""


def _qualified_noun(clause: str, found: list[re.Match[str]], j: int, adjective: str) -> tuple[int, str | None]:
    """Where the noun a town's ``adjective`` qualifies is, past up to ``QUALIFIERS_BETWEEN``
    adjectives from the clause's ``j``-th word, and the noun's dictionary form ("Одесский оперный
    театр": театр; "Курском железнодорожном вокзале": вокзал); (``j``, None) when no such noun
    follows ("у Івано-Франківську в суботу": a town, then a preposition)."""
    for k in range(j + 1, min(j + 1 + QUALIFIERS_BETWEEN, len(found))):
        between = found[j : k + 1]
        if any(clause[a.end() : b.start()].strip() for a, b in zip(between, between[1:], strict=False)):
            break  # only spaces between the words
        if not (found[k - 1].group(0).islower() and is_adjective(found[k - 1].group(0))):
            break
        if (noun := attributed_noun(adjective, found[k].group(0))) is not None:
            return k, noun
    return j, None


def _plain_adjective(word: str, noun: str) -> bool:
    """Whether a capitalised Cyrillic ``word`` is a plain adjective that qualifies the ``noun``
    after it ("Пограничный пункт", "Центральний район", "Красная площадь"): capitalised to open a
    sentence or a name of something else, it is no town's name (Pogranichny, a town in Primorye;
    Tsentralnyi, a village), whichever town spells it."""
    return is_plain_word(word) and qualifies(word, noun)


def _plant_word(word: str) -> bool:
    """Whether ``word`` names a plant, a dam, a refinery or another place at a town
    (``FACILITY_NOUNS``, ``FEATURE_NOUNS``), which a name before it is called after and
    abbreviations write in capitals ("АЕС", "НПЗ")."""
    return word.lower() in FACILITY_NOUNS or word.lower() in FEATURE_NOUNS


def _names_a_ship_or_unit(tokens: list[str], i: int, j: int) -> bool:
    """Whether the name ``tokens[i:j]`` is a ship's or a military formation's: right after such a
    noun ("крейсер «Москва»", "the cruiser Moskva", "полку «Азов»", "группировка войск «Днепр»"), or
    before one: a vessel noun among the ``VESSEL_AFTER`` words after it ("the Saratov landing
    ship"), a formation noun next ("the Azov brigade")."""
    before = [t.lower() for t in tokens[max(0, i - 2) : i]]
    if before and before[-1].startswith(TROOPS_WORDS):
        before = before[:-1]
    nouns = VESSEL_NOUNS + FORMATION_NOUNS
    if (before and before[-1].startswith(nouns)) or (j - i >= 2 and tokens[i].lower().startswith(nouns)):
        return True  # "Крейсер «Москва» затонув": the noun opens the sentence, capitalised with the name
    after = [t.lower() for t in tokens[j : j + VESSEL_AFTER]]
    return any(t.startswith(VESSEL_NOUNS) for t in after) or (bool(after) and after[0].startswith(FORMATION_NOUNS))


def _settlement_word(word: str) -> bool:
    """A settlement noun or its abbreviation ("селі", "village", "с", "н", "п")."""
    return word.lower().startswith(SETTLEMENT_NOUNS) or word.lower() in SETTLEMENT_ABBREVIATIONS


def _location_cued(before: list[str], head: str) -> bool:
    """Whether the words ``before`` a name put it where something happened: a location word right
    before it, or before a settlement noun that comes first ("near the village of Krynky", "у селі
    Кринки", "у н. п. Кринки"); or "на" before a name in the locative ("на Салтівці"; "атака на
    Москву" is whither)."""
    k = len(before)
    if k and before[k - 1].lower() == "of":  # "the village of"
        k -= 1
        if k and before[k - 1].lower() in LOCATION_CUES:
            return True  # "on the outskirts of Kharkiv", "in the centre of Chisinau"
    noun = k
    while noun - k < SETTLEMENT_WORDS_MAX and k and _settlement_word(before[k - 1]):
        k -= 1
    if k < noun:
        # "in the southern city of Odesa", "near the front-line town of Pokrovsk", "у прифронтовому
        # місті Покровськ": a word or two describing the settlement come before its noun
        described = k - SETTLEMENT_ADJECTIVES_MAX
        while k > max(described, 0) and before[k - 1].lower() not in LOCATION_CUES | ARTICLES:
            k -= 1
        k -= bool(k) and before[k - 1].lower() in ARTICLES  # "near the village of Krynky"
    elif k and is_region_word(head) and before[k - 1].lower() == "the":
        k -= 1  # "in the Sumy region"
    elif k != len(before):
        return False  # "south of Kherson": measured from it, which ``_with_distances`` weighs
    if not k:
        return False
    word = before[k - 1].lower()
    return word in LOCATION_CUES or (word == "на" and k == len(before) and is_locative(head))


COMMUNITY_KINDS = ("міськ", "селищн", "сільськ", "територіальн", "городск", "сельск", "поселков", "муниципальн")
"""Word beginnings of the kind of a community, written between its town's adjective and its noun
("Нікопольської міської громади", "Великописарівська селищна територіальна громада",
"Шебекинский городской округ"): the noun after them is the town's adjective's."""
OFFICE_KINDS = ("військов", "державн", "военн", "государствен")
"""Word beginnings of the kind of an office, written between a community's kind and the office's
noun ("Одеська міська військова адміністрація")."""
REGION_KINDS = ("обласн", "областн")
"""Word beginnings of a region's kind before an office's noun: "Харківська обласна військова
адміністрація" is the region's office."""
OFFICE_NOUNS = ("рад", "адміністрац", "администрац", "совет", "дум")
"""Word beginnings of a council's and an administration's nouns: after a community's or a
region's kind ("Сумська міська рада", "Харківської обласної ради", "Московская городская дума"),
the office of that town or region, which a photo it publishes shows; not after a town's adjective
alone ("Верховна Рада", the parliament)."""


ABBREVIATED_NOUNS = {
    "обл": "область", "вобл": "вобласць", "ова": "область", "ода": "область", "мва": "громада",
    "міськрада": "громада", "горсовет": "округ",
    "р-н": "район", "р-ну": "району", "р-ні": "районі", "р-не": "районе", "р-на": "района",
}  # fmt: skip
"""The region's and the district's nouns as captions shorten them, read as written out; a
region's military or state administration ("Харківська ОВА", "ОДА") speaks for its region, and a
city's military administration ("Київська МВА") for the city's community."""
OFFICE_ABBREVIATIONS = frozenset({"ова", "ода", "мва", "міськрада", "горсовет"})
"""The shortened nouns above that are an office's: a credit to the office names its city or region."""
REGION_OFFICE_WORDS = ("облдержадміністрац", "облгосадминистрац", "облдержадминистрац", "облрад", "облсовет")
"""Beginnings of the one-word nouns of a region's administration or council, in any case
("Харківської облдержадміністрації", "Харьковской облгосадминистрации", "Сумська облрада"):
the office speaks for its region, as "ОДА" does; the adjective before them is no village's name."""
BUILDING_NOUNS = ("будівл", "приміщен", "здани", "помещени", "building", "headquarters", "premises")
"""Word beginnings of a building's nouns: before or after a region's office ("Будівля Миколаївської
ОДА", "здание Харьковской облгосадминистрации", "the regional administration building") they
name the office's building, not what it says for its region (``_office_building``)."""


def _office_building(before: Sequence[str], after: str, cued: bool) -> bool:
    """Whether a region's office is named as its building, which stands in the city the region is
    named after ("Будівля Миколаївської ОДА після ракетного удару", "Firefighters outside Mykolaiv
    Regional Administration": Mykolaiv, not its oblast's middle 56 km off): a building's noun
    before or after it, or a location word before it; not where something was said ("Як
    повідомили в Одеській ОВА", "в Харьковской ОВА сообщили")."""
    near = [w.lower() for w in before]
    if _reported(near, after):
        return False
    return cued or bool(near) and near[-1].startswith(BUILDING_NOUNS) or after.lower().startswith(BUILDING_NOUNS)


CITY_PART_NOUNS = ("район", "district")
"""Beginnings of the area nouns that also name a city's district, which is called after people,
dates and other towns ("Першотравневий район Маріуполя", "Київський район Харкова", "the
Shevchenkivskyi district of Kyiv"): with the city's name right after, the city is the place
(``_cued_city_of_district``)."""


_VERNACULAR_REGION_RE = re.compile(r"(?:щин|ччин|тчин|дчин|шчын)[аиіеыу]?$")
"""The endings of a region's everyday name in any case ("Донеччини", "Харківщині", "Брянщины",
"Гомельшчыны"), not a town's."""


def _city_named_after(tokens: Sequence[str], k: int) -> bool:
    """Whether a town's name follows a district's noun at ``tokens[k]`` ("районі Маріуполя",
    "district of Kyiv"), not a region's ("району Курської області", "району Донеччини", "district
    of Kursk region")."""
    if k < len(tokens) and tokens[k].lower() == "of":
        k += 1
    if k >= len(tokens) or not tokens[k][:1].isupper():
        return False
    if _VERNACULAR_REGION_RE.search(tokens[k].lower()):
        return False
    after = _strip_possessive(tokens[k + 1]) if k + 1 < len(tokens) else ""
    return not is_region_word(after) and not is_region_word(_strip_possessive(tokens[k]))


CREDIT_AGENCY_LETTERS = 7
"""Most capitals of an agency's name before a slash and its photographer's ("REUTERS/Inna
Varenytsia", "AFP/", "EPA/", "TASS/")."""


def _credited(clause: str, found: Sequence[re.Match[str]], i: int) -> bool:
    """Whether the word at ``found[i]`` opens a photographer's credit: after "Photo by" (any photo
    word, ``PHOTO_WORDS``), or after a slash that follows a photo word or an agency's name in
    capitals ("AP Photo/Andrii Marienko", "REUTERS/Gleb Garanich"). The name is a person's, and a
    photographer called Roman is no town in Romania."""
    if not i:
        return False
    before = found[i - 1].group(0)
    if before.lower() == "by":
        return i >= 2 and found[i - 2].group(0).lower().startswith(PHOTO_WORDS)
    slash = clause[found[i - 1].end() : found[i].start()].strip() == "/"
    agency = _capitals_only(before) and len(before) <= CREDIT_AGENCY_LETTERS
    return slash and (agency or before.lower().startswith(PHOTO_WORDS))


def _names_a_body(clause: str, found: Sequence[re.Match[str]], i: int) -> bool:
    """Whether the word at ``found[i]`` opens a name in quotes right after an organisation's noun
    (``BODY_NOUNS``): "пресс-служба «Конкорд»" is a company's, and no Concord."""
    if not i or not found[i - 1].group(0).lower().startswith(BODY_NOUNS):
        return False
    return any(mark in clause[found[i - 1].end() : found[i].start()] for mark in QUOTE_MARKS)


def _capitals_only(token: str) -> bool:
    """Whether a word is written all in capitals, as acronyms are ("ППО", "ЗСУ", "DC") and a caption
    in capitals writes its names: such a word after a name written in small letters is not of it
    (before one it may be: "RIA Novosti" is one name)."""
    return token.isupper() and sum(c.isalpha() for c in token) >= 2


def _clause_phrases(clause: str, max_words: int, headline: bool = False) -> list[_Phrase]:
    """Capitalised runs of words of one clause, each with whether a location word precedes it and
    the ``NEAR_TOKENS`` words before it. In a headline in title case (``headline``) a run also ends
    before a small word a name seldom holds, capitalised with the rest (``HEADLINE_RUN_ENDS``:
    "Walking Tour Of Lviv Old Town").

    A town's adjective before the noun it qualifies names the town's district or front (``AREA_NOUNS``)
    or a place at the town (``FEATURE_NOUNS``), and is read as its town; before any other noun it
    names no place ("Київська вулиця", "Комсомольская правда")."""
    found = list(_WORD_RE.finditer(clause))
    tokens = [m.group(0) for m in found]
    phrases: list[_Phrase] = []
    districts: list[int] = []  # where in ``phrases`` a city's district is, its city the next phrase after it
    district_from: int | None = None  # a district's phrase is appended at or after this, in this pass of the loop
    run_ends = HEADLINE_RUN_ENDS if headline else RUN_ENDS
    i = 0
    while i < len(tokens):
        if district_from is not None and len(phrases) > district_from:
            districts.append(len(phrases) - 1)
        district_from = None
        word = _strip_possessive(tokens[i])
        if (country := _capital_adjective(tokens, i)) and not _former(tokens[max(0, i - NEAR_TOKENS) : i]):
            cued = _location_cued(tokens[:i], word)
            phrases.append(_Phrase(word, cued, tokens[max(0, i - NEAR_TOKENS) : i], capital=True, country=country))
            i += 2
            continue
        # A sentence's first word is capitalised: "Поблизу Асіно" is a location word and a name.
        if not tokens[i][:1].isupper() or is_common_word(word) or word.lower() in run_ends:
            i += 1
            continue
        if _compound_adjective(tokens[i]):  # "in Russian-occupied Melitopol": the name follows
            i += 1
            continue
        if i + 1 < len(tokens) and tokens[i + 1][:1].isupper() and tokens[i].lower().startswith(EVENT_WORDS):
            # "Обстріли Херсонщини та Миколаївщини": a headline's event word, capitalised as the
            # sentence's first, is the word before the name, as it is in "обстріли Херсонщини"
            i += 1
            continue
        j = i
        while j < len(tokens) and j - i < max_words and tokens[j][:1].isupper():
            if _capitals_only(tokens[j]) and not _capitals_only(tokens[i]):
                break  # "В Одесі ППО працювала": the town, then an acronym (air defence) of its own
            if j > i and tokens[j].lower() in run_ends:
                break  # "ВИБУХИ В ОДЕСІ", "SMOKE OVER KHARKIV": in capitals, a caption's small words are capitals too
            j += 1
            if _strip_possessive(tokens[j - 1]) != tokens[j - 1]:
                break
        # "Zaporizhzhia Nuclear Power Plant", "Kursk NPP", "Рязанском НПЗ": the name ends before the plant's
        # noun, and "Khreshchatyk Street" before the street's
        j = next((k for k in range(i + 1, j) if _plant_word(tokens[k]) or tokens[k].lower() in STREET_NOUNS_AFTER), j)
        if j < len(tokens) and tokens[j].lower() in STREET_NOUNS_AFTER:
            i = j + 1  # "Explosion on Khreshchatyk street": a street's name
            continue
        before = tokens[i - 1].lower() if i else ""
        plural = before.endswith(PLURAL_ENDINGS) or before in PLURAL_FORMS
        if (before.startswith(STREET_NOUNS) and not plural) or before in STREET_ABBREVIATIONS:
            i = j  # "на улице Щорса": a street's name
            continue
        if _names_a_river(tokens, i, j):
            i = j  # "на лівому березі Дніпра": the river
            continue
        if _names_a_ship_or_unit(tokens, i, j):
            i = j  # "the cruiser Moskva", "полку «Азов»": a ship's or a formation's name
            continue
        if _names_a_body(clause, found, i):
            i = j  # "пресс-служба «Конкорд»": an organisation's name
            continue
        if _credited(clause, found, i):
            # "(Photo by Roman PILIPEY / AFP)", "REUTERS/Inna Varenytsia": the photographer, and the agency
            while i < len(tokens) and tokens[i][:1].isupper():
                i += 1
            continue
        said_by = [t.lower() for t in tokens[max(0, i - 3) : i] if t.lower() != "the"]
        if said_by and (said_by[-1].startswith(SOURCE_WORDS) or said_by[-2:] == ["according", "to"]):
            i = j  # "пишет Фонтанка": an outlet
            continue
        reports = j < len(tokens) and tokens[j][:1].islower() and tokens[j].startswith(SOURCE_WORDS)
        titled = tokens[i].lower() in TITLE_WORDS or _after_title(tokens[max(0, i - NEAR_TOKENS) : i])
        residents = tokens[i].lower().startswith(RESIDENT_WORDS)  # "Жители Энгельса сообщают о взрывах"
        if reports and not titled and not residents and not _location_cued(tokens[:i], tokens[j - 1]):
            i = j  # "Наша Ніва паведаміла", "Главком повідомляє": who said it ("у Харкові повідомили": where)
            continue
        words = [_strip_possessive(t) for t in tokens[i:j]]
        cued = _location_cued(tokens[:i], words[-1])
        before = tokens[max(0, i - NEAR_TOKENS) : i]
        governor = tokens[i - 1] if i > 0 else ""
        if len(words) > 2 and script_of(words[-1]) != SCRIPT_LATIN and is_region_word(words[-1]):
            # "Урожайное Донецкой Народной Республики": the town, then its region written in
            # capitals, adjectives and all, as two names.
            k = next(
                (
                    k
                    for k in range(1, len(words) - 1)
                    if not _REGION_ADJECTIVE_RE.search(words[k - 1].lower())
                    and all(_REGION_ADJECTIVE_RE.search(w.lower()) for w in words[k:-1])
                ),
                0,
            )
            if k:
                phrases.append(_Phrase(" ".join(words[:k]), cued, before, governor=governor))
                words, cued, governor = words[k:], False, ""
        following = tokens[j] if j < len(tokens) and words[-1] == tokens[j - 1] else ""
        by_office = following.lower() in OFFICE_ABBREVIATIONS  # "Київська МВА"
        following = ABBREVIATED_NOUNS.get(following.lower(), following)  # "Запорізька обл.", "Суджанский р-н"
        if following.lower().startswith(REGION_OFFICE_WORDS):  # "Харьковской облгосадминистрации"
            following, by_office = "область", True
        noun_at = j  # where the noun is: "Нікопольської міської громади" has the community's kind between
        kinds = COMMUNITY_KINDS + OFFICE_KINDS + REGION_KINDS
        while following.lower().startswith(kinds) and noun_at + 1 < len(tokens):
            noun_at += 1
            following = tokens[noun_at]
        council = following if noun_at > j and following.lower().startswith(OFFICE_NOUNS) else ""
        by_office = by_office or bool(council)
        if council and tokens[j].lower().startswith(REGION_KINDS):
            following, council = "область", ""  # "Харківська обласна військова адміністрація": the region's office
        elif council:
            following = "громада"  # "Сумська міська рада": the town's council speaks for its community
        elif noun_at > j and following.lower() not in AREA_NOUNS and not attributed_noun(words[-1], following):
            following, noun_at = tokens[j], j  # "Сумська міська лікарня": no area after the kind
        after_office = tokens[noun_at + 1] if noun_at + 1 < len(tokens) else ""
        if by_office and following == "область" and _office_building([*before, *words[:-1]], after_office, cued):
            # "Будівля Миколаївської ОДА": the office's building, in the city the region is named after
            if len(words) > 1:
                phrases.append(_Phrase(" ".join(words[:-1]), cued, before, governor=governor))
            phrases.append(_Phrase(words[-1], cued, before, adjective=True, publisher=True))
            i = noun_at + 1
            continue
        # The noun a word qualifies follows it, nothing but a space between ("Чернигова 3 марта" is a date's).
        next_to = bool(following) and not clause[found[j - 1].end() : found[j].start()].strip()
        if next_to and following.lower().startswith(CITY_PART_NOUNS) and _city_named_after(tokens, j + 1):
            district_from = len(phrases)  # "у Першотравневому районі Маріуполя": a district of the city after it
        attribute = attributed_noun(words[-1], council or following) if following[:1].islower() and next_to else None
        if attribute is None and next_to and not council and script_of(following) == SCRIPT_CYRILLIC:
            # "Одесский оперный театр", "Харківського національного університету": the noun after
            # the words that qualify it
            noun_at, attribute = _qualified_noun(clause, found, j, words[-1])
        attribute = following if council and attribute else attribute  # "Сумської міської ради": of Sumy's community
        # A plant's noun, often an abbreviation in capitals of no set gender ("Рязанском НПЗ",
        # "Запорізька АЕС", "the Kursk NPP"), follows the town's name or its adjective.
        plant = next_to and _plant_word(following)
        noun = attribute or (following.lower() if following.lower() in AREA_NOUNS or plant else None)
        if following and is_region_word(_strip_possessive(following)) and noun not in AREA_NOUNS:
            # "у Гродні Гродненської області": the town, then its region, as two names (a
            # Slavic region's name before "область" is one adjective; "Nizhny Novgorod region" stays)
            if len(words) > 1 and _REGION_ADJECTIVE_RE.search(words[-1].lower()):
                phrases.append(_Phrase(" ".join(words[:-1]), cued, before, governor=governor))
                words, cued, governor = words[-1:], False, ""
            else:  # "in the Kursk region": "the" comes between the location word and a region's name
                cued = cued or _location_cued(tokens[:i], following)
            words.append(_strip_possessive(following))  # "the Zaporizhzhia region's Polohy district"
            j += 1
        elif noun is not None:
            # "з Суджанського району", "Sudzha district": the last word is the noun's (a Cyrillic
            # adjective is one word), the words before it a name of their own; in Latin letters the
            # words before the noun are one name ("Velyka Novosilka front", "Kryvyi Rih district").
            if len(words) > 1 and script_of(" ".join(words)) != SCRIPT_LATIN:
                phrases.append(_Phrase(" ".join(words[:-1]), cued, before, governor=governor))
                words, cued = words[-1:], False
            if noun in AREA_NOUNS or noun in FEATURE_NOUNS or noun in FACILITY_NOUNS:
                reach = AREA_NOUNS.get(noun) or FACILITY_NOUNS.get(noun)
                adjective = attribute is not None or (plant and bool(town_forms(words[-1])))
                # "на Купянском направлении": the noun's case says where, whatever else the
                # adjective's letters spell (Купянск's instrumental)
                cued = cued or (adjective and len(words) == 1 and _location_cued(tokens[:i], following))
                phrases.append(_Phrase(" ".join(words), cued, before, adjective, reach, publisher=by_office))
            i = noun_at + 1
            continue
        elif len(words) == 1 and next_to and following[:1].islower() and _plain_adjective(words[0], following):
            i = j  # "Пограничный пункт закрыт", "Центральний район Маріуполя": a sentence's first word
            continue
        # "Kyiv City Military Administration", "the Kharkiv regional administration": a city's or a
        # region's office, whose photos show its city or region; "Kansas City Council" is the city's
        office = next(((k, kind) for k in range(1, len(words)) if (kind := _office(words[k:]))), None)
        if office is None and (kind := _office(tokens[j : j + OFFICE_WORDS])):
            office = (len(words), kind)
        if office is not None:
            k, kind = office
            name = words[:k]
            cued = _location_cued(tokens[:i], name[-1])
            # the word after the office's own words ("... Regional Administration building")
            behind = next((t for t in tokens[j : j + OFFICE_WORDS + 1] if t.lower() not in OFFICE_TERMS_EN), "")
            if kind == "region" and not _office_building(before, behind, cued):
                name.append("region")  # "the Mykolaiv Regional Administration building": the city
            elif k < len(words) and words[k].lower() == "city":
                name.append(words[k])  # "Kansas City Council"; "Odesa City" is read as "Odesa" (``_Phrase.office``)
            phrases.append(
                _Phrase(" ".join(name), cued, before, governor=governor, office=kind == "city", publisher=True)
            )
            i = j
            continue
        # "the Ukrainian capital", "Ukraine's capital"; "столиці України", "the capital of Russia"
        after = tokens[j].lower() if j < len(tokens) else ""
        if len(words) > 1 and words[0].lower().startswith(CAPITAL_NOUNS[1:]):
            governor, words = words[0], words[1:]  # "Столица Украины Киев": the noun opens the sentence
        of_country = governor.lower().startswith(CAPITAL_NOUNS[1:])
        if of_country and len(words) > 1:
            # "у столиці України Києві": the country, then its capital's name beside it
            phrases.append(_Phrase(words[0], cued, before, governor=governor, capital=not _former(before)))
            words, governor, of_country = words[1:], "", False
        capital = of_country or after.startswith(CAPITAL_NOUNS)
        capital = capital or [t.lower() for t in tokens[max(0, i - 2) : i]] == [CAPITAL_NOUNS[0], "of"]
        capital = capital and not _former(before)
        after_word = tokens[j] if j < len(tokens) else ""
        article = _after_article(tokens, i, j)
        largest = _largest_rank(tokens, i, j)
        # "Cox's Bazar", "St John's Wood": a possessive ends a run ("Russia's Kursk region"), but the
        # name may hold it, and is read whole before the words after it
        possessor = tokens[i - 1] if i and _possessive_before(clause, found, i) else ""
        phrases.append(
            _Phrase(
                f"{possessor} {' '.join(words)}" if possessor else " ".join(words),
                cued,
                before,
                governor=governor,
                capital=capital,
                after=after_word,
                article=article,
                largest=largest,
                publisher=by_office,
                of_country=(_people_country(tokens[i - 1]) or "") if i and tokens[i - 1].islower() else "",
                possessed=bool(possessor),
            )
        )
        i = j
    return _cued_city_of_district(phrases, districts)


def _cued_city_of_district(phrases: list[_Phrase], districts: Sequence[int]) -> list[_Phrase]:
    """``phrases`` with what puts the photo at a city's district named by a date or a person ("у
    Першотравневому районі Маріуполя", "the Shevchenkivskyi district of Kyiv") put at the city
    after it instead: Pershotravneve, now Manhush, lies 20 km from Mariupol, and the city is where
    the photo is. The district's phrase stays, untied to the photo. A district named by a town's
    adjective (``_TOWN_ADJECTIVE_RE``) keeps its ties: the places it may name are weighed against
    the city's region when resolved ("Київському району Харкова" is no Kyiv;
    ``choice._where_named``), and a region's name after it is no city ("в Раменском районе
    Подмосковья": Ramenskoye)."""
    for district in districts:
        if district + 1 >= len(phrases) or _TOWN_ADJECTIVE_RE.search(phrases[district].text.lower()):
            continue
        cue = phrases[district]
        phrases[district + 1] = phrases[district + 1]._replace(cued=cue.cued, before=cue.before)
        phrases[district] = cue._replace(cued=False, before=[])
    return phrases


_FORMER_RE = re.compile(r"(?:former|old|колишн\w+|бывш\w+|был(?:ой|ая|ую|ом))", re.IGNORECASE)
"""Words before a capital that make it a former one ("the former Ukrainian capital Kharkiv",
"колишня столиця України"): not the capital a country has now."""


def _former(before: Sequence[str]) -> bool:
    """Whether a former-capital word comes among the words ``before`` a capital's country."""
    return any(_FORMER_RE.fullmatch(word) for word in before)


def _capital_adjective(tokens: Sequence[str], i: int) -> str | None:
    """The country whose people's adjective ``tokens[i]`` is (``PEOPLE_ADJECTIVES``) when a Cyrillic
    capital noun follows it ("в российской столице", "Українська столиця"), else None."""
    word = tokens[i].lower()
    following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
    return _people_country(word) if following.startswith(CAPITAL_NOUNS[1:]) else None


def _people_country(word: str) -> str | None:
    """The country ``word`` is the people's adjective of, by its stem (``PEOPLE_ADJECTIVES``), else None."""
    return next((country for stem, country in PEOPLE_ADJECTIVES.items() if word.lower().startswith(stem)), None)


TITLE_WORDS = frozenset("мер мэр голова глава губернатор mayor governor".split())
"""Offices named after their town, which follows in the genitive or after "of" ("мер Дніпра", "the
mayor of Kharkiv"), the holder's name often right after it."""


def _after_title(before: Sequence[str]) -> bool:
    """Whether the words before a name end with an office's title (``TITLE_WORDS``), "of" after it too."""
    near = [w.lower() for w in before]
    return bool(near) and (near[-1] in TITLE_WORDS or (near[-1] == "of" and near[-2:-1] and near[-2] in TITLE_WORDS))


def _in_capitals(sentence: str) -> bool:
    """Whether a sentence is written all in capitals, two words or more: its case tells no name."""
    words = [w for w in _WORD_RE.findall(sentence) if sum(c.isalpha() for c in w) >= 2]
    return len(words) >= 2 and all(_capitals_only(w) for w in words)


HEADLINE_RUN_ENDS = LINE_GOES_ON_WORDS | {"as"}
"""The small words a run of capitalised words ends before in a headline in title case, where they
are capitalised too: "of" and "the" begin no name there, though "Isle of Man" and "the Hague"
hold them in prose."""
TITLE_CASE_WORDS = 3
"""Fewest everyday words of three letters or more, none opening its clause, capitalised as every
word of four letters or more of the sentence is, that make a Latin sentence a headline in title
case ("Kharkiv Metro Station Used As Shelter"): its case tells no name either. A credit is names
("Photo: Ivan Fedorov/Reuters"), and its case still tells them."""


def _in_title_case(sentence: str) -> bool:
    """Whether a sentence in Latin letters capitalises every word of four letters or more, everyday
    words among them, as English headlines and video titles do ("Walking Tour Of Lviv Old Town"): a
    name runs into the capitalised words around it there, as in a headline in capitals."""
    if script_of(sentence) != SCRIPT_LATIN:
        return False
    if not all(w[:1].isupper() for w in _WORD_RE.findall(sentence) if len(w) >= 4):
        return False
    inner = [w for clause in _CLAUSE_RE.split(sentence)[0::2] for w in _WORD_RE.findall(clause)[1:] if len(w) >= 3]
    return sum(is_word(w.lower()) for w in inner) >= TITLE_CASE_WORDS


def _names_an_institution(phrase: str, after: str) -> bool:
    """Whether a Latin run of words names an institution after its town (``INSTITUTION_NOUNS_AFTER``):
    a noun of one among its words after the first, or the word right after it ("Kherson Regional
    Children's" + "Hospital": a possessive ends the run)."""
    words = [w.lower() for w in (*phrase.split()[1:], after)]
    return script_of(phrase) == SCRIPT_LATIN and any(w in INSTITUTION_NOUNS_AFTER for w in words)


def _headline_names(phrase: str) -> tuple[str, ...]:
    """The names a run of a headline in title case may hold, read when the whole names nothing: its
    leading words, longest first ("New York Skyline": "New York"), but not one everyday word alone
    ("Drone Attack Sparks Fire": not Sparks, Nevada), then each run of its words that are no
    everyday words ("Power Outages Hit Odesa": "Odesa")."""
    leading = [w for w in _leading_words(phrase) if " " in w or not is_word(w.lower())]
    runs: list[list[str]] = [[]]
    for word in phrase.split():
        if is_word(word.lower()):
            runs.append([])
        else:
            runs[-1].append(word)
    return tuple(dict.fromkeys([*leading, *(" ".join(run) for run in runs if run)]))


def _leading_words(phrase: str) -> tuple[str, ...]:
    """The phrase's leading words, longest first: "Нижнем Новгороде Никитин" is "Нижнем Новгороде",
    then "Нижнем" (their dictionary forms are worked out only when they are read, ``Mention.fallback``)."""
    words = phrase.split()
    return tuple(" ".join(words[:k]) for k in range(len(words) - 1, 0, -1))


_LISTED_REGION_RE = re.compile(
    r"\b((?:{item}{sep})+{item})\s+(област(?:ей|ях|ям|ями|и|і)|регион(?:ов|ах)|краев|краях|країв)\b".format(
        item=r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’-]*(?:ськ|цьк|зьк|ск|цк)[а-яёіїєґ]{1,3}",
        sep=r"(?:\s*,\s*|\s+(?:и|та|і|й)\s+)",
    )
    + r"|\b((?:{item}{sep})+{item})\s+(regions|oblasts|provinces)\b".format(
        item=r"[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?", sep=r"(?:\s*,\s*(?:and\s+)?|\s+and\s+)"
    )
)
"""Regions listed before one plural noun: "над территорией Брянской, Курской и Белгородской
областей", "Сумську та Харківську області", "over the Bryansk, Kursk and Belgorod regions"."""
_LISTED_ITEM_RE = re.compile(r"[А-ЯЁІЇЄҐA-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?")
_SINGULAR_NOUN = {"регион": "регион", "кра": "край"}
"""The singular each listed region is read with, by the plural noun's beginning; else "область"
in Cyrillic, "region" in Latin letters."""


def _with_listed_regions(text: str) -> tuple[str, list[set[str]]]:
    """``text`` with a list of regions before one plural noun written as regions each with its noun
    ("Брянской, Курской и Белгородской областей" -> "Брянской область, Курской область и
    Белгородской область"): each is a region's name, not an adjective or a town of that name. Also
    each list's names as so written, lower-cased: the caption names them alike. The text is only
    read so; what is quoted to the analyst is the text as written."""
    lists: list[set[str]] = []

    def spread(m: re.Match[str]) -> str:
        listed, plural = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        singular = (v for k, v in _SINGULAR_NOUN.items() if plural.startswith(k))
        noun = "region" if plural.isascii() else next(singular, "область")
        items = [f"{item.group(0)} {noun}" for item in _LISTED_ITEM_RE.finditer(listed)]
        lists.append({item.lower() for item in items})
        return _LISTED_ITEM_RE.sub(lambda item: f"{item.group(0)} {noun}", listed)

    return _LISTED_REGION_RE.sub(spread, text), lists


def context_facts(text: str, source: str = "caption", max_words: int = 4) -> ContextFacts:
    """Find the capitalised phrases of a caption that may name places, and the borders it names.

    Every phrase is a candidate mention (the gazetteer decides which are places), with the
    dictionary forms of a declined Ukrainian or Russian phrase as further readings; a phrase
    followed by "region"/"oblast"/"область" keeps that word so it resolves to the admin-1 region.
    Phrases a sentence ties to the photo's place (``_cued_phrases``) come first.
    """
    text = _STRAY_APOSTROPHE_RE.sub("'", _spaced(text))
    cued: list[tuple[int, Mention]] = []
    seen: dict[str, int] = {}  # each phrase's place in ``cued``
    skipped: set[str] = set()
    written_in: list[int] = []  # the sentence each entry of ``cued`` was first written in
    placed_at: list[bool] = []  # whether a word puts something at each entry of ``cued`` (``_CuedPhrase.placed``)
    read, lists = _with_listed_regions(text)
    for at_sentence, sentence in enumerate(sentences(read)):
        # A headline in capitals ("ХАРКІВ ПІСЛЯ НІЧНОЇ АТАКИ") or in title case ("Kharkiv Metro
        # Station Used As Shelter") runs its name into the words around it.
        shouted = _in_capitals(sentence)
        titled = _in_title_case(sentence)
        for found, strength, part, placed in _cued_phrases(sentence, max_words, titled):
            phrase = found.text
            if phrase.lower() in seen:
                # Written again, it is as tied to the photo as its strongest sentence says: "who
                # fled Vovchansk. The photo was taken in Vovchansk."
                at = seen[phrase.lower()]
                cued[at] = (max(strength, cued[at][0]), cued[at][1])
                placed_at[at] = placed_at[at] or placed
                continue
            if len(cued) < MAX_CONTEXT_MENTIONS:
                seen[phrase.lower()] = len(cued)
                # "під Черніговом": the gazetteer knows Чернігів, so the dictionary forms follow;
                # "Суджанського району": the names the adjective may be made from.
                if found.country:  # "в российской столице": Russia('s capital)
                    forms: tuple[str, ...] = (found.country,)
                elif found.adjective:
                    forms = town_forms(phrase)
                else:
                    forms = dictionary_forms(phrase, found.governor)
                if city := demonym_city(phrase):  # "Петербуржцы несут цветы": the city's residents
                    forms = (city, *forms)
                readings = (phrase, *forms)
                first, _, tail = phrase.partition(" ")
                plain = is_plain_word(first) or is_unknown_belarusian(first, sentence)
                opens = sentence.lstrip(_OPENING_MARKS).startswith(first) and plain
                fallback: tuple[str, ...] = ()
                if tail and (opens or found.possessed or first.lower().startswith(VENUE_NOUNS)):
                    # A sentence's first word is capitalised whatever it is ("Освобождение
                    # Угледара", "Прикордонний Білопілля"), and so is a venue's ("Arena Lviv"):
                    # the rest, if the whole names nothing; but not after a person's first name
                    # ("Тарас Шевченко": Shevchenko was Aktau).
                    readings += (tail, *dictionary_forms(tail))
                    if first.lower() in TITLE_WORDS and " " in tail:  # "Мэр Москвы Собянин сообщил"
                        fallback = _leading_words(tail)
                    elif shouted:  # "ХАРКІВ ПІСЛЯ НІЧНОЇ АТАКИ": its first word may be the name
                        fallback = _leading_words(phrase)
                    elif titled:  # "Power Outages Hit Odesa", "New York Skyline"
                        fallback = _headline_names(phrase)
                elif tail and titled and not found.adjective:
                    fallback = _headline_names(phrase)
                elif (
                    tail
                    and (found.cued or _after_title(found.before) or shouted)
                    and not found.adjective
                    and phrase.rsplit(" ", 1)[-1].lower() not in FEATURE_NOUNS_AFTER
                ):
                    # News names who acted right after where ("В Белгороде Гладков объявил", "In
                    # Kyiv Zelensky met") or whose office it is ("мер Дніпра Філатов", "the mayor of
                    # Kharkiv Ihor Terekhov"): the leading words, longest first, are read if the
                    # whole names nothing.
                    fallback = _leading_words(phrase)
                elif found.office:
                    fallback = _leading_words(phrase)  # "Odesa City Council": Odesa
                if institution := _names_an_institution(phrase, found.after):
                    # "Kyiv Zoo": Kyiv; "Sumy State University" stands in Sumy, not all over its region
                    fallback = tuple(w for w in _leading_words(phrase) if not is_region_word(w.rsplit(" ", 1)[-1]))
                words = phrase.split()
                republic = next((k for k, w in enumerate(words[:-1]) if w.lower().startswith(REPUBLIC_NOUNS)), None)
                if republic is not None:  # "в Республике Крым": Крым, if the whole names nothing
                    name = " ".join(words[republic + 1 :])
                    readings += tuple(x for x in (name, *dictionary_forms(name)) if x not in readings)
                said = Mention(
                    readings=readings,
                    kind="context",
                    source=source,
                    part=part,
                    distance_km=found.around_km,
                    adjective=found.adjective,
                    capital=found.capital,
                    article=found.article and not institution,  # "at the Kyiv Zoo": the zoo's article
                    largest=found.largest,
                    fallback=fallback,
                    institution=institution,
                    of_country=found.of_country,
                )
                cued.append((strength, said))
                written_in.append(at_sentence)
                placed_at.append(placed)
            else:
                skipped.add(phrase.lower())
    # The names a caption ties to the photo's place come first ("Фото зроблено під Черніговом"
    # before "in a statement from Kyiv"); otherwise in the order written (the lede first). A name
    # the caption measures the photo from ("за 20 км на північ від Чернігова") is tied as by a
    # location word.
    measured = _with_distances([m for _strength, m in cued], text)
    strengths = [
        s + DISTANCE_CUE * (m.distance_km != was.distance_km) for (s, was), m in zip(cued, measured, strict=True)
    ]
    # Regions listed alike ("над Брянской, Курской и Белгородской областями") are each as tied to
    # the photo as the list's first: a location word before a list is before its first name only.
    for listed in lists:
        members = [k for k, (_s, m) in enumerate(cued) if m.readings[0].lower() in listed]
        strongest = max((strengths[k] for k in members), default=0)
        for k in members:
            strengths[k] = strongest
    listed_alike = set().union(*lists)

    def rank(entry: tuple[int, int, Mention, bool]) -> tuple[int, bool]:
        return -entry[0], entry[2].readings[0].lower() not in listed_alike  # a list before a word alone

    ranked = sorted(zip(strengths, written_in, measured, placed_at, strict=True), key=rank)
    mentions = [m for _strength, _at, m, _placed in ranked]
    # Names one sentence ties to the photo alike ("10 km south of Kherson, near the village of
    # Krynky") are each where it may be. Another sentence's are not ("Прощання відбулося у Луцьку.
    # Він загинув під Вугледаром"), nor names no word ties, which are read in the order written.
    tied = 0
    if ranked and ranked[0][0] >= DISTANCE_CUE:
        tied = sum(s == ranked[0][0] and at == ranked[0][1] for s, at, _m, _placed in ranked)
    elif ranked and (listed := next((x for x in lists if ranked[0][2].readings[0].lower() in x), None)):
        tied = sum(m.readings[0].lower() in listed for _s, _at, m, _placed in ranked[: len(listed)])
    if skipped:
        log.warning("%s: %d more names than the %d looked up were left out", source, len(skipped), MAX_CONTEXT_MENTIONS)
    borders: list[str] = []
    for m in _BORDER_RE.finditer(text):
        tail = _NOT_NEIGHBOURS_RE.split(m.group(1) or m.group(2) or "", maxsplit=1)[0]
        for part in re.split(r",|\band\b|\bі\b|\bи\b|\bта\b", tail):
            words = [w for w in _WORD_RE.findall(part) if w.lower() not in ("the", "its")]
            first = words[0].lower() if words else ""
            lowercase = next((c for st, c in LOWERCASE_COUNTRIES.items() if first.startswith(st)), None)
            if lowercase is not None:
                borders.append(lowercase)
                continue
            if not words or not words[0][:1].isupper():
                break  # the list of neighbours has ended ("..., close to Chernihiv")
            phrases = _phrases(part, max_words)
            if phrases:
                borders.append(phrases[-1])  # "Russia's Bryansk region" -> "Bryansk region"
    for m in _BORDER_ADJECTIVE_RE.finditer(text):  # "біля російського кордону", "the Polish border"
        country = _people_country(m.group(1))
        if country is not None and country not in borders:
            borders.append(country)
    border_km = None
    if near := _BORDER_DISTANCE_RE.search(text):
        number, unit = _figure(near)
        border_km = number * KM_PER_MILE if unit == "mi" else number
    return ContextFacts(
        mentions=tuple(mentions),
        border_with=tuple(borders),
        text=text,
        border_km=border_km,
        tied=tied,
        placed=tuple(placed for _s, _at, _m, placed in ranked),
        coordinates=text_coordinates(text),
    )
