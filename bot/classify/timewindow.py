"""Time windows stated in a post ("в период с 20.00 до 23.00 мск"), resolved to UTC.

Only explicit clock ranges are read; "за прошедшую ночь" is left alone rather than guessed.
Zone: "мск"/"Moscow time" is UTC+3; "за київським часом"/"Kyiv time" is Europe/Kyiv; a
range with no zone takes the post's language default (ru: Moscow, uk: Kyiv, en: UTC) — a
documented guess, kept visible in `TimeWindow.text`. Resolution: the window ends at the
last such clock time not after `posted_at` (plus a 2-hour grace for posts written in
advance); a start later than the end means the window crossed midnight. Without
`posted_at` the window is not resolved (start and end None, text kept).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models import TimeWindow

_MSK = timezone(timedelta(hours=3), "MSK")
try:
    _KYIV: tzinfo = ZoneInfo("Europe/Kyiv")
except ZoneInfoNotFoundError:  # a system without tzdata: Kyiv standard time
    _KYIV = timezone(timedelta(hours=2), "EET")

_T = r"(\d{1,2})[.:](\d{2})"
_RANGE = re.compile(
    rf"(?:(?:в\s+период\s+|у\s+період\s+|период\s+)?(?:с|со|з|із|від|от|from|between)\s+)"
    rf"{_T}(?:\s*(?:мск|msk))?\s*(?:до|по|to|and|till|until|[-–—])\s*{_T}"
    r"(?P<zone>\s*(?:мск|msk|по\s+московскому\s+времени|moscow\s+time|"
    r"за\s+київським\s+часом|kyiv\s+time|utc|gmt))?"
)
_ZONE_ANYWHERE = re.compile(r"мск|moscow time|по московскому времени")
# Every range has a clock time in it. This opens with a character class, so the engine skips
# to the digits in C; _RANGE opens with optional words and is tried at every position.
_CLOCK = re.compile(r"\d[.:]\d\d")


def _zone(zone_text: str, context: str, lang: str) -> tzinfo:
    z = zone_text.strip()
    if z in ("utc", "gmt"):
        return UTC
    if "київ" in z or "kyiv" in z:
        return _KYIV
    if z or _ZONE_ANYWHERE.search(context):
        return _MSK
    return {"uk": _KYIV, "en": UTC}.get(lang, _MSK)


def extract_time_window(
    text: str, low: str, lang: str, posted_at: datetime | None
) -> TimeWindow | None:
    m = _RANGE.search(low) if _CLOCK.search(low) else None
    if m is None:
        return None
    h1, m1, h2, m2 = (int(m.group(i)) for i in range(1, 5))
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
        return None
    quoted = text[m.start() : m.end()].strip()
    if posted_at is None:
        return TimeWindow(None, None, quoted)
    tz = _zone(m.group("zone") or "", low[m.end() : m.end() + 40], lang)
    local_post = posted_at.astimezone(tz)
    end = local_post.replace(hour=h2 % 24, minute=m2, second=0, microsecond=0)
    if h2 == 24:
        end += timedelta(days=1)
    if end > local_post + timedelta(hours=2):
        end -= timedelta(days=1)
    start = end.replace(hour=h1 % 24, minute=m1)
    if start >= end:
        start -= timedelta(days=1)
    utc = UTC
    return TimeWindow(start.astimezone(utc), end.astimezone(utc), quoted)
