"""`uavwatch import`: bring history collected elsewhere into the archive.

Accepts Telegram Desktop exports (`result.json` or the folder holding it) and saved
web-preview pages (`t.me/s/NAME` HTML: files or a folder of them). Each input is
checked whole before anything is written: a broken file fails in seconds, not after
minutes of importing, and the database (channels included) stays exactly as it was.
Then each file is ingested in ONE transaction (`ingest_many(atomic=True)`), so a file
that changes under us between the two passes still cannot leave half an import behind.

Both passes stream: an export is read twice through ijson and a page is parsed twice
(about 1.5 ms per 100 KB page), so memory does not grow with the size of the input.
A big import shares the classifying with a worker process (`bot.classify_ahead`) while
this process parses and writes: the same rows, sooner on a machine with two cores.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from bot.classify import CLASSIFIER_VERSION, classify
from bot.classify_ahead import Classifier, ClassifierPool, can_run, usable_cpus
from bot.errors import InputError, MalformedFileError
from bot.models import NewPost, Post, Source
from bot.pipeline import Pipeline, resolve_region
from bot.sources import normalize_username
from bot.sources.tgexport import ExportCounts, ExportHeader, iter_posts, read_header
from bot.sources.webpreview_html import WebPreviewPage, parse_page
from bot.storage import Database

EXPORT_NAME = "result.json"
PAGE_SUFFIXES = (".html", ".htm")
# From this much input on, a worker process classifies (if there are 2+ CPUs): below it,
# the worker's start (~0.8 s: imports, the classifier's lazy setup) would not pay back.
PARALLEL_FROM_BYTES = 4 * 1024 * 1024
_ACCEPTED = (
    "accepted: a Telegram Desktop export (result.json, or the folder holding it) or saved "
    "web-preview pages (t.me/s/NAME saved as .html: files or a folder of them)"
)


class InputKind(StrEnum):
    TGEXPORT = "Telegram Desktop export"
    WEBPREVIEW = "web-preview page"


@dataclass(frozen=True, slots=True)
class ImportInput:
    kind: InputKind
    path: Path


class Progress(Protocol):
    """What the importer needs from a progress bar (tqdm fits)."""

    def update(self, n: int) -> object: ...

    def close(self) -> object: ...


# (description, total bytes) -> a bar; the CLI passes tqdm, library callers may pass None.
ProgressFactory = Callable[[str, int], Progress]


@dataclass(slots=True)
class FileReport:
    """What importing one file did. `incidents`: posts that became incidents in this run."""

    path: Path
    kind: InputKind
    channel: str
    posts: int = 0
    new: int = 0
    duplicate: int = 0
    edited: int = 0
    service_skipped: int = 0
    incidents: int = 0


@dataclass(slots=True)
class ImportReport:
    files: list[FileReport] = field(default_factory=list)

    def total(self, name: str) -> int:
        """Sum of one FileReport counter over all files, e.g. `report.total("new")`."""
        return sum(int(getattr(f, name)) for f in self.files)


@dataclass(slots=True)
class _Checked:
    """An input that passed the check pass, with what the write pass needs."""

    source: ImportInput
    username: str | None
    telegram_id: int | None
    title: str | None
    header: ExportHeader | None = None
    service: int = 0


# ---------------------------------------------------------------- recognising paths


def find_inputs(paths: Iterable[Path]) -> list[ImportInput]:
    """Each path as an export or page(s); anything else is an InputError naming it."""
    found: list[ImportInput] = []
    for path in paths:
        if path.is_dir():
            found.extend(_folder_inputs(path))
        elif path.is_file():
            found.append(_file_input(path))
        else:
            raise InputError(f"{path}: no such file or folder; {_ACCEPTED}")
    if not found:
        raise InputError(f"nothing to import; {_ACCEPTED}")
    return found


def _file_input(path: Path) -> ImportInput:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return ImportInput(InputKind.TGEXPORT, path)
    if suffix in PAGE_SUFFIXES:
        return ImportInput(InputKind.WEBPREVIEW, path)
    raise InputError(f"{path}: not a file uavwatch can import; {_ACCEPTED}")


def _folder_inputs(folder: Path) -> list[ImportInput]:
    export = folder / EXPORT_NAME
    if export.is_file():
        return [ImportInput(InputKind.TGEXPORT, export)]
    pages = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES)
    if not pages:
        raise InputError(f"{folder}: folder has no {EXPORT_NAME} and no .html pages; {_ACCEPTED}")
    return [ImportInput(InputKind.WEBPREVIEW, p) for p in pages]


# ---------------------------------------------------------------- the two passes


def read_page(path: Path, *, source: Source = Source.IMPORT) -> WebPreviewPage:
    """A saved page from disk; the file must be UTF-8 as browsers and curl save it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedFileError(
            str(path), f"byte {exc.start}", "not UTF-8 text", "save the page again as UTF-8"
        ) from None
    return parse_page(html, source=source, where=str(path))


