"""Which parts `uavwatch run` starts, and why the others do not: decided from the settings
(and, for the watcher, whether a session exists) before anything connects.

    watcher     WATCHER=auto (the default): when a session exists (TG_SESSION_STRING, or a
                logged-in TG_SESSION file); WATCHER=on: always; WATCHER=off: never
    webpreview  WEBPREVIEW_CHANNELS
    bot/sender  TG_BOT_TOKEN (with TG_API_ID and TG_API_HASH, which the bot needs too)
    scheduler   always

So "web preview + bot" runs without a user account: no session, no watcher, and the start
log says so. Every problem is collected before one error is raised (as `parse_settings`
does), so an operator fixes the whole `.env` in one go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.config import Settings
from bot.errors import ConfigError, InputError, TelegramSetupError, UavwatchError
from bot.sources.telegram.client import find_session

SessionFinder = Callable[[Settings], str | None]

_CREDENTIALS = "get them at https://my.telegram.org (log in, then 'API development tools')"


@dataclass(frozen=True)
class Plan:
    """The parts that run and what made each run (`why`) or stay off (`off`)."""

    watcher: bool
    webpreview: bool
    bot: bool
    why: dict[str, str] = field(default_factory=dict)
    off: dict[str, str] = field(default_factory=dict)

    def disabled(self) -> dict[str, str]:
        return dict(self.off)


def _missing_credentials(settings: Settings) -> list[str]:
    pairs = (("TG_API_ID", settings.tg_api_id), ("TG_API_HASH", settings.tg_api_hash))
    return [name for name, value in pairs if not value]


def _watcher(settings: Settings, find: SessionFinder) -> tuple[bool, str]:
    """(runs, why it runs or why not)."""
    if settings.watcher == "off":
        return False, "WATCHER=off"
    session = find(settings)
    if settings.watcher == "on":
        return True, f"WATCHER=on, {session or 'no session found: its login check decides'}"
    if session is not None:
        return True, session
    if len(_missing_credentials(settings)) == 2:
        return False, "TG_API_ID/TG_API_HASH not set"
    return False, (
        "no logged-in session (TG_SESSION file or TG_SESSION_STRING): run `uavwatch login`, "
        "or set WATCHER=on"
    )


def _nothing_to_watch(settings: Settings, why_not: str) -> str:
    if len(_missing_credentials(settings)) == 2:
        return (
            "nothing to watch: set TG_API_ID and TG_API_HASH (the watcher's Telegram account, "
            "from https://my.telegram.org; then run `uavwatch login`), or WEBPREVIEW_CHANNELS "
            "(public channels read without an account), in .env or the environment"
        )
    return (
        f"nothing to watch: the watcher does not run ({why_not}), and WEBPREVIEW_CHANNELS "
        "(public channels read without an account) is not set"
    )


def plan_service(settings: Settings, *, find: SessionFinder = find_session) -> Plan:
    """Decide the parts; raise one error listing every problem (a single one as itself)."""
    problems: list[UavwatchError] = []
    missing = _missing_credentials(settings)
    watcher, watcher_why = _watcher(settings, find)
    webpreview = bool(settings.webpreview_channels)
    bot = settings.tg_bot_token is not None
    users = [name for name, on in (("the watcher", watcher), ("the subscriber bot", bot)) if on]
    if missing and users:
        verb = "need" if len(users) > 1 else "needs"
        fix = "or remove TG_BOT_TOKEN to run without alerts" if bot else "put them in .env"
        problems.append(TelegramSetupError(
            f"{' and '.join(users)} {verb} {' and '.join(missing)}: {_CREDENTIALS}; {fix}"
        ))  # fmt: skip
    elif len(missing) == 1:
        other = "TG_API_ID" if missing[0] == "TG_API_HASH" else "TG_API_HASH"
        problems.append(TelegramSetupError(
            f"Telegram credentials missing: set {missing[0]} too (it goes with {other}); "
            f"{_CREDENTIALS}"
        ))  # fmt: skip
    if not watcher and not webpreview:
        problems.append(InputError(_nothing_to_watch(settings, watcher_why)))
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise ConfigError([str(p) for p in problems])
    why, off = {}, {}
    (why if watcher else off)["watcher"] = watcher_why
    if webpreview:
        why["webpreview"] = f"WEBPREVIEW_CHANNELS: {len(settings.webpreview_channels)} channel(s)"
    else:
        off["webpreview"] = "WEBPREVIEW_CHANNELS not set"
    if bot:
        why["bot"] = why["sender"] = "TG_BOT_TOKEN"
    else:
        off["bot"] = off["sender"] = "TG_BOT_TOKEN not set: storing only, no alerts"
    why["scheduler"] = "always"
    return Plan(watcher=watcher, webpreview=webpreview, bot=bot, why=why, off=off)
