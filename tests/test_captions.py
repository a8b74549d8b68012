"""Captions and articles in English, Ukrainian and Russian: the places and borders a text names.

The photo has no readable text, so the words published with it are the only evidence; the texts
are written here as an article or a channel post would put them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from geoloc.cli.main import cli
from geoloc.common.geodesy import KM_PER_MILE, haversine_km
from geoloc.model import Estimate, PhotoReport
from geoloc.read.lemmas import dictionary_forms, is_locative

CHERNIHIV = (51.5055, 31.2849)

ARTICLE = (
    "Russian forces shelled a village on Thursday, officials said. A photo shared by the Ukrainian "
    'headquarters showed a road sign in the distance saying "Chernihiv," suggesting it took place in '
    "northern Ukraine near the border with Belarus and Russia's Bryansk region. The Moscow Times could "
    "not independently verify the footage."
)
UKRAINIAN = "Фото зроблено під Черніговом, неподалік кордону з Білоруссю та Брянською областю Росії."
RUSSIAN = "Фото сделано под Черниговом, недалеко от границы с Белоруссией и Брянской областью России."


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A photo with nothing to read in it: grey noise."""
    path = tmp_path_factory.mktemp("blank") / "field.jpg"
    Image.effect_noise((640, 480), 20).convert("RGB").save(path, "JPEG")
    return path


def _locate(photo: Path, caption: str, tmp_path: Path) -> tuple[int, dict]:
    context = tmp_path / "caption.txt"
    context.write_text(caption, encoding="utf-8")
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli,
        ["locate", str(photo), "--context", str(context), "--offline", "--no-cache", "-q",
         "--map", str(tmp_path / "map.html"), "--report", str(report)],
        catch_exceptions=False,
    )  # fmt: skip
    return result.exit_code, json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("caption", [ARTICLE, UKRAINIAN, RUSSIAN], ids=["en", "uk", "ru"])
def test_a_caption_alone_places_the_photo_and_finds_the_border_areas(blank, tmp_path, caption) -> None:
    code, report = _locate(blank, caption, tmp_path)
    assert code == 0
    (photo,) = report["photos"]
    e = photo["estimate"]
    assert e is not None and haversine_km(e["lat"], e["lon"], *CHERNIHIV) <= 80
    assert e["confidence"] <= 0.5 and e["basis"] == "context"
    areas = {a["name"]: a["distance_km"] for a in photo["areas"]}
    assert "Belarus" in areas or any("Belarus" in name and "border" in name for name in areas)
    assert "Bryansk Oblast" in areas and 30 <= areas["Bryansk Oblast"] <= 150


def test_a_border_the_estimate_does_not_share_is_reported_not_fatal(blank, tmp_path) -> None:
    # A caption placing the photo in Lviv "near the border with Russia": the two share no border.
    code, report = _locate(blank, "The photo was taken in Lviv, near the border with Russia.", tmp_path)
    assert code == 0
    areas = {a["name"]: a for a in report["photos"][0]["areas"]}
    assert "Russia" in areas and areas["Russia"]["distance_km"] > 500


def test_a_weekday_or_a_photo_credit_is_not_a_place(blank, tmp_path) -> None:
    code, report = _locate(blank, "Photo taken on Thursday. Фото: пресслужба.", tmp_path)
    assert code == 0 and report["photos"][0]["estimate"] is None


@pytest.mark.parametrize(
    ("declined", "name"),
    [
        ("Черніговом", "Чернігів"),
        ("Білоруссю", "Білорусь"),
        ("Брянською областю", "Брянська область"),
        ("Сумах", "Суми"),
        ("Києві", "Київ"),
        ("Новій Каховці", "Нова Каховка"),
        ("Черниговом", "Чернигов"),
        ("Белоруссией", "Белоруссия"),
        ("Брянской областью", "Брянская область"),
        ("России", "Россия"),
        ("Нижнем Новгороде", "Нижний Новгород"),
        # a possessive adjective, which both dictionaries take for a plain one ("часовий", hourly)
        ("Часового Яру", "Часів Яр"),
        ("Часовим Яром", "Часів Яр"),
        ("Часова Яра", "Часов Яр"),
        # a town named in the plural that the dictionary knows only as a common noun (a jug)
        ("Кринок", "Кринки"),
        ("Алешек", "Алёшки"),
    ],
)
def test_declined_names_have_their_dictionary_form_among_the_readings(declined, name) -> None:
    assert name.lower() in [f.lower() for f in dictionary_forms(declined)]


def test_latin_names_are_not_declined() -> None:
    assert dictionary_forms("Chernihiv") == () and dictionary_forms("Bryansk region") == ()


def test_a_caption_only_estimate_quotes_the_sentence_it_relied_on_and_is_wider_than_the_town(blank, tmp_path) -> None:
    e = _estimate(blank, "Shelling overnight. " + UKRAINIAN + " Більше фото згодом.", tmp_path)
    assert "під Черніговом" in e["explanation"] and "Shelling" not in e["explanation"]
    assert e["radius_km"] >= 25  # "під X" is about the town, not in it


@pytest.mark.parametrize(
    ("caption", "quoted"),
    [
        # "Сум" is the Russian genitive of Сумы; its Ukrainian form "Суми" is the name matched
        ("Фото из Сум. Проверили журналисты в Брюсселе.", "Фото из Сум."),
        ("Взрывы в Орле ночью. Фото: очевидцы.", "Взрывы в Орле ночью."),
        ("Вибухи у Львові. Фото: ЛОВА.", "Вибухи у Львові."),
        # the Belarusian name is held only romanised ("Asipovichy")
        ("Фота сяброў. Выбух каля Асіповічаў.", "Выбух каля Асіповічаў."),
    ],
)
def test_the_sentence_quoted_is_found_by_the_name_as_written(blank, tmp_path, caption, quoted) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert f'"{quoted}"' in e["explanation"], e


@pytest.mark.parametrize(
    "caption",
    [
        "In a statement from Kyiv, the ministry said the photo was taken near Chernihiv.",
        "Зеленський виступив у Києві в понеділок. Фото зроблено під Черніговом.",
        "Как сообщили в Москве, снимок сделан под Черниговом.",
    ],
)
def test_the_place_the_caption_ties_to_the_photo_wins_over_other_places_it_names(blank, tmp_path, caption) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and haversine_km(e["lat"], e["lon"], *CHERNIHIV) <= 40


@pytest.mark.parametrize(
    ("caption", "country"),
    [
        ("Фото зроблено біля білоруського кордону, під Черніговом.", "Belarus"),
        ("Снимок сделан под Черниговом, у российской границы.", "Russia"),
    ],
)
def test_a_border_named_by_its_adjective_is_a_reported_area(blank, tmp_path, caption, country) -> None:
    _code, report = _locate(blank, caption, tmp_path)
    names = [a["name"] for a in report["photos"][0]["areas"]]
    assert any(country in name for name in names)


@pytest.mark.parametrize(
    "caption",
    [
        "The drone was filmed 60 km from Chernihiv.",
        "Фото зроблено за 60 км від Чернігова.",
        "Снимок сделан в 60 км от Чернигова.",
    ],
)
def test_a_distance_from_a_town_widens_the_caption_estimate_to_hold_it(blank, tmp_path, caption) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and haversine_km(e["lat"], e["lon"], *CHERNIHIV) < 15
    assert e["radius_km"] >= 60


def test_a_caption_in_miles_widens_its_estimate_to_hold_the_photo(blank, tmp_path):
    e = _estimate(blank, "The photo was taken about 35 miles from Austin, Texas.", tmp_path)
    # Austin, Texas: 30.27 N, 97.74 W; the photo 56 km from it, in any direction.
    assert e is not None and haversine_km(e["lat"], e["lon"], 30.27, -97.74) < 20
    assert e["radius_km"] >= 35 * KM_PER_MILE


def test_a_caption_naming_only_a_country_and_its_border_is_the_band_along_that_border(blank, tmp_path) -> None:
    _code, report = _locate(blank, "The video was filmed in northern Ukraine near the border with Belarus.", tmp_path)
    (photo,) = report["photos"]
    e = photo["estimate"]
    assert e is not None and e["basis"] == "context" and "border" in e["explanation"]
    areas = {a["name"]: a for a in photo["areas"]}
    assert areas["Ukraine"]["inside"] and areas["Belarus"]["distance_km"] <= 30  # on the caption's side, near it
    # every point of the shared border lies within the stated radius: Chernihiv's end and Volhynia's
    for end in ((51.9, 31.3), (51.6, 24.0)):
        assert haversine_km(e["lat"], e["lon"], *end) <= e["radius_km"]


@pytest.mark.parametrize("caption", ["The footage was filmed in eastern Ukraine.", "Відео знято на сході України."])
def test_the_part_of_a_country_a_caption_names_is_where_the_estimate_lies(blank, tmp_path, caption) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and "eastern Ukraine" in e["explanation"]
    assert e["lon"] > 34.0  # the eastern third of Ukraine, not its centre (31.2 E)
    for city in ((49.99, 36.23), (48.0, 37.8)):  # Kharkiv, Donetsk
        assert haversine_km(e["lat"], e["lon"], *city) <= e["radius_km"]


@pytest.mark.parametrize(
    ("caption", "region", "neighbour"),
    [
        ("The shelling hit a village 10 km from the border with Belarus in Ukraine's Chernihiv region.",
         "Chernihiv Oblast", "Belarus"),
        ("Обстріл села у Чернігівській області, за 10 км від кордону з Білоруссю.", "Chernihiv Oblast", "Belarus"),
        ("Село в 10 км от границы с Украиной в Брянской области.", "Bryansk Oblast", "Ukraine"),
    ],
    ids=["en", "uk", "ru"],
)  # fmt: skip
def test_a_distance_from_the_border_in_a_named_region_is_that_regions_stretch_of_the_band(
    blank, tmp_path, caption, region, neighbour
) -> None:
    code, report = _locate(blank, caption, tmp_path)
    assert code == 0
    (photo,) = report["photos"]
    e = photo["estimate"]
    assert e is not None and e["basis"] == "context" and e["confidence"] <= 0.5
    areas = {a["name"]: a["distance_km"] for a in photo["areas"]}
    # The estimate's centre lies in the named region, within the caption's distance (and its
    # rounding) of the border, not at the region's centre 50-100 km inland.
    assert areas[region] == 0.0
    assert areas[neighbour] <= 15.0
    assert "border" in e["explanation"]


def test_the_neighbours_of_a_border_end_where_the_sentence_says_where_the_photo_is() -> None:
    from geoloc.read.mentions import context_facts

    facts = context_facts("A village 10 km from the border with Belarus in Ukraine's Chernihiv region.")
    assert facts.border_with == ("Belarus",) and facts.border_km == 10.0
    facts = context_facts("near the border with Belarus and Russia's Bryansk region, officials said.")
    assert facts.border_with == ("Belarus", "Bryansk region") and facts.border_km is None


KHARKIV = (49.9935, 36.2304)


def _estimate(photo: Path, caption: str, tmp_path: Path) -> dict | None:
    """The estimate ``geoloc locate`` reports for ``photo`` published with ``caption``."""
    _code, report = _locate(photo, caption, tmp_path)
    return report["photos"][0]["estimate"]


def _caption_estimate(caption: str) -> Estimate | None:
    """What geoloc concludes from the caption alone, for a photo with nothing else to read."""
    from geoloc.pipeline import Settings, conclude

    return conclude(PhotoReport(path="x"), Settings(context_text=caption)).estimate


def _km_from_town(e: Estimate | None, town: str, gz) -> float:
    """How far an estimate lies from the place the gazetteer ranks first for ``town``; infinite
    when there is no estimate."""
    want = gz.search(town, limit=1, fuzzy=False)[0]
    return haversine_km(e.lat, e.lon, want.lat, want.lon) if e is not None else math.inf


def _caption_places(caption: str, gz) -> list:
    from geoloc.infer import resolve_context
    from geoloc.read.mentions import context_facts

    return resolve_context(context_facts(caption), gz)


@pytest.mark.parametrize(
    "caption",
    [
        "Золочів Харківської області знову під обстрілом.",  # Zolochiv near Lviv is three times larger
        "Ворог атакував Золочів Харківської області.",
        "Под Волчанском Харьковской области идут бои.",  # Volchansk in the Urals matches the Russian name best
    ],
)
def test_the_region_written_after_a_town_decides_between_its_namesakes(gz, caption) -> None:
    towns = [p for p in _caption_places(caption, gz) if p.kind == "city"]
    assert towns and haversine_km(towns[0].lat, towns[0].lon, *KHARKIV) < 100


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("На Сумщині ворог атакував інфраструктуру громади.", "Sumy Oblast"),
        ("Вибухи на Київщині, працює ППО.", "Kyiv Oblast"),
        ("Побратими передали привіт з Донеччини.", "Donetsk Oblast"),
        ("Учения прошли на Брянщине.", "Bryansk Oblast"),
        ("Пожежа на Хмельниччині.", "Khmelnytskyi Oblast"),
        ("Обстріл на Харківщині.", "Kharkiv Oblast"),  # also a village's name, in Sumy Oblast
        ("Атака дронов на Белгородчину.", "Belgorod Oblast"),
        ("Бои на Донетчине продолжаются.", "Donetsk Oblast"),
        ("Пожар в Подмосковье.", "Moscow Oblast"),
        ("Пожежа на Волині.", "Volyn Oblast"),  # Wolin in Poland is a town of the name
        ("Вибух у Криму.", "Autonomous Republic of Crimea"),  # Krym, a village in Russia
        ("Explosions in Crimea overnight.", "Autonomous Republic of Crimea"),
        ("Фото с Кубани.", "Krasnodar Krai"),  # Kuban', a village of 2,600 in the krai
    ],
)
def test_a_region_named_as_the_news_names_it_is_that_region(gz, caption, region) -> None:
    # "Сумщина" is what Ukrainian and Russian news call the Sumy Oblast; the sentence's first
    # word, a preposition, is no part of the name.
    places = _caption_places(caption, gz)
    assert [p.name for p in places if p.kind == "admin1"] == [region]


@pytest.mark.parametrize(
    ("caption", "wrongly"),
    [
        ("Губернатор сообщил об отражении атаки БЭК на бухту.", "Beek"),  # an uncrewed boat: Beek, NL
        ("Хлопці з 65-ї бригади. Донати: посилання в описі.", "Donat"),  # donations: Donat, CH
        ("Сирени по всій країні. Бережіть себе.", "Syria"),  # lilac romanised is Syrien
        ("Ворог скинув КАБ на Куп'янськ-Вузловий.", "Cobb"),  # a glide bomb: Cobb, US, 1,800 people
    ],
)
def test_a_cyrillic_word_names_no_place_abroad_by_its_letters_alone(gz, caption, wrongly) -> None:
    assert wrongly not in [p.name for p in _caption_places(caption, gz)]


