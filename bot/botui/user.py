"""Subscriber commands and their buttons: each takes the context and its argument text and
returns the reply. Changes go through `bot.alerts.subscribers` in one transaction each."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from collections.abc import Set as AbstractSet
from datetime import timedelta

from bot.alerts import subscribers as subs
from bot.alerts.format import format_time, headline, region_name
from bot.alerts.i18n import DEFAULT_TZ, LANGS, Html, escape
from bot.alerts.matching import ALERT_LABELS, ALL_REGIONS, split_kinds
from bot.alerts.schedule import MAX_MUTE, is_muted, parse_duration, parse_quiet, valid_tz
from bot.botui import archive
from bot.botui import keyboards as kb
from bot.botui.context import Ctx, Reply
from bot.classify.regions import lookup_region, region_by_code, search_regions
from bot.jobs import store as digest_store
from bot.jobs.store import DEFAULT_DIGEST
from bot.models import Label, Region
from bot.sources import normalize_username

Handler = Callable[[Ctx, str], Awaitable[Reply]]
ALL_WORDS = frozenset({"all", "*", "все", "всё", "всі", "усі"})
OFF_WORDS = frozenset({"off", "выкл", "нет", "вимк", "ні", "0"})
LATEST_DEFAULT, LATEST_MAX = 5, 20
STATS_DEFAULT, STATS_MAX = 7, 365


def find_regions(query: str) -> list[Region]:
    """One region for an exact name in any language or case, else the best few prefixes."""
    exact = lookup_region(query)
    return [exact] if exact is not None else search_regions(query, 6)


async def reload_subscriber(ctx: Ctx) -> None:
    async with ctx.db.transaction() as conn:
        loaded = await subs.load(conn, ctx.sub.id)
    assert loaded is not None
    ctx.sub = loaded


def regions_text(ctx: Ctx) -> str:
    if ALL_REGIONS in ctx.sub.regions:
        return ctx.t("all_regions")
    names = sorted(region_name(region_by_code(c), ctx.lang) for c in ctx.sub.regions)
    return ", ".join(names) or ctx.t("nothing")


def kinds_text(ctx: Ctx) -> str:
    chosen = [ctx.t(f"kind_{k.value}") for k in ALERT_LABELS if k in ctx.sub.kinds]
    return ", ".join(chosen) or ctx.t("nothing")


def channels_text(ctx: Ctx) -> str:
    return ", ".join(f"@{c}" for c in sorted(ctx.sub.channels)) or ctx.t("any_channel")


async def start(ctx: Ctx, args: str) -> Reply:
    return Reply(
        ctx.t("welcome"), ((kb.Button(ctx.t("btn_regions"), "m:r"),), *kb.language_keyboard())
    )


async def help_(ctx: Ctx, args: str) -> Reply:
    return ctx.reply("help")


async def subscribe_to(
    ctx: Ctx, codes: set[str], kinds: AbstractSet[Label], channels: AbstractSet[str] = frozenset()
) -> Reply:
    async with ctx.db.transaction() as conn:
        await subs.add_regions(conn, ctx.sub.id, codes, ctx.now)
        await subs.set_kinds(conn, ctx.sub.id, ctx.sub.kinds | kinds, ctx.now)
        await subs.add_channels(conn, ctx.sub.id, channels)
    await reload_subscriber(ctx)
    label = ", ".join(kb.region_label(c, ctx.lang) for c in sorted(codes))
    if ctx.sub.channels:  # the filter holds for every region: say so whenever it is on
        return ctx.reply(
            "subscribed_from", region=label, kinds=kinds_text(ctx), channels=channels_text(ctx)
        )
    return ctx.reply("subscribed", region=label, kinds=kinds_text(ctx))


async def channel_choices(ctx: Ctx) -> list[str]:
    """The followed channels, and any the subscriber chose that no longer are (so they
    can be switched off)."""
    async with ctx.db.transaction() as conn:
        names = await archive.followed_usernames(conn, ctx.services.webpreview_channels)
    return sorted(set(names) | ctx.sub.channels)


async def channels_menu(ctx: Ctx, page: int = 0, names: list[str] | None = None) -> Reply:
    names = await channel_choices(ctx) if names is None else names
    text = ctx.t("menu_channels", channels=channels_text(ctx))
    return Reply(text, kb.channels_keyboard(ctx.sub, names, ctx.lang, page))


def is_channel_word(word: str) -> bool:
    """ "@kursk_gov", "t.me/kursk_gov": a channel in a typed /subscribe, not a region."""
    return word.startswith("@") or "t.me/" in word.lower()


def split_channels(args: str) -> tuple[str, list[str]]:
    """ "Kursk @kursk_gov threats" -> ("Kursk threats", ["@kursk_gov"]), as typed."""
    words = args.split()
    return " ".join(w for w in words if not is_channel_word(w)), [
        w.rstrip(",") for w in words if is_channel_word(w)
    ]


async def typed_channels(ctx: Ctx, typed: list[str]) -> set[str] | Reply:
    """The typed channels as stored usernames, or the reply that says which is wrong: a
    filter on a channel the service does not follow would silence every alert."""
    if not typed:
        return set()
    followed = await channel_choices(ctx)
    names: set[str] = set()
    for word in typed:
        try:
            name = normalize_username(word)
        except ValueError:
            return ctx.reply("channel_bad", name=word)
        if name not in followed:
            return ctx.reply("channel_not_followed", name=name)
        names.add(name)
    return names


async def subscribe(ctx: Ctx, args: str) -> Reply:
    """`/subscribe [region|all] [kinds...] [@channel...]`: acts at once; without a region,
    the menu. Kind phrases ("threats", "другие атаки") come off the end (or the start), so
    a region keeps its words; @channels may stand anywhere and join the channel filter."""
    rest, typed = split_channels(args)
    channels = await typed_channels(ctx, typed)
    if isinstance(channels, Reply):
        return channels
    query, kinds = split_kinds(rest)
    if not query and not kinds and not channels:
        return Reply(
            ctx.t("menu_regions", regions=regions_text(ctx)), kb.regions_keyboard(ctx.sub, ctx.lang)
        )
    if not query:
        async with ctx.db.transaction() as conn:
            await subs.set_kinds(conn, ctx.sub.id, ctx.sub.kinds | kinds, ctx.now)
            await subs.add_channels(conn, ctx.sub.id, channels)
        await reload_subscriber(ctx)
        if channels:
            return await channels_menu(ctx)
        return Reply(
            ctx.t("menu_kinds", kinds=kinds_text(ctx)), kb.kinds_keyboard(ctx.sub, ctx.lang)
        )
    if query.lower() in ALL_WORDS:
        return await subscribe_to(ctx, {ALL_REGIONS}, kinds or {Label.UAV_INCIDENT}, channels)
    found = find_regions(query)
    if not found:
        return ctx.reply("region_not_found", query=query)
    if len(found) > 1:
        typed_kinds = ":" + ",".join(k.value for k in ALERT_LABELS if k in kinds) if kinds else ""
        buttons = kb.choices_keyboard(found, ctx.lang, "p", typed_kinds)
        if not channels:
            return ctx.reply("which_region", buttons, query=query)
        # The filter is the chat's, whatever region is picked: kept now, not lost.
        async with ctx.db.transaction() as conn:
            await subs.add_channels(conn, ctx.sub.id, channels)
        await reload_subscriber(ctx)
        asked = ctx.t("which_region", query=query)
        return Reply(
            Html(asked + "\n" + ctx.t("channels_now", channels=channels_text(ctx))), buttons
        )
    return await subscribe_to(ctx, {found[0].code}, kinds or {Label.UAV_INCIDENT}, channels)


async def unsubscribe(ctx: Ctx, args: str) -> Reply:
    query = args.strip()
    if not ctx.sub.regions:
        return ctx.reply("no_subscriptions")
    if not query:
        return ctx.reply("choose_unsubscribe", kb.unsubscribe_keyboard(ctx.sub, ctx.lang))
    if query.lower() in ALL_WORDS:
        return await unsubscribe_from(ctx, None)
    found = find_regions(query)
    code = found[0].code if len(found) == 1 else None
    if code is None or code not in ctx.sub.regions:
        return ctx.reply("not_subscribed", region=query)
    return await unsubscribe_from(ctx, code)


async def unsubscribe_from(ctx: Ctx, code: str | None) -> Reply:
    async with ctx.db.transaction() as conn:
        await subs.remove_regions(conn, ctx.sub.id, None if code is None else [code])
    await reload_subscriber(ctx)
    if code is None or not ctx.sub.regions:
        return ctx.reply("unsubscribed_all")
    return ctx.reply("unsubscribed", region=kb.region_label(code, ctx.lang))


async def mysubs(ctx: Ctx, args: str) -> Reply:
    s = ctx.sub
    quiet = f"{s.quiet_start}–{s.quiet_end}" if s.quiet_start else ctx.t("off")
    mute = ctx.t("off")
    if is_muted(ctx.now, s.muted_until):
        assert s.muted_until is not None
        mute = ctx.t("until", time=format_time(s.muted_until, s.tz))
    return ctx.reply(
        "mysubs", regions=regions_text(ctx), kinds=kinds_text(ctx), channels=channels_text(ctx),
        lang=kb.LANGUAGE_NAMES[s.lang], tz=s.tz, quiet=quiet, mute=mute,
        digest=await digest_state(ctx),
    )  # fmt: skip


def clamp_count(value: str, default: int = LATEST_DEFAULT, maximum: int = LATEST_MAX) -> int:
    """ "10" -> 10, clamped to 1..maximum; anything else -> the default."""
    return max(1, min(maximum, int(value))) if value.isdigit() else default


def _split_count(args: str, default: int, maximum: int) -> tuple[str, int]:
    """ "Курск 10" -> ("Курск", 10); the number is optional and clamped to 1..maximum."""
    words = args.split()
    if words and words[-1].isdigit():
        return " ".join(words[:-1]), clamp_count(words[-1], default, maximum)
    return " ".join(words), default


async def latest(ctx: Ctx, args: str) -> Reply:
    """`/latest [region|all] [N]`: a name several regions fit asks which (buttons)."""
    query, count = _split_count(args, LATEST_DEFAULT, LATEST_MAX)
    if not query or query.lower() in ALL_WORDS:
        return await latest_of(ctx, None, count)
    found = find_regions(query)
    if not found:
        return ctx.reply("region_not_found", query=query)
    if len(found) > 1:
        buttons = kb.choices_keyboard(found, ctx.lang, "lt", f":{count}")
        return ctx.reply("which_region", buttons, query=query)
    return await latest_of(ctx, found[0].code, count)


async def latest_of(ctx: Ctx, code: str | None, count: int) -> Reply:
    """The newest `count` incidents of one region (None: of every region)."""
    where = "" if code is None else " — " + region_name(region_by_code(code), ctx.lang)
    lines = await archive.latest_incidents(ctx.db.path, code, count)
    if not lines:
        return ctx.reply("latest_none")
    items = [str(ctx.t("latest_head", where=where))]
    for line in lines:
        link = escape(f"@{line.channel}" if line.channel else "?")
        if line.permalink:
            link = f'<a href="{escape(line.permalink)}">{link}</a>'
        when = escape(format_time(line.date, ctx.sub.tz))
        items.append(f"• {when} {headline(line.classification, ctx.lang)} — {link}")
    return Reply(Html("\n".join(items)))


async def stats(ctx: Ctx, args: str) -> Reply:
    _, days = _split_count(args, STATS_DEFAULT, STATS_MAX)
    total, counts = await archive.incident_counts(ctx.db.path, ctx.now - timedelta(days=days))
    if not total:
        return ctx.reply("stats_none", days=days)
    lines = [str(ctx.t("stats_head", days=days, total=total))]
    lines += [
        f"{n:>5}  {escape(region_name(region_by_code(code), ctx.lang))}" for code, n in counts
    ]
    return Reply(Html("\n".join(lines)))


async def mute(ctx: Ctx, args: str) -> Reply:
    value = args.strip().lower()
    if value in OFF_WORDS:
        async with ctx.db.transaction() as conn:
            await subs.update(conn, ctx.sub.id, ctx.now, muted_until=None)
        return ctx.reply("unmuted")
    try:
        span = parse_duration(value)
    except ValueError:
        return ctx.reply("mute_usage")
    if span > MAX_MUTE:
        return ctx.reply("mute_usage")
    until = ctx.now + span
    async with ctx.db.transaction() as conn:
        await subs.update(conn, ctx.sub.id, ctx.now, muted_until=until)
    return ctx.reply("muted", time=format_time(until, ctx.sub.tz))


async def quiet(ctx: Ctx, args: str) -> Reply:
    value = args.strip()
    if value.lower() in OFF_WORDS:
        async with ctx.db.transaction() as conn:
            await subs.update(conn, ctx.sub.id, ctx.now, quiet_start=None, quiet_end=None)
        return ctx.reply("quiet_off")
    try:
        start, end = parse_quiet(value)
    except ValueError:
        return ctx.reply("quiet_usage")
    async with ctx.db.transaction() as conn:
        await subs.update(conn, ctx.sub.id, ctx.now, quiet_start=start, quiet_end=end)
    return ctx.reply("quiet_set", start=start, end=end, tz=ctx.sub.tz)


async def tz(ctx: Ctx, args: str) -> Reply:
    try:
        zone = valid_tz(args) if args.strip() else None
    except ValueError:
        zone = None
    if zone is None:
        return ctx.reply("tz_usage")
    async with ctx.db.transaction() as conn:
        await subs.update(conn, ctx.sub.id, ctx.now, tz=zone)
    return ctx.reply("tz_set", tz=zone, time=format_time(ctx.now, zone))


async def language(ctx: Ctx, args: str) -> Reply:
    choice = args.strip().lower()
    if choice not in LANGS:
        return ctx.reply("lang_choose", kb.language_keyboard())
    # A zone never chosen (still the old language's default) follows the language.
    zone = DEFAULT_TZ[choice] if ctx.sub.tz == DEFAULT_TZ.get(ctx.sub.lang) else ctx.sub.tz
    async with ctx.db.transaction() as conn:
        await subs.update(conn, ctx.sub.id, ctx.now, lang=choice, tz=zone)
    await reload_subscriber(ctx)
    return ctx.reply("lang_set")


ON_WORDS = frozenset({"on", "вкл", "да", "увімк", "так", "1"})
_CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


async def digest(ctx: Ctx, args: str) -> Reply:
    """`/digest on|off|HH:MM`: the daily digest, at the service's time or the chat's own."""
    value = args.strip().lower()
    match = _CLOCK.fullmatch(value)
    if value in ON_WORDS or match:
        at = f"{int(match.group(1)):02d}:{match.group(2)}" if match else DEFAULT_DIGEST
        async with ctx.db.transaction() as conn:
            await digest_store.set_digest_time(conn, ctx.sub.id, at, ctx.now)
        if at == DEFAULT_DIGEST:
            return ctx.reply("digest_on", tz=ctx.sub.tz)
        return ctx.reply("digest_at", time=at, tz=ctx.sub.tz)
    if value in OFF_WORDS:
        async with ctx.db.transaction() as conn:
            await digest_store.set_digest_time(conn, ctx.sub.id, None, ctx.now)
        return ctx.reply("digest_off")
    return ctx.reply("digest_usage", state=await digest_state(ctx))


async def digest_state(ctx: Ctx) -> Html:
    """ "no", "on" (at the service's DIGEST_TIME) or "at 08:30", for /digest and /mysubs."""
    async with ctx.db.transaction() as conn:
        current = await digest_store.digest_time_of(conn, ctx.sub.id)
    if current is None:
        return ctx.t("off")
    if current == DEFAULT_DIGEST:
        return ctx.t("digest_state_default")
    return ctx.t("digest_state_at", time=current)


USER_COMMANDS: dict[str, Handler] = {
    "start": start, "help": help_, "subscribe": subscribe, "unsubscribe": unsubscribe,
    "mysubs": mysubs, "latest": latest, "stats": stats, "mute": mute, "quiet": quiet,
    "tz": tz, "language": language, "digest": digest,
}  # fmt: skip
# Commands that change a chat's settings: in a group, only its administrators may use them.
CHANGING = frozenset({"subscribe", "unsubscribe", "mute", "quiet", "tz", "language", "digest"})
