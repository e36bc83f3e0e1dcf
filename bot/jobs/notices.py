"""Notices to administrators: one outbox row (purpose 'notice') per admin, in their language.

An admin is a Telegram user id in ADMIN_IDS; the bot can write to them only after they
have /started it (Telegram forbids bots to open a chat), so the others are logged.
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