@pytest.mark.parametrize(
    ("caption", "wrongly", "town"),
    [
        # "Rally" spelled in Cyrillic is "Рали", Raleigh's Russian name; Kharkov is Kharkiv's
        ("Rally in Kharkov after the strike.", "Raleigh", "Kharkiv"),
        ("Rally held in the square of Chisinau.", "Raleigh", "Chisinau"),
    ],
)
def test_a_latin_word_names_no_place_abroad_by_its_cyrillic_name_alone(gz, caption, wrongly, town) -> None:
    names = [p.name for p in _caption_places(caption, gz)]
    assert wrongly not in names and town in names, names


def test_a_large_town_abroad_is_still_named_in_a_spelling_the_gazetteer_lacks(gz) -> None:
    # GeoNames holds Chișinău's Russian name, not the Ukrainian "Кишинів": its romanisation finds it.
    places = _caption_places("Протест у Кишиневі, столиці Молдови.", gz)
    assert "MD" in {p.country_code for p in places if p.kind == "city"}


def test_an_emoji_ends_a_sentence_and_the_name_before_it(blank, tmp_path) -> None:
    # Without the break, "Енгельса Аеродром" (Engels, then "the airfield is burning") is one name of nothing.
    caption = "Наші ракети долетіли до Енгельса 🔥 Аеродром горить, відео від місцевих"
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and haversine_km(e["lat"], e["lon"], 51.485, 46.126) < 25


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Освобождение Угледара. Флаг над городом водрузили бойцы.", "Vuhledar"),
        ("Прикордонний Білопілля знову під обстрілами.", "Bilopillia"),
        ("Кривий Ріг знову під обстрілом.", "Kryvyy Rih"),  # a name of two words stays whole
    ],
)
def test_a_sentences_capitalised_first_word_is_left_out_only_when_the_whole_names_nothing(gz, caption, town) -> None:
    towns = [p for p in _caption_places(caption, gz) if p.kind == "city"]
    assert towns and towns[0].name == town


def test_a_town_where_something_was_said_does_not_choose_the_namesake_of_the_town_hit(gz) -> None:
    # Pokrov is a Ukrainian town of 30,000 and a Russian one of 17,000; Krasnoturinsk, written
    # after it, is in Russia and is where a man spoke, not where the strike was.
    places = _caption_places("Sergei Korolev, speaking in Krasnoturinsk last Friday, said the strike hit Pokrov.", gz)
    pokrov = next(p for p in places if p.name.startswith("Pokrov"))
    assert pokrov.country_code == "UA"


@pytest.mark.parametrize(
    ("caption", "wrongly"),
    [
        ("Тарас Шевченко, виступаючи у Москві, заявив про удар по Брестові.", "Aktau"),  # Shevchenko: Aktau's old name
        ("Ukrainska Pravda could not verify the footage from Khanty-Mansiysk.", "Pravda"),  # an outlet
    ],
)
def test_a_persons_or_an_outlets_name_is_not_cut_to_a_place(gz, caption, wrongly) -> None:
    assert wrongly not in [p.name for p in _caption_places(caption, gz)]


@pytest.mark.parametrize(
    ("caption", "town", "reach"),
    [
        ("Уламки ракети впали у Броварському районі.", (50.511, 30.791), 40),  # Brovary's district
        ("Бої тривають на Покровському напрямку.", (48.282, 37.176), 80),  # the front named after Pokrovsk
        ("Беспилотник сбит над Белгородским районом.", (50.597, 36.586), 40),
        ("Наслідки обстрілу Шосткинського району.", (51.863, 33.470), 40),  # Shostka: "-ин-" before "-ський"
        ("Shelling hit villages in the Kupiansk district overnight.", (49.710, 37.616), 40),
        # Kreminna ("-нна"): not Crema in Italy ("Крема"), another form the adjective may be made from
        ("Наши бойцы на Кременском направлении.", (49.048, 38.216), 80),
        # "Купянском": the dictionary's instrumental of Купянск, spelt as its adjective's locative
        ("Бойцы на Купянском направлении.", (49.710, 37.616), 80),
        ("Бои на Изюмском направлении.", (49.207, 37.277), 80),  # a guess of the dictionary's: not Iziumske
        ("Бої на Торецькому напрямку.", (48.395, 37.848), 80),  # the dative of a village Торецьке, spelt alike
        # a Slavic way of making the adjective ("-ан-", "і" for "о") spells Lima, Karachi: no towns abroad
        ("Ситуация на Лиманском направлении.", (48.990, 37.808), 80),
        ("На Курахівському напрямку тривають бої.", (47.985, 37.281), 80),
        # a word opening the sentence that spells a hamlet (Razvedchik, Russia) is no city with districts
        ("Разведчики на Херсонском направлении.", (46.636, 32.617), 80),
        ("Разведчики в Херсонском районе.", (46.636, 32.617), 40),
        # two-word towns ("Біла Церква", "Кривий Ріг", "Красный Лиман", Lyman's old name) and towns
        # whose last letters the suffix takes in ("Одеса", "Вінниця", "Черкаси", "Рівне")
        ("Обстріл у Білоцерківському районі.", (49.798, 30.115), 40),  # not the village Bilotserkivka
        ("Обстрел Криворожского района.", (47.906, 33.394), 40),  # not the village Krivorozh'ye
        ("Бои на Краснолиманском направлении.", (48.990, 37.808), 80),
        ("Обстріл Одеського району.", (46.486, 30.743), 40),
        ("Обстрел Винницкого района.", (49.233, 28.468), 40),  # not Vynnyky near Lviv
        ("Обстріл Черкаського району.", (49.444, 32.060), 40),
        ("Обстріл Рівненського району.", (50.619, 26.252), 40),  # not a village Rivne
        # where the soldiers come from names no city whose district the front could be
        ("Бойцы из Якутии на Купянском направлении. Привет землякам из Якутска!", (49.710, 37.616), 80),
    ],
)
def test_a_towns_district_or_front_is_an_area_about_the_town(blank, tmp_path, caption, town, reach) -> None:
    # A district is named after its seat and a front after a town, with the town's adjective in
    # Ukrainian and Russian: the caption puts the photo about the town, as far as such an area reaches.
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and haversine_km(e["lat"], e["lon"], *town) < 15
    assert e["radius_km"] >= reach and e["confidence"] < 0.5


@pytest.mark.parametrize(
    ("caption", "town", "wrongly"),
    [
        ("Жители Омска вышли на субботник в Первомайском сквере.", "Omsk", "Pervomaysk"),  # a square
        ("Ремонт на Харківському шосе в Полтаві завершили.", "Poltava", "Kharkiv"),  # a road's name
        ("Мітинг у Львові. Фото: Дніпровська правда", "Lviv", "Dnipro"),  # an outlet
    ],
)
def test_a_street_square_or_outlet_named_after_a_town_is_not_that_town(gz, caption, town, wrongly) -> None:
    names = [p.name for p in _caption_places(caption, gz)]
    assert town in names and not any(n.startswith(wrongly) for n in names)


@pytest.mark.parametrize(
    ("caption", "city", "wrongly"),
    [
        ("У Київському районі Харкова пошкоджено будинок.", (49.994, 36.230), "Kyiv"),  # a district of Kharkiv
        ("В Донецке в Кировском районе снаряд попал в остановку.", (48.023, 37.802), "Kirovsk"),
        ("Взрыв в Харьковском районе Санкт-Петербурга.", (59.939, 30.315), "Kharkiv"),
    ],
)
def test_a_citys_district_named_after_another_town_is_the_citys(gz, caption, city, wrongly) -> None:
    # City districts are named after towns, people and dates; the caption names the city, which
    # lies in another region than the town of the adjective.
    places = _caption_places(caption, gz)
    assert not any(p.name.startswith(wrongly) for p in places)
    assert places and haversine_km(places[0].lat, places[0].lon, *city) < 25


@pytest.mark.parametrize(
    ("adjective", "noun", "head"),
    [
        ("Суджанського", "району", "район"),  # an adjective no dictionary holds, by its ending
        ("Запорожском", "направлении", "направление"),
        ("Первомайском", "сквере", "сквер"),
        ("Черніговом", "сьогодні", None),  # a town, then an adverb
        ("Миколаєва", "книга", None),  # a possessive spells like the town: Mykola's book
        ("Запорізькому", "районі", "район"),
        ("Запорізькій", "області", "область"),
        ("Запорізькому", "області", None),  # masculine and feminine do not agree
        ("Харківська", "вулиці", None),  # nominative and genitive do not agree
        ("Купянском", "направлении", "направление"),  # the dictionary reads it first as Купянск's instrumental
        ("Купянском", "сегодня", None),  # then it is the town's
    ],
)
def test_an_adjective_qualifies_the_noun_it_agrees_with(adjective, noun, head) -> None:
    from geoloc.read.lemmas import attributed_noun

    assert attributed_noun(adjective, noun) == head


@pytest.mark.parametrize(
    ("adjective", "town"),
    [
        ("Суджанського", "Суджа"),
        ("Запорізькому", "Запоріжжя"),
        ("Курахівському", "Курахове"),
        ("Бахмутського", "Бахмут"),
        ("Сумського", "Суми"),
        ("Покровському", "Покровськ"),
        ("Раменском", "Раменское"),
        ("Кремінському", "Кремінна"),
        ("Кременском", "Кременная"),
        ("Рязанском", "Рязань"),
        ("Каховської", "Каховка"),
    ],
)
def test_a_towns_adjective_gives_the_towns_name_among_its_forms(adjective, town) -> None:
    from geoloc.read.lemmas import town_forms

    assert town in town_forms(adjective)


@pytest.mark.parametrize(
    ("russian", "ukrainian"),
    [
        ("Андреевка", "Андріївка"),
        ("Новопрокоповка", "Новопрокопівка"),
        ("Нескучное", "Нескучне"),
        ("Невельское", "Невельське"),
        ("Очеретино", "Очеретине"),
        ("Спорное", "Спірне"),  # і for о in a closed syllable
        ("Клещеевка", "Кліщіївка"),
        ("Работино", "Роботине"),
        ("Дробышево", "Дробишеве"),
    ],
)
def test_a_russian_village_name_gives_its_ukrainian_spelling(russian, ukrainian) -> None:
    from geoloc.read.lemmas import ukrainian_spellings

    assert ukrainian in ukrainian_spellings(russian)


@pytest.mark.parametrize("name", ["Москва", "Київ", "Kurakhove", "Нова Каховка"])
def test_a_name_without_a_russian_ending_gives_no_ukrainian_spelling(name) -> None:
    from geoloc.read.lemmas import ukrainian_spellings

    assert ukrainian_spellings(name) == ()


@pytest.mark.parametrize(
    ("caption", "village"),
    [
        ("Бои за Новопрокоповку продолжаются.", (47.41, 35.84)),  # Новопрокопівка in GeoNames
        ("Наши штурмовики под Клещеевкой Донецкой области.", (48.53, 37.96)),  # Klishchiivka by Bakhmut
        ("Артиллерия на Запорожском направлении, у Новопрокоповки.", (47.41, 35.84)),  # in that front
    ],
)
def test_a_ukrainian_village_named_in_russian_is_found(blank, tmp_path, caption, village) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *village) < 10
    assert "Нов" in e["explanation"] or "Клещ" in e["explanation"]  # the sentence is quoted


def test_a_russian_name_of_a_russian_village_keeps_the_ukrainian_village_so_called_in_russian(blank, tmp_path) -> None:
    # Kleshchevka is a village in Russia; Кліщіївка, by Bakhmut, is "Клещеевка" in Russian, a name
    # GeoNames does not hold for it: both are offered, and the sentence is quoted.
    e = _estimate(blank, "Наши штурмовики под Клещеевкой.", tmp_path)
    assert any(haversine_km(*p, 48.53, 37.96) < 10 for p in _places_offered(e))
    assert e["confidence"] < 0.25 and "под Клещеевкой" in e["explanation"]


def test_a_russian_name_that_reaches_a_ukrainian_town_gains_no_namesakes_by_ukrainian_spelling(blank, tmp_path) -> None:
    # "Каховка" is the town's name in Ukrainian and in Russian alike; spelled as Ukrainian spells
    # Russian "-овка" it is "Кахівка", other villages: they are no namesakes of what was written.
    _code, russian = _locate(blank, "Очередь в банк в центре Каховки.", tmp_path)
    _code, english = _locate(blank, "A queue at a bank in the centre of Kakhovka.", tmp_path)
    ru, en = russian["photos"][0]["estimate"], english["photos"][0]["estimate"]
    assert haversine_km(ru["lat"], ru["lon"], en["lat"], en["lon"]) < 1
    assert ru["probability"] >= en["probability"] - 0.01  # Russian prose names the town as English does, or better


def test_an_everyday_russian_word_is_no_ukrainian_village(blank, tmp_path) -> None:
    # "Доброе" (good) spelled in Ukrainian is Dobre, a village's name
    _code, report = _locate(blank, "Доброе утро, подписчики! Сегодня будет тепло.", tmp_path)
    assert report["photos"][0]["estimate"] is None


@pytest.mark.parametrize(
    ("caption", "site"),
    [
        ("Smoke rises over the Zaporizhzhia nuclear plant.", (47.51, 34.59)),  # at Enerhodar, 53 km away
        ("Smoke over the Zaporizhzhia Nuclear Power Plant.", (47.51, 34.59)),
        ("Дим над Запорізькою АЕС.", (47.51, 34.59)),
        ("Дрон атаковал Курскую АЭС.", (51.67, 35.61)),  # at Kurchatov
        ("The Khmelnytskyi NPP is working normally.", (50.30, 26.65)),  # at Netishyn, 104 km away
        ("Підрив Каховської ГЕС.", (46.78, 33.37)),  # at Nova Kakhovka
        ("Пожар на Рязанском НПЗ.", (54.60, 39.80)),  # not Ryazanskiy, a district of Moscow
    ],
)
def test_a_plant_named_after_a_town_is_looked_for_as_far_as_such_plants_lie(blank, tmp_path, caption, site) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and haversine_km(e["lat"], e["lon"], *site) <= e["radius_km"]
    assert e["radius_km"] < 200


