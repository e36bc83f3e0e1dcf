"""The sender's sends in flight: a few at once, never two to one chat.

Why: Telegram answers a bot's send in about 50-200 ms from a VPS. A sender that waits for
each answer before the next send tops out at 1/latency, 5-20 messages/s, below SEND_RATE.
With W sends in flight it reaches W/latency, and the token buckets, not the round trip,
set the pace. Each send is a task; the sender (the only one that commits the ledger, see
ledger.py) takes in what the answered ones became (`take_landed`).

Rules kept here: at most `size` sends in flight; a chat with a send in flight (or one whose
outcome the sender has not taken in yet) takes no other, so a chat's messages go one after
the other, each after the answer to the one before (an edit after the answer that gave
the id it edits); after a FloodWait (`hold`) nothing new starts until every send already
out has been answered, so a bot over its limit does not pile more sends onto Telegram
while the others come back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from bot.alerts.delivery import Outcome
from bot.alerts.outbox import DueRow

# Sends in flight at once. Telegram takes about 30 messages/s from one bot (Bot FAQ, "My bot
# is hitting limits"), and answers a send in about 50-200 ms from a VPS. At SEND_RATE's
# ceiling (28/s) and a slow 200 ms answer, 28 x 0.2 = 5.6 answers are outstanding at any
# moment, so 8 keeps the rate limit, not the round trip, the limit up to 8 / 28 = 285 ms.
# Small on purpose: it bounds what a crash catches in flight (sent, not yet answered, so
# not marked) and how many sends are already out when a FloodWait comes back.
WINDOW = 8


@dataclass(slots=True)
class Flight:
    """One row's send: its task ends with the row's outcome. `out`: its message was handed
    to Telegram (or it ended without one)."""

    row: DueRow
    task: asyncio.Task[Outcome]
    out: bool = False


class Window:
    """`on_landing` is called when a send is answered (the sender's loop wakes up)."""

    def __init__(self, size: int = WINDOW, on_landing: Callable[[], None] | None = None) -> None:
        self.size = max(1, size)
        self._on_landing = on_landing
        self._by_chat: dict[int, Flight] = {}  # in flight, or landed and not taken in yet
        self._running = 0
        self._preparing = 0  # started, not handed to Telegram yet (reading what they need)
        self._landed: list[Flight] = []
        self._holding = False
        self._waiter: asyncio.Future[None] | None = None
        self.launched = 0  # sends started, ever

    def __bool__(self) -> bool:
        return bool(self._by_chat)

    @property
    def running(self) -> int:
        """Sends out, not answered yet."""
        return self._running

    @property
    def full(self) -> bool:
        """No send may start now (the window is full, or held after a FloodWait)."""
        return self._running >= self.size or (self._holding and self._running > 0)

    @property
    def landed(self) -> bool:
        return bool(self._landed)

    @property
    def rows(self) -> set[int]:
        """Outbox ids in the window (the sender's reads leave them out)."""
        return {flight.row.id for flight in self._by_chat.values()}

    def busy(self, chat_id: int) -> bool:
        return chat_id in self._by_chat

    def launch(self, row: DueRow, send: Coroutine[Any, Any, Outcome]) -> None:
        if self.busy(row.chat_id):
            raise RuntimeError(f"chat {row.chat_id} already has a send in flight")
        flight = Flight(row, asyncio.get_running_loop().create_task(send))
        self._by_chat[row.chat_id] = flight
        self._running += 1
        self._preparing += 1
        self.launched += 1
        flight.task.add_done_callback(lambda _task: self._land(flight))

    def handed(self, chat_id: int) -> None:
        """The send of `chat_id` hands its message to Telegram now."""
        flight = self._by_chat.get(chat_id)
        if flight is not None and not flight.out:
            flight.out = True
            self._preparing -= 1
            if not self._preparing:
                self.interrupt()

    def _land(self, flight: Flight) -> None:
        if not flight.out:
            flight.out = True
            self._preparing -= 1
        self._running -= 1
        if not self._running:
            self._holding = False
        self._landed.append(flight)
        self.interrupt()
        if self._on_landing is not None:
            self._on_landing()

    def take_landed(self) -> list[Flight]:
        """The answered sends, oldest first; their chats are free again."""
        landed, self._landed = self._landed, []
        for flight in landed:
            del self._by_chat[flight.row.chat_id]
        return landed

    def hold(self) -> None:
        """A FloodWait came back: start nothing until every send out has been answered."""
        if self._running:
            self._holding = True

    def interrupt(self) -> None:
        """End a `wait` now (an answer, new rows, a pause)."""
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def wait(self) -> None:
        """Until a send is answered or `interrupt` is called (at once if one landed)."""
        if self._landed or not self._running:
            return
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    async def until_out(self) -> None:
        """Until every send started has handed its message to Telegram (or ended): a step
        returns once what it started is out, so its wait counts from there."""
        while self._preparing:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None

    async def land_all(self) -> None:
        """Until every send out has been answered (landed, whether taken in or not)."""
        while self._running:
            out = [f.task for f in self._by_chat.values() if not f.task.done()]
            if out:
                await asyncio.wait(out)
            await asyncio.sleep(0)  # their landing callbacks run

    async def cancel(self) -> None:
        """A forced stop: the sends out are cancelled (their rows stay pending, to be sent
        again with the same random_id) and this returns once they have ended."""
        tasks = [f.task for f in self._by_chat.values() if not f.task.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
