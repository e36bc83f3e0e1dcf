"""Reading the archive for people: full-text search, per-channel/per-region statistics and
the daily incident series behind `uavwatch chart`.

Readers use their own read-only `sqlite3` connection (`bot.storage.connect_reader`): under
WAL they never block the service's single writer. Every query reads the `posts_current` view
(post + channel + current classification), so "current" means one thing everywhere;
"incident" means what the `incidents` view means: label `uav_incident`, post not deleted.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.errors import InputError

_INCIDENT = "(pc.label = 'uav_incident' AND pc.deleted_at IS NULL)"
# The regions of a post's current classification (the join the views' `regions` text is built
# from; filtering and grouping need the rows, not the joined text).
_CURRENT_REGIONS_JOIN = (
    "JOIN post_regions r ON r.post_id = pc.id AND r.classifier_version = pc.classifier_version"
)
_CHANNEL_NAME = "coalesce(pc.channel, CAST(pc.channel_id AS TEXT))"


# --- full-text search ----------------------------------------------------------------------

_FTS_MESSAGES = ("fts5:", "unterminated string", "no such column", "unknown special query")


def is_fts_syntax_error(exc: sqlite3.OperationalError) -> bool:
    """FTS5 reports query syntax problems as OperationalError; tell them from real faults."""
    return str(exc).startswith(_FTS_MESSAGES)


def fts_query_error(query: str, exc: sqlite3.OperationalError) -> InputError:
    return InputError(
        f"search query {query!r} is not valid FTS5 syntax ({exc}). Words are ANDed: "
        'беспилотник сбит; quote phrases and words with - or : in them: "Брянской области", '
        '"Су-34"; OR/NOT in capitals; prefix with *: беспилот*'
    )


@dataclass(frozen=True, slots=True)
class SearchHit:
    date: str
    channel: str
    label: str | None
    permalink: str | None
    snippet: str
    deleted: bool  # the archive keeps deleted posts; say so next to them


def search_posts(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 20,
    labels: tuple[str, ...] = (),
    marks: tuple[str, str] = ("[", "]"),
) -> list[SearchHit]:
    """Posts matching an FTS5 query, newest first, with the match marked in a snippet."""
    where = ["posts_fts MATCH ?"]
    params: list[object] = [marks[0], marks[1], query]
    if labels:
        where.append(f"pc.label IN ({','.join('?' * len(labels))})")
        params.extend(labels)
    sql = (
        f"SELECT pc.date, {_CHANNEL_NAME}, pc.label, pc.permalink,"
        " snippet(posts_fts, 0, ?, ?, '…', 16), pc.deleted"
        " FROM posts_fts JOIN posts_current pc ON pc.id = posts_fts.rowid"
        f" WHERE {' AND '.join(where)} ORDER BY pc.date DESC, pc.id DESC LIMIT ?"
    )
    params.append(limit)
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if is_fts_syntax_error(exc):
            raise fts_query_error(query, exc) from None
        raise
    return [SearchHit(*row[:5], deleted=bool(row[5])) for row in rows]


# --- statistics ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountRow:
    """One line of a stats table: a channel (username or id) or a region code."""

    key: str
    posts: int
    incidents: int


@dataclass(frozen=True, slots=True)
class Stats:
    since: str | None
    until: str | None
    posts: int
    incidents: int
    channels: tuple[CountRow, ...]
    regions: tuple[CountRow, ...]  # posts whose current classification names the region


def _period(since: str | None, until: str | None) -> tuple[str, list[str]]:
    where, params = ["1"], []
    if since is not None:
        where.append("pc.date >= ?")
        params.append(since)
    if until is not None:
        where.append("pc.date < ?")
        params.append(until)
    return " AND ".join(where), params


def compute_stats(
    conn: sqlite3.Connection, *, since: str | None = None, until: str | None = None
) -> Stats:
    """Posts and incidents per channel and per region, published in [since, until)."""
    period, params = _period(since, until)
    by_channel = conn.execute(
        f"SELECT {_CHANNEL_NAME}, count(*), total({_INCIDENT}) FROM posts_current pc"
        f" WHERE {period} GROUP BY pc.channel_pk ORDER BY 3 DESC, 2 DESC, 1",
        params,
    ).fetchall()
    by_region = conn.execute(
        f"SELECT r.region_code, count(*), total({_INCIDENT}) FROM posts_current pc"
        f" {_CURRENT_REGIONS_JOIN} WHERE {period}"
        " GROUP BY r.region_code ORDER BY 3 DESC, 2 DESC, 1",
        params,
    ).fetchall()
    channels = tuple(CountRow(k, int(n), int(i)) for k, n, i in by_channel)
    regions = tuple(CountRow(k, int(n), int(i)) for k, n, i in by_region)
    return Stats(
        since=since,
        until=until,
        posts=sum(r.posts for r in channels),
        incidents=sum(r.incidents for r in channels),
        channels=channels,
        regions=regions,
    )


@dataclass(frozen=True, slots=True)
class DailySeries:
    """Incidents per UTC day for the top regions; `counts[code][i]` is for `days[i]`."""

    days: tuple[date, ...]
    counts: dict[str, tuple[int, ...]]


def daily_incidents(
    conn: sqlite3.Connection, *, since: str | None = None, until: str | None = None, top: int = 5
) -> DailySeries:
    """Daily incident counts per region for the `top` regions with most incidents.

    The days run from `since` (else the first incident) to `until` (else the last one).
    """
    period, params = _period(since, until)
    rows = conn.execute(
        "SELECT substr(pc.date, 1, 10), r.region_code, count(*) FROM incidents pc"
        f" {_CURRENT_REGIONS_JOIN} WHERE {period} GROUP BY 1, 2",
        params,
    ).fetchall()
    first = date.fromisoformat(since[:10]) if since else None
    # `until` is exclusive: midnight belongs to the day before.
    last = (datetime.fromisoformat(until) - timedelta(seconds=1)).date() if until else None
    return build_daily_series(rows, top=top, first=first, last=last)


def build_daily_series(
    rows: list[tuple[str, str, int]],
    *,
    top: int,
    first: date | None = None,
    last: date | None = None,
) -> DailySeries:
    """Pure: (day, region, count) rows -> a gap-free series of the `top` regions."""
    if not rows:
        return DailySeries(days=(), counts={})
    totals: dict[str, int] = defaultdict(int)
    cells: dict[tuple[str, date], int] = {}
    for day_text, region, count in rows:
        totals[region] += count
        cells[(region, date.fromisoformat(day_text))] = count
    chosen = sorted(totals, key=lambda code: (-totals[code], code))[:top]
    first = first or min(day for _, day in cells)
    last = last or max(day for _, day in cells)
    days = tuple(first + timedelta(days=i) for i in range((last - first).days + 1))
    counts = {code: tuple(cells.get((code, day), 0) for day in days) for code in chosen}
    return DailySeries(days=days, counts=counts)
