"""What one due outbox row becomes: a new message, an edit, a reply, or no message at all.

The sender owns the pace (tokens, pauses, the loop); this module owns the decisions for a
single row and records them: an alert is held in quiet hours, dropped while muted, skipped
if its post was retracted; a correction edits the delivered message (a reply when that is
older than EDIT_MAX_AGE or cannot be edited) or is skipped when the chat already shows the
current facts. `take(chat)` is called right before anything goes to Telegram.

Reads go through the database's read-only connection (never blocked by another process's
write lock); what a row became goes into the sender's ledger (ledger.py), which the sender
commits. So nothing here waits for the write lock, except `release_held` (which skips its
turn when the lock is taken).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.alerts import outbox, records
from bot.alerts import subscribers as subs
from bot.alerts.format import (
    AlertView,
    render_alert,
    render_broadcast,
    render_correction_reply,
    render_summary,
    shown_sources,
)
from bot.alerts.ledger import Ledger
from bot.alerts.outbox import SUMMARY_PRIORITY, DueRow, NewRow, Purpose
from bot.alerts.schedule import MAX_ATTEMPTS, backoff, in_quiet, is_muted, quiet_ends
from bot.alerts.transport import CannotEdit, Chat, NotModified, Transport
from bot.errors import WriteBusy
from bot.storage import Database

# Edits do not notify, and nobody rereads a day-old alert: older ones get a reply instead.
# 48 h is also where Telegram starts refusing some edits (MESSAGE_EDIT_TIME_EXPIRED).
EDIT_MAX_AGE = timedelta(hours=48)

Take = Callable[[Chat], None]
# Digest charts kept in memory: one per region set and language sent today, a few at most.
_CHARTS_KEPT = 16


@dataclass(frozen=True, slots=True)
class Done:
    """Finished: sent | edited | reply | held | muted | skipped | dropped | parked."""

    status: str


@dataclass(frozen=True, slots=True)
class Keep:
    """Not finished and not failed (FloodWait): keep it queued."""


@dataclass(frozen=True, slots=True)
class Retry:
    """Rescheduled `seconds` from now (backoff, or a reply waiting for quiet hours to end)."""

    seconds: float


Outcome = Done | Keep | Retry


class Delivery:
    def __init__(
        self,
        db: Database,
        transport: Transport,
        *,
        now: Callable[[], datetime],
        ledger: Ledger,
        send_key: Callable[[int], int] | None = None,
        allow_groups: bool = True,
    ) -> None:
        self._db = db
        self._transport = transport
        self._now = now
        self.ledger = ledger  # what rows became, committed by the sender
        self._groups = allow_groups  # ALLOW_GROUPS: off, rows for groups are skipped
        # Outbox row id -> the random_id its message carries (None: Telethon picks one).
        self._send_key = send_key
        self._views: dict[int, AlertView] = {}
        self._loading: dict[int, asyncio.Task[AlertView]] = {}  # one read per view
        self._rendered: dict[tuple[object, ...], str] = {}
        self._charts: dict[str, bytes] = {}  # digest charts by key (immutable: never stale)
        self._sources: dict[int, int] = {}  # alert id -> shown_sources of its view

    def forget_views(self) -> None:
        """Alerts may have changed since they were read: read them again when next needed."""
        self._views.clear()
        self._loading.clear()
        self._rendered.clear()
        self._sources.clear()

    def _shown(self, view: AlertView) -> int:
        """How many sources a message about `view` shows (once per view: a fan-out asks
        for every chat)."""
        n = self._sources.get(view.id)
        if n is None:
            n = self._sources[view.id] = shown_sources(view)
        return n

    def _render(
        self, view: AlertView, lang: str, tz: str, corrected_at: datetime | None = None
    ) -> str:
        """One rendering per alert, language and zone: a fan-out reuses it for every chat."""
        key = (view.id, lang, tz, corrected_at)
        markup = self._rendered.get(key)
        if markup is None:
            markup = self._rendered[key] = render_alert(view, lang, tz, corrected_at=corrected_at)
        return markup

    async def _view(self, alert_id: int | None) -> AlertView:
        """The alert as it stands, read once however many sends in flight ask for it."""
        assert alert_id is not None
        view = self._views.get(alert_id)
        if view is not None:
            return view
        loading = self._loading.get(alert_id)
        if loading is None:
            loading = self._loading[alert_id] = asyncio.ensure_future(self._load(alert_id))
        return await asyncio.shield(loading)  # a cancelled send leaves the read to the others

    async def _load(self, alert_id: int) -> AlertView:
        mine = asyncio.current_task()
        try:
            view = await records.load_view(await self._db.reader(), alert_id)
        except BaseException:
            if self._loading.get(alert_id) is mine:
                del self._loading[alert_id]
            raise
        if self._loading.get(alert_id) is mine:  # not forgotten meanwhile: keep it
            del self._loading[alert_id]
            self._views[alert_id] = view
        return view

    async def deliver(self, row: DueRow, chat: Chat, take: Take) -> Outcome:
        if not row.active:
            return await self._finish(row, "dropped", "the subscriber is inactive")
        if row.is_group and not self._groups:
            return await self._finish(row, "skipped", "groups are off (ALLOW_GROUPS)")
        if row.purpose is Purpose.ALERT:
            return await self._alert(row, chat, take)
        if row.purpose in (Purpose.CORRECTION, Purpose.SOURCES):
            return await self._update(row, chat, take)
        if row.purpose is Purpose.DIGEST:
            return await self._digest(row, chat, take)
        if row.purpose is Purpose.SUMMARY:
            views = [await self._view(a) for a in outbox.summary_alerts(row.payload)]
            if not any(v.status == "active" for v in views):
                return await self._finish(row, "skipped", "every alert was withdrawn")
            markup = render_summary(views, row.lang, row.tz)
        elif row.purpose is Purpose.NOTICE:
            markup = row.payload or ""  # rendered by the health job, in the admin's language
        else:
            markup = render_broadcast(row.payload or "", row.lang)
        take(chat)
        message_id = await self._transport.send(chat, markup, random_id=self._key(row))
        await self._mark(row, message_id, None)
        return Done("sent")

    async def _digest(self, row: DueRow, chat: Chat, take: Take) -> Outcome:
        """The daily digest: its chart as a photo with the text as caption (text alone when
        there is no chart). It goes at the time the subscriber chose, so quiet hours and
        mute (which are about alerts) do not hold it."""
        chart, png = await self._chart_of(row.id)
        take(chat)
        key = self._key(row)
        if png:
            message_id = await self._transport.send_photo(
                chat, png, row.payload or "", random_id=key, photo_key=chart
            )
        else:
            message_id = await self._transport.send(chat, row.payload or "", random_id=key)
        await self._mark(row, message_id, None)
        return Done("sent")

    async def _chart_of(self, row_id: int) -> tuple[str | None, bytes | None]:
        """(chart key, PNG) of a digest row: the shared chart, read once per process, or the
        row's own copy (queued before schema version 6); (None, None) for text only."""
        reader = await self._db.reader()
        rows = list(
            await reader.execute_fetchall(
                "SELECT chart, attachment FROM outbox WHERE id = ?", (row_id,)
            )
        )
        chart, legacy = rows[0] if rows else (None, None)
        if chart is None:
            return None, bytes(legacy) if legacy else None
        key = str(chart)
        png = self._charts.get(key)
        if png is None:
            found = list(
                await reader.execute_fetchall(
                    "SELECT png FROM outbox_charts WHERE sha256 = ?", (key,)
                )
            )
            if not found:
                return None, None  # pruned meanwhile: the caption alone
            if len(self._charts) >= _CHARTS_KEPT:
                self._charts.clear()
            png = self._charts[key] = bytes(found[0][0])
        return key, png

    async def _alert(self, row: DueRow, chat: Chat, take: Take) -> Outcome:
        view, now = await self._view(row.alert_id), self._now()
        if view.status != "active":
            return await self._finish(row, "skipped", f"the alert was {view.status} before sending")
        if is_muted(now, row.muted_until):
            return await self._finish(row, "muted", None)
        if in_quiet(now, row.tz, row.quiet_start, row.quiet_end):
            return await self._finish(row, "held", None)
        take(chat)
        markup = self._render(view, row.lang, row.tz)
        message_id = await self._transport.send(chat, markup, random_id=self._key(row))
        await self._mark(row, message_id, view)
        return Done("sent")

    async def _update(self, row: DueRow, chat: Chat, take: Take) -> Outcome:
        """A correction or an added source: edit what the chat shows, if it is behind."""
        view = await self._view(row.alert_id)
        record = await outbox.sent_record(await self._db.reader(), view.id, row.subscriber_id)
        if record is None:  # not delivered yet: it will show the current facts when it is
            return await self._finish(row, "skipped", "the alert was not delivered")
        if record.revision >= view.revision and record.sources >= self._shown(view):
            return await self._finish(row, "skipped", "the chat already shows this")
        correcting = record.revision < view.revision
        if correcting and self._now() - record.sent_at > EDIT_MAX_AGE:
            return await self._reply(row, chat, take, view, record.telegram_message_id)
        corrected_at = view.updated_at if correcting or view.revision > 1 else None
        markup = self._render(view, row.lang, row.tz, corrected_at)
        take(chat)
        try:
            await self._transport.edit(chat, record.telegram_message_id, markup)
        except NotModified:
            pass
        except CannotEdit as exc:
            if correcting:
                return await self._reply(row, chat, take, view, record.telegram_message_id)
            return await self._finish(row, "skipped", f"cannot edit: {exc}")
        await self._mark(row, record.telegram_message_id, view)
        return Done("edited")

    async def _reply(
        self, row: DueRow, chat: Chat, take: Take, view: AlertView, original: int
    ) -> Outcome:
        """A correction as a new message replying to the alert (it notifies, so it respects
        mute and waits for quiet hours to end)."""
        now = self._now()
        if is_muted(now, row.muted_until):
            return await self._finish(row, "muted", None)
        if (
            row.quiet_start
            and row.quiet_end
            and in_quiet(now, row.tz, row.quiet_start, row.quiet_end)
        ):
            until = quiet_ends(now, row.tz, row.quiet_start, row.quiet_end)
            self.ledger.add(
                outbox.retry_statement(
                    row.id, row.attempts, until, "waiting for quiet hours to end", now,
                    park=False,
                ),
                row.id,
            )  # fmt: skip
            return Retry((until - now).total_seconds())
        take(chat)
        markup = render_correction_reply(view, row.lang, row.tz)
        message_id = await self._transport.send(
            chat, markup, reply_to=original, random_id=self._key(row)
        )
        await self._mark(row, message_id, view)
        return Done("reply")

    def _key(self, row: DueRow) -> int | None:
        return None if self._send_key is None else self._send_key(row.id)

    async def _mark(self, row: DueRow, message_id: int, view: AlertView | None) -> None:
        """Delivered: the mark joins the sender's ledger (sender.py says when it is committed
        and why a batch of them is safe)."""
        shown = None if view is None else (view.revision, self._shown(view))
        self.ledger.add(outbox.mark_sent_statement(row.id, message_id, self._now(), shown), row.id)

    async def _finish(self, row: DueRow, status: str, reason: str | None) -> Done:
        self.ledger.add(outbox.status_statement(row.id, status, self._now(), reason), row.id)
        return Done(status)

    def retry_or_park(self, row: DueRow, reason: str) -> tuple[bool, float]:
        """Another failed attempt: (True, 0) when parked for good, else (False, delay)."""
        attempts, now = row.attempts + 1, self._now()
        park = attempts >= MAX_ATTEMPTS
        delay = backoff(attempts)
        when = None if park else now + delay
        self.ledger.add(
            outbox.retry_statement(row.id, attempts, when, reason, now, park=park), row.id
        )
        return park, delay.total_seconds()

    async def release_held(self) -> int:
        """Subscribers whose quiet hours ended get one summary of what was held and is still
        reported (a retracted or deleted alert is skipped; with none left, nothing is sent);
        returns how many summaries were queued. Muted by then: the held alerts are dropped
        as muted."""
        try:
            async with self._db.transaction(wait=False) as conn:
                return await self._release(conn, self._now())
        except WriteBusy:
            return 0  # another process is writing: the next round releases them

    async def _release(self, conn: aiosqlite.Connection, now: datetime) -> int:
        queued = 0
        for sid, held in (await outbox.held_by_subscriber(conn)).items():
            s = await subs.load(conn, sid)
            if s is None or in_quiet(now, s.tz, s.quiet_start, s.quiet_end):
                continue
            if is_muted(now, s.muted_until) or not s.active:
                await outbox.set_status(conn, [h.row_id for h in held], "muted", now)
                continue
            gone = [h.row_id for h in held if not h.active]
            await outbox.set_status(conn, gone, "skipped", now, "withdrawn by its source")
            active = [h for h in held if h.active]
            if not active:
                continue
            payload = outbox.summary_payload([h.alert_id for h in active])
            row = NewRow(sid, Purpose.SUMMARY, SUMMARY_PRIORITY, None, payload)
            await outbox.enqueue(conn, [row], now)
            await outbox.set_status(conn, [h.row_id for h in active], "summarized", now)
            queued += 1
        return queued
