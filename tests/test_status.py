"""`uavwatch status` and /health read what a run left in the database.

Until the service's jobs write them, the rows an earlier run left behind are written here with
plain SQL: channels, posts and verdicts, cursors, channel health, subscribers, the outbox,
heartbeats and job runs.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telethon.extensions import html as tl_html

from bot.alerts.subscribers import Subscriber
from bot.botui.admin import MESSAGE_LIMIT, LiveState, health, health_text
from bot.botui.context import Ctx, Request, Services
from bot.cli import main
from bot.errors import StorageError
from bot.models import Label
from bot.status import (
    ChannelStatus,
    JobStatus,
    PartStatus,
    StatusReport,
    age_text,
    gather_status,
    load_status,
    render_text,
    stale_after,
    to_dict,
)
from bot.storage import Database, to_iso

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def ago(**kw: float) -> str:
    return to_iso(NOW - timedelta(**kw))


async def _rows(db: Database, sql: str, rows: list[tuple[object, ...]]) -> None:
    async with db.transaction() as conn:
        await conn.executemany(sql, rows)


async def _channels(db: Database) -> None:
    """1 kursk_gov: watched (Telegram), health row, posts; 2 web_only: web-preview posts;
    3 old_import: imported history only (not monitored); 4 quiet_gov: watched and silent."""
    await _rows(
        db,
        "INSERT INTO channels (id, telegram_id, username, title, added_at, active, watched)"
        " VALUES (?, ?, ?, ?, ?, 1, ?)",
        [
            (1, 1001, "kursk_gov", "Kursk", ago(days=30), 1),
            (2, None, "web_only", "Web", ago(days=30), 0),
            (3, 1003, "old_import", "Old", ago(days=30), 0),
            (4, 1004, "quiet_gov", "Quiet", ago(days=30), 1),
        ],
    )
    posts = [
        # (id, channel, message id, date, source, deleted)
        (1, 1, 10, ago(hours=30), "live", None),
        (2, 1, 11, ago(hours=5), "live", None),
        (3, 1, 12, ago(minutes=20), "live", None),
        (4, 1, 13, ago(hours=2), "backfill", ago(hours=1)),  # deleted incident
        (5, 2, 500, ago(hours=3), "webpreview", None),
        (6, 3, 7, ago(hours=1), "import", None),
        (7, 4, 90, ago(days=3), "live", None),
    ]
    await _rows(
        db,
        "INSERT INTO posts (id, channel_pk, message_id, date, text, first_seen_at, source,"
        " deleted_at) VALUES (?, ?, ?, ?, 'text', ?, ?, ?)",
        [(i, ch, m, d, d, src, dl) for i, ch, m, d, src, dl in posts],
    )
    verdicts = [  # (post, version, label): the newest row per post is current
        (2, "1.0", Label.UAV_INCIDENT),
        (3, "1.0", Label.UAV_INCIDENT),
        (4, "1.0", Label.UAV_INCIDENT),
        (5, "1.0", Label.UAV_INCIDENT),
        (5, "1.1", Label.NOT_RELEVANT),  # reclassified: no longer an incident
        (6, "1.0", Label.UAV_THREAT),
        (1, "1.0", Label.UAV_INCIDENT),  # older than 24 h
    ]
    await _rows(
        db,
        "INSERT INTO classifications (post_id, classifier_version, label, confidence, fields,"
        " classified_at) VALUES (?, ?, ?, 0.9, '{}', ?)",
        [(p, v, label.value, ago(minutes=1)) for p, v, label in verdicts],
    )
    await _rows(
        db,
        "INSERT INTO channel_cursors (channel_pk, last_message_id, updated_at) VALUES (?, ?, ?)",
        [(1, 13, ago(minutes=19)), (2, 500, ago(hours=3)), (4, 90, ago(days=3))],
    )
    await _rows(
        db,
        "INSERT INTO channel_health (channel_id, posts_per_day, usual_gap_seconds,"
        " last_post_at, silent, silent_since, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (1, 14.5, 5400.0, ago(minutes=20), 0, None, ago(minutes=5)),
            (4, 6.0, 14400.0, ago(days=3), 1, ago(days=1), ago(minutes=5)),
        ],
    )


async def _outbox(db: Database) -> None:
    await _rows(
        db,
        "INSERT INTO subscribers (id, chat_id, lang, tz, active, created_at, updated_at)"
        " VALUES (?, ?, 'en', 'UTC', ?, ?, ?)",
        [(1, 501, 1, ago(days=9), ago(days=9)), (2, 502, 1, ago(days=9), ago(days=9)),
         (3, 503, 0, ago(days=9), ago(days=9))],
    )  # fmt: skip
    rows = [("pending", None, ago(minutes=m)) for m in (3, 7)]
    rows += [("held", None, ago(hours=1))]
    rows += [("sent", None, ago(minutes=m)) for m in (10, 30, 90)]  # 2 in the last hour
    rows += [("parked", f"BAD_REQUEST {i} <b>", ago(hours=2)) for i in range(7)]
    await _rows(
        db,
        "INSERT INTO outbox (subscriber_id, purpose, priority, status, last_error, created_at,"
        " updated_at) VALUES (1, 'alert', 0, ?, ?, ?, ?)",
        [(status, err, at, at) for status, err, at in rows],
    )


async def _service(db: Database) -> None:
    beats = [  # (part, at, status, restarts, last progress, detail)
        ("watcher", ago(hours=3), "running", 0, ago(hours=3), None),
        ("watcher", ago(minutes=30), "running", 2, ago(minutes=1), "3 channels"),
        ("sender", ago(hours=4), "running", 0, ago(hours=4), None),  # stale: 4 h > 2h05
        ("bot", ago(minutes=10), "failed", 5, ago(hours=1), "AuthKeyError"),
        ("webpreview", ago(days=2), "disabled", 0, None, "WEBPREVIEW_CHANNELS is empty"),
    ]
    await _rows(
        db,
        "INSERT INTO heartbeats (part, at, status, restarts, last_progress_at, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        beats,
    )
    jobs = [  # (job, last run, last ok, last error, runs)
        ("backup", ago(hours=8), ago(days=1), "disk full", 12),
        ("digest", ago(hours=3), ago(hours=3), "timeout", 40),  # failed once, then fine
        ("sweep", None, None, None, 0),
    ]
    await _rows(
        db,
        "INSERT INTO job_runs (job, last_run_at, last_ok_at, last_error, runs)"
        " VALUES (?, ?, ?, ?, ?)",
        jobs,
    )


@pytest.fixture
async def filled(db: Database) -> Database:
    await _channels(db)
    await _outbox(db)
    await _service(db)
    return db


# -- the report --------------------------------------------------------------------------------


async def test_a_fresh_database_reports_nothing_yet_and_no_problems(db: Database) -> None:
    report = load_status(db.path, NOW)
    assert report.channels == () and report.parts == () and report.jobs == ()
    assert (report.posts_24h, report.incidents_24h) == (0, 0)
    assert (report.subscribers_active, report.subscribers_inactive) == (0, 0)
    assert report.outbox.pending == report.outbox.parked == 0
    assert report.problems() == [] and report.warnings() == []
    text = render_text(report)
    assert "channels (lag = age of the newest stored post): none yet" in text
    assert "parts (newest heartbeat): none yet" in text
    assert text.rstrip().endswith("no problems found")
    assert json.loads(json.dumps(to_dict(report)))["channels"] == []


def test_a_missing_database_says_what_where_and_how_to_fix(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    with pytest.raises(StorageError) as err:
        load_status(missing, NOW)
    assert str(missing) in str(err.value) and "DB_PATH" in str(err.value)
    assert "uavwatch run" in str(err.value)
    assert not missing.exists()  # a status check never creates an empty archive


async def test_channels_show_last_post_lag_cursor_and_health(filled: Database) -> None:
    report = load_status(filled.path, NOW, webpreview=["web_only", "never_seen"])
    by_name = {c.name: c for c in report.channels}
    assert set(by_name) == {"@kursk_gov", "@web_only", "@quiet_gov", "@never_seen"}  # no import
    kursk = by_name["@kursk_gov"]
    assert kursk.via == "telegram"
    assert kursk.last_post_at == NOW - timedelta(minutes=20)
    assert kursk.lag_seconds == 20 * 60
    assert (kursk.cursor, kursk.cursor_moved_at) == (13, NOW - timedelta(minutes=19))
    assert (kursk.posts_per_day, kursk.usual_gap_seconds, kursk.silent) == (14.5, 5400.0, False)
    web = by_name["@web_only"]
    assert (web.via, web.cursor, web.lag_seconds) == ("webpreview", 500, 3 * 3600)
    assert web.posts_per_day is None  # no health row yet
    never = by_name["@never_seen"]
    assert (never.pk, never.last_post_at, never.cursor) == (None, None, None)
    quiet = by_name["@quiet_gov"]
    assert quiet.silent and quiet.silent_since == NOW - timedelta(days=1)
    # silent first, then the longest lag (never posted counts as longest)
    assert [c.name for c in report.channels] == [
        "@quiet_gov", "@never_seen", "@web_only", "@kursk_gov",
    ]  # fmt: skip


async def test_a_web_preview_channel_is_found_by_its_posts_without_the_setting(
    filled: Database,
) -> None:
    report = load_status(filled.path, NOW)
    assert "@web_only" in [c.name for c in report.channels]
    assert "@never_seen" not in [c.name for c in report.channels]


async def test_posts_and_current_incidents_of_the_last_24_hours(filled: Database) -> None:
    """Posts dated in the last 24 h: 5 (the 30-hour-old and 3-day-old ones are out).
    Incidents: current label uav_incident and not deleted: posts 2 and 3 only (4 is deleted,
    5 was reclassified, 1 is too old)."""
    report = load_status(filled.path, NOW)
    assert (report.posts_24h, report.incidents_24h) == (5, 2)


async def test_outbox_subscribers_and_the_newest_parked_errors(filled: Database) -> None:
    report = load_status(filled.path, NOW)
    o = report.outbox
    assert (o.pending, o.held, o.parked, o.sent_last_hour) == (2, 1, 7, 2)
    assert o.oldest_pending == NOW - timedelta(minutes=7)
    assert [p.error for p in o.parked_newest] == [f"BAD_REQUEST {i} <b>" for i in (6, 5, 4, 3, 2)]
    assert {p.chat_id for p in o.parked_newest} == {501}
    assert (report.subscribers_active, report.subscribers_inactive) == (2, 1)


async def test_newest_heartbeat_per_part_and_what_is_stale(filled: Database) -> None:
    report = load_status(filled.path, NOW, stale=stale_after(60))
    parts = {p.part: p for p in report.parts}
    watcher = parts["watcher"]
    assert (watcher.at, watcher.restarts, watcher.detail) == (
        NOW - timedelta(minutes=30), 2, "3 channels",
    )  # fmt: skip
    assert not watcher.stale
    assert parts["sender"].stale  # 4 h without a beat, expected within 2 h 05
    assert not parts["webpreview"].stale  # disabled parts do not beat
    assert report.problems() == [
        "part bot failed: AuthKeyError",
        "part sender: last heartbeat 4h ago (expected within 125 min); is `uavwatch run` running?",
    ]


async def test_a_shorter_heartbeat_interval_makes_parts_stale_sooner(filled: Database) -> None:
    report = load_status(filled.path, NOW, stale=stale_after(10))  # 25 minutes
    assert {p.part for p in report.parts if p.stale} == {"watcher", "sender"}


async def test_jobs_and_the_warnings(filled: Database) -> None:
    report = load_status(filled.path, NOW)
    jobs = {j.job: j for j in report.jobs}
    assert jobs["backup"].failing and not jobs["digest"].failing and not jobs["sweep"].failing
    assert report.warnings() == [
        "channel @quiet_gov silent since 2025-03-13 12:00",
        "7 parked deliveries (failed for good; see below)",
        "job backup failed: disk full",
    ]


async def test_the_text_report_has_a_table_per_section(filled: Database) -> None:
    text = render_text(load_status(filled.path, NOW))
    lines = text.splitlines()
    assert lines[0] == f"uavwatch status of {filled.path} at 2025-03-14 12:00 UTC"
    assert "last 24 h: 5 posts, 2 incidents" in lines
    assert (
        "outbox: 2 pending, oldest 2025-03-14 11:53, 1 held, 7 parked; 2 sent in the last hour"
    ) in lines
    header = next(i for i, line in enumerate(lines) if line.startswith("channel "))
    assert lines[header].split() == [
        "channel", "via", "last", "post", "lag", "cursor", "moved", "posts/day", "silent",
    ]  # fmt: skip
    kursk = next(line for line in lines if line.startswith("@kursk_gov"))
    assert kursk.split()[:6] == ["@kursk_gov", "telegram", "2025-03-14", "11:40", "20m", "13"]
    sender = next(line for line in lines if line.startswith("sender "))
    assert sender.split()[:6] == ["sender", "running", "(stale)", "2025-03-14", "08:00", "4h"]
    assert "  #13 -> 501 (alert): BAD_REQUEST 6 <b>" in lines
    assert "PROBLEMS:" in lines and "warnings:" in lines


async def test_the_json_report_round_trips_with_iso_times(filled: Database) -> None:
    data = json.loads(json.dumps(to_dict(load_status(filled.path, NOW)), ensure_ascii=False))
    assert data["generated_at"] == "2025-03-14T12:00:00+00:00"
    assert data["stale_after"] == 125 * 60
    kursk = next(c for c in data["channels"] if c["name"] == "@kursk_gov")
    assert kursk["last_post_at"] == "2025-03-14T11:40:00+00:00" and kursk["lag_seconds"] == 1200
    assert data["outbox"]["parked"] == 7 and len(data["outbox"]["parked_newest"]) == 5
    assert [j["failing"] for j in data["jobs"]] == [True, False, False]
    assert len(data["problems"]) == 2 and len(data["warnings"]) == 3


async def test_gather_status_reads_while_the_writer_is_open(filled: Database) -> None:
    """The service keeps its writer open; the report reads beside it (WAL), in a thread."""
    report = await gather_status(filled.path, NOW)
    await filled.execute("UPDATE outbox SET status = 'sent' WHERE status = 'pending'")
    again = await gather_status(filled.path, NOW)
    assert (report.outbox.pending, again.outbox.pending) == (2, 0)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (89, "89s"), (90, "2m"), (89 * 60, "89m"), (3 * 3600, "3h"), (47 * 3600, "47h"),
     (48 * 3600, "2d"), (-5, "0s")],
)  # fmt: skip
def test_ages_use_the_coarsest_unit_that_still_says_something(seconds: int, text: str) -> None:
    assert age_text(seconds) == text


# -- the command ---------------------------------------------------------------------------------


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No .env and no settings from the environment of whoever runs the tests."""
    monkeypatch.chdir(tmp_path)
    for name in ("DB_PATH", "WEBPREVIEW_CHANNELS", "HEARTBEAT_MINUTES", "LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_env")
