"""The offline gazetteer: exact, transliterated and OCR-tolerant lookups in the built index.

A query is folded into the same keys the names were filed under (``names.keys``): an equal key is
an exact match in some spelling. With ``fuzzy`` the query's OCR skeleton and its key as read, with
their single (and, for long names, double) deletions, are hashed and looked up in the memory-mapped
deletion index, and every key found is checked with a real edit distance: 1 edit allowed up to 7
letters, 2 beyond.
Candidates are then ranked by match quality, population, kind and the caller's priors.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import math
import mmap
import os
import re
import sqlite3
import stat
import threading
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from geoloc.common.files import open_cache_file, read_cache_file
from geoloc.common.geodesy import haversine_km
from geoloc.common.text import fold_ascii, has_cyrillic, normalise, script_of, unread_marks
from geoloc.errors import GazetteerError
from geoloc.model import Place
from geoloc.places.index import ALTERNATE, DB_NAME, FZ_HASH, FZ_KID, INFO_NAME, MIN_FUZZY_LEN, build
from geoloc.places.names import abbreviation_expansions, keys, skeleton
from geoloc.places.protocol import Priors
from geoloc.places.sources import source_fingerprint
from geoloc.places.tables import CYRILLIC_COUNTRIES
from geoloc.places.translit import romanisations

log = logging.getLogger(__name__)

_JUNK_RE = re.compile(r"^[\W\d_]*$", re.UNICODE)
_DOTTED_RE = re.compile(r"(?:[A-Z]\.\s?){2,3}|[A-Z][a-z]\.")  # "U.S.", "Ky.": abbreviations, not OCR noise
MATCH_WEIGHT = 32.0  # one point of score (10x population) per 0.03 of match
COMMON_WORD_MATCH = 0.4
SPELLING_MATCH = 0.95  # the name in another romanisation or script ("Stryi" for "Стрий")
OWN_NAME_MATCH = (ALTERNATE + 1.0) / 2
"""A place named exactly in the query's script whose own name is the query in the other script:
half-way between another name and its own, worth 3x population (``MATCH_WEIGHT``). Enough for
Stavropol to outrank Tolyatti (once "Ставрополь", 1.6x larger); not for a Russian village
"Ternovka" to outrank the Ukrainian town of 27,000 that Russian calls "Терновка"."""
FUZZY_PENALTY = 0.9  # match lost per edit, relative to length: one edit in 7+ letters stays >= 0.8
LOOKALIKE_EDIT = 0.3
"""What a difference between two letters OCR confuses costs, in edits: "Chernihlv" is still a
misreading, but of one letter the reader could not tell apart, not of one it got wrong."""
CYRILLIC_MISREADS = str.maketrans("ыъэёўї", "ььзеуі")
"""Cyrillic letters the Cyrillic OCR pass reads as another, each mapped to the letter read. Measured
on 854 names of rendered direction signs: ё as е 9 times, ы as ь 7 ("Сызрань" read "Сьзрань"),
ъ as ь 5, э as з 4 ("Улан-Удэ" read "Улан-Удз"), ў as у and ї as і once each; no other letter
was read as another more than once."""
NEAR_BONUS = 4.0  # inside the caller's circle a hamlet outranks a city 10,000 times larger
MAX_INFO_BYTES = 1_000_000
"""info.json holds counts, versions and the common-word list (~4 KB): a file far larger is not the
builder's and is not read."""
SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file: anything else is not an index the builder wrote."""
_INDEX_QUERIES = (
    "SELECT id, name, lat, lon, cc, a1code, a1name, pop, kind FROM places LIMIT 1",
    "SELECT id, key, common FROM vocab LIMIT 1",
    "SELECT kid, pid, name, norm, q FROM names LIMIT 1",
)
"""One query per table the lookups read, naming the columns they unpack: a database without them
is refused when opened rather than failing in the middle of a search."""


def _keep_best(found: dict[int, tuple[float, str]], pid: int, match: float, name: str, as_read: bool) -> None:
    """Keep a place's best-matching name: the higher match, or at a tie the name spelled as read."""
    if pid not in found or found[pid][0] < match or (found[pid][0] == match and as_read):
        found[pid] = (match, name)


