"""The deployment files say what the code does: commands that exist, settings that exist,
data inside the writable place, and a stop timeout longer than the service's own deadline.

Neither systemd nor Docker runs here; these tests read the files as those tools would.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path, PurePosixPath

from bot.cli import build_parser
from bot.config import SETTINGS_BY_NAME, parse_settings
from bot.errors import ConfigError, TelegramSetupError
from bot.service.signals import SHUTDOWN_DEADLINE

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SCRIPTS = PYPROJECT["project"]["scripts"]
EXTRAS = PYPROJECT["project"]["optional-dependencies"]
#: Variables for the tools under uavwatch, not settings of ours (each with its reason).
THIRD_PARTY_ENV = {
    "PYTHONUNBUFFERED",  # log lines reach journald/docker at once
    "PYTHONDONTWRITEBYTECODE",  # the image's site-packages are not written at run time
    "PIP_NO_CACHE_DIR",  # a smaller image
    "PIP_DISABLE_PIP_VERSION_CHECK",  # no network call at build time beyond the install
    "MPLCONFIGDIR",  # matplotlib needs a writable directory; the home is not one
}
DATA_SETTINGS = ("DB_PATH", "TG_SESSION", "BACKUP_DIR")


# -- readers for the three formats ---------------------------------------------------------------


def systemd_unit(path: Path) -> dict[str, list[str]]:
    """Key -> values in order (a key may repeat: Environment=, SystemCallFilter=)."""
    keys: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: not a Key=Value line: {raw!r}"
        keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def dockerfile(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def compose(path: Path) -> dict[str, object]:
    """The subset of YAML compose.yaml uses: nested mappings, `- item` lists, plain scalars."""
    root: dict[str, object] = {}
    stack: list[tuple[int, object]] = [(-1, root)]
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent, line = len(raw) - len(raw.lstrip()), raw.strip()
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        if line.startswith("- "):
            assert isinstance(parent, list), f"list item outside a list: {raw!r}"
            parent.append(line[2:].strip())
            continue
        key, _, value = line.partition(":")
        assert isinstance(parent, dict), f"mapping inside a list: {raw!r}"
        if value.strip():
            parent[key.strip()] = value.strip()
        else:
            child: object = [] if _next_is_list(path, raw) else {}
            parent[key.strip()] = child
            stack.append((indent, child))
    return root


def _next_is_list(path: Path, raw: str) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines()
    rest = [ln for ln in lines[lines.index(raw) + 1 :] if ln.strip() and ln.strip()[0] != "#"]
    return bool(rest) and rest[0].strip().startswith("- ")


def seconds(value: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(s|min|m)?", value.strip())
    assert match, f"not a duration: {value!r}"
    return float(match.group(1)) * (60 if match.group(2) in ("min", "m") else 1)


UNIT = systemd_unit(ROOT / "deploy" / "uavwatch.service")
DOCKER = dockerfile(ROOT / "Dockerfile")
COMPOSE = compose(ROOT / "compose.yaml")
SERVICE = COMPOSE["services"]["uavwatch"]  # type: ignore[index]


def one(key: str) -> str:
    (value,) = UNIT[key]
    return value


def docker(instruction: str) -> list[str]:
    return [args for word, args in DOCKER if word == instruction]


def docker_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for args in docker("ENV"):
        env.update(dict(item.split("=", 1) for item in shlex.split(args)))
    return env


def unit_env() -> dict[str, str]:
    return dict(v.split("=", 1) for v in UNIT["Environment"])


def assert_runs(argv: list[str]) -> None:
    """`uavwatch ARGV` parses to a command with a handler (the command and flags exist)."""
    args = build_parser().parse_args(argv)
    assert callable(args.handler), argv


# -- systemd -------------------------------------------------------------------------------------


def test_unit_starts_the_console_script_with_the_run_command() -> None:
    binary, *argv = shlex.split(one("ExecStart"))
    assert binary == "/opt/uavwatch/.venv/bin/uavwatch"
    assert PurePosixPath(binary).name in SCRIPTS
    assert SCRIPTS["uavwatch"] == "bot.cli:main" and argv == ["run"]
    assert_runs(argv)


def test_unit_runs_as_a_dedicated_user_with_hardening() -> None:
    assert one("User") == one("Group") == "uavwatch"
    expected = {
        "NoNewPrivileges": "yes", "ProtectSystem": "strict", "ProtectHome": "yes",
        "PrivateTmp": "yes", "UMask": "0077", "CapabilityBoundingSet": "",
        "RestrictSUIDSGID": "yes", "SystemCallArchitectures": "native",
    }  # fmt: skip
    assert {k: one(k) for k in expected} == expected
    assert "@system-service" in UNIT["SystemCallFilter"]
    assert "MemoryDenyWriteExecute" not in UNIT  # breaks libffi callbacks of some wheels
    assert set(one("RestrictAddressFamilies").split()) == {"AF_INET", "AF_INET6", "AF_UNIX"}


def test_unit_stops_with_sigterm_and_waits_longer_than_the_shutdown_deadline() -> None:
    """SIGTERM starts the drain; systemd's SIGKILL must come after our own 10 s deadline."""
    assert one("KillSignal") == "SIGTERM"
    assert seconds(one("TimeoutStopSec")) > SHUTDOWN_DEADLINE == 10.0
    assert one("Restart") == "on-failure" and seconds(one("RestartSec")) >= 1


