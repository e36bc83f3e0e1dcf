"""An in-process fake Telegram that the REAL ``telethon.TelegramClient`` talks to, offline.

Why: the watcher and the alerts bot must be tested without a network. Mocking
``TelegramClient`` would test nothing of Telethon; instead this world answers real
``telethon.tl.types`` objects and raises real Telethon errors through a fake sender
(``telegram_sender.py``), so pts bookkeeping, gaps, differences, FloodWait handling, event
builders and ``iter_messages`` paging all run as in production. See
``/work/shared/TELETHON_FAKE.md`` for the hook and the Telegram semantics it copies.

Shape: ``FakeTelegram`` holds the state (records in ``telegram_world.py``) and offers
set-up (``add_user``, ``add_bot``, ``add_channel``, ``client``/``attach``/``install``),
world actions that push updates to connected members (``publish``, ``publish_many``,
``edit``, ``delete``, ``send_private``, ``say_in_group``, ``press_button``), failure injection
(``fail_next``, ``drop_connection``, ``set_online``, the optional ``BotLimiter``) and a
record of every request (``requests``, ``sent``). Request handlers: reading in
``telegram_handlers.py``, writing in ``telegram_sending.py``; test helpers in ``testing.py``.

Typical use::

    world = FakeTelegram()
    me = world.add_user("Watcher")                    # the first user is the viewer
    world.add_channel("Governor", username="gov_news")  # joined by the viewer
    async with connected(world, me) as client:        # a real TelegramClient
        client.add_event_handler(handler, events.NewMessage())
        world.publish("gov_news", "text")             # the handler fires
"""

from __future__ import annotations

import asyncio
import random
import string
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from telethon import TelegramClient
from telethon.client import telegrambaseclient
from telethon.crypto import AuthKey
from telethon.errors import RPCError
from telethon.sessions import StringSession
from telethon.sessions.abstract import Session
from telethon.tl import functions, types
from telethon.tl.tlobject import TLObject

from . import telegram_handlers as handlers
from . import telegram_sending as sending
from .telegram_sender import FakeSender, NotFaked, RpcFail, attach, clone
from .telegram_world import (
    Account,
    BotLimiter,
    ChannelRec,
    Failures,
    Received,
    UserRec,
    apply_edit,
    channel_post,
    channel_tl,
    command_entities,
    raise_if_unchanged,
    user_tl,
)

if TYPE_CHECKING:
    import pytest

DC_ID, DC_IP, DC_PORT = 2, "149.154.167.51", 443
API_ID, API_HASH = 1, "0" * 32
_WRAPPERS = (functions.InvokeWithLayerRequest, functions.InitConnectionRequest)
#: Requests an unauthorized key may send (everything else: 401 AUTH_KEY_UNREGISTERED).
_ANONYMOUS = (functions.help.GetConfigRequest, functions.auth.ImportBotAuthorizationRequest)

ChannelRef = int | str | ChannelRec


