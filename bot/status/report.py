"""`uavwatch status` and the bot's /health: what the service has been doing, from the archive.

Everything comes from the database file through a read-only connection (`connect_reader`),
so the command works while `uavwatch run` writes (WAL), after it crashed, and on a copy of the
file; async callers go through `gather_status`, which reads in a thread. Nothing here asks
the running process: a part that stopped writing heartbeats shows as stale, which is the
point.

Cursor lag, defined. The archive does not know the newest message id a channel has on
Telegram (no source stores the remote head: a poll that sees a newer post stores it at
once), so an id gap cannot be computed honestly and none is shown. What is shown instead:
- `last post`: the date of the newest post stored for the channel, whatever the source;
- `lag`: `now - last post`, how far the archive trails the present for that channel;
- `cursor`: the highest message id stored (`channel_cursors`, where catch-up resumes) and
  when it last moved.
A lag far beyond the channel's usual gap (`channel_health`: posts/day, usual gap, `silent`)
means the channel went quiet or we stopped reading it; the heartbeats tell which.

Channels listed: those the Telegram watcher follows (`channels.watched`), those with a
`channel_health` row, those whose newest post came from the web preview, and the
`WEBPREVIEW_CHANNELS` names passed in (listed as never polled when not in the archive).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.errors import StorageError
from bot.storage import connect_reader, from_iso, to_iso

#: Newest parked deliveries listed with their last error.
PARKED_SHOWN = 5
#: A running part writes a heartbeat every HEARTBEAT_MINUTES; two missed beats plus this
#: slack (a slow job, a busy writer) and it is reported stale.
HEARTBEAT_SLACK = timedelta(minutes=5)
#: Part statuses that mean "not expected to beat" (see bot.service.parts.STATUSES).
_AT_REST = ("stopped", "disabled")
#: Statuses of a part that is (or should be) working: the service writes a heartbeat row
#: at every change of status, so none of these left means the service is not running.
_LIVE = ("starting", "running", "restarting")


def stale_after(heartbeat_minutes: float) -> timedelta:
    """How old a running part's newest heartbeat may be before it counts as stale."""
    return 2 * timedelta(minutes=heartbeat_minutes) + HEARTBEAT_SLACK


#: With HEARTBEAT_MINUTES at its default (60).
DEFAULT_STALE = stale_after(60)


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    pk: int | None  # None: named in WEBPREVIEW_CHANNELS, not yet in the archive
    name: str  # @username, else the numeric id, else the title
    via: str  # telegram, webpreview, telegram+webpreview, or archive
    last_post_at: datetime | None
    lag_seconds: float | None
    cursor: int | None
    cursor_moved_at: datetime | None
    posts_per_day: float | None = None
    usual_gap_seconds: float | None = None
    silent: bool = False
    silent_since: datetime | None = None


@dataclass(frozen=True, slots=True)
class ParkedDelivery:
    id: int
    chat_id: int
    purpose: str
    error: str
    at: datetime


@dataclass(frozen=True, slots=True)
class OutboxStatus:
    pending: int = 0
    held: int = 0
    parked: int = 0
    oldest_pending: datetime | None = None
    sent_last_hour: int = 0
    parked_newest: tuple[ParkedDelivery, ...] = ()


@dataclass(frozen=True, slots=True)
class PartStatus:
    part: str
    at: datetime
    status: str
    restarts: int
    last_progress_at: datetime | None
    detail: str | None
    age_seconds: float
    stale: bool


@dataclass(frozen=True, slots=True)
class JobStatus:
    job: str
    last_run_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    runs: int

    @property
    def failing(self) -> bool:
        """The newest run failed (an old error followed by a success is history)."""
        if not self.last_error or self.last_run_at is None:
            return False
        return self.last_ok_at is None or self.last_run_at > self.last_ok_at


@dataclass(frozen=True, slots=True)
class StatusReport:
    db_path: str
    generated_at: datetime
    stale_after: timedelta
    channels: tuple[ChannelStatus, ...] = ()
    posts_24h: int = 0
    incidents_24h: int = 0
    outbox: OutboxStatus = field(default_factory=OutboxStatus)
    subscribers_active: int = 0
    subscribers_inactive: int = 0
    parts: tuple[PartStatus, ...] = ()
    jobs: tuple[JobStatus, ...] = ()

    def problems(self) -> list[str]:
        """The service is not doing its work: a failed part or a stale heartbeat.
        `uavwatch status --check` fails on these (a container health check)."""
        out = []
        for p in self.parts:
            if p.status == "failed":
                out.append(f"part {p.part} failed" + (f": {p.detail}" if p.detail else ""))
            elif p.stale:
                out.append(
                    f"part {p.part}: last heartbeat {age_text(p.age_seconds)} ago (expected "
                    f"within {self.stale_after.total_seconds() / 60:.0f} min); is `uavwatch run` "
                    "running?"
                )
        return out

    def warnings(self) -> list[str]:
        """Worth a look: the service stopped, a part restarting after a crash, silent
        channels, parked rows, failing jobs."""
        out = []
        if self.parts and not any(p.status in _LIVE for p in self.parts):
            last = max(p.at for p in self.parts)
            out.append(f"uavwatch run is not running (its parts stopped at {when(last)})")
        out += [
            f"part {p.part} is restarting after a crash: {p.detail or '?'}"
            for p in self.parts
            if p.status == "restarting" and not p.stale
        ]
        out += [
            f"channel {c.name} silent since {when(c.silent_since)}"
            for c in self.channels
            if c.silent
        ]
        if self.outbox.parked:
            out.append(f"{self.outbox.parked} parked deliveries (failed for good; see below)")
        out += [f"job {j.job} failed: {j.last_error}" for j in self.jobs if j.failing]
        return out


