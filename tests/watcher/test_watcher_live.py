"""Live channels through the real Telethon client: new posts, edits, deletions, albums."""

from __future__ import annotations

from typing import Any

from fakes import FakeTelegram
from fakes.testing import eventually
from telethon.tl import types

from bot.sources.telegram.ingest import Ingested

INCIDENT = "Над Смоленской областью сбиты два беспилотника. Пострадавших нет."
PLAIN = "Поздравляю выпускников с окончанием учебного года!"


async def test_live_post_is_stored_and_classified_and_marked_for_alert(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    """1. the watcher starts on a joined channel 2. the governor posts about downed drones.
    Result: the post is stored once with its classification; the alert stage is told to
    alert it (fresh, new incident)."""
    world.add_channel("Губернатор", username="gov_news")
    seen: list[Ingested] = []

    async def listen(item: Ingested) -> None:
        seen.append(item)

    watcher = make_watcher(channels=("gov_news",), on_ingested=listen)
    await watcher.start()
    assert watcher.channels and all(c.joined for c in watcher.channels.values())
    post = world.publish("gov_news", INCIDENT, views=120)
    await eventually(lambda: any(s.result.message_id == post.id for s in seen))
    assert await posts_of("gov_news") == [(post.id, INCIDENT, "uav_incident", False)]
    item = next(s for s in seen if s.result.message_id == post.id)
    assert item.alert and item.origin == "live" and item.result.is_new_incident
    rows = await watcher.db.read("SELECT views, source FROM posts WHERE message_id = ?", (post.id,))
    assert rows == [(120, "live")]


async def test_live_edit_and_delete_become_versions_and_deleted_at(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    world.add_channel("Губернатор", username="gov_news")
    watcher = make_watcher(channels=("gov_news",))
    await watcher.start()
    post = world.publish("gov_news", PLAIN)
    await eventually(lambda: watcher.channels_by_id(post.peer_id.channel_id).frontier == post.id)
    world.edit("gov_news", post.id, INCIDENT)
    await watcher.settle()

    async def label() -> list[Any]:
        return await posts_of("gov_news")

    for _ in range(200):
        if (await label())[0][2] == "uav_incident":
            break
        await watcher.settle()
    assert await label() == [(post.id, INCIDENT, "uav_incident", False)]
    versions = await watcher.db.read("SELECT count(*) FROM post_versions")
    assert versions == [(2,)]
    world.delete("gov_news", [post.id])
    for _ in range(200):
        if (await label())[0][3]:
            break
        await watcher.settle()
    assert (await label())[0][3] is True  # deleted, text and history kept


async def test_album_becomes_one_post_with_its_caption(
    world: FakeTelegram, make_watcher: Any, posts_of: Any
) -> None:
    world.add_channel("Губернатор", username="gov_news")
    watcher = make_watcher(channels=("gov_news",))
    await watcher.start()
    photo = types.MessageMediaPhoto(photo=types.PhotoEmpty(id=1))
    first = world.publish("gov_news", INCIDENT, grouped_id=77, media=photo)
    world.publish("gov_news", "", grouped_id=77, media=photo)
    world.publish("gov_news", "", grouped_id=77, media=photo)
    after = world.publish("gov_news", PLAIN)
    ch = watcher.channels_by_id(first.peer_id.channel_id)
    await eventually(lambda: ch.frontier == after.id)
    await watcher.settle()
    assert await posts_of("gov_news") == [
        (first.id, INCIDENT, "uav_incident", False),
        (after.id, PLAIN, "not_relevant", False),
    ]
    kinds = await watcher.db.read("SELECT media_kind FROM posts ORDER BY message_id")
    assert kinds == [("album",), (None,)]
