"""Read a Telegram Desktop "Export chat history" JSON file (`result.json`) as `Post`s.

Exports of busy channels reach gigabytes, so nothing here loads the file: a first ijson
pass reads the header (`name`, `type`, `id`, which Telegram Desktop writes before
`messages`) and stops; a second pass streams `messages.item` through ijson's C backend.

Entities are kept as Telegram states them: `{"type", "offset", "length", ...}` with offset
and length in UTF-16 code units (the unit of the Bot API and MTProto), plus the export's
extra keys (`href`, `user_id`, `document_id`, ...). Plain pieces are not kept.

A broken file raises `MalformedFileError` with the line and column where the JSON broke.
ijson only knows which 64 KiB chunk failed, so on that error path alone the file is parsed
again up to that chunk and then fed one byte at a time to find the exact byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from bot.errors import InputError, MalformedFileError
from bot.models import Post, Source

BUF_SIZE = 64 * 1024

# Top-level keys of a full-account export ("Export Telegram data"), never in a chat export.
_FULL_EXPORT_KEYS = frozenset(
    {"chats", "left_chats", "personal_information", "contacts", "frequent_contacts", "about"}
)

# Desktop's `media_type` -> our media_kind (the web-preview parser uses the same names).
_MEDIA_TYPES = {
    "video_file": "video", "animation": "animation", "voice_message": "voice",
    "audio_file": "audio", "sticker": "sticker", "video_message": "round_video",
}  # fmt: skip
# Keys that mark a message's media when `media_type` is absent, checked in this order.
_MEDIA_KEYS = (
    ("photo", "photo"), ("poll", "poll"), ("location_information", "location"),
    ("contact_information", "contact"), ("game_title", "game"),
    ("invoice_information", "invoice"), ("file", "document"),
)  # fmt: skip

_REEXPORT = (
    "export the channel again with Telegram Desktop (channel menu > Export chat history, "
    "format JSON); nothing from this file was imported"
)


@dataclass(frozen=True, slots=True)
class ExportHeader:
    """What the export says about its chat, read before any message."""

    name: str | None
    chat_type: str | None
    channel_id: int


@dataclass(slots=True)
class ExportCounts:
    """Filled in while the posts are streamed; final once the iterator is exhausted."""

    messages: int = 0
    service: int = 0
    edited: int = 0


class _MessageError(ValueError):
    """A message the reader cannot turn into a Post; the iterator adds file and index."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


class _CountingReader:
    """File wrapper that counts bytes handed to ijson (for progress and error location)."""

    def __init__(self, raw: BinaryIO, on_bytes: Callable[[int], None] | None = None) -> None:
        self._raw = raw
        self._on_bytes = on_bytes
        self.pos = 0
        self.last = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.last = len(data)
        self.pos += self.last
        if self._on_bytes is not None and data:
            self._on_bytes(self.last)
        return data


# ---------------------------------------------------------------- pure conversion


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, Telegram's unit for entity offsets."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def join_text(text: Any, text_entities: Any = None) -> tuple[str, tuple[dict[str, Any], ...]]:
    """The message text and its entities from the export's piece list (or plain string).

    `text_entities` (every piece an object) is preferred when present; `text` mixes bare
    strings and objects. Both give the pieces in order, so joining them is the text.
    """
    pieces = text_entities if isinstance(text_entities, list) else text
    if isinstance(pieces, str):
        return pieces, ()
    if pieces is None:
        return "", ()
    if not isinstance(pieces, list):
        raise _MessageError(f"'text' is a {type(pieces).__name__}, expected a string or a list")
    parts: list[str] = []
    entities: list[dict[str, Any]] = []
    offset = 0
    for piece in pieces:
        if isinstance(piece, str):
            kind, chunk, extra = "plain", piece, {}
        elif isinstance(piece, dict):
            kind = str(piece.get("type", "plain"))
            chunk = piece.get("text", "")
            if not isinstance(chunk, str):
                raise _MessageError(f"a {kind!r} text piece has non-string 'text'")
            extra = {k: v for k, v in piece.items() if k not in ("type", "text")}
        else:
            raise _MessageError(f"a text piece is a {type(piece).__name__}")
        length = utf16_len(chunk)
        if kind != "plain" and length:
            entities.append({"type": kind, "offset": offset, "length": length, **extra})
        parts.append(chunk)
        offset += length
    return "".join(parts), tuple(entities)


