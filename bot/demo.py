"""`uavwatch demo`: the whole alert path, offline, in seconds, on a bundled replay feed.

Each replay event goes through the real pipeline (storage, classification), the alert
enqueuer (matching, dedup, corrections), the outbox and the sender, whose transport prints
every message as the subscriber's chat would show it. Time is virtual: it follows the
feed's dates, so rate limits and quiet hours behave as they would live, without waiting.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

from bot.alerts import subscribers as subs
from bot.alerts.enqueue import AlertEnqueuer
from bot.alerts.matching import ALL_REGIONS
from bot.alerts.sender import Sender
from bot.alerts.transport import ConsoleTransport
from bot.models import DeletedPost, Label
from bot.pipeline import IngestResult, Pipeline
from bot.sources.replay import ReplayLine, ReplayProblem, read_replay
from bot.storage import Database

# The sender should settle well within this many steps per event; a bound, not a target.
_MAX_STEPS = 10_000
_AFTER_EVENT = timedelta(seconds=2)  # the pipeline sees each post two seconds after it


@dataclass(frozen=True, slots=True)
class DemoSubscriber:
    chat_id: int
    name: str
    lang: str
    tz: str
    regions: tuple[str, ...]
    kinds: frozenset[Label]
    quiet: tuple[str, str] | None = None


SAMPLE_SUBSCRIBERS = (
    DemoSubscriber(
        9_000_001, "Анна", "ru", "Europe/Moscow", ("RU-SMO", "RU-KRS", "RU-BRY", "RU-BEL"),
        frozenset({Label.UAV_INCIDENT, Label.UAV_THREAT}),
    ),
    DemoSubscriber(
        9_000_002, "Олена", "uk", "Europe/Kyiv", ("UA-63", "UA-59", "UA-32", "UA-40"),
        frozenset({Label.UAV_INCIDENT, Label.UAV_THREAT, Label.OTHER_ATTACK}),
    ),
    DemoSubscriber(
        9_000_003, "Sam", "en", "UTC", (ALL_REGIONS,), frozenset({Label.UAV_INCIDENT}),
        quiet=("23:00", "06:00"),
    ),
)  # fmt: skip


def bundled_feed() -> list[str]:
    """The demo's own replay feed (package data)."""
    return resources.files("bot").joinpath("data/demo_feed.jsonl").read_text("utf-8").splitlines()


@dataclass(slots=True)
class DemoReport:
    events: int = 0
    problems: list[ReplayProblem] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    alerts: int = 0
    merged: int = 0
    corrections: int = 0
    # per subscriber name: outbox purpose/status -> count
    deliveries: dict[str, Counter[str]] = field(default_factory=dict)


class _VirtualTime:
    """Wall time and a monotonic clock that only move when the demo moves them."""

    def __init__(self, start: datetime) -> None:
        self.wall = start
        self._start = start

    def now(self) -> datetime:
        return self.wall

    def clock(self) -> float:
        return (self.wall - self._start).total_seconds()

    def advance_to(self, moment: datetime) -> None:
        self.wall = max(self.wall, moment)

    def advance(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)


async def _add_subscribers(db: Database, now: datetime) -> None:
    async with db.transaction() as conn:
        for d in SAMPLE_SUBSCRIBERS:
            sub, _ = await subs.get_or_create(
                conn, chat_id=d.chat_id, access_hash=None, chat_kind="private", name=d.name,
                lang=d.lang, now=now,
            )  # fmt: skip
            await subs.update(conn, sub.id, now, tz=d.tz, lang=d.lang)
            await subs.add_regions(conn, sub.id, d.regions, now)
            await subs.set_kinds(conn, sub.id, d.kinds, now)
            if d.quiet:
                await subs.update(conn, sub.id, now, quiet_start=d.quiet[0], quiet_end=d.quiet[1])


async def _register_channels(pipeline: Pipeline, lines: Sequence[ReplayLine]) -> None:
    """Each channel once, with the first title and home region the feed gives it."""
    seen: set[str] = set()
    for line in lines:
        ev = line.event
        name = ev.channel if isinstance(ev, DeletedPost) else ev.post.channel
        if name and name not in seen:
            seen.add(name)
            await pipeline.ensure_channel(
                username=name, title=line.title, home_region=line.home_region
            )


async def _drain(sender: Sender, time: _VirtualTime) -> None:
    """Let the sender send everything it can, moving virtual time over its waits."""
    for _ in range(_MAX_STEPS):
        wait = await sender.step()
        if wait is None:
            return
        time.advance(max(wait, 0.001))


