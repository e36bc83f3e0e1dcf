"""`uavwatch run` through `bot.cli.main`, as an operator starts it: settings from the
environment, logs on stderr, stopped by SIGTERM (sent from another thread, as systemd
would send it to the process)."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fakes import FakeTelegram
from service_helpers import CHANNEL, INCIDENT, Site
from telethon import functions

from bot.cli import main

API_HASH = "3f9a2b7c4d1e8f6a0b5c9d2e7f4a1b8c"


@pytest.fixture(autouse=True)
def restore_root_logging(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """`main` installs uavwatch's stderr handler; it goes before capturing ends (the
    database thread may still log a line after `main` returned)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _run_until(argv: list[str], ready: Callable[[], bool]) -> int:
    """`main(argv)`; a helper thread sends SIGTERM once `ready()` (or after 20 s)."""

    def terminate() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if ready():
                    break
            except sqlite3.Error:
                pass  # the database is being created
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGTERM)

    helper = threading.Thread(target=terminate, daemon=True)
    helper.start()
    try:
        return main(argv)
    finally:
        helper.join(25)
        for thread in threading.enumerate():  # aiosqlite's worker threads log a last
            if thread.name != helper.name and thread is not threading.main_thread():
                thread.join(0.5)  # debug line after `main` returned: let it land here


def _count(db_path: Path, sql: str) -> int:
    with sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_nothing_to_watch_exits_non_zero_with_one_message_naming_what_to_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("uavwatch: error: nothing to watch")
    for key in ("TG_API_ID", "TG_API_HASH", "WEBPREVIEW_CHANNELS"):
        assert key in err[0]


def test_bad_configuration_lists_every_bad_key_before_anything_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = {
        "TG_API_ID": "twelve",
        "TG_BOT_TOKEN": "not-a-token-but-secret",
        "POLL_SECONDS": "-5",
        "LOG_FORMAT": "xml",
        "DIGEST_TIME": "25:00",
    }
    for key, value in bad.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WEBPREVIEW_CHANNELS", "demo_mod")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "invalid configuration (5 problem(s))" in err
    for key in bad:
        assert f"{key}=" in err
    assert "not-a-token-but-secret" not in err
    assert not (tmp_path / "uavwatch.db").exists()  # nothing was opened


def test_half_the_credentials_names_the_missing_half(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TG_API_ID", "12345")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TG_API_HASH" in err and "TG_API_ID and" not in err


def test_archive_only_from_the_web_preview_until_sigterm(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    site: Site,
    tmp_path: Path,
) -> None:
    """1. only WEBPREVIEW_CHANNELS is set (no Telegram account, no bot) 2. `uavwatch run`
    polls the local site 3. SIGTERM. Result: the posts are stored and classified, nothing
    is queued for sending, the missing bot is said once, the exit status is 0."""
    site.add("demo_mod", ["Открыт новый сквер у реки.", INCIDENT])
    db_path = tmp_path / "archive.db"
    for key, value in {
        "WEBPREVIEW_CHANNELS": "demo_mod",
        "WEBPREVIEW_BASE_URL": site.url,
        "WEBPREVIEW_POLL_SECONDS": "0.05",
        "DB_PATH": str(db_path),
    }.items():
        monkeypatch.setenv(key, value)
    status = _run_until(["run"], lambda: _count(db_path, "SELECT count(*) FROM posts") == 2)
    assert status == 0
    assert _count(db_path, "SELECT count(*) FROM posts_current WHERE label = 'uav_incident'") == 1
    assert _count(db_path, "SELECT count(*) FROM outbox") == 0
    err = capsys.readouterr().err
    assert err.count("TG_BOT_TOKEN is not set") == 1
    assert "archive-only" in err and "SIGTERM: stopping" in err
    assert "uavwatch stopped; the database is flushed and closed" in err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_run_with_real_looking_secrets_never_logs_them(
    fmt: str,
    world: FakeTelegram,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """The production client factories (session string, bot token, API hash from the
    environment) signed in against the fake, at DEBUG, in both formats: no secret in the
    output, neither whole nor the token's secret half."""
    world.install(monkeypatch)
    me = world.add_user("Watcher", username="watcher_acc", phone="70000000000")
    world.add_channel("Курск новости", username=CHANNEL)
    world.publish(CHANNEL, INCIDENT)
    _, token = world.add_bot("uavwatch_bot")
    session = world.session_for(me)
    db_path = tmp_path / "uavwatch.db"
    env = {
        "TG_API_ID": "12345",
        "TG_API_HASH": API_HASH,
        "TG_SESSION_STRING": session,
        "TG_SESSION": str(tmp_path / "watcher"),
        "TG_BOT_TOKEN": token,
        "CHANNELS": CHANNEL,
        "DB_PATH": str(db_path),
        "LOG_LEVEL": "DEBUG",
        "LOG_FORMAT": fmt,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    def ready() -> bool:
        signed_in = len(world.sent(functions.bots.SetBotCommandsRequest)) == 3
        return signed_in and _count(db_path, "SELECT count(*) FROM posts") == 1

    assert _run_until(["run"], ready) == 0
    err = capsys.readouterr().err
    assert "watching 1 channel(s)" in err  # the run really logged its work
    for secret in (API_HASH, token, token.split(":", 1)[1], session):
        assert secret not in err
    if fmt == "json":
        lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
        assert lines and {"ts", "level", "logger", "message"} <= set(lines[0])
