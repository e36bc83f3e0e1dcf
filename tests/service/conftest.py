"""Fixtures for `uavwatch run`: the offline Telegram (watcher account, channel, bot), a
real SQLite file, settings as the operator writes them, and a local web-preview site on
127.0.0.1. Helpers (running services that always stop, subscribers) are in
`service_helpers.py`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fakes import FakeTelegram
from fakes.testing import forbid_network, telethon_errors
from service_helpers import CHANNEL, Shift, Site, Tg, make_settings
from telethon._updates import messagebox

from bot.config import SETTINGS, Settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting leaks in from the developer's shell or a `.env` in the working tree."""
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def world(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[FakeTelegram]:
    """A fresh fake Telegram; dialling the real one fails; Telethon errors fail the test."""
    forbid_network(monkeypatch)
    monkeypatch.setattr(messagebox, "POSSIBLE_GAP_TIMEOUT", 0.01)
    caplog.set_level(logging.INFO)
    fake = FakeTelegram()
    yield fake
    errors = telethon_errors(caplog.get_records("call"))
    assert not errors, f"Telethon logged errors: {errors}"
    assert not fake.not_faked, f"requests the fake does not answer: {fake.not_faked}"


@pytest.fixture
def tg(world: FakeTelegram) -> Tg:
    me = world.add_user("Watcher", username="watcher_acc", phone="70000000000")
    channel = world.add_channel("Курск новости", username=CHANNEL)
    bot, token = world.add_bot("uavwatch_bot")
    return Tg(world, me, channel, bot, token, Shift(world))


@pytest.fixture
def tg_settings(tg: Tg, db_path: Path) -> Settings:
    """Watcher + bot: what an operator with both accounts configures. WATCHER=on: the
    fake's sessions are made by the connectors, not found on disk."""
    return make_settings(
        db_path,
        WATCHER="on",
        TG_API_ID="12345",
        TG_API_HASH="0123456789abcdef0123456789abcdef",
        TG_BOT_TOKEN=tg.token,
        CHANNELS=f"{CHANNEL}=RU-KRS",
        ADMIN_IDS="4242",
    )


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            before = parse_qs(url.query).get("before", [None])[0]
            name = url.path.removeprefix("/s/")
            status, body = 404, "not here"
            if name in state.posts:
                status, body = 200, state.page(name, int(before) if before else None)
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