def test_unit_does_not_restart_on_a_configuration_error() -> None:
    """Exit 2 (bad settings or credentials) needs the operator; restarting cannot fix it."""
    assert one("RestartPreventExitStatus") == str(ConfigError.exit_code)
    assert ConfigError.exit_code == TelegramSetupError.exit_code == 2


def test_unit_data_stays_in_the_one_writable_directory() -> None:
    """The pinned paths, and the relative defaults read from WorkingDirectory (what a .env
    copied from config.example.env gives), all land in ReadWritePaths = StateDirectory."""
    writable = PurePosixPath(one("ReadWritePaths"))
    assert writable == PurePosixPath("/var/lib") / one("StateDirectory")
    workdir = PurePosixPath(one("WorkingDirectory"))
    assert workdir == writable
    env = unit_env()
    for name in DATA_SETTINGS:
        assert PurePosixPath(env[name]).is_relative_to(writable), name
        default = SETTINGS_BY_NAME[name].default
        assert (workdir / default).is_relative_to(writable), name
    assert PurePosixPath(one("EnvironmentFile")).is_relative_to("/etc/uavwatch")


def test_unit_environment_names_only_real_settings() -> None:
    env = unit_env()
    assert set(env) - set(SETTINGS_BY_NAME) <= THIRD_PARTY_ENV
    parse_settings({k: v for k, v in env.items() if k in SETTINGS_BY_NAME})  # valid values
    cache = PurePosixPath("/var/cache") / one("CacheDirectory")
    assert PurePosixPath(env["MPLCONFIGDIR"]).is_relative_to(cache)  # writable too


# -- Docker --------------------------------------------------------------------------------------


