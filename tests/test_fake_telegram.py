"""The offline Telegram harness proves itself: real Telethon clients against ``FakeTelegram``.

Only Telethon's public API is used on the client side; every assertion is about what a real
client observed or what the fake world recorded.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import telethon
from fakes import BotLimiter, FakeTelegram, ManualClock, NotFaked
from fakes.telegram_sender import (
    SUPPORTED_TELETHON,
    missing_client_attrs,
    missing_hooks,
    telethon_version,
)
from fakes.testing import connected, eventually, forbid_network, record, telethon_errors
from telethon import Button, TelegramClient, events, functions, types, utils
from telethon._updates import messagebox
from telethon.errors import (
    AccessTokenInvalidError,
    ChannelPrivateError,
    FloodWaitError,
    InputUserDeactivatedError,
    MessageNotModifiedError,
    PeerIdInvalidError,
    UserIsBlockedError,
    UsernameInvalidError,
    UsernameNotOccupiedError,
)
from telethon.sessions import StringSession

ClientFactory = Callable[..., Awaitable[TelegramClient]]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # bytes only; the fake never decodes images


@pytest.fixture
def world(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[FakeTelegram]:
    """A fresh world; dialling a real server fails; Telethon ERROR logs fail the test."""
    forbid_network(monkeypatch)
    caplog.set_level(logging.WARNING, logger="telethon")
    fake = FakeTelegram()
    yield fake
    errors = telethon_errors(caplog.get_records("call"))
    assert not errors, f"Telethon logged errors: {errors}"
    assert not fake.not_faked, f"requests the fake does not answer: {fake.not_faked}"


@pytest.fixture
async def clients(world: FakeTelegram) -> AsyncIterator[ClientFactory]:
    """Connected clients; every one is disconnected afterwards (a leftover hangs the loop)."""
    made: list[TelegramClient] = []

    async def make(account: int | None, **kwargs: Any) -> TelegramClient:
        client = world.client(account, **kwargs)
        made.append(client)
        await client.connect()
        return client

    yield make
    for client in made:
        await client.disconnect()


@pytest.fixture
def setup(world: FakeTelegram) -> dict[str, int]:
    """A watcher account, a joined channel with five posts, a subscriber and a bot."""
    me = world.add_user("Watcher", username="watcher_acc", phone="70000000000")
    channel = world.add_channel("Governor", username="somechannel")
    for n in range(1, 6):
        world.publish(channel, f"post {n}")
    sub = world.add_user("Subscriber", username="subscriber1")
    bot, _ = world.add_bot("uavwatch_bot")
    return {"me": me, "channel": channel, "sub": sub, "bot": bot}


async def test_client_connects_get_me_is_self_and_resolves_channel(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    client = await clients(setup["me"])
    assert await client.is_user_authorized()
    me = await client.get_me()
    assert me.id == setup["me"] and me.is_self and me.phone == "70000000000"
    channel = await client.get_entity("somechannel")
    assert isinstance(channel, types.Channel) and channel.id == setup["channel"]
    assert channel.access_hash == world.channels[setup["channel"]].access_hash
    peer = await client.get_input_entity("@somechannel")
    assert isinstance(peer, types.InputPeerChannel) and peer.channel_id == setup["channel"]
    assert world.sent(functions.contacts.ResolveUsernameRequest)  # resolved via the server
    by_id = await client.get_entity(types.PeerChannel(setup["channel"]))  # cached hash
    assert by_id.title == "Governor" and world.sent(functions.channels.GetChannelsRequest)
    full = await client(functions.channels.GetFullChannelRequest(channel))
    assert full.full_chat.pts == world.channels[setup["channel"]].pts == 6
    dialogs = await client.get_dialogs()
    assert [(d.id, d.message.id) for d in dialogs] == [(utils.get_peer_id(channel), 5)]


async def test_joining_a_channel_makes_its_posts_arrive_live(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    other = world.add_channel("Ministry", username="ministry_news", joined=False)
    client = await clients(setup["me"])
    got: list[str] = []
    record(client, events.NewMessage(), got, "raw_text")
    channel = await client.get_entity("ministry_news")
    assert channel.left
    world.publish(other, "not pushed: not a member yet")
    await client(functions.channels.JoinChannelRequest(channel))
    assert setup["me"] in world.channels[other].members
    world.publish(other, "перехвачены три беспилотника")
    await eventually(lambda: got == ["перехвачены три беспилотника"])


async def test_unauthorized_key_is_not_logged_in(
    clients: ClientFactory, setup: dict[str, int]
) -> None:
    client = await clients(None)
    assert await client.get_me() is None
    assert not await client.is_user_authorized()


async def test_iter_messages_both_orders_honour_min_id_and_limit(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    for n in range(6, 251):
        world.publish(setup["channel"], f"post {n}")
    client = await clients(setup["me"])
    channel = await client.get_entity("somechannel")
    newest = [m.id async for m in client.iter_messages(channel, limit=3)]
    assert newest == [250, 249, 248]
    above = [m.id async for m in client.iter_messages(channel, min_id=240)]
    assert above == list(range(250, 240, -1))
    oldest = [m.id async for m in client.iter_messages(channel, reverse=True, limit=4)]
    assert oldest == [1, 2, 3, 4]
    after = [m.id async for m in client.iter_messages(channel, min_id=100, reverse=True, limit=120)]
    assert after == list(range(101, 221))
    tenth = world.message(setup["channel"], 10).date
    older = [m.id async for m in client.iter_messages(channel, offset_date=tenth, limit=3)]
    assert older == [9, 8, 7]
    every = [m.text async for m in client.iter_messages(channel, reverse=True, wait_time=0)]
    assert every == [f"post {n}" for n in range(1, 251)]
    assert (await client.get_messages(channel, limit=0)).total == 250


async def test_get_messages_by_ids_gives_none_for_missing_and_deleted(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    world.delete(setup["channel"], [2])
    client = await clients(setup["me"])
    got = await client.get_messages("somechannel", ids=[1, 2, 3, 99])
    assert [m.id if m else None for m in got] == [1, None, 3, None]
    assert got[0].text == "post 1" and got[0].views == 1 and got[0].post
    assert world.sent(functions.channels.GetMessagesRequest)


async def test_handlers_fire_on_publish_edit_delete(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    client = await clients(setup["me"])
    channel = await client.get_entity("somechannel")
    seen: dict[str, Any] = {}
    fired = {k: asyncio.Event() for k in ("new", "edit", "delete")}

    @client.on(events.NewMessage(chats=channel))
    async def on_new(event: events.NewMessage.Event) -> None:
        seen["new"] = (event.message.id, event.raw_text, (await event.get_chat()).title)
        fired["new"].set()

    @client.on(events.MessageEdited(chats=channel))
    async def on_edit(event: events.MessageEdited.Event) -> None:
        seen["edit"] = (event.message.id, event.raw_text, event.message.edit_date)
        fired["edit"].set()

    @client.on(events.MessageDeleted(chats=channel))
    async def on_delete(event: events.MessageDeleted.Event) -> None:
        seen["delete"] = (event.deleted_ids, event.chat_id)
        fired["delete"].set()

    post = world.publish(setup["channel"], "БПЛА сбит над областью")
    await asyncio.wait_for(fired["new"].wait(), 3)
    assert seen["new"] == (post.id, "БПЛА сбит над областью", "Governor")
    world.edit(setup["channel"], post.id, "Два БПЛА сбиты над областью")
    await asyncio.wait_for(fired["edit"].wait(), 3)
    assert seen["edit"][:2] == (post.id, "Два БПЛА сбиты над областью")
    assert seen["edit"][2] is not None
    world.delete(setup["channel"], [post.id, 1])
    await asyncio.wait_for(fired["delete"].wait(), 3)
    assert seen["delete"] == ([post.id, 1], utils.get_peer_id(channel))
    assert world.is_deleted(setup["channel"], post.id)


async def test_publish_while_disconnected_is_only_stored(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    client = await clients(setup["me"])
    got: list[int] = []
    record(client, events.NewMessage(), got, "id")
    await client.disconnect()
    missed = world.publish(setup["channel"], "posted while we were down")
    await client.connect()
    await asyncio.sleep(0.05)
    assert got == []  # nothing pushed while down, nothing caught up on reconnect
    latest = await client.get_messages("somechannel", limit=1)
    assert latest[0].id == missed.id  # so catch-up code must fetch history


async def test_gap_is_caught_up_through_channel_difference(
    world: FakeTelegram,
    clients: ClientFactory,
    setup: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1. a live post seeds the channel pts 2. offline: two posts and an edit 3. one live post
    reveals the gap. Result: all three posts dispatched, the offline edit is not (Telethon 1.x)."""
    monkeypatch.setattr(messagebox, "POSSIBLE_GAP_TIMEOUT", 0.01)
    client = await clients(setup["me"])
    new: list[int] = []
    edits: list[int] = []
    record(client, events.NewMessage(), new, "id")
    record(client, events.MessageEdited(), edits, "id")
    world.publish(setup["channel"], "seed")
    await eventually(lambda: len(new) == 1)
    world.set_online(setup["me"], False)
    a = world.publish(setup["channel"], "offline a")
    b = world.publish(setup["channel"], "offline b")
    world.edit(setup["channel"], 1, "post 1, corrected")
    world.set_online(setup["me"], True)
    c = world.publish(setup["channel"], "live c")
    await eventually(lambda: len(new) == 4)
    assert sorted(new[1:]) == [a.id, b.id, c.id]
    asked = [r.args for r in world.requests if r.name == "GetChannelDifferenceRequest"]
    assert [(q["pts"], q["limit"]) for q in asked] == [(7, 100)]  # from the seed's pts
    await asyncio.sleep(0.05)
    assert edits == []


