"""Inline-button presses of the subscription menus (formats in `keyboards`): each returns
the new content of the message the button was under, so the menu updates in place."""

from __future__ import annotations

from bot.alerts import subscribers as subs
from bot.alerts.i18n import LANGS
from bot.alerts.matching import ALL_REGIONS
from bot.botui import keyboards as kb
from bot.botui import user
from bot.botui.context import Ctx, Reply
from bot.classify.regions import region_by_code
from bot.models import Label


def regions_menu(ctx: Ctx) -> Reply:
    text = ctx.t("menu_regions", regions=user.regions_text(ctx))
    return Reply(text, kb.regions_keyboard(ctx.sub, ctx.lang))


def kinds_menu(ctx: Ctx) -> Reply:
    return Reply(
        ctx.t("menu_kinds", kinds=user.kinds_text(ctx)), kb.kinds_keyboard(ctx.sub, ctx.lang)
    )


def _known_region(code: str) -> bool:
    if code == ALL_REGIONS:
        return True
    try:
        region_by_code(code)
    except KeyError:
        return False
    return True


async def toggle_region(ctx: Ctx, code: str) -> Reply:
    if not _known_region(code):
        return regions_menu(ctx)
    async with ctx.db.transaction() as conn:
        if code in ctx.sub.regions:
            await subs.remove_regions(conn, ctx.sub.id, [code])
        else:
            await subs.add_regions(conn, ctx.sub.id, [code], ctx.now)
    await user.reload_subscriber(ctx)
    return regions_menu(ctx)


async def toggle_kind(ctx: Ctx, value: str) -> Reply:
    if value in {k.value for k in Label}:
        label = Label(value)
        kinds = ctx.sub.kinds ^ {label}
        async with ctx.db.transaction() as conn:
            await subs.set_kinds(conn, ctx.sub.id, kinds, ctx.now)
        await user.reload_subscriber(ctx)
    return kinds_menu(ctx)


async def toggle_channel(ctx: Ctx, name: str) -> Reply:
    """Switch one channel (or, with "*", the filter) and show the page it is on."""
    names = await user.channel_choices(ctx)
    if name == "*" or name in names:
        async with ctx.db.transaction() as conn:
            if name == "*":
                await subs.clear_channels(conn, ctx.sub.id)
            else:
                await subs.toggle_channel(conn, ctx.sub.id, name)
        await user.reload_subscriber(ctx)
    return await user.channels_menu(ctx, kb.channel_page(names, name), names)


def _kinds(value: str) -> set[Label]:
    """ "uav_threat,other_attack" (a `p:` button's typed kinds) -> labels; junk dropped."""
    known = {k.value for k in Label}
    return {Label(v) for v in value.split(",") if v in known}


async def unsubscribe(ctx: Ctx, code: str) -> Reply:
    if code == ALL_REGIONS:
        return await user.unsubscribe_from(ctx, None)
    if code not in ctx.sub.regions:
        return ctx.reply("choose_unsubscribe", kb.unsubscribe_keyboard(ctx.sub, ctx.lang))
    return await user.unsubscribe_from(ctx, code)


async def on_button(ctx: Ctx, data: str) -> Reply | None:
    """The reply for a subscriber's button (None: not ours, e.g. stale or admin data)."""
    kind, _, value = data.partition(":")
    if kind == "m":
        if value == "d":
            return await user.mysubs(ctx, "")
        if value == "c":
            return await user.channels_menu(ctx)
        return kinds_menu(ctx) if value == "k" else regions_menu(ctx)
    if kind == "r":
        return await toggle_region(ctx, value)
    if kind == "p":
        code, _, kinds = value.partition(":")
        if _known_region(code):
            return await user.subscribe_to(ctx, {code}, _kinds(kinds) or {Label.UAV_INCIDENT})
    if kind == "lt":
        code, _, count = value.partition(":")
        if code != ALL_REGIONS and _known_region(code):
            return await user.latest_of(ctx, code, user.clamp_count(count))
    if kind == "k":
        return await toggle_kind(ctx, value)
    if kind == "c":
        return await toggle_channel(ctx, value)
    if kind == "cp":
        return await user.channels_menu(ctx, int(value) if value.isdigit() else 0)
    if kind == "u":
        return await unsubscribe(ctx, value)
    if kind == "l" and value in LANGS:
        return await user.language(ctx, value)
    return None


# Button kinds that change settings (group administrators only, like CHANGING commands).
CHANGING_BUTTONS = frozenset({"r", "p", "k", "c", "u", "l"})
