"""`uavwatch login`, `channels add|remove|list`, `backfill` and `watch`: the Telegram side.

Thin: each handler reads settings, calls one library function in `bot.sources.telegram`
(or the web-preview poller) and prints its outcome. Prompts for the phone, the code and the
2FA password (without echo) live here, because only the CLI talks to the user.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telethon.sessions import StringSession
from tqdm import tqdm

from bot.config import Settings, load_settings
from bot.errors import InputError
from bot.pipeline import Pipeline
from bot.sources.telegram import peers
from bot.sources.telegram.backfill import Backfill, BackfillReport
from bot.sources.telegram.client import (
    client_factory,
    export_session_string,
    logged_in,
    login,
    make_session,
    require_credentials,
    session_path,
)
from bot.sources.telegram.ingest import Ingestor
from bot.sources.telegram.refs import ChannelRef, parse_channel_ref
from bot.sources.telegram.watcher import CLIENT_OPTIONS, Watcher, WatcherConfig
from bot.sources.webpreview_poller import WebPreviewPoller, make_http_client
from bot.storage import Database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("login", help="log the watcher's Telegram account in (once)")
    p.add_argument(
        "--session-string",
        action="store_true",
        help="print the session as a string for TG_SESSION_STRING (headless servers) "
        "instead of keeping the TG_SESSION file",
    )
    p.set_defaults(handler=run_login)

    p = sub.add_parser("channels", help="the channels the watcher follows")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = csub.add_parser("add", help="follow a channel (username, t.me link or id)")
    add.add_argument("channel")
    add.add_argument(
        "--home-region",
        "--region",
        dest="region",
        help="home region, e.g. RU-SMO or 'Смоленская область'",
    )
    add.add_argument(
        "--no-resolve",
        action="store_true",
        help="store it without asking Telegram now (the watcher resolves it)",
    )
    add.set_defaults(handler=run_channels_add)
    rm = csub.add_parser("remove", help="stop following a channel (its posts stay)")
    rm.add_argument("channel")
    rm.set_defaults(handler=run_channels_remove)
    csub.add_parser("list", help="the followed channels").set_defaults(handler=run_channels_list)
    for action in (add, rm, csub.choices["list"]):
        action.add_argument("--db", type=Path, help="database file (default: DB_PATH)")

    p = sub.add_parser("backfill", help="fill a channel's older history (resumable)")
    p.add_argument("channel")
    limit = p.add_mutually_exclusive_group()
    limit.add_argument("--since", type=_date, metavar="DATE", help="from this day on (UTC)")
    limit.add_argument("--limit", type=int, metavar="N", help="the channel's newest N posts")
    p.add_argument(
        "--web",
        action="store_true",
        help="read the public web preview instead (no credentials needed)",
    )
    p.add_argument("--db", type=Path, help="database file (default: DB_PATH)")
    p.set_defaults(handler=run_backfill)

    p = sub.add_parser("watch", help="run the Telegram watcher and web-preview poller")
    p.add_argument("--db", type=Path, help="database file (default: DB_PATH)")
    p.set_defaults(handler=run_watch)


def _date(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-01") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _db_path(args: argparse.Namespace, settings: Settings) -> Path:
    return args.db if getattr(args, "db", None) is not None else settings.db_path


def _ref(text: str, region: str | None = None) -> ChannelRef:
    try:
        ref = parse_channel_ref(text)
    except ValueError as exc:
        raise InputError(f"channel {text!r}: {exc}") from None
    return ChannelRef(ref.username, ref.telegram_id, region or ref.home_region)


# -- login ------------------------------------------------------------------------------
def run_login(args: argparse.Namespace) -> int:
    settings = load_settings()
    require_credentials(settings)
    session = StringSession() if args.session_string else make_session(settings)
    me, string = asyncio.run(_login(client_factory(settings, session), args.session_string))
    name = " ".join(filter(None, (me.first_name, me.last_name))) or me.username or me.id
    if args.session_string:
        print(string)
        print(
            f"logged in as {name}; put the line above in .env as TG_SESSION_STRING=... "
            "(it is a password: keep it secret)",
            file=sys.stderr,
        )
    else:
        print(f"logged in as {name}; session kept in {session_path(settings)} (mode 0600)")
    return 0


async def _login(factory: Any, want_string: bool) -> tuple[Any, str]:
    client = factory()
    await client.connect()
    try:
        me = await login(
            client,
            phone=lambda: input("Phone number (international format, +7...): "),
            code=lambda: input("Login code Telegram sent you: "),
            password=lambda: getpass.getpass("Two-step verification password: "),
        )
        return me, export_session_string(client) if want_string else ""
    finally:
        await client.disconnect()


# -- channels ---------------------------------------------------------------------------
def run_channels_add(args: argparse.Namespace) -> int:
    settings = load_settings()
    ref = _ref(args.channel, args.region)
    resolve = not args.no_resolve and bool(settings.tg_api_id and settings.tg_api_hash)
    label = asyncio.run(_add(settings, _db_path(args, settings), ref, resolve))
    how = "resolved now" if resolve else "the watcher resolves it on its next round"
    print(f"following {label} ({how})")
    return 0


async def _add(settings: Settings, db_path: Path, ref: ChannelRef, resolve: bool) -> str:
    async with await Database.open(db_path) as db:
        pipeline = Pipeline(db)
        if resolve:
            from bot.sources.telegram.channels import Registry
            from bot.sources.telegram.throttle import Throttle

            async with logged_in(client_factory(settings)) as client:
                watched = await Registry(db, pipeline, client, Throttle()).resolve_one(ref)
            pk, label = watched.row.pk, watched.label
        else:
            pk = await pipeline.ensure_channel(
                username=ref.username, telegram_id=ref.telegram_id, home_region=ref.home_region
            )
            label = str(ref)
        await peers.set_watched(db, pk, True)
        return label


def run_channels_remove(args: argparse.Namespace) -> int:
    settings = load_settings()
    ref = _ref(args.channel)
    if any(
        (r.username, r.telegram_id) == (ref.username, ref.telegram_id) for r in settings.channels
    ):
        raise InputError(f"{ref} is listed in CHANNELS (.env or the environment): remove it there")
    asyncio.run(_remove(_db_path(args, settings), ref))
    print(f"no longer following {ref} (its stored posts stay)")
    return 0


async def _remove(db_path: Path, ref: ChannelRef) -> None:
    async with await Database.open(db_path) as db:
        row = await peers.find_channel(db, username=ref.username, telegram_id=ref.telegram_id)
        if row is None or not row.watched:
            raise InputError(f"{ref} is not followed; `uavwatch channels list` shows who is")
        await peers.set_watched(db, row.pk, False)


def run_channels_list(args: argparse.Namespace) -> int:
    settings = load_settings()
    rows = asyncio.run(_list(_db_path(args, settings)))
    configured = {(r.username, r.telegram_id): r for r in settings.channels}
    if not rows and not configured:
        print("no channels followed: add some to CHANNELS or with `uavwatch channels add`")
    for row, cursor, count in rows:
        keys = {(row.username, None), (None, row.telegram_id)}
        origin = "CHANNELS" if keys & configured.keys() else "added"
        for key in keys:
            configured.pop(key, None)
        print(
            f"{row.label}\tid={row.telegram_id or '?'}\t{row.title or ''}\t"
            f"region={row.home_region or '-'}\tposts={count}\tlast={cursor or '-'}\t{origin}"
        )
    for ref in configured.values():
        print(f"{ref}\t(not resolved yet: the watcher does it when it starts)\tCHANNELS")
    return 0


async def _list(db_path: Path) -> list[tuple[peers.ChannelRow, int | None, int]]:
    async with await Database.open(db_path) as db:
        out = []
        for row in await peers.watched_channels(db):
            out.append(
                (
                    row,
                    await peers.cursor_of(db, row.pk),
                    await peers.count_stored_from(db, row.pk, 0),
                )
            )
        return out


# -- backfill ---------------------------------------------------------------------------
def run_backfill(args: argparse.Namespace) -> int:
    settings = load_settings()
    ref = _ref(args.channel)
    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1")
    bar = tqdm(desc=f"backfill {ref}", unit="post", file=sys.stderr, disable=None, leave=False)
    try:
        if args.web:
            if ref.username is None:
                raise InputError("--web needs a channel username (the web preview has no ids)")
            count = asyncio.run(
                _backfill_web(settings, _db_path(args, settings), ref.username, args, bar.update)
            )
            print(f"backfill @{ref.username} (web preview): {count} post(s) read")
            return 0
        report = asyncio.run(_backfill(settings, _db_path(args, settings), ref, args, bar.update))
    finally:
        bar.close()
    print(
        f"backfill {report.channel}: {report.newer} newer and {report.older} older post(s) "
        f"read, {report.new} new"
    )
    return 0


async def _backfill(
    settings: Settings, db_path: Path, ref: ChannelRef, args: argparse.Namespace, progress: Any
) -> BackfillReport:
    factory = client_factory(settings)
    async with await Database.open(db_path) as db, logged_in(factory, **CLIENT_OPTIONS) as client:
        job = Backfill(db, Pipeline(db), client)
        return await job.run(ref, since=args.since, limit=args.limit, progress=progress)


async def _backfill_web(
    settings: Settings, db_path: Path, name: str, args: argparse.Namespace, progress: Any
) -> int:
    async with (
        await Database.open(db_path) as db,
        make_http_client(settings.webpreview_base_url) as http,
    ):
        poller = WebPreviewPoller(db, Ingestor(Pipeline(db)), http, (name,))
        return await poller.backfill(name, since=args.since, limit=args.limit, progress=progress)


# -- watch ------------------------------------------------------------------------------
def run_watch(args: argparse.Namespace) -> int:
    settings = load_settings()
    asyncio.run(_watch(settings, _db_path(args, settings)))
    return 0


async def _watch(settings: Settings, db_path: Path) -> None:
    """The watcher (when credentials are set) and the web-preview poller, until SIGINT/TERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with (
        await Database.open(db_path) as db,
        make_http_client(settings.webpreview_base_url) as http,
    ):
        pipeline = Pipeline(db)
        jobs = []
        if settings.tg_api_id or settings.tg_api_hash or settings.channels:
            watcher = Watcher(
                db, pipeline, client_factory(settings), WatcherConfig.from_settings(settings)
            )
            jobs.append(watcher.run(stop))
        if settings.webpreview_channels:
            ingestor = Ingestor(pipeline, max_age=settings.catchup_alert_max_age)
            poller = WebPreviewPoller(
                db,
                ingestor,
                http,
                settings.webpreview_channels,
                interval=settings.webpreview_poll_seconds,
            )
            jobs.append(poller.run(stop))
        if not jobs:
            raise InputError(
                "nothing to watch: set CHANNELS (with TG_API_ID/TG_API_HASH) or WEBPREVIEW_CHANNELS"
            )
        await asyncio.gather(*jobs)