# --- gathering (SQL on a read-only connection) -----------------------------------------------


def read_status(
    conn: sqlite3.Connection,
    now: datetime,
    *,
    db_path: str = "",
    webpreview: Sequence[str] = (),
    stale: timedelta = DEFAULT_STALE,
) -> StatusReport:
    """Every figure of the report, read in one snapshot (one read transaction)."""
    conn.execute("BEGIN")
    try:
        since = to_iso(now - timedelta(hours=24))
        active, inactive = _subscribers(conn)
        return StatusReport(
            db_path=db_path,
            generated_at=now,
            stale_after=stale,
            channels=_channels(conn, now, webpreview),
            posts_24h=_scalar(conn, "SELECT count(*) FROM posts WHERE date >= ?", (since,)),
            incidents_24h=_scalar(conn, _INCIDENTS_SINCE, (since,)),
            outbox=_outbox(conn, now),
            subscribers_active=active,
            subscribers_inactive=inactive,
            parts=_parts(conn, now, stale),
            jobs=_jobs(conn),
        )
    finally:
        conn.rollback()


def load_status(
    path: str | Path,
    now: datetime,
    *,
    webpreview: Sequence[str] = (),
    stale: timedelta = DEFAULT_STALE,
) -> StatusReport:
    """Open the file read-only; a missing file is a StorageError saying how to fix it."""
    if not Path(path).is_file():
        raise StorageError(
            f"{path}: no database here; `uavwatch run` creates it on its first start: check "
            "DB_PATH (or --db) names the file the service writes"
        )
    conn = connect_reader(path)
    try:
        return read_status(conn, now, db_path=str(path), webpreview=webpreview, stale=stale)
    finally:
        conn.close()


async def gather_status(
    path: str | Path,
    now: datetime,
    *,
    webpreview: Sequence[str] = (),
    stale: timedelta = DEFAULT_STALE,
) -> StatusReport:
    """`load_status` in a thread: sqlite3 calls would block the event loop."""
    return await asyncio.to_thread(load_status, path, now, webpreview=webpreview, stale=stale)


# Same rule as the `incidents` view (current label, not deleted), on the date index.
_INCIDENTS_SINCE = (
    "SELECT count(*) FROM posts AS p WHERE p.date >= ? AND p.deleted_at IS NULL AND"
    " (SELECT c.label FROM classifications AS c WHERE c.post_id = p.id"
    " ORDER BY c.id DESC LIMIT 1) = 'uav_incident'"
)

_CHANNELS = (
    "SELECT c.id, c.username, c.telegram_id, c.title, c.watched,"
    " (SELECT max(p.date) FROM posts AS p WHERE p.channel_pk = c.id),"
    " (SELECT p.source FROM posts AS p WHERE p.channel_pk = c.id ORDER BY p.date DESC LIMIT 1),"
    " cur.last_message_id, cur.updated_at,"
    " h.channel_id, h.posts_per_day, h.usual_gap_seconds, h.silent, h.silent_since"
    " FROM channels AS c"
    " LEFT JOIN channel_cursors AS cur ON cur.channel_pk = c.id"
    " LEFT JOIN channel_health AS h ON h.channel_id = c.id"
)


def _scalar(conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()) -> int:
    row = conn.execute(sql, params).fetchone()
    return int(row[0] or 0) if row else 0


def _time(value: object) -> datetime | None:
    return None if value is None else from_iso(str(value))


