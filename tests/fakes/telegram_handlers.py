"""Request handlers of the fake Telegram (reading side): one function per TL request.

Each takes ``(world, ctx, request)`` and returns a TL object, a list (a Vector) or a bool,
or raises ``RpcFail(code, MESSAGE)`` exactly where Telegram would answer that error. The
semantics (paging of GetHistory, what differences contain) follow TELETHON_FAKE.md §2.
Writing (send, edit, upload, bot answers) is in ``telegram_sending.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telethon.tl import functions as fn
from telethon.tl import types
from telethon.tl.tlobject import TLObject

from .telegram_sender import FakeSender, RpcFail, make
from .telegram_world import ChannelRec, UserRec, channel_tl, history_page, user_tl

if TYPE_CHECKING:
    from .telegram import FakeTelegram

_USERNAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class Ctx:
    """Who is asking: the connection and the account its auth key is bound to."""

    sender: FakeSender
    account: Any  # int for every handler except the anonymous ones


Handler = Callable[["FakeTelegram", Ctx, Any], object]
HANDLERS: dict[type, Handler] = {}


def handles(request_type: type) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[request_type] = func
        return func

    return register


# -- peers ----------------------------------------------------------------------------
def channel_of(
    world: FakeTelegram, ctx: Ctx, peer: TLObject, *, read: bool = True, bot_zero: bool = False
) -> ChannelRec:
    """An InputChannel/InputPeerChannel checked like Telegram: hash, then access.

    ``bot_zero``: channels.getChannels lets a bot member pass access_hash 0 (Telethon's
    fallback in ``get_input_entity``); everywhere else a wrong hash is CHANNEL_INVALID."""
    rec = world.channels.get(getattr(peer, "channel_id", -1))
    zero_ok = bot_zero and rec is not None and is_bot(world, ctx) and ctx.account in rec.members
    if rec is None or (
        peer.access_hash != rec.access_hash and not (zero_ok and peer.access_hash == 0)
    ):
        raise RpcFail(400, "CHANNEL_INVALID")
    if read and not rec.can_read(ctx.account):
        raise RpcFail(400, "CHANNEL_PRIVATE")
    return rec


def user_of(world: FakeTelegram, ctx: Ctx, peer: TLObject) -> UserRec:
    """An InputUser/InputPeerUser; bots may pass access_hash 0 (Telethon's fallback)."""
    if isinstance(peer, (types.InputPeerSelf, types.InputUserSelf)):
        return world.users[ctx.account]
    rec = world.users.get(getattr(peer, "user_id", -1))
    if rec is None:
        raise RpcFail(400, "PEER_ID_INVALID")
    is_bot = world.users[ctx.account].bot
    if peer.access_hash != rec.access_hash and not (is_bot and peer.access_hash == 0):
        raise RpcFail(400, "USER_ID_INVALID")
    return rec


def peer_of(world: FakeTelegram, ctx: Ctx, peer: TLObject, *, read: bool = True) -> Any:
    if isinstance(peer, (types.InputPeerChannel, types.InputChannel)):
        return channel_of(world, ctx, peer, read=read)
    if isinstance(peer, (types.InputPeerUser, types.InputUser, types.InputPeerSelf)):
        return user_of(world, ctx, peer)
    raise RpcFail(400, "PEER_ID_INVALID")


def is_bot(world: FakeTelegram, ctx: Ctx) -> bool:
    return world.users[ctx.account].bot


def updates_now(
    world: FakeTelegram,
    updates: list[TLObject],
    users: Sequence[TLObject] = (),
    chats: Sequence[TLObject] = (),
) -> types.Updates:
    """An ``Updates`` answer stamped with the server's current time (seq 0: not sequenced)."""
    return types.Updates(list(updates), list(users), list(chats), world.now, seq=0)


# -- connection, login, state ---------------------------------------------------------
@handles(fn.help.GetConfigRequest)
def get_config(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    return make(
        types.Config,
        date=world.now,
        expires=world.now + timedelta(hours=1),
        this_dc=2,
        dc_options=[types.DcOption(id=2, ip_address="149.154.167.51", port=443)],
        dc_txt_domain_name="fake.telegram.invalid",
        me_url_prefix="https://t.me/",
        message_length_max=4096,
        caption_length_max=1024,
    )


@handles(fn.auth.ImportBotAuthorizationRequest)
def import_bot_authorization(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    bot = next((u for u in world.users.values() if u.bot and u.token == req.bot_auth_token), None)
    if bot is None:
        raise RpcFail(400, "ACCESS_TOKEN_INVALID")
    world.bind(ctx.sender, bot.id)
    return types.auth.Authorization(user=user_tl(bot, bot.id))


@handles(fn.users.GetUsersRequest)
def get_users(world: FakeTelegram, ctx: Ctx, req: Any) -> list[TLObject]:
    found = []
    for peer in req.id:
        try:
            user = user_of(world, ctx, peer)
            found.append(user_tl(user, ctx.account, for_bot=is_bot(world, ctx)))
        except RpcFail:
            continue  # Telegram leaves unknown users out of the vector
    return found


@handles(fn.updates.GetStateRequest)
def get_state(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    return _state(world, ctx)


def _state(world: FakeTelegram, ctx: Ctx) -> types.updates.State:
    pts = world.accounts[ctx.account].pts
    return types.updates.State(pts=pts, qts=0, date=world.now, seq=0, unread_count=0)


@handles(fn.updates.GetDifferenceRequest)
def get_difference(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    """Own box events after ``pts``, plus UpdateChannelTooLong for each joined channel with
    activity after ``date`` (so the MessageBox asks GetChannelDifference for it)."""
    acc = world.accounts[ctx.account]
    new_messages, other, peers = [], [], set()
    for event in acc.log:
        if event.pts <= req.pts:
            continue
        if isinstance(event.update, types.UpdateNewMessage):
            msg = acc.box[event.update.message.id]
            new_messages.append(msg)
            peers.add(msg.peer_id.user_id)
        else:
            other.append(event.update)
    chats = []
    for rec in world.channels.values():
        if ctx.account in rec.members and any(e.date > req.date for e in rec.log):
            other.append(types.UpdateChannelTooLong(rec.id, pts=rec.pts))
            chats.append(channel_tl(rec, ctx.account))
    if not new_messages and not other:
        return types.updates.DifferenceEmpty(date=world.now, seq=0)
    users = [user_tl(world.users[u], ctx.account) for u in sorted(peers)]
    return types.updates.Difference(new_messages, [], other, chats, users, _state(world, ctx))


@handles(fn.updates.GetChannelDifferenceRequest)
def get_channel_difference(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    """Empty, a difference (current versions of new posts, edits/deletes as other_updates),
    or TooLong when more than ``limit`` events were missed."""
    rec = channel_of(world, ctx, req.channel)
    chats = [channel_tl(rec, ctx.account)]
    missed = [e for e in rec.log if e.pts > req.pts]
    if not missed:
        return types.updates.ChannelDifferenceEmpty(pts=rec.pts, final=True)
    if len(missed) > req.limit:
        top = rec.top()
        dialog = _dialog(rec)
        tops = [top] if top else []
        return types.updates.ChannelDifferenceTooLong(dialog, tops, chats, [], final=True)
    new_ids = [
        e.update.message.id for e in missed if isinstance(e.update, types.UpdateNewChannelMessage)
    ]
    new_messages = [rec.messages[i] for i in new_ids if i not in rec.deleted]
    other = [
        e.update
        for e in missed
        if not isinstance(e.update, types.UpdateNewChannelMessage)
        and getattr(getattr(e.update, "message", None), "id", None) not in new_ids
    ]
    return types.updates.ChannelDifference(rec.pts, new_messages, other, chats, [], final=True)


def _dialog(rec: ChannelRec) -> types.Dialog:
    """A channel's Dialog: ``pts`` is what ``iter_dialogs`` seeds the MessageBox with."""
    top = rec.top()
    return make(
        types.Dialog,
        peer=types.PeerChannel(rec.id),
        top_message=top.id if top else 0,
        notify_settings=types.PeerNotifySettings(),
        pts=rec.pts,
    )


# -- entities -------------------------------------------------------------------------
@handles(fn.contacts.ResolveUsernameRequest)
def resolve_username(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    name = req.username.lower()
    valid = 5 <= len(name) <= 32 and name[0].isalpha() and not name.endswith("_")
    if not valid or not set(name) <= _USERNAME_OK:
        raise RpcFail(400, "USERNAME_INVALID")
    for rec in world.channels.values():
        if (rec.username or "").lower() == name:
            chat = channel_tl(rec, ctx.account)
            return types.contacts.ResolvedPeer(types.PeerChannel(rec.id), [chat], [])
    for user in world.users.values():
        if (user.username or "").lower() == name:
            shown = user_tl(user, ctx.account)
            return types.contacts.ResolvedPeer(types.PeerUser(user.id), [], [shown])
    raise RpcFail(400, "USERNAME_NOT_OCCUPIED")


@handles(fn.channels.GetChannelsRequest)
def get_channels(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    recs = [channel_of(world, ctx, c, read=False, bot_zero=True) for c in req.id]
    return types.messages.Chats([channel_tl(r, ctx.account) for r in recs])


@handles(fn.channels.GetFullChannelRequest)
def get_fullchannel_of(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    rec = channel_of(world, ctx, req.channel)
    full = make(
        types.ChannelFull,
        id=rec.id,
        about="",
        chat_photo=types.PhotoEmpty(id=0),
        notify_settings=types.PeerNotifySettings(),
        pts=rec.pts,
        participants_count=len(rec.members),
    )
    return types.messages.ChatFull(full, [channel_tl(rec, ctx.account)], [])


@handles(fn.channels.GetParticipantRequest)
def get_participant(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    """What ``client.get_permissions(group, user)`` asks: the user's role in a channel or
    megagroup (admins as ChannelParticipantAdmin, so ``is_admin`` holds)."""
    rec = channel_of(world, ctx, req.channel)
    user = user_of(world, ctx, req.participant)
    if user.id not in rec.members:
        raise RpcFail(400, "USER_NOT_PARTICIPANT")
    if user.id in rec.admins:
        rights = types.ChatAdminRights(change_info=True, delete_messages=True, ban_users=True)
        participant: TLObject = types.ChannelParticipantAdmin(
            user.id, promoted_by=user.id, date=rec.date, admin_rights=rights
        )
    else:
        participant = types.ChannelParticipant(user.id, rec.date)
    shown = [user_tl(user, ctx.account, for_bot=is_bot(world, ctx))]
    return types.channels.ChannelParticipant(participant, [channel_tl(rec, ctx.account)], shown)


@handles(fn.channels.JoinChannelRequest)
def joinchannel_of(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    rec = channel_of(world, ctx, req.channel)
    rec.members.add(ctx.account)
    return updates_now(world, [], chats=[channel_tl(rec, ctx.account)])


@handles(fn.channels.LeaveChannelRequest)
def leavechannel_of(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    rec = channel_of(world, ctx, req.channel, read=False)
    rec.members.discard(ctx.account)
    return updates_now(world, [], chats=[channel_tl(rec, ctx.account)])


@handles(fn.messages.GetDialogsRequest)
def get_dialogs(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    """Joined channels with their pts (how ``iter_dialogs`` seeds the MessageBox)."""
    dialogs, tops, chats = [], [], []
    for rec in world.channels.values():
        if ctx.account not in rec.members:
            continue
        dialogs.append(_dialog(rec))
        tops.extend([top] if (top := rec.top()) else [])
        chats.append(channel_tl(rec, ctx.account))
    return types.messages.Dialogs(dialogs, tops, chats, [])


# -- reading messages -----------------------------------------------------------------
@handles(fn.messages.GetHistoryRequest)
def get_history(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    """A page newest first: ``ChannelMessages`` for channels (a plain ``Messages`` would make
    ``iter_messages`` stop after one page), ``MessagesSlice`` for private chats."""
    if is_bot(world, ctx):
        raise RpcFail(400, "BOT_METHOD_INVALID")
    target = peer_of(world, ctx, req.peer)
    if isinstance(target, ChannelRec):
        ids = history_page(target.live_ids, lambda i: target.messages[i].date, req)
        page = [target.messages[i] for i in ids]
        chats = [channel_tl(target, ctx.account)]
        total = len(target.live_ids)
        return types.messages.ChannelMessages(target.pts, total, page, [], chats, [])
    box = world.accounts[ctx.account].box
    asc = sorted(i for i, m in box.items() if m.peer_id.user_id == target.id)
    page = [box[i] for i in history_page(asc, lambda i: box[i].date, req)]
    users = [user_tl(target, ctx.account)]
    return types.messages.MessagesSlice(len(asc), page, [], [], users)


@handles(fn.channels.GetMessagesRequest)
def get_channel_messages(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    rec = channel_of(world, ctx, req.channel)
    found: list[TLObject] = []
    for wanted in req.id:
        mid = getattr(wanted, "id", None)
        msg = rec.messages.get(mid) if mid is not None else None
        if msg is None or mid in rec.deleted:
            found.append(types.MessageEmpty(id=mid or 0, peer_id=types.PeerChannel(rec.id)))
        else:
            found.append(msg)
    chats = [channel_tl(rec, ctx.account)]
    return types.messages.ChannelMessages(rec.pts, len(found), found, [], chats, [])


@handles(fn.messages.GetMessagesRequest)
def get_private_messages(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    box = world.accounts[ctx.account].box
    found = [
        box.get(getattr(w, "id", 0)) or types.MessageEmpty(id=getattr(w, "id", 0)) for w in req.id
    ]
    peers = {m.peer_id.user_id for m in found if isinstance(m, types.Message)}
    users = [user_tl(world.users[u], ctx.account) for u in sorted(peers)]
    return types.messages.Messages(found, [], [], users)
