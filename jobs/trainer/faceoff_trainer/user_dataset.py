"""User datasets: JSONL validation, deterministic held-out splits, and a suite to score them.

Each line is {"prompt": str, "completion": str} or {"messages": [{"role", "content"}, ...]}
where the last message is the assistant answer. Every bad line is reported with its number
and what is wrong. Splits come from a hash of the line's content (sha256 of canonical JSON):
bucket = hash mod 100; 0-79 train, 80-89 validation, 90-99 test. When validation or test would
be empty (small files), the train items with the highest buckets move there, so both splits
exist once the file has at least 3 valid lines. Identical lines always share a split.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faceoff_trainer.suites.base import MetricInfo, TaskItem, TaskSuite
from faceoff_trainer.text_metrics import normalize_text, rouge_l

ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class DatasetRecord:
    line: int
    prompt: str | None
    completion: str
    messages: list[dict[str, str]] | None
    bucket: int


@dataclass
class DatasetReport:
    ok: bool
    lines: int
    errors: list[dict[str, Any]]
    splits: dict[str, int]
    records: dict[str, list[DatasetRecord]]

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "lines": self.lines, "errors": self.errors, "splits": self.splits}


def _check_text(value: dict[str, Any], name: str) -> str | None:
    if name not in value:
        return f"missing field '{name}'"
    item = value[name]
    if not isinstance(item, str):
        return f"field '{name}' must be a string, got {type(item).__name__}"
    if not item.strip():
        return f"field '{name}' is empty"
    return None


def _check_messages(messages: Any) -> str | None:
    if not isinstance(messages, list):
        return f"field 'messages' must be a list, got {type(messages).__name__}"
    if not messages:
        return "field 'messages' is empty"
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            return f"messages[{index}] must be an object"
        role = message.get("role")
        if role not in ROLES:
            return f"messages[{index}].role must be one of {list(ROLES)}, got {role!r}"
        problem = _check_text(message, "content")
        if problem:
            return f"messages[{index}]: {problem}"
    if messages[-1]["role"] != "assistant":
        return "the last message must have role 'assistant' (the completion to learn)"
    if len(messages) < 2:
        return "'messages' needs at least one message before the assistant answer"
    return None


def parse_line(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """Return (object, None) for a valid line or (None, what is wrong)."""
    if not text.strip():
        return None, "empty line"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc.msg} (column {exc.colno})"
    if not isinstance(value, dict):
        return None, f"expected a JSON object, got {type(value).__name__}"
    if "messages" in value:
        problem = _check_messages(value["messages"])
    elif "prompt" in value or "completion" in value:
        problem = _check_text(value, "prompt") or _check_text(value, "completion")
    else:
        problem = "missing field: expected 'prompt' and 'completion', or 'messages'"
    return (None, problem) if problem else (value, None)


def _bucket(value: dict[str, Any]) -> int:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return int(hashlib.sha256(canonical.encode()).hexdigest(), 16) % 100


def validate_dataset(path: str | Path) -> DatasetReport:
    errors: list[dict[str, Any]] = []
    records: list[DatasetRecord] = []
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        errors.append({"line": 0, "message": f"cannot read file: {exc.strerror}"})
        return DatasetReport(False, 0, errors, {"train": 0, "validation": 0, "test": 0}, {})
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, data in enumerate(lines, start=1):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            errors.append({"line": number, "message": "not valid UTF-8"})
            continue
        value, problem = parse_line(text)
        if problem or value is None:
            errors.append({"line": number, "message": problem})
            continue
        messages = value.get("messages")
        records.append(
            DatasetRecord(
                line=number,
                prompt=value.get("prompt"),
                completion=messages[-1]["content"] if messages else value["completion"],
                messages=messages[:-1] if messages else None,
                bucket=_bucket(value),
            )
        )
    if not lines:
        errors.append({"line": 0, "message": "the file has no lines"})
    elif records and len(records) < 3:
        errors.append(
            {"line": 0, "message": "need at least 3 valid lines for train/validation/test"}
        )
    splits = split_records(records)
    ok = not errors
    counts = {name: len(items) for name, items in splits.items()}
    return DatasetReport(ok, len(lines), errors, counts, splits)


def split_records(records: list[DatasetRecord]) -> dict[str, list[DatasetRecord]]:
    splits: dict[str, list[DatasetRecord]] = {"train": [], "validation": [], "test": []}
    for record in records:
        name = "train" if record.bucket < 80 else "validation" if record.bucket < 90 else "test"
        splits[name].append(record)
    for name in ("test", "validation"):
        if not splits[name] and len(splits["train"]) > 1:
            moved = max(splits["train"], key=lambda r: (r.bucket, r.line))
            splits["train"].remove(moved)
            splits[name].append(moved)
    return splits


class DatasetSuite(TaskSuite):
    """Scores a user dataset's held-out completions: exact match, ROUGE-L and chrF (the
    shared quality_proxy_chrf)."""

    name = "dataset"
    primary_metric = "exact_match"
    max_new_tokens = 256
    consistency_mode = "none"  # user data has no paraphrases
    templates: dict[str, list[str]] = {}  # noqa: RUF012 - not template based

    def __init__(self, report: DatasetReport, prompt_for: Any) -> None:
        self.report = report
        self.prompt_for = prompt_for  # DatasetRecord -> (prompt text, templated)
        longest = max((len(r.completion) for rs in report.records.values() for r in rs), default=64)
        self.max_new_tokens = min(512, max(16, int(longest * 1.2)))

    def items(self, split: str, count: int) -> list[TaskItem]:
        records = list(self.report.records[split])
        random.Random(f"dataset:{split}").shuffle(records)
        items = []
        for record in records[:count]:
            prompt, templated = self.prompt_for(record)
            items.append(
                TaskItem(
                    item_id=f"line-{record.line}",
                    prompts=(prompt,),
                    completion=record.completion,
                    answer={},
                    templated=templated,
                )
            )
        return items

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        raise NotImplementedError

    def reference(self, fields: dict[str, Any]) -> str:
        raise NotImplementedError

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        return {
            "exact_match": float(normalize_text(output) == normalize_text(item.completion)),
            "rouge_l": rouge_l(output, item.completion),
        }

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "exact_match": MetricInfo(
                "share of outputs equal to the reference completion after lower-casing and "
                "whitespace normalization, 0-1"
            ),
            "rouge_l": MetricInfo("ROUGE-L F1 against the completion, 0-1"),
        }
