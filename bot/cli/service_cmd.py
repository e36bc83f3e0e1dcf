"""`uavwatch run`: the long-running service (watcher, web preview, bot, sender, scheduler).

Thin: load and validate the settings (every bad key in one error), build the `Service`
(which refuses a configuration with nothing to watch before anything connects), and run
it until SIGINT/SIGTERM. Only here may the process end at once: a second signal, or a
shutdown past its deadline, calls `os._exit` (SQLite's WAL makes that safe). The deadline
outlives `run_service` on purpose (`outlive=True`): after the service returned, asyncio
and the interpreter still join worker threads without a limit, and the process must end
within the 10 s either way.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from dataclasses import replace
from pathlib import Path

from bot.config import load_settings
from bot.logs import configure_logging, secret_values
from bot.service.runner import Service, serve
from bot.service.signals import FORCED_BY_SIGNAL

#: Exit codes of a forced stop: 130 as for an interrupt; 1 when the deadline passed.
EXIT_INTERRUPTED = 130
EXIT_DEADLINE = 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "run",
        help="run the service: watcher, web-preview poller, bot, sender and scheduled jobs",
    )
    p.add_argument("--db", type=Path, help="database file (default: DB_PATH)")
    p.set_defaults(handler=run_service)


def run_service(args: argparse.Namespace) -> int:
    settings = load_settings()
    if args.db is not None:
        settings = replace(settings, db_path=args.db)
    configure_logging(settings.log_level, settings.log_format, secret_values(settings))
    service = Service(settings)
    asyncio.run(serve(service, force=_exit_now, outlive=True))
    return 0


def _exit_now(reason: str) -> None:
    """End the process at once (a second signal, or the shutdown deadline passed)."""
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(EXIT_INTERRUPTED if reason == FORCED_BY_SIGNAL else EXIT_DEADLINE)
