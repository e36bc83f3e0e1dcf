"""What the service knows about each of its parts, shared by the supervisor, the heartbeat
and health jobs, `uavwatch status` and /health.

A part reports progress by calling `Parts.progress(name)` whenever it completes a unit of
work or an idle tick (a poll, a send, a sweep): "no progress for STALL_MINUTES" is then a
real stall, not a quiet night. Pure bookkeeping, no I/O: whoever must know about a change
of status (the service writes a heartbeat row at once, see reporting.py) registers with
`on_change`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.storage import utc_now

# starting -> running -> (restarting -> running)* -> stopped | failed; or disabled.
STATUSES = ("starting", "running", "restarting", "stopped", "disabled", "failed")


@dataclass(frozen=True)
class PartState:
    name: str
    status: str = "starting"
    started_at: datetime | None = None
    last_progress_at: datetime | None = None
    restarts: int = 0
    last_error: str | None = None
    detail: str | None = None  # why it is disabled, or what it is doing


class Parts:
    """The live state of every part, by name; snapshots are immutable copies."""

    def __init__(self, now: Callable[[], datetime] = utc_now) -> None:
        self._now = now
        self._states: dict[str, PartState] = {}
        self._listeners: list[Callable[[PartState], None]] = []

    def add(self, name: str, *, disabled: str | None = None) -> None:
        status = "disabled" if disabled else "starting"
        self._states[name] = PartState(name, status=status, detail=disabled)

    def on_change(self, listener: Callable[[PartState], None]) -> None:
        """Call `listener(new state)` whenever a part's status changes (not on progress)."""
        self._listeners.append(listener)

    def set(self, name: str, **changes: object) -> None:
        if "status" in changes and changes["status"] not in STATUSES:
            raise ValueError(f"unknown part status {changes['status']!r}")
        before = self._states[name]
        after = self._states[name] = replace(before, **changes)  # type: ignore[arg-type]
        if after.status != before.status:
            for listener in self._listeners:
                listener(after)

    def now(self) -> datetime:
        """The registry's clock (the supervisor stamps `started_at` with it)."""
        return self._now()

    def progress(self, name: str) -> None:
        if name in self._states:
            self._states[name] = replace(self._states[name], last_progress_at=self._now())

    def progress_of(self, name: str) -> Callable[[], None]:
        """A callback for a part that should not know the registry."""
        return lambda: self.progress(name)

    def get(self, name: str) -> PartState:
        return self._states[name]

    def snapshot(self) -> list[PartState]:
        return list(self._states.values())
