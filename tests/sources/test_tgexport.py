"""Telegram Desktop export reader: text joining, media, service messages, broken files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import InputError, MalformedFileError
from bot.models import Post, Source
from bot.sources.tgexport import (
    ExportCounts,
    iter_posts,
    join_text,
    media_kind,
    message_to_post,
    read_header,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "tgexport" / "demo_export" / "result.json"
CHANNEL_ID = 1987654321


def write_export(path: Path, messages: list[Any], **header: Any) -> Path:
    """An export laid out as Telegram Desktop writes it (one-space indent, UTF-8)."""
    doc = {"name": "Demo", "type": "public_channel", "id": CHANNEL_ID, **header}
    doc["messages"] = messages
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def message(message_id: int, text: Any = "текст", **extra: Any) -> dict[str, Any]:
    return {
        "id": message_id,
        "type": "message",
        "date": "2025-01-01T03:00:00",
        "date_unixtime": str(1735689600 + message_id),
        "from": "Demo",
        "from_id": f"channel{CHANNEL_ID}",
        "text": text,
        **extra,
    }


def read_all(path: Path, **kwargs: Any) -> tuple[list[Post], ExportCounts]:
    counts = ExportCounts()
    posts = list(iter_posts(path, read_header(path), counts=counts, **kwargs))
    return posts, counts


def utf16_slice(text: str, offset: int, length: int) -> str:
    data = text.encode("utf-16-le")
    return data[offset * 2 : (offset + length) * 2].decode("utf-16-le")


def eof_line_column(data: bytes) -> tuple[int, int]:
    """Where an editor puts the cursor at the end of `data`."""
    last_line = data.rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    return data.count(b"\n") + 1, len(last_line) + 1


# ---------------------------------------------------------------- the written fixture


def test_fixture_header_names_the_channel() -> None:
    header = read_header(FIXTURE)
    assert header.channel_id == CHANNEL_ID
    assert header.name == "Оперативный штаб Демонской области (демо)"
    assert header.chat_type == "public_channel"


def test_fixture_posts_use_unixtime_in_utc_not_the_local_date() -> None:
    posts, _ = read_all(FIXTURE)
    assert [p.message_id for p in posts] == [2, 3, 4, 5, 7, 8]
    first = posts[0]
    # "date" says 15:05 local; date_unixtime 1732968300 is 12:05 UTC.
    assert first.date == datetime(2024, 11, 30, 12, 5, tzinfo=UTC)
    assert all(p.source is Source.IMPORT and p.channel_id == CHANNEL_ID for p in posts)
    assert all(p.channel is None for p in posts)
    assert first.channel_title == "Оперативный штаб Демонской области (демо)"


def test_service_messages_are_skipped_and_counted() -> None:
    posts, counts = read_all(FIXTURE)
    assert 1 not in {p.message_id for p in posts} and 6 not in {p.message_id for p in posts}
    assert (counts.messages, counts.service, counts.edited) == (8, 2, 1)


def test_entity_list_text_is_joined_in_order_with_utf16_offsets() -> None:
    posts, _ = read_all(FIXTURE)
    post = next(p for p in posts if p.message_id == 3)
    assert post.text == (
        "⚡️ Внимание!\nНочью над Демонским районом сбиты три беспилотника. "
        "Пострадавших нет. Подробнее на сайте #ПВО"
    )
    kinds = [(e["type"], utf16_slice(post.text, e["offset"], e["length"])) for e in post.entities]
    assert kinds == [
        ("bold", "⚡️ Внимание!"),
        ("bold", "три"),
        ("text_link", "на сайте"),
        ("hashtag", "#ПВО"),
    ]
    assert post.entities[2]["href"] == "https://example.org/news/3"


def test_text_list_without_text_entities_is_joined_too() -> None:
    posts, _ = read_all(FIXTURE)
    post = next(p for p in posts if p.message_id == 8)
    assert post.text == (
        "Режим беспилотной опасности отменён. Спасибо @demo_edds за оперативную работу 🙏"
    )
    assert [(e["type"], e["offset"], e["length"]) for e in post.entities] == [("mention", 45, 10)]


def test_media_only_post_is_kept_with_empty_text_and_its_media_kind() -> None:
    posts, _ = read_all(FIXTURE)
    by_id = {p.message_id: p for p in posts}
    assert (by_id[4].text, by_id[4].media_kind) == ("", "photo")
    assert by_id[7].media_kind == "video"
    assert by_id[2].media_kind is None


def test_edited_message_carries_its_edit_time() -> None:
    posts, _ = read_all(FIXTURE)
    by_id = {p.message_id: p for p in posts}
    assert by_id[5].edited_at == datetime(2024, 12, 1, 8, 2, tzinfo=UTC)
    assert by_id[2].edited_at is None


def test_channel_username_is_attached_when_given() -> None:
    posts, _ = read_all(FIXTURE, channel="demo_ops")
    assert posts[0].channel == "demo_ops"
    assert posts[0].permalink == "https://t.me/demo_ops/2"


# ---------------------------------------------------------------- pure pieces


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"photo": "photos/p.jpg"}, "photo"),
        ({"file": "f.mp4", "media_type": "video_file"}, "video"),
        ({"file": "v.ogg", "media_type": "voice_message"}, "voice"),
        ({"file": "r.mp4", "media_type": "video_message"}, "round_video"),
        ({"file": "s.webp", "media_type": "sticker"}, "sticker"),
        ({"file": "a.mp4", "media_type": "animation"}, "animation"),
        ({"file": "report.pdf"}, "document"),
        ({"poll": {"question": "?"}}, "poll"),
        ({"location_information": {"latitude": 1.0}}, "location"),
        ({}, None),
    ],
)
def test_media_kind_names(fields: dict[str, Any], kind: str | None) -> None:
    assert media_kind(message(1, **fields)) == kind


def test_text_entities_are_preferred_over_text_when_both_are_given() -> None:
    text, entities = join_text(
        ["a", {"type": "bold", "text": "b"}],
        [{"type": "plain", "text": "a"}, {"type": "italic", "text": "b"}],
    )
    assert (text, entities) == ("ab", ({"type": "italic", "offset": 1, "length": 1},))


@given(
    st.lists(
        st.one_of(
            st.text(max_size=8),
            st.builds(
                lambda kind, text: {"type": kind, "text": text},
                st.sampled_from(["bold", "plain", "hashtag", "text_link"]),
                st.text(max_size=8),
            ),
        ),
        max_size=8,
    )
)
def test_joined_text_is_the_pieces_and_every_entity_slices_back_to_its_piece(
    pieces: list[Any],
) -> None:
    text, entities = join_text(pieces)
    assert text == "".join(p if isinstance(p, str) else p["text"] for p in pieces)
    styled = [p for p in pieces if isinstance(p, dict) and p["type"] != "plain" and p["text"]]
    assert [utf16_slice(text, e["offset"], e["length"]) for e in entities] == [
        p["text"] for p in styled
    ]


def test_a_service_message_becomes_none() -> None:
    assert message_to_post({"id": 1, "type": "service"}, channel_id=CHANNEL_ID) is None


def test_bot_api_style_channel_id_is_reduced_to_the_bare_id(tmp_path: Path) -> None:
    path = write_export(tmp_path / "result.json", [message(1)], id=-1001987654321)
    assert read_header(path).channel_id == CHANNEL_ID


def test_reading_streams_the_file_instead_of_loading_it(tmp_path: Path) -> None:
    """The first post arrives after a fraction of a 1 MB file is read (ijson, 64 KiB reads)."""
    path = write_export(tmp_path / "result.json", [message(i, "x" * 300) for i in range(3000)])
    size = path.stat().st_size
    read: list[int] = []
    posts = iter_posts(path, read_header(path), on_bytes=read.append)
    assert next(posts).message_id == 0
    assert size > 800_000 and sum(read) < size / 4
    assert sum(1 for _ in posts) == 2999
    assert sum(read) == size


# ---------------------------------------------------------------- broken files


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.97])
def test_truncated_file_reports_the_line_and_column_where_it_ends(
    tmp_path: Path, keep: float
) -> None:
    data = FIXTURE.read_bytes()
    cut = data[: int(len(data) * keep)]
    path = tmp_path / "result.json"
    path.write_bytes(cut)
    line, column = eof_line_column(cut)
    with pytest.raises(MalformedFileError) as err:
        read_all(path)
    assert err.value.path == str(path)
    assert err.value.where == f"line {line}, column {column}"
    assert "ends early" in err.value.reason
    assert "truncated" in str(err.value)


def test_invalid_json_in_the_middle_of_a_large_file_points_at_the_bad_byte(
    tmp_path: Path,
) -> None:
    """The break is past the first 64 KiB chunks, so the locating re-scan is exercised."""
    path = write_export(tmp_path / "result.json", [message(i, "слово " * 20) for i in range(2000)])
    text = path.read_text(encoding="utf-8")
    marker = '"id": 1500,'
    at = text.index(marker) + len(marker)
    broken = text[:at] + "," + text[at:]  # `"id": 1500,,` -- a doubled comma
    path.write_text(broken, encoding="utf-8")
    line = broken.count("\n", 0, at) + 1
    column = at - broken.rfind("\n", 0, at)  # 1-based column of the extra comma
    with pytest.raises(MalformedFileError) as err:
        posts = iter_posts(path, read_header(path))
        seen = sum(1 for _ in posts)
        pytest.fail(f"no error after {seen} posts")
    assert len(broken.encode("utf-8")) > 4 * 65536
    assert err.value.where == f"line {line}, column {column}"
    assert "invalid JSON" in err.value.reason


def test_message_without_id_is_named_by_its_index(tmp_path: Path) -> None:
    bad = message(3)
    del bad["id"]
    path = write_export(tmp_path / "result.json", [message(1), message(2), bad])
    with pytest.raises(MalformedFileError) as err:
        read_all(path)
    assert err.value.where.startswith("messages[2]")
    assert "'id'" in err.value.reason


def test_message_without_unixtime_is_refused_with_a_reexport_hint(tmp_path: Path) -> None:
    bad = message(2)
    del bad["date_unixtime"]
    path = write_export(tmp_path / "result.json", [message(1), bad])
    with pytest.raises(MalformedFileError) as err:
        read_all(path)
    assert err.value.where.startswith("messages[1] (id 2)")
    assert "date_unixtime" in err.value.reason
    assert "re-export" in str(err.value)


def test_full_account_export_is_refused_with_how_to_export_one_channel(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(
        json.dumps({"about": "x", "personal_information": {}, "chats": {"list": []}}),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="Export chat history") as err:
        read_header(path)
    assert not isinstance(err.value, MalformedFileError)


@pytest.mark.parametrize(
    "doc", [[1, 2], {"name": "x", "id": 5}, {"name": "x", "id": 5, "messages": {}}]
)
def test_json_that_is_not_a_chat_export_is_refused(tmp_path: Path, doc: Any) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match=str(path)):
        read_header(path)


def test_export_without_a_chat_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "x", "messages": []}), encoding="utf-8")
    with pytest.raises(MalformedFileError, match="chat id"):
        read_header(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot open"):
        read_header(tmp_path / "nope.json")
