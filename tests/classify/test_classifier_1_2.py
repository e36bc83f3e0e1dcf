"""Rules added in classifier 1.2: breakdowns that leave the noun out, corrected figures,
"ещё" after single reports, launched totals from detection, and the consequences and places
that 1.1 missed. Each text is written for its test."""

import pytest

from bot.classify import classify
from bot.models import Label


@pytest.mark.parametrize(
    ("text", "destroyed"),
    [
        # the item names the place and the figure, not the noun
        ("Над Ейском уничтожены четыре БПЛА, над Новороссийском — три.", 7),
        ("Над Тверью сбиты два беспилотника, в Торжке — один.", 3),
        ("Над Курской областью уничтожены шесть БПЛА, ещё один — над Орловской областью.", 7),
        (
            "Сообщили об уничтожении трёх дронов над Брянщиной и пяти — над Орловщиной.",
            8,
        ),
        ("Над Полтавщиною знищено вісім ударних БпЛА, ще два — над Сумщиною.", 10),
        (
            "Officials said 15 drones were downed over Kursk and three more over Belgorod.",
            18,
        ),
        # ...but a list under a total is not added again, with or without a colon
        ("Уничтожены 9 беспилотников:\n5 — над Брянской областью,\n4 — над Курской областью.", 9),
        (
            "Уничтожено 30 БПЛА, из них 20 — над Московской областью, 10 — над Тверской областью.",
            30,
        ),
        ("Уничтожено семь беспилотников. 4 — над Брянской областью, 3 — над Курской.", 7),
    ],
)
def test_breakdown_items_without_the_noun(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_corrected_figure_replaces_the_first() -> None:
    text = "Уточнение: над Тульской областью сбиты не четыре, а шесть беспилотников."
    assert classify(text).drones_destroyed == 6


def test_also_adds_to_drones_reported_one_by_one() -> None:
    text = (
        "03:10 Сбит беспилотник, летевший на Москву.\n"
        "03:25 Ещё один БПЛА уничтожен на подлёте.\n"
        "03:50 Сбиты ещё три беспилотника."
    )
    assert classify(text).drones_destroyed == 5


def test_all_of_the_launched_destroyed() -> None:
    c = classify("Противник атаковал Таганрог шестью беспилотниками. Все они уничтожены.")
    assert (c.drones_launched, c.drones_destroyed) == (6, 6)


def test_participle_after_the_noun_does_not_decide_the_role() -> None:
    c = classify(
        "Над Курской областью сбиты 11 беспилотников, запущенных со стороны Сумской области."
    )
    assert (c.drones_destroyed, c.drones_launched) == (11, None)


def test_one_of_the_downed_is_no_new_count() -> None:
    text = "Ночью отражена атака БПЛА. Обломки одного из сбитых беспилотников упали на гараж."
    assert classify(text).drones_destroyed is None


def test_targets_count_as_drones_only_without_missiles() -> None:
    drones_only = "Ночью Россия атаковала 120 дронами. По данным ВСУ, 97 целей сбиты или подавлены."
    assert classify(drones_only).drones_destroyed == 97
    mixed = "Атака 3 ракетами и 60 дронами. Сбиты 55 целей."
    assert classify(mixed).drones_destroyed is None


def test_detected_drones_are_the_launched_total() -> None:
    text = (
        "Загалом виявлено 86 засобів повітряного нападу: 4 ракети та 82 ударні БпЛА. "
        "Збито або подавлено 70 дронів."
    )
    c = classify(text)
    assert (c.drones_launched, c.drones_destroyed) == (82, 70)


@pytest.mark.parametrize(
    ("text", "casualties", "damage"),
    [
        ("Над Миколаївщиною збито три дрони. Постраждалих та руйнувань немає.", "none", "none"),
        ("FPV-дрон атакував автомобіль у Вовчанську. Поранено водія.", "injured", "yes"),
        (
            "В селе дрон атаковал автомобиль, машина не повреждена, водитель не пострадал.",
            "none",
            "none",
        ),
        (
            "Над Черкащиною знищено 5 шахедів. Уламки впали на ферму, сталося загоряння.",
            None,
            "yes",
        ),
        ("Беспилотник попал в общежитие, ранены двое.", "injured", "yes"),
        ("Удар дрона по автомобилю: машина сгорела, погиб водитель.", "killed", "yes"),
        ("A drone hit a car near Sudzha, wounding the driver.", "injured", "yes"),
        ("Постраждав охоронець складу, на який впали уламки безпілотника.", "injured", None),
        ("Ukraine said 40 of 52 drones were shot down and nine drones hit targets.", None, "yes"),
        ("A Shahed struck an industrial site in Dnipro overnight.", None, "yes"),
    ],
)
def test_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # an all-clear beside a sentence about drones
        ("Відбій повітряної тривоги. Ударні дрони залишили область.", Label.UAV_THREAT),
        # "балістика" is a ballistic missile
        ("Відбій загрози балістики для Харківщини.", Label.OTHER_ATTACK),
        # advice in Ukrainian, a fact-check in English
        ("Знайшли уламки дрона? Не чіпайте їх, телефонуйте 101.", Label.NOT_RELEVANT),
        ("Fact check: a clip said to show a drone hitting a refinery is old.", Label.NOT_RELEVANT),
        # "для обнаружения" is what drones are used for, not a detection
        ("Лесники используют беспилотники для обнаружения пожаров.", Label.NOT_RELEVANT),
        # "Russian-installed" is a title, not a protection works post
        (
            "Air defences in Crimea intercepted nine drones, the Russian-installed head said.",
            Label.UAV_INCIDENT,
        ),
    ],
)
def test_labels(text: str, label: Label) -> None:
    assert classify(text).label is label