class FakeTelegram:
    """The world: every client attached to it shares these users, channels and messages."""

    def __init__(
        self,
        *,
        limiter: BotLimiter | None = None,
        seed: int = 0,
        remember_random_ids: bool = False,
        decode_requests: bool = True,
        latency: float = 0.0,
    ) -> None:
        self.limiter = limiter
        #: Seconds from each request to its answer (asyncio time, no network): the server
        #: acts on a request at once and its answer reaches the client this much later, as
        #: over a real link (Telegram answers a bot in ~50-200 ms from a VPS). 0: the
        #: answer comes on the loop's next turn.
        self.latency = latency
        #: ("request" | "answer", asyncio time, request), in order: what was in flight when.
        self.timeline: list[tuple[str, float, TLObject]] = []
        #: Requests reach the handlers decoded from the bytes the client serialized, as on
        #: a wire (objects the client does not share). False hands the handlers the
        #: client's own request object: the serialization still ran (and would have failed
        #: on malformed TL), only the decode is skipped; answers still make the round trip.
        #: For benches, where that decode is a third of the fake's time.
        self.decode_requests = decode_requests
        #: Telegram keeps one message per (sender, random_id): a repeated SendMessage is
        #: answered with the message already sent, not a new one. Off by default: tests
        #: written before the fake modelled it count the repeats a crash causes.
        self.remember_random_ids = remember_random_ids
        self.failures = Failures()
        self.users: dict[int, UserRec] = {}
        self.accounts: dict[int, Account] = {}
        self.channels: dict[int, ChannelRec] = {}
        self.requests: list[Received] = []
        self.not_faked: list[str] = []
        self.files: dict[int, bytes] = {}
        self.bot_commands: dict[int, list[tuple[str, str]]] = {}
        self.callback_answers: dict[int, functions.messages.SetBotCallbackAnswerRequest] = {}
        self.queries: dict[int, tuple[int, int, int]] = {}
        self.parts: dict[tuple[int, int], dict[int, bytes]] = {}
        self.viewer: int | None = None
        self.connections_lost = 0
        self._rng = random.Random(seed)
        self._keys: dict[bytes, int] = {}
        self._senders: list[FakeSender] = []
        self._now = datetime(2026, 1, 1, tzinfo=UTC)
        self._next_user_id = 1000
        self._next_channel_id = 1_500_000_000

    # -- clock and ids ------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self._now

    def tick(self) -> datetime:
        """Server time moves 1 s per event, so date comparisons in GetDifference are strict."""
        self._now += timedelta(seconds=1)
        return self._now

    def random_id(self) -> int:
        return self._rng.randrange(1, 2**62)

    # -- set-up -------------------------------------------------------------------------
    def add_user(
        self,
        first_name: str = "User",
        *,
        id: int | None = None,
        username: str | None = None,
        phone: str | None = None,
        lang_code: str | None = None,
    ) -> int:
        """A person; the first one added is the ``viewer`` (the watcher's user account).
        ``lang_code``: their app's language, which bots see in ``User.lang_code``."""
        uid = self._new_user(first_name, id, username, phone=phone, lang_code=lang_code)
        if self.viewer is None:
            self.viewer = uid
        return uid

    def add_bot(
        self, username: str, *, id: int | None = None, token: str | None = None
    ) -> tuple[int, str]:
        """A bot account and its token (``start(bot_token=...)`` signs in with it)."""
        uid = self._new_user(username, id, username, bot=True)
        secret = "".join(self._rng.choice(string.ascii_letters) for _ in range(35))
        self.users[uid].token = token or f"{uid}:{secret}"
        return uid, self.users[uid].token or ""

    def _new_user(self, name: str, uid: int | None, username: str | None, **extra: Any) -> int:
        if uid is None:
            self._next_user_id += 1
            uid = self._next_user_id
        if uid in self.users:
            raise ValueError(f"user id {uid} already exists in the fake")
        self.users[uid] = UserRec(uid, self.random_id(), name, username=username, **extra)
        self.accounts[uid] = Account(uid)
        return uid

    def add_channel(
        self,
        title: str,
        *,
        username: str | None = None,
        id: int | None = None,
        joined: bool = True,
        members: Iterable[int] = (),
        admins: Iterable[int] = (),
        megagroup: bool = False,
        private: bool = False,
    ) -> int:
        """A channel; ``joined`` makes the viewer a member (so its posts are pushed live)."""
        if id is None:
            self._next_channel_id += 1
            id = self._next_channel_id
        rec = ChannelRec(id, self.random_id(), title, self.tick(), username, megagroup, private)
        rec.members.update(members)
        rec.admins.update(admins)
        rec.members.update(rec.admins)
        if joined and self.viewer is not None:
            rec.members.add(self.viewer)
        self.channels[id] = rec
        return id

    def join(self, channel: ChannelRef, account: int) -> None:
        self.channel(channel).members.add(account)

    def leave(self, channel: ChannelRef, account: int) -> None:
        self.channel(channel).members.discard(account)

    def ban(self, channel: ChannelRef, account: int) -> None:
        """Banned: every read of the channel answers CHANNEL_PRIVATE."""
        rec = self.channel(channel)
        rec.banned.add(account)
        rec.members.discard(account)

    def block_bot(self, user: int, bot: int) -> None:
        """The user blocked the bot: its sends answer USER_IS_BLOCKED."""
        self.users[user].blocked_bots.add(bot)

    def deactivate(self, user: int) -> None:
        """The user deleted the account: sends to it answer INPUT_USER_DEACTIVATED."""
        self.users[user].deactivated = True

    def authorize(self, session: Session, account: int) -> Session:
        """Make ``session`` logged in as ``account`` (no sign-in flow needed)."""
        session.set_dc(DC_ID, DC_IP, DC_PORT)
        key = AuthKey(self.new_auth_key())
        session.auth_key = key
        self._keys[key.key] = account
        return session

    def session_for(self, account: int) -> str:
        """A StringSession string for ``account``, for product code that builds its own client."""
        return self.authorize(StringSession(), account).save()

    def client(
        self, account: int | None, *, session: Session | None = None, **kwargs: Any
    ) -> TelegramClient:
        """A real TelegramClient wired to this world; ``account=None`` means not logged in."""
        session = session if session is not None else StringSession()
        if account is not None:
            self.authorize(session, account)
        client = TelegramClient(session, API_ID, API_HASH, **kwargs)
        attach(self, client)
        return client

    def attach(self, client: TelegramClient) -> FakeSender:
        """Wire a client the product built itself (before ``connect()``)."""
        return attach(self, client)

    def sender_factory(self, auth_key: AuthKey | None, **kwargs: Any) -> FakeSender:
        """Drop-in for the ``MTProtoSender`` class (same call signature)."""
        return FakeSender(self, auth_key, **kwargs)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every TelegramClient built while installed talks to this world."""
        monkeypatch.setattr(telegrambaseclient, "MTProtoSender", self.sender_factory)

    # -- lookups ------------------------------------------------------------------------
    def channel(self, ref: ChannelRef) -> ChannelRec:
        if isinstance(ref, ChannelRec):
            return ref
        if isinstance(ref, int) and ref in self.channels:
            return self.channels[ref]
        for rec in self.channels.values():
            if isinstance(ref, str) and (rec.username or "").lower() == ref.lower().lstrip("@"):
                return rec
        raise KeyError(f"no channel {ref!r} in the fake; add it with add_channel()")

    def account_of(self, sender: FakeSender) -> int | None:
        key = sender.auth_key.key
        return self._keys.get(key) if key else None

    def bind(self, sender: FakeSender, account: int) -> None:
        """The sender's auth key now belongs to ``account`` (bot sign-in)."""
        if sender.auth_key.key:
            self._keys[sender.auth_key.key] = account

    def sent(self, request_type: type) -> list[Any]:
        """Every request of ``request_type`` the fake received, in order."""
        return [r.request for r in self.requests if isinstance(r.request, request_type)]

    def private_messages(self, account: int, peer: int) -> list[types.Message]:
        """``account``'s copy of its private chat with ``peer``, oldest first."""
        box = self.accounts[account].box
        return [
            clone(box[i]) for i in sorted(box) if getattr(box[i].peer_id, "user_id", None) == peer
        ]

    def message(self, channel: ChannelRef, msg_id: int) -> types.Message:
        """The current state of a channel message (deleted ones too: see ``is_deleted``)."""
        return clone(self.channel(channel).messages[msg_id])

    def is_deleted(self, channel: ChannelRef, msg_id: int) -> bool:
        return msg_id in self.channel(channel).deleted

    # -- the Server protocol the sender calls -------------------------------------------
    def new_auth_key(self) -> bytes:
        return self._rng.randbytes(256)

    def register(self, sender: FakeSender) -> None:
        if sender not in self._senders:
            self._senders.append(sender)

    def unregister(self, sender: FakeSender) -> None:
        if sender in self._senders:
            self._senders.remove(sender)

    def is_reachable(self, sender: FakeSender) -> bool:
        account = self.account_of(sender)
        return account is None or self.accounts[account].online

    def handle(self, sender: FakeSender, request: TLObject) -> object:
        """Answer one decoded request (what Telegram's server would do)."""
        while isinstance(request, (*_WRAPPERS, functions.InvokeWithoutUpdatesRequest)):
            if isinstance(request, functions.InvokeWithoutUpdatesRequest):
                sender.receives_updates = False
            request = request.query
        account = self.account_of(sender)
        self.requests.append(Received(account, request))
        self.timeline.append(("request", asyncio.get_running_loop().time(), request))
        self.failures.raise_armed(request, account)
        handler = handlers.HANDLERS.get(type(request))
        if handler is None:
            self.not_faked.append(type(request).__name__)
            raise NotFaked(f"the fake Telegram has no handler for {type(request).__name__}")
        if account is None and not isinstance(request, _ANONYMOUS):
            raise RpcFail(401, "AUTH_KEY_UNREGISTERED")
        return handler(self, handlers.Ctx(sender, account), request)

    def answered(self, request: TLObject) -> None:
        """The client got the answer to ``request`` (after ``latency``)."""
        self.timeline.append(("answer", asyncio.get_running_loop().time(), request))

    # -- failure injection ----------------------------------------------------------------
    def fail_next(
        self,
        request_type: type,
        error: type[RPCError] | str | None = None,
        *,
        seconds: int | None = None,
        code: int | None = None,
        times: int = 1,
        account: int | None = None,
    ) -> None:
        """Arm a failure for the next ``times`` requests of ``request_type``: ``seconds=N`` is
        FLOOD_WAIT_N (Telethon raises ``FloodWaitError(request=req, capture=N)``, so
        ``.seconds == N``); ``error`` is a Telethon error class or a raw RPC message."""
        self.failures.arm(
            request_type, error, seconds=seconds, code=code, times=times, account=account
        )

    def set_online(self, account: int, online: bool) -> None:
        """Offline: pushes to the account are dropped (the server still logs every event) and
        its reconnects wait; requests on a live connection are still answered."""
        self.accounts[account].online = online

    def drop_connection(self, account: int | None = None) -> int:
        """Kill the connections of ``account`` (or all). With auto_reconnect the client comes
        back by itself (pushes in between are lost); without it, it sees a disconnect."""
        victims = [s for s in self._senders if account in (None, self.account_of(s))]
        for sender in victims:
            sender.drop()
        self.connections_lost += len(victims)
        return len(victims)

    # -- pushes -------------------------------------------------------------------------
    def push_channel(
        self,
        channel: ChannelRec,
        updates: list[TLObject],
        origin: FakeSender | None,
        users: Iterable[int] = (),
    ) -> None:
        """Send updates to every connected, online member except the sender that caused them.
        The Channel (with its access_hash) always rides along: without it the MessageBox
        cannot fetch a difference and silently drops the channel's pts on a gap; so do the
        ``users`` the updates name (a group member who wrote)."""
        for sender in list(self._senders):
            acc = self.account_of(sender)
            if sender is origin or acc not in channel.members or not self.accounts[acc].online:
                continue
            bot = self.users[acc].bot
            shown = [user_tl(self.users[u], acc, for_bot=bot) for u in users]
            chats = [channel_tl(channel, acc)]
            sender.push(types.Updates(updates, shown, chats, self._now, seq=0))

    def push_account(
        self, account: int, update: TLObject, users: list[int], origin: FakeSender | None
    ) -> None:
        if not self.accounts[account].online:
            return
        receivers = [s for s in self._senders if s is not origin and self.account_of(s) == account]
        if not receivers:  # nobody to tell: build nothing (a bot's fan-out to offline users)
            return
        bot = self.users[account].bot
        shown = [user_tl(self.users[u], account, for_bot=bot) for u in users]
        for sender in receivers:
            sender.push(types.Updates([update], shown, [], self._now, seq=0))

    # -- world actions ------------------------------------------------------------------
    def publish(
        self,
        channel: ChannelRef,
        text: str,
        *,
        entities: list[TLObject] | None = None,
        date: datetime | None = None,
        views: int | None = 1,
        grouped_id: int | None = None,
        media: TLObject | None = None,
        origin: FakeSender | None = None,
        reply_markup: TLObject | None = None,
        reply_to: int | None = None,
        from_user: int | None = None,
    ) -> types.Message:
        """A new post; members that are connected and online get UpdateNewChannelMessage.
        ``from_user``: a megagroup member's message (``from_id`` set, the user shown)."""
        rec = self.channel(channel)
        options = {
            "entities": entities,
            "views": views,
            "grouped_id": grouped_id,
            "media": media,
            "reply_markup": reply_markup,
            "reply_to": reply_to,
            "from_user": from_user,
        }
        msg, update = self._new_post(rec, text, date, options)
        self.push_channel(rec, [update], origin, [from_user] if from_user is not None else ())
        return clone(msg)

    def say_in_group(self, group: ChannelRef, user: int, text: str) -> types.Message:
        """``user`` writes ``text`` in a megagroup they belong to; every connected member
        (a bot too) gets UpdateNewChannelMessage with ``from_id`` = the user. A leading
        ``/command`` gets its bot_command entity, as Telegram's clients mark it."""
        rec = self.channel(group)
        if not rec.megagroup:
            raise ValueError(f"{rec.title!r} is a broadcast channel: members cannot write")
        if user not in rec.members:
            raise RpcFail(403, "CHAT_WRITE_FORBIDDEN")
        return self.publish(rec, text, entities=command_entities(text), views=None,
                            from_user=user)  # fmt: skip

    def publish_many(self, channel: ChannelRef, texts: Iterable[str]) -> list[int]:
        """Plain posts pushed as ONE ``Updates`` (Telegram batches bursts too); for benches
        that need more updates per second than one push per post allows. Returns the ids."""
        rec = self.channel(channel)
        updates = [self._new_post(rec, text, None, {})[1] for text in texts]
        self.push_channel(rec, list(updates), None)
        return [u.message.id for u in updates]

    def _new_post(
        self, rec: ChannelRec, text: str, date: datetime | None, options: dict[str, Any]
    ) -> tuple[types.Message, types.UpdateNewChannelMessage]:
        when = self.tick()
        rec.next_id += 1
        msg = channel_post(rec, rec.next_id - 1, text, date or when, **options)
        rec.messages[msg.id] = msg
        rec.live_ids.append(msg.id)
        # The log keeps the stored message itself: differences read current versions anyway.
        update = types.UpdateNewChannelMessage(msg, rec.pts + 1, 1)
        rec.add_event(update, when)
        return msg, update

    def edit(
        self,
        channel: ChannelRef,
        msg_id: int,
        text: str | None,
        *,
        entities: list[TLObject] | None = None,
        reply_markup: TLObject | None = None,
        origin: FakeSender | None = None,
    ) -> types.Message:
        """Edit a post (``text=None`` keeps the text); pushes UpdateEditChannelMessage."""
        rec = self.channel(channel)
        msg = rec.messages.get(msg_id)
        if msg is None or msg_id in rec.deleted:
            raise RpcFail(400, "MESSAGE_ID_INVALID")
        raise_if_unchanged(msg, text, entities, reply_markup)
        apply_edit(msg, text, entities, reply_markup, self.tick())
        update = types.UpdateEditChannelMessage(clone(msg), rec.pts + 1, 1)
        rec.add_event(update, self._now)
        self.push_channel(rec, [update], origin)
        return clone(msg)

    def delete(
        self, channel: ChannelRef, ids: Iterable[int], *, origin: FakeSender | None = None
    ) -> int:
        """Delete posts; pushes UpdateDeleteChannelMessages. Returns the new channel pts."""
        rec = self.channel(channel)
        gone = [i for i in ids if i in rec.messages and i not in rec.deleted]
        if not gone:
            return rec.pts
        rec.deleted.update(gone)
        rec.live_ids = [i for i in rec.live_ids if i not in rec.deleted]
        update = types.UpdateDeleteChannelMessages(rec.id, gone, rec.pts + len(gone), len(gone))
        rec.add_event(update, self.tick(), len(gone))
        self.push_channel(rec, [update], origin)
        return rec.pts

    def send_private(
        self,
        from_user: int,
        to_user: int,
        text: str,
        *,
        entities: list[TLObject] | None = None,
        media: TLObject | None = None,
        reply_markup: TLObject | None = None,
        reply_to: int | None = None,
    ) -> types.Message:
        """A private message (e.g. a subscriber's ``/start`` to the bot). The receiver's
        connected clients get UpdateNewMessage. Returns the sender's copy (ids are per box;
        ``reply_to`` is an id in the sender's box)."""
        options = {"entities": entities, "media": media, "reply_markup": reply_markup}
        return clone(
            sending.deliver_private(self, from_user, to_user, text, reply_to=reply_to, **options)[0]
        )

    def press_button(self, user: int, bot: int, msg_id: int, data: bytes) -> int:
        """The user taps an inline button under the bot's message ``msg_id`` (an id in the
        bot's box); the bot's clients get UpdateBotCallbackQuery. Returns the query id."""
        return sending.callback_query(self, user, bot, msg_id, data)
