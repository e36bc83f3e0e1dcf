"""The reconcile sweep, FloodWait scopes, and channels that come, go or cannot be read."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from fakes import FakeTelegram
from fakes.testing import eventually
from telethon.tl import functions

from bot.pipeline import Pipeline
from bot.sources.telegram import peers
from bot.storage import Database

EDITED = "Уточнение: над областью сбиты четыре беспилотника, пострадавших нет."


async def test_edit_and_delete_made_while_down_are_found_by_the_sweep(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    """1. three posts stored live 2. the watcher stops; post 2 is edited, post 3 deleted
    (Telethon would never dispatch these) 3. a new watcher starts and sweeps. Result: the
    edit is a new version, the deletion sets deleted_at, nothing else changes."""
    world.add_channel("Губернатор", username="gov_news")
    first = make_watcher(channels=("gov_news",))
    await first.start()
    for text in ("утро", "над областью сбит беспилотник", "вечер"):
        world.publish("gov_news", text)
    ch = next(iter(first.channels.values()))
    await eventually(lambda: ch.frontier == 3)
    await first.stop()
    world.edit("gov_news", 2, EDITED)
    world.delete("gov_news", [3])
    second = make_watcher(channels=("gov_news",))
    await second.start()
    assert (await posts_of("gov_news"))[1][1] == "над областью сбит беспилотник"  # not yet
    done = await second.reconcile_once()
    kinds = sorted((d.result.message_id, d.result.kind) for d in done)
    assert kinds == [(2, "edited"), (3, "deleted")]
    rows = await posts_of("gov_news")
    assert rows[1] == (2, EDITED, "uav_incident", False) and rows[2][3] is True
    assert await second.reconcile_once() == []  # nothing left to do


async def test_run_sweeps_once_at_start_without_waiting_for_the_interval(
    world: FakeTelegram, make_watcher: Any, fake_time: Any
) -> None:
    """1. a post is stored, the watcher stops 2. while down the post is edited (it sits below
    the cursor, so catch-up never re-reads it) 3. run() starts. Result: the edit is stored
    before any reconcile interval has passed on the (fake) clock: the first sweep runs at once."""
    world.add_channel("Губернатор", username="gov_news")
    first = make_watcher(channels=("gov_news",))
    await first.start()
    world.publish("gov_news", "над областью сбит беспилотник")
    ch = next(iter(first.channels.values()))
    await eventually(lambda: ch.frontier == 1)
    await first.stop()
    world.edit("gov_news", 1, EDITED)
    interval = 10_000 * 60
    edited_at: list[float] = []

    async def note(done: Any) -> None:
        if done.result.kind == "edited":
            edited_at.append(fake_time.now)

    second = make_watcher(channels=("gov_news",), reconcile_minutes=interval / 60, on_ingested=note)
    started_at = fake_time.now
    stop = asyncio.Event()
    task = asyncio.create_task(second.run(stop))
    try:
        await eventually(lambda: edited_at)
    finally:
        stop.set()
        await task
    assert edited_at[0] - started_at < 0.9 * interval


async def test_sweep_window_is_capped_and_sees_only_recent_posts(
    world: FakeTelegram, make_watcher: Any
) -> None:
    world.add_channel("Губернатор", username="gov_news", joined=False)  # polled: no pushes
    watcher = make_watcher(channels=("gov_news",), window_posts=5)
    await watcher.start()
    for n in range(12):
        world.publish("gov_news", f"post {n}")
    await watcher.poll_once()
    world.delete("gov_news", [2, 11])  # 2 is outside the window of the newest 5
    world.edit("gov_news", 3, "outside the window, edited")
    done = await watcher.reconcile_once()
    assert [(d.result.message_id, d.result.kind) for d in done] == [(11, "deleted")]
    asked = [r.args["limit"] for r in world.requests if r.name == "GetHistoryRequest"]
    assert asked[-1] == 100  # one page covers the window


async def test_flood_wait_pauses_only_that_scope_for_the_seconds_given(
    world: FakeTelegram, make_watcher: Any, fake_time: Any, posts_of: Any
) -> None:
    """1. a polled channel's history read answers FLOOD_WAIT_420 2. the watcher obeys it
    on its (fake) clock, then goes on. Result: one pause of 421 s (Telegram rounds down),
    the posts stored, no crash."""
    world.add_channel("Министерство", username="ministry_x", joined=False)
    for n in range(3):
        world.publish("ministry_x", f"post {n}")
    watcher = make_watcher(channels=("ministry_x",))
    world.fail_next(functions.messages.GetHistoryRequest, seconds=420)
    await watcher.start()
    assert [r[0] for r in await posts_of("ministry_x")] == [1, 2, 3]
    assert watcher.throttle.flood_waits == [("GetHistoryRequest", "@ministry_x", 420)]
    assert 421 in fake_time.slept
    fails = [r for r in world.requests if r.name == "GetHistoryRequest"]
    assert len(fails) >= 2  # the refused one, then the retry after the pause


async def test_unknown_and_private_channels_are_reported_and_the_rest_go_on(
    world: FakeTelegram, make_watcher: Any, posts_of: Any, caplog: pytest.LogCaptureFixture
) -> None:
    world.add_channel("Губернатор", username="gov_news")
    world.add_channel("Закрытый", username="closed_one", joined=False, private=True)
    world.publish("gov_news", "hello")
    watcher = make_watcher(channels=("no_such_channel", "gov_news", "closed_one", "987654321"))
    await watcher.start()
    # the private one resolves (its peer is cached) but its history is refused
    assert [w.label for w in watcher.channels.values()] == ["@gov_news", "@closed_one"]
    problems = watcher.registry.problems
    assert "no such username" in problems["@no_such_channel"]
    assert "private" in problems["@closed_one"]
    assert "unknown to this account" in problems["id 987654321"]
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("@no_such_channel" in e and "go on" in e for e in errors)
    assert [r[0] for r in await posts_of("gov_news")] == [1]
    asked = len(world.sent(functions.contacts.ResolveUsernameRequest))
    await watcher.poll_once()  # a bad username is not asked about again every poll
    assert len(world.sent(functions.contacts.ResolveUsernameRequest)) == asked


async def test_channel_added_at_run_time_is_picked_up_and_resolved_once(
    world: FakeTelegram, make_watcher: Any, db: Database, pipeline: Pipeline, posts_of: Any
) -> None:
    world.add_channel("Губернатор", username="gov_news")
    world.add_channel("Министерство", username="ministry_x", joined=False)
    world.publish("ministry_x", "над областью сбиты беспилотники")
    watcher = make_watcher(channels=("gov_news",))
    await watcher.start()
    pk = await pipeline.ensure_channel(username="ministry_x")  # `uavwatch channels add`
    await peers.set_watched(db, pk, True)
    await watcher.poll_once()
    assert sorted(w.label for w in watcher.channels.values()) == ["@gov_news", "@ministry_x"]
    assert [r[0] for r in await posts_of("ministry_x")] == [1]
    world.publish("ministry_x", "второй пост")  # not joined: no push, polled
    await watcher.poll_once()
    assert [r[0] for r in await posts_of("ministry_x")] == [1, 2]
    row = await peers.find_channel(db, username="ministry_x")
    assert row is not None and row.access_hash == world.channels[row.telegram_id].access_hash
    resolved = [r.username for r in world.sent(functions.contacts.ResolveUsernameRequest)]
    assert resolved == ["gov_news", "ministry_x"]
    await peers.set_watched(db, pk, False)  # `uavwatch channels remove`
    await watcher.poll_once()
    assert [w.label for w in watcher.channels.values()] == ["@gov_news"]


async def test_a_failing_listener_never_loses_the_stored_post(
    world: FakeTelegram, make_watcher: Any, posts_of: Any, caplog: pytest.LogCaptureFixture
) -> None:
    world.add_channel("Губернатор", username="gov_news")

    async def broken(item: Any) -> None:
        raise RuntimeError("alert stage down")

    watcher = make_watcher(channels=("gov_news",), on_ingested=broken)
    await watcher.start()
    post = world.publish("gov_news", "над областью сбит беспилотник")
    ch = next(iter(watcher.channels.values()))
    await eventually(lambda: ch.frontier == post.id)
    assert [r[0] for r in await posts_of("gov_news")] == [post.id]
    failures = [r.getMessage() for r in caplog.records if "listener failed" in r.getMessage()]
    assert failures == [f"after storing gov_news message {post.id}: the listener failed"]


async def test_a_failed_write_is_logged_with_channel_and_message_id(
    world: FakeTelegram, make_watcher: Any, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """Telethon would swallow what a handler raises: ours logs it, naming the post."""
    world.add_channel("Губернатор", username="gov_news")
    watcher = make_watcher(channels=("gov_news",))
    await watcher.start()
    await db.close()  # the archive goes away under the running watcher
    post = world.publish("gov_news", "над областью сбит беспилотник")
    failure = f"@gov_news message {post.id}: storing the live post failed"
    await eventually(lambda: any(failure in r.getMessage() for r in caplog.records))
    assert any("database is closed" in (r.exc_text or "") or r.exc_info for r in caplog.records)


async def test_other_rpc_errors_are_logged_with_the_channel_and_retried_with_backoff(
    world: FakeTelegram,
    make_watcher: Any,
    fake_time: Any,
    posts_of: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world.add_channel("Министерство", username="ministry_x", joined=False)
    world.publish("ministry_x", "post")
    watcher = make_watcher(channels=("ministry_x",))
    world.fail_next(functions.messages.GetHistoryRequest, "UNEXPECTED_HICCUP", times=2)
    await watcher.start()
    assert [r[0] for r in await posts_of("ministry_x")] == [1]
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) == 2 and all("@ministry_x" in m for m in retries)
    assert 0.5 <= fake_time.slept[0] <= 1 and 1 <= fake_time.slept[1] <= 2  # doubling
