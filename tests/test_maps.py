"""The HTML map and the GeoJSON export: layers and features present, offline pages self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from geoloc.areas import load_area_file, map_geography, measure, resolve_areas
from geoloc.model import Candidate, Estimate, Evidence, Metadata, PhotoReport, Place, Report, TextSpan
from geoloc.render.geojson import features, write_geojson
from geoloc.render.map import render_map, write_map
from geoloc.render.map.escape import esc

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def sign_photo(path: Path) -> tuple[int, int, int, int]:
    """A blue road sign reading 'Чернігів 25 / Chernihiv'; returns the box of the name."""
    im = Image.new("RGB", (800, 600), (110, 150, 90))
    d = ImageDraw.Draw(im)
    d.rectangle((200, 150, 620, 310), fill=(20, 60, 160))
    font = ImageFont.truetype(FONT, 40)
    d.text((220, 170), "Чернігів 25", font=font, fill="white")
    d.text((220, 235), "Chernihiv", font=font, fill="white")
    im.save(path, quality=90)
    return (220, 170, 260, 50)


def chernihiv_report(photo: Path, *, areas=()) -> Report:
    box = sign_photo(photo)
    chernihiv = Place(710735, "Chernihiv", 51.50551, 31.28487, "UA", "Chernihiv Oblast", "02", 285234)
    other = Place(710719, "Chernihivka", 47.1927, 36.2035, "UA", "Zaporizhzhia Oblast", "26", 6400)
    ev = (
        Evidence("ocr", "Чернігів", 91.0, box, str(photo)),
        Evidence("distance", "Чернігів 25", 88.0, box, str(photo), distance_km=25.0),
    )
    est = Estimate(51.36, 31.47, 9.0, 0.62, "distance", "25 km by road from Chernihiv")
    ph = PhotoReport(
        path=str(photo),
        estimate=est,
        candidates=[Candidate(chernihiv, 0.84, ev), Candidate(other, 0.12, ev[:1])],
        texts=[TextSpan("Чернігів 25", 91.0, box)],
        metadata=Metadata(camera={"make": "Canon", "model": "EOS 80D"}),
    )
    ph.areas = [measure(a, est.lat, est.lon) for a in areas]
    return Report([ph])


@pytest.fixture(scope="module")
def areas():
    return resolve_areas(regions=["Belarus", "Bryansk Oblast"], borders=["BY"], home_country="UA")


def _script_and_link_urls(page: str) -> list[str]:
    return re.findall(r"<(?:script|link|img)\b[^>]*?(?:src|href)\s*=\s*[\"']?(https?:[^\"' >]+)", page)


def test_online_map_loads_only_tiles_from_the_network(tmp_path, areas) -> None:
    report = chernihiv_report(tmp_path / "sign.jpg", areas=areas)
    out = write_map(report, tmp_path / "map.html", map_geography(report, areas), offline=False, within_km=20)
    page = out.read_text(encoding="utf-8")
    assert _script_and_link_urls(page) == []  # no script or stylesheet from a CDN
    assert "tile.openstreetmap.org/{z}/{x}/{y}" in page
    assert 'version="1.9.4"' in page and "jQuery v3.7.1" in page


def test_offline_map_is_self_contained(tmp_path, areas) -> None:
    report = chernihiv_report(tmp_path / "sign.jpg", areas=areas)
    out = write_map(report, tmp_path / "map.html", map_geography(report, areas), offline=True, within_km=20)
    page = out.read_text(encoding="utf-8")
    assert _script_and_link_urls(page) == []
    assert "tile.openstreetmap" not in page and "{z}/{x}/{y}" not in page
    assert "cdn.jsdelivr" not in page and "code.jquery.com" not in page
    assert 'version="1.9.4"' in page  # Leaflet inlined
    assert "jQuery v3.7.1" in page
    assert "url(images/" not in page  # Leaflet's images inlined as data URIs
    assert len(page) < 1_500_000
    # the layers the analyst toggles
    for name in (
        "Country borders",
        "Within 20 km of the reported borders",
        "Reported areas",
        "Distances to the reported areas",
        "Distance rings",
        "Estimate",
        "Candidates",
    ):
        assert f'"{name}"' in page, name
    # distances from the estimate to each area, with the km the report holds
    for a in report.photos[0].areas:
        assert re.search(rf"{a['distance_km']:.0f} km to [^<]*{re.escape(a['name'])}", page), a
    assert "Natural Earth" in page and "GeoNames" in page and "Crimea" in page
    # the crop where the text was read, embedded
    assert page.count("data:image/jpeg;base64,") >= 3  # two evidence crops + the photo


def test_online_map_uses_osm_tiles_with_attribution(tmp_path, areas) -> None:
    report = chernihiv_report(tmp_path / "sign.jpg", areas=areas)
    page = render_map(report, map_geography(report, areas))
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    assert "OpenStreetMap\\u003c/a\\u003e contributors" in page  # tojson-escaped markup


def test_map_without_photo_file_or_evidence(tmp_path) -> None:
    gone = chernihiv_report(tmp_path / "sign.jpg")
    (tmp_path / "sign.jpg").unlink()  # thumbnails are skipped, the map is still written
    page = render_map(gone, map_geography(gone), offline=True)
    assert "data:image/jpeg" not in page and '"Candidates"' in page
    nothing = Report([PhotoReport(path="nothing.jpg")])
    empty = render_map(nothing, map_geography(nothing), offline=True)
    assert "no location evidence" in empty


def test_several_photos_get_their_own_layers(tmp_path) -> None:
    a = chernihiv_report(tmp_path / "a.jpg").photos[0]
    b = chernihiv_report(tmp_path / "b.jpg").photos[0]
    both = Report([a, b])
    page = render_map(both, map_geography(both), offline=True)
    assert '"a.jpg: Candidates"' in page and '"b.jpg: Estimate"' in page


def test_untrusted_strings_are_escaped(tmp_path) -> None:
    payload = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">`${x}`\\u'
    report = chernihiv_report(tmp_path / "sign.jpg")
    ph = report.photos[0]
    c = ph.candidates[0]
    ph.candidates[0] = Candidate(c.place, c.score, c.evidence + (Evidence("ocr", payload, 50.0),))
    ph.metadata = Metadata(camera={"model": payload})
    page = render_map(report, map_geography(report), offline=True)
    assert "window.__pwned" in page  # shown ...
    assert "<script>window.__pwned" not in page and "<img src=x" not in page  # ... never as markup
    assert "`${x}`" not in page
    assert esc(payload).count("<") == 0 and "`" not in esc(payload) and "$" not in esc(payload)
    assert "\\" not in esc(payload)


def test_geojson_has_the_features(tmp_path, areas) -> None:
    report = chernihiv_report(tmp_path / "sign.jpg", areas=areas)
    out = write_geojson(report, tmp_path / "out.geojson", areas=areas)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    layers = [f["properties"]["layer"] for f in data["features"]]
    assert layers.count("candidate") == 2 and layers.count("estimate") == 1
    assert layers.count("estimate_region") == 1 and layers.count("distance_ring") == 1
    assert layers.count("area") == len(areas) == 3
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] in (
            "Point",
            "Polygon",
            "MultiPolygon",
            "LineString",
            "MultiLineString",
        )
    top = next(f for f in data["features"] if f["properties"]["layer"] == "candidate")
    assert top["properties"]["name"] == "Chernihiv" and top["properties"]["rank"] == 1
    assert top["geometry"]["coordinates"] == [31.28487, 51.50551]  # lon, lat (RFC 7946)
    by = next(f for f in data["features"] if f["properties"].get("code") == "BY")
    want = next(a for a in report.photos[0].areas if a["code"] == "BY")
    assert by["properties"]["measured"] == [
        {"photo": str(tmp_path / "sign.jpg"), "distance_km": want["distance_km"], "inside": False}
    ]
    assert 50 < want["distance_km"] < 65  # the estimate sits ~12 km south-east of Chernihiv
    assert features(Report([]))["features"] == []


def test_bands_skip_the_estimates_own_country(tmp_path) -> None:
    line = tmp_path / "road.geojson"
    line.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"name": "Road M01"},
                "geometry": {"type": "LineString", "coordinates": [[31.0, 51.0], [31.3, 51.8]]},
            }
        ),
        encoding="utf-8",
    )
    areas = resolve_areas(regions=["Ukraine", "Belarus"], user_areas=load_area_file(line))
    report = chernihiv_report(tmp_path / "sign.jpg", areas=areas)
    page = render_map(report, map_geography(report, areas), offline=True, within_km=20)
    assert "within 20 km of Belarus" in page and "within 20 km of Road M01" in page
    assert "within 20 km of Ukraine" not in page  # the estimate lies in Ukraine
