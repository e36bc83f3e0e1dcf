"""Rules added for classifier 1.3 (blind batches 6 to 8): one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify
from bot.models import Label


@pytest.mark.parametrize(
    "text",
    [
        # a period's summary, not a night's report
        "Підсумки тижня. За сім днів над областю збито 212 ворожих дронів.",
        "Итоги года: за 2025 год над регионом уничтожено 900 беспилотников.",
        # repairs finished, compensation for last winter's damage
        "В Льгове завершён ремонт детского сада, повреждённого беспилотником в мае.",
        "Families whose flats were damaged by drones last winter will get new windows.",
        # drills, deliveries, advice about attacks to come
        "Rescuers rehearsed their response to a drone attack on a power plant.",
        "Компания запустила доставку посылок беспилотниками в горные сёла.",
        "Не публікуйте відео роботи ППО: так ворог коригує наступні удари дронів.",
    ],
)
def test_not_reports(text: str) -> None:
    assert classify(text).label is Label.NOT_RELEVANT


def test_likely_that_explains_is_no_analysis() -> None:
    c = classify("Russia launched 60 drones overnight; 48 were downed, likely due to jamming.")
    assert (c.label, c.drones_destroyed, c.drones_launched) == (Label.UAV_INCIDENT, 48, 60)


def test_likely_that_forecasts_still_is() -> None:
    c = classify("Experts say drone strikes are likely to intensify over the winter.")
    assert c.label is Label.NOT_RELEVANT


def test_defence_ministry_strike_on_objects_by_drones() -> None:
    c = classify(
        "Ударными беспилотниками и ракетами нанесено поражение объектам энергетики "
        "в Харьковской области."
    )
    assert (c.label, c.damage) == (Label.UAV_INCIDENT, "yes")


def test_unnamed_weapon_in_english() -> None:
    c = classify(
        "A village in the Kursk region came under fire; the type of weapon is being "
        "established. Two houses were damaged."
    )
    assert (c.label, c.damage) == (Label.OTHER_ATTACK, "yes")


@pytest.mark.parametrize(
    ("text", "launched", "destroyed"),
    [
        ("Ворог атакував 31 ударним БпЛА, збито 25.", 31, 25),
        ("Противник атаковал 21 ударным беспилотником.", 21, None),
    ],
)
def test_singular_adjective_after_numbers_ending_in_one(
    text: str, launched: int, destroyed: int | None
) -> None:
    c = classify(text)
    assert (c.drones_launched, c.drones_destroyed) == (launched, destroyed)


def test_list_under_a_verb_with_a_colon() -> None:
    c = classify(
        "Противник атакував 60 БпЛА.\n\nЗнешкоджено:\n▫️ на Сумщині — 20,\n"
        "▫️ на Полтавщині — 18.\n\nЩе 5 локаційно втрачено."
    )
    assert (c.drones_launched, c.drones_destroyed) == (60, 38)


def test_item_on_its_own_line_under_a_colon() -> None:
    c = classify(
        "Уночі ворог атакував 3 крилатими ракетами та 45 ударними БпЛА.\n\n"
        "ППО знешкоджено 40 повітряних цілей:\n▪️ 3 крилаті ракети;\n▪️ 37 ударних БпЛА."
    )
    assert (c.drones_launched, c.drones_destroyed) == (45, 37)


@pytest.mark.parametrize(
    ("text", "casualties", "damage"),
    [
        ("Збито шість дронів. Обійшлося без загиблих і поранених.", "none", None),
        ("Удар дроном по автомобілю: авто знищене, водій поранений.", "injured", "yes"),
    ],
)
def test_consequences(text: str, casualties: str, damage: str | None) -> None:
    c = classify(text, home_region="Сумская область")
    assert (c.casualties, c.damage) == (casualties, damage)


def test_dateline_and_speaking_capitals_are_no_scene() -> None:
    c = classify(
        "MOSCOW — Air defences destroyed 12 drones over the Belgorod region, the ministry "
        "said. Kyiv did not comment. Moscow denies striking civilians."
    )
    assert [r.code for r in c.regions] == ["RU-BEL"]


@pytest.mark.parametrize(
    "text",
    [
        "Moscow's mayor said three drones flying towards the city were shot down.",
        "The mayor of Kyiv said debris of a downed drone fell in two districts.",
    ],
)
def test_the_capital_of_its_mayor_is_the_scene(text: str) -> None:
    assert [r.code for r in classify(text).regions] in (["RU-MOW"], ["UA-30"])


# -- batch 7 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Подводим итоги уходящего года: над регионом сбиты более 3 000 беспилотников.",
        "Итоги ноября. За месяц над Россией уничтожено 3 100 беспилотников.",
        "Собственникам квартир, пострадавших при атаке БПЛА, выплачено 5 млн рублей.",
        "Ukraine downed 4,100 of 4,600 drones in May, an interception rate of 89%.",
    ],
)
def test_periods_and_payments_are_no_reports(text: str) -> None:
    assert classify(text).label is Label.NOT_RELEVANT


def test_the_nights_results_are_the_nights_report() -> None:
    c = classify("Підсумки ночі: сили ППО збили 12 ворожих БпЛА.")
    assert (c.label, c.drones_destroyed) == (Label.UAV_INCIDENT, 12)


def test_schools_starting_lessons_are_no_drill() -> None:
    c = classify(
        "Зафіксовано рух ударних БпЛА на Сумщину. Школи сьогодні розпочнуть навчання дистанційно."
    )
    assert c.label is Label.UAV_THREAT


def test_airports_with_flight_restrictions_are_no_scene() -> None:
    c = classify(
        "Drones attacked a depot in Bryansk; six were shot down. Flights were restricted at "
        "airports in Kaluga and Tambov."
    )
    assert [r.code for r in c.regions] == ["RU-BRY"]


def test_targets_hit_is_damage() -> None:
    c = classify("Ударными беспилотниками нанесён удар по складам. Все цели поражены.")
    assert c.damage == "yes"


@pytest.mark.parametrize(
    ("text", "destroyed"),
    [
        ("Ворог атакував Херсонщину трьома дронами. Сили ППО збили всі три.", 3),
        (
            "Перехвачены и уничтожены беспилотники:\n▪️ с 20.00 до 23.00 мск — 4 БПЛА над "
            "Курской областью;\n▪️ с 23.00 до 07.00 мск — 6 БПЛА над Брянской областью.",
            10,
        ),
        ("Сбиты 3 беспилотника в полночь, ещё два — утром. Всего за ночь — 5.", 5),
        (
            "Над Энгельсом сбиты два БПЛА. Всего за ночь над областью, по данным ведомства, "
            "уничтожено 6 беспилотников.",
            6,
        ),
        (
            "24 drones were destroyed overnight. 10 were downed over Kursk, 8 over Bryansk "
            "and 6 over Belgorod.",
            24,
        ),
        ("Над Курской областью — 3, над Брянской — 2 БПЛА уничтожены средствами ПВО.", 5),
    ],
)
def test_totals_breakdowns_and_all_of_them(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


# -- batch 8 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Зачем ограничивают мобильный интернет? Это одна из мер защиты от атак дронов.",
        "Нагадуємо: під час тривоги не наближайтеся до уламків дронів і не стійте біля вікон.",
        "В інтерв'ю речник розповів, як ворог запускає шахеди групами.",
    ],
)
def test_explanations_advice_and_interviews(text: str) -> None:
    assert classify(text).label is Label.NOT_RELEVANT


def test_school_lessons_go_on_during_a_drone_alert() -> None:
    c = classify(
        "У Сумах повітряна тривога через загрозу ударних БпЛА. Навчання в школах "
        "продовжується в укриттях."
    )
    assert c.label is Label.UAV_THREAT


def test_damaged_flats_are_no_casualties() -> None:
    c = classify("Сбиты два беспилотника, пострадавших нет. Жителям пострадавших квартир помогут.")
    assert c.casualties == "none"


def test_of_them_after_a_destroyed_headline_is_a_breakdown() -> None:
    c = classify(
        "Air defences destroyed 40 drones overnight. 25 of them were downed over the Bryansk "
        "region and 15 over the Kursk region."
    )
    assert (c.drones_destroyed, c.drones_launched) == (40, None)


def test_russia_used_is_the_launched_figure() -> None:
    c = classify("Russia used 90 drones overnight, of which 70 were shot down.")
    assert (c.drones_launched, c.drones_destroyed) == (90, 70)


def test_route_origin_and_a_calm_city_are_no_scene() -> None:
    assert [r.code for r in classify("Ударні БпЛА з Сумщини курсом на Полтавщину.").regions] == [
        "UA-53"
    ]
    c = classify(
        "Drone debris damaged houses in the Kyiv region overnight. No damage was reported "
        "in Kyiv itself."
    )
    assert [r.code for r in c.regions] == ["UA-32"]


# -- batch 9 ------------------------------------------------------------------------------


def test_a_criminal_case_opened_after_the_attack_keeps_the_report() -> None:
    c = classify(
        "Беспилотник атаковал предприятие в Салавате, пострадал рабочий. По факту атаки "
        "возбуждено уголовное дело."
    )
    assert (c.label, c.casualties) == (Label.UAV_INCIDENT, "injured")


def test_air_defence_at_work_with_shelter_advice() -> None:
    c = classify("ПВО работает по беспилотникам над Воронежем — не подходите к окнам!")
    assert (c.label, [r.code for r in c.regions]) == (Label.UAV_INCIDENT, ["RU-VOR"])


@pytest.mark.parametrize(
    "text",
    [
        "За березень сили оборони знищили 3 100 ворожих БпЛА.",
        "Russia launched more than 5,000 drones over the past month, the air force said.",
        "Уничтожены 9 пунктов управления беспилотными летательными аппаратами и 3 танка.",
    ],
)
def test_month_totals_and_front_line_objects(text: str) -> None:
    assert classify(text).label is Label.NOT_RELEVANT


def test_a_drone_attack_threat_is_a_threat() -> None:
    c = classify("The governor announced a drone attack threat for the city. Stay indoors.")
    assert c.label is Label.UAV_THREAT


def test_a_verb_after_the_next_comma_is_another_clauses() -> None:
    c = classify("Ворог атакував 90 БпЛА. Збито 1 ракету та 70 БпЛА, зафіксовано влучання ракет.")
    assert (c.drones_launched, c.drones_destroyed) == (90, 70)


def test_routes_neighbours_and_capitals_that_act_are_no_scene() -> None:
    route = classify(
        "Шахеди рухаються через Волинську область у напрямку Львівщини. Загроза для області."
    )
    assert [r.code for r in route.regions] == ["UA-46"]
    c = classify(
        "Drones struck the port of Izmail, across from Romania; no casualties. Kyiv has used "
        "such ports for grain."
    )
    assert [r.code for r in c.regions] == ["UA-51"]


# -- 1.3.4: phrasings of the rewritten posts ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "casualties", "damage"),
    [
        # (since 1.12 "людей не задело" says so: nobody was hurt)
        ("Обстрел из миномётов: пострадали два частных дома, людей не задело.", "none", "yes"),
        ("Сбиты три БПЛА, обломками пострадали пять машин. Пострадавших нет.", "none", "yes"),
        ("Ворог запустив 40 дронів. На 5 локаціях влучили 6 ударних БпЛА.", None, "yes"),
        ("Сбит беспилотник, взрывной волной выбило окна в доме.", None, "yes"),
    ],
)
def test_property_that_suffered_is_damage(text: str, casualties: str | None, damage: str) -> None:
    c = classify(text, home_region="Курская область")
    assert (c.casualties, c.damage) == (casualties, damage)


def test_war_long_totals_and_a_month_in_figures_are_not_counted() -> None:
    c = classify("ПВО за сутки сбила 30 беспилотников. За всё время СВО уничтожено: БПЛА — 90 000.")
    assert c.drones_destroyed == 30
    march = classify("Март в цифрах: за месяц сбито 2 000 беспилотников.")
    assert march.label is Label.NOT_RELEVANT


def test_breakdown_by_region_adjectives_and_drones_that_flew_at_moscow() -> None:
    c = classify(
        "Ночью ПВО сбила 20 БПЛА. По регионам: Брянская область — 9, Тверская — 6, "
        "Московская — 5 (из них 2 летели на Москву)."
    )
    assert sorted(r.code for r in c.regions) == ["RU-BRY", "RU-MOS", "RU-TVE"]


def test_applied_drones_are_launched_and_a_craft_shot_down_is_one() -> None:
    c = classify("Уночі застосовано 120 ударних БпЛА. Збито 100.")
    assert c.drones_launched == 120
    c = classify("Противник атаковал беспилотником самолётного типа. Аппарат сбит над Псковом.")
    assert c.drones_destroyed == 1
