"""Which subscribers an alert is for. Pure: subscriptions and facts in, subscriber ids out.

A subscription names regions (ISO codes, or "*" for every region), kinds (the labels it
wants: incidents by default, threats and other attacks on request) and optionally channels
(empty: any watched channel). An alert matches when its label is a wanted kind, one of its
sources is a wanted channel (if any are named), and its regions meet the subscription's.
An alert whose post names no region reaches only "all regions" subscribers.

`split_kinds` reads the kinds a subscriber typed (`/subscribe Курск другие атаки`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.models import Label

ALL_REGIONS = "*"
ALERT_LABELS = (Label.UAV_INCIDENT, Label.UAV_THREAT, Label.OTHER_ATTACK)
DEFAULT_KINDS = frozenset({Label.UAV_INCIDENT})

# What a subscriber may type for a kind, in each language, -> the label. Phrases of several
# words are matched whole and before their parts, so "другие атаки" is other attacks only.
# A bare "атаки"/"attacks" means drone attacks, i.e. incidents (the default kind): that is
# what the subscribers of a drone monitor mean by it, and /help says so.
KIND_PHRASES: dict[str, Label] = {
    "incidents": Label.UAV_INCIDENT,
    "incident": Label.UAV_INCIDENT,
    "attacks": Label.UAV_INCIDENT,
    "инциденты": Label.UAV_INCIDENT,
    "инцидент": Label.UAV_INCIDENT,
    "атаки": Label.UAV_INCIDENT,  # also Ukrainian
    "інциденти": Label.UAV_INCIDENT,
    "інцидент": Label.UAV_INCIDENT,
    "threats": Label.UAV_THREAT,
    "threat": Label.UAV_THREAT,
    "угрозы": Label.UAV_THREAT,
    "угроза": Label.UAV_THREAT,
    "загрози": Label.UAV_THREAT,
    "загроза": Label.UAV_THREAT,
    "other": Label.OTHER_ATTACK,
    "other attacks": Label.OTHER_ATTACK,
    "other_attacks": Label.OTHER_ATTACK,
    "другие": Label.OTHER_ATTACK,
    "другие атаки": Label.OTHER_ATTACK,
    "інші": Label.OTHER_ATTACK,
    "інші атаки": Label.OTHER_ATTACK,
}
_LONGEST_PHRASE = max(len(p.split()) for p in KIND_PHRASES)
# Next to a kind these are skipped: "угрозы и другие атаки", "Kursk and threats".
_JOINERS = frozenset({"and", "и", "і", "й", "та", "&", "+"})


def _kind_at(words: list[str], at_end: bool) -> tuple[Label, int] | None:
    """The longest kind phrase at the end (or start) of `words` and its length in words."""
    for n in range(min(_LONGEST_PHRASE, len(words)), 0, -1):
        part = words[-n:] if at_end else words[:n]
        label = KIND_PHRASES.get(" ".join(part).lower())
        if label is not None:
            return label, n
    return None


def _strip_kinds(words: list[str], at_end: bool) -> tuple[list[str], set[Label]]:
    kinds: set[Label] = set()
    while words:
        edge = -1 if at_end else 0
        if kinds and words[edge].lower() in _JOINERS:  # "Курск и угрозы", "угрозы и атаки"
            words = words[:-1] if at_end else words[1:]
            continue
        found = _kind_at(words, at_end)
        if found is None:
            break
        label, n = found
        kinds.add(label)
        words = words[:-n] if at_end else words[n:]
    return words, kinds


def split_kinds(text: str) -> tuple[str, frozenset[Label]]:
    """ "Курск другие атаки" -> ("Курск", {other_attack}): kind phrases are taken off the
    end (then the start), longest phrase first; what is left is the region, as typed."""
    words = text.replace(",", " ").split()
    words, tail = _strip_kinds(words, at_end=True)
    words, head = _strip_kinds(words, at_end=False)
    return " ".join(words), frozenset(tail | head)


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
