"""Inline keyboards: pure functions from a subscriber's state to rows of buttons.

Callback data is short and self-describing, at most 64 bytes (Telegram's limit):
    r:CODE / r:*   toggle a region / all regions      p:CODE   pick a search result
    k:LABEL        toggle a kind                      c:NAME / c:*   toggle a channel / any
    m:r|k|c|d      show regions, kinds, channels; done
    u:CODE / u:*   unsubscribe a region / everything  l:ru|uk|en   language
    b:ok:TOKEN / b:no:TOKEN   confirm or cancel a broadcast
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

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


def channels_keyboard(sub: Subscriber, channels: Iterable[str], lang: str) -> Keyboard:
    buttons = [
        Button(_mark(name.lower() in sub.channels, f"@{name}"), f"c:{name}")
        for name in list(channels)[:MAX_CHANNEL_BUTTONS]
    ]
    anything = Button(_mark(not sub.channels, ui(lang, "btn_any_channel")), "c:*")
    return (*_rows(buttons), (anything,), _nav(lang, "r", "k"))


def choices_keyboard(regions: Sequence[Region], lang: str) -> Keyboard:
    return tuple((Button(region_name(r, lang), f"p:{r.code}"),) for r in regions)


def unsubscribe_keyboard(sub: Subscriber, lang: str) -> Keyboard:
    buttons = [
        Button("❌ " + region_label(code, lang), f"u:{code}") for code in sorted(sub.regions)
    ]
    return (*_rows(buttons), (Button(ui(lang, "btn_unsubscribe_all"), "u:*"),))


def language_keyboard() -> Keyboard:
    return (tuple(Button(name, f"l:{code}") for code, name in LANGUAGE_NAMES.items()),)


def confirm_keyboard(token: str, send_label: str, cancel_label: str) -> Keyboard:
    return ((Button(send_label, f"b:ok:{token}"), Button(cancel_label, f"b:no:{token}")),)
