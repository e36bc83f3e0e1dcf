"""The health job (every HEALTH_CHECK_MINUTES): each channel's rhythm into `channel_health`,
stalled parts, a growing outbox. Every verdict is remembered in the database (`silent`,
`alert_state`), so a restart neither repeats a notice nor forgets one is owed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiosqlite

from bot.config import Settings
from bot.jobs import health, store
from bot.jobs.notices import Notifier, Values
from bot.jobs.texts import span
from bot.service.parts import Parts
from bot.storage import Database, from_iso, to_iso, utc_now

# A channel not in the watch list is checked only while its newest post came from a live
# source: an imported archive of a channel nobody follows is not "silent".
LIVE_SOURCES = frozenset({"live", "backfill", "webpreview"})
_DEPTHS_KEY = "health_outbox_depths"
_OUTBOX_KEY = "health_outbox_alerted"
_STALL_PREFIX = "health_stalled:"


@dataclass(slots=True)
class HealthRun:
    """What one check found and told (names, for the log and tests)."""

    checked_channels: int = 0
    silent: list[str] = field(default_factory=list)
    went_silent: list[str] = field(default_factory=list)
    came_back: list[str] = field(default_factory=list)
    stalled: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    outbox_depth: int = 0
    outbox_notice: bool = False


@dataclass(frozen=True, slots=True)
class _Channel:
    pk: int
    name: str
    watched: bool


class HealthJob:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        parts: Parts,
        now: Callable[[], datetime] = utc_now,
        wake: Callable[[], None] | None = None,
        notices: Notifier | None = None,
    ) -> None:
        self._db = db
        self._settings = settings
        self._parts = parts
        self._now = now
        self._wake = wake
        self._notices = notices or Notifier(settings.admin_ids, bot=True)

    async def __call__(self) -> HealthRun:
        now, run = self._now(), HealthRun()
        async with self._db.transaction() as conn:
            for channel in await _channels(conn):
                await self._channel(conn, channel, now, run)
            await self._stalls(conn, now, run)
            await self._outbox(conn, now, run)
        told = run.went_silent or run.came_back or run.stalled or run.recovered
        if self._wake is not None and (told or run.outbox_notice):
            self._wake()
        return run

    async def _notify(self, conn: aiosqlite.Connection, key: str, values: Values) -> None:
        await self._notices.notify(conn, key, values, self._now())

    # -- channels -------------------------------------------------------------------------
    async def _channel(
        self, conn: aiosqlite.Connection, ch: _Channel, now: datetime, run: HealthRun
    ) -> None:
        rows = await conn.execute_fetchall(
            "SELECT date, source FROM posts WHERE channel_pk = ? ORDER BY date DESC LIMIT ?",
            (ch.pk, health.RHYTHM_POSTS + 1),
        )
        newest = [(from_iso(str(d)), str(s)) for d, s in rows]
        if not ch.watched and (not newest or newest[0][1] not in LIVE_SOURCES):
            return
        run.checked_channels += 1
        count = next(iter(await conn.execute_fetchall(
            "SELECT count(*) FROM posts WHERE channel_pk = ? AND date > ?",
            (ch.pk, to_iso(now - timedelta(days=health.RHYTHM_DAYS))),
        )))[0]  # fmt: skip
        r = health.rhythm([d for d, _ in newest], int(count))
        silent = health.is_silent(r, now, self._settings.silence_factor, self._settings.silence_min)
        before = list(await conn.execute_fetchall(
            "SELECT silent, silent_since, last_post_at FROM channel_health WHERE channel_id = ?",
            (ch.pk,),
        ))  # fmt: skip
        was_silent = bool(before and before[0][0])
        since = before[0][1] if was_silent else (to_iso(now) if silent else None)
        await conn.execute(
            "INSERT INTO channel_health (channel_id, posts_per_day, usual_gap_seconds,"
            " last_post_at, silent, silent_since, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (channel_id) DO UPDATE SET posts_per_day = excluded.posts_per_day,"
            " usual_gap_seconds = excluded.usual_gap_seconds,"
            " last_post_at = excluded.last_post_at, silent = excluded.silent,"
            " silent_since = excluded.silent_since, checked_at = excluded.checked_at",
            (ch.pk, r.posts_per_day, r.usual_gap,
             None if r.last_post is None else to_iso(r.last_post), int(silent),
             since if silent else None, to_iso(now)),
        )  # fmt: skip
        if silent:
            run.silent.append(ch.name)
        if silent and not was_silent:
            run.went_silent.append(ch.name)
            await self._notify(conn, "notice_silent", _silent_values(ch.name, r, now))
        elif was_silent and not silent:
            run.came_back.append(ch.name)
            previous = before[0][2]
            gap = 0.0
            if previous is not None and r.last_post is not None:
                gap = (r.last_post - from_iso(str(previous))).total_seconds()
            await self._notify(
                conn, "notice_back", lambda lang: {"channel": ch.name, "gap": span(lang, gap)}
            )

    # -- parts ----------------------------------------------------------------------------
    async def _stalls(self, conn: aiosqlite.Connection, now: datetime, run: HealthRun) -> None:
        stall = timedelta(minutes=self._settings.stall_minutes)
        intervals = {  # the parts that poll: progress comes once per interval at least
            "watcher": self._settings.poll_seconds,
            "webpreview": self._settings.webpreview_poll_seconds,
        }
        for state in self._parts.snapshot():
            key = _STALL_PREFIX + state.name
            known = await store.get_state(conn, key)
            limit = health.stall_limit(stall, intervals.get(state.name))
            last = health.stalled_since(state, now, limit)
            if last is not None and known is None:
                run.stalled.append(state.name)
                await store.set_state(conn, key, to_iso(last))
                gap = (now - last).total_seconds()
                status = state.status
                await self._notify(
                    conn, "notice_stalled",
                    lambda lang, n=state.name, s=status, g=gap: {
                        "part": n, "gap": span(lang, g), "status": s},
                )  # fmt: skip
            elif last is None and known is not None:
                run.recovered.append(state.name)
                await store.set_state(conn, key, None)
                await self._notify(conn, "notice_recovered", lambda lang, n=state.name: {"part": n})

    # -- outbox ---------------------------------------------------------------------------
    async def _outbox(self, conn: aiosqlite.Connection, now: datetime, run: HealthRun) -> None:
        depth = run.outbox_depth = await store.pending_depth(conn)
        stored = await store.get_state(conn, _DEPTHS_KEY)
        depths = [*(json.loads(stored) if stored else []), depth][-(health.GROWTH_CHECKS + 1) :]
        await store.set_state(conn, _DEPTHS_KEY, json.dumps(depths))
        threshold = self._settings.outbox_alert_depth
        alerted = await store.get_state(conn, _OUTBOX_KEY) is not None
        if depth <= threshold:
            if alerted:
                await store.set_state(conn, _OUTBOX_KEY, None)
            return
        if alerted or not health.outbox_growing(depths, threshold):
            return
        run.outbox_notice = True
        await store.set_state(conn, _OUTBOX_KEY, to_iso(now))
        await self._notify(
            conn, "notice_outbox", lambda lang: {"depth": depth, "before": depths[0]}
        )


def _silent_values(name: str, r: health.Rhythm, now: datetime) -> Values:
    assert r.last_post is not None and r.usual_gap is not None
    last, usual = r.last_post, r.usual_gap

    def values(lang: str) -> dict[str, object]:
        return {
            "channel": name,
            "gap": span(lang, (now - last).total_seconds()),
            "usual": span(lang, usual),
            "last": last.strftime("%d.%m %H:%M UTC"),
        }

    return values


async def _channels(conn: aiosqlite.Connection) -> list[_Channel]:
    rows = await conn.execute_fetchall(
        "SELECT id, username, title, telegram_id, watched FROM channels WHERE active = 1"
        " ORDER BY id"
    )
    return [
        _Channel(int(pk), f"@{user}" if user else str(title or telegram_id or pk), bool(watched))
        for pk, user, title, telegram_id, watched in rows
    ]
