"""Hand-kept name tables that fill what the packaged sources lack: aliases, demonyms, abbreviations.

GeoNames and Natural Earth name places as atlases do; news captions and road signs also use
demonyms ("Turkish police"), AP-style abbreviations ("Calif.") and older or informal names
("Burma", "Holland"). The index files these under their place; the boundaries use the aliases too.
"""

from __future__ import annotations

# Countries whose signs are written in Cyrillic: their regions are shown as "Chernihiv Oblast"
# and a Cyrillic name is first looked for there.
CYRILLIC_COUNTRIES = frozenset("UA RU BY BG RS MK KZ KG TJ MN ME BA".split())

# Demonyms and adjectives that news text uses for a country ("Turkish police", "Russia's").
DEMONYMS: dict[str, tuple[str, ...]] = {
    "US": ("American", "Americans", "U.S.", "USA", "United States", "America"),
    "GB": ("British", "Briton", "Britons", "Britain", "UK", "Great Britain"),
    "UA": ("Ukrainian", "Ukrainians", "украинский", "український"),
    "RU": ("Russian", "Russians"),
    "BY": ("Belarusian", "Belarusians", "Belorussian", "Byelorussia"),
    "TR": ("Turkish", "Turks"),
    "FR": ("French",),
    "DE": ("German", "Germans"),
    "IT": ("Italian", "Italians"),
    "ES": ("Spanish", "Spaniards"),
    "PL": ("Polish", "Poles"),
    "CN": ("Chinese",),
    "JP": ("Japanese",),
    "IN": ("Indian", "Indians"),
    "PK": ("Pakistani", "Pakistanis"),
    "AF": ("Afghan", "Afghans"),
    "IR": ("Iranian", "Iranians"),
    "IQ": ("Iraqi", "Iraqis"),
    "SY": ("Syrian", "Syrians"),
    "IL": ("Israeli", "Israelis"),
    "PS": ("Palestinian", "Palestinians"),
    "EG": ("Egyptian", "Egyptians"),
    "SA": ("Saudi", "Saudis"),
    "LB": ("Lebanese",),
    "JO": ("Jordanian",),
    "YE": ("Yemeni",),
    "LY": ("Libyan", "Libyans"),
    "TN": ("Tunisian",),
    "MX": ("Mexican", "Mexicans"),
    "CA": ("Canadian", "Canadians"),
    "BR": ("Brazilian", "Brazilians"),
    "AR": ("Argentine", "Argentinian"),
    "AU": ("Australian", "Australians"),
    "NZ": ("New Zealander",),
    "IE": ("Irish",),
    "NL": ("Dutch",),
    "BE": ("Belgian",),
    "CH": ("Swiss",),
    "AT": ("Austrian",),
    "SE": ("Swedish", "Swedes"),
    "NO": ("Norwegian",),
    "DK": ("Danish",),
    "FI": ("Finnish",),
    "GR": ("Greek", "Greeks"),
    "PT": ("Portuguese",),
    "HU": ("Hungarian",),
    "CZ": ("Czech",),
    "RO": ("Romanian",),
    "BG": ("Bulgarian",),
    "RS": ("Serbian", "Serbs"),
    "HR": ("Croatian",),
    "GE": ("Georgian",),
    "AM": ("Armenian",),
    "AZ": ("Azerbaijani",),
    "KZ": ("Kazakh",),
    "KR": ("South Korean", "South Korea"),
    "KP": ("North Korean", "North Korea"),
    "VN": ("Vietnamese",),
    "TH": ("Thai",),
    "PH": ("Filipino", "Philippine"),
    "ID": ("Indonesian",),
    "MY": ("Malaysian",),
    "NG": ("Nigerian", "Nigerians"),
    "KE": ("Kenyan",),
    "ZA": ("South African",),
    "ET": ("Ethiopian",),
    "SO": ("Somali",),
    "SD": ("Sudanese",),
    "CU": ("Cuban", "Cubans"),
    "VE": ("Venezuelan",),
    "CO": ("Colombian",),
    "CL": ("Chilean",),
    "PE": ("Peruvian",),
    "MD": ("Moldovan",),
    "LT": ("Lithuanian",),
    "LV": ("Latvian",),
    "EE": ("Estonian",),
}

