"""Nightly maintenance: backups (private, complete, the newest N kept) and retention of raw
text (classifications stay; the full-text index forgets the words)."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import T0, Clock, add_posts

from bot.jobs.nightly import NightlyJob, backup_sync, backups_in
from bot.models import EditedPost, Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database, to_iso

KURSK = "Над Курской областью сбиты три беспилотника."
OLD_TEXT = "Над Брянской областью уничтожен БПЛА. Пострадавших нет."


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_backups_are_private_complete_and_only_the_newest_are_kept(
    db: Database, tmp_path: Path, clock: Clock
) -> None:
    await add_posts(db, "kursk_gov", [(T0 - timedelta(hours=h), KURSK) for h in range(1, 4)])
    target = tmp_path / "backups"
    job = NightlyJob(db, backup_dir=target, keep=2, retention_days=0, now=clock.now)
    reports = []
    for _ in range(4):
        reports.append(await job())
        clock.advance(86400)
    kept = backups_in(target, db.path)
    assert kept == [reports[2].backup, reports[3].backup]
    assert reports[2].backups_deleted == [reports[0].backup]
    assert mode(target) == 0o700
    assert all(mode(p) == 0o600 for p in kept)
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in kept)  # no temp
    async with await Database.open(kept[-1]) as copy:
        assert (await copy.read("SELECT count(*) FROM posts"))[0][0] == 3
        assert (await copy.read("PRAGMA integrity_check"))[0][0] == "ok"


async def test_a_stale_partial_backup_is_removed(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "backups"
    target.mkdir(mode=0o755)
    stale = target / f".{db.path.stem}-20250101T000000Z.db.partial"
    stale.write_bytes(b"half a file")
    report = await NightlyJob(db, backup_dir=target, keep=3, retention_days=0, now=lambda: T0)()
    assert not stale.exists() and report.backup is not None and report.backup.exists()
    assert mode(target) == 0o700  # an existing directory is made private too


def fts_hits(path: Path, word: str) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')")
        return [r[0] for r in conn.execute(
            "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rowid", (word,)
        )]  # fmt: skip
    finally:
        conn.close()


async def test_retention_blanks_old_text_and_keeps_classifications(
    db: Database, tmp_path: Path
) -> None:
    """1. an incident 40 days old (edited once) and one from yesterday  2. nightly with
    RETENTION_DAYS=30.  Result: the old post's text, versions and FTS entry are gone; its
    classification, regions and the incidents view still count it; the new one is whole."""
    old_date = T0 - timedelta(days=40)
    await add_posts(db, "bryansk_gov", [(old_date, OLD_TEXT)])
    edit = Post("bryansk_gov", None, 1, date=old_date, text=OLD_TEXT + " Уточнение.",
                source=Source.LIVE, edited_at=old_date + timedelta(hours=1))  # fmt: skip
    await Pipeline(db, now=lambda: old_date + timedelta(hours=1)).ingest(EditedPost(edit))
    await add_posts(db, "kursk_gov", [(T0 - timedelta(days=1), KURSK)])
    assert fts_hits(db.path, "Брянской") == [1]
    labels_before = await db.read("SELECT post_id, label FROM classifications ORDER BY id")

    report = await NightlyJob(
        db, backup_dir=tmp_path / "b", keep=1, retention_days=30, now=lambda: T0
    )()
    assert (report.posts_blanked, report.versions_blanked) == (1, 2)

    texts = await db.read("SELECT id, text FROM posts ORDER BY id")
    assert texts == [(1, ""), (2, KURSK)]
    assert await db.read("SELECT DISTINCT text FROM post_versions WHERE post_id = 1") == [("",)]
    assert await db.read("SELECT post_id, label FROM classifications ORDER BY id") == labels_before
    incidents = await db.read("SELECT id, regions FROM incidents ORDER BY id")
    assert incidents == [(1, "RU-BRY"), (2, "RU-KRS")]
    assert fts_hits(db.path, "Брянской") == []
    assert fts_hits(db.path, "Курской") == [2]
    again = await NightlyJob(
        db, backup_dir=tmp_path / "b", keep=1, retention_days=30, now=lambda: T0
    )()
    assert (again.posts_blanked, again.versions_blanked) == (0, 0)
    # A new classifier version re-reads the whole text it has; blanked posts keep their verdict.
    summary = await Pipeline(db, classifier_version="9.9.9").reclassify()
    assert summary.classified == 1
    incidents = await db.read("SELECT id, regions FROM incidents ORDER BY id")
    assert incidents == [(1, "RU-BRY"), (2, "RU-KRS")]


async def test_a_backup_in_steps_is_one_snapshot_while_the_service_writes(
    db: Database, tmp_path: Path
) -> None:
    """1. a database of a few hundred pages 2. a backup copying 4 pages per step 3. after
    every step another connection commits a write. Result: the copy never restarts (one
    step per 4 pages), holds the database as it was when the backup began (none of the
    rows written meanwhile), and is whole."""
    await add_posts(db, "kursk_gov", [(T0 - timedelta(minutes=m), KURSK * 20) for m in range(300)])
    steps: list[tuple[int, int]] = []
    writer: list[sqlite3.Connection] = []
    before = tuple((await db.read("SELECT count(*) FROM alert_state"))[0])

    def write_between_steps(remaining: int, total: int) -> None:
        steps.append((remaining, total))
        if not writer:
            writer.append(sqlite3.connect(db.path, check_same_thread=False))
        writer[0].execute("INSERT INTO alert_state (name, value) VALUES (?, 'x')", (len(steps),))
        writer[0].commit()

    try:
        backup, _ = await asyncio.to_thread(
            backup_sync, db.path, tmp_path / "b", 3, T0, pages=4, on_step=write_between_steps
        )
    finally:
        for conn in writer:
            conn.close()
    total = steps[0][1]
    assert total > 40 and len(steps) == -(-total // 4)  # ceil: no step was repeated
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM posts").fetchone() == (300,)
        assert copy.execute("SELECT count(*) FROM alert_state").fetchone() == before


async def test_a_stop_during_the_backup_ends_it_after_one_step_and_leaves_no_file(
    db: Database, tmp_path: Path
) -> None:
    """1. the nightly backup runs (1 page per step) 2. the service stops it mid-copy (the
    scheduler cancels the job). Result: the worker thread stops at its next step, the
    partial file is removed, no backup is kept, and the job ends as cancelled."""
    await add_posts(db, "kursk_gov", [(T0 - timedelta(minutes=m), KURSK * 20) for m in range(100)])
    target = tmp_path / "backups"
    midway, go = threading.Event(), threading.Event()
    steps: list[int] = []

    def pause_midway(remaining: int, total: int) -> None:
        steps.append(remaining)
        if len(steps) == 5:
            midway.set()
            go.wait(10)

    job = NightlyJob(db, backup_dir=target, keep=3, retention_days=0, now=lambda: T0,
                     pages=1, on_step=pause_midway)  # fmt: skip
    task = asyncio.ensure_future(job())
    assert await asyncio.to_thread(midway.wait, 10)
    assert next(p.name for p in target.iterdir()).endswith(".partial")
    task.cancel()
    await asyncio.sleep(0.01)  # the job sees the cancel and raises the thread's stop flag
    go.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(steps) == 5  # stopped right after the step it was in
    assert list(target.iterdir()) == []


async def test_finished_outbox_rows_older_than_the_setting_are_pruned(
    db: Database, tmp_path: Path
) -> None:
    """Sent, skipped, muted, dropped and summarized rows older than OUTBOX_KEEP_DAYS go;
    pending, held and parked rows stay whatever their age, and so do recent ones; a legacy
    chart copy on a finished row is cleared."""
    old, recent = to_iso(T0 - timedelta(days=40)), to_iso(T0 - timedelta(days=2))
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO subscribers (id, chat_id, created_at, updated_at) VALUES (1, 5, ?, ?)",
            (old, old),
        )
        rows = [
            (status, at)
            for status in ("sent", "skipped", "muted", "dropped", "summarized", "pending",
                           "held", "parked")
            for at in (old, recent)
        ]  # fmt: skip
        await conn.executemany(
            "INSERT INTO outbox (subscriber_id, purpose, priority, payload, attachment, status,"
            " created_at, updated_at) VALUES (1, 'digest', 5, 'x', x'89', ?, ?, ?)",
            [(status, at, at) for status, at in rows],
        )
    job = NightlyJob(db, backup_dir=tmp_path / "b", keep=1, retention_days=0, now=lambda: T0,
                     outbox_keep_days=30)  # fmt: skip
    report = await job()
    assert report.outbox_pruned == 5
    left = await db.read(
        "SELECT status, updated_at = ?, attachment FROM outbox ORDER BY id", (old,)
    )
    assert [(s, bool(o)) for s, o, _ in left] == [
        ("sent", False), ("skipped", False), ("muted", False), ("dropped", False),
        ("summarized", False), ("pending", True), ("pending", False), ("held", True),
        ("held", False), ("parked", True), ("parked", False),
    ]  # fmt: skip
    assert [a for s, _, a in left if s not in ("pending", "held", "parked")] == [None] * 5