def _places_offered(e: dict) -> list[tuple[float, float]]:
    return [(e["lat"], e["lon"]), *((a["lat"], a["lon"]) for a in e["alternatives"])]


def test_a_town_name_shared_across_borders_gives_each_town_its_share(blank, tmp_path) -> None:
    # "Волчанск" is the own name of Volchansk in the Urals (10,000 people) and the Russian name of
    # Vovchansk in Ukraine (17,000): the caption alone cannot tell which.
    e = _estimate(blank, "Наши военные под Волчанском.", tmp_path)
    offered = _places_offered(e)
    assert any(haversine_km(*p, 50.29, 36.94) < 25 for p in offered)  # Vovchansk
    assert any(haversine_km(*p, 59.94, 60.08) < 25 for p in offered)  # Volchansk
    assert all(0.1 <= a["probability"] for a in e["alternatives"])
    assert e["probability"] + sum(a["probability"] for a in e["alternatives"]) <= 1.0 + 1e-9
    assert e["confidence"] < 0.25  # below a caption's naming a town of its own


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Наши военные под Волчанском.", (50.29, 36.94)),  # Vovchansk, not Volchansk in the Urals
        ("Николаев после обстрела.", (46.97, 31.99)),  # Mykolaiv, not a Russian village Nikolayev
    ],
)
def test_russian_prose_names_a_ukrainian_town_by_its_russian_name(blank, tmp_path, caption, town) -> None:
    # Russian prose writes Ukrainian towns in Russian: "Волчанск" is Vovchansk's name there as much
    # as it is the own name of Volchansk in the Urals, and the larger town is the likelier.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25, e
    assert all(a["probability"] < e["probability"] for a in e["alternatives"])


def test_a_towns_own_name_outweighs_a_larger_towns_former_name(blank, tmp_path) -> None:
    # Engels (196,000 people) was Pokrovsk until 1931; Pokrovsk in Ukraine (60,000) is so named now.
    e = _estimate(blank, "Our drone unit near Pokrovsk.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.28, 37.18) < 25
    assert any(haversine_km(a["lat"], a["lon"], 51.48, 46.12) < 25 for a in e["alternatives"])  # Engels


def test_a_region_written_with_a_town_leaves_its_far_namesakes_out(blank, tmp_path) -> None:
    e = _estimate(blank, "Золочів Харківської області знову під обстрілом.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 50.28, 35.98) < 25
    assert not any(haversine_km(*p, 49.81, 24.90) < 50 for p in _places_offered(e))  # Zolochiv near Lviv


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("Ситуация возле Спорного Донецкой области.", (48.0, 37.8)),  # Spornoye: in Magadan Oblast
        ("Shelling of Pyatykhatky, Zaporizhzhia region, overnight.", (47.5, 35.6)),  # a town near Dnipro
        ("Обстріл Пʼятихаток (Запорізька область).", (47.5, 35.6)),
    ],
)
def test_a_town_written_with_its_region_is_looked_for_there_only(blank, tmp_path, caption, region) -> None:
    # The region says which town of the name is meant: a namesake elsewhere is not it, and where
    # the gazetteer knows none there, the region itself is the answer.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *region) < 150
    assert all(haversine_km(*p, *region) < 300 for p in _places_offered(e))


def test_a_region_elsewhere_in_the_sentence_does_not_say_which_town(blank, tmp_path) -> None:
    e = _estimate(blank, "Refugees from the Donetsk region arrived in Lviv by train.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 49.84, 24.03) < 25


@pytest.mark.parametrize(
    ("caption", "village"),
    [
        ("A soldier walks past a burnt tank in the village of Yahidne, Chernihiv region.", (51.35, 31.27)),
        ("Росіяни тримали людей у підвалі школи в селі Ягідне на Чернігівщині.", (51.35, 31.27)),
        ("Drone footage of the village of Yahidne, Kharkiv region.", (49.66, 37.93)),
    ],
)
def test_a_region_written_with_a_village_outweighs_its_namesakes_in_the_same_country(
    blank, tmp_path, caption, village
) -> None:
    # Four Ukrainian villages are called Yahidne, none with a population on record: the country
    # cannot tell them apart, the region written with the name does.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *village) < 25, e
    assert (e["probability"] or 1.0) >= 0.75, e  # none: the only place offered
    assert all(haversine_km(*p, *village) < 25 for p in _places_offered(e)), e


def test_a_border_named_by_an_english_adjective_is_across_it_not_the_photos_country(blank, tmp_path) -> None:
    # "the Russian border" names Russia as the neighbour: Sumy is the Ukrainian city of 256,000,
    # not one of the Russian villages of the name.
    _code, report = _locate(blank, "Photo taken in Sumy, about 30 km from the Russian border.", tmp_path)
    e = report["photos"][0]["estimate"]
    assert haversine_km(e["lat"], e["lon"], 50.91, 34.80) < 25, e
    assert e["probability"] >= 0.75, e
    assert any("Russia" in a["name"] for a in report["photos"][0]["areas"])


def test_a_name_that_is_one_towns_own_and_another_towns_former_is_the_first_among_the_captions_places(gz) -> None:
    # "Sloviansk" is how Ukraine romanises Slovyansk's name, and GeoNames lists it for Nikopol too
    # (named Slaviansk in the 1780s); the two towns are of one size.
    towns = _caption_places("A woman walks her dog past a damaged building in Sloviansk.", gz)
    assert towns and haversine_km(towns[0].lat, towns[0].lon, 48.85, 37.60) < 25, towns


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # The guessed forms of a town's genitive are an adjective ("Первомайский", a dozen small
        # places) and the noun ("Первомайск", 62,000 people in Ukraine): the noun is weighed too.
        ("Обстрел Первомайска: повреждены дома.", (48.04, 30.85)),
        ("Освобождение Дзержинска: штурмовики в центре города.", (56.24, 43.46)),
    ],
)
def test_every_form_of_a_name_after_a_sentences_first_word_is_weighed(gz, caption, town) -> None:
    places = _caption_places(caption, gz)
    assert places and haversine_km(places[0].lat, places[0].lon, *town) < 25, places


@pytest.mark.parametrize(
    ("caption", "town", "not_meant"),
    [
        # GeoNames holds "Gorki" for Nizhny Novgorod (Gorky until 1990) and "Novorosyisk" for
        # Krasnodar: romanised, the Cyrillic words reach those cities through names not their own.
        ("Наслідки обстрілу в Горках.", (54.29, 30.99), (56.33, 44.00)),
        ("Пожар на нефтебазе в Новороссийске после атаки катеров.", (44.72, 37.77), (45.04, 38.98)),
        # Ukrainian writes one "с" where Russian writes two: GeoNames holds no "Новоросійськ", and
        # its romanisation is one of Novorossiysk's other names, spelled as the Russian name is
        ("Пожежа на нафтобазі в Новоросійську.", (44.72, 37.77), (45.04, 38.98)),
        # and the other way: "Horki" spells "Горький" alike, though no system romanises it so
        ("Drone footage filmed near Horki in eastern Belarus.", (54.29, 30.99), (56.33, 44.00)),
    ],
)
def test_a_cyrillic_name_does_not_reach_a_city_through_a_romanised_name_it_no_longer_has(
    blank, tmp_path, caption, town, not_meant
) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25, e
    assert not any(haversine_km(*p, *not_meant) < 50 for p in _places_offered(e)), e


def test_a_towns_own_romanised_name_still_names_it_from_a_cyrillic_form_the_gazetteer_lacks(gz) -> None:
    # GeoNames holds Slutsk's Russian and Belarusian names, not the Ukrainian "Слуцьк": its own
    # name "Slutsk" is how Ukrainian romanises that form.
    places = _caption_places("Прощання з бійцем у Слуцьку.", gz)
    assert places and haversine_km(places[0].lat, places[0].lon, 53.02, 27.55) < 25, places


def test_a_preposition_decides_the_case_and_so_the_town(blank, tmp_path) -> None:
    # "под Артемовском": "под" takes the instrumental, of Артемовск (Bakhmut's name until 2016);
    # the same letters are the locative of the adjective "Артёмовский", a town in the Urals.
    e = _estimate(blank, "Обстрел под Артемовском.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.59, 38.00) < 25, e
    assert dictionary_forms("Артемовском", "под") == ("Артемовск", "Артёмовск")
    assert "Артёмовский" in dictionary_forms("Артемовском")


def test_namesakes_a_caption_cannot_tell_apart_by_distance_are_one_place(blank, tmp_path) -> None:
    # A post office's point 6 km from Volchansk is a place of the name of its own in the gazetteer;
    # "под Волчанском" cannot mean one rather than the other: one region, not two alternatives.
    e = _estimate(blank, "Наши военные под Волчанском.", tmp_path)
    offered = _places_offered(e)
    for i, a in enumerate(offered):
        assert all(haversine_km(*a, *b) > 25 for b in offered[i + 1 :]), offered


def test_a_city_a_reading_puts_before_its_state_stays_first_whatever_another_spelling_names(gz) -> None:
    # "до Вашингтона": "Вашингтон" names the state and the city (first, as a town its state is
    # named after); the Ukrainian dictionary's spelling "Вашинґтон" names the state only.
    towns = _caption_places("Зеленський під час візиту до Вашингтона зустрівся з конгресменами.", gz)
    assert towns and towns[0].kind == "city" and haversine_km(towns[0].lat, towns[0].lon, 38.9, -77.04) < 25


def test_an_everyday_word_that_is_only_a_towns_other_name_is_the_word(gz) -> None:
    # "Cars" starts the sentence; it is an old name of Kars (Turkey, 91,000 people), not its own.
    # "Kiev", Kyiv's other name, still names the city of three million.
    places = _caption_places("Cars queue at the Upper Lars checkpoint on the Georgian side of the border.", gz)
    assert all(p.name != "Kars" for p in places)
    assert [p.name for p in _caption_places("Kiev under attack again.", gz)] == ["Kyiv"]


def test_a_border_crossing_between_two_countries_names_their_border(gz) -> None:
    from geoloc.read.mentions import context_facts

    facts = context_facts("Cars wait at the Verkhny Lars border crossing between Russia and Georgia.")
    assert set(facts.border_with) >= {"Russia", "Georgia"}, facts.border_with


def test_a_name_written_twice_counts_as_its_strongest_sentence_ties_it(gz) -> None:
    # Vovchansk is first named as where people fled from, then as where the photo was taken.
    places = _caption_places("Residents of Kharkiv who fled Vovchansk. The photo was taken in Vovchansk in 2023.", gz)
    assert places and places[0].name == "Vovchansk", places


@pytest.mark.parametrize(
    ("word", "where"),
    [("Салтівці", True), ("Сумщині", True), ("Донбассе", True), ("Кубани", True),
     ("Москву", False), ("Харків", False), ("Харьков", False), ("Kyiv", False)],
)  # fmt: skip
def test_na_says_where_only_before_the_locative(word, where) -> None:
    # "на" takes the locative of where ("на Салтівці") and the accusative of whither ("на Москву").
    assert is_locative(word) is where


@pytest.mark.parametrize(
    ("caption", "first"),
    [
        # "на" before the locative: where they live now, not the town they left
        ("Евакуйовані з Вовчанська живуть на Салтівці.", "Saltivka"),
        # a settlement noun between the location word and the name
        ("Residents of Kherson returned home near the village of Krynky.", "Krynky"),
        ("Жителі Херсона допомагають сусідам у селі Кринки.", "Krynky"),
        ("Жителі Херсона допомагають сусідам у н.п. Кринки.", "Krynky"),  # "населений пункт"
        ("Бойцы из Херсона закрепились в н. п. Кринки.", "Krynky"),
        # words describing the settlement between the location word and its noun, after a
        # dateline naming where the story was filed
        ("KYIV, Ukraine (AP) — A drone hit an apartment block in the southern city of Odesa.", "Odesa"),
        ("Officials in Kyiv said a drone hit a building in the port city of Izmail.", "Izmayil"),
        ("Губернатор з Харкова повідомив про удар у прифронтовому місті Куп'янськ.", "Kupyansk"),
        # where the debris fell, not the city the attack was aimed at ("на Київ": whither)
        ("Атака дронів на Київ: уламки впали у Броварах.", "Brovary"),
    ],
)
def test_the_words_before_a_name_tie_it_to_the_photo(gz, caption, first) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].name == first, places


def test_words_describing_a_settlement_do_not_reach_past_its_article() -> None:
    # the article closes the description: Kyiv's location word is not Odesa's
    from geoloc.read.mentions import context_facts

    facts = context_facts("Volunteers in Kyiv the city of Odesa.")
    assert dict(zip((m.readings[0] for m in facts.mentions), facts.placed, strict=True)) == {
        "Kyiv": True,
        "Volunteers": False,
        "Odesa": False,
    }
    facts = context_facts("Volunteers in the southern port city of Odesa.")
    assert facts.mentions[0].readings[0] == "Odesa" and facts.placed[0]


@pytest.mark.parametrize(
    "caption",
    [
        "Earlier, a missile hit Kharkiv. Rescuers clear the rubble in Sumy.",
        "Раніше удар був по Харкову. Рятувальники працюють у Сумах.",
        "Ранее удар нанесли по Харькову. Спасатели работают в Сумах.",
    ],
)
def test_a_sentence_about_an_earlier_time_does_not_name_the_photos_place(gz, caption) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].name == "Sumy", places


@pytest.mark.parametrize(
    ("caption", "town", "wrongly"),
    [
        # Shevchenko and Shchors are former names of Aktau (Kazakhstan) and Snovsk: here they name streets
        ("Обстріл вулиці Шевченка в Херсоні.", "Kherson", "Aktau"),
        ("Жители Белгорода показали последствия обстрела на улице Щорса.", "Belgorod", "Snovsk"),
        ("Удар по вул. Шевченка в Херсоні.", "Kherson", "Aktau"),
        # a park's or a square's name, before its noun or after it (Gorky: Nizhny Novgorod's old name)
        ("Explosion in Gorky Park, Kharkiv.", "Kharkiv", "Nizhniy Novgorod"),
        ("Вибух у парку Шевченка в Житомирі.", "Zhytomyr", "Aktau"),
        ("Взрыв в парке Горького, Харьков.", "Kharkiv", "Nizhniy Novgorod"),
    ],
)
def test_a_name_after_a_street_noun_is_the_streets(gz, caption, town, wrongly) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].name == town, places
    assert wrongly not in {p.name for p in places}


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Танки на вулицях Києва.", "Kyiv"),
        ("Одна з вулиць Харкова після обстрілу.", "Kharkiv"),
        ("Люди гуляют в парках Москвы.", "Moscow"),
        ("На одной из улиц Белгорода.", "Belgorod"),
        # the whole name before "Park" names a town: it stays one
        ("A shooting in Menlo Park.", "Menlo Park"),
    ],
)
def test_the_town_whose_streets_they_are_is_a_place(gz, caption, town) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].name == town, places


