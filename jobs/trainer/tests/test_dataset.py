"""User datasets: bad lines reported by number (the first ones, plus a count), streaming with
bounded memory, deterministic hash splits, and the CLI report."""

from __future__ import annotations

import json
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from conftest import REPO_ROOT, python, run_trainer_cli, subprocess_env

from faceoff_trainer.config import parse_config
from faceoff_trainer.data import checked_dataset
from faceoff_trainer.errors import BadData
from faceoff_trainer.user_dataset import (
    MAX_LINE_BYTES,
    MAX_REPORTED_ERRORS,
    READ_CHUNK,
    DatasetReport,
    validate_dataset,
)


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
    assert report["error_count"] == 1
    assert set(report) == {"ok", "lines", "errors", "error_count", "splits"}
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
    done = run_trainer_cli(
        "train", "--config", str(config), "--output-dir", str(tmp_path / "out"), timeout=300
    )
    assert done.returncode == 2, done.stderr[-2000:]
    failed = json.loads(done.stdout.splitlines()[-1])
    assert failed["event"] == "failed" and failed["kind"] == "bad_data"
    assert [e["line"] for e in failed["errors"]] == [3, 7]
    assert "line 3" in failed["message"]


def _report(tmp_path: Path, data: bytes, keep_records: bool = True) -> DatasetReport:
    path = tmp_path / "data.jsonl"
    path.write_bytes(data)
    return validate_dataset(path, keep_records=keep_records)


def _good_bytes(count: int) -> bytes:
    return "".join(line + "\n" for line in _good_lines(count)).encode()


def test_a_line_over_the_length_cap_is_reported_and_skipped(tmp_path: Path) -> None:
    head = b'{"prompt": "'
    tail = b'", "completion": "x"}'
    at_cap = head + b"a" * (MAX_LINE_BYTES - len(head) - len(tail)) + tail
    over_cap = head + b"a" * (3 * MAX_LINE_BYTES) + tail
    data = _good_bytes(3) + at_cap + b"\n" + over_cap + b"\n" + _good_bytes(2) + over_cap
    report = _report(tmp_path, data)
    assert len(at_cap) == MAX_LINE_BYTES
    assert report.lines == 8
    assert report.errors == [
        {"line": 5, "message": f"longer than {MAX_LINE_BYTES} bytes"},
        {"line": 8, "message": f"longer than {MAX_LINE_BYTES} bytes"},
    ]
    assert report.error_count == 2
    kept = sorted(r.line for records in report.records.values() for r in records)
    assert kept == [1, 2, 3, 4, 6, 7]


def test_a_huge_line_is_not_held_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"prompt": "')
        for _ in range(24):
            handle.write(b"a" * (1 << 20))
        handle.write(b'", "completion": "x"}\n')
        handle.write(b"\n" * 200_000)
    tracemalloc.start()
    try:
        report = validate_dataset(path, keep_records=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.lines == 200_001 and report.error_count == 200_001
    assert len(report.errors) == MAX_REPORTED_ERRORS
    assert report.errors[0] == {"line": 1, "message": f"longer than {MAX_LINE_BYTES} bytes"}
    assert peak < 3 * MAX_LINE_BYTES + 4 * READ_CHUNK


def test_deep_nesting_and_oversized_numbers_are_clear_errors(tmp_path: Path) -> None:
    deep_list = b"[" * 200_000 + b"]" * 200_000
    deep_inside = b'{"prompt": "a", "completion": "b", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    huge_number = b'{"prompt": "a", "completion": "b", "n": ' + b"7" * 5000 + b"}"
    surrogate = b'{"prompt": "\\ud800", "completion": "b"}'
    surrogate_elsewhere = b'{"prompt": "a", "completion": "b", "note": "\\udfff"}'
    data = b"\n".join([deep_list, deep_inside, huge_number, surrogate, surrogate_elsewhere])
    report = _report(tmp_path, data + b"\n" + _good_bytes(3))
    by_line = {e["line"]: e["message"] for e in report.errors}
    assert by_line[1] == "JSON nested too deeply"
    assert by_line[2] == "JSON nested too deeply"
    assert by_line[3] == "not valid JSON: a number has too many digits"
    assert "field 'prompt' contains an unpaired surrogate" in by_line[4]
    assert 5 not in by_line  # extra fields are not trained on; the line still gets a bucket
    assert report.error_count == 4


def test_only_the_first_errors_are_listed_with_the_total(tmp_path: Path) -> None:
    data = _good_bytes(5) + b"oops\n" * 1000
    report = _report(tmp_path, data, keep_records=False)
    assert report.error_count == 1000
    assert [e["line"] for e in report.errors] == list(range(6, 6 + MAX_REPORTED_ERRORS))
    assert report.to_json() == {
        "ok": False,
        "lines": 1005,
        "errors": report.errors,
        "error_count": 1000,
        "splits": report.splits,
    }


def test_file_problems_come_first_and_count(tmp_path: Path) -> None:
    report = _report(tmp_path, _good_bytes(2) + b"bad\n" * 30)
    assert report.errors[0] == {
        "line": 0,
        "message": "need at least 3 valid lines for train/validation/test",
    }
    assert len(report.errors) == MAX_REPORTED_ERRORS and report.error_count == 31
    assert _report(tmp_path, b"").errors == [{"line": 0, "message": "the file has no lines"}]
    missing = validate_dataset(tmp_path / "absent.jsonl")
    assert missing.errors == [{"line": 0, "message": "cannot read file: No such file or directory"}]
    assert validate_dataset(tmp_path).errors == [
        {"line": 0, "message": "cannot read file: Is a directory"}
    ]


def test_counting_and_keeping_records_give_the_same_splits(tmp_path: Path) -> None:
    for count in (3, 4, 7, 60):
        data = _good_bytes(count) + b"\n"
        kept = _report(tmp_path, data, keep_records=True)
        counted = _report(tmp_path, data, keep_records=False)
        assert kept.splits == counted.splits
        assert kept.to_json() == counted.to_json()
        assert counted.records == {}


def test_training_reports_the_count_and_the_first_errors(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_bytes(_good_bytes(10) + b"nope\n" * 35)
    config = parse_config({"run_id": "d", "task": "dataset", "dataset_path": str(path)})
    with pytest.raises(BadData) as failure:
        checked_dataset(config)
    assert "35 problem(s); first: line 11: not valid JSON" in str(failure.value)
    fields = failure.value.event_fields()
    assert len(fields["errors"]) == MAX_REPORTED_ERRORS  # type: ignore[arg-type]


class _TemplatedCodec:
    """A codec with a chat template: wraps the user turn in visible markers."""

    has_chat_template = True

    def chat_prompt(self, messages: list[dict[str, str]]) -> tuple[str, bool]:
        return "".join(f"<{m['role']}>{m['content']}</{m['role']}>" for m in messages) + "<a>", True


def test_suite_prompts_use_the_chat_template_when_the_model_has_one() -> None:
    from faceoff_trainer.data import chat_items
    from faceoff_trainer.suites import get_suite
    from faceoff_trainer.tokenizer import ByteTokenizer

    items = get_suite("customer_service").items("test", 2)
    wrapped = chat_items(_TemplatedCodec(), items)  # type: ignore[arg-type]
    for plain, chat in zip(items, wrapped, strict=True):
        assert chat.templated and not plain.templated
        assert chat.prompts == tuple(f"<user>{p}</user><a>" for p in plain.prompts)
        assert chat.completion == plain.completion
    assert chat_items(ByteTokenizer(), items) == items  # the tiny model keeps its plain format
