"""Never miss a post: restart, long gaps, dropped connections, edits made while away."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fakes import FakeTelegram
from fakes.testing import eventually
from telethon.tl import functions

from bot.sources.telegram.ingest import Ingested

INCIDENT = "Над Брянской областью уничтожены три беспилотника."


def _collect(seen: list[Ingested]) -> Any:
    async def listen(item: Ingested) -> None:
        seen.append(item)

    return listen


async def test_restart_with_50_posts_published_meanwhile_stores_each_once(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    """1. the watcher runs and stores 3 live posts 2. it stops; 50 posts are published
    3. a new watcher starts on the same archive (a StringSession keeps no update state).
    Result: all 53 stored exactly once, in id order, none lost; the 50 alerted once."""
    world.add_channel("Губернатор", username="gov_news")
    first = make_watcher(channels=("gov_news",))
    await first.start()
    for n in range(3):
        world.publish("gov_news", f"до остановки {n}")
    ch = next(iter(first.channels.values()))
    await eventually(lambda: ch.frontier == 3)
    await first.stop()
    ids = [world.publish("gov_news", f"пока нас не было {n}: {INCIDENT}").id for n in range(50)]
    seen: list[Ingested] = []
    second = make_watcher(channels=("gov_news",), on_ingested=_collect(seen))
    await second.start()
    await second.settle()
    rows = await posts_of("gov_news")
    assert [r[0] for r in rows] == list(range(1, 54))
    assert len({r[0] for r in rows}) == 53
    new = [s.result.message_id for s in seen if s.result.kind == "new"]
    assert sorted(new) == ids and all(s.alert for s in seen if s.result.kind == "new")
    assert not world.sent(functions.contacts.ResolveUsernameRequest)[1:]  # resolved once


async def test_old_posts_found_by_catch_up_are_stored_but_not_alerted(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    world.add_channel("Губернатор", username="gov_news")
    first = make_watcher(channels=("gov_news",))
    await first.start()
    await first.stop()
    old = world.publish("gov_news", INCIDENT, date=world.now - timedelta(hours=5))
    fresh = world.publish("gov_news", INCIDENT)
    seen: list[Ingested] = []
    second = make_watcher(channels=("gov_news",), on_ingested=_collect(seen))
    await second.start()
    decisions = {s.result.message_id: s.alert for s in seen}
    assert decisions == {old.id: False, fresh.id: True}
    assert [r[0] for r in await posts_of("gov_news")] == [old.id, fresh.id]


async def test_150_posts_missed_in_one_gap_are_backfilled(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    """1. live post seeds Telethon's pts 2. pushes are lost while 150 posts go out
    3. one more live post reveals the gap: Telethon gets ChannelDifferenceTooLong and
    dispatches nothing 4. the next poll compares the channel's head with our frontier.
    Result: all 152 posts stored once."""
    world.add_channel("Губернатор", username="gov_news")
    watcher = make_watcher(channels=("gov_news",))
    await watcher.start()
    me = world.viewer
    assert me is not None
    seed = world.publish("gov_news", "seed")
    ch = next(iter(watcher.channels.values()))
    await eventually(lambda: ch.frontier == seed.id)
    world.set_online(me, False)
    for n in range(150):
        world.publish("gov_news", f"missed {n}")
    world.set_online(me, True)
    reveal = world.publish("gov_news", "reveals the gap")
    await eventually(lambda: bool(world.sent(functions.updates.GetChannelDifferenceRequest)))
    await watcher.settle()
    assert ch.frontier == seed.id  # nothing was dispatched
    await watcher.poll_once()
    await watcher.settle()
    rows = await posts_of("gov_news")
    assert [r[0] for r in rows] == list(range(seed.id, reveal.id + 1))
    assert ch.frontier == reveal.id


async def test_live_post_after_a_gap_triggers_catch_up_at_once(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    world.add_channel("Губернатор", username="gov_news")
    watcher = make_watcher(channels=("gov_news",))
    await watcher.start()
    me = world.viewer
    assert me is not None
    world.publish("gov_news", "seed")
    ch = next(iter(watcher.channels.values()))
    await eventually(lambda: ch.frontier == 1)
    world.set_online(me, False)
    for n in range(120):
        world.publish("gov_news", f"missed {n}")
    world.set_online(me, True)
    world.publish("gov_news", "reveals the gap (TooLong: not dispatched)")
    await eventually(lambda: bool(world.sent(functions.updates.GetChannelDifferenceRequest)))
    await watcher.settle()
    last = world.publish("gov_news", "dispatched: its id jumps past our frontier")
    await eventually(lambda: ch.frontier == last.id, timeout=5)
    await watcher.settle()
    assert [r[0] for r in await posts_of("gov_news")] == list(range(1, last.id + 1))


async def test_disconnect_mid_stream_reconnects_with_backoff_then_catches_up(
    world: FakeTelegram, make_watcher: Any, posts_of: Any, fake_time: Any
) -> None:
    """1. posts stream in live 2. the connection drops and the network stays down for a
    while; posts keep coming 3. the network returns. Result: the watcher reconnects (after
    backing off), catches up, and every post is stored once."""
    import asyncio

    world.add_channel("Губернатор", username="gov_news")
    watcher = make_watcher(channels=("gov_news",), poll_seconds=1e6, reconcile_minutes=1e6)

    def backoffs() -> list[float]:  # the poll and sweep loops sleep on the same fake clock
        return [d for d in fake_time.slept if d < 1000]

    stop = asyncio.Event()
    runner = asyncio.ensure_future(watcher.run(stop))
    await eventually(lambda: watcher.state == "running")
    me = world.viewer
    assert me is not None
    for n in range(5):
        world.publish("gov_news", f"live {n}")
    ch = next(iter(watcher.channels.values()))
    await eventually(lambda: ch.frontier == 5)
    world.set_online(me, False)
    assert world.drop_connection(me) == 1
    for n in range(20):
        world.publish("gov_news", f"while disconnected {n}")
    await eventually(lambda: len(backoffs()) >= 3)  # reconnect attempts back off
    world.set_online(me, True)
    await eventually(lambda: ch.frontier == 25, timeout=5)
    world.publish("gov_news", "after reconnect")
    await eventually(lambda: ch.frontier == 26)
    stop.set()
    await runner
    assert watcher.reconnects == 1 and watcher.state == "stopped"
    delays = backoffs()[:3]
    assert delays[0] < delays[2] and all(d <= 60 for d in delays)
    assert [r[0] for r in await posts_of("gov_news")] == list(range(1, 27))
