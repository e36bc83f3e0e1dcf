"""Full-text index follows the posts; atomic ingest leaves the file exactly as before."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import MalformedFileError, StorageError
from bot.models import DeletedPost, EditedPost, NewPost, Post, PostEvent, Source
from bot.pipeline import Pipeline
from bot.storage import Database

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
MakePost = Callable[..., Post]


async def fts(db: Database, query: str) -> list[int]:
    rows = await db.read(
        "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rowid", (query,)
    )
    return [int(r[0]) for r in rows]  # type: ignore[call-overload]


async def test_fts_finds_text_and_follows_edits(
    pipeline: Pipeline, db: Database, make_post: MakePost
) -> None:
    first = await pipeline.ingest(NewPost(make_post(1, "Над Брянском сбит беспилотник")))
    await pipeline.ingest(NewPost(make_post(2, "Ремонт моста завершён")))
    assert await fts(db, "беспилотник") == [first.post_id]
    assert await fts(db, "брянском") == [first.post_id]  # case-insensitive
    await pipeline.ingest(
        EditedPost(make_post(1, "Над Курском сбит дрон", edited_at=T0 + timedelta(hours=1)))
    )
    assert await fts(db, "беспилотник") == []
    assert await fts(db, "дрон") == [first.post_id]


async def test_fts_ignores_diacritics(
    pipeline: Pipeline, db: Database, make_post: MakePost
) -> None:
    post = await pipeline.ingest(NewPost(make_post(1, "Drone débris fell near Kyïv")))
    assert await fts(db, "debris") == [post.post_id]


async def test_soft_delete_stays_searchable_hard_delete_leaves_index(
    pipeline: Pipeline, db: Database, make_post: MakePost
) -> None:
    """A Telegram delete keeps the text (researchers search it); removing the row (a
    maintenance DELETE) takes it out of the index through the trigger."""
    r = await pipeline.ingest(NewPost(make_post(1, "Обломки беспилотника упали")))
    await pipeline.ingest(DeletedPost("test_channel", None, (1,), T0, Source.LIVE))
    assert await fts(db, "обломки") == [r.post_id]
    async with db.transaction() as conn:
        for table in ("post_regions", "classifications", "post_versions"):
            await conn.execute(f"DELETE FROM {table} WHERE post_id = ?", (r.post_id,))
        await conn.execute("DELETE FROM posts WHERE id = ?", (r.post_id,))
    assert await fts(db, "обломки") == []
    check = await db.read("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')")
    assert check == []


def snapshot(path: Path) -> list[str]:
    """Every row of every table (FTS shadow tables included), as SQL text."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def broken_stream(make_post: MakePost, good: int) -> Iterator[PostEvent]:
    for i in range(1, good + 1):
        yield NewPost(make_post(1000 + i, f"Сбит беспилотник номер {i}", channel="import_me"))
    yield EditedPost(make_post(1, "изменённый текст", edited_at=T0 + timedelta(days=1)))
    raise MalformedFileError("export/result.json", "line 9000, column 3", "unexpected end")


async def test_atomic_ingest_rolls_back_everything_on_error_mid_stream(
    pipeline: Pipeline, db: Database, db_path: Path, make_post: MakePost
) -> None:
    """1. the DB holds posts  2. an import streams 2,500 posts (several batches), an edit of
    an existing post and a new channel, then the file breaks.
    Result: the error propagates and every table is exactly as before."""
    await pipeline.ingest_many(NewPost(make_post(i, f"старый пост {i}")) for i in range(1, 4))
    before = snapshot(db_path)
    with pytest.raises(MalformedFileError, match="line 9000"):
        await pipeline.ingest_many(broken_stream(make_post, 2500), atomic=True, batch_size=1000)
    assert snapshot(db_path) == before
    assert await db.read("SELECT count(*) FROM channels") == [(1,)]
    # The pipeline still works after the rollback (no stale channel cache, no open txn).
    result = await pipeline.ingest(NewPost(make_post(5, "ещё пост", channel="import_me")))
    assert result.kind == "new"


async def test_non_atomic_ingest_keeps_committed_batches(
    pipeline: Pipeline, db: Database, make_post: MakePost
) -> None:
    with pytest.raises(MalformedFileError):
        await pipeline.ingest_many(broken_stream(make_post, 2500), batch_size=1000)
    assert await db.read("SELECT count(*) FROM posts") == [(2000,)]


async def test_failed_write_rolls_back_the_whole_batch(
    pipeline: Pipeline, db: Database, make_post: MakePost
) -> None:
    """The database refuses the last classification of a batch (a fault injected in SQLite
    itself): the posts, versions and cursor rows already sent for that batch are gone too."""
    await pipeline.ingest(NewPost(make_post(1, "первый")))
    async with db.transaction() as conn:
        await conn.execute(
            "CREATE TEMP TRIGGER refuse AFTER INSERT ON main.classifications"
            " WHEN new.post_id = 50 BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        )
    events = [NewPost(make_post(i, f"пост {i}")) for i in range(2, 51)]
    with pytest.raises(StorageError, match="rolled back: disk says no"):
        await pipeline.ingest_events(events)
    assert await db.read("SELECT count(*) FROM posts") == [(1,)]
    assert await db.read("SELECT count(*) FROM post_versions") == [(1,)]
    assert await db.read("SELECT last_message_id FROM channel_cursors") == [(1,)]
