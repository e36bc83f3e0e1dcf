"""Group chats: ignored unless ALLOW_GROUPS; there, only the group's administrators change
its subscriptions; anyone may read; alerts reach the group within Telegram's 20-per-minute
group limit.

The first tests go through `BotCommands` directly (the rules); the rest through the real
Telethon event path: a member writes in a megagroup of the offline fake, the bot's real
client gets UpdateNewChannelMessage, asks `channels.GetParticipant` (Telethon's
`get_permissions`) whether the writer is an administrator, and answers in the group.
"""

from __future__ import annotations

from conftest import Clock, Stack
from fakes import FakeTelegram
from fakes.testing import eventually
from telethon import functions, utils
from telethon.tl import types

from bot.alerts.enqueue import AlertEnqueuer, AlertPolicy
from bot.alerts.sender import Sender
from bot.alerts.transport import TelethonTransport
from bot.botui.context import Request
from bot.botui.dispatch import BotCommands, parse_command
from bot.pipeline import Pipeline
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


# -- through Telethon -------------------------------------------------------------------
BRYANSK = "Над Брянской областью уничтожены {n} беспилотников, пострадавших нет."


def _group(stack: Stack, *, admin: int, member: int) -> int:
    """A megagroup with the bot, an administrator and a plain member."""
    members = [stack.bot_id, admin, member]
    return stack.world.add_channel("Family chat", megagroup=True, joined=False,
                                   members=members, admins=[admin])  # fmt: skip


def _bot_messages(world: FakeTelegram, group: int, bot: int) -> list[str]:
    rec = world.channel(group)
    return [
        m.message for i, m in sorted(rec.messages.items())
        if getattr(m.from_id, "user_id", None) == bot
    ]  # fmt: skip


async def _say(stack: Stack, group: int, user: int, text: str) -> str:
    """`user` writes in the group; wait for the bot's answer there and return it."""
    stack.clock.advance(1.1)  # one bot message per second per chat (the fake enforces it)
    before = len(_bot_messages(stack.world, group, stack.bot_id))
    stack.world.say_in_group(group, user, text)
    await eventually(lambda: len(_bot_messages(stack.world, group, stack.bot_id)) > before)
    return _bot_messages(stack.world, group, stack.bot_id)[-1]


async def test_group_messages_are_ignored_when_groups_are_not_allowed(stack: Stack) -> None:
    admin, member = stack.user("Admin"), stack.user("Member")
    group = _group(stack, admin=admin, member=member)
    stack.world.say_in_group(group, admin, "/start")
    stack.world.say_in_group(group, admin, "/subscribe@uavwatch_bot брянск")
    await stack.settle()
    assert _bot_messages(stack.world, group, stack.bot_id) == []
    assert await stack.db.read("SELECT count(*) FROM subscribers WHERE chat_kind = 'group'") == [
        (0,)
    ]


async def test_group_admin_subscribes_the_group_and_a_member_is_refused(stack: Stack) -> None:
    """1. ALLOW_GROUPS 2. a member's /subscribe@bot: refused politely 3. the admin's: the
    group (not the person) is subscribed, as chat_kind 'group' 4. the member may read."""
    stack.commands.allow_groups = True
    admin, member = stack.user("Admin"), stack.user("Member")
    group = _group(stack, admin=admin, member=member)
    refused = await _say(stack, group, member, "/subscribe@uavwatch_bot брянск")
    assert refused == "Only the group's administrators can change its subscriptions."
    done = await _say(stack, group, admin, "/subscribe@uavwatch_bot брянск")
    assert done == "✅ Subscribed: Bryansk (incidents)."
    mine = await _say(stack, group, member, "/mysubs@uavwatch_bot")
    assert "Regions: Bryansk Oblast" in mine
    asked = stack.world.sent(functions.channels.GetParticipantRequest)
    assert len(asked) == 2  # one question per settings change, none for reading
    marked = utils.get_peer_id(types.PeerChannel(group))
    rows = await stack.db.read("SELECT chat_id, chat_kind, access_hash FROM subscribers")
    assert rows == [(marked, "group", stack.world.channel(group).access_hash)]
    assert await stack.db.read("SELECT region_code FROM subscriptions") == [("RU-BRY",)]


