"""Which parts `uavwatch run` starts, decided before anything connects: the watcher only
with a session (or WATCHER=on), every problem of the settings listed at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeTelegram
from service_helpers import make_settings
from telethon.sessions import SQLiteSession

from bot.errors import ConfigError, InputError, TelegramSetupError
from bot.service.plan import plan_service
from bot.sources.telegram.client import find_session

CREDS = {"TG_API_ID": "12345", "TG_API_HASH": "0123456789abcdef0123456789abcdef"}
TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"


def logged_in_file(path: Path) -> None:
    """A session file as `uavwatch login` leaves it: Telethon's SQLite with an auth key."""
    world = FakeTelegram()
    session = SQLiteSession(str(path))
    world.authorize(session, world.add_user("Watcher"))
    session.save()
    session.close()


def test_a_logged_in_session_file_enables_the_watcher(tmp_path: Path) -> None:
    logged_in_file(tmp_path / "watcher.session")
    settings = make_settings(tmp_path / "db", WEBPREVIEW_CHANNELS="demo_mod", **CREDS)
    assert find_session(settings) == f"session file {tmp_path / 'watcher.session'}"
    plan = plan_service(settings)
    assert plan.watcher and plan.why["watcher"].startswith("session file")


def test_an_empty_session_file_or_none_at_all_is_no_session(tmp_path: Path) -> None:
    """`make_session` creates the file before Telethon opens it, so a command that never
    logged in leaves one without a key: that is no session either."""
    settings = make_settings(tmp_path / "db", WEBPREVIEW_CHANNELS="demo_mod", **CREDS)
    assert find_session(settings) is None
    SQLiteSession(str(tmp_path / "watcher.session")).close()  # the tables, no auth key
    assert find_session(settings) is None
    (tmp_path / "watcher.session").write_bytes(b"not sqlite at all")
    assert find_session(settings) is None


def test_web_preview_and_bot_without_a_session_plan_no_watcher(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "db", WEBPREVIEW_CHANNELS="demo_mod",
                             TG_BOT_TOKEN=TOKEN, **CREDS)  # fmt: skip
    plan = plan_service(settings)
    assert (plan.watcher, plan.webpreview, plan.bot) == (False, True, True)
    assert "no logged-in session" in plan.off["watcher"] and "uavwatch login" in plan.off["watcher"]


def test_watcher_on_and_off_override_the_session_check(tmp_path: Path) -> None:
    on = plan_service(make_settings(tmp_path / "db", WATCHER="on", **CREDS))
    assert on.watcher and "its login check decides" in on.why["watcher"]
    logged_in_file(tmp_path / "watcher.session")
    off = make_settings(tmp_path / "db", WATCHER="off", WEBPREVIEW_CHANNELS="x_mod", **CREDS)
    plan = plan_service(off)
    assert not plan.watcher and plan.off["watcher"] == "WATCHER=off"


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    """A bot token without the API credentials and nothing to watch: two problems, one
    error. The same missing key needed by two parts is one problem naming both."""
    with pytest.raises(TelegramSetupError, match="the watcher and the subscriber bot need"):
        plan_service(make_settings(tmp_path / "db", WATCHER="on", TG_API_ID="12345",
                                   TG_BOT_TOKEN=TOKEN))  # fmt: skip
    with pytest.raises(ConfigError) as err:
        plan_service(make_settings(tmp_path / "db", TG_BOT_TOKEN=TOKEN))
    assert [p.split(":")[0] for p in err.value.problems] == [
        "the subscriber bot needs TG_API_ID and TG_API_HASH", "nothing to watch",
    ]  # fmt: skip


def test_a_single_problem_is_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^nothing to watch: set TG_API_ID and TG_API_HASH"):
        plan_service(make_settings(tmp_path / "db"))
    with pytest.raises(TelegramSetupError, match="the watcher needs TG_API_ID and TG_API_HASH"):
        plan_service(make_settings(tmp_path / "db", TG_SESSION_STRING="1Babc"))
