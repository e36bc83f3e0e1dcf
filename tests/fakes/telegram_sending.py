"""Request handlers of the fake Telegram (writing side) and the private-chat bookkeeping.

Sending, editing, uploading photos and answering callback queries, for bots and users, with
the checks Telegram makes (bots cannot start conversations, blocked and deleted users, admin
rights in channels) and the optional ``BotLimiter``. Answers are shaped as TELETHON_FAKE.md
§2/§5 says, e.g. ``UpdateShortSentMessage`` for private text, ``Updates`` with
``UpdateMessageID`` otherwise (without it ``send_message`` would return None).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telethon.tl import functions as fn
from telethon.tl import types
from telethon.tl.tlobject import TLObject

from .telegram_handlers import Ctx, channel_of, handles, is_bot, peer_of, updates_now
from .telegram_sender import FakeSender, RpcFail, clone
from .telegram_world import (
    ChannelRec,
    UserRec,
    apply_edit,
    as_seen,
    channel_tl,
    command_entities,
    raise_if_unchanged,
    user_tl,
)

if TYPE_CHECKING:
    from .telegram import FakeTelegram


def _admit(world: FakeTelegram, ctx: Ctx, chat_id: int, *, group: bool = False) -> None:
    if world.limiter is not None and is_bot(world, ctx):
        wait = world.limiter.admit(chat_id, group=True) if group else world.limiter.admit(chat_id)
        if wait:
            raise RpcFail(420, f"FLOOD_WAIT_{wait}")


def _check_can_message(world: FakeTelegram, ctx: Ctx, user: UserRec) -> None:
    if user.deactivated:
        raise RpcFail(400, "INPUT_USER_DEACTIVATED")
    if ctx.account in user.blocked_bots:
        raise RpcFail(400, "USER_IS_BLOCKED")
    if is_bot(world, ctx) and user.id not in world.accounts[ctx.account].chats:
        raise RpcFail(400, "PEER_ID_INVALID")  # bots cannot start conversations


def _check_can_post(ctx: Ctx, rec: ChannelRec) -> None:
    if ctx.account not in rec.admins and not (rec.megagroup and ctx.account in rec.members):
        raise RpcFail(403, "CHAT_WRITE_FORBIDDEN")


def _repeat(world: FakeTelegram, ctx: Ctx, target: Any, req: Any) -> TLObject | None:
    """A random_id this account already sent with: Telegram answers with the message it
    already has (UpdateMessageID naming it, pts_count=0), not a second message; with
    another chat, RANDOM_ID_DUPLICATE. None: a new random_id (or the world forgets them)."""
    seen = world.accounts[ctx.account].random_ids.get(req.random_id)
    if not world.remember_random_ids or seen is None:
        return None
    peer, msg_id, pts = seen
    if peer != target.id:
        raise RpcFail(500, "RANDOM_ID_DUPLICATE")
    new_id = types.UpdateMessageID(msg_id, req.random_id)
    if isinstance(target, ChannelRec):
        msg = as_seen(target.messages[msg_id], out=True)
        update: TLObject = types.UpdateNewChannelMessage(msg, pts, 0)
        return updates_now(world, [new_id, update], chats=[channel_tl(target, ctx.account)])
    msg = clone(world.accounts[ctx.account].box[msg_id])
    users = [user_tl(target, ctx.account)]
    return updates_now(world, [new_id, types.UpdateNewMessage(msg, pts, 0)], users=users)


def _send(world: FakeTelegram, ctx: Ctx, req: Any, media: TLObject | None) -> TLObject:
    """Common to SendMessage and SendMedia: checks, limiter, store, push, answer."""
    target = peer_of(world, ctx, req.peer)
    repeated = _repeat(world, ctx, target, req)
    if repeated is not None:
        return repeated
    answer = _send_new(world, ctx, req, media, target)
    sent = answer.id if isinstance(answer, types.UpdateShortSentMessage) else answer.updates[0].id
    pts = answer.pts if isinstance(answer, types.UpdateShortSentMessage) else answer.updates[1].pts
    world.accounts[ctx.account].random_ids[req.random_id] = (target.id, sent, pts)
    return answer


def _send_new(
    world: FakeTelegram, ctx: Ctx, req: Any, media: TLObject | None, target: Any
) -> TLObject:
    text = req.message or ""
    options: dict[str, Any] = {
        "entities": req.entities or [],
        "media": media,
        "reply_markup": getattr(req, "reply_markup", None),
        "reply_to": getattr(req.reply_to, "reply_to_msg_id", None),
        "origin": ctx.sender,
    }
    new_id = types.UpdateMessageID
    if isinstance(target, ChannelRec):
        _check_can_post(ctx, target)
        _admit(world, ctx, target.id, group=target.megagroup)
        if target.megagroup:  # a member writes as themselves, not as the channel
            options.update(from_user=ctx.account, views=None)
        msg = world.publish(target, text, **options)
        update = types.UpdateNewChannelMessage(as_seen(msg, out=True), target.pts, 1)
        chats = [channel_tl(target, ctx.account)]
        return updates_now(world, [new_id(msg.id, req.random_id), update], chats=chats)
    _check_can_message(world, ctx, target)
    _admit(world, ctx, target.id)
    msg, pts = deliver_private(world, ctx.account, target.id, text, **options)
    if media is None:
        entities = req.entities
        return types.UpdateShortSentMessage(msg.id, pts, 1, msg.date, out=True, entities=entities)
    update = types.UpdateNewMessage(msg, pts, 1)
    users = [user_tl(target, ctx.account)]
    return updates_now(world, [new_id(msg.id, req.random_id), update], users=users)


@handles(fn.messages.SendMessageRequest)
def send_message(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    return _send(world, ctx, req, None)


@handles(fn.messages.SendMediaRequest)
def send_media(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    return _send(world, ctx, req, _stored_media(world, ctx, req.media))


@handles(fn.messages.UploadMediaRequest)
def upload_media(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    return _stored_media(world, ctx, req.media)


def _stored_media(world: FakeTelegram, ctx: Ctx, media: TLObject) -> TLObject:
    """An uploaded photo becomes a Photo whose bytes the world keeps (``world.files``)."""
    if isinstance(media, types.InputMediaPhoto):
        photo_id = media.id.id
        if photo_id not in world.files:
            raise RpcFail(400, "MEDIA_INVALID")
        return types.MessageMediaPhoto(photo=_photo(world, photo_id))
    if not isinstance(media, types.InputMediaUploadedPhoto):
        raise RpcFail(400, "MEDIA_INVALID")  # the fake stores photos only
    parts = world.parts.pop((ctx.account, media.file.id), None)
    if not parts or len(parts) != media.file.parts:
        raise RpcFail(400, "FILE_PARTS_INVALID")
    photo_id = world.random_id()
    world.files[photo_id] = b"".join(parts[i] for i in sorted(parts))
    return types.MessageMediaPhoto(photo=_photo(world, photo_id))


def _photo(world: FakeTelegram, photo_id: int) -> types.Photo:
    size = types.PhotoSize(type="x", w=800, h=600, size=len(world.files[photo_id]))
    return types.Photo(photo_id, photo_id // 7, b"", world.now, [size], dc_id=2)


@handles(fn.upload.SaveFilePartRequest)
def save_file_part(world: FakeTelegram, ctx: Ctx, req: Any) -> bool:
    world.parts.setdefault((ctx.account, req.file_id), {})[req.file_part] = req.bytes
    return True


@handles(fn.upload.SaveBigFilePartRequest)
def save_big_file_part(world: FakeTelegram, ctx: Ctx, req: Any) -> bool:
    return bool(save_file_part(world, ctx, req))


@handles(fn.messages.EditMessageRequest)
def edit_message(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    target = peer_of(world, ctx, req.peer)
    if isinstance(target, ChannelRec):
        if ctx.account not in target.admins:
            raise RpcFail(403, "MESSAGE_AUTHOR_REQUIRED")
        msg = world.edit(
            target,
            req.id,
            req.message,
            entities=req.entities,
            reply_markup=req.reply_markup,
            origin=ctx.sender,
        )
        update = types.UpdateEditChannelMessage(as_seen(msg, out=True), target.pts, 1)
        return updates_now(world, [update], chats=[channel_tl(target, ctx.account)])
    msg, pts = edit_private(
        world,
        ctx.account,
        req.id,
        req.message,
        entities=req.entities,
        reply_markup=req.reply_markup,
        origin=ctx.sender,
    )
    update = types.UpdateEditMessage(msg, pts, 1)
    return updates_now(world, [update], users=[user_tl(target, ctx.account)])


@handles(fn.channels.DeleteMessagesRequest)
def delete_channel_messages(world: FakeTelegram, ctx: Ctx, req: Any) -> TLObject:
    rec = channel_of(world, ctx, req.channel)
    if ctx.account not in rec.admins:
        raise RpcFail(403, "MESSAGE_DELETE_FORBIDDEN")
    before = rec.pts
    pts = world.delete(rec, req.id, origin=ctx.sender)
    return types.messages.AffectedMessages(pts, pts - before)


# -- bot specifics --------------------------------------------------------------------
@handles(fn.bots.SetBotCommandsRequest)
def set_bot_commands(world: FakeTelegram, ctx: Ctx, req: Any) -> bool:
    if not is_bot(world, ctx):
        raise RpcFail(400, "USER_BOT_REQUIRED")
    world.bot_commands[ctx.account] = [(c.command, c.description) for c in req.commands]
    return True


@handles(fn.messages.SetBotCallbackAnswerRequest)
def set_bot_callback_answer(world: FakeTelegram, ctx: Ctx, req: Any) -> bool:
    query = world.queries.get(req.query_id)
    if query is None or query[1] != ctx.account:
        raise RpcFail(400, "QUERY_ID_INVALID")
    world.callback_answers[req.query_id] = req
    return True


# -- private chats ---------------------------------------------------------------------
def deliver_private(
    world: FakeTelegram,
    from_user: int,
    to_user: int,
    text: str,
    *,
    entities: list[TLObject] | None = None,
    media: TLObject | None = None,
    reply_markup: TLObject | None = None,
    reply_to: int | None = None,
    origin: FakeSender | None = None,
) -> tuple[types.Message, int]:
    """A private message: one copy per account (ids are per box, so ``reply_to``, an id in
    the sender's box, is mapped for the receiver). Returns the sender's stored copy (the
    world's own object: clone it before handing it out) and its pts; the receiver's
    connected clients get UpdateNewMessage. The event log keeps the stored message itself,
    as channels do: what leaves the world goes through the wire format anyway."""
    entities = entities or command_entities(text)  # Telegram marks /commands server-side
    when = world.tick()
    copies: dict[int, tuple[types.Message, int]] = {}
    their_reply = world.accounts[from_user].links.get(reply_to or 0, (0, None))[1]
    for owner, peer, out in ((from_user, to_user, True), (to_user, from_user, False)):
        acc = world.accounts[owner]
        reply_id = reply_to if out else their_reply
        msg = types.Message(
            id=acc.take_id(),
            peer_id=types.PeerUser(peer),
            date=when,
            message=text,
            out=out or None,
            entities=entities or None,
            media=media,
            reply_markup=reply_markup,
            reply_to=types.MessageReplyHeader(reply_to_msg_id=reply_id) if reply_id else None,
        )
        acc.box[msg.id] = msg
        acc.chats.add(peer)
        update = types.UpdateNewMessage(msg, acc.pts + 1, 1)
        copies[owner] = (msg, acc.add_event(update, when))
        world.push_account(owner, update, [peer], origin)
    (mine, pts), (theirs, _) = copies[from_user], copies[to_user]
    world.accounts[from_user].links[mine.id] = (to_user, theirs.id)
    world.accounts[to_user].links[theirs.id] = (from_user, mine.id)
    return mine, pts


def edit_private(
    world: FakeTelegram,
    account: int,
    msg_id: int,
    text: str | None,
    *,
    entities: list[TLObject] | None = None,
    reply_markup: TLObject | None = None,
    origin: FakeSender | None = None,
) -> tuple[types.Message, int]:
    """Edit one's own private message; the other side's copy changes too."""
    acc = world.accounts[account]
    msg = acc.box.get(msg_id)
    if msg is None:
        raise RpcFail(400, "MESSAGE_ID_INVALID")
    if not msg.out:
        raise RpcFail(403, "MESSAGE_AUTHOR_REQUIRED")
    raise_if_unchanged(msg, text, entities, reply_markup)
    when = world.tick()
    result: tuple[types.Message, int] | None = None
    other, other_id = acc.links.get(msg_id, (None, None))
    for owner, mid in ((account, msg_id), (other, other_id)):
        if owner is None or mid is None:
            continue
        box = world.accounts[owner]
        copy = box.box[mid]
        apply_edit(copy, text, entities, reply_markup, when)
        update = types.UpdateEditMessage(clone(copy), box.pts + 1, 1)
        pts = box.add_event(update, when)
        peer = copy.peer_id.user_id
        world.push_account(owner, update, [peer], origin)
        result = result or (clone(copy), pts)
    assert result is not None
    return result


def callback_query(world: FakeTelegram, user: int, bot: int, msg_id: int, data: bytes) -> int:
    """The user taps an inline button under the bot's message ``msg_id`` (bot's box id).
    The bot's clients get UpdateBotCallbackQuery; returns the query id to look up answers."""
    box = world.accounts[bot].box
    if msg_id not in box or getattr(box[msg_id].peer_id, "user_id", None) != user:
        raise KeyError(f"bot {bot} has no message {msg_id} in its chat with {user}")
    query_id = world.random_id()
    world.queries[query_id] = (user, bot, msg_id)
    update = types.UpdateBotCallbackQuery(
        query_id=query_id,
        user_id=user,
        peer=types.PeerUser(user),
        msg_id=msg_id,
        chat_instance=world.random_id(),
        data=data,
    )
    world.push_account(bot, update, [user], None)
    return query_id
