"""Group chats, decided by the dispatcher: ignored unless ALLOW_GROUPS; there, only the
group's administrators change its subscriptions; anyone may read.

These go through `BotCommands` directly: the offline fake has no way for a member to post
in a group as themselves (TELETHON_FAKE.md), so the Telethon side of groups (the admin
check is `client.get_permissions`) is not exercised here.
"""

from __future__ import annotations

from conftest import Clock

from bot.botui.context import Request
from bot.botui.dispatch import BotCommands, parse_command
from bot.storage import Database

GROUP = -1001234567890


def _request(text: str, *, user: int = 7, admin: bool = False) -> Request:
    async def is_admin() -> bool:
        return admin

    return Request(
        chat_id=GROUP, user_id=user, text=text, is_group=True, chat_access_hash=99,
        user_name="Group", is_chat_admin=is_admin,
    )  # fmt: skip


async def test_groups_are_ignored_unless_allowed(db: Database, clock: Clock) -> None:
    commands = BotCommands(db, allow_groups=False, clock=clock, now=clock.now)
    assert await commands.on_message(_request("/start")) is None
    assert await db.read("SELECT count(*) FROM subscribers") == [(0,)]


async def test_only_group_admins_change_settings_anyone_may_read(
    db: Database, clock: Clock
) -> None:
    commands = BotCommands(db, allow_groups=True, clock=clock, now=clock.now)
    refused = await commands.on_message(_request("/subscribe Kursk"))
    assert refused is not None and refused.text == (
        "Only the group's administrators can change its subscriptions."
    )
    done = await commands.on_message(_request("/subscribe Kursk", admin=True))
    assert done is not None and done.text == "✅ Subscribed: Kursk (incidents)."
    mysubs = await commands.on_message(_request("/mysubs", user=8))
    assert mysubs is not None and "Regions: Kursk Oblast" in mysubs.text
    button = await commands.on_button(_request("r:RU-BRY", user=8))
    assert (
        button is not None
        and button.text == ""
        and button.toast == ("Only the group's administrators can change its subscriptions.")
    )
    rows = await db.read("SELECT chat_id, chat_kind, access_hash FROM subscribers")
    assert rows == [(GROUP, "group", 99)]
    assert await db.read("SELECT region_code FROM subscriptions") == [("RU-KRS",)]


async def test_group_chatter_and_other_bots_commands_are_ignored(
    db: Database, clock: Clock
) -> None:
    commands = BotCommands(
        db, allow_groups=True, clock=clock, now=clock.now, bot_username="uavwatch_bot"
    )
    assert await commands.on_message(_request("hello everyone")) is None
    assert await commands.on_message(_request("/help@other_bot")) is None
    reply = await commands.on_message(_request("/help@UAVWatch_Bot"))
    assert reply is not None and reply.text.startswith("<b>Commands</b>")


def test_parse_command() -> None:
    assert parse_command("/Subscribe@bot  Kursk oblast ", "bot") == ("subscribe", "Kursk oblast")
    assert parse_command("free text") == (None, "free text")
    assert parse_command("/x@someone_else", "bot") == ("", "")