def _check(item: ImportInput, channel: str | None, bar: Progress | None) -> _Checked:
    """Read the whole input without writing; raise on the first problem."""
    size = _size(item.path)
    if item.kind is InputKind.WEBPREVIEW:
        page = read_page(item.path)
        if channel is not None and page.channel != channel:
            raise InputError(
                f"{item.path}: the page is channel {page.channel!r}, but --channel says "
                f"{channel!r}; drop --channel (pages name their channel) or fix it"
            )
        if bar is not None:
            bar.update(size)
        return _Checked(item, page.channel, None, page.channel_title, service=len(page.service_ids))
    header = read_header(item.path)
    counts = ExportCounts()
    for _ in iter_posts(
        item.path, header, channel=channel, counts=counts, on_bytes=_bar_update(bar)
    ):
        pass
    return _Checked(item, channel, header.channel_id, header.name, header, counts.service)


def _posts(checked: _Checked, channel: str | None, bar: Progress | None) -> Iterator[Post]:
    path = checked.source.path
    if checked.header is not None:
        yield from iter_posts(
            path, checked.header, channel=channel, source=Source.IMPORT, on_bytes=_bar_update(bar)
        )
        return
    yield from read_page(path).posts
    if bar is not None:
        bar.update(_size(path))


def _bar_update(bar: Progress | None) -> Callable[[int], None] | None:
    if bar is None:
        return None

    def update(n: int) -> None:
        bar.update(n)

    return update


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _channel_label(checked: _Checked) -> str:
    shown = f"@{checked.username}" if checked.username else f"id {checked.telegram_id}"
    return f"{shown} ({checked.title})" if checked.title else shown


# ---------------------------------------------------------------- entry points


