"""Time rules for subscribers and retries: quiet hours, mute, time zones, backoff. Pure.

Quiet hours are wall-clock times in the subscriber's own zone ("23:00-07:00" may cross
midnight), so they follow daylight-saving changes; the clock is always an argument.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Other errors than FloodWait or a gone recipient: retried this many times, then parked.
MAX_ATTEMPTS = 5
_BACKOFF_FIRST = timedelta(seconds=10)
_BACKOFF_MAX = timedelta(minutes=10)
# /mute accepts up to a week; longer is "unsubscribe".
MAX_MUTE = timedelta(days=7)

_DURATION = re.compile(r"(\d+)\s*(d|h|m|s|д|ч|м|с|г|хв)", re.IGNORECASE)
_UNITS = {
    "d": 86400, "д": 86400, "h": 3600, "ч": 3600, "г": 3600,
    "m": 60, "м": 60, "хв": 60, "s": 1, "с": 1,
}  # fmt: skip
_QUIET = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_duration(text: str) -> timedelta:
    """ "2h", "30m", "1h30m", "1d", "90s" (also "2ч", "30хв") -> timedelta; ValueError if not."""
    compact = text.strip().lower().replace(" ", "")
    matches = list(_DURATION.finditer(compact))
    if not matches or "".join(m.group(0) for m in matches) != compact:
        raise ValueError(f"{text!r} is not a duration like 2h, 30m or 1h30m")
    seconds = sum(int(m.group(1)) * _UNITS[m.group(2)] for m in matches)
    if seconds <= 0:
        raise ValueError(f"{text!r}: the duration must be longer than zero")
    return timedelta(seconds=seconds)


def parse_quiet(text: str) -> tuple[str, str]:
    """ "23:00-07:00" -> ("23:00", "07:00"); ValueError for anything else or start == end."""
    m = _QUIET.match(text)
    if m is None:
        raise ValueError(f"{text!r} is not a time range like 23:00-07:00")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"{text!r}: hours go up to 23 and minutes up to 59")
    start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
    if start == end:
        raise ValueError(f"{text!r}: the start and the end are the same time")
    return start, end


def valid_tz(name: str) -> str:
    """An IANA zone name ("Europe/Moscow", "utc" -> "UTC"); ValueError if unknown."""
    candidate = name.strip()
    if candidate.upper() == "UTC":
        return "UTC"
    try:
        ZoneInfo(candidate)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a time zone like Europe/Moscow or Europe/Kyiv") from None
    return candidate


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def in_quiet(now: datetime, tz: str, start: str | None, end: str | None) -> bool:
    """Is `now` (aware) inside the quiet range [start, end) in zone `tz`?"""
    if not start or not end:
        return False
    local = now.astimezone(ZoneInfo(tz)).time().replace(tzinfo=None)
    s, e = _clock(start), _clock(end)
    if s < e:
        return s <= local < e
    return local >= s or local < e  # the range crosses midnight


def quiet_ends(now: datetime, tz: str, start: str, end: str) -> datetime:
    """When the quiet range that `now` is in ends (UTC); `now` itself if it is not quiet."""
    if not in_quiet(now, tz, start, end):
        return now
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    e = _clock(end)
    candidate = local.replace(hour=e.hour, minute=e.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate = (local + timedelta(days=1)).replace(
            hour=e.hour, minute=e.minute, second=0, microsecond=0
        )
    # Re-attach the zone so a DST change between now and then is honoured.
    naive = candidate.replace(tzinfo=None)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def is_muted(now: datetime, muted_until: datetime | None) -> bool:
    return muted_until is not None and now < muted_until


def backoff(attempts: int) -> timedelta:
    """Delay before retry number `attempts` (1-based): 10 s, 20 s, 40 s ... at most 10 min."""
    delay = _BACKOFF_FIRST * (2 ** max(0, attempts - 1))
    return min(delay, _BACKOFF_MAX)
