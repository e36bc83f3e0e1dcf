"""Commands for ADMIN_IDS only: /channels, /subscribers, /pause, /resume, /broadcast, /health.

Anyone else is ignored without a word (the dispatcher logs the attempt): the bot does not
reveal that these commands exist.
"""

from __future__ import annotations

import secrets

from bot.alerts import outbox
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
    except ValueError as exc:
        return Reply(Html(escape(str(exc))))
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
    async with ctx.db.transaction() as conn:
        h = await outbox.health(conn, ctx.now)
        s = await subs.stats(conn)
    oldest = "—" if h.oldest_pending is None else format_time(h.oldest_pending, ctx.sub.tz)
    state = _t(ctx, "state_paused" if ctx.services.paused() else "state_running")
    lines = [
        _t(
            ctx, "health", state=state, pending=h.by_status.get("pending", 0),
            held=h.by_status.get("held", 0), parked=h.by_status.get("parked", 0),
            oldest=oldest, hour=h.sent_last_hour, floods=ctx.services.flood_waits(),
            active=s.active,
        )
    ]  # fmt: skip
    lines += [_t(ctx, "parked_line", id=i, chat=c, error=e) for i, c, e in h.parked]
    return Reply(Html("\n".join(lines)))


ADMIN_COMMANDS: dict[str, Handler] = {
    "channels": channels, "subscribers": subscribers, "pause": pause, "resume": resume,
    "broadcast": broadcast, "health": health,
}  # fmt: skip