async def test_gap_longer_than_limit_is_too_long_and_dispatches_nothing(
    world: FakeTelegram,
    clients: ClientFactory,
    setup: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(messagebox, "POSSIBLE_GAP_TIMEOUT", 0.01)
    client = await clients(setup["me"])
    new: list[int] = []
    record(client, events.NewMessage(), new, "id")
    seed = world.publish(setup["channel"], "seed")
    await eventually(lambda: len(new) == 1)
    world.set_online(setup["me"], False)
    for n in range(101):
        world.publish(setup["channel"], f"missed {n}")
    world.set_online(setup["me"], True)
    world.publish(setup["channel"], "reveals the gap")
    await eventually(lambda: bool(world.sent(functions.updates.GetChannelDifferenceRequest)))
    await asyncio.sleep(0.05)
    assert new == [seed.id]  # not even the live post: the product must backfill
    backfill = [
        m.id async for m in client.iter_messages("somechannel", min_id=seed.id, wait_time=0)
    ]
    assert len(backfill) == 102


async def test_flood_wait_reaches_caller_with_seconds(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    client = await clients(setup["me"])
    client.flood_sleep_threshold = 0
    world.fail_next(functions.messages.GetHistoryRequest, seconds=17)
    with pytest.raises(FloodWaitError) as caught:
        await client.get_messages("somechannel", limit=5)
    assert caught.value.seconds == 17
    assert isinstance(caught.value.request, functions.messages.GetHistoryRequest)
    client._flood_waited_requests.clear()  # Telethon remembers waits on the wall clock
    assert len(await client.get_messages("somechannel", limit=5)) == 5  # armed once only


async def test_world_state_answers_real_telethon_errors(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    secret = world.add_channel("Closed", joined=False, private=True)
    user = await clients(setup["me"])
    with pytest.raises(UsernameNotOccupiedError):
        await user(functions.contacts.ResolveUsernameRequest("nobody_here"))
    with pytest.raises(UsernameInvalidError):
        await user(functions.contacts.ResolveUsernameRequest("abc"))
    with pytest.raises(ValueError):  # Telethon wraps USERNAME_NOT_OCCUPIED in get_entity
        await user.get_entity("nobody_here")
    rec = world.channels[secret]
    with pytest.raises(ChannelPrivateError):
        await user.get_messages(types.InputPeerChannel(secret, rec.access_hash), limit=1)
    bot = await clients(setup["bot"])
    with pytest.raises(PeerIdInvalidError):  # bots cannot start conversations
        await bot.send_message(types.InputPeerUser(setup["sub"], 0), "hello")
    world.send_private(setup["sub"], setup["bot"], "/start")
    world.block_bot(setup["sub"], setup["bot"])
    with pytest.raises(UserIsBlockedError):
        await bot.send_message(types.InputPeerUser(setup["sub"], 0), "hello")
    world.users[setup["sub"]].blocked_bots.clear()
    world.deactivate(setup["sub"])
    with pytest.raises(InputUserDeactivatedError):
        await bot.send_message(types.InputPeerUser(setup["sub"], 0), "hello")
    world.users[setup["sub"]].deactivated = False
    world.fail_next(functions.messages.SendMessageRequest, UserIsBlockedError)
    with pytest.raises(UserIsBlockedError):  # injected, not from the world's state
        await bot.send_message(types.InputPeerUser(setup["sub"], 0), "hello")
    assert (await bot.send_message(types.InputPeerUser(setup["sub"], 0), "hello")).id


async def test_unknown_request_fails_loudly_as_not_faked(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    client = await clients(setup["me"])
    with pytest.raises(NotFaked):
        await client(functions.account.GetPasswordRequest())
    assert world.not_faked == ["GetPasswordRequest"]
    world.not_faked.clear()  # the fixture would fail the test on it otherwise


async def test_bot_gets_private_message_and_callback_and_replies_are_recorded(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    """1. subscriber sends /start 2. bot replies with a button 3. subscriber taps it
    4. bot answers the query and edits its reply. Result: all recorded in the bot's chat."""
    bot = await clients(setup["bot"])
    sub, bot_id = setup["sub"], setup["bot"]
    replied = asyncio.Event()
    answered = asyncio.Event()

    @bot.on(events.NewMessage(pattern="/start", incoming=True))
    async def on_start(event: events.NewMessage.Event) -> None:
        assert event.is_private and event.sender_id == sub
        await event.respond("Subscribed", buttons=[Button.inline("Stop", b"stop")])
        replied.set()

    @bot.on(events.CallbackQuery(data=b"stop"))
    async def on_stop(event: events.CallbackQuery.Event) -> None:
        assert (await event.get_message()).raw_text == "Subscribed"
        await event.answer("Stopped")
        await event.edit("Unsubscribed")
        answered.set()

    world.send_private(sub, bot_id, "/start")
    await asyncio.wait_for(replied.wait(), 3)
    chat = world.private_messages(bot_id, sub)
    assert [(m.out or False, m.message) for m in chat] == [(False, "/start"), (True, "Subscribed")]
    reply_id = chat[1].id
    assert isinstance(chat[1].reply_markup, types.ReplyInlineMarkup)
    assert [m.message for m in world.private_messages(sub, bot_id)] == ["/start", "Subscribed"]
    query = world.press_button(sub, bot_id, reply_id, b"stop")
    await asyncio.wait_for(answered.wait(), 3)
    assert world.callback_answers[query].message == "Stopped"
    edited = world.private_messages(bot_id, sub)[1]
    assert (edited.id, edited.message) == (reply_id, "Unsubscribed") and edited.edit_date
    assert world.private_messages(sub, bot_id)[1].message == "Unsubscribed"
    with pytest.raises(MessageNotModifiedError):
        await bot.edit_message(sub, reply_id, "Unsubscribed")


async def test_catch_up_fetches_missed_private_messages_through_get_difference(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    """1. the bot is connected but its pushes are lost 2. a subscriber sends /start
    3. the bot calls catch_up(). Result: GetDifference returns the message; the handler fires."""
    bot = await clients(setup["bot"])
    got: list[str] = []
    record(bot, events.NewMessage(incoming=True), got, "raw_text")
    world.set_online(setup["bot"], False)
    world.send_private(setup["sub"], setup["bot"], "/start")
    world.set_online(setup["bot"], True)
    await bot.catch_up()
    await eventually(lambda: got == ["/start"])
    asked = [r.args["pts"] for r in world.requests if r.name == "GetDifferenceRequest"]
    assert asked[-1] == world.accounts[setup["bot"]].pts - 1  # from the bot's last known pts


async def test_subscriber_client_and_bot_client_talk_through_the_fake(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    """Two real clients: the subscriber's /start reaches the bot's handler, and the bot's
    reply reaches the subscriber's handler (pushed to the other account, not the sender)."""
    bot = await clients(setup["bot"])
    sub = await clients(setup["sub"])

    @bot.on(events.NewMessage(pattern="/start"))
    async def on_start(event: events.NewMessage.Event) -> None:
        await event.reply("Welcome")

    got: list[tuple[str, int]] = []

    @sub.on(events.NewMessage(incoming=True))
    async def on_reply(event: events.NewMessage.Event) -> None:
        got.append((event.raw_text, event.sender_id))

    world.send_private(setup["me"], setup["bot"], "hi")  # the two boxes now number apart
    sent = await sub.send_message("uavwatch_bot", "/start")
    await eventually(lambda: got == [("Welcome", setup["bot"])])
    bot_box = world.private_messages(setup["bot"], setup["sub"])
    sub_box = world.private_messages(setup["sub"], setup["bot"])
    assert [m.message for m in bot_box] == [m.message for m in sub_box] == ["/start", "Welcome"]
    assert [m.id for m in bot_box] == [2, 3] and [m.id for m in sub_box] == [1, 2]
    assert bot_box[1].reply_to.reply_to_msg_id == 2 and sub_box[1].reply_to.reply_to_msg_id == 1
    assert sent.id == 1
    await sub.send_message("uavwatch_bot", "/start")
    await eventually(lambda: len(got) == 2)
    # the bot's own replies advanced its pts (stored as own updates): no gap, no difference
    bot_diffs = [
        r for r in world.requests if r.account == setup["bot"] and r.name == "GetDifferenceRequest"
    ]
    assert len(bot_diffs) == 1  # the one at login


async def test_bot_sends_photo_sets_commands_and_posts_to_channel(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    world.join(setup["channel"], setup["bot"])
    world.channels[setup["channel"]].admins.add(setup["bot"])
    world.send_private(setup["sub"], setup["bot"], "/start")
    bot = await clients(setup["bot"])
    photo = io.BytesIO(PNG)
    photo.name = "chart.png"
    sent = await bot.send_file(setup["sub"], photo, caption="weekly chart")
    assert isinstance(sent.media, types.MessageMediaPhoto) and sent.message == "weekly chart"
    assert world.files[sent.media.photo.id] == PNG
    assert world.sent(functions.upload.SaveFilePartRequest)
    await bot(
        functions.bots.SetBotCommandsRequest(
            scope=types.BotCommandScopeDefault(),
            lang_code="",
            commands=[types.BotCommand("start", "subscribe"), types.BotCommand("stop", "stop")],
        )
    )
    assert world.bot_commands[setup["bot"]] == [("start", "subscribe"), ("stop", "stop")]
    channel = types.PeerChannel(setup["channel"])  # a bare int would mean a user id
    post = await bot.send_message(channel, "Alert: drones over the region")
    assert post is not None and world.message(setup["channel"], post.id).message.startswith("Alert")
    edited = await bot.edit_message(channel, post.id, "Alert (corrected)")
    assert edited.id == post.id and world.message(setup["channel"], post.id).edit_date
    with pytest.raises(MessageNotModifiedError):
        await bot.edit_message(channel, post.id, "Alert (corrected)")


async def test_bot_signs_in_with_token(world: FakeTelegram, setup: dict[str, int]) -> None:
    async with connected(world, None) as client:
        assert await client.get_me() is None
        with pytest.raises(AccessTokenInvalidError):
            await client.start(bot_token=f"{setup['bot']}:wrong")
        await client.start(bot_token=world.users[setup["bot"]].token)
        me = await client.get_me()
        assert me.id == setup["bot"] and me.bot and me.is_self


async def test_product_built_client_uses_installed_fake(
    world: FakeTelegram, setup: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    world.install(monkeypatch)
    client = TelegramClient(StringSession(world.session_for(setup["me"])), 1, "0" * 32)
    try:
        await client.start()  # pre-authorized: no phone, code or password asked
        assert (await client.get_me()).id == setup["me"]
    finally:
        await client.disconnect()


async def test_drop_connection_reconnects_automatically(
    world: FakeTelegram,
    clients: ClientFactory,
    setup: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1. a live post seeds the channel pts 2. the connection drops while the network is down;
    a post is published 3. the network returns. Result: Telethon reconnects by itself (its
    callback calls get_me); the lost post comes back only when the next post reveals the gap."""
    monkeypatch.setattr(messagebox, "POSSIBLE_GAP_TIMEOUT", 0.01)
    client = await clients(setup["me"])
    got: list[str] = []
    record(client, events.NewMessage(), got, "raw_text")
    world.publish(setup["channel"], "seed")
    await eventually(lambda: got == ["seed"])
    calls = len(world.sent(functions.users.GetUsersRequest))
    world.set_online(setup["me"], False)  # reconnects wait while the network is down
    assert world.drop_connection(setup["me"]) == 1
    world.publish(setup["channel"], "lost during the outage")
    await asyncio.sleep(0.05)
    assert len(world.sent(functions.users.GetUsersRequest)) == calls and got == ["seed"]
    world.set_online(setup["me"], True)
    await eventually(lambda: len(world.sent(functions.users.GetUsersRequest)) > calls)
    world.publish(setup["channel"], "after reconnect")
    await eventually(lambda: len(got) == 3)
    assert sorted(got[1:]) == ["after reconnect", "lost during the outage"]
    assert world.sent(functions.updates.GetChannelDifferenceRequest)


async def test_drop_connection_without_auto_reconnect_disconnects(
    world: FakeTelegram, clients: ClientFactory, setup: dict[str, int]
) -> None:
    client = await clients(setup["me"], auto_reconnect=False)
    world.drop_connection()
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(client.disconnected, 3)
    assert not client.is_connected()
    await client.disconnect()
    world.set_online(setup["me"], False)
    with pytest.raises(ConnectionError):
        await client.connect()
    world.set_online(setup["me"], True)
    await client.connect()
    assert (await client.get_me()).id == setup["me"]


async def test_limiter_answers_flood_wait_for_two_messages_to_one_chat(
    setup: dict[str, int], world: FakeTelegram, clients: ClientFactory
) -> None:
    clock = ManualClock()
    world.limiter = BotLimiter(clock)
    world.send_private(setup["sub"], setup["bot"], "/start")
    bot = await clients(setup["bot"], flood_sleep_threshold=0)
    await bot.send_message(setup["sub"], "one")
    clock.advance(0.4)
    with pytest.raises(FloodWaitError) as caught:
        await bot.send_message(setup["sub"], "two")
    assert caught.value.seconds == 1
    clock.advance(0.7)
    await bot.send_message(setup["sub"], "two")
    assert world.limiter.sent[setup["sub"]] == 2 and world.limiter.flood_waits == 1
    assert [m.message for m in world.private_messages(setup["sub"], setup["bot"])][1:] == [
        "one",
        "two",
    ]


def test_limiter_allows_thirty_per_second_overall() -> None:
    clock = ManualClock()
    limiter = BotLimiter(clock)
    assert [limiter.admit(chat) for chat in range(30)] == [0] * 30
    assert limiter.admit(30) == 1
    clock.advance(1.0)
    assert limiter.admit(30) == 0
    assert limiter.flood_waits_per_chat == {30: 1} and sum(limiter.sent.values()) == 31


def test_hooks_this_harness_relies_on_still_exist(world: FakeTelegram) -> None:
    low, high = SUPPORTED_TELETHON
    assert low <= telethon_version() <= high, (
        f"Telethon {telethon.__version__} is outside the range the fake was checked on "
        f"({low}..{high}); run this suite, fix tests/fakes, then widen SUPPORTED_TELETHON"
    )
    assert missing_hooks() == []
    assert missing_client_attrs(world.client(None)) == []
