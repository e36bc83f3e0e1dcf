"""Building the user-account client: credentials, the session, logging in.

Everything that builds a `TelegramClient` goes through a factory (`ClientFactory`), called
with the options the caller needs (the watcher passes `CLIENT_OPTIONS`), so tests hand in
clients wired to the offline fake. Missing or malformed credentials raise one
`TelegramSetupError` naming the keys and where to get them. The session file is created
with mode 0600 before Telethon opens it (SQLite keeps that mode for its journal too); a
`TG_SESSION_STRING` (for headless servers) is used instead when set. Secrets are never
logged or put in error messages.
"""

from __future__ import annotations

import inspect
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telethon import TelegramClient, errors
from telethon.sessions import SQLiteSession, StringSession
from telethon.sessions.abstract import Session

from bot.config import Settings
from bot.errors import TelegramSetupError

ClientFactory = Callable[..., TelegramClient]
Prompt = Callable[[], str | Awaitable[str]]

_WHERE = (
    "get them at https://my.telegram.org (log in, then 'API development tools') and put them "
    "in .env"
)


def require_credentials(settings: Settings) -> tuple[int, str]:
    """(api id, api hash), or one error naming every missing key."""
    missing = [
        name
        for name, value in (
            ("TG_API_ID", settings.tg_api_id),
            ("TG_API_HASH", settings.tg_api_hash),
        )
        if not value
    ]
    if missing:
        raise TelegramSetupError(
            f"Telegram credentials missing: set {' and '.join(missing)}; {_WHERE}"
        )
    assert settings.tg_api_id is not None and settings.tg_api_hash is not None
    return settings.tg_api_id, settings.tg_api_hash


def session_path(settings: Settings) -> Path:
    """TG_SESSION as Telethon names the file (it appends `.session`)."""
    path = settings.tg_session
    return path if path.suffix == ".session" else path.with_name(path.name + ".session")


def find_session(settings: Settings) -> str | None:
    """Where a logged-in session would come from, or None when there is none to try.

    `uavwatch run` starts the watcher (WATCHER=auto) only with a session: TG_SESSION_STRING,
    or a TG_SESSION file that holds an auth key (Telethon writes it at login; a file made
    by a command that never logged in has none). Read-only, no network: whether Telegram
    still accepts the key is the watcher's own login check."""
    if settings.tg_session_string:
        return "TG_SESSION_STRING"
    path = session_path(settings)
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute(
                "SELECT count(*) FROM sessions WHERE auth_key IS NOT NULL AND length(auth_key) > 0"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # not a Telethon session (or unreadable): nothing to log in with
    return f"session file {path}" if row and row[0] else None


def _private_file(path: Path) -> None:
    if not path.parent.is_dir():
        raise TelegramSetupError(
            f"{path}: directory {path.parent} does not exist; create it or change TG_SESSION"
        )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # an older file made with the umask's mode is tightened too


def make_session(settings: Settings, *, string: str | None = None) -> Session:
    """The configured session: TG_SESSION_STRING if set, else the TG_SESSION file."""
    value = string if string is not None else settings.tg_session_string
    if value:
        try:
            return StringSession(value)
        except Exception:  # base64/struct errors: the value is not a session string
            raise TelegramSetupError(
                "TG_SESSION_STRING is not a session string (it is made by "
                "`uavwatch login --session-string`); fix it or remove it to use TG_SESSION"
            ) from None
    path = session_path(settings)
    _private_file(path)
    return SQLiteSession(str(path))


def client_factory(settings: Settings, session: Session | None = None) -> ClientFactory:
    """The production factory: a real client for the configured account."""
    api_id, api_hash = require_credentials(settings)
    chosen = session if session is not None else make_session(settings)

    def build(**options: Any) -> TelegramClient:
        return TelegramClient(chosen, api_id, api_hash, **options)

    return build


@asynccontextmanager
async def logged_in(factory: ClientFactory, **options: Any) -> AsyncIterator[TelegramClient]:
    """A connected client whose session is logged in; always disconnected afterwards."""
    client = factory(**options)
    try:
        try:
            await client.connect()
        except OSError as exc:
            raise TelegramSetupError(f"cannot reach Telegram: {exc}") from exc
        if not await client.is_user_authorized():
            raise TelegramSetupError(
                "the Telegram session is not logged in (TG_SESSION / TG_SESSION_STRING): "
                "run `uavwatch login` first"
            )
        yield client
    finally:
        await client.disconnect()


async def _ask(prompt: Prompt) -> str:
    value = prompt()
    if inspect.isawaitable(value):
        value = await value
    return str(value).strip()


async def login(
    client: TelegramClient,
    *,
    phone: Prompt,
    code: Prompt,
    password: Prompt,
    attempts: int = 3,
) -> Any:
    """Sign the connected client in: phone, the code Telegram sends, the 2FA password if
    the account has one. Returns the user; raises TelegramSetupError saying what failed."""
    me = await client.get_me()
    if me is not None:
        return me
    number = await _ask(phone)
    try:
        await client.send_code_request(number)
    except (errors.PhoneNumberInvalidError, errors.PhoneNumberBannedError) as exc:
        raise TelegramSetupError(f"Telegram refused the phone number: {exc}") from None
    for _ in range(attempts):
        try:
            return await client.sign_in(number, code=await _ask(code))
        except errors.SessionPasswordNeededError:
            return await _two_step(client, password, attempts)
        except (errors.PhoneCodeInvalidError, errors.PhoneCodeEmptyError):
            continue
        except errors.PhoneCodeExpiredError:
            break
    raise TelegramSetupError("the login code was wrong or expired; run `uavwatch login` again")


async def _two_step(client: TelegramClient, password: Prompt, attempts: int) -> Any:
    for _ in range(attempts):
        try:
            return await client.sign_in(password=await _ask(password))
        except errors.PasswordHashInvalidError:
            continue
    raise TelegramSetupError("the two-step verification password was wrong; try again")


def export_session_string(client: TelegramClient) -> str:
    """The logged-in session as a string for TG_SESSION_STRING (a secret)."""
    return StringSession.save(client.session)