MAX_FUZZY_LEN = 64
"""Longest key looked up within OCR tolerance: the double deletions tried grow as its square (a
1,000-letter line took 7 s), and the longest names signs carry ("Llanfairpwllgwyngyll...") are
under 60 letters. A longer key is still looked up exactly."""


def edit_match(edits: float, length: int) -> float:
    """The match of a reading that is ``edits`` letter edits off a name of ``length`` letters."""
    return SPELLING_MATCH - FUZZY_PENALTY * edits / max(length, 1)


def _letters_match(query: str, name: str) -> float:
    """The most a Latin reading can match a Latin name whose letters differ from it in more than one place.

    The loose key equates y, j and i and drops doubled letters, and the fuzzy key also takes OCR
    look-alikes as one letter: each step alone is a fair guess ("Jalta" for "Yalta", "Tallin"),
    but stacked they make "JIYKONJI" (ЛУКОЙЛ read by the Latin pass) the key of Ikoni and the
    car-wash word "MYJNIA" that of Minia ("Мінья"). Beyond one free difference, the letters as
    written (a Cyrillic name as any of its romanisations) cost what a fuzzy edit costs. Both
    arguments are normalised names.
    """
    from rapidfuzz.distance import Levenshtein  # imported on first use: keeps start-up fast

    a = fold_ascii(query).replace(" ", "")
    forms = romanisations(name) if has_cyrillic(name) else [name]
    best = 0.0
    for form in forms:
        b = fold_ascii(form).replace(" ", "")
        if a == b:
            return 1.0
        edits = Levenshtein.distance(a, b)
        best = max(best, edit_match(max(0, edits - 1), max(len(a), len(b))))
    return best


CYRILLIC_SPELLINGS = str.maketrans(
    {"і": "и", "ї": "и", "ы": "и", "й": "и", "є": "е", "э": "е", "ё": "е", "ґ": "г", "ў": "у", "ь": None, "ъ": None}
)
"""The letters in which one name's Ukrainian, Russian and Belarusian spellings differ ("Суми",
"Сумы"; "Брэст", "Брест"), each folded to one: two Cyrillic names that fold alike are one name.
Romanised keys fold more: the Belarusian system's č, š and ž lose their marks, so "Годец" and
"Годеч" (a Bulgarian town) share the key "hodiec" although no spelling turns ц into ч."""


def _cyrillic_key_match(query: str, name: str) -> float:
    """How well a Cyrillic reading matches a Cyrillic name that shares one of its romanised keys:
    1.0 when they are one name in two Cyrillic spellings (``CYRILLIC_SPELLINGS``), else as a
    reading as many letters off as they differ. Both arguments are normalised names."""
    from rapidfuzz.distance import Levenshtein  # imported on first use: keeps start-up fast

    a, b = query.replace(" ", "").translate(CYRILLIC_SPELLINGS), name.replace(" ", "").translate(CYRILLIC_SPELLINGS)
    if a == b:
        return 1.0
    return max(_cyrillic_misread_match(query, name), edit_match(Levenshtein.distance(a, b), max(len(a), len(b))))


def _cyrillic_misread_match(query: str, name: str) -> float:
    """How well a Cyrillic reading matches a Cyrillic name once the letters the Cyrillic pass
    confuses (``CYRILLIC_MISREADS``) count as look-alikes; 0.0 when no such letter differs.

    In the romanised keys the fuzzy index compares, "Мазьр" is a whole edit in five letters from
    "Мазыр" ("mazr", "mazir"), under the match a sign's name needs; in Cyrillic letters it is
    one letter the reader could not tell apart. Both arguments are normalised names.
    """
    from rapidfuzz.distance import Levenshtein  # imported on first use: keeps start-up fast

    a, b = query.replace(" ", ""), name.replace(" ", "")
    raw = Levenshtein.distance(a, b)
    folded = Levenshtein.distance(a.translate(CYRILLIC_MISREADS), b.translate(CYRILLIC_MISREADS))
    if folded >= raw:
        return 0.0
    return edit_match(folded + LOOKALIKE_EDIT * (raw - folded), max(len(a), len(b)))


