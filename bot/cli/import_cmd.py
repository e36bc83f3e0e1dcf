"""`uavwatch import PATH...`: Telegram Desktop exports and saved web-preview pages."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from tqdm import tqdm

from bot.config import load_settings
from bot.importer import ImportReport, Progress, import_paths


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "import",
        help="import a Telegram Desktop export or saved t.me/s pages into the archive",
        description=(
            "Import history collected before uavwatch ran. PATH is a Telegram Desktop export "
            "(result.json from Export chat history, format JSON, or its folder) or saved "
            "web-preview pages (https://t.me/s/NAME saved as .html; files or a folder). "
            "Every file is checked first; a broken file changes nothing. Importing twice "
            "adds nothing."
        ),
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    parser.add_argument("--db", type=Path, help="database file (default: DB_PATH setting)")
    parser.add_argument(
        "--home-region",
        metavar="REGION",
        help="the channel's home region, e.g. RU-SMO or 'Смоленская область' (one channel only)",
    )
    parser.add_argument(
        "--channel",
        metavar="USERNAME",
        help="the export's channel username (exports carry only the numeric id), for permalinks",
    )
    parser.set_defaults(handler=run)


def _progress(desc: str, total: int) -> Progress:
    """A byte-counting bar on stderr; tqdm turns itself off when stderr is not a terminal."""
    return tqdm(
        total=total,
        desc=desc,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=sys.stderr,
        disable=None,
        leave=False,
    )


def run(args: argparse.Namespace) -> int:
    db_path = args.db if args.db is not None else load_settings().db_path
    report = asyncio.run(
        import_paths(
            db_path,
            args.paths,
            channel=args.channel,
            home_region=args.home_region,
            progress=_progress,
        )
    )
    print(format_report(report, db_path))
    return 0


def format_report(report: ImportReport, db_path: Path) -> str:
    """One line per file, then a total line when there were several files."""
    lines = [f"imported {len(report.files)} file(s) into {db_path}"]
    for f in report.files:
        lines.append(
            f"{f.path}: {f.kind}, {f.channel}: {f.posts} posts: {f.new} new, "
            f"{f.duplicate} duplicate, {f.edited} edited; {f.service_skipped} service "
            f"message(s) skipped; {f.incidents} new incident(s)"
        )
    if len(report.files) > 1:
        lines.append(
            f"total: {report.total('posts')} posts: {report.total('new')} new, "
            f"{report.total('duplicate')} duplicate, {report.total('edited')} edited; "
            f"{report.total('service_skipped')} service message(s) skipped; "
            f"{report.total('incidents')} new incident(s)"
        )
    return "\n".join(lines)
