"""The watcher's pure logic: frontiers, backoff, FloodWait scopes, pacing, diffing, refs."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telethon.tl import types

from bot.config import parse_settings
from bot.models import DeletedPost, EditedPost, NewPost, Post, Source
from bot.pipeline import IngestKind, IngestResult
from bot.sources.telegram.convert import (
    ChannelInfo,
    album_to_post,
    entity_dicts,
    group_messages,
    media_kind,
)
from bot.sources.telegram.ingest import Origin, should_alert
from bot.sources.telegram.peers import StoredPost
from bot.sources.telegram.reconcile import Window, cut_window, diff_window
from bot.sources.telegram.refs import ChannelRef, parse_channel_ref, parse_channel_refs
from bot.sources.telegram.sync import live_step
from bot.sources.telegram.throttle import FloodGate, Pacer, backoff_delay
from bot.sources.webpreview_html import WebPreviewPage
from bot.sources.webpreview_poller import poll_events

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
CH = ChannelInfo("gov_news", 42, "Губернатор")


def _msg(mid: int, text: str = "t", *, group: int | None = None, minutes: int = 0) -> Any:
    return types.Message(
        id=mid,
        peer_id=types.PeerChannel(42),
        date=T0 + timedelta(minutes=minutes),
        message=text,
        grouped_id=group,
    )


def _post(mid: int, text: str = "t", edited: datetime | None = None) -> Post:
    return Post("gov_news", 42, mid, T0, text, Source.LIVE, edited_at=edited)


def test_live_step_moves_only_over_contiguous_ids() -> None:
    assert live_step(10, [11, 12]) == (12, False)
    assert live_step(10, [12]) == (10, True)
    assert live_step(10, [9, 10]) == (10, False)
    assert live_step(10, [11, 13]) == (11, True)
    assert live_step(0, []) == (0, False)


@given(st.integers(0, 50), st.lists(st.integers(1, 80), max_size=20))
def test_live_step_never_skips_an_unseen_id(frontier: int, ids: list[int]) -> None:
    new, gap = live_step(frontier, ids)
    assert all(i in ids for i in range(frontier + 1, new + 1))
    assert gap == any(i > new for i in ids)


def test_backoff_is_capped_grows_and_jitters() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(n, rng, base=1, cap=60) for n in range(12)]
    assert all(0.5 <= d <= 60 for d in delays)
    assert delays[0] <= 1 and delays[3] >= 4 and delays[-1] >= 30
    assert len({round(backoff_delay(5, rng, base=1, cap=60), 6) for _ in range(20)}) > 1


def test_flood_gate_closes_only_its_scope() -> None:
    gate = FloodGate()
    gate.hit("GetHistoryRequest", "@a", 30, now=100)
    assert gate.wait("GetHistoryRequest", "@a", now=100) == 31
    assert gate.wait("GetHistoryRequest", "@b", now=100) == 0
    assert gate.wait("GetChannelsRequest", "@a", now=100) == 0
    gate.hit("ResolveUsernameRequest", None, 5, now=100)  # a kind-wide scope
    assert gate.wait("ResolveUsernameRequest", "@x", now=103) == 3
    assert gate.paused(now=120) == {("GetHistoryRequest", "@a"): 11}


def test_pacer_allows_a_burst_then_one_page_a_second() -> None:
    pacer = Pacer(burst=3, rate=1.0, tokens=3.0)
    assert [pacer.delay(0) for _ in range(3)] == [0, 0, 0]
    assert pacer.delay(0) == pytest.approx(1.0)
    assert pacer.delay(10) == 0  # refilled while idle


def test_alert_decision_by_kind_origin_and_age() -> None:
    fresh = NewPost(_post(1))
    result = IngestResult(IngestKind.NEW, 1, 1, 1, None)
    max_age = timedelta(hours=1)
    assert should_alert(fresh, result, Origin.CATCHUP, T0 + timedelta(minutes=59), max_age)
    assert not should_alert(fresh, result, Origin.CATCHUP, T0 + timedelta(hours=2), max_age)
    assert not should_alert(fresh, result, Origin.BACKFILL, T0, max_age)
    dup = IngestResult(IngestKind.DUPLICATE, 1, 1, 1, None)
    assert not should_alert(fresh, dup, Origin.LIVE, T0, max_age)
    late_edit = EditedPost(_post(1, edited=T0 + timedelta(hours=3)))
    edited = IngestResult(IngestKind.EDITED, 1, 1, 1, None)
    assert should_alert(late_edit, edited, Origin.RECONCILE, T0 + timedelta(hours=3), max_age)
    gone = DeletedPost("gov_news", 42, (1,), T0, Source.LIVE)
    deleted = IngestResult(IngestKind.DELETED, 1, 1, 1, None)
    assert should_alert(gone, deleted, Origin.LIVE, T0, max_age)
    assert not should_alert(gone, deleted, Origin.RECONCILE, T0, max_age)


def test_album_members_become_one_post_and_cut_albums_are_dropped() -> None:
    photo = types.MessageMediaPhoto(photo=types.PhotoEmpty(id=1))
    members = [_msg(5, "", group=7), _msg(4, "Подпись", group=7), _msg(6, "ещё", group=7)]
    for m in members:
        m.media = photo
    post = album_to_post(members, CH, Source.LIVE)
    assert (post.message_id, post.text, post.media_kind) == (4, "Подпись\n\nещё", "album")
    groups = group_messages(
        [_msg(3), *members, types.MessageService(id=8, peer_id=None, date=T0, action=None)]
    )
    assert [[m.id for m in g] for g in groups] == [[3], [4, 5, 6]]
    assert [[m.id for m in g] for g in group_messages(members, complete_above=4)] == []


def test_entities_and_media_kinds_use_the_archive_names() -> None:
    message = _msg(1, "see https://x.example and bold")
    message.entities = [
        types.MessageEntityUrl(offset=4, length=17),
        types.MessageEntityTextUrl(offset=26, length=4, url="https://y.example"),
        types.MessageEntityBold(offset=26, length=4),
    ]
    assert entity_dicts(message) == (
        {"type": "url", "offset": 4, "length": 17},
        {"type": "text_link", "offset": 26, "length": 4, "url": "https://y.example"},
        {"type": "bold", "offset": 26, "length": 4},
    )
    video = types.Document(
        id=1,
        access_hash=1,
        file_reference=b"",
        date=T0,
        mime_type="v",
        size=1,
        dc_id=1,
        attributes=[types.DocumentAttributeVideo(duration=1, w=1, h=1, round_message=True)],
    )
    message.media = types.MessageMediaDocument(document=video)
    assert media_kind(message) == "round_video"
    message.media = types.MessageMediaPoll(
        poll=types.Poll(id=1, question=types.TextWithEntities("q", []), answers=[], hash=0),
        results=types.PollResults(),
    )
    assert media_kind(message) == "poll"


def test_diff_window_finds_edits_deletions_and_missed_posts() -> None:
    window = Window(10, {10: _post(10, "same"), 11: _post(11, "new text"), 13: _post(13)})
    stored = {
        9: StoredPost(9, "older than the window", None, False),
        10: StoredPost(10, "same", None, False),
        11: StoredPost(11, "old text", None, False),
        12: StoredPost(12, "gone", None, False),
        14: StoredPost(14, "already deleted", None, True),
    }
    events = diff_window(window, stored, CH, deleted_at=T0)
    assert [type(e).__name__ for e in events] == ["EditedPost", "NewPost", "DeletedPost"]
    assert isinstance(events[2], DeletedPost) and events[2].message_ids == (12,)
    edited_later = Window(10, {10: _post(10, "same", edited=T0)})
    assert diff_window(edited_later, {10: stored[10]}, CH, deleted_at=T0) == [
        EditedPost(_post(10, "same", edited=T0))
    ]


def test_cut_window_stops_at_age_or_count_and_leaves_a_cut_album_out() -> None:
    newest_first = [_msg(i, minutes=i) for i in range(20, 0, -1)]
    lowest, groups = cut_window(newest_first, since=T0 + timedelta(minutes=15), limit=100)
    assert lowest == 15 and [g[0].id for g in groups] == list(range(15, 21))
    lowest, groups = cut_window(newest_first, since=T0, limit=5)
    assert lowest == 16 and len(groups) == 5
    with_album = [_msg(20), _msg(19, group=3), _msg(18, group=3), _msg(17, group=3)]
    lowest, groups = cut_window(with_album, since=T0, limit=3)
    assert lowest == 20 and [g[0].id for g in groups] == [20]
    assert cut_window(newest_first[:3], since=T0, limit=10)[0] == 0  # whole history read


def test_channel_refs_accept_names_links_and_ids() -> None:
    assert parse_channel_ref("@Gov_News") == ChannelRef("gov_news", None)
    assert parse_channel_ref("https://t.me/s/gov_news") == ChannelRef("gov_news", None)
    assert parse_channel_ref("-1001234567890") == ChannelRef(None, 1234567890)
    assert parse_channel_ref("t.me/c/1234567890/55") == ChannelRef(None, 1234567890)
    assert parse_channel_ref("gov_news=RU-SMO").home_region == "RU-SMO"
    assert len(parse_channel_refs("a_bcd, @a_bcd\n,efgh_1")) == 2
    with pytest.raises(ValueError, match="invite link"):
        parse_channel_ref("https://t.me/+AbCdEf")
    with pytest.raises(ValueError, match="not a Telegram channel username"):
        parse_channel_refs("good_name, bad name!")


def test_watcher_settings_parse_and_keep_secrets_out_of_repr() -> None:
    settings = parse_settings(
        {
            "TG_API_ID": "12345",
            "TG_API_HASH": "ab" * 16,
            "TG_SESSION_STRING": "1Bsecret",
            "CHANNELS": "gov_news=RU-SMO, -1001",
            "CATCHUP_ALERT_MAX_AGE": "30m",
            "WEBPREVIEW_CHANNELS": "@Kpszsu mod_russia",
            "WEBPREVIEW_BASE_URL": "http://127.0.0.1:8/",
        }
    )
    assert settings.tg_api_id == 12345 and settings.catchup_alert_max_age == timedelta(minutes=30)
    assert [str(r) for r in settings.channels] == ["@gov_news", "id 1001"]
    assert settings.webpreview_channels == ("kpszsu", "mod_russia")
    assert settings.webpreview_base_url == "http://127.0.0.1:8"
    shown = repr(settings)
    assert "ab" * 16 not in shown and "1Bsecret" not in shown and "***" in shown


def test_poll_events_new_above_the_cursor_and_only_marked_edits_below() -> None:
    page = WebPreviewPage(
        "gov_news", None, (_post(4), _post(5), _post(6)), frozenset({4}), frozenset(), None
    )
    events = poll_events([page], cursor=5)
    assert [(type(e).__name__, e.post.message_id) for e in events] == [  # type: ignore[union-attr]
        ("EditedPost", 4),
        ("NewPost", 6),
    ]
    assert len(poll_events([page], cursor=None)) == 3


def test_the_telethon_surface_the_watcher_relies_on_is_there() -> None:
    """Fails loudly when a Telethon upgrade drops what the watcher builds on (the fake's own
    hooks are checked in tests/test_fake_telegram.py)."""
    import inspect

    from telethon import TelegramClient, events
    from telethon.tl import functions

    from bot.sources.telegram.watcher import CLIENT_OPTIONS

    params = inspect.signature(TelegramClient.__init__).parameters
    assert set(CLIENT_OPTIONS) <= set(params)
    for name in ("disconnected", "flood_sleep_threshold", "iter_dialogs", "get_messages"):
        assert hasattr(TelegramClient, name), name
    for builder in ("NewMessage", "MessageEdited", "MessageDeleted"):
        assert hasattr(events, builder), builder
    request = inspect.signature(functions.messages.GetHistoryRequest.__init__).parameters
    assert {"offset_id", "add_offset", "limit", "min_id", "max_id", "hash"} <= set(request)
