"""Rules added for classifier 1.4 (blind batch 10 and the dev errors left from earlier
batches): one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify
from bot.classify.regions import lookup_region
from bot.models import Label


@pytest.mark.parametrize(
    "word",
    ["Благодарю", "благодаря", "бланк", "благоустройство"],
)
def test_words_starting_bla_are_no_drone(word: str) -> None:
    c = classify(f"{word} всех, кто работал на месте падения.")
    assert c.label is Label.NOT_RELEVANT


def test_hyphenated_bpla_is_still_a_drone() -> None:
    c = classify("Над Курском сбит БПЛА-камикадзе.")
    assert (c.label, c.drones_destroyed) == (Label.UAV_INCIDENT, 1)


def test_most_of_them_is_an_item_not_a_total() -> None:
    c = classify(
        "За ночь сбиты 30 беспилотников. Больше всего — 14 — над Брянской областью, "
        "ещё 10 над Курской и 6 над Орловской."
    )
    assert c.drones_destroyed == 30


def test_also_opening_the_later_figures_still_adds() -> None:
    c = classify("Сбиты 5 БПЛА. Ещё 3 сбиты утром над Курском, и 2 над Рыльском.")
    assert c.drones_destroyed == 10


def test_items_with_units_after_a_full_stop() -> None:
    c = classify("ПВО сбила беспилотники: 4 ед. над Брянской областью и 5 ед. над Курской.")
    assert c.drones_destroyed == 9


def test_list_lines_with_time_spans() -> None:
    c = classify(
        "Ночью ПВО перехватывала беспилотники:\n"
        "▪️ с 21.00 до 00.00 мск — 8 над Белгородской областью;\n"
        "▪️ с 00.00 до 06.00 мск — 15 над Курской и Орловской областями."
    )
    assert c.drones_destroyed == 23


def test_list_items_are_no_totals_of_each_other() -> None:
    c = classify("Над областью уничтожены беспилотники:\n• Сумы — 3\n• Ромны — 2\n• Конотоп — 1")
    assert c.drones_destroyed == 6


def test_verb_heads_a_list_in_english() -> None:
    c = classify("Drones downed overnight: five over the Kursk region, two over Oryol.")
    assert c.drones_destroyed == 7


def test_a_third_brought_down() -> None:
    c = classify("Two drones were shot down over Bryansk and a third was brought down by jamming.")
    assert c.drones_destroyed == 3


def test_suppressed_in_ukrainian_pridusheno() -> None:
    c = classify("Збито 40 дронів, ще 12 придушено засобами РЕБ.")
    assert c.drones_destroyed == 52


def test_launched_then_some_struck() -> None:
    c = classify(
        "Противник выпустил по области 20 беспилотников. 15 уничтожены, ещё 5 дронов "
        "атаковали промзону."
    )
    assert (c.drones_destroyed, c.drones_launched) == (15, 20)


def test_sent_is_launched() -> None:
    c = classify("Russia sent 90 attack drones overnight; 70 were shot down.")
    assert (c.drones_destroyed, c.drones_launched) == (70, 90)


def test_air_defence_struck_drones_is_destroyed_not_damage() -> None:
    c = classify("За сутки ПВО поразила 40 беспилотников самолётного типа.")
    assert (c.label, c.drones_destroyed, c.damage) == (Label.UAV_INCIDENT, 40, None)


def test_slammed_into_is_a_hit() -> None:
    c = classify("A drone slammed into a warehouse in Sumy, the city council said.")
    assert c.label is Label.UAV_INCIDENT


def test_possible_air_defence_work_is_a_warning() -> None:
    c = classify("В городе объявлена беспилотная опасность. Возможна работа ПВО.")
    assert c.label is Label.UAV_THREAT


def test_group_of_shaheds_recorded_is_a_warning() -> None:
    c = classify("Зафіксовано групу шахедів над Полтавщиною.")
    assert c.label is Label.UAV_THREAT


@pytest.mark.parametrize(
    "text",
    [
        # a whole month named as the time: an earlier event
        "В сентябре расчёт ПВО сбил 12 беспилотников над заводом. Бойцам вручены медали.",
        "Russia launched about 4,000 drones in April, and most of them were shot down.",
        # a period's review keeps its counts
        "Підсумки березня: силами ППО знешкоджено 2 900 дронів.",
        # since the war began / since the start of the year
        "The ministry says 50,000 drones have been downed since the war began.",
        # a siren test, a drill "у разі атаки", recruiting crews
        "Завтра в 11:00 пройдёт проверка системы оповещения. Это не беспилотная опасность.",
        "У Полтаві відбудуться навчання з дій населення у разі атаки БпЛА.",
        "Набір до мобільних вогневих груп: збивати шахеди, зарплата від 20 тис. грн.",
        # charity, a drone maker, a tally
        "A charity raised $50,000 to buy 200 FPV drones for the front.",
        "A drone maker whose plant was hit in the spring has restarted production.",
    ],
)
def test_not_reports(text: str) -> None:
    assert classify(text).label is Label.NOT_RELEVANT


def test_cumulative_total_from_the_start_of_the_year_is_not_counted() -> None:
    c = classify(
        "Над Брянской областью знешкоджено 9 безпілотників. Від початку року над регіоном "
        "збили понад 700 дронів."
    )
    assert c.drones_destroyed == 9


def test_no_reports_of_casualties_or_damage() -> None:
    c = classify(
        "Сбиты два беспилотника над Калугой. Сведений о пострадавших и разрушениях не поступало."
    )
    assert (c.casualties, c.damage) == ("none", "none")


def test_residents_unhurt_after_damage_to_their_house() -> None:
    c = classify("Сбит беспилотник. Осколками повреждена крыша дома, жильцы не пострадали.")
    assert (c.casualties, c.damage) == ("none", "yes")


def test_objects_unhurt_is_still_no_damage() -> None:
    c = classify("Сбит беспилотник. Гражданские объекты не пострадали.")
    assert c.damage == "none"


def test_target_is_not_the_place_when_another_is_named() -> None:
    c = classify(
        "Беспилотник, направлявшийся к Москве, сбит. Обломки упали в городском округе Домодедово."
    )
    assert [r.code for r in c.regions] == ["RU-MOS"]


@pytest.mark.parametrize("name", ["Ровненская область", "над Ровненской областью"])
def test_rovnenskaya_variant(name: str) -> None:
    c = classify(f"{name}: сбиты два беспилотника.")
    assert [r.code for r in c.regions] == ["UA-56"]
    assert lookup_region("Ровненская область").code == "UA-56"


def test_launched_by_the_enemy_between_figure_and_noun() -> None:
    c = classify("Із 40 запущених ворогом безпілотників знешкоджено 31.")
    assert (c.drones_destroyed, c.drones_launched) == (31, 40)


def test_route_on_the_way_is_not_the_scene() -> None:
    c = classify(
        "Air raid alert in Kyiv: the air force says attack drones are flying over the "
        "Zhytomyr region toward the capital."
    )
    assert (c.label, [r.code for r in c.regions]) == (Label.UAV_THREAT, ["UA-30"])


# -- batch 11 ------------------------------------------------------------------------------


def test_a_month_in_a_side_sentence_leaves_the_report() -> None:
    c = classify(
        "Air defence is working against drones over Odesa. Debris fell in a park. "
        "It is the fifth attack on the city in October."
    )
    assert c.label is Label.UAV_INCIDENT


def test_dash_between_verb_and_figure_in_a_bullet_list() -> None:
    c = classify(
        "Всього противник запустив 50 БпЛА.\n• Уражено вогневими засобами — 30;\n"
        "• подавлено РЕБ — 12;\n• локаційно втрачено — 8."
    )
    assert (c.drones_destroyed, c.drones_launched) == (42, 50)


def test_quoted_verb_after_also() -> None:
    c = classify("ППО збили 9 безпілотників, ще три «заглушили» бійці РЕБ.")
    assert c.drones_destroyed == 12


def test_of_after_a_quoted_noun_is_the_launched_whole() -> None:
    c = classify("ППО збила сім «шахедів» із дев'яти, що летіли через область.")
    assert (c.drones_destroyed, c.drones_launched) == (7, 9)


def test_update_corrects_the_first_figure() -> None:
    c = classify("Вночі збито 5 ворожих БпЛА.\nUPD 09:10: уточнюємо — знищено 8 ударних дронів.")
    assert c.drones_destroyed == 8


def test_next_lines_of_a_list_without_prepositions() -> None:
    c = classify(
        "Де працювала ППО:\n🔹 Сумщина — 5 збитих дронів\n🔹 Полтавщина — 3\n🔹 Київщина — 1"
    )
    assert c.drones_destroyed == 9


def test_list_head_past_a_time() -> None:
    c = classify(
        "Air defences destroyed Ukrainian drones between 21:00 and 23:00 Moscow time: "
        "six over the Kursk region and two over the Bryansk region."
    )
    assert c.drones_destroyed == 8


def test_a_third_shot_down_alone() -> None:
    c = classify("Два дрони влучили у склад, третій збили мобільні групи.")
    assert c.drones_destroyed == 1


def test_more_lost_from_radar_is_not_launched() -> None:
    c = classify(
        "Russia launched 50 drones; 40 had been shot down and 6 more were lost from radar."
    )
    assert (c.drones_destroyed, c.drones_launched) == (40, 50)


def test_both_after_missiles_counts_no_drones() -> None:
    c = classify("Знищено п'ять «шахедів». Також ворог випустив дві ракети — обидві збиті.")
    assert c.drones_destroyed == 5


def test_enemy_raised_means_launched() -> None:
    c = classify("Ворог підняв 300 засобів повітряного нападу — 280 дронів і 20 ракет.")
    assert c.drones_launched == 280


@pytest.mark.parametrize(
    "text",
    [
        "The EU put eight firms on its sanctions list for supplying components for attack drones.",
        "Kursk residents whose flats were damaged by drones will receive up to 40,000 roubles.",
        "У районі пройдуть навчання: відпрацюють відбиття атаки дронів, можливі гучні звуки.",
    ],
)
def test_not_reports_batch_11(text: str) -> None:
    assert classify(text).label is Label.NOT_RELEVANT


def test_unlike_the_usual_drone_raids_is_a_missile_attack() -> None:
    c = classify("A ballistic missile hit Dnipro; unlike the usual drone raids it came by day.")
    assert c.label is Label.OTHER_ATTACK


def test_launch_origins_with_a_verb() -> None:
    c = classify(
        "Вночі збито 20 дронів над Сумщиною. Пуски велися з Курської області.",
    )
    assert [r.code for r in c.regions] == ["UA-59"]


def test_regional_administration_is_the_oblast() -> None:
    c = classify("A drone was shot down near Brovary, the Kyiv regional administration said.")
    assert [r.code for r in c.regions] == ["UA-32"]


@pytest.mark.parametrize(
    ("text", "damage"),
    [
        ("Збито 10 дронів. Наслідки влучань є на Київщині.", "yes"),
        ("Сім дронів дісталися цілей, ще 40 збито.", "yes"),
        ("Forty drones were downed. The ministry gave no information on damage.", None),
    ],
)
def test_damage_phrases(text: str, damage: str | None) -> None:
    assert classify(text).damage == damage


def test_no_civilians_were_hurt() -> None:
    assert classify("Six drones were shot down. No civilians were hurt.").casualties == "none"


def test_total_since_the_special_operation_began_is_not_counted() -> None:
    c = classify(
        "За сутки сбиты 90 беспилотников самолётного типа. С начала спецоперации общее число "
        "уничтоженных беспилотников достигло 70 100."
    )
    assert c.drones_destroyed == 90


def test_total_after_a_single_drone() -> None:
    c = classify("Ещё один. Над Вяземским районом сбит беспилотник. Всего за ночь — четыре.")
    assert c.drones_destroyed == 4


def test_not_a_drill_is_a_real_alarm() -> None:
    c = classify("Введён режим опасности атаки беспилотников. Это не учения, пройдите в укрытие.")
    assert c.label is Label.UAV_THREAT


def test_plural_denial() -> None:
    c = classify(
        "Сообщения о том, что этой ночью над городом сбиты 30 беспилотников, не соответствуют "
        "действительности."
    )
    assert c.label is Label.NOT_RELEVANT
