"""Posts, their versions and the per-channel cursors: batch reads and batch writes.

Every function does a whole batch in one statement or a few (a `json_each` lookup, a
multi-row insert from `bulk`, or an `executemany`), because each aiosqlite call is a hop to
the connection's thread: per-row round trips would cap ingest far below the import target.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.storage.bulk import bulk_insert, insert_rows

_LOAD = """
SELECT p.channel_pk, p.message_id, p.id, p.date, p.text, p.edited_at, p.deleted_at,
       (SELECT max(v.version) FROM post_versions AS v WHERE v.post_id = p.id),
       (SELECT c.fields FROM classifications AS c WHERE c.post_id = p.id
        ORDER BY c.id DESC LIMIT 1)
FROM json_each(?) AS k
JOIN posts AS p ON p.channel_pk = k.value ->> 0 AND p.message_id = k.value ->> 1
"""

_INSERT_POSTS = bulk_insert(
    "posts",
    (
        "id", "channel_pk", "message_id", "date", "text", "entities", "views", "forwards",
        "replies", "media_kind", "permalink", "first_seen_at", "edited_at", "deleted_at",
        "source",
    ),
)  # fmt: skip
_INSERT_VERSIONS = bulk_insert(
    "post_versions", ("post_id", "version", "text", "edited_at", "seen_at")
)

PostRow = tuple[
    int, int, int, str, str, str | None, int | None, int | None, int | None,
    str | None, str | None, str, str | None, str | None, str,
]  # fmt: skip


@dataclass(slots=True)
class StoredPost:
    """What the ingest planner needs to know about a post already in the archive."""

    post_id: int
    channel_pk: int
    message_id: int
    date: str
    text: str
    edited_at: str | None
    deleted_at: str | None
    versions: int
    current_fields: str | None  # JSON of the current classification, parsed only if needed


async def load_posts(
    conn: aiosqlite.Connection, keys: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], StoredPost]:
    """Stored posts among (channel_pk, message_id) keys, in one query."""
    wanted = list(keys)
    if not wanted:
        return {}
    async with conn.execute(_LOAD, (json.dumps(wanted),)) as cur:
        rows = await cur.fetchall()
    found: dict[tuple[int, int], StoredPost] = {}
    for ch, mid, pid, date, text, edited, deleted, versions, fields in rows:
        found[(ch, mid)] = StoredPost(
            pid, ch, mid, date, text, edited, deleted, versions or 0, fields
        )
    return found


async def next_post_id(conn: aiosqlite.Connection) -> int:
    """The next free posts.id. Valid inside a write transaction (BEGIN IMMEDIATE holds the
    write lock, so nobody else can insert until we commit): lets a batch know its ids
    without a RETURNING round trip per row."""
    async with conn.execute("SELECT coalesce(max(id), 0) + 1 FROM posts") as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


@dataclass(slots=True)
class PostWrites:
    """One batch's writes to posts, post_versions and channel_cursors."""

    inserts: list[PostRow]
    text_updates: list[tuple[str, str | None, int]]  # (text, edited_at, id)
    deletes: list[tuple[str, int]]  # (deleted_at, id)
    versions: list[tuple[int, int, str, str | None, str]]  # post_id, version, text, edited, seen
    cursors: dict[int, int]  # channel_pk -> highest message_id stored in this batch


async def write_posts(conn: aiosqlite.Connection, w: PostWrites, now_iso: str) -> None:
    await insert_rows(conn, _INSERT_POSTS, w.inserts)
    if w.text_updates:
        await conn.executemany(
            "UPDATE posts SET text = ?, edited_at = ? WHERE id = ?", w.text_updates
        )
    if w.deletes:
        await conn.executemany("UPDATE posts SET deleted_at = ? WHERE id = ?", w.deletes)
    await insert_rows(conn, _INSERT_VERSIONS, w.versions)
    if w.cursors:
        await advance_cursors(conn, w.cursors, now_iso)


async def advance_cursors(
    conn: aiosqlite.Connection, highest: dict[int, int], now_iso: str
) -> None:
    """Cursors only move forward: an old post imported late never moves one back."""
    await conn.executemany(
        "INSERT INTO channel_cursors (channel_pk, last_message_id, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (channel_pk) DO UPDATE SET last_message_id = excluded.last_message_id,"
        " updated_at = excluded.updated_at"
        " WHERE excluded.last_message_id > channel_cursors.last_message_id",
        [(pk, mid, now_iso) for pk, mid in highest.items()],
    )


async def cursor(conn: aiosqlite.Connection, channel_pk: int) -> int | None:
    async with conn.execute(
        "SELECT last_message_id FROM channel_cursors WHERE channel_pk = ?", (channel_pk,)
    ) as cur:
        row = await cur.fetchone()
    return None if row is None else int(row[0])


@dataclass(frozen=True, slots=True)
class Unclassified:
    post_id: int
    date: str
    text: str
    home_region: str | None


def _unclassified_filter(since: str | None, channel_pk: int | None) -> tuple[str, list[object]]:
    sql = (
        " FROM posts AS p JOIN channels AS ch ON ch.id = p.channel_pk"
        " WHERE NOT EXISTS (SELECT 1 FROM classifications AS c"
        " WHERE c.post_id = p.id AND c.classifier_version = ?)"
        # Text blanked by retention (RETENTION_DAYS) cannot be classified again: its verdict
        # from when the text was there stays the current one.
        " AND NOT (p.text = '' AND EXISTS (SELECT 1 FROM classifications AS k"
        " WHERE k.post_id = p.id))"
    )
    params: list[object] = []
    if since is not None:
        sql += " AND p.date >= ?"
        params.append(since)
    if channel_pk is not None:
        sql += " AND p.channel_pk = ?"
        params.append(channel_pk)
    return sql, params


async def count_unclassified(
    conn: aiosqlite.Connection, version: str, *, since: str | None, channel_pk: int | None
) -> int:
    where, params = _unclassified_filter(since, channel_pk)
    async with conn.execute("SELECT count(*)" + where, [version, *params]) as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def page_unclassified(
    conn: aiosqlite.Connection,
    version: str,
    *,
    after_id: int,
    limit: int,
    since: str | None,
    channel_pk: int | None,
) -> Sequence[Unclassified]:
    """Keyset page (`p.id > after_id`, never OFFSET) of posts with no row for `version`."""
    where, params = _unclassified_filter(since, channel_pk)
    sql = (
        "SELECT p.id, p.date, p.text, ch.home_region"
        + where
        + " AND p.id > ? ORDER BY p.id LIMIT ?"
    )
    async with conn.execute(sql, [version, *params, after_id, limit]) as cur:
        rows = await cur.fetchall()
    return [Unclassified(int(r[0]), r[1], r[2], r[3]) for r in rows]
