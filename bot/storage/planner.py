"""Deciding what a batch of post events does, in memory, before any row is written.

Each event sees the effect of the ones before it in the batch (a post created and edited in
the same batch comes out right); the rows are collected and written by `flush`, one
`executemany` per table. No I/O here except `flush`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.models import Classification, DeletedPost, EditedPost, Post, PostEvent
from bot.storage.bulk import storable
from bot.storage.channels import ChannelInfo
from bot.storage.classifications import (
    classification_from_fields,
    classification_row,
    edit_flags,
    region_rows,
    upsert_classifications,
)
from bot.storage.posts import PostWrites, StoredPost, write_posts
from bot.storage.times import to_iso

NEW, DUPLICATE, EDITED, UNCHANGED, DELETED, UNKNOWN_POST = (
    "new", "duplicate", "edited", "unchanged", "deleted", "unknown_post",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Verdict:
    """A classification and its `fields` JSON, computed once."""

    classification: Classification
    fields: str


Judge = Callable[[Post, ChannelInfo], Verdict]


@dataclass(slots=True)
class PostState:
    """A post as it stands after the events so far in this batch."""

    stored: StoredPost
    post: Post | None = None  # set for posts first stored in this batch (the insert row)
    permalink: str | None = None
    classification: Classification | None = None
    fields: str | None = None  # JSON to store, set when the classification changed
    text_dirty: bool = False
    deleted_dirty: bool = False

    def current(self) -> Classification | None:
        """The current classification; parsed from the stored JSON only when asked."""
        if self.classification is None and self.stored.current_fields is not None:
            self.classification = classification_from_fields(self.stored.current_fields)
        return self.classification


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
            st = self._states[key] = self._create(post, ch, guess or self._judge(post, ch))
            assert st.classification is not None
            return Outcome(NEW, ch.pk, post.message_id, st, None, st.classification.is_incident)
        edited = to_iso(post.edited_at) if post.edited_at is not None else None
        s, text = st.stored, storable(post.text)
        if text == s.text or is_stale(is_edit, edited, s.edited_at):
            return Outcome(UNCHANGED if is_edit else DUPLICATE, ch.pk, post.message_id, st)
        previous = st.current()
        verdict = guess or self._judge(post, ch)
        s.text, s.edited_at, s.versions = text, edited or self._now, s.versions + 1
        st.classification, st.fields, st.text_dirty = verdict.classification, verdict.fields, True
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
            classification=verdict.classification,
            fields=verdict.fields,
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
        rows, replace, regions = [], [], []
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
                if st.fields is not None:
                    replace.append((s.post_id, self._version))
            if st.fields is not None:
                c = st.classification
                assert c is not None
                rows.append(classification_row(s.post_id, c, self._version, self._now, st.fields))
                regions.extend(region_rows(s.post_id, c, self._version))
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
