"""Settings: one table of (name, default, help, parser), parsed from the environment and `.env`.

`parse_settings(env)` is pure: it takes a mapping, validates every key, and raises one
`ConfigError` listing all problems at once. `load_settings()` merges `.env` (read with
`dotenv_values`, never written into `os.environ`) under the real environment, so an
exported variable overrides the file. Adding a setting means adding one row to `SETTINGS`
and one field to `Settings`; a test keeps both, `config.example.env` and the README in step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.errors import ConfigError
from bot.sources import normalize_username

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
WATCHER_MODES = ("auto", "on", "off")


def _path(value: str) -> Path:
    if not value.strip():
        raise ValueError("must not be empty")
    return Path(value).expanduser()


def _choice(options: tuple[str, ...], *, upper: bool = False) -> Callable[[str], str]:
    def parse(value: str) -> str:
        v = value.strip().upper() if upper else value.strip().lower()
        if v not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return v

    return parse


def _optional_int(value: str) -> int | None:
    v = value.strip()
    if not v:
        return None
    if not v.isdigit():
        raise ValueError("must be a whole number")
    return int(v)


def _optional_str(value: str) -> str | None:
    return value.strip() or None


def _api_hash(value: str) -> str | None:
    v = value.strip()
    if v and not re.fullmatch(r"[0-9a-fA-F]{32}", v):
        raise ValueError("must be the 32 hexadecimal characters my.telegram.org shows")
    return v or None


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a number above 0") from None
    if not number > 0:
        raise ValueError("must be a number above 0")
    return number


def _count(value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise ValueError("must be a whole number of at least 1")
    return int(value)


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(value: str) -> timedelta:
    """`90`, `90s`, `30m`, `1h`, `2d`."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
    if not match:
        raise ValueError("must be a duration such as 3600, 45m, 1h or 2d")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2) or "s"])


def _http_url(value: str) -> str:
    v = value.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^\s/]+(?:/[^\s]*)?", v):
        raise ValueError("must be an http(s) URL such as https://t.me")
    return v


def _channel_refs(value: str) -> tuple[Any, ...]:
    from bot.sources.telegram.refs import parse_channel_refs  # pure, no Telethon import

    return parse_channel_refs(value)


def _usernames(value: str) -> tuple[str, ...]:
    names: list[str] = []
    for part in re.split(r"[,\s]+", value.strip()):
        if part and (name := normalize_username(part)) not in names:
            names.append(name)
    return tuple(names)


# Alerts (issue 5): parsers of the bot's settings.
def _bot_token(value: str) -> str | None:
    v = value.strip()
    if v and not re.fullmatch(r"\d+:[A-Za-z0-9_-]{30,}", v):
        raise ValueError("must be the token @BotFather gave, like 123456789:AAE...")
    return v or None


def _id_list(value: str) -> tuple[int, ...]:
    parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
    if not all(p.isdigit() for p in parts):
        raise ValueError("must be numeric Telegram user ids separated by commas")
    return tuple(dict.fromkeys(int(p) for p in parts))


def _flag(value: str) -> bool:
    v = value.strip().lower()
    if v not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError("must be true or false")
    return v in ("true", "1", "yes")


# Telegram allows about 30 messages per second; the sender adds a burst of 2 (ratelimit.py).
_MAX_SEND_RATE = 28.0


def _send_rate(value: str) -> float:
    rate = _positive(value)
    if rate > _MAX_SEND_RATE:
        raise ValueError(f"must be at most {_MAX_SEND_RATE:g} (Telegram allows about 30/s)")
    return rate


