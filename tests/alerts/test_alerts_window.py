"""Several sends in flight, against a fake Telegram that answers `latency` seconds later.

Real Telegram answers a bot in about 50-200 ms; a sender that waits for each answer before
the next send tops out at 1/latency. These tests run on virtual time (`run_virtual`): the
fake's latency and the sender's waits pass instantly, and the fake's `timeline` says
exactly when each request went and when its answer came back. The sender's clock is the
loop's, so its rate limits and the fake's latency share one time.
"""

from __future__ import annotations

import asyncio
import itertools
import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import subscribe_everyone
from fakes import FakeTelegram
from fakes.testing import eventually, run_virtual
from telethon import TelegramClient, functions
from telethon.tl.tlobject import TLObject

from bot.alerts.enqueue import AlertEnqueuer
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, TelethonTransport
from bot.alerts.window import WINDOW
from bot.models import EditedPost, NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database, utc_now

LATENCY = 0.1
KURSK = "Над Курской областью уничтожены два беспилотника. Пострадавших нет."
SMOLENSK = "Над Смоленской областью уничтожены два беспилотника. Пострадавших нет."
MESSAGES = (functions.messages.SendMessageRequest, functions.messages.EditMessageRequest)


@dataclass
class Span:
    """One message request: when it reached the fake, when its answer reached the client
    (None: never, the client had stopped waiting)."""

    start: float
    end: float | None
    request: Any

    @property
    def chat(self) -> int:
        return int(self.request.peer.user_id)


def _spans(world: FakeTelegram) -> list[Span]:
    """The message requests of the timeline, in the order they reached the fake."""
    spans: dict[int, Span] = {}
    for kind, t, request in world.timeline:
        if not isinstance(request, MESSAGES):
            continue
        if kind == "request":
            spans[id(request)] = Span(t, None, request)
        else:
            spans[id(request)].end = t
    return sorted(spans.values(), key=lambda s: s.start)


def _most_outstanding(spans: list[Span]) -> int:
    """The most message requests out (sent, not answered) at any moment."""
    edges = [(s.start, 1) for s in spans] + [(s.end, -1) for s in spans if s.end is not None]
    out = most = 0
    for _, step in sorted(edges, key=lambda e: (e[0], e[1])):  # an answer before a request
        out += step
        most = max(most, out)
    return most


@dataclass
class Line:
    """The alert path over one database: pipeline -> outbox -> sender -> Telethon -> fake."""

    world: FakeTelegram
    db: Database
    client: TelegramClient
    bot: int
    users: list[int]
    pipeline: Pipeline
    sender: Sender

    def new_sender(self, **options: Any) -> Sender:
        """A sender as after a restart (same database, same bot); the pipeline wakes it."""
        loop = asyncio.get_running_loop()
        # Generous (1,000/s), yet finite: its waits move virtual time on.
        options.setdefault("limiter", SendLimiter(1000, ceiling=math.inf))
        self.sender = Sender(self.db, TelethonTransport(self.client), clock=loop.time, **options)
        return self.sender

    async def post(self, channel: str, message_id: int, text: str, *, edit: bool = False) -> None:
        now = utc_now()
        post = Post(channel, None, message_id, now, text, Source.LIVE,
                    edited_at=now if edit else None)  # fmt: skip
        await self.pipeline.ingest(EditedPost(post) if edit else NewPost(post))

    def alerts(self, user: int) -> list[str]:
        return [m.message for m in self.world.private_messages(user, self.bot) if not m.out]

    async def statuses(self) -> list[tuple[object, ...]]:
        return await self.db.read(
            "SELECT status, attempts, count(*) FROM outbox GROUP BY 1, 2 ORDER BY 1, 2"
        )


@asynccontextmanager
async def _line(
    world: FakeTelegram, path: Path, subscribers: int, **options: Any
) -> AsyncIterator[Line]:
    """`subscribers` users who wrote /start, each following every region."""
    bot, _ = world.add_bot("uavwatch_bot")
    db = await Database.open(path)
    users = await subscribe_everyone(db, world, bot, subscribers)
    client = world.client(bot, **BOT_CLIENT_OPTIONS)
    await client.connect()
    try:
        line = Line(world, db, client, bot, users, Pipeline(db), None)  # type: ignore[arg-type]
        line.new_sender(**options)
        line.pipeline = Pipeline(db, on_ingested=AlertEnqueuer(notify=lambda: line.sender.wake()))
        yield line
    finally:
        await client.disconnect()
        await db.close()


async def _drain(sender: Sender) -> None:
    """Step the sender, sleeping (virtual time) over its waits, until nothing is left."""
    for _ in range(10_000):
        wait = await sender.step()
        if wait is None:
            await sender.finish()
            return
        await asyncio.sleep(wait)
    raise AssertionError("the sender did not settle")


