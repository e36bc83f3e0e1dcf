"""The nightly job (MAINTENANCE_TIME, UTC): an online backup, `PRAGMA optimize`, retention.

Backup: SQLite's online backup API copies a consistent snapshot while the service keeps
writing (WAL). It writes a private temporary file in BACKUP_DIR (0700; the file 0600),
switches the copy to a rollback journal so it is one self-contained file, then renames it
to `<db name>-YYYYmmddTHHMMSSZ.db` (a rename is atomic: a half-written backup never looks
like a backup) and keeps the newest BACKUP_KEEP. All file work runs in a worker thread.

The copy goes in steps of BACKUP_PAGES pages, and a stop (the service shutting down) is
checked between steps: a gigabyte database takes a while, and a worker thread cannot be
cancelled, so without steps a SIGTERM would wait for the whole copy. A stopped backup
removes its partial file. The source connection holds one read transaction across the
steps: otherwise each step would see the service's newest commits and SQLite would restart
the copy from the first page, forever on a busy service.

The outbox (OUTBOX_KEEP_DAYS > 0): finished rows (sent, skipped, muted, dropped,
summarized) older than that are deleted, in short turns like retention, and so are the
digest charts no pending row needs; without it the outbox grows by a row per message forever
(and every backup with it).

Retention (RETENTION_DAYS > 0): the raw text of older posts, of their earlier versions and
the excerpts of their alerts become ''; classifications, regions and counts stay. `posts`
is the external content of the FTS5 index, so its text is changed by UPDATE only: the
`posts_fts_update` trigger then removes the old words from the index (deleting FTS rows by
hand, or changing the text behind the trigger's back, would corrupt the index).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.alerts import upkeep
from bot.errors import StorageError
from bot.jobs import store
from bot.storage import Database, to_iso, utc_now

log = logging.getLogger(__name__)

# Posts blanked per transaction: the writer is shared with the live pipeline and the sender,
# so retention of a year of posts goes in short turns instead of one long lock.
RETENTION_BATCH = 500
#: Pages copied per backup step: 4 MiB at SQLite's default page size, a few milliseconds of
#: work, so a stop is noticed at once while the copy still runs at full speed.
BACKUP_PAGES = 1024
#: After a stop, how long the job waits for the backup thread to remove its partial file.
BACKUP_STOP_WAIT = 2.0
# Outbox rows looked at per transaction when pruning (most are deleted: small turns).
PRUNE_BATCH = 2000
_STAMP = "%Y%m%dT%H%M%SZ"

Step = Callable[[int, int], None]  # (pages remaining, pages in all) after each step


class BackupStopped(StorageError):
    """The backup was cut short by a stop; its partial file is removed."""


@dataclass(slots=True)
class NightlyReport:
    backup: Path | None = None
    backups_deleted: list[Path] = field(default_factory=list)
    optimized: bool = False
    posts_blanked: int = 0
    versions_blanked: int = 0
    alerts_blanked: int = 0
    outbox_pruned: int = 0

    def summary(self) -> str:
        return (
            f"backup {self.backup}, {len(self.backups_deleted)} old backup(s) deleted, "
            f"optimize {'done' if self.optimized else 'skipped'}, retention blanked "
            f"{self.posts_blanked} post(s), {self.versions_blanked} version(s), "
            f"{self.alerts_blanked} alert excerpt(s); {self.outbox_pruned} outbox row(s) pruned"
        )


def backup_name(db_path: Path, at: datetime) -> str:
    return f"{db_path.stem}-{at.strftime(_STAMP)}.db"


def backups_in(directory: Path, db_path: Path) -> list[Path]:
    """This database's backups in `directory`, oldest first (the names sort by time)."""
    return sorted(p for p in directory.glob(f"{db_path.stem}-*.db") if p.is_file())


def _private_dir(directory: Path) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(directory, 0o700)
    except OSError as exc:
        raise StorageError(
            f"{directory}: cannot create the backup directory ({exc.strerror or exc});"
            " set BACKUP_DIR to a writable place"
        ) from exc


class _Stop(Exception):
    pass


