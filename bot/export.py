"""Researcher exports: filters -> one keyset-paged query -> a streaming CSV/JSONL/Parquet writer.

Every export has the same columns, in this order (`COLUMNS`):
channel, channel_id, message_id, permalink, date, text, edited, deleted, views, label,
confidence, drones_destroyed, drones_launched, regions, casualties, damage, classifier_version.
The classification is the post's current one (its most recently added classifier version).

Formats:
- CSV: RFC 4180 (comma, `"` quoting, CRLF line ends), a header row, UTF-8 without a BOM
  (`excel=True` adds one so Excel detects UTF-8). `edited`/`deleted` are 0/1 and `regions`
  is `;`-joined codes. Safe against formula injection: a text cell that starts with
  `= + - @`, a tab or a carriage return is prefixed with a single quote `'`, so a
  spreadsheet shows it as text instead of running it; numbers are written as they are.
- JSONL: one object per line; `edited`/`deleted` are booleans, `regions` a list.
- Parquet (extra `parquet`): row groups of 50,000 rows; `date` is `timestamp[us, UTC]`,
  `regions` is `list<string>`, `edited`/`deleted` are booleans.

Memory stays constant: pages of `WHERE id > ? ORDER BY id LIMIT n` over post ids (never
OFFSET), each page its own short read, so a long export never holds a snapshot that blocks
the writer's WAL checkpoints. Rows the pipeline writes during an export appear in it when
their id is above the page reached.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from operator import itemgetter
from pathlib import Path
from types import ModuleType
from typing import IO, Any

from bot.classify.regions import lookup_region
from bot.errors import InputError
from bot.search import fts_query_error, is_fts_syntax_error
from bot.storage import to_iso
from bot.storage.channels import normalize_channel_id, normalize_username

# The export's columns in order, each with its kind: the kind says which cells the CSV
# formula guard checks (those stored as text) and which Parquet type the column gets.
_SCHEMA: tuple[tuple[str, str], ...] = (
    ("channel", "text"),
    ("channel_id", "int"),
    ("message_id", "int"),
    ("permalink", "text"),
    ("date", "time"),
    ("text", "text"),
    ("edited", "bool"),
    ("deleted", "bool"),
    ("views", "int"),
    ("label", "text"),
    ("confidence", "float"),
    ("drones_destroyed", "int"),
    ("drones_launched", "int"),
    ("regions", "list"),
    ("casualties", "text"),
    ("damage", "text"),
    ("classifier_version", "text"),
)
COLUMNS: tuple[str, ...] = tuple(name for name, _ in _SCHEMA)
FORMATS = ("csv", "jsonl", "parquet")
_KINDS = tuple(kind for _, kind in _SCHEMA)
_TEXT_INDEXES = tuple(i for i, kind in enumerate(_KINDS) if kind in ("text", "time", "list"))
_BOOL_INDEXES = tuple(i for i, kind in enumerate(_KINDS) if kind == "bool")
_REGIONS = COLUMNS.index("regions")

# Rows per page: large enough that per-query overhead is a few percent, small enough that
# the garbage collector does not keep promoting (and re-scanning) a page's row tuples while
# it is alive: in bench/archive.py 1,000 exports ~10% faster than 5,000, and 500 no faster.
PAGE_SIZE = 1_000
# Parquet row group: readers (pandas, DuckDB) parallelise per group; 50k rows of posts is a
# few tens of MB in memory while the group is built.
PARQUET_ROW_GROUP = 50_000
# OWASP "CSV injection": spreadsheets treat cells starting with these as formulas.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """What to export. Bounds are normalised UTC text comparable with `posts.date`."""

    since: str | None = None  # inclusive
    until: str | None = None  # exclusive
    channels: tuple[str, ...] = ()  # usernames or numeric ids, as the user typed them
    labels: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # region codes
    query: str | None = None  # FTS5 query


def parse_time_bound(value: str, *, end: bool = False, option: str = "--since") -> str:
    """A date or datetime (UTC unless it has an offset) -> stored date text.

    For an end bound a bare date means the whole day is included (the bound is the next
    midnight, exclusive), because `--until 2025-03-31` should include March 31.
    """
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            if end:
                moment += timedelta(days=1)
        else:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise InputError(
            f"{option} {value!r}: not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return to_iso(moment)


def resolve_region(value: str) -> str:
    """A region code or a name in any language (via the gazetteer) -> its code."""
    region = lookup_region(value)
    if region is None:
        raise InputError(
            f"--region {value!r}: unknown region; give a code like RU-SMO or UA-63, "
            "or a name like 'Смоленская область' or 'Kharkiv Oblast'"
        )
    return region.code


_KNOWN_CHANNELS_SQL = (
    "SELECT coalesce(username, CAST(telegram_id AS TEXT)) FROM channels ORDER BY 1 LIMIT 20"
)


def resolve_channels(conn: sqlite3.Connection, names: Sequence[str]) -> tuple[int, ...]:
    """Usernames ("@x", any case) or numeric ids (also Telethon's -100… form) -> channel pks."""
    pks: list[int] = []
    for name in names:
        key = name.strip()
        if key.lstrip("-").isdigit():
            sql, value = (
                "SELECT id FROM channels WHERE telegram_id = ?",
                normalize_channel_id(int(key)),
            )
        else:
            sql, value = "SELECT id FROM channels WHERE username = ?", normalize_username(key)
        found = conn.execute(sql, (value,)).fetchone()
        if found is None:
            known = [r[0] for r in conn.execute(_KNOWN_CHANNELS_SQL)]
            raise InputError(
                f"--channel {name!r}: no such channel in the database; known: "
                f"{', '.join(known) or '(none yet: import or collect posts first)'}"
            )
        pks.append(int(found[0]))
    return tuple(pks)


# The export source is the `posts_current` view, whose column names are ours; `id` last is
# the keyset cursor (stripped before writing).
_SELECT = f"SELECT {', '.join('pc.' + name for name in COLUMNS)}, pc.id"


def build_export_query(flt: ExportFilter, channel_pks: Sequence[int] = ()) -> tuple[str, list[Any]]:
    """SQL + parameters for one page; the caller appends (last_id, page_size).

    With an FTS query the full-text index drives the scan in rowid order, so each page
    reads only its own matches instead of re-running the whole match.
    """
    where: list[str] = []
    params: list[Any] = []
    if flt.query is not None:
        source = "FROM posts_fts JOIN posts_current pc ON pc.id = posts_fts.rowid"
        where.append("posts_fts MATCH ?")
        params.append(flt.query)
        cursor = "posts_fts.rowid"
    else:
        source = "FROM posts_current pc"
        cursor = "pc.id"
    if flt.since is not None:
        where.append("pc.date >= ?")
        params.append(flt.since)
    if flt.until is not None:
        where.append("pc.date < ?")
        params.append(flt.until)
    if channel_pks:
        where.append(f"pc.channel_pk IN ({_marks(channel_pks)})")
        params.extend(channel_pks)
    if flt.labels:
        where.append(f"pc.label IN ({_marks(flt.labels)})")
        params.extend(flt.labels)
    if flt.regions:
        where.append(
            "EXISTS (SELECT 1 FROM post_regions r WHERE r.post_id = pc.id"
            " AND r.classifier_version = pc.classifier_version"
            f" AND r.region_code IN ({_marks(flt.regions)}))"
        )
        params.extend(flt.regions)
    where.append(f"{cursor} > ?")
    sql = f"{_SELECT} {source} WHERE {' AND '.join(where)} ORDER BY {cursor} LIMIT ?"
    return sql, params


_WITHOUT_CURSOR = itemgetter(slice(0, -1))  # drop the trailing post id (C-level slice)


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def iter_export_rows(
    conn: sqlite3.Connection,
    flt: ExportFilter,
    *,
    page_size: int = PAGE_SIZE,
    on_page: Callable[[int], None] | None = None,
) -> Iterator[Row]:
    """Rows in `COLUMNS` order, paged by post id; `on_page(n)` reports progress."""
    channel_pks = resolve_channels(conn, flt.channels) if flt.channels else ()
    sql, params = build_export_query(flt, channel_pks)
    last_id = 0
    while True:
        page = _fetch_page(conn, sql, [*params, last_id, page_size], flt.query)
        if not page:
            return
        last_id = page[-1][-1]
        yield from map(_WITHOUT_CURSOR, page)
        if on_page is not None:
            on_page(len(page))
        if len(page) < page_size:
            return


def _fetch_page(
    conn: sqlite3.Connection, sql: str, params: list[Any], query: str | None
) -> list[Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if query is not None and is_fts_syntax_error(exc):
            raise fts_query_error(query, exc) from None
        raise


def count_export_rows(conn: sqlite3.Connection, flt: ExportFilter) -> int:
    """How many rows the export will write (for the progress bar's total)."""
    channel_pks = resolve_channels(conn, flt.channels) if flt.channels else ()
    sql, params = build_export_query(flt, channel_pks)
    counted = f"SELECT count(*) FROM ({sql})"
    return int(_fetch_page(conn, counted, [*params, 0, -1], flt.query)[0][0])


# --- writers: pure functions over row iterables ------------------------------------------


class _Lines(list[str]):
    """What csv.writer writes to: a page of lines, then ONE write to the text file."""

    __slots__ = ()
    write = list.append


def write_csv(
    rows: Iterable[Row], out: IO[str], *, excel: bool = False, page_size: int = PAGE_SIZE
) -> int:
    """RFC 4180 CSV with a header; `out` must be opened with newline="" (or be a StringIO).

    A page at a time: the formula guard checks the whole page in C (`_may_hold_formulas`),
    and only a page that may need it goes through `_guard` row by row (a Python loop over
    every cell was a tenth of the export's time in bench/archive.py).
    """
    count = 0
    if excel:
        out.write("\ufeff")
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    source = iter(rows)
    while True:
        page = list(islice(source, page_size))
        count += len(page)
        writer.writerows(map(_guard, page) if _may_hold_formulas(page) else page)
        out.write("".join(lines))
        lines.clear()
        if len(page) < page_size:
            return count


_TEXT_COLUMNS = tuple(itemgetter(i) for i in _TEXT_INDEXES)
_FORMULA_AFTER_NUL = re.compile("\x00[=+\\-@\t\r]")


def _may_hold_formulas(page: Sequence[Row]) -> bool:
    """False only if no text cell of `page` starts with a formula character: each text
    column joined with NUL and searched in C. A NUL inside a cell, or a cell that is not
    text, can only make it True (the slow, exact path)."""
    for column in _TEXT_COLUMNS:
        try:
            joined = "\x00".join(filter(None, map(column, page)))
        except TypeError:  # a number or blob where text was expected
            return True
        if joined.startswith(_FORMULA_PREFIXES) or _FORMULA_AFTER_NUL.search(joined):
            return True
    return False


def _guard(row: Row) -> Row | list[Any]:
    """The row with a `'` before every text cell a spreadsheet would run as a formula."""
    cells: list[Any] | None = None
    for i in _TEXT_INDEXES:
        value = row[i]
        if value.__class__ is str and value.startswith(_FORMULA_PREFIXES):
            if cells is None:
                cells = list(row)
            cells[i] = "'" + value
    return row if cells is None else cells


def write_jsonl(rows: Iterable[Row], out: IO[str]) -> int:
    count = 0
    for row in rows:
        record = dict(zip(COLUMNS, row, strict=True))
        for i in _BOOL_INDEXES:
            record[COLUMNS[i]] = bool(row[i])
        record["regions"] = _split_regions(row[_REGIONS])
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def _split_regions(joined: str | None) -> list[str]:
    return joined.split(";") if joined else []


def import_pyarrow() -> tuple[ModuleType, ModuleType]:
    """(pyarrow, pyarrow.parquet); raises ImportError without the `parquet` extra."""
    import pyarrow
    import pyarrow.parquet

    return pyarrow, pyarrow.parquet


PARQUET_MISSING = "Parquet export needs the 'parquet' extra: pip install 'uavwatch[parquet]'"


def write_parquet(
    rows: Iterable[Row],
    path: Path,
    *,
    row_group_size: int = PARQUET_ROW_GROUP,
    import_pyarrow: Callable[[], tuple[ModuleType, ModuleType]] = import_pyarrow,
) -> int:
    """Parquet file at `path`, one row group per `row_group_size` rows."""
    try:
        pa, pq = import_pyarrow()
    except ImportError:
        raise InputError(PARQUET_MISSING) from None
    schema = _parquet_schema(pa)
    count = 0
    with pq.ParquetWriter(str(path), schema) as writer:
        group: list[Row] = []
        for row in rows:
            group.append(row)
            if len(group) >= row_group_size:
                writer.write_table(_arrow_table(pa, schema, group))
                count += len(group)
                group = []
        if group or count == 0:
            writer.write_table(_arrow_table(pa, schema, group))
            count += len(group)
    return count


def _parquet_schema(pa: ModuleType) -> Any:
    types = {
        "text": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "time": pa.timestamp("us", tz="UTC"),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind]) for name, kind in _SCHEMA])


