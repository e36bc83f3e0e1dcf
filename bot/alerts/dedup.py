"""Is a new post the same incident as a recent alert? Pure, so the rules are testable alone.

Governors, the ministry and aggregators often report one incident within minutes of each
other. Subscribers want one message with every source, not three. Two reports are the same
incident when, within `DEDUP_WINDOW` of each other, they have the same label (and threat
state), and either the same regions and counts from different channels, or near-identical
text (a repost; from the same channel too). A channel repeating the same facts in new words
may be reporting a new wave, so that alone does not merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.models import Classification, Label

# Word-set Jaccard at or above this is "the same text": a repost with a prefix ("Губернатор:")
# or a signature changed stays above it; two different MoD reports share about half their words.
NEAR_IDENTICAL = 0.85
NORM_TEXT_CHARS = 2000
_WORD = re.compile(r"\w{2,}")
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


def normalize_text(text: str) -> str:
    """Lower-case words only (links dropped, ё as е): what near-identity compares."""
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


def same_incident(new: Report, old: Report, window: timedelta) -> bool:
    if new.label != old.label or new.threat_state != old.threat_state:
        return False
    if abs(new.posted_at - old.posted_at) > window:
        return False
    if similarity(new.norm_text, old.norm_text) >= NEAR_IDENTICAL:
        return True
    other_channel = not (new.channels & old.channels)
    same_facts = (
        bool(new.regions)
        and new.regions == old.regions
        and new.destroyed == old.destroyed
        and new.launched == old.launched
    )
    return other_channel and same_facts


def find_duplicate(new: Report, candidates: Iterable[Candidate], window: timedelta) -> int | None:
    """The earliest active alert `new` repeats, or None."""
    hits = [c for c in candidates if c.active and same_incident(new, c.report, window)]
    if not hits:
        return None
    return min(hits, key=lambda c: (c.report.posted_at, c.alert_id)).alert_id