async def import_inputs(
    pipeline: Pipeline,
    inputs: Sequence[ImportInput],
    *,
    channel: str | None = None,
    home_region: str | None = None,
    progress: ProgressFactory | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Check every input, register its channel, then ingest each file atomically.

    `channel` attaches a username to an export (which has only the numeric id) so
    permalinks work; `home_region` is set on the channel and passed to the classifier.
    `parallel`: classify in a worker process: None = when it pays (2+ CPUs, inputs of
    PARALLEL_FROM_BYTES or more; writing starts without waiting for the worker), True =
    always (writing waits until the worker is ready), False = never. Same rows either way.
    """
    username = _username_option(channel)
    pool = _pool(pipeline.classify, pipeline.classifier_version, inputs, parallel)
    async with pool or nullcontext():
        checked = _check_all(inputs, username, home_region, progress)
        if pool is not None and parallel:
            await pool.wait_ready()
        return await _write_all(pipeline, checked, username, home_region, progress, pool)


async def import_paths(
    db_path: Path,
    paths: Sequence[Path],
    *,
    channel: str | None = None,
    home_region: str | None = None,
    progress: ProgressFactory | None = None,
    parallel: bool | None = None,
) -> ImportReport:
    """Recognise `paths`, check them, then open the archive at `db_path` and import.

    The database is opened (and created) only once every input has passed the check.
    `parallel` as in `import_inputs`.
    """
    username = _username_option(channel)
    inputs = find_inputs(paths)
    pool = _pool(classify, CLASSIFIER_VERSION, inputs, parallel)
    async with pool or nullcontext():
        checked = _check_all(inputs, username, home_region, progress)
        if pool is not None and parallel:
            await pool.wait_ready()
        async with await Database.open(db_path) as db:
            pipeline = Pipeline(db, classify=classify, classifier_version=CLASSIFIER_VERSION)
            return await _write_all(pipeline, checked, username, home_region, progress, pool)


def _pool(
    classifier: Classifier, version: str, inputs: Sequence[ImportInput], parallel: bool | None
) -> ClassifierPool | None:
    """A worker for this import, or None to classify in-process."""
    if parallel is False or not can_run(classifier):
        return None
    if parallel is None and (usable_cpus() < 2 or _total(inputs) < PARALLEL_FROM_BYTES):
        return None
    return ClassifierPool(classifier, version)


def _username_option(channel: str | None) -> str | None:
    if channel is None:
        return None
    try:
        return normalize_username(channel)
    except ValueError as exc:
        raise InputError(f"--channel: {exc}") from None


def _check_all(
    inputs: Sequence[ImportInput],
    channel: str | None,
    home_region: str | None,
    progress: ProgressFactory | None,
) -> list[_Checked]:
    bar = progress("checking", _total(inputs)) if progress is not None else None
    try:
        checked = [_check(item, channel, bar) for item in inputs]
    finally:
        if bar is not None:
            bar.close()
    _refuse_region_for_many(checked, home_region)
    if home_region is not None:
        resolve_region(home_region)  # an unknown region fails here, before the archive opens
    return checked


async def _write_all(
    pipeline: Pipeline,
    checked: list[_Checked],
    channel: str | None,
    home_region: str | None,
    progress: ProgressFactory | None,
    pool: ClassifierPool | None = None,
) -> ImportReport:
    pks = [
        await pipeline.ensure_channel(
            username=c.username, telegram_id=c.telegram_id, title=c.title, home_region=home_region
        )
        for c in checked
    ]
    report = ImportReport()
    bar = progress("importing", _total(c.source for c in checked)) if progress else None
    try:
        for c, pk in zip(checked, pks, strict=True):
            report.files.append(await _ingest(pipeline, c, channel, bar, pool, pk))
    finally:
        if bar is not None:
            bar.close()
    return report


def _total(inputs: Iterable[ImportInput]) -> int:
    return sum(_size(i.path) for i in inputs)


def _refuse_region_for_many(checked: list[_Checked], home_region: str | None) -> None:
    channels = sorted({_channel_label(c) for c in checked})
    if home_region is not None and len(channels) > 1:
        raise InputError(
            f"--home-region {home_region!r} names one channel's region, but these files hold "
            f"{len(channels)} channels ({', '.join(channels)}); import each channel separately"
        )


async def _ingest(
    pipeline: Pipeline,
    checked: _Checked,
    channel: str | None,
    bar: Progress | None,
    pool: ClassifierPool | None,
    channel_pk: int,
) -> FileReport:
    seen = 0

    def posts() -> Iterator[Post]:
        nonlocal seen
        for post in _posts(checked, channel, bar):
            seen += 1
            yield post

    events: Iterable[NewPost] | AsyncIterable[NewPost]
    if pool is None:
        events = (NewPost(p) for p in posts())
    else:
        events = pool.events(posts(), await _home_region(pipeline, channel_pk))
    summary = await pipeline.ingest_many(events, atomic=True)
    return FileReport(
        path=checked.source.path,
        kind=checked.source.kind,
        channel=_channel_label(checked),
        posts=seen,
        new=summary.new,
        duplicate=summary.duplicate + summary.unchanged,
        edited=summary.edited,
        service_skipped=checked.service,
        incidents=summary.new_incidents,
    )


async def _home_region(pipeline: Pipeline, channel_pk: int) -> str | None:
    """The region the worker classifies with. Only a guess that saves time: the pipeline
    re-checks it against the post's channel (`JudgedPost`)."""
    rows = await pipeline.db.read("SELECT home_region FROM channels WHERE id = ?", (channel_pk,))
    return str(rows[0][0]) if rows and rows[0][0] is not None else None
