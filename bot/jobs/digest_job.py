"""The digest job: finds the subscribers due, reads the reports once, draws one chart per
distinct region set and language, computes the figures once per region set and the
captions (all in worker threads: with 10,000 subscribers the captions alone took seconds of
the event loop), and enqueues each digest as an outbox row of purpose 'digest' (caption in
`payload`, the chart stored once in `outbox_charts` and named by `chart`), so the sender's
limits, retries and crash-safety apply to it like to any alert. Each run also deletes the
charts no pending digest needs any more."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfoNotFoundError

from bot.alerts.format import region_name
from bot.alerts.outbox import DIGEST_PRIORITY
from bot.charts import daily_incidents_png
from bot.classify.regions import region_by_code
from bot.errors import InputError
from bot.jobs import digest as logic
from bot.jobs import store
from bot.jobs.scheduler import parse_clock
from bot.jobs.texts import jt
from bot.storage import Database, connect_reader, from_iso, to_iso, utc_now

log = logging.getLogger(__name__)

_REPORTS = (
    "SELECT i.id, r.region_code, i.date FROM incidents AS i JOIN post_regions AS r"
    " ON r.post_id = i.id AND r.classifier_version = i.classifier_version"
    " WHERE i.date > ? AND i.date <= ?"
)


@dataclass(frozen=True, slots=True)
class DigestRun:
    """What one run did: digests enqueued, charts drawn (one per region set and language)."""

    due: int
    enqueued: int
    charts: int


def read_reports(path: Path, since: datetime, until: datetime) -> list[logic.Report]:
    """Incident reports per region in (since, until] from a reader connection (a thread)."""
    conn = connect_reader(path)
    try:
        rows = conn.execute(_REPORTS, (to_iso(since), to_iso(until))).fetchall()
    finally:
        conn.close()
    return [logic.Report(int(pid), str(code), from_iso(str(at))) for pid, code, at in rows]


def _chart(reports: Sequence[logic.Report], codes: list[str], lang: str, now: datetime) -> bytes:
    series = logic.daily_series(reports, codes, now)
    names = {c: region_name(region_by_code(c), lang) for c in codes if logic.known_region(c)}
    return daily_incidents_png(
        series, title=str(jt(lang, "chart_title")), ylabel=str(jt(lang, "chart_ylabel")),
        names=names,
    )  # fmt: skip


ChartKey = tuple[frozenset[str], str]
FiguresOf = Callable[[Sequence[logic.Report], frozenset[str], datetime], logic.Figures]
Due = list[tuple[store.DigestSubscriber, str]]


def captions(
    reports: Sequence[logic.Report], due: Due, charted: set[ChartKey], now: datetime,
    figures: FiguresOf = logic.figures,
) -> list[str]:  # fmt: skip
    """Each due subscriber's caption. Pure (a worker thread runs it): the figures once per
    region set, a caption once per region set, language, local day and chart."""
    figs: dict[frozenset[str], logic.Figures] = {}
    done: dict[tuple[ChartKey, str, bool], str] = {}
    out = []
    for s, local in due:
        key = logic.chart_key(s.regions, s.lang)
        chart = key in charted
        cached = done.get((key, local, chart))
        if cached is None:
            if key[0] not in figs:
                figs[key[0]] = figures(reports, key[0], now)
            cached = done[(key, local, chart)] = str(
                logic.render_caption(
                    figs[key[0]], s.lang, date.fromisoformat(local),
                    subscribed=bool(s.regions), chart=chart,
                )
            )  # fmt: skip
        out.append(cached)
    return out


class DigestJob:
    """Call it (`await job()`) every few minutes; it is idempotent per local day.
    `figures` is injectable so a test can count how often the figures are computed."""

    def __init__(
        self,
        db: Database,
        *,
        default_time: str,
        now: Callable[[], datetime] = utc_now,
        wake: Callable[[], None] | None = None,
        figures: FiguresOf = logic.figures,
    ) -> None:
        self._db = db
        self._default = parse_clock(default_time)
        self._now = now
        self._wake = wake
        self._figures = figures
        self._charts_missing_logged = False

    async def __call__(self) -> DigestRun:
        now = self._now()
        async with self._db.transaction() as conn:
            await store.prune_charts(conn)
            due = self._due(await store.digest_subscribers(conn), now)
        if not due:
            return DigestRun(0, 0, 0)
        since = now - timedelta(days=logic.CHART_DAYS)
        reports = await asyncio.to_thread(read_reports, self._db.path, since, now)
        charts: dict[ChartKey, bytes | None] = {}
        for s, _ in due:
            key = logic.chart_key(s.regions, s.lang)
            if key not in charts:
                charts[key] = await self._draw(reports, key, now)
        charted = {key for key, png in charts.items() if png is not None}
        texts = await asyncio.to_thread(captions, reports, due, charted, now, self._figures)
        enqueued = await self._enqueue(due, texts, charts, now)
        if self._wake is not None and enqueued:
            self._wake()
        log.info("digest: %d enqueued, %d chart(s) drawn", enqueued, len(charted))
        return DigestRun(len(due), enqueued, len(charted))

    async def _enqueue(
        self, due: Due, texts: list[str], charts: dict[ChartKey, bytes | None], now: datetime
    ) -> int:
        """Every digest row and its chart (stored once), in one transaction."""
        enqueued = 0
        async with self._db.transaction() as conn:
            stored = {
                key: await store.store_chart(conn, png, now)
                for key, png in charts.items()
                if png is not None
            }
            for (s, local), caption in zip(due, texts, strict=True):
                chart = stored.get(logic.chart_key(s.regions, s.lang))
                enqueued += await store.enqueue_digest(
                    conn, s.id, caption, chart, local, DIGEST_PRIORITY, now
                )
        return enqueued

    def _due(self, subscribers: list[store.DigestSubscriber], now: datetime) -> Due:
        """(subscriber, local date) of those whose digest is due now."""
        due = []
        for s in subscribers:
            at = self._default if s.digest_time == store.DEFAULT_DIGEST else _clock(s)
            if at is None:
                continue
            try:
                local = logic.local_due_date(now, s.tz, at, s.last_date)
            except (ZoneInfoNotFoundError, ValueError):
                log.warning("subscriber %s: unknown time zone %r, no digest", s.id, s.tz)
                continue
            if local is not None:
                due.append((s, local))
        return due

    async def _draw(
        self, reports: list[logic.Report], key: ChartKey, now: datetime
    ) -> bytes | None:
        """The chart of a region set, or None when there is nothing to draw (or no
        matplotlib: the digest then goes as text)."""
        regions, lang = key
        codes = logic.chart_regions(reports, regions, now)
        if not codes:
            return None
        try:
            return await asyncio.to_thread(_chart, reports, codes, lang, now)
        except InputError as exc:
            if not self._charts_missing_logged:
                log.warning("digest charts are off: %s", exc)
                self._charts_missing_logged = True
            return None


def _clock(s: store.DigestSubscriber) -> time | None:
    try:
        return parse_clock(s.digest_time)
    except ValueError:
        log.warning("subscriber %s: digest time %r is not HH:MM, skipped", s.id, s.digest_time)
        return None
