"""Alert fan-out: one incident to N subscribers through the real matcher, outbox and sender,
the REAL Telethon client, and the offline fake Telegram (tests/fakes).

    .venv/bin/python bench/fanout.py --subscribers 10000
    .venv/bin/python bench/fanout.py --subscribers 10000 --unlimited

Limited (default): the fake enforces Telegram's bot limits in real time (30 messages/s
overall, 1/s per chat) and answers FloodWait when they are broken; the sender runs at
SEND_RATE (25/s). Figures: seconds from the incident's commit to the last message handed to
Telegram, messages_per_s, rate_ratio = achieved / configured, floodwaits, lost (subscribers
without the alert or rows not marked sent), duplicates (subscribers with it twice).
first_send_p99_ms: over `--rounds` separate incidents (each to all N subscribers; after its
first message the rest of that round is dropped, so rounds do not queue behind each other),
the time from the incident's commit to the first message handed to Telegram.
--unlimited: no limits in the fake nor in the sender; what the path itself sustains
(claim -> render -> send through Telethon -> mark delivered), one core.
The fake runs in this process: `fake_server_seconds` is the time it spent answering as
Telegram's server, and `sender_path_messages_per_s` is the rate without it (our CPU only).
Targets: rate_ratio >= 0.95, 0 FloodWaits, 0 lost, 0 duplicates, first_send_p99_ms < 100
at 10,000 subscribers; unlimited >= 2,000 messages/s.

Prints a table, then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from datetime import timedelta

from fakes import BotLimiter, FakeTelegram  # the offline Telegram lives with the tests

from bot.alerts.enqueue import AlertEnqueuer, AlertPolicy
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.sender import Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, Chat, TelethonTransport
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database, to_iso, utc_now

SEND_RATE = 25.0
TARGETS = {"rate_ratio": 0.95, "first_send_p99_ms": 100, "unlimited_messages_per_s": 2000}
MAIN_LINK = "https://t.me/kursk_gov/1"
INCIDENT = "Над Курской областью уничтожены {n} беспилотников. Пострадавших нет."


class ServerClock:
    """Time the fake spends being Telegram's server (answering requests): in production that
    is Telegram's CPU, not ours, so `sender_path_messages_per_s` leaves it out."""

    def __init__(self, world: FakeTelegram) -> None:
        self.seconds = 0.0
        self._handle = world.handle
        world.handle = self  # type: ignore[method-assign]

    def __call__(self, sender: Any, request: Any) -> object:
        start = time.perf_counter()
        try:
            return self._handle(sender, request)
        finally:
            self.seconds += time.perf_counter() - start


class TimedTransport(TelethonTransport):
    """The real transport, noting when each message is handed to Telegram."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.handed: list[float] = []

    async def send(
        self, chat: Chat, markup: str, *, reply_to: int | None = None,
        random_id: int | None = None,
    ) -> int:  # fmt: skip
        self.handed.append(time.perf_counter())
        return await super().send(chat, markup, reply_to=reply_to, random_id=random_id)


async def _add_subscribers(db: Database, world: FakeTelegram, bot: int, n: int) -> None:
    """N users who wrote /start to the bot, each subscribed to every region (setup, untimed)."""
    now = to_iso(utc_now())
    users = [world.add_user(f"S{i}") for i in range(n)]
    for user in users:
        world.send_private(user, bot, "/start")
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO subscribers (chat_id, lang, tz, created_at, updated_at)"
            " VALUES (?, ?, 'Europe/Moscow', ?, ?)",
            [(u, ("ru", "uk", "en")[i % 3], now, now) for i, u in enumerate(users)],
        )
        await conn.execute(
            "INSERT INTO subscriptions (subscriber_id, region_code, created_at)"
            " SELECT id, '*', ? FROM subscribers",
            (now,),
        )


async def _incident(pipeline: Pipeline, n: int) -> float:
    """Commit one new incident post; return the time the commit returned."""
    post = Post("kursk_gov", None, n, utc_now(), INCIDENT.format(n=n), Source.LIVE)
    await pipeline.ingest(NewPost(post))
    return time.perf_counter()


async def _wait_for(cond: Any, timeout: float) -> None:
    deadline = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError("the sender did not finish in time")
        await asyncio.sleep(0.001)


async def _latency_rounds(
    db: Database, pipeline: Pipeline, sender: Sender, transport: TimedTransport, rounds: int
) -> list[float]:
    """Commit -> first message handed to Telegram, per round, in ms."""
    out = []
    for r in range(rounds):
        mark = len(transport.handed)
        committed = await _incident(pipeline, 100_000 + r)
        await _wait_for(lambda mark=mark: len(transport.handed) > mark, 10)
        out.append((transport.handed[mark] - committed) * 1000)
        await sender.set_paused(True)
        async with db.transaction() as conn:  # the rest of this round is not measured
            await conn.execute("UPDATE outbox SET status = 'dropped' WHERE status = 'pending'")
        await asyncio.sleep(1.1)  # the chats written to may take a message again
        await sender.set_paused(False)
    return out


async def _count(db: Database, world: FakeTelegram, bot: int, n: int) -> tuple[int, int]:
    """(lost, duplicates) of the main incident, from the fake's chats and the outbox."""
    per_chat: Counter[int] = Counter()
    for msg in world.accounts[bot].box.values():
        links = [getattr(e, "url", "") for e in msg.entities or ()]
        if msg.out and MAIN_LINK in links:  # the main incident, not a latency round's
            per_chat[msg.peer_id.user_id] += 1
    unmarked = (
        await db.read(
            "SELECT count(*) FROM outbox WHERE status != 'sent' AND alert_id ="
            " (SELECT max(id) FROM alerts)"
        )
    )[0][0]
    lost = max(n - len(per_chat), int(unmarked))  # type: ignore[call-overload]
    return lost, sum(c - 1 for c in per_chat.values() if c > 1)


