"""Stage 3, areas: country borders, admin-1 regions and user polygons, and distances to them.

``boundaries`` reads, caches and loads the Natural Earth boundaries (``cachefile`` is the cache's
file format), ``lookup`` turns reported names, borders and files into areas and measures them,
``userfiles`` reads a user's GeoJSON, ``geography`` gathers what a map of a report shows.
"""

from geoloc.areas.boundaries import ADMIN1_PATH, all_countries, countries_in, countries_zip, country_at, load
from geoloc.areas.geography import map_geography
from geoloc.areas.lookup import measure, resolve_areas
from geoloc.areas.userfiles import load_area_file

__all__ = [
    "ADMIN1_PATH",
    "all_countries",
    "countries_in",
    "countries_zip",
    "country_at",
    "load",
    "load_area_file",
    "map_geography",
    "measure",
    "resolve_areas",
]
