"""The whole pipeline on the bundled sample photos and on photos the tests write."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from geoloc.common.geodesy import haversine_km
from geoloc.model import Report
from geoloc.pipeline import Settings, locate_photo, locate_scene, reported_areas

IMAGES = Path(__file__).resolve().parents[1] / "images"
CHERNIHIV = (51.50551, 31.28487)
CAPTION = (IMAGES / "chernihiv_caption.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample():
    return locate_photo(str(IMAGES / "chernihiv_sign.jpg"), Settings(context_text=CAPTION))


def test_sample_puts_chernihiv_first(sample):
    top = sample.candidates[0]
    assert top.place.geonameid == 710735 and top.place.name == "Chernihiv"
    assert top.place.admin1 == "Chernihiv Oblast"
    e = sample.estimate
    assert haversine_km(e.lat, e.lon, *CHERNIHIV) <= 25
    assert e.basis == "distance" and 0 < e.confidence <= 1
    assert "Chernihiv 14 km" in e.explanation
    ev = top.evidence[0]
    assert ev.kind == "ocr" and "Чернігів" in ev.text and ev.distance_km == 14
    x, y, w, h = ev.box
    assert 800 < x < 1300 and 200 < y < 600 and w > 50 and h > 15  # on the sign, upper right


def test_sample_report_is_the_public_schema(sample):
    d = Report(photos=[sample]).to_dict()
    assert d["schema"] == "geoloc.report/1"
    photo = d["photos"][0]
    assert set(photo) >= {"path", "estimate", "candidates", "texts", "metadata", "errors"}
    assert set(photo["estimate"]) >= {"lat", "lon", "radius_km", "confidence", "basis"}
    cand = photo["candidates"][0]
    assert set(cand) >= {"name", "lat", "lon", "country_code", "admin1", "score", "geonameid", "evidence"}
    assert all(len(t["box"]) == 4 for t in photo["texts"])
    assert photo["metadata"]["gps"] is None


def test_caption_areas_are_measured(sample):
    report = Report(photos=[sample])
    areas = reported_areas(report, Settings(context_text=CAPTION))
    names = {a["name"]: a for a in sample.areas}
    assert any("Belarus" in n for n in names) and "Bryansk Oblast" in names
    bryansk = names["Bryansk Oblast"]
    assert not bryansk["inside"] and 40 < bryansk["distance_km"] < 110
    assert {a.kind for a in areas} >= {"country", "admin1"}


def test_shop_sign_gives_no_confident_estimate():
    r = locate_photo(str(IMAGES / "shop_apteka.jpg"), Settings())
    assert any("АПТЕКА" in t.text for t in r.texts)  # the text is read...
    assert r.estimate is None or r.estimate.confidence < 0.5  # ...but it is not a place


def test_photo_without_text_has_no_estimate():
    r = locate_photo(str(IMAGES / "no_text.jpg"), Settings())
    assert r.estimate is None and r.candidates == []


def test_exif_gps_is_the_basis(tmp_path):
    img = Image.open(IMAGES / "no_text.jpg")
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "S", 2: (33.0, 51.0, 35.9), 3: "E", 4: (151.0, 12.0, 40.0)})  # Sydney
    path = tmp_path / "sydney.jpg"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    path.write_bytes(buf.getvalue())
    r = locate_photo(str(path), Settings())
    assert r.estimate.basis == "gps"
    assert r.estimate.lat == pytest.approx(-33.8599722, abs=1e-6)
    assert r.estimate.lon == pytest.approx(151.2111111, abs=1e-6)
    assert r.metadata.gps is not None


def test_two_photos_of_one_scene_pool_their_signs(sample):
    shop = locate_photo(str(IMAGES / "shop_apteka.jpg"), Settings())
    joint = locate_scene([sample, shop], Settings())
    assert joint.estimate is not None and joint.estimate.basis == "distance"
    assert joint.candidates[0].place.geonameid == 710735


REALDATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "realdata"


def _gold_gps_rows():
    import csv

    path = REALDATA / "exif-mdx" / "gold_location.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["gps_lat"] and (r["gps_lat"], r["gps_lon"]) != ("0", "0")]


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize("row", _gold_gps_rows() or [None], ids=lambda r: r["file"] if r else "absent")
def test_locate_agrees_with_exiftool_on_real_camera_photos(row):
    """`geoloc locate` takes a real camera's GPS as its estimate, to exiftool's 1e-6 degrees."""
    if row is None:
        pytest.skip("../shared/realdata is absent")
    r = locate_photo(str(REALDATA / "exif-mdx" / row["file"]), Settings(langs="eng"))
    assert r.estimate is not None and r.estimate.basis == "gps"
    assert r.estimate.lat == pytest.approx(float(row["gps_lat"]), abs=1e-6)
    assert r.estimate.lon == pytest.approx(float(row["gps_lon"]), abs=1e-6)
    d = Report(photos=[r]).to_dict()["photos"][0]
    assert d["metadata"]["gps"]["lat"] == pytest.approx(float(row["gps_lat"]), abs=1e-6)
    assert d["estimate"]["lon"] == pytest.approx(float(row["gps_lon"]), abs=1e-6)


def test_cut_off_photo_keeps_its_metadata_location(tmp_path):
    """A download cut short still carries its EXIF GPS: used, with a warning, pixels unread."""
    img = Image.open(IMAGES / "no_text.jpg")
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 18.0), 3: "E", 4: (31.0, 17.0, 7.0)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    r = locate_photo(str(path), Settings())
    assert r.estimate.basis == "gps" and r.estimate.lat == pytest.approx(51.505, abs=1e-6)
    assert r.texts == [] and any("location from metadata only" in w for w in r.metadata.warnings)
    nogps = tmp_path / "cut_plain.jpg"
    img.save(buf := io.BytesIO(), "JPEG")
    nogps.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(Exception, match="truncated"):
        locate_photo(str(nogps), Settings())


def test_a_joint_scene_keeps_the_route_numbers_read_beside_a_name():
    from geoloc.model import PhotoReport, TextSpan

    sign = PhotoReport(
        path="a.jpg",
        texts=[
            TextSpan("М01", 90.0, (10, 10, 60, 30), line=0, region=0, lang="ukr+rus+bel"),
            TextSpan("Чернігів", 90.0, (80, 10, 160, 30), line=0, region=0, lang="ukr+rus+bel"),
            TextSpan("14", 90.0, (250, 10, 30, 30), line=0, region=0, lang="ukr+rus+bel"),
        ],
    )
    other = PhotoReport(
        path="b.jpg",
        texts=[
            TextSpan("Київ", 90.0, (10, 10, 100, 30), line=0, region=0, lang="ukr+rus+bel"),
            TextSpan("157", 90.0, (120, 10, 40, 30), line=0, region=0, lang="ukr+rus+bel"),
        ],
    )
    joint = locate_scene([sign, other], Settings())
    routes = [e for c in joint.candidates for e in c.evidence if e.kind == "route"]
    assert [e.text for e in routes][:1] == ["М01"]
    assert routes[0].source == "a.jpg"
