"""Is a new post the same incident as a recent alert? Pure, so the rules are testable alone.

Governors, the ministry and aggregators often report one incident within minutes of each
other. Subscribers want one message with every source, not three. Within `DEDUP_WINDOW`,
a post from ANOTHER channel joins an alert of the same label and threat state when either
- the regions and counts are the same (the same facts in other words), or
- the text is near-identical (a relayed post) and the facts agree: the same regions, and
  destroyed/launched equal wherever both posts state them.
A post from a channel that is already a source of the alert never joins it as "another
source": channels repeat their templates for every wave ("уничтожены 3 ..." then
"уничтожены 2 ..."), so the same channel again is a new alert, unless it is a repost (the
near-identical text with agreeing facts within `REPOST_WINDOW`), which is skipped.
An alert is superseded once the opposite threat state followed it (an all-clear after a
threat, a new threat after an all-clear, in overlapping regions): nothing joins it after
that, so a threat declared again is a new alert and the chat's last message is current.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.models import Classification, Label

# Word-set Jaccard at or above this is "the same text": a repost with a prefix ("Губернатор:")
# or a signature changed stays above it; two different MoD reports share about half their words.
NEAR_IDENTICAL = 0.85
# A channel posting the same report again this soon is repeating itself (a repost, a
# forward to its own feed), not reporting a new wave.
REPOST_WINDOW = timedelta(minutes=5)
NORM_TEXT_CHARS = 2000
# Words of two letters or more, and every number (a single digit is a count: "уничтожены 3").
_WORD = re.compile(r"\w{2,}|\d")
_URL = re.compile(r"https?://\S+|t\.me/\S+")


@dataclass(frozen=True, slots=True)
class Report:
    """The facts of one post, or of the post that raised an alert."""

    label: Label
    threat_state: str | None
    regions: frozenset[str]
    destroyed: int | None
    launched: int | None
    norm_text: str
    posted_at: datetime
    channels: frozenset[str]  # the post's channel; for an alert, every source's channel


@dataclass(frozen=True, slots=True)
class Candidate:
    """A recent alert that a new post may join."""

    alert_id: int
    report: Report
    active: bool = True


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The alert a new post repeats. `repost`: the same channel again (skip the post, it
    adds no source); otherwise another channel (add it as a source)."""

    alert_id: int
    repost: bool = False


def normalize_text(text: str) -> str:
    """Lower-case words and numbers only (links dropped, ё as е): what near-identity compares."""
    lowered = _URL.sub(" ", text.lower().replace("ё", "е"))
    return " ".join(_WORD.findall(lowered))[:NORM_TEXT_CHARS]


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' word sets (0 when either is empty)."""
    wa, wb = set(a.split()), set(b.split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def report_of(c: Classification, text: str, posted_at: datetime, channel: str | None) -> Report:
    return Report(
        label=c.label,
        threat_state=c.threat_state,
        regions=frozenset(r.code for r in c.regions),
        destroyed=c.drones_destroyed,
        launched=c.drones_launched,
        norm_text=normalize_text(text),
        posted_at=posted_at,
        channels=frozenset({channel.lower()}) if channel else frozenset(),
    )


def _agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


def _facts_agree(new: Report, old: Report) -> bool:
    """Nothing contradicts: same regions, counts equal wherever both state them."""
    return (
        new.regions == old.regions
        and _agree(new.destroyed, old.destroyed)
        and _agree(new.launched, old.launched)
    )


def _same_facts(new: Report, old: Report) -> bool:
    """The same stated facts, in whatever words: regions named, counts equal (or both absent)."""
    return (
        bool(new.regions)
        and new.regions == old.regions
        and new.destroyed == old.destroyed
        and new.launched == old.launched
    )


def _near_identical(new: Report, old: Report) -> bool:
    return similarity(new.norm_text, old.norm_text) >= NEAR_IDENTICAL and _facts_agree(new, old)


def same_incident(new: Report, old: Report, window: timedelta) -> Duplicate | None:
    """Does `new` repeat the alert `old` (ignoring supersession)? See the module docstring."""
    if new.label != old.label or new.threat_state != old.threat_state:
        return None
    gap = abs(new.posted_at - old.posted_at)
    if gap > window:
        return None
    if new.channels & old.channels:  # the same channel: a repost, or a new report
        repost = gap <= REPOST_WINDOW and _near_identical(new, old)
        return Duplicate(0, repost=True) if repost else None
    if _near_identical(new, old) or _same_facts(new, old):
        return Duplicate(0)
    return None


def _superseded(c: Candidate, others: Sequence[Candidate], until: datetime) -> bool:
    """Did the opposite threat state follow this alert (before `until`, in its regions)?"""
    state = c.report.threat_state
    if state is None:
        return False
    for o in others:
        r = o.report
        later = c.report.posted_at < r.posted_at <= until
        overlap = not r.regions or not c.report.regions or bool(r.regions & c.report.regions)
        if o.active and later and overlap and r.threat_state not in (None, state):
            return True
    return False


def find_duplicate(
    new: Report, candidates: Iterable[Candidate], window: timedelta
) -> Duplicate | None:
    """The earliest active, not superseded alert `new` repeats, or None."""
    pool = list(candidates)
    hits: list[tuple[datetime, int, bool]] = []
    for c in pool:
        if not c.active or _superseded(c, pool, new.posted_at):
            continue
        found = same_incident(new, c.report, window)
        if found is not None:
            hits.append((c.report.posted_at, c.alert_id, found.repost))
    if not hits:
        return None
    _, alert_id, repost = min(hits)
    return Duplicate(alert_id, repost)