def _arrow_table(pa: ModuleType, schema: Any, group: list[Row]) -> Any:
    """Column arrays from DB-form rows: 0/1 -> bool, `a;b` -> [a, b], ISO text -> timestamp."""
    columns = [list(col) for col in zip(*group, strict=True)] if group else [[] for _ in COLUMNS]
    arrays = []
    for values, kind, field in zip(columns, _KINDS, schema, strict=True):
        if kind == "bool":
            arrays.append(pa.array([bool(v) for v in values], field.type))
        elif kind == "list":
            arrays.append(pa.array([_split_regions(v) for v in values], field.type))
        elif kind == "time":
            arrays.append(pa.array(values, pa.string()).cast(field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


# --- one call for the CLI ------------------------------------------------------------------


def export_to_path(
    rows: Iterable[Row],
    fmt: str,
    out: Path,
    *,
    excel: bool = False,
    import_pyarrow: Callable[[], tuple[ModuleType, ModuleType]] = import_pyarrow,
) -> int:
    """Write to `out` atomically: a failed or interrupted export leaves no partial file."""
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    partial = out.with_name(out.name + ".partial")
    try:
        if fmt == "parquet":
            count = write_parquet(rows, partial, import_pyarrow=import_pyarrow)
        else:
            with partial.open("w", encoding="utf-8", newline="") as handle:
                count = write_stream(rows, fmt, handle, excel=excel)
        os.replace(partial, out)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
        raise
    return count


def write_stream(rows: Iterable[Row], fmt: str, out: IO[str], *, excel: bool = False) -> int:
    """CSV or JSONL to an open text stream (stdout for `--out -`)."""
    if fmt == "csv":
        return write_csv(rows, out, excel=excel)
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    raise InputError(f"--format {fmt}: cannot be written to a stream; give --out a file path")
