"""The error hierarchy. Every error says what went wrong, where, and how to fix it.

    UavwatchError                 base; the CLI prints str(error) and exits non-zero
    ├── ConfigError               one or more settings invalid or missing (all listed at once)
    ├── InputError                a file or argument the user gave is unusable
    │   └── MalformedFileError    a file broke at a known place (file, line/column or element)
    ├── StorageError              the database cannot be opened/migrated/written
    │   └── WriteBusy             another process holds the write lock right now (retry later)
    └── TelegramSetupError        credentials or session unusable (names the keys to set)

Library code raises these; only `bot.cli` turns them into messages and exit codes.
"""

from __future__ import annotations


class UavwatchError(Exception):
    """Base class: `str(err)` is a complete, user-facing message."""

    exit_code = 1


class ConfigError(UavwatchError):
    """Invalid settings. `problems` lists every bad key, so the user fixes them in one go."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"invalid configuration ({len(self.problems)} problem(s)):\n{lines}\n"
            "See config.example.env for every setting with an example."
        )


class InputError(UavwatchError):
    exit_code = 2


class MalformedFileError(InputError):
    """A file that broke at a known place; nothing from it was stored."""

    def __init__(self, path: str, where: str, reason: str, hint: str = "") -> None:
        self.path = path
        self.where = where
        self.reason = reason
        msg = f"{path}: {where}: {reason}"
        if hint:
            msg += f"\n  hint: {hint}"
        super().__init__(msg)


class StorageError(UavwatchError):
    pass


class WriteBusy(StorageError):
    """A write that was asked not to wait found another process holding the write lock
    (an import): nothing was written; the caller keeps its work and tries again later."""


class TelegramSetupError(UavwatchError):
    exit_code = 2
