"""`uavwatch reclassify`: run the current classifier over stored posts that lack its verdict."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from bot.config import load_settings
from bot.pipeline import Pipeline, ReclassifySummary
from bot.storage import Database


def _utc_date(value: str) -> datetime:
    """'2025-03-01' or an ISO datetime; a value without an offset is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _channel(value: str) -> str | int:
    """A numeric id (also Telethon's -100… form) or a username."""
    stripped = value.strip()
    return int(stripped) if stripped.lstrip("-").isdigit() else stripped


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "reclassify",
        help="classify stored posts with the current classifier version",
        description="Re-run the current classifier over stored posts. Adds a row for the "
        "current version only where none exists; older versions' rows are kept.",
    )
    p.add_argument("--since", type=_utc_date, help="only posts dated on/after this (UTC)")
    p.add_argument("--channel", type=_channel, help="only this channel (username or id)")
    p.add_argument("--db", type=Path, help="database file (default: DB_PATH)")
    p.set_defaults(handler=run)


async def _reclassify(
    db_path: Path, since: datetime | None, channel: str | int | None
) -> ReclassifySummary:
    async with await Database.open(db_path) as db:
        with tqdm(unit="post", file=sys.stderr, disable=None, desc="reclassify") as bar:

            def set_total(n: int) -> None:
                bar.total = n
                bar.refresh()

            return await Pipeline(db).reclassify(
                since=since, channel=channel, progress=bar.update, total=set_total
            )


def run(args: argparse.Namespace) -> int:
    db_path = args.db if args.db is not None else load_settings().db_path
    started = time.perf_counter()
    summary = asyncio.run(_reclassify(db_path, args.since, args.channel))
    elapsed = time.perf_counter() - started
    rate = summary.classified / elapsed if elapsed > 0 else 0.0
    print(
        f"reclassified {summary.classified} posts with classifier {summary.classifier_version}"
        f" ({summary.incidents} incidents) in {elapsed:.1f} s, {rate:,.0f} posts/s"
    )
    return 0
