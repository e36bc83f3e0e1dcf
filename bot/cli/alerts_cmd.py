"""`uavwatch demo` (the alert path end to end, offline, on a replay feed) and
`uavwatch alerts requeue` (parked deliveries back in the queue)."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bot.alerts import upkeep
from bot.config import load_settings
from bot.demo import bundled_feed, format_report, run_demo
from bot.errors import StorageError
from bot.sources.replay import open_feed
from bot.storage import Database, utc_now


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

    alerts = sub.add_parser("alerts", help="the alert outbox: requeue parked deliveries")
    asub = alerts.add_subparsers(dest="action", metavar="ACTION", required=True)
    rq = asub.add_parser(
        "requeue",
        help="put parked deliveries back in the queue",
        description=(
            "A delivery that failed MAX_ATTEMPTS times is parked (shown by `uavwatch status` "
            "and /health) and never tried again by itself. After the cause is gone (an "
            "outage, a fixed bug), this puts it back: pending, its attempts reset. A running "
            "service picks it up within seconds. Safe while `uavwatch run` runs."
        ),
    )
    which = rq.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true", help="every parked delivery")
    which.add_argument(
        "--id", type=int, action="append", dest="ids", metavar="N",
        help="the parked delivery with this outbox id (repeatable)",
    )  # fmt: skip
    rq.add_argument("--db", type=Path, help="database file (default: DB_PATH setting)")
    rq.set_defaults(handler=run_requeue)


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


async def _requeue(db_path: Path, ids: list[int] | None) -> list[int]:
    if not db_path.is_file():
        raise StorageError(f"{db_path}: no database here; check DB_PATH or --db")
    async with await Database.open(db_path) as db, db.transaction() as conn:
        return await upkeep.requeue_parked(conn, ids, utc_now())


def run_requeue(args: argparse.Namespace) -> int:
    path = args.db if args.db is not None else load_settings().db_path
    ids = None if args.all else list(args.ids)
    found = asyncio.run(_requeue(path, ids))
    missing = sorted(set(ids or ()) - set(found))
    print(f"requeued {len(found)} parked deliver{'y' if len(found) == 1 else 'ies'}")
    if missing:
        print(f"not parked (left alone): {', '.join(map(str, missing))}")
    return 0
