"""`uavwatch export`, `search`, `stats` and `chart`: the archive for researchers.

Each handler parses its arguments, opens a read-only connection (`connect_reader`: under WAL
it never blocks a running service) and calls one library function in `bot.export`,
`bot.search` or `bot.charts`. Messages go to stderr so `--out -` keeps stdout clean.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tqdm import tqdm

from bot.charts import render_daily_incidents
from bot.classify.regions import lookup_region
from bot.config import load_settings
from bot.errors import InputError
from bot.export import (
    FORMATS,
    ExportFilter,
    count_export_rows,
    export_to_path,
    iter_export_rows,
    parse_time_bound,
    resolve_region,
    write_stream,
)
from bot.models import Label
from bot.search import Stats, compute_stats, daily_incidents, search_posts
from bot.storage import connect_reader, to_iso

LABELS = [label.value for label in Label]
# ANSI bold marks the match when printing to a terminal; brackets when piped.
_TTY_MARKS = ("\x1b[1m", "\x1b[0m")
_PLAIN_MARKS = ("[", "]")
CHART_DEFAULT_DAYS = 30


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    _register_export(sub)
    _register_search(sub)
    _register_stats(sub)
    _register_chart(sub)


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="database file (default: DB_PATH setting)")


def _add_period(parser: argparse.ArgumentParser, *, days: bool) -> None:
    parser.add_argument("--since", help="from this date/datetime on, UTC (YYYY-MM-DD[THH:MM])")
    parser.add_argument("--until", help="up to this date (whole day included) or datetime, UTC")
    if days:
        parser.add_argument("--days", type=int, help="N UTC days up to --until or today")


def _register_export(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        help="export posts with their current classification (csv, jsonl, parquet)",
        description=(
            "Export archived posts with their current classification. Columns: "
            "channel, channel_id, message_id, permalink, date, text, edited, deleted, views, "
            "label, confidence, drones_destroyed, drones_launched, regions, casualties, "
            "damage, classifier_version. CSV is RFC 4180, UTF-8 without BOM (--excel adds "
            "one); text cells starting with = + - @ tab or CR get a leading ' so spreadsheets "
            "do not run them as formulas. Parquet needs the 'parquet' extra."
        ),
    )
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, help="output file, or - for stdout (csv, jsonl)")
    p.add_argument("--excel", action="store_true", help="CSV: add a UTF-8 BOM for Excel")
    p.add_argument("--channel", action="append", default=[], help="username or id; repeatable")
    p.add_argument("--label", action="append", default=[], choices=LABELS, help="repeatable")
    p.add_argument(
        "--region", action="append", default=[], help="code (RU-SMO) or name; repeatable"
    )
    p.add_argument("--query", help="FTS5 full-text query, e.g. '\"Брянской области\" сбит*'")
    _add_period(p, days=False)
    _add_db(p)
    p.set_defaults(handler=run_export)


def _register_search(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "search",
        help="full-text search of archived posts, newest first",
        description=(
            'Search post text (SQLite FTS5 syntax: words are ANDed, "quoted phrases", '
            "OR / NOT, prefix*). Prints date, channel, label, link and a snippet."
        ),
    )
    p.add_argument("query", help='FTS5 query, e.g. беспилот* "Курской области"')
    p.add_argument("--limit", type=int, default=20, help="at most N posts (default 20)")
    p.add_argument("--label", action="append", default=[], choices=LABELS, help="repeatable")
    _add_db(p)
    p.set_defaults(handler=run_search)


def _register_stats(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "stats",
        help="posts and incidents per channel and per region",
        description=(
            "Posts (all, deleted included) and incidents (current label uav_incident, not "
            "deleted) per channel and per region, for posts dated in the period (UTC)."
        ),
    )
    _add_period(p, days=True)
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    _add_db(p)
    p.set_defaults(handler=run_stats)


def _register_chart(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "chart",
        help="PNG chart of daily incidents per region",
        description=(
            "Draw daily incident counts (UTC days) for the regions with most incidents. "
            f"Default period: the last {CHART_DEFAULT_DAYS} days. Needs the 'charts' extra."
        ),
    )
    p.add_argument("--out", required=True, type=Path, help="PNG file to write")
    p.add_argument("--top", type=int, default=5, help="number of regions (default 5)")
    _add_period(p, days=True)
    _add_db(p)
    p.set_defaults(handler=run_chart)


# --- handlers ------------------------------------------------------------------------------


def _connect(args: argparse.Namespace) -> sqlite3.Connection:
    db_path = args.db if args.db is not None else load_settings().db_path
    return connect_reader(db_path)


def _period(
    args: argparse.Namespace, *, default_days: int | None = None
) -> tuple[str | None, str | None]:
    """(since, until) as stored date text. `--days N`: the N UTC days up to `--until`
    (else up to today, included); `default_days` applies when no bound is given."""
    days = getattr(args, "days", None)
    if days is not None and args.since:
        raise InputError("give either --days or --since, not both")
    until = parse_time_bound(args.until, end=True, option="--until") if args.until else None
    if args.since:
        return parse_time_bound(args.since), until
    if days is None and until is None:
        days = default_days
    if days is None:
        return None, until
    if days < 1:
        raise InputError(f"--days {days}: must be 1 or more")
    if until is not None:
        end = datetime.fromisoformat(until)
    else:
        end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        end += timedelta(days=1)
    return to_iso(end - timedelta(days=days)), until


def run_export(args: argparse.Namespace) -> int:
    since, until = _period(args)
    flt = ExportFilter(
        since=since,
        until=until,
        channels=tuple(args.channel),
        labels=tuple(args.label),
        regions=tuple(resolve_region(r) for r in args.region),
        query=args.query,
    )
    if args.out == "-" and args.format == "parquet":
        raise InputError("--format parquet needs a file: give --out PATH.parquet")
    conn = _connect(args)
    try:
        show = sys.stderr.isatty()
        total = count_export_rows(conn, flt) if show else None
        with tqdm(total=total, unit="row", file=sys.stderr, disable=not show) as bar:
            rows = iter_export_rows(conn, flt, on_page=bar.update)
            if args.out == "-":
                count = _write_stdout(rows, args.format, excel=args.excel)
            else:
                count = export_to_path(rows, args.format, Path(args.out), excel=args.excel)
    finally:
        conn.close()
    where = "stdout" if args.out == "-" else args.out
    print(f"exported {count} row(s) to {where}", file=sys.stderr)
    return 0


def _write_stdout(rows: Iterable[tuple[object, ...]], fmt: str, *, excel: bool) -> int:
    """UTF-8 and CRLF kept as written, whatever the platform's stdout encoding."""
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        return write_stream(rows, fmt, stream, excel=excel)
    finally:
        stream.flush()
        stream.detach()


