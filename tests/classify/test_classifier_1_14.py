"""Rules added for classifier 1.14: one case per phenomenon, written here, each beside a near
miss that must keep its old reading."""

from __future__ import annotations

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
