"""Replay files: posts as JSON lines, fed through the pipeline as if they arrived live.

One JSON object per line:

    channel     channel username (required)
    message_id  the post's id in that channel, an integer > 0 (required)
    date        ISO 8601 time of this event: when the post was published, edited or deleted
                (required; without an offset it is UTC)
    text        the post's text (required for new and edit)
    event       "new" (default), "edit" or "delete"
    views       view count, an integer >= 0 (optional)
    title       the channel's title (optional; the first one seen is used)
    home_region the channel's home region, a name or ISO code (optional; for `uavwatch demo`)

A bad line is reported with its number and skipped; the rest is replayed. Blank lines are
ignored. `uavwatch demo` replays the bundled `bot/data/demo_feed.jsonl`; tests use the same
reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.errors import InputError
from bot.models import DeletedPost, EditedPost, NewPost, Post, PostEvent, Source
from bot.sources import normalize_username

EVENTS = ("new", "edit", "delete")


@dataclass(frozen=True, slots=True)
class ReplayProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ReplayLine:
    """One good line: its number, the event, and the channel facts it carried."""

    line: int
    event: PostEvent
    title: str | None = None
    home_region: str | None = None


class ReplayLineError(ValueError):
    """A line that is not a replay event; the message says which field and why."""


_KIND_NAMES = {int: "an integer", str: "a string", dict: "an object", list: "a list"}


def _require(obj: dict[str, Any], key: str, kind: type) -> Any:
    if key not in obj:
        raise ReplayLineError(f"missing {key!r}")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ReplayLineError(
            f"{key!r} must be {_KIND_NAMES.get(kind, kind.__name__)}, got {value!r}"
        )
    return value


def _date(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ReplayLineError(f"'date' is not ISO 8601: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _optional(obj: dict[str, Any], key: str, kind: type) -> Any:
    return _require(obj, key, kind) if obj.get(key) is not None else None


def parse_line(text: str, number: int = 1) -> ReplayLine:
    """One line -> its event; ReplayLineError says what is wrong with it."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReplayLineError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise ReplayLineError("not a JSON object")
    try:
        channel = normalize_username(_require(obj, "channel", str))
    except ValueError as exc:
        raise ReplayLineError(f"'channel': {exc}") from None
    message_id = _require(obj, "message_id", int)
    if message_id <= 0:
        raise ReplayLineError(f"'message_id' must be above 0, got {message_id}")
    date = _date(_require(obj, "date", str))
    event = obj.get("event", "new")
    if event not in EVENTS:
        raise ReplayLineError(f"'event' must be one of {', '.join(EVENTS)}, got {event!r}")
    views = _optional(obj, "views", int)
    if views is not None and views < 0:
        raise ReplayLineError(f"'views' must not be negative, got {views}")
    title, region = _optional(obj, "title", str), _optional(obj, "home_region", str)
    if event == "delete":
        deleted = DeletedPost(channel, None, (message_id,), date, Source.REPLAY)
        return ReplayLine(number, deleted, title, region)
    post = Post(
        channel=channel,
        channel_id=None,
        message_id=message_id,
        date=date,
        text=_require(obj, "text", str),
        source=Source.REPLAY,
        edited_at=date if event == "edit" else None,
        views=views,
        channel_title=title,
    )
    return ReplayLine(number, EditedPost(post) if event == "edit" else NewPost(post), title, region)


def read_replay(lines: Iterable[str], problems: list[ReplayProblem]) -> Iterator[ReplayLine]:
    """The good lines' events in order; each bad line is appended to `problems` and skipped."""
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            yield parse_line(raw, number)
        except ReplayLineError as exc:
            problems.append(ReplayProblem(number, str(exc)))


def open_feed(path: Path) -> list[str]:
    """A replay file's lines (read whole: feeds are small); InputError if unreadable."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: no such replay file; give a JSON-lines file (--feed)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the replay file: {exc}") from None
