"""Channel references as operators write them: `@name`, `t.me/name`, links, numeric ids.

Pure (no Telethon, no I/O): `bot.config` validates CHANNELS with it at start-up, so a typo
is reported with the other settings instead of half-way through a run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.sources import normalize_username

# Telethon's "marked" channel ids put -100 in front (-1001234567890); we key on the bare id.
_MARK = 1_000_000_000_000
_ID = re.compile(r"-?\d{1,16}")
_PRIVATE_LINK = re.compile(r"(?:https?://)?t\.me/c/(\d+)(?:/\d+)?/?", re.IGNORECASE)
_INVITE = re.compile(r"(?:https?://)?t\.me/(?:\+|joinchat/)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """One watched channel as configured: a username or a bare numeric id (never both),
    plus an optional home region as written (checked against the gazetteer when used)."""

    username: str | None
    telegram_id: int | None
    home_region: str | None = None

    def __str__(self) -> str:
        return f"@{self.username}" if self.username else f"id {self.telegram_id}"


def bare_channel_id(value: int) -> int:
    """-1001234567890 -> 1234567890; a bare id stays as it is."""
    return -value - _MARK if value < -_MARK else abs(value)


def parse_channel_ref(text: str) -> ChannelRef:
    """`name`, `@name`, `https://t.me/name`, `t.me/c/123/4`, `-100123`, `123`, each
    optionally followed by `=REGION`. Raises ValueError saying what a valid entry is."""
    raw, _, region = text.partition("=")
    raw = raw.strip()
    home_region = region.strip() or None
    if not raw:
        raise ValueError(f"empty channel in {text!r}")
    if _INVITE.match(raw):
        raise ValueError(
            f"{raw!r} is a private invite link: join the channel with the watcher account "
            "and give its numeric id instead"
        )
    private = _PRIVATE_LINK.fullmatch(raw)
    if private:
        return ChannelRef(None, int(private.group(1)), home_region)
    if _ID.fullmatch(raw):
        number = bare_channel_id(int(raw))
        if number == 0:
            raise ValueError(f"{raw!r} is not a channel id")
        return ChannelRef(None, number, home_region)
    return ChannelRef(normalize_username(raw), None, home_region)


def parse_channel_refs(text: str) -> tuple[ChannelRef, ...]:
    """A comma- or newline-separated list; duplicates dropped, order kept."""
    refs: dict[tuple[str | None, int | None], ChannelRef] = {}
    problems: list[str] = []
    for part in re.split(r"[,\n]", text):
        if not part.strip():
            continue
        try:
            ref = parse_channel_ref(part)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        refs.setdefault((ref.username, ref.telegram_id), ref)
    if problems:
        raise ValueError("; ".join(problems))
    return tuple(refs.values())
