"""Alerts, their sources, the outbox and the delivered-message records (tables of migration 4).

Every function runs inside the caller's transaction. The outbox is the durable queue: a row
per message per subscriber, written in the same transaction as the post that caused it,
then marked with the Telegram message id when delivered. Rows carry no rendered text: the
sender renders the alert as it stands when the row's turn comes, so a pending row picks up
a correction or an extra source by itself.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiosqlite

from bot.models import Label
from bot.storage import from_iso, to_iso


class Purpose(StrEnum):
    ALERT = "alert"  # the alert itself
    CORRECTION = "correction"  # its facts changed: edit the delivered message (or reply)
    SOURCES = "sources"  # another channel reported it: edit to list the source
    SUMMARY = "summary"  # the alerts held during quiet hours, in one message
    BROADCAST = "broadcast"  # an administrator's message
    DIGEST = "digest"  # the daily digest: text in payload, PNG chart in outbox.attachment
    NOTICE = "notice"  # the service telling an administrator (stall, silence, backlog)


# Lower sends first: incidents before threats before summaries (the order).
PRIORITY = {Label.UAV_INCIDENT: 0, Label.UAV_THREAT: 1, Label.OTHER_ATTACK: 1}
SUMMARY_PRIORITY = 2
BROADCAST_PRIORITY = 3
SOURCES_PRIORITY = 4
NOTICE_PRIORITY = 2
DIGEST_PRIORITY = 5  # after everything else: a digest can wait, an alert cannot


@dataclass(frozen=True, slots=True)
class NewRow:
    subscriber_id: int
    purpose: Purpose
    priority: int
    alert_id: int | None = None
    payload: str | None = None


@dataclass(slots=True)
class DueRow:
    """A pending outbox row with what sending it needs to know about its chat."""

    id: int
    subscriber_id: int
    alert_id: int | None
    purpose: Purpose
    priority: int
    payload: str | None
    attempts: int
    chat_id: int
    access_hash: int | None
    is_group: bool
    lang: str
    tz: str
    quiet_start: str | None
    quiet_end: str | None
    muted_until: datetime | None
    active: bool


@dataclass(frozen=True, slots=True)
class SentRecord:
    telegram_message_id: int
    revision: int
    sources: int
    sent_at: datetime


# -- outbox rows ----------------------------------------------------------------------
def ranks(rows: Sequence[NewRow]) -> list[int]:
    """Each row's place within its fan-out (rows of one alert and purpose, in order): the
    sender takes rank 0 of every fan-out before rank 1 of any, so fan-outs interleave."""
    seen: dict[tuple[int | None, Purpose], int] = {}
    out = []
    for r in rows:
        key = (r.alert_id, r.purpose)
        out.append(seen.get(key, 0))
        seen[key] = out[-1] + 1
    return out


async def enqueue(conn: aiosqlite.Connection, rows: Sequence[NewRow], now: datetime) -> int:
    now_iso = to_iso(now)
    await conn.executemany(
        "INSERT INTO outbox (subscriber_id, alert_id, purpose, priority, rank, payload,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.subscriber_id, r.alert_id, r.purpose.value, r.priority, rank, r.payload, now_iso,
          now_iso) for r, rank in zip(rows, ranks(rows), strict=True)],
    )  # fmt: skip
    return len(rows)


async def alert_rows(conn: aiosqlite.Connection, alert_id: int) -> dict[int, str]:
    """subscriber id -> status of its `alert` row for this alert."""
    rows = await conn.execute_fetchall(
        "SELECT subscriber_id, status FROM outbox WHERE alert_id = ? AND purpose = 'alert'",
        (alert_id,),
    )
    return {int(sid): str(status) for sid, status in rows}


_DUE = (
    "SELECT o.id, o.subscriber_id, o.alert_id, o.purpose, o.priority, o.payload, o.attempts,"
    " s.chat_id, s.access_hash, s.chat_kind, s.lang, s.tz, s.quiet_start, s.quiet_end,"
    " s.muted_until, s.active"
    " FROM outbox AS o JOIN subscribers AS s ON s.id = o.subscriber_id"
    " WHERE o.status = 'pending' AND (o.not_before IS NULL OR o.not_before <= ?){skip}"
    " ORDER BY o.priority, o.rank, o.id LIMIT ?"
)
# Rows the caller has settled but not written yet (see ledger.py), as one JSON parameter:
# any number of ids in one bound value, looked up through an index SQLite builds for it.
_SKIP_ROWS = " AND o.id NOT IN (SELECT value FROM json_each(?))"
_SKIP_SUBSCRIBERS = " AND o.subscriber_id NOT IN (SELECT value FROM json_each(?))"


def _due_row(r: Sequence[Any]) -> DueRow:
    return DueRow(
        id=int(r[0]),
        subscriber_id=int(r[1]),
        alert_id=None if r[2] is None else int(r[2]),
        purpose=Purpose(r[3]),
        priority=int(r[4]),
        payload=r[5],
        attempts=int(r[6]),
        chat_id=int(r[7]),
        access_hash=None if r[8] is None else int(r[8]),
        is_group=r[9] == "group",
        lang=str(r[10]),
        tz=str(r[11]),
        quiet_start=r[12],
        quiet_end=r[13],
        muted_until=None if r[14] is None else from_iso(str(r[14])),
        active=bool(r[15]),
    )


def _skipping(
    rows: Collection[int], subscribers: Collection[int]
) -> tuple[str, tuple[object, ...]]:
    sql, params = "", ()
    if rows:
        sql, params = _SKIP_ROWS, (json.dumps(sorted(rows)),)
    if subscribers:
        sql, params = sql + _SKIP_SUBSCRIBERS, (*params, json.dumps(sorted(subscribers)))
    return sql, params


async def due_rows(
    conn: aiosqlite.Connection, now: datetime, limit: int, *,
    skip: Collection[int] = (), skip_subscribers: Collection[int] = (),
) -> list[DueRow]:  # fmt: skip
    """Pending rows due now, most urgent first (leaving out `skip` rows and the rows of
    `skip_subscribers`)."""
    clause, extra = _skipping(skip, skip_subscribers)
    params = (to_iso(now), *extra, limit)
    return [_due_row(r) for r in await conn.execute_fetchall(_DUE.format(skip=clause), params)]


async def next_due(
    conn: aiosqlite.Connection, *, skip: Collection[int] = (),
    skip_subscribers: Collection[int] = (),
) -> datetime | bool | None:  # fmt: skip
    """True if a pending row is due now, else when the earliest becomes due (None: none)."""
    clause, params = _skipping(skip, skip_subscribers)
    rows = await conn.execute_fetchall(
        "SELECT min(coalesce(o.not_before, '')) FROM outbox AS o WHERE o.status = 'pending'"
        + clause,
        params,
    )
    value = next(iter(rows))[0]
    if value is None:
        return None
    return True if value == "" else from_iso(str(value))


# The statements that settle a row, as (sql, parameters): the sender collects them in its
# ledger and commits them in batches; the async functions run one in a transaction.
_SET_STATUS = (
    "UPDATE outbox SET status = ?, last_error = coalesce(?, last_error), updated_at = ?"
    " WHERE id = ?"
)
_RETRY = (
    "UPDATE outbox SET attempts = ?, not_before = ?, last_error = ?, status = ?,"
    " updated_at = ? WHERE id = ?"
)
_DROP_PENDING = (
    "UPDATE outbox SET status = 'dropped', last_error = ?, updated_at = ?"
    " WHERE subscriber_id = ? AND status IN ('pending', 'held')"
)


def status_statement(
    row_id: int, status: str, now: datetime, error: str | None = None
) -> tuple[str, tuple[object, ...]]:
    return _SET_STATUS, (status, error, to_iso(now), row_id)


def retry_statement(
    row_id: int, attempts: int, not_before: datetime | None, error: str, now: datetime, *,
    park: bool,
) -> tuple[str, tuple[object, ...]]:  # fmt: skip
    """Another attempt failed: try again after `not_before`, or park the row for good."""
    when = None if not_before is None else to_iso(not_before)
    return _RETRY, (attempts, when, error, "parked" if park else "pending", to_iso(now), row_id)


def delay_statement(subscriber_id: int, until: datetime) -> tuple[str, tuple[object, ...]]:
    """Nothing of this chat's queue is due before `until` (a FloodWait that must outlive a
    restart); a later not_before already there stays."""
    when = to_iso(until)
    return (
        "UPDATE outbox SET not_before = ? WHERE subscriber_id = ? AND status = 'pending'"
        " AND (not_before IS NULL OR not_before < ?)",
        (when, subscriber_id, when),
    )


def drop_pending_statement(
    subscriber_id: int, reason: str, now: datetime
) -> tuple[str, tuple[object, ...]]:
    """A gone recipient: every pending or held row of theirs is dropped, none retried."""
    return _DROP_PENDING, (reason, to_iso(now), subscriber_id)


async def set_status(
    conn: aiosqlite.Connection, ids: Iterable[int], status: str, now: datetime,
    error: str | None = None,
) -> None:  # fmt: skip
    await conn.executemany(_SET_STATUS, [status_statement(i, status, now, error)[1] for i in ids])


async def retry_later(
    conn: aiosqlite.Connection, row_id: int, attempts: int, not_before: datetime | None,
    error: str, now: datetime, *, park: bool,
) -> None:  # fmt: skip
    await conn.execute(*retry_statement(row_id, attempts, not_before, error, now, park=park))


async def drop_pending_of(
    conn: aiosqlite.Connection, subscriber_id: int, reason: str, now: datetime
) -> None:
    await conn.execute(*drop_pending_statement(subscriber_id, reason, now))


MARK_SENT = (
    "UPDATE outbox SET status = 'sent', telegram_message_id = ?, shown_revision = ?,"
    " shown_sources = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?"
)


def mark_sent_statement(
    row_id: int, message_id: int, now: datetime, shown: tuple[int, int] | None
) -> tuple[str, tuple[object, ...]]:
    """The ONE statement that marks a row delivered, and what the chat now shows of its
    alert (`shown`: its revision and how many sources; `format.shown_sources`)."""
    revision, sources = shown if shown is not None else (None, None)
    return MARK_SENT, (message_id, revision, sources, to_iso(now), row_id)


# -- idempotent sends ---------------------------------------------------------------
SEND_SECRET_KEY = "send_key_secret"


async def stored_secret(conn: aiosqlite.Connection) -> bytes | None:
    """This database's secret for `send_key`, if it has one yet (any connection)."""
    rows = list(
        await conn.execute_fetchall(
            "SELECT value FROM alert_state WHERE name = ?", (SEND_SECRET_KEY,)
        )
    )
    return bytes.fromhex(str(rows[0][0])) if rows else None


