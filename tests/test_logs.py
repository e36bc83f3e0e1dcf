"""Logs: text or JSON lines at the configured level; secret values never reach the output."""

import io
import json
import logging
from datetime import UTC, datetime

import pytest

from bot.config import parse_settings
from bot.logs import MASK, JsonFormatter, configure_logging, secret_values

API_HASH = "0123456789abcdef0123456789abcdef"
SESSION = "1BVtsOK4Bu2SECRETSESSIONSTRINGxyz"


@pytest.fixture
def restore_root_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_json_lines_carry_level_logger_message_and_extras(restore_root_logging) -> None:
    out = io.StringIO()
    configure_logging("INFO", "json", stream=out)
    logging.getLogger("uavwatch.test").info("stored %s/%d", "demo", 5, extra={"channel": "demo"})
    logging.getLogger("uavwatch.test").debug("not shown at INFO")
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "INFO",
        "uavwatch.test",
        "stored demo/5",
    )
    assert entry["channel"] == "demo"
    assert entry["ts"].endswith("+00:00")


def test_configured_secrets_are_masked_everywhere(restore_root_logging) -> None:
    settings = parse_settings({"TG_API_HASH": API_HASH, "TG_SESSION_STRING": SESSION})
    secrets = secret_values(settings)
    assert API_HASH in secrets and SESSION in secrets
    for fmt in ("text", "json"):
        out = io.StringIO()
        configure_logging("DEBUG", fmt, secrets, stream=out)
        log = logging.getLogger("uavwatch.test")
        log.warning("connecting with %s", API_HASH)
        log.info("session", extra={"session": SESSION})
        try:
            raise RuntimeError(f"bad session {SESSION}")
        except RuntimeError:
            log.exception("login failed")
        text = out.getvalue()
        assert API_HASH not in text and SESSION not in text, fmt
        # text shows no extra fields, so there the session appears only in the traceback
        assert text.count(MASK) >= (3 if fmt == "json" else 2), fmt


def test_configuring_twice_keeps_one_handler_and_leaves_others_alone(
    restore_root_logging,
) -> None:
    root = logging.getLogger()
    other = logging.NullHandler()
    root.addHandler(other)
    configure_logging("INFO", "text")
    configure_logging("DEBUG", "json")
    ours = [h for h in root.handlers if h.get_name() == "uavwatch"]
    assert len(ours) == 1 and isinstance(ours[0].formatter, JsonFormatter)
    assert other in root.handlers


def test_settings_repr_hides_secrets() -> None:
    settings = parse_settings({"TG_API_HASH": API_HASH})
    assert API_HASH not in repr(settings)


def test_text_lines_start_with_the_utc_date_and_time(restore_root_logging) -> None:
    """A journal copied off the server must say which day a line is from, in UTC."""
    out = io.StringIO()
    handler = configure_logging("INFO", "text", stream=out)
    record = logging.LogRecord("bot.jobs", logging.ERROR, __file__, 1, "backup failed", None, None)
    record.created = datetime(2025, 3, 14, 3, 30, 0, 123000, tzinfo=UTC).timestamp()
    record.msecs = 123.0
    handler.handle(record)
    assert out.getvalue() == "2025-03-14T03:30:00.123Z ERROR   bot.jobs: backup failed\n"


def test_the_secret_half_of_the_bot_token_is_masked_on_its_own(restore_root_logging) -> None:
    """`123:ABC...`: the part after the colon is the secret; the bot id is public."""
    token = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra"
    half = token.split(":", 1)[1]
    out = io.StringIO()
    configure_logging("DEBUG", "text", secret_values(parse_settings({"TG_BOT_TOKEN": token})),
                      stream=out)  # fmt: skip
    log = logging.getLogger("uavwatch.test")
    log.info("token %s", token)
    log.info("auth with %s", half)
    text = out.getvalue()
    assert half not in text
    assert "token ***" in text and "auth with ***" in text
