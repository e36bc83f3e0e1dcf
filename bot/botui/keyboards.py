"""Inline keyboards: pure functions from a subscriber's state to rows of buttons.

Callback data is short and self-describing, at most 64 bytes (Telegram's limit):
    r:CODE / r:*   toggle a region / all regions
    p:CODE[:LABEL,LABEL]   subscribe to a search result (with the kinds typed, if any)
    k:LABEL        toggle a kind                      c:NAME / c:*   toggle a channel / any
    cp:N           page N of the channels             lt:CODE:N   /latest of a search result
    m:r|k|c|d      show regions, kinds, channels; done
    u:CODE / u:*   unsubscribe a region / everything  l:ru|uk|en   language
    b:ok:TOKEN / b:no:TOKEN   confirm or cancel a broadcast
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.alerts.format import region_name
from bot.alerts.matching import ALERT_LABELS, ALL_REGIONS
from bot.alerts.subscribers import Subscriber
from bot.botui.context import Button, Keyboard
from bot.botui.texts import ui
from bot.classify.regions import region_by_code
from bot.models import Region

# The regions most channels report about: offered as buttons; any other is one search away.
POPULAR_REGIONS = (
    "RU-BEL", "RU-BRY", "RU-KRS", "RU-SMO", "RU-VOR", "RU-ORL", "RU-KLU", "RU-TUL",
    "RU-LIP", "RU-MOS", "RU-MOW", "RU-ROS", "RU-KDA", "UA-43", "UA-63", "UA-59",
    "UA-32", "UA-51",
)  # fmt: skip
#: Channel buttons per page; more pages get ◀ ▶ buttons (every followed channel is offered).
MAX_CHANNEL_BUTTONS = 20
LANGUAGE_NAMES = {"ru": "Русский", "uk": "Українська", "en": "English"}


def _rows(buttons: Sequence[Button], per_row: int = 2) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def _mark(on: bool, label: str) -> str:
    return f"✅ {label}" if on else label


def _short(region: Region, lang: str) -> str:
    """ "Смоленская область" -> "Смоленская": buttons are narrow."""
    name = region_name(region, lang)
    for noun in (" область", " Oblast", " oblast"):
        name = name.removesuffix(noun)
    return name


def region_label(code: str, lang: str) -> str:
    return ui(lang, "all_regions") if code == ALL_REGIONS else _short(region_by_code(code), lang)


def _nav(lang: str, *shown: str) -> tuple[Button, ...]:
    targets = {"r": "btn_regions", "k": "btn_kinds", "c": "btn_channels"}
    row = [Button(ui(lang, targets[key]), f"m:{key}") for key in shown]
    return (*row, Button(ui(lang, "btn_done"), "m:d"))


def regions_keyboard(sub: Subscriber, lang: str) -> Keyboard:
    codes = list(POPULAR_REGIONS) + sorted(c for c in sub.regions if c not in POPULAR_REGIONS)
    buttons = [
        Button(_mark(code in sub.regions, _short(region_by_code(code), lang)), f"r:{code}")
        for code in codes
        if code != ALL_REGIONS
    ]
    everything = Button(_mark(ALL_REGIONS in sub.regions, ui(lang, "btn_all_regions")), "r:*")
    return (*_rows(buttons), (everything,), _nav(lang, "k", "c"))


def kinds_keyboard(sub: Subscriber, lang: str) -> Keyboard:
    buttons = [
        Button(_mark(label in sub.kinds, ui(lang, f"kind_{label.value}")), f"k:{label.value}")
        for label in ALERT_LABELS
    ]
    return (*_rows(buttons, 1), _nav(lang, "r", "c"))


def channel_page(channels: Sequence[str], name: str) -> int:
    """The page of the channels keyboard that shows `name` (0 if it is not there)."""
    return channels.index(name) // MAX_CHANNEL_BUTTONS if name in channels else 0


def channels_keyboard(
    sub: Subscriber, channels: Sequence[str], lang: str, page: int = 0
) -> Keyboard:
    """One page of channel buttons; `channels` are the followed ones and the chosen ones."""
    pages = max(1, -(-len(channels) // MAX_CHANNEL_BUTTONS))
    page = min(max(page, 0), pages - 1)
    shown = channels[page * MAX_CHANNEL_BUTTONS : (page + 1) * MAX_CHANNEL_BUTTONS]
    buttons = [
        Button(_mark(name.lower() in sub.channels, f"@{name}"), f"c:{name}") for name in shown
    ]
    turn = []
    if page > 0:
        turn.append(Button(ui(lang, "btn_page_back", page=page, pages=pages), f"cp:{page - 1}"))
    if page < pages - 1:
        turn.append(Button(ui(lang, "btn_page_more", page=page + 2, pages=pages), f"cp:{page + 1}"))
    anything = Button(_mark(not sub.channels, ui(lang, "btn_any_channel")), "c:*")
    return (*_rows(buttons), *([tuple(turn)] if turn else []), (anything,), _nav(lang, "r", "k"))


def choices_keyboard(
    regions: Sequence[Region], lang: str, action: str = "p", extra: str = ""
) -> Keyboard:
    """One button per region: `{action}:{code}{extra}` (subscribe, or /latest of it)."""
    return tuple((Button(region_name(r, lang), f"{action}:{r.code}{extra}"),) for r in regions)


def unsubscribe_keyboard(sub: Subscriber, lang: str) -> Keyboard:
    buttons = [
        Button("❌ " + region_label(code, lang), f"u:{code}") for code in sorted(sub.regions)
    ]
    return (*_rows(buttons), (Button(ui(lang, "btn_unsubscribe_all"), "u:*"),))


def language_keyboard() -> Keyboard:
    return (tuple(Button(name, f"l:{code}") for code, name in LANGUAGE_NAMES.items()),)


def confirm_keyboard(token: str, send_label: str, cancel_label: str) -> Keyboard:
    return ((Button(send_label, f"b:ok:{token}"), Button(cancel_label, f"b:no:{token}")),)
