"""Value objects that travel between the stages.

Every source (Telethon live, backfill, web preview, Desktop export, replay file) emits the
same three events, so the pipeline has one entry point and no source-specific branches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class Source(StrEnum):
    """Where a post came from; stored with the post for provenance."""

    LIVE = "live"
    BACKFILL = "backfill"
    WEBPREVIEW = "webpreview"
    IMPORT = "import"
    REPLAY = "replay"


class Label(StrEnum):
    UAV_INCIDENT = "uav_incident"
    UAV_THREAT = "uav_threat"
    OTHER_ATTACK = "other_attack"
    NOT_RELEVANT = "not_relevant"


@dataclass(frozen=True, slots=True)
class Post:
    """One channel message as a source saw it.

    `channel` is the public username without "@" (lower-cased) when known; `channel_id` is
    Telegram's numeric channel id when known. Web-preview pages give only the username and
    Desktop exports only the id, so at least one of the two is set. `date` and `edited_at`
    are timezone-aware UTC.
    """

    channel: str | None
    channel_id: int | None
    message_id: int
    date: datetime
    text: str
    source: Source
    edited_at: datetime | None = None
    views: int | None = None
    forwards: int | None = None
    replies: int | None = None
    media_kind: str | None = None
    entities: tuple[dict[str, Any], ...] = ()
    channel_title: str | None = None

    def __post_init__(self) -> None:
        if self.channel is None and self.channel_id is None:
            raise ValueError("a Post needs a channel username or a channel id")
        if self.date.tzinfo is None:
            raise ValueError("Post.date must be timezone-aware (UTC)")

    @property
    def permalink(self) -> str | None:
        """Public link; private/id-only channels use the t.me/c/ form."""
        if self.channel:
            return f"https://t.me/{self.channel}/{self.message_id}"
        if self.channel_id is not None:
            return f"https://t.me/c/{self.channel_id}/{self.message_id}"
        return None


@dataclass(frozen=True, slots=True)
class NewPost:
    post: Post


@dataclass(frozen=True, slots=True)
class EditedPost:
    post: Post


@dataclass(frozen=True, slots=True)
class DeletedPost:
    channel: str | None
    channel_id: int | None
    message_ids: tuple[int, ...]
    deleted_at: datetime
    source: Source


PostEvent = NewPost | EditedPost | DeletedPost


@dataclass(frozen=True, slots=True)
class Region:
    """A canonical region: a Russian federal subject, a Ukrainian oblast or a city of its own.

    `code` is ISO 3166-2 where one exists (RU-SMO, UA-63); Crimea and Sevastopol keep the
    Ukrainian ISO codes (UA-43, UA-40) because those are the only ISO codes that exist for
    them; the names say what the source calls them.
    """

    code: str
    name_ru: str
    name_uk: str
    name_en: str
    country: str  # "RU" or "UA" (the ISO code's prefix), or another ISO country


class Evidence(NamedTuple):
    """A matched span and the rule that matched it: the answer to "why this label?".

    A NamedTuple, not a frozen dataclass: the classifier makes several per post, and a frozen
    dataclass costs about three times as much to create."""

    rule: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class TimeWindow:
    start: datetime | None
    end: datetime | None
    text: str


@dataclass(frozen=True, slots=True)
class Classification:
    label: Label
    confidence: float
    lang: str
    classifier_version: str
    threat_state: str | None = None  # "start" | "end" for uav_threat
    drones_destroyed: int | None = None
    drones_launched: int | None = None
    outcome: frozenset[str] = frozenset()
    weapons: frozenset[str] = frozenset()
    regions: tuple[Region, ...] = ()
    places: tuple[str, ...] = ()
    casualties: str | None = None  # "none" | "injured" | "killed"
    killed: int | None = None
    injured: int | None = None
    damage: str | None = None  # "none" | "yes"
    time_window: TimeWindow | None = None
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)

    @property
    def is_incident(self) -> bool:
        return self.label is Label.UAV_INCIDENT

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the `classify --jsonl` output and the stored `fields` column."""
        tw = self.time_window
        return {
            "label": self.label.value,
            "confidence": round(self.confidence, 3),
            "lang": self.lang,
            "threat_state": self.threat_state,
            "drones_destroyed": self.drones_destroyed,
            "drones_launched": self.drones_launched,
            "outcome": sorted(self.outcome),
            "weapons": sorted(self.weapons),
            "regions": [
                {"code": r.code, "name_ru": r.name_ru, "name_uk": r.name_uk, "name_en": r.name_en}
                for r in self.regions
            ],
            "places": list(self.places),
            "casualties": self.casualties,
            "killed": self.killed,
            "injured": self.injured,
            "damage": self.damage,
            "time_window": None
            if tw is None
            else {
                "start": tw.start.isoformat() if tw.start else None,
                "end": tw.end.isoformat() if tw.end else None,
                "text": tw.text,
            },
            "classifier_version": self.classifier_version,
        }
