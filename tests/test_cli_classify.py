"""`uavwatch classify` and `uavwatch eval` as a user runs them."""

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.classify_cmd import classify_jsonl

CORPUS = Path(__file__).parent / "corpus" / "posts.jsonl"


def test_classify_text_prints_a_readable_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "Над Смоленской областью уничтожены два БПЛА. Пострадавших нет."]) == 0
    out = capsys.readouterr().out
    assert out.startswith("uav_incident")
    assert "destroyed  2" in out
    assert "RU-SMO" in out


def test_explain_shows_the_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    main(["classify", "--explain", "Сбиты три БПЛА."])
    out = capsys.readouterr().out
    assert "evidence:" in out
    assert "'Сбиты'" in out


def test_unknown_home_region_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--home-region", "Атлантида", "Сбит БПЛА."]) == 2
    err = capsys.readouterr().err
    assert "--home-region 'Атлантида'" in err
    assert "RU-SMO" in err  # says what a valid value looks like
    assert "Traceback" not in err


def test_jsonl_passes_extra_keys_and_reports_bad_lines_by_number() -> None:
    lines = [
        json.dumps({"id": "a1", "text": "Сбиты два БПЛА.", "home_region": "RU-KRS"}),
        "{not json",
        json.dumps({"id": "a3", "no_text": True}),
        "",
        json.dumps({"id": "a5", "text": "Ракетная опасность!", "home_region": "Нигдения"}),
        json.dumps({"id": "a6", "text": "Two drones were shot down over the Kursk region."}),
    ]
    out, err = io.StringIO(), io.StringIO()
    code = classify_jsonl(lines, out, err, source="in.jsonl")
    assert code == 1
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a6"]
    assert rows[0]["label"] == "uav_incident"
    assert rows[0]["drones_destroyed"] == 2
    assert rows[0]["regions"][0]["code"] == "RU-KRS"
    assert rows[0]["regions"][0]["name_ru"] == "Курская область"
    assert rows[0]["classifier_version"]
    assert set(rows[0]) >= {
        "label",
        "confidence",
        "lang",
        "drones_launched",
        "outcome",
        "weapons",
        "casualties",
        "damage",
        "time_window",
    }
    messages = err.getvalue()
    assert "in.jsonl:2:" in messages
    assert "in.jsonl:3:" in messages
    assert "in.jsonl:5:" in messages and "Нигдения" in messages
    assert "3 bad line(s)" in messages


def test_jsonl_file_through_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text(json.dumps({"text": "Отбой беспилотной опасности."}) + "\n", encoding="utf-8")
    assert main(["classify", "--jsonl", str(src)]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["label"], row["threat_state"]) == ("uav_threat", "end")


def test_missing_jsonl_file_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--jsonl", "/nonexistent/posts.jsonl"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_sample_runs_with_no_configuration(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "--sample"]) == 0
    out = capsys.readouterr().out
    assert out.count("classifier ") >= 8
    for label in ("uav_incident", "uav_threat", "other_attack", "not_relevant"):
        assert label in out


def test_eval_prints_scores_beside_the_keyword_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(CORPUS), "--split", "heldout", "--errors"]) == 0
    out = capsys.readouterr().out
    assert "base F1" in out
    assert "confusion" in out
    assert "drones_destroyed" in out


def test_eval_rejects_a_corpus_line_without_a_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n', encoding="utf-8")
    assert main(["eval", str(bad)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err
