"""The `uavwatch` command: argument parsing and error reporting only.

Each command group lives in its own module with `register(subparsers)`; a handler parses
nothing itself beyond its arguments, calls one library function, and returns an exit code.
Typed `UavwatchError`s become one clear message on stderr and their exit code here, in one
place; user errors never show a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot import __version__
from bot.cli import (
    alerts_cmd,
    classify_cmd,
    export_cmd,
    import_cmd,
    reclassify_cmd,
    service_cmd,
    status_cmd,
    telegram_cmd,
)
from bot.errors import UavwatchError
from bot.logs import configure_from_environment

COMMAND_MODULES = (
    classify_cmd,
    import_cmd,
    reclassify_cmd,
    export_cmd,
    telegram_cmd,
    alerts_cmd,
    service_cmd,
    status_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uavwatch",
        description="Monitor official Telegram channels for UAV incident reports.",
    )
    parser.add_argument("--version", action="version", version=f"uavwatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_from_environment()
    try:
        return int(args.handler(args))
    except UavwatchError as exc:
        print(f"uavwatch: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("uavwatch: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `uavwatch export ... | head`: the reader went away; not an error worth a traceback.
        sys.stderr.close()
        return 0
