"""The classifier's rule families, one behaviour per test, on texts written for the tests."""

from datetime import UTC, datetime

import pytest

from bot.classify import CLASSIFIER_VERSION, classify
from bot.models import Label

INCIDENT, THREAT, OTHER, NONE = (
    Label.UAV_INCIDENT,
    Label.UAV_THREAT,
    Label.OTHER_ATTACK,
    Label.NOT_RELEVANT,
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Над Смоленской областью уничтожены два украинских БПЛА. Пострадавших нет.", INCIDENT),
        ("Сбит беспилотник на подлёте к городу.", INCIDENT),
        ("Збито 14 шахедів над Київщиною.", INCIDENT),
        ("Two UAVs were destroyed over the Bryansk region, the governor said.", INCIDENT),
        ("ПВО отражает атаку БПЛА на Белгород.", INCIDENT),
        ("Сили ППО працюють по цілях у Харкові, безпілотники над містом.", INCIDENT),
        ("Обломки беспилотника упали на крышу склада.", INCIDENT),
        ("Дрон атаковал автомобиль на трассе.", INCIDENT),
        ("Беспилотная опасность! Всем оставаться в укрытиях.", THREAT),
        ("Отбой угрозы атаки БПЛА.", THREAT),
        ("Зафіксовано рух ворожих ударних БпЛА на Сумщину.", THREAT),
        ("Air raid alert in Kyiv due to the threat of attack drones.", THREAT),
        ("Ракетная опасность! Пройдите в укрытие.", OTHER),
        ("Силами флота уничтожены два безэкипажных катера.", OTHER),
        ("Город подвергся обстрелу из РСЗО, повреждены дома.", OTHER),
        ("Сбиты три управляемые авиабомбы.", OTHER),
        ("Собрали средства на 30 FPV-дронов для наших бойцов.", NONE),
        ("Напоминаем: снимать работу ПВО и публиковать видео запрещено.", NONE),
        ("В школе открылся кружок по сборке квадрокоптеров.", NONE),
        ("Прошли учения по отражению атаки БПЛА на объекты энергетики.", NONE),
        ("Агродроны впервые обработали поля в районе.", NONE),
        ("Суд вынес приговор организатору атаки беспилотников.", NONE),
        ("Сегодня ремонтируем дороги в трёх районах области.", NONE),
    ],
)
def test_label_of_typical_posts(text: str, label: Label) -> None:
    assert classify(text).label is label


def test_threat_state_start_and_end() -> None:
    assert classify("Объявлена беспилотная опасность.").threat_state == "start"
    assert classify("Відбій тривоги: загроза ударних БпЛА минула.").threat_state == "end"
    assert (
        classify("Оставайтесь в укрытии до сигнала отбоя. Беспилотная опасность.").threat_state
        == "start"
    )


def test_mixed_missile_and_drone_report_is_a_drone_incident() -> None:
    c = classify("Сбиты две ракеты HIMARS и 17 беспилотных летательных аппаратов.")
    assert c.label is INCIDENT
    assert c.drones_destroyed == 17
    assert {"uav", "mlrs", "missile"} <= c.weapons


@pytest.mark.parametrize(
    ("text", "destroyed"),
    [
        ("Уничтожены 1 200 беспилотников за неделю.", 1200),
        ("Силами ПВО уничтожены двадцать один украинский БПЛА.", 21),
        ("Отражена атака двух вражеских БПЛА.", 2),
        ("Атака шести БПЛА отражена.", 6),
        ("Беспилотник сбит над промзоной.", 1),
        ("Сбит украинский БПЛА самолётного типа.", 1),
        ("Сбиты БПЛА над городом.", None),
        ("Уничтожено несколько беспилотников.", None),
        ("Сбиты более 60 беспилотников.", None),
        ("Шесть аппаратов сбито ПВО, ещё три беспилотника подавлены средствами РЭБ.", 9),
        ("Збито 7 дронів, ще 5 БпЛА локаційно втрачено.", 7),
        ("Перехвачены 21 БПЛА: 12 — над Брянской областью, 9 — над Курской.", 21),
        ("Three enemy drones were shot down overnight.", 3),
        ("The drone was intercepted before it reached the city.", 1),
    ],
)
def test_drones_destroyed(text: str, destroyed: int | None) -> None:
    assert classify(text).drones_destroyed == destroyed


def test_launched_versus_destroyed() -> None:
    c = classify("У ніч на 5 березня противник атакував 90 ударними БпЛА. Збито/подавлено 64.")
    assert (c.drones_launched, c.drones_destroyed) == (90, 64)


