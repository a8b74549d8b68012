"""The proof's labels in English, Ukrainian and Russian: a message catalogue keyed by the English text.

Many analysts publish in Ukrainian or Russian, so every label the proof draws or writes is looked
up here. This is gettext's model (the English message is the key, a missing translation falls
back to it) without gettext's machinery: compiled ``.mo`` files would need ``msgfmt`` or Babel at
build time and package data to ship, for some sixty strings that fit in one reviewable module.
Messages with fields use ``str.format`` names, and each translation keeps the same fields (a test
checks it). Place names, area names and geoloc's own explanation of an estimate stay as the
report holds them: they are data, not labels.
"""

from __future__ import annotations

from collections.abc import Callable

UI_LANGUAGES = ("en", "uk", "ru")
"""The label languages ``--lang-ui`` offers; English is the default and the catalogue's key."""

Translate = Callable[..., str]
"""``t(message, **fields)``: the message in the chosen language, its fields filled in."""

CATALOGUE: dict[str, dict[str, str]] = {
    "uk": {
        "Proof of location: {photo}": "Доказ місця зйомки: {photo}",
        "Estimate": "Оцінка",
        "Basis": "Підстава",
        "Confidence": "Достовірність",
        "Distances": "Відстані",
        "Evidence": "Докази",
        "Caption": "Підпис",
        "Metadata": "Метадані",
        "Conflicts": "Суперечності",
        "Or": "Або",
        "No location evidence: geoloc makes no estimate for this photo.": (
            "Немає доказів місця: geoloc не дає оцінки для цього фото."
        ),
        "{place} ({lat}, {lon}) ± {radius} km": "{place} ({lat}, {lon}) ± {radius} км",
        "({lat}, {lon}) ± {radius} km, probability {probability}": (
            "({lat}, {lon}) ± {radius} км, імовірність {probability}"
        ),
        "{confidence}: the camera was within {radius} km of this point with this probability": (
            "{confidence}: з такою імовірністю камера була в межах {radius} км від цієї точки"
        ),
        "{km} km from {name}": "{km} км від {name}",
        "inside {name}": "усередині: {name}",
        "{km} km by road": "{km} км дорогою",
        "and {n} more": "і ще {n}",
        "GPS {lat}, {lon} ({source})": "GPS {lat}, {lon} ({source})",
        "written location: {where} ({source})": "записане місце: {where} ({source})",
        # the rule that drew the estimate, as a sentence
        "the GPS position written in the file": "GPS-координати, записані у файлі",
        "where the road distances read on the signs meet": "там, де сходяться відстані, прочитані на дорожніх знаках",
        "within the road distance read on a sign": "у межах відстані, прочитаної на дорожньому знаку",
        "a direction sign: it says where the road goes, not where the camera is": (
            "знак напрямку: він показує, куди веде дорога, а не де стоїть камера"
        ),
        "the place's own sign read in the photo": "знак самого населеного пункту, прочитаний на фото",
        "the location written in the photo's metadata": "місце, записане в метаданих фото",
        "the caption alone": "лише підпис до фото",
        "distance signs that cannot all be true": "знаки з відстанями, які не можуть бути правдивими всі разом",
        "geoloc's explanation": "пояснення geoloc",
        # the map
        "estimate (centre and radius)": "оцінка (центр і радіус)",
        "another place the evidence allows": "інше місце, яке допускають докази",
        "candidate, score ≥ 0.66": "кандидат, оцінка ≥ 0,66",
        "candidate, score 0.33–0.66": "кандидат, оцінка 0,33–0,66",
        "candidate, score < 0.33": "кандидат, оцінка < 0,33",
        "where a road distance allows": "де це дозволяє відстань дорогою",
        "within {km} km of a reported area": "у межах {km} км від згаданої території",
        "reported country": "згадана країна",
        "reported region": "згадана область",
        "reported border": "згаданий кордон",
        "reported area": "згадана територія",
        "distance from the estimate to an area": "відстань від оцінки до території",
        "evidence read in the photo": "доказ, прочитаний на фото",
        "{km} km to {names}": "{km} км до: {names}",
        "{km} km": "{km} км",
        "N": "Пн",
        "Map: Natural Earth, GeoNames": "Карта: Natural Earth, GeoNames",
        "Natural Earth boundaries, Crimea as part of Ukraine.": "Кордони Natural Earth, Крим у складі України.",
        # the page and the record
        "Evidence at full resolution": "Докази в повній роздільності",
        "what was read": "що прочитано",
        "OCR confidence {confidence}": "впевненість OCR {confidence}",
        "score {score}": "оцінка {score}",
        "Record": "Запис",
        "input": "вхідний файл",
        "photo": "фото",
        "caption": "підпис",
        "area file": "файл території",
        "page or export": "сторінка або експорт",
        "Software": "Програми",
        "Data": "Дані",
        "Options": "Параметри",
        "Made (UTC)": "Створено (UTC)",
        "To check this proof, run": "Щоб перевірити цей доказ, виконайте",
    },
    "ru": {
        "Proof of location: {photo}": "Доказательство места съёмки: {photo}",
        "Estimate": "Оценка",
        "Basis": "Основание",
        "Confidence": "Достоверность",
        "Distances": "Расстояния",
        "Evidence": "Доказательства",
        "Caption": "Подпись",
        "Metadata": "Метаданные",
        "Conflicts": "Противоречия",
        "Or": "Или",
        "No location evidence: geoloc makes no estimate for this photo.": (
            "Нет данных о месте: geoloc не даёт оценки для этого фото."
        ),
        "{place} ({lat}, {lon}) ± {radius} km": "{place} ({lat}, {lon}) ± {radius} км",
        "({lat}, {lon}) ± {radius} km, probability {probability}": (
            "({lat}, {lon}) ± {radius} км, вероятность {probability}"
        ),
        "{confidence}: the camera was within {radius} km of this point with this probability": (
            "{confidence}: с такой вероятностью камера была в пределах {radius} км от этой точки"
        ),
        "{km} km from {name}": "{km} км от {name}",
        "inside {name}": "внутри: {name}",
        "{km} km by road": "{km} км по дороге",
        "and {n} more": "и ещё {n}",
        "GPS {lat}, {lon} ({source})": "GPS {lat}, {lon} ({source})",
        "written location: {where} ({source})": "записанное место: {where} ({source})",
        "the GPS position written in the file": "GPS-координаты, записанные в файле",
        "where the road distances read on the signs meet": (
            "там, где сходятся расстояния, прочитанные на дорожных знаках"
        ),
        "within the road distance read on a sign": "в пределах расстояния, прочитанного на дорожном знаке",
        "a direction sign: it says where the road goes, not where the camera is": (
            "указатель направления: он показывает, куда ведёт дорога, а не где стоит камера"
        ),
        "the place's own sign read in the photo": "знак самого населённого пункта, прочитанный на фото",
        "the location written in the photo's metadata": "место, записанное в метаданных фото",
        "the caption alone": "только подпись к фото",
        "distance signs that cannot all be true": "знаки с расстояниями, которые не могут быть верны все сразу",
        "geoloc's explanation": "объяснение geoloc",
        "estimate (centre and radius)": "оценка (центр и радиус)",
        "another place the evidence allows": "другое место, которое допускают данные",
        "candidate, score ≥ 0.66": "кандидат, оценка ≥ 0,66",
        "candidate, score 0.33–0.66": "кандидат, оценка 0,33–0,66",
        "candidate, score < 0.33": "кандидат, оценка < 0,33",
        "where a road distance allows": "где это допускает расстояние по дороге",
        "within {km} km of a reported area": "в пределах {km} км от упомянутой территории",
        "reported country": "упомянутая страна",
        "reported region": "упомянутый регион",
        "reported border": "упомянутая граница",
        "reported area": "упомянутая территория",
        "distance from the estimate to an area": "расстояние от оценки до территории",
        "evidence read in the photo": "доказательство, прочитанное на фото",
        "{km} km to {names}": "{km} км до: {names}",
        "{km} km": "{km} км",
        "N": "С",
        "Map: Natural Earth, GeoNames": "Карта: Natural Earth, GeoNames",
        "Natural Earth boundaries, Crimea as part of Ukraine.": "Границы Natural Earth, Крым в составе Украины.",
        "Evidence at full resolution": "Доказательства в полном разрешении",
        "what was read": "что прочитано",
        "OCR confidence {confidence}": "уверенность OCR {confidence}",
        "score {score}": "оценка {score}",
        "Record": "Запись",
        "input": "входной файл",
        "photo": "фото",
        "caption": "подпись",
        "area file": "файл территории",
        "page or export": "страница или экспорт",
        "Software": "Программы",
        "Data": "Данные",
        "Options": "Параметры",
        "Made (UTC)": "Создано (UTC)",
        "To check this proof, run": "Чтобы проверить это доказательство, выполните",
    },
}
"""English message -> its translation, per language. A message missing here is shown in English."""


def translator(lang: str) -> Translate:
    """The function that gives each message in ``lang`` (one of ``UI_LANGUAGES``), fields filled in.

    Fields are filled after the lookup, so a value (a place name, a number) never changes which
    message is found, and a value holding braces is inserted as it is, never expanded.
    """
    if lang not in UI_LANGUAGES:
        raise ValueError(f"unknown label language {lang!r}; choose one of {', '.join(UI_LANGUAGES)}")
    table = CATALOGUE.get(lang, {})

    def t(message: str, **fields: object) -> str:
        text = table.get(message, message)
        return text.format(**fields) if fields else text

    return t
