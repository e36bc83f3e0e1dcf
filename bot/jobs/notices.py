"""Notices to administrators: one outbox row (purpose 'notice') per admin, in their language.

An admin is a Telegram user id in ADMIN_IDS; the bot can write to them only after they
have /started it (Telegram forbids bots to open a chat), so the others are logged.
Without a bot (no TG_BOT_TOKEN) nothing is queued: rows nobody sends would go out in a
burst, stale, the day a token is set. The notice is then only logged (`Notifier`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

import aiosqlite

from bot.alerts.outbox import NOTICE_PRIORITY
from bot.jobs import store
from bot.jobs.texts import jt

log = logging.getLogger(__name__)

Values = Callable[[str], Mapping[str, object]]  # language -> the text's values


async def notify_admins(
    conn: aiosqlite.Connection,
    admin_ids: Iterable[int],
    key: str,
    values: Values,
    now: datetime,
) -> int:
    """Queue the notice `key` for every admin who can be messaged; returns how many."""
    admins, missing = await store.admin_recipients(conn, admin_ids)
    rows = [(a.subscriber_id, str(jt(a.lang, key, **values(a.lang)))) for a in admins]
    await store.enqueue_notices(conn, rows, NOTICE_PRIORITY, now)
    english = jt("en", key, **values("en"))
    if missing:
        log.warning(
            "cannot tell admin(s) %s (never /started the bot, or blocked it): %s",
            ", ".join(map(str, missing)), english,
        )  # fmt: skip
    log.info("notice to %d admin(s): %s", len(rows), english)
    return len(rows)


class Notifier:
    """Where the service's notices go: the admins' outbox when the bot runs, else the log
    (said once at the first notice, then each notice as a warning)."""

    def __init__(self, admin_ids: Iterable[int], *, bot: bool) -> None:
        self.admin_ids = tuple(admin_ids)
        self.bot = bot
        self._said = False

    async def notify(
        self, conn: aiosqlite.Connection, key: str, values: Values, now: datetime
    ) -> int:
        """Queue `key` for the admins (in the caller's transaction); 0 without a bot."""
        if self.bot:
            return await notify_admins(conn, self.admin_ids, key, values, now)
        if not self._said:
            self._said = True
            log.info("no bot (TG_BOT_TOKEN not set): admin notices are only logged")
        log.warning("admin notice (not sent, no bot): %s", jt("en", key, **values("en")))
        return 0
