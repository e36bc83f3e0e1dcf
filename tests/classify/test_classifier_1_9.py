"""Rules added for classifier 1.9 (blind batch 17 and dev errors left from earlier batches):
one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify

LAUNCHED = [
    # "out of 101 launched": a bare figure before the launch verb is the launched total
    (
        "Defences shot down forty drones and jammed nine more, out of 57 launched overnight.",
        49,
        57,
    ),
    ("Сбиты 30 беспилотников из 35 запущенных по области.", 30, 35),
]


@pytest.mark.parametrize(("text", "destroyed", "launched"), LAUNCHED)
def test_launched(text: str, destroyed: int, launched: int) -> None:
    verdict = classify(text)
    assert (verdict.drones_destroyed, verdict.drones_launched) == (destroyed, launched)


FIGURES = [
    # a night's short updates: bare "ещё N" after a destroyed drone, and the total after them
    ("Сбит беспилотник над Кимрами.\n\nUPD 02:10: ещё два.\n\nUPD 04:00: и ещё один.", 4),
    ("00:50 — над містом збито перший шахед.\n01:20 — ще один.\nРазом два.", 2),
    # "счёт дошёл до пяти": a running total in words
    ("Сбиты два БПЛА, к утру счёт дошёл до пяти: последние три уничтожены над Узловой.", 5),
    # a newswire's correction names the earlier figure first
    (
        "An earlier version of this story said 14 drones were downed. The governor has since"
        " said six UAVs were destroyed.",
        6,
    ),
    # "расчёты поразили два беспилотника": destroyed, not damage
    ("Расчёты ПВО успешно поразили два беспилотника над Курском.", 2),
]


@pytest.mark.parametrize(("text", "destroyed"), FIGURES)
def test_figures(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_a_drone_that_strikes_a_substation_is_an_incident_with_damage() -> None:
    verdict = classify("Ночью беспилотник поразил подстанцию в Джанкое, начался пожар.")
    assert (verdict.label.value, verdict.damage) == ("uav_incident", "yes")
    assert classify("Расчёты успешно поразили два беспилотника.").damage is None


LABELS = [
    # air defence at work with no weapon named, even beside advice
    ("В районе Узловой сейчас работает ПВО. Без необходимости не выходите на улицу.", "other"),
    # a rumour in channels, called fake
    (
        "В пабликах гуляет «новость», будто над Таганрогом сбили 12 беспилотников. Это фейк.",
        "not",
    ),
    # "Підсумки минулої доби" is the day's report, not a period's review
    ("Підсумки минулої доби: над Миколаївщиною знищено 9 ворожих БпЛА.", "incident"),
]
_LABEL = {"incident": "uav_incident", "other": "other_attack", "not": "not_relevant"}


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_labels(text: str, label: str) -> None:
    assert classify(text).label.value == _LABEL[label]


DAMAGE = [
    ("Ворожий дрон вдарив по автомобілю на околиці села, водій живий.", "yes"),
    ("Два шахеди влучили в приміщення фермерського господарства.", "yes"),
    ("Уламки побили вікна у двох будинках.", "yes"),
    ("Беспилотник атаковал промышленную площадку в Елабуге.", "yes"),
    ("Внаслідок атаки дронів частина абонентів громади без електрики.", "yes"),
    ("The fleet destroyed four uncrewed boats; no ships were damaged.", "none"),
    ("Флот уничтожил три безэкипажных катера, наши корабли не пострадали.", "none"),
]


@pytest.mark.parametrize(("text", "damage"), DAMAGE)
def test_damage(text: str, damage: str) -> None:
    assert classify(text).damage == damage


def test_shrapnel_that_breaks_windows_hurts_nobody() -> None:
    text = "Shrapnel from a downed drone shattered windows of a block of flats. Nobody was hurt."
    assert classify(text).casualties == "none"
    assert classify("Two men were wounded by shrapnel after a drone attack.").casualties == (
        "injured"
    )


MORE_FIGURES = [
    # a head with a place of its own, and items that go on with other places, add up
    ("В Кромском районе сбиты два беспилотника, в Ливенском — три, ещё один — над Орлом.", 6),
    # ... but a head over the whole region is their total
    ("Над регионом сбиты четыре беспилотника, в Ливенском районе — три, над Орлом — один.", 4),
    # a month's figure "for comparison" counts nothing
    ("Ночью сбиты три БПЛА. Для сравнения: за весь сентябрь над областью сбили 48 БПЛА.", 3),
    # "17, а не 15": the first figure stands
    ("Уточнюємо: збито 11 шахедів, ще 6 подавлено РЕБ — загалом сімнадцять, а не п'ятнадцять.", 17),
    # a day's summary by district: a single drone in a paragraph of its own adds one
    ("Шебекинский округ. Сбиты два дрона.\n\nБелгородский район. Над Дубовым сбит БПЛА.", 3),
]


@pytest.mark.parametrize(("text", "destroyed"), MORE_FIGURES)
def test_more_figures(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_a_death_toll_that_rose_is_no_drone_count() -> None:
    text = (
        "The death toll from the overnight drone attack on the city rose to four. Air defence"
        " shot down 12 of the 15 drones aimed at the region."
    )
    verdict = classify(text)
    assert (verdict.drones_destroyed, verdict.drones_launched) == (12, 15)


def test_drones_sent_at_a_region_were_launched() -> None:
    verdict = classify("На область было направлено 9 беспилотников, семь из них сбиты.")
    assert verdict.drones_launched == 9


def test_the_origin_of_drones_is_not_the_scene() -> None:
    text = "Над Сумщиною збито 14 шахедів. Дрони йшли з Курщини та Брянщини."
    assert [r.code for r in classify(text).regions] == ["UA-59"]


def test_an_okrug_of_moscow_oblast_by_its_adjective() -> None:
    verdict = classify("Беспилотник уничтожен над Домодедовским округом.", home_region="Москва")
    assert [r.code for r in verdict.regions] == ["RU-MOS"]


def test_no_losses_is_no_casualties() -> None:
    assert classify("Флот отразил атаку безэкипажных катеров, потерь нет.").casualties == "none"


NAMESAKES = [
    # a border town by default; its namesake in a channel of the namesake's region
    ("Над Золочевом збито два шахеди.", None, "UA-63"),
    ("Над Золочевом збито два шахеди.", "Львовская область", "UA-46"),
    ("В Тростянце сбит беспилотник.", None, "UA-59"),
    ("У Тростянці уламки дрона пошкодили дах.", "Винницкая область", "UA-05"),
    ("В Ровеньках сбит беспилотник.", None, "RU-BEL"),
    ("В Ровеньках сбит беспилотник.", "Луганская область", "UA-09"),
    ("Удар дрона по Кам'янському, є пошкодження.", "Запорожская область", "UA-23"),
]


@pytest.mark.parametrize(("text", "home", "code"), NAMESAKES)
def test_namesakes(text: str, home: str | None, code: str) -> None:
    assert [r.code for r in classify(text, home_region=home).regions] == [code]


CONTEXTS = [
    # the MoD's front-line summary is no attack report
    (
        "Подразделения группировки войск «Запад» нанесли поражение живой силе противника."
        " Авиацией и артиллерией поражены пункты временной дислокации в 97 районах.",
        "not",
    ),
    # a tribute to a long period
    ("Сотни сбитых беспилотников над городом — это сотни спасённых жизней. Спасибо!", "not"),
]


@pytest.mark.parametrize(("text", "label"), CONTEXTS)
def test_contexts(text: str, label: str) -> None:
    assert classify(text).label.value == _LABEL[label]


def test_whom_a_plant_supplies_is_not_the_scene() -> None:
    text = (
        "A drone attack set fire to a refinery in the Ryazan region. The plant is a major"
        " supplier of fuel to the Moscow area."
    )
    assert [r.code for r in classify(text).regions] == ["RU-RYA"]


def test_figures_of_several_officials_add_up() -> None:
    # each official's own figure: no breakdown of the first, though 2 + 1 = 3
    text = (
        "Мэр Москвы сообщил, что на подлёте к городу сбиты три беспилотника. Губернатор"
        " Калужской области написал о двух сбитых дронах, а в Тульской, по словам её главы,"
        " уничтожен ещё один."
    )
    assert classify(text).drones_destroyed == 6
    # one official's breakdown stays a breakdown
    breakdown = "Губернатор сообщил: сбиты три беспилотника. Два — над Тулой, один — над Узловой."
    assert classify(breakdown).drones_destroyed == 3


BATCH_18_FIGURES = [
    # lines of one bulleted list are parallel, though the later ones sum to the first
    ("Итоги ночи:\n— Кромской район: 3 сбитых БПЛА;\n— Ливенский район: 2;\n— Орёл: 1.", 6),
    # "ещё о двух", "ще з двома впоралися"
    (
        "Губернатор сообщил о трёх сбитых беспилотниках. Глава района написал ещё о двух.",
        5,
    ),
    ("Три безпілотники збили зенітники, ще з двома впоралися засоби РЕБ.", 5),
    # a participle after the noun tells the outcome when no verb comes before it
    ("Минобороны отчиталось о 64 беспилотниках, уничтоженных за ночь над регионами.", 64),
    # a long "загалом ... уже" head, and "has gone up to"
    ("Ще один дрон збили над Оболонню — загалом за ніч над містом уже дев'ять.", 9),
    ("UPDATE: the number of drones destroyed over the region has gone up to 11.", 11),
    # the past inside a comparison is no past report
    ("Этой ночью над областью сбиты 17 беспилотников — больше, чем за всю прошлую неделю.", 17),
]


@pytest.mark.parametrize(("text", "destroyed"), BATCH_18_FIGURES)
def test_batch_18_figures(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed


BATCH_18_LABELS = [
    # a season's figure beside an award
    ("Губернатор вручил медали расчёту. Только за весну бойцы сбили 37 беспилотников.", "not"),
    # procurement, and "the hundreds of Shaheds fired each week" around it
    ("The ministry placed an order for 800 interceptor drones, to be built in Kyiv.", "not"),
    # weather balloons and "no drone alert"
    ("The 'drones' over the city were weather balloons. There was no drone alert.", "not"),
    # shelters for alarms in general
    ("У школах облаштували укриття: під час тривог через шахеди уроки йтимуть там.", "not"),
    # "Over the past 24 hours ... shot down 118 UAVs" beside a war-long tally
    (
        "Over the past 24 hours air defences shot down 118 unmanned aerial vehicles. The tally"
        " since the start of the operation stands at 97,305 UAVs.",
        "incident",
    ),
]


@pytest.mark.parametrize(("text", "label"), BATCH_18_LABELS)
def test_batch_18_labels(text: str, label: str) -> None:
    assert classify(text).label.value == _LABEL[label]


BATCH_18_PLACES = [
    (
        "Над Белгородом сбиты 4 БПЛА, на Харьковской горе выбиты стёкла.",
        "Белгородская область",
        ["RU-BEL"],
    ),
    ("Дрон, що летів уздовж кордону з Польщею, збили над Ковелем.", None, ["UA-07"]),
    ("Над Людиновским районом перехвачен беспилотник.", None, ["RU-KLU"]),
    (
        "Над Ленинградской областью сбиты два БПЛА. Аэропорт Пулково час не принимал рейсы.",
        None,
        ["RU-LEN"],
    ),
    (
        "Twelve drones were downed over the Moscow region, the Moscow mayor wrote.",
        None,
        ["RU-MOS"],
    ),
]


@pytest.mark.parametrize(("text", "home", "codes"), BATCH_18_PLACES)
def test_batch_18_places(text: str, home: str | None, codes: list[str]) -> None:
    assert sorted(r.code for r in classify(text, home_region=home).regions) == codes


BATCH_18_CONSEQUENCES = [
    ("Two drones were shot down; nobody was killed or injured.", "casualties", "none"),
    ("Після удару ракети обійшлося без травмованих.", "casualties", "none"),
    ("Над Луцьком збили два шахеди, від уламків загорівся склад.", "damage", "yes"),
    ("Уламки зачепили дві автівки на Оболоні.", "damage", "yes"),
]


@pytest.mark.parametrize(("text", "field", "value"), BATCH_18_CONSEQUENCES)
def test_batch_18_consequences(text: str, field: str, value: str) -> None:
    assert getattr(classify(text), field) == value
