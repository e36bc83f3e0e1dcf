"""Rules added for classifier 1.11 (blind batch 20 and the last dev errors of batch 19):
one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify

FIGURES = [
    # a bracketed aside after a bare figure: the figure still closes "збито/подавлено"
    (
        "Уточнення: збито/подавлено 41 (вранці йшлося про 37) ворожий безпілотник з 55.",
        41,
    ),
    ("Ночью сбито 12 (в том числе 5 над Курском) беспилотников.", 12),
]


@pytest.mark.parametrize(("text", "destroyed"), FIGURES)
def test_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


REGIONS = [
    # two capitals that speak for their governments are not the scene
    (
        "Drone raid on Crimea: Moscow and Kyiv tell different stories\n\nRussia said it"
        " downed 20 drones over Crimea.",
        ["UA-43"],
    ),
]


@pytest.mark.parametrize(("text", "codes"), REGIONS)
def test_regions(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


# press items: the background paragraph and the source's earlier word are not tonight's figure
PRESS_FIGURES = [
    (
        "Над Орловской областью ночью сбиты пять беспилотников, сообщил губернатор. Ранее"
        " Минобороны отчиталось о 40 дронах, перехваченных над всей страной.",
        5,
    ),
    (
        "Губернатор уточнил данные. Ранее он сообщал о трёх сбитых дронах, однако позднее"
        " выяснилось, что уничтожены четыре аппарата.",
        4,
    ),
    (
        "Зранку голова ОВА повідомляв про чотири збиті безпілотники. Після уточнення — над"
        " областю знищено сім БпЛА.",
        7,
    ),
    (
        "Над Тамбовом уничтожены два беспилотника. Напомним, 12 мая над городом сбили девять"
        " дронов.",
        2,
    ),
    (
        "Над Курском сбиты три дрона. В прошлый четверг там сбили восемь аппаратов.",
        3,
    ),
    ("ПВО сбила над Ельцом шесть дронов. Всего с понедельника над регионом сбито 40 БПЛА.", 6),
    ("Над Брянском сбиты три дрона. Неделей ранее над тем же районом уничтожили 12.", 3),
    (
        "Над Сумщиною вночі збито три шахеди. Нагадаємо, тиждень тому над громадою збили 14"
        " дронів.",
        3,
    ),
]


@pytest.mark.parametrize(("text", "destroyed"), PRESS_FIGURES)
def test_press_background_is_not_counted(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


LABELS = [
    # the lead is news even when a later sentence recalls an earlier attack
    (
        "Над Людиновским районом сбиты два дрона\n\nПредыдущий налёт был 3 февраля — тогда"
        " сбили пять беспилотников.",
        "uav_incident",
    ),
    (
        "Над Смоленщиной ночью уничтожен беспилотник. Предыдущая атака была 19 ноября, тогда"
        " сбили четыре дрона.",
        "uav_incident",
    ),
    (
        "Missile strike hits Kharkiv plant\n\nTwo ballistic missiles struck an industrial area."
        " Last week Russia fired more than 500 drones at Ukraine.",
        "other_attack",
    ),
    # an interview about a night long ago
    (
        "«Однажды за ночь мы сбили восемь шахедов», — рассказывает командир мобильной группы.",
        "not_relevant",
    ),
    # an opinion column about a figure
    (
        "Колонка: почему 300 сбитых за ночь дронов — не повод расслабляться. Обозреватель"
        " разбирает статистику.",
        "not_relevant",
    ),
    # a network of detection posts being built
    (
        "В области появится сеть из 40 акустических постов обнаружения беспилотников.",
        "not_relevant",
    ),
    # drills of mobile fire groups at a range
    (
        "На Житомирщині тренуються мобільні вогневі групи: як збивають «шахеди» на полігоні",
        "not_relevant",
    ),
    # "the danger of an attack from the air" is a warning
    (
        "К республике приближаются ударные беспилотники. Опасность атаки с воздуха сохраняется"
        " над Джанкоем.",
        "uav_threat",
    ),
    # a warning whose post says no drone was downed
    (
        "Lipetsk region put on red drone alert. No drones had been reported downed by the time"
        " of publication.",
        "uav_threat",
    ),
    (
        "Kaluga lifts drone alert after three hours. The governor did not report any drones"
        " downed.",
        "uav_threat",
    ),
]


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_label(text: str, label: str) -> None:
    assert classify(text).label.value == label


CONSEQUENCES = [
    # ("text", casualties, damage)
    ("Над Тулой сбиты два дрона. «Повреждений на земле нет, пострадавших тоже», — написал он.",
     "none", "none"),
    ("Над Львівщиною збили два шахеди. Жодних пошкоджень інфраструктури, ніхто не травмований.",
     "none", "none"),
    ("Над областю збито дев'ять БпЛА. Жодних пошкоджень та постраждалих, за його словами, немає.",
     "none", "none"),
    ("Над районом збили два шахеди. Уламки впали в поле — ні руйнувань, ні жертв.",
     "none", "none"),
    ("Один дрон влучив у приватне подвір'я на околиці міста.", None, "yes"),
    ("Russia said it downed 12 drones. The ministry did not mention damage or casualties.",
     None, None),
    ("Ukraine said 20 drones were shot down and others struck targets in the north.", None, "yes"),
    ("Two drones were downed; debris hit the roof of a school.", None, "yes"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "casualties", "damage"), CONSEQUENCES)
def test_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


FIGURES_1_11 = [
    # "большая часть из них уничтожена": how many is not said; the figure is the attack's
    (
        "Ночью на регион пытались налететь 20 беспилотников, большая часть из них уничтожена"
        " силами ПВО.",
        None,
    ),
    # "N more had been jammed"
    (
        "Russia attacked with 90 drones. By 9 a.m., 50 had been shot down and 20 more had been"
        " jammed, the air force said.",
        70,
    ),
    # a head with its own place after "повідомив, що цієї ночі", and items with theirs: they add
    (
        "Голова ОВА повідомив, що цієї ночі над Павлоградським районом збили п'ять"
        " безпілотників, над Дніпровським — три, над Криворізьким — ще два.",
        10,
    ),
    # a headline's single drone is the body's one drone
    (
        "На Рівненщині вночі збили ударний дрон\n\nМобільна вогнева група знешкодила над"
        " Сарненським районом один ворожий БпЛА.",
        1,
    ),
    # "two each over X and Y" is said for both places
    (
        "Air defences intercepted drones overnight: eight over the Belgorod region, five over"
        " Kursk, two each over Lipetsk and Tambov, and one over the Ryazan region.",
        18,
    ),
    (
        "Seven drones were shot down over Kursk, and two each over the Lipetsk and Tambov regions.",
        11,
    ),
]


@pytest.mark.parametrize(("text", "destroyed"), FIGURES_1_11)
def test_destroyed_1_11(text: str, destroyed: int | None) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_a_headline_figure_stays_in_the_headline() -> None:
    """ "... injures four" and, after the blank line, "Russian drones": no four drones."""
    c = classify(
        "Drone attack injures four\n\nRussian drones struck a port overnight. Air defence"
        " destroyed eleven drones over the region."
    )
    assert (c.drones_launched, c.drones_destroyed) == (None, 11)


def test_vague_share_leaves_the_launched_figure() -> None:
    c = classify(FIGURES_1_11[0][0])
    assert (c.drones_launched, c.drones_destroyed) == (20, None)


REGIONS_1_11 = [
    # the clock: "с 8 до 14 часов по Москве", "Moscow time"
    ("ПВО с 8 до 14 часов по Москве уничтожила 12 беспилотников над Брянской областью.",
     ["RU-BRY"]),
    # a dateline after the headline, with a date in brackets; a capital that did not comment
    ("Russia says 9 drones downed\n\nMOSCOW (Oct 14) — Air defences destroyed nine drones over"
     " the Kursk region, the ministry said. Kyiv did not immediately comment.", ["RU-KRS"]),
    ("Kyiv and Moscow trade drone attacks\n\nUkraine said 30 drones were downed over the Odesa"
     " region.", ["UA-51"]),
    # an office's remit, "ГУ МЧС по Москве и области", is no oblast at the scene
    ("ГУ МЧС по Москве и области: обломки беспилотника упали в Москве, пострадавших нет.",
     ["RU-MOW"]),
    # "Kyiv and its suburbs": the city and the oblast around it
    ("Most of the 20 drones were downed over Kyiv and its suburbs.", ["UA-30", "UA-32"]),
    # where the missiles were fired from, and a namesake set apart, are not the scene
    ("Two missiles struck Kharkiv, injuring five. They were fired from the Belgorod region.",
     ["UA-63"]),
    ("Drones struck a port near Bilhorod-Dnistrovskyi, injuring two. The town should not be"
     " confused with Belgorod in Russia.", ["UA-51"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "codes"), REGIONS_1_11)
def test_regions_1_11(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


LABELS_1_11 = [
    # flights limited as a precaution against attacks elsewhere
    (
        "Власти ограничили полёты над севером страны. Решение объяснили мерами"
        " предосторожности из-за атак дронами по соседним областям.",
        "not_relevant",
    ),
    # payments after old damage
    (
        "Выплаты за жильё получили 312 семей. Самая большая сумма — 1,8 млн рублей — досталась"
        " семье, чей дом сгорел после попадания дрона.",
        "not_relevant",
    ),
]


@pytest.mark.parametrize(("text", "label"), LABELS_1_11)
def test_label_1_11(text: str, label: str) -> None:
    assert classify(text).label.value == label