def test_an_abbreviation_with_a_full_stop_does_not_end_the_sentence() -> None:
    from geoloc.read.mentions import sentences

    assert sentences("Жителі Херсона повернулися у с. Кринки. Фото: ДСНС") == [
        "Жителі Херсона повернулися у с. Кринки.",
        "Фото: ДСНС",
    ]


@pytest.mark.parametrize(
    ("caption", "first"),
    [
        ("Refugees from Mariupol arrive at a registration centre, Zaporizhzhia.", "Zaporizhzhya"),
        ("Побратими з Житомирщини передали привіт з Донеччини.", "Donetsk Oblast"),
        ("Беженцы из Мариуполя получают помощь в Запорожье.", "Zaporizhzhya"),
    ],
)
def test_where_people_come_from_is_not_where_they_are(gz, caption, first) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].name == first, places


@pytest.mark.parametrize(
    ("caption", "first"),
    [
        ("Жительница Белгорода показывает квартиру, поврежденную при обстреле со стороны Харькова.", "Belgorod"),
        ("Мешканці Нікополя ховаються від обстрілів з боку Енергодара.", "Nikopol"),
        ("Residents of Belgorod clean up after shelling from the direction of Kharkiv.", "Belgorod"),
    ],
)
def test_where_fire_came_from_is_not_where_it_landed(gz, caption, first) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].name == first, places


def test_a_towns_own_name_as_its_country_romanises_it_weighs_as_its_own_name(blank, tmp_path) -> None:
    # "Zaporizhzhia" is the city's name in Ukraine's romanisation (GeoNames: "Zaporizhzhya") and the
    # register's spelling of several villages without a population: the city of 710,000 is at
    # least twice as likely as all of them together.
    e = _estimate(blank, "Shelling in Zaporizhzhia overnight.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 47.85, 35.12) < 25, e
    assert (e["probability"] or 1.0) >= 2 / 3, e


def test_towns_one_sentence_ties_to_the_photo_alike_are_each_an_alternative(blank, tmp_path) -> None:
    # Two towns 70 km apart, each after a location word: one of two places, never a point between.
    e = _estimate(blank, "Fighting near Bakhmut and near Vuhledar.", tmp_path)
    offered = _places_offered(e)
    assert any(haversine_km(*p, 48.59, 38.00) < 35 for p in offered), e  # Bakhmut
    assert any(haversine_km(*p, 47.78, 37.25) < 35 for p in offered), e  # Vuhledar
    assert all(min(haversine_km(*p, 48.59, 38.00), haversine_km(*p, 47.78, 37.25)) < 35 for p in offered), e
    assert e["probability"] + sum(a["probability"] for a in e["alternatives"]) <= 1.0 + 1e-9
    assert e["confidence"] < 0.25  # a caption naming one town says 0.25


def test_a_town_another_sentence_names_is_no_alternative(blank, tmp_path) -> None:
    e = _estimate(blank, "The funeral took place in Lutsk. He was killed near Vuhledar.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 50.75, 25.34) < 35, e  # Lutsk
    assert not any(haversine_km(a["lat"], a["lon"], 47.78, 37.25) < 100 for a in e["alternatives"]), e


@pytest.mark.parametrize(
    ("phrase", "after", "town"),
    [
        ("Кривому Розі", "в", "Кривий Ріг"),
        ("Сергиева Посада", "от", "Сергиев Посад"),
        ("Новій Каховці", "у", "Нова Каховка"),
    ],
)
def test_an_adjective_takes_the_form_that_agrees_with_its_noun(phrase, after, town) -> None:
    # "Кривому" is first the noun "криве" and a surname; its adjective parse comes fifth.
    assert town in dictionary_forms(phrase, after)


def test_a_two_word_town_declined_after_a_preposition_is_found(gz) -> None:
    places = _caption_places("Рятувальники на місці влучання ракети в Кривому Розі.", gz)
    assert places and haversine_km(places[0].lat, places[0].lon, 47.91, 33.39) < 25, places


@pytest.mark.parametrize("caption", ["Прикордонники на Сумщині біля кордону з росією.", "За 5 км від кордону з рф."])
def test_a_neighbour_written_in_lower_case_is_still_the_border(caption) -> None:
    # Ukrainian outlets write "росія" and "рф" in lower case on purpose.
    from geoloc.read.mentions import context_facts

    assert context_facts(caption).border_with == ("Russia",)


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Soldiers ride an APC.", None),
        ("KYIV, Ukraine (AP) — Shelling overnight.", "Kyiv"),
        ("LVIV — A strike hit.", "Lviv"),
    ],
)
def test_a_short_word_in_capitals_is_an_acronym_unless_it_names_a_large_town(gz, caption, town) -> None:
    # "APC" (an armoured personnel carrier) is also Apc, a Hungarian village of 2,800 people.
    towns = [p.name for p in _caption_places(caption, gz) if p.kind == "city"]
    assert towns[:1] == ([town] if town else []), towns


@pytest.mark.parametrize(
    "caption",
    [
        "В ночь на среду колонну техники заметили в поле, пишет Фонтанка.",
        "Колону техніки помітили вночі, повідомляє Фонтанка.",
        "A column was seen overnight, according to Fontanka.",
        "Колону техніки помітили вночі. Джерело: Фонтанка.",
    ],
)
def test_an_outlet_a_caption_quotes_is_no_place(gz, caption) -> None:
    # Fontanka is a St Petersburg outlet and a village near Odesa.
    assert not _caption_places(caption, gz)


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Кияни ховаються в метро під час повітряної тривоги.", "Kyiv"),
        ("Харків'яни прибирають уламки після нічної атаки.", "Kharkiv"),
        ("Москвичи несут цветы к Соловецкому камню.", "Moscow"),
        ("Muscovites lay flowers at the Solovetsky Stone.", "Moscow"),
        # a place the caption puts something at outweighs the residents' city
        ("Одесити, евакуйовані з Херсона, отримують допомогу у Миколаєві.", "Mykolaiv"),
    ],
)
def test_a_citys_residents_name_their_city(gz, caption, town) -> None:
    e = _caption_estimate(caption)
    place = next(p for p in gz.search(town, limit=5) if p.kind == "city")
    assert e is not None and haversine_km(e.lat, e.lon, place.lat, place.lon) < 25, e


def test_a_country_named_only_as_where_people_come_from_is_not_the_photos(gz) -> None:
    # "from Ukraine" is where the train came from: the caption's Przemyśl, 12 km from the border,
    # is the Polish town, not a place near Kharkiv that the gazetteer lacks.
    caption = (
        "The morning train from Kyiv arrived in Przemyśl more than three hours late. Many passengers "
        "had spent nights in shelters in Kharkiv. Officials in Warsaw say the border town's station "
        "remains the busiest rail entry point from Ukraine. Pictured: volunteers at Przemyśl Główny station."
    )
    e = _caption_estimate(caption)
    assert e is not None and haversine_km(e.lat, e.lon, 49.78, 22.77) < 25, e
    # Named as where the photo is, the country still says which namesake is meant.
    assert [p.name for p in _caption_places("Pervomaisk, Ukraine: the market after the strike", gz)][:1] == [
        "Pervomaysk"
    ]


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Бойцы на позициях. Фото: пресс-служба «Конкорд»", None),  # Concord is a dozen towns
        ("Журналісти телеканалу «Київ» працюють у Харкові.", "Kharkiv"),
        ("Интервью газете «Брянск» записали в Курске.", "Kursk"),
        ("Колона біля офісу компанії «Житомир» у Львові.", "Lviv"),
    ],
)
def test_an_organisations_name_in_quotes_is_no_place(gz, caption, town) -> None:
    # Ukrainian and Russian quote the names of companies, outlets and channels, which are named
    # after places anywhere; the town the sentence puts them in is where the photo is.
    towns = [p.name for p in _caption_places(caption, gz) if p.kind == "city"]
    assert towns == ([town] if town else []), towns


@pytest.mark.parametrize(
    ("phrase", "after", "town"),
    [
        ("Слуцьку", "у", "Слуцьк"),
        ("Климовська", "від", "Климовськ"),
        ("Вавкависке", "в", "Вавкависк"),
        ("Жлобіні", "у", "Жлобін"),  # a masculine noun's locative, unknown to the dictionary
        ("Жлобінові", "по", "Жлобін"),
        ("Кобрині", "у", "Кобрин"),
    ],
)
def test_a_town_the_dictionary_lacks_is_offered_as_the_noun_it_is(phrase, after, town) -> None:
    # pymorphy3 guesses an unknown "-ськ" word as an adjective ("Слуцький", "Слуцька").
    assert town in dictionary_forms(phrase, after)


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # Belarusian declines its town names as neither dictionary reads them
        ("Затрыманні ў Брэсце, фота Вясны.", "Brest"),  # locative, ст softened to сц
        ("Калона тэхнікі пад Мазыром.", "Mazyr"),  # instrumental
        ("Фота з Баранавічаў.", "Baranovichi"),  # genitive plural
        ("Акцыя ў Лідзе.", "Lida"),  # locative, д softened to дз
        ("Пажар у Магілёве.", "Mahilyow"),  # Магілёў: ў is в before an ending
        # a sentence's first word no dictionary holds, in a sentence spelled in Belarusian
        ("Жыхары Маладзечна выйшлі на вуліцы.", "Maladziečna"),
        ("Жыхары Маладзечна.", "Maladziečna"),  # "жы": Russian writes "жи"
        ("Выбух каля Асіповічаў.", "Osipovichi"),  # its Belarusian name held only romanised
    ],
)
def test_a_belarusian_declined_town_name_is_found(gz, caption, town) -> None:
    assert town in {p.name for p in _caption_places(caption, gz) if p.country_code == "BY"}


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("Затрыманні ў Магілёўскай вобласці.", "Mahilioŭ Region"),
        ("Паводка на Гомельшчыне.", "Gomel Region"),  # the everyday name's locative
        ("Пад Жлобінам Гомельскай вобласці.", "Gomel Region"),
    ],
)
def test_a_belarusian_region_is_found(gz, caption, region) -> None:
    assert region in {p.name for p in _caption_places(caption, gz)}


def test_a_town_in_sk_declined_after_a_preposition_is_found(gz) -> None:
    places = _caption_places("Минулої п'ятниці у Слуцьку працювали рятувальники.", gz)
    assert places and haversine_km(places[0].lat, places[0].lon, 53.03, 27.56) < 25, places


@pytest.mark.parametrize(
    ("phrase", "after", "town"),
    [("Каменского", "от", "Каменское"), ("Кам'янському", "у", "Кам'янське"), ("Октябрьском", "в", "Октябрьское")],
)
def test_a_masculine_adjectives_case_offers_the_neuter_town_name_too(phrase, after, town) -> None:
    # Genitive, dative, instrumental and locative of "-ский" and "-ское" are spelled alike.
    assert town in dictionary_forms(phrase, after)


@pytest.mark.parametrize(
    "caption",
    [
        "24 февраля колонну заметили в 22 км к северу от Каменского.",
        "Колону помітили за 22 км на північ від Кам'янського.",
    ],
)
def test_a_town_named_as_a_neuter_adjective_is_found_from_its_declined_form(blank, tmp_path, caption) -> None:
    # Kamianske (226,000 people; Каменское in Russian), not a village called Kamenskiy.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.72, 34.61) < 25, e  # 22 km north of it


@pytest.mark.parametrize(
    "caption",
    ["Взрывы в Первомайском, Харьковская область.", "Вибух у Первомайському на Харківщині."],
)
def test_a_region_written_with_a_town_picks_among_the_forms_of_its_name(gz, caption) -> None:
    # "Первомайском" is Первомайск (62,000 people, Mykolaiv Oblast) or Первомайский (29,000, in
    # Kharkiv Oblast, renamed Zlatopil): the region written with it decides.
    places = _caption_places(caption, gz)
    assert places and haversine_km(places[0].lat, places[0].lon, 49.38, 36.22) < 25, places


def test_a_region_written_with_a_common_village_name_finds_the_villages_there(gz, blank, tmp_path) -> None:
    # 26 places are called Novooleksandrivka (Melitopol's old name among them), two of them in
    # Donetsk Oblast, neither among the three largest.
    caption = "Residents of the village of Novooleksandrivka in the Donetsk region evacuate."
    there = [(48.35, 37.07), (48.77, 36.85)]
    towns = [p for p in _caption_places(caption, gz) if p.kind == "city"]
    assert towns and any(haversine_km(towns[0].lat, towns[0].lon, *v) < 25 for v in there), towns
    e = _estimate(blank, caption, tmp_path)
    offered = _places_offered(e)
    assert all(any(haversine_km(*p, *v) < 25 for v in there) for p in offered), e
    assert e["probability"] + sum(a["probability"] for a in e["alternatives"]) >= 0.5, e


def test_a_name_of_everyday_words_capitalised_within_a_sentence_is_a_name(gz) -> None:
    # "Часов Яр" is "hours" and "ravine" to a dictionary; prose capitalises "Яра" only in a name.
    towns = [p for p in _caption_places("Район Часов Яра. Работа расчёта Д-30.", gz) if p.kind == "city"]
    assert towns and haversine_km(towns[0].lat, towns[0].lon, 48.59, 37.83) < 25, towns


def test_a_name_common_because_a_city_bears_it_still_names_a_smaller_namesake_in_a_named_region(gz) -> None:
    # "New York" is an everyday phrase through New York City; a Donetsk Oblast town is so named.
    caption = "Russian troops reportedly entered the town of New York in Donetsk region."
    towns = [p for p in _caption_places(caption, gz) if p.kind == "city"]
    assert towns and haversine_km(towns[0].lat, towns[0].lon, 48.33, 37.84) < 25, towns


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("Пожежа на нафтобазі в Ровеньках (ЛНР).", "Luhansk Oblast"),
        ("Обстрел Горловки, ДНР.", "Donetsk Oblast"),
        ("Shelling of Horlivka in the so-called DPR.", "Donetsk Oblast"),
        ("Выборы в Луганской Народной Республике.", "Luhansk Oblast"),
    ],
)
def test_a_self_proclaimed_republic_is_its_oblast(gz, caption, region) -> None:
    assert region in {p.name for p in _caption_places(caption, gz)}


