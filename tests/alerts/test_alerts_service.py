"""The composed alert service: signs the bot in with its token, answers commands, sends what
the pipeline queues, stops on request; its secrets never reach a log or an error message."""

from __future__ import annotations

import asyncio
import logging

import pytest
from conftest import Clock
from fakes import FakeTelegram
from fakes.testing import eventually
from telethon import functions

from bot.alerts.transport import BOT_CLIENT_OPTIONS
from bot.botui.service import AlertsService, bot_client_factory
from bot.config import parse_settings
from bot.errors import TelegramSetupError
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database


def _settings(token: str) -> object:
    return parse_settings(
        {"TG_BOT_TOKEN": token, "TG_API_ID": "1", "TG_API_HASH": "0" * 32, "ADMIN_IDS": "4242"}
    )


async def test_service_runs_the_bot_and_the_sender_until_stopped(
    world: FakeTelegram, db: Database, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bot_id, token = world.add_bot("uavwatch_bot")
    settings = _settings(token)
    service = AlertsService(
        db, settings, lambda: world.client(None, **BOT_CLIENT_OPTIONS),  # type: ignore[arg-type]
        clock=clock, now=clock.now,
    )  # fmt: skip
    stop = asyncio.Event()
    running = asyncio.ensure_future(service.run(stop))
    await eventually(lambda: len(world.sent(functions.bots.SetBotCommandsRequest)) == 3)
    user = world.add_user("Reader")
    world.send_private(user, bot_id, "/subscribe Kursk")
    await eventually(lambda: len(world.private_messages(user, bot_id)) == 2)
    clock.advance(2)
    pipeline = Pipeline(db, on_ingested=service.enqueuer, now=clock.now)
    post = Post("kursk_gov", None, 1, clock.now(), "Над Курской областью сбит БПЛА.", Source.LIVE)
    await pipeline.ingest(NewPost(post))
    await eventually(lambda: len(world.private_messages(user, bot_id)) == 3)
    assert world.private_messages(user, bot_id)[-1].message.startswith("🛩 Kursk Oblast")
    stop.set()
    await asyncio.wait_for(running, 5)
    assert not service.client.is_connected()
    assert token not in repr(settings)
    leaked = [
        r
        for r in caplog.records
        if token in r.getMessage() or token.split(":")[1] in r.getMessage()
    ]
    assert leaked == []


async def test_a_refused_token_is_a_setup_error_that_does_not_repeat_it(
    world: FakeTelegram, db: Database, clock: Clock
) -> None:
    bot_id, _ = world.add_bot("uavwatch_bot")
    wrong = f"{bot_id}:{'x' * 35}"
    service = AlertsService(
        db,
        _settings(wrong),
        lambda: world.client(None),
        clock=clock,
        now=clock.now,  # type: ignore[arg-type]
    )
    with pytest.raises(TelegramSetupError) as err:
        await service.run(asyncio.Event())
    assert "ACCESS_TOKEN_INVALID" in str(err.value) and wrong not in str(err.value)
    assert "x" * 35 not in str(err.value)


def test_the_real_client_factory_names_what_is_missing() -> None:
    with pytest.raises(TelegramSetupError, match="needs TG_BOT_TOKEN, TG_API_ID, TG_API_HASH"):
        bot_client_factory(parse_settings({}))
    with pytest.raises(Exception, match="TG_BOT_TOKEN=<hidden>"):
        parse_settings({"TG_BOT_TOKEN": "not-a-token"})