async def send_secret(conn: aiosqlite.Connection) -> bytes:
    """This database's secret for `send_key`, created once and kept in `alert_state` (so a
    restarted sender derives the same keys as the one that crashed)."""
    stored = await stored_secret(conn)
    if stored is not None:
        return stored
    secret = secrets.token_bytes(16)
    await conn.execute(
        "INSERT INTO alert_state (name, value) VALUES (?, ?)", (SEND_SECRET_KEY, secret.hex())
    )
    return secret


def send_key(secret: bytes, row_id: int) -> int:
    """The `random_id` of the message an outbox row sends: the same for every attempt of
    the row, also after a restart. Telegram keeps one message per random_id and answers a
    repeat with the message it already has, so a resend after a crash does not show twice.
    Keyed BLAKE2b of the row id: unpredictable and unique as Telegram asks (a plain counter
    would collide with another database using the same bot)."""
    digest = hashlib.blake2b(row_id.to_bytes(8, "big"), key=secret, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True) or 1


_SHOWN = "('alert', 'correction', 'sources')"


async def sent_record(
    conn: aiosqlite.Connection, alert_id: int, subscriber_id: int
) -> SentRecord | None:
    """What the chat shows of the alert: the latest delivered message about it, and when
    that message was first sent (edits keep the message, so its age is the first send's)."""
    rows = list(
        await conn.execute_fetchall(
            "SELECT o.telegram_message_id, o.shown_revision, o.shown_sources,"
            " (SELECT min(f.updated_at) FROM outbox AS f WHERE f.alert_id = o.alert_id"
            "   AND f.subscriber_id = o.subscriber_id AND f.status = 'sent'"
            "   AND f.telegram_message_id = o.telegram_message_id)"
            " FROM outbox AS o WHERE o.alert_id = ? AND o.subscriber_id = ? AND o.status = 'sent'"
            f" AND o.purpose IN {_SHOWN} ORDER BY o.id DESC LIMIT 1",
            (alert_id, subscriber_id),
        )
    )
    if not rows:
        return None
    mid, revision, sources, sent_at = rows[0]
    return SentRecord(int(mid), int(revision), int(sources), from_iso(str(sent_at)))


