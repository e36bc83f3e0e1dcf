"""Watcher throughput and latency: channel updates through the REAL Telethon client (wired to
the offline fake in tests/fakes) into the pipeline, beside an in-run baseline.

    .venv/bin/python bench/watcher.py --updates 50000

1. Burst: N new-post updates pushed by the fake (in `Updates` of 200, as Telegram batches
   busy channels) to a connected watcher: MessageBox, the NewMessage builder, our handler,
   group commit into the pipeline (post + classification committed). updates_per_s counts
   from the first push to the last commit.
2. Steady: 100 updates/s for `--steady` seconds, one post per push; latency from the push
   to the moment its commit returned (the alert stage's hook): latency_p50_ms / p99_ms.
3. Baseline: the same N posts straight into `Pipeline.ingest_events` in batches of 200
   (no Telegram): pipeline_posts_per_s, the ceiling the watcher adds its cost to.
Targets: updates_per_s >= 2,000; latency_p99_ms < 50 at 100 updates/s.

Prints a table, then one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes import FakeTelegram  # the offline Telegram lives with the tests

from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.sources.telegram.ingest import Ingested
from bot.sources.telegram.refs import parse_channel_refs
from bot.sources.telegram.watcher import Watcher, WatcherConfig
from bot.storage import Database

TARGETS = {"updates_per_s": 2_000, "latency_p99_ms": 50}
BATCH = 200
TEXTS = (
    "Дежурными средствами ПВО перехвачены и уничтожены {n} украинских беспилотных "
    "летательных аппаратов над территорией Брянской области.",
    "Над Смоленской областью сбит беспилотник, пострадавших нет. Пост {n}.",
    "Уважаемые жители! Завтра плановое отключение воды на улице Ленина, дом {n}.",
    "У ніч на {n} листопада противник атакував ударними БпЛА типу Shahed. Збито 20.",
    "Поздравляю выпускников {n} школы с окончанием учебного года!",
)


def text(n: int) -> str:
    return TEXTS[n % len(TEXTS)].format(n=n % 97 + 1)


class Meter:
    """Push times by message id, commit times from the watcher's post-commit hook."""

    def __init__(self) -> None:
        self.pushed: dict[int, float] = {}
        self.committed: dict[int, float] = {}
        self.done = asyncio.Event()
        self.expect = 0

    async def on_ingested(self, item: Ingested) -> None:
        mid = item.result.message_id
        if item.result.kind == "new" and mid not in self.committed:
            self.committed[mid] = time.perf_counter()
            if len(self.committed) >= self.expect:
                self.done.set()


async def _watcher(db: Database, world: FakeTelegram, me: int, meter: Meter) -> Watcher:
    def factory(**options: Any) -> Any:
        return world.client(me, **options)

    config = WatcherConfig(channels=parse_channel_refs("bench_channel"), poll_seconds=3600)
    watcher = Watcher(db, Pipeline(db), factory, config, on_ingested=meter.on_ingested)
    await watcher.start()
    return watcher


async def burst(path: Path, updates: int) -> dict[str, float]:
    world = FakeTelegram()
    me = world.add_user("Bench")
    world.add_channel("Bench", username="bench_channel")
    meter = Meter()
    meter.expect = updates
    async with await Database.open(path) as db:
        watcher = await _watcher(db, world, me, meter)
        start = time.perf_counter()
        for first in range(0, updates, BATCH):
            count = min(BATCH, updates - first)
            now = time.perf_counter()
            for mid in world.publish_many("bench_channel", (text(first + i) for i in range(count))):
                meter.pushed[mid] = now
            await asyncio.sleep(0)  # let the client take the push, as a socket read would
        await asyncio.wait_for(meter.done.wait(), timeout=600)
        elapsed = max(meter.committed.values()) - start
        stored = (await db.read("SELECT count(*) FROM classifications"))[0][0]
        gaps = sum(1 for r in world.requests if r.name == "GetHistoryRequest")
        await watcher.stop()
    return {
        "updates": updates,
        "updates_per_s": updates / elapsed,
        "burst_s": elapsed,
        "classified": float(stored),  # type: ignore[arg-type]
        "transactions": float(watcher.ingestor.transactions),
        "history_reads": float(gaps),
    }


async def steady(path: Path, seconds: float, rate: float) -> dict[str, float]:
    world = FakeTelegram()
    me = world.add_user("Bench")
    world.add_channel("Bench", username="bench_channel")
    meter = Meter()
    total = int(seconds * rate)
    meter.expect = total
    async with await Database.open(path) as db:
        watcher = await _watcher(db, world, me, meter)
        loop = asyncio.get_running_loop()
        start = loop.time()
        for n in range(total):
            delay = start + n / rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            meter.pushed[world.publish("bench_channel", text(n)).id] = time.perf_counter()
        await asyncio.wait_for(meter.done.wait(), timeout=120)
        await watcher.stop()
    latencies = sorted((meter.committed[m] - meter.pushed[m]) * 1000 for m in meter.committed)
    return {
        "steady_updates": float(total),
        "steady_rate": rate,
        "latency_p50_ms": statistics.median(latencies),
        "latency_p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "latency_max_ms": latencies[-1],
    }


async def baseline(path: Path, updates: int) -> dict[str, float]:
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    events = [
        NewPost(
            Post("bench_channel", 1_500_000_001, n, t0 + timedelta(seconds=n), text(n), Source.LIVE)
        )
        for n in range(1, updates + 1)
    ]
    async with await Database.open(path) as db:
        pipeline = Pipeline(db)
        start = time.perf_counter()
        for first in range(0, updates, BATCH):
            await pipeline.ingest_events(events[first : first + BATCH])
        elapsed = time.perf_counter() - start
    return {"pipeline_posts_per_s": updates / elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=50_000)
    parser.add_argument("--steady", type=float, default=10.0, help="seconds at --rate")
    parser.add_argument("--rate", type=float, default=100.0, help="updates/s, steady phase")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(burst(Path(tmp) / "burst.db", args.updates))
        figures |= asyncio.run(steady(Path(tmp) / "steady.db", args.steady, args.rate))
        figures |= asyncio.run(baseline(Path(tmp) / "baseline.db", args.updates))
    figures["watcher_vs_pipeline"] = figures["updates_per_s"] / figures["pipeline_posts_per_s"]
    figures["meets_targets"] = float(
        figures["updates_per_s"] >= TARGETS["updates_per_s"]
        and figures["latency_p99_ms"] < TARGETS["latency_p99_ms"]
    )
    for key, value in figures.items():
        target = TARGETS.get(key)
        print(f"{key:24} {value:14,.2f}" + (f"   (target {target:,})" if target else ""))
    print(json.dumps({k: round(v, 3) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
