"""The README, config.example.env and .ci/run say what the code does, and stay that way."""

import re
from pathlib import Path

from bot.config import SETTINGS, parse_settings

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_config_example_lists_every_setting_with_its_default() -> None:
    example = (ROOT / "config.example.env").read_text(encoding="utf-8")
    values = dict(re.findall(r"^([A-Z_]+)=(.*)$", example, flags=re.MULTILINE))
    assert set(values) == {s.name for s in SETTINGS}
    for s in SETTINGS:
        assert values[s.name] == s.default, s.name
    parse_settings(values)  # the example itself is valid


def test_readme_configuration_table_matches_the_settings() -> None:
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| `([^`]*)` \|", README, flags=re.MULTILINE))
    assert rows == {s.name: s.default for s in SETTINGS}


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = re.findall(r"^```(?:sh|bash)\n(.*?)```", README, flags=re.MULTILINE | re.DOTALL)
    assert len(commands) >= 2, "the README starts with two set-up commands"
    test_command = commands[1].strip().splitlines()[-1]
    pytest_part = test_command[test_command.index(".venv/bin/python -m pytest") :]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert pytest_part in ci
