"""The signal handler itself, with real signals raised inside the running loop."""

from __future__ import annotations

import asyncio
import os
import signal
import threading

from fakes.testing import eventually

from bot.service.signals import FORCED_BY_DEADLINE, FORCED_BY_SIGNAL, Shutdown


async def test_first_sigterm_asks_to_stop_and_a_second_forces() -> None:
    stop = asyncio.Event()
    forced: list[str] = []
    with Shutdown(stop, forced.append, deadline=60.0) as shutdown:
        os.kill(os.getpid(), signal.SIGTERM)
        await eventually(stop.is_set)
        assert forced == []
        signal.raise_signal(signal.SIGINT)
        await eventually(lambda: forced == [FORCED_BY_SIGNAL])
    assert shutdown.received == [signal.SIGTERM, signal.SIGINT]


async def test_a_shutdown_past_the_deadline_is_forced() -> None:
    stop = asyncio.Event()
    forced: list[str] = []
    with Shutdown(stop, forced.append, deadline=0.05):
        signal.raise_signal(signal.SIGTERM)
        await eventually(lambda: forced == [FORCED_BY_DEADLINE])
    assert stop.is_set()


async def test_handlers_are_removed_on_exit_and_the_timer_with_them() -> None:
    stop = asyncio.Event()
    forced: list[str] = []
    loop = asyncio.get_running_loop()
    with Shutdown(stop, forced.append, deadline=0.05, signals=(signal.SIGUSR1,)):
        signal.raise_signal(signal.SIGUSR1)
        await eventually(stop.is_set)
    assert not loop.remove_signal_handler(signal.SIGUSR1)  # nothing left to remove
    await asyncio.sleep(0.1)
    assert forced == []  # the deadline timer died with the handler


async def test_with_outlive_the_deadline_still_fires_after_the_service_returned() -> None:
    """The CLI's deadline must cover what comes after `serve` returns (asyncio.run and the
    interpreter join worker threads without a limit): leaving the `with` block does not
    cancel it, and it fires from its own thread, whatever the loop is doing."""
    stop = asyncio.Event()
    fired = threading.Event()
    forced: list[str] = []

    def force(reason: str) -> None:
        forced.append(reason)
        fired.set()

    with Shutdown(stop, force, deadline=0.05, outlive=True, signals=(signal.SIGUSR1,)) as sd:
        signal.raise_signal(signal.SIGUSR1)
        await eventually(stop.is_set)
    assert forced == []  # the service returned in time; the timer goes on
    assert await asyncio.to_thread(fired.wait, 10)
    assert forced == [FORCED_BY_DEADLINE] and sd.forced == FORCED_BY_DEADLINE


async def test_the_stop_is_timed_on_the_handlers_clock() -> None:
    stop = asyncio.Event()
    now = [100.0]
    with Shutdown(stop, lambda reason: None, deadline=60.0, signals=(signal.SIGUSR1,),
                  clock=lambda: now[0]) as shutdown:  # fmt: skip
        assert shutdown.elapsed() is None
        signal.raise_signal(signal.SIGUSR1)
        await eventually(stop.is_set)
        now[0] = 103.5
        assert shutdown.elapsed() == 3.5


async def test_with_outlive_a_signal_after_the_stop_still_forces() -> None:
    """The stop finished, the process is still exiting: a second SIGUSR1 (SIGTERM in life)
    goes to `force` ("at once", exit 130 in the CLI), not to the default action."""
    stop = asyncio.Event()
    forced: list[str] = []
    previous = signal.getsignal(signal.SIGUSR1)
    try:
        with Shutdown(stop, forced.append, deadline=60, outlive=True, signals=(signal.SIGUSR1,)):
            signal.raise_signal(signal.SIGUSR1)
            await eventually(stop.is_set)
        assert forced == []
        signal.raise_signal(signal.SIGUSR1)  # the default action would end this process
        assert forced == [FORCED_BY_SIGNAL]
    finally:
        signal.signal(signal.SIGUSR1, previous)