@pytest.fixture
def fake(world: FakeTelegram) -> FakeTelegram:
    """The conftest's fake (no network; its checks run after the test), answering LATENCY s
    later and without rate limits of its own unless a test sets some."""
    world.latency = LATENCY
    world.limiter = None
    return world


@pytest.mark.parametrize("window", [1, WINDOW])
def test_sends_overlap_and_beat_one_per_round_trip(
    fake: FakeTelegram, tmp_path: Path, window: int
) -> None:
    """40 subscribers, one incident, no rate limit to speak of, answers 100 ms late. With one
    send in flight the sender makes at most 1/latency messages per second; with WINDOW it
    has several out at once, never more than WINDOW, and goes faster than 1/latency."""

    async def main() -> list[Span]:
        async with _line(fake, tmp_path / "a.db", 40, window=window) as line:
            await line.post("kursk_gov", 1, KURSK)
            await _drain(line.sender)
            assert [len(line.alerts(u)) for u in line.users] == [1] * 40
            assert await line.statuses() == [("sent", 1, 40)]
        return _spans(fake)

    spans = run_virtual(main())
    assert len(spans) == 40 and all(s.end is not None for s in spans)
    rate = 40 / (max(s.end or 0.0 for s in spans) - spans[0].start)
    if window == 1:
        assert _most_outstanding(spans) == 1
        assert rate <= 1 / LATENCY
    else:
        assert 1 < _most_outstanding(spans) <= WINDOW
        assert rate > 1 / LATENCY * WINDOW / 2  # 8 in flight: about 80/s, not 10/s


