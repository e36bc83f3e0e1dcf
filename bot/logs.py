"""Logging for the CLI and the service: human text or JSON lines, and secrets never shown.

Secrets are kept out of logs twice: code never formats them into messages, and as a
safety net `SecretFilter` replaces any configured secret value (API hash, bot token,
session string) that reaches a record, in its message, its arguments or its traceback.
A bot token's secret half (after the `:`; the half before it is the bot's public id) is
a secret on its own: a library that prints only that half must not leak it.

Text lines start with the UTC date and time in ISO 8601 (`2025-03-14T03:30:00.123Z`): a
service runs for months, and a bare clock time in a journal copied off the machine does
not say which night the backup failed.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import IO, Any

MASK = "***"
# A bot token: `<bot id>:<secret>`; the secret part is masked on its own too.
_BOT_TOKEN = re.compile(r"\d+:([A-Za-z0-9_-]{30,})")
_HANDLER_NAME = "uavwatch"
# Attributes every LogRecord has; anything else was passed with extra={...} and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class SecretFilter(logging.Filter):
    """Replace secret values wherever they appear in a record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Short values would mask ordinary words; real secrets are long.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self._secrets:
            record.msg = self._clean(record.getMessage())
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = self._clean(record.exc_text)
            for key, value in list(vars(record).items()):
                if key not in _STANDARD and isinstance(value, str):
                    setattr(record, key, self._clean(value))
        return True


class TextFormatter(logging.Formatter):
    """`2025-03-14T03:30:00.123Z INFO    bot.jobs: message` (UTC, whatever the host's zone)."""

    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is when a record comes (tests and daemons swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, value: IO[str]) -> None:
        pass


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC), level, logger, message, extra fields, exc."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(
            (k, v) for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")
        )
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(
    level: str = "INFO",
    fmt: str = "text",
    secrets: Iterable[str] = (),
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Install (or replace) uavwatch's root handler writing `fmt` ("text"|"json") at `level`."""
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter())
    handler.addFilter(SecretFilter(secrets))
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    for old in root.handlers[:]:  # ours only: a host's handlers (pytest's capture) stay
        if old.get_name() == _HANDLER_NAME:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def secret_values(settings: object) -> list[str]:
    """The configured values of every setting marked secret, and a bot token's secret
    half on its own (for SecretFilter)."""
    from bot.config import SETTINGS  # late: config imports nothing from here, keep it so

    values = [
        str(v) for s in SETTINGS if s.secret and (v := getattr(settings, s.name.lower(), None))
    ]
    halves = [m.group(1) for v in values if (m := _BOT_TOKEN.fullmatch(v))]
    return values + halves


def configure_from_environment() -> None:
    """For the CLI: settings from env/.env; if they are invalid, defaults (the command that
    needs the settings reports the problem itself, with every bad key)."""
    from bot.config import load_settings
    from bot.errors import ConfigError

    try:
        settings = load_settings()
    except ConfigError:
        configure_logging()
        return
    configure_logging(settings.log_level, settings.log_format, secret_values(settings))
