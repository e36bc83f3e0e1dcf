"""Export: the writers (pure, over row tuples) and the export over a real archive.

Scenario for the archive tests: three channels (a governor known by username, the MoD by
username and id, a Ukrainian channel known only by id), eight posts over three days, one
edited, one deleted; every filter alone and combined selects exactly the posts it should.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
import threading
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.classify import CLASSIFIER_VERSION
from bot.cli import main
from bot.errors import InputError
from bot.export import (
    COLUMNS,
    PARQUET_MISSING,
    ExportFilter,
    count_export_rows,
    export_to_path,
    iter_export_rows,
    parse_time_bound,
    write_csv,
    write_jsonl,
    write_parquet,
)
from bot.models import DeletedPost, EditedPost, NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import connect_reader

EXPECTED_COLUMNS = [
    "channel",
    "channel_id",
    "message_id",
    "permalink",
    "date",
    "text",
    "edited",
    "deleted",
    "views",
    "label",
    "confidence",
    "drones_destroyed",
    "drones_launched",
    "regions",
    "casualties",
    "damage",
    "classifier_version",
]


def make_row(text: str = "Над областью сбит беспилотник", **over: object) -> tuple[object, ...]:
    """A row as the export query yields it (SQLite types: 0/1 flags, `;`-joined regions)."""
    values: dict[str, object] = {
        "channel": "gov_test",
        "channel_id": 1001,
        "message_id": 7,
        "permalink": "https://t.me/gov_test/7",
        "date": "2025-03-02T21:15:00+00:00",
        "text": text,
        "edited": 0,
        "deleted": 0,
        "views": 1200,
        "label": "uav_incident",
        "confidence": 0.9,
        "drones_destroyed": 2,
        "drones_launched": None,
        "regions": "RU-BRY;RU-SMO",
        "casualties": "none",
        "damage": None,
        "classifier_version": "1.0",
    }
    values.update(over)
    return tuple(values[name] for name in COLUMNS)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_columns_are_the_documented_ones_in_order() -> None:
    assert list(COLUMNS) == EXPECTED_COLUMNS


# --- CSV ----------------------------------------------------------------------------------


def test_csv_has_header_crlf_and_no_bom_by_default() -> None:
    out = io.StringIO(newline="")
    assert write_csv([make_row()], out) == 1
    text = out.getvalue()
    assert text.startswith("channel,channel_id,message_id,")
    assert text.count("\r\n") == 2
    rows = read_csv(text)
    assert rows[0] == EXPECTED_COLUMNS
    assert rows[1][COLUMNS.index("regions")] == "RU-BRY;RU-SMO"
    assert rows[1][COLUMNS.index("edited")] == "0"


def test_csv_excel_flag_adds_utf8_bom() -> None:
    out = io.StringIO(newline="")
    write_csv([make_row()], out, excel=True)
    assert out.getvalue().startswith("\ufeffchannel,")
    assert out.getvalue().encode("utf-8").startswith(b"\xef\xbb\xbfchannel")


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://x")', "+79001234567", "-2+3", "@SUM(A1)", "\tindent", "\rcarriage"],
)
def test_csv_text_cell_starting_with_formula_char_is_quoted_with_apostrophe(cell: str) -> None:
    out = io.StringIO(newline="")
    write_csv([make_row(text=cell)], out)
    assert read_csv(out.getvalue())[1][COLUMNS.index("text")] == "'" + cell


def test_csv_negative_number_and_plain_text_are_not_mangled() -> None:
    out = io.StringIO(newline="")
    write_csv([make_row(text="Сбиты 3 БПЛА", views=-5, confidence=-0.25)], out)
    row = read_csv(out.getvalue())[1]
    assert row[COLUMNS.index("views")] == "-5"
    assert row[COLUMNS.index("confidence")] == "-0.25"
    assert row[COLUMNS.index("text")] == "Сбиты 3 БПЛА"


def test_csv_quotes_commas_quotes_and_newlines_rfc4180() -> None:
    text = 'Глава: "Отбой", повторяю,\r\nвсё спокойно\nконец'
    out = io.StringIO(newline="")
    write_csv([make_row(text=text)], out)
    raw = out.getvalue()
    assert '"Глава: ""Отбой"", повторяю,\r\nвсё спокойно\nконец"' in raw
    assert read_csv(raw)[1][COLUMNS.index("text")] == text


# Text that does not start with a formula character must survive a CSV round trip exactly.
_safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=200,
).filter(lambda t: t[:1] not in set("=+-@\t\r"))


@given(_safe_text)
def test_csv_round_trip_of_any_text(text: str) -> None:
    out = io.StringIO(newline="")
    write_csv([make_row(text=text)], out)
    assert read_csv(out.getvalue())[1][COLUMNS.index("text")] == text


def reference_csv(rows: list[tuple[object, ...]]) -> str:
    """The CSV rules written the plain way: csv.writer, every text cell that starts with a
    formula character prefixed with a quote."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    text_columns = {"channel", "permalink", "date", "text", "regions", "label", "casualties"}
    text_columns |= {"damage", "classifier_version"}
    for row in rows:
        writer.writerow(
            "'" + v
            if name in text_columns and isinstance(v, str) and v[:1] in "=+-@\t\r" and v
            else v
            for name, v in zip(COLUMNS, row, strict=True)
        )
    return out.getvalue()


