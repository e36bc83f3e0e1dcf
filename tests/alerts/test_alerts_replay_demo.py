"""The replay format and `uavwatch demo`: offline, no credentials, every message printed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import bundled_feed
from bot.models import DeletedPost, EditedPost, NewPost, Source
from bot.sources.replay import ReplayLineError, ReplayProblem, parse_line, read_replay


def _line(**fields: object) -> str:
    base: dict[str, object] = {
        "channel": "Kursk_Gov",
        "message_id": 5,
        "date": "2025-03-14T19:25:00+03:00",
    }
    base.update(fields)
    return json.dumps(base, ensure_ascii=False)


def test_replay_lines_become_pipeline_events() -> None:
    new = parse_line(_line(text="Сбит БПЛА", views=10, title="Губернатор", home_region="RU-KRS"))
    assert isinstance(new.event, NewPost)
    post = new.event.post
    assert (post.channel, post.message_id, post.text, post.views, post.source) == (
        "kursk_gov", 5, "Сбит БПЛА", 10, Source.REPLAY,
    )  # fmt: skip
    assert post.date == datetime(2025, 3, 14, 16, 25, tzinfo=UTC)
    assert (new.title, new.home_region) == ("Губернатор", "RU-KRS")
    edit = parse_line(_line(event="edit", text="Сбиты два БПЛА", date="2025-03-14T17:00:00"))
    assert isinstance(edit.event, EditedPost)
    assert edit.event.post.edited_at == datetime(2025, 3, 14, 17, 0, tzinfo=UTC)  # naive = UTC
    gone = parse_line(_line(event="delete"))
    assert isinstance(gone.event, DeletedPost) and gone.event.message_ids == (5,)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        (_line(text="x", channel="a b"), "'channel'"),
        (_line(text="x", message_id="5"), "'message_id' must be an integer"),
        (_line(text="x", message_id=0), "'message_id' must be above 0"),
        (_line(text="x", date="yesterday"), "'date' is not ISO 8601"),
        (_line(text="x", event="move"), "'event' must be one of new, edit, delete"),
        (_line(), "missing 'text'"),
        (_line(text="x", views=-1), "'views' must not be negative"),
    ],
)
def test_bad_lines_say_what_is_wrong(line: str, reason: str) -> None:
    with pytest.raises(ReplayLineError, match=reason):
        parse_line(line)


def test_bad_lines_are_reported_by_number_and_skipped() -> None:
    problems: list[ReplayProblem] = []
    lines = [_line(text="a"), "oops", "", _line(text="b", message_id=6), '{"channel": "x"}']
    good = list(read_replay(lines, problems))
    assert [g.line for g in good] == [1, 4]
    assert [str(p) for p in problems] == [
        "line 2: not JSON (Expecting value at column 1)",
        "line 5: 'channel': 'x' is not a Telegram channel username (4-32 letters, digits or _,"
        " starting with a letter; e.g. 'mod_russia')",
    ]


def test_the_bundled_feed_is_clean_and_covers_every_case() -> None:
    problems: list[ReplayProblem] = []
    lines = list(read_replay(bundled_feed(), problems))
    assert problems == []
    kinds = {type(line.event).__name__ for line in lines}
    assert kinds == {"NewPost", "EditedPost", "DeletedPost"}
    channels = {line.event.post.channel for line in lines if isinstance(line.event, NewPost)}
    assert len(channels) >= 6


def test_demo_prints_messages_as_subscribers_see_them_then_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "─── to Анна (ru), message #2 ───\n🛩 Смоленская область: уничтожены 2 БПЛА." in out
    assert "🛩 Smolensk Oblast: 2 drones destroyed." in out  # the same alert in English
    assert "Also reported by: @drone_wire" in out  # the cross-channel duplicate, merged
    assert "✏️ Исправлено" in out and "уничтожены 3 БПЛА" in out  # the edit, as a correction
    assert "🗑 Источник удалил сообщение." in out  # the delete
    assert "💥 Севастополь: інша атака (не БпЛА)." in out
    assert "🌙 Alerts during your quiet hours: 2" in out
    summary = out[out.index("events replayed") :]
    assert "events replayed   22" in summary
    assert "9 incidents, 5 threats, 1 other attacks, 5 not relevant" in summary
    assert "2 duplicate report(s) merged" in summary
    assert "database          not kept" in summary


def test_demo_keeps_its_database_and_replays_a_given_feed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.db"
    assert main(["demo", "--db", str(db)]) == 0
    assert f"kept in {db}" in capsys.readouterr().out
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        _line(text="Над Курской областью сбит беспилотник.", date="2025-03-20T10:00:00Z")
        + "\nnot json\n",
        encoding="utf-8",
    )
    assert main(["demo", "--db", str(db), "--feed", str(feed)]) == 0
    out = capsys.readouterr().out
    assert "🛩 Курская область: уничтожен 1 БПЛА." in out
    assert "skipped line 2: not JSON" in out and "(1 bad line(s) skipped)" in out
    csv = tmp_path / "x.csv"
    assert main(["export", "--db", str(db), "--format", "csv", "--out", str(csv)]) == 0
    assert csv.read_text(encoding="utf-8").count("\n") == 1 + 20 + 1  # header, bundled, own


def test_demo_with_a_missing_feed_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--feed", str(tmp_path / "nope.jsonl")]) == 2
    assert "no such replay file" in capsys.readouterr().err