async def sent_subscribers(conn: aiosqlite.Connection, alert_id: int) -> list[int]:
    rows = await conn.execute_fetchall(
        "SELECT DISTINCT subscriber_id FROM outbox WHERE alert_id = ? AND status = 'sent'"
        f" AND purpose IN {_SHOWN} ORDER BY subscriber_id",
        (alert_id,),
    )
    return [int(r[0]) for r in rows]


# -- quiet hours ----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Held:
    """An alert held during quiet hours, and whether its source still reports it."""

    row_id: int
    alert_id: int
    active: bool


async def held_by_subscriber(conn: aiosqlite.Connection) -> dict[int, list[Held]]:
    """subscriber id -> the alerts held for them during quiet hours, oldest first."""
    rows = await conn.execute_fetchall(
        "SELECT o.subscriber_id, o.id, o.alert_id, a.status = 'active' FROM outbox AS o"
        " JOIN alerts AS a ON a.id = o.alert_id WHERE o.status = 'held' ORDER BY o.id"
    )
    held: dict[int, list[Held]] = {}
    for sid, rid, aid, active in rows:
        held.setdefault(int(sid), []).append(Held(int(rid), int(aid), bool(active)))
    return held


def summary_payload(alert_ids: Sequence[int]) -> str:
    return json.dumps(list(alert_ids))


def summary_alerts(payload: str | None) -> list[int]:
    return [int(x) for x in json.loads(payload or "[]")]