async def test_commands_for_another_bot_are_ignored_in_a_group(stack: Stack) -> None:
    stack.commands.allow_groups = True
    admin, member = stack.user("Admin"), stack.user("Member")
    group = _group(stack, admin=admin, member=member)
    stack.world.say_in_group(group, admin, "/subscribe@other_bot брянск")
    stack.world.say_in_group(group, member, "good morning everyone")
    await stack.settle()
    assert _bot_messages(stack.world, group, stack.bot_id) == []
    assert await stack.db.read("SELECT count(*) FROM subscriptions") == [(0,)]


async def test_an_incident_reaches_the_subscribed_group(stack: Stack) -> None:
    stack.commands.allow_groups = True
    admin, member = stack.user("Admin"), stack.user("Member")
    group = _group(stack, admin=admin, member=member)
    await _say(stack, group, admin, "/subscribe@uavwatch_bot брянск")
    stack.clock.advance(3.1)  # the group's bucket: the reply used its one message
    await stack.post("bryansk_gov", 1, BRYANSK.format(n=5))
    await stack.drain()
    alert = _bot_messages(stack.world, group, stack.bot_id)[-1]
    assert alert.startswith("🛩 Bryansk Oblast: 5 drones destroyed. No casualties.")
    assert await stack.db.read("SELECT status, count(*) FROM outbox GROUP BY status") == [
        ("sent", 1)
    ]


async def test_the_sender_keeps_a_group_within_20_messages_a_minute(stack: Stack) -> None:
    """25 distinct incidents at once for one group. The fake refuses a 21st message within
    60 s with a FloodWait; the sender must spread them itself. Result: all 25 arrive, no
    FloodWait, never more than 20 in any 60 s of (virtual) time."""
    stack.commands.allow_groups = True
    admin, member = stack.user("Admin"), stack.user("Member")
    group = _group(stack, admin=admin, member=member)
    await _say(stack, group, admin, "/subscribe@uavwatch_bot all")
    for n in range(25):
        await stack.post("bryansk_gov", n + 1, BRYANSK.format(n=n + 10))
    await stack.drain()
    alerts = [m for m in _bot_messages(stack.world, group, stack.bot_id) if m.startswith("🛩")]
    assert len(alerts) == 25
    limiter = stack.world.limiter
    assert limiter is not None and limiter.flood_waits == 0
    assert stack.sender.stats.flood_waits == 0
    times = limiter.group_times[group]
    assert len(times) == 26  # the reply and 25 alerts
    assert max(sum(1 for u in times if t <= u < t + 60.0) for t in times) <= 20
    assert times[-1] - times[0] >= 60.0


async def test_groups_subscribed_earlier_get_nothing_once_groups_are_turned_off(
    stack: Stack,
) -> None:
    """1. ALLOW_GROUPS: a group subscribes to Bryansk, so does a person 2. an incident is
    queued for both 3. the service restarts with ALLOW_GROUPS=false 4. the queue is sent,
    and another incident comes. Result: the group gets neither (its queued row is skipped,
    no row is made for the second), the person gets both."""
    stack.commands.allow_groups = True
    admin, member = stack.user("Admin"), stack.user("Member")
    group = _group(stack, admin=admin, member=member)
    await _say(stack, group, admin, "/subscribe@uavwatch_bot брянск")
    person = stack.user("Person")
    await stack.say(person, "/subscribe Bryansk")
    stack.clock.advance(3.1)
    await stack.post("bryansk_gov", 1, BRYANSK.format(n=5))
    off = AlertPolicy(allow_groups=False)
    stack.sender = Sender(stack.db, TelethonTransport(stack.client), clock=stack.clock,
                          now=stack.clock.now, allow_groups=False)  # fmt: skip
    stack.enqueuer = AlertEnqueuer(policy=off, now=stack.clock.now, notify=stack.sender.wake)
    stack.pipeline = Pipeline(stack.db, on_ingested=stack.enqueuer, now=stack.clock.now)
    stack.commands.allow_groups = False
    await stack.drain()
    stack.clock.advance(600)
    await stack.post("bryansk_gov", 2, BRYANSK.format(n=7))
    await stack.drain()
    assert [m for m in _bot_messages(stack.world, group, stack.bot_id) if m[0] == "🛩"] == []
    assert sum(1 for m in stack.chat(person) if m.startswith("🛩")) == 2
    rows = await stack.db.read(
        "SELECT s.chat_kind, o.status, o.last_error FROM outbox AS o"
        " JOIN subscribers AS s ON s.id = o.subscriber_id ORDER BY o.id"
    )
    assert rows == [
        ("group", "skipped", "groups are off (ALLOW_GROUPS)"), ("private", "sent", None),
        ("private", "sent", None),
    ]  # fmt: skip
