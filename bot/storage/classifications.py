"""Classification rows: the verdict per post per classifier version, and its regions.

The common facts are columns (fast filters, plain CSV); everything else is the JSON of
`Classification.to_dict()` in `fields`, which `classification_from_fields` turns back into
a `Classification` (evidence spans are not stored: they are recomputable from the text).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from bot.models import Classification, Label, Region, TimeWindow
from bot.storage.bulk import bulk_insert, insert_rows

_COLUMNS = (
    "post_id", "classifier_version", "label", "confidence", "drones_destroyed",
    "drones_launched", "casualties", "damage", "fields", "classified_at",
)  # fmt: skip
# An edit re-classifies: the row of this version is replaced in place (same id), because it
# describes the post's current text.
_ON_CONFLICT_UPDATE = (
    " ON CONFLICT (post_id, classifier_version) DO UPDATE SET label = excluded.label,"
    " confidence = excluded.confidence, drones_destroyed = excluded.drones_destroyed,"
    " drones_launched = excluded.drones_launched, casualties = excluded.casualties,"
    " damage = excluded.damage, fields = excluded.fields, classified_at = excluded.classified_at"
)
_UPSERT = bulk_insert("classifications", _COLUMNS, _ON_CONFLICT_UPDATE)
_INSERT_REGIONS = bulk_insert("post_regions", ("post_id", "classifier_version", "region_code"))
# reclassify: add rows only where this version has none.
_INSERT_MISSING = bulk_insert(
    "classifications", _COLUMNS, " ON CONFLICT (post_id, classifier_version) DO NOTHING"
)
_INSERT_MISSING_REGIONS = bulk_insert(
    "post_regions", ("post_id", "classifier_version", "region_code"), " ON CONFLICT DO NOTHING"
)

# One encoder object: json.dumps with options builds a new one per call.
FIELDS_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))

ClassificationRow = tuple[
    int, str, str, float, int | None, int | None, str | None, str | None, str, str
]


def classification_row(
    post_id: int, c: Classification, version: str, classified_at: str, fields: str | None = None
) -> ClassificationRow:
    """The `classifications` row; `fields` (JSON, computed here unless given) always names
    `version`, the one stored."""
    if fields is None:
        d = c.to_dict()
        d["classifier_version"] = version
        fields = FIELDS_JSON.encode(d)
    return (
        post_id,
        version,
        c.label.value,
        c.confidence,
        c.drones_destroyed,
        c.drones_launched,
        c.casualties,
        c.damage,
        fields,
        classified_at,
    )


def region_rows(post_id: int, c: Classification, version: str) -> list[tuple[int, str, str]]:
    return [(post_id, version, code) for code in {r.code for r in c.regions}]


def facts(c: Classification | None) -> tuple[object, ...]:
    """What an alert states; a change of any of these in an incident is a correction."""
    if c is None:
        return ()
    return (
        c.label,
        c.drones_destroyed,
        c.drones_launched,
        c.casualties,
        c.killed,
        c.injured,
        c.damage,
        frozenset(r.code for r in c.regions),
    )


def edit_flags(previous: Classification | None, current: Classification) -> tuple[bool, bool]:
    """(is_new_incident, is_correction) for an edit from `previous` to `current`.

    New incident: the edit made a non-incident an incident. Correction: an incident whose
    facts changed, including an edit that takes the incident label away (a retraction).
    """
    was_incident = previous is not None and previous.is_incident
    new_incident = current.is_incident and not was_incident
    return new_incident, was_incident and facts(previous) != facts(current)


def _region(d: dict[str, Any]) -> Region:
    code = str(d["code"])
    return Region(
        code=code,
        name_ru=str(d.get("name_ru", "")),
        name_uk=str(d.get("name_uk", "")),
        name_en=str(d.get("name_en", "")),
        country=code.split("-", 1)[0],
    )


def _time_window(d: dict[str, Any] | None) -> TimeWindow | None:
    if d is None:
        return None
    start, end = d.get("start"), d.get("end")
    return TimeWindow(
        start=datetime.fromisoformat(start) if start else None,
        end=datetime.fromisoformat(end) if end else None,
        text=str(d.get("text", "")),
    )


def classification_from_fields(fields_json: str) -> Classification:
    """The stored `fields` JSON back to a Classification (without evidence)."""
    d = json.loads(fields_json)
    return Classification(
        label=Label(d["label"]),
        confidence=float(d["confidence"]),
        lang=str(d.get("lang", "")),
        classifier_version=str(d["classifier_version"]),
        threat_state=d.get("threat_state"),
        drones_destroyed=d.get("drones_destroyed"),
        drones_launched=d.get("drones_launched"),
        outcome=frozenset(d.get("outcome", ())),
        weapons=frozenset(d.get("weapons", ())),
        regions=tuple(_region(r) for r in d.get("regions", ())),
        places=tuple(d.get("places", ())),
        casualties=d.get("casualties"),
        killed=d.get("killed"),
        injured=d.get("injured"),
        damage=d.get("damage"),
        time_window=_time_window(d.get("time_window")),
    )


async def upsert_classifications(
    conn: aiosqlite.Connection,
    rows: Sequence[ClassificationRow],
    *,
    replace_regions_of: Sequence[tuple[int, str]],
    region_inserts: Sequence[tuple[int, str, str]],
) -> None:
    """Store (or replace in place) classifications and their post_regions."""
    await insert_rows(conn, _UPSERT, rows)
    if replace_regions_of:
        await conn.executemany(
            "DELETE FROM post_regions WHERE post_id = ? AND classifier_version = ?",
            replace_regions_of,
        )
    await insert_rows(conn, _INSERT_REGIONS, region_inserts)


async def insert_missing(
    conn: aiosqlite.Connection,
    rows: Sequence[ClassificationRow],
    region_inserts: Sequence[tuple[int, str, str]],
) -> None:
    """reclassify's write: rows for a version only where none exist yet."""
    await insert_rows(conn, _INSERT_MISSING, rows)
    await insert_rows(conn, _INSERT_MISSING_REGIONS, region_inserts)
