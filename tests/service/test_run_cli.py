"""`uavwatch run` through `bot.cli.main` when the configuration cannot work: one message,
exit 2, nothing opened. (Runs stopped by signals are processes: test_process.py.)"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture(autouse=True)
def restore_root_logging(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """`main` installs uavwatch's stderr handler; it goes before capturing ends (the
    database thread may still log a line after `main` returned)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_nothing_to_watch_exits_non_zero_with_one_message_naming_what_to_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("uavwatch: error: nothing to watch")
    for key in ("TG_API_ID", "TG_API_HASH", "WEBPREVIEW_CHANNELS"):
        assert key in err[0]


def test_bad_configuration_lists_every_bad_key_before_anything_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = {
        "TG_API_ID": "twelve",
        "TG_BOT_TOKEN": "not-a-token-but-secret",
        "POLL_SECONDS": "-5",
        "LOG_FORMAT": "xml",
        "DIGEST_TIME": "25:00",
    }
    for key, value in bad.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WEBPREVIEW_CHANNELS", "demo_mod")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "invalid configuration (5 problem(s))" in err
    for key in bad:
        assert f"{key}=" in err
    assert "not-a-token-but-secret" not in err
    assert not (tmp_path / "uavwatch.db").exists()  # nothing was opened


def test_half_the_credentials_names_the_missing_half(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TG_API_ID", "12345")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "set TG_API_HASH too" in err and "TG_API_ID and" not in err


def test_problems_of_several_settings_are_listed_at_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bot token without the API credentials, and nothing to watch: both problems in
    one message, so the operator fixes `.env` once, not twice."""
    monkeypatch.setenv("TG_BOT_TOKEN", "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "invalid configuration (2 problem(s))" in err
    assert "the subscriber bot needs TG_API_ID and TG_API_HASH" in err
    assert "nothing to watch" in err
    assert "AAEhBOweik6ad9r" not in err
    assert not (tmp_path / "uavwatch.db").exists()