# Abbreviations news text uses: AP-style US states and a few countries (dotted forms are searchable
# even though they are shorter than three letters: "S.C." is not OCR noise).
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",),
    "AZ": ("Ariz.",),
    "AR": ("Ark.",),
    "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",),
    "CT": ("Conn.",),
    "DE": ("Del.",),
    "FL": ("Fla.",),
    "GA": ("Ga.",),
    "IL": ("Ill.",),
    "IN": ("Ind.",),
    "KS": ("Kan.", "Kans."),
    "KY": ("Ky.",),
    "LA": ("La.",),
    "MD": ("Md.",),
    "MA": ("Mass.",),
    "MI": ("Mich.",),
    "MN": ("Minn.",),
    "MS": ("Miss.",),
    "MO": ("Mo.",),
    "MT": ("Mont.",),
    "NE": ("Neb.", "Nebr."),
    "NV": ("Nev.",),
    "NH": ("N.H.",),
    "NJ": ("N.J.",),
    "NM": ("N.M.", "N.Mex."),
    "NY": ("N.Y.",),
    "NC": ("N.C.",),
    "ND": ("N.D.",),
    "OK": ("Okla.",),
    "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn."),
    "RI": ("R.I.",),
    "SC": ("S.C.",),
    "SD": ("S.D.",),
    "TN": ("Tenn.",),
    "TX": ("Tex.",),
    "VT": ("Vt.",),
    "VA": ("Va.",),
    "WA": ("Wash.",),
    "WV": ("W.Va.", "W.V."),
    "WI": ("Wis.", "Wisc."),
    "WY": ("Wyo.",),
    "DC": ("D.C.",),
}
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    # abbreviations, older and informal names, and the Cyrillic forms that readers of signs meet
    # most, where GeoNames and Natural Earth lack them; the gazetteer and the boundaries share it
    "US": ("U.S.", "U.S.A.", "USA", "United States of America"),
    "GB": ("U.K.", "UK", "Britain", "Great Britain"),
    "CD": ("DRC", "DR Congo", "Democratic Republic of Congo"),
    "AE": ("UAE", "U.A.E."),
    "CN": ("PRC", "People's Republic of China"),
    "KR": ("ROK",),
    "KP": ("DPRK",),
    "CG": ("Congo",),
    "CZ": ("Czech Republic", "Czechia"),
    "MK": ("Macedonia",),
    "MM": ("Burma",),
    "CI": ("Ivory Coast",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "NL": ("Holland",),
    "VA": ("Vatican",),
    "BY": ("Беларусь", "Білорусь", "Belorussia", "Byelorussia", "Рэспубліка Беларусь"),
    "RU": ("Russian Federation", "Российская Федерация", "Росія", "Россия", "Расія"),
    "UA": ("Украина", "Україна", "Украіна"),
    "PL": ("Польшча",),  # Belarusian, as Belarus' neighbours are written there
    "LT": ("Літва",),
    "MD": ("Молдова", "Молдавия"),
}
# Australian states by GeoNames admin-1 code, as Australian news abbreviates them.
AU_STATE_ABBREVIATIONS = {"02": ("NSW",), "04": ("Qld",), "06": ("Tas.",)}

# Natural Earth region types -> the English word used after a region's name.
REGION_TYPE_SUFFIX = {
    "Oblast'": "Oblast",
    "Oblast": "Oblast",
    "Voblasts'": "Region",
    "Kray": "Krai",
    "Autonomous Okrug": "Autonomous Okrug",
    "Avtonomnyy Okrug": "Autonomous Okrug",
}

DONBAS = ("Донбас", "Донбасс", "Donbas", "Donbass")
"""The Donbas: Donetsk and Luhansk Oblasts together, the region the war's news names most."""

