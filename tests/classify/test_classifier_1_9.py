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
