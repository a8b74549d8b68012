"""A proof to publish: one photo's estimate as a picture, a self-contained page and a record to re-run.

An analyst who has located a photo must show how: the photo with the sign marked and what it says,
where that puts the camera on a map, how far that is from the border a caption names, and how sure
it is. ``make_proof`` draws it from the photo's report and its map geography, computing nothing
new about location:

- ``statement``: what the proof says, in words and numbered evidence marks;
- ``staticmap``: the map, with matplotlib and the interactive map's shapes and colours (no browser);
- ``figure``: the picture (photo, map, statement, legend) as PNG and SVG;
- ``page``: ``proof.html``, the picture with the evidence crops at full resolution and the record;
- ``record``: ``record.json``, the report with the hashes, versions and options that reproduce it;
- ``i18n``: the labels in English, Ukrainian and Russian.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from geoloc.model import Candidate, MapGeography, PhotoReport
from geoloc.render.proof.figure import figure_bytes, proof_figure
from geoloc.render.proof.i18n import UI_LANGUAGES, translator
from geoloc.render.proof.page import proof_page
from geoloc.render.proof.record import (
    CHECK_COMMAND,
    InputFile,
    Options,
    Provenance,
    Recorded,
    parse_record,
    record_text,
)
from geoloc.render.proof.statement import statement

FILES = ("proof.png", "proof.svg", "proof.html", "record.json")
"""What a proof folder holds, in the order they are written."""


@dataclass(frozen=True)
class Proof:
    """The files of one photo's proof, ready to write."""

    png: bytes
    svg: bytes
    html: str
    record: str

    def files(self) -> dict[str, bytes]:
        """File name -> content, for each of ``FILES``."""
        contents = (self.png, self.svg, self.html.encode("utf-8"), self.record.encode("utf-8"))
        return dict(zip(FILES, contents, strict=True))


def make_proof(
    photo: PhotoReport,
    image: Image.Image,
    geography: MapGeography,
    provenance: Provenance,
    *,
    headline: Candidate | None = None,
    within_km: float | None = None,
) -> Proof:
    """The proof of ``photo`` (``image`` is the photo decoded, ``geography`` its map's, for this photo
    alone), with labels in ``provenance.options.lang_ui``; ``headline`` is the candidate at the
    estimate, named in its first line."""
    lang = provenance.options.lang_ui
    t = translator(lang)
    st = statement(photo, headline, t)
    fig = proof_figure(photo, image, geography, st, t, within_km=within_km)
    png = figure_bytes(fig, "png")
    svg = figure_bytes(fig, "svg")
    return Proof(
        png=png,
        svg=svg,
        html=proof_page(st, png, image, provenance, t, lang),
        record=record_text(photo, provenance),
    )


__all__ = [
    "CHECK_COMMAND",
    "FILES",
    "UI_LANGUAGES",
    "InputFile",
    "Options",
    "Proof",
    "Provenance",
    "Recorded",
    "make_proof",
    "parse_record",
]
