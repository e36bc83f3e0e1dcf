"""Rules added for classifier 1.5 (blind batch 13 and the dev errors left from earlier
batches): one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify
from bot.models import Label

# A site named by its region's or its town's adjective is in that region; a capital's
# adjective is left alone, as "Московский" may be the city or the oblast.
SITES = [
    ("Ярославский аэропорт закрыт: в регионе угроза атаки беспилотников.", ["RU-YAR"]),
    ("Дроны атаковали Саратовский НПЗ, на территории пожар.", ["RU-SAR"]),
    ("Ракетний удар по Миколаївському морському порту, пошкоджено склади.", ["UA-48"]),
    ("Беспилотники атаковали Новороссийский порт, возгорание потушено.", ["RU-KDA"]),
    ("Над Сызранским нефтеперерабатывающим заводом сбиты два дрона.", ["RU-SAM"]),
    ("Краснодарский аэропорт временно не принимает рейсы из-за атаки БПЛА.", ["RU-KDA"]),
    ("Московский НПЗ атаковали беспилотники, пострадавших нет.", []),
    # without a site noun the adjective names nothing
    ("Сбит беспилотник, сообщил Сызранский городской глава.", []),
]


@pytest.mark.parametrize(("text", "codes"), SITES)
def test_sites(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


# "the capital" unnamed: Kyiv in Ukrainian, unless Russia's; Moscow in Russian only where a
# drone approaches it, as "столица" is also a region's ("столица Кубани").
CAPITALS = [
    ("Ворог атакує столицю ударними БпЛА, працює ППО.", ["UA-30"]),
    ("Загроза балістики для Київщини та столиці! Прямуйте в укриття.", ["UA-32", "UA-30"]),
    ("Удар по столиці Росії: дрони атакували її вночі.", ["RU-MOW"]),
    ("Дрони над російською столицею, а над Сумщиною збито 5 шахедів.", ["RU-MOW", "UA-59"]),
    ("На подлёте к столице уничтожены три беспилотника.", ["RU-MOW"]),
    ("В столице Кубани сбит беспилотник.", ["RU-KDA"]),
]


@pytest.mark.parametrize(("text", "codes"), CAPITALS)
def test_unnamed_capitals(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


# (text, drones destroyed, drones launched): how a post states its figures.
FIGURES = [
    pytest.param(
        "ПВО отработала по двум беспилотникам над районом — оба сбиты.", 2, None, id="both-of-two"
    ),
    pytest.param(
        "Четыре беспилотника и три безэкипажных катера уничтожены у побережья.",
        4,
        None,
        id="one-verb-after-joined-figures",
    ),
    pytest.param(
        "Уточнение: число сбитых над Курской областью беспилотников составляет 14, а не 11. "
        "Ещё три уничтожены над Брянской.",
        17,
        None,
        id="corrected-figure-then-more",
    ),
    pytest.param(
        "Сбиты три БПЛА. Площадь пожара составила 50 кв. метров.", 3, None, id="a-measure"
    ),
    pytest.param(
        "Пять беспилотников сбиты, ещё два потеряли управление под воздействием РЭБ.",
        7,
        None,
        id="lost-control-to-ew",
    ),
    pytest.param(
        "Ворог випустив 50 дронів. Протиповітряна оборона зупинила 40 з них: 30 збито, "
        "ще 10 подавлено засобами РЕБ.",
        40,
        50,
        id="air-defence-stopped",
    ),
    pytest.param(
        "Над містом сили ППО уразили 12 ударних безпілотників.", 12, None, id="ppo-struck-drones"
    ),
    pytest.param(
        "ППО збила чотири дрони, ще один «Шахед» уразив підстанцію.",
        4,
        None,
        id="one-more-struck-a-target",
    ),
    pytest.param(
        "Уночі знешкоджено вісім дронів — п'ять збили, три подавили.",
        8,
        None,
        id="dash-opens-the-parts",
    ),
    pytest.param(
        "An earlier version of this report said 10 drones had been shot down. The governor "
        "later put the number at 12 and said debris hit a barn.",
        12,
        None,
        id="corrected-total-beside-debris",
    ),
    pytest.param(
        "Air defence destroyed drones over three regions between 9 p.m. and midnight Moscow "
        "time: six over the Kursk region, four over the Bryansk region and two over the "
        "Belgorod region.",
        12,
        None,
        id="list-head-with-pm",
    ),
    pytest.param(
        "Збиті ударні БпЛА по областях: Харківщина — 10, Сумщина — 6. Окрім того, 4 дрони "
        "подавлено засобами РЕБ.",
        20,
        None,
        id="list-beside-another-figure",
    ),
    pytest.param(
        "Загальна кількість знешкоджених цілей — 45. Серед них 41 ударний БпЛА та чотири ракети.",
        41,
        None,
        id="drones-among-targets",
    ),
    pytest.param(
        "Two more drones were shot down near Moscow, the mayor said, bringing the overnight "
        "tally to seven. Later, another three were downed over the Kaluga region.",
        10,
        None,
        id="tally-then-more",
    ),
    pytest.param(
        "Air defence knocked out a pair of drones over the region overnight.", 2, None, id="pair"
    ),
    pytest.param(
        "Russia fired six missiles and 90 drones at Ukraine overnight; 70 of the drones were "
        "shot down.",
        70,
        90,
        id="fired-is-launched",
    ),
]


@pytest.mark.parametrize(("text", "destroyed", "launched"), FIGURES)
def test_figures(text: str, destroyed: int | None, launched: int | None) -> None:
    c = classify(text)
    assert (c.drones_destroyed, c.drones_launched) == (destroyed, launched)


# Collecting data is no fundraising; a city handing over drones is.
LABELS = [
    ("Над городом уничтожено шесть беспилотников. Данные о последствиях собираем.", "uav_incident"),
    ("Более 10 беспилотников сбиты над областью, точные цифры ещё собираются.", "uav_incident"),
    ("Місто передав бригаді 200 FPV-дронів і два комплекси РЕБ.", "not_relevant"),
    # an alert's own advice is no post of advice
    (
        "Глава региона предупредил об угрозе атаки БПЛА и попросил не подходить к окнам.",
        "uav_threat",
    ),
]


@pytest.mark.parametrize(("text", "label"), LABELS)
def test_labels(text: str, label: str) -> None:
    assert classify(text).label is Label(label)


# (text, casualties, damage)
CONSEQUENCES = [
    ("Сбит беспилотник. На складе есть повреждения, огня нет.", None, "yes"),
    ("Сбиты два дрона, обломками частично обрушилась кровля гаража.", None, "yes"),
    ("Two drones were downed. Nobody was hurt and nothing was damaged.", "none", "none"),
    ("A drone struck a delivery van in the town.", None, "yes"),
    ("Збито 5 дронів, найбільше постраждали Сумщина та Полтавщина.", None, "yes"),
]


@pytest.mark.parametrize(("text", "casualties", "damage"), CONSEQUENCES)
def test_consequences(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


PLACES = [
    # airports that suspended flights took precautions: not the scene
    (
        "Беспилотники, летевшие на Москву, сбиты над Московской областью. Аэропорты Внуково "
        "и Шереметьево временно приостанавливали приём рейсов.",
        ["RU-MOS"],
    ),
    # a speaker's title is the scene when the speaker's words point at "the region"
    (
        "Губернатор Курской области: над регионом сбиты два БПЛА. Мэр Москвы: на подлёте к "
        "столице уничтожен один.",
        ["RU-KRS", "RU-MOW"],
    ),
    ("Мэр Москвы сообщил, что беспилотник сбит над Домодедово.", ["RU-MOS"]),
]


@pytest.mark.parametrize(("text", "codes"), PLACES)
def test_places(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


# Blind batch 14 (border governors, the Air Force, front-line hromadas, newswires).
FIGURES_14 = [
    pytest.param(
        "Ворог запускав ударні БпЛА з Брянська. Усього — сорок. До ранку знешкодили тридцять: "
        "двадцять збито, десять подавлено.",
        30,
        40,
        id="a-total-after-a-launch-verb",
    ),
    pytest.param(
        "Місто атакували шахеди. Двох наші захисники збили на підльоті, третій влучив у склад.",
        2,
        None,
        id="figure-then-the-defenders",
    ),
    pytest.param(
        "Ворог запустив 20 шахедів. Чотирнадцять із них знищили мобільні групи.",
        14,
        20,
        id="iz-nykh",
    ),
    pytest.param(
        "Над громадою знищено два «крила» та ще один FPV.", 3, None, id="a-drone-type-in-quotes"
    ),
    pytest.param(
        "Кількість знешкоджених дронів зросла: станом на 11:00 — 40 (зранку йшлося про 35).",
        40,
        None,
        id="rose-as-of-a-time",
    ),
    pytest.param(
        "Ракети Х-101 — 2 збито; шахедів знищено вогнем 30, подавлено РЕБ 12.",
        42,
        None,
        id="missiles-bare-figure-and-by-fire",
    ),
    pytest.param(
        "Двадцять безпілотників не долетіли до цілей: сімнадцять збили, ще три «посадили» "
        "засобами РЕБ.",
        20,
        None,
        id="did-not-reach-their-targets",
    ),
    pytest.param(
        "Збиття за областями станом на ранок: Київщина — 9, Черкащина — 4. Шахеди запускали з "
        "Курська.",
        13,
        None,
        id="verb-noun-heads-a-list",
    ),
    pytest.param(
        "Марганецька громада — знешкоджено 1 FPV.\nЧервоногригорівська — 2.\nНікополь — 4.",
        7,
        None,
        id="list-lines-without-bullets",
    ),
    pytest.param("ПВО расправилась с пятнадцатью дронами над областью.", 15, None, id="dealt-with"),
    pytest.param(
        "Двенадцать беспилотников сбиты, ещё четырёх удалось подавить средствами РЭБ.",
        16,
        None,
        id="to-suppress",
    ),
    pytest.param(
        "An earlier report put the number of drones shot down over the region at 14. The "
        "governor has since revised that to eleven.",
        11,
        None,
        id="revised-to",
    ),
    pytest.param(
        "Two UAVs were shot down, and a third was 'landed' by electronic warfare.",
        3,
        None,
        id="a-third-landed-in-quotes",
    ),
    pytest.param(
        "Первый сбросил гранату на двор. Второй беспилотник, который кружил над селом, военные "
        "сбили из стрелкового оружия.",
        1,
        None,
        id="second-drone-with-its-clause",
    ),
    pytest.param("11 aerial drones were shot down over the city.", 11, None, id="aerial"),
    pytest.param("ППО збила шахед. Ще один влучив у склад.", 1, None, id="one-shahed"),
]


@pytest.mark.parametrize(("text", "destroyed", "launched"), FIGURES_14)
def test_figures_of_batch_14(text: str, destroyed: int | None, launched: int | None) -> None:
    c = classify(text)
    assert (c.drones_destroyed, c.drones_launched) == (destroyed, launched)


LABELS_14 = [
    ("Над містом висять ворожі розвідувальні дрони, можуть коригувати вогонь.", "uav_threat"),
    ("Ваш коптер легко принять за вражеский и сбить. Не запускайте дроны.", "not_relevant"),
    (
        "Сьогодні вручив відзнаки вогневій групі. Цього року хлопці збили 40 шахедів.",
        "not_relevant",
    ),
    ("У деяких пабліках поширюють, ніби над містом збили 10 дронів. Це неправда.", "not_relevant"),
    (
        "Вночі ворог запускав ударні БпЛА. Усього — тридцять. До ранку наші сили знешкодили "
        "двадцять п'ять: двадцять збито, п'ять подавлено.",
        "uav_incident",
    ),
]


@pytest.mark.parametrize(("text", "label"), LABELS_14)
def test_labels_of_batch_14(text: str, label: str) -> None:
    assert classify(text).label is Label(label)


CONSEQUENCES_14 = [
    ("Днём FPV-дрон атаковал автомобиль, спасти водителя не удалось.", "killed", "yes"),
    ("Збито 3 дрони, уламками посічено приватний будинок.", None, "yes"),
    ("Один дрон влучив у газопровід у місті.", None, "yes"),
    (
        "Three drones were destroyed, the governor wrote, adding that no one had been hurt.",
        "none",
        None,
    ),
    ("Two guided bombs struck the city; the façade of a school was destroyed.", None, "yes"),
    ("One drone was shot down, but two bombs landed on an industrial site.", None, "yes"),
    ("11 drones were shot down. Windows were broken in several apartment buildings.", None, "yes"),
]


@pytest.mark.parametrize(("text", "casualties", "damage"), CONSEQUENCES_14)
def test_consequences_of_batch_14(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


def test_where_the_launches_came_from_is_not_the_scene() -> None:
    text = "Ворог запускав ударні БпЛА з Приморсько-Ахтарська та Орла. Збито 20 над Сумщиною."
    assert [r.code for r in classify(text).regions] == ["UA-59"]


# Blind batch 15 (Kyiv and city administrations; Ukrainian officials writing in Russian).
FIGURES_15 = [
    pytest.param(
        "Над Києвом захисники неба вразили дев'ять ворожих безпілотників.",
        9,
        None,
        id="defenders-of-the-sky-struck",
    ),
    pytest.param(
        "За підсумками роботи ППО станом на 09:00: збито 40 ворожих дронів, ще 11 подавлено "
        "засобами РЕБ.",
        51,
        None,
        id="results-of-the-air-defence-work",
    ),
    pytest.param(
        "Уночі росіяни атакували місто шахедами. Сили ППО знищили п'ятеро з них.",
        5,
        None,
        id="collective-numeral",
    ),
    pytest.param(
        "Силы обороны за ночь обезвредили над районом семнадцать вражеских беспилотников.",
        17,
        None,
        id="obezvredili",
    ),
    pytest.param("На рассвете над городом ПВО сбила дрон-камикадзе.", 1, None, id="drone-kamikaze"),
    pytest.param(
        "Силы ПВО за сутки сбили над областью пять «Гераней». Всего с начала полномасштабного "
        "вторжения над областью уничтожено больше 2 000 ударных дронов.",
        5,
        None,
        id="since-the-full-scale-invasion",
    ),
    pytest.param(
        "На город летели 8 «шахедов»: 5 сбили, 3 попали в склады.",
        5,
        8,
        id="flying-at-the-city-then-parts",
    ),
    pytest.param(
        "Ночью дроны атаковали район. Восемь удалось сбить, ещё два вывела из строя РЭБ.",
        10,
        None,
        id="disabled-by-ew",
    ),
    pytest.param(
        "Противник атаковал 15 БПЛА: 10 сбиты, 5 подавлены.",
        15,
        15,
        id="parts-of-a-launched-figure",
    ),
    pytest.param(
        "Russia's defence ministry listed its overnight drone interceptions: 14 over the Rostov "
        "region, nine over the Voronezh region and one over the Sea of Azov.",
        24,
        None,
        id="interceptions-listed",
    ),
    pytest.param(
        "In total the enemy used 88 strike and decoy UAVs; 61 were neutralised.",
        61,
        88,
        id="strike-is-a-kind-not-a-verb",
    ),
    pytest.param(
        "Air defence destroyed eleven drones over the district, and EW units suppressed four more.",
        15,
        None,
        id="four-more-after-the-verb",
    ),
    pytest.param(
        "02:14 One drone has been shot down, the mayor says.\n02:41 Two more destroyed on "
        "approach.\n03:09 Another one downed.",
        4,
        None,
        id="live-lines",
    ),
    pytest.param(
        "An earlier version of this post said 40 drones had been destroyed over the Krasnodar "
        "region overnight. The regional operational headquarters has since put the figure at 34.",
        34,
        None,
        id="earlier-version-of-this-post",
    ),
    pytest.param(
        "Air defences destroyed 20 drones, 9 of them over the Bryansk region and 8 over the Kursk "
        "region. Three more were downed over Crimea.",
        20,
        None,
        id="three-more-were-downed-is-an-item",
    ),
]


@pytest.mark.parametrize(("text", "destroyed", "launched"), FIGURES_15)
def test_figures_of_batch_15(text: str, destroyed: int | None, launched: int | None) -> None:
    c = classify(text)
    assert (c.drones_destroyed, c.drones_launched) == (destroyed, launched)


LABELS_15 = [
    ("Внимание! С юга к городу движется группа ударных БПЛА. Срочно в укрытие.", "uav_threat"),
    (
        "Харьковчане, на город заходят несколько «шахедов». Будьте в безопасных местах.",
        "uav_threat",
    ),
    (
        "У Полтаві завершився обласний турнір юних операторів дронів: змагалися 20 команд.",
        "not_relevant",
    ),
    (
        "Речник пояснив, що відповіддю на великі групи шахедів стануть дрони-перехоплювачі.",
        "not_relevant",
    ),
    (
        "Открыли подземную школу. Дети смогут учиться здесь, даже когда над городом КАБы и "
        "«шахеды».",
        "not_relevant",
    ),
    (
        "312 families whose flats were damaged in a Shahed attack will receive payments.",
        "not_relevant",
    ),
]


@pytest.mark.parametrize(("text", "label"), LABELS_15)
def test_labels_of_batch_15(text: str, label: str) -> None:
    assert classify(text).label is Label(label)


CONSEQUENCES_15 = [
    (
        "Сім дронів знищили, ще п'ять зникли з радарів. Пошкоджень та потерпілих не зафіксовано.",
        "none",
        "none",
    ),
    (
        "Вибух у районі: пошкоджено магазин, двоє людей звернулися по допомогу до лікарів.",
        "injured",
        "yes",
    ),
    ("Twelve drones were shot down. Impacts were registered at three sites.", None, "yes"),
]


@pytest.mark.parametrize(("text", "casualties", "damage"), CONSEQUENCES_15)
def test_consequences_of_batch_15(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


PLACES_15 = [
    (
        "MOSCOW, June 10 — Russian air defence destroyed nine drones over the Kursk region, the "
        "ministry said.",
        ["RU-KRS"],
    ),
    (
        "The enemy launched 52 drones from the Bryansk and Kursk directions; 40 were shot down "
        "over the Chernihiv region.",
        ["UA-74"],
    ),
]


@pytest.mark.parametrize(("text", "codes"), PLACES_15)
def test_places_of_batch_15(text: str, codes: list[str]) -> None:
    assert [r.code for r in classify(text).regions] == codes


def test_the_dnipro_river_is_not_the_city() -> None:
    text = "Росіяни запускали шахеди вздовж Дніпра. Над Києвом збито 12 дронів."
    assert [r.code for r in classify(text).regions] == ["UA-30"]


def test_waiting_for_the_all_clear_is_a_warning() -> None:
    c = classify("Shaheds are closing in on the city: get to a shelter and wait for the all-clear.")
    assert (c.label, c.threat_state) == (Label.UAV_THREAT, "start")
