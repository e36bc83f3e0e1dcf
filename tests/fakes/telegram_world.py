"""State of the fake Telegram: users, accounts' private boxes, channels, the bot rate limiter.

Plain records plus the TL builders that show a record to one viewer (``left``, ``is_self``,
``out`` depend on who looks). No I/O and no asyncio here: ``telegram.py`` drives it.
"""

from __future__ import annotations

import bisect
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telethon.errors import RPCError, rpc_errors_dict
from telethon.tl import types
from telethon.tl.tlobject import TLObject

from .telegram_sender import RpcFail, clone

_ERROR_MESSAGES = {cls: message for message, cls in rpc_errors_dict.items()}
_EPOCH_YEAR = 1970  # a None date arrives as 1970-01-01 after the wire round trip
#: Telegram caps a history page at 100 messages (messages.getHistory docs).
MAX_PAGE = 100


@dataclass(frozen=True)
class Event:
    """One pts-carrying change in a channel or an account box (what differences replay)."""

    pts: int
    count: int
    update: TLObject
    date: datetime


@dataclass(frozen=True)
class Received:
    """One request the fake answered (or refused): for assertions in tests."""

    account: int | None
    request: TLObject

    @property
    def name(self) -> str:
        return type(self.request).__name__

    @property
    def args(self) -> dict[str, Any]:
        data = self.request.to_dict()
        data.pop("_", None)
        return data


@dataclass
class ArmedFailure:
    """A failure armed by ``fail_next``: the next ``times`` matching requests get it."""

    request_type: type
    code: int
    message: str
    times: int
    account: int | None


class Failures:
    """Failures armed by ``FakeTelegram.fail_next``, raised as the fake's RPC answers."""

    def __init__(self) -> None:
        self.armed: list[ArmedFailure] = []

    def arm(
        self,
        request_type: type,
        error: type[RPCError] | str | None,
        *,
        seconds: int | None,
        code: int | None,
        times: int,
        account: int | None,
    ) -> None:
        if seconds is not None:
            message, default_code = f"FLOOD_WAIT_{seconds}", 420
        elif isinstance(error, type):
            if error not in _ERROR_MESSAGES:
                raise ValueError(f"{error.__name__} has no fixed RPC message; pass the string")
            message, default_code = _ERROR_MESSAGES[error], error.code or 400
        elif isinstance(error, str):
            message, default_code = error, 400
        else:
            raise ValueError("fail_next needs error= (class or RPC message) or seconds=")
        failure = ArmedFailure(request_type, code or default_code, message, times, account)
        self.armed.append(failure)

    def raise_armed(self, request: TLObject, account: int | None) -> None:
        for armed in self.armed:
            if isinstance(request, armed.request_type) and armed.account in (None, account):
                armed.times -= 1
                if armed.times <= 0:
                    self.armed.remove(armed)
                raise RpcFail(armed.code, armed.message)


@dataclass
class UserRec:
    id: int
    access_hash: int
    first_name: str
    username: str | None = None
    phone: str | None = None
    bot: bool = False
    token: str | None = None
    deactivated: bool = False
    blocked_bots: set[int] = field(default_factory=set)
    #: the user's app language (IETF tag, e.g. "uk", "pt-br"); Telegram shows it to bots only
    lang_code: str | None = None


@dataclass
class Account:
    """A user's private update box: its own pts, its own message ids (ids are per account)."""

    user_id: int
    pts: int = 1
    online: bool = True
    next_id: int = 1
    log: list[Event] = field(default_factory=list)
    box: dict[int, types.Message] = field(default_factory=dict)
    #: my message id -> (other account, its message id): the two copies of one private message
    links: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: users this account has a private chat with (a bot may only write to these)
    chats: set[int] = field(default_factory=set)
    #: random_id -> (peer id, message id, pts) of what this account sent with it: Telegram
    #: keeps one message per random_id and answers a repeat with it
    random_ids: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def add_event(self, update: TLObject, date: datetime, count: int = 1) -> int:
        self.pts += count
        self.log.append(Event(self.pts, count, update, date))
        return self.pts


