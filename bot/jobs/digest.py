"""The daily digest's logic, pure: who is due, the figures, the caption, the chart's series.

A subscriber is due when their local time has passed their digest time today and no digest
was enqueued for this local date yet (`digest_last_date`), so the job can run every few
minutes, and after any restart, and still send at most one per local day.

Figures count incident reports (posts whose current classification is `uav_incident`) per
region: the last 24 h against the daily average of the last 7 days (those 24 h included).
A post naming two regions counts once for each, and once in the total.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.alerts.format import region_name
from bot.alerts.i18n import Html
from bot.alerts.matching import ALL_REGIONS
from bot.classify.regions import region_by_code
from bot.jobs.texts import jt
from bot.search import DailySeries

CHART_DAYS = 14
AVERAGE_DAYS = 7
# "All regions" subscribers see the busiest regions of the week; a chat caption is short.
TOP_REGIONS = 8
# Telegram cuts a photo caption at 1,024 characters (of text, after the HTML is parsed).
CAPTION_LIMIT = 1024
CHART_LINES = 5  # more lines than this make the chart unreadable on a phone
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Report:
    """One incident report: the post, one of its regions, when it was posted."""

    post_id: int
    region: str
    date: datetime


@dataclass(frozen=True, slots=True)
class RegionFigures:
    code: str
    last_day: int
    week_average: float


@dataclass(frozen=True, slots=True)
class Figures:
    regions: tuple[RegionFigures, ...]  # shown, busiest first
    more: int  # subscribed regions not shown
    total_day: int  # distinct posts in the set's regions (a post naming two counts once)
    total_average: float


def local_due_date(now: datetime, tz: str, digest_time: time, last_date: str | None) -> str | None:
    """The local date (ISO) to send a digest for, or None if it is not due."""
    local = now.astimezone(ZoneInfo(tz))
    if local.time() < digest_time:
        return None
    today = local.date().isoformat()
    return None if last_date == today else today


def figures(reports: Sequence[Report], regions: Iterable[str], now: datetime) -> Figures:
    """Figures for a region set (a subscriber's; `{"*"}`: the week's busiest regions)."""
    day_start, week_start = now - timedelta(hours=24), now - timedelta(days=AVERAGE_DAYS)
    recent = [r for r in reports if week_start < r.date <= now]
    day = Counter(r.region for r in recent if r.date > day_start)
    week = Counter(r.region for r in recent)
    wanted = set(regions)
    if ALL_REGIONS in wanted:
        codes = [code for code, _ in week.most_common()]
        shown, more = codes[:TOP_REGIONS], 0
    else:
        codes = sorted(wanted, key=lambda c: (-day[c], -week[c], c))
        shown, more = codes[:TOP_REGIONS], max(0, len(codes) - TOP_REGIONS)
    rows = tuple(RegionFigures(c, day[c], week[c] / AVERAGE_DAYS) for c in shown)
    mine = [r for r in recent if ALL_REGIONS in wanted or r.region in wanted]
    day_posts = {r.post_id for r in mine if r.date > day_start}
    week_posts = {r.post_id for r in mine}
    return Figures(rows, more, len(day_posts), len(week_posts) / AVERAGE_DAYS)


def chart_regions(reports: Sequence[Report], regions: Iterable[str], now: datetime) -> list[str]:
    """The regions drawn: the set's busiest over the chart's days (at most CHART_LINES)."""
    since = now - timedelta(days=CHART_DAYS)
    counts = Counter(r.region for r in reports if since < r.date <= now)
    wanted = set(regions)
    pool = counts if ALL_REGIONS in wanted else {c: counts[c] for c in wanted if counts[c]}
    return [c for c, _ in sorted(pool.items(), key=lambda kv: (-kv[1], kv[0]))][:CHART_LINES]


def daily_series(reports: Sequence[Report], codes: Sequence[str], now: datetime) -> DailySeries:
    """Reports per UTC day for `codes` over the CHART_DAYS days ending today (zeros kept)."""
    last = now.date()
    days = tuple(last - timedelta(days=CHART_DAYS - 1 - i) for i in range(CHART_DAYS))
    index = {d: i for i, d in enumerate(days)}
    counts = {code: [0] * CHART_DAYS for code in codes}
    for r in reports:
        i = index.get(r.date.date())
        if i is not None and r.region in counts and r.date <= now:
            counts[r.region][i] += 1
    return DailySeries(days, {code: tuple(c) for code, c in counts.items()})


def _trend(n: int, average: float) -> str:
    if n > average * 1.25 and n - average >= 1:
        return "🔺"
    if n < average * 0.75 and average - n >= 1:
        return "🔻"
    return "▫️"


def _avg(value: float) -> str:
    return f"{value:.1f}"


def render_caption(
    figs: Figures, lang: str, local_day: date, *, subscribed: bool, chart: bool
) -> Html:
    """The digest's text, kept under Telegram's caption limit (lines are dropped first)."""
    head = [str(jt(lang, "digest_head", date=local_day.strftime("%d.%m.%Y")))]
    body: list[str] = []
    if not subscribed:
        body.append(str(jt(lang, "digest_no_regions")))
    elif not figs.regions or figs.total_average == 0:
        body.append(str(jt(lang, "digest_none")))
    else:
        body.append(str(jt(lang, "digest_intro")))
        for f in figs.regions:
            name = region_name(region_by_code(f.code), lang) if known_region(f.code) else f.code
            mark = _trend(f.last_day, f.week_average)
            body.append(
                str(jt(lang, "digest_line", mark=mark, region=name, n=f.last_day,
                       avg=_avg(f.week_average)))
            )  # fmt: skip
        if figs.more:
            body.append(str(jt(lang, "digest_more", n=figs.more)))
        body.append(str(jt(lang, "digest_total", n=figs.total_day, avg=_avg(figs.total_average))))
    foot = ([str(jt(lang, "digest_chart"))] if chart else []) + [str(jt(lang, "digest_foot"))]
    while body and visible_length("\n".join([*head, "", *body, "", *foot])) >= CAPTION_LIMIT:
        body.pop(-2 if len(body) > 1 else -1)
    return Html("\n".join([*head, "", *body, "", *foot]))


def known_region(code: str) -> bool:
    try:
        region_by_code(code)
    except (KeyError, LookupError):
        return False
    return True


def visible_length(markup: str) -> int:
    """What Telegram counts against the limit: the text without tags, entities unescaped."""
    return len(html.unescape(_TAG.sub("", markup)))


def chart_key(regions: frozenset[str], lang: str) -> tuple[frozenset[str], str]:
    """One chart per distinct region set and language per run ("*" is one set)."""
    return (frozenset({ALL_REGIONS}) if ALL_REGIONS in regions else regions), lang