def test_a_self_proclaimed_republic_decides_between_namesakes(blank, tmp_path) -> None:
    # Rovenky in Luhansk Oblast, not Roven'ki in Belgorod Oblast (30% by the name alone)
    e = _estimate(blank, "Пожежа на нафтобазі в Ровеньках (ЛНР).", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.08, 39.38) < 25, e
    assert (e["probability"] or 1.0) >= 0.9, e  # none: the only place offered


def test_a_town_of_the_same_sentence_decides_between_a_villages_namesakes(blank, tmp_path) -> None:
    # Ukraine has over two dozen Andriivkas; the caption places this one by the town it names.
    caption = "Ukrainian forces hold positions near the village of Andriivka, south of Bakhmut."
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.50, 37.97) < 25, e


def test_a_front_that_holds_the_village_is_no_alternative_to_it(blank, tmp_path) -> None:
    # "в районі Вербового на Запорізькому напрямку": Verbove lies on the Zaporizhzhia front, so
    # the front is where the village is, not a second answer beside it.
    e = _estimate(blank, "Наступ ЗСУ в районі Вербового на Запорізькому напрямку.", tmp_path)
    offered = _places_offered(e)
    assert not any(haversine_km(*p, 47.85, 35.12) < 25 for p in offered), e  # Zaporizhzhia itself
    assert all(haversine_km(*p, 47.85, 35.12) < 100 for p in offered), e  # Verboves on that front


@pytest.mark.parametrize(
    "caption",
    [
        "Russian forces captured the village of Novomykhailivka near Marinka.",
        "Russian troops entered Marinka, Ukrainian officials said.",
    ],
)
def test_a_country_named_by_its_peoples_adjective_is_not_where_the_photo_is(blank, tmp_path, caption) -> None:
    # "Russian forces" says whose forces; the Marinka of the news is Mar'yinka in Donetsk Oblast
    # (its other name), not the Russian villages whose own name is Mar'inka.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], 47.95, 37.51) < 25, e


@pytest.mark.parametrize(
    "caption", ["Russian forces shelled the town overnight.", "A Ukrainian soldier walks past a destroyed school."]
)
def test_a_peoples_adjective_alone_names_no_place(blank, tmp_path, caption) -> None:
    # Whose forces is not where: the caption gives no place, which is the true answer.
    _code, report = _locate(blank, caption, tmp_path)
    assert report["photos"][0]["estimate"] is None


@pytest.mark.parametrize(
    "caption",
    [
        "Вайсковыя вучэнні каля мяжы з Украінай.",  # Belarusian: "near the border with Ukraine"
        "Пробка на КПП «Верхний Ларс» на границе с Грузией растянулась на 20 км.",
        "Shelling 10 km from the Russian border.",
    ],
)
def test_a_country_across_a_border_is_not_where_the_photo_is(blank, tmp_path, caption) -> None:
    # The caption says the photo is beside that country, not on which side: no estimate.
    _code, report = _locate(blank, caption, tmp_path)
    assert report["photos"][0]["estimate"] is None


@pytest.mark.parametrize(
    ("caption", "neighbour"),
    [("Вучэнні пад Брэстам, каля мяжы з Польшчай.", "Poland"), ("Вучэнні каля расійскай мяжы.", "Russia")],
)
def test_a_belarusian_border_is_read(gz, caption, neighbour) -> None:
    from geoloc.infer.choice import border_places
    from geoloc.read.mentions import context_facts

    assert neighbour in {p.name for p in border_places(context_facts(caption), gz)}


def test_a_belarusian_location_word_is_no_name(gz) -> None:
    # "Каля" (near) opening a sentence was romanised as a name of Callao, Peru.
    places = _caption_places("Каля расійскай мяжы, Віцебская вобласць.", gz)
    assert [p.name for p in places] == ["Vitebsk Region"], places


def test_a_country_named_alone_is_the_whole_country(blank, tmp_path) -> None:
    # Not 300 km about a point in it: the radius reaches Uzhhorod and Luhansk alike.
    e = _estimate(blank, "Happy Independence Day, Ukraine!", tmp_path)
    for town in [(48.62, 22.30), (48.57, 39.31), (51.50, 31.30), (45.35, 28.84)]:
        assert haversine_km(e["lat"], e["lon"], *town) <= e["radius_km"], e


def test_a_peoples_adjective_before_a_place_noun_says_where(blank, tmp_path) -> None:
    # "the Ukrainian town of Pokrovsk": Ukraine's, not Engels (Pokrovsk until 1931) in Russia.
    e = _estimate(blank, "Shelling of the Ukrainian town of Pokrovsk.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.28, 37.18) < 25, e
    assert e["probability"] >= 0.75, e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # Brest in Belarus, not Brest in Brittany; Pokrovsk in Donetsk Oblast, not Engels in the
        # Volga region (Pokrovsk until 1931) nor Pokrovsk in Yakutia. Whose troops is not where the
        # photo is, but such reports are in or beside that country.
        ("Belarusian troops near Brest.", (52.10, 23.70)),
        ("Ukrainian troops near Pokrovsk.", (48.28, 37.18)),
        ("Українські військові під Покровськом.", (48.28, 37.18)),
        # Lviv is Ukrainian: the Pokrovsk of the train is Ukraine's
        ("Evacuation train leaves Pokrovsk station for Lviv.", (48.28, 37.18)),
    ],
)
def test_a_peoples_adjective_or_another_town_says_near_which_country_a_namesake_is(
    blank, tmp_path, caption, town
) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25, e
    assert e["probability"] >= 0.6, e


def test_a_peoples_adjective_does_not_keep_people_at_home(blank, tmp_path) -> None:
    # Refugees are abroad: Alexandria in Egypt (5 million) still outweighs Alexandria in Romania
    # (45,000, within reach of Ukraine) and Oleksandriia in Ukraine.
    e = _estimate(blank, "Ukrainian refugees arrive in Alexandria.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 31.20, 29.92) < 25, e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # warships are named after towns: the strike is on the ship, at the port the caption names
        ("Sailors at the port of Berdiansk after the strike on the Saratov landing ship.", (46.76, 36.79)),
        ("Удар по БДК «Новочеркасск» в Феодосии.", (45.03, 35.38)),
        ("The cruiser Moskva sank in the Black Sea south of Odesa.", (46.48, 30.73)),
    ],
)
def test_a_ships_name_is_not_a_place(blank, tmp_path, caption, town) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 60, e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # a border crossing goes by the towns either side: Brest (Belarus) beside Terespol (Poland)
        ("Погранпереход Брест-Тересполь, очередь из фур.", (52.10, 23.70)),
        # Narva beside Ivangorod is Estonia's, not a Narva in Krasnoyarsk Krai
        ("Очередь на КПП Нарва-Ивангород.", (59.38, 28.19)),
        ("Trucks queue at the Medyka-Shehyni border crossing.", (49.80, 22.93)),
    ],
)
def test_a_crossing_named_by_the_towns_either_side_is_one_spot(blank, tmp_path, caption, town) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25, e
    assert not e["alternatives"], e


@pytest.mark.parametrize("caption", ["ДТП на трасі Київ-Чоп.", "Traffic on the Kyiv-Odesa highway."])
def test_a_road_between_two_far_towns_names_no_spot(gz, caption) -> None:
    # Kyiv and Chop are 600 km apart: the road between them is nowhere in particular.
    assert not [p for p in _caption_places(caption, gz) if p.kind == "city"]


def test_a_formations_name_is_not_a_place(blank, tmp_path) -> None:
    # Military formations are named after towns and rivers and fight far from them: the brigade
    # "Kholodnyi Yar" (named after a forest in Cherkasy Oblast; a village in Sumy Oblast bears the
    # name too) on the Pokrovsk front is about Pokrovsk.
    e = _estimate(blank, "Воїни бригади «Холодний Яр» на Покровському напрямку.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.28, 37.18) < 60, e


@pytest.mark.parametrize(
    ("caption", "town", "formation"),
    [
        ("Бійці полку «Азов» під Торецьком.", "Toretsk", "Azov"),
        ("Fighters of the Azov brigade near Toretsk.", "Toretsk", "Azov"),
        ("Группировка войск «Днепр» сообщила об ударе по Херсону.", "Kherson", "Dnipro"),
        # a unit of a town's police is there; "войск Украины" is whose troops
        ("The Kharkiv police unit reported the strike.", "Kharkiv", None),
        ("Отвод войск Украины из Авдеевки.", "Avdiyivka", None),
    ],
)
def test_only_a_formations_own_name_is_left_out(gz, caption, town, formation) -> None:
    names = {p.name for p in _caption_places(caption, gz)}
    assert town in names and formation not in names, names


@pytest.mark.parametrize(
    "caption",
    [
        "Fans cheer during the match against Dynamo Kyiv at Arena Lviv, Ukraine.",
        "Вболівальники на «Арені Львів».",
    ],
)
def test_a_venue_named_after_its_town_names_the_town(gz, caption) -> None:
    assert "Lviv" in {p.name for p in _caption_places(caption, gz)}


def test_a_caption_naming_only_a_ship_names_no_place(gz) -> None:
    assert not _caption_places("Крейсер «Москва» затонув.", gz)


@pytest.mark.parametrize(
    ("caption", "towns"),
    [
        ("#Bakhmut #Donetsk", {"Bakhmut", "Donetsk"}),
        ("Відео з дрона. #ЗСУ #Покровськ #Донеччина", {"Pokrovsk"}),
    ],
)
def test_each_hashtag_is_a_name_of_its_own(gz, caption, towns) -> None:
    # "#Bakhmut #Donetsk" is two names, not the phrase "Bakhmut Donetsk", which names nothing.
    assert towns <= {p.name for p in _caption_places(caption, gz)}


@pytest.mark.parametrize(
    ("caption", "capital"),
    [
        ("Explosions were heard in the Ukrainian capital overnight.", "Kyiv"),
        ("Residents shelter in a metro station in Ukraine's capital.", "Kyiv"),
        ("A rally in the capital of Belarus.", "Minsk"),
        ("Вибухи пролунали у столиці України.", "Kyiv"),
        ("Українська столиця під атакою.", "Kyiv"),
        ("Взрывы прогремели в российской столице.", "Moscow"),
        ("Протест у беларускай сталіцы.", "Minsk"),
        ("У польській столиці пройшов марш.", "Warsaw"),
        # the capital's name written beside its country's, one capitalised run
        ("У столиці України Києві пройшов парад.", "Kyiv"),
        ("Столица Украины Киев встречает гостей.", "Kyiv"),
    ],
)
def test_a_countrys_capital_named_without_its_name_is_that_city(blank, tmp_path, caption, capital) -> None:
    points = {"Kyiv": (50.45, 30.52), "Moscow": (55.75, 37.62), "Minsk": (53.9, 27.57), "Warsaw": (52.23, 21.01)}
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and haversine_km(e["lat"], e["lon"], *points[capital]) < 10, e
    assert e["radius_km"] < 100 and capital in e["explanation"], e


def test_a_capital_named_beside_its_city_keeps_the_country(blank, tmp_path) -> None:
    # Moscow is named: "the Russian capital" still says Russia, so Moscow, Idaho takes no share.
    e = _estimate(blank, "Moscow, the Russian capital, was attacked by drones.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 55.75, 37.62) < 10 and not e["alternatives"], e
    assert "share the name" not in e["explanation"], e


@pytest.mark.parametrize(
    ("caption", "city"),
    [
        ("Ukraine's second-largest city came under missile attack.", (49.99, 36.23)),  # Kharkiv
        ("Explosions in Ukraine's second city.", (49.99, 36.23)),
        ("A strike on the third largest city in Ukraine.", (46.48, 30.73)),  # Odesa
        ("Друге за величиною місто України знову під обстрілом.", (49.99, 36.23)),
        ("Во втором по величине городе России прошла акция.", (59.94, 30.31)),  # Saint Petersburg
        ("Крупнейший город Беларуси без света.", (53.9, 27.57)),  # Minsk
        # New York's boroughs are places of their own in GeoNames, and none is a city after it
        ("Protest in America's third-largest city.", (41.88, -87.63)),  # Chicago
        ("Japan's second-largest city.", (35.44, 139.64)),  # Yokohama, 28 km from Tokyo
    ],
)
def test_a_countrys_nth_largest_city_named_without_its_name_is_that_city(blank, tmp_path, caption, city) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and haversine_km(e["lat"], e["lon"], *city) < 15 and e["radius_km"] < 100, e
    assert "share the name" not in e["explanation"], e


@pytest.mark.parametrize(
    "caption",
    [
        "Shelling in one of the largest cities in Ukraine.",
        "Обстріл одного з найбільших міст України.",
        "Взрыв в одном из крупнейших городов России.",
    ],
)
def test_one_of_a_countrys_largest_cities_is_no_city_of_them(gz, caption) -> None:
    assert [p.kind for p in _caption_places(caption, gz)] == ["country"]


@pytest.mark.parametrize(
    ("caption", "kind", "point"),
    [
        # a city's or a region's office publishes photos of its city or region
        ("Фото: Одеська міська рада", "city", (46.48, 30.73)),
        ("Фото Сумської міської ради", "city", (50.91, 34.80)),  # the council's case, not the community's
        ("Фото: Київська МВА", "city", (50.45, 30.52)),  # not Kyivskyi, a village in Donetsk Oblast
        ("Фото: Житомирська міськрада", "city", (50.25, 28.66)),
        ("Курский городской совет сообщил", "city", (51.73, 36.19)),
        ("За даними Харківської обласної військової адміністрації", "admin1", (49.99, 36.23)),
        # one word; its building stands in the city the region is named after
        ("Будівля Харківської облдержадміністрації після удару.", "city", (49.99, 36.23)),
        ("Здание Белгородской облгосадминистрации.", "city", (50.60, 36.59)),  # not Belgorodskiy
        ("Харківська облдержадміністрація повідомила про обстріл.", "admin1", (49.99, 36.23)),
        ("Сумська облрада оголосила жалобу.", "admin1", (50.91, 34.80)),
        ("Photo: Odesa City Council", "city", (46.48, 30.73)),  # "Odesa City" names nothing
        ("Photo: Kharkiv Regional Military Administration", "admin1", (49.99, 36.23)),
        ("Kharkiv regional administration said two people died.", "admin1", (49.99, 36.23)),
        ("Protest outside Kansas City Council.", "city", (39.10, -94.58)),  # the city's own name has "City"
        ("Фото: Московская городская дума", "city", (55.75, 37.62)),
        ("Photo: Moscow City Duma", "city", (55.75, 37.62)),
        # credited as the source: an outlet is none ("Джерело: Фонтанка"), an office is its place
        ("Наслідки нічної атаки. Джерело: Одеська ОВА", "admin1", (46.48, 30.73)),
        ("Пожар на складе. Источник: Белгородская областная администрация", "admin1", (50.60, 36.59)),
        ("Наслідки атаки. Джерело: Київська МВА", "city", (50.45, 30.52)),
        ("Ruins after the strike. Source: Odesa City Council", "city", (46.48, 30.73)),
    ],
)
def test_an_office_named_after_a_city_or_a_region_names_it(gz, caption, kind, point) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].kind == kind, places
    assert haversine_km(places[0].lat, places[0].lon, *point) < (150 if kind == "admin1" else 15), places


@pytest.mark.parametrize(
    "caption",
    [
        "Засідання Верховної Ради.",  # the parliament: Verkhovyna is a town
        "The UN Security Council met.",
        "The European Council decided.",
        "Заседание Государственной думы.",  # the State Duma, Russia's parliament
    ],
)
def test_an_office_without_a_places_kind_names_no_place(gz, caption) -> None:
    assert not [p for p in _caption_places(caption, gz) if p.kind in ("city", "admin1")]


@pytest.mark.parametrize(
    "caption", ["Kharkiv, the former Ukrainian capital, was shelled.", "Вибухи в колишній столиці України Харкові."]
)
def test_a_former_capital_is_not_the_one_the_country_has_now(gz, caption) -> None:
    cities = [p.name for p in _caption_places(caption, gz)]
    assert "Kyiv" not in cities and "Kharkiv" in cities, cities


@pytest.mark.parametrize(
    "caption",
    [
        "Позиции на левом берегу Днепра.",
        "A boat on the Dnipro river at dawn.",
        "Бої біля річки Оскіл.",  # Oskil is also a village on it
    ],
)
def test_a_rivers_name_is_not_a_town(gz, caption) -> None:
    # Dnipro the city lies on the Dnipro, but the river runs 2,000 km: its bank is anywhere on it.
    assert not [p for p in _caption_places(caption, gz) if p.kind == "city"]


@pytest.mark.parametrize(
    "caption",
    [
        "Ukrainian forces crossed the Dnipro in a night operation.",
        "Smoke over the Dnipro after the dam was destroyed.",
        "Rally on the Maidan, 2014.",  # Kyiv's square; Maidan is also a village
    ],
)
def test_a_name_after_the_english_article_is_no_town(gz, caption) -> None:
    # English writes a town without "the": "the Dnipro" alone is the river.
    assert not [p for p in _caption_places(caption, gz) if p.kind == "city"]


@pytest.mark.parametrize(
    ("caption", "kind", "name"),
    [
        ("Protesters gathered in the Hague.", "city", "The Hague"),  # the article is its name's
        ("Fighting in the Donbas continues.", "admin1", "Donetsk Oblast"),
        ("Officials of the Kyiv government said.", "city", "Kyiv"),  # "the" is the government's
        ("Shelling of the Kharkiv and Sumy regions.", "admin1", "Kharkiv Oblast"),
    ],
)
def test_the_article_keeps_regions_and_towns_named_with_it(gz, caption, kind, name) -> None:
    assert (kind, name) in [(p.kind, p.name) for p in _caption_places(caption, gz)]


def test_a_town_beside_a_rivers_bank_is_the_place(blank, tmp_path) -> None:
    e = _estimate(blank, "Бої на лівому березі Дніпра, в районі Кринок.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 46.73, 33.08) < 10, e  # Krynky, Kherson Oblast


@pytest.mark.parametrize(
    ("caption", "towns"),
    [
        # a region named alone is all of it: Sudzha and Rylsk lie near Kursk Oblast's western edge
        ("Bombing in Kursk region.", [(51.19, 35.27), (51.57, 34.68), (51.74, 36.19)]),
        # the Donbas is Donetsk and Luhansk Oblasts: Donetsk, Kramatorsk, Luhansk, Sievierodonetsk
        ("Бої на Донбасі.", [(48.02, 37.80), (48.72, 37.56), (48.57, 39.31), (48.95, 38.49)]),
        ("Fighting in the Donbas region.", [(48.02, 37.80), (48.57, 39.31)]),
    ],
)
def test_a_region_named_alone_is_all_of_it(blank, tmp_path, caption, towns) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and all(haversine_km(e["lat"], e["lon"], *t) <= e["radius_km"] for t in towns), e


def test_a_town_in_brackets_after_a_quoted_name_is_its_home(blank, tmp_path) -> None:
    # Donetsk's and Kyiv's clubs play in Lviv: the towns in brackets are the clubs' homes.
    caption = "«Шахтар» (Донецьк) переміг «Динамо» (Київ) з рахунком 2:1 на «Арені Львів». Фото: ФК Шахтар"
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], 49.84, 24.03) < 20, e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Residents queue in Russian-occupied Melitopol.", "Melitopol"),
        ("A market in Ukrainian-controlled Kherson.", "Kherson"),
        ("Shelling in Russian-held Donetsk.", "Donetsk"),
        # a name with a small-letter word inside it stays whole
        ("Fans in Rostov-on-Don.", "Rostov-on-Don"),
    ],
)
def test_an_adjective_made_with_a_hyphen_is_not_part_of_the_name_after_it(gz, caption, town) -> None:
    assert town in [p.name for p in _caption_places(caption, gz)]


