"""User datasets: JSONL validation, deterministic held-out splits, and a suite to score them.

Each line is {"prompt": str, "completion": str} or {"messages": [{"role", "content"}, ...]}
where the last message is the assistant answer. Every bad line is counted and the first
MAX_REPORTED_ERRORS are reported with their number and what is wrong. Splits come from a hash of
the line's content (sha256 of canonical JSON): bucket = hash mod 100; 0-79 train, 80-89
validation, 90-99 test. When validation or test would be empty (small files), the train items
with the highest buckets move there, so both splits exist once the file has at least 3 valid
lines. Identical lines always share a split.

Validation streams the file line by line: memory does not grow with the file. A line longer
than MAX_LINE_BYTES is reported and skipped in chunks without being held whole, JSON nested too
deeply for the parser is reported as such, and only the first errors are kept (plus a count).
The validator (`validate-dataset`) and the trainer's loading run the same checks; only the
trainer keeps the valid records (it trains on them).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from faceoff_trainer.suites.base import MetricInfo, TaskItem, TaskSuite
from faceoff_trainer.text_metrics import normalize_text, rouge_l

ROLES = ("system", "user", "assistant")
MAX_LINE_BYTES = 1 << 20
MAX_REPORTED_ERRORS = 20
READ_CHUNK = 1 << 18
SPLITS = ("train", "validation", "test")
MIN_VALID_LINES = 3


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
    errors: list[dict[str, Any]]  # the first MAX_REPORTED_ERRORS problems, by line
    error_count: int  # all problems
    splits: dict[str, int]
    records: dict[str, list[DatasetRecord]] = field(default_factory=dict)  # when kept

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "lines": self.lines,
            "errors": self.errors,
            "error_count": self.error_count,
            "splits": self.splits,
        }


def _check_text(value: dict[str, Any], name: str) -> str | None:
    if name not in value:
        return f"missing field '{name}'"
    item = value[name]
    if not isinstance(item, str):
        return f"field '{name}' must be a string, got {type(item).__name__}"
    if not item.strip():
        return f"field '{name}' is empty"
    try:
        item.encode("utf-8")
    except UnicodeEncodeError:
        return f"field '{name}' contains an unpaired surrogate escape (\\ud800-\\udfff)"
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
        if not isinstance(role, str) or role not in ROLES:
            scalar = role is None or isinstance(role, str | int | float | bool)
            shown = f"{role!r:.80}" if scalar else type(role).__name__
            return f"messages[{index}].role must be one of {list(ROLES)}, got {shown}"
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
    except ValueError:  # the only other one: an integer beyond Python's digit limit
        return None, "not valid JSON: a number has too many digits"
    except RecursionError:
        return None, "JSON nested too deeply"
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
    return int(hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest(), 16) % 100


def _split_of(bucket: int) -> str:
    return "train" if bucket < 80 else "validation" if bucket < 90 else "test"


def read_lines(handle: BinaryIO, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes without the newline) per line; None for a line longer than `limit`
    bytes, which is skipped without being held: memory stays under limit + 2 x READ_CHUNK."""
    number = 0
    pending = b""  # the start of a line that continues in the next chunk (at most `limit`)
    skipping = False  # inside a line already known to be too long
    while chunk := handle.read(READ_CHUNK):
        if skipping:
            cut = chunk.find(b"\n")
            if cut < 0:
                continue
            number += 1
            yield number, None
            chunk = chunk[cut + 1 :]
            skipping = False
        parts = chunk.split(b"\n")
        parts[0] = pending + parts[0]
        pending = parts.pop()
        for part in parts:
            number += 1
            yield number, part if len(part) <= limit else None
        if len(pending) > limit:
            pending = b""
            skipping = True
    if skipping or pending:
        number += 1
        yield number, None if skipping else pending


