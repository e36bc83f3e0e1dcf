"""The pipeline's `on_ingested` hook on the streaming path: alerts are queued per batch
(or once, atomically), inside the transactions that store the posts."""

from __future__ import annotations

import pytest
from conftest import Clock

from bot.alerts import subscribers as subs
from bot.alerts.enqueue import AlertEnqueuer
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database

TEXTS = (
    "Над Курской областью сбит беспилотник.",
    "Поздравляю с праздником!",
    "Над Брянской областью уничтожены два БПЛА.",
)


@pytest.mark.parametrize("atomic", [False, True])
async def test_ingest_many_queues_alerts_with_the_posts(
    db: Database, clock: Clock, atomic: bool
) -> None:
    async with db.transaction() as conn:
        sub, _ = await subs.get_or_create(
            conn, chat_id=5, access_hash=None, chat_kind="private", name=None, lang="ru",
            now=clock.now(),
        )  # fmt: skip
        await subs.add_regions(conn, sub.id, ["*"], clock.now())
    enqueuer = AlertEnqueuer(now=clock.now)
    pipeline = Pipeline(db, on_ingested=enqueuer, now=clock.now)
    events = [
        NewPost(Post(f"chan{i}", None, i + 1, clock.now(), text, Source.LIVE))
        for i, text in enumerate(TEXTS)
    ]
    summary = await pipeline.ingest_many(events, atomic=atomic, batch_size=2)
    assert summary.new == 3
    rows = await db.read("SELECT subscriber_id, purpose, status FROM outbox ORDER BY id")
    assert rows == [(sub.id, "alert", "pending")] * 2
    assert enqueuer.stats.alerts == 2