def test_a_calm_place_is_not_the_scene() -> None:
    text = "Над Брянщиной сбиты два беспилотника. На Смоленщине ночь прошла спокойно."
    assert [r.code for r in classify(text).regions] == ["RU-BRY"]


def test_a_country_that_speaks_is_not_the_scene() -> None:
    text = "Air defences downed 40 drones over the Lviv region. Poland said it scrambled jets."
    assert [r.code for r in classify(text).regions] == ["UA-46"]


def test_the_verb_right_before_the_figure_wins_over_a_later_clause() -> None:
    c = classify("Энгельс атакован дронами. ПВО сбито 5 БПЛА, обломки упали на пустырь.")
    assert c.drones_destroyed == 5


def test_destroyed_of_launched_with_the_noun_between() -> None:
    c = classify("Вночі сили ППО збили 19 ударних БпЛА з 24, якими ворог атакував Україну.")
    assert (c.drones_destroyed, c.drones_launched) == (19, 24)


def test_all_of_the_drones_counted_before_were_suppressed() -> None:
    c = classify("В Глушковский район залетели два беспилотника. Все подавлены средствами РЭБ.")
    assert c.drones_destroyed == 2


def test_a_third_drone_adds_one() -> None:
    text = "Two drones were shot down and a third was jammed over the Oryol region."
    assert classify(text).drones_destroyed == 3


def test_hit_by_n_drones_is_the_launched_figure() -> None:
    c = classify("Sumy was hit by 4 Shahed drones overnight, damaging a school.")
    assert (c.drones_launched, c.label) == (4, Label.UAV_INCIDENT)


def test_drones_that_targeted_a_region_are_an_attack() -> None:
    text = "Drones targeted the Voronezh region overnight; a fire broke out at a warehouse."
    c = classify(text)
    assert (c.label, c.damage) == (Label.UAV_INCIDENT, "yes")
    assert classify("New sanctions targeting drone part suppliers.").label is Label.NOT_RELEVANT


