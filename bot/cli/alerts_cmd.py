"""`uavwatch demo`: the alert path end to end, offline, on a replay feed."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bot.demo import bundled_feed, format_report, run_demo
from bot.sources.replay import open_feed
from bot.storage import Database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "demo",
        help="replay sample posts through classification, matching and alerts (offline)",
        description=(
            "Run the whole pipeline offline, with no credentials: a replay feed of posts "
            "(the bundled one unless --feed) is stored, classified, matched against three "
            "sample subscribers (ru, uk, en) and sent through the outbox to a console sender "
            "that prints each message as the subscriber would see it; then a summary."
        ),
    )
    parser.add_argument(
        "--db", type=Path, help="keep the resulting database here (default: a temporary one)"
    )
    parser.add_argument(
        "--feed", type=Path, metavar="FILE", help="replay this JSON-lines file instead"
    )
    parser.set_defaults(handler=run)


async def _demo(db_path: Path, feed: list[str], *, keep: bool) -> str:
    async with await Database.open(db_path) as db:
        report = await run_demo(db, feed, print)
    return format_report(report, db_path if keep else None)


def run(args: argparse.Namespace) -> int:
    feed = open_feed(args.feed) if args.feed is not None else bundled_feed()
    if args.db is not None:
        print(asyncio.run(_demo(args.db, feed, keep=True)))
        return 0
    with tempfile.TemporaryDirectory(prefix="uavwatch-demo-") as tmp:
        print(asyncio.run(_demo(Path(tmp) / "demo.db", feed, keep=False)))
    return 0