def check_line(
    number: int, data: bytes | None, limit: int = MAX_LINE_BYTES
) -> tuple[DatasetRecord | None, str | None]:
    """One line's record, or what is wrong with it (data None: longer than `limit` bytes):
    the checks shared by the validator and the trainer."""
    if data is None:
        return None, f"longer than {limit} bytes"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not valid UTF-8"
    try:
        value, problem = parse_line(text)
        if problem or value is None:
            return None, problem or "not a record"
        bucket = _bucket(value)
    except RecursionError:
        return None, "JSON nested too deeply"
    messages = value.get("messages")
    record = DatasetRecord(
        line=number,
        prompt=value.get("prompt"),
        completion=messages[-1]["content"] if messages else value["completion"],
        messages=messages[:-1] if messages else None,
        bucket=bucket,
    )
    return record, None


class _Problems:
    """The first MAX_REPORTED_ERRORS problems and how many there were."""

    def __init__(self) -> None:
        self.first: list[dict[str, Any]] = []
        self.count = 0

    def add(self, line: int, message: str) -> None:
        self.count += 1
        if len(self.first) < MAX_REPORTED_ERRORS:
            self.first.append({"line": line, "message": message})

    def add_file_problem(self, message: str) -> None:
        """A problem with the whole file (line 0) is always reported, first."""
        self.count += 1
        self.first = [{"line": 0, "message": message}, *self.first][:MAX_REPORTED_ERRORS]


def validate_dataset(path: str | Path, keep_records: bool = True) -> DatasetReport:
    """Check every line of a JSONL dataset file, streaming; `keep_records=False` (the validator
    command) keeps only counts, so memory stays bounded whatever the file's size."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; open errors are reported
    except OSError as exc:
        problems = _Problems()
        problems.add_file_problem(f"cannot read file: {exc.strerror or exc}")
        return DatasetReport(False, 0, problems.first, problems.count, dict.fromkeys(SPLITS, 0))
    with handle:
        return validate_stream(handle, keep_records)


def validate_stream(
    handle: BinaryIO, keep_records: bool = True, max_line_bytes: int = MAX_LINE_BYTES
) -> DatasetReport:
    """validate_dataset on an open binary stream."""
    problems = _Problems()
    records: list[DatasetRecord] = []
    counts = dict.fromkeys(SPLITS, 0)
    lines = 0
    try:
        for number, data in read_lines(handle, max_line_bytes):
            lines = number
            if data == b"":  # fast path for runs of blank lines
                problems.add(number, "empty line")
                continue
            record, problem = check_line(number, data, max_line_bytes)
            if record is None:
                problems.add(number, problem or "invalid line")
                continue
            counts[_split_of(record.bucket)] += 1
            if keep_records:
                records.append(record)
    except OSError as exc:
        problems.add_file_problem(f"cannot read file after line {lines}: {exc.strerror or exc}")
    valid = sum(counts.values())
    if not lines and not problems.count:
        problems.add_file_problem("the file has no lines")
    elif 0 < valid < MIN_VALID_LINES:
        problems.add_file_problem(
            f"need at least {MIN_VALID_LINES} valid lines for train/validation/test"
        )
    splits = split_records(records) if keep_records else {}
    if keep_records:
        counts = {name: len(items) for name, items in splits.items()}
    else:
        counts = _moved_counts(counts)
    return DatasetReport(problems.count == 0, lines, problems.first, problems.count, counts, splits)


def _moved_counts(counts: dict[str, int]) -> dict[str, int]:
    """The split sizes split_records gives, from the bucket counts alone."""
    counts = dict(counts)
    for name in ("test", "validation"):
        if not counts[name] and counts["train"] > 1:
            counts["train"] -= 1
            counts[name] += 1
    return counts


def split_records(records: list[DatasetRecord]) -> dict[str, list[DatasetRecord]]:
    splits: dict[str, list[DatasetRecord]] = {name: [] for name in SPLITS}
    for record in records:
        splits[_split_of(record.bucket)].append(record)
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

    def items(self, split: str, count: int, paraphrases: int | None = None) -> list[TaskItem]:
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
