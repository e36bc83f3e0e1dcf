"""Dedup end to end: what merges into one message, and what must stay a new alert.

Through the whole stack (pipeline -> enqueuer -> outbox -> sender -> real Telethon -> fake),
read back from the subscriber's chat: the last message about a threat must tell its current
state, a second wave of the same template must be alerted, and a channel is never listed
as confirming itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from conftest import Stack

THREAT = "Внимание! В Курской области объявлена беспилотная опасность."
ALL_CLEAR = "Отбой беспилотной опасности в Курской области."
WAVE = "Над Курской областью уничтожены {n} украинских беспилотника. Пострадавших нет."


async def _subscriber(stack: Stack, *commands: str) -> tuple[int, int]:
    user = stack.user()
    for command in commands:
        await stack.say(user, command)
    return user, len(stack.chat(user))


async def test_a_threat_declared_again_after_its_all_clear_is_a_new_alert(stack: Stack) -> None:
    """1. the channel declares a drone threat 2. ten minutes later, the all-clear 3. ten
    minutes later, the threat again (the same words as the first). Result: three messages,
    and the last one says the threat is on (the old code merged 3. into 1.)."""
    user, before = await _subscriber(stack, "/subscribe all threats")
    await stack.post("kursk_gov", 1, THREAT)
    await stack.drain()
    stack.clock.advance(600)
    await stack.post("kursk_gov", 2, ALL_CLEAR)
    await stack.drain()
    stack.clock.advance(600)
    await stack.post("kursk_gov", 3, THREAT)
    await stack.drain()
    chat = stack.chat(user)[before:]
    assert [m.split(" ")[0] for m in chat] == ["⚠️", "✅", "⚠️"]
    assert "Also reported by" not in chat[0]


async def test_a_second_wave_of_the_same_template_is_alerted(stack: Stack) -> None:
    """The ministry's template posts differ only in the count ("уничтожены 3" then
    "уничтожены 2"): two waves, two alerts; the first does not list its own channel."""
    user, before = await _subscriber(stack, "/subscribe all")
    await stack.post("mod_russia", 10, WAVE.format(n=3))
    await stack.drain()
    stack.clock.advance(900)
    await stack.post("mod_russia", 11, WAVE.format(n=2))
    await stack.drain()
    first, second = stack.chat(user)[before:]
    assert first.startswith("🛩 Kursk Oblast: 3 drones destroyed.")
    assert second.startswith("🛩 Kursk Oblast: 2 drones destroyed.")
    assert "Also reported by" not in first + second
    assert await stack.db.read("SELECT id, sources FROM alerts ORDER BY id") == [(1, 1), (2, 1)]


async def test_a_repost_by_the_same_channel_is_skipped_not_listed_as_a_source(
    stack: Stack,
) -> None:
    """The same channel posts the same report twice within minutes: one alert, and the
    channel does not appear as "also reported by" itself."""
    user, before = await _subscriber(stack, "/subscribe all")
    await stack.post("kursk_gov", 1, WAVE.format(n=3))
    await stack.drain()
    stack.clock.advance(120)
    await stack.post("kursk_gov", 2, "Губернатор: " + WAVE.format(n=3))
    await stack.drain()
    (alert,) = stack.chat(user)[before:]
    assert "Also reported by" not in alert
    assert await stack.db.read("SELECT count(*) FROM alert_sources") == [(1,)]
    assert stack.enqueuer.stats.reposts == 1


async def test_the_same_words_with_another_count_from_another_channel_stay_apart(
    stack: Stack,
) -> None:
    """Near-identical text is a duplicate only when the facts agree."""
    user, before = await _subscriber(stack, "/subscribe all")
    await stack.post("kursk_gov", 1, WAVE.format(n=3))
    await stack.drain()
    stack.clock.advance(120)
    await stack.post("kursk_news", 7, WAVE.format(n=5))
    await stack.drain()
    assert len(stack.chat(user)[before:]) == 2
    stack.clock.advance(120)
    await stack.post("kursk_wire", 8, WAVE.format(n=3))  # the first report, relayed
    await stack.drain()
    first, _ = stack.chat(user)[before:]
    assert "Also reported by: @kursk_wire" in first


class DuringSend:
    """Stands in for the fake's rate limiter: admits everything and, as Telegram accepts the
    first message, starts `action` (so it runs while that alert is in flight)."""

    def __init__(self, action: Callable[[], Awaitable[None]]) -> None:
        self.action = action
        self.task: asyncio.Future[None] | None = None

    def admit(self, chat_id: int) -> int:
        if self.task is None:
            self.task = asyncio.ensure_future(self.action())
        return 0


async def test_a_source_added_while_the_alert_is_in_flight_is_edited_in(stack: Stack) -> None:
    """1. an incident; the sender picks its row and sends it 2. while that message is in
    flight (delivered, its mark not yet committed), another channel reports the same facts
    Result: the chat ends up showing both sources (an edit follows the alert)."""
    user, before = await _subscriber(stack, "/subscribe all")
    stack.clock.advance(1.1)
    relay = "Два беспилотника сбиты над Курской областью, сообщил губернатор."
    during = DuringSend(lambda: stack.post("kursk_wire", 5, relay))
    stack.world.limiter = during  # type: ignore[assignment]
    await stack.post("kursk_gov", 1, WAVE.format(n=2))
    await stack.drain()
    assert during.task is not None
    await during.task
    await stack.drain()
    (alert,) = stack.chat(user)[before:]
    assert "Also reported by: @kursk_wire" in alert
    assert await stack.db.read("SELECT sources FROM alerts") == [(2,)]
