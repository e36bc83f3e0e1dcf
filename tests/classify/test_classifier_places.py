"""Where it happened: named places win, the channel's home region fills in, directions don't."""

from bot.classify import classify


def codes(text: str, home: str | None = None) -> list[str]:
    return sorted(r.code for r in classify(text, home_region=home).regions)


def test_post_that_names_no_place_happened_in_the_home_region() -> None:
    assert codes("Над регионом сбиты два БПЛА.", home="Смоленская область") == ["RU-SMO"]
    assert codes("Над регионом сбиты два БПЛА.", home="RU-SMO") == ["RU-SMO"]


def test_named_places_win_over_the_home_region() -> None:
    text = "Над Брянской, Курской и Белгородской областями уничтожены 9 БПЛА."
    assert codes(text, home="RU-SMO") == ["RU-BEL", "RU-BRY", "RU-KRS"]


def test_a_town_stands_for_its_region_and_is_kept_as_a_place() -> None:
    c = classify("В Шебекино дрон атаковал автомобиль.")
    assert [r.code for r in c.regions] == ["RU-BEL"]
    assert "Шебекино" in c.places


def test_launch_directions_are_not_the_scene() -> None:
    text = (
        "Противник атакував 80 ударними БпЛА з напрямків Курськ, Орел, Брянськ. "
        "Збито 60 над Сумщиною."
    )
    assert codes(text) == ["UA-59"]


def test_target_city_is_used_only_when_nothing_else_is_named() -> None:
    assert codes("Сбит ещё один БПЛА, летевший на Москву.") == ["RU-MOW"]
    text = "Над Московской областью сбиты 3 БПЛА, в том числе 2 летевших на Москву."
    assert codes(text) == ["RU-MOS"]


def test_kiev_regime_and_moscow_time_are_not_places() -> None:
    text = (
        "Около 03:00 по московскому времени пресечена попытка киевского режима атаковать "
        "объекты беспилотниками. Над Курской областью уничтожены 5 БПЛА."
    )
    assert codes(text) == ["RU-KRS"]


def test_kyiv_city_and_kyiv_oblast_are_different_regions() -> None:
    assert codes("У Києві збито 4 дрони.") == ["UA-30"]
    assert codes("На Київщині збито 4 дрони.") == ["UA-32"]


def test_district_adjective_of_a_distant_town_is_not_that_town() -> None:
    # "Славянский район" is in Kuban; it is not Sloviansk in Donetsk oblast.
    c = classify("В Славянском районе сбит беспилотник.", home_region="Краснодарский край")
    assert [r.code for r in c.regions] == ["RU-KDA"]


def test_not_relevant_posts_get_no_home_region() -> None:
    assert codes("Сегодня открыли новую школу.", home="RU-SMO") == []
