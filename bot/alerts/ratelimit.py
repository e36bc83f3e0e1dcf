"""Token buckets for Telegram's bot limits, and FloodWait pauses. Pure: time is an argument.

Telegram's Bot FAQ ("My bot is hitting limits, how do I avoid this?"): about 30 messages
per second overall, no more than one message per second to one chat, no more than 20
messages per minute to one group. Breaking them earns FloodWait errors. A bucket of
capacity C refilled at r tokens/s lets through at most C + r·T messages in any window of T
seconds, so the capacities below keep every window under Telegram's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Global: SEND_RATE (<= MAX_SEND_RATE) per second plus a burst of 2 stays <= 30 in any second.
GLOBAL_BURST = 2.0
MAX_SEND_RATE = 28.0
# Per chat: 1 message per second, no burst (Telegram counts 1/s per chat).
CHAT_INTERVAL = 1.0
# Per group: 20 per minute; 19 refilled per minute + 1 in the bucket = at most 20 per minute.
GROUP_PER_MINUTE = 20
# FloodWaits in this many different chats within FLOOD_SPREAD seconds mean the bot as a whole
# is over the limit, not one chat: then everything pauses, not just those chats.
FLOOD_CHATS_FOR_GLOBAL = 2
FLOOD_SPREAD = 1.0
# Refill arithmetic in floats leaves 0.9999999999 tokens where 1 was meant: count that as 1.
_EPSILON = 1e-9
# Idle per-chat buckets are full again after this long; forgetting them bounds memory.
_FORGET_AFTER = 120.0


@dataclass(slots=True)
class TokenBucket:
    """`rate` tokens per second up to `capacity`; starts full."""

    rate: float
    capacity: float
    tokens: float = 0.0
    stamp: float | None = None  # None: never used, so full

    def _refill(self, now: float) -> None:
        if self.stamp is None:
            self.tokens, self.stamp = self.capacity, now
            return
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0.0: now)."""
        self._refill(now)
        if self.tokens >= 1.0 - _EPSILON:
            return 0.0
        return (1.0 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        """Spend one token (may go negative: a reservation the next callers wait out)."""
        self._refill(now)
        self.tokens -= 1.0

    def give_back(self, now: float) -> None:
        """Return a token taken for a message that did not go (never above capacity)."""
        self._refill(now)
        self.tokens = min(self.capacity, self.tokens + 1.0)

    def idle_since(self, now: float) -> float:
        return now - (self.stamp if self.stamp is not None else now)


@dataclass(slots=True)
class SendLimiter:
    """Every limit a message must pass: global, its chat, its group, and FloodWait pauses."""

    rate: float = 25.0
    ceiling: float = MAX_SEND_RATE  # the highest rate accepted; a bench may lift it
    _global: TokenBucket = field(init=False)
    _chats: dict[int, TokenBucket] = field(default_factory=dict)
    _groups: dict[int, TokenBucket] = field(default_factory=dict)
    _paused: dict[int | None, float] = field(default_factory=dict)  # None: everything
    _floods: list[tuple[float, int]] = field(default_factory=list)
    flood_waits: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.rate <= self.ceiling:
            raise ValueError(f"send rate must be in (0, {self.ceiling:g}] messages per second")
        self._global = TokenBucket(self.rate, GLOBAL_BURST)

    def _chat(self, chat: int) -> TokenBucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            bucket = self._chats[chat] = TokenBucket(1.0 / CHAT_INTERVAL, 1.0)
        return bucket

    def _group(self, chat: int) -> TokenBucket:
        bucket = self._groups.get(chat)
        if bucket is None:
            bucket = self._groups[chat] = TokenBucket((GROUP_PER_MINUTE - 1) / 60.0, 1.0)
        return bucket

    def global_wait(self, now: float) -> float:
        return max(self._global.wait(now), self._paused.get(None, now) - now, 0.0)

    def chat_wait(self, chat: int, is_group: bool, now: float) -> float:
        waits = [self._chat(chat).wait(now), self._paused.get(chat, now) - now, 0.0]
        if is_group:
            waits.append(self._group(chat).wait(now))
        return max(waits)

    def wait(self, chat: int, is_group: bool, now: float) -> float:
        """Seconds until a message to `chat` may go (0.0: now)."""
        return max(self.global_wait(now), self.chat_wait(chat, is_group, now))

    def take(self, chat: int, is_group: bool, now: float) -> None:
        """Count a message handed to Telegram (call when `wait` said 0, or to reserve)."""
        self._global.take(now)
        self.take_chat(chat, is_group, now)

    def take_global(self, now: float) -> None:
        self._global.take(now)

    def take_chat(self, chat: int, is_group: bool, now: float) -> None:
        self._chat(chat).take(now)
        if is_group:
            self._group(chat).take(now)

    def give_back_global(self, now: float) -> None:
        """Undo a `take_global` whose message did not go (skipped, muted, held)."""
        self._global.give_back(now)

    def flood_wait(self, chat: int, seconds: float, now: float) -> bool:
        """Telegram said wait `seconds` after a message to `chat`: pause that chat, and
        everything when several chats flooded at once. Returns True if everything paused."""
        self.flood_waits += 1
        until = now + seconds
        self._paused[chat] = max(self._paused.get(chat, now), until)
        self._floods = [(t, c) for t, c in self._floods if now - t <= FLOOD_SPREAD]
        self._floods.append((now, chat))
        if len({c for _, c in self._floods}) >= FLOOD_CHATS_FOR_GLOBAL:
            self._paused[None] = max(self._paused.get(None, now), until)
            return True
        return False

    def pause_all(self, seconds: float, now: float) -> None:
        """Nothing goes for `seconds` (a pause of everything remembered across a restart)."""
        self._paused[None] = max(self._paused.get(None, now), now + seconds)

    def forget_idle(self, now: float) -> None:
        """Drop buckets idle long enough to be full again, and pauses that are over."""
        for table in (self._chats, self._groups):
            for chat in [c for c, b in table.items() if b.idle_since(now) > _FORGET_AFTER]:
                del table[chat]
        for scope in [s for s, until in self._paused.items() if until <= now]:
            del self._paused[scope]


@dataclass(slots=True)
class Reservation:
    """One message's global token, taken when its send starts, before the send has read
    what it needs: sends in flight at once cannot all pass the same check and overdraw the
    bucket. The chat's own tokens are taken when the message is handed to Telegram (`use`):
    only one send per chat is in flight, so nothing can overdraw them meanwhile, and the
    chat's second is counted from the moment the message really went. A second message of
    the same row (a reply after a refused edit) takes all its tokens then; `release` gives
    back a reservation never used (the row was skipped, muted or held)."""

    limiter: SendLimiter
    chat: int
    is_group: bool
    unused: bool = True

    @classmethod
    def start(cls, limiter: SendLimiter, chat: int, is_group: bool, now: float) -> Reservation:
        limiter.take_global(now)
        return cls(limiter, chat, is_group)

    def use(self, now: float) -> None:
        if self.unused:
            self.unused = False
            self.limiter.take_chat(self.chat, self.is_group, now)
        else:
            self.limiter.take(self.chat, self.is_group, now)

    def release(self, now: float) -> None:
        if self.unused:
            self.unused = False
            self.limiter.give_back_global(now)


@dataclass(slots=True)
class CommandLimiter:
    """Per-user command budget against abuse: `per_minute` commands, refilled evenly.

    `check` answers "allow", "warn" (the first refusal: tell the user once) or "drop".
    """

    per_minute: int = 20
    _users: dict[int, TokenBucket] = field(default_factory=dict)
    _warned: set[int] = field(default_factory=set)

    def check(self, user: int, now: float) -> str:
        bucket = self._users.get(user)
        if bucket is None:
            bucket = self._users[user] = TokenBucket(self.per_minute / 60.0, self.per_minute)
        if bucket.wait(now) == 0.0:
            bucket.take(now)
            self._warned.discard(user)
            return "allow"
        if user in self._warned:
            return "drop"
        self._warned.add(user)
        return "warn"
