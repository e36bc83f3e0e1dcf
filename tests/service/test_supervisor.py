"""The supervisor on its own: parts here are small coroutines standing in for the watcher or
the sender (the parts themselves are driven through the fakes in the e2e tests)."""

from __future__ import annotations

import asyncio
import logging
import random

import pytest
from fakes.testing import eventually

from bot.errors import TelegramSetupError
from bot.service.parts import Parts
from bot.service.supervisor import Backoff, Supervisor


class Sleeps:
    """An injected sleep: records the restart waits, waits a tick of real time."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await asyncio.sleep(0.001)


def _supervisor(parts: Parts, sleeps: Sleeps, **kw: object) -> Supervisor:
    options: dict[str, object] = {"backoff": Backoff(base=1.0, cap=8.0), "grace": 1.0}
    options.update(kw)
    return Supervisor(parts, sleep=sleeps, rng=random.Random(7), **options)  # type: ignore[arg-type]


async def test_a_crashing_part_restarts_with_growing_capped_backoff_and_others_keep_going(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """1. `flaky` raises on each of its first 5 runs, then works 2. `steady` counts its
    ticks all along. Result: flaky restarted 5 times after waits that double up to the cap
    (with jitter: each within [ceiling/2, ceiling]); steady never restarted nor stopped."""
    parts, sleeps, stop = Parts(), Sleeps(), asyncio.Event()
    runs: list[int] = []
    ticks: list[int] = []

    async def flaky(stop: asyncio.Event) -> None:
        runs.append(1)
        if len(runs) <= 5:
            raise RuntimeError(f"boom {len(runs)}")
        parts.progress("flaky")
        await stop.wait()

    async def steady(stop: asyncio.Event) -> None:
        while not stop.is_set():
            ticks.append(1)
            parts.progress("steady")
            await asyncio.sleep(0.001)

    supervisor = _supervisor(parts, sleeps)
    supervisor.add("flaky", flaky)
    supervisor.add("steady", steady)
    caplog.set_level(logging.ERROR)
    task = asyncio.ensure_future(supervisor.run(stop))
    await eventually(lambda: parts.get("flaky").last_progress_at is not None)
    before = len(ticks)
    await eventually(lambda: len(ticks) > before + 3)
    stop.set()
    await asyncio.wait_for(task, 5)
    ceilings = [1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(sleeps.asked) == 5
    for asked, ceiling in zip(sleeps.asked, ceilings, strict=True):
        assert ceiling / 2 <= asked <= ceiling
    flaky_state, steady_state = parts.get("flaky"), parts.get("steady")
    assert (flaky_state.restarts, flaky_state.last_error) == (5, "RuntimeError('boom 5')")
    assert (steady_state.restarts, steady_state.status) == (0, "stopped")
    crashed = [r for r in caplog.records if "flaky crashed" in r.getMessage()]
    assert len(crashed) == 5 and all(r.exc_info for r in crashed)  # with the traceback


async def test_a_long_healthy_run_resets_the_backoff() -> None:
    """A part that crashes after running longer than `stable_after` restarts after the
    base wait again, not after the wait its earlier crash streak had reached."""
    parts, sleeps, stop = Parts(), Sleeps(), asyncio.Event()
    now = [0.0]
    runs: list[int] = []

    async def part(stop: asyncio.Event) -> None:
        runs.append(1)
        if len(runs) == 4:
            now[0] += 1000.0  # this run lasts long (on the injected clock) before crashing
        if len(runs) <= 4:
            raise RuntimeError("crash")
        await stop.wait()

    supervisor = _supervisor(parts, sleeps, clock=lambda: now[0])
    supervisor.backoff = Backoff(base=1.0, cap=64.0, stable_after=600.0)
    supervisor.add("part", part)
    task = asyncio.ensure_future(supervisor.run(stop))
    await eventually(lambda: len(runs) == 5)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert [name for name, _ in supervisor.delays] == ["part"] * 4
    assert 2.0 <= sleeps.asked[2] <= 4.0  # the streak had reached the third step
    assert 0.5 <= sleeps.asked[3] <= 1.0  # after the long run: back to the base


async def test_a_setup_error_fails_that_part_and_what_requires_it_while_the_others_go_on() -> None:
    """1. the bot's token is refused (no restart can fix that) 2. the sender requires the
    bot 3. the watcher works. Result: bot and sender are `failed`, never restarted; the
    watcher keeps running until the stop; `run` then returns normally."""
    parts, sleeps, stop = Parts(), Sleeps(), asyncio.Event()
    ticks: list[int] = []

    async def bot(stop: asyncio.Event) -> None:
        raise TelegramSetupError("Telegram refused TG_BOT_TOKEN")

    async def sender(stop: asyncio.Event) -> None:
        await stop.wait()

    async def watcher(stop: asyncio.Event) -> None:
        while not stop.is_set():
            ticks.append(1)
            await asyncio.sleep(0.001)

    supervisor = _supervisor(parts, sleeps, essential=("bot", "watcher"))
    supervisor.add("bot", bot)
    supervisor.add("sender", sender, requires="bot")
    supervisor.add("watcher", watcher)
    task = asyncio.ensure_future(supervisor.run(stop))
    await eventually(lambda: parts.get("sender").status == "failed")
    before = len(ticks)
    await eventually(lambda: len(ticks) > before + 3)  # the watcher goes on
    assert not task.done()
    stop.set()
    await asyncio.wait_for(task, 5)
    bot_state, sender_state = parts.get("bot"), parts.get("sender")
    assert (bot_state.status, bot_state.restarts) == ("failed", 0)
    assert "refused TG_BOT_TOKEN" in (bot_state.last_error or "")
    assert "sender needs bot, which failed" in (sender_state.last_error or "")
    assert parts.get("watcher").status == "stopped" and sleeps.asked == []


async def test_when_every_essential_part_failed_every_part_stops_and_the_error_is_raised() -> None:
    """Watcher and bot both cannot run: the scheduler alone is not worth a process."""
    parts, sleeps, stop = Parts(), Sleeps(), asyncio.Event()

    async def bot(stop: asyncio.Event) -> None:
        raise TelegramSetupError("Telegram refused TG_BOT_TOKEN")

    async def watcher(stop: asyncio.Event) -> None:
        await asyncio.sleep(0.01)
        raise TelegramSetupError("the Telegram session is not logged in")

    async def scheduler(stop: asyncio.Event) -> None:
        await stop.wait()

    supervisor = _supervisor(parts, sleeps, essential=("bot", "watcher", "webpreview"))
    for name, fn in (("bot", bot), ("watcher", watcher), ("scheduler", scheduler)):
        supervisor.add(name, fn)
    with pytest.raises(TelegramSetupError, match="refused TG_BOT_TOKEN"):
        await asyncio.wait_for(supervisor.run(stop), 5)
    assert stop.is_set()
    assert [parts.get(n).status for n in ("bot", "watcher", "scheduler")] == [
        "failed", "failed", "stopped",
    ]  # fmt: skip


async def test_a_part_that_returns_while_the_service_runs_is_restarted_as_a_crash(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A part's run is meant to last until `stop`; returning early (a loop that ran out of
    work, a lost source) is a crash: restarted with backoff, counted, logged, never left
    `stopped` while the service runs (where no stall check would look)."""
    parts, sleeps, stop = Parts(), Sleeps(), asyncio.Event()
    runs: list[int] = []

    async def quitter(stop: asyncio.Event) -> None:
        runs.append(1)
        if len(runs) <= 2:
            return
        await stop.wait()

    supervisor = _supervisor(parts, sleeps)
    supervisor.add("quitter", quitter)
    caplog.set_level(logging.ERROR)
    task = asyncio.ensure_future(supervisor.run(stop))
    await eventually(lambda: len(runs) == 3)
    state = parts.get("quitter")
    assert (state.status, state.restarts) == ("running", 2)
    assert "returned while the service was running" in (state.last_error or "")
    assert [name for name, _ in supervisor.delays] == ["quitter", "quitter"]
    crashed = [r for r in caplog.records if "quitter crashed; restarting" in r.getMessage()]
    assert len(crashed) == 2
    stop.set()
    await asyncio.wait_for(task, 5)
    assert parts.get("quitter").status == "stopped"


