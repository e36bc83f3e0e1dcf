"""Nightly maintenance: backups (private, complete, the newest N kept) and retention of raw
text (classifications stay; the full-text index forgets the words)."""

from __future__ import annotations

import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

from conftest import T0, Clock, add_posts

from bot.jobs.nightly import NightlyJob, backups_in
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
