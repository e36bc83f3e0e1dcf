"""What the sender does when a delivery does not simply go: a FloodWait, a recipient gone,
a lost connection, a failed attempt. Split from the sender's loop so each reads alone.

- FloodWait: the limiter pauses that chat (or everything, when several chats flood at
  once) and the row is kept; a wait of KEEP_FLOOD_WAIT or more is also written down (on
  the chat's queued rows, and in alert_state for a pause of everything), so a restarted
  sender does not send straight into it.
- A gone recipient (blocked, deleted, never started the bot): the subscriber is
  deactivated and their queue dropped, nothing retried.
- No connection: the row is kept (not an attempt) and the sender waits for the bot.
- Anything else: another attempt, with backoff; after MAX_ATTEMPTS the row is parked.
`deliver` runs one row's delivery and maps each of these errors to its setback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.alerts import outbox
from bot.alerts import subscribers as subs
from bot.alerts.delivery import Delivery, Done, Keep, Outcome, Retry, Take
from bot.alerts.ledger import Ledger
from bot.alerts.outbox import DueRow
from bot.alerts.ratelimit import SendLimiter
from bot.alerts.transport import Chat, Disconnected, FloodWait, RecipientGone, SendFailed
from bot.errors import StorageError
from bot.storage import to_iso

log = logging.getLogger("bot.alerts.sender")

# A FloodWait this long or longer is written down, so a restart does not send into it.
KEEP_FLOOD_WAIT = 10.0
NOT_BEFORE_KEY = "sender_not_before"  # everything paused until then (ISO time)
_STAT_OF_STATUS = {
    "sent": "sent", "edited": "edited", "reply": "replies", "held": "held", "muted": "muted",
    "skipped": "skipped", "dropped": "dropped", "parked": "parked",
}  # fmt: skip


@dataclass(slots=True)
class SenderStats:
    sent: int = 0
    edited: int = 0
    replies: int = 0
    held: int = 0
    muted: int = 0
    skipped: int = 0
    dropped: int = 0
    retried: int = 0
    parked: int = 0
    deactivated: int = 0
    flood_waits: int = 0
    disconnects: int = 0

    def count(self, outcome: Outcome) -> None:
        if isinstance(outcome, Done):
            name = _STAT_OF_STATUS[outcome.status]
            setattr(self, name, getattr(self, name) + 1)


class Setbacks:
    """The sender's handling of everything but a plain delivery (see the module docstring).
    `gone`: subscribers deactivated since the sender last read the outbox; `offline`: this
    step found the bot disconnected."""

    def __init__(
        self, limiter: SendLimiter, ledger: Ledger, delivery: Delivery, stats: SenderStats,
        *, clock: Callable[[], float], now: Callable[[], datetime],
    ) -> None:  # fmt: skip
        self._limiter = limiter
        self._ledger = ledger
        self._delivery = delivery
        self._stats = stats
        self._clock = clock
        self._now = now
        self.gone: set[int] = set()
        self.offline = False
        self._down = False  # disconnected since the last message that went (for the log)

    async def deliver(self, row: DueRow, take: Take, *, on_flood: Callable[[], None]) -> Outcome:
        """Deliver one row (in its own task) and turn what went wrong into its setback;
        `on_flood` is told of a FloodWait at once (the sender holds back new sends)."""
        chat = Chat(row.chat_id, row.access_hash, row.is_group)
        try:
            outcome = await self._delivery.deliver(row, chat, take)
        except FloodWait as exc:
            on_flood()
            return self.flood(row, exc.seconds)
        except Disconnected as exc:
            return self.disconnected(str(exc))
        except RecipientGone as exc:
            return self.recipient_gone(row, str(exc))
        except SendFailed as exc:
            return self.failed(row, str(exc))
        except StorageError:
            raise
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # the sender cancelled it (a forced stop)
            # Telethon cancelled the request under us: the connection was shut down
            return self.disconnected("the request was cancelled by a disconnect")
        except Exception as exc:  # a bug with this one row must not stop every alert
            log.warning("outbox row %s failed unexpectedly", row.id, exc_info=True)
            return self.failed(row, f"{type(exc).__name__}: {exc}")
        self._stats.count(outcome)
        self.went()
        return outcome

    def flood(self, row: DueRow, seconds: float) -> Outcome:
        self._stats.flood_waits += 1
        everything = self._limiter.flood_wait(row.chat_id, seconds, self._clock())
        log.warning(
            "FloodWait %g s after a message to chat %s: pausing %s",
            seconds, row.chat_id, "all sending" if everything else "that chat",
        )  # fmt: skip
        if seconds >= KEEP_FLOOD_WAIT:
            self._keep_wait(row, seconds, everything=everything)
        return Keep()

    def _keep_wait(self, row: DueRow, seconds: float, *, everything: bool) -> None:
        until = self._now() + timedelta(seconds=seconds)
        self._ledger.add(outbox.delay_statement(row.subscriber_id, until))
        if everything:
            self._ledger.add(
                (
                    "INSERT OR REPLACE INTO alert_state (name, value) VALUES (?, ?)",
                    (NOT_BEFORE_KEY, to_iso(until)),
                )
            )

    def disconnected(self, reason: str) -> Outcome:
        if not self._down:
            self._stats.disconnects += 1
            log.warning("the bot is not connected (%s): sending waits for it", reason)
        self.offline = self._down = True
        return Keep()

    def went(self) -> None:
        """A message went (so the connection is back, if it was gone)."""
        if self._down:
            self._down = False
            log.info("the bot is connected again: sending")

    def recipient_gone(self, row: DueRow, reason: str) -> Outcome:
        """Deactivate the subscriber and drop their queue (after the marks before it)."""
        now = self._now()
        self._ledger.add(subs.deactivate_statement(row.subscriber_id, reason, now))
        self._ledger.add(outbox.drop_pending_statement(row.subscriber_id, reason, now), row.id)
        self._ledger.gone(row.subscriber_id)
        self.gone.add(row.subscriber_id)
        self._stats.deactivated += 1
        self._stats.dropped += 1
        log.info("subscriber %s deactivated: %s", row.subscriber_id, reason)
        return Done("dropped")

    def failed(self, row: DueRow, reason: str) -> Outcome:
        parked, seconds = self._delivery.retry_or_park(row, reason)
        if parked:
            self._stats.parked += 1
            log.warning(
                "outbox row %s parked after %s attempts: %s", row.id, row.attempts + 1, reason
            )
            return Done("parked")
        self._stats.retried += 1
        return Retry(seconds)
