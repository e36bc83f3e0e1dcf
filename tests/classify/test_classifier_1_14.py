"""Rules added for classifier 1.14: one case per phenomenon, written here, each beside a near
miss that must keep its old reading."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.classify import classify

DESTROYED = [
    # a list whose lines leave the verb to the end: "..., \nСуземский — 2.\nВсе сбиты"
    ("Итоги ночи:\nКлимовский район — 3 БПЛА,\nСуземский район — 2.\nВсе беспилотники сбиты.", 5),
    # the list's own total wins over adding the lines and the total up
    ("Погарский — 2 БПЛА;\nСтародубский — 3;\nВсего — 5. Все беспилотники уничтожены.", 5),
    # a head that ends in a colon, then items with places of their own
    ("Итоги ночи по районам: над Суземским сбиты 3 БПЛА, над Погарским — 1, над Севским — 2.", 6),
    # spoken items: one official's figure, then another's after a dash
    ("Глава Брянской области сообщил о пяти сбитых беспилотниках, курский губернатор — о двух.", 7),
    # the next sentence takes the single drone as "it"
    ("An unmanned aerial vehicle approached the airfield at night. Air defence shot it down.", 1),
    ("Над заводом заметили беспилотник. Расчёт ПВО сбил его над лесом.", 1),
    # a region's headline repeats the body's single drone
    (
        "На Брянщине ночью сбит беспилотник\n\nГубернатор сообщил, что над Погарским районом"
        " уничтожен один БПЛА.",
        1,
    ),
    # "не четыре, а шесть ... ещё о двух": the later two are the difference, not two more
    (
        "Уточнение: сбитых беспилотников не четыре, а шесть. Сведения ещё о двух, уничтоженных"
        " над морем, пришли утром.",
        6,
    ),
    # one drone told of in the prepositional case
    ("Губернатор сообщил о сбитом беспилотнике.", 1),
    ("Глава округа рассказал об уничтоженном БПЛА.", 1),
]


@pytest.mark.parametrize(("text", "destroyed"), DESTROYED)
def test_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


NEAR_MISSES = [
    # a district's headline is an item of its own
    ("Над Севским районом сбит беспилотник\n\nВ Погарском районе сбиты два дрона.", 3),
    # a correction for one place, then more over another
    ("Над Курской областью сбиты не 9, а 12 беспилотников. Ещё три уничтожены над Брянской.", 15),
    # a bare verb in the next sentence without "it" is not the single drone's
    ("A drone was spotted over the port. Air defence was working over the city.", None),
    # debris of a downed drone describes it; it does not report one
    ("Губернатор рассказал об обломках сбитого беспилотника.", None),
]


@pytest.mark.parametrize(("text", "destroyed"), NEAR_MISSES)
def test_near_misses(text: str, destroyed: int | None) -> None:
    assert classify(text).drones_destroyed == destroyed


REGIONS = [
    ("Курский губернатор сообщил о сбитом над городом беспилотнике.", ["RU-KRS"]),
    ("Белгородский губернатор сообщил о сбитом беспилотнике.", ["RU-BEL"]),
    ("Краснодарский губернатор сообщил об атаке беспилотника на порт.", ["RU-KDA"]),
]


@pytest.mark.parametrize(("text", "regions"), REGIONS)
def test_regions(text: str, regions: list[str]) -> None:
    assert sorted(r.code for r in classify(text).regions) == regions


def test_a_drone_flying_at_the_capital_is_moscows() -> None:
    c = classify("Ночью сбиты два беспилотника, летевшие в сторону столицы.")
    assert (c.drones_destroyed, [r.code for r in c.regions]) == (2, ["RU-MOW"])


@pytest.mark.parametrize(
    ("text", "casualties", "damage"),
    [
        ("Над городом сбит беспилотник. Пострадавших по-прежнему нет.", "none", None),
        ("Сбиты два БПЛА. Разрушений, по-видимому, нет.", None, "none"),
    ],
)
def test_consequences_with_hyphenated_words(text: str, casualties: str, damage: str) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


MSK = timezone(timedelta(hours=3))


def test_a_dated_background_paragraph_is_the_past() -> None:
    text = (
        "Над Смоленской областью уничтожены три беспилотника, сообщил губернатор.\n\n"
        "Справка. В ночь на 4 сентября над Смоленщиной были сбиты двенадцать дронов."
    )
    assert classify(text, posted_at=datetime(2024, 9, 9, 10, tzinfo=MSK)).drones_destroyed == 3
    # the night of the post's own date (or the day before) is tonight
    assert classify(text, posted_at=datetime(2024, 9, 4, 8, tzinfo=MSK)).drones_destroyed == 15


@pytest.mark.parametrize(
    ("text", "posted", "destroyed"),
    [
        # a period that ends on the day of the post is no background
        (
            "С 23.00 9 мая по 07.00 12 мая силы ПВО сбили над регионами 120 беспилотников.",
            datetime(2025, 5, 12, 8, tzinfo=MSK),
            120,
        ),
        # "в январе" of a post written on 2 January is the January just begun
        ("Ночью 1 января над Курском сбиты 4 БПЛА.", datetime(2025, 1, 2, 9, tzinfo=MSK), 4),
        # a date late in December, read in early January, is last year's: the past
        (
            "Над Курском сбиты 2 БПЛА. 20 декабря там же сбили 7.",
            datetime(2025, 1, 5, 9, tzinfo=MSK),
            2,
        ),
        # words that only look like months are no dates ("3 травми")
        ("Вночі збито 5 шахедів, 3 травми отримали рятувальники.", datetime(2025, 5, 20), 5),
    ],
)
def test_dates_against_the_day_of_the_post(text: str, posted: datetime, destroyed: int) -> None:
    assert classify(text, posted_at=posted).drones_destroyed == destroyed


def test_launched_after_an_aside_in_brackets() -> None:
    c = classify(
        "Знешкоджених ворожих БпЛА більше: збито/подавлено 53 (раніше повідомляли про 48) з 70,"
        " якими противник атакував уночі."
    )
    assert (c.drones_destroyed, c.drones_launched) == (53, 70)


def test_the_air_force_heading_of_the_means_of_attack_is_the_launched_figure() -> None:
    c = classify(
        "Засоби повітряного нападу противника: 4 ракети Х-101 і 160 ударних безпілотників.\n"
        "Знешкоджено 3 ракети та 138 БпЛА."
    )
    assert (c.drones_destroyed, c.drones_launched) == (138, 160)


@pytest.mark.parametrize(
    ("text", "home", "regions"),
    [
        # where planes wait is no place of the attack
        (
            "Над Киришским районом уничтожены три БПЛА. В Пулково на время атаки вводились"
            " ограничения на вылет.",
            "Ленинградская область",
            ["RU-LEN"],
        ),
        (
            "Над областью сохраняется угроза атаки БПЛА. Аэропорт Пулково работает с"
            " ограничениями.",
            "Ленинградская область",
            ["RU-LEN"],
        ),
        (
            "Мэр: ПВО отражает атаку БПЛА, летящих на Москву. В Шереметьево задержаны 37 рейсов.",
            None,
            ["RU-MOW"],
        ),
        # ... but "в аэропорту Калуги" names Kaluga
        (
            "В аэропорту Калуги ввели временные ограничения на полёты из-за угрозы атаки дронов.",
            None,
            ["RU-KLU"],
        ),
        # the speaker's region, where his words point at it
        (
            "Drones were downed over the Rostov region. The governor of the Mykolaiv region said"
            " a drone hit a facility in the regional capital.",
            None,
            ["RU-ROS", "UA-48"],
        ),
        # "Kyiv and several oblasts" is the city, not an oblast list
        (
            "An air raid alert has been declared in Kyiv and several oblasts over the threat of"
            " Shahed drones.",
            None,
            ["UA-30"],
        ),
        ("Drones were shot down over the Kyiv and Chernihiv oblasts.", None, ["UA-32", "UA-74"]),
    ],
)
def test_places_1_14(text: str, home: str | None, regions: list[str]) -> None:
    assert sorted(r.code for r in classify(text, home_region=home).regions) == regions


def test_cuts_are_an_injury() -> None:
    c = classify("Над Шепетівкою збито дрон. Жінка 62 років отримала порізи від уламків скла.")
    assert c.casualties == "injured"
