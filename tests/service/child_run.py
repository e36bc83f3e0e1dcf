"""`uavwatch run` in a child process, against the offline fake Telegram (tests only).

    python child_run.py WORLD_JSON run [--db PATH]

Signals, exit codes and the stop deadline belong to the process, so the tests that check
them run the real CLI (`bot.cli.main`) in a child. The fake must live in that process, so
this script builds it, installs it the way the in-process fixtures do (the MTProtoSender
hook; real dialling refused), and hands the CLI its session string and bot token through
the environment, as an operator's `.env` would. World (JSON, every key optional):

    channel        username of the watched channel (joined by the watcher account)
    before         texts posted before the service starts
    readers        how many subscribers of RU-KRS (each has /started the bot)
    publish        texts posted live once the file `publish_flag` exists
    watcher, bot   false: leave TG_SESSION_STRING / TG_BOT_TOKEN unset
    secrets_file   where to write the session string and the token (for log checks)
    slow_flag      once this file exists, the fake answers each SendMessage only after a
                   minute (Telegram slow to accept the message in flight); the first such
                   send creates `<slow_flag>.sending`

The world is deterministic (seeded): a second child with the same JSON has the same ids
and access hashes, so it can run on the database the first one left ("a restart").
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).parent.parent))  # tests/: the `fakes` package

from fakes import FakeTelegram
from fakes.telegram_sender import FakeSender
from telethon.client import telegrambaseclient
from telethon.network.connection.connection import Connection
from telethon.tl import functions

from bot.alerts import subscribers as subs
from bot.cli import main
from bot.storage import Database

LOOP: list[asyncio.AbstractEventLoop] = []


def build(world_spec: dict[str, Any]) -> tuple[FakeTelegram, dict[str, int]]:
    world = FakeTelegram(seed=1, remember_random_ids=True)
    ids = {"me": world.add_user("Watcher", username="watcher_acc", phone="70000000000")}
    world.add_channel("Курск новости", username=world_spec.get("channel", "kursk_news"))
    ids["bot"], token = world.add_bot("uavwatch_bot")
    for n in range(world_spec.get("readers", 0)):
        ids[f"reader{n}"] = world.add_user(f"Reader {n}")
    for text in world_spec.get("before", []):
        world.publish(world_spec.get("channel", "kursk_news"), text)
    if world_spec.get("watcher", True):
        os.environ["TG_SESSION_STRING"] = world.session_for(ids["me"])
    if world_spec.get("bot", True):
        os.environ["TG_BOT_TOKEN"] = token
    if "secrets_file" in world_spec:
        secrets = {"session": os.environ.get("TG_SESSION_STRING"), "token": token}
        Path(world_spec["secrets_file"]).write_text(json.dumps(secrets))
    return world, ids


SLOW_SEND = 60.0


class SlowSends(FakeSender):
    """The fake's sender; with `slow_flag` present, SendMessage is answered a minute late."""

    slow_flag: Path | None = None
    delayed: ClassVar[set[int]] = set()

    def _answer(self, state: Any) -> None:
        flag = self.slow_flag
        if (
            flag
            and flag.exists()
            and isinstance(state.request, functions.messages.SendMessageRequest)
            and id(state) not in self.delayed
        ):
            flag.with_name(flag.name + ".sending").touch()
            self.delayed.add(id(state))  # answered once the minute has passed
            asyncio.get_running_loop().call_later(SLOW_SEND, self._answer, state)
            return
        super()._answer(state)


def install(world: FakeTelegram, spec: dict[str, Any]) -> None:
    if "slow_flag" in spec:
        SlowSends.slow_flag = Path(spec["slow_flag"])

    def sender(auth_key: Any, **kwargs: Any) -> Any:
        if not LOOP:
            LOOP.append(asyncio.get_running_loop())
        return SlowSends(world, auth_key, **kwargs)

    async def refuse(self: Connection, *args: object, **kwargs: object) -> None:
        raise AssertionError("the child tried to reach the real Telegram")

    telegrambaseclient.MTProtoSender = sender  # type: ignore[misc,assignment]
    Connection.connect = refuse  # type: ignore[method-assign]


async def subscribe(db_path: str, world: FakeTelegram, ids: dict[str, int]) -> None:
    readers = [uid for key, uid in ids.items() if key.startswith("reader")]
    when = datetime(2026, 1, 1, tzinfo=UTC)
    async with await Database.open(db_path) as db, db.transaction() as conn:
        for user in readers:
            world.send_private(user, ids["bot"], "/start")
            sub, _ = await subs.get_or_create(
                conn, chat_id=user, access_hash=world.users[user].access_hash,
                chat_kind="private", name=None, lang="en", now=when,
            )  # fmt: skip
            await subs.add_regions(conn, sub.id, ["RU-KRS"], when)


def publish_later(world: FakeTelegram, spec: dict[str, Any]) -> None:
    """Post `publish` in the service's loop once the parent creates `publish_flag`."""
    flag = Path(spec["publish_flag"])
    while not (flag.exists() and LOOP):
        time.sleep(0.01)
    for text in spec.get("publish", []):
        LOOP[0].call_soon_threadsafe(world.publish, spec.get("channel", "kursk_news"), text)


def run(argv: list[str]) -> int:
    spec = json.loads(argv[0])
    world, ids = build(spec)
    install(world, spec)
    if ids.keys() - {"me", "bot"}:
        asyncio.run(subscribe(os.environ["DB_PATH"], world, ids))
    if spec.get("publish"):
        threading.Thread(target=publish_later, args=(world, spec), daemon=True).start()
    return main(argv[1:])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
