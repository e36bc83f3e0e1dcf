"""The watcher's rows in the archive: which channels it follows and their cached peers.

A username is resolved ONCE (contacts.resolveUsername is the request Telegram punishes with
day-long FloodWaits when repeated); the channel's id and access hash are kept in
`channels.telegram_id` / `channels.access_hash`, so later runs build the peer from the DB.
`channels.watched` (schema 3) marks the channels `uavwatch channels add` added.
All SQL is parameterised; rows are created through `Pipeline.ensure_channel`, which knows
how to merge a channel first seen by username with the same channel first seen by id.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage import Database

_COLUMNS = "id, username, telegram_id, title, home_region, access_hash, watched"


@dataclass(frozen=True, slots=True)
class ChannelRow:
    pk: int
    username: str | None
    telegram_id: int | None
    title: str | None
    home_region: str | None
    access_hash: int | None
    watched: bool

    @property
    def label(self) -> str:
        """How logs and messages name the channel."""
        return f"@{self.username}" if self.username else f"id {self.telegram_id}"


def _row(values: tuple[object, ...]) -> ChannelRow:
    pk, username, telegram_id, title, region, access_hash, watched = values
    return ChannelRow(
        int(pk),  # type: ignore[call-overload]
        username,  # type: ignore[arg-type]
        telegram_id,  # type: ignore[arg-type]
        title,  # type: ignore[arg-type]
        region,  # type: ignore[arg-type]
        access_hash,  # type: ignore[arg-type]
        bool(watched),
    )


async def watched_channels(db: Database) -> list[ChannelRow]:
    rows = await db.read(f"SELECT {_COLUMNS} FROM channels WHERE watched = 1 ORDER BY id")
    return [_row(r) for r in rows]


async def find_channel(
    db: Database, *, username: str | None = None, telegram_id: int | None = None
) -> ChannelRow | None:
    """By id first (ids never change hands), then by username."""
    if telegram_id is not None:
        sql = f"SELECT {_COLUMNS} FROM channels WHERE telegram_id = ?"
        rows = await db.read(sql, (telegram_id,))
        if rows:
            return _row(rows[0])
    if username is not None:
        rows = await db.read(f"SELECT {_COLUMNS} FROM channels WHERE username = ?", (username,))
        if rows:
            return _row(rows[0])
    return None


async def set_watched(db: Database, pk: int, watched: bool) -> None:
    """`active` follows `watched` here: the data dictionary says 1 while monitored."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE channels SET watched = ?, active = ? WHERE id = ?",
            (int(watched), int(watched), pk),
        )


async def store_peer(db: Database, pk: int, access_hash: int) -> None:
    async with db.transaction() as conn:
        await conn.execute("UPDATE channels SET access_hash = ? WHERE id = ?", (access_hash, pk))


async def cursor_of(db: Database, pk: int) -> int | None:
    """The highest message id stored for the channel (the pipeline moves it forward)."""
    rows = await db.read("SELECT last_message_id FROM channel_cursors WHERE channel_pk = ?", (pk,))
    return int(rows[0][0]) if rows else None  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class StoredPost:
    message_id: int
    text: str
    edited_at: str | None
    deleted: bool


async def stored_since(db: Database, pk: int, since_iso: str) -> dict[int, StoredPost]:
    """The channel's stored posts dated `since_iso` or later (the reconcile window)."""
    rows = await db.read(
        "SELECT message_id, text, edited_at, deleted_at IS NOT NULL FROM posts"
        " WHERE channel_pk = ? AND date >= ?",
        (pk, since_iso),
    )
    return {
        int(mid): StoredPost(int(mid), str(text), edited, bool(deleted))  # type: ignore[call-overload,arg-type]
        for mid, text, edited, deleted in rows
    }


async def oldest_stored(
    db: Database, pk: int, sources: tuple[str, ...] = ("live", "backfill", "webpreview")
) -> tuple[int, str] | None:
    """(message_id, date) of the channel's oldest post stored by these sources: where a
    backfill resumes (imported history below it may have holes the watcher's has not)."""
    marks = ", ".join("?" for _ in sources)
    rows = await db.read(
        f"SELECT message_id, date FROM posts WHERE channel_pk = ? AND source IN ({marks})"
        " ORDER BY message_id LIMIT 1",
        (pk, *sources),
    )
    return (int(rows[0][0]), str(rows[0][1])) if rows else None  # type: ignore[call-overload]


async def count_stored_from(db: Database, pk: int, lowest_id: int) -> int:
    rows = await db.read(
        "SELECT count(*) FROM posts WHERE channel_pk = ? AND message_id >= ?", (pk, lowest_id)
    )
    return int(rows[0][0])  # type: ignore[call-overload]