def _event_line(line: ReplayLine, results: Sequence[IngestResult], tz_time: str) -> str:
    ev = line.event
    if isinstance(ev, DeletedPost):
        return f"▶ {tz_time} @{ev.channel} #{ev.message_ids[0]} deleted"
    verdict = results[0].classification if results else None
    label = verdict.label.value if verdict else "?"
    regions = ",".join(r.code for r in verdict.regions) if verdict else ""
    kind = "edited" if results and results[0].kind.value == "edited" else "new"
    where = f"@{ev.post.channel} #{ev.post.message_id}"
    return f"▶ {tz_time} {where} {kind}: {label} {regions}".rstrip()


async def run_demo(db: Database, feed: Sequence[str], write: Callable[[str], None]) -> DemoReport:
    """Replay `feed` into `db` with the three sample subscribers; `write` gets every line
    of output (event lines and the messages as subscribers see them)."""
    report = DemoReport()
    lines = list(read_replay(feed, report.problems))
    start = min((_when(line) for line in lines), default=datetime(2025, 1, 1, tzinfo=UTC))
    time = _VirtualTime(start - timedelta(minutes=1))
    await _add_subscribers(db, time.now())
    names = {d.chat_id: f"{d.name} ({d.lang})" for d in SAMPLE_SUBSCRIBERS}
    sender = Sender(db, ConsoleTransport(write, names), clock=time.clock, now=time.now)
    enqueuer = AlertEnqueuer(now=time.now, notify=sender.wake)
    pipeline = Pipeline(db, on_ingested=enqueuer, now=time.now)
    await _register_channels(pipeline, lines)
    for line in lines:
        time.advance_to(_when(line) + _AFTER_EVENT)
        results = await pipeline.ingest_events([line.event])
        report.events += 1
        for r in results:
            report.kinds[r.kind.value] += 1
            if r.kind.value == "new" and r.classification is not None:
                report.labels[r.classification.label.value] += 1
        write(_event_line(line, results, time.now().strftime("%d.%m %H:%M UTC")))
        await _drain(sender, time)
    time.advance(6 * 3600)  # let quiet hours end, so held alerts go out as a summary
    await _drain(sender, time)
    report.alerts, report.merged = enqueuer.stats.alerts, enqueuer.stats.merged
    report.corrections = enqueuer.stats.corrections
    report.deliveries = await _deliveries(db)
    return report


def _when(line: ReplayLine) -> datetime:
    ev = line.event
    return ev.deleted_at if isinstance(ev, DeletedPost) else (ev.post.edited_at or ev.post.date)


async def _deliveries(db: Database) -> dict[str, Counter[str]]:
    rows = await db.read(
        "SELECT s.name, s.lang, o.purpose, o.status, count(*) FROM outbox AS o"
        " JOIN subscribers AS s ON s.id = o.subscriber_id GROUP BY s.id, o.purpose, o.status"
        " ORDER BY s.id"
    )
    out: dict[str, Counter[str]] = {}
    for name, lang, purpose, status, n in rows:
        out.setdefault(f"{name} ({lang})", Counter())[f"{purpose}:{status}"] += int(n)  # type: ignore[arg-type]
    return out


def format_report(report: DemoReport, db_path: Path | None) -> str:
    """The summary table printed after the messages."""
    k, lab = report.kinds, report.labels
    bad = f" ({len(report.problems)} bad line(s) skipped)" if report.problems else ""
    lines = [
        "",
        "═" * 72,
        f"events replayed   {report.events}{bad}",
        f"posts             {k['new']} new, {k['edited']} edited, {k['deleted']} deleted, "
        f"{k['duplicate'] + k['unchanged']} repeated",
        f"classified        {lab['uav_incident']} incidents, {lab['uav_threat']} threats, "
        f"{lab['other_attack']} other attacks, {lab['not_relevant']} not relevant",
        f"alerts            {report.alerts} ({report.merged} duplicate report(s) merged into "
        f"one alert, {report.corrections} correction(s))",
        "",
        f"{'subscriber':<14}{'alerts sent':>12}{'corrected':>11}{'held':>6}{'summaries':>11}",
    ]
    for who, c in report.deliveries.items():
        edits = c["correction:sent"] + c["sources:sent"]
        held = c["alert:held"] + c["alert:summarized"]
        lines.append(f"{who:<14}{c['alert:sent']:>12}{edits:>11}{held:>6}{c['summary:sent']:>11}")
    lines.append("")
    for problem in report.problems:
        lines.append(f"skipped {problem}")
    where = f"kept in {db_path} (try: uavwatch export --db {db_path})" if db_path else "not kept"
    lines.append(f"database          {where}")
    return "\n".join(lines)
