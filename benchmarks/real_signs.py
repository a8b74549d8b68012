"""Benchmark geoloc on real photographs of signs, as published and as they arrive through a messenger.

The photos are third-party pictures of road signs, hiking guideposts, street-name plates, shop fronts
and building lettering (France, the USA, Korea, China, Japan, Thailand, Austria), read in place from
../shared/realdata/sign-photos (SOURCE.md says where each comes from; never copy them). Its
truth.json gives, per photo, the place names a person reads in it, the country where evident, the
camera position where known (EXIF GPS or a dataset label) and the kind of sign.

Each photo is located twice with geoloc.pipeline.locate_photo and default Settings():
  * original: the file as published, metadata included (four hiking photos and the Portland frame
    carry EXIF GPS, so their estimate is the GPS and measures only that it is read);
  * telegram: the copy a messenger publishes: upright, metadata stripped, longest side at most
    1280 px (never enlarged), JPEG quality 82; this is the form an analyst usually gets, and every
    estimate then rests on what is read in the picture.

Scored per photo and form:
  * estimate made;
  * country right: the country holding the estimate (geoloc.areas.country_at) is the truth's;
  * within 25 km, and within the estimate's own radius, of the truth position where it is known;
  * confident and wrong: confidence >= 0.5 (and, separately, >= 0.3) while the country is wrong or
    the estimate lies farther than max(its radius, 25 km) from a known truth position;
  * names read: truth names found, folded as geoloc folds names (case, accents, punctuation), as
    whole words in the text geoloc read (each span, and the spans of one line joined) or among its
    candidates (their names and the readings behind them).
Then each estimate wrong at confidence >= 0.3 is listed with its explanation and the readings its
candidates rest on: the cases to look into.

The photos were chosen by their sources, not by geoloc's assumptions, and differ from geoloc's
priors as follows:
  geoloc assumes                                  these photos have
  ---------------------------------------------  -------------------------------------------------
  signs in Latin or Cyrillic script               also Hangul, Chinese, Japanese and Thai
  places named are in GeoNames cities500          hamlets, landmarks, hiking spots, stations, wards
  distances are whole km right of a name          decimal commas, walking times, none at all
  one photo, one scene                            one collage of four dash-cam frames
  sign text large enough to read                  420 px cube faces, a 3840 px frame with small blades

Run from the repository root (OCR of 21 photos in two forms: about a minute on 2 cores, plus the
gazetteer's build on its first use):
  OMP_THREAD_LIMIT=1 nice -n 10 .venv/bin/python benchmarks/real_signs.py [--forms original,telegram]
      [--data DIR] [--json FILE]
It prints a header (machine, date, exact command), a table per photo and form, and a summary per
form, ready to paste into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytesseract
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # measure the tree the script is in

from benchmarks.support.claims import CLAIM_CONF, CONFIDENT  # noqa: E402
from benchmarks.support.header import header_line  # noqa: E402
from benchmarks.support.tables import share  # noqa: E402
from geoloc.areas import country_at  # noqa: E402
from geoloc.common.geodesy import haversine_km  # noqa: E402
from geoloc.common.photo import load_image  # noqa: E402
from geoloc.common.text import normalise  # noqa: E402
from geoloc.errors import GeolocError  # noqa: E402
from geoloc.model import PhotoReport, TextSpan  # noqa: E402
from geoloc.pipeline import Settings, locate_photo  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "sign-photos"
FORMS = ("original", "telegram")

MESSENGER_LONG_SIDE = 1280
"""Longest side of a photo a messenger publishes (Telegram's standard photo size)."""
MESSENGER_QUALITY = 82
"""JPEG quality of that copy: a messenger re-encodes below a camera's own quality (90-98)."""
NEAR_KM = 25.0
"""Within this of the truth an estimate names the right town or its neighbour: right for a newsroom."""


@dataclass
class Row:
    """One photo in one form: what geoloc read and concluded, and how it scores against the truth."""

    photo: str
    form: str
    kind: str
    truth_country: str | None
    truth_position: tuple[float, float] | None
    names: list[str]
    names_found: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    estimate: dict[str, Any] | None = None
    country: str | None = None  # the country holding the estimate
    error_km: float | None = None
    conflicts: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    failure: str | None = None  # why geoloc refused the photo
    seconds: float = 0.0

    @property
    def made(self) -> bool:
        return self.estimate is not None

    @property
    def country_right(self) -> bool | None:
        """None when the truth gives no country; no estimate is not right."""
        if self.truth_country is None:
            return None
        return self.made and self.country == self.truth_country

    def within(self, km: float | None) -> bool | None:
        """Within ``km`` of the truth (the estimate's own radius when None); None without a truth position."""
        if self.truth_position is None:
            return None
        if self.estimate is None or self.error_km is None:
            return False
        return self.error_km <= (self.estimate["radius_km"] if km is None else km)

    def wrong(self) -> bool:
        """An estimate the truth contradicts: another country, or too far from the known position."""
        if self.estimate is None:
            return False
        if self.truth_country is not None and self.country != self.truth_country:
            return True
        return self.error_km is not None and self.error_km > max(self.estimate["radius_km"], NEAR_KM)

    def confidently_wrong(self, bar: float) -> bool:
        return self.estimate is not None and self.estimate["confidence"] >= bar and self.wrong()

    def to_dict(self) -> dict[str, Any]:
        return {
            "photo": self.photo,
            "form": self.form,
            "kind": self.kind,
            "truth": {"country": self.truth_country, "position": self.truth_position, "names": self.names},
            "names_found": self.names_found,
            "texts": self.texts,
            "candidates": self.candidates,
            "estimate": self.estimate,
            "estimate_country": self.country,
            "error_km": self.error_km,
            "conflicts": self.conflicts,
            "left_out": self.left_out,
            "failure": self.failure,
            "seconds": round(self.seconds, 2),
            "score": {
                "made": self.made,
                "country_right": self.country_right,
                "within_25km": self.within(NEAR_KM),
                "within_radius": self.within(None),
                "confident_wrong_0.5": self.confidently_wrong(CONFIDENT),
                "confident_wrong_0.3": self.confidently_wrong(CLAIM_CONF),
            },
        }


def messenger_copy(src: Path, dest: Path) -> None:
    """The photo as a messenger republishes it: upright pixels only, downscaled, re-encoded."""
    image = load_image(src)  # upright RGB, as the messenger's app shows it before sending
    scale = MESSENGER_LONG_SIDE / max(image.size)
    if scale < 1:
        image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
    image.save(dest, "JPEG", quality=MESSENGER_QUALITY)  # no exif= argument: nothing of the metadata kept


def readings(report: PhotoReport) -> list[str]:
    """Everything geoloc read, folded: each span, each line's spans joined, each candidate and its evidence."""
    out = [s.text for s in report.texts]
    lines: dict[tuple[int, int, str], list[TextSpan]] = {}
    for s in report.texts:
        lines.setdefault((s.region, s.line, s.lang), []).append(s)
    out += [" ".join(s.text for s in sorted(spans, key=lambda s: s.box[0])) for spans in lines.values()]
    out += [e.text for c in report.candidates for e in c.evidence]
    out += [c.place.name for c in report.candidates]  # "MINATOCITY" read as Minato City
    return [f" {normalise(t)} " for t in out]


def names_found(names: Sequence[str], folded_readings: Sequence[str]) -> list[str]:
    """The truth names found as whole words in some reading; outside the Latin alphabet, where words
    need not be spaced (港区 in 清潔できれいな港区を), anywhere in it."""
    found = []
    for name in names:
        key = normalise(name)
        if not key:
            continue
        spaced = f" {key} "
        if any(spaced in r or (not key.isascii() and key in r) for r in folded_readings):
            found.append(name)
    return found


def estimate_place(explanation: str, basis: str) -> str:
    """The place an explanation names, short enough for a table cell."""
    if basis == "gps":
        return "GPS"
    if m := re.match(r"direction sign (?:to|reads '.*?' ->) (.+?)(?: \([A-Z]{2}\))?, no distances", explanation):
        return f"towards {m.group(1)}"
    if m := re.search(r"-> (.+?) \(([A-Z]{2})\)", explanation):
        return m.group(1)
    if m := re.search(r"-> within [\d.]+ km of (.+)$", explanation):
        return f"near {m.group(1)}"
    if m := re.search(r"(near [^(]+?|[\d.]+ km [NESW]+ of [^(]+?) \(\d+%\)", explanation):
        return m.group(1)
    if m := re.search(r"-> near (.+)$", explanation):
        return f"near {m.group(1)}"
    if m := re.search(r"cannot all be true: (.+?) -> ", explanation):
        return f"no single region: {m.group(1)}"[:60]
    if m := re.search(r": (.+?) -> ", explanation):
        return f"rings of {m.group(1)}"[:60]
    return explanation[:60]


def run_one(path: Path, photo: str, form: str, truth: dict[str, Any], settings: Settings) -> Row:
    """Locate one photo file and score what geoloc read and concluded against the photo's truth."""
    position = (truth["lat"], truth["lon"]) if "lat" in truth and "lon" in truth else None
    row = Row(
        photo=photo,
        form=form,
        kind=truth.get("kind", ""),
        truth_country=truth.get("country"),
        truth_position=position,
        names=list(truth.get("names", [])),
    )
    t0 = time.perf_counter()
    try:
        report = locate_photo(str(path), settings)
    except GeolocError as err:
        row.failure = str(err)
        row.seconds = time.perf_counter() - t0
        return row
    row.seconds = time.perf_counter() - t0
    row.texts = [s.text for s in report.texts]
    row.candidates = [
        {
            "name": c.place.name,
            "country": c.place.country_code,
            "score": round(c.score, 3),
            "read": [e.text for e in c.evidence],
        }
        for c in report.candidates
    ]
    row.names_found = names_found(row.names, readings(report))
    row.conflicts = list(report.conflicts)
    row.left_out = list(report.left_out)
    est = report.estimate
    if est is not None:
        row.estimate = est.to_dict()
        row.country = country_at(est.lat, est.lon)
        if position is not None:
            row.error_km = round(haversine_km(position[0], position[1], est.lat, est.lon), 1)
    return row


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def print_rows(rows: Sequence[Row]) -> None:
    print(
        "| photo | form | kind | names read | estimate (confidence) | est. country | truth country"
        " | country right | km from truth | confident & wrong |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if r.estimate is not None:
            est = f"{estimate_place(r.estimate['explanation'], r.estimate['basis'])} ({r.estimate['confidence']:.2f})"
        else:
            est = f"failed: {r.failure}" if r.failure else "none"
        names = f"{len(r.names_found)}/{len(r.names)}" if r.names else "—"
        km = "—" if r.error_km is None else f"{r.error_km:.0f}"
        wrong = "YES" if r.confidently_wrong(CONFIDENT) else ("at 0.3" if r.confidently_wrong(CLAIM_CONF) else "no")
        print(
            f"| {_cell(r.photo)} | {r.form} | {r.kind} | {names} | {_cell(est)} | {r.country or '—'} "
            f"| {r.truth_country or '—'} | {_yes(r.country_right)} "
            f"| {km} | {wrong} |"
        )


def print_summary(rows: Sequence[Row], forms: Sequence[str]) -> None:
    print(
        "| form | photos | estimates made | country right | within 25 km | within its radius |"
        " confident (>= 0.5) & wrong | confident (>= 0.3) & wrong | names read | median s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for form in forms:
        rs = [r for r in rows if r.form == form]
        with_country = [r for r in rs if r.truth_country is not None]
        with_position = [r for r in rs if r.truth_position is not None]
        made = sum(r.made for r in rs)
        seconds = sorted(r.seconds for r in rs)
        median = seconds[len(seconds) // 2] if seconds else 0.0
        print(
            f"| {form} | {len(rs)} | {share(made, len(rs))} "
            f"| {share(sum(bool(r.country_right) for r in with_country), len(with_country))} "
            f"| {share(sum(bool(r.within(NEAR_KM)) for r in with_position), len(with_position))} "
            f"| {share(sum(bool(r.within(None)) for r in with_position), len(with_position))} "
            f"| {share(sum(r.confidently_wrong(CONFIDENT) for r in rs), made)} "
            f"| {share(sum(r.confidently_wrong(CLAIM_CONF) for r in rs), made)} "
            f"| {share(sum(len(r.names_found) for r in rs), sum(len(r.names) for r in rs))} "
            f"| {median:.1f} |"
        )


def print_wrong(rows: Sequence[Row]) -> None:
    """Each estimate the truth contradicts at a confidence worth reading, with what it rests on."""
    wrong = [r for r in rows if r.confidently_wrong(CLAIM_CONF)]
    if not wrong:
        return
    print("\nWrong at confidence >= 0.3:\n")
    for r in wrong:
        assert r.estimate is not None
        read = "; ".join(f"{c['name']} ({c['country']}) <- {', '.join(map(repr, c['read']))}" for c in r.candidates[:3])
        print(
            f"- {r.photo} [{r.form}], truth {r.truth_country or '?'}: {r.estimate['explanation']} "
            f"(confidence {r.estimate['confidence']:.2f}); candidates: {read}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with truth.json and the photos")
    ap.add_argument("--forms", default=",".join(FORMS), help="comma-separated subset of " + ", ".join(FORMS))
    ap.add_argument("--json", type=Path, help="also write every row (readings, candidates, estimate, scores) here")
    args = ap.parse_args()
    forms = [f for f in args.forms.split(",") if f]
    unknown = sorted(set(forms) - set(FORMS))
    if unknown:
        ap.error(f"unknown form(s): {', '.join(unknown)}")
    truth_file = args.data / "truth.json"
    if not truth_file.is_file():
        ap.error(f"no truth.json in {args.data} (give the sign-photos folder with --data)")
    truth: dict[str, dict[str, Any]] = json.loads(truth_file.read_text(encoding="utf-8"))
    settings = Settings()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (photo, t) in enumerate(sorted(truth.items())):
            src = args.data / photo
            for form in forms:
                if form == "original":
                    path = src
                else:
                    path = Path(tmp) / f"{i:03d}.jpg"
                    messenger_copy(src, path)
                rows.append(run_one(path, photo, form, t, settings))
                print(f"{photo} [{form}]: {rows[-1].seconds:.1f} s", file=sys.stderr)
    print(header_line(f", tesseract {pytesseract.get_tesseract_version()}") + "\n")
    print_rows(rows)
    print()
    print_summary(rows, forms)
    print_wrong(rows)
    if args.json:
        args.json.write_text(
            json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