@pytest.mark.parametrize(
    ("text", "casualties", "damage"),
    [
        ("Дрон ударил по грузовику на трассе, водитель ранен.", "injured", "yes"),
        ("Дрон влучив у 9-поверховий будинок, поранено двох людей.", "injured", "yes"),
        # property that "пострадало" is damage, not a casualty
        (
            "Сбиты 3 БПЛА. Пострадавших нет. Жители, чьё имущество пострадало, звоните 122.",
            "none",
            None,
        ),
    ],
)
def test_more_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a speaker's title names a place only when nothing else is named
        (
            "Мэр Москвы: сбит беспилотник, летевший на Москву, обломки упали у Подольска.",
            ["RU-MOS"],
        ),
        ("Мэр Москвы: отражена атака двух БПЛА, летевших на Москву.", ["RU-MOW"]),
        # where the missiles came from is no scene
        (
            "Ворог атакував ракетами з Курської області та 40 дронами, збито 35 над Сумщиною.",
            ["UA-59"],
        ),
        # a country that scrambles jets only reacts
        ("Над Волинню збито 2 шахеди. Польща піднімала авіацію.", ["UA-07"]),
    ],
)
def test_places_that_are_not_the_scene(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


@pytest.mark.parametrize(
    ("text", "casualties", "damage"),
    [
        (
            "Над районом уничтожены четыре БПЛА. Обошлось без пострадавших и разрушений.",
            "none",
            "none",
        ),
        (
            "Збито 6 дронів, у місті пошкоджено кілька автомобілів, постраждалих немає.",
            "none",
            "yes",
        ),
    ],
)
def test_negations_do_not_reach_across_clauses(
    text: str, casualties: str | None, damage: str | None
) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


def test_a_damaged_farm_building_is_no_farming_post() -> None:
    c = classify("Окупанти скинули 2 КАБи на громаду. Пошкоджено ангар агропідприємства.")
    assert (c.label, c.damage) == (Label.OTHER_ATTACK, "yes")


def test_air_defences_engaging_drones_now_is_an_incident() -> None:
    text = "Air defences are engaging hostile drones over Kyiv, stay in shelters."
    assert classify(text).label is Label.UAV_INCIDENT


def test_a_yearly_total_is_statistics() -> None:
    text = "Air defences downed more than 50,000 drones in 2025, up on the previous year."
    assert classify(text).label is Label.NOT_RELEVANT


def test_the_verb_may_come_in_the_next_sentence() -> None:
    text = "Беспилотников — 9. Столько за ночь уничтожили над областью дежурные силы ПВО."
    assert classify(text).drones_destroyed == 9


@pytest.mark.parametrize(
    ("text", "destroyed", "launched"),
    [
        # the figure after the noun
        ("Над областью уничтожены беспилотники в количестве девяти штук.", 9, None),
        ("Беспилотников сбито — 4. Работали три мобильные группы.", 4, None),
        ("Оперштаб: Сбито БПЛА: 5 ед. Пострадавшие: нет.", 5, None),
        # lists that put the place first, with bullets or keycap numbers
        ("Сбиты беспилотники:\n1️⃣ Белгородский район — 4\n2️⃣ Валуйский округ — 1", 5, None),
        ("Збито дрони:\n• Сумський район — 2\n• Конотопський район — 3", 5, None),
        ("Уничтожены БПЛА: над Чёрным морем — 5 ед., над Крымом — 2 ед.", 7, None),
        ("БПЛА сбиты над Энгельсом (3) и Саратовом (1).", 4, None),
        # one more stated differently
        (
            "Отражена атака беспилотников. Один — сбит над Азовом, два — над Батайском,"
            " ещё один — в Зерноградском районе.",
            4,
            None,
        ),
        ("Сбиты 2 БПЛА над Льговом и 1 над Рыльском.", 3, None),
        ("Shot down: 12 drones over Belgorod, 5 over Kursk.", 17, None),
        ("Увечері збили три шахеди, а вночі — ще п'ять.", 8, None),
        (
            "Air defences shot down a drone over Moscow and another two over the Moscow region.",
            3,
            None,
        ),
        # breakdowns by "из которых", "среди них", brackets, "two of them"
        ("Сбиты 14 БПЛА, из которых 6 — над Курском.", 14, None),
        ("Уничтожены восемь беспилотников, среди них три — над Калугой.", 8, None),
        ("Над Курской областью перехвачены 6 дронов (4 — над Курском).", 6, None),
        ("Seven drones were shot down over the Kursk region, two of them near Rylsk.", 7, None),
        # running totals and corrections
        (
            "Ещё 5 перехвачены днём. Общее число сбитых за сутки беспилотников достигло 33.",
            33,
            None,
        ),
        ("Three more drones were downed, bringing the night's total to 14.", 14, None),
        ("Ранее сообщалось о 12 сбитых, фактически уничтожено 15 БПЛА.", 15, None),
        ("Ранее сообщалось о трёх сбитых беспилотниках, уточнённые данные — 5.", 5, None),
        ("Сбиты три БПЛА над Орлом. Итого за сутки — 9 беспилотников.", 9, None),
        # the whole, and the part of it
        (
            "Из тридцати беспилотников, направленных на область, 28 уничтожены, ещё два подавлены.",
            30,
            30,
        ),
        ("Отражена атака двенадцати беспилотников — все двенадцать уничтожены.", 12, 12),
        (
            "Ворог запустив 18 дронів. ППО збили п'ятнадцять із вісімнадцяти — над Київщиною.",
            15,
            18,
        ),
        ("Ukraine said 30 of the 41 drones launched were shot down and 8 were jammed.", 38, 41),
        ("Half of the 30 drones were shot down over the Sumy region.", None, 30),
    ],
)
def test_less_common_ways_of_stating_counts(
    text: str, destroyed: int | None, launched: int | None
) -> None:
    c = classify(text)
    assert (c.drones_destroyed, c.drones_launched) == (destroyed, launched)


def test_a_keycap_number_is_a_bullet_not_a_count() -> None:
    from bot.classify.numbers import find_numbers

    assert [m.value for m in find_numbers("1️⃣ Белгород — 3")] == [3]


def test_a_rumour_spread_online_is_no_report() -> None:
    text = "В сети распространяется сообщение о 20 сбитых ночью над Тулой БПЛА. Это фейк."
    assert classify(text).label is Label.NOT_RELEVANT


def test_an_injured_count_after_ещё_is_no_drone_count() -> None:
    c = classify("Атакували 9 дронів, знищено сім. Загинула 1 людина, ще 4 — поранені.")
    assert (c.drones_destroyed, c.drones_launched) == (7, 9)


def test_a_verb_right_before_the_next_figure_is_that_figures() -> None:
    c = classify("Внаслідок атаки 14 шахедів на Одесу збито 11.")
    assert (c.drones_destroyed, c.drones_launched) == (11, 14)


def test_two_drone_nouns_in_a_row_are_one_phrase() -> None:
    c = classify("Air defence downed 38 Shahed drones out of 52 launched overnight.")
    assert (c.drones_destroyed, c.drones_launched) == (38, 52)
