"""The SQL of the scheduled jobs: digest subscribers, digest rows and their shared charts,
the `alert_state` name/value memory. Functions run inside the caller's transaction unless
they take a `Database`.

A digest chart is stored once in `outbox_charts`, keyed by the SHA-256 of the PNG, and each
digest row names it in `outbox.chart` (a copy per row was ~46 KB each, never cleared);
`prune_charts` deletes the charts no pending or parked row needs any more."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.alerts.outbox import Purpose
from bot.storage import to_iso

# `subscribers.digest_time` holds this for "/digest on": the service's DIGEST_TIME, so an
# operator who moves the default moves everyone who never chose a time of their own.
DEFAULT_DIGEST = "default"


@dataclass(frozen=True, slots=True)
class DigestSubscriber:
    id: int
    chat_id: int
    lang: str
    tz: str
    digest_time: str  # "HH:MM" or DEFAULT_DIGEST
    last_date: str | None  # local date (ISO) of the last digest enqueued
    regions: frozenset[str]


@dataclass(frozen=True, slots=True)
class Recipient:
    """An administrator the service can message (they have /started the bot)."""

    subscriber_id: int
    chat_id: int
    lang: str


async def digest_subscribers(conn: aiosqlite.Connection) -> list[DigestSubscriber]:
    """Active subscribers who opted in, with the regions they follow."""
    rows = await conn.execute_fetchall(
        "SELECT s.id, s.chat_id, s.lang, s.tz, s.digest_time, s.digest_last_date,"
        " (SELECT group_concat(r.region_code, ';') FROM subscriptions AS r"
        "   WHERE r.subscriber_id = s.id)"
        " FROM subscribers AS s WHERE s.active = 1 AND s.digest_time IS NOT NULL ORDER BY s.id"
    )
    return [
        DigestSubscriber(
            id=int(sid),
            chat_id=int(chat),
            lang=str(lang),
            tz=str(tz),
            digest_time=str(at),
            last_date=None if last is None else str(last),
            regions=frozenset(str(regions).split(";")) if regions else frozenset(),
        )
        for sid, chat, lang, tz, at, last, regions in rows
    ]


async def set_digest_time(
    conn: aiosqlite.Connection, subscriber_id: int, at: str | None, now: datetime
) -> None:
    """Opt in at `at` ("HH:MM" or DEFAULT_DIGEST), or out (None)."""
    await conn.execute(
        "UPDATE subscribers SET digest_time = ?, updated_at = ? WHERE id = ?",
        (at, to_iso(now), subscriber_id),
    )


async def digest_time_of(conn: aiosqlite.Connection, subscriber_id: int) -> str | None:
    rows = list(
        await conn.execute_fetchall(
            "SELECT digest_time FROM subscribers WHERE id = ?", (subscriber_id,)
        )
    )
    return None if not rows or rows[0][0] is None else str(rows[0][0])


async def store_chart(conn: aiosqlite.Connection, png: bytes, now: datetime) -> str:
    """Keep a chart once; returns its key (the PNG's SHA-256, hex) for `enqueue_digest`."""
    key = hashlib.sha256(png).hexdigest()
    await conn.execute(
        "INSERT OR IGNORE INTO outbox_charts (sha256, png, created_at) VALUES (?, ?, ?)",
        (key, png, to_iso(now)),
    )
    return key


async def prune_charts(conn: aiosqlite.Connection) -> int:
    """Delete the charts no pending or parked digest row refers to; returns how many."""
    cur = await conn.execute(
        "DELETE FROM outbox_charts WHERE sha256 NOT IN (SELECT chart FROM outbox"
        " WHERE chart IS NOT NULL AND status IN ('pending', 'parked'))"
    )
    return cur.rowcount


async def enqueue_digest(
    conn: aiosqlite.Connection,
    subscriber_id: int,
    caption: str,
    chart: str | None,
    local_date: str,
    priority: int,
    now: datetime,
) -> bool:
    """The digest row (`chart`: a key from `store_chart`, or None for text only) and the
    subscriber's `digest_last_date`, in the caller's transaction: both or neither, so a
    restart never sends a day's digest twice. False (nothing queued) when that local date
    already had its digest or the subscriber opted out meanwhile."""
    claimed = await conn.execute(
        "UPDATE subscribers SET digest_last_date = ? WHERE id = ? AND digest_time IS NOT NULL"
        " AND coalesce(digest_last_date, '') != ?",
        (local_date, subscriber_id, local_date),
    )
    if claimed.rowcount != 1:
        return False
    at = to_iso(now)
    await conn.execute(
        "INSERT INTO outbox (subscriber_id, purpose, priority, payload, chart,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (subscriber_id, Purpose.DIGEST.value, priority, caption, chart, at, at),
    )
    return True


async def admin_recipients(
    conn: aiosqlite.Connection, admin_ids: Iterable[int]
) -> tuple[list[Recipient], list[int]]:
    """(admins the bot can message, admin ids it cannot: never /started or inactive)."""
    found: list[Recipient] = []
    missing: list[int] = []
    for admin in admin_ids:
        rows = list(
            await conn.execute_fetchall(
                "SELECT id, lang FROM subscribers WHERE chat_id = ? AND active = 1", (admin,)
            )
        )
        if rows:
            found.append(Recipient(int(rows[0][0]), admin, str(rows[0][1])))
        else:
            missing.append(admin)
    return found, missing


async def enqueue_notices(
    conn: aiosqlite.Connection,
    rows: Sequence[tuple[int, str]],
    priority: int,
    now: datetime,
) -> None:
    """(subscriber id, rendered markup) -> pending 'notice' rows."""
    at = to_iso(now)
    await conn.executemany(
        "INSERT INTO outbox (subscriber_id, purpose, priority, payload, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        [(sid, Purpose.NOTICE.value, priority, markup, at, at) for sid, markup in rows],
    )


async def get_state(conn: aiosqlite.Connection, name: str) -> str | None:
    rows = list(
        await conn.execute_fetchall("SELECT value FROM alert_state WHERE name = ?", (name,))
    )
    return None if not rows else str(rows[0][0])


async def set_state(conn: aiosqlite.Connection, name: str, value: str | None) -> None:
    """Remember `value` under `name` (None forgets it)."""
    if value is None:
        await conn.execute("DELETE FROM alert_state WHERE name = ?", (name,))
        return
    await conn.execute(
        "INSERT INTO alert_state (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )


async def pending_depth(conn: aiosqlite.Connection) -> int:
    rows = await conn.execute_fetchall("SELECT count(*) FROM outbox WHERE status = 'pending'")
    return int(next(iter(rows))[0])