@dataclass
class ChannelRec:
    id: int
    access_hash: int
    title: str
    date: datetime
    username: str | None = None
    megagroup: bool = False
    private: bool = False
    pts: int = 1
    next_id: int = 1
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    banned: set[int] = field(default_factory=set)
    messages: dict[int, types.Message] = field(default_factory=dict)
    deleted: set[int] = field(default_factory=set)
    #: ids not deleted, ascending: history pages are cut from it with bisect (benches page
    #: through tens of thousands of posts)
    live_ids: list[int] = field(default_factory=list)
    log: list[Event] = field(default_factory=list)

    def add_event(self, update: TLObject, date: datetime, count: int = 1) -> int:
        self.pts += count
        self.log.append(Event(self.pts, count, update, date))
        return self.pts

    def top(self) -> types.Message | None:
        """The newest message not deleted (what a Dialog's ``top_message`` names)."""
        return self.messages[self.live_ids[-1]] if self.live_ids else None

    def can_read(self, account: int) -> bool:
        return account not in self.banned and (not self.private or account in self.members)


class ManualClock:
    """A clock tests advance by hand, for the limiter: no real sleeping."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class BotLimiter:
    """Telegram's bot limits, enforced by the fake: a FloodWait when a bot sends too fast.

    Numbers from Telegram's Bot FAQ ("My bot is hitting limits, how do I avoid this?"):
    about 30 messages per second overall, no more than one message per second to one chat.
    The same FAQ: no more than 20 messages per minute to one group (``group=True``); the
    times of messages to groups are kept in ``group_times`` for tests to inspect.
    A refused message does not count as sent.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        overall_per_second: int = 30,
        per_chat_interval: float = 1.0,
        group_per_minute: int = 20,
    ) -> None:
        self.clock = clock
        self.overall_per_second = overall_per_second
        self.per_chat_interval = per_chat_interval
        self.group_per_minute = group_per_minute
        self.sent: Counter[int] = Counter()
        self.flood_waits = 0
        self.flood_waits_per_chat: Counter[int] = Counter()
        self.group_times: dict[int, list[float]] = {}
        self._recent: deque[float] = deque()
        self._last: dict[int, float] = {}

    def admit(self, chat_id: int, *, group: bool = False) -> int:
        """0 if a message to ``chat_id`` may go now (and count it), else the seconds to wait."""
        now = self.clock()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        waits = []
        last = self._last.get(chat_id)
        if last is not None and now - last < self.per_chat_interval:
            waits.append(last + self.per_chat_interval - now)
        if len(self._recent) >= self.overall_per_second:
            waits.append(self._recent[0] + 1.0 - now)
        minute = [t for t in self.group_times.get(chat_id, ()) if now - t < 60.0]
        if group and len(minute) >= self.group_per_minute:
            waits.append(minute[0] + 60.0 - now)
        if waits:
            self.flood_waits += 1
            self.flood_waits_per_chat[chat_id] += 1
            return max(1, math.ceil(max(waits)))
        self._recent.append(now)
        self._last[chat_id] = now
        self.sent[chat_id] += 1
        if group:
            self.group_times.setdefault(chat_id, []).append(now)
        return 0


def user_tl(user: UserRec, viewer: int | None, *, for_bot: bool = False) -> types.User:
    """A ``User`` as ``viewer`` sees it (``is_self``, phone only for oneself, ``lang_code``
    only for bots: Telegram tells bots the language of the people writing to them)."""
    is_self = viewer == user.id
    return types.User(
        id=user.id,
        is_self=is_self,
        bot=user.bot or None,
        # `bot` and `bot_info_version` share one TL flag: set both or neither.
        bot_info_version=1 if user.bot else None,
        deleted=user.deactivated or None,
        access_hash=user.access_hash,
        first_name=user.first_name,
        username=user.username,
        phone=user.phone if is_self else None,
        lang_code=user.lang_code if for_bot else None,
    )


def channel_tl(channel: ChannelRec, viewer: int | None) -> types.Channel:
    """A ``Channel`` with its access_hash, which the MessageBox needs to fetch differences."""
    admin = viewer in channel.admins
    rights = types.ChatAdminRights(post_messages=True, edit_messages=True, delete_messages=True)
    return types.Channel(
        id=channel.id,
        title=channel.title,
        photo=types.ChatPhotoEmpty(),
        date=channel.date,
        broadcast=not channel.megagroup or None,
        megagroup=channel.megagroup or None,
        access_hash=channel.access_hash,
        username=channel.username,
        left=viewer not in channel.members,
        admin_rights=rights if admin else None,
    )


