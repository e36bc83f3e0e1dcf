"""Alerts and their sources: one row per incident as subscribers see it (a dedup group of
posts), the facts it states now, and every post that reported it.

Every function runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.alerts.dedup import Candidate, Report
from bot.alerts.format import AlertView, SourceView
from bot.models import Classification, Label
from bot.storage import from_iso, to_iso
from bot.storage.classifications import FIELDS_JSON, classification_from_fields


@dataclass(frozen=True, slots=True)
class SourceRow:
    post_id: int
    channel: str | None
    channel_title: str | None
    message_id: int
    permalink: str | None
    posted_at: datetime


async def create_alert(
    conn: aiosqlite.Connection, c: Classification, excerpt: str, norm_text: str,
    posted_at: datetime, now: datetime,
) -> int:  # fmt: skip
    regions = ";".join(sorted({r.code for r in c.regions}))
    cur = await conn.execute(
        "INSERT INTO alerts (label, region_codes, fields, excerpt, norm_text, posted_at,"
        " sources, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
        (c.label.value, regions, FIELDS_JSON.encode(c.to_dict()), excerpt, norm_text,
         to_iso(posted_at), to_iso(now), to_iso(now)),
    )  # fmt: skip
    assert cur.lastrowid is not None
    return cur.lastrowid


async def add_source(
    conn: aiosqlite.Connection, alert_id: int, s: SourceRow, now: datetime
) -> None:
    await conn.execute(
        "INSERT INTO alert_sources (alert_id, post_id, channel, channel_title, message_id,"
        " permalink, posted_at, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (alert_id, s.post_id, s.channel, s.channel_title, s.message_id, s.permalink,
         to_iso(s.posted_at), to_iso(now)),
    )  # fmt: skip
    await conn.execute("UPDATE alerts SET sources = sources + 1 WHERE id = ?", (alert_id,))


async def alert_of_post(conn: aiosqlite.Connection, post_id: int) -> tuple[int, bool] | None:
    """(alert id, is the alert's first source) for a post that is part of an alert."""
    rows = list(
        await conn.execute_fetchall(
            "SELECT s.alert_id, s.rowid = (SELECT min(rowid) FROM alert_sources"
            " WHERE alert_id = s.alert_id) FROM alert_sources AS s WHERE s.post_id = ?",
            (post_id,),
        )
    )
    return (int(rows[0][0]), bool(rows[0][1])) if rows else None


async def alert_classification(
    conn: aiosqlite.Connection, alert_id: int
) -> tuple[Classification, str]:
    rows = list(
        await conn.execute_fetchall("SELECT fields, status FROM alerts WHERE id = ?", (alert_id,))
    )
    return classification_from_fields(str(rows[0][0])), str(rows[0][1])


async def update_alert(
    conn: aiosqlite.Connection, alert_id: int, c: Classification, excerpt: str,
    norm_text: str, status: str, now: datetime, *, new_revision: bool,
) -> None:  # fmt: skip
    """Store the current facts; `new_revision` when subscribers must be told (a correction)."""
    await conn.execute(
        "UPDATE alerts SET label = ?, region_codes = ?, fields = ?, excerpt = ?, norm_text = ?,"
        " status = ?, revision = revision + ?, updated_at = ? WHERE id = ?",
        (c.label.value, ";".join(sorted({r.code for r in c.regions})),
         FIELDS_JSON.encode(c.to_dict()), excerpt, norm_text, status, int(new_revision),
         to_iso(now), alert_id),
    )  # fmt: skip


async def mark_source_deleted(conn: aiosqlite.Connection, post_id: int) -> bool:
    """Flag the post's source row deleted; True if every source of its alert is now deleted."""
    await conn.execute("UPDATE alert_sources SET deleted = 1 WHERE post_id = ?", (post_id,))
    rows = await conn.execute_fetchall(
        "SELECT min(deleted) FROM alert_sources WHERE alert_id ="
        " (SELECT alert_id FROM alert_sources WHERE post_id = ?)",
        (post_id,),
    )
    return bool(next(iter(rows))[0])


async def mark_alert_deleted(conn: aiosqlite.Connection, alert_id: int, now: datetime) -> None:
    """Every source is gone: a new revision that says so (the facts stay as they were)."""
    await conn.execute(
        "UPDATE alerts SET status = 'deleted', revision = revision + 1, updated_at = ?"
        " WHERE id = ?",
        (to_iso(now), alert_id),
    )


async def recent_candidates(
    conn: aiosqlite.Connection, label: Label, lo: datetime, hi: datetime
) -> list[Candidate]:
    """Alerts of `label` first posted between lo and hi, with every source's channel."""
    rows = await conn.execute_fetchall(
        "SELECT a.id, a.fields, a.norm_text, a.posted_at, a.status,"
        " (SELECT group_concat(lower(s.channel), ';') FROM alert_sources AS s"
        "   WHERE s.alert_id = a.id AND s.channel IS NOT NULL)"
        " FROM alerts AS a WHERE a.label = ? AND a.posted_at BETWEEN ? AND ?",
        (label.value, to_iso(lo), to_iso(hi)),
    )
    out = []
    for aid, fields, norm, posted, status, channels in rows:
        c = classification_from_fields(str(fields))
        report = Report(
            label=c.label,
            threat_state=c.threat_state,
            regions=frozenset(r.code for r in c.regions),
            destroyed=c.drones_destroyed,
            launched=c.drones_launched,
            norm_text=str(norm),
            posted_at=from_iso(str(posted)),
            channels=frozenset(str(channels).split(";")) if channels else frozenset(),
        )
        out.append(Candidate(int(aid), report, active=status == "active"))
    return out


async def alert_channels(conn: aiosqlite.Connection, alert_id: int) -> frozenset[str]:
    rows = await conn.execute_fetchall(
        "SELECT lower(channel) FROM alert_sources WHERE alert_id = ? AND channel IS NOT NULL",
        (alert_id,),
    )
    return frozenset(str(r[0]) for r in rows)


async def load_view(conn: aiosqlite.Connection, alert_id: int) -> AlertView:
    """The alert as a message shows it (sources in the order they were added)."""
    (fields, excerpt, revision, status, updated), *_ = await conn.execute_fetchall(
        "SELECT fields, excerpt, revision, status, updated_at FROM alerts WHERE id = ?",
        (alert_id,),
    )
    sources = await conn.execute_fetchall(
        "SELECT channel, channel_title, message_id, permalink, posted_at, deleted"
        " FROM alert_sources WHERE alert_id = ? ORDER BY rowid",
        (alert_id,),
    )
    return AlertView(
        id=alert_id,
        classification=classification_from_fields(str(fields)),
        excerpt=str(excerpt),
        sources=tuple(
            SourceView(ch, title, int(mid), link, from_iso(str(at)), bool(gone))
            for ch, title, mid, link, at, gone in sources
        ),
        revision=int(revision),
        status=str(status),
        updated_at=from_iso(str(updated)),
    )
