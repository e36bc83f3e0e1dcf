"""The region gazetteer: every case, three languages, lists, towns, and the traps.

Texts here are written for the tests (short phrases in the style of official posts), never
taken from the real corpus.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.classify import gazetteer_data, regions
from bot.classify.regions import (
    ALL_REGIONS,
    RegionMatch,
    find_regions,
    lookup_region,
    region_by_code,
    search_regions,
)
from bot.models import Region


def codes(text: str) -> list[str]:
    return [m.region.code for m in find_regions(text)]


def only(text: str) -> RegionMatch:
    found = find_regions(text)
    assert len(found) == 1, found
    return found[0]


# --- every case form -------------------------------------------------------------------

RU_SMOLENSK_OBLAST = [
    "Смоленская область",
    "Смоленской области",
    "Смоленскую область",
    "Смоленской областью",
    "Смоленскою областью",
    "над Смоленской",
    "Смоленский регион",
    "Смоленского региона",
]
RU_SMOLENSK_CITY = ["Смоленск", "Смоленска", "Смоленску", "Смоленском", "Смоленске"]
RU_SMOLENSK_SHORT = ["Смоленщина", "Смоленщины", "Смоленщине", "Смоленщину", "Смоленщиной"]
RU_KRASNODAR = [
    "Краснодарский край",
    "Краснодарского края",
    "Краснодарскому краю",
    "Краснодарским краем",
    "Краснодарском крае",
    "Кубань",
    "Кубани",
    "Кубанью",
]
RU_REPUBLICS = [
    ("Республика Мордовия", "RU-MO"),
    ("Республики Мордовия", "RU-MO"),
    ("Мордовии", "RU-MO"),
    ("Республики Татарстан", "RU-TA"),
    ("Татарстан", "RU-TA"),
    ("в Татарстане", "RU-TA"),
    ("Башкирии", "RU-BA"),
    ("Республике Башкортостан", "RU-BA"),
    ("Чувашии", "RU-CU"),
    ("Чувашской Республики", "RU-CU"),
    ("Адыгеи", "RU-AD"),
    ("Республика Адыгея", "RU-AD"),
    ("Чечне", "RU-CE"),
    ("Ханты-Мансийского автономного округа", "RU-KHM"),
    ("Еврейской автономной области", "RU-YEV"),
    ("в Республике Саха (Якутия)", "RU-SA"),
]
UK_KHARKIV = [
    "Харківська область",
    "Харківської області",
    "Харківській області",
    "Харківську область",
    "Харківською областю",
    "Харківщина",
    "Харківщини",
    "на Харківщині",
    "Харківщину",
    "Харківщиною",
    "Харків",
    "Харкова",
    "Харкову",
    "Харковом",
    "у Харкові",
]
UK_RUSSIAN_REGIONS = [
    ("Брянська область", "RU-BRY"),
    ("Курській області", "RU-KRS"),
    ("Бєлгородської області", "RU-BEL"),
    ("у Бєлгороді", "RU-BEL"),
    ("Курськ", "RU-KRS"),
    ("Краснодарському краї", "RU-KDA"),
    ("Республіці Татарстан", "RU-TA"),
]
EN_NAMES = [
    ("Smolensk Oblast", "RU-SMO"),
    ("the Smolensk region", "RU-SMO"),
    ("Smolensk", "RU-SMO"),
    ("Belgorod region", "RU-BEL"),
    ("Kharkiv Oblast", "UA-63"),
    ("Kharkiv region", "UA-63"),
    ("Kharkov", "UA-63"),
    ("Kiev", "UA-30"),
    ("Odessa", "UA-51"),
    ("Odesa Oblast", "UA-51"),
    ("Dnipropetrovsk", "UA-12"),
    ("Dnipro", "UA-12"),
    ("Zaporizhzhia", "UA-23"),
    ("Zaporozhye region", "UA-23"),
    ("Mykolaiv", "UA-48"),
    ("Nikolaev", "UA-48"),
    ("Chernihiv", "UA-74"),
    ("Chernigov", "UA-74"),
    ("Sumy", "UA-59"),
    ("Bryansk", "RU-BRY"),
    ("Kursk", "RU-KRS"),
    ("Oryol", "RU-ORL"),
    ("Orel region", "RU-ORL"),
    ("Crimea", "UA-43"),
    ("Krasnodar Krai", "RU-KDA"),
    ("Republic of Tatarstan", "RU-TA"),
    ("Chuvash Republic", "RU-CU"),
    ("Sevastopol", "UA-40"),
]
RU_UKRAINIAN_PLACES = [
    ("Харьковская область", "UA-63"),
    ("Харькове", "UA-63"),
    ("Киевская область", "UA-32"),
    ("Днепр", "UA-12"),
    ("в Одессе", "UA-51"),
    ("Запорожье", "UA-23"),
    ("Николаеве", "UA-48"),
    ("Сумах", "UA-59"),
    ("Чернигова", "UA-74"),
    ("Ивано-Франковске", "UA-26"),
    ("Хмельницком", "UA-68"),
    ("Днепропетровской области", "UA-12"),
]


@pytest.mark.parametrize("text", RU_SMOLENSK_OBLAST)
def test_russian_oblast_adjective_in_every_case(text: str) -> None:
    m = only(text)
    assert (m.region.code, m.kind, m.place) == ("RU-SMO", "region", None)


@pytest.mark.parametrize("text", RU_SMOLENSK_CITY)
def test_regional_capital_in_every_case_names_its_region(text: str) -> None:
    m = only(text)
    assert (m.region.code, m.kind, m.place) == ("RU-SMO", "city", "Смоленск")


@pytest.mark.parametrize("text", RU_SMOLENSK_SHORT)
def test_colloquial_short_form_in_every_case(text: str) -> None:
    m = only(text)
    assert (m.region.code, m.kind) == ("RU-SMO", "short")


@pytest.mark.parametrize("text", RU_KRASNODAR)
def test_krai_and_its_colloquial_name(text: str) -> None:
    assert codes(text) == ["RU-KDA"]


@pytest.mark.parametrize(("text", "code"), RU_REPUBLICS)
def test_republics_okrugs_and_their_short_names(text: str, code: str) -> None:
    assert codes(text) == [code]


@pytest.mark.parametrize("text", UK_KHARKIV)
def test_ukrainian_oblast_short_form_and_city_in_every_case(text: str) -> None:
    assert codes(text) == ["UA-63"]


@pytest.mark.parametrize(("text", "code"), UK_RUSSIAN_REGIONS)
def test_ukrainian_names_of_russian_regions(text: str, code: str) -> None:
    assert codes(text) == [code]


@pytest.mark.parametrize(("text", "code"), EN_NAMES)
def test_english_names_and_transliteration_variants(text: str, code: str) -> None:
    assert codes(text) == [code]


@pytest.mark.parametrize(("text", "code"), RU_UKRAINIAN_PLACES)
def test_russian_names_of_ukrainian_oblasts_and_cities(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_match_span_includes_the_region_noun_and_keeps_original_text() -> None:
    text = "Беспилотник сбит над Смоленской областью, пострадавших нет."
    m = only(text)
    assert (m.start, m.end, m.text) == (21, 40, "Смоленской областью")
    assert text[m.start : m.end] == m.text


# --- lists -------------------------------------------------------------------------------


def test_list_of_bare_adjectives_before_a_plural_noun_gives_every_region() -> None:
    text = "уничтожены над территориями Брянской, Курской и Белгородской областей"
    assert codes(text) == ["RU-BRY", "RU-KRS", "RU-BEL"]


def test_weak_adjective_counts_at_the_end_of_a_list() -> None:
    text = "над Брянской, Калужской и Московской областями"
    assert codes(text) == ["RU-BRY", "RU-KLU", "RU-MOS"]


def test_long_ukrainian_list_starting_with_a_weak_adjective() -> None:
    text = (
        "збито у Київській, Сумській, Полтавській, Черкаській, Вінницькій, Житомирській, "
        "Хмельницькій, Одеській, Миколаївській та Кіровоградській областях"
    )
    assert codes(text) == [
        "UA-32",
        "UA-59",
        "UA-53",
        "UA-71",
        "UA-05",
        "UA-18",
        "UA-68",
        "UA-51",
        "UA-48",
        "UA-35",
    ]


def test_krai_adjectives_need_the_noun_even_in_a_list() -> None:
    assert codes("Краснодарского и Ставропольского краев") == ["RU-KDA", "RU-STA"]
    assert codes("Краснодарского театра") == []
    assert codes("Краснодарского аэропорта") == ["RU-KDA"]  # a site noun names the region


def test_english_city_list_ending_in_regions_reads_as_regions() -> None:
    found = find_regions("drones over Bryansk, Kursk and Belgorod regions")
    assert [(m.region.code, m.kind) for m in found] == [
        ("RU-BRY", "region"),
        ("RU-KRS", "region"),
        ("RU-BEL", "region"),
    ]


# --- cities that are regions of their own -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("атака на Киев", ["UA-30"]),
        ("в Киевской области", ["UA-32"]),
        ("у Києві", ["UA-30"]),
        ("на Київщині", ["UA-32"]),
        ("Київська обласна", []),
        ("Київської міської військової адміністрації", ["UA-30"]),
        ("Kyiv", ["UA-30"]),
        ("Kyiv Oblast", ["UA-32"]),
        ("the Kiev region", ["UA-32"]),
        ("Kyiv, Chernihiv and Sumy regions", ["UA-32", "UA-74", "UA-59"]),
    ],
)
def test_kyiv_city_and_kyiv_oblast_are_distinguished(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Москва", ["RU-MOW"]),
        ("летевших на Москву", ["RU-MOW"]),
        ("в Москве", ["RU-MOW"]),
        ("Московская область", ["RU-MOS"]),
        ("в Подмосковье", ["RU-MOS"]),
        ("Moscow", ["RU-MOW"]),
        ("the Moscow region", ["RU-MOS"]),
        ("Moscow Oblast", ["RU-MOS"]),
        ("Московской биржи", []),
        ("Санкт-Петербурге", ["RU-SPE"]),
        ("Питер", ["RU-SPE"]),
        ("Ленобласти", ["RU-LEN"]),
        ("Севастополе", ["UA-40"]),
        ("в Крыму", ["UA-43"]),
        ("Республики Крым", ["UA-43"]),
        ("Автономної Республіки Крим", ["UA-43"]),
    ],
)
def test_federal_cities_and_their_oblasts(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


def test_moscow_region_in_russian_names_the_city_and_the_oblast_with_one_span() -> None:
    found = find_regions("Атака на Московский регион отражена")
    assert [m.region.code for m in found] == ["RU-MOW", "RU-MOS"]
    assert {(m.start, m.end, m.text) for m in found} == {(9, 26, "Московский регион")}


def test_dnr_lnr_are_aliases_of_the_ukrainian_records() -> None:
    assert codes("ДНР и ЛНР") == ["UA-14", "UA-09"]
    assert codes("Донецкой Народной Республики") == ["UA-14"]


# --- towns ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "place"),
    [
        ("в Шебекино", "RU-BEL", "Шебекино"),
        ("в Старом Осколе", "RU-BEL", "Старый Оскол"),
        ("Новому Осколу", "RU-BEL", "Новый Оскол"),
        ("Красной Яруге", "RU-BEL", "Красная Яруга"),
        ("в Белгородском районе", "RU-BEL", "Белгородский район"),
        ("в Судже", "RU-KRS", "Суджа"),
        ("Климово", "RU-BRY", "Климово"),
        ("в Таганроге", "RU-ROS", "Таганрог"),
        ("Каменске-Шахтинском", "RU-ROS", "Каменск-Шахтинский"),
        ("Новороссийска", "RU-KDA", "Новороссийск"),
        ("в Феодосии", "UA-43", "Феодосия"),
        ("Энгельс", "RU-SAR", "Энгельс"),
        ("Елабуге", "RU-TA", "Елабуга"),
        ("Kupiansk", "UA-63", "Kupiansk"),
        ("у Куп'янську", "UA-63", "Куп'янськ"),
        ("у Куп’янську", "UA-63", "Куп'янськ"),
        ("у Купʼянську", "UA-63", "Куп'янськ"),
        ("в Купянске", "UA-63", "Купянск"),
        ("у Шостці", "UA-59", "Шостка"),
        ("Кривому Розі", "UA-12", "Кривий Ріг"),
        ("Кривого Рога", "UA-12", "Кривой Рог"),
        ("Білій Церкві", "UA-32", "Біла Церква"),
        ("Starokostiantyniv", "UA-68", "Starokostiantyniv"),
        ("Белгород-Днестровский", "UA-51", "Белгород-Днестровский"),
    ],
)
def test_town_names_its_region_and_reports_the_place(text: str, code: str, place: str) -> None:
    m = only(text)
    assert (m.region.code, m.kind, m.place) == (code, "town", place)


def test_gazetteer_has_at_least_250_towns_and_districts() -> None:
    assert sum(len(v) for v in gazetteer_data.TOWNS.values()) >= 250


# --- boundaries and traps ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Курская", [("RU-KRS", "region")]),
        ("Курск", [("RU-KRS", "city")]),
        ("Смоленскэнерго сообщает", []),
        ("Старооскольский", []),
        ("суммы выплат", []),
        ("Белгород-Днестровский", [("UA-51", "town")]),
    ],
)
def test_names_match_whole_words_only(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(m.region.code, m.kind) for m in find_regions(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "шахты работают в штатном режиме",
        "орёл парит над полем",
        "купили изюм",
        "бойцы «Азова»",
        "Kiev regime",
        "3:30 a.m. Moscow time",
        "Sea of Azov",
        "силами Черноморского флота",
        "Тверская улица",
        "Донбасс",
        "Росія",
        "ворожба и гадание",
    ],
)
def test_common_words_and_non_place_phrases_are_not_regions(text: str) -> None:
    assert find_regions(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [("Шахты", "RU-ROS"), ("Орёл", "RU-ORL"), ("в Орле", "RU-ORL"), ("Изюм", "UA-63")],
)
def test_capitalised_form_of_an_ambiguous_name_is_a_place(text: str, code: str) -> None:
    assert codes(text) == [code]


@pytest.mark.parametrize(
    "text",
    ["Орёл", "Орел", "ОРЁЛ", "над  Смоленской\nобластью", "Харкiв", "над\u00a0Курской"],
)
def test_normalisation_keeps_offsets(text: str) -> None:
    m = only(text)
    assert text[m.start : m.end] == m.text


@given(st.text(alphabet="Смоленскаяобл Kyiv,Москвау'’іi-\n", max_size=80))
def test_matches_are_ordered_non_overlapping_and_point_into_the_text(text: str) -> None:
    last_span = (0, 0)
    for m in find_regions(text):
        if (m.start, m.end) != last_span:  # several regions may share one span
            assert m.start >= last_span[1]
        assert m.end > m.start
        assert text[m.start : m.end] == m.text
        last_span = (m.start, m.end)


# --- lookup, search, codes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("RU-SMO", "RU-SMO"),
        ("ru-smo", "RU-SMO"),
        ("UA-63", "UA-63"),
        ("PL", "PL"),
        ("смоленская", "RU-SMO"),
        ("Смоленская область", "RU-SMO"),
        ("Смоленщиной", "RU-SMO"),
        ("Smolensk Oblast", "RU-SMO"),
        ("the Smolensk region", "RU-SMO"),
        ("Смоленська область", "RU-SMO"),
        ("Харківщина", "UA-63"),
        ("Харьков", "UA-63"),
        ("Kharkiv", "UA-63"),
        ("Киев", "UA-30"),
        ("Київська область", "UA-32"),
        ("Moscow region", "RU-MOS"),
        ("Шебекино", "RU-BEL"),
        ("орёл", "RU-ORL"),
        ("Польщі", "PL"),
        ("Беларусь", "BY"),
    ],
)
def test_lookup_region_from_codes_and_names_in_three_languages(name: str, code: str) -> None:
    region = lookup_region(name)
    assert region is not None
    assert region.code == code


@pytest.mark.parametrize(
    "name",
    [
        "",
        "  ",
        "Атлантида",
        "Смоленск область",
        "Смоленская и Курская",
        "Донбасс",
        "Московский регион",
    ],
)
def test_lookup_region_gives_none_for_unknown_partial_or_ambiguous_names(name: str) -> None:
    assert lookup_region(name) is None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("смоленск", "RU-SMO"),
        ("Smolensk", "RU-SMO"),
        ("Смоленщина", "RU-SMO"),
        ("смол", "RU-SMO"),
        ("kharkiv", "UA-63"),
        ("Харк", "UA-63"),
        ("Smolnsk", "RU-SMO"),
        ("Київ", "UA-30"),
        ("ru-bel", "RU-BEL"),
    ],
)
def test_search_regions_puts_the_obvious_region_first(query: str, code: str) -> None:
    found = search_regions(query)
    assert found
    assert found[0].code == code


def test_search_regions_prefix_lists_several_and_respects_limit() -> None:
    found = search_regions("бел", limit=3)
    assert len(found) <= 3
    assert "RU-BEL" in [r.code for r in found]
    assert search_regions("") == []
    assert search_regions("qqqqzzzz") == []


def test_region_by_code_and_unknown_code() -> None:
    assert region_by_code("UA-43").name_ru == "Республика Крым"
    assert region_by_code("ru-mow").name_en == "Moscow"
    with pytest.raises(KeyError, match="ISO 3166-2"):
        region_by_code("RU-XXX")


def test_all_regions_codes_are_unique_and_complete() -> None:
    all_codes = [r.code for r in ALL_REGIONS]
    assert len(all_codes) == len(set(all_codes))
    assert sum(c.startswith("RU-") for c in all_codes) == 83  # ISO 3166-2:RU
    assert sum(c.startswith("UA-") for c in all_codes) == 27  # 24 oblasts, Kyiv, Crimea, Sev.
    assert {"BY", "MD", "PL", "RO", "LT", "LV", "EE", "FI"} <= set(all_codes)
    assert all(r.country == r.code.partition("-")[0] for r in ALL_REGIONS)


@pytest.mark.parametrize("region", ALL_REGIONS, ids=lambda r: r.code)
def test_every_official_name_resolves_back_to_its_record(region: Region) -> None:
    for name in (region.name_ru, region.name_uk, region.name_en):
        assert lookup_region(name) == region, name


def test_every_place_form_in_the_data_resolves_to_its_region() -> None:
    """Guards the data: no town is shadowed by another name, a stop phrase or a typo."""
    wrong = []
    for code, specs in gazetteer_data.TOWNS.items():
        for spec in specs:
            for group in spec.split(" / "):
                for forms, _cap in regions._alternatives(group):
                    wrong += [f for f in forms if getattr(lookup_region(f), "code", None) != code]
    assert wrong == []


def test_no_surface_form_names_two_different_regions() -> None:
    assert regions._index().conflicts == ()


def test_public_surface() -> None:
    assert sorted(regions.__all__) == [
        "ALL_REGIONS",
        "RegionMatch",
        "find_regions",
        "lookup_region",
        "region_by_code",
        "search_regions",
    ]