def _copy(
    source: Path, target: Path, should_stop: Callable[[], bool], pages: int, on_step: Step | None
) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)

    def step(_status: int, remaining: int, total: int) -> None:
        if on_step is not None:
            on_step(remaining, total)
        if remaining and should_stop():
            raise _Stop

    try:
        src.execute("BEGIN")  # one snapshot for every step (see the module docstring)
        src.execute("SELECT count(*) FROM sqlite_master").fetchall()
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=pages, progress=step)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def backup_sync(
    db_path: Path,
    directory: Path,
    keep: int,
    at: datetime,
    *,
    should_stop: Callable[[], bool] = lambda: False,
    pages: int = BACKUP_PAGES,
    on_step: Step | None = None,
) -> tuple[Path, list[Path]]:
    """Blocking: the backup file and the old backups deleted. Call it in a thread.

    `should_stop` is asked between steps of `pages` pages: True ends the copy with
    BackupStopped and no file left behind."""
    _private_dir(directory)
    final = directory / backup_name(db_path, at)
    partial = directory / f".{final.name}.partial"
    for stale in directory.glob(f".{db_path.stem}-*.db.partial"):
        stale.unlink(missing_ok=True)  # left by a run cut short (crash, kill)
    try:
        _copy(db_path, partial, should_stop, pages, on_step)
        os.replace(partial, final)
    except _Stop:
        partial.unlink(missing_ok=True)
        raise BackupStopped(f"{final}: the backup of {db_path} was stopped; no file kept") from None
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(
            f"{final}: the backup of {db_path} failed ({exc}); check BACKUP_DIR and free space"
        ) from exc
    existing = backups_in(directory, db_path)
    deleted = existing[: max(0, len(existing) - keep)]
    for old in deleted:
        old.unlink(missing_ok=True)
    return final, deleted


async def _blank_posts(db: Database, cutoff: str) -> int:
    blanked = 0
    while True:
        async with db.transaction() as conn:
            rows = await conn.execute_fetchall(
                "SELECT id FROM posts WHERE date < ? AND text != '' ORDER BY id LIMIT ?",
                (cutoff, RETENTION_BATCH),
            )
            ids = [(int(r[0]),) for r in rows]
            await conn.executemany("UPDATE posts SET text = '', entities = NULL WHERE id = ?", ids)
        blanked += len(ids)
        if len(ids) < RETENTION_BATCH:
            return blanked


async def apply_retention(db: Database, days: int, now: datetime) -> tuple[int, int, int]:
    """(posts, versions, alert excerpts) blanked for posts dated before now - days."""
    cutoff = to_iso(now - timedelta(days=days))
    posts = await _blank_posts(db, cutoff)
    async with db.transaction() as conn:
        versions = await conn.execute(
            "UPDATE post_versions SET text = '' WHERE text != '' AND post_id IN"
            " (SELECT id FROM posts WHERE date < ?)",
            (cutoff,),
        )
        alerts = await conn.execute(
            "UPDATE alerts SET excerpt = '', norm_text = '' WHERE posted_at < ?"
            " AND (excerpt != '' OR norm_text != '')",
            (cutoff,),
        )
        counts = versions.rowcount, alerts.rowcount
    return posts, counts[0], counts[1]


async def prune_outbox(db: Database, days: int, now: datetime) -> int:
    """Finished outbox rows older than `days` deleted (in turns), then unneeded charts."""
    before, pruned, after = now - timedelta(days=days), 0, 0
    while True:
        async with db.transaction() as conn:
            n, last = await upkeep.prune_finished(conn, before, after, PRUNE_BATCH)
        pruned += n
        if last is None:
            break
        after = last
    async with db.transaction() as conn:
        await store.prune_charts(conn)
    return pruned


class NightlyJob:
    def __init__(
        self,
        db: Database,
        *,
        backup_dir: Path,
        keep: int,
        retention_days: int,
        outbox_keep_days: int = 0,
        now: Callable[[], datetime] = utc_now,
        pages: int = BACKUP_PAGES,
        on_step: Step | None = None,
    ) -> None:
        self._db = db
        self._on_step = on_step
        self._dir = backup_dir
        self._keep = keep
        self._retention = retention_days
        self._outbox_keep = outbox_keep_days
        self._now = now
        self._pages = pages

    async def __call__(self) -> NightlyReport:
        report, now = NightlyReport(), self._now()
        report.backup, report.backups_deleted = await self._backup(now)
        await self._db.execute("PRAGMA optimize")
        report.optimized = True
        if self._retention > 0:
            (
                report.posts_blanked,
                report.versions_blanked,
                report.alerts_blanked,
            ) = await apply_retention(self._db, self._retention, now)
        if self._outbox_keep > 0:
            report.outbox_pruned = await prune_outbox(self._db, self._outbox_keep, now)
        log.info("nightly maintenance: %s", report.summary())
        return report

    async def _backup(self, now: datetime) -> tuple[Path, list[Path]]:
        """The backup in a worker thread; cancelled (the service stops), it tells the
        thread to stop after its current step and waits a moment for the clean-up."""
        stopping = threading.Event()
        work = asyncio.ensure_future(
            asyncio.to_thread(
                backup_sync, self._db.path, self._dir, self._keep, now,
                should_stop=stopping.is_set, pages=self._pages, on_step=self._on_step,
            )
        )  # fmt: skip
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:
            stopping.set()
            await asyncio.wait({work}, timeout=BACKUP_STOP_WAIT)
            if work.done() and not work.cancelled():
                work.exception()  # BackupStopped, expected: retrieved so it is not logged
            raise
