"""Classifying in a worker process (`bot.classify_ahead`): the same verdicts and the same
archive as classifying in-process, and a worker that fails costs speed, never rows.

These tests start real worker processes (a child Python each, about a second)."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.classify import CLASSIFIER_VERSION, classify
from bot.classify_ahead import (
    CHUNK,
    PROBE_EVERY,
    SETTLED_AFTER,
    Classifier,
    ClassifierPool,
    can_run,
    judge_chunk,
)
from bot.importer import find_inputs, import_inputs, import_paths
from bot.models import Classification, NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database
from bot.storage.ingest import JudgedPost
from bot.storage.planner import verdict_of

CHANNEL_ID = 1_700_000_042
T0 = datetime(2025, 2, 3, 4, 0, tzinfo=UTC)
# Our own sentences in the shapes DOMAIN.md describes: incidents with counts and places,
# threats, and everyday posts (most of a real channel).
TEXTS = (
    "Ночью над Курской областью силами ПВО сбиты {n} беспилотника. Пострадавших нет.",
    "Дежурные средства ПВО перехватили {n} украинских БПЛА над территорией Брянской области.",
    "Противник атакував {n} ударними БпЛА, збито {n} над Сумщиною. Є пошкодження будинків.",
    "Air defences downed {n} drones over the Belgorod region overnight, the governor said.",
    "Внимание! В области объявлен режим беспилотной опасности.",
    "Отбой беспилотной опасности. Спасибо за терпение.",
    "На дорогах области отремонтировали {n} км трассы, следующий этап — освещение.",
    "В {n} школах открыли новые спортивные залы.",
    "Беспилотник упал на окраине села, повреждена кровля, ранен {n} человек.",
)
# Set in this test process; the worker inherits the environment but has another pid.
PARENT_PID = "UAVWATCH_TEST_PARENT_PID"


def posts(n: int) -> list[Post]:
    return [
        Post(
            channel=None,
            channel_id=CHANNEL_ID,
            message_id=i,
            date=T0 + timedelta(minutes=7 * i),
            text=TEXTS[i % len(TEXTS)].format(n=i % 13 + 2),
            source=Source.IMPORT,
        )
        for i in range(1, n + 1)
    ]


def write_export(folder: Path, items: list[Post]) -> Path:
    """A Telegram Desktop export holding `items` (our own texts), as Desktop writes one."""
    messages = [
        {
            "id": p.message_id,
            "type": "message",
            "date": p.date.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_unixtime": str(int(p.date.timestamp())),
            "text": p.text,
        }
        for p in items
    ]
    doc = {"name": "Тестовый штаб", "type": "public_channel", "id": CHANNEL_ID}
    doc["messages"] = messages  # type: ignore[assignment]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "result.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def archive(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every stored fact except the wall-clock stamps (first seen, classified at)."""
    queries = {
        "channels": "SELECT telegram_id, username, title, home_region FROM channels",
        "posts": "SELECT id, channel_pk, message_id, date, text, edited_at, source FROM posts",
        "versions": "SELECT post_id, version, text, edited_at FROM post_versions",
        "classifications": (
            "SELECT post_id, classifier_version, label, confidence, drones_destroyed,"
            " drones_launched, casualties, damage, fields FROM classifications"
        ),
        "regions": "SELECT post_id, classifier_version, region_code FROM post_regions",
        "fts": "SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'БПЛА'",
    }
    with closing(sqlite3.connect(db)) as conn:
        return {name: sorted(conn.execute(sql).fetchall()) for name, sql in queries.items()}


def dies_in_worker(text: str, **kwargs: object) -> Classification:
    """The real classifier, except that in a worker process (not this one) a post about
    school gyms kills the worker at once, as an out-of-memory kill would."""
    if "школах" in text and os.environ.get(PARENT_PID) != str(os.getpid()):
        os._exit(3)
    return classify(text, **kwargs)  # type: ignore[arg-type]


