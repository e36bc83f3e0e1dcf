"""Settings: one table of (name, default, help, parser), parsed from the environment and `.env`.

`parse_settings(env)` is pure: it takes a mapping, validates every key, and raises one
`ConfigError` listing all problems at once. `load_settings()` merges `.env` (read with
`dotenv_values`, never written into `os.environ`) under the real environment, so an
exported variable overrides the file. Adding a setting means adding one row to `SETTINGS`
and one field to `Settings`; a test keeps both, `config.example.env` and the README in step.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot.errors import ConfigError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")


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
)

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    db_path: Path
    log_level: str
    log_format: str

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
