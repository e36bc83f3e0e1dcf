"""Web-preview polling through the real HTTP client against a server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import html
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.pipeline import Pipeline
from bot.sources.telegram.ingest import Ingestor
from bot.sources.webpreview_poller import (
    USER_AGENT,
    PollError,
    WebPreviewPoller,
    make_http_client,
)
from bot.storage import Database

FIXTURES = Path(__file__).parent.parent / "fixtures" / "webpreview_poll"
T0 = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
PER_PAGE = 20


@dataclass
class Channel:
    """An invented channel the server renders in Telegram's layout, 20 posts a page."""

    name: str
    title: str
    posts: dict[int, tuple[str, bool]] = field(default_factory=dict)  # id -> (text, edited)

    def add(self, count: int, text: str = "Новость дня номер {n}.") -> None:
        start = max(self.posts, default=0) + 1
        for n in range(start, start + count):
            self.posts[n] = (text.format(n=n), False)

    def page(self, before: int | None) -> str:
        ids = sorted(i for i in self.posts if before is None or i < before)[-PER_PAGE:]
        messages = "".join(self._message(i) for i in ids)
        more = ""
        if ids and ids[0] > min(self.posts):
            more = (FIXTURES / "more.html").read_text().format(name=self.name, before=ids[0])
        page = (FIXTURES / "page.html").read_text()
        return page.format(title=self.title, name=self.name, more=more, messages=messages)

    def _message(self, mid: int) -> str:
        text, edited = self.posts[mid]
        date = T0 + timedelta(minutes=mid)
        return (
            (FIXTURES / "message.html")
            .read_text()
            .format(
                name=self.name,
                id=mid,
                title=self.title,
                views=f"{mid}.5K",
                text=html.escape(text).replace("\n", "<br/>"),
                edited="edited &nbsp;" if edited else "",
                date=date.isoformat(),
                hhmm=date.strftime("%H:%M"),
            )
        )


@dataclass
class Site:
    channels: dict[str, Channel] = field(default_factory=dict)
    fail: list[tuple[int, str]] = field(default_factory=list)  # queued (status, body)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (path, user agent)


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    """A local HTTP server on 127.0.0.1 (port chosen by the OS) serving `Site`."""
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.seen.append((self.path, self.headers.get("User-Agent", "")))
            url = urlsplit(self.path)
            before = parse_qs(url.query).get("before", [None])[0]
            name = url.path.removeprefix("/s/")
            if state.fail:
                status, body = state.fail.pop(0)
            elif name in state.channels:
                status, body = 200, state.channels[name].page(int(before) if before else None)
            else:
                status, body = 404, "not here"
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", "120")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
async def poller(
    site: tuple[Site, str], db: Database, pipeline: Pipeline
) -> AsyncIterator[WebPreviewPoller]:
    async with make_http_client(site[1]) as http:
        ingestor = Ingestor(pipeline, now=lambda: T0 + timedelta(days=1))
        yield WebPreviewPoller(db, ingestor, http, ("demo_mod",), interval=60)


async def _ids(db: Database) -> list[int]:
    rows = await db.read("SELECT message_id FROM posts ORDER BY message_id")
    return [int(r[0]) for r in rows]  # type: ignore[call-overload]


async def test_first_poll_stores_the_newest_page_then_pages_back_to_the_cursor(
    site: tuple[Site, str], poller: WebPreviewPoller, db: Database
) -> None:
    """1. a channel with 30 posts is seen for the first time 2. 45 posts are published
    before the next poll (a burst: more than two pages). Result: first the newest page
    (11-30) only; then 31-75 with no gap, fetched with ?before= down to the cursor."""
    state, _ = site
    state.channels["demo_mod"] = Channel("demo_mod", "Демонстрационное министерство")
    state.channels["demo_mod"].add(30)
    first = await poller.poll("demo_mod")
    assert (first.pages, first.new) == (1, 20)
    assert await _ids(db) == list(range(11, 31))
    state.channels["demo_mod"].add(45)
    second = await poller.poll("demo_mod")
    assert (second.pages, second.new) == (3, 45)
    assert await _ids(db) == list(range(11, 76))
    assert [p for p, _ in state.seen] == [
        "/s/demo_mod",
        "/s/demo_mod",
        "/s/demo_mod?before=56",
        "/s/demo_mod?before=36",
    ]
    assert {agent for _, agent in state.seen} == {USER_AGENT}
    rows = await db.read("SELECT views, source FROM posts WHERE message_id = 75")
    assert rows == [(75500, "webpreview")]


