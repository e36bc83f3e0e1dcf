"""Typed /subscribe (kind phrases, @channels), the channel filter's choice and pages, /latest
of all or of an ambiguous name, /help and /mysubs: all through the real Telethon event path,
against the offline fake Telegram, like test_alerts_bot_commands."""

from __future__ import annotations

import re

import pytest
from conftest import Stack
from test_alerts_bot_commands import _buttons, _press, _sub

from bot.alerts.matching import split_kinds
from bot.botui import archive
from bot.botui.keyboards import MAX_CHANNEL_BUTTONS
from bot.models import Label, NewPost, Post, Source

INCIDENT, THREAT, OTHER = Label.UAV_INCIDENT, Label.UAV_THREAT, Label.OTHER_ATTACK


async def _incidents_off(stack: Stack, user: int) -> None:
    """Switch the default kind off (button), so a typed kind is all the subscriber has."""
    (menu,) = await stack.say(user, "/subscribe")
    menu = await _press(stack, user, menu, "m:k")
    await _press(stack, user, menu, "k:uav_incident")
    assert (await _sub(stack, user)).kinds == frozenset()


@pytest.mark.parametrize(
    ("typed", "regions", "kinds", "reply"),
    [
        ("all other attacks", {"*"}, {OTHER}, "✅ Subscribed: all regions (other attacks)."),
        ("Kursk other attacks", {"RU-KRS"}, {OTHER}, "✅ Subscribed: Kursk (other attacks)."),
        ("Курск другие атаки", {"RU-KRS"}, {OTHER}, "✅ Subscribed: Kursk (other attacks)."),
        ("все другие атаки", {"*"}, {OTHER}, "✅ Subscribed: all regions (other attacks)."),
        ("Курськ інші атаки", {"RU-KRS"}, {OTHER}, "✅ Subscribed: Kursk (other attacks)."),
        ("всі загрози", {"*"}, {THREAT}, "✅ Subscribed: all regions (threats)."),
        ("Курск атаки", {"RU-KRS"}, {INCIDENT}, "✅ Subscribed: Kursk (incidents)."),
        ("Kursk attacks", {"RU-KRS"}, {INCIDENT}, "✅ Subscribed: Kursk (incidents)."),
        ("Курская область угрозы и другие атаки", {"RU-KRS"}, {THREAT, OTHER},
         "✅ Subscribed: Kursk (threats, other attacks)."),
        ("Kursk threats, other attacks", {"RU-KRS"}, {THREAT, OTHER},
         "✅ Subscribed: Kursk (threats, other attacks)."),
        ("инциденты Смоленск", {"RU-SMO"}, {INCIDENT}, "✅ Subscribed: Smolensk (incidents)."),
    ],
)  # fmt: skip
async def test_typed_kind_phrases_come_off_the_end_and_leave_the_region(
    stack: Stack, typed: str, regions: set[str], kinds: set[Label], reply: str
) -> None:
    """1. a subscriber switches incidents off 2. types /subscribe with a region and kinds
    in one of the three languages. Result: exactly the typed kinds ("другие атаки" is not
    also incidents), the region the rest names."""
    user = stack.user()
    await _incidents_off(stack, user)
    (answer,) = await stack.say(user, f"/subscribe {typed}")
    assert answer.message == reply
    sub = await _sub(stack, user)
    assert (sub.regions, sub.kinds) == (regions, kinds)


async def test_kinds_alone_open_the_kinds_menu_and_an_ambiguous_name_keeps_them(
    stack: Stack,
) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/subscribe другие атаки")
    assert reply.message == "What to send\nNow: incidents, other attacks"
    (reply,) = await stack.say(user, "/subscribe моск угрозы")
    assert reply.message == "Several regions match «моск». Choose one:"
    assert ("Moscow Oblast", "p:RU-MOS:uav_threat") in _buttons(reply)
    edited = await _press(stack, user, reply, "p:RU-MOS:uav_threat")
    assert edited.message == "✅ Subscribed: Moscow (incidents, threats, other attacks)."
    sub = await _sub(stack, user)
    assert (sub.regions, sub.kinds) == ({"RU-MOS"}, {INCIDENT, THREAT, OTHER})


