"""Property-based fuzzing of the dataset validator: generated files of arbitrary bytes, text,
JSON values and near-valid records. The validator never raises, every refused line has its
number and a message, and the report's totals agree with a line split done independently."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from faceoff_trainer.user_dataset import (
    MAX_REPORTED_ERRORS,
    ROLES,
    check_line,
    read_lines,
    validate_stream,
)

LINES_PER_EXAMPLE = (30, 45)  # at least 29 lines per file: over 10,000 lines in all
EXAMPLES = 350
SMALL_LIMIT = 120  # a short line cap, so long lines and chunk edges are exercised too
seen = {"lines": 0, "examples": 0}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=5,
)
texts = st.one_of(st.text(max_size=40), st.sampled_from(["", " ", "\n", "\ud800", "ok"]))
fields = st.one_of(texts, json_values)
messages = st.lists(
    st.fixed_dictionaries(
        {"role": st.one_of(st.sampled_from([*ROLES, "tool", ""]), json_values)},
        optional={"content": fields},
    )
    | json_values,
    max_size=4,
)
records = st.one_of(
    st.fixed_dictionaries({}, optional={"prompt": fields, "completion": fields, "x": json_values}),
    st.fixed_dictionaries({"messages": messages}, optional={"prompt": fields}),
)


def _encoded(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


line_bytes = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=60).map(lambda text: text.encode("utf-8", "surrogatepass")),
    json_values.map(_encoded),
    records.map(_encoded),
    records.map(lambda value: _encoded(value)[:-1]),  # truncated: almost JSON
    st.integers(1, 3000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(4000, 4400).map(lambda digits: b"9" * digits),
)
files = st.tuples(
    st.lists(line_bytes, min_size=LINES_PER_EXAMPLE[0], max_size=LINES_PER_EXAMPLE[1]),
    st.booleans(),
)


def _physical_lines(data: bytes) -> list[bytes]:
    """The file's lines, split independently of the validator."""
    if not data:
        return []
    parts = data.split(b"\n")
    return parts[:-1] if data.endswith(b"\n") else parts


def _check(data: bytes, limit: int | None) -> None:
    lines = _physical_lines(data)
    kwargs = {} if limit is None else {"max_line_bytes": limit}
    refused = 0
    read = list(read_lines(io.BytesIO(data), *(() if limit is None else (limit,))))
    assert [number for number, _ in read] == list(range(1, len(lines) + 1))
    for (number, content), line in zip(read, lines, strict=True):
        if limit is not None and len(line) > limit:
            assert content is None
        else:
            assert content == line
        record, problem = check_line(number, content, *(() if limit is None else (limit,)))
        if record is None:
            refused += 1
            assert isinstance(problem, str) and problem.strip()
        else:
            assert problem is None and record.line == number and record.completion.strip()
    # Keeping records or only counting must agree; check both under the default cap.
    for keep in (True, False) if limit is None else (False,):
        report = validate_stream(io.BytesIO(data), keep_records=keep, **kwargs)
        assert report.lines == len(lines)
        assert len(report.errors) <= MAX_REPORTED_ERRORS
        for error in report.errors:
            assert isinstance(error["line"], int) and 0 <= error["line"] <= len(lines)
            assert isinstance(error["message"], str) and error["message"].strip()
        file_problems = report.error_count - refused
        assert file_problems in (0, 1)
        assert sum(report.splits.values()) == len(lines) - refused
        assert report.ok == (report.error_count == 0)
        json.dumps(report.to_json())  # the CLI prints it


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files)
def _fuzz(generated: tuple[list[bytes], bool]) -> None:
    lines, trailing_newline = generated
    data = b"\n".join(lines) + (b"\n" if trailing_newline else b"")
    seen["examples"] += 1
    seen["lines"] += len(_physical_lines(data))
    _check(data, None)
    _check(data, SMALL_LIMIT)


def test_validator_survives_generated_files() -> None:
    seen.update(lines=0, examples=0)
    _fuzz()
    assert seen["lines"] >= 10_000, seen
