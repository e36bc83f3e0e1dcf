"""Rules added for classifier 1.10 (blind batch 19 and the last dev error of earlier batches):
one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify

FIGURES = [
    # "Больше всего — над X": the largest part of the total, not more drones
    (
        "Ночью над шестью регионами сбиты 90 беспилотников. Больше всего — над Курской"
        " областью, там уничтожено 30. Остальные перехвачены над соседними областями.",
        90,
    ),
    # ... also as a figure in commas after the noun, with "ещё" going on with the parts
    (
        "ПВО перехватила 30 беспилотников. Больше всего дронов, 15, пришлось на Брянскую"
        " область; ещё 10 сбиты над Курской, 5 — над Орловской.",
        30,
    ),
    # the head's place after its figure, and items with places of their own: parallel
    (
        "ПВО уничтожила шесть вражеских аппаратов над Тульской областью, четыре — над Калужской"
        " и два — над Орловской.",
        12,
    ),
    (
        "Eight drones were shot down over the Kursk region, five over Bryansk and three over"
        " Oryol.",
        16,
    ),
    # a headline's "drone interceptions" is a topic, not one drone
    ("MoD lists drone interceptions\n\nFour drones were downed over the Belgorod region.", 4),
    # the headline's figure and a body's total of the same value: the total stays
    (
        "Mayor: 9 drones downed\n\nFirst four drones, then another two. Later he put the"
        " night's total at 9.",
        9,
    ),
    # a correction: "помилково вказали" marks the figure taken back
    ("Ми помилково вказали вісім збитих БпЛА. Насправді над областю знищено сім дронів.", 7),
    # a night's timeline, line by line, with its total
    (
        "Хроника ночи:\n01:10 — над Сызранью сбит первый БПЛА;\n02:30 — ещё два там же;\n"
        "03:50 — один над Тольятти.\nВсего четыре.",
        4,
    ),
    # "ещё два наши средства РЭБ посадили": the subject before the item's own verb
    ("Над Тверью сбиты три дрона, а ещё два наши средства РЭБ посадили за городом.", 5),
    # a total of some places is a part of the night's figure
    (
        "За ночь выпущено 80 беспилотников, 70 из них сбиты. Над Крымом и Кубанью уничтожено в"
        " общей сложности 25 аппаратов.",
        70,
    ),
    # "впоралися з п'ятьма" after "за ніч ... вже": the night so far, not a launched whole
    ("Щойно збито ще два дрони, тож за ніч ми вже впоралися з п'ятьма шахедами.", 5),
    # "N others were suppressed" adds up to the headline
    (
        "Ukraine says 40 of 50 drones neutralised\n\nRussia attacked overnight with 50 drones."
        " Thirty were shot down and 10 others were suppressed by electronic warfare.",
        40,
    ),
    # the MoD's "поражены": air defence struck the drones
    ("Средствами ПВО поражены две авиабомбы и 45 беспилотников самолётного типа.", 45),
    # the Orlan reconnaissance drone
    ("Над Ізюмським районом збито два розвідувальні «Орлани».", 2),
    # the enemy's "аппараты" are drones without a stronger noun
    ("Дежурная ПВО уничтожила три украинских аппарата над Брянской областью.", 3),
]


@pytest.mark.parametrize(("text", "destroyed"), FIGURES)
def test_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


LABELS = [
    # supplies sent to the troops
    ("Область отправила бойцам ещё 200 FPV-дронов, собранных жителями.", "not_relevant"),
    # serial production, in Ukrainian
    ("На заводі області запустили серійне складання дронів-перехоплювачів.", "not_relevant"),
    # an award for a past summer
    (
        "Громада відзначила бійців мобільної групи, які торік знищили 19 шахедів, грамотами.",
        "not_relevant",
    ),
    # a map of the usual threats
    (
        "Як читати мапу загроз? Стрілки — типові напрямки руху шахедів над областю.",
        "not_relevant",
    ),
    # a threat of FPV attacks on a road
    ("На трассе сохраняется угроза атаки FPV-дронов, не останавливайтесь.", "uav_threat"),
    # drones on course to a town
    ("Ударні БпЛА над морем, курс — на Очаків.", "uav_threat"),
    # "no drones were involved"
    (
        "A missile hit a warehouse in Dnipro. The air force said no drones were involved.",
        "other_attack",
    ),
    # "assessing the buildings" is no analysis piece
    (
        "Russian aircraft dropped four guided aerial bombs on a village. Specialists are"
        " assessing the buildings.",
        "other_attack",
    ),
    # "without giving its own tally" is no analysis piece either
    (
        "The ministry said 20 drones were destroyed over Crimea. Kyiv, without giving its own"
        " tally, said a radar was hit.",
        "uav_incident",
    ),
]


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_label(text: str, label: str) -> None:
    assert classify(text).label == label


def test_sunday_summary_launched() -> None:
    verdict = classify(
        "Повітряні сили підбили підсумки неділі: окупанти випустили 60 безпілотників. 50 з них"
        " збили."
    )
    assert (verdict.drones_destroyed, verdict.drones_launched) == (50, 60)


def test_launch_origins_are_not_the_scene() -> None:
    verdict = classify(
        "Ворог випустив по Україні 30 ударних БпЛА з Курщини та Криму. Збито 25. Влучання на"
        " Одещині."
    )
    assert [r.code for r in verdict.regions] == ["UA-51"]


DAMAGE = [
    "Шахед поцілив у Салтівський район — горить нежитлова будівля.",
    "FPV-дрон атакував маршрутку на в'їзді в місто.",
    "A drone hit a logistics company's premises in Dnipro.",
    "Falling fragments of a drone had smashed the windows of a shop.",
]


@pytest.mark.parametrize("text", DAMAGE)
def test_damage(text: str) -> None:
    assert classify(text).damage == "yes"


CITY_AND_OBLAST = [
    ("Тривога у Києві та області через загрозу шахедів.", ["UA-30", "UA-32"]),
    ("Угроза атаки БПЛА в Москве и области.", ["RU-MOS", "RU-MOW"]),
    ("Air raid alert in Kyiv and the surrounding region over a drone threat.", ["UA-30", "UA-32"]),
    # the city alone stays the city
    ("Над Москвой сбит беспилотник.", ["RU-MOW"]),
]


@pytest.mark.parametrize(("text", "codes"), CITY_AND_OBLAST)
def test_city_and_the_oblast_around_it(text: str, codes: list[str]) -> None:
    assert sorted(r.code for r in classify(text).regions) == codes