def fails_on_roads(text: str, **kwargs: object) -> Classification:
    """The real classifier with a bug: it raises on posts about road repairs."""
    if "трассы" in text:
        raise ValueError("road repairs confuse this classifier")
    return classify(text, **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the pool itself


async def test_worker_verdicts_equal_in_process_verdicts() -> None:
    """1. the worker warms up  2. three chunks of posts go through it.
    Result: every post comes back judged, in order, with the verdict classifying it here
    gives: the same fields JSON, columns, regions and Classification."""
    items = posts(2 * CHUNK + 17)
    async with ClassifierPool(classify, CLASSIFIER_VERSION) as pool:
        assert await pool.wait_ready()
        events = [ev async for ev in pool.events(items, "RU-KRS")]
    assert [ev.post for ev in events] == items
    for ev in events:
        assert isinstance(ev, JudgedPost)
        assert (ev.home_region, ev.classifier_version) == ("RU-KRS", CLASSIFIER_VERSION)
        here = verdict_of(
            classify(ev.post.text, home_region="RU-KRS", posted_at=ev.post.date),
            CLASSIFIER_VERSION,
        )
        got = ev.verdict
        assert (got.fields, got.columns, got.region_codes) == (
            here.fields, here.columns, here.region_codes,
        )  # fmt: skip
        assert got.classification == here.classification


async def test_the_pool_stops_judging_ahead_while_its_verdicts_go_unused() -> None:
    """1. a re-import: the pipeline stores none of the verdicts (the posts are stored)
    2. the consumer never marks them used.
    Result: after the first chunks settle, only every PROBE_EVERY-th chunk is judged ahead;
    the rest pass on unjudged (the pipeline skips repeats without classifying them)."""
    items = posts(40 * CHUNK)
    async with ClassifierPool(classify, CLASSIFIER_VERSION) as pool:
        assert await pool.wait_ready()
        judged = [isinstance(ev, JudgedPost) async for ev in pool.events(items, None)]
    chunks = [judged[i : i + CHUNK] for i in range(0, len(judged), CHUNK)]
    assert all(all(c) or not any(c) for c in chunks)  # whole chunks either way
    tail = [c[0] for c in chunks[2 * (SETTLED_AFTER + PROBE_EVERY) :]]
    assert 0 < sum(tail) <= len(tail) // PROBE_EVERY + 1


async def test_the_pool_keeps_judging_ahead_while_its_verdicts_are_used() -> None:
    items = posts(30 * CHUNK)
    async with ClassifierPool(classify, CLASSIFIER_VERSION) as pool:
        assert await pool.wait_ready()
        events = []
        async for ev in pool.events(items, None):
            assert isinstance(ev, JudgedPost)
            ev.verdict.used = True  # as the planner does when it stores a new post
            events.append(ev)
    assert len(events) == len(items)


async def test_a_pool_that_never_started_passes_posts_on_unjudged() -> None:
    """Outside `async with` there is no worker: the pipeline judges every post itself."""
    pool = ClassifierPool(classify, CLASSIFIER_VERSION)
    items = posts(5)
    events = [ev async for ev in pool.events(items, None)]
    assert [type(ev) for ev in events] == [NewPost] * 5
    assert [ev.post for ev in events] == items


def test_only_a_classifier_reachable_by_name_can_run_in_a_worker() -> None:
    assert can_run(classify)
    assert can_run(dies_in_worker)
    assert not can_run(lambda text, **kwargs: classify(text))


def test_judge_chunk_is_the_in_process_verdict_stamped_with_the_batch_version() -> None:
    text = TEXTS[0].format(n=3)
    (verdict,) = judge_chunk(classify, "9.9.9-test", None, [(text, T0)])
    assert json.loads(verdict.fields)["classifier_version"] == "9.9.9-test"
    assert verdict.classification.classifier_version == "9.9.9-test"
    assert (
        verdict.classification
        == verdict_of(classify(text, posted_at=T0), "9.9.9-test").classification
    )


# ---------------------------------------------------------------- whole imports


@pytest.mark.parametrize("home_region", [None, "RU-SMO"])
def test_an_import_classified_in_a_worker_stores_exactly_what_in_process_stores(
    tmp_path: Path, home_region: str | None
) -> None:
    export = write_export(tmp_path / "export", posts(3 * CHUNK + 40))
    ahead, here = tmp_path / "ahead.db", tmp_path / "here.db"
    report = asyncio.run(import_paths(ahead, [export], home_region=home_region, parallel=True))
    asyncio.run(import_paths(here, [export], home_region=home_region, parallel=False))
    assert report.total("new") == 3 * CHUNK + 40
    assert archive(ahead) == archive(here)


def test_a_worker_that_dies_costs_speed_not_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1. the worker is killed by the first post about schools  2. the import goes on.
    Result: the archive holds what an in-process import stores."""
    monkeypatch.setenv(PARENT_PID, str(os.getpid()))
    export = write_export(tmp_path / "export", posts(2 * CHUNK))
    ahead, here = tmp_path / "ahead.db", tmp_path / "here.db"
    asyncio.run(_import_with(dies_in_worker, ahead, export, parallel=True))
    asyncio.run(_import_with(dies_in_worker, here, export, parallel=False))
    assert archive(ahead) == archive(here)


def test_a_classifier_error_in_the_worker_fails_the_import_as_it_does_in_process(
    tmp_path: Path,
) -> None:
    """The worker reports the error; the chunk is classified here, where it raises the
    same exception, and the import rolls back exactly as an in-process one does."""
    export = write_export(tmp_path / "export", posts(CHUNK + 10))
    ahead, here = tmp_path / "ahead.db", tmp_path / "here.db"
    for db, parallel in ((ahead, True), (here, False)):
        with pytest.raises(ValueError, match="road repairs confuse this classifier"):
            asyncio.run(_import_with(fails_on_roads, db, export, parallel=parallel))
    assert archive(ahead)["posts"] == []
    assert archive(ahead) == archive(here)


async def _import_with(
    classifier: Classifier, db_path: Path, export: Path, *, parallel: bool
) -> None:
    async with await Database.open(db_path) as db:
        pipeline = Pipeline(db, classify=classifier)
        await import_inputs(pipeline, find_inputs([export]), parallel=parallel)