def run_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise InputError(f"--limit {args.limit}: must be 1 or more")
    marks = _TTY_MARKS if sys.stdout.isatty() else _PLAIN_MARKS
    conn = _connect(args)
    try:
        hits = search_posts(
            conn, args.query, limit=args.limit, labels=tuple(args.label), marks=marks
        )
    finally:
        conn.close()
    if not hits:
        print(f"no posts match {args.query!r}", file=sys.stderr)
        return 0
    for hit in hits:
        when = hit.date[:16].replace("T", " ")
        deleted = "  (deleted)" if hit.deleted else ""
        print(f"{when}  {hit.channel}  {hit.label or '-'}  {hit.permalink or ''}{deleted}")
        print("    " + " ".join(hit.snippet.split()))
    return 0


def run_stats(args: argparse.Namespace) -> int:
    since, until = _period(args)
    conn = _connect(args)
    try:
        stats = compute_stats(conn, since=since, until=until)
    finally:
        conn.close()
    if args.json:
        print(json.dumps(stats_json(stats), ensure_ascii=False))
    else:
        print(format_stats(stats))
    return 0


def run_chart(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise InputError(f"--top {args.top}: must be 1 or more")
    since, until = _period(args, default_days=CHART_DEFAULT_DAYS)
    conn = _connect(args)
    try:
        series = daily_incidents(conn, since=since, until=until, top=args.top)
    finally:
        conn.close()
    names = {code: region_name(code) for code in series.counts}
    title = f"UAV incident posts per day, top {len(series.counts)} regions"
    render_daily_incidents(series, args.out, title=title, names=names)
    print(f"wrote {args.out} ({len(series.days)} days, {len(series.counts)} regions)")
    return 0


# --- formatting (pure) ---------------------------------------------------------------------


def region_name(code: str) -> str:
    """English name of a region code for display; '' when the gazetteer does not know it."""
    region = lookup_region(code)
    return region.name_en if region is not None else ""


def stats_json(stats: Stats) -> dict[str, object]:
    data = asdict(stats)
    for row in data["regions"]:
        row["name"] = region_name(row["key"])
    return data


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Aligned columns: text left, numbers right."""
    cells = [[str(h) for h in headers], *[[str(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def format_stats(stats: Stats) -> str:
    period = f"{(stats.since or 'start')[:10]} .. {_until_text(stats.until)}"
    out = [f"{stats.posts} posts, {stats.incidents} incidents ({period}, UTC)", ""]
    if not stats.channels:
        out.append("no posts in this period")
        return "\n".join(out)
    out.append(
        format_table(
            ("channel", "posts", "incidents"),
            [(r.key, r.posts, r.incidents) for r in stats.channels],
        )
    )
    out.append("")
    if stats.regions:
        rows = [(r.key, region_name(r.key), r.posts, r.incidents) for r in stats.regions]
        out.append(format_table(("region", "name", "posts", "incidents"), rows))
    else:
        out.append("no posts with a recognised region in this period")
    return "\n".join(out)


def _until_text(until: str | None) -> str:
    """The exclusive bound shown as the last included day, as the user typed it."""
    if until is None:
        return "now"
    end = datetime.fromisoformat(until)
    if end.time() == datetime.min.time():
        end -= timedelta(days=1)
        return end.date().isoformat()
    return until[:16].replace("T", " ")
