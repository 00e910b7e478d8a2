"""Bench: what the code sandbox costs per evaluated output.

    python3 jobs/trainer/bench_sandbox.py [--items 30] [--out FILE.json]

Scores code_generation test items (each rendered with its paraphrases, 4 unit tests per
output) with correct, wrong and syntactically broken outputs through the real sandbox, and
prints the wall time per output as a Markdown table, with the one-off probe of the sandbox.
Each output costs one bwrap sandbox and one interpreter start; each test case one fork inside.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

TRAINER_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(TRAINER_DIR))

from faceoff_trainer.suites import get_suite  # noqa: E402
from faceoff_trainer.suites.sandbox import isolation  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if args.items < 1:
        parser.error("--items must be at least 1")
    started = time.perf_counter()
    state = isolation()
    probe_s = time.perf_counter() - started
    if state.command is None:
        print(f"no sandbox here: {state.reason}", file=sys.stderr)
        return 2
    suite = get_suite("code_generation")
    items = suite.items("test", args.items)
    kinds = {
        "correct": lambda item: item.completion,
        "wrong": lambda item: f"def {item.answer['name']}(*args):\n    return None\n",
        "syntax error": lambda item: "def (:\n",
    }
    rows: list[dict[str, Any]] = []
    for kind, output_for in kinds.items():
        outputs = [[output_for(item) for _ in item.prompts] for item in items]
        count = sum(len(o) for o in outputs)
        started = time.perf_counter()
        metrics = suite.score(items, outputs)
        seconds = time.perf_counter() - started
        rows.append(
            {
                "outputs": kind,
                "count": count,
                "seconds": round(seconds, 3),
                "ms_per_output": round(1000 * seconds / count, 1),
                "unit_test_pass_rate": metrics["unit_test_pass_rate"],
            }
        )
    print(f"sandbox probe (once per process): {probe_s * 1000:.0f} ms\n")
    print("| outputs | count | total (s) | per output (ms) | unit_test_pass_rate |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['outputs']} | {row['count']} | {row['seconds']:.2f} | "
            f"{row['ms_per_output']:.1f} | {row['unit_test_pass_rate']:.2f} |"
        )
    if args.out:
        Path(args.out).write_text(json.dumps({"probe_s": probe_s, "rows": rows}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
