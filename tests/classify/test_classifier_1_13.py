"""Rules added for classifier 1.13 (blind batch 25): one case per phenomenon, written here,
each beside a near miss that must keep its old reading."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.classify import classify

DESTROYED = [
    # "всего за ночь над регионом — шесть": a four-word head, then a dash, is the total
    ("Над Димитровградом сбиты ещё два беспилотника, всего за ночь над регионом — шесть.", 6),
    ("Сбиты ещё два беспилотника, всего за ночь — пять.", 5),
    # a digest whose lines each open with a region: the first line is no total of the others
    (
        "Сводка за ночь:\nТверская область — сбиты пять БПЛА.\nКалужская область — три"
        " беспилотника уничтожены.\nТульская область — два дрона сбиты.",
        10,
    ),
    # ... but a region's line, then its districts' lines, is a total and its breakdown
    ("Курская область — сбиты 6 беспилотников:\nЛьговский район — 4,\nРыльский район — 2.", 6),
    # the source set off in commas between the verb and its figure
    ("Противник запустил 120 дронов. Сбиты, по их данным, 85.", 85),
    ("Ворог запустив 60 дронів. Збито, за даними ППО, 41.", 41),
    # "drone units" are the defenders, not one more drone
    (
        "The attack was repelled by air defence, electronic warfare and drone units.\n\n"
        "45 drones were shot down.",
        45,
    ),
    # a sentence that opens on an earlier day ("Two days ago"), or a clause with "last week"
    (
        "Four drones were shot down over the plant tonight. Two days ago an attack on the same"
        " depot was repelled, with six UAVs downed.",
        4,
    ),
    ("Four drones were shot down. Last week five UAVs were downed over the same plant.", 4),
    ("Five drones were downed tonight, as many as two days ago.", 5),
    # "Напомню: в 01:40–03:10 ...": a clock time with no date after "напомню" is tonight
    ("Занятия в школах отменены. Напомню: в 01:40–03:10 над городом уничтожены четыре БПЛА.", 4),
]


@pytest.mark.parametrize(("text", "destroyed"), DESTROYED)
def test_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_a_background_date_stays_the_past() -> None:
    assert (
        classify("Напомним, 12 мая в 02:20 над городом сбили пять БПЛА.").drones_destroyed is None
    )


EARLIER_DAY = (
    "Над Брянской областью сбиты три беспилотника. В ночь на 2 мая над регионом были сбиты"
    " девять дронов."
)


@pytest.mark.parametrize(
    ("posted", "destroyed"),
    [("2025-05-10", 3), ("2025-05-03", 12), ("2025-05-02", 12)],
)
def test_a_sentence_dated_two_days_before_the_post_is_background(
    posted: str, destroyed: int
) -> None:
    """A night's report may come out the next morning: only two days back is another day."""
    at = datetime.fromisoformat(f"{posted}T09:00:00+03:00")
    assert classify(EARLIER_DAY, posted_at=at).drones_destroyed == destroyed


def test_an_earlier_day_needs_the_posts_date() -> None:
    assert classify(EARLIER_DAY).drones_destroyed == 12


def test_the_year_before_when_the_date_would_follow_the_post() -> None:
    text = "Над областью сбиты два дрона. 30 декабря над регионом были сбиты семь дронов."
    at = datetime.fromisoformat("2026-01-05T08:00:00+03:00")
    assert classify(text, posted_at=at).drones_destroyed == 2


LABELS = [
    (
        "Results of September: Russia launched 4,100 drones; our forces shot down 3,800.",
        "not_relevant",
    ),
    (
        "Police found the remains of a drone in a field near the village this morning.",
        "uav_incident",
    ),
    (
        "Border police found the remains of an unmanned aerial vehicle in an orchard. The device"
        " was most likely a decoy drone, the bomb squad said.",
        "uav_incident",
    ),
    ("Drone attacks will most likely intensify this winter, the columnist argues.", "not_relevant"),
    (
        "В регионе объявлена угроза атаки БПЛА. О сбитых беспилотниках пока не сообщалось.",
        "uav_threat",
    ),
    (
        "There is a drone threat in the region. No drones have been reported shot down so far.",
        "uav_threat",
    ),
    ("Над областью сбиты два беспилотника. О пострадавших не сообщается.", "uav_incident"),
    (
        "Окупанти застосовували ударні дрони та артилерію, пошкоджено п'ять будинків.",
        "uav_incident",
    ),
    # debris in the lead; the past only as background further down
    (
        "Обломки беспилотника упали на территорию нефтебазы, возник пожар. Предприятие уже"
        " подвергалось атаке дронов в мае, тогда ремонт занял неделю.",
        "uav_incident",
    ),
]


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_label(text: str, label: str) -> None:
    assert classify(text).label == label


DAMAGE = [
    (
        "Над районом сбит беспилотник. Обломки упали в поле, информация о повреждениях уточняется.",
        None,
    ),
    ("Над районом сбит беспилотник, обломками повреждена крыша гаража.", "yes"),
    (
        "Противник предпринял попытку нанесения удара по объектам в Крыму: четыре ракеты сбиты.",
        None,
    ),
    ("Дрон атаковал объекты в Крыму, ПВО сбила четыре беспилотника.", "yes"),
    ("«Ланцет» знищив вантажівку комунальників у Берислові, водій встиг вийти.", "yes"),
]


@pytest.mark.parametrize(("text", "damage"), DAMAGE)
def test_damage(text: str, damage: str | None) -> None:
    assert classify(text).damage == damage


REGIONS = [
    (
        "В аэропорту Казани введены ограничения. Причина — угроза атаки БПЛА. Задерживаются"
        " рейсы из Москвы и Сочи.",
        "Республика Татарстан",
        ["Республика Татарстан"],
    ),
    (
        "Росавиация ввела ограничения в московских аэропортах. Мэр: ПВО сбила три беспилотника,"
        " летевших на Москву.",
        None,
        ["Москва"],
    ),
    (
        "Киев вновь пытался атаковать объекты беспилотниками: над Курской областью сбиты 12.",
        None,
        ["Курская область"],
    ),
    ("Київ намагалися атакувати дронами, ППО збила п'ять шахедів.", None, ["Киев"]),
    (
        "Ракетна небезпека! Фіксується пуск балістики з тимчасово окупованого Криму.",
        "Одесская область",
        ["Одесская область"],
    ),
]


@pytest.mark.parametrize(("text", "home", "regions"), REGIONS)
def test_regions(text: str, home: str | None, regions: list[str]) -> None:
    assert [r.name_ru for r in classify(text, home_region=home).regions] == regions
