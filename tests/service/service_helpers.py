"""Helpers for the service tests (imported by name: `from service_helpers import ...`).

Time: the fake Telegram's clock starts in 2026-01-01 and moves 1 s per event; the service
gets `now` = the fake's now (plus `Shift.offset`), so "how old is this post" is decided on
the same clock the posts are dated with.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fakes import FakeTelegram
from telethon import TelegramClient

from bot.alerts import subscribers as subs
from bot.config import Settings, parse_settings
from bot.service.runner import Connectors, Service
from bot.service.supervisor import Backoff
from bot.storage import Database

FIXTURES = Path(__file__).parent.parent / "fixtures" / "webpreview_poll"
CHANNEL = "kursk_news"
INCIDENT = "Над Курской областью сбит беспилотник, пострадавших нет."
#: Restarts in tests: milliseconds, not seconds (the backoff's shape is tested on its own).
FAST = Backoff(base=0.02, cap=0.1, stable_after=600.0)


@dataclass
class Shift:
    """The service's clock: the fake's now, moved by `offset` (downtime, old posts)."""

    world: FakeTelegram
    offset: timedelta = timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.world.now + self.offset


@dataclass
class Tg:
    """The Telegram side of a test: the watcher account, a watched channel, the bot."""

    world: FakeTelegram
    me: int
    channel: int
    bot: int
    token: str
    now: Shift

    def connectors(self) -> Connectors:
        """Real Telethon clients wired to the fake (what production factories build)."""

        def watcher(**options: Any) -> TelegramClient:
            return self.world.client(self.me, **options)

        def bot() -> TelegramClient:
            return self.world.client(None, flood_sleep_threshold=0)

        return Connectors(watcher_client=watcher, bot_client=bot)

    def user(self, name: str = "Reader") -> int:
        return self.world.add_user(name)

    def alerts_of(self, user: int) -> list[str]:
        """The bot's messages in its chat with `user`."""
        return [m.message for m in self.world.private_messages(user, self.bot) if not m.out]


def make_settings(db_path: Path, **env: str) -> Settings:
    values = {"DB_PATH": str(db_path), "TG_SESSION": str(db_path.parent / "watcher")}
    values.update(env)
    return parse_settings(values)


@asynccontextmanager
async def running(service: Service) -> AsyncIterator[asyncio.Task[None]]:
    """The service runs in a task; on the way out it is stopped and awaited, whatever the
    test did (a still-connected client would hang the loop's teardown)."""
    task = asyncio.ensure_future(service.run())
    try:
        yield task
    finally:
        service.stop.set()
        await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 15)


async def subscribe(db: Database, tg: Tg, users: list[int], region: str = "RU-KRS") -> None:
    """Subscribers as /subscribe leaves them, written in one transaction (the bot's own
    paths are tested in alerts/). Each user first writes to the bot while it is offline:
    Telegram lets a bot message only people who have started it."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    async with db.transaction() as conn:
        for user in users:
            tg.world.send_private(user, tg.bot, "/start")
            sub, _ = await subs.get_or_create(
                conn, chat_id=user, access_hash=tg.world.users[user].access_hash,
                chat_kind="private", name=None, lang="en", now=when,
            )  # fmt: skip
            await subs.add_regions(conn, sub.id, [region], when)


async def subscribe_at(db_path: Path, tg: Tg, users: list[int]) -> None:
    async with await Database.open(db_path) as db:
        await subscribe(db, tg, users)


# -- a web-preview site on 127.0.0.1 -------------------------------------------------------
@dataclass
class Site:
    """Invented channels rendered in Telegram's t.me/s layout, 20 posts a page."""

    posts: dict[str, dict[int, str]] = field(default_factory=dict)
    base_date: datetime = datetime(2026, 1, 1, 6, 0, tzinfo=UTC)
    url: str = ""

    def add(self, name: str, texts: list[str]) -> None:
        channel = self.posts.setdefault(name, {})
        start = max(channel, default=0) + 1
        for n, text in enumerate(texts, start):
            channel[n] = text

    def page(self, name: str, before: int | None) -> str:
        channel = self.posts[name]
        ids = sorted(i for i in channel if before is None or i < before)[-20:]
        messages = "".join(self._message(name, i, channel[i]) for i in ids)
        more = ""
        if ids and ids[0] > min(channel):
            more = (FIXTURES / "more.html").read_text().format(name=name, before=ids[0])
        page = (FIXTURES / "page.html").read_text()
        return page.format(title=name.title(), name=name, more=more, messages=messages)

    def _message(self, name: str, mid: int, text: str) -> str:
        date = self.base_date + timedelta(minutes=mid)
        return (
            (FIXTURES / "message.html")
            .read_text()
            .format(
                name=name, id=mid, title=name.title(), views="12", edited="",
                text=html.escape(text), date=date.isoformat(), hhmm=date.strftime("%H:%M"),
            )
        )  # fmt: skip


# -- `uavwatch run` in a child process (child_run.py) ---------------------------------------
CHILD = Path(__file__).parent / "child_run.py"


@dataclass
class Child:
    """A `uavwatch run` process; its stderr (the service's log) goes to `log`."""

    proc: subprocess.Popen[bytes]
    log: Path

    def stderr(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def signal(self, sig: signal.Signals) -> None:
        self.proc.send_signal(sig)

    def wait(self) -> int:
        """The exit status (a generous limit only guards against a hung test)."""
        try:
            return self.proc.wait(HUNG)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"the child did not exit; its log:\n{self.stderr()}") from None

    def until(self, cond: Callable[[], object], what: str) -> None:
        """Poll `cond` until it holds; fail at once if the child exits first."""
        deadline = time.monotonic() + HUNG
        while True:
            try:
                if cond():
                    return
            except sqlite3.Error:
                pass  # the database is being created or migrated
            if self.proc.poll() is not None:
                raise AssertionError(f"the child exited ({self.proc.returncode}) before {what}:"
                                     f"\n{self.stderr()}")  # fmt: skip
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} within {HUNG} s; the log:\n{self.stderr()}")
            time.sleep(0.02)


#: Seconds before a child that neither gets ready nor exits is declared hung (a guard for
#: broken tests, not a measurement: the stop's own duration comes from the service's log).
HUNG = 60.0


def start_child(tmp_path: Path, world: dict[str, Any], env: dict[str, str], name: str) -> Child:
    """`uavwatch run` with exactly `env` (plus PATH), in `tmp_path`, the fake built from
    `world` (see child_run.py)."""
    log = tmp_path / f"{name}.log"
    full = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    full.update(env)
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, str(CHILD), json.dumps(world), "run"],
            cwd=tmp_path, env=full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=err,
        )  # fmt: skip
    return Child(proc, log)


def count(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> int:
    """One number from the database, read-only (beside a running service)."""
    with contextlib.closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


STOPPED_IN = re.compile(r"stopped in ([0-9.]+) s after (SIG[A-Z]+) \(limit ([0-9]+) s\)")


def stop_duration(log: str) -> float:
    """How long the stop took, as the service measured it on its own clock."""
    found = STOPPED_IN.findall(log)
    assert len(found) == 1, f"the service did not report its stop once:\n{log}"
    took, _, limit = found[0]
    assert float(limit) == 10
    return float(took)
