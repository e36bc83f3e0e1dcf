"""Channels: known by username, id or both; merged once both are known; home region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.errors import InputError
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
MakePost = Callable[..., Post]


async def channels(db: Database) -> list[tuple[object, ...]]:
    return await db.read(
        "SELECT id, username, telegram_id, title, home_region FROM channels ORDER BY id"
    )


async def test_ensure_channel_is_idempotent_and_normalizes(
    pipeline: Pipeline, db: Database
) -> None:
    pk = await pipeline.ensure_channel(username="@Gov_Region ")
    assert await pipeline.ensure_channel(username="gov_region") == pk
    assert await pipeline.ensure_channel(username="GOV_REGION", title="Губернатор") == pk
    assert await channels(db) == [(pk, "gov_region", None, "Губернатор", None)]


async def test_marked_telethon_id_is_the_same_channel(pipeline: Pipeline, db: Database) -> None:
    pk = await pipeline.ensure_channel(telegram_id=1234567890)
    assert await pipeline.ensure_channel(telegram_id=-1001234567890) == pk
    assert await channels(db) == [(pk, None, 1234567890, None, None)]


async def test_channel_needs_a_name_or_id(pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match="username"):
        await pipeline.ensure_channel(username=" @ ")


async def test_username_and_id_rows_merge_when_a_source_names_both(
    pipeline: Pipeline, db: Database
) -> None:
    """1. web preview stores posts 1, 2 under the username  2. a Desktop export stores posts
    2, 3 under the id  3. a live post names both. Result: one channel row (the older one),
    posts 1, 2, 3 once each, id-only permalinks rewritten to the username, cursor 4."""
    web = [Post("gov_x", None, m, T0, f"веб {m}", Source.WEBPREVIEW) for m in (1, 2)]
    export = [Post(None, 555, m, T0, f"экспорт {m}", Source.IMPORT) for m in (2, 3)]
    await pipeline.ingest_many(NewPost(p) for p in web + export)
    assert len(await channels(db)) == 2
    await pipeline.ingest(NewPost(Post("gov_x", 555, 4, T0, "оба", Source.LIVE)))
    rows = await channels(db)
    assert [(r[1], r[2]) for r in rows] == [("gov_x", 555)]
    pk = rows[0][0]
    posts = await db.read("SELECT channel_pk, message_id, text, permalink FROM posts ORDER BY 2")
    assert posts == [
        (pk, 1, "веб 1", "https://t.me/gov_x/1"),
        (pk, 2, "веб 2", "https://t.me/gov_x/2"),
        (pk, 3, "экспорт 3", "https://t.me/gov_x/3"),
        (pk, 4, "оба", "https://t.me/gov_x/4"),
    ]
    assert await db.read("SELECT channel_pk, last_message_id FROM channel_cursors") == [(pk, 4)]
    for table in ("post_versions", "classifications"):
        assert await db.read(f"SELECT count(*) FROM {table}") == [(4,)], table
    assert await db.read("PRAGMA foreign_key_check") == []


async def test_username_handed_to_another_channel_moves(pipeline: Pipeline, db: Database) -> None:
    old = await pipeline.ensure_channel(username="news", telegram_id=1)
    new = await pipeline.ensure_channel(username="news", telegram_id=2)
    assert new != old
    assert [(r[1], r[2]) for r in await channels(db)] == [(None, 1), ("news", 2)]


async def test_home_region_by_name_or_code_is_stored_as_code(
    pipeline: Pipeline, db: Database
) -> None:
    a = await pipeline.ensure_channel(username="gov_smo", home_region="Смоленская область")
    b = await pipeline.ensure_channel(username="gov_bry", home_region="RU-BRY")
    c = await pipeline.ensure_channel(username="kharkiv_ova", home_region="Kharkiv Oblast")
    assert [r[4] for r in await channels(db)] == ["RU-SMO", "RU-BRY", "UA-63"]
    assert len({a, b, c}) == 3


async def test_unknown_home_region_is_an_input_error_naming_it(pipeline: Pipeline) -> None:
    with pytest.raises(InputError, match=r"unknown region 'Atlantis'.*RU-SMO"):
        await pipeline.ensure_channel(username="x_channel", home_region="Atlantis")


async def test_home_region_reaches_the_classifier(
    pipeline: Pipeline, db: Database, make_post: MakePost
) -> None:
    """A governor's post that names no place happened in the governor's region."""
    await pipeline.ensure_channel(username="test_channel", home_region="RU-SMO")
    text = "Сегодня ночью над городом сбит беспилотник. Пострадавших нет."
    result = await pipeline.ingest(NewPost(make_post(1, text)))
    assert result.classification is not None and result.classification.is_incident
    assert [r.code for r in result.classification.regions] == ["RU-SMO"]
    assert await db.read("SELECT region_code FROM post_regions") == [("RU-SMO",)]
    assert await db.read("SELECT regions FROM incidents") == [("RU-SMO",)]


async def test_merge_inside_one_batch_moves_posts_resolved_before_it(
    pipeline: Pipeline, db: Database
) -> None:
    """One batch: a post by username only, one by id only (two new rows), then one naming
    both (merge). Result: all three posts on the one kept channel, nothing dangling."""
    events = [
        NewPost(Post("gov_y", None, 1, T0, "веб", Source.WEBPREVIEW)),
        NewPost(Post(None, 777, 2, T0, "экспорт", Source.IMPORT)),
        NewPost(Post("gov_y", 777, 3, T0, "оба", Source.LIVE)),
        NewPost(Post(None, 777, 4, T0, "снова по id", Source.IMPORT)),
    ]
    results = await pipeline.ingest_events(events)
    assert [r.kind for r in results] == ["new"] * 4
    assert len({r.channel_pk for r in results}) == 1
    assert [(r[1], r[2]) for r in await channels(db)] == [("gov_y", 777)]
    assert await db.read("SELECT count(*) FROM posts") == [(4,)]
    assert await db.read("PRAGMA foreign_key_check") == []