def test_a_chat_has_one_request_out_at_a_time_and_its_edit_waits_for_the_alerts_answer(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """5 subscribers, two incidents at once (two messages per chat), then, while the first
    alerts are in flight, the Kursk post is edited. Result: requests to one chat never
    overlap; each chat's edit goes after the answer to the Kursk alert it edits, and edits
    that very message."""

    async def main() -> None:
        async with _line(fake, tmp_path / "b.db", 5) as line:
            stop = asyncio.Event()
            running = asyncio.ensure_future(line.sender.run(stop))
            await line.post("kursk_gov", 1, KURSK)
            await line.post("smolensk_gov", 2, SMOLENSK)
            await eventually(lambda: len(_spans(fake)) >= 5)  # the Kursk alerts are out
            assert all(s.end is None for s in _spans(fake))  # and none is answered yet
            await line.post("kursk_gov", 1, KURSK.replace("два", "три"), edit=True)
            await eventually(lambda: len(fake.sent(MESSAGES[1])) == 5, timeout=10)
            stop.set()
            await running
            for user in line.users:
                shown = line.alerts(user)
                assert len(shown) == 2 and any("3 drones" in m for m in shown), shown
            assert await line.statuses() == [("sent", 1, 15)]
            spans = _spans(fake)
            for user in line.users:
                mine = [s for s in spans if s.chat == user]
                assert len(mine) == 3
                for before, after in itertools.pairwise(mine):
                    assert before.end is not None and after.start >= before.end
                (edit,) = [s for s in mine if isinstance(s.request, MESSAGES[1])]
                (alert,) = [
                    s
                    for s in mine
                    if s.request is not edit.request and "Kursk" in s.request.message
                ]
                assert alert.end is not None and edit.start >= alert.end
                kursk = next(
                    m for m in fake.private_messages(line.bot, user) if "Kursk" in m.message
                )
                assert edit.request.id == kursk.id

    run_virtual(main())


class FloodOn:
    """Stands in for the fake's rate limiter: the n-th message is answered FLOOD_WAIT_3."""

    def __init__(self, n: int) -> None:
        self.n, self.seen = n, 0
        self.chat: int | None = None

    def admit(self, chat_id: int, *, group: bool = False) -> int:
        self.seen += 1
        if self.seen == self.n:
            self.chat = chat_id
            return 3
        return 0


def test_a_floodwait_stops_new_sends_until_those_out_are_answered_and_its_wait_is_kept(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """20 subscribers, the sender at 40/s (a send every 25 ms, about four out at a time),
    answers 100 ms late; the 6th message is answered FLOOD_WAIT_3. Result: after that answer
    no request starts before every one already out is answered; the flooded chat gets
    nothing for 3 s; then everyone has the alert once."""
    flood = FloodOn(6)
    fake.limiter = flood  # type: ignore[assignment]

    async def main() -> None:
        limiter = SendLimiter(40, ceiling=math.inf)
        async with _line(fake, tmp_path / "c.db", 20, limiter=limiter) as line:
            await line.post("kursk_gov", 1, KURSK)
            await _drain(line.sender)
            assert [len(line.alerts(u)) for u in line.users] == [1] * 20
            assert await line.statuses() == [("sent", 1, 20)]
            assert line.sender.stats.flood_waits == 1

    run_virtual(main())
    spans = _spans(fake)
    flooded = spans[5]
    assert flooded.chat == flood.chat and flooded.end is not None
    out = [s for s in spans if s.start < flooded.end]
    later = [s for s in spans if s.start >= flooded.end]
    assert len(out) > 6  # others were out when the FloodWait came back
    answered = max(s.end or math.inf for s in out)
    assert answered > flooded.end and all(s.start >= answered for s in later)
    again = [s for s in later if s.chat == flood.chat]
    assert len(again) == 1 and again[0].start >= flooded.end + 3


def _stop_when(n: int, world: FakeTelegram, act: Callable[[], None]) -> None:
    """Call `act` on the loop's next turn after the n-th message request reached the fake."""
    handle = world.handle

    def counting(sender: Any, request: TLObject) -> object:
        answer = handle(sender, request)
        if isinstance(request, MESSAGES) and len(_spans(world)) == n:
            asyncio.get_running_loop().call_soon(act)
        return answer

    world.handle = counting  # type: ignore[method-assign]


@pytest.mark.parametrize("remember", [True, False])
def test_a_forced_stop_with_sends_in_flight_loses_nothing_and_repeats_only_those(
    fake: FakeTelegram, tmp_path: Path, remember: bool
) -> None:
    """20 subscribers, one incident; the sender's task is cancelled (a forced stop) while
    several sends are out; a new sender takes over. Result: nothing lost; only the sends
    that were out unanswered go again, each with the random_id of its first attempt; a
    Telegram that keeps one message per random_id shows nothing twice (one that forgot shows
    exactly those twice)."""
    fake.remember_random_ids = remember

    async def main() -> set[int]:
        async with _line(fake, tmp_path / "d.db", 20) as line:
            stop = asyncio.Event()
            running = asyncio.ensure_future(line.sender.run(stop))
            _stop_when(12, fake, running.cancel)
            await line.post("kursk_gov", 1, KURSK)
            with pytest.raises(asyncio.CancelledError):
                await running
            first = _spans(fake)
            unanswered = {s.chat for s in first if s.end is None}
            assert 0 < len(unanswered) <= WINDOW
            ((sent,),) = await line.db.read("SELECT count(*) FROM outbox WHERE status = 'sent'")
            assert sent == len(first) - len(unanswered)
            assert await line.statuses() == [("pending", 0, 20 - sent), ("sent", 1, sent)]
            await _drain(line.new_sender())
            assert await line.statuses() == [("sent", 1, 20)]
            shown = {u: len(line.alerts(u)) for u in line.users}
            twice = {u for u, n in shown.items() if n == 2}
            assert set(shown.values()) <= {1, 2} and twice == (set() if remember else unanswered)
            ids = await line.db.read(
                "SELECT s.chat_id, a.telegram_message_id FROM sent_alerts AS a"
                " JOIN subscribers AS s ON s.id = a.subscriber_id"
            )
            for chat, message_id in ids:
                assert message_id == fake.private_messages(line.bot, int(chat))[-1].id  # type: ignore[call-overload]
            return unanswered

    unanswered = run_virtual(main())
    by_chat: dict[int, list[int]] = {}
    for span in _spans(fake):
        by_chat.setdefault(span.chat, []).append(span.request.random_id)
    repeated = {chat for chat, ids in by_chat.items() if len(ids) > 1}
    assert repeated == unanswered
    assert all(len(set(by_chat[chat])) == 1 for chat in repeated)  # the same random_id


def test_a_clean_stop_waits_for_the_sends_out_and_marks_them(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    """20 subscribers, one incident; `stop` is set while sends are out. Result: `run`
    returns within one round trip; every send that went is answered and marked, the rest
    pending with no attempt used; a new sender sends only those (nothing twice, though this
    Telegram forgets random_ids)."""

    async def main() -> None:
        async with _line(fake, tmp_path / "e.db", 20) as line:
            loop = asyncio.get_running_loop()
            stop = asyncio.Event()
            stopped_at: list[float] = []

            def halt() -> None:
                stopped_at.append(loop.time())
                stop.set()

            running = asyncio.ensure_future(line.sender.run(stop))
            _stop_when(12, fake, halt)
            await line.post("kursk_gov", 1, KURSK)
            await running
            assert loop.time() - stopped_at[0] <= LATENCY
            spans = _spans(fake)
            assert 12 <= len(spans) < 20 and all(s.end is not None for s in spans)
            assert await line.statuses() == [
                ("pending", 0, 20 - len(spans)),
                ("sent", 1, len(spans)),
            ]
            await _drain(line.new_sender())
            assert [len(line.alerts(u)) for u in line.users] == [1] * 20
            assert len(_spans(fake)) == 20

    run_virtual(main())