def test_the_crimean_peninsula_is_crimea(gz) -> None:
    names = [p.name for p in _caption_places("A Russian soldier in the Russian-annexed Crimean peninsula.", gz)]
    assert "Autonomous Republic of Crimea" in names, names


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("У Києві ППО збивала дрони всю ніч.", "Kyiv"),  # ППО: air defence
        ("В Харькове ПВО работала по беспилотникам.", "Kharkiv"),
        ("У Сумах ДСНС гасили пожежу.", "Sumy"),  # ДСНС: the emergency service
    ],
)
def test_an_acronym_after_a_town_is_not_part_of_its_name(gz, caption, town) -> None:
    # Acronyms are written in capitals, names in a capital and small letters: "Києві ППО" is two words.
    assert town in [p.name for p in _caption_places(caption, gz)]


def test_a_name_found_only_far_from_the_captions_towns_may_be_a_place_beside_them(blank, tmp_path) -> None:
    # Every "Arcadia" the gazetteer holds is in the Americas or Greece; a Ukrainian post about Lviv
    # that says its photo is "from Arcadia" may mean a part of Lviv or a place by it that the
    # gazetteer lacks: the analyst is shown that place beside the towns abroad.
    e = _estimate(blank, "Вибухи у Львові вночі. Фото з Аркадії.", tmp_path)
    beside = [a for a in e["alternatives"] if haversine_km(a["lat"], a["lon"], 49.84, 24.03) <= a["radius_km"] <= 60]
    assert len(beside) == 1 and beside[0]["probability"] >= 0.1 and "gazetteer lacks" in beside[0]["explanation"], e
    assert e["probability"] + sum(a["probability"] for a in e["alternatives"]) <= 1.0 + 1e-9
    assert e["confidence"] < 0.2  # below a caption's naming a town of its own


@pytest.mark.parametrize(
    ("caption", "city"),
    [
        ("Photo from Paris. Kyiv is under attack.", (48.86, 2.35)),
        ("Біженці з Харкова у Берліні.", (52.52, 13.40)),
        ("Протест у Києві, фото зі Стокгольма.", (59.33, 18.07)),
        # where journalists checked it is not where anything happened
        ("The footage from Kaltan was verified by Meduza journalists working in Warsaw.", (53.52, 87.28)),
    ],
)
def test_a_town_abroad_stays_the_answer_beside_the_captions_towns(blank, tmp_path, caption, city) -> None:
    # A city abroad is named far more often than a place of its name the gazetteer lacks, and a town
    # named only as where something was said is not where such a place may lie.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *city) < 25, e
    assert not any("gazetteer lacks" in a["explanation"] for a in e["alternatives"]), e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("В Белгороде Гладков объявил эвакуацию.", "Belgorod"),
        ("У Харкові Синєгубов повідомив про вибухи.", "Kharkiv"),
        ("In Kyiv Zelensky met the Polish prime minister.", "Kyiv"),  # not Poland, named after
        ("В Нижнем Новгороде Никитин провёл совещание.", "Nizhniy Novgorod"),
    ],
)
def test_a_name_after_a_town_is_not_part_of_the_towns_name(blank, tmp_path, caption, town) -> None:
    # News names who acted right after where: "Белгороде Гладков" names nothing, "Белгороде" the city.
    e = _estimate(blank, caption, tmp_path)
    assert e is not None and town in e["explanation"], e


@pytest.mark.parametrize("caption", ["Вибухи у Новій Каховці.", "Пожар в Великих Луках.", "Бої у Великій Новосілці."])
def test_a_town_of_two_words_is_read_whole(gz, caption) -> None:
    towns = [p for p in _caption_places(caption, gz) if p.kind == "city"]
    assert len(towns) == 1 and " " in towns[0].name, towns


@pytest.mark.parametrize(
    ("written", "town"),
    [
        ("Каменске-Шахтинском", "Каменск-Шахтинский"),  # a noun, then its adjective
        ("Каменске-Уральском", "Каменск-Уральский"),
        ("Николаевске-на-Амуре", "Николаевск-на-Амуре"),  # a noun, then its river as written
    ],
)
def test_a_hyphenated_town_is_put_in_the_nominative_part_by_part(written, town) -> None:
    assert town in dictionary_forms(written, "в")


def test_a_hyphenated_town_in_a_caption_is_found(gz) -> None:
    assert "Kamensk-Shakhtinsky" in [p.name for p in _caption_places("Взрывы в Каменске-Шахтинском.", gz)]


@pytest.mark.parametrize(
    ("caption", "city"),
    [
        ("Удары по Харькову и Одессе. На фото — Одесса.", (46.48, 30.73)),
        ("Explosions in Kyiv and Lviv. In the photo: Lviv.", (49.84, 24.03)),
        ("Атака на Київ та Львів. На знімку — Львів, вулиця Городоцька.", (49.84, 24.03)),
    ],
)
def test_a_label_of_what_the_photo_shows_names_its_place(blank, tmp_path, caption, city) -> None:
    # The caption names two cities struck; the label after it says which one the photo shows.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *city) < 25, e


def test_a_photo_credit_is_not_what_the_photo_shows(gz) -> None:
    # "Фото: Суспільне Суми" credits the Sumy office of the public broadcaster.
    assert _caption_places("Фото: Суспільне Суми", gz) == []


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Fighting in the Zaporizhzhia region's Polohy district.", (47.48, 36.25)),
        ("Бої в Пологівському районі Запорізької області.", (47.48, 36.25)),  # Пологи, a plural name
        ("У Лозівському районі вибухи.", (48.89, 36.32)),  # Лозова
    ],
)
def test_a_district_is_found_by_its_town(blank, tmp_path, caption, town) -> None:
    # A district is named after its town ("Пологівський" after Пологи) and a region's possessive
    # ("the Zaporizhzhia region's") is the region's, not the city's of that name 100 km away.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25, e


@pytest.mark.parametrize(
    ("caption", "town"),
    [("Часів Яр.", "Chasiv Yar"), ("Часів Яр — Донбас.", "Chasiv Yar"), ("Красный Луч сегодня.", "Khrustalnyi")],
)
def test_a_name_of_everyday_words_is_a_name_when_written_as_one(gz, caption, town) -> None:
    # "часів" (of hours) and "яр" (a ravine) are words; "Часів Яр" written so is the town, and the
    # shorter "Яр" read only if it named nothing does not make the whole a word.
    assert town in [p.name for p in _caption_places(caption, gz)]


@pytest.mark.parametrize(
    ("caption", "names"),
    [
        ("Наша Ніва паведаміла пра затрыманні.", []),  # a Belarusian newspaper, then "reported"
        ("Главком повідомляє про обстріл Сум.", ["Sumy"]),
        ("У Харкові повідомили про вибухи.", ["Kharkiv"]),  # where it was reported is where it happened
        ("Жители Энгельса сообщают о взрывах.", ["Engels"]),  # residents report where they live
        ("Мешканці Сум повідомляють про вибухи.", ["Sumy"]),
    ],
)
def test_a_name_before_a_reporting_verb_is_who_said_it(gz, caption, names) -> None:
    assert [p.name for p in _caption_places(caption, gz) if p.kind == "city"] == names


@pytest.mark.parametrize(
    ("caption", "town"),
    [("Гуляйполе, Запорізька обл.", (47.66, 36.26)), ("Курская обл., Суджанский р-н.", (51.19, 35.27))],
)
def test_abbreviated_region_and_district_nouns_are_read(blank, tmp_path, caption, town) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25 and e["probability"] in (None, pytest.approx(1.0, abs=0.05)), e


def test_a_name_found_only_far_and_small_is_likeliest_a_place_beside_the_captions_town(blank, tmp_path) -> None:
    # "Текстильщик" is a quarter of Donetsk the gazetteer lacks; the one place so called that it
    # holds is a Russian village far from Ukraine: the quarter by Donetsk is the likelier answer.
    e = _estimate(blank, "Взрывы в Донецке. Фото с Текстильщика.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.02, 37.80) <= e["radius_km"] <= 60, e
    assert "gazetteer lacks" in e["explanation"] and 0.5 < e["probability"] < 0.9, e
    assert any(haversine_km(a["lat"], a["lon"], 48.02, 37.80) > 500 for a in e["alternatives"]), e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        (
            "Fighting on the Velyka Novosilka front.",
            "Velyka Novosilka",
        ),  # in English the words before "front" are one name
        ("Бої на Великоновосілківському напрямку.", "Velyka Novosilka"),  # one adjective of a two-word town
        ("Обстріл Новокаховської громади.", "Nova Kakhovka"),
        ("Удар по Великобурлуцькій громаді.", "Velykyi Burluk"),  # к becomes ц in the adjective
    ],
)
def test_the_adjective_of_a_town_of_two_words_names_it(gz, caption, town) -> None:
    assert town in [p.name for p in _caption_places(caption, gz)]


@pytest.mark.parametrize(
    ("caption", "names"),
    [
        ("Освобожден населенный пункт Урожайное Донецкой Народной Республики.", ["Urozhaine", "Donetsk Oblast"]),
        ("Бои в Донецкой Народной Республике.", ["Donetsk Oblast"]),  # the region alone stays whole
    ],
)
def test_a_town_before_a_region_written_in_capitals_is_a_name_of_its_own(gz, caption, names) -> None:
    assert [p.name for p in _caption_places(caption, gz)] == names


