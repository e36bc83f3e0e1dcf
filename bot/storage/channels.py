"""Channels: known by username, by Telegram id, or both; merged when both become known.

Web-preview pages give only the username and Desktop exports only the numeric id, so the
same channel can first appear as two rows. The first source that names both merges them:
the older row is kept, the other's posts move over (a message stored twice keeps the kept
row's copy), its cursor is folded in, and id-only permalinks gain the username.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

# Telethon's "marked" ids put -100 in front of a channel's id (-1001234567890); Desktop
# exports and the API's channel_id give the bare number. We store the bare one.
_MARK = 1_000_000_000_000

_COLUMNS = "id, username, telegram_id, title, home_region"


@dataclass(slots=True)
class ChannelInfo:
    pk: int
    username: str | None
    telegram_id: int | None
    title: str | None
    home_region: str | None


def normalize_username(username: str | None) -> str | None:
    """'@Name ' -> 'name'; empty -> None. Telegram usernames are case-insensitive."""
    if username is None:
        return None
    name = username.strip().removeprefix("@").strip().lower()
    return name or None


def normalize_channel_id(telegram_id: int | None) -> int | None:
    """-1001234567890 (Telethon's marked form) -> 1234567890; other ids unchanged."""
    if telegram_id is None:
        return None
    if telegram_id < -_MARK:
        return -telegram_id - _MARK
    return telegram_id


def _info(row: tuple[object, ...] | None) -> ChannelInfo | None:
    if row is None:
        return None
    pk, username, telegram_id, title, home_region = row
    return ChannelInfo(int(pk), username, telegram_id, title, home_region)  # type: ignore[arg-type]


async def _one(conn: aiosqlite.Connection, where: str, value: object) -> ChannelInfo | None:
    async with conn.execute(f"SELECT {_COLUMNS} FROM channels WHERE {where} = ?", (value,)) as cur:
        return _info(await cur.fetchone())  # type: ignore[arg-type]


async def find_channel(
    conn: aiosqlite.Connection, *, username: str | None, telegram_id: int | None
) -> ChannelInfo | None:
    """The row for this channel, or None; never creates (a delete must not add channels)."""
    if telegram_id is not None:
        found = await _one(conn, "telegram_id", telegram_id)
        if found is not None:
            return found
    if username is not None:
        return await _one(conn, "username", username)
    return None


async def upsert_channel(
    conn: aiosqlite.Connection,
    *,
    username: str | None,
    telegram_id: int | None,
    title: str | None,
    home_region: str | None,
    now_iso: str,
) -> tuple[ChannelInfo, bool]:
    """Find, create, merge or complete the channel row; inputs already normalized.

    A given title or home_region overwrites the stored one (the newest word wins); a
    username held by a row with a different Telegram id moves to this channel (usernames
    can be handed over to another channel). The flag says whether OTHER rows changed (a
    merge or a handover): then whatever a caller cached about channels is stale.
    """
    reshaped = False
    by_id = await _one(conn, "telegram_id", telegram_id) if telegram_id is not None else None
    by_name = await _one(conn, "username", username) if username is not None else None
    if (
        by_name is not None
        and telegram_id is not None
        and by_name.telegram_id not in (None, telegram_id)
    ):  # the username was handed over to another channel: it leaves the old row
        await conn.execute("UPDATE channels SET username = NULL WHERE id = ?", (by_name.pk,))
        by_name, reshaped = None, True
    if by_id is not None and by_name is not None and by_id.pk != by_name.pk:
        row, reshaped = await _merge(conn, by_id, by_name), True
    else:
        row = by_id or by_name
    if row is None:
        async with conn.execute(
            "INSERT INTO channels (username, telegram_id, title, home_region, added_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (username, telegram_id, title, home_region, now_iso),
        ) as cur:
            pk = cur.lastrowid
        assert pk is not None
        return ChannelInfo(pk, username, telegram_id, title, home_region), reshaped
    await _complete(conn, row, username, telegram_id, title, home_region)
    return row, reshaped


async def _complete(
    conn: aiosqlite.Connection,
    row: ChannelInfo,
    username: str | None,
    telegram_id: int | None,
    title: str | None,
    home_region: str | None,
) -> None:
    """Fill in what the row lacks (and new title/region); update `row` to match."""
    wanted = ChannelInfo(
        row.pk,
        row.username or username,
        row.telegram_id if row.telegram_id is not None else telegram_id,
        title or row.title,
        home_region or row.home_region,
    )
    if wanted == row:
        return
    await conn.execute(
        "UPDATE channels SET username = ?, telegram_id = ?, title = ?, home_region = ?"
        " WHERE id = ?",
        (wanted.username, wanted.telegram_id, wanted.title, wanted.home_region, row.pk),
    )
    if wanted.username and not row.username:
        await _permalinks_to_username(conn, row.pk, wanted.username)
    row.username, row.telegram_id = wanted.username, wanted.telegram_id
    row.title, row.home_region = wanted.title, wanted.home_region


async def _permalinks_to_username(conn: aiosqlite.Connection, pk: int, username: str) -> None:
    await conn.execute(
        "UPDATE posts SET permalink = 'https://t.me/' || ? || '/' || message_id"
        " WHERE channel_pk = ? AND (permalink IS NULL OR permalink LIKE 'https://t.me/c/%')",
        (username, pk),
    )


async def _merge(conn: aiosqlite.Connection, a: ChannelInfo, b: ChannelInfo) -> ChannelInfo:
    """Fold the newer of two rows for one channel into the older; return the kept row."""
    keep, drop = (a, b) if a.pk < b.pk else (b, a)
    dupes = (
        "SELECT d.id FROM posts AS d JOIN posts AS k ON k.message_id = d.message_id"
        " AND k.channel_pk = ? WHERE d.channel_pk = ?"
    )
    for table in ("post_regions", "classifications", "post_versions"):
        await conn.execute(f"DELETE FROM {table} WHERE post_id IN ({dupes})", (keep.pk, drop.pk))
    await conn.execute(f"DELETE FROM posts WHERE id IN ({dupes})", (keep.pk, drop.pk))
    await conn.execute("UPDATE posts SET channel_pk = ? WHERE channel_pk = ?", (keep.pk, drop.pk))
    await conn.execute(
        "INSERT INTO channel_cursors (channel_pk, last_message_id, updated_at)"
        " SELECT ?, last_message_id, updated_at FROM channel_cursors WHERE channel_pk = ?"
        " ON CONFLICT (channel_pk) DO UPDATE SET"
        " last_message_id = max(last_message_id, excluded.last_message_id),"
        " updated_at = excluded.updated_at",
        (keep.pk, drop.pk),
    )
    await conn.execute("DELETE FROM channel_cursors WHERE channel_pk = ?", (drop.pk,))
    await conn.execute("DELETE FROM channels WHERE id = ?", (drop.pk,))
    # The kept row may lack what the dropped one had (its username, id, title, region).
    title, region = keep.title or drop.title, keep.home_region or drop.home_region
    await _complete(conn, keep, drop.username, drop.telegram_id, title, region)
    if keep.username:  # posts moved from an id-only row still carry t.me/c/ links
        await _permalinks_to_username(conn, keep.pk, keep.username)
    return keep
