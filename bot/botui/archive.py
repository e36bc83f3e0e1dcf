"""What the bot reads from the archive (/latest, /stats, /channels) and the channel switch.

Reads use their own read-only connection in a worker thread (`asyncio.to_thread`), so a
large archive never blocks the event loop nor the writer that the sender needs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.models import Classification
from bot.storage import connect_reader, from_iso, to_iso
from bot.storage.classifications import classification_from_fields


@dataclass(frozen=True, slots=True)
class IncidentLine:
    channel: str | None
    permalink: str | None
    date: datetime
    classification: Classification


@dataclass(frozen=True, slots=True)
class ChannelLine:
    username: str | None
    title: str | None
    watched: bool
    posts: int


_LATEST = (
    "SELECT i.channel, i.permalink, i.date, i.fields FROM incidents AS i"
    " WHERE ? IS NULL OR EXISTS (SELECT 1 FROM post_regions AS r WHERE r.post_id = i.id"
    "   AND r.classifier_version = i.classifier_version AND r.region_code = ?)"
    " ORDER BY i.date DESC LIMIT ?"
)
_COUNTS = (
    "SELECT r.region_code, count(*) FROM incidents AS i JOIN post_regions AS r"
    " ON r.post_id = i.id AND r.classifier_version = i.classifier_version"
    " WHERE i.date >= ? GROUP BY r.region_code ORDER BY count(*) DESC, r.region_code LIMIT ?"
)


def _latest(path: Path, region: str | None, limit: int) -> list[IncidentLine]:
    conn = connect_reader(path)
    try:
        rows = conn.execute(_LATEST, (region, region, limit)).fetchall()
    finally:
        conn.close()
    return [
        IncidentLine(ch, link, from_iso(date), classification_from_fields(fields))
        for ch, link, date, fields in rows
    ]


def _counts(path: Path, since: datetime, limit: int) -> tuple[int, list[tuple[str, int]]]:
    conn = connect_reader(path)
    try:
        total = conn.execute(
            "SELECT count(*) FROM incidents WHERE date >= ?", (to_iso(since),)
        ).fetchone()[0]
        rows = conn.execute(_COUNTS, (to_iso(since), limit)).fetchall()
    finally:
        conn.close()
    return int(total), [(str(code), int(n)) for code, n in rows]


async def latest_incidents(path: Path, region: str | None, limit: int) -> list[IncidentLine]:
    """The newest incidents (of one region, or all), newest first."""
    return await asyncio.to_thread(_latest, path, region, limit)


async def incident_counts(
    path: Path, since: datetime, limit: int = 20
) -> tuple[int, list[tuple[str, int]]]:
    """(incidents since `since`, [(region code, incidents)] most first)."""
    return await asyncio.to_thread(_counts, path, since, limit)


async def channels(conn: aiosqlite.Connection) -> list[ChannelLine]:
    """Every channel in the archive, watched ones first."""
    rows = await conn.execute_fetchall(
        "SELECT c.username, c.title, c.watched,"
        " (SELECT count(*) FROM posts AS p WHERE p.channel_pk = c.id)"
        " FROM channels AS c ORDER BY c.watched DESC, c.username"
    )
    return [ChannelLine(u, t, bool(w), int(n)) for u, t, w, n in rows]


# A channel the service follows: watched by the Telegram watcher, or read through the web
# preview (its newest post came from there), the way `uavwatch status` counts them.
_FOLLOWED = (
    "SELECT c.username FROM channels AS c WHERE c.username IS NOT NULL AND (c.watched = 1"
    " OR (SELECT p.source FROM posts AS p WHERE p.channel_pk = c.id"
    "     ORDER BY p.date DESC LIMIT 1) = 'webpreview')"
)


async def followed_usernames(conn: aiosqlite.Connection, webpreview: Iterable[str]) -> list[str]:
    """The channels a subscriber may filter by, sorted: watched ones, web-preview ones, and
    the WEBPREVIEW_CHANNELS names (`webpreview`), which never set `watched` and may not
    have posted yet. Without the last two, a web-preview-only setup had nothing to offer."""
    rows = await conn.execute_fetchall(_FOLLOWED)
    names = {str(r[0]).lower() for r in rows} | {n.lower() for n in webpreview}
    return sorted(names)


async def set_watched(conn: aiosqlite.Connection, username: str, watched: bool) -> bool:
    """Switch the watcher on or off for a stored channel; False if no such channel."""
    cur = await conn.execute(
        "UPDATE channels SET watched = ?, active = 1 WHERE username = ?",
        (int(watched), username),
    )
    return cur.rowcount > 0
