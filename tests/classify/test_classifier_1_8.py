"""Rules added for classifier 1.8 (blind batch 16 and dev errors left from earlier batches):
one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify
from bot.models import Label

FIGURES = [
    # a correction with the noun and an aside between the two figures
    ("Поправка: уничтожены не 6 беспилотников, как мы писали утром, а 9.", 9),
    ("Збито не 5 дронів, як повідомлялося раніше, а 7.", 7),
    # "написал о двух" reports now; "писали о" (said before) still marks an old figure
    ("Глава района написал о двух сбитых над поселком дронах.", 2),
    # an update by the clock: "к 07:15 — уже семь" replaces the first figure
    ("К пяти утра сбиты три беспилотника, к 07:15 — уже семь.", 7),
    # a stated total outweighs an approximate "до" figure
    ("До трьох збитих раніше дронів додалося ще два — разом п'ять над містом.", 5),
    # an ordinal running count
    ("Ещё один беспилотник уничтожен над районом — это уже шестой за ночь.", 6),
    ("Another drone was downed near the airfield, the third tonight.", 3),
    # a list sentence under a sentence that ends with destroyed drones
    ("Регионы сообщают о сбитых дронах. Сумщина — 5, Полтавщина — 3, Черкащина — 2.", 10),
]


@pytest.mark.parametrize(("text", "destroyed"), FIGURES)
def test_figures(text: str, destroyed: int | None) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_a_time_colon_does_not_open_a_list() -> None:
    # "08:30" is no list head: the second figure is a running total, not a breakdown
    text = "Над областью к шести сбиты два БПЛА, к 08:30 — уже пять."
    assert classify(text).drones_destroyed == 5


LABELS = [
    # collecting facts is no fundraising
    ("Сбиты 4 беспилотника. Сведения о последствиях собираем, сообщу позже.", "uav_incident"),
    # a drill of rescuers
    ("Завтра рятувальники проводитимуть навчання з ліквідації наслідків атаки дронів.", "not"),
    # a period's count: since a month, a running tally
    ("С мая расчёт сбил над городом больше 30 беспилотников, спасибо ребятам.", "not"),
    (
        "Air defences destroyed 48 fixed-wing drones overnight. The running tally since the"
        " start of the operation stands at 70,100 drones.",
        "uav_incident",
    ),
    # sea drones are naval, however hyphenated
    ("The fleet beat off a sea-drone attack on the harbour, sinking two boats.", "other"),
    # research and donations are no incident
    ("Researchers say microphones can detect an approaching Shahed drone 3 km away.", "not"),
    ("We handed 150 FPV drones and 20 jammers to the brigades of the region.", "not"),
    # a drone group on the move and "take cover"
    ("A group of attack UAVs is over Chernihiv region, moving south. Take cover.", "threat"),
]
_LABEL = {
    "uav_incident": Label.UAV_INCIDENT,
    "not": Label.NOT_RELEVANT,
    "other": Label.OTHER_ATTACK,
    "threat": Label.UAV_THREAT,
}


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_labels(text: str, label: str) -> None:
    assert classify(text).label is _LABEL[label]


CONSEQUENCES = [
    ("Сбит беспилотник. Пострадавших нет, разрушений тоже.", "none", "none"),
    ("Збито дрон. Без руйнувань і жертв.", "none", "none"),
    (
        "Сбит беспилотник. Обломки упали в поле, ни люди, ни постройки не пострадали.",
        "none",
        "none",
    ),
    ("Збито шахед. Наслідків падіння уламків не виявлено.", None, "none"),
    ("Сбиты два дрона. Обломками посекло крышу гаража.", None, "yes"),
    ("Дрон врезался в грузовик, машина выгорела.", None, "yes"),
    ("Збито два дрони. Уламками вибито вікна у школі.", None, "yes"),
    ("Seven drones were downed, the mayor said; he gave no word on damage.", None, None),
]


@pytest.mark.parametrize(("text", "casualties", "damage"), CONSEQUENCES)
def test_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


PLACES = [
    # a clock in Moscow time is no place
    ("С 20:00 до 22:00 по Москве над Тверской областью сбиты 5 дронов.", None, ["RU-TVE"]),
    # launch areas are not the scene
    ("Launch areas: Kursk and Oryol. Over Sumy region 12 drones were downed.", None, ["UA-59"]),
    # a route: "у бік", "in the direction of"
    ("Над Черкащиною збито 2 дрони, ще група пішла у бік Вінниччини.", None, ["UA-71"]),
    (
        "Two UAVs were downed over Sumy region; others flew in the direction of Poltava region.",
        None,
        ["UA-59"],
    ),
    # airports that paused flights are a precaution elsewhere
    (
        "Moscow's mayor said 4 drones were destroyed. Vnukovo and Sheremetyevo airports have"
        " paused departures.",
        None,
        ["RU-MOW"],
    ),
    # a namesake in the home region: Kryvyi Rih's Pokrovskyi district, not Pokrovsk
    ("Уламки впали у Покровському районі, пошкоджено гаражі.", "UA-12", ["UA-12"]),
    ("Уламки впали у Покровському районі, пошкоджено гаражі.", None, ["UA-14"]),
]


@pytest.mark.parametrize(("text", "home", "codes"), PLACES)
def test_places(text: str, home: str | None, codes: list[str]) -> None:
    assert [r.code for r in classify(text, home_region=home).regions] == codes


def test_launched_by_striking_at_ukraine() -> None:
    text = "Вночі ворог бив по Україні двома ракетами і 80 дронами. Збито 64 безпілотники."
    c = classify(text)
    assert (c.drones_destroyed, c.drones_launched) == (64, 80)