async def run(subscribers: int, unlimited: bool, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="uavwatch-fanout-") as tmp:
        async with await Database.open(Path(tmp) / "bench.db") as db:
            world = FakeTelegram(limiter=None if unlimited else BotLimiter(time.monotonic))
            bot, _ = world.add_bot("uavwatch_bot")
            await _add_subscribers(db, world, bot, subscribers)
            server = ServerClock(world)
            client = world.client(bot, **BOT_CLIENT_OPTIONS)
            await client.connect()
            transport = TimedTransport(client)
            limiter = SendLimiter(1e9, ceiling=math.inf) if unlimited else SendLimiter(SEND_RATE)
            sender = Sender(db, transport, limiter=limiter)
            # Dedup off: the rounds' incidents are alike and would merge into one alert.
            policy = AlertPolicy(dedup_window=timedelta(0))
            enqueuer = AlertEnqueuer(policy=policy, notify=sender.wake)
            pipeline = Pipeline(db, on_ingested=enqueuer)
            stop = asyncio.Event()
            loop_task = asyncio.ensure_future(sender.run(stop))
            try:
                latencies = await _latency_rounds(db, pipeline, sender, transport, rounds)
                mark = len(transport.handed)
                server_before = server.seconds
                committed = await _incident(pipeline, 1)
                await _wait_for(lambda: len(transport.handed) - mark >= subscribers, 3600)
                last = transport.handed[-1]
                server_seconds = server.seconds - server_before
                stop.set()
                await loop_task
                lost, dupes = await _count(db, world, bot, subscribers)
            finally:
                stop.set()
                await client.disconnect()
    seconds = last - committed
    achieved = subscribers / seconds
    configured = math.inf if unlimited else SEND_RATE
    floods = (world.limiter.flood_waits if world.limiter else 0) + sender.stats.flood_waits
    lat = sorted(latencies)
    p99 = lat[min(len(lat) - 1, math.ceil(0.99 * len(lat)) - 1)] if lat else None
    return {
        "mode": "unlimited" if unlimited else "limited",
        "subscribers": subscribers,
        "seconds": round(seconds, 3),
        "messages_per_s": round(achieved, 1),
        "fake_server_seconds": round(server_seconds, 3),
        "sender_path_messages_per_s": round(subscribers / (seconds - server_seconds), 1),
        "configured_rate": None if unlimited else configured,
        "rate_ratio": None if unlimited else round(achieved / configured, 4),
        "floodwaits": floods,
        "lost": lost,
        "duplicates": dupes,
        "rounds": len(lat),
        "first_send_p50_ms": round(statistics.median(lat), 2) if lat else None,
        "first_send_p99_ms": round(p99, 2) if p99 is not None else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--unlimited", action="store_true", help="no limits anywhere")
    parser.add_argument("--rounds", type=int, default=20, help="latency rounds")
    args = parser.parse_args()
    result = asyncio.run(run(args.subscribers, args.unlimited, args.rounds))
    for key, value in result.items():
        print(f"{key:<20} {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