async def test_cli_prints_the_report_and_check_fails_on_problems(
    filled: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--db", str(filled.path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"uavwatch status of {filled.path} at ") and "PROBLEMS:" in out
    # the heartbeats were written relative to NOW (2025), so every running part is stale now
    assert main(["status", "--db", str(filled.path), "--check"]) == 1


@pytest.mark.usefixtures("no_env")
async def test_cli_check_passes_on_a_healthy_database_and_json_is_one_object(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_PATH", str(db.path))
    monkeypatch.setenv("WEBPREVIEW_CHANNELS", "kpszsu_web")
    assert main(["status", "--json", "--check"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in data["channels"]] == ["@kpszsu_web"]
    assert data["problems"] == []


@pytest.mark.usefixtures("no_env")
def test_cli_missing_database_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--db", str(tmp_path / "gone.db")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"uavwatch: error: {tmp_path / 'gone.db'}: no database here")
    assert "Traceback" not in err


# -- /health in the bot ------------------------------------------------------------------------


def _plain(markup: str) -> str:
    return tl_html.parse(markup)[0]


async def test_health_shows_the_report_in_the_admins_language(filled: Database) -> None:
    report = load_status(filled.path, NOW)
    message = health_text(report, LiveState(paused=False, flood_waits=3), "ru", "Europe/Moscow")
    plain = _plain(message)
    assert "Рассылка: работает" in plain and "FloodWait с запуска: 3" in plain
    assert "Очередь: 2 ждут, 1 отложены (тихий режим), 7 остановлены после ошибок" in plain
    assert "Подписчики: 2 активных, 1 неактивных" in plain
    assert "За 24 ч: 5 постов, 2 инцидентов" in plain
    assert "@quiet_gov · 3 дн (11.03 15:00 MSK) · 6.0 · #90 · 🔇 молчит с 13.03 15:00 MSK" in plain
    assert "@kursk_gov · 20 мин (14.03 14:40 MSK) · 14.5 · #13" in plain
    assert "⏱ sender: running, 4 ч назад, перезапусков: 0" in plain
    assert "❌ bot: failed, 10 мин назад, перезапусков: 5 — AuthKeyError" in plain
    assert "❌ backup: 8 ч назад, запусков: 12 — disk full" in plain
    assert "✅ sweep: ещё не запускалась" in plain
    assert "• #13 → 501: BAD_REQUEST 6 <b>" in plain  # escaped, shown as text


async def test_health_escapes_what_channels_and_parts_wrote(db: Database) -> None:
    await _rows(
        db,
        "INSERT INTO heartbeats (part, at, status, restarts, detail) VALUES (?, ?, ?, 0, ?)",
        [("watcher", ago(minutes=1), "running", "<i>x</i> & <a href='y'>")],
    )
    message = health_text(load_status(db.path, NOW), LiveState(False, 0), "en", "UTC")
    assert (
        "<i>" not in message
        and "&lt;i&gt;x&lt;/i&gt; &amp; &lt;a href=&#x27;y&#x27;&gt;" in message
    )
    assert "✅ watcher: running, 60s ago, restarts: 0 — <i>x</i> & <a href='y'>" in _plain(message)


def _many_channels(n: int) -> StatusReport:
    channels = tuple(
        ChannelStatus(i, f"@channel_with_a_long_name_{i:04d}", "telegram", NOW, 60.0 * i, i, NOW,
                      3.0, 100.0, i % 7 == 0, NOW)
        for i in range(n)
    )  # fmt: skip
    parts = tuple(
        PartStatus(f"part{i}", NOW, "running", 0, NOW, "d" * 500, 0.0, False) for i in range(8)
    )
    jobs = tuple(JobStatus(f"job{i}", NOW, None, "e" * 500, 1) for i in range(8))
    return StatusReport("x.db", NOW, stale_after(60), channels=channels, parts=parts, jobs=jobs)


def _utf16(message: str) -> int:
    return len(message.encode("utf-16-le")) // 2


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
def test_health_fits_one_message_whatever_the_number_of_channels(lang: str) -> None:
    message = health_text(_many_channels(500), LiveState(True, 0), lang, "Europe/Kyiv")
    assert _utf16(message) <= MESSAGE_LIMIT
    plain = _plain(message)
    assert "@channel_with_a_long_name_0000" in plain  # listed ones come first
    assert "@channel_with_a_long_name_0499" not in plain
    more = {"ru": "… и ещё", "uk": "… і ще", "en": "… and"}[lang]
    assert any(line.startswith(more) for line in plain.splitlines())
    assert "part7" in plain and "job7" in plain  # parts and jobs are never dropped


def test_health_lists_every_channel_when_there_are_few() -> None:
    message = health_text(_many_channels(5), LiveState(False, 0), "en", "UTC")
    assert all(f"_{i:04d}" in message for i in range(5)) and "more" not in message


async def test_health_command_reads_the_database_of_the_running_bot(filled: Database) -> None:
    """The handler itself, over the writer's file, with the sender's live figures."""
    admin = Subscriber(1, 4242, None, "private", "Admin", "en", "UTC", frozenset(), None, None,
                       None, True, None)  # fmt: skip
    services = Services(paused=lambda: True, flood_waits=lambda: 2)
    ctx = Ctx(Request(4242, 4242, "/health"), admin, filled, NOW, services)
    reply = await health(ctx, "")
    plain = _plain(reply.text)
    assert plain.startswith("Health\nSending: paused\n")
    assert "FloodWaits since start: 2" in plain and "Last 24 h: 5 posts, 2 incidents" in plain
    assert "@kursk_gov · 20m (14.03 11:40 UTC) · 14.5 · #13" in plain
    assert "⏱ sender: running, 4h ago" in plain


async def test_after_a_clean_stop_no_part_shows_running_and_status_says_it_stopped(
    db: Database,
) -> None:
    """The service writes a last row per part when it stops: status then tells a stopped
    service (a warning, not a problem: it was stopped on purpose) instead of parts that
    look alive until their heartbeats go stale."""
    await _rows(
        db,
        "INSERT INTO heartbeats (part, at, status, restarts, detail) VALUES (?, ?, ?, 0, ?)",
        [
            ("watcher", ago(hours=3), "running", None),
            ("watcher", ago(minutes=2), "stopped", None),
            ("webpreview", ago(minutes=2), "disabled", "WEBPREVIEW_CHANNELS not set"),
        ],
    )
    report = load_status(db.path, NOW)
    assert report.problems() == []
    assert report.warnings() == [
        "uavwatch run is not running (its parts stopped at 2025-03-14 11:58)"
    ]


async def test_a_part_restarting_after_a_crash_is_a_warning_with_its_error(db: Database) -> None:
    await _rows(
        db,
        "INSERT INTO heartbeats (part, at, status, restarts, detail) VALUES (?, ?, ?, ?, ?)",
        [
            ("bot", ago(minutes=1), "restarting", 3, "ConnectionError('lost')"),
            ("watcher", ago(minutes=1), "running", 0, None),
        ],
    )
    report = load_status(db.path, NOW)
    assert report.warnings() == ["part bot is restarting after a crash: ConnectionError('lost')"]
    assert report.problems() == []