@pytest.mark.parametrize(
    ("text", "casualties", "damage"),
    [
        ("Сбит БПЛА. Пострадавших и разрушений нет.", "none", "none"),
        ("Атака дрона: ранены двое мирных жителей, повреждены окна.", "injured", "yes"),
        ("Удар беспилотника: погиб мужчина, трое ранены.", "killed", None),
        ("Безпілотник влучив у склад, виникла пожежа. Ніхто не постраждав.", "none", "yes"),
        ("A drone hit a house; two people were injured.", "injured", "yes"),
        ("Постраждав об'єкт інфраструктури після атаки дронів.", None, None),
    ],
)
def test_casualties_and_damage(text: str, casualties: str | None, damage: str | None) -> None:
    c = classify(text)
    assert (c.casualties, c.damage) == (casualties, damage)


def test_counts_of_casualties() -> None:
    c = classify("После атаки БПЛА погибли 2 человека, ранены 5.")
    assert (c.killed, c.injured) == (2, 5)


def test_time_window_resolved_against_post_time() -> None:
    posted = datetime(2025, 11, 24, 20, 30, tzinfo=UTC)  # 23:30 Moscow
    c = classify("В период с 20.00 до 23.00 мск уничтожены 12 украинских БПЛА.", posted_at=posted)
    assert c.time_window is not None
    assert c.time_window.start == datetime(2025, 11, 24, 17, 0, tzinfo=UTC)
    assert c.time_window.end == datetime(2025, 11, 24, 20, 0, tzinfo=UTC)


def test_time_window_crossing_midnight() -> None:
    posted = datetime(2025, 11, 25, 5, 0, tzinfo=UTC)  # 08:00 Moscow
    c = classify("С 23:00 до 07:00 мск над регионом сбиты 4 БПЛА.", posted_at=posted)
    assert c.time_window is not None
    assert c.time_window.start == datetime(2025, 11, 24, 20, 0, tzinfo=UTC)
    assert c.time_window.end == datetime(2025, 11, 25, 4, 0, tzinfo=UTC)


def test_language_detection() -> None:
    assert classify("Над областью сбиты два беспилотника.").lang == "ru"
    assert classify("Над областю збито два безпілотники.").lang == "uk"
    assert classify("Two drones were shot down over the region.").lang == "en"


def test_homoglyphs_do_not_hide_a_drone() -> None:
    # Latin "o" and "e" typed inside Cyrillic words
    assert classify("Город подвeргся атаке с помощью FPV-дрoна.").label is INCIDENT


def test_evidence_names_rules_and_quotes_the_original_text() -> None:
    text = "Над Брянской областью СБИТЫ три БПЛА."
    c = classify(text)
    assert c.evidence
    for e in c.evidence:
        assert text[e.start : e.end] == e.text
    assert any(e.rule.startswith("incident.outcome") and e.text == "СБИТЫ" for e in c.evidence)


def test_unknown_drone_mention_is_low_confidence_not_relevant() -> None:
    c = classify("Беспилотники: что нужно знать каждому.")
    assert c.label is NONE
    assert c.confidence < 0.7
    assert any(e.rule == "unrecognised.drone_mention" for e in c.evidence)


def test_version_is_stamped() -> None:
    assert classify("Сбит БПЛА.").classifier_version == CLASSIFIER_VERSION


@pytest.mark.parametrize(
    ("text", "destroyed", "launched"),
    [
        ("Силами ПВО сбиты 30 из 35 беспилотников, атаковавших область.", 30, 35),
        ("Air defence shot down 41 out of 48 drones overnight.", 41, 48),
        ("Отражена атака 15 БПЛА, 13 из них уничтожены над морем.", 13, 15),
        ("Всего за ночь сбито беспилотников — 12.", 12, None),
        ("Над областю знешкоджено три ворожі дрони.", 3, None),
        ("Two drones were brought down near the airfield.", 2, None),
    ],
)
def test_destroyed_of_launched(text: str, destroyed: int, launched: int | None) -> None:
    c = classify(text)
    assert (c.drones_destroyed, c.drones_launched) == (destroyed, launched)


@pytest.mark.parametrize(
    ("text", "destroyed"),
    [
        ("Air defence destroyed 35 of the 40 drones launched overnight.", 35),
        ("Вночі ворог запустив 25 шахедів, 20 з яких збито.", 20),
        ("Над Шебекино сбиты 2 беспилотника. Также сбит ещё один над Новой Таволжанкой.", 3),
        ("Ukrainian forces reported downing 12 drones over the south.", 12),
        ("Над регионами сбиты БПЛА:\n3 — над Брянской областью,\n2 — над Курской областью.", 5),
        ("Уничтожены 45 украинских БПЛА:\n21 — над Брянской областью,\n24 — над Курской.", 45),
    ],
)
def test_more_ways_officials_state_counts(text: str, destroyed: int) -> None:
    assert classify(text).drones_destroyed == destroyed