_text_cell = st.one_of(
    st.none(),
    st.text(alphabet='ab б;,"\n\x00-', max_size=6),  # mostly safe, NULs and inner dashes
    st.text(alphabet="=+-@\t\r\x00ab", max_size=4),  # mostly formula starts
)


@given(
    st.lists(
        st.fixed_dictionaries(
            {"text": _text_cell, "label": _text_cell, "channel": _text_cell},
            optional={"views": st.integers(-5, 5)},
        ),
        max_size=30,
    ),
    st.integers(1, 7),
)
def test_csv_guard_over_pages_matches_the_cell_by_cell_rule(
    cells: list[dict[str, object]], page_size: int
) -> None:
    """Any mix of formula starts, NULs and None over pages of any size comes out exactly as
    the cell-by-cell rule writes it."""
    rows = [make_row(**c) for c in cells]
    out = io.StringIO(newline="")
    assert write_csv(iter(rows), out, page_size=page_size) == len(rows)
    assert out.getvalue() == reference_csv(rows)


def test_csv_guard_copes_with_a_number_where_text_was_expected() -> None:
    rows = [make_row(regions=3, text="ok"), make_row(regions=None, text="-1"), make_row()]
    out = io.StringIO(newline="")
    write_csv(rows, out)
    assert out.getvalue() == reference_csv(rows)
    assert read_csv(out.getvalue())[2][COLUMNS.index("text")] == "'-1"


def test_csv_guard_finds_a_formula_deep_in_a_long_page() -> None:
    rows = [make_row(text=f"Пост {i}") for i in range(3000)]
    rows[2345] = make_row(text="ok", label="=1+1", regions="-RU")
    out = io.StringIO(newline="")
    write_csv(rows, out)
    row = read_csv(out.getvalue())[2346]
    assert (row[COLUMNS.index("label")], row[COLUMNS.index("regions")]) == ("'=1+1", "'-RU")
    assert out.getvalue() == reference_csv(rows)


# --- JSONL and Parquet ----------------------------------------------------------------------


def test_jsonl_keys_in_order_with_booleans_and_region_list() -> None:
    out = io.StringIO()
    rows = [make_row(edited=1), make_row(regions=None, deleted=1)]
    assert write_jsonl(rows, out) == 2
    lines = out.getvalue().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert list(first) == EXPECTED_COLUMNS
    assert first["regions"] == ["RU-BRY", "RU-SMO"]
    assert first["edited"] is True and first["deleted"] is False
    assert second["regions"] == [] and second["deleted"] is True
    assert "беспилотник" in lines[0]  # UTF-8, not \\u escapes