@pytest.mark.parametrize(
    ("caption", "names"),
    [
        ("Мер Дніпра Філатов показав наслідки прильоту.", ["Dnipro"]),
        ("Мэр Москвы Собянин сообщил о сбитом дроне.", ["Moscow"]),
        ("The mayor of Kharkiv Ihor Terekhov said three people were injured.", ["Kharkiv"]),
        ("Голова Харківської ОВА Синєгубов повідомив про вибухи.", ["Kharkiv Oblast"]),  # the region's administration
        ("Губернатор Гладков показал последствия.", []),  # an office and a man, no place
    ],
)
def test_the_town_of_an_office_is_read_before_its_holders_name(gz, caption, names) -> None:
    assert [p.name for p in _caption_places(caption, gz) if p.kind in ("city", "admin1")] == names


def test_caption_facts_built_by_hand_without_what_they_place_are_read(gz) -> None:
    # ContextFacts is a public record: facts built without ``placed`` must not fail a zip over
    # their mentions; their mentions then place nothing, and the name still gives its place.
    from geoloc.infer import infer
    from geoloc.model import ContextFacts, Mention, Metadata

    facts = ContextFacts(
        mentions=(Mention(readings=("Аркадія",), kind="context"), Mention(readings=("Одеса",), kind="context")),
        text="Одеса. Аркадія.",
    )
    e = infer([], Metadata(), facts, gz).estimate
    assert e is not None and e.basis == "context"


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Explosions in Alexandria, Kirovohrad region.", (48.67, 33.12)),  # Oleksandriia, not Egypt's
        ("Золочів Харківської області знову під обстрілом.", (50.28, 35.98)),
    ],
)
def test_a_region_written_right_after_a_town_leaves_its_namesakes_elsewhere_out(blank, tmp_path, caption, town) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25 and not e["alternatives"], e


@pytest.mark.parametrize(
    ("caption", "places"),
    [
        # A city written after a name as an address writes it: the name is a part of the city the
        # gazetteer does not hold, not a namesake abroad (Arcadia, California)
        ("Відпочивальники на пляжі в Аркадії, Одеса.", ["Odesa"]),
        ("Destroyed building in Arcadia, Odesa.", ["Odesa"]),
        ("Destroyed building in Arcadia (Odesa).", ["Odesa"]),
        ("Smoke rises over Arcadia beach, Odesa.", ["Odesa"]),  # English puts the part's noun after its name
        ("Destroyed building in Arcadia, Odesa, Ukraine.", ["Odesa", "Ukraine"]),
        # a part the gazetteer holds is kept: it is what the city's namesake choice is about
        ("Наслідки удару по Салтівці, Харків.", ["Saltivka", "Kharkiv"]),
        # a list is no address: each of its items stays, whatever country it is in
        ("Explosions in Warsaw, Kyiv and Berlin.", ["Warsaw", "Kyiv", "Berlin"]),
        ("Вибухи у Варшаві, Києві та Берліні.", ["Warsaw", "Kyiv", "Berlin"]),
        ("Explosions in Lviv, Warsaw, Kyiv.", ["Lviv", "Warsaw", "Kyiv"]),
        # a town of the city's own country is its neighbour, not its part
        ("Shelling in Sumy, Kharkiv.", ["Sumy", "Kharkiv"]),
    ],
)
def test_a_name_written_before_a_city_as_in_an_address_is_a_part_of_it(gz, caption, places) -> None:
    assert [p.name for p in _caption_places(caption, gz)] == places


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("ВИБУХИ В ОДЕСІ", "Odesa"),
        ("ВЗРЫВЫ В БЕЛГОРОДЕ", "Belgorod"),
        ("EXPLOSIONS IN KHARKIV", "Kharkiv"),
        # no location word: the headline's leading words are read, as a name is written
        ("ХАРКІВ ПІСЛЯ НІЧНОЇ АТАКИ", "Kharkiv"),
        ("НОВА КАХОВКА ПІСЛЯ ПІДРИВУ ДАМБИ", "Nova Kakhovka"),  # not Damba in Angola
        ("KHARKIV AFTER THE ATTACK", "Kharkiv"),
        # other small words are capitals too: the name after them is a name of its own
        ("SMOKE OVER DZHANKOI: CRIMEA'S KEY RAIL JUNCTION HIT AGAIN", "Dzhankoy"),
        ("SMOKE OVER KHARKIV AFTER THE NIGHT ATTACK", "Kharkiv"),
        ("ДИМ НАД ДЖАНКОЄМ", "Dzhankoy"),
        ("УДАР ПО ХАРКОВУ", "Kharkiv"),
        ("ВЗРЫВЫ НАД ОДЕССОЙ", "Odesa"),
        ("Smoke Over Kyiv After Night Attack", "Kyiv"),  # a headline in title case
    ],
)
def test_a_caption_in_capitals_keeps_its_location_words(gz, caption, town) -> None:
    # Written all in capitals, the location word is a capital word too, not part of the name after it.
    assert [p.name for p in _caption_places(caption, gz)][:1] == [town]


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Funeral in Lviv of a soldier killed near Bakhmut.", (49.84, 24.03)),
        ("Mourners in Ivano-Frankivsk bury a medic who died near Avdiivka.", (48.92, 24.71)),
        ("У Львові попрощалися з воїном, який загинув під Бахмутом.", (49.84, 24.03)),
        ("В Екатеринбурге похоронили военного, погибшего под Авдеевкой.", (56.84, 60.61)),
        ("В Житомирі провели в останню путь бійця, що загинув біля Авдіївки.", (50.25, 28.66)),  # the idiom
        # a birthplace, whatever the other place is: a town or a region
        ("A soldier born in Odesa trains in Chernihiv.", (51.50, 31.29)),
        ("Уроженец Кемерово проходит службу в Херсонской области.", (46.67, 33.60)),
    ],
)
def test_where_a_person_was_born_or_died_is_not_where_the_photo_is(blank, tmp_path, caption, town) -> None:
    # A funeral's photo is of the funeral, not of where the soldier fell; a birthplace is a past.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 60 and not e["alternatives"], e


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("Speaking in Kyiv, the minister visited Chernihiv region.", "Chernihiv Oblast"),
        ("Smoke over a field in the Kursk region. Kyiv has not commented.", "Kursk Oblast"),
        ("Fighting continues in the Luhansk region, Moscow claims.", "Luhansk Oblast"),
        ("Lviv volunteers deliver aid in the Kherson region.", "Kherson Oblast"),
    ],
)
def test_a_town_outside_the_region_the_caption_puts_the_photo_in_is_not_narrower(blank, tmp_path, caption, region):
    # A town is narrower than a region only when it lies in it or the caption ties it to the photo alike.
    e = _estimate(blank, caption, tmp_path)
    assert region in e["explanation"] and not e["alternatives"], e


def test_a_town_inside_the_region_the_caption_names_is_the_narrower_answer(blank, tmp_path) -> None:
    e = _estimate(blank, "Journalists in Kramatorsk, Donetsk region, said the strike hit the city.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.72, 37.56) < 25, e


@pytest.mark.parametrize("mark", ["`", "´", "ʼ", "’"])
def test_any_mark_typed_for_an_apostrophe_keeps_a_name_one_word(blank, tmp_path, mark) -> None:
    e = _estimate(blank, f"Наслідки удару в Кам{mark}янському", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 48.51, 34.61) < 25, e  # Kamianske


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("У Першотравневому районі Маріуполя", (47.10, 37.54)),  # not Pershotravneve, now Manhush, 20 km off
        ("A strike on the Shevchenkivskyi district of Kharkiv", (49.99, 36.23)),  # not Kyiv's district
        ("A strike on the Kyivskyi district of Kharkiv", (49.99, 36.23)),  # not Donetsk's
        ("Взрыв в Центральном районе Донецка", (48.02, 37.80)),  # not St Petersburg's
        # a district named after a town: the district the gazetteer knows, or the town
        ("Вибух у Голосіївському районі Києва", (50.45, 30.52)),
        ("Удар по Київському району Харкова", (49.99, 36.23)),
        ("Обломки упали в Раменском районе Подмосковья.", (55.56, 38.24)),
        ("В Суджанском районе Курской области", (51.19, 35.27)),
        ("Обстріл у Покровському районі Донеччини", (48.28, 37.18)),
    ],
)
def test_a_district_of_a_city_is_in_that_city(blank, tmp_path, caption, town) -> None:
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 15 and e["probability"] in (None, pytest.approx(1.0, abs=0.1)), e


@pytest.mark.parametrize("street", ["street", "Street", "Avenue"])
def test_a_streets_name_before_street_is_not_a_place(gz, street) -> None:
    # Khreshchatyk is Kyiv's main street, and a village in Chernivtsi Oblast.
    assert [p.name for p in _caption_places(f"Explosion on Khreshchatyk {street} in Kyiv", gz)] == ["Kyiv"]


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("В Крыму сбиты беспилотники", "Autonomous Republic of Crimea"),
        ("Взрыв в Республике Крым", "Autonomous Republic of Crimea"),
        ("Беспилотники уничтожены над территорией Республики Крым", "Autonomous Republic of Crimea"),
        ("В Республике Башкортостан прошли учения", "Bashkortostan Republic"),
    ],
)
def test_a_republic_is_found_by_the_name_after_its_noun(gz, caption, region) -> None:
    assert [p.name for p in _caption_places(caption, gz)] == [region]


def test_a_headline_in_capitals_opening_with_an_office_reads_the_offices_town(gz) -> None:
    # The title's town is read after the title, in capitals as in small letters.
    assert [p.name for p in _caption_places("МЭР МОСКВЫ СОБЯНИН СООБЩИЛ ОБ АТАКЕ", gz)][:1] == ["Moscow"]


@pytest.mark.parametrize(
    "credit",
    ["(Photo by Roman PILIPEY / AFP)", "REUTERS/Roman Petushkov", "(AP Photo/Roman Hrytsyna)", "Video by Roman Kyiv"],
)
def test_a_photographers_credit_names_no_place(gz, credit) -> None:
    # Roman is a town in Romania; the photographer's first name is not where the photo was taken.
    names = [p.name for p in _caption_places(f"Ukrainian soldiers ride a tank in the Sumy region. {credit}", gz)]
    assert "Sumy Oblast" in names and set(names) <= {"Sumy Oblast", "Ukraine"}, names  # "Ukrainian": whose


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("A drone hit a house in the Kursk region, Governor Khinshtein said in Moscow.", "Kursk Oblast"),
        ("Speaking in Moscow, Putin said troops advanced in the Donetsk region.", "Donetsk Oblast"),
        ("Shelling in the Kherson region left three injured, officials in Kyiv said.", "Kherson Oblast"),
        ("Officials in Kyiv said shelling in the Kherson region left three injured.", "Kherson Oblast"),
    ],
)
def test_in_the_region_places_the_photo_and_where_it_was_said_does_not(blank, tmp_path, caption, region) -> None:
    # "in the Kursk region" is a location word before a region's name, "the" between them; a
    # town named beside a reporting verb is where it was said.
    e = _estimate(blank, caption, tmp_path)
    assert region in e["explanation"] and not e["alternatives"], e


@pytest.mark.parametrize(
    ("caption", "regions"),
    [
        (
            "Средствами ПВО уничтожены 15 БПЛА над территорией Брянской, Курской и Белгородской областей.",
            ["Bryansk Oblast", "Kursk Oblast", "Belgorod Oblast"],
        ),
        (
            "Drones were shot down over the Bryansk, Kursk and Belgorod regions.",
            ["Bryansk Oblast", "Kursk Oblast", "Belgorod Oblast"],
        ),
        ("Дрони атакували Сумську та Харківську області.", ["Sumy Oblast", "Kharkiv Oblast"]),
    ],
)
def test_regions_listed_before_one_plural_noun_are_each_where_the_photo_may_be(blank, tmp_path, caption, regions):
    # Not the city of Bryansk, nor the first region alone: any of them, all of them drawn.
    e = _estimate(blank, caption, tmp_path)
    assert all(r in e["explanation"] for r in regions) and e["radius_km"] > 200, e


def test_the_minsk_region_is_the_oblast_about_the_city_not_the_city(blank, tmp_path) -> None:
    # Barysaw lies in Minsk Oblast (BY.05), not in the city of Minsk (BY.04).
    e = _estimate(blank, "Residents of Barysaw in the Minsk region queued for water.", tmp_path)
    assert haversine_km(e["lat"], e["lon"], 54.23, 28.51) < 15, e
    e = _estimate(blank, "Вибух у Мінській області", tmp_path)
    assert "Minsk Region" in e["explanation"] and e["radius_km"] > 100, e


@pytest.mark.parametrize(
    ("caption", "region"),
    [
        ("Shelling in the Lugansk region overnight.", "Luhansk Oblast"),
        ("Shelling of Kharkov oblast overnight.", "Kharkiv Oblast"),
        ("A strike in the Zaporozhye region.", "Zaporizhzhia Oblast"),
        ("Drones over the Kiev region.", "Kyiv Oblast"),  # the oblast about the city, not the city
    ],
)
def test_a_region_named_by_its_centres_russian_name_is_found(gz, caption, region) -> None:
    assert [p.name for p in _caption_places(caption, gz)] == [region]


@pytest.mark.parametrize(
    "caption",
    [
        "Ukrainian soldiers near Kupiansk, in the Kharkiv region, on Tuesday. Moscow claims to have taken the town.",
        "Ukrainian soldiers near Kupiansk, in the Kharkiv region. Moscow says its troops have taken the town.",
    ],
)
def test_a_capital_that_claims_or_says_is_where_it_was_said(blank, tmp_path, caption) -> None:
    # "taken" is also a photo word ("the photo was taken"); Moscow here is who claims.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], 49.72, 37.61) < 25, e


