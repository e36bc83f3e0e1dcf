"""`reclassify`: rows for the current version only where none exist, filters, the command."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.classify import CLASSIFIER_VERSION
from bot.cli import main
from bot.errors import InputError
from bot.models import NewPost, Post
from bot.pipeline import Pipeline
from bot.storage import Database

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
MakePost = Callable[..., Post]
TEXTS = ("Сбит беспилотник над районом", "Ярмарка выходного дня", "Атака БПЛА отражена")


async def fill(db: Database, make_post: MakePost, version: str) -> None:
    """Posts on two channels over three days, classified by `version`."""
    old = Pipeline(db, classifier_version=version)
    events = [
        NewPost(make_post(i, TEXTS[i % 3], channel=ch, date=T0 + timedelta(days=i % 3)))
        for ch in ("chan_a", "chan_b")
        for i in range(1, 7)
    ]
    await old.ingest_many(events)


async def test_reclassify_adds_only_missing_versions(db: Database, make_post: MakePost) -> None:
    """1. 12 posts classified by version 'v-old'  2. reclassify with 'v-new' (injected)
    3. again. Result: 12 rows added and then none; 'v-old' rows untouched; the new rows are
    the current ones."""
    await fill(db, make_post, "v-old")
    old_rows = await db.read("SELECT * FROM classifications ORDER BY id")
    pages: list[int] = []
    totals: list[int] = []
    new = Pipeline(db, classifier_version="v-new")
    summary = await new.reclassify(batch_size=5, progress=pages.append, total=totals.append)
    assert (summary.classifier_version, summary.classified) == ("v-new", 12)
    assert totals == [12] and pages == [5, 5, 2]
    assert await db.read("SELECT * FROM classifications WHERE classifier_version = 'v-old'") == (
        old_rows
    )
    assert await db.read("SELECT count(*) FROM classifications") == [(24,)]
    current = await db.read("SELECT DISTINCT classifier_version FROM posts_current")
    assert current == [("v-new",)]
    labels = await db.read("SELECT count(*) FROM incidents")
    assert labels == [(summary.incidents,)]
    again = await new.reclassify()
    assert again.classified == 0


async def test_reclassify_filters_by_date_and_channel(db: Database, make_post: MakePost) -> None:
    await fill(db, make_post, "v-old")
    new = Pipeline(db, classifier_version="v-new")
    since = T0 + timedelta(days=2)
    assert (await new.reclassify(since=since, channel="chan_a")).classified == 2
    assert (await new.reclassify(channel="CHAN_A")).classified == 4
    assert (await new.reclassify(since=since)).classified == 2
    assert (await new.reclassify()).classified == 4


async def test_reclassify_unknown_channel_is_an_input_error(db: Database) -> None:
    with pytest.raises(InputError, match="no channel 'ghost'"):
        await Pipeline(db, classifier_version="v-new").reclassify(channel="ghost")


def test_command_classifies_with_current_version_and_prints_summary(
    db_path: Path, make_post: MakePost, capsys: pytest.CaptureFixture[str]
) -> None:
    async def setup() -> None:
        async with await Database.open(db_path) as db:
            await fill(db, make_post, "v-old")

    asyncio.run(setup())
    assert main(["reclassify", "--db", str(db_path), "--since", "2025-03-02"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"reclassified 8 posts with classifier {CLASSIFIER_VERSION}")
    assert out.count("\n") == 1
    assert main(["reclassify", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("reclassified 4 posts")
    assert main(["reclassify", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("reclassified 0 posts")


def test_command_reports_unknown_channel_and_bad_date(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reclassify", "--db", str(db_path), "--channel", "ghost"]) == 2
    assert "uavwatch: error: no channel 'ghost'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["reclassify", "--db", str(db_path), "--since", "yesterday"])
    assert exit_info.value.code == 2
    assert "'yesterday' is not a date" in capsys.readouterr().err
