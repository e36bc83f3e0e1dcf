"""Which subscribers an alert is for. Pure: subscriptions and facts in, subscriber ids out.

A subscription names regions (ISO codes, or "*" for every region), kinds (the labels it
wants: incidents by default, threats and other attacks on request) and optionally channels
(empty: any watched channel). An alert matches when its label is a wanted kind, one of its
sources is a wanted channel (if any are named), and its regions meet the subscription's.
An alert whose post names no region reaches only "all regions" subscribers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.models import Label

ALL_REGIONS = "*"
ALERT_LABELS = (Label.UAV_INCIDENT, Label.UAV_THREAT, Label.OTHER_ATTACK)
DEFAULT_KINDS = frozenset({Label.UAV_INCIDENT})

# What a subscriber may type for a kind, in each language, -> the label.
KIND_WORDS: dict[str, Label] = {
    "incidents": Label.UAV_INCIDENT,
    "incident": Label.UAV_INCIDENT,
    "инциденты": Label.UAV_INCIDENT,
    "атаки": Label.UAV_INCIDENT,
    "інциденти": Label.UAV_INCIDENT,
    "threats": Label.UAV_THREAT,
    "threat": Label.UAV_THREAT,
    "угрозы": Label.UAV_THREAT,
    "загрози": Label.UAV_THREAT,
    "other": Label.OTHER_ATTACK,
    "other_attacks": Label.OTHER_ATTACK,
    "другие": Label.OTHER_ATTACK,
    "інші": Label.OTHER_ATTACK,
}


@dataclass(frozen=True, slots=True)
class Subscription:
    """Everything one subscriber follows."""

    subscriber_id: int
    regions: frozenset[str]
    kinds: frozenset[Label] = DEFAULT_KINDS
    channels: frozenset[str] = frozenset()  # lower-case usernames; empty: any channel


@dataclass(frozen=True, slots=True)
class AlertFacts:
    """What matching needs to know about an alert."""

    label: Label
    regions: frozenset[str]
    channels: frozenset[str]  # lower-case usernames of its sources


def matches(sub: Subscription, facts: AlertFacts) -> bool:
    if facts.label not in sub.kinds:
        return False
    if sub.channels and not sub.channels & facts.channels:
        return False
    return ALL_REGIONS in sub.regions or bool(sub.regions & facts.regions)


def match(subs: Iterable[Subscription], facts: AlertFacts) -> list[int]:
    """Ids of the subscribers `facts` is for, in the order given."""
    return [s.subscriber_id for s in subs if matches(s, facts)]


@lru_cache(maxsize=64)
def parse_kinds(stored: str) -> frozenset[Label]:
    """The `subscribers.kinds` column ("uav_incident,uav_threat") -> labels; junk ignored.
    Cached: a fan-out parses the same few values for every subscriber."""
    wanted = {part.strip() for part in stored.split(",")}
    return frozenset(label for label in ALERT_LABELS if label.value in wanted)


def kinds_column(kinds: Iterable[Label]) -> str:
    """Labels -> the stored column, in a fixed order."""
    chosen = set(kinds)
    return ",".join(label.value for label in ALERT_LABELS if label in chosen)
