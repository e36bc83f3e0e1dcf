"""Search and statistics over a small archive with known figures.

Scenario: a governor's channel (4 posts: 3 incidents over the Bryansk region, one of them
later deleted, and a road-works post) and the MoD (3 posts: 2 incidents naming the Kursk
region, one also Bryansk, and a meeting). Deleted posts count as posts, never as incidents.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.export_cmd import format_table
from bot.errors import InputError
from bot.export import parse_time_bound
from bot.models import DeletedPost, NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.search import build_daily_series, compute_stats, daily_incidents, search_posts
from bot.storage import connect_reader

D = datetime(2025, 3, 1, tzinfo=UTC)

# (channel, message_id, hours after D, text): texts written for these tests.
POSTS = (
    ("gov_bryansk", 1, 4, "Над Брянской областью сбит беспилотник, пострадавших нет."),
    ("gov_bryansk", 2, 10, "Ремонт дорог завершен досрочно, спасибо строителям."),
    ("gov_bryansk", 3, 27, "Над Брянской областью уничтожены три беспилотника."),
    ("gov_bryansk", 4, 50, "Ночью над Брянской областью сбит беспилотник."),
    (
        "mod_russia",
        50,
        29,
        "Средствами ПВО уничтожены 5 беспилотников над территорией Курской области "
        "и 2 беспилотника над территорией Брянской области.",
    ),
    ("mod_russia", 51, 56, "Министр обороны провел совещание с командующими."),
    ("mod_russia", 52, 80, "Над территорией Курской области уничтожен беспилотник."),
)


@pytest.fixture
async def archive(pipeline: Pipeline, db_path: Path) -> AsyncIterator[sqlite3.Connection]:
    await pipeline.ingest_many(
        NewPost(Post(ch, None, mid, D + timedelta(hours=h), text, Source.IMPORT))
        for ch, mid, h, text in POSTS
    )
    await pipeline.ingest(
        DeletedPost("gov_bryansk", None, (4,), D + timedelta(hours=60), Source.LIVE)
    )
    conn = connect_reader(db_path)
    yield conn
    conn.close()


def _mid(hit_permalink: str | None) -> int:
    assert hit_permalink is not None
    return int(hit_permalink.rsplit("/", 1)[1])


# --- search -------------------------------------------------------------------------------


async def test_search_newest_first_with_marked_snippet(archive: sqlite3.Connection):
    hits = search_posts(archive, "беспилот*")
    assert [_mid(h.permalink) for h in hits] == [52, 4, 50, 3, 1]
    assert [h.date for h in hits] == sorted((h.date for h in hits), reverse=True)
    assert hits[0].channel == "mod_russia" and hits[0].label == "uav_incident"
    assert "[беспилотник]" in hits[0].snippet
    assert hits[1].deleted and not hits[0].deleted


async def test_search_limit_and_label_filter(archive: sqlite3.Connection):
    assert [_mid(h.permalink) for h in search_posts(archive, "беспилот*", limit=2)] == [52, 4]
    hits = search_posts(archive, "совещание OR ремонт", labels=("not_relevant",))
    assert [_mid(h.permalink) for h in hits] == [51, 2]
    assert search_posts(archive, "совещание", labels=("uav_incident",)) == []


async def test_search_bad_query_explains_fts_syntax(archive: sqlite3.Connection):
    for bad in ('"Брянской', "OR беспилот", "ПВО:сбит"):
        with pytest.raises(InputError) as err:
            search_posts(archive, bad)
        assert "not valid FTS5 syntax" in str(err.value)
        assert "quote phrases" in str(err.value)


async def test_cli_search_prints_one_block_per_hit(archive, db_path: Path, capsys):
    assert main(["search", "беспилот*", "--limit", "2", "--db", str(db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2025-03-04 08:00  mod_russia  uav_incident  https://t.me/mod_russia/52"
    assert lines[1].startswith("    ") and "[беспилотник]" in lines[1]
    assert lines[2].endswith("https://t.me/gov_bryansk/4  (deleted)")
    assert len(lines) == 4


async def test_cli_search_bad_query_is_one_line_error(archive, db_path: Path, capsys):
    assert main(["search", '"unclosed', "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("uavwatch: error: search query") and "Traceback" not in err


# --- stats --------------------------------------------------------------------------------


async def test_stats_per_channel_and_region_all_time(archive: sqlite3.Connection):
    stats = compute_stats(archive)
    assert (stats.posts, stats.incidents) == (7, 4)
    channels = [(r.key, r.posts, r.incidents) for r in stats.channels]
    assert channels == [("gov_bryansk", 4, 2), ("mod_russia", 3, 2)]
    regions = [(r.key, r.posts, r.incidents) for r in stats.regions]
    assert regions == [("RU-BRY", 4, 3), ("RU-KRS", 2, 2)]


async def test_stats_over_a_period(archive: sqlite3.Connection):
    since = parse_time_bound("2025-03-02")
    until = parse_time_bound("2025-03-03", end=True)
    stats = compute_stats(archive, since=since, until=until)
    assert (stats.posts, stats.incidents) == (4, 2)
    assert [(r.key, r.posts, r.incidents) for r in stats.channels] == [
        ("gov_bryansk", 2, 1),
        ("mod_russia", 2, 1),
    ]
    empty = compute_stats(archive, since=parse_time_bound("2030-01-01"))
    assert (empty.posts, empty.incidents, empty.channels, empty.regions) == (0, 0, (), ())


async def test_cli_stats_table_and_json(archive, db_path: Path, capsys):
    assert main(["stats", "--db", str(db_path), "--until", "2025-03-03"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "6 posts, 3 incidents (start .. 2025-03-03, UTC)"
    assert "gov_bryansk      4          2" in out
    assert main(["stats", "--db", str(db_path), "--json", "--since", "2025-03-04"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["posts"] == 1 and data["incidents"] == 1
    assert data["channels"] == [{"key": "mod_russia", "posts": 1, "incidents": 1}]
    assert data["regions"][0]["key"] == "RU-KRS" and data["regions"][0]["name"]


async def test_cli_stats_days_count_back_from_until(archive, db_path: Path, capsys):
    args = ["stats", "--db", str(db_path), "--json"]
    assert main([*args, "--days", "2", "--until", "2025-03-03"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["since"], data["until"]) == (
        "2025-03-02T00:00:00+00:00",
        "2025-03-04T00:00:00+00:00",
    )
    assert (data["posts"], data["incidents"]) == (4, 2)


async def test_cli_stats_bad_periods_are_errors(archive, db_path: Path, capsys):
    args = ["stats", "--db", str(db_path)]
    assert main([*args, "--days", "7", "--since", "2025-03-01"]) == 2
    assert "either --days or --since" in capsys.readouterr().err
    assert main([*args, "--days", "0"]) == 2
    assert "--days 0: must be 1 or more" in capsys.readouterr().err


def test_format_table_aligns_text_left_numbers_right():
    table = format_table(("channel", "posts"), [("a", 5), ("longer_name", 12345)])
    assert table.splitlines() == [
        "channel      posts",
        "a                5",
        "longer_name  12345",
    ]


# --- daily series (the chart's data) ------------------------------------------------------


async def test_daily_incidents_per_region_fills_quiet_days(archive: sqlite3.Connection):
    series = daily_incidents(archive, top=5)
    assert series.days == tuple(date(2025, 3, d) for d in (1, 2, 3, 4))
    assert series.counts == {"RU-BRY": (1, 2, 0, 0), "RU-KRS": (0, 1, 0, 1)}
    assert list(daily_incidents(archive, top=1).counts) == ["RU-BRY"]
    since, until = parse_time_bound("2025-02-28"), parse_time_bound("2025-03-05", end=True)
    wider = daily_incidents(archive, since=since, until=until, top=5)
    assert wider.days[0] == date(2025, 2, 28) and wider.days[-1] == date(2025, 3, 5)
    assert wider.counts["RU-KRS"] == (0, 0, 1, 0, 1, 0)


def test_build_daily_series_picks_top_regions_and_spans_all_days():
    rows = [
        ("2025-01-01", "RU-A", 1),
        ("2025-01-04", "RU-B", 5),
        ("2025-01-02", "RU-C", 2),
        ("2025-01-03", "RU-C", 2),
    ]
    series = build_daily_series(rows, top=2)
    assert len(series.days) == 4
    assert series.counts == {"RU-B": (0, 0, 0, 5), "RU-C": (0, 2, 2, 0)}
    assert build_daily_series([], top=3).days == ()
    padded = build_daily_series(rows, top=1, first=date(2024, 12, 31), last=date(2025, 1, 5))
    assert padded.counts == {"RU-B": (0, 0, 0, 0, 5, 0)}
