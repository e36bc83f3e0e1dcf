"""`Backfill`: history in both directions, resumable, paced, never alerted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fakes import FakeTelegram
from telethon import TelegramClient
from telethon.tl import functions, types

from bot.errors import InputError
from bot.pipeline import Pipeline
from bot.sources.telegram.backfill import Backfill
from bot.sources.telegram.refs import parse_channel_ref
from bot.sources.telegram.throttle import Throttle
from bot.sources.telegram.watcher import CLIENT_OPTIONS
from bot.storage import Database


@pytest.fixture
async def client(world: FakeTelegram, me: int, fake_time: Any) -> AsyncIterator[TelegramClient]:
    made = world.client(me, **CLIENT_OPTIONS)
    fake_time.clients.append(made)
    await made.connect()
    yield made
    await made.disconnect()


def _job(db: Database, pipeline: Pipeline, client: TelegramClient, fake_time: Any) -> Backfill:
    throttle = Throttle(clock=fake_time, sleep=fake_time.sleep)
    return Backfill(db, pipeline, client, throttle=throttle)


async def _ids(db: Database) -> list[int]:
    rows = await db.read("SELECT message_id FROM posts ORDER BY message_id")
    return [int(r[0]) for r in rows]  # type: ignore[call-overload]


async def test_backfill_with_limit_resumes_where_the_last_run_stopped(
    world: FakeTelegram, client: TelegramClient, db: Database, pipeline: Pipeline, fake_time: Any
) -> None:
    """1. a channel with 450 posts, an album at 300-302 across a page edge 2. backfill the
    newest 120 3. run again for the newest 400. Result: 331-450, then the 280 posts below
    (49-330, the album one post): the second run starts below what the first stored."""
    world.add_channel("Министерство", username="ministry_x", joined=False)
    photo = types.MessageMediaPhoto(photo=types.PhotoEmpty(id=1))
    for n in range(1, 451):
        grouped = 9 if n in (300, 301, 302) else None
        world.publish("ministry_x", f"post {n}" if n != 301 else "", grouped_id=grouped,
                      media=photo if grouped else None)  # fmt: skip
    ref = parse_channel_ref("ministry_x")
    first = await _job(db, pipeline, client, fake_time).run(ref, limit=120)
    assert (first.older, first.new) == (120, 120)
    assert await _ids(db) == list(range(331, 451))
    done: list[int] = []
    second = await _job(db, pipeline, client, fake_time).run(ref, limit=400, progress=done.append)
    expected = [n for n in range(49, 451) if n not in (301, 302)]
    assert len(expected) == 400
    assert await _ids(db) == expected and second.new == 280
    album = await db.read("SELECT text, media_kind FROM posts WHERE message_id = 300")
    assert album == [("post 300\n\npost 302", "album")]
    assert sum(done) == second.older + second.newer
    sources = await db.read("SELECT DISTINCT source FROM posts")
    assert sources == [("backfill",)]


async def test_backfill_since_a_date_and_newer_posts_after_the_cursor(
    world: FakeTelegram, client: TelegramClient, db: Database, pipeline: Pipeline, fake_time: Any
) -> None:
    world.add_channel("Министерство", username="ministry_x", joined=False)
    for n in range(1, 31):
        world.publish("ministry_x", f"post {n}")
    ref = parse_channel_ref("ministry_x")
    job = _job(db, pipeline, client, fake_time)
    await job.run(ref, limit=5)  # 26-30
    for n in range(31, 41):
        world.publish("ministry_x", f"post {n}")
    since = world.message("ministry_x", 21).date
    report = await _job(db, pipeline, client, fake_time).run(ref, since=since)
    assert (report.newer, report.older) == (10, 5)
    assert await _ids(db) == list(range(21, 41))


async def test_backfill_is_paced_and_obeys_flood_wait(
    world: FakeTelegram, client: TelegramClient, db: Database, pipeline: Pipeline, fake_time: Any
) -> None:
    world.add_channel("Министерство", username="ministry_x", joined=False)
    world.publish_many("ministry_x", [f"post {n}" for n in range(1, 3001)])
    world.fail_next(functions.messages.GetHistoryRequest, seconds=30)
    report = await _job(db, pipeline, client, fake_time).run(parse_channel_ref("ministry_x"))
    assert report.older == 3000 and len(await _ids(db)) == 3000
    pages = len(world.sent(functions.messages.GetHistoryRequest))
    assert pages == 32  # 30 pages, the empty one that ends the history, the refused one
    assert 31 in fake_time.slept  # the FloodWait, obeyed on the fake clock
    paced = [s for s in fake_time.slept if s != 31]
    assert 8 <= sum(paced) <= 12  # 30 pages: a burst of 20, then about one a second


async def test_backfill_of_an_unknown_channel_says_so(
    world: FakeTelegram, client: TelegramClient, db: Database, pipeline: Pipeline, fake_time: Any
) -> None:
    with pytest.raises(InputError, match="no such username"):
        await _job(db, pipeline, client, fake_time).run(parse_channel_ref("nobody_here"))
    assert await _ids(db) == []
