"""Alert messages as the subscriber reads them: a headline from the extracted facts, the
source and time, a link, an excerpt; corrections, quiet-hours summaries, broadcasts.

Pure: a view of the alert in, Telegram HTML out. Every piece of post text goes through
`escape` (inside `fill`), so `<b>`, `*` or `[x](y)` in a post arrive literally. Messages are
kept under Telegram's 4,096-character limit by shortening the excerpt and the source list.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.alerts.i18n import ALERT_TEXTS, Html, escape, fill, plural_text, text
from bot.models import Classification, Label, Region

# Telegram refuses longer messages (MESSAGE_TOO_LONG); counted after entities are parsed.
# We count UTF-16 code units, as Telegram's entity offsets do: stricter than characters.
MAX_MESSAGE = 4096
# An excerpt long enough to show what the post says, short enough to read on a phone.
EXCERPT_CHARS = 600
MAX_REGIONS_SHOWN = 3
MAX_SOURCES_SHOWN = 10
MAX_SUMMARY_ITEMS = 30

_EMOJI = {
    Label.UAV_INCIDENT: "🛩",
    Label.UAV_THREAT: "⚠️",
    Label.OTHER_ATTACK: "💥",
}
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class SourceView:
    """One post of an alert's dedup group."""

    channel: str | None
    title: str | None
    message_id: int
    permalink: str | None
    posted_at: datetime
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class AlertView:
    """What a message shows about one alert; `sources[0]` is the post that raised it."""

    id: int
    classification: Classification
    excerpt: str
    sources: tuple[SourceView, ...]
    revision: int = 1
    status: str = "active"  # "active" | "retracted" | "deleted"
    updated_at: datetime | None = None


def _t(lang: str, key: str, /, **values: object) -> Html:
    return text(ALERT_TEXTS, lang, key, **values)


def region_name(region: Region, lang: str) -> str:
    return {"ru": region.name_ru, "uk": region.name_uk}.get(lang) or region.name_en


def _regions(regions: Sequence[Region], lang: str) -> Html | None:
    if not regions:
        return None
    names = [escape(region_name(r, lang)) for r in regions[:MAX_REGIONS_SHOWN]]
    shown = ", ".join(names)
    if len(regions) > MAX_REGIONS_SHOWN:
        shown += " " + _t(lang, "regions_more", n=len(regions) - MAX_REGIONS_SHOWN)
    return Html(shown)


def _event_phrase(c: Classification, lang: str) -> Html:
    if c.label is Label.UAV_THREAT:
        return _t(lang, "threat_end" if c.threat_state == "end" else "threat_start")
    if c.label is Label.OTHER_ATTACK:
        return _t(lang, "other_attack")
    d, launched = c.drones_destroyed, c.drones_launched
    if d is not None and launched is not None and launched > d:
        return _t(lang, "incident_destroyed_of", d=d, l=launched)
    if d is not None:
        return plural_text(ALERT_TEXTS, lang, "incident_destroyed", d)
    if launched is not None:
        return _t(lang, "incident_launched", n=launched)
    return _t(lang, "incident_plain")


def _consequences(c: Classification, lang: str) -> list[Html]:
    out = []
    if c.casualties == "none":
        out.append(_t(lang, "casualties_none"))
    elif c.casualties in ("killed", "injured"):
        if c.killed:
            out.append(_t(lang, "killed_n", n=c.killed))
        elif c.casualties == "killed":
            out.append(_t(lang, "killed_some"))
        if c.injured:
            out.append(_t(lang, "injured_n", n=c.injured))
        elif c.casualties == "injured":
            out.append(_t(lang, "injured_some"))
    if c.damage == "none":
        out.append(_t(lang, "damage_none"))
    elif c.damage == "yes":
        out.append(_t(lang, "damage_yes"))
    return out


def headline(c: Classification, lang: str) -> Html:
    """ "🛩 Смоленская область: уничтожены 2 БПЛА. Пострадавших нет." in `lang`."""
    emoji = "✅" if c.threat_state == "end" else _EMOJI.get(c.label, "🛩")
    phrase = _event_phrase(c, lang)
    regions = _regions(c.regions, lang)
    main = f"{regions}: {phrase}." if regions else f"{phrase[:1].upper()}{phrase[1:]}."
    return Html(" ".join([f"{emoji} {main}", *_consequences(c, lang)]))


def format_time(moment: datetime, tz: str) -> str:
    """ "12.03 14:05 MSK" in the subscriber's zone (the zone's abbreviation says which)."""
    local = moment.astimezone(ZoneInfo(tz))
    return local.strftime("%d.%m %H:%M %Z")


def _source_link(s: SourceView) -> Html:
    label = f"@{s.channel}" if s.channel else (s.title or "?")
    if not s.permalink:
        return Html(escape(label))
    return fill('<a href="{url}">{label}</a>', {"url": s.permalink, "label": label})


def other_sources(view: AlertView) -> list[SourceView]:
    """The "also reported by" sources: other channels than the first's, each once, not
    deleted (a channel never confirms itself)."""
    seen = {(view.sources[0].channel or "").lower()} if view.sources else set()
    out = []
    for s in view.sources[1:]:
        key = (s.channel or "").lower()
        if s.deleted or (key and key in seen):
            continue
        seen.add(key)
        out.append(s)
    return out