@pytest.mark.parametrize(
    ("caption", "names"),
    [
        ("Strike Kharkiv", ["Kharkiv"]),
        ("Explosions Kyiv overnight", ["Kyiv"]),
        ("Обстріли Херсонщини та Миколаївщини тривають.", ["Kherson Oblast", "Mykolaiv Oblast"]),
    ],
)
def test_a_headlines_first_event_word_is_the_word_before_its_place(blank, tmp_path, caption, names) -> None:
    # Capitalised as the sentence's first word, "Обстріли" (shelling) is still no part of the name.
    e = _estimate(blank, caption, tmp_path)
    assert all(n in e["explanation"] for n in names), e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Обстріл Нікопольської міської громади", (47.57, 34.39)),
        ("Ворог атакував Сумську міську територіальну громаду", (50.92, 34.80)),
        ("Обстрелу подвергся Шебекинский городской округ", (50.41, 36.93)),
    ],
)
def test_a_community_named_with_its_kind_is_found_by_its_town(blank, tmp_path, caption, town) -> None:
    # "міської" (urban), "територіальної", "городской" stand between the town's adjective and the noun.
    e = _estimate(blank, caption, tmp_path)
    assert haversine_km(e["lat"], e["lon"], *town) < 25, e


@pytest.mark.parametrize(
    ("caption", "point"),
    [
        # a town's adjective before one of its institutions, words that qualify it between them
        ("Сумська міська лікарня.", (50.91, 34.80)),  # a hospital is no office, but stands in Sumy
        ("Глядачі виходять з Полтавського академічного театру.", (49.59, 34.55)),
        ("Студенти Запорізького національного університету в укритті.", (47.84, 35.14)),
        ("Пожар на Саратовском нефтеперерабатывающем заводе.", (51.53, 46.03)),
        ("Выставка в Брянском краеведческом музее.", (53.25, 34.37)),
        ("Новый вольер в Ростовском зоопарке.", (47.23, 39.72)),
        # in English, the town's name before the institution's nouns
        ("Poltava Academic Theatre reopened after repairs.", (49.59, 34.55)),
        ("Zaporizhzhia National University students in a shelter.", (47.84, 35.14)),
        ("Smoke over Kremenchuk Oil Refinery Plant after the attack.", (49.07, 33.42)),
        ("Rostov Zoo keepers with a new lion cub.", (47.23, 39.72)),
        ("Луцький замок відкрили для відвідувачів.", (50.75, 25.34)),  # a town's castle or kremlin
        ("Студенти Дніпровської політехніки в укритті.", (48.46, 35.05)),  # Дніпро, with a "в" put in
        ("Вибухи у Дніпровському районі Києва.", (50.45, 30.52)),  # the city's district named after the river
        ("Туристы у стен Новгородского кремля.", (58.52, 31.27)),
        ("Sumy State Pedagogical University students.", (50.91, 34.80)),  # its town, not its region
        # a town spelled as an adjective's form, then a preposition and a noun that agrees: no institution
        ("Тривога у Краматорську в п'ятницю вранці.", (48.72, 37.56)),
        ("Беспилотник сбит около Брянска у границы.", (53.25, 34.37)),
    ],
)
def test_an_institution_named_after_its_town_names_the_town(gz, caption, point) -> None:
    e = _caption_estimate(caption)
    assert e is not None and haversine_km(e.lat, e.lon, *point) < 25, e


@pytest.mark.parametrize(
    "caption",
    [
        "Пассажиры на Курском железнодорожном вокзале.",  # Moscow's station for trains to Kursk
        "Rehearsal at the Mariinsky Theatre.",  # Mariinsky is no town's name here
    ],
)
def test_an_institution_named_after_no_town_or_another_names_none(gz, caption) -> None:
    e = _caption_estimate(caption)
    kursk = (51.73, 36.19)
    assert e is None or haversine_km(e.lat, e.lon, *kursk) > 100, e


def test_an_institutions_leading_word_names_a_town_not_a_hamlet(gz) -> None:
    # "Bolshoi" (big) spells Bol'shoy, a Russian hamlet of no known size: a theatre stands in a town
    assert [p.name for p in gz.search("Bolshoi", limit=3, fuzzy=False)][:1] == ["Bol’shoy"]
    assert _caption_estimate("Premiere at the Bolshoi Drama Theatre.") is None


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # a plain adjective that opens a sentence before its noun: no town, whichever spells it
        ("Пограничный пункт закрыт на ремонт.", None),  # not Pogranichny, a town in Primorye
        ("Центральний ринок після обстрілу.", None),  # not Tsentralnyi, a village
        ("Центральний район Маріуполя після обстрілу.", (47.10, 37.55)),  # the city after it
        ("Запорізький напрямок: бої тривають.", (47.84, 35.14)),  # a town's adjective keeps its rule
        ("Бои под Брянском в ночь на среду.", (53.25, 34.37)),  # a town spelled as an adjective, "в" no noun
    ],
)
def test_a_plain_adjective_opening_a_sentence_names_no_town(gz, caption, town) -> None:
    e = _caption_estimate(caption)
    if town is None:
        assert e is None, e
    else:
        assert e is not None and haversine_km(e.lat, e.lon, *town) < 90, e


@pytest.mark.parametrize(
    ("caption", "point"),
    [
        # a capital named as its government, right before what it does in words, is no place
        ("A street in what Moscow calls Artyomovsk.", (48.59, 38.00)),  # Bakhmut
        ("Destroyed houses in what Kyiv calls Pokrovsk.", (48.28, 37.18)),
        ("Зруйнований міст у місті, яке Москва називає Артемівськом.", (48.59, 38.00)),
    ],
)
def test_a_capital_naming_a_place_is_its_government(gz, caption, point) -> None:
    e = _caption_estimate(caption)
    assert e is not None and haversine_km(e.lat, e.lon, *point) < 25, e


@pytest.mark.parametrize(
    ("caption", "point"),
    [
        # "in the centre of", "on the outskirts of", "в центрі": where, as "in" is
        ("Protesters gathered in the centre of Minsk. Smaller rallies took place in Grodno.", (53.90, 27.56)),
        ("Smoke rose on the outskirts of Kharkiv. Sirens also sounded in Poltava.", (49.99, 36.23)),
        ("Вибухи пролунали в центрі Одеси. Тривога також тривала у Миколаєві.", (46.48, 30.73)),
    ],
)
def test_the_centre_or_the_outskirts_of_a_town_is_where(gz, caption, point) -> None:
    e = _caption_estimate(caption)
    assert e is not None and haversine_km(e.lat, e.lon, *point) < 25, e


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        # a headline or a dateline on a line of its own, the post's first line
        ("KHARKIV\nFirefighters battle a blaze at a printing house hit by two missiles", "Kharkiv"),
        ("Рівне\nСвітло повернулося не всім: черги біля пункту незламності", "Rivne"),
        ("Шебекино\nЖители возвращаются в город после обстрелов", "Shebekino"),
        # a bar between a headline's parts
        ("Odesa | Port infrastructure damaged overnight", "Odesa"),
    ],
)
def test_a_place_on_a_line_of_its_own_is_named_alone(gz, caption, town) -> None:
    """Run into the next line, the place and that line's first word made one phrase naming
    nothing ("KHARKIV Firefighters", "Рівне Світло"), and the caption gave no place."""
    e = _caption_estimate(caption)
    assert _km_from_town(e, town, gz) < 25, e


@pytest.mark.parametrize(
    "caption",
    [
        "Унаслідок обстрілу пошкоджено кілька будинків у\nНікополі, повідомив голова ОВА.",
        "Спасатели разбирают завалы дома, в который попала ракета\nночью в Днепре.",
        "Rescuers searched the rubble on the outskirts of\nKramatorsk, Donetsk region,\non Friday.",
    ],
)
def test_prose_wrapped_by_hand_stays_one_sentence(caption) -> None:
    """A line break mid-sentence (before a small word, after one, after a comma) parts nothing:
    a location word and its name stay in one sentence."""
    from geoloc.read.mentions import context_facts, sentences

    assert len(sentences(context_facts(caption).text)) == 1


def test_a_blank_line_parts_sentences() -> None:
    from geoloc.read.mentions import context_facts, sentences

    text = context_facts("Удар по місту у\n\nХарків після атаки").text
    assert sentences(text) == ["Удар по місту у", "Харків після атаки"]


def test_an_everyday_word_names_a_region_only_as_the_region_spells_it(gz) -> None:
    """ "More" is Møre og Romsdal's "Møre" with its letter folded: a sentence about the photos
    ("More photos in the comments") put the estimate in Norway, 2,300 km from the town named."""
    e = _caption_estimate("Mykolaiv. A crater left by a missile in a courtyard. More photos in the comments")
    assert _km_from_town(e, "Mykolaiv", gz) < 25, e
    # a region's name spelled as the region spells it, or romanised, still names it
    assert _caption_places("Прикордонники на кордоні з Білоруссю на Волині.", gz)[0].name == "Volyn Oblast"


@pytest.mark.parametrize(
    ("caption", "town"),
    [
        ("Видео снято не в Курске, а в Харькове — узнаётся здание облгосадминистрации.", "Kharkiv"),
        ("Це не Одеса, а Миколаїв: видно Інгульський міст.", "Mykolaiv"),
        ("The video was not filmed in Bakhmut, but in Marinka.", "Mar'yinka"),
        # a correction ("насправді", "actually") puts right what was claimed
        ("Пропагандисти видають це за Харків, але насправді це Бєлгород.", "Belgorod"),
    ],
)
def test_a_place_the_photo_is_said_not_to_be_at_is_not_its_place(gz, caption, town) -> None:
    """A fact-check names the claimed place first; the photo and location words before it ("снято
    не в Курске") had tied it to the photo, 190 km from where it was taken."""
    e = _caption_estimate(caption)
    assert _km_from_town(e, town, gz) < 25, e


def test_a_negation_elsewhere_in_the_sentence_denies_no_place(gz) -> None:
    """Only a name the negation stands right before, or before its location word or the photo's
    taking, is denied; not one where something was not done."""
    for caption, town in (
        ("Russian forces have not taken Bakhmut, the commander in Kramatorsk said.", "Bakhmut"),
        ("Soldiers who did not sleep in Avdiivka for three days, officials in Kyiv said.", "Avdiivka"),
    ):
        e = _caption_estimate(caption)
        assert _km_from_town(e, town, gz) < 25, (caption, e)


@pytest.mark.parametrize(
    "caption",
    [
        "Бахмутское направление\nПозиции под Клещеевкой",
        "Позиции под Клещеевкой\n#Бахмут",
        "Бахмут. Позиции под Клещеевкой",
    ],
)
def test_a_dateline_holds_the_namesakes_of_the_post(gz, caption) -> None:
    """A headline or dateline naming a town says where the whole post is: "под Клещеевкой" is
    Klishchiivka by Bakhmut, not Kleshchevka in the Saratov region, which had kept 38%."""
    e = _caption_estimate(caption)
    assert _km_from_town(e, "Bakhmut", gz) < 15, e
    assert not e.alternatives, e.alternatives


@pytest.mark.parametrize(
    "caption", ["Наслідки повені в іспанській Валенсії.", "Последствия наводнения в испанской Валенсии."]
)
def test_a_countrys_adjective_before_a_town_says_which_namesake(gz, caption) -> None:
    """Ukrainian and Russian write "in Spanish Valencia" for Valencia in Spain: the larger
    Valencia in Venezuela had been the answer, 7,400 km off."""
    e = _caption_estimate(caption)
    assert e is not None and haversine_km(e.lat, e.lon, 39.47, -0.38) < 25, e


def test_a_countrys_adjective_before_a_thing_names_no_place(gz) -> None:
    """ "Американські HIMARS": the adjective qualifies a weapon, and the caption's place stays."""
    e = _caption_estimate("Американські HIMARS на позиціях під Бахмутом.")
    assert _km_from_town(e, "Bakhmut", gz) < 25, e


@pytest.mark.parametrize(
    ("caption", "lat", "lon", "km"),
    [
        # the name holds the possessive: the city or its district, not Bazar-Korgon in Kyrgyzstan
        ("Rohingya refugees queue for food at a camp in Cox's Bazar, Bangladesh.", 21.44, 92.01, 50),
        # a country's possessive before a name is read apart from it, as before
        ("Rescuers in Ukraine's Kharkiv after the strike.", 49.99, 36.23, 25),
        ("Smoke over a field in Russia's Kursk region.", 51.7, 36.2, 150),
    ],
)
def test_a_name_may_hold_a_possessive(caption, lat, lon, km) -> None:
    e = _caption_estimate(caption)
    assert e is not None and haversine_km(e.lat, e.lon, lat, lon) < km, e


@pytest.mark.parametrize(
    ("caption", "city"),
    [
        ("Будівля Миколаївської ОДА після ракетного удару 29 березня.", "Mykolaiv"),
        ("Здание Харьковской облгосадминистрации после ракетного удара 1 марта.", "Kharkiv"),
        ("Firefighters outside Mykolaiv Regional Administration, hit by a cruise missile.", "Mykolaiv"),
        ("The Mykolaiv Regional Administration building after the strike.", "Mykolaiv"),
    ],
)
def test_a_regional_offices_building_is_in_its_city(gz, caption, city) -> None:
    """The building stands in the city the region is named after: the region's middle had been the
    answer, 46-56 km from it."""
    e = _caption_estimate(caption)
    assert _km_from_town(e, city, gz) < 25, e


@pytest.mark.parametrize(
    "caption",
    [
        "Про обстріл повідомили в Харківській ОВА.",
        "Kharkiv Regional Military Administration said villages were shelled.",
    ],
)
def test_a_regional_office_that_reports_speaks_for_its_region(gz, caption) -> None:
    places = _caption_places(caption, gz)
    assert places and places[0].kind == "admin1" and places[0].name == "Kharkiv Oblast", places


@pytest.mark.parametrize(
    ("caption", "lat", "lon"),
    [
        ("Kharkiv Metro Station Used As Shelter", 49.99, 36.23),
        ("Power Outages Hit Odesa As Winter Sets In", 46.48, 30.73),
        ("Walking Tour Of Lviv Old Town", 49.84, 24.03),
        ("New York Skyline At Night", 40.71, -74.01),
        # a lone everyday word of the run is no name: not Sparks, Nevada
        ("Drone Attack Sparks Fire At Oil Depot Near Rostov", 47.23, 39.72),
        # a credit is all names, and no headline: its case still tells them
        ("Smoke rises over Soligorsk, Belarus, on 24 February. Photo: Sergei Korolev/RIA Novosti", 52.79, 27.54),
        ("Smoke rises over Tokmak, Ukraine, on Monday morning. Photo: Ivan Fedorov/Reuters", 47.26, 35.71),
    ],
)
def test_a_headline_in_title_case_names_its_place(caption, lat, lon) -> None:
    """English headlines and video titles capitalise every word, so a name ran into the words
    around it ("Kharkiv Metro Station Used") and nothing was named."""
    e = _caption_estimate(caption)
    assert e is not None and haversine_km(e.lat, e.lon, lat, lon) < 30, e
