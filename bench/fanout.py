"""Alert fan-out: one incident to N subscribers through the real matcher, outbox and sender,
the REAL Telethon client, and the offline fake Telegram (tests/fakes).

    .venv/bin/python bench/fanout.py --subscribers 10000
    .venv/bin/python bench/fanout.py --subscribers 10000 --unlimited
    .venv/bin/python bench/fanout.py --subscribers 2000 --latency-ms 150

Limited (default): the fake enforces Telegram's bot limits in real time (30 messages/s
overall, 1/s per chat) and answers FloodWait when they are broken; the sender runs at
SEND_RATE (25/s). Figures: seconds from the incident's commit to the last message handed to
Telegram, messages_per_s, rate_ratio = achieved / configured, floodwaits, lost (subscribers
without the alert or rows not marked sent), duplicates (subscribers with it twice).
first_send_p99_ms: over `--rounds` separate incidents (each to all N subscribers; after its
first message the rest of that round is dropped, so rounds do not queue behind each other),
the time from the incident's commit to the first message handed to Telegram.
midfanout_first_send_ms: a second incident (Bryansk, for `--side` other subscribers) is
committed once a quarter of the main fan-out went; the time from its commit to its first
message handed to Telegram (fan-outs interleave: it does not wait for the first to end).
--unlimited: no limits in the fake nor in the sender; what the path itself sustains
(claim -> render -> send through Telethon -> mark delivered).

What is measured, in both modes: wall-clock time on one event loop in one process, from the
commit of the main incident to the last of its N messages (and the side incident's) handed
to Telegram, everything included: reading the outbox, rendering, the real Telethon client
(request, answer, its update loop), the fake Telegram answering in the same process, and the
delivered marks committed by the database's thread. `fake_server_seconds` is the part the
fake spent answering as Telegram's server (information only: it is not subtracted). The
`cpu_seconds` is the CPU time of the whole process (every thread) over that span: about
`seconds` means one core's worth of work. The
fake is built with `decode_requests=False` (it answers the request objects the client
serialized, instead of decoding those bytes again); its answers still travel as bytes and
reach Telethon as real objects. `--mark-batch 1` commits every mark before the next send.
`--latency-ms N`: the fake's answers reach the client N ms after the request (Telegram
answers a bot in about 50-200 ms from a VPS; 0, the default, answers on the loop's next
turn). Beside the figures: `one_at_a_time_bound_per_s` (1/latency, what a sender waiting for
each answer could reach at most) and `window_bound_per_s` (WINDOW/latency, the most with
WINDOW sends in flight).
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
from bot.alerts.sender import MARK_BATCH, Sender
from bot.alerts.transport import BOT_CLIENT_OPTIONS, Chat, TelethonTransport
from bot.alerts.window import WINDOW
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database, to_iso, utc_now

SEND_RATE = 25.0
TARGETS = {"rate_ratio": 0.95, "first_send_p99_ms": 100, "unlimited_messages_per_s": 2000}
MAIN_LINK = "https://t.me/kursk_gov/1"
SIDE_LINK = "https://t.me/bryansk_gov/2"
INCIDENT = "Над Курской областью уничтожены {n} беспилотников. Пострадавших нет."
SIDE_INCIDENT = "Над Брянской областью уничтожены {n} беспилотника. Пострадавших нет."


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
        self.side: list[float] = []  # when each message of the side incident was handed

    async def send(
        self, chat: Chat, markup: str, *, reply_to: int | None = None,
        random_id: int | None = None,
    ) -> int:  # fmt: skip
        self.handed.append(time.perf_counter())
        if SIDE_LINK in markup:
            self.side.append(self.handed[-1])
        return await super().send(chat, markup, reply_to=reply_to, random_id=random_id)


async def _add_subscribers(
    db: Database, world: FakeTelegram, bot: int, n: int, region: str
) -> None:
    """N users who wrote /start to the bot, each following `region` (setup, untimed)."""
    now = to_iso(utc_now())
    users = [world.add_user(f"S{region}{i}") for i in range(n)]
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
            " SELECT id, ?, ? FROM subscribers WHERE id NOT IN"
            " (SELECT subscriber_id FROM subscriptions)",
            (region, now),
        )


async def _incident(pipeline: Pipeline, n: int, *, side: bool = False) -> float:
    """Commit one new incident post; return the time the commit returned."""
    channel, text = ("bryansk_gov", SIDE_INCIDENT) if side else ("kursk_gov", INCIDENT)
    post = Post(channel, None, n, utc_now(), text.format(n=n), Source.LIVE)
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


async def _count(
    db: Database, world: FakeTelegram, bot: int, link: str, n: int, alert_id: int
) -> tuple[int, int]:
    """(lost, duplicates) of one incident, from the fake's chats and the outbox."""
    per_chat: Counter[int] = Counter()
    for msg in world.accounts[bot].box.values():
        links = [getattr(e, "url", "") for e in msg.entities or ()]
        if msg.out and link in links:
            per_chat[msg.peer_id.user_id] += 1
    unmarked = (
        await db.read(
            "SELECT count(*) FROM outbox WHERE status != 'sent' AND alert_id = ?", (alert_id,)
        )
    )[0][0]
    lost = max(n - len(per_chat), int(unmarked))  # type: ignore[call-overload]
    return lost, sum(c - 1 for c in per_chat.values() if c > 1)


async def _last_alert(db: Database) -> int:
    return int((await db.read("SELECT max(id) FROM alerts"))[0][0])  # type: ignore[arg-type]