def test_parquet_schema_types_and_values(tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    rows = [make_row(message_id=i, regions="UA-63" if i % 2 else None) for i in range(5)]
    assert write_parquet(rows, path, row_group_size=2) == 5
    table = pq.read_table(path)
    assert table.column_names == EXPECTED_COLUMNS
    assert str(table.schema.field("date").type) == "timestamp[us, tz=UTC]"
    assert str(table.schema.field("regions").type) == "list<element: string>"
    assert str(table.schema.field("edited").type) == "bool"
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    data = table.to_pylist()
    assert [r["message_id"] for r in data] == [0, 1, 2, 3, 4]
    assert data[1]["regions"] == ["UA-63"] and data[0]["regions"] == []
    assert data[0]["date"].isoformat() == "2025-03-02T21:15:00+00:00"


def test_parquet_with_no_rows_still_writes_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    assert write_parquet([], path) == 0
    assert pq.read_table(path).column_names == EXPECTED_COLUMNS


def _no_pyarrow() -> tuple[ModuleType, ModuleType]:
    raise ImportError("No module named 'pyarrow'")


def test_parquet_without_pyarrow_says_which_extra_to_install(tmp_path: Path) -> None:
    out = tmp_path / "x.parquet"
    with pytest.raises(InputError) as err:
        export_to_path(iter([make_row()]), "parquet", out, import_pyarrow=_no_pyarrow)
    assert str(err.value) == PARQUET_MISSING
    assert "pip install 'uavwatch[parquet]'" in str(err.value)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_unwritable_output_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        export_to_path(iter([make_row()]), "csv", tmp_path / "no_such_dir" / "x.csv")


def test_failed_export_leaves_no_partial_file(tmp_path: Path) -> None:
    def broken_rows():  # a source that breaks half-way (e.g. the DB went away)
        yield make_row()
        raise RuntimeError("boom")

    out = tmp_path / "x.csv"
    with pytest.raises(RuntimeError):
        export_to_path(broken_rows(), "csv", out)
    assert list(tmp_path.iterdir()) == []


# --- time bounds --------------------------------------------------------------------------


def test_time_bounds_dates_and_datetimes_to_utc_text() -> None:
    assert parse_time_bound("2025-03-02") == "2025-03-02T00:00:00+00:00"
    assert parse_time_bound("2025-03-02", end=True) == "2025-03-03T00:00:00+00:00"
    assert parse_time_bound("2025-03-02T10:30") == "2025-03-02T10:30:00+00:00"
    assert parse_time_bound("2025-03-02 13:30+03:00") == "2025-03-02T10:30:00+00:00"
    assert parse_time_bound("2025-03-02T10:30:00Z", end=True) == "2025-03-02T10:30:00+00:00"
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_time_bound("02.03.2025", option="--until")


# --- export over a real archive -------------------------------------------------------------

D = datetime(2025, 3, 1, tzinfo=UTC)
MOD_ID = 1_000_000_001
UA_ID = 2_000_000_002

# (channel, channel_id, message_id, hours after D, text); every text is ours, written for tests.
POSTS = (
    (
        "gov_smolensk",
        None,
        10,
        5,
        "Этой ночью над Смоленской областью сбиты два беспилотника. Пострадавших нет.",
    ),
    ("gov_smolensk", None, 11, 12, "На дорогах области завершен ремонт моста, движение открыто."),
    ("gov_smolensk", None, 12, 45, '=1+2, а также "кавычки"\nи перенос строки: ремонт школы'),
    (
        "mod_russia",
        MOD_ID,
        100,
        27,
        "Дежурными средствами ПВО перехвачены и уничтожены 7 "
        "украинских беспилотных летательных аппаратов над территорией Брянской области.",
    ),
    ("mod_russia", MOD_ID, 101, 66, "Министр обороны провел совещание по снабжению войск."),
    (
        None,
        UA_ID,
        5,
        55,
        "У ніч на 3 березня противник атакував 20 ударними БпЛА. Збито 15 БпЛА над Харківщиною.",
    ),
    ("mod_russia", MOD_ID, 102, 30, "Над территорией Курской области уничтожены 3 беспилотника."),
    ("gov_smolensk", None, 13, 50, "Над Смоленском сбит беспилотник, пострадавших нет."),
)
EDIT = "Над территорией Курской области уничтожены 4 беспилотника."


def _post(channel: str | None, channel_id: int | None, mid: int, hours: int, text: str) -> Post:
    return Post(
        channel=channel,
        channel_id=channel_id,
        message_id=mid,
        date=D + timedelta(hours=hours),
        text=text,
        source=Source.IMPORT,
        views=1000 + mid,
    )


async def build_archive(pipeline: Pipeline) -> None:
    """The scenario of this module's docstring: 8 posts, #102 edited, #13 deleted."""
    await pipeline.ensure_channel(username="mod_russia", telegram_id=MOD_ID)
    await pipeline.ingest_many(NewPost(_post(*p)) for p in POSTS)
    edited = replace(_post(*POSTS[6]), text=EDIT, edited_at=D + timedelta(hours=31))
    await pipeline.ingest(EditedPost(edited))
    await pipeline.ingest(
        DeletedPost("gov_smolensk", None, (13,), D + timedelta(hours=51), Source.LIVE)
    )


@pytest.fixture
async def archive(pipeline: Pipeline, db_path: Path) -> AsyncIterator[sqlite3.Connection]:
    await build_archive(pipeline)
    conn = connect_reader(db_path)
    yield conn
    conn.close()


def ids(conn: sqlite3.Connection, **filters: Any) -> list[int]:
    """message_ids exported for these filters, in export (post id) order."""
    return [row[2] for row in iter_export_rows(conn, ExportFilter(**filters), page_size=3)]


async def test_export_rows_follow_post_order_with_current_state(archive: sqlite3.Connection):
    rows = list(iter_export_rows(archive, ExportFilter()))
    assert [r[2] for r in rows] == [10, 11, 12, 100, 101, 5, 102, 13]
    by_id = {r[2]: dict(zip(COLUMNS, r, strict=True)) for r in rows}
    assert by_id[10]["channel"] == "gov_smolensk" and by_id[10]["channel_id"] is None
    assert by_id[10]["permalink"] == "https://t.me/gov_smolensk/10"
    assert by_id[10]["date"] == "2025-03-01T05:00:00+00:00"
    assert by_id[10]["views"] == 1010
    assert by_id[5]["channel"] is None and by_id[5]["channel_id"] == UA_ID
    assert by_id[100]["channel"] == "mod_russia" and by_id[100]["channel_id"] == MOD_ID
    assert by_id[102]["text"] == EDIT and by_id[102]["edited"] == 1
    assert by_id[13]["deleted"] == 1 and "Смоленском" in by_id[13]["text"]
    assert by_id[11]["edited"] == 0 and by_id[11]["deleted"] == 0
    assert by_id[10]["classifier_version"] == CLASSIFIER_VERSION
    assert by_id[10]["label"] == "uav_incident" and by_id[11]["label"] == "not_relevant"


async def test_paging_returns_the_same_rows_as_one_page(archive: sqlite3.Connection):
    one = list(iter_export_rows(archive, ExportFilter(), page_size=1000))
    pages: list[int] = []
    paged = list(iter_export_rows(archive, ExportFilter(), page_size=3, on_page=pages.append))
    assert paged == one
    assert pages == [3, 3, 2]
    assert count_export_rows(archive, ExportFilter()) == 8


async def test_filter_since_until_dates_include_whole_days(archive: sqlite3.Connection):
    assert ids(archive, since=parse_time_bound("2025-03-02")) == [12, 100, 101, 5, 102, 13]
    until = parse_time_bound("2025-03-01", end=True)
    assert ids(archive, until=until) == [10, 11]
    since = parse_time_bound("2025-03-02T03:00")  # inclusive to the second
    until = parse_time_bound("2025-03-02T07:00", end=True)  # exclusive
    assert ids(archive, since=since, until=until) == [100, 102]


async def test_filter_channel_by_username_at_name_or_id(archive: sqlite3.Connection):
    assert ids(archive, channels=("@Gov_Smolensk",)) == [10, 11, 12, 13]
    assert ids(archive, channels=(str(MOD_ID),)) == [100, 101, 102]
    assert ids(archive, channels=(f"-100{UA_ID}",)) == [5]
    assert ids(archive, channels=("mod_russia", str(UA_ID))) == [100, 101, 5, 102]


async def test_unknown_channel_is_an_error_listing_known_ones(archive: sqlite3.Connection):
    with pytest.raises(InputError, match="no such channel") as err:
        ids(archive, channels=("nobody_here",))
    assert "gov_smolensk" in str(err.value) and "mod_russia" in str(err.value)


async def test_filter_label(archive: sqlite3.Connection):
    assert ids(archive, labels=("uav_incident",)) == [10, 100, 5, 102, 13]
    assert ids(archive, labels=("not_relevant",)) == [11, 12, 101]
    assert ids(archive, labels=("not_relevant", "uav_incident")) == ids(archive)


async def test_filter_region_uses_current_classification_regions(archive: sqlite3.Connection):
    assert ids(archive, regions=("RU-SMO",)) == [10, 13]
    assert ids(archive, regions=("RU-BRY", "RU-KRS")) == [100, 102]
    assert ids(archive, regions=("UA-63",)) == [5]
    rows = {r[2]: r for r in iter_export_rows(archive, ExportFilter(regions=("RU-SMO",)))}
    assert rows[10][COLUMNS.index("regions")] == "RU-SMO"


async def test_filter_full_text_query(archive: sqlite3.Connection):
    assert ids(archive, query="беспилотника") == [10, 102]
    assert ids(archive, query="ремонт") == [11, 12]
    assert ids(archive, query='"Курской области"') == [102]
    assert ids(archive, query="беспилот*") == [10, 100, 102, 13]


async def test_filters_combined(archive: sqlite3.Connection):
    got = ids(
        archive,
        since=parse_time_bound("2025-03-01T06:00"),
        channels=("gov_smolensk", "mod_russia"),
        labels=("uav_incident",),
        query="беспилот*",
    )
    assert got == [100, 102, 13]
    assert ids(archive, channels=("gov_smolensk",), regions=("RU-SMO",), query="ночью") == [10]
    assert ids(archive, channels=("mod_russia",), labels=("not_relevant",), query="ПВО") == []


async def test_bad_fts_query_is_an_input_error_explaining_syntax(archive: sqlite3.Connection):
    for bad in ('"unclosed', "беспилотник AND", "Су-34"):
        with pytest.raises(InputError, match="FTS5") as err:
            ids(archive, query=bad)
        assert "quote phrases" in str(err.value)


async def test_csv_from_archive_escapes_formula_text_and_round_trips(
    archive: sqlite3.Connection, tmp_path: Path
):
    out = tmp_path / "all.csv"
    assert export_to_path(iter_export_rows(archive, ExportFilter()), "csv", out) == 8
    rows = read_csv(out.read_text(encoding="utf-8"))
    assert rows[0] == EXPECTED_COLUMNS
    texts = {int(r[2]): r[COLUMNS.index("text")] for r in rows[1:]}
    assert texts[12] == "'" + POSTS[2][4]
    assert texts[10] == POSTS[0][4]
    assert not out.with_name("all.csv.partial").exists()


async def test_jsonl_and_parquet_from_archive_have_the_same_rows(
    archive: sqlite3.Connection, tmp_path: Path
):
    flt = ExportFilter(labels=("uav_incident",))
    export_to_path(iter_export_rows(archive, flt), "jsonl", tmp_path / "x.jsonl")
    export_to_path(iter_export_rows(archive, flt), "parquet", tmp_path / "x.parquet")
    lines = (tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    table = pq.read_table(tmp_path / "x.parquet").to_pylist()
    assert [list(r) for r in records] == [EXPECTED_COLUMNS] * 5
    assert list(table[0]) == EXPECTED_COLUMNS
    assert [r["message_id"] for r in records] == [r["message_id"] for r in table]
    assert [r["regions"] for r in records] == [r["regions"] for r in table]
    assert [r["text"] for r in records] == [r["text"] for r in table]
    assert table[-1]["deleted"] is True and records[-1]["deleted"] is True
    assert [r["date"].isoformat() for r in table] == [r["date"] for r in records]


# --- concurrency: export from its own connection while the pipeline writes -----------------


async def test_export_in_a_thread_while_the_pipeline_writes(pipeline: Pipeline, db_path: Path):
    """1. 200 posts stored  2. an export starts in a thread (own read-only connection,
    pages of 20) and pauses after its first page  3. the pipeline commits batches of 25 new
    posts; the first commit releases the export, later ones race with it.
    Result: no "database is locked"; the export holds every old post once, in order, plus
    at least the first committed batch; the writer stored all 300."""
    old = [_post("gov_smolensk", None, i, i % 48, f"Сводка номер {i}") for i in range(1, 201)]
    new = [_post("gov_smolensk", None, i, i % 48, f"Сводка номер {i}") for i in range(201, 301)]
    await pipeline.ingest_many(NewPost(p) for p in old)
    first_page, first_commit = threading.Event(), threading.Event()
    exported: list[tuple[Any, ...]] = []

    def on_page(n: int) -> None:
        if not first_page.is_set():
            first_page.set()
            assert first_commit.wait(timeout=30)

    def export() -> None:
        conn = connect_reader(db_path)
        try:
            exported.extend(iter_export_rows(conn, ExportFilter(), page_size=20, on_page=on_page))
        finally:
            conn.close()

    reader = asyncio.create_task(asyncio.to_thread(export))
    assert await asyncio.to_thread(first_page.wait, 30)
    summary = await pipeline.ingest_many(
        (NewPost(p) for p in new), batch_size=25, progress=lambda n: first_commit.set()
    )
    await reader
    assert summary.new == 100
    got = [row[2] for row in exported]
    assert got == sorted(set(got))  # each post once, in post order
    assert got[:200] == list(range(1, 201))
    assert set(range(201, 226)) <= set(got) <= set(range(1, 301))
    conn = connect_reader(db_path)
    assert count_export_rows(conn, ExportFilter()) == 300
    conn.close()


# --- the command --------------------------------------------------------------------------


async def test_cli_export_csv_to_stdout_with_filters(archive, db_path: Path, capsys):
    filters = ["--label", "uav_incident", "--channel", "gov_smolensk", "--until", "2025-03-01"]
    code = main(["export", "--format", "csv", "--out", "-", "--db", str(db_path), *filters])
    captured = capsys.readouterr()
    assert code == 0
    rows = read_csv(captured.out)
    assert rows[0] == EXPECTED_COLUMNS
    assert [r[2] for r in rows[1:]] == ["10"]
    assert "\r\n" in captured.out
    assert "exported 1 row(s) to stdout" in captured.err


async def test_cli_export_region_by_name_in_any_language(archive, db_path: Path, capsys):
    for region in ("Смоленская область", "Smolensk Oblast", "RU-SMO"):
        assert (
            main(
                [
                    "export",
                    "--format",
                    "jsonl",
                    "--out",
                    "-",
                    "--db",
                    str(db_path),
                    "--region",
                    region,
                ]
            )
            == 0
        )
        records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [r["message_id"] for r in records] == [10, 13]
        assert records[0]["regions"] == ["RU-SMO"]


async def test_cli_export_jsonl_and_parquet_files(archive, db_path: Path, tmp_path: Path, capsys):
    jsonl, parquet = tmp_path / "out.jsonl", tmp_path / "out.parquet"
    assert main(["export", "--format", "jsonl", "--out", str(jsonl), "--db", str(db_path)]) == 0
    assert main(["export", "--format", "parquet", "--out", str(parquet), "--db", str(db_path)]) == 0
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 8
    assert pq.read_table(parquet).num_rows == 8
    assert "exported 8 row(s)" in capsys.readouterr().err


async def test_cli_export_errors_are_one_line_with_exit_2(
    archive, db_path: Path, tmp_path: Path, capsys
):
    out = tmp_path / "x.csv"
    cases = [
        (["--format", "parquet", "--out", "-"], "needs a file"),
        (["--format", "csv", "--out", str(out), "--query", '"open'], "FTS5"),
        (["--format", "csv", "--out", str(out), "--since", "yesterday"], "YYYY-MM-DD"),
        (["--format", "csv", "--out", str(out), "--channel", "nobody_here"], "no such channel"),
        (["--format", "csv", "--out", str(out), "--region", "Атлантида"], "unknown region"),
    ]
    for extra, expected in cases:
        assert main(["export", "--db", str(db_path), *extra]) == 2
        err = capsys.readouterr().err
        assert err.startswith("uavwatch: error: ") and expected in err
        assert "Traceback" not in err
    assert list(tmp_path.glob("x.csv*")) == []


def test_cli_export_without_database_says_where_it_looked(tmp_path: Path, capsys):
    missing = tmp_path / "none.db"
    code = main(["export", "--format", "csv", "--out", "-", "--db", str(missing)])
    assert code != 0
    assert str(missing) in capsys.readouterr().err
    assert not missing.exists()
