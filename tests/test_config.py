"""Settings: every problem reported at once, by name, with an example; secrets never shown."""

from pathlib import Path

import pytest

from bot.config import SETTINGS, Settings, load_settings, parse_settings
from bot.errors import ConfigError


def test_defaults_need_no_configuration() -> None:
    settings = parse_settings({})
    assert settings.db_path == Path("./uavwatch.db")
    assert settings.log_level == "INFO"


def test_every_bad_value_is_reported_at_once_with_an_example() -> None:
    with pytest.raises(ConfigError) as err:
        parse_settings({"LOG_LEVEL": "LOUD", "LOG_FORMAT": "xml", "DB_PATH": " "})
    message = str(err.value)
    assert len(err.value.problems) == 3
    for name in ("LOG_LEVEL", "LOG_FORMAT", "DB_PATH"):
        assert f"{name}=" in message
    assert "example: LOG_LEVEL=INFO" in message


def test_environment_overrides_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=DEBUG\nDB_PATH=/srv/a.db\n", encoding="utf-8")
    settings = load_settings(env_file, environ={"DB_PATH": "/srv/b.db", "UNRELATED": "x"})
    assert settings.log_level == "DEBUG"
    assert settings.db_path == Path("/srv/b.db")


def test_settings_table_and_dataclass_agree() -> None:
    assert {s.name.lower() for s in SETTINGS} == set(Settings.__dataclass_fields__)