def as_seen(message: types.Message, *, out: bool) -> types.Message:
    """A copy of a stored channel message with ``out`` set for one viewer."""
    copy = clone(message)
    copy.out = out or None
    return copy


def channel_post(
    channel: ChannelRec,
    msg_id: int,
    text: str,
    date: datetime,
    *,
    entities: list[TLObject] | None = None,
    views: int | None = 1,
    grouped_id: int | None = None,
    media: TLObject | None = None,
    reply_markup: TLObject | None = None,
    reply_to: int | None = None,
    from_user: int | None = None,
) -> types.Message:
    """A broadcast post: ``post=True``, no ``from_id`` (channels post as themselves); in a
    megagroup, a member's message: ``from_id`` names them."""
    return types.Message(
        id=msg_id,
        peer_id=types.PeerChannel(channel.id),
        date=date,
        message=text,
        from_id=types.PeerUser(from_user) if from_user is not None else None,
        post=not channel.megagroup or None,
        entities=entities or None,
        # `views` and `forwards` share one TL flag: set both or neither.
        views=views,
        forwards=0 if views is not None else None,
        grouped_id=grouped_id,
        media=media,
        reply_markup=reply_markup,
        reply_to=types.MessageReplyHeader(reply_to_msg_id=reply_to) if reply_to else None,
    )


def _edited_fields(
    msg: types.Message, text: str | None, entities: list[TLObject] | None
) -> tuple[str, list[TLObject] | None]:
    """``text=None`` edits only the markup: text and entities stay."""
    if text is None:
        return msg.message, msg.entities if entities is None else (entities or None)
    return text, entities or None


def raise_if_unchanged(
    msg: types.Message, text: str | None, entities: list[TLObject] | None, markup: TLObject | None
) -> None:
    """Telegram refuses an edit that changes nothing: 400 MESSAGE_NOT_MODIFIED."""
    new_text, new_entities = _edited_fields(msg, text, entities)
    same_markup = markup is None or (
        msg.reply_markup is not None and bytes(markup) == bytes(msg.reply_markup)
    )
    if new_text == msg.message and new_entities == msg.entities and same_markup:
        raise RpcFail(400, "MESSAGE_NOT_MODIFIED")


def apply_edit(
    msg: types.Message,
    text: str | None,
    entities: list[TLObject] | None,
    markup: TLObject | None,
    when: datetime,
) -> None:
    msg.message, msg.entities = _edited_fields(msg, text, entities)
    msg.edit_date = when
    if markup is not None:
        msg.reply_markup = markup


def history_page(asc: list[int], date_of: Callable[[int], datetime], req: Any) -> list[int]:
    """The ids messages.getHistory answers, newest first, from ascending ``asc`` ids.

    ``offset_id`` is exclusive; a negative ``add_offset`` (Telethon's reverse paging) may
    reach past the newest message, so both ends are clamped. Telethon never sends
    ``min_id``/``max_id`` (it stops locally) but product code calling the request may.
    """
    lo = bisect.bisect_right(asc, req.min_id)
    hi = bisect.bisect_left(asc, req.max_id) if req.max_id else len(asc)
    hi = max(lo, hi)
    if req.offset_id:
        base = hi - min(hi, max(lo, bisect.bisect_left(asc, req.offset_id)))
    elif req.offset_date and req.offset_date.year > _EPOCH_YEAR:
        base = sum(1 for i in asc[lo:hi] if date_of(i) >= req.offset_date)
    else:
        base = 0
    first = base + req.add_offset
    start, end = max(0, first), max(0, first + min(max(req.limit, 0), MAX_PAGE))
    return asc[max(lo, hi - end) : max(lo, hi - start)][::-1]


def command_entities(text: str) -> list[TLObject] | None:
    """Telegram marks a leading ``/command`` with a bot_command entity; so does the fake."""
    if not text.startswith("/"):
        return None
    head = text.split(maxsplit=1)[0]
    return [types.MessageEntityBotCommand(offset=0, length=len(head))]
