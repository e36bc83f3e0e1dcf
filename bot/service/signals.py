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

The timer is a thread, not a loop callback: the event loop can be blocked, or gone, while
the process still waits (asyncio.run joins worker threads without a limit; the interpreter
joins the database thread). With `outlive=True` (the CLI) the timer is left running when
the `with` block ends, until the process exits: the deadline then covers everything after
the service returned too; `force` must be safe to call from any thread (os._exit is).
`elapsed()` is the stop's duration on the service's own clock, for the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import time
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
        outlive: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stop = stop
        self.force = force
        self.deadline = deadline
        self.signals = tuple(signals)
        self.outlive = outlive
        self.received: list[signal.Signals] = []
        self.forced: str | None = None
        self.signalled_at: float | None = None
        self._clock = clock
        self._timer: threading.Timer | None = None
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
        if self._timer is not None and not self.outlive:
            self._timer.cancel()
        if self._loop is not None and not self._loop.is_closed():
            for sig in self.signals:
                self._loop.remove_signal_handler(sig)
                if self.outlive and self.received:
                    # Stopped, the process still exiting (joins, the interpreter): a second
                    # signal now means "at once" too, not the default kill (exit 143).
                    with contextlib.suppress(ValueError):  # not the main thread
                        signal.signal(sig, self._signalled_late)

    def _signalled_late(self, signum: int, frame: object) -> None:
        self.handle(signal.Signals(signum))

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
        self.signalled_at = self._clock()
        self.stop.set()
        self._loop = self._loop or asyncio.get_running_loop()
        self._timer = threading.Timer(self.deadline, self._deadline_passed)
        self._timer.daemon = True
        self._timer.start()

    def elapsed(self) -> float | None:
        """Seconds since the first signal (None: no signal came)."""
        return None if self.signalled_at is None else self._clock() - self.signalled_at

    def _deadline_passed(self) -> None:
        """In the timer's thread: force here (outlive) or in the loop, if it still runs."""
        if self.outlive:
            self._force(FORCED_BY_DEADLINE)
            return
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed meanwhile: nothing to force
                loop.call_soon_threadsafe(self._force, FORCED_BY_DEADLINE)

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
