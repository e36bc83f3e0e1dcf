"""Commands for ADMIN_IDS only: /channels, /subscribers, /pause, /resume, /broadcast, /health,
/requeue.

Anyone else is ignored without a word (the dispatcher logs the attempt): the bot does not
reveal that these commands exist.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from bot.alerts import outbox, upkeep
from bot.alerts import subscribers as subs
from bot.alerts.format import format_time
from bot.alerts.i18n import Html, escape, text
from bot.alerts.outbox import BROADCAST_PRIORITY, NewRow, Purpose
from bot.botui import archive
from bot.botui import keyboards as kb
from bot.botui.admin_texts import ADMIN_TEXTS
from bot.botui.context import Ctx, Reply
from bot.botui.user import Handler
from bot.pipeline import Pipeline
from bot.sources import normalize_username
from bot.status import (
    ChannelStatus,
    JobStatus,
    PartStatus,
    StatusReport,
    age_parts,
    gather_status,
    stale_after,
)


def _t(ctx: Ctx, key: str, /, **values: object) -> Html:
    return text(ADMIN_TEXTS, ctx.lang, key, **values)


async def channels(ctx: Ctx, args: str) -> Reply:
    action, _, name = args.strip().partition(" ")
    if not action:
        async with ctx.db.transaction() as conn:
            lines = await archive.channels(conn)
        if not lines:
            return Reply(_t(ctx, "channels_none"))
        rows = [
            escape(
                f"{'👁' if c.watched else '·'} @{c.username or '?'} — {c.title or ''} ({c.posts})"
            )
            for c in lines[:50]
        ]
        return Reply(Html("\n".join([_t(ctx, "channels_head"), *rows])))
    if action not in ("add", "remove") or not name.strip():
        return Reply(_t(ctx, "channels_usage"))
    try:
        username = normalize_username(name)
    except ValueError:  # its message is English: the admin gets theirs
        return Reply(_t(ctx, "channel_bad_name", name=name.strip()))
    if action == "add":
        await Pipeline(ctx.db).ensure_channel(username=username)
    async with ctx.db.transaction() as conn:
        found = await archive.set_watched(conn, username, action == "add")
    if not found:
        return Reply(_t(ctx, "channel_unknown", name=username))
    return Reply(_t(ctx, "channel_added" if action == "add" else "channel_removed", name=username))


def _counts(values: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(values.items())) or "—"


async def subscribers(ctx: Ctx, args: str) -> Reply:
    async with ctx.db.transaction() as conn:
        s = await subs.stats(conn)
    regions = ", ".join(f"{code} {n}" for code, n in s.top_regions) or "—"
    return Reply(
        _t(ctx, "subscribers", active=s.active, total=s.total, langs=_counts(s.by_lang),
           reasons=_counts(s.by_reason), regions=regions)
    )  # fmt: skip


async def pause(ctx: Ctx, args: str) -> Reply:
    if ctx.services.pause is not None:
        await ctx.services.pause(True)
    return Reply(_t(ctx, "paused"))


async def resume(ctx: Ctx, args: str) -> Reply:
    if ctx.services.pause is not None:
        await ctx.services.pause(False)
    return Reply(_t(ctx, "resumed"))


def parse_requeue(args: str) -> list[int] | str | None:
    """ "all" -> None (every parked row); "12 15" -> [12, 15]; anything else -> "usage"."""
    words = args.replace(",", " ").split()
    if words == ["all"]:
        return None
    if words and all(w.lstrip("#").isdigit() for w in words):
        return [int(w.lstrip("#")) for w in words]
    return "usage"


async def requeue(ctx: Ctx, args: str) -> Reply:
    """Parked deliveries back in the queue (after an outage, or once the cause is fixed)."""
    chosen = parse_requeue(args)
    if isinstance(chosen, str):
        return Reply(_t(ctx, "requeue_usage"))
    async with ctx.db.transaction() as conn:
        found = await upkeep.requeue_parked(conn, chosen, ctx.now)
    if found and ctx.services.wake is not None:
        ctx.services.wake()
    return Reply(_t(ctx, "requeued", n=len(found)))


async def _active_ids(ctx: Ctx) -> list[int]:
    async with ctx.db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "SELECT id FROM subscribers WHERE active = 1 ORDER BY id"
        )
    return [int(r[0]) for r in rows]


async def broadcast(ctx: Ctx, args: str) -> Reply:
    """Show the message and ask for confirmation; nothing is queued before the tap."""
    message = args.strip()
    if not message:
        return Reply(_t(ctx, "broadcast_usage"))
    token = secrets.token_hex(6)
    ctx.services.pending_broadcasts[token] = message
    n = len(await _active_ids(ctx))
    buttons = kb.confirm_keyboard(token, _t(ctx, "btn_send"), _t(ctx, "btn_cancel"))
    return Reply(_t(ctx, "broadcast_confirm", n=n, message=message), buttons)


async def broadcast_button(ctx: Ctx, data: str) -> Reply:
    """`b:ok:TOKEN` queues the broadcast for every active subscriber; `b:no:TOKEN` drops it."""
    _, choice, token = data.split(":", 2)
    message = ctx.services.pending_broadcasts.pop(token, None)
    if message is None:
        return Reply(_t(ctx, "broadcast_expired"))
    if choice != "ok":
        return Reply(_t(ctx, "broadcast_cancelled"))
    ids = await _active_ids(ctx)
    rows = [NewRow(sid, Purpose.BROADCAST, BROADCAST_PRIORITY, None, message) for sid in ids]
    async with ctx.db.transaction() as conn:
        await outbox.enqueue(conn, rows, ctx.now)
    if ctx.services.wake is not None:
        ctx.services.wake()
    return Reply(_t(ctx, "broadcast_queued", n=len(ids)))


async def health(ctx: Ctx, args: str) -> Reply:
    """`uavwatch status`, compact, in the admin's language, plus what only the running
    process knows (paused, FloodWaits). Read in a thread from a read-only connection."""
    services = ctx.services
    report = await gather_status(
        ctx.db.path,
        ctx.now,
        webpreview=services.webpreview_channels,
        stale=stale_after(services.heartbeat_minutes),
    )
    live = LiveState(paused=ctx.services.paused(), flood_waits=ctx.services.flood_waits())
    return Reply(health_text(report, live, ctx.lang, ctx.sub.tz))


# -- /health rendering (pure) ------------------------------------------------------------------
#: Telegram refuses longer messages (counted in UTF-16 code units; the markup we count is
#: longer than the text Telegram counts, so staying under it with tags is safe).
MESSAGE_LIMIT = 4096
#: Channels listed at most (the silent and most lagging come first); the rest are counted.
HEALTH_CHANNELS = 30
#: Part details, job and delivery errors are cut to this many characters.
ERROR_CHARS = 120
_PART_ICONS = {"running": "✅", "failed": "❌", "stopped": "⏹", "disabled": "⏸"}


@dataclass(frozen=True, slots=True)
class LiveState:
    paused: bool
    flood_waits: int


def health_text(report: StatusReport, live: LiveState, lang: str, tz: str) -> Html:
    """The report as one message under Telegram's limit: channel lines are dropped first."""
    o = report.outbox
    t = partial(text, ADMIN_TEXTS, lang)
    state = t("state_paused" if live.paused else "state_running")
    oldest = "—" if o.oldest_pending is None else format_time(o.oldest_pending, tz)
    head = [
        t(
            "health", state=state, pending=o.pending, held=o.held, parked=o.parked,
            oldest=oldest, hour=o.sent_last_hour, floods=live.flood_waits,
            active=report.subscribers_active, inactive=report.subscribers_inactive,
            posts=report.posts_24h, incidents=report.incidents_24h,
        ),
        "", t("health_channels"),
    ]  # fmt: skip
    channels = [_channel_line(c, lang, tz) for c in report.channels] or [t("health_none")]
    tail = [
        "",
        t("health_parts"),
        *([_part_line(p, lang) for p in report.parts] or [t("health_none")]),
    ]
    tail += [
        "",
        t("health_jobs"),
        *([_job_line(j, report, lang) for j in report.jobs] or [t("health_none")]),
    ]
    if o.parked_newest:
        tail += ["", t("health_parked", n=len(o.parked_newest), total=o.parked)]
        tail += [
            t("parked_line", id=p.id, chat=p.chat_id, error=_cut(p.error)) for p in o.parked_newest
        ]
        tail.append(t("health_requeue"))
    return _fit(head, channels, tail, lambda n: t("health_more", n=n))