async def test_edits_seen_on_a_page_become_new_versions(
    site: tuple[Site, str], poller: WebPreviewPoller, db: Database
) -> None:
    state, _ = site
    channel = state.channels["demo_mod"] = Channel("demo_mod", "Министерство")
    channel.add(5)
    await poller.poll("demo_mod")
    channel.posts[4] = ("Над областью сбиты\nдва беспилотника.", True)
    result = await poller.poll("demo_mod")
    assert (result.new, result.edited) == (0, 1)
    rows = await db.read("SELECT text, label FROM posts_current WHERE message_id = 4")
    assert rows == [("Над областью сбиты\nдва беспилотника.", "uav_incident")]
    assert await db.read("SELECT count(*) FROM post_versions WHERE post_id = 4") == [(2,)]
    assert (await poller.poll("demo_mod")).edited == 0  # same text again: nothing


async def test_malformed_page_is_logged_clearly_and_stores_nothing(
    site: tuple[Site, str], poller: WebPreviewPoller, db: Database, caplog: Any
) -> None:
    state, _ = site
    channel = state.channels["demo_mod"] = Channel("demo_mod", "Министерство")
    channel.add(25)
    await poller.poll("demo_mod")
    channel.add(30)  # the next poll needs two pages; the second one comes back broken
    state.fail.append((200, channel.page(None)))
    state.fail.append((200, (FIXTURES / "broken.html").read_text()))
    caplog.set_level(logging.ERROR)
    assert isinstance(await poller.poll_logged("demo_mod"), PollError)
    assert await _ids(db) == list(range(6, 26))  # the good newest page was NOT stored
    message = caplog.records[-1].getMessage()
    assert "@demo_mod" in message and "malformed page, nothing stored" in message
    assert "before=36" in message and "no <time datetime" in message
    await poller.poll("demo_mod")  # the server is fine again: the gap closes
    assert await _ids(db) == list(range(6, 56))


async def test_backoff_on_429_and_5xx_and_unreachable_host(
    site: tuple[Site, str], poller: WebPreviewPoller, db: Database
) -> None:
    state, _ = site
    state.channels["demo_mod"] = Channel("demo_mod", "Министерство")
    state.channels["demo_mod"].add(3)
    state.fail.append((429, "slow down"))
    busy = await poller.poll_logged("demo_mod")
    assert busy is not None and busy.retry_after == 120
    assert poller.next_delay("demo_mod", busy) == 120
    state.fail.append((503, "maintenance"))
    down = await poller.poll_logged("demo_mod")
    assert down is not None and down.transient
    assert 60 <= poller.next_delay("demo_mod", down) <= 240  # second failure: backing off
    assert 48 <= poller.next_delay("demo_mod", None) <= 72  # success: interval +-20%
    assert await _ids(db) == []
    async with make_http_client("http://127.0.0.1:9") as http:  # nothing listens there
        dead = WebPreviewPoller(db, poller.ingestor, http, ("demo_mod",))
        error = await dead.poll_logged("demo_mod")
    assert error is not None and error.transient and "ConnectError" in str(error)


async def test_run_polls_on_a_jittered_schedule_until_stopped(
    site: tuple[Site, str], db: Database, pipeline: Pipeline
) -> None:
    state, base = site
    state.channels["demo_mod"] = Channel("demo_mod", "Министерство")
    state.channels["demo_mod"].add(3)
    stop = asyncio.Event()
    clock = [0.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds
        if len(waits) >= 3:
            stop.set()

    async with make_http_client(base) as http:
        ingestor = Ingestor(pipeline)
        runner = WebPreviewPoller(
            db, ingestor, http, ("demo_mod",), interval=60, clock=lambda: clock[0], sleep=sleep
        )
        await runner.run(stop)
    assert len(state.seen) == 2 and await _ids(db) == [1, 2, 3]
    assert all(0 <= w <= 72 for w in waits)


async def test_web_backfill_pages_back_and_resumes(
    site: tuple[Site, str], poller: WebPreviewPoller, db: Database
) -> None:
    state, _ = site
    state.channels["demo_mod"] = Channel("demo_mod", "Министерство")
    state.channels["demo_mod"].add(70)
    await poller.poll("demo_mod")  # 51-70
    assert await poller.backfill("demo_mod", limit=25) == 25  # 26-50
    assert await _ids(db) == list(range(26, 71))
    assert await poller.backfill("demo_mod", since=T0 + timedelta(minutes=10)) == 16
    assert await _ids(db) == list(range(10, 71))