def _channels(
    conn: sqlite3.Connection, now: datetime, webpreview: Sequence[str]
) -> tuple[ChannelStatus, ...]:
    web = {name.lower() for name in webpreview}
    found: list[ChannelStatus] = []
    seen: set[str] = set()
    for row in conn.execute(_CHANNELS):
        pk, username, tg_id, title, watched, last, newest_src, cursor, moved = row[:9]
        has_health, per_day, gap, silent, silent_since = row[9:]
        by_web = newest_src == "webpreview" or (username is not None and username in web)
        if not (watched or by_web or has_health is not None):
            continue  # imported history only: archive, not monitored
        seen.add(str(username or "").lower())
        via = "+".join(v for v, on in (("telegram", watched), ("webpreview", by_web)) if on)
        last_at = _time(last)
        found.append(
            ChannelStatus(
                pk=int(pk),
                name=f"@{username}" if username else str(tg_id or title or f"#{pk}"),
                via=via or "archive",
                last_post_at=last_at,
                lag_seconds=None if last_at is None else (now - last_at).total_seconds(),
                cursor=None if cursor is None else int(cursor),
                cursor_moved_at=_time(moved),
                posts_per_day=None if per_day is None else float(per_day),
                usual_gap_seconds=None if gap is None else float(gap),
                silent=bool(silent),
                silent_since=_time(silent_since),
            )
        )
    found += [
        ChannelStatus(None, f"@{name}", "webpreview", None, None, None, None)
        for name in sorted(web - seen)
    ]
    return tuple(sorted(found, key=_channel_order))


def _channel_order(c: ChannelStatus) -> tuple[bool, float, str]:
    """Silent first, then the longest lag (never posted counts as longest), then by name."""
    lag = float("inf") if c.lag_seconds is None else c.lag_seconds
    return (not c.silent, -lag, c.name)


def _outbox(conn: sqlite3.Connection, now: datetime) -> OutboxStatus:
    # One count per status: pending and held use their partial indexes; a GROUP BY would
    # sort every row ever sent (millions after months: 0.3 s against 0.07 s at a million).
    counts = {
        status: _scalar(conn, "SELECT count(*) FROM outbox WHERE status = ?", (status,))
        for status in ("pending", "held", "parked")
    }
    oldest = conn.execute("SELECT min(created_at) FROM outbox WHERE status = 'pending'").fetchone()
    hour = to_iso(now - timedelta(hours=1))
    parked = conn.execute(
        "SELECT o.id, s.chat_id, o.purpose, coalesce(o.last_error, '?'), o.updated_at"
        " FROM outbox AS o JOIN subscribers AS s ON s.id = o.subscriber_id"
        " WHERE o.status = 'parked' ORDER BY o.id DESC LIMIT ?",
        (PARKED_SHOWN,),
    ).fetchall()
    return OutboxStatus(
        pending=int(counts.get("pending", 0)),
        held=int(counts.get("held", 0)),
        parked=int(counts.get("parked", 0)),
        oldest_pending=_time(oldest[0]) if oldest else None,
        sent_last_hour=_scalar(
            conn, "SELECT count(*) FROM outbox WHERE status = 'sent' AND updated_at >= ?", (hour,)
        ),
        parked_newest=tuple(
            ParkedDelivery(int(i), int(c), str(p), str(e), from_iso(str(at)))
            for i, c, p, e, at in parked
        ),
    )


def _subscribers(conn: sqlite3.Connection) -> tuple[int, int]:
    counts = dict(conn.execute("SELECT active, count(*) FROM subscribers GROUP BY active"))
    return int(counts.get(1, 0)), int(counts.get(0, 0))


def _parts(conn: sqlite3.Connection, now: datetime, stale: timedelta) -> tuple[PartStatus, ...]:
    rows = conn.execute(
        "SELECT h.part, h.at, h.status, h.restarts, h.last_progress_at, h.detail"
        " FROM heartbeats AS h"
        " WHERE h.at = (SELECT max(h2.at) FROM heartbeats AS h2 WHERE h2.part = h.part)"
        " ORDER BY h.part"
    ).fetchall()
    parts = []
    for part, at, status, restarts, progress, detail in rows:
        beat = from_iso(str(at))
        age = (now - beat).total_seconds()
        parts.append(
            PartStatus(
                part=str(part),
                at=beat,
                status=str(status),
                restarts=int(restarts),
                last_progress_at=_time(progress),
                detail=None if detail is None else str(detail),
                age_seconds=age,
                stale=status not in _AT_REST and age > stale.total_seconds(),
            )
        )
    return tuple(parts)


def _jobs(conn: sqlite3.Connection) -> tuple[JobStatus, ...]:
    rows = conn.execute(
        "SELECT job, last_run_at, last_ok_at, last_error, runs FROM job_runs ORDER BY job"
    ).fetchall()
    return tuple(
        JobStatus(str(j), _time(run), _time(ok), None if err is None else str(err), int(n))
        for j, run, ok, err, n in rows
    )


# --- ages and times, shared by the report's messages and the renderers -----------------


def age_parts(seconds: float) -> tuple[int, str]:
    """(45, "s"), (20, "m"), (5, "h"), (3, "d"): the coarsest unit that still says something."""
    s = max(0, int(seconds))
    if s < 90:
        return s, "s"
    if s < 90 * 60:
        return round(s / 60), "m"
    if s < 48 * 3600:
        return round(s / 3600), "h"
    return round(s / 86400), "d"


def age_text(seconds: float) -> str:
    n, unit = age_parts(seconds)
    return f"{n}{unit}"


def when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%d %H:%M")
