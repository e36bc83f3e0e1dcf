"""`uavwatch run` as a process: started by the CLI in a child (child_run.py builds the
offline fake Telegram there), stopped by real signals, judged by its exit status, its log
and the SQLite file it leaves. The stop's duration is the service's own measurement (its
"stopped in N s after SIGTERM" line); exit status 1 would mean its 10 s deadline fired.
"""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import pytest
from service_helpers import CHANNEL, INCIDENT, Site, count, start_child, stop_duration

from bot.cli.service_cmd import EXIT_INTERRUPTED

API_HASH = "3f9a2b7c4d1e8f6a0b5c9d2e7f4a1b8c"
QUIET = "Открыт новый сквер у реки."
#: The fake's posts are dated 2026-01-01 while the child's clock is real: alert them anyway.
ALERT_ALL = {"CATCHUP_ALERT_MAX_AGE": "3650d"}


def telegram_env(db_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "DB_PATH": str(db_path),
        "TG_API_ID": "12345",
        "TG_API_HASH": API_HASH,
        "TG_SESSION": str(db_path.parent / "watcher"),
        "CHANNELS": f"{CHANNEL}=RU-KRS",
        "ADMIN_IDS": "4242",
        "BACKUP_DIR": str(db_path.parent / "backups"),
        **ALERT_ALL,
    }
    env.update(extra)
    return env


def test_archive_only_from_the_web_preview_until_sigterm(site: Site, tmp_path: Path) -> None:
    """1. only WEBPREVIEW_CHANNELS is set (no Telegram account, no bot) 2. `uavwatch run`
    polls the local site 3. SIGTERM. Result: the posts are stored and classified, nothing
    is queued for sending, the missing bot is said once, the exit status is 0."""
    site.add("demo_mod", [QUIET, INCIDENT])
    db_path = tmp_path / "archive.db"
    env = {
        "WEBPREVIEW_CHANNELS": "demo_mod",
        "WEBPREVIEW_BASE_URL": site.url,
        "WEBPREVIEW_POLL_SECONDS": "0.05",
        "DB_PATH": str(db_path),
    }
    child = start_child(tmp_path, {"watcher": False, "bot": False}, env, "archive")
    child.until(lambda: count(db_path, "SELECT count(*) FROM posts") == 2, "two posts")
    child.signal(signal.SIGTERM)
    assert child.wait() == 0
    assert count(db_path, "SELECT count(*) FROM posts_current WHERE label = 'uav_incident'") == 1
    assert count(db_path, "SELECT count(*) FROM outbox") == 0
    err = child.stderr()
    assert err.count("TG_BOT_TOKEN is not set") == 1
    assert "archive-only" in err and "SIGTERM: stopping" in err
    assert "uavwatch stopped; the database is flushed and closed" in err
    assert stop_duration(err) < 10


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_run_with_real_looking_secrets_never_logs_them(fmt: str, tmp_path: Path) -> None:
    """The production client factories (session string, bot token, API hash from the
    environment) signed in against the fake, at DEBUG, in both formats, until an alert was
    delivered: no secret in the output, neither whole nor the token's secret half."""
    db_path = tmp_path / "uavwatch.db"
    world = {"before": [INCIDENT], "readers": 1, "secrets_file": str(tmp_path / "s.json")}
    env = telegram_env(db_path, LOG_LEVEL="DEBUG", LOG_FORMAT=fmt)
    child = start_child(tmp_path, world, env, f"secrets-{fmt}")
    sent = "SELECT count(*) FROM outbox WHERE status = 'sent'"
    child.until(lambda: count(db_path, sent) == 1, "the alert delivered")
    child.signal(signal.SIGTERM)
    assert child.wait() == 0
    err = child.stderr()
    assert "watching 1 channel(s)" in err  # the run really logged its work
    secrets = json.loads((tmp_path / "s.json").read_text())
    token, session = secrets["token"], secrets["session"]
    for secret in (API_HASH, token, token.split(":", 1)[1], session):
        assert secret not in err
    if fmt == "json":
        lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
        assert lines and {"ts", "level", "logger", "message"} <= set(lines[0])


READERS = 40


