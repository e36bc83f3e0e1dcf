"""Subscribers and what they follow: the `subscribers`, `subscriptions` and
`subscription_channels` tables. Every function runs inside the caller's transaction.

A subscriber is a chat: a person's private chat with the bot, or a group (ALLOW_GROUPS).
Nobody is ever deleted: a chat that blocked the bot is deactivated (and reactivated by
its next message), so an archive of who got what stays consistent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.alerts.i18n import DEFAULT_TZ
from bot.alerts.matching import ALL_REGIONS, Subscription, kinds_column, parse_kinds
from bot.models import Label
from bot.storage import from_iso, to_iso

_COLUMNS = (
    "id, chat_id, access_hash, chat_kind, name, lang, tz, kinds, quiet_start, quiet_end,"
    " muted_until, active, inactive_reason"
)
# Columns `update` may set: names are ours, never input (values are parameters).
_SETTABLE = frozenset({"lang", "tz", "kinds", "quiet_start", "quiet_end", "muted_until", "name"})


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    chat_id: int
    access_hash: int | None
    chat_kind: str  # "private" | "group"
    name: str | None
    lang: str
    tz: str
    kinds: frozenset[Label]
    quiet_start: str | None
    quiet_end: str | None
    muted_until: datetime | None
    active: bool
    inactive_reason: str | None
    regions: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()

    @property
    def is_group(self) -> bool:
        return self.chat_kind == "group"

    def subscription(self) -> Subscription:
        return Subscription(self.id, self.regions, self.kinds, self.channels)


def _subscriber(
    row: tuple[object, ...], regions: frozenset[str], channels: frozenset[str]
) -> Subscriber:
    (sid, chat_id, access_hash, kind, name, lang, tz, kinds, qs, qe, muted, active, reason) = row
    return Subscriber(
        id=int(sid),  # type: ignore[arg-type]
        chat_id=int(chat_id),  # type: ignore[arg-type]
        access_hash=None if access_hash is None else int(access_hash),  # type: ignore[arg-type]
        chat_kind=str(kind),
        name=None if name is None else str(name),
        lang=str(lang),
        tz=str(tz),
        kinds=parse_kinds(str(kinds)),
        quiet_start=None if qs is None else str(qs),
        quiet_end=None if qe is None else str(qe),
        muted_until=None if muted is None else from_iso(str(muted)),
        active=bool(active),
        inactive_reason=None if reason is None else str(reason),
        regions=regions,
        channels=channels,
    )


async def _column_set(conn: aiosqlite.Connection, sql: str, sid: int) -> frozenset[str]:
    rows = await conn.execute_fetchall(sql, (sid,))
    return frozenset(str(r[0]) for r in rows)


async def load(conn: aiosqlite.Connection, subscriber_id: int) -> Subscriber | None:
    rows = list(
        await conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM subscribers WHERE id = ?", (subscriber_id,)
        )
    )
    if not rows:
        return None
    regions = await _column_set(
        conn, "SELECT region_code FROM subscriptions WHERE subscriber_id = ?", subscriber_id
    )
    channels = await _column_set(
        conn, "SELECT channel FROM subscription_channels WHERE subscriber_id = ?", subscriber_id
    )
    return _subscriber(tuple(rows[0]), regions, channels)


async def by_chat(conn: aiosqlite.Connection, chat_id: int) -> Subscriber | None:
    rows = list(
        await conn.execute_fetchall("SELECT id FROM subscribers WHERE chat_id = ?", (chat_id,))
    )
    return await load(conn, int(rows[0][0])) if rows else None


async def get_or_create(
    conn: aiosqlite.Connection,
    *,
    chat_id: int,
    access_hash: int | None,
    chat_kind: str,
    name: str | None,
    lang: str,
    now: datetime,
) -> tuple[Subscriber, bool]:
    """The chat's subscriber (reactivated: a message from it proves it works again), or a
    new one in `lang` with that language's default zone. Returns (subscriber, created)."""
    now_iso = to_iso(now)
    found = await by_chat(conn, chat_id)
    if found is None:
        await conn.execute(
            "INSERT INTO subscribers (chat_id, access_hash, chat_kind, name, lang, tz,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (chat_id, access_hash, chat_kind, name, lang, DEFAULT_TZ[lang], now_iso, now_iso),
        )
        created = await by_chat(conn, chat_id)
        assert created is not None
        return created, True
    if not found.active or (access_hash is not None and access_hash != found.access_hash):
        await conn.execute(
            "UPDATE subscribers SET active = 1, inactive_reason = NULL,"
            " access_hash = coalesce(?, access_hash), updated_at = ? WHERE id = ?",
            (access_hash, now_iso, found.id),
        )
        refreshed = await load(conn, found.id)
        assert refreshed is not None
        return refreshed, False
    return found, False


async def update(
    conn: aiosqlite.Connection, subscriber_id: int, now: datetime, **values: object
) -> None:
    """Set settings columns (lang, tz, kinds, quiet_start, quiet_end, muted_until, name)."""
    unknown = set(values) - _SETTABLE
    if unknown:
        raise ValueError(f"not a subscriber setting: {sorted(unknown)}")
    assignments = ", ".join(f"{name} = ?" for name in values)
    params = [to_iso(v) if isinstance(v, datetime) else v for v in values.values()]
    await conn.execute(
        f"UPDATE subscribers SET {assignments}, updated_at = ? WHERE id = ?",
        (*params, to_iso(now), subscriber_id),
    )


async def set_kinds(
    conn: aiosqlite.Connection, subscriber_id: int, kinds: Iterable[Label], now: datetime
) -> None:
    await update(conn, subscriber_id, now, kinds=kinds_column(kinds))


