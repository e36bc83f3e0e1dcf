"""Bulk writes and verdicts computed ahead: big batches land whole, and a verdict from
elsewhere is stored only when it was made for the post's channel as it stands."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import UTC, datetime

import aiosqlite
import pytest

from bot.classify import CLASSIFIER_VERSION, classify
from bot.models import Post
from bot.pipeline import IngestKind, Pipeline
from bot.storage import Database
from bot.storage.bulk import BulkInsert, bulk_insert, insert_rows, max_variables
from bot.storage.ingest import JudgedPost
from bot.storage.planner import Verdict, verdict_of

MakePost = Callable[..., Post]
T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
INCIDENT = "Ночью над Курской областью силами ПВО сбиты 4 беспилотника, пострадавших нет."
QUIET = "В областной библиотеке открылась выставка детского рисунка."


async def make_table(conn: aiosqlite.Connection) -> BulkInsert:
    await conn.execute("CREATE TABLE t (a INTEGER NOT NULL UNIQUE, b TEXT, c REAL)")
    return bulk_insert("t", ("a", "b", "c"), " ON CONFLICT (a) DO UPDATE SET b = excluded.b")


async def test_a_batch_bigger_than_one_statement_is_written_whole() -> None:
    """Rows past the statement's slots go in further statements; the short last one is
    padded with NULL rows that are never stored."""
    async with aiosqlite.connect(":memory:") as conn:
        stmt = await make_table(conn)
        count = 2 * stmt.rows + 7
        rows = [(i, f"row {i}", i / 4) for i in range(count)]
        await insert_rows(conn, stmt, rows)
        stored = await conn.execute_fetchall("SELECT a, b, c FROM t ORDER BY a")
    assert [tuple(r) for r in stored] == rows


async def test_the_tail_clause_applies_to_every_row() -> None:
    async with aiosqlite.connect(":memory:") as conn:
        stmt = await make_table(conn)
        await insert_rows(conn, stmt, [(1, "old", None), (2, "two", 2.5)])
        await insert_rows(conn, stmt, [(1, "new", None)])
        stored = await conn.execute_fetchall("SELECT a, b, c FROM t ORDER BY a")
    assert [tuple(r) for r in stored] == [(1, "new", None), (2, "two", 2.5)]


async def test_a_row_of_the_wrong_width_is_refused_before_anything_is_written() -> None:
    async with aiosqlite.connect(":memory:") as conn:
        stmt = await make_table(conn)
        with pytest.raises(ValueError, match="3 values each"):
            await insert_rows(conn, stmt, [(1, "ok", 1.0), (2, "short")])
        assert await conn.execute_fetchall("SELECT count(*) FROM t") == [(0,)]


def test_statements_stay_within_sqlites_parameter_limit() -> None:
    wide = bulk_insert("t", [f"c{i}" for i in range(40)])
    assert wide.rows * wide.width <= max_variables()
    assert wide.sql.count("?") == wide.rows * wide.width


def test_a_verdict_travels_as_plain_values_and_rebuilds_the_same_classification() -> None:
    c = classify(INCIDENT, home_region="RU-KRS", posted_at=T0)
    sent = verdict_of(c, CLASSIFIER_VERSION)
    got = pickle.loads(pickle.dumps(sent))
    assert isinstance(got, Verdict)
    assert (got.fields, got.columns, got.region_codes) == (
        sent.fields, sent.columns, sent.region_codes,
    )  # fmt: skip
    assert got.classification == c  # evidence is not compared (nor stored)
    assert got.classification.confidence == c.confidence  # exact, not the JSON's rounding
    assert got.is_incident == c.is_incident


async def stored_label(db: Database) -> list[tuple[object, ...]]:
    return await db.read("SELECT label, fields FROM classifications")


async def test_a_verdict_made_for_the_channels_home_region_is_stored_as_given(
    db: Database, make_post: MakePost
) -> None:
    """A verdict from a worker is used as it is (here a deliberately different one, to
    see it): the pipeline does not classify the post again."""
    pipeline = Pipeline(db)
    await pipeline.ensure_channel(username="test_channel", home_region="RU-KRS")
    other = verdict_of(classify(QUIET), CLASSIFIER_VERSION)
    event = JudgedPost(make_post(1, INCIDENT), other, "RU-KRS", CLASSIFIER_VERSION)
    result = await pipeline.ingest(event)
    assert result.kind is IngestKind.NEW
    assert await stored_label(db) == [("not_relevant", other.fields)]
    assert not result.is_new_incident


@pytest.mark.parametrize(
    ("home_region", "version"),
    [(None, CLASSIFIER_VERSION), ("RU-KRS", "0.0.1-stale")],
    ids=["other-home-region", "other-version"],
)
async def test_a_verdict_made_for_other_conditions_is_replaced_by_a_fresh_one(
    db: Database, make_post: MakePost, home_region: str | None, version: str
) -> None:
    pipeline = Pipeline(db)
    await pipeline.ensure_channel(username="test_channel", home_region="RU-KRS")
    stale = verdict_of(classify(QUIET), version)
    post = make_post(1, INCIDENT)
    result = await pipeline.ingest(JudgedPost(post, stale, home_region, version))
    fresh = verdict_of(classify(INCIDENT, home_region="RU-KRS", posted_at=T0), CLASSIFIER_VERSION)
    assert await stored_label(db) == [(fresh.columns[0], fresh.fields)]
    assert result.classification == fresh.classification


async def test_execute_commits_one_statement_on_its_own(db) -> None:
    """A single-statement write through execute() is visible to a fresh reader at once."""
    import sqlite3

    changed = await db.execute(
        "INSERT INTO channels (username, added_at) VALUES (?, ?)",
        ("solo", "2025-01-01T00:00:00+00:00"),
    )
    assert changed == 1
    reader = sqlite3.connect(db.path)
    try:
        assert reader.execute(
            "SELECT count(*) FROM channels WHERE username = 'solo'"
        ).fetchone() == (1,)
    finally:
        reader.close()
