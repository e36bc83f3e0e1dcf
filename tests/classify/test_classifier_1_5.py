"""Rules added for classifier 1.5 (blind batch 13 and the dev errors left from earlier
batches): one case per phenomenon, written here."""

from __future__ import annotations

import pytest

from bot.classify import classify

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
