"""The ingest pipeline: stored once, edits versioned and re-classified, deletes keep text."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.classify import CLASSIFIER_VERSION
from bot.models import DeletedPost, EditedPost, NewPost, Post, Source
from bot.pipeline import IngestKind, Pipeline
from bot.storage import Database

NOW = datetime(2025, 3, 2, 8, 30, 15, tzinfo=UTC)
T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
QUIET = "Сегодня в школах области прошли родительские собрания."
INCIDENT = "Над районом сбит беспилотник, пострадавших нет."
INCIDENT_2 = "Над районом сбиты беспилотники, пострадавших нет, повреждено окно."

MakePost = Callable[..., Post]


@pytest.fixture
def fixed(db: Database) -> Pipeline:
    """The pipeline with a fixed clock, so stored timestamps can be compared exactly."""
    return Pipeline(db, now=lambda: NOW)


async def count(db: Database, table: str) -> int:
    return int((await db.read(f"SELECT count(*) FROM {table}"))[0][0])  # type: ignore[arg-type]


async def test_live_then_backfill_of_same_post_is_stored_once(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    """1. live sees post 5  2. a restart's backfill delivers it again.
    Result: one post, one version, one classification; the second is a no-op duplicate."""
    first = await fixed.ingest(NewPost(make_post(5, INCIDENT)))
    again = await fixed.ingest(NewPost(make_post(5, INCIDENT, source=Source.BACKFILL)))
    assert (first.kind, again.kind) == (IngestKind.NEW, IngestKind.DUPLICATE)
    assert again.post_id == first.post_id
    assert not again.is_new_incident
    for table in ("posts", "post_versions", "classifications"):
        assert await count(db, table) == 1, table
    assert await db.read("SELECT source FROM posts") == [("live",)]


async def test_new_post_rows_hold_what_the_event_carried(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    post = make_post(
        41, INCIDENT, views=1200, forwards=3, replies=None, media_kind="photo",
        entities=({"type": "bold", "offset": 0, "length": 4},), channel="Test_Channel",
    )  # fmt: skip
    result = await fixed.ingest(NewPost(post))
    entities_json = '[{"type": "bold", "offset": 0, "length": 4}]'
    assert result.classification is not None
    assert result.classification.classifier_version == CLASSIFIER_VERSION
    assert result.is_new_incident == result.classification.is_incident
    rows = await db.read(
        "SELECT message_id, date, text, entities, views, forwards, replies, media_kind,"
        " permalink, first_seen_at, edited_at, deleted_at, source FROM posts"
    )
    assert rows == [
        (
            41, "2025-03-01T06:00:00+00:00", INCIDENT, entities_json, 1200, 3, None, "photo",
            "https://t.me/test_channel/41", "2025-03-02T08:30:15+00:00",
            None, None, "live",
        )
    ]  # fmt: skip
    assert await db.read("SELECT username FROM channels") == [("test_channel",)]
    assert await db.read("SELECT version, text, edited_at, seen_at FROM post_versions") == [
        (1, INCIDENT, None, "2025-03-02T08:30:15+00:00")
    ]
    (label, version, fields), *_ = await db.read(
        "SELECT label, classifier_version, fields FROM classifications"
    )
    assert (label, version) == (result.classification.label.value, CLASSIFIER_VERSION)
    assert json.loads(str(fields)) == result.classification.to_dict()
    assert await db.read("SELECT last_message_id FROM channel_cursors") == [(41,)]


async def test_cursor_only_moves_forward(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    await fixed.ingest(NewPost(make_post(10, QUIET)))
    await fixed.ingest(NewPost(make_post(4, QUIET)))  # an old post imported late
    assert await db.read("SELECT last_message_id FROM channel_cursors") == [(10,)]
    await fixed.ingest(NewPost(make_post(11, QUIET)))
    assert await db.read("SELECT last_message_id FROM channel_cursors") == [(11,)]


async def test_edit_adds_version_updates_text_and_reclassifies_in_place(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    """1. a quiet post  2. the channel edits it into a drone report.
    Result: two versions, the post's text is the new one, the version's classification row
    was updated in place (same id), and the edit is reported as a new incident."""
    await fixed.ingest(NewPost(make_post(7, QUIET)))
    (class_id,) = (await db.read("SELECT id FROM classifications"))[0]
    edited_at = T0 + timedelta(minutes=12)
    result = await fixed.ingest(EditedPost(make_post(7, INCIDENT, edited_at=edited_at)))
    assert result.kind is IngestKind.EDITED
    assert result.previous is not None and not result.previous.is_incident
    assert result.classification is not None and result.classification.is_incident
    assert result.is_new_incident and not result.is_correction
    assert await db.read("SELECT version, text, edited_at FROM post_versions ORDER BY version") == [
        (1, QUIET, None),
        (2, INCIDENT, "2025-03-01T06:12:00+00:00"),
    ]
    assert await db.read("SELECT text, edited_at FROM posts") == [
        (INCIDENT, "2025-03-01T06:12:00+00:00")
    ]
    assert await db.read("SELECT id, label FROM classifications") == [(class_id, "uav_incident")]
    assert await db.read("SELECT label, edited FROM posts_current") == [("uav_incident", 1)]


async def test_edit_that_takes_the_incident_away_is_a_correction(
    fixed: Pipeline, make_post: MakePost
) -> None:
    await fixed.ingest(NewPost(make_post(8, INCIDENT)))
    result = await fixed.ingest(EditedPost(make_post(8, QUIET, edited_at=T0 + timedelta(hours=1))))
    assert result.kind is IngestKind.EDITED
    assert result.is_correction and not result.is_new_incident


async def test_edit_with_same_text_is_unchanged(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    await fixed.ingest(NewPost(make_post(9, INCIDENT)))
    result = await fixed.ingest(EditedPost(make_post(9, INCIDENT, edited_at=T0 + timedelta(1))))
    assert result.kind is IngestKind.UNCHANGED
    assert not result.is_new_incident and not result.is_correction
    assert await count(db, "post_versions") == 1
    assert await db.read("SELECT edited_at FROM posts") == [(None,)]


async def test_edit_of_unknown_post_is_stored_as_new(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    edited_at = T0 + timedelta(minutes=3)
    result = await fixed.ingest(EditedPost(make_post(12, INCIDENT, edited_at=edited_at)))
    assert result.kind is IngestKind.NEW
    assert result.classification is not None
    assert result.is_new_incident == result.classification.is_incident
    assert await db.read("SELECT version, text, edited_at FROM post_versions") == [
        (1, INCIDENT, "2025-03-01T06:03:00+00:00")
    ]


async def test_repeat_with_newer_edit_date_is_an_edit_and_older_text_is_ignored(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    """1. live stores v1  2. a backfill brings v2 with its edit date  3. re-importing an
    old export brings v1 again (no edit date). Result: v2 stays current, two versions."""
    await fixed.ingest(NewPost(make_post(20, QUIET)))
    later = T0 + timedelta(hours=2)
    v2 = make_post(20, INCIDENT, edited_at=later, source=Source.BACKFILL)
    assert (await fixed.ingest(NewPost(v2))).kind is IngestKind.EDITED
    old = make_post(20, QUIET, source=Source.IMPORT)
    assert (await fixed.ingest(NewPost(old))).kind is IngestKind.DUPLICATE
    older_edit = make_post(20, QUIET, edited_at=later - timedelta(minutes=1))
    assert (await fixed.ingest(EditedPost(older_edit))).kind is IngestKind.UNCHANGED
    assert await db.read("SELECT text FROM posts") == [(INCIDENT,)]
    assert await count(db, "post_versions") == 2


async def test_edit_without_a_date_uses_the_time_it_was_seen(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    await fixed.ingest(NewPost(make_post(21, QUIET)))
    assert (await fixed.ingest(EditedPost(make_post(21, INCIDENT)))).kind is IngestKind.EDITED
    assert await db.read("SELECT edited_at FROM posts") == [("2025-03-02T08:30:15+00:00",)]


async def test_delete_keeps_text_and_history(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    await fixed.ingest(NewPost(make_post(30, QUIET)))
    await fixed.ingest(EditedPost(make_post(30, INCIDENT, edited_at=T0 + timedelta(hours=1))))
    assert await count(db, "incidents") == 1
    gone = DeletedPost("test_channel", None, (30, 31), T0 + timedelta(days=1), Source.LIVE)
    results = await fixed.ingest_events([gone])
    assert [r.kind for r in results] == [IngestKind.DELETED, IngestKind.UNKNOWN_POST]
    assert results[1].post_id is None and results[1].classification is None
    assert await db.read("SELECT text, deleted_at FROM posts") == [
        (INCIDENT, "2025-03-02T06:00:00+00:00")
    ]
    assert await count(db, "post_versions") == 2
    assert await db.read("SELECT deleted, label FROM posts_current") == [(1, "uav_incident")]
    assert await count(db, "incidents") == 0
    again = await fixed.ingest(gone)
    assert again.kind is IngestKind.UNCHANGED
    assert await db.read("SELECT deleted_at FROM posts") == [("2025-03-02T06:00:00+00:00",)]


async def test_delete_for_an_unknown_channel_adds_nothing(fixed: Pipeline, db: Database) -> None:
    gone = DeletedPost("never_seen", None, (1,), T0, Source.LIVE)
    assert (await fixed.ingest(gone)).kind is IngestKind.UNKNOWN_POST
    assert await count(db, "channels") == 0


async def test_create_edit_delete_in_one_batch(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    """Events in one transaction see each other: the insert row is the final state."""
    events = [
        NewPost(make_post(40, QUIET)),
        EditedPost(make_post(40, INCIDENT, edited_at=T0 + timedelta(minutes=1))),
        EditedPost(make_post(40, INCIDENT_2, edited_at=T0 + timedelta(minutes=2))),
        DeletedPost("test_channel", None, (40,), T0 + timedelta(minutes=3), Source.LIVE),
    ]
    results = await fixed.ingest_events(events)
    assert [r.kind for r in results] == ["new", "edited", "edited", "deleted"]
    assert results[1].is_new_incident
    assert await db.read("SELECT text, edited_at, deleted_at FROM posts") == [
        (INCIDENT_2, "2025-03-01T06:02:00+00:00", "2025-03-01T06:03:00+00:00")
    ]
    assert await db.read("SELECT version, text FROM post_versions ORDER BY version") == [
        (1, QUIET),
        (2, INCIDENT),
        (3, INCIDENT_2),
    ]
    assert await count(db, "classifications") == 1


async def test_ingest_many_counts_each_kind_from_an_async_source(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    async def source() -> AsyncIterator[NewPost | EditedPost]:
        for i in range(1, 6):
            yield NewPost(make_post(i, INCIDENT if i % 2 else QUIET))
        yield NewPost(make_post(1, INCIDENT))
        yield EditedPost(make_post(2, INCIDENT, edited_at=T0 + timedelta(1)))

    seen: list[int] = []
    summary = await fixed.ingest_many(source(), batch_size=2, progress=seen.append)
    assert (summary.new, summary.duplicate, summary.edited) == (5, 1, 1)
    assert summary.new_incidents == 3 + 1  # posts 1, 3, 5 and the edit of 2
    assert summary.total == 7 and sum(seen) == 7 and max(seen) == 2
    assert await count(db, "posts") == 5


async def test_channel_id_only_posts_get_c_permalinks(fixed: Pipeline, db: Database) -> None:
    post = Post(None, 1234567890, 3, T0, QUIET, Source.IMPORT, channel_title="Канал")
    await fixed.ingest(NewPost(post))
    assert await db.read("SELECT permalink FROM posts") == [("https://t.me/c/1234567890/3",)]
    assert await db.read("SELECT telegram_id, username, title FROM channels") == [
        (1234567890, None, "Канал")
    ]


async def test_lone_surrogate_is_stored_as_replacement_and_repeat_is_duplicate(
    fixed: Pipeline, db: Database, make_post: MakePost
) -> None:
    """A broken emoji (half a UTF-16 pair, as a damaged export can hold) has no UTF-8 form:
    the post is stored with '?' instead of failing the whole import, and a re-import of the
    same file is still a duplicate, not an edit."""
    text = "Сбит беспилотник \ud83d конец"
    post = make_post(50, text, entities=({"type": "plain", "text": "\ud83d"},))
    assert (await fixed.ingest(NewPost(post))).kind is IngestKind.NEW
    assert (await fixed.ingest(NewPost(post))).kind is IngestKind.DUPLICATE
    assert await db.read("SELECT text, entities FROM posts") == [
        ("Сбит беспилотник ? конец", '[{"type": "plain", "text": "?"}]')
    ]
    assert await db.read("SELECT text FROM post_versions") == [("Сбит беспилотник ? конец",)]
