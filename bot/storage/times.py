"""UTC timestamps as the schema stores them: `YYYY-MM-DDTHH:MM:SS+00:00` text.

One fixed format means string order is time order, so `WHERE date >= ?` works on text.
"""

from __future__ import annotations

from datetime import UTC, datetime


def to_iso(dt: datetime) -> str:
    """Aware datetime -> stored text (seconds precision, always +00:00)."""
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime {dt!r}: the archive stores UTC, pass an aware one")
    if dt.utcoffset():
        dt = dt.astimezone(UTC)
    return dt.replace(microsecond=0, tzinfo=UTC).isoformat()


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def utc_now() -> datetime:
    return datetime.now(UTC)
