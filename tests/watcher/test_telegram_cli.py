"""`uavwatch login`, `channels`, `backfill`: the commands as a user runs them.

The product builds its own TelegramClient here; `world.install` makes every client built
while the test runs talk to the offline fake (Telethon's sender hook, not our code).
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeTelegram
from fakes import telegram as fake_module
from fakes import telegram_handlers as handlers
from fakes.telegram_handlers import Ctx
from fakes.telegram_world import user_tl
from telethon.tl import functions, types

from bot.cli import main

API_HASH = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, world: FakeTelegram) -> dict[str, str]:
    """A working directory with no .env, credentials in the environment, the fake installed."""
    monkeypatch.chdir(tmp_path)
    world.install(monkeypatch)
    values = {"TG_API_ID": "12345", "TG_API_HASH": API_HASH, "DB_PATH": str(tmp_path / "a.db")}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    for key in ("TG_SESSION_STRING", "CHANNELS", "TG_SESSION"):
        monkeypatch.delenv(key, raising=False)
    return values


def _code_login(world: FakeTelegram, monkeypatch: pytest.MonkeyPatch, account: int) -> list[str]:
    """Teach the fake the two login requests (SendCode, SignIn) for this test only."""
    asked: list[str] = []

    def send_code(world_: Any, ctx: Ctx, req: Any) -> Any:
        asked.append(req.phone_number)
        return types.auth.SentCode(types.auth.SentCodeTypeApp(length=5), phone_code_hash="h1")

    def sign_in(world_: Any, ctx: Ctx, req: Any) -> Any:
        if req.phone_code != "12345":
            from fakes import RpcFail

            raise RpcFail(400, "PHONE_CODE_INVALID")
        world.bind(ctx.sender, account)
        return types.auth.Authorization(user=user_tl(world.users[account], account))

    anonymous = (
        *fake_module._ANONYMOUS,
        functions.auth.SendCodeRequest,
        functions.auth.SignInRequest,
    )
    monkeypatch.setattr(fake_module, "_ANONYMOUS", anonymous)
    monkeypatch.setitem(handlers.HANDLERS, functions.auth.SendCodeRequest, send_code)
    monkeypatch.setitem(handlers.HANDLERS, functions.auth.SignInRequest, sign_in)
    return asked


def test_missing_credentials_name_the_keys_and_where_to_get_them(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TG_API_ID")
    monkeypatch.delenv("TG_API_HASH")
    assert main(["login"]) == 2
    err = capsys.readouterr().err
    assert "TG_API_ID and TG_API_HASH" in err and "my.telegram.org" in err
    assert "Traceback" not in err


def test_malformed_api_hash_is_reported_without_showing_it(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TG_API_HASH", "not-a-hash-but-secret")
    assert main(["channels", "list"]) == 2
    err = capsys.readouterr().err
    assert "TG_API_HASH=<hidden>" in err and "not-a-hash-but-secret" not in err


def test_login_asks_phone_and_code_and_keeps_a_private_session_file(
    env: dict[str, str],
    world: FakeTelegram,
    me: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    asked = _code_login(world, monkeypatch, me)
    answers = iter(["+7 000 000 00 00", "99999", "12345"])  # a wrong code first
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["login"]) == 0
    assert asked == ["70000000000"]  # Telethon normalises the number
    out = capsys.readouterr().out
    session = Path("uavwatch.session")
    assert "logged in as Watcher" in out and str(session) in out
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert main(["login"]) == 0  # the stored session is used: no prompt (answers are spent)
    assert "logged in as Watcher" in capsys.readouterr().out


def test_login_session_string_prints_only_the_string_on_stdout(
    env: dict[str, str],
    world: FakeTelegram,
    me: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _code_login(world, monkeypatch, me)
    answers = iter(["+70000000000", "12345"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["login", "--session-string"]) == 0
    captured = capsys.readouterr()
    string = captured.out.strip()
    assert "\n" not in string and len(string) > 100
    assert "TG_SESSION_STRING" in captured.err
    monkeypatch.setenv("TG_SESSION_STRING", string)
    world.add_channel("Губернатор", username="gov_news")
    assert main(["channels", "add", "gov_news"]) == 0  # the string logs in by itself
    assert not Path("uavwatch.session").exists()


def test_channels_add_list_remove(
    env: dict[str, str],
    world: FakeTelegram,
    me: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TG_SESSION_STRING", world.session_for(me))
    monkeypatch.setenv("CHANNELS", "gov_news")
    world.add_channel("Губернатор", username="gov_news")
    world.add_channel("Министерство", username="ministry_x", joined=False)
    assert main(["channels", "add", "https://t.me/ministry_x", "--region", "RU-BRY"]) == 0
    assert "following @ministry_x (resolved now)" in capsys.readouterr().out
    assert main(["channels", "add", "nobody_here"]) == 2
    assert "no such username" in capsys.readouterr().err
    assert main(["channels", "list"]) == 0
    listed = capsys.readouterr().out
    assert "@gov_news\t(not resolved yet" in listed
    assert "@ministry_x" in listed and "region=RU-BRY" in listed and "added" in listed
    assert main(["channels", "remove", "gov_news"]) == 2
    assert "listed in CHANNELS" in capsys.readouterr().err
    assert main(["channels", "remove", "@ministry_x"]) == 0
    assert "no longer following @ministry_x" in capsys.readouterr().out
    assert main(["channels", "list"]) == 0
    assert "ministry_x" not in capsys.readouterr().out


def test_backfill_command_reports_what_it_read(
    env: dict[str, str],
    world: FakeTelegram,
    me: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")  # every record, Telethon's included
    secret = world.session_for(me)
    monkeypatch.setenv("TG_SESSION_STRING", secret)
    world.add_channel("Министерство", username="ministry_x", joined=False)
    for n in range(1, 26):
        world.publish("ministry_x", f"post {n}")
    assert main(["backfill", "ministry_x", "--limit", "10"]) == 0
    assert "0 newer and 10 older post(s) read, 10 new" in capsys.readouterr().out
    assert main(["backfill", "ministry_x"]) == 0
    assert "0 newer and 15 older post(s) read, 15 new" in capsys.readouterr().out
    assert main(["backfill", "nobody_here"]) == 2
    logged = capsys.readouterr().err  # the CLI's log handler writes to stderr
    assert len(logged.splitlines()) > 20 and "DEBUG" in logged
    assert API_HASH not in logged and secret[:40] not in logged


def test_watch_with_nothing_configured_says_what_to_set(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TG_API_ID")
    monkeypatch.delenv("TG_API_HASH")
    assert main(["watch"]) == 2
    assert "set CHANNELS" in capsys.readouterr().err