def prior_bonus(place: Place, priors: Priors | None, country_code: str | None = None) -> float:
    """Score added for what the caller already knows (country, a point, co-occurring places, script)."""
    if priors is None:
        return 0.0
    bonus = 0.0
    if country_code:
        bonus += 2.5 if place.country_code == country_code else -0.5
    if priors.near is not None:
        lat, lon, km = priors.near
        d = haversine_km(lat, lon, place.lat, place.lon)
        km = max(km, 1.0)
        bonus += NEAR_BONUS if d <= km else NEAR_BONUS * math.exp(-(d - km) / km) - 1.0
    if priors.places:
        best = 0.0
        for other in priors.places:
            if other.geonameid == place.geonameid:
                continue
            b = 0.0
            if other.country_code == place.country_code:
                b += 0.5
                if other.admin1_code and other.admin1_code == place.admin1_code:
                    b += 0.7
                if place.kind == "country" or (place.kind == "admin1" and place.admin1_code == other.admin1_code):
                    b += 0.8  # the region or country that contains another named place
            d = haversine_km(other.lat, other.lon, place.lat, place.lon)
            if place.kind == "city" and other.kind == "city":
                b += 1.5 * math.exp(-d / 60.0)
            best = max(best, b)
        bonus += best
    return bonus + _script_bonus(place, priors.script)


def _script_bonus(place: Place, script: str | None) -> float:
    """A Cyrillic name is most likely a place in a Cyrillic country."""
    if script == "Cyrl":
        return 0.8 if place.country_code in CYRILLIC_COUNTRIES else -0.8
    return 0.0


def name_odds(place: Place, query: str) -> float:
    """How many times its population ``place``, found for ``query``, counts in the ranking for the
    name alone, apart from its size and what the caller knows: its match (``MATCH_WEIGHT``: a
    tenth for another of its names, "Pokrovsk" being Engels' until 1931; about a third for a name
    in the query's script whose place's own name it spells, Volchansk's "Волчанск" against
    Vovchansk's Russian name) and the query's alphabet (``_script_bonus``)."""
    return 10.0 ** (MATCH_WEIGHT * (place.match - 1.0) + _script_bonus(place, script_of(query) or None))


def base_score(match: float, population: int, kind: str) -> float:
    """Score from name match, size and kind, before priors (log10 population units)."""
    kind_bonus = {"country": 0.6, "admin1": 0.2, "continent": 0.6}.get(kind, 0.0)
    return MATCH_WEIGHT * (match - 1.0) + math.log10(max(population, 0) + 1) + kind_bonus


UNIT_CENTRE = 3.0
"""The raw score shown as 0.5: a place of about 1,000 people matched exactly."""
UNIT_SCALE = 1.5
"""Raw score per unit of log-odds on the shown scale: a town of 30,000 is shown about 0.72."""


def to_unit(raw: float) -> float:
    """Map a raw score onto (0, 1) for display; only the order matters for ranking."""
    return round(1.0 / (1.0 + math.exp(-(raw - UNIT_CENTRE) / UNIT_SCALE)), 3)


def score_at(place: Place, match: float) -> float:
    """The score the search would have given ``place`` had the query matched it at ``match``: the
    match is one term of its raw score (``base_score``), beside size and priors, which stay."""
    shown = min(max(place.score, 1e-3), 1.0 - 1e-3)  # the shown score is rounded to 0.001
    raw = UNIT_CENTRE - UNIT_SCALE * math.log(1.0 / shown - 1.0)
    return to_unit(raw + MATCH_WEIGHT * (match - place.match))


