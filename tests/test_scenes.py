"""The sign-scene generator: deterministic, truthful boxes, every sign kind, the romanisation."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.scenes import SIGN_KINDS, SignLine, SignSpec, name_pools, random_scenes, render_scene, ua_romanize


def test_same_seed_same_pixels_and_truth():
    sign = SignSpec("ua_direction", (SignLine("Чернігів", "Chernihiv", 25),), cap_px=24)
    a, ta = render_scene([sign], seed=5)
    b, tb = render_scene([sign], seed=5)
    c, _ = render_scene([sign], seed=6)
    assert np.array_equal(np.asarray(a), np.asarray(b)) and ta == tb
    assert not np.array_equal(np.asarray(a), np.asarray(c))


def test_truth_boxes_lie_on_the_drawn_text():
    sign = SignSpec(
        "ua_direction", (SignLine("Чернігів", "Chernihiv", 25),), cap_px=30, position=(0.5, 0.3), angle_deg=0, tilt=0
    )
    image, truth = render_scene([sign], seed=1, blur=0, lighting="day")
    rgb = np.asarray(image).astype(int)
    assert [t.text for t in truth] == ["Чернігів", "Chernihiv", "25"]
    assert [t.role for t in truth] == ["place", "place", "distance"]
    for t in truth:
        x, y, w, h = t.box
        patch = rgb[y : y + h, x : x + w]
        white = (patch.min(axis=2) > 180).mean()  # white letters on a blue panel
        blue = (patch[..., 2] > patch[..., 0] + 60).mean()
        assert 0.1 < white < 0.8 and blue > 0.1, t
    cyr, lat, _ = truth
    assert cyr.box[1] < lat.box[1]  # Cyrillic name above the Latin one
    assert cyr.cap_px == pytest.approx(30 / 0.85, abs=0.1) and lat.cap_px == 30


@pytest.mark.parametrize("kind", SIGN_KINDS)
def test_every_kind_renders_its_text(kind):
    lines = {
        "ua_direction": (SignLine("Ніжин", "Nizhyn", 40),),
        "ua_city_limit": (SignLine("Ніжин", "Nizhyn"),),
        "ru_direction": (SignLine("Брянск", None, 73),),
        "eu_direction": (SignLine(None, "Frankfurt", 12),),
        "shop": (SignLine("АПТЕКА", None),),
        "warning": (SignLine("УВАГА", None),),
    }[kind]
    image, truth = render_scene([SignSpec(kind, lines, cap_px=26)], seed=3)
    assert image.size == (1600, 1200)
    texts = {t.text.casefold() for t in truth}
    for line in lines:
        for name in (line.name_cyr, line.name_lat):
            if name:
                assert name.casefold() in texts
    roles = {t.role for t in truth}
    assert roles <= ({"other"} if kind in ("shop", "warning") else {"place", "distance"})
    for t in truth:
        x, y, w, h = t.box
        assert 0 <= x and 0 <= y and x + w <= 1600 and y + h <= 1200


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown sign kind"):
        SignSpec("billboard")


@pytest.mark.parametrize(
    "cyr,lat",
    [
        ("Чернігів", "Chernihiv"),
        ("Ріпки", "Ripky"),
        ("Знам’янка", "Znamianka"),
        ("Згурівка", "Zghurivka"),
        ("Юрівка", "Yurivka"),
        ("Біла Церква", "Bila Tserkva"),
        ("Запоріжжя", "Zaporizhzhia"),
        ("Київ", "Kyiv"),
    ],
)
def test_ukrainian_romanisation_as_on_road_signs(cyr, lat):
    assert ua_romanize(cyr) == lat


def test_random_scenes_follow_the_benchmark_conditions():
    scenes = list(random_scenes(4, seed=123))
    again = [s.place_names for s in random_scenes(4, seed=123)]
    assert [s.place_names for s in scenes] == again
    assert all(s.place_names for s in scenes)
    for s in scenes:
        assert 50 <= s.jpeg_quality <= 95 and s.lighting in ("day", "overcast")
        for t in s.texts:
            if t.role == "place":
                assert 12 <= t.cap_px <= 50 / 0.8 + 0.1


def test_name_pools_hold_real_places_in_each_script():
    pools = name_pools()
    assert ("Чернігів", "Chernihiv") in pools["ua"]
    assert len(pools["ua"]) > 500 and len(pools["ru"]) > 1000 and len(pools["eu"]) > 1000
    assert all(not set(c.lower()) & set("іїєґ") for c, _ in pools["ru"])