async def test_a_part_that_ignores_stop_is_cancelled_after_the_grace_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The shutdown ends in bounded time even when a part hangs (a send that never returns)."""
    parts, sleeps, stop = Parts(), Sleeps(), asyncio.Event()
    cancelled: list[str] = []

    async def stuck(stop: asyncio.Event) -> None:
        try:
            await asyncio.Event().wait()  # never set
        except asyncio.CancelledError:
            cancelled.append("stuck")
            raise

    async def polite(stop: asyncio.Event) -> None:
        await stop.wait()

    supervisor = _supervisor(parts, sleeps, grace=0.05)
    supervisor.add("stuck", stuck)
    supervisor.add("polite", polite)
    task = asyncio.ensure_future(supervisor.run(stop))
    await eventually(lambda: parts.get("stuck").status == "running")
    stop.set()
    await asyncio.wait_for(task, 5)
    assert cancelled == ["stuck"]
    assert parts.get("polite").status == "stopped"
    assert any("stuck did not stop within" in r.getMessage() for r in caplog.records)


async def test_stop_during_a_restart_wait_ends_the_part_at_once() -> None:
    parts, stop = Parts(), asyncio.Event()

    async def crash(stop: asyncio.Event) -> None:
        raise RuntimeError("down")

    supervisor = Supervisor(parts, backoff=Backoff(base=3600.0, cap=3600.0), grace=1.0)
    supervisor.add("crash", crash)
    task = asyncio.ensure_future(supervisor.run(stop))
    await eventually(lambda: parts.get("crash").status == "restarting")
    stop.set()
    await asyncio.wait_for(task, 5)  # not an hour
    assert parts.get("crash").status == "stopped"
