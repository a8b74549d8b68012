"""City roads that signs name: a ring road's name says which city the sign stands in or near.

"МКАД" on a direction sign in Moscow ("ПСКОВ E22 / МКАД / 3-е КОЛЬЦО / ЦЕНТР") is no place the
gazetteer holds, yet it says Moscow as plainly as the city's name: signs name a city's ring road
inside the ring and on the roads leading to it, while Pskov on the same sign is 600 km away. The
table (``data/city_roads.json``) holds each road's names as signs write them, its city (GeoNames
id) and its length, from which the ring's radius follows (the circle of that circumference). A
name two cities' roads share ("МКАД" is also Minsk's) names both; which one is the choice's.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass

from geoloc.common.paths import DATA
from geoloc.common.text import normalise
from geoloc.errors import GazetteerError

TABLE_FILE = DATA / "city_roads.json"
MAX_TABLE_BYTES = 100_000
"""The table holds a few dozen roads (~3 KB): a far larger file is not geoloc's."""
RING_SIGN_KM = 30.0
"""How far outside a ring road signs still name it: at the junctions of the radial roads that
lead to it. Farther out they name the city itself ("Москва 45")."""


class CityRoadError(GazetteerError):
    """The city road table is missing or malformed: an install problem, never silently ignored."""


@dataclass(frozen=True)
class CityRoad:
    """A city's road that signs name, and how far from the city's centre they name it."""

    name: str
    """The road's name in the table's language ("Moscow Ring Road"), for explanations."""
    city_id: int
    """GeoNames id of the city the road belongs to."""
    length_km: float

    @property
    def reach_km(self) -> float:
        """How far from the city's centre a sign naming the road stands at most."""
        return self.length_km / (2 * math.pi) + RING_SIGN_KM


def city_roads(text: str) -> tuple[CityRoad, ...]:
    """The city roads a reading names exactly, folded as names are (``normalise``): never by a
    near miss, since short names such as "КАД" are a letter away from many words."""
    return _table().get(normalise(text), ())


@functools.cache
def _table() -> dict[str, tuple[CityRoad, ...]]:
    try:
        if TABLE_FILE.stat().st_size > MAX_TABLE_BYTES:
            raise CityRoadError(f"{TABLE_FILE.name}: larger than {MAX_TABLE_BYTES} bytes")
        data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
        table: dict[str, tuple[CityRoad, ...]] = {}
        for entry in data["roads"]:
            road = CityRoad(str(entry["road"]), int(entry["city"]), float(entry["length_km"]))
            if not 0 < road.length_km < 1000:
                raise ValueError(f"{road.name}: length {road.length_km} km")
            for name in entry["names"]:
                key = normalise(str(name))
                table[key] = (*table.get(key, ()), road)
    except OSError as e:
        raise CityRoadError(f"{TABLE_FILE.name}: cannot be read ({e.strerror}); reinstall geoloc") from None
    except (ValueError, KeyError, TypeError) as e:
        raise CityRoadError(f"{TABLE_FILE.name}: not a city road table ({e})") from None
    return table
