"""The watcher's rounds (poll, reconcile sweep, catch-up) as the service records them.

A round reads many channels; each channel's failure is logged and retried next round, so
the round itself goes on. `run_round` gathers those failures (through a context variable
that asyncio.gather copies into every channel's task) and reports the round to `on_round`
as one outcome: its name, when it started, and None or the error (a `RoundFailed` naming
the channels). The service writes that into `job_runs`, beside the scheduled jobs.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

log = logging.getLogger(__name__)

#: A finished round: (name, when it started, its error or None).
OnRound = Callable[[str, datetime, BaseException | None], Awaitable[object]]
# Failures shown in a round's error, at most (the log has every one).
_SHOWN = 5

_FAILURES: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "round_failures", default=None
)


class RoundFailed(Exception):
    """Some channels of a round failed (each is retried next round)."""


def channel_failed(label: str, exc: BaseException) -> None:
    """Count a channel's failure in the round running in this context (if any)."""
    failures = _FAILURES.get()
    if failures is not None:
        failures.append(f"{label}: {exc}")


async def run_round(
    name: str,
    job: Callable[[], Awaitable[object]],
    *,
    now: Callable[[], datetime],
    on_round: OnRound | None,
) -> None:
    """Run one round and report it; the round's own exception is re-raised."""
    failures: list[str] = []
    token = _FAILURES.set(failures)
    started, error = now(), None
    try:
        await job()
    except Exception as exc:
        error = exc
        raise
    finally:
        _FAILURES.reset(token)
        if error is None and failures:
            more = f" (+{len(failures) - _SHOWN} more)" if len(failures) > _SHOWN else ""
            error = RoundFailed(
                f"{len(failures)} channel(s) failed: " + "; ".join(failures[:_SHOWN]) + more
            )
        if on_round is not None:
            try:
                await on_round(name, started, error)
            except Exception as exc:  # bookkeeping: the round's work is done either way
                log.warning("could not record the %s round: %s", name, exc)
