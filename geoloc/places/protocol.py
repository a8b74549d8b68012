"""What every gazetteer backend answers, and what a caller may tell it: the one protocol.

The offline index and the online geocoders implement ``Gazetteer``; inference and the CLI hold
only this protocol, so they never care which backend answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from geoloc.model import Place


@dataclass(frozen=True)
class Priors:
    """What the caller already knows about where the name probably is.

    country: ISO code or name ("UA", "Ukraine"); near: (lat, lon, radius_km);
    places: other places seen in the same photo or caption (near ones reinforce each other);
    script: "Cyrl" or "Latn", the script the name was written in (a Cyrillic sign is not in Peru).
    """

    country: str | None = None
    near: tuple[float, float, float] | None = None
    places: Sequence[Place] = ()
    script: str | None = None


@runtime_checkable
class Gazetteer(Protocol):
    """What every backend answers."""

    name: str

    def search(
        self, query: str, *, priors: Priors | None = None, limit: int = 10, fuzzy: bool = True
    ) -> list[Place]: ...

    def get(self, geonameid: int) -> Place | None: ...

    def country(self, code_or_name: str) -> Place | None: ...

    def lookup_exact(self, query: str) -> list[Place]: ...

    def names(self, geonameid: int) -> tuple[str, ...]: ...

    def largest(self, country_code: str, limit: int) -> list[Place]: ...
