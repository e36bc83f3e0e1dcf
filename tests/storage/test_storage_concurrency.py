"""Readers on their own connections read while the one writer writes (WAL)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from bot.models import NewPost, Post
from bot.pipeline import Pipeline
from bot.storage import Database, connect_reader

MakePost = Callable[..., Post]


def read_all(path: Path) -> tuple[int, int, int]:
    """One consistent snapshot: (posts, classifications, rows fetched by a full scan)."""
    conn = connect_reader(path)
    try:
        conn.execute("BEGIN")
        posts = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
        classified = conn.execute("SELECT count(*) FROM classifications").fetchone()[0]
        scanned = sum(1 for _ in conn.execute("SELECT * FROM posts_current ORDER BY id"))
        conn.execute("COMMIT")
        return posts, classified, scanned
    finally:
        conn.close()


async def test_reader_is_not_blocked_by_an_open_write_transaction(
    pipeline: Pipeline, db_path: Path, make_post: MakePost
) -> None:
    """1. 300 posts committed  2. an atomic import applies a batch of 500 and, with its
    transaction still open, a reader reads everything. Result: the reader gets the last
    committed state at once (no "database is locked"), and everything after the commit."""
    await pipeline.ingest_many(NewPost(make_post(i, f"пост {i}")) for i in range(1, 301))
    seen_mid_write: list[tuple[int, int, int]] = []

    async def events() -> AsyncIterator[NewPost]:
        for i in range(301, 1301):
            if i == 801:  # the first batch of 500 is written, not committed
                seen_mid_write.append(await asyncio.to_thread(read_all, db_path))
            yield NewPost(make_post(i, f"пост {i}"))

    await pipeline.ingest_many(events(), atomic=True, batch_size=500)
    assert seen_mid_write == [(300, 300, 300)]
    assert read_all(db_path) == (1300, 1300, 1300)


async def test_readers_in_threads_while_pipeline_writes_many_batches(
    db: Database, db_path: Path, make_post: MakePost
) -> None:
    """Every snapshot a reader takes is whole: as many classifications as posts."""
    pipeline = Pipeline(db)
    done = threading.Event()
    snapshots: list[tuple[int, int, int]] = []

    def reader() -> None:
        while not done.is_set():
            snapshots.append(read_all(db_path))
        snapshots.append(read_all(db_path))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for start in range(0, 4000, 200):
            batch = [
                NewPost(make_post(i, f"сбит беспилотник {i}")) for i in range(start, start + 200)
            ]
            await pipeline.ingest_many(batch, batch_size=200)
            await asyncio.sleep(0)
    finally:
        done.set()
        await asyncio.to_thread(thread.join)
    assert snapshots[-1] == (4000, 4000, 4000)
    assert all(p == c == s and p % 200 == 0 for p, c, s in snapshots)
    assert [s[0] for s in snapshots] == sorted(s[0] for s in snapshots)
