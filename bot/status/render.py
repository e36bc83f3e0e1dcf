"""How a `StatusReport` reads: an aligned text table for `uavwatch status`, a dict for
`--json`. Pure functions (the bot's /health has its own compact form in `bot/botui/admin.py`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from bot.status.report import StatusReport, age_text, when
from bot.storage import to_iso


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


_NUMBER = re.compile(r"-|\d+(\.\d+)?[smhd]?")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Aligned columns; a column of numbers and ages ("14.5", "20m", "-") is right-aligned."""
    cells = [list(headers), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    right = [all(_NUMBER.fullmatch(r[i]) for r in rows) for i in range(len(headers))]
    return [
        "  ".join(
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
        ).rstrip()
        for row in cells
    ]


def render_text(report: StatusReport) -> str:
    """The report as the terminal shows it: a summary, then one table per section."""
    o = report.outbox
    oldest = "" if o.oldest_pending is None else f", oldest {when(o.oldest_pending)}"
    out = [
        f"uavwatch status of {report.db_path} at {when(report.generated_at)} UTC",
        "",
        f"last 24 h: {report.posts_24h} posts, {report.incidents_24h} incidents",
        f"outbox: {o.pending} pending{oldest}, {o.held} held, {o.parked} parked;"
        f" {o.sent_last_hour} sent in the last hour",
        f"subscribers: {report.subscribers_active} active, {report.subscribers_inactive} inactive",
        "",
    ]
    out += _section("channels (lag = age of the newest stored post)", _channel_rows(report))
    out += _section("parts (newest heartbeat)", _part_rows(report))
    out += _section("jobs", _job_rows(report))
    if o.parked_newest:
        out.append(f"parked deliveries (newest {len(o.parked_newest)} of {o.parked})")
        out += [f"  #{p.id} -> {p.chat_id} ({p.purpose}): {p.error}" for p in o.parked_newest]
        out.append("")
    for title, items in (("PROBLEMS", report.problems()), ("warnings", report.warnings())):
        if items:
            out += [f"{title}:", *[f"  - {i}" for i in items], ""]
    if not report.problems() and not report.warnings():
        out.append("no problems found")
    return "\n".join(out).rstrip() + "\n"


def _section(title: str, table: tuple[Sequence[str], list[list[str]]]) -> list[str]:
    headers, rows = table
    if not rows:
        return [f"{title}: none yet", ""]
    return [f"{title}:", *_table(headers, rows), ""]


def _channel_rows(report: StatusReport) -> tuple[Sequence[str], list[list[str]]]:
    headers = ("channel", "via", "last post", "lag", "cursor", "moved", "posts/day", "silent")
    rows = [
        [
            c.name, c.via, when(c.last_post_at),
            "-" if c.lag_seconds is None else age_text(c.lag_seconds),
            "-" if c.cursor is None else str(c.cursor), when(c.cursor_moved_at),
            _num(c.posts_per_day), f"since {when(c.silent_since)}" if c.silent else "no",
        ]
        for c in report.channels
    ]  # fmt: skip
    return headers, rows


def _part_rows(report: StatusReport) -> tuple[Sequence[str], list[list[str]]]:
    headers = ("part", "status", "heartbeat", "age", "restarts", "progress", "detail")
    rows = [
        [
            p.part, p.status + (" (stale)" if p.stale else ""), when(p.at),
            age_text(p.age_seconds), str(p.restarts), when(p.last_progress_at), p.detail or "",
        ]
        for p in report.parts
    ]  # fmt: skip
    return headers, rows


def _job_rows(report: StatusReport) -> tuple[Sequence[str], list[list[str]]]:
    headers = ("job", "last run", "last ok", "runs", "last error")
    rows = [
        [j.job, when(j.last_run_at), when(j.last_ok_at), str(j.runs), j.last_error or ""]
        for j in report.jobs
    ]
    return headers, rows


def to_dict(report: StatusReport) -> dict[str, Any]:
    """The report for `--json`: times as stored (ISO 8601 UTC), durations in seconds."""
    data = _jsonable(asdict(report))
    data["stale_after"] = report.stale_after.total_seconds()
    data["problems"] = report.problems()
    data["warnings"] = report.warnings()
    for job, raw in zip(data["jobs"], report.jobs, strict=True):
        job["failing"] = raw.failing
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_iso(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
