"""The pipeline hook: ingest results -> alerts -> outbox rows, inside the post's transaction.

Pass an `AlertEnqueuer` as `Pipeline(on_ingested=...)`. Because it writes in the same
transaction as the post, a crash can never leave a stored post whose alert was not queued.

- A new alertable post (incident, threat, other attack; from a live source; recent) either
  joins a recent alert it repeats (dedup) or raises a new one; every matching subscriber gets
  an outbox row. Joining adds the source: subscribers already sent the alert get an edit.
- An edit of an alert's first post that changes its facts is a correction: subscribers who
  were sent it (or are about to be) get a correction row; new matches get the alert.
- The deletion of every source of an alert is a correction too ("the source deleted it").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiosqlite

from bot.alerts import outbox, records
from bot.alerts import subscribers as subs
from bot.alerts.dedup import find_duplicate, normalize_text, report_of
from bot.alerts.format import excerpt_of
from bot.alerts.matching import ALERT_LABELS, AlertFacts, match
from bot.alerts.outbox import PRIORITY, SOURCES_PRIORITY, NewRow, Purpose
from bot.alerts.records import SourceRow
from bot.models import Classification, Source
from bot.pipeline import IngestKind, IngestResult
from bot.storage import from_iso, utc_now
from bot.storage.classifications import facts

# Sources that mean "this is happening now". Imports and backfills only archive history.
LIVE_SOURCES = frozenset({Source.LIVE, Source.WEBPREVIEW, Source.REPLAY})
# Stored excerpts keep a little more than a message shows, for the summary and /latest.
_STORED_EXCERPT = 1000


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    dedup_window: timedelta = timedelta(minutes=30)
    max_age: timedelta = timedelta(hours=1)  # older posts (catch-up after downtime): no alert
    sources: frozenset[Source] = LIVE_SOURCES
    allow_groups: bool = True  # ALLOW_GROUPS: off, groups subscribed earlier get nothing


@dataclass(slots=True)
class EnqueueStats:
    alerts: int = 0
    merged: int = 0
    corrections: int = 0
    rows: int = 0
    too_old: int = 0
    reposts: int = 0  # a channel repeating its own report: skipped


@dataclass(frozen=True, slots=True)
class _Post:
    id: int
    text: str
    date: datetime
    source: Source
    channel: str | None
    title: str | None
    message_id: int
    permalink: str | None
    edited_at: datetime | None

    @property
    def moment(self) -> datetime:
        """When it said what it says now: an edit that made it an incident counts from then."""
        return self.edited_at or self.date

    def source_row(self) -> SourceRow:
        return SourceRow(
            self.id, self.channel, self.title, self.message_id, self.permalink, self.date
        )


async def _load_post(conn: aiosqlite.Connection, post_id: int) -> _Post:
    (row,) = await conn.execute_fetchall(
        "SELECT p.id, p.text, p.date, p.source, ch.username, ch.title, p.message_id, p.permalink,"
        " p.edited_at"
        " FROM posts AS p JOIN channels AS ch ON ch.id = p.channel_pk WHERE p.id = ?",
        (post_id,),
    )
    pid, text, date, source, channel, title, mid, link, edited = row
    return _Post(
        int(pid), str(text), from_iso(str(date)), Source(source), channel, title, int(mid), link,
        None if edited is None else from_iso(str(edited)),
    )  # fmt: skip


def _alertable(c: Classification | None) -> bool:
    return c is not None and c.label in ALERT_LABELS


def _fact_key(c: Classification) -> tuple[object, ...]:
    return (*facts(c), c.threat_state)


@dataclass
class AlertEnqueuer:
    """`await enqueuer(conn, results)`: queue what the results mean for subscribers.

    `notify` is called when rows were queued (wake the sender); the sender's reads wait
    for this transaction's commit on the same connection.
    """

    policy: AlertPolicy = field(default_factory=AlertPolicy)
    now: Callable[[], datetime] = utc_now
    notify: Callable[[], None] | None = None
    stats: EnqueueStats = field(default_factory=EnqueueStats)

    async def __call__(self, conn: aiosqlite.Connection, results: Sequence[IngestResult]) -> None:
        rows: list[NewRow] = []
        for r in results:
            if r.post_id is None:
                continue
            if r.kind is IngestKind.DELETED:
                rows += await self._deleted(conn, r.post_id)
            elif r.kind in (IngestKind.NEW, IngestKind.EDITED) and r.classification is not None:
                rows += await self._stored(conn, r.post_id, r.classification)
        if rows:
            self.stats.rows += await outbox.enqueue(conn, rows, self.now())
            if self.notify is not None:
                self.notify()

    async def _stored(
        self, conn: aiosqlite.Connection, post_id: int, c: Classification
    ) -> list[NewRow]:
        known = await records.alert_of_post(conn, post_id)
        if known is not None:
            alert_id, first = known
            return await self._edited(conn, post_id, alert_id, c) if first else []
        if not _alertable(c):
            return []
        post = await _load_post(conn, post_id)
        if post.source not in self.policy.sources:
            return []
        if self.now() - post.moment > self.policy.max_age:
            self.stats.too_old += 1
            return []
        return await self._new(conn, post, c)

    async def _new(
        self, conn: aiosqlite.Connection, post: _Post, c: Classification
    ) -> list[NewRow]:
        now, window = self.now(), self.policy.dedup_window
        report = report_of(c, post.text, post.date, post.channel)
        recent = await records.recent_candidates(
            conn, c.label, post.date - window, post.date + window
        )
        duplicate = find_duplicate(report, recent, window)
        if duplicate is not None and duplicate.repost:
            self.stats.reposts += 1  # the channel said it again: nothing new to tell
            return []
        if duplicate is None:
            excerpt = excerpt_of(post.text, _STORED_EXCERPT)
            alert_id = await records.create_alert(
                conn, c, excerpt, report.norm_text, post.date, now
            )
            self.stats.alerts += 1
        else:
            alert_id = duplicate.alert_id
            self.stats.merged += 1
        await records.add_source(conn, alert_id, post.source_row(), now)
        rows = await self._new_matches(conn, alert_id, c)
        if duplicate is not None:
            rows += await self._sources_rows(conn, alert_id)
        return rows

    async def _sources_rows(self, conn: aiosqlite.Connection, alert_id: int) -> list[NewRow]:
        """Another channel joined the alert: an edit for every chat that was sent it, and for
        every chat about to be (its row may be in flight right now with the sources as they
        were; the sender skips the edit where the chat already shows them all)."""
        shown = set(await outbox.sent_subscribers(conn, alert_id))
        rows = await outbox.alert_rows(conn, alert_id)
        shown |= {sid for sid, status in rows.items() if status == "pending"}
        return [NewRow(sid, Purpose.SOURCES, SOURCES_PRIORITY, alert_id) for sid in sorted(shown)]

    async def _new_matches(
        self, conn: aiosqlite.Connection, alert_id: int, c: Classification
    ) -> list[NewRow]:
        """Alert rows for matching subscribers that have none for this alert yet."""
        regions = frozenset(r.code for r in c.regions)
        wanted = AlertFacts(c.label, regions, await records.alert_channels(conn, alert_id))
        have = await outbox.alert_rows(conn, alert_id)
        found = await subs.candidates(conn, regions, groups=self.policy.allow_groups)
        chosen = match(found, wanted)
        priority = PRIORITY[c.label]
        return [NewRow(sid, Purpose.ALERT, priority, alert_id) for sid in chosen if sid not in have]

    async def _edited(
        self, conn: aiosqlite.Connection, post_id: int, alert_id: int, c: Classification
    ) -> list[NewRow]:
        """The first post of an alert was edited: store the new facts; correct if they changed."""
        old, status = await records.alert_classification(conn, alert_id)
        if status == "deleted":
            return []
        post = await _load_post(conn, post_id)
        shown = c if _alertable(c) else old  # a retraction keeps the facts it retracts
        new_status = "active" if _alertable(c) else "retracted"
        changed = _fact_key(old) != _fact_key(c) or new_status != status
        await records.update_alert(
            conn, alert_id, shown, excerpt_of(post.text, _STORED_EXCERPT),
            normalize_text(post.text), new_status, self.now(), new_revision=changed,
        )  # fmt: skip
        if not changed:
            return []
        self.stats.corrections += 1
        rows = await self._correction_rows(conn, alert_id, PRIORITY[old.label])
        if new_status == "active":
            rows += await self._new_matches(conn, alert_id, c)
        return rows

    async def _correction_rows(
        self, conn: aiosqlite.Connection, alert_id: int, priority: int
    ) -> list[NewRow]:
        """Correction rows for subscribers sent the alert or about to be (a pending row may
        be in flight right now; the sender skips the correction if it went out current)."""
        rows = await outbox.alert_rows(conn, alert_id)
        return [
            NewRow(sid, Purpose.CORRECTION, priority, alert_id)
            for sid, status in sorted(rows.items())
            if status in ("sent", "pending")
        ]

    async def _deleted(self, conn: aiosqlite.Connection, post_id: int) -> list[NewRow]:
        known = await records.alert_of_post(conn, post_id)
        if known is None or not await records.mark_source_deleted(conn, post_id):
            return []
        alert_id = known[0]
        c, status = await records.alert_classification(conn, alert_id)
        if status == "deleted":
            return []
        await records.mark_alert_deleted(conn, alert_id, self.now())
        self.stats.corrections += 1
        return await self._correction_rows(conn, alert_id, PRIORITY.get(c.label, 0))