def media_kind(message: dict[str, Any]) -> str | None:
    """photo/video/document/... for a message with media, None for text only."""
    media_type = message.get("media_type")
    if isinstance(media_type, str):
        return _MEDIA_TYPES.get(media_type, media_type)
    for key, kind in _MEDIA_KEYS:
        if message.get(key) is not None:
            return kind
    return None


def _unixtime(message: dict[str, Any], key: str) -> datetime | None:
    raw = message.get(key)
    if raw is None:
        return None
    try:
        return datetime.fromtimestamp(int(raw), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        raise _MessageError(f"{key!r} is {raw!r}, expected seconds since 1970") from None


def message_to_post(
    message: Any,
    *,
    channel_id: int,
    channel: str | None = None,
    channel_title: str | None = None,
    source: Source = Source.IMPORT,
) -> Post | None:
    """One exported message as a Post; None for a service message (channel created, ...)."""
    if not isinstance(message, dict):
        raise _MessageError(f"a message is a {type(message).__name__}, expected an object")
    if message.get("type") == "service":
        return None
    message_id = message.get("id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise _MessageError(f"'id' is missing or not an integer ({message_id!r})")
    date = _unixtime(message, "date_unixtime")
    if date is None:
        hint = (
            "this export has only local-time 'date' (older Telegram Desktop); "
            "re-export with a current Telegram Desktop, which writes 'date_unixtime'"
            if "date" in message
            else _REEXPORT
        )
        raise _MessageError("'date_unixtime' is missing", hint)
    text, entities = join_text(message.get("text"), message.get("text_entities"))
    views = message.get("views")
    return Post(
        channel=channel,
        channel_id=channel_id,
        message_id=message_id,
        date=date,
        text=text,
        source=source,
        edited_at=_unixtime(message, "edited_unixtime"),
        views=views if isinstance(views, int) and not isinstance(views, bool) else None,
        media_kind=media_kind(message),
        entities=entities,
        channel_title=channel_title,
    )


def _channel_id(raw: Any) -> int | None:
    """The export's chat id; a Bot-API style -100... id is reduced to the bare channel id."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and raw.lstrip("-").isdigit():
        raw = int(raw)
    if not isinstance(raw, int):
        return None
    if raw <= -1_000_000_000_000:
        return -raw - 1_000_000_000_000
    return abs(raw)


# ---------------------------------------------------------------- file reading


def read_header(path: Path) -> ExportHeader:
    """Read the keys before `messages`; refuse full-account exports and non-exports."""
    where = str(path)
    scalars: dict[str, Any] = {}
    with _open(path) as raw:
        reader = _CountingReader(raw)
        try:
            found = _scan_header(reader, scalars, where)
        except ijson.JSONError as exc:
            raise _json_error(path, reader, exc) from None
    if not found:
        raise InputError(
            f"{where}: no 'messages' list: not a Telegram Desktop chat export "
            "(expected result.json written by Export chat history, format JSON)"
        )
    channel_id = _channel_id(scalars.get("id"))
    if channel_id is None:
        raise MalformedFileError(
            where,
            "top-level key 'id'",
            f"the chat id is missing or not a number ({scalars.get('id')!r}) before 'messages'",
            _REEXPORT,
        )
    name, chat_type = scalars.get("name"), scalars.get("type")
    return ExportHeader(
        name=name if isinstance(name, str) else None,
        chat_type=chat_type if isinstance(chat_type, str) else None,
        channel_id=channel_id,
    )


def _scan_header(reader: _CountingReader, scalars: dict[str, Any], where: str) -> bool:
    """Collect top-level scalars until `messages` opens; True when it does."""
    events = ijson.parse(reader, buf_size=BUF_SIZE)
    first = next(events, None)
    if first is None or first[:2] != ("", "start_map"):
        raise InputError(
            f"{where}: the top level is not a JSON object: not a Telegram Desktop chat export"
        )
    for prefix, event, value in events:
        if prefix == "" and event == "map_key" and value in _FULL_EXPORT_KEYS:
            raise InputError(
                f"{where}: this is a full-account export ('Export Telegram data', key "
                f"{value!r}); export one channel instead: open the channel in Telegram "
                "Desktop > menu > Export chat history, format JSON, then import its result.json"
            )
        if prefix == "messages":
            if event != "start_array":
                raise MalformedFileError(
                    where, "top-level key 'messages'", f"expected a list, found {event}", _REEXPORT
                )
            return True
        if "." not in prefix and event in ("string", "number", "boolean", "null"):
            scalars[prefix] = value
    return False


def iter_posts(
    path: Path,
    header: ExportHeader,
    *,
    channel: str | None = None,
    source: Source = Source.IMPORT,
    counts: ExportCounts | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Post]:
    """Stream the export's posts in file order (Desktop writes oldest first).

    Service messages are skipped and counted in `counts`; `on_bytes(n)` reports progress.
    Raises MalformedFileError (line/column, or the message index) when the file breaks;
    posts yielded before the break are the caller's to discard (import is atomic).
    """
    counts = counts if counts is not None else ExportCounts()
    where = str(path)
    with _open(path) as raw:
        reader = _CountingReader(raw, on_bytes)
        index, message = -1, None
        try:
            items = ijson.items(reader, "messages.item", buf_size=BUF_SIZE, use_float=True)
            for message in items:
                index += 1
                counts.messages += 1
                post = message_to_post(
                    message,
                    channel_id=header.channel_id,
                    channel=channel,
                    channel_title=header.name,
                    source=source,
                )
                if post is None:
                    counts.service += 1
                    continue
                if post.edited_at is not None:
                    counts.edited += 1
                yield post
        except ijson.JSONError as exc:
            raise _json_error(path, reader, exc) from None
        except _MessageError as exc:
            raise MalformedFileError(
                where, _message_where(index, message), exc.reason, exc.hint or _REEXPORT
            ) from None
        except OSError as exc:
            raise InputError(f"{where}: read failed: {exc.strerror or exc}") from None


def _message_where(index: int, message: Any) -> str:
    msg_id = message.get("id") if isinstance(message, dict) else None
    shown = f" (id {msg_id})" if isinstance(msg_id, int) else ""
    return f"messages[{index}]{shown}, message #{index + 1} in the file"


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror or exc}") from None


# ---------------------------------------------------------------- error location


def _json_error(path: Path, reader: _CountingReader, exc: Exception) -> MalformedFileError:
    """A MalformedFileError with the line/column of the byte where the JSON broke."""
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    offset = locate_json_error(path, max(reader.pos - reader.last, 0))
    line, column = line_column(path, offset)
    if offset >= path.stat().st_size:  # the parser wanted more bytes: cut short
        reason = f"the JSON ends early ({detail})"
        hint = "the file was truncated: copy or export it again; nothing was imported"
    else:
        reason = f"invalid JSON ({detail})"
        hint = "the file was damaged or edited by hand here; export it again"
    return MalformedFileError(str(path), f"line {line}, column {column}", reason, hint)


class _Feeder:
    """Serves the file in big reads up to `slow_from`, then one byte per read."""

    def __init__(self, raw: BinaryIO, slow_from: int) -> None:
        self._raw = raw
        self._slow_from = slow_from
        self.pos = 0
        self.last = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        want = self._slow_from - self.pos if self.pos < self._slow_from else 1
        data = self._raw.read(max(1, min(want, size if size > 0 else want)))
        self.last = len(data)
        self.pos += self.last
        return data


def locate_json_error(path: Path, chunk_start: int) -> int:
    """Byte offset of the first byte the JSON parser rejects (the file size at a short read).

    Re-parses the file (C speed) up to `chunk_start`, the chunk that failed, then byte by
    byte, so the parser fails exactly on the bad byte. Error path only.
    """
    with path.open("rb") as raw:
        feeder = _Feeder(raw, chunk_start)
        try:
            for _ in ijson.basic_parse(feeder, buf_size=BUF_SIZE):
                pass
        except ijson.JSONError:
            return feeder.pos - 1 if feeder.last else feeder.pos
    return feeder.pos


def line_column(path: Path, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte `offset`, counting as an editor does."""
    line, line_start, done = 1, 0, 0
    with path.open("rb") as raw:
        while done < offset:
            block = raw.read(min(1 << 20, offset - done))
            if not block:
                break
            newlines = block.count(b"\n")
            if newlines:
                line += newlines
                line_start = done + block.rindex(b"\n") + 1
            done += len(block)
        raw.seek(line_start)
        head = raw.read(max(0, offset - line_start))
    return line, len(head.decode("utf-8", errors="replace")) + 1
