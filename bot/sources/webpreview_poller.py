"""Following public channels without credentials: polling `{base}/s/NAME` pages.

The first time a channel is seen its newest page is stored (older history: `uavwatch
backfill --web`). After that each poll pages back with `?before=ID` until it reaches the
stored cursor, so a burst between polls, or a night of downtime, leaves no gap. A poll is
all or nothing: if any page of it fails to download or parse, nothing of it is stored (a
newest page stored alone would move the cursor past the posts still missing) and the next
poll tries again. Posts marked "edited" whose text changed become `EditedPost`.

Politeness: one request at a time, a User-Agent that says who we are, each channel every
WEBPREVIEW_POLL_SECONDS +-20%, backoff with jitter on 429 (honouring Retry-After, for every
channel: it is the host that is busy), 5xx and network errors (for that channel).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from bot import __version__
from bot.errors import MalformedFileError
from bot.models import EditedPost, NewPost, PostEvent
from bot.sources.telegram import peers
from bot.sources.telegram.ingest import Ingested, Ingestor, Origin
from bot.sources.telegram.throttle import backoff_delay
from bot.sources.webpreview_html import WebPreviewPage, parse_page
from bot.storage import Database

log = logging.getLogger(__name__)

USER_AGENT = (
    f"uavwatch/{__version__} (open-source monitor of official channels; polls public"
    " web previews about once a minute)"
)
#: Pages per poll at most (20 posts each): a longer gap is logged and left to backfill.
MAX_PAGES = 50
JITTER = 0.2
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


class PollError(Exception):
    """A poll that stored nothing; `retry_after` set for 429 (applies to every channel)."""

    def __init__(self, message: str, *, transient: bool, retry_after: float | None = None):
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


@dataclass
class PollResult:
    channel: str
    pages: int = 0
    stored: list[Ingested] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(1 for s in self.stored if s.result.kind == "new")

    @property
    def edited(self) -> int:
        return sum(1 for s in self.stored if s.result.kind == "edited")


def make_http_client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"User-Agent": USER_AGENT, "Accept-Language": "en"},
        timeout=TIMEOUT,
        follow_redirects=True,
    )


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After", "")
    return float(raw) if raw.strip().isdigit() else None


def poll_events(pages: list[WebPreviewPage], cursor: int | None) -> list[PostEvent]:
    """Pages -> events in id order: above the cursor `NewPost`, at or below it only the
    posts marked edited, as `EditedPost` (the pipeline compares the text)."""
    edited = frozenset().union(*(p.edited_ids for p in pages)) if pages else frozenset()
    posts = {post.message_id: post for page in pages for post in page.posts}
    events: list[PostEvent] = []
    for mid in sorted(posts):
        if cursor is None or mid > cursor:
            events.append(NewPost(posts[mid]))
        elif mid in edited:
            events.append(EditedPost(posts[mid]))
    return events


class WebPreviewPoller:
    def __init__(
        self,
        db: Database,
        ingestor: Ingestor,
        http: httpx.AsyncClient,
        channels: tuple[str, ...],
        *,
        interval: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
        max_pages: int = MAX_PAGES,
        on_progress: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.on_progress = on_progress  # after every successful poll (the service's health)
        self.ingestor = ingestor
        self.http = http
        self.channels = channels
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.max_pages = max_pages
        self.failures: dict[str, int] = {}

    async def fetch(self, name: str, before: int | None = None) -> WebPreviewPage:
        path = f"/s/{name}" + (f"?before={before}" if before else "")
        where = f"{str(self.http.base_url).rstrip('/')}{path}"
        try:
            response = await self.http.get(path)
        except httpx.TransportError as exc:
            raise PollError(f"{where}: {type(exc).__name__}: {exc}", transient=True) from exc
        if response.status_code == 429:
            raise PollError(
                f"{where}: HTTP 429 Too Many Requests",
                transient=True,
                retry_after=_retry_after(response),
            )
        if response.status_code >= 500:
            raise PollError(f"{where}: HTTP {response.status_code}", transient=True)
        if response.status_code != 200:
            raise PollError(f"{where}: HTTP {response.status_code}", transient=False)
        try:
            page = parse_page(response.text, where=where)
        except MalformedFileError as exc:
            raise PollError(f"malformed page, nothing stored: {exc}", transient=False) from exc
        if page.channel != name:
            raise PollError(
                f"{where}: the page is @{page.channel}'s, not @{name}'s (renamed?)", transient=False
            )
        return page

    async def cursor(self, name: str) -> int | None:
        row = await peers.find_channel(self.db, username=name)
        return None if row is None else await peers.cursor_of(self.db, row.pk)

    async def poll(self, name: str) -> PollResult:
        """One channel: the newest page, then older ones down to the cursor; stored in
        one transaction. Raises PollError (nothing stored) on any failed page."""
        cursor = await self.cursor(name)
        pages = [await self.fetch(name)]
        while cursor is not None and self._needs_more(pages[-1], cursor):
            if len(pages) >= self.max_pages:
                log.warning(
                    "@%s: more than %d pages since the last poll; older posts need "
                    "`uavwatch backfill --web %s`",
                    name,
                    self.max_pages,
                    name,
                )
                break
            oldest = pages[-1].posts[0].message_id
            page = await self.fetch(name, before=pages[-1].before_id or oldest)
            if not page.posts or page.posts[-1].message_id >= oldest:
                break  # no progress: the channel's first page, or a confused server
            pages.append(page)
        stored = await self.ingestor.submit(poll_events(pages, cursor), Origin.WEBPREVIEW)
        result = PollResult(name, len(pages), stored)
        if result.new or result.edited:
            log.info(
                "@%s: %d new, %d edited post(s) from %d page(s)",
                name,
                result.new,
                result.edited,
                len(pages),
            )
        return result

    @staticmethod
    def _needs_more(page: WebPreviewPage, cursor: int) -> bool:
        return (
            bool(page.posts)
            and page.posts[0].message_id > cursor + 1
            and (page.before_id is not None)
        )

    def next_delay(self, name: str, error: PollError | None) -> float:
        """When to poll this channel again: the interval +-20%, or backoff after failures."""
        if error is None:
            self.failures.pop(name, None)
            return self.interval * self.rng.uniform(1 - JITTER, 1 + JITTER)
        failures = self.failures[name] = self.failures.get(name, 0) + 1
        if error.retry_after is not None:
            return max(error.retry_after, self.interval)
        if not error.transient:
            return self.interval  # a broken page: report every poll, do not hammer
        return max(self.interval, backoff_delay(failures - 1, self.rng, base=self.interval))

    async def poll_logged(self, name: str) -> PollError | None:
        try:
            await self.poll(name)
        except PollError as exc:
            log.error("@%s: web-preview poll failed, the next one retries: %s", name, exc)
            return exc
        return None

    async def run(self, stop: asyncio.Event) -> None:
        """Poll every channel on its own jittered schedule until `stop` is set."""
        due = {n: self.clock() + self.rng.uniform(0, self.interval) for n in self.channels}
        while due and not stop.is_set():
            name = min(due, key=due.__getitem__)
            wait = due[name] - self.clock()
            if wait > 0:
                await self.sleep(wait)
                continue
            error = await self.poll_logged(name)
            if error is None and self.on_progress is not None:
                self.on_progress()
            delay = self.next_delay(name, error)
            due[name] = self.clock() + delay
            if error is not None and error.retry_after is not None:  # the host is busy
                due = {n: max(d, self.clock() + delay) for n, d in due.items()}

    async def backfill(
        self,
        name: str,
        *,
        since: datetime | None = None,
        limit: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Older pages, from below the oldest stored web-preview post (so a second run
        resumes); one transaction per page. Returns the number of posts stored."""
        row = await peers.find_channel(self.db, username=name)
        oldest = None
        if row is not None:
            oldest = await peers.oldest_stored(self.db, row.pk, ("webpreview",))
        before = oldest[0] if oldest else None
        done = 0
        while limit is None or done < limit:
            page = await self.fetch(name, before=before)
            posts = [p for p in page.posts if before is None or p.message_id < before]
            if since is not None:
                posts = [p for p in posts if p.date >= since]
            if limit is not None:
                posts = posts[-(limit - done) :]
            await self.ingestor.submit([NewPost(p) for p in posts], Origin.BACKFILL)
            done += len(posts)
            if progress is not None:
                progress(len(posts))
            first = page.posts[0] if page.posts else None
            if first is None or page.before_id is None or (since and first.date < since):
                break
            before = first.message_id
        return done