def shown_sources(view: AlertView) -> int:
    """How many sources a message about the alert shows (what an edit must catch up to)."""
    return 1 + len(other_sources(view)) if view.sources else 0


def _sources_lines(view: AlertView, lang: str, tz: str, max_sources: int) -> list[Html]:
    first, others = view.sources[0], other_sources(view)
    lines = [
        _t(lang, "source_line", source=_source_link(first), time=format_time(first.posted_at, tz))
    ]
    if others:
        links = ", ".join(_source_link(s) for s in others[:max_sources])
        if len(others) > max_sources:
            links += " " + _t(lang, "regions_more", n=len(others) - max_sources)
        lines.append(_t(lang, "also_line", sources=Html(links)))
    return lines


def excerpt_of(post_text: str, limit: int = EXCERPT_CHARS) -> str:
    """The post's text cut at a word boundary near `limit`, with an ellipsis when cut."""
    stripped = post_text.strip()
    if limit <= 0:
        return ""
    if len(stripped) <= limit:
        return stripped
    cut = stripped[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def visible_length(markup: str) -> int:
    """Length Telegram counts for an HTML message: tags removed, entities decoded, UTF-16."""
    plain = html.unescape(_TAG.sub("", markup))
    return len(plain.encode("utf-16-le")) // 2


def _status_line(view: AlertView, lang: str) -> Html | None:
    if view.status == "retracted":
        return _t(lang, "retracted")
    if view.status == "deleted":
        return _t(lang, "deleted")
    return None


def _compose(
    view: AlertView,
    lang: str,
    tz: str,
    *,
    corrected_at: datetime | None,
    excerpt_chars: int,
    max_sources: int,
) -> str:
    lines: list[str] = []
    if corrected_at is not None:
        lines.append(_t(lang, "corrected", time=format_time(corrected_at, tz)))
    lines.append(f"<b>{headline(view.classification, lang)}</b>")
    status = _status_line(view, lang)
    if status:
        lines.append(status)
    lines.extend(_sources_lines(view, lang, tz, max_sources))
    excerpt = excerpt_of(view.excerpt, excerpt_chars)
    if excerpt:
        lines.append(fill("<blockquote>{x}</blockquote>", {"x": excerpt}))
    return "\n".join(lines)


def render_alert(
    view: AlertView, lang: str, tz: str, *, corrected_at: datetime | None = None
) -> Html:
    """The alert message; with `corrected_at`, the same message marked as corrected."""
    excerpt_chars, max_sources = EXCERPT_CHARS, MAX_SOURCES_SHOWN
    while True:
        out = _compose(
            view, lang, tz, corrected_at=corrected_at, excerpt_chars=excerpt_chars,
            max_sources=max_sources,
        )  # fmt: skip
        if visible_length(out) <= MAX_MESSAGE or (excerpt_chars == 0 and max_sources == 1):
            return Html(out)
        excerpt_chars, max_sources = excerpt_chars // 2, max(1, max_sources // 2)


def render_correction_reply(view: AlertView, lang: str, tz: str) -> Html:
    """A reply to an alert too old to edit: what the facts are now."""
    lines = [_t(lang, "correction_reply"), f"<b>{headline(view.classification, lang)}</b>"]
    status = _status_line(view, lang)
    if status:
        lines.append(status)
    lines.extend(_sources_lines(view, lang, tz, 3))
    return Html("\n".join(lines))


def render_summary(views: Sequence[AlertView], lang: str, tz: str) -> Html:
    """One message for the alerts held during quiet hours that their sources still report
    (retracted and deleted ones are left out), newest last, bounded in length."""
    shown = [v for v in views if v.status == "active"]
    lines = [f"<b>{_t(lang, 'summary_head', n=len(shown))}</b>"]
    for i, v in enumerate(shown[:MAX_SUMMARY_ITEMS]):
        first = v.sources[0]
        item = fill(
            "• {time} {headline} — {link}",
            {
                "time": format_time(first.posted_at, tz),
                "headline": headline(v.classification, lang),
                "link": _source_link(first),
            },
        )
        if visible_length("\n".join([*lines, item])) > MAX_MESSAGE - 40:
            lines.append(_t(lang, "summary_more", n=len(shown) - i))
            break
        lines.append(item)
    else:
        if len(shown) > MAX_SUMMARY_ITEMS:
            lines.append(_t(lang, "summary_more", n=len(shown) - MAX_SUMMARY_ITEMS))
    return Html("\n".join(lines))


def cut_units(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 code units (Telegram's measure) with an
    ellipsis when cut; never inside a character that takes two units."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    units = 0
    for end, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit - 1:  # room for the ellipsis
            return text[:end] + "…"
    return text


def render_broadcast(message: str, lang: str) -> Html:
    """An administrator's broadcast: their text, escaped, under a header saying who speaks,
    cut to fit the message limit as Telegram counts it (UTF-16 code units)."""
    body = cut_units(message.strip(), MAX_MESSAGE - 100)
    return fill("<b>{head}</b>\n{body}", {"head": _t(lang, "broadcast_head"), "body": body})
