"""Shared fixtures: a fresh archive in tmp_path, the pipeline over it, a post factory."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from hypothesis import settings

from bot.models import Post, Source
from bot.pipeline import Pipeline
from bot.storage import Database

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)

# Hypothesis's per-example deadline is a wall-clock assertion: on a loaded machine it fails
# tests whose behaviour is right. Tests here assert behaviour, never time.
settings.register_profile("uavwatch", deadline=None)
settings.load_profile("uavwatch")


def pytest_unconfigure(config: pytest.Config) -> None:
    """A failed test's traceback keeps its frames, and any aiosqlite connection they held,
    alive to the end: that connection's worker thread is not a daemon, so the interpreter
    waited for it forever and a run with one failure hung instead of reporting (seen, and
    reproduced with a test that fails holding an open connection). Stop such workers when
    the run is over; the report is already written."""
    gc.collect()
    for obj in gc.get_objects():
        if isinstance(obj, aiosqlite.Connection) and obj._thread.is_alive():
            obj.stop()


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    """A test that runs the CLI installs uavwatch's log handler on the root logger; put the
    root back so later tests (and threads finishing after them) do not write to stderr."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "uavwatch.db"


@pytest.fixture
async def db(db_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty archive; closed after the test."""
    database = await Database.open(db_path)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def pipeline(db: Database) -> Pipeline:
    return Pipeline(db)


@pytest.fixture
def make_post() -> Callable[..., Post]:
    """`make_post(message_id, text, **overrides)`: a Post of channel 'test_channel'."""

    def make(message_id: int = 1, text: str = "text", **overrides: Any) -> Post:
        fields: dict[str, Any] = {
            "channel": "test_channel",
            "channel_id": None,
            "message_id": message_id,
            "date": T0,
            "text": text,
            "source": Source.LIVE,
        }
        fields.update(overrides)
        return Post(**fields)

    return make
