"""`uavwatch import`: recognising paths, idempotence, summaries, and broken files that
change nothing. Runs the real command (`bot.cli.main`) against SQLite files in tmp_path."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from bot.cli import main
from bot.importer import ImportInput, InputKind, find_inputs, import_paths

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT_DIR = FIXTURES / "tgexport" / "demo_export"
EXPORT = EXPORT_DIR / "result.json"
PAGES = FIXTURES / "webpreview"
PAGE = PAGES / "demo_governor.html"
BAD_PAGE = FIXTURES / "malformed" / "webpreview_no_date.html"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def rows(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql, params).fetchall()


def snapshot(db: Path) -> list[str]:
    """Every table's full content, as SQL: equal snapshots mean an unchanged archive."""
    with closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def damaged_export(tmp_path: Path, damage: str) -> Path:
    """A copy of the fixture export, truncated or with a doubled comma in message id 5."""
    text = EXPORT.read_text(encoding="utf-8")
    if damage == "truncated":
        text = text[: int(len(text) * 0.8)]
    else:
        at = text.index('"id": 5,') + len('"id": 5,')
        text = text[:at] + "," + text[at:]
    path = tmp_path / "damaged" / "result.json"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- importing


def test_export_folder_is_imported_with_a_summary(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, _ = run(capsys, EXPORT_DIR, "--db", db_path)
    assert code == 0
    assert f"{EXPORT}: Telegram Desktop export, id 1987654321" in out
    assert "6 posts: 6 new, 0 duplicate, 0 edited; 2 service message(s) skipped" in out
    assert rows(db_path, "SELECT telegram_id, username, title FROM channels") == [
        (1987654321, None, "Оперативный штаб Демонской области (демо)")
    ]
    stored = rows(db_path, "SELECT message_id, text, media_kind, source FROM posts ORDER BY 1")
    assert [r[0] for r in stored] == [2, 3, 4, 5, 7, 8]
    assert stored[2] == (4, "", "photo", "import")
    assert rows(db_path, "SELECT date, edited_at FROM posts WHERE message_id = 5") == [
        ("2024-12-01T07:30:00+00:00", "2024-12-01T08:02:00+00:00")
    ]


def test_summary_counts_the_incidents_the_archive_now_holds(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    _, out, _ = run(capsys, EXPORT, "--db", db_path)
    reported = int(re.search(r"(\d+) new incident", out).group(1))  # type: ignore[union-attr]
    assert reported == rows(db_path, "SELECT count(*) FROM incidents")[0][0]


def test_importing_twice_adds_nothing(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    assert run(capsys, EXPORT_DIR, PAGES, "--db", db_path)[0] == 0
    before = snapshot(db_path)
    code, out, _ = run(capsys, EXPORT_DIR, PAGES, "--db", db_path)
    assert code == 0
    assert "total: 16 posts: 0 new, 16 duplicate, 0 edited" in out
    assert "0 new incident(s)" in out
    assert snapshot(db_path) == before


def test_a_folder_of_pages_imports_every_page(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, _ = run(capsys, PAGES, "--db", db_path)
    assert code == 0
    assert out.count("web-preview page, @demo_governor") == 2
    assert "total: 10 posts: 10 new, 0 duplicate, 0 edited; 2 service message(s) skipped" in out
    assert rows(db_path, "SELECT username, title FROM channels") == [
        ("demo_governor", "Губернатор Демонской области")
    ]
    assert rows(db_path, "SELECT views, permalink FROM posts WHERE message_id = 1004") == [
        (8_670_000, "https://t.me/demo_governor/1004")
    ]


def test_channel_option_gives_an_export_its_username_and_permalinks(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    assert run(capsys, EXPORT, "--channel", "@Demo_Ops", "--db", db_path)[0] == 0
    assert rows(db_path, "SELECT username, telegram_id FROM channels") == [("demo_ops", 1987654321)]
    assert rows(db_path, "SELECT permalink FROM posts WHERE message_id = 3") == [
        ("https://t.me/demo_ops/3",)
    ]


def test_export_and_pages_of_one_channel_end_up_as_one_channel(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """1. pages (username only) 2. the export (id only) named with --channel. Result: one row."""
    assert run(capsys, PAGES, "--db", db_path)[0] == 0
    assert run(capsys, EXPORT, "--channel", "demo_governor", "--db", db_path)[0] == 0
    assert rows(db_path, "SELECT username, telegram_id FROM channels") == [
        ("demo_governor", 1987654321)
    ]
    assert rows(db_path, "SELECT count(*) FROM posts")[0][0] == 16


def test_a_changed_text_on_reimport_is_counted_as_an_edit(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    assert run(capsys, EXPORT, "--db", db_path)[0] == 0
    doc = json.loads(EXPORT.read_text(encoding="utf-8"))
    target = next(m for m in doc["messages"] if m["id"] == 2)
    target["text"] = target["text_entities"][0]["text"] = "Канал штаба. Исправленный текст."
    target["edited_unixtime"] = "1733100000"
    newer = tmp_path / "result.json"
    newer.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, newer, "--db", db_path)
    assert code == 0
    assert "6 posts: 0 new, 5 duplicate, 1 edited" in out
    assert rows(
        db_path,
        "SELECT v.version, v.text FROM post_versions v JOIN posts p ON p.id = v.post_id "
        "WHERE p.message_id = 2 ORDER BY v.version",
    ) == [
        (1, "Канал оперативного штаба. Здесь — только проверенная информация."),
        (2, "Канал штаба. Исправленный текст."),
    ]


def test_home_region_is_stored_on_the_channel(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    assert run(capsys, PAGE, "--home-region", "RU-SMO", "--db", db_path)[0] == 0
    assert rows(db_path, "SELECT home_region FROM channels") == [("RU-SMO",)]


def test_progress_is_reported_in_bytes_for_both_passes(db_path: Path) -> None:
    bars: list[FakeBar] = []

    def progress(desc: str, total: int) -> FakeBar:
        bars.append(FakeBar(desc, total))
        return bars[-1]

    asyncio.run(import_paths(db_path, [EXPORT, PAGE], progress=progress))
    size = EXPORT.stat().st_size + PAGE.stat().st_size
    assert [(b.desc, b.total, b.done, b.closed) for b in bars] == [
        ("checking", size, size, True),
        ("importing", size, size, True),
    ]


class FakeBar:
    """Stands in for tqdm (the terminal), recording what the importer told it."""

    def __init__(self, desc: str, total: int) -> None:
        self.desc, self.total, self.done, self.closed = desc, total, 0, False

    def update(self, n: int) -> None:
        self.done += n

    def close(self) -> None:
        self.closed = True


# ---------------------------------------------------------------- broken files


@pytest.mark.parametrize("damage", ["truncated", "invalid"])
def test_broken_export_fails_with_line_and_column_and_leaves_the_archive_as_it_was(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, damage: str
) -> None:
    assert run(capsys, PAGES, "--db", db_path)[0] == 0  # the archive already holds posts
    before = snapshot(db_path)
    broken = damaged_export(tmp_path, damage)
    code, out, err = run(capsys, broken, "--db", db_path)
    assert code == 2
    assert out == ""
    assert re.match(rf"uavwatch: error: {re.escape(str(broken))}: line \d+, column \d+: ", err)
    assert ("ends early" if damage == "truncated" else "invalid JSON") in err
    assert "Traceback" not in err
    assert snapshot(db_path) == before


def test_the_exact_place_of_invalid_json_is_named(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    broken = damaged_export(tmp_path, "invalid")
    lines = broken.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if '"id": 5,,' in text)
    column = lines[line - 1].index(",,") + 2
    _, _, err = run(capsys, broken, "--db", db_path)
    assert f"line {line}, column {column}:" in err


def test_message_without_id_names_it_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    assert run(capsys, PAGE, "--db", db_path)[0] == 0
    before = snapshot(db_path)
    doc = json.loads(EXPORT.read_text(encoding="utf-8"))
    del doc["messages"][4]["id"]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, path, "--db", db_path)
    assert code == 2
    assert "messages[4], message #5 in the file: 'id' is missing" in err
    assert snapshot(db_path) == before


def test_a_malformed_page_among_good_ones_imports_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, err = run(capsys, PAGE, BAD_PAGE, "--db", db_path)
    assert code == 2
    assert out == ""
    assert f"{BAD_PAGE}: element div.tgme_widget_message #2" in err
    assert not db_path.exists()  # checked before the archive was even opened


def test_full_account_export_is_refused(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"about": "x", "chats": {"list": []}}), encoding="utf-8")
    code, _, err = run(capsys, tmp_path, "--db", db_path)
    assert code == 2
    assert "full-account export" in err and "Export chat history" in err


# ---------------------------------------------------------------- paths and options


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.json", "no such file or folder"),
        (lambda d: (d / "notes.txt").write_text("hi") and d / "notes.txt", "not a file"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "has no result.json and no .html"),
    ],
)
def test_unusable_paths_are_named_with_what_is_accepted(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    make: Callable[[Path], Path],
    message: str,
) -> None:
    path = make(tmp_path)
    code, _, err = run(capsys, path, "--db", db_path)
    assert code == 2
    assert f"{path}: " in err and message in err
    assert "accepted: a Telegram Desktop export" in err


def test_inputs_are_recognised_by_name_and_folders_are_expanded(tmp_path: Path) -> None:
    shutil.copy(PAGE, tmp_path / "b.html")
    shutil.copy(PAGE, tmp_path / "a.HTM")
    (tmp_path / "notes.md").write_text("not a page")
    assert find_inputs([EXPORT_DIR, tmp_path]) == [
        ImportInput(InputKind.TGEXPORT, EXPORT),
        ImportInput(InputKind.WEBPREVIEW, tmp_path / "a.HTM"),
        ImportInput(InputKind.WEBPREVIEW, tmp_path / "b.html"),
    ]


def test_home_region_for_several_channels_is_refused(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = run(capsys, EXPORT, PAGE, "--home-region", "RU-SMO", "--db", db_path)
    assert code == 2
    assert "2 channels" in err and "import each channel separately" in err
    assert not db_path.exists()


def test_channel_option_that_contradicts_a_page_is_refused(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = run(capsys, PAGE, "--channel", "someone_else", "--db", db_path)
    assert code == 2
    assert "'demo_governor'" in err and "'someone_else'" in err


def test_a_channel_option_that_is_no_username_is_refused(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = run(capsys, EXPORT, "--channel", "not a name!", "--db", db_path)
    assert code == 2
    assert "--channel" in err and "not a Telegram channel username" in err


def test_an_unknown_home_region_is_refused_before_the_archive_is_created(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = run(capsys, PAGE, "--home-region", "Атлантида", "--db", db_path)
    assert code == 2
    assert "unknown region 'Атлантида'" in err
    assert not db_path.exists()