def _fit(
    head: list[str], channels: list[Html], tail: list[str], more: Callable[[int], Html]
) -> Html:
    keep = min(len(channels), HEALTH_CHANNELS)
    while True:
        extra = [more(len(channels) - keep)] if keep < len(channels) else []
        message = "\n".join([*head, *channels[:keep], *extra, *tail])
        if _units(message) <= MESSAGE_LIMIT or keep == 0:
            break
        keep -= 1
    while _units(message) > MESSAGE_LIMIT:  # only with absurdly many parts or jobs
        message = message[: message.rindex("\n")]
    return Html(message)


def _units(message: str) -> int:
    return len(message.encode("utf-16-le")) // 2


def _cut(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= ERROR_CHARS else value[: ERROR_CHARS - 1] + "…"


def _age(seconds: float, lang: str) -> Html:
    n, unit = age_parts(seconds)
    return text(ADMIN_TEXTS, lang, f"age_{unit}", n=n)


def _channel_line(c: ChannelStatus, lang: str, tz: str) -> Html:
    if c.lag_seconds is None:
        parts = [escape(c.name), text(ADMIN_TEXTS, lang, "health_no_posts")]
    else:
        per_day = "—" if c.posts_per_day is None else f"{c.posts_per_day:.1f}"
        last = _age(c.lag_seconds, lang)
        if c.last_post_at is not None:  # the age and the moment, as `uavwatch status` shows
            last = Html(f"{last} ({format_time(c.last_post_at, tz)})")
        parts = [escape(c.name), last, escape(per_day)]
        if c.cursor is not None:
            parts.append(Html(f"#{c.cursor}"))
    if c.silent:
        since = "?" if c.silent_since is None else format_time(c.silent_since, tz)
        parts.append(text(ADMIN_TEXTS, lang, "health_silent", since=since))
    return Html(" · ".join(parts))


def _part_line(p: PartStatus, lang: str) -> Html:
    icon = "⏱" if p.stale else _PART_ICONS.get(p.status, "🔄")
    line = text(
        ADMIN_TEXTS, lang, "health_part", icon=icon, part=p.part, status=p.status,
        age=_age(p.age_seconds, lang), restarts=p.restarts,
    )  # fmt: skip
    return Html(line + (" — " + escape(_cut(p.detail)) if p.detail else ""))


def _job_line(j: JobStatus, report: StatusReport, lang: str) -> Html:
    icon = "❌" if j.failing else "✅"
    if j.last_run_at is None:
        return text(ADMIN_TEXTS, lang, "health_job_never", icon=icon, job=j.job)
    age = _age((report.generated_at - j.last_run_at).total_seconds(), lang)
    line = text(ADMIN_TEXTS, lang, "health_job", icon=icon, job=j.job, age=age, runs=j.runs)
    return Html(line + (" — " + escape(_cut(j.last_error)) if j.failing and j.last_error else ""))


ADMIN_COMMANDS: dict[str, Handler] = {
    "channels": channels, "subscribers": subscribers, "pause": pause, "resume": resume,
    "broadcast": broadcast, "health": health, "requeue": requeue,
}  # fmt: skip
