"""User datasets: every bad line reported by number; deterministic hash splits; CLI report."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import REPO_ROOT, python, subprocess_env

from faceoff_trainer.user_dataset import validate_dataset


def _good_lines(count: int) -> list[str]:
    lines = []
    for n in range(count):
        if n % 2:
            lines.append(json.dumps({"prompt": f"What is {n} plus 1?", "completion": str(n + 1)}))
        else:
            lines.append(
                json.dumps(
                    {
                        "messages": [
                            {"role": "user", "content": f"Say the number {n}."},
                            {"role": "assistant", "content": f"{n}"},
                        ]
                    }
                )
            )
    return lines


def test_bad_lines_are_reported_by_number(tmp_path: Path) -> None:
    lines = _good_lines(6)
    lines[1] = "{not json"
    lines[3] = json.dumps({"prompt": "hi"})
    lines[4] = json.dumps({"prompt": 3, "completion": "x"})
    lines.insert(5, json.dumps({"prompt": "   ", "completion": "x"}))
    lines.append(json.dumps({"messages": [{"role": "user", "content": "no answer"}]}))
    lines.append("")
    lines.append("[1, 2]")
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n")
    report = validate_dataset(path)
    assert not report.ok
    by_line = {e["line"]: e["message"] for e in report.errors}
    assert "not valid JSON" in by_line[2]
    assert "missing field 'completion'" in by_line[4]
    assert "must be a string" in by_line[5]
    assert "empty" in by_line[6]
    assert "assistant" in by_line[8]
    assert by_line[9] == "empty line"
    assert "expected a JSON object" in by_line[10]
    assert len(report.errors) == 7


def test_splits_are_deterministic_and_content_based(tmp_path: Path) -> None:
    lines = _good_lines(60)
    first = tmp_path / "a.jsonl"
    first.write_text("\n".join(lines) + "\n")
    second = tmp_path / "b.jsonl"
    second.write_text("\n".join(reversed(lines)) + "\n")
    report_a, report_b = validate_dataset(first), validate_dataset(second)
    assert report_a.ok and report_b.ok
    assert report_a.splits == report_b.splits
    assert sum(report_a.splits.values()) == 60
    assert report_a.splits["validation"] >= 1 and report_a.splits["test"] >= 1
    test_a = {r.completion for r in report_a.records["test"]}
    test_b = {r.completion for r in report_b.records["test"]}
    assert test_a == test_b


def test_cli_validate_dataset(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join([*_good_lines(10), "oops"]) + "\n")
    done = subprocess.run(
        [python(), "-m", "faceoff_trainer", "validate-dataset", "--path", str(path)],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert report["ok"] is False
    assert report["lines"] == 11
    assert report["errors"] == [{"line": 11, "message": report["errors"][0]["message"]}]
    assert set(report["splits"]) == {"train", "validation", "test"}
    path.write_text("\n".join(_good_lines(10)) + "\n")
    done = subprocess.run(
        [python(), "-m", "faceoff_trainer", "validate-dataset", "--path", str(path)],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["ok"] is True


def test_train_with_bad_dataset_fails_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    lines = _good_lines(8)
    lines[2] = '{"prompt": "x", "completion": ""}'
    lines[6] = "nope"
    path.write_text("\n".join(lines) + "\n")
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {"run_id": "bad-data", "task": "dataset", "dataset_path": str(path), "max_steps": 1}
        )
    )
    done = subprocess.run(
        [
            python(),
            "-m",
            "faceoff_trainer",
            "train",
            "--config",
            str(config),
            "--output-dir",
            str(tmp_path / "out"),
        ],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stderr[-2000:]
    failed = json.loads(done.stdout.splitlines()[-1])
    assert failed["event"] == "failed" and failed["kind"] == "bad_data"
    assert [e["line"] for e in failed["errors"]] == [3, 7]
    assert "line 3" in failed["message"]
