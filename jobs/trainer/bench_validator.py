"""Bench: the dataset validator on hostile files, peak memory and time.

    python3 jobs/trainer/bench_validator.py [--size-mb 50] [--out FILE.json]

Builds each file (about --size-mb MB) in a temporary directory, runs
`python3 -m faceoff_trainer validate-dataset --path FILE` on it in its own subprocess, and takes
that subprocess's peak RSS from os.wait4 (ru_maxrss) and its wall time. Files: a small valid
file (the interpreter's own footprint), valid records, blank lines, one huge line, deeply nested
JSON lines, invalid lines of several kinds, and many tiny invalid lines (the most lines per MB
that each need parsing: the slowest case). Prints a Markdown table and, with --out,
writes the rows as JSON. The goal is a peak RSS under 200 MB for every file.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TRAINER_DIR = Path(__file__).resolve().parent
GOAL_BYTES = 200 * 1024 * 1024
CHUNK = 1 << 20


def _valid(n: int) -> bytes:
    return json.dumps({"prompt": f"What is {n} plus 1?", "completion": str(n + 1)}).encode()


def _nested(n: int) -> bytes:
    depth = 100_000
    if n % 2:
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


INVALID = [
    b"{not json",
    b'{"prompt": 3, "completion": "x"}',
    b'{"prompt": "only a prompt"}',
    b"[1, 2, 3]",
    b"\xff\xfe not utf-8",
    b'{"messages": [{"role": "user", "content": "no answer"}]}',
    b'{"prompt": "x", "completion": "' + b"1" * 5000 + b'"}' + b"x",
    b'{"prompt": "\\ud800", "completion": "x"}',
    b"1" * 5000,
]


def _lines(kind: str) -> Iterator[bytes]:
    if kind == "valid records":
        yield from (_valid(n) for n in itertools.count())
    elif kind == "blank lines":
        yield from itertools.repeat(b"")
    elif kind == "deeply nested JSON":
        yield from (_nested(n) for n in itertools.count())
    elif kind == "many invalid lines":
        yield from itertools.cycle(INVALID)
    elif kind == "tiny invalid lines":
        yield from itertools.cycle([b"1", b"{}", b"x", b"[]", b'"a"'])
    else:
        raise ValueError(f"unknown kind {kind}")


def build(kind: str, path: Path, size: int) -> None:
    with path.open("wb") as handle:
        if kind == "small valid file":
            handle.write(b"\n".join(_valid(n) for n in range(10)) + b"\n")
            return
        if kind == "one huge line":
            handle.write(b'{"prompt": "')
            for _ in range(size // CHUNK):
                handle.write(b"a" * CHUNK)
            handle.write(b'", "completion": "x"}\n')
            return
        written = 0
        for line in _lines(kind):
            handle.write(line + b"\n")
            written += len(line) + 1
            if written >= size:
                return


def measure(path: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(TRAINER_DIR), "HF_HUB_OFFLINE": "1"}
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "faceoff_trainer", "validate-dataset", "--path", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    report = json.loads(output)
    return {
        "exit_code": process.returncode,
        "seconds": round(seconds, 2),
        "peak_rss_bytes": usage.ru_maxrss * 1024,  # Linux reports KiB
        "lines": report["lines"],
        "error_count": report["error_count"],
        "errors_listed": len(report["errors"]),
        "first_error": report["errors"][0]["message"] if report["errors"] else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=50.0)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if args.size_mb <= 0:
        parser.error("--size-mb must be positive")
    size = int(args.size_mb * 1024 * 1024)
    kinds = [
        "small valid file",
        "valid records",
        "blank lines",
        "one huge line",
        "deeply nested JSON",
        "many invalid lines",
        "tiny invalid lines",
    ]
    rows = []
    with tempfile.TemporaryDirectory(prefix="faceoff-bench-validator-") as work:
        for kind in kinds:
            path = Path(work) / (kind.replace(" ", "-") + ".jsonl")
            build(kind, path, size)
            row = {"file": kind, "bytes": path.stat().st_size, **measure(path)}
            path.unlink()
            rows.append(row)
            print(f"{kind}: done", file=sys.stderr)
    print("| file | size (MB) | lines | errors (listed) | exit | time (s) | peak RSS (MB) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['file']} | {row['bytes'] / 1e6:.1f} | {row['lines']} | "
            f"{row['error_count']} ({row['errors_listed']}) | {row['exit_code']} | "
            f"{row['seconds']:.2f} | {row['peak_rss_bytes'] / 1e6:.1f} |"
        )
    worst = max(row["peak_rss_bytes"] for row in rows)
    verdict = "under" if worst < GOAL_BYTES else "OVER"
    print(f"\nHighest peak RSS {worst / 1e6:.1f} MB: {verdict} the 200 MB goal.")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if worst < GOAL_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