def test_split_kinds_takes_the_longest_phrase_first() -> None:
    assert split_kinds("all other attacks") == ("all", {OTHER})
    assert split_kinds("Курск другие атаки") == ("Курск", {OTHER})
    assert split_kinds("Курск атаки") == ("Курск", {INCIDENT})
    assert split_kinds("Нижний Новгород") == ("Нижний Новгород", frozenset())
    assert split_kinds("Kursk and threats") == ("Kursk", {THREAT})


async def _web_post(stack: Stack, channel: str, message_id: int, text: str) -> None:
    """A post the web-preview poller stored (such channels never get `watched`)."""
    post = Post(
        channel, None, message_id, text=text, source=Source.WEBPREVIEW, date=stack.clock.now()
    )
    await stack.pipeline.ingest(NewPost(post))


async def test_web_preview_channels_can_be_chosen_by_button_and_by_name(stack: Stack) -> None:
    """A web-preview-only setup: WEBPREVIEW_CHANNELS names kpszsu (nothing polled yet),
    mod_russia was polled; no channel is `watched`. Result: both are offered, by button and
    typed, and the filter lets through only the chosen channel's alerts."""
    stack.commands.services.webpreview_channels = ("kpszsu",)
    await _web_post(stack, "mod_russia", 1, "Поздравляю с праздником!")
    assert await stack.db.read("SELECT count(*) FROM channels WHERE watched = 1") == [(0,)]
    user = stack.user()
    (menu,) = await stack.say(user, "/subscribe")
    menu = await _press(stack, user, menu, "m:c")
    assert {"c:kpszsu", "c:mod_russia"} <= {data for _, data in _buttons(menu)}
    menu = await _press(stack, user, menu, "c:kpszsu")
    assert ("✅ @kpszsu", "c:kpszsu") in _buttons(menu)
    (reply,) = await stack.say(user, "/subscribe моск @mod_russia")  # kept while it asks
    assert reply.message == (
        "Several regions match «моск». Choose one:\n"
        "Channels (for all regions): @kpszsu, @mod_russia."
    )
    assert (await _sub(stack, user)).channels == {"kpszsu", "mod_russia"}
    (reply,) = await stack.say(user, "/subscribe Kursk @Mod_Russia")
    assert reply.message == (
        "✅ Subscribed: Kursk (incidents).\nChannels (for all regions): @kpszsu, @mod_russia."
    )
    (reply,) = await stack.say(user, "/subscribe Kursk t.me/nobody_here")
    assert reply.message.startswith("I do not follow @nobody_here.")
    (reply,) = await stack.say(user, "/subscribe Kursk @x!")
    assert reply.message.startswith("«@x!» is not a channel name.")
    sub = await _sub(stack, user)
    assert (sub.regions, sub.channels) == ({"RU-KRS"}, {"kpszsu", "mod_russia"})
    await _web_post(stack, "mod_russia", 2, "Над Курской областью сбиты три беспилотника.")
    await stack.post("kursk_gov", 1, "Над Курской областью сбит беспилотник.")
    await stack.drain()
    alerts = [m for m in stack.chat(user) if m.startswith("🛩")]
    assert len(alerts) == 1 and "3 drones destroyed" in alerts[0]


async def test_channels_alone_join_the_filter_and_show_the_channels_menu(stack: Stack) -> None:
    stack.commands.services.webpreview_channels = ("kpszsu",)
    user = stack.user()
    (reply,) = await stack.say(user, "/subscribe @kpszsu")
    assert reply.message == "Channels: with none chosen, alerts come from all.\nNow: @kpszsu"
    assert ("✅ @kpszsu", "c:kpszsu") in _buttons(reply)
    assert (await _sub(stack, user)).regions == frozenset()


