"""Rules added for classifier 1.12 (blind batch 22 and the noted errors of 1.11):
one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify
from bot.classify.count_phrases import GOT_THROUGH, GOT_THROUGH_HINTS

FIGURES = [
    # "по два беспилотника сбиты над X и Y": the figure is said once for each place
    ("По два беспилотника сбиты над Брянской и Курской областями.", 4),
    ("Сбито по три беспилотника над Брянской и Орловской областями.", 6),
    ("По два дрони збито над Сумщиною та Чернігівщиною.", 4),
    ("Two drones each were shot down over the Bryansk and Kursk regions.", 4),
    # a period's count in its own sentence is not the night's
    (
        "Над Смоленщиной уничтожено 14 беспилотников. За прошедшую неделю это уже 63 сбитых"
        " дрона над областью.",
        14,
    ),
    ("За сутки над областью уничтожено девять беспилотников. Всего с начала января — 212.", 9),
    ("Над областю збито 6 дронів. З початку березня їх уже 140.", 6),
    # "поражены огнём зенитных расчётов" is destroyed
    (
        "Ночью на область летели 17 беспилотников. Пятнадцать поражены огнём зенитных"
        " расчётов, два подавлены РЭБ.",
        17,
    ),
    # "Итог ночи — семь": the night's total over the timeline above it
    (
        "02:05 — два дрона сбиты.\n03:30 — ещё три уничтожены.\nИтог ночи — семь сбитых"
        " беспилотников: последние два поражены под утро.",
        7,
    ),
    # the drone that got through was not downed
    (
        "Шесть беспилотников зенитчики сбили на подлёте, однако одному дрону удалось долететь"
        " до предприятия.",
        6,
    ),
    ("Four drones were shot down; one drone managed to reach the depot.", 4),
    # "Eight drones, not six as first reported, were shot down": the verb after the replaced one
    ("Eight drones, not six as first reported, were shot down over the Rylsk district.", 8),
    # "That makes eleven": a running total
    (
        "Air defence has shot down two more Shaheds over Zaporizhzhia. That makes eleven drones"
        " destroyed over the region since 20:00.",
        11,
    ),
    # "above the waters of the Black Sea" closes a list item like "over"
    (
        "Air defence destroyed drones as follows: 14 over Rostov region, 9 over the Krasnodar"
        " Territory and 4 above the waters of the Black Sea.",
        27,
    ),
    ("Polish F-16 fighters shot it down over the border: one drone.", 1),
]

GUARDS = [
    # a dative after "по" is what the fire was aimed at, not a figure for each place
    ("ПВО работала по пяти дронам над Брянском и Курском, все сбиты.", 5),
    # "по два" over one place is said once
    ("По два беспилотника сбиты над Брянской областью утром и вечером.", 2),
    # "удалось" with an outcome verb is an outcome
    ("Ещё три беспилотника удалось сбить над Курском.", 3),
    ("Ещё три беспилотника удалось нейтрализовать средствами РЭБ.", 3),
    # "за неделю" with no adjective tells no period's figure
    ("Это третья атака за неделю: ночью над городом сбиты два беспилотника.", 2),
    # "That makes" before a word, not a figure
    ("Two drones were shot down over Sumy. That makes it the third attack this week.", 2),
]


@pytest.mark.parametrize(("text", "destroyed"), FIGURES + GUARDS)
def test_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


# A regional channel that gives the country's figure and then its own share reports the share;
# a national channel reports the country's figure.
SHARE = (
    "Повітряні сили: ворог випустив по Україні 142 дрони, знешкоджено 98. З цієї кількості 16"
    " — над Одещиною."
)


def test_share_of_the_national_figure() -> None:
    assert classify(SHARE, home_region="Одесская область").drones_destroyed == 16
    assert classify(SHARE).drones_destroyed == 98
    text = "Цієї ночі над Україною знешкоджено 57 дронів. Над Київщиною з них збито 9."
    assert classify(text, home_region="Киевская область").drones_destroyed == 9


LABELS = [
    # mourning after an earlier attack
    (
        "У громаді 3 та 4 жовтня — дні жалоби за загиблими внаслідок удару ворожих дронів по"
        " місту в понеділок.",
        "not_relevant",
    ),
    # a suspect for filming air defence: a court case
    (
        "Поліція затримала чоловіка, який знімав роботу ППО під час атаки шахедів. Йому"
        " повідомлено про підозру.",
        "not_relevant",
    ),
    # bomb disposal's week
    (
        "Піротехніки ДСНС за тиждень знешкодили 312 вибухонебезпечних предметів, зокрема 9"
        " бойових частин ударних дронів.",
        "not_relevant",
    ),
    # a day's figures are a day's report, a year's are a review
    (
        "Доба на Запоріжжі в цифрах. 238 дронів атакували громади; наші сили знищили 19 з них.",
        "uav_incident",
    ),
    (
        "Air Force of Ukraine, the year 2025 in figures: the enemy launched 54,000 drones and our"
        " air defence brought down most of them.",
        "not_relevant",
    ),
    # the examiners of this drone are no analysts
    (
        "A military-type drone entered Latvian airspace and came down in Ludza municipality."
        " Experts say it carried no explosives.",
        "uav_incident",
    ),
    ("Experts say drone attacks will grow in winter.", "not_relevant"),
    # an unmanned aerial object, shot down
    (
        "An unmanned aerial object crossed into Polish airspace. Polish fighters shot it down.",
        "uav_incident",
    ),
    # "рухнули обломки" is debris falling, not drones moving ("рух дронів")
    ("На крышу дома рухнули обломки сбитого дрона, повреждена кровля.", "uav_incident"),
]


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_label(text: str, label: str) -> None:
    assert classify(text).label.value == label


CASUALTIES = [
    ("Сбиты два дрона. Двое сотрудников получили ожоги, их увезли в больницу.", "injured"),
    ("Сбиты два дрона. Двое жителей обратились к медикам с ушибами.", "injured"),
    ("Сбиты два дрона. Одна женщина надышалась дымом, ей помогли медики.", "injured"),
    ("Nine drones were downed. A man was cut by broken glass and treated on the spot.", "injured"),
    ("Сбит беспилотник, повреждена кровля, ранен никто не был.", "none"),
    # guardianship is no burn
    ("Збито два дрони. Служба опіки допомагає родинам із пошкоджених будинків.", None),
]


@pytest.mark.parametrize(("text", "casualties"), CASUALTIES)
def test_casualties(text: str, casualties: str | None) -> None:
    assert classify(text).casualties == casualties


def test_small_lexicon_additions() -> None:
    # Ukrainian "посікли скління" is damage; "the Russian army sent 147 attack UAVs" launched them
    text = "Дев'ятьох шахедів збили над районом. Уламки посікли скління у двох багатоповерхівках."
    assert classify(text).damage == "yes"
    text = "Overnight the Russian army sent 147 attack UAVs against Ukraine; 118 were neutralised."
    assert classify(text).drones_launched == 147


@pytest.mark.parametrize(
    "phrase",
    [
        " дрону удалось долететь",
        " вдалося прорватися",
        " managed to reach",
        " got through",
        " broke through",
        " slipped through",
        " всё же удалось прорваться",
    ],
)
def test_got_through_hint_covers_the_pattern(phrase: str) -> None:
    """The cheap literal check decides first, so it must hold for every phrase the pattern takes."""
    assert GOT_THROUGH.match(phrase)
    assert any(w in phrase for w in GOT_THROUGH_HINTS)


# Misfires an independent review found in the first version of these rules: each is kept.
REVIEW_DESTROYED = [
    ("Ночью над областью сбиты 11 беспилотников, это максимум с начала октября.", 11),
    ("Це наймасованіша атака на місто з початку березня: вночі збито 30 дронів.", 30),
    ("Вже вп'яте за останній тиждень: вночі над Дніпром збито 6 дронів.", 6),
    ("Уничтожены 5 беспилотников которым не удалось прорваться к городу.", 5),
    ("Збито 7 дронів яким не вдалося долетіти до цілей", 7),
    ("Air defence shot down 12 drones before they got through to Kyiv.", 12),
    ("Air defence destroyed 8 drones that broke through into the Kyiv region.", 8),
    ("Сбиты 7 беспилотников благодаря чему удалось избежать разрушений.", 7),
    ("ППО відпрацювала по двох шахедах над Києвом та Броварами, обидва збито.", 2),
    ("По два беспилотника уничтожены над Брянской областью и три над Курской.", 5),
    ("По одному беспилотнику сбиты над Брянской областью и ещё три — над Курской.", 4),
    ("По два беспилотника сбиты над Брянской областью и один — над Курской.", 3),
    ("Five drones were shot down over Kursk overnight. That makes three nights in a row.", 5),
    ("Three more drones destroyed over Belgorod. That makes 2 attacks on the city today.", 3),
]


@pytest.mark.parametrize(("text", "destroyed"), REVIEW_DESTROYED)
def test_review_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


REVIEW_SHARES = [
    # a split by type or weapon is no share of the home region
    (
        "Повітряні сили: над Україною знешкоджено 98 дронів. З них понад 60 — шахеди.",
        "Одесская область",
        98,
    ),
    (
        "Над Україною збито 57 дронів. З них 40 збито мобільними вогневими групами.",
        "Киевская область",
        57,
    ),
    # only the home region's share, not its neighbour's
    (
        "Повітряні сили: над Україною знешкоджено 98 дронів. З них 16 — над Одещиною, 12 — над"
        " Миколаївщиною.",
        "Одесская область",
        16,
    ),
    # the sea is not the home region
    (
        "Над регионами России уничтожены 84 БПЛА. Из них 30 — над акваторией Черного моря.",
        "Белгородская область",
        84,
    ),
]


@pytest.mark.parametrize(("text", "home", "destroyed"), REVIEW_SHARES)
def test_review_shares(text: str, home: str, destroyed: int) -> None:
    assert classify(text, home_region=home).drones_destroyed == destroyed


REVIEW_LABELS = [
    (
        "Внаслідок атаки дронів на Полтавщині знеструмлено 20 тисяч абонентів, в області діють"
        " графіки погодинних відключень.",
        "uav_incident",
    ),
    ("Впервые с начала января в Москве объявлена угроза атаки БПЛА. Всем укрыться.", "uav_threat"),
    (
        "Ночью беспилотник атаковал Белгород, ранены двое. Возбуждено уголовное дело по статье о"
        " теракте, предусматривающей до 20 лет лишения свободы.",
        "uav_incident",
    ),
    (
        "Вранці дрон атакував автобус у Херсоні, поранено 5 людей. Командиру підрозділу РФ,"
        " причетного до атаки, заочно повідомлено про підозру.",
        "uav_incident",
    ),
    (
        "Завтра в Одесі день жалоби: унаслідок нічної атаки дронів загинули 4 людини.",
        "uav_incident",
    ),
    (
        "Сапери знищили боєприпаси дрона, що впав на околиці села, пошкоджено паркан.",
        "uav_incident",
    ),
    ("Experts say the drone threat to Europe will grow this winter.", "not_relevant"),
]


@pytest.mark.parametrize(("text", "label"), REVIEW_LABELS)
def test_review_labels(text: str, label: str) -> None:
    assert classify(text).label.value == label


REVIEW_CASUALTIES = [
    ("Збито шахед, уламки спричинили пожежу. Опіків ніхто не отримав.", None),
    (
        "Debris of a downed drone damaged a gas pipe, which was cut by the blast; no one was"
        " injured.",
        "none",
    ),
    ("A drone was shot down over Dnipro; a power line was cut by falling debris.", None),
    (
        "Над районом сбит беспилотник. Не подходите к обломкам: можно получить ожоги и отравление.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "casualties"), REVIEW_CASUALTIES)
def test_review_casualties(text: str, casualties: str | None) -> None:
    assert classify(text).casualties == casualties


# Batch 23's dev errors.
BATCH23_DESTROYED = [
    # "равняется одиннадцати": the night's running total
    (
        "03:40 — на данный момент сбито пять БПЛА.\n05:10 — атака отбита. Общее число"
        " уничтоженных за ночь беспилотников равняется одиннадцати.",
        11,
    ),
    # "Большая часть — девятнадцать —", "больше всего — девятнадцать —": the largest part
    (
        "Над областью ночью уничтожено двадцать шесть беспилотников. Большая часть — девятнадцать"
        " — сбита над Саратовом и Энгельсом, остальные над районами области.",
        26,
    ),
    (
        "За сутки над Белгородской областью сбиты тридцать два беспилотника, больше всего —"
        " девятнадцать — над Шебекинским округом.",
        32,
    ),
    # "цифру уточнили: уничтожено три" corrects the four; "с 2024 года" is a period's count
    (
        "Сначала военные сообщили о четырёх сбитых беспилотниках, после проверки цифру уточнили:"
        " уничтожено три. Всего с 2024 года над республикой сбито больше шестидесяти дронов.",
        3,
    ),
    ("Цієї ночі знищено дев'ять шахедів. Від початку великої війни збили понад 1 300 дронів.", 9),
    # "revised his count to 11, explaining that ...": reported speech, no explainer
    (
        "An earlier version said 14 drones had been shot down. The governor later revised his"
        " count to 11, explaining that three targets had been reported twice.",
        11,
    ),
    # "has raised the number of drones downed ... to 16": a long head before "to"
    (
        "The governor has raised the number of drones downed over the region since midnight to"
        " 16, up from nine in his first post.",
        16,
    ),
    ("Anti-aircraft gunners managed to shoot down two of the drones; the rest hit homes.", 2),
]


@pytest.mark.parametrize(("text", "destroyed"), BATCH23_DESTROYED)
def test_batch23_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_home_share_without_of_them() -> None:
    """ "наші захисники збили над областю 14": the oblast's own figure after the country's."""
    text = (
        "Цієї ночі росіяни запустили по Україні 126 ударних дронів, знешкоджено 98."
        " Хмельниччина також була під атакою: наші захисники збили над областю 14 безпілотників."
    )
    assert classify(text, home_region="Хмельницкая область").drones_destroyed == 14
    assert classify(text).drones_destroyed == 98
    # the oblast need not be named: "над областю" in a regional channel is its own
    text = "Цієї ночі по Україні знешкоджено 98 дронів. Над областю збили 14 безпілотників."
    assert classify(text, home_region="Хмельницкая область").drones_destroyed == 14
    assert classify(text).drones_destroyed == 98


BATCH23_LABELS = [
    # the risk of strikes is a warning
    (
        "Увага, у Вінницькій області повітряна тривога через ризик ударів шахедами. Кілька груп"
        " ворожих дронів рухаються над північними районами.",
        "uav_threat",
    ),
    ("Около полудня вражеский FPV-дрон настиг рейсовый автобус на въезде в город.", "uav_incident"),
    # a timetable's rule for any alert
    (
        "Расписание катеров с 1 мая: первый рейс в 6:30. При сигнале воздушной тревоги или угрозе"
        " атаки дронов катера встают к причалам.",
        "not_relevant",
    ),
]


@pytest.mark.parametrize(("text", "label"), BATCH23_LABELS)
def test_batch23_labels(text: str, label: str) -> None:
    assert classify(text).label.value == label


BATCH23_CONSEQUENCES = [
    ("Сбиты пять дронов. Обломки другого задели крышу гаража.", None, "yes"),
    ("Сбиты четыре беспилотника. Раненых нет, объекты целы.", "none", "none"),
    ("Сбит беспилотник, повреждена крыша частного дома, хозяева не пострадали.", "none", "yes"),
    ("Збито 38 шахедів. У місті обійшлося без постраждалих та пошкоджень.", "none", "none"),
    ("Збито два дрони. Уламки пошкодили автомобіль, людей не зачепило.", "none", "yes"),
    ("Збито 20 дронів. Уламки впали на будинок. Триває розбір завалів.", None, "yes"),
    (
        "Seven drones were downed; a power line was knocked out and 1,200 households were left"
        " without electricity.",
        None,
        "yes",
    ),
    ("Two UAVs were destroyed. One came down next to a warehouse and started a fire.", None, "yes"),
    ("All nine drones were destroyed. Falling fragments set a parked car alight.", None, "yes"),
    (
        "Gunners shot down two drones; the rest slammed into a residential neighbourhood.",
        None,
        "yes",
    ),
    ("27 drones were shot down. A 64-year-old woman was cut by flying glass.", "injured", None),
]


@pytest.mark.parametrize(("text", "casualties", "damage"), BATCH23_CONSEQUENCES)
def test_batch23_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


# Misfires a second independent review found in batch 23's rules: each is kept.
REVIEW2_DESTROYED = [
    ("Впервые с 2024 года ночью над городом сбиты 40 беспилотников.", None, 40),
    ("Крупнейшая с 2023 года атака на регион — сбиты 52 беспилотника.", None, 52),
    ("The largest attack on the region since 2023 — 52 drones were shot down overnight.", None, 52),
    (
        "Мобильные группы, работающие с 2024 года в Брянской области этой ночью сбили 12"
        " беспилотников.",
        None,
        12,
    ),
    (
        "Air defence shot down 10 drones overnight. The governor later raised the number of"
        " injured to 5.",
        None,
        10,
    ),
    (
        "Air defence destroyed 14 drones. Officials raised the number of air raid alerts this week"
        " to 21.",
        None,
        14,
    ),
    # a home region's share: its first figure, what "ще" adds, not a split by type
    (
        "По Україні знешкоджено 98 дронів. Над Хмельниччиною збито 14 дронів: 10 шахедів та 4"
        " гербери.",
        "Хмельницкая область",
        14,
    ),
    (
        "По Україні знешкоджено 98 дронів. Хмельниччина: над областю збито 14 безпілотників (10"
        " шахедів, 4 імітатори).",
        "Хмельницкая область",
        14,
    ),
    (
        "По Україні знешкоджено 98 дронів. Хмельниччина: у регіоні збито 8 шахедів, ще 4"
        " знешкоджено засобами РЕБ.",
        "Хмельницкая область",
        12,
    ),
    (
        "Над регионами России уничтожены 120 БПЛА. В Курской области сбиты 14 беспилотников, ещё"
        " 6 подавлены РЭБ.",
        "Курская область",
        20,
    ),
    (
        "Над регионами России сбито 80 БПЛА. В Белгородской области сбиты 12. По области в течение"
        " дня уничтожено ещё 7.",
        "Белгородская область",
        19,
    ),
]


@pytest.mark.parametrize(("text", "home", "destroyed"), REVIEW2_DESTROYED)
def test_review2_destroyed(text: str, home: str | None, destroyed: int) -> None:
    assert classify(text, home_region=home).drones_destroyed == destroyed


REVIEW2_LABELS = [
    (
        "The spokesman explained that most Shaheds are shot down by mobile fire groups.",
        "not_relevant",
    ),
    (
        "Shahed drones are heading toward Kharkiv. Mobile fire groups are ready to shoot down the"
        " targets.",
        "uav_threat",
    ),
    (
        "Ukrainian mobile fire groups train to shoot down Shahed drones with machine guns.",
        "not_relevant",
    ),
]


@pytest.mark.parametrize(("text", "label"), REVIEW2_LABELS)
def test_review2_labels(text: str, label: str) -> None:
    assert classify(text).label.value == label


REVIEW2_CONSEQUENCES = [
    ("Сбиты пять дронов. Обломки не задели жилые дома.", None, None),
    ("Сбиты 3 БПЛА. Обломки беспилотника задели крышу дома.", None, "yes"),
    ("Сбиты 3 БПЛА. Обломки беспилотника задели женщину на остановке.", None, None),
    ("Ukrainian forces knocked out 12 of 15 drones overnight, no damage reported.", None, "none"),
    (
        "Eight drones were shot down. No one was left without electricity, the governor said.",
        None,
        None,
    ),
    (
        "Сбиты 4 беспилотника. Продолжается разбор завалов на месте прошлого удара ракетой.",
        None,
        None,
    ),
    ("Сбиты 6 беспилотников. Раненых нет, не все объекты целы.", "none", None),
    ("27 drones were shot down. A man was cut off from power supply for hours.", None, None),
]


@pytest.mark.parametrize(("text", "casualties", "damage"), REVIEW2_CONSEQUENCES)
def test_review2_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


# Batch 24's dev errors.
BATCH24_DESTROYED = [
    # "вивели з ладу фахівці РЕБ": disabled by electronic warfare, so suppressed
    (
        "Зенітники збили шістдесят чотири ворожі безпілотники, ще дев'ятнадцять вивели з ладу"
        " фахівці РЕБ.",
        83,
    ),
    # "збільшено з 54 до 61": the figure it was raised to
    (
        "Після опрацювання даних кількість знищених за ніч дронів-камікадзе збільшено з 54 до 61."
        " Ще 5 безпілотників локаційно втрачено.",
        61,
    ),
    # "on course for the capital" is no course of study
    (
        "Air defence brought down 27 drones this evening: Bryansk — 11, Kursk — 9, Oryol — 4,"
        " Moscow region — 3 (two of those were on course for the capital).",
        27,
    ),
]


@pytest.mark.parametrize(("text", "destroyed"), BATCH24_DESTROYED)
def test_batch24_destroyed(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


BATCH24_LABELS = [
    ("Минулої ночі ворожі безпілотники спричинили пожежі у чотирьох областях.", "uav_incident"),
    # protection works: what the shelters withstand is no attack
    (
        "На 26 об'єктах змонтовано бетонні споруди другого рівня, що витримують уламки шахедів.",
        "not_relevant",
    ),
    ("Students of the drone course built their first quadcopters.", "not_relevant"),
]


@pytest.mark.parametrize(("text", "label"), BATCH24_LABELS)
def test_batch24_labels(text: str, label: str) -> None:
    assert classify(text).label.value == label


# Misfires a third review found in batch 24's rules: each is kept.
REVIEW3 = [
    (
        "Ночью враг атаковал область 20 беспилотниками. Удары вывели из строя подстанцию. ПВО"
        " сбила 15 дронов.",
        "uav_incident",
    ),
    ("Бойцы вывели из строя вражескую РЛС ударным дроном.", "not_relevant"),
    ("Енергетики намагаються витримати удари: у Харкові вночі знищено 14 шахедів.", "uav_incident"),
    (
        "Our air defence must withstand strikes like tonight's: 30 drones downed, a hit on a power"
        " plant in Kharkiv.",
        "uav_incident",
    ),
]


@pytest.mark.parametrize(("text", "label"), REVIEW3)
def test_review3(text: str, label: str) -> None:
    """No "suppressed" from a strike that disabled a substation; no protection works from
    "must withstand strikes"."""
    c = classify(text)
    assert c.label.value == label
    assert "suppressed" not in c.outcome


def test_review3_no_fire_caused() -> None:
    c = classify("Уламки дронів не спричинили пожеж, обійшлося без руйнувань. Збито 12 БПЛА.")
    assert "hit" not in c.outcome
