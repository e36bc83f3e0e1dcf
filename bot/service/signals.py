"""SIGINT/SIGTERM for `uavwatch run`: the first drains, a second (or the deadline) forces.

First signal: set `stop`. Every part stops taking new work and finishes what it holds
(the sender ends after the message in flight, the watcher commits what it read), the
database is flushed and closed, clients disconnect; the process exits 0. The shutdown must
end within `deadline` seconds (systemd and docker kill after 10 s by default), so a timer
starts with the first signal.

Second signal, or the timer: `force(reason)` is called. What "at once" means is the
caller's choice: the CLI ends the process immediately; the library default cancels the
service's task. Either is safe: SQLite in WAL mode survives a kill without corruption, and
the outbox is marked per message, so a forced exit can repeat at most the one message that
was being sent.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Iterable
from types import TracebackType

log = logging.getLogger(__name__)

#: Seconds from the first signal to a forced exit: systemd's default TimeoutStopSec and
#: docker's stop timeout are both 10 s, after which they SIGKILL anyway.
SHUTDOWN_DEADLINE = 10.0
SIGNALS = (signal.SIGINT, signal.SIGTERM)
FORCED_BY_SIGNAL = "second signal"
FORCED_BY_DEADLINE = "deadline"


class Shutdown:
    """Use as `with Shutdown(stop, force):` inside the running loop (installs the handlers,
    removes them on exit). `handle(signum)` is the handler itself, callable from tests."""

    def __init__(
        self,
        stop: asyncio.Event,
        force: Callable[[str], None],
        *,
        deadline: float = SHUTDOWN_DEADLINE,
        signals: Iterable[signal.Signals] = SIGNALS,
    ) -> None:
        self.stop = stop
        self.force = force
        self.deadline = deadline
        self.signals = tuple(signals)
        self.received: list[signal.Signals] = []
        self.forced: str | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def __enter__(self) -> Shutdown:
        self._loop = asyncio.get_running_loop()
        for sig in self.signals:
            self._loop.add_signal_handler(sig, self.handle, sig)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._loop is not None and not self._loop.is_closed():
            for sig in self.signals:
                self._loop.remove_signal_handler(sig)

    def handle(self, signum: signal.Signals) -> None:
        self.received.append(signum)
        name = signal.Signals(signum).name
        if len(self.received) > 1:
            log.warning("%s again: stopping at once (the database is safe: WAL)", name)
            self._force(FORCED_BY_SIGNAL)
            return
        log.info(
            "%s: stopping (finishing in-flight work, at most %.0f s; send it again to stop "
            "at once)",
            name,
            self.deadline,
        )
        self.stop.set()
        loop = self._loop or asyncio.get_running_loop()
        self._timer = loop.call_later(self.deadline, self._force, FORCED_BY_DEADLINE)

    def _force(self, reason: str) -> None:
        if self.forced is not None:
            return
        self.forced = reason
        if reason == FORCED_BY_DEADLINE:
            log.error(
                "shutdown did not finish within %.0f s; stopping at once (the database is "
                "safe: WAL; at most one alert may be sent again)",
                self.deadline,
            )
        self.force(reason)
