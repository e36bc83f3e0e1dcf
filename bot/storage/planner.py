"""Deciding what a batch of post events does, in memory, before any row is written.

Each event sees the effect of the ones before it in the batch (a post created and edited in
the same batch comes out right); the rows are collected and written by `flush`, one
`executemany` per table. No I/O here except `flush`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.models import Classification, DeletedPost, EditedPost, Label, Post, PostEvent
from bot.storage.bulk import storable
from bot.storage.channels import ChannelInfo
from bot.storage.classifications import (
    FIELDS_JSON,
    ClassificationRow,
    classification_from_fields,
    edit_flags,
    upsert_classifications,
)
from bot.storage.posts import PostWrites, StoredPost, write_posts
from bot.storage.times import to_iso

NEW, DUPLICATE, EDITED, UNCHANGED, DELETED, UNKNOWN_POST = (
    "new", "duplicate", "edited", "unchanged", "deleted", "unknown_post",
)  # fmt: skip


# label, confidence, drones_destroyed, drones_launched, casualties, damage
VerdictColumns = tuple[str, float, int | None, int | None, str | None, str | None]


class Verdict:
    """A classification as the planner needs it: the `classifications` row's columns
    (label, confidence, drones_destroyed, drones_launched, casualties, damage), the region
    codes and the `fields` JSON, computed once.

    The `Classification` object is built from `fields` only when someone asks (an edit's
    flags, the alert stage's results): a verdict computed in a worker process travels as
    these plain values (see `__reduce__`), because pickling the object costs more than the
    rest of its trip. A rebuilt one has no evidence spans, like one loaded from the archive.
    """

    __slots__ = ("_classification", "columns", "fields", "region_codes", "used")

    def __init__(
        self,
        fields: str,
        columns: VerdictColumns,
        region_codes: tuple[str, ...],
        classification: Classification | None = None,
    ) -> None:
        self.fields = fields
        self.columns = columns
        self.region_codes = region_codes
        self._classification = classification
        # Set when the planner stores it: a source that judges ahead sees whether its work
        # is used (new posts) or wasted (repeats of stored ones) and can stop.
        self.used = False

    def __reduce__(self) -> tuple[type[Verdict], tuple[object, ...]]:
        return Verdict, (self.fields, self.columns, self.region_codes)

    @property
    def is_incident(self) -> bool:
        return self.columns[0] == Label.UAV_INCIDENT.value

    @property
    def classification(self) -> Classification:
        c = self._classification
        if c is None:
            c = classification_from_fields(self.fields)
            confidence = self.columns[1]
            if c.confidence != confidence:  # `fields` rounds it; the column does not
                c = dataclasses.replace(c, confidence=confidence)
            self._classification = c
        return c


def verdict_of(c: Classification, version: str) -> Verdict:
    """The verdict to store for `c` under classifier `version` (the one the batch writes,
    which `fields` always names)."""
    fields = c.to_dict()
    if c.classifier_version != version:
        c = dataclasses.replace(c, classifier_version=version)
        fields["classifier_version"] = version
    columns: VerdictColumns = (
        c.label.value, c.confidence, c.drones_destroyed, c.drones_launched, c.casualties,
        c.damage,
    )  # fmt: skip
    codes = tuple(dict.fromkeys(r.code for r in c.regions))
    return Verdict(FIELDS_JSON.encode(fields), columns, codes, c)


Judge = Callable[[Post, ChannelInfo], Verdict]


@dataclass(slots=True)
class PostState:
    """A post as it stands after the events so far in this batch."""

    stored: StoredPost
    post: Post | None = None  # set for posts first stored in this batch (the insert row)
    permalink: str | None = None
    verdict: Verdict | None = None  # set when the classification changed: a row to store
    text_dirty: bool = False
    deleted_dirty: bool = False
    loaded: Classification | None = None  # the stored current one, once parsed

    def current(self) -> Classification | None:
        """The current classification; parsed from the stored JSON only when asked."""
        if self.verdict is not None:
            return self.verdict.classification
        if self.loaded is None and self.stored.current_fields is not None:
            self.loaded = classification_from_fields(self.stored.current_fields)
        return self.loaded


@dataclass(slots=True)
class Outcome:
    kind: str
    channel_pk: int | None
    message_id: int
    state: PostState | None
    previous: Classification | None = None
    new_incident: bool = False
    correction: bool = False


def is_stale(is_edit: bool, event_edited: str | None, stored_edited: str | None) -> bool:
    """Older than what we hold? A re-imported export or a late backfill must not roll an
    edited post back. An edit event without a date (live, in order) is never stale."""
    if stored_edited is None:
        return False
    if event_edited is None:
        return not is_edit
    return event_edited <= stored_edited


def permalink(ch: ChannelInfo, message_id: int) -> str | None:
    if ch.username:
        return f"https://t.me/{ch.username}/{message_id}"
    if ch.telegram_id is not None:
        return f"https://t.me/c/{ch.telegram_id}/{message_id}"
    return None


class Planner:
    def __init__(
        self,
        judge: Judge,
        version: str,
        now_iso: str,
        states: dict[tuple[int, int], PostState],
        next_id: int,
    ) -> None:
        self._judge = judge
        self._version = version
        self._now = now_iso
        self._states = states
        self.next_id = next_id
        self._versions: list[tuple[int, int, str, str | None, str]] = []

    def run(
        self,
        resolved: Sequence[tuple[PostEvent, ChannelInfo | None]],
        guesses: Mapping[int, Verdict],
    ) -> list[Outcome]:
        """Apply the events in order; `guesses[i]` is event i's verdict if computed ahead."""
        outcomes: list[Outcome] = []
        for i, (ev, ch) in enumerate(resolved):
            if isinstance(ev, DeletedPost):
                outcomes.extend(self._delete(ev, ch))
            else:
                assert ch is not None
                is_edit = isinstance(ev, EditedPost)
                outcomes.append(self._post(ev.post, ch, is_edit, guesses.get(i)))
        return outcomes

    def _post(self, post: Post, ch: ChannelInfo, is_edit: bool, guess: Verdict | None) -> Outcome:
        key = (ch.pk, post.message_id)
        st = self._states.get(key)
        if st is None:
            verdict = guess or self._judge(post, ch)
            verdict.used = True
            st = self._states[key] = self._create(post, ch, verdict)
            return Outcome(NEW, ch.pk, post.message_id, st, None, verdict.is_incident)
        edited = to_iso(post.edited_at) if post.edited_at is not None else None
        s, text = st.stored, storable(post.text)
        if text == s.text or is_stale(is_edit, edited, s.edited_at):
            return Outcome(UNCHANGED if is_edit else DUPLICATE, ch.pk, post.message_id, st)
        previous = st.current()
        verdict = guess or self._judge(post, ch)
        verdict.used = True
        s.text, s.edited_at, s.versions = text, edited or self._now, s.versions + 1
        st.verdict, st.text_dirty = verdict, True
        self._versions.append((s.post_id, s.versions, s.text, s.edited_at, self._now))
        new_incident, correction = edit_flags(previous, verdict.classification)
        return Outcome(EDITED, ch.pk, post.message_id, st, previous, new_incident, correction)

    def _create(self, post: Post, ch: ChannelInfo, verdict: Verdict) -> PostState:
        pid, self.next_id = self.next_id, self.next_id + 1
        edited = to_iso(post.edited_at) if post.edited_at is not None else None
        text = storable(post.text)
        stored = StoredPost(
            pid, ch.pk, post.message_id, to_iso(post.date), text, edited, None, 1, None
        )
        self._versions.append((pid, 1, text, edited, self._now))
        return PostState(
            stored,
            post=post,
            permalink=permalink(ch, post.message_id),
            verdict=verdict,
        )

    def _delete(self, ev: DeletedPost, ch: ChannelInfo | None) -> list[Outcome]:
        out: list[Outcome] = []
        for mid in ev.message_ids:
            st = None if ch is None else self._states.get((ch.pk, mid))
            pk = None if ch is None else ch.pk
            if st is None:
                out.append(Outcome(UNKNOWN_POST, pk, mid, None))
            elif st.stored.deleted_at is not None:
                out.append(Outcome(UNCHANGED, pk, mid, st))
            else:
                st.stored.deleted_at, st.deleted_dirty = to_iso(ev.deleted_at), True
                out.append(Outcome(DELETED, pk, mid, st))
        return out

    async def flush(self, conn: aiosqlite.Connection) -> None:
        """Write the collected rows: posts first (foreign keys), then their dependents."""
        writes = PostWrites([], [], [], self._versions, {})
        rows: list[ClassificationRow] = []
        replace: list[tuple[int, str]] = []
        regions: list[tuple[int, str, str]] = []
        version, now = self._version, self._now
        for st in self._states.values():
            s = st.stored
            if st.post is not None:
                writes.inserts.append(self._insert_row(st))
                top = writes.cursors.get(s.channel_pk, 0)
                writes.cursors[s.channel_pk] = max(top, s.message_id)
            else:
                if st.text_dirty:
                    writes.text_updates.append((s.text, s.edited_at, s.post_id))
                if st.deleted_dirty:
                    assert s.deleted_at is not None
                    writes.deletes.append((s.deleted_at, s.post_id))
                if st.verdict is not None:
                    replace.append((s.post_id, self._version))
            v = st.verdict
            if v is not None:
                rows.append((s.post_id, version, *v.columns, v.fields, now))
                regions.extend((s.post_id, version, code) for code in v.region_codes)
        await write_posts(conn, writes, self._now)
        await upsert_classifications(conn, rows, replace_regions_of=replace, region_inserts=regions)

    def _insert_row(self, st: PostState) -> tuple[object, ...]:
        p, s = st.post, st.stored
        assert p is not None
        entities = None
        if p.entities:
            entities = storable(json.dumps(list(p.entities), ensure_ascii=False))
        return (
            s.post_id, s.channel_pk, s.message_id, s.date, s.text, entities, p.views,
            p.forwards, p.replies, p.media_kind, st.permalink, self._now, s.edited_at,
            s.deleted_at, p.source.value,
        )  # fmt: skip
