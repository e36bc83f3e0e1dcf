"""Rules added for classifier 1.4 (blind batches 10 to 12 and the dev errors left from
earlier batches): one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify
from bot.classify.regions import lookup_region
from bot.models import Label

# (text, drones destroyed, drones launched): how a post states its figures.
FIGURES = [
    pytest.param("Над Курском сбит БПЛА-камикадзе.", 1, None, id="hyphenated-bpla"),
    pytest.param(
        "За ночь сбиты 30 беспилотников. Больше всего — 14 — над Брянской областью, "
        "ещё 10 над Курской и 6 над Орловской.",
        30,
        None,
        id="most-of-them-is-an-item",
    ),
    pytest.param(
        "Сбиты 5 БПЛА. Ещё 3 сбиты утром над Курском, и 2 над Рыльском.",
        10,
        None,
        id="also-opening-later-figures-adds",
    ),
    pytest.param(
        "ПВО сбила беспилотники: 4 ед. над Брянской областью и 5 ед. над Курской.",
        9,
        None,
        id="units-before-a-full-stop",
    ),
    pytest.param(
        "Ночью ПВО перехватывала беспилотники:\n"
        "▪️ с 21.00 до 00.00 мск — 8 над Белгородской областью;\n"
        "▪️ с 00.00 до 06.00 мск — 15 над Курской и Орловской областями.",
        23,
        None,
        id="list-lines-with-time-spans",
    ),
    pytest.param(
        "Над областью уничтожены беспилотники:\n• Сумы — 3\n• Ромны — 2\n• Конотоп — 1",
        6,
        None,
        id="items-are-no-totals-of-each-other",
    ),
    pytest.param(
        "Де працювала ППО:\n🔹 Сумщина — 5 збитих дронів\n🔹 Полтавщина — 3\n🔹 Київщина — 1",
        9,
        None,
        id="next-lines-without-prepositions",
    ),
    pytest.param(
        "Drones downed overnight: five over the Kursk region, two over Oryol.",
        7,
        None,
        id="verb-heads-a-list",
    ),
    pytest.param(
        "Air defences destroyed Ukrainian drones between 21:00 and 23:00 Moscow time: "
        "six over the Kursk region and two over the Bryansk region.",
        8,
        None,
        id="list-head-past-a-time",
    ),
    pytest.param(
        "Two drones were shot down over Bryansk and a third was brought down by jamming.",
        3,
        None,
        id="a-third-brought-down",
    ),
    pytest.param(
        "Два дрони влучили у склад, третій збили мобільні групи.", 1, None, id="a-third-alone"
    ),
    pytest.param("Збито 40 дронів, ще 12 придушено засобами РЕБ.", 52, None, id="pridusheno"),
    pytest.param(
        "ППО збили 9 безпілотників, ще три «заглушили» бійці РЕБ.", 12, None, id="quoted-verb"
    ),
    pytest.param(
        "Противник выпустил по области 20 беспилотников. 15 уничтожены, ещё 5 дронов "
        "атаковали промзону.",
        15,
        20,
        id="launched-then-some-struck",
    ),
    pytest.param("Russia sent 90 attack drones overnight; 70 were shot down.", 70, 90, id="sent"),
    pytest.param(
        "Russia launched 50 drones; 40 had been shot down and 6 more were lost from radar.",
        40,
        50,
        id="more-lost-from-radar",
    ),
    pytest.param(
        "Із 40 запущених ворогом безпілотників знешкоджено 31.", 31, 40, id="launched-by-enemy"
    ),
    pytest.param(
        "ППО збила сім «шахедів» із дев'яти, що летіли через область.",
        7,
        9,
        id="of-after-a-quoted-noun",
    ),
    pytest.param(
        "Всього противник запустив 50 БпЛА.\n• Уражено вогневими засобами — 30;\n"
        "• подавлено РЕБ — 12;\n• локаційно втрачено — 8.",
        42,
        50,
        id="dash-between-verb-and-figure",
    ),
    pytest.param(
        "Вночі збито 5 ворожих БпЛА.\nUPD 09:10: уточнюємо — знищено 8 ударних дронів.",
        8,
        None,
        id="update-corrects",
    ),
    pytest.param(
        "Знищено п'ять «шахедів». Також ворог випустив дві ракети — обидві збиті.",
        5,
        None,
        id="both-after-missiles",
    ),
    pytest.param(
        "Ворог підняв 300 засобів повітряного нападу — 280 дронів і 20 ракет.",
        None,
        280,
        id="enemy-raised",
    ),
    pytest.param(
        "Над Брянской областью знешкоджено 9 безпілотників. Від початку року над регіоном "
        "збили понад 700 дронів.",
        9,
        None,
        id="since-the-start-of-the-year",
    ),
    pytest.param(
        "За сутки сбиты 90 беспилотников самолётного типа. С начала спецоперации общее число "
        "уничтоженных беспилотников достигло 70 100.",
        90,
        None,
        id="since-the-special-operation",
    ),
    pytest.param(
        "Ещё один. Над Вяземским районом сбит беспилотник. Всего за ночь — четыре.",
        4,
        None,
        id="total-after-a-single-drone",
    ),
    pytest.param(
        "Над областю збили чотири шахеди, п'ятий «приземлили» засобами РЕБ.",
        5,
        None,
        id="fifth-by-ordinal",
    ),
    pytest.param(
        "Сили ППО працюють по дронах. Один вже знищено над Броварським районом.",
        1,
        None,
        id="one-already-destroyed",
    ),
    pytest.param("Над областю знищено 4 «Гераней» і 3 «Ланцети».", 7, None, id="gerani-genitive"),
    pytest.param("Росіяни кинули на Україну 70 дронів, 60 з них знешкоджено.", 60, 70, id="kinuly"),
    pytest.param(
        "Загалом зафіксовано 2 ракети та 120 ударних БпЛА. Знешкоджено 100 дронів, ще 15 "
        "зникли з радарів.",
        100,
        120,
        id="recorded-in-all-and-lost",
    ),
    pytest.param(
        "UPD: к 05:00 число сбитых над областью беспилотников выросло до 12.",
        12,
        None,
        id="grew-to",
    ),
    pytest.param(
        "Атака на область: шесть дронов сбиты ПВО, ещё двух удалось посадить с помощью РЭБ.",
        8,
        None,
        id="managed-to-land",
    ),
    pytest.param(
        "Итоги ночи:\n1️⃣ Лиски — сбито 3 БПЛА;\n2️⃣ Россошь — 2;\n3️⃣ Бобров — 1.\nИтого 6.",
        6,
        None,
        id="keycap-list-and-total",
    ),
    pytest.param(
        "На промзону летели 9 дронов, 7 из них ПВО уничтожили.", 7, 9, id="flew-then-of-them"
    ),
]


@pytest.mark.parametrize(("text", "destroyed", "launched"), FIGURES)
def test_figures(text: str, destroyed: int | None, launched: int | None) -> None:
    c = classify(text)
    assert (c.drones_destroyed, c.drones_launched) == (destroyed, launched)


LABELS = [
    ("За сутки ПВО поразила 40 беспилотников самолётного типа.", Label.UAV_INCIDENT),
    ("A drone slammed into a warehouse in Sumy, the city council said.", Label.UAV_INCIDENT),
    ("В городе объявлена беспилотная опасность. Возможна работа ПВО.", Label.UAV_THREAT),
    ("Зафіксовано групу шахедів над Полтавщиною.", Label.UAV_THREAT),
    (
        "Введён режим опасности атаки беспилотников. Это не учения, пройдите в укрытие.",
        Label.UAV_THREAT,
    ),
    (
        "Air defence is working against drones over Odesa. Debris fell in a park. "
        "It is the fifth attack on the city in October.",
        Label.UAV_INCIDENT,
    ),
    (
        "A ballistic missile hit Dnipro; unlike the usual drone raids it came by day.",
        Label.OTHER_ATTACK,
    ),
    ("⚠️ Ударні БпЛА з моря заходять на Миколаївщину.", Label.UAV_THREAT),
    ("Харків! Кілька ворожих БпЛА на підльоті до міста.", Label.UAV_THREAT),
    ("ПВО отработали по дронам над несколькими районами области.", Label.UAV_INCIDENT),
]


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_labels(text: str, label: Label) -> None:
    assert classify(text).label is label


# Not reports: a month or a season as the time, reviews, totals since the war began, siren
# tests, drills, recruiting, charity, makers, sanctions, compensation, denials, thanks.
NOT_REPORTS = [
    "Благодарю всех, кто работал на месте падения.",
    "Благодарим жителей за помощь на месте падения дерева.",
    "В сентябре расчёт ПВО сбил 12 беспилотников над заводом. Бойцам вручены медали.",
    "Russia launched about 4,000 drones in April, and most of them were shot down.",
    "Підсумки березня: силами ППО знешкоджено 2 900 дронів.",
    "The ministry says 50,000 drones have been downed since the war began.",
    "Завтра в 11:00 пройдёт проверка системы оповещения. Это не беспилотная опасность.",
    "У Полтаві відбудуться навчання з дій населення у разі атаки БпЛА.",
    "У районі пройдуть навчання: відпрацюють відбиття атаки дронів, можливі гучні звуки.",
    "Набір до мобільних вогневих груп: збивати шахеди, зарплата від 20 тис. грн.",
    "A charity raised $50,000 to buy 200 FPV drones for the front.",
    "A drone maker whose plant was hit in the spring has restarted production.",
    "The EU put eight firms on its sanctions list for supplying components for attack drones.",
    "Kursk residents whose flats were damaged by drones will receive up to 40,000 roubles.",
    "Сегодня вручил награды бойцам. Ребята с весны сбили над областью 37 беспилотников.",
    "Продолжаем восстанавливать квартиры после январской атаки беспилотников.",
    "В Крыму проверили систему оповещения. При атаке БПЛА сигнал дублируется по радио.",
    "Сообщения о том, что этой ночью над городом сбиты 30 беспилотников, не соответствуют "
    "действительности.",
]


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_not_reports(text: str) -> None:
    assert classify(text).label is Label.NOT_RELEVANT


CONSEQUENCES = [
    ("Сбиты два беспилотника. Сведений о пострадавших и разрушениях не поступало.", "none", "none"),
    ("Сбит беспилотник. Осколками повреждена крыша дома, жильцы не пострадали.", "none", "yes"),
    ("Сбит беспилотник. Гражданские объекты не пострадали.", None, "none"),
    ("Сбиты 40 беспилотников над регионом, ПВО поразила их на подлёте.", None, None),
    ("Збито 10 дронів. Наслідки влучань є на Київщині.", None, "yes"),
    ("Сім дронів дісталися цілей, ще 40 збито.", None, "yes"),
    ("Forty drones were downed. The ministry gave no information on damage.", None, None),
    ("Six drones were shot down. No civilians were hurt.", "none", None),
    ("Сбиты пять дронов. На земле без последствий: ни раненых, ни повреждений.", "none", "none"),
    ("Сбиты 30 беспилотников. Ни пострадавших, ни разрушений нет.", "none", "none"),
    ("Сбит дрон. Обломками пробило крышу гаража, пострадал сторож.", "injured", "yes"),
    ("Сбит дрон. Треснули стёкла в двух квартирах, у мужчины порезы.", "injured", "yes"),
    ("Сбиты два БПЛА. Обломками задело ЛЭП, в селе пропал свет.", None, "yes"),
    ("Ворожий FPV-дрон ударив по цивільному авто на трасі.", None, "yes"),
]


@pytest.mark.parametrize(("text", "casualties", "damage"), CONSEQUENCES)
def test_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


PLACES = [
    # a target is not the scene when another place is named
    (
        "Беспилотник, направлявшийся к Москве, сбит. Обломки упали в городском округе Домодедово.",
        ["RU-MOS"],
    ),
    # a route toward a target, launch origins, "regional" means the oblast
    (
        "Air raid alert in Kyiv: the air force says attack drones are flying over the "
        "Zhytomyr region toward the capital.",
        ["UA-30"],
    ),
    ("Вночі збито 20 дронів над Сумщиною. Пуски велися з Курської області.", ["UA-59"]),
    ("A drone was shot down near Brovary, the Kyiv regional administration said.", ["UA-32"]),
    ("Вночі збито 30 дронів над Сумщиною. Пуски йшли з Курська та Брянська.", ["UA-59"]),
    ("Ровненская область: сбиты два беспилотника.", ["UA-56"]),
    ("Над Ровненской областью сбиты два беспилотника.", ["UA-56"]),
]


@pytest.mark.parametrize(("text", "codes"), PLACES)
def test_places(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


def test_rovnenskaya_is_looked_up() -> None:
    assert lookup_region("Ровненская область").code == "UA-56"