# The service (issue 6): parsers of the scheduler's settings.
def _clock_time(value: str) -> str:
    """`9:00` or `09:00` -> `09:00` (24-hour clock)."""
    match = re.fullmatch(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*", value)
    if not match:
        raise ValueError("must be a 24-hour time such as 09:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _whole(value: str) -> int:
    if not value.strip().isdigit():
        raise ValueError("must be a whole number (0 or more)")
    return int(value)


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    parse: Callable[[str], Any]
    example: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DB_PATH",
        "./uavwatch.db",
        "SQLite database file (created with mode 0600).",
        _path,
        "/var/lib/uavwatch/uavwatch.db",
    ),
    Setting(
        "LOG_LEVEL",
        "INFO",
        "Log level: DEBUG, INFO, WARNING or ERROR.",
        _choice(LOG_LEVELS, upper=True),
        "INFO",
    ),
    Setting(
        "LOG_FORMAT",
        "text",
        "Log format: text (human-readable) or json (one JSON object per line).",
        _choice(LOG_FORMATS),
        "json",
    ),
    # Watcher (issue 4)
    Setting(
        "TG_API_ID",
        "",
        "Telegram API id of the watcher account, from https://my.telegram.org (API development"
        " tools). Needed by login, the live watcher and backfill.",
        _optional_int,
        "1234567",
    ),
    Setting(
        "TG_API_HASH",
        "",
        "Telegram API hash that goes with TG_API_ID (32 hex characters). Secret.",
        _api_hash,
        "0123456789abcdef0123456789abcdef",
        secret=True,
    ),
    Setting(
        "TG_SESSION",
        "./uavwatch",
        "Session file of the watcher account (`.session` is appended; created with mode 0600"
        " by `uavwatch login`).",
        _path,
        "/var/lib/uavwatch/watcher",
    ),
    Setting(
        "TG_SESSION_STRING",
        "",
        "Session as a string (`uavwatch login --session-string`), for headless servers; used"
        " instead of TG_SESSION when set. Secret.",
        _optional_str,
        "1BVtsOK8Bu...",
        secret=True,
    ),
    Setting(
        "WATCHER",
        "auto",
        "Whether `uavwatch run` runs the user-account watcher: auto (when a session exists:"
        " TG_SESSION_STRING, or a logged-in TG_SESSION file), on (always: a session that is"
        " not logged in shows as a failed part) or off.",
        _choice(WATCHER_MODES),
        "auto",
    ),
    Setting(
        "CHANNELS",
        "",
        "Channels to watch, comma-separated: usernames, t.me links or numeric ids, each"
        " optionally `=REGION` (home region). More can be added with `uavwatch channels add`.",
        _channel_refs,
        "mod_russia, gubernator_smolensk=RU-SMO",
    ),
    Setting(
        "POLL_SECONDS",
        "60",
        "How often channels the account has not joined are polled through history requests"
        " (joined ones arrive live); also how often the watched list and heads are checked.",
        _positive,
        "60",
    ),
    Setting(
        "RECONCILE_MINUTES",
        "10",
        "How often the reconcile sweep re-reads each channel's recent window for edits and"
        " deletions Telegram never pushed.",
        _positive,
        "10",
    ),
    Setting(
        "RECONCILE_WINDOW_HOURS",
        "48",
        "Reconcile window in hours: posts newer than this are re-read (at most"
        " RECONCILE_WINDOW_POSTS of them).",
        _positive,
        "48",
    ),
    Setting(
        "RECONCILE_WINDOW_POSTS",
        "200",
        "Reconcile window cap: at most this many of a channel's newest posts are re-read.",
        _count,
        "200",
    ),
    Setting(
        "CATCHUP_ALERT_MAX_AGE",
        "1h",
        "Posts found by catch-up that are older than this are stored but not alerted"
        " (seconds, or with s/m/h/d).",
        _duration,
        "1h",
    ),
    Setting(
        "WEBPREVIEW_CHANNELS",
        "",
        "Public channels to follow without credentials through their web preview"
        " (comma-separated usernames).",
        _usernames,
        "mod_russia, kpszsu",
    ),
    Setting(
        "WEBPREVIEW_BASE_URL",
        "https://t.me",
        "Where web-preview pages are fetched from (`{base}/s/NAME`): Telegram, a mirror or a"
        " proxy.",
        _http_url,
        "https://t.me",
    ),
    Setting(
        "WEBPREVIEW_POLL_SECONDS",
        "60",
        "How often each web-preview channel is polled (jittered by up to 20%).",
        _positive,
        "60",
    ),
    # Alerts (issue 5)
    Setting(
        "TG_BOT_TOKEN",
        "",
        "Token of the subscriber bot, from @BotFather. Needed only to run the bot (it also"
        " uses TG_API_ID and TG_API_HASH). Secret.",
        _bot_token,
        "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra",
        secret=True,
    ),
    Setting(
        "ADMIN_IDS",
        "",
        "Telegram user ids allowed to use the admin commands (/channels, /subscribers, /pause,"
        " /resume, /broadcast, /health, /requeue), comma-separated.",
        _id_list,
        "123456789, 987654321",
    ),
    Setting(
        "ALLOW_GROUPS",
        "false",
        "Whether the bot serves group chats (only a group's administrators may change its"
        " subscriptions); otherwise private chats only.",
        _flag,
        "true",
    ),
    Setting(
        "SEND_RATE",
        "25",
        "Alert messages per second the bot sends at most (Telegram's limit is about 30; also"
        " 1 per second per chat and 20 per minute per group, always enforced).",
        _send_rate,
        "25",
    ),
    Setting(
        "DEDUP_WINDOW",
        "30m",
        "Reports of the same incident by several channels within this time are sent once, with"
        " every source (seconds, or with s/m/h/d).",
        _duration,
        "30m",
    ),
    Setting(
        "COMMAND_RATE",
        "20",
        "Commands per minute one user may send the bot; beyond that it stops answering them.",
        _count,
        "20",
    ),
    # The service (issue 6)
    Setting(
        "DIGEST_TIME",
        "09:00",
        "When the daily digest (opt-in with /digest on) is sent, in each subscriber's own"
        " time zone (/tz); a subscriber may pick another time with /digest HH:MM.",
        _clock_time,
        "09:00",
    ),
    Setting(
        "HEARTBEAT_MINUTES",
        "60",
        "How often each part of `uavwatch run` writes a heartbeat row (shown by `uavwatch"
        " status` and /health).",
        _positive,
        "60",
    ),
    Setting(
        "HEALTH_CHECK_MINUTES",
        "10",
        "How often the service checks for stalled parts, silent channels and a growing"
        " outbox, and tells the admins (ADMIN_IDS) once per change.",
        _positive,
        "10",
    ),
    Setting(
        "STALL_MINUTES",
        "15",
        "A part that has made no progress for this long is reported to the admins as stalled"
        " (a poller only after two missed polls, if its interval is longer).",
        _positive,
        "15",
    ),
    Setting(
        "SILENCE_FACTOR",
        "6",
        "A channel is marked silent when its current gap exceeds this many times its usual"
        " gap between posts (and at least SILENCE_MIN).",
        _positive,
        "6",
    ),
    Setting(
        "SILENCE_MIN",
        "12h",
        "The shortest gap that can count as silence, whatever a channel's rhythm (seconds,"
        " or with s/m/h/d).",
        _duration,
        "12h",
    ),
    Setting(
        "OUTBOX_ALERT_DEPTH",
        "500",
        "Admins are told when the pending outbox is above this and has grown at three health"
        " checks in a row.",
        _count,
        "500",
    ),
    Setting(
        "MAINTENANCE_TIME",
        "03:30",
        "When the nightly job runs (UTC): online backup, PRAGMA optimize, raw-text retention.",
        _clock_time,
        "03:30",
    ),
    Setting(
        "BACKUP_DIR",
        "./backups",
        "Where the nightly online backup of the database is written (created with mode 0700).",
        _path,
        "/var/lib/uavwatch/backups",
    ),
    Setting(
        "BACKUP_KEEP",
        "7",
        "How many nightly backups to keep; older ones are deleted.",
        _count,
        "7",
    ),
    Setting(
        "RETENTION_DAYS",
        "0",
        "Blank the raw text of posts older than this many days (their classifications,"
        " regions and counts stay); 0 keeps all text forever.",
        _whole,
        "365",
    ),
    Setting(
        "OUTBOX_KEEP_DAYS",
        "30",
        "The nightly job deletes finished outbox rows (sent, skipped, muted, dropped) older"
        " than this many days; a correction of an alert older than that is not sent. 0 keeps"
        " them forever.",
        _whole,
        "30",
    ),
    Setting(
        "JOB_MISFIRE_GRACE",
        "15m",
        "A scheduled job delayed while the service runs (a busy process) still runs if at"
        " most this late, once however many runs it missed; a nightly run missed while the"
        " service was down runs once at the next start, however late (seconds, or s/m/h/d).",
        _duration,
        "15m",
    ),
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    db_path: Path
    log_level: str
    log_format: str
    # Watcher (issue 4)
    tg_api_id: int | None
    tg_api_hash: str | None
    tg_session: Path
    tg_session_string: str | None
    watcher: str
    channels: tuple[Any, ...]  # of bot.sources.telegram.refs.ChannelRef
    poll_seconds: float
    reconcile_minutes: float
    reconcile_window_hours: float
    reconcile_window_posts: int
    catchup_alert_max_age: timedelta
    webpreview_channels: tuple[str, ...]
    webpreview_base_url: str
    webpreview_poll_seconds: float
    # Alerts (issue 5)
    tg_bot_token: str | None
    admin_ids: tuple[int, ...]
    allow_groups: bool
    send_rate: float
    dedup_window: timedelta
    command_rate: int
    # The service (issue 6)
    digest_time: str
    heartbeat_minutes: float
    health_check_minutes: float
    stall_minutes: float
    silence_factor: float
    silence_min: timedelta
    outbox_alert_depth: int
    maintenance_time: str
    backup_dir: Path
    backup_keep: int
    retention_days: int
    outbox_keep_days: int
    job_misfire_grace: timedelta

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):
            setting = SETTINGS_BY_NAME[f.name.upper()]
            value = getattr(self, f.name)
            shown.append(f"{f.name}={'***' if setting.secret and value else value!r}")
        return f"Settings({', '.join(shown)})"


def parse_settings(env: Mapping[str, str]) -> Settings:
    """Validate every setting; raise one ConfigError naming each bad key with an example."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for setting in SETTINGS:
        raw = env.get(setting.name)
        if raw is None or raw == "":
            raw = setting.default
        try:
            values[setting.name.lower()] = setting.parse(raw)
        except ValueError as exc:
            shown = "<hidden>" if setting.secret else repr(raw)
            problems.append(
                f"{setting.name}={shown}: {exc} (example: {setting.name}={setting.example})"
            )
    if problems:
        raise ConfigError(problems)
    return Settings(**values)


def read_environment(
    env_file: Path | None = Path(".env"), environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """`.env` values overlaid by the process environment (the environment wins)."""
    merged: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    source = os.environ if environ is None else environ
    merged.update({k: v for k, v in source.items() if k in SETTINGS_BY_NAME})
    return merged


def load_settings(
    env_file: Path | None = Path(".env"), environ: Mapping[str, str] | None = None
) -> Settings:
    return parse_settings(read_environment(env_file, environ))