def test_a_second_sigterm_during_fan_out_exits_at_once_and_damages_nothing(
    tmp_path: Path,
) -> None:
    """1. 40 subscribers; an incident is fanned out at 4 messages/s 2. after 3 are sent,
    Telegram is slow to accept the next message, and SIGTERM comes: the service waits for
    that message in flight 3. SIGTERM again 4. the service starts again on the file.
    Result: the first run ends at once with 130 (the second signal, not the deadline);
    the database passes integrity_check with one outbox row per subscriber, none twice;
    the restart delivers the rest, stops cleanly, and every row is sent exactly once."""
    db_path = tmp_path / "uavwatch.db"
    slow = tmp_path / "slow"
    world = {"before": [INCIDENT], "readers": READERS, "slow_flag": str(slow)}
    first = start_child(tmp_path, world, telegram_env(db_path, SEND_RATE="4"), "first")
    sent = "SELECT count(*) FROM outbox WHERE status = 'sent'"
    first.until(lambda: count(db_path, sent) >= 3, "the fan-out under way")
    slow.touch()
    first.until((tmp_path / "slow.sending").exists, "a message in flight")
    first.signal(signal.SIGTERM)
    first.until(lambda: "SIGTERM: stopping" in first.stderr(), "the first SIGTERM handled")
    first.signal(signal.SIGTERM)
    assert first.wait() == EXIT_INTERRUPTED
    assert "SIGTERM again: stopping at once" in first.stderr()
    assert "stopped in" not in first.stderr()  # it did not get to finish
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = conn.execute(
            "SELECT subscriber_id, count(*) FROM outbox WHERE purpose = 'alert'"
            " GROUP BY subscriber_id, alert_id"
        ).fetchall()
    assert len(rows) == READERS and {n for _, n in rows} == {1}
    assert count(db_path, sent) < READERS

    world.pop("slow_flag")
    second = start_child(tmp_path, world, telegram_env(db_path, SEND_RATE="28"), "second")
    second.until(lambda: count(db_path, sent) == READERS, "every alert delivered")
    second.signal(signal.SIGTERM)
    assert second.wait() == 0
    assert stop_duration(second.stderr()) < 10
    assert count(db_path, "SELECT count(*) FROM outbox WHERE purpose = 'alert'") == READERS


def test_sigterm_while_an_import_holds_the_write_lock_stops_in_time_and_loses_nothing(
    tmp_path: Path,
) -> None:
    """1. the service runs (watcher, bot, one subscriber) 2. an import takes the write lock
    (a second connection in BEGIN IMMEDIATE) 3. the channel posts an incident: its write
    waits for the lock 4. SIGTERM 5. the import ends; the service is started again.
    Result: the first run exits 0 within its budget (its own measurement), the post not
    yet stored; the restart reads it from the channel's cursor: stored once, alerted once."""
    db_path = tmp_path / "uavwatch.db"
    flag = tmp_path / "publish"
    world = {"before": [QUIET], "readers": 1, "publish": [INCIDENT], "publish_flag": str(flag)}
    first = start_child(tmp_path, world, telegram_env(db_path), "first")
    first.until(lambda: count(db_path, "SELECT count(*) FROM channel_cursors") == 1, "catch-up")
    importer = sqlite3.connect(db_path, isolation_level=None)
    try:
        importer.execute("BEGIN IMMEDIATE")
        importer.execute("INSERT INTO alert_state (name, value) VALUES ('import', 'running')")
        flag.touch()
        first.until(lambda: "holds the write lock" in first.stderr(), "the write waiting")
        first.signal(signal.SIGTERM)
        assert first.wait() == 0
    finally:
        importer.rollback()
        importer.close()
    err = first.stderr()
    assert stop_duration(err) < 10
    assert "storing the live post failed" in err  # given up, not stored
    assert "given up while another process held the write lock" in err
    assert count(db_path, "SELECT count(*) FROM posts") == 1

    again = {"before": [QUIET, INCIDENT], "readers": 1}
    second = start_child(tmp_path, again, telegram_env(db_path), "second")
    sent = "SELECT count(*) FROM outbox WHERE status = 'sent'"
    second.until(lambda: count(db_path, sent) == 1, "the alert delivered after the restart")
    second.signal(signal.SIGTERM)
    assert second.wait() == 0
    assert count(db_path, "SELECT count(*) FROM posts WHERE message_id = 2") == 1
    assert count(db_path, "SELECT count(*) FROM outbox") == 1
