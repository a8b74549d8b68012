"""The offline map in a real browser (headless Chromium) with every network request blocked.

Proves the page is self-contained (Leaflet loads, layers and features are drawn, no console
errors) and that hostile strings from OCR, EXIF, file names, captions and user GeoJSON are shown
as text and execute nothing. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geoloc.areas import load_area_file, map_geography, measure, resolve_areas
from geoloc.model import Candidate, Evidence, Metadata, Place
from geoloc.render.map import write_map
from tests.test_maps import chernihiv_report

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
TEMPLATE = "${window.__pwned=1} \\` \\u"  # would run inside a JavaScript template literal


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A fresh headless Chromium profile; fails (never skips) when Chromium is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make setup` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            viewport={"width": 1200, "height": 800},
        )
        yield context
        context.close()


class OfflinePage:
    """A page that may read file:// only; every other request is aborted and recorded."""

    def __init__(self, context, path: Path) -> None:
        self.page = context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(300)

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def map_name(self) -> str:
        return self.page.evaluate("document.querySelector('.folium-map').id")


def test_offline_map_renders_with_no_network(browser, tmp_path) -> None:
    areas = resolve_areas(regions=["Belarus", "Bryansk Oblast"], borders=["BY"], home_country="UA")
    report = chernihiv_report(tmp_path / "sign.jpg", areas=areas)
    out = write_map(report, tmp_path / "map.html", map_geography(report, areas), offline=True, within_km=20)
    view = OfflinePage(browser, out)
    page = view.page
    assert page.evaluate("typeof window.L") == "object"
    assert page.evaluate("L.version") == "1.9.4"
    assert page.evaluate("typeof window.jQuery") == "function"
    labels = [t.strip() for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()]
    assert labels == [
        "Country borders",
        "Within 20 km of the reported borders",
        "Reported areas",
        "Distances to the reported areas",
        "Distance rings",
        "Estimate",
        "Candidates",
    ]
    # one distance line per nearest point (Belarus and the UA-BY border meet the estimate's
    # line at the same point, so they share one), each labelled with the km the report holds
    distances = [d.strip() for d in page.locator(".geoloc-distance").all_inner_texts()]
    for a in report.photos[0].areas:
        assert any(d.startswith(f"{a['distance_km']:.0f} km to ") and a["name"] in d for d in distances), a
    # interactive features: 3 areas + 3 bands + the distance lines with their end dots + 1 ring
    # + the estimate circle and centre + 2 candidates
    assert page.locator("path.leaflet-interactive").count() == 3 + 3 + 2 * len(distances) + 1 + 2 + 2
    assert page.locator("path").count() > 50  # the country outlines drawn as the basemap
    assert page.locator(".leaflet-tile").count() == 0
    assert "Natural Earth" in page.inner_text(".leaflet-control-attribution")
    # a candidate's popup shows its evidence and the embedded crop
    page.evaluate(f"""() => {{ const m = window[{json.dumps(view.map_name())}];
        m.eachLayer(l => {{ if (l.getPopup && l.getPopup() && l.options.radius > 10) l.openPopup(); }}); }}""")
    popup = page.locator(".leaflet-popup-content")
    assert "Chernihiv" in popup.inner_text() and "Чернігів" in popup.inner_text()
    assert popup.locator("img.geoloc-thumb").count() == 2
    assert page.evaluate("document.querySelector('img.geoloc-thumb').naturalWidth") > 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "offline_map.png"))
    assert view.blocked == []
    assert view.errors == []
    page.close()


def test_hostile_strings_are_shown_never_run(browser, tmp_path) -> None:
    photo_dir = tmp_path / "photos"
    photo_dir.mkdir()
    report = chernihiv_report(photo_dir / "sign.jpg")
    hostile = photo_dir / f"{IMG}.jpg"  # a legal file name
    shutil.move(photo_dir / "sign.jpg", hostile)
    ph = report.photos[0]
    ph.path = str(hostile)
    c = ph.candidates[0]
    box = c.evidence[0].box
    ph.candidates[0] = Candidate(
        c.place,
        c.score,
        (
            Evidence("ocr", f"Чернігів {SCRIPT} {TEMPLATE}", 90.0, box, str(hostile)),
            Evidence("context", f"Near the border {SCRIPT}{IMG}", source="caption.txt"),
        ),
    )
    evil_place = Place(1, f"Evil {IMG}", 51.2, 31.0, "UA", admin1=SCRIPT)
    ph.candidates.append(Candidate(evil_place, 0.5, (Evidence("ocr", IMG, 70.0),)))
    ph.metadata = Metadata(camera={"make": SCRIPT, "model": IMG})
    ph.conflicts = [f"caption says {SCRIPT}"]
    area_file = tmp_path / "zone.geojson"
    area_file.write_text(
        json.dumps(
            {
                "type": "Feature",
                "properties": {"name": f"Zone {SCRIPT}{IMG}"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[31.0, 51.0], [31.6, 51.0], [31.6, 51.6], [31.0, 51.0]]],
                },
            }
        ),
        encoding="utf-8",
    )
    areas = resolve_areas(user_areas=load_area_file(area_file))
    ph.areas = [measure(a, ph.estimate.lat, ph.estimate.lon) for a in areas]
    out = write_map(report, tmp_path / "map.html", map_geography(report, areas), offline=True, within_km=5)

    view = OfflinePage(browser, out)
    page = view.page
    name = json.dumps(view.map_name())
    texts = page.evaluate(f"""() => {{
        const m = window[{name}], out = [];
        const layers = []; m.eachLayer(l => layers.push(l));
        for (const l of layers) {{
            if (l.getPopup && l.getPopup()) {{
                l.openPopup();
                out.push(l.getPopup().getElement().innerText);
                l.closePopup();
            }}
            if (l.getTooltip && l.getTooltip()) {{
                l.openTooltip();
                out.push(l.getTooltip().getElement().innerText);
            }}
        }}
        return out; }}""")
    page.wait_for_timeout(300)  # give an injected onerror handler the chance to fire
    shown = "\n".join(texts) + page.inner_text("body")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert SCRIPT in shown and IMG in shown and TEMPLATE in shown  # the payloads are visible, as text
    assert f"Zone {SCRIPT}{IMG}" in shown
    assert f"camera: make: {SCRIPT}; model: {IMG}" in shown
    assert f"{IMG}.jpg" in shown
    assert page.locator("img[src='x']").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile_strings.png"))
    assert view.blocked == []
    assert view.errors == []
    page.close()
