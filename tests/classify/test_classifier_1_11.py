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