# Regions' everyday names that no rule makes from their official ones, by (country, GeoNames
# admin-1 code), as the news writes them: "пожар в Подмосковье", "на Прикарпатті".
REGION_BYNAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("RU", "47"): ("Подмосковье", "Podmoskovye"),  # Moscow Oblast
    ("RU", "42"): ("Ленобласть",),  # Leningrad Oblast
    ("RU", "70"): ("Ставрополье",),  # Stavropol Krai
    ("RU", "90"): ("Прикамье",),  # Perm Krai
    ("RU", "32"): ("Югра", "Yugra"),  # Khanty-Mansi Autonomous Okrug
    ("RU", "87"): ("Ямал", "Yamal"),  # Yamalo-Nenets Autonomous Okrug
    ("UA", "06"): ("Прикарпаття", "Прикарпатье"),  # Ivano-Frankivsk Oblast
    ("UA", "03"): ("Буковина", "Bukovina", "Bukovyna"),  # Chernivtsi Oblast
    # the peninsula, as wire copy names it ("the Russian-annexed Crimean peninsula")
    # and in Ukrainian and Russian, whose names of it the boundaries hold only with "Автономна Республіка"
    ("UA", "11"): ("Crimean", "Crimean Peninsula", "Крим", "Крым", "Республіка Крим", "Республика Крым"),  # Crimea
    # Belarus' oblasts in Belarusian, which the boundaries' names lack: the nominative, the case
    # shared by the genitive, dative and locative ("у Гомельскай вобласці"), and the everyday name,
    # whose other cases its stem reaches (``dictionary_forms``: "на Гомельшчыне")
    ("BY", "01"): ("Брэсцкая вобласць", "Брэсцкай вобласці", "Брэстчына", "Берасцейшчына"),
    ("BY", "02"): ("Гомельская вобласць", "Гомельскай вобласці", "Гомельшчына"),
    ("BY", "03"): ("Гродзенская вобласць", "Гродзенскай вобласці", "Гродзеншчына"),
    ("BY", "04"): ("Мінская вобласць", "Мінскай вобласці", "Міншчына"),
    ("BY", "06"): ("Магілёўская вобласць", "Магілёўскай вобласці", "Магілёўшчына"),
    ("BY", "07"): ("Віцебская вобласць", "Віцебскай вобласці", "Віцебшчына"),
    # the self-proclaimed republics named after the two oblasts, as reports from and about the
    # occupied parts write them ("Горловка, ДНР", "in the so-called LPR"); and the Donbas, which
    # is both oblasts, so its names are each one's (a caption naming it means either)
    ("UA", "05"): (
        *DONBAS,
        "ДНР",
        "DNR",
        "DPR",
        "Донецкая Народная Республика",
        "Донецька народна республіка",
        "Donetsk People's Republic",
    ),  # Donetsk Oblast
    ("UA", "14"): (
        *DONBAS,
        "ЛНР",
        "LNR",
        "LPR",
        "Луганская Народная Республика",
        "Луганська народна республіка",
        "Luhansk People's Republic",
        "Lugansk People's Republic",
    ),  # Luhansk Oblast
}

# Natural Earth admin-1 names to put right, by (country, GeoNames admin-1 code): Natural Earth 5.1
# names Kyiv Oblast (UA.13) "Київ" / "Киев", as it does the city (UA.12), so the oblast's own
# Ukrainian and Russian names, and the "Київщина" made from them, were nowhere.
# Natural Earth 5.1 also swaps the types of Minsk (BY.04, the city) and Minsk Oblast (BY.05), and
# gives the city the oblast's other names, so "the Minsk region" was the city, where Barysaw is not.
ADMIN1_NAME_FIXES: dict[tuple[str, str], dict[str, str]] = {
    ("UA", "13"): {"name_uk": "Київська область", "name_ru": "Киевская область"},
    ("BY", "04"): {"type": "Gorod", "name_alt": "Минск|Мінск|Horad Minsk"},
    ("BY", "05"): {"type": "Voblasts'"},
}