def test_image_is_slim_python_of_a_supported_version() -> None:
    (base,) = docker("FROM")
    match = re.fullmatch(r"python:3\.(\d+)-slim", base)
    assert match, base
    required = re.fullmatch(r">=3\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert required and int(match.group(1)) >= int(required.group(1))


def test_image_installs_extras_that_exist_and_runs_as_a_non_root_user() -> None:
    installs = [a for a in docker("RUN") if "pip install" in a]
    extras = re.findall(r"\.\[([a-z,]+)\]", " ".join(installs))
    assert extras and all(e in EXTRAS for group in extras for e in group.split(","))
    (user,) = docker("USER")
    assert user not in ("root", "0") and any("useradd" in a and user in a for a in docker("RUN"))


def test_image_entrypoint_command_and_healthcheck_are_real_commands() -> None:
    (entry,) = docker("ENTRYPOINT")
    (cmd,) = docker("CMD")
    assert entry == '["uavwatch"]' and cmd == '["run"]'
    assert_runs(["run"])
    (health,) = docker("HEALTHCHECK")
    command = health[health.index("CMD ") + 4 :]
    assert command == "uavwatch status --check || exit 1"
    assert_runs(shlex.split(command.split("||")[0])[1:])
    assert docker("STOPSIGNAL") == ["SIGTERM"]


def test_image_and_compose_keep_the_data_in_the_volume() -> None:
    (volume,) = docker("VOLUME")
    assert volume == '["/data"]'
    assert SERVICE["volumes"] == ["uavwatch-data:/data"]  # type: ignore[index]
    assert "uavwatch-data" in COMPOSE["volumes"]  # type: ignore[operator]
    image, stack = docker_env(), SERVICE["environment"]  # type: ignore[index]
    for name in DATA_SETTINGS:
        assert PurePosixPath(image[name]).is_relative_to("/data"), name
        assert stack[name] == image[name], name  # compose pins them over .env
    (workdir,) = docker("WORKDIR")[-1:]
    assert workdir == "/data"  # relative defaults land in the volume too


def test_image_and_compose_environment_names_only_real_settings() -> None:
    names = set(docker_env()) | set(SERVICE["environment"])  # type: ignore[arg-type]
    assert names - set(SETTINGS_BY_NAME) <= THIRD_PARTY_ENV
    values = {**docker_env(), **SERVICE["environment"]}  # type: ignore[dict-item]
    parse_settings({k: v for k, v in values.items() if k in SETTINGS_BY_NAME})


def test_compose_reads_env_restarts_and_waits_for_the_drain() -> None:
    assert SERVICE["env_file"] == ".env"  # type: ignore[index]
    assert SERVICE["restart"] in ("unless-stopped", "always")  # type: ignore[index]
    assert seconds(SERVICE["stop_grace_period"]) > SHUTDOWN_DEADLINE  # type: ignore[index,arg-type]
    assert SERVICE["stop_signal"] == "SIGTERM"  # type: ignore[index]


def test_dockerignore_keeps_secrets_out_and_lets_the_sources_in() -> None:
    ignored = {
        ln.strip()
        for ln in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    }
    assert {".env", "*.session", "*.db", ".venv", ".git", "tests"} <= ignored
    copied = [w for args in docker("COPY") for w in args.split()[:-1]]
    assert set(copied) == {"pyproject.toml", "README.md", "bot"}
    assert not set(copied) & ignored


# -- README --------------------------------------------------------------------------------------


def _production_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Running in production")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def test_readme_production_section_names_the_deployment_files() -> None:
    section = _production_section()
    for name in ("deploy/uavwatch.service", "compose.yaml", "Dockerfile", "uavwatch status"):
        assert name in section, name


_SHELL_OPERATORS = {"|", "||", "&&", ";", ">", "2>"}


def _words(line: str) -> list[str]:
    """Shell words, with `sh -c '...'` scripts split too."""
    out: list[str] = []
    for word in shlex.split(line, comments=True):
        out += _words(word) if " " in word or "\n" in word else [word]
    return out


def _logical_lines(script: str) -> list[list[str]]:
    """Words of each command, a quoted string running over several lines kept whole."""
    out, pending = [], ""
    for line in script.splitlines():
        pending = f"{pending}\n{line}" if pending else line
        try:
            out.append(_words(pending))
        except ValueError:  # "No closing quotation": the quote goes on on the next line
            continue
        pending = ""
    assert not pending, f"unclosed quote in the README: {pending!r}"
    return out


def _uavwatch_commands() -> list[list[str]]:
    """The argv after each `uavwatch` binary in the section's shell blocks: `uavwatch ...`,
    `.../bin/uavwatch ...`, `exec uavwatch uavwatch ...` and `run --rm uavwatch ...` (compose:
    the image's entrypoint is uavwatch)."""
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", _production_section(), re.DOTALL)
    commands = []
    for words in _logical_lines("\n".join(blocks).replace("\\\n", " ")):
        for i, word in enumerate(words):
            binary = word.endswith("/bin/uavwatch") or (word == "uavwatch" and i == 0)
            compose = word == "uavwatch" and words[max(0, i - 2) : i] in (
                ["exec", "uavwatch"], ["run", "--rm"],
            )  # fmt: skip
            if binary or compose:
                argv = words[i + 1 :]
                cut = next((j for j, w in enumerate(argv) if w in _SHELL_OPERATORS), len(argv))
                commands.append(argv[:cut])
    return commands


def test_readme_production_commands_exist() -> None:
    """Every uavwatch command in the section's shell blocks parses with our CLI."""
    commands = _uavwatch_commands()
    assert ["run"] not in commands  # systemd and compose start it, not the reader
    assert {c[0] for c in commands} >= {"login", "status"}
    for argv in commands:
        assert_runs(argv)
