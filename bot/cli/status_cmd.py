"""`uavwatch status`: what the service has been doing, read from the database file alone."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.config import load_settings
from bot.status import load_status, render_text, stale_after, to_dict
from bot.storage import utc_now

#: `--check` exit code when the service is not doing its work (a failed part, a stale
#: heartbeat). Docker's HEALTHCHECK wants 1 for "unhealthy"; 1 is also our generic error,
#: which a health check should count as unhealthy too.
UNHEALTHY = 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "status",
        help="channels, posts, outbox, subscribers, parts and jobs at a glance",
        description=(
            "Read the database (read-only: safe while `uavwatch run` writes) and print each "
            "watched channel with its last post, lag (age of the newest stored post) and "
            "cursor, posts/day and the silent flag; posts and incidents in the last 24 h; the "
            "outbox (pending, held, parked with their errors); subscribers; the newest "
            "heartbeat of each part and the last run of each scheduled job. A part whose "
            "heartbeat is older than twice HEARTBEAT_MINUTES (+5 min) is stale."
        ),
    )
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.add_argument(
        "--check",
        action="store_true",
        help=f"exit {UNHEALTHY} when a part failed or its heartbeat is stale (health checks)",
    )
    p.add_argument("--db", type=Path, help="database file (default: DB_PATH setting)")
    p.set_defaults(handler=run_status)


def run_status(args: argparse.Namespace) -> int:
    settings = load_settings()
    report = load_status(
        args.db if args.db is not None else settings.db_path,
        utc_now(),
        webpreview=settings.webpreview_channels,
        stale=stale_after(settings.heartbeat_minutes),
    )
    if args.json:
        print(json.dumps(to_dict(report), ensure_ascii=False))
    else:
        print(render_text(report), end="")
    return UNHEALTHY if args.check and report.problems() else 0