async def _main_fanout(
    db: Database, pipeline: Pipeline, transport: TimedTransport, n: int, side: int
) -> dict[str, Any]:
    """The main incident to all N; a quarter of the way in, the side incident to `side`."""
    mark = len(transport.handed)
    committed = await _incident(pipeline, 1)
    main_alert = await _last_alert(db)
    await _wait_for(lambda: len(transport.handed) - mark >= n // 4, 3600)
    side_committed = await _incident(pipeline, 2, side=True)
    side_alert = await _last_alert(db)
    await _wait_for(lambda: len(transport.handed) - mark >= n + side, 3600)
    return {
        "committed": committed,
        "last": transport.handed[-1],
        "main_alert": main_alert,
        "side_alert": side_alert,
        "side_ms": (transport.side[0] - side_committed) * 1000 if transport.side else None,
    }


def _round_trip_bound(in_flight: int, latency_ms: float) -> float | None:
    """Messages/s that `in_flight` sends at once allow when each answer takes `latency_ms`."""
    return round(in_flight * 1000 / latency_ms, 1) if latency_ms > 0 else None


def _p99(values: list[float]) -> float | None:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)] if values else None


async def run(
    subscribers: int, unlimited: bool, rounds: int, side: int, mark_batch: int = MARK_BATCH,
    latency_ms: float = 0.0,
) -> dict[str, Any]:  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="uavwatch-fanout-") as tmp:
        async with await Database.open(Path(tmp) / "bench.db") as db:
            world = FakeTelegram(
                limiter=None if unlimited else BotLimiter(time.monotonic), decode_requests=False,
                latency=latency_ms / 1000,
            )  # fmt: skip
            bot, _ = world.add_bot("uavwatch_bot")
            await _add_subscribers(db, world, bot, subscribers, "RU-KRS")
            await _add_subscribers(db, world, bot, side, "RU-BRY")
            server = ServerClock(world)
            client = world.client(bot, **BOT_CLIENT_OPTIONS)
            await client.connect()
            transport = TimedTransport(client)
            limiter = SendLimiter(1e9, ceiling=math.inf) if unlimited else SendLimiter(SEND_RATE)
            sender = Sender(db, transport, limiter=limiter, mark_batch=mark_batch)
            # Dedup off: the rounds' incidents are alike and would merge into one alert.
            policy = AlertPolicy(dedup_window=timedelta(0))
            enqueuer = AlertEnqueuer(policy=policy, notify=sender.wake)
            pipeline = Pipeline(db, on_ingested=enqueuer)
            stop = asyncio.Event()
            loop_task = asyncio.ensure_future(sender.run(stop))
            try:
                latencies = await _latency_rounds(db, pipeline, sender, transport, rounds)
                server_before, cpu_before = server.seconds, time.process_time()
                fan = await _main_fanout(db, pipeline, transport, subscribers, side)
                server_seconds = server.seconds - server_before
                cpu = time.process_time() - cpu_before
                stop.set()
                await loop_task
                lost, dupes = await _count(db, world, bot, MAIN_LINK, subscribers,
                                           fan["main_alert"])  # fmt: skip
                side_lost, side_dupes = await _count(db, world, bot, SIDE_LINK, side,
                                                     fan["side_alert"])  # fmt: skip
            finally:
                stop.set()
                await client.disconnect()
    sent = subscribers + side
    seconds = fan["last"] - fan["committed"]
    achieved = sent / seconds
    floods = (world.limiter.flood_waits if world.limiter else 0) + sender.stats.flood_waits
    p99 = _p99(latencies)
    return {
        "measured": "end to end: commit -> last message handed to Telegram, one process",
        "mode": "unlimited" if unlimited else "limited",
        "mark_batch": mark_batch,
        "latency_ms": latency_ms,
        "window": WINDOW,
        "subscribers": subscribers,
        "side_subscribers": side,
        "messages": sent,
        "seconds": round(seconds, 3),
        "messages_per_s": round(achieved, 1),
        "one_at_a_time_bound_per_s": _round_trip_bound(1, latency_ms),
        "window_bound_per_s": _round_trip_bound(WINDOW, latency_ms),
        "fake_server_seconds": round(server_seconds, 3),
        "cpu_seconds": round(cpu, 3),  # all threads of the process, over the same span
        "configured_rate": None if unlimited else SEND_RATE,
        "rate_ratio": None if unlimited else round(achieved / SEND_RATE, 4),
        "floodwaits": floods,
        "lost": lost + side_lost,
        "duplicates": dupes + side_dupes,
        "rounds": len(latencies),
        "first_send_p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "first_send_p99_ms": round(p99, 2) if p99 is not None else None,
        "midfanout_first_send_ms": None if fan["side_ms"] is None else round(fan["side_ms"], 2),
        "targets": TARGETS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--unlimited", action="store_true", help="no limits anywhere")
    parser.add_argument("--rounds", type=int, default=20, help="latency rounds")
    parser.add_argument(
        "--side", type=int, default=100, help="subscribers of the mid-fan-out incident"
    )
    parser.add_argument(
        "--mark-batch", type=int, default=MARK_BATCH,
        help="delivered marks per commit (1: every mark committed before the next send)",
    )  # fmt: skip
    parser.add_argument(
        "--latency-ms", type=float, default=0.0,
        help="the fake's answers arrive this many ms after the request (0: at once)",
    )  # fmt: skip
    args = parser.parse_args()
    result = asyncio.run(
        run(args.subscribers, args.unlimited, args.rounds, args.side, args.mark_batch,
            args.latency_ms)
    )  # fmt: skip
    for key, value in result.items():
        print(f"{key:<20} {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