async def add_regions(
    conn: aiosqlite.Connection, subscriber_id: int, codes: Iterable[str], now: datetime
) -> None:
    """Follow these regions ("*": all); "all" replaces the single regions (it covers them)."""
    codes = set(codes)
    if ALL_REGIONS in codes:
        await conn.execute("DELETE FROM subscriptions WHERE subscriber_id = ?", (subscriber_id,))
    await conn.executemany(
        "INSERT OR IGNORE INTO subscriptions (subscriber_id, region_code, created_at)"
        " VALUES (?, ?, ?)",
        [(subscriber_id, code, to_iso(now)) for code in sorted(codes)],
    )


async def remove_regions(
    conn: aiosqlite.Connection, subscriber_id: int, codes: Iterable[str] | None
) -> int:
    """Stop following these regions (None: all of them); returns how many were removed."""
    if codes is None:
        cur = await conn.execute(
            "DELETE FROM subscriptions WHERE subscriber_id = ?", (subscriber_id,)
        )
        return cur.rowcount
    removed = 0
    for code in set(codes):
        cur = await conn.execute(
            "DELETE FROM subscriptions WHERE subscriber_id = ? AND region_code = ?",
            (subscriber_id, code),
        )
        removed += cur.rowcount
    return removed


async def toggle_channel(conn: aiosqlite.Connection, subscriber_id: int, channel: str) -> bool:
    """Add the channel to the filter, or remove it if there; True if it is now in it."""
    cur = await conn.execute(
        "DELETE FROM subscription_channels WHERE subscriber_id = ? AND channel = ?",
        (subscriber_id, channel),
    )
    if cur.rowcount:
        return False
    await conn.execute(
        "INSERT INTO subscription_channels (subscriber_id, channel) VALUES (?, ?)",
        (subscriber_id, channel.lower()),
    )
    return True


async def add_channels(
    conn: aiosqlite.Connection, subscriber_id: int, channels: Iterable[str]
) -> None:
    """Add channels to the filter (those already in it stay)."""
    await conn.executemany(
        "INSERT OR IGNORE INTO subscription_channels (subscriber_id, channel) VALUES (?, ?)",
        [(subscriber_id, c.lower()) for c in channels],
    )


async def clear_channels(conn: aiosqlite.Connection, subscriber_id: int) -> None:
    await conn.execute(
        "DELETE FROM subscription_channels WHERE subscriber_id = ?", (subscriber_id,)
    )


def deactivate_statement(
    subscriber_id: int, reason: str, now: datetime
) -> tuple[str, tuple[object, ...]]:
    """Stop sending to this chat (blocked the bot, deleted account): nothing is retried."""
    return (
        "UPDATE subscribers SET active = 0, inactive_reason = ?, updated_at = ? WHERE id = ?",
        (reason, to_iso(now), subscriber_id),
    )


async def deactivate(
    conn: aiosqlite.Connection, subscriber_id: int, reason: str, now: datetime
) -> None:
    await conn.execute(*deactivate_statement(subscriber_id, reason, now))


async def candidates(
    conn: aiosqlite.Connection, region_codes: Iterable[str], *, groups: bool = True
) -> list[Subscription]:
    """Subscriptions of active subscribers that follow one of these regions or all regions
    (private chats only unless `groups`: ALLOW_GROUPS may be off since a group subscribed).

    A pre-filter through the region index; `matching.match` makes the decision.
    """
    codes = sorted({*region_codes, ALL_REGIONS})
    marks = ", ".join("?" for _ in codes)
    kind = "" if groups else " AND s.chat_kind = 'private'"
    rows = await conn.execute_fetchall(
        "SELECT s.id, s.kinds, group_concat(r.region_code, ';'),"
        " (SELECT group_concat(c.channel, ';') FROM subscription_channels AS c"
        "   WHERE c.subscriber_id = s.id)"
        " FROM subscriptions AS r JOIN subscribers AS s ON s.id = r.subscriber_id"
        f" WHERE r.region_code IN ({marks}) AND s.active = 1{kind}"
        " GROUP BY s.id ORDER BY s.id",
        codes,
    )
    return [
        Subscription(
            subscriber_id=int(sid),
            regions=frozenset(str(regions).split(";")),
            kinds=parse_kinds(str(kinds)),
            channels=frozenset(str(chans).lower().split(";")) if chans else frozenset(),
        )
        for sid, kinds, regions, chans in rows
    ]


@dataclass(frozen=True, slots=True)
class SubscriberStats:
    total: int
    active: int
    by_lang: dict[str, int]
    by_reason: dict[str, int]
    top_regions: list[tuple[str, int]]


async def stats(conn: aiosqlite.Connection) -> SubscriberStats:
    rows = await conn.execute_fetchall("SELECT lang, active, inactive_reason FROM subscribers")
    by_lang: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    active = 0
    for lang, is_active, reason in rows:
        by_lang[str(lang)] += 1
        active += bool(is_active)
        if not is_active:
            reasons[str(reason or "?")] += 1
    regions = await conn.execute_fetchall(
        "SELECT r.region_code, count(*) FROM subscriptions AS r"
        " JOIN subscribers AS s ON s.id = r.subscriber_id WHERE s.active = 1"
        " GROUP BY r.region_code ORDER BY count(*) DESC, r.region_code LIMIT 10"
    )
    return SubscriberStats(
        total=len(rows),
        active=active,
        by_lang=dict(by_lang),
        by_reason=dict(reasons),
        top_regions=[(str(code), int(n)) for code, n in regions],
    )