async def test_more_channels_than_a_page_are_paged_and_all_can_be_chosen(stack: Stack) -> None:
    names = [f"chan{i:02d}_gov" for i in range(MAX_CHANNEL_BUTTONS + 5)]
    async with stack.db.transaction() as conn:
        for name in names:
            await conn.execute(
                "INSERT INTO channels (username, added_at) VALUES (?, '2025-01-01T00:00:00Z')",
                (name,),
            )
            await archive.set_watched(conn, name, True)
    user = stack.user()
    (menu,) = await stack.say(user, "/subscribe")
    menu = await _press(stack, user, menu, "m:c")
    data = [d for _, d in _buttons(menu)]
    assert [d for d in data if d.startswith("c:chan")] == [f"c:{n}" for n in names[:20]]
    assert ("More ▶ 2/2", "cp:1") in _buttons(menu)
    menu = await _press(stack, user, menu, "cp:1")
    data = [d for _, d in _buttons(menu)]
    assert [d for d in data if d.startswith("c:chan")] == [f"c:{n}" for n in names[20:]]
    assert ("◀ 1/2", "cp:0") in _buttons(menu) and "cp:2" not in data
    menu = await _press(stack, user, menu, f"c:{names[-1]}")  # stays on its page
    assert (f"✅ @{names[-1]}", f"c:{names[-1]}") in _buttons(menu)
    assert ("◀ 1/2", "cp:0") in _buttons(menu)
    (reply,) = await stack.say(user, f"/subscribe all @{names[22]}")
    assert reply.message.endswith(f"@{names[22]}, @{names[24]}.")
    assert (await _sub(stack, user)).channels == {names[22], names[24]}


async def test_latest_all_and_an_ambiguous_name_asks_which(stack: Stack) -> None:
    await stack.post("kursk_gov", 1, "Над Курской областью сбиты три беспилотника.")
    await stack.post("mosreg_gov", 2, "Над Московской областью уничтожен БПЛА.")
    user = stack.user()
    (everything,) = await stack.say(user, "/latest")
    (reply,) = await stack.say(user, "/latest all")
    assert reply.message == everything.message and len(reply.message.splitlines()) == 3
    (reply,) = await stack.say(user, "/latest все 1")
    assert len(reply.message.splitlines()) == 2
    (reply,) = await stack.say(user, "/latest моск 3")
    assert reply.message == "Several regions match «моск». Choose one:"
    assert ("Moscow Oblast", "lt:RU-MOS:3") in _buttons(reply)
    edited = await _press(stack, user, reply, "lt:RU-MOS:3")
    lines = edited.message.splitlines()
    assert lines[0] == "Latest incidents — Moscow Oblast" and len(lines) == 2
    (reply,) = await stack.say(user, "/latest Atlantis")
    assert reply.message.startswith("No region «Atlantis».")


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ("incidents", "threats", "other attacks", "@channel", "/latest [region|all]")),
        ("ru", ("инциденты", "угрозы", "другие атаки", "@канал", "/latest [регион|all]")),
        ("uk", ("інциденти", "загрози", "інші атаки", "@канал", "/latest [регіон|all]")),
    ],
)
async def test_help_names_the_kind_words_and_the_channel_form(
    stack: Stack, lang: str, words: tuple[str, ...]
) -> None:
    user = stack.user()
    await stack.say(user, f"/language {lang}")
    (reply,) = await stack.say(user, "/help")
    for word in words:
        assert word in reply.message
    example = re.search(r"/subscribe (Kursk|Курск|Курськ) \w+", reply.message)
    assert example is not None  # and it works as written:
    (answer,) = await stack.say(user, example.group())
    assert answer.message.startswith("✅") and "RU-KRS" in (await _sub(stack, user)).regions


async def test_mysubs_shows_the_digest_state(stack: Stack) -> None:
    user = stack.user()
    (reply,) = await stack.say(user, "/mysubs")
    assert reply.message.endswith("Daily digest: no")
    await stack.say(user, "/digest on")
    (reply,) = await stack.say(user, "/mysubs")
    assert reply.message.endswith("Daily digest: on")
    await stack.say(user, "/digest 08:30")
    await stack.say(user, "/language uk")
    (reply,) = await stack.say(user, "/mysubs")
    assert reply.message.endswith("Щоденне зведення: о 08:30")
    await stack.say(user, "/language ru")
    await stack.say(user, "/digest off")
    (reply,) = await stack.say(user, "/mysubs")
    assert reply.message.endswith("Ежедневная сводка: нет")