@contextlib.contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """An exclusive lock beside the index while it is built (POSIX; elsewhere no lock)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:
        yield
        return
    path = directory.parent / f".{directory.name}.lock"
    try:  # never through a link, never truncating, never waiting on a FIFO: the file is only a handle
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise GazetteerError(f"cannot lock the index for building ({exc.strerror or exc})", path=str(path)) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise GazetteerError("cannot lock the index for building (not a regular file)", path=str(path))
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _check_fuzzy_size(name: str, size: int, entries: object) -> None:
    """Raise ValueError unless a fuzzy index file of ``size`` bytes holds the ``entries`` recorded.

    A file of another size (truncated, swapped, not the builder's) would give offsets past its end
    or pair hashes with the wrong keys.
    """
    if isinstance(entries, bool) or not isinstance(entries, int) or size != 4 * entries:
        raise ValueError(f"{name}: {size} bytes, not the {entries!r} entries of 4 bytes the index records")


class OfflineGazetteer:
    """The built GeoNames index in ``directory`` (built on first use, rebuilt when sources change)."""

    name = "geonames"

    def __init__(
        self,
        directory: Path,
        *,
        build_if_missing: bool = True,
        show_progress: bool = True,
        countries: Sequence[str] | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.countries = sorted(countries) if countries else None
        self._build_if_missing = build_if_missing
        self._show_progress = show_progress
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._hash: memoryview | None = None
        self._kid: memoryview | None = None
        self._maps: list[mmap.mmap] = []
        self._country_cache: dict[str, Place | None] = {}
        self._largest_cache: dict[tuple[str, int], list[Place]] = {}
        self._common: frozenset[str] = frozenset()

    # -------------------------------------------------------------- opening

    def info(self) -> dict[str, Any] | None:
        """The info record of the built index, or None when none is built or it cannot be read."""
        try:
            info = json.loads(read_cache_file(self.directory / INFO_NAME, MAX_INFO_BYTES))
        except (OSError, ValueError, RecursionError):  # missing, unusable (a link, a FIFO...), not JSON
            return None
        if not isinstance(info, dict):
            return None
        common = info.get("common_words") or ()
        self._common = frozenset(w for w in common if isinstance(w, str)) if isinstance(common, list) else frozenset()
        return info

    def is_current(self) -> bool:
        """True when an index is built from the installed sources by this builder version, and is sound."""
        return self._problem() is None

    def _problem(self) -> str | None:
        """Why the index in the folder cannot be used as it is (None when it can): a short reason.

        The folder is in the cache, where someone else may have put files: each index file must be
        a regular file (not a link, a FIFO or a device), the database must start like one, and the
        fuzzy files must hold the entry count the builder recorded. Opening checks the same again on
        the files it opens (``_connect``, ``_map``), so a file swapped in between is refused too.
        """
        info = self.info()
        if info is None:
            return "not built" if not os.path.lexists(self.directory / INFO_NAME) else f"{INFO_NAME} is unusable"
        if info.get("fingerprint") != source_fingerprint(self.countries):
            return "built from other sources"
        try:
            for name in (DB_NAME, FZ_HASH, FZ_KID):
                fd, st = self._index_file(name)
                try:
                    if name == DB_NAME and os.pread(fd, len(SQLITE_MAGIC), 0) != SQLITE_MAGIC:
                        raise ValueError(f"{DB_NAME}: not an SQLite database")
                    if name != DB_NAME:
                        _check_fuzzy_size(name, st.st_size, info.get("fuzzy_entries"))
                finally:
                    os.close(fd)
        except (OSError, ValueError) as exc:
            return str(exc)
        return None

    def _index_file(self, name: str) -> tuple[int, os.stat_result]:
        """A descriptor on the index file ``name``, opened as a cache file is; ValueError names the file."""
        try:
            return open_cache_file(self.directory / name)
        except OSError as exc:  # FileNotFoundError: a file of the index is missing
            raise ValueError(f"{name}: {exc.strerror or exc}") from None
        except ValueError as exc:  # UnusableCacheError: a link, a FIFO, a device...
            raise ValueError(f"{name}: {exc}") from None

    def _open(self) -> sqlite3.Connection:
        if self._db is not None:
            return self._db
        with self._lock:
            if self._db is not None:
                return self._db
            problem = self._problem()
            if problem is not None:
                if not self._build_if_missing:
                    raise GazetteerError(
                        f"the offline gazetteer cannot be used ({problem}); run 'geoloc data build'",
                        path=str(self.directory),
                    )
                with _build_lock(self.directory):  # parallel workers build it once, not N times
                    problem = self._problem()
                    if problem is not None:
                        log.info(
                            "building the offline gazetteer in %s (%s; about two minutes)", self.directory, problem
                        )
                        build(self.directory, show_progress=self._show_progress, countries=self.countries)
                self.info()  # the common-word keys of the index just built (or built by another)
            try:
                entries = (self.info() or {}).get("fuzzy_entries")
                db = self._connect()
                self._hash = self._map(FZ_HASH, entries)
                self._kid = self._map(FZ_KID, entries)
            except (OSError, ValueError, sqlite3.Error) as exc:
                raise GazetteerError(
                    f"cannot open the gazetteer index ({exc}); run 'geoloc data build'", path=str(self.directory)
                ) from exc
            self._db = db
            return db

    def _connect(self) -> sqlite3.Connection:
        """The database, read-only, once it is the regular file checked and has the tables lookups read.

        SQLite opens a path, not a descriptor: the file is checked before, and after connecting the
        path must still name that same file (not a link swapped in meanwhile).
        """
        path = self.directory / DB_NAME
        fd, st = self._index_file(DB_NAME)
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        finally:
            os.close(fd)
        try:
            if not os.path.samestat(st, os.stat(path)):
                raise ValueError(f"{DB_NAME} changed while being opened")
            db.execute("PRAGMA query_only=1")
            for query in _INDEX_QUERIES:
                db.execute(query).fetchall()
        except BaseException:
            db.close()
            raise
        return db

    def _map(self, name: str, entries: object) -> memoryview:
        """The fuzzy index file ``name`` mapped as uint32s, when it holds exactly ``entries`` of them."""
        fd, st = self._index_file(name)
        try:
            _check_fuzzy_size(name, st.st_size, entries)
            if st.st_size == 0:
                return memoryview(b"").cast("I")
            m = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)
        self._maps.append(m)
        return memoryview(m).cast("I")

    # -------------------------------------------------------------- lookups

    def _places(self, ids: Iterable[int]) -> dict[int, Place]:
        ids = list(ids)
        out: dict[int, Place] = {}
        db = self._open()
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            q = f"SELECT * FROM places WHERE id IN ({','.join('?' * len(chunk))})"
            for pid, name, lat, lon, cc, a1code, a1name, pop, kind in db.execute(q, chunk):
                out[pid] = Place(
                    geonameid=pid,
                    name=name,
                    lat=lat,
                    lon=lon,
                    country_code=cc,
                    admin1=a1name or "",
                    admin1_code=a1code or "",
                    population=pop or 0,
                    kind=kind,
                )
        return out

    def get(self, geonameid: int) -> Place | None:
        """The place with this GeoNames id (admin-1 regions and countries included)."""
        return self._places([int(geonameid)]).get(int(geonameid))

    def _exact_kids(self, qkeys: Sequence[str]) -> dict[int, tuple[str, bool]]:
        db = self._open()
        rows = db.execute(
            f"SELECT id, key, common FROM vocab WHERE key IN ({','.join('?' * len(qkeys))})", list(qkeys)
        ).fetchall()
        return {kid: (key, bool(common)) for kid, key, common in rows}

    def _fuzzy_kids(self, qkeys: Sequence[str], exclude: set[int]) -> dict[int, tuple[str, bool, float]]:
        """Keys within the allowed edit distance of a query key: kid -> (key, common, match)."""
        from rapidfuzz.distance import Levenshtein

        self._open()
        assert self._hash is not None and self._kid is not None
        hashes, kids = self._hash, self._kid
        found: dict[int, str] = {}
        for qk in qkeys:
            variants: set[str] = set()
            # The skeleton forgives OCR's merged letters ("rn" for "m"); the key as read also
            # matches a name whose skeleton is its own letters, where a misread letter made such
            # a pair ("Екатерннбург", one letter off Екатеринбург, has "rn" where the name has "rin").
            for form in {skeleton(qk), qk}:
                if not MIN_FUZZY_LEN <= len(form) <= MAX_FUZZY_LEN:
                    continue
                dels = {form[:i] + form[i + 1 :] for i in range(len(form))}
                variants |= {form} | dels
                if len(form) >= 8:
                    variants |= {d[:i] + d[i + 1 :] for d in dels for i in range(len(d))}
            for v in variants:
                h = zlib.crc32(v.encode())
                i = bisect.bisect_left(hashes, h)
                while i < len(hashes) and hashes[i] == h:
                    kid = kids[i]
                    if kid not in exclude:
                        found.setdefault(kid, qk)
                    i += 1
        if not found:
            return {}
        db = self._open()
        out: dict[int, tuple[str, bool, float]] = {}
        ids = list(found)
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            for kid, key, common in db.execute(
                f"SELECT id, key, common FROM vocab WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ):
                best = 0.0
                for qk in qkeys:
                    sq, sk = skeleton(qk), skeleton(key)
                    limit = 1 if len(sq) < 8 else 2
                    d_skel = Levenshtein.distance(sq, sk, score_cutoff=limit)
                    d_loose = Levenshtein.distance(qk, key)
                    if d_skel <= limit:
                        edits = d_skel + LOOKALIKE_EDIT * max(0, d_loose - d_skel)
                    elif d_loose <= limit:
                        edits = d_loose
                    else:
                        continue
                    m = edit_match(edits, max(len(qk), len(key)))
                    best = max(best, m)
                if best > 0:
                    out[kid] = (key, bool(common), best)
        return out

    def _matches(self, query: str, fuzzy: bool) -> dict[int, tuple[float, str]]:
        """pid -> (match, matched name) for every place the query may name."""
        norm = normalise(query)
        if _JUNK_RE.match(norm) or (len(norm.replace(" ", "")) < 3 and not _DOTTED_RE.fullmatch(query.strip())):
            return {}
        qkeys = sorted(keys(query))
        if not qkeys:
            return {}
        self._open()  # loads the common-word keys too
        query_common = any(k in self._common for k in qkeys)
        kid_match: dict[int, float] = {}
        for kid, (_key, common) in self._exact_kids(qkeys).items():
            kid_match[kid] = COMMON_WORD_MATCH if (common or query_common) else 1.0
        fuzzy_kids: set[int] = set()
        if fuzzy:
            for kid, (_key, common, m) in self._fuzzy_kids(qkeys, set(kid_match)).items():
                kid_match[kid] = min(m, COMMON_WORD_MATCH) if (common or query_common) else m
                fuzzy_kids.add(kid)
        # A Cyrillic query reaches a Latin-only name through a romanisation (an exact key), never
        # through OCR look-alike edits: "Години" romanised is a letter from "Gooding", but no one
        # misreads an Idaho town in Cyrillic. Its fuzzy matches count only on Cyrillic names.
        cyrillic_query = has_cyrillic(norm)
        marked = not query.isascii()
        if not kid_match:
            return {}
        db = self._open()
        out: dict[int, tuple[float, str]] = {}
        by_marks: dict[int, tuple[float, str]] = {}  # the same, a reading's marks counted (``unread_marks``)
        spelled_marked = False  # some name bears every mark the reading has
        own_spelled: set[int] = set()  # places whose own name is the query in another script
        ids = list(kid_match)
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            for kid, pid, name, nnorm, q in db.execute(
                f"SELECT kid, pid, name, norm, q FROM names WHERE kid IN ({','.join('?' * len(chunk))})", chunk
            ):
                if cyrillic_query and kid in fuzzy_kids and not has_cyrillic(nnorm):
                    continue
                m = kid_match[kid]
                if cyrillic_query and kid in fuzzy_kids:
                    m = max(m, _cyrillic_misread_match(norm, nnorm))
                elif cyrillic_query and m >= 1.0 and nnorm != norm and has_cyrillic(nnorm):
                    m = _cyrillic_key_match(norm, nnorm)
                if m >= 1.0 and nnorm != norm:
                    m = min(q, SPELLING_MATCH)  # same name in another spelling or script
                    if q >= 1.0 and has_cyrillic(norm) != has_cyrillic(nnorm):
                        own_spelled.add(pid)
                else:
                    m *= q
                if not cyrillic_query:
                    m = min(m, _letters_match(norm, nnorm))
                _keep_best(out, pid, m, name, nnorm == norm)
                if marked and not cyrillic_query:
                    unread = unread_marks(query, name)
                    spelled_marked |= unread == 0
                    if unread:  # "Câmpina" read is not Campiña; a speck may read as a mark: a look-alike
                        m = min(m, edit_match(LOOKALIKE_EDIT * unread, len(norm)))
                    _keep_best(by_marks, pid, m, name, nnorm == norm)
        if spelled_marked:
            # Some place bears the reading's marks, so the others' names without them match less.
            # When none does, the gazetteer lacks the spelling ("München": GeoNames holds only
            # "Munchen" and "Munich"), and the marks tell no place from another.
            out = by_marks
        # "Ставрополь" is Stavropol's name in its own script and a former name of Tolyatti: a place
        # named exactly in the query's script and whose own name is that name in the other script
        # outranks a city of similar size holding the query as another name (OWN_NAME_MATCH).
        for pid in own_spelled:
            if pid in out and out[pid][0] >= ALTERNATE:
                out[pid] = (OWN_NAME_MATCH, out[pid][1])
        return out

    def _country_code(self, priors: Priors | None) -> str | None:
        if priors is None or not priors.country:
            return None
        c = priors.country.strip()
        if len(c) == 2 and c.isalpha():
            return c.upper()
        place = self.country(c)
        return place.country_code if place else None

    def search(self, query: str, *, priors: Priors | None = None, limit: int = 10, fuzzy: bool = True) -> list[Place]:
        """Places the query may name, best first; ``match`` says how well the name matched."""
        matches = self._matches(query, fuzzy)
        for expanded in abbreviation_expansions(query):  # "St Emilion": "Saint-Émilion" in another spelling
            for pid, (m, matched) in self._matches(expanded, fuzzy).items():
                m = min(m, SPELLING_MATCH)
                if pid not in matches or matches[pid][0] < m:
                    matches[pid] = (m, matched)
        if not matches:
            return []
        places = self._places(matches)
        cc = self._country_code(priors)
        if priors is None or priors.script is None:  # a Cyrillic name is most likely in a Cyrillic country
            priors = replace(priors or Priors(), script=script_of(query) or None)
        scored = []
        for pid, (m, matched) in matches.items():
            p = places.get(pid)
            if p is None:
                continue
            raw = base_score(m, p.population, p.kind) + prior_bonus(p, priors, cc)
            scored.append((raw, p.population, pid, replace(p, matched=matched, match=round(m, 3), score=to_unit(raw))))
        scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
        return [t[3] for t in scored[: max(0, limit)]]

    def lookup_exact(self, query: str) -> list[Place]:
        """Exact (folded, any spelling) matches only, best first: fast enough to scan n-grams."""
        return self.search(query, fuzzy=False, limit=50)

    def names(self, geonameid: int) -> tuple[str, ...]:
        """Every name the index holds for a place (its alternate names in any language), sorted."""
        rows = self._open().execute("SELECT DISTINCT name FROM names WHERE pid=?", (int(geonameid),)).fetchall()
        return tuple(sorted(r[0] for r in rows))

    def largest(self, country_code: str, limit: int) -> list[Place]:
        """A country's ``limit`` most populous settlements, largest first, by GeoNames' populations:
        what "Ukraine's second-largest city" is counted among."""
        key = (country_code.upper(), max(0, limit))
        if key not in self._largest_cache:  # asked for each sign's country, photo after photo
            rows = (
                self._open()
                .execute("SELECT id FROM places WHERE kind='city' AND cc=? ORDER BY pop DESC, id LIMIT ?", key)
                .fetchall()
            )
            found = self._places(r[0] for r in rows)
            self._largest_cache[key] = [found[r[0]] for r in rows if r[0] in found]
        return list(self._largest_cache[key])

    def country(self, code_or_name: str) -> Place | None:
        """A country by ISO code ("UA") or by name in any language the index knows ("Україна")."""
        key = code_or_name.strip()
        if key in self._country_cache:
            return self._country_cache[key]
        found: Place | None = None
        if len(key) == 2 and key.isalpha():
            row = self._open().execute("SELECT id FROM places WHERE kind='country' AND cc=?", (key.upper(),)).fetchone()
            found = self.get(row[0]) if row else None
        else:
            named = next((p for p in self.search(key, fuzzy=False, limit=50) if p.kind == "country"), None)
            found = self.country(named.country_code) if named else None
        self._country_cache[key] = found
        return found

    def counts(self) -> dict[str, int]:
        """Places by kind, for ``geoloc data info``."""
        rows = self._open().execute("SELECT kind, COUNT(*) FROM places GROUP BY kind").fetchall()
        return dict(rows)
