"""data_analysis: answer a numeric question about a short list of values.

Operations: total, maximum, minimum, mean, range, count above a threshold, median.
Metric: numeric_accuracy, the answer on the `answer:` line is within 0.01 of the exact value
(references are integers or means rounded to 2 decimals).
"""

from __future__ import annotations

import random
import re
import statistics
from typing import Any

from faceoff_trainer.suites.base import FORMAT_ONLY, MetricInfo, TaskItem, TaskSuite, field_line

LABELS = [
    "daily visitors",
    "weekly sales",
    "temperatures",
    "order sizes",
    "response times",
    "page views",
    "support tickets",
    "units shipped",
    "signups",
    "error counts",
]
OPERATIONS: dict[str, str] = {
    "total": "total",
    "maximum": "largest value",
    "minimum": "smallest value",
    "mean": "average",
    "range": "range (largest minus smallest)",
    "count_above": "number of values above {threshold}",
    "median": "median",
}
TEMPLATES: dict[str, list[str]] = {
    "train": [
        "{label}: {values}. What is the {question}?",
        "Here are the {label}: {values}. Find the {question}.",
        "Data ({label}): {values}. Report the {question}.",
        "Given {label} of {values}, what is the {question}?",
        "The {label} were {values}. Compute the {question}.",
    ],
    "validation": [
        "Looking at these {label} - {values} - what's the {question}?",
        "Calculate the {question} of the {label} {values}.",
    ],
    "test": [
        "We recorded {label} as follows: {values}. Tell me the {question}.",
        "What is the {question} for the {label} listed here: {values}?",
        "Analyse the {label} [{values}] and give the {question}.",
    ],
}
TOLERANCE = 0.01
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def format_number(value: float) -> str:
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.2f}".rstrip("0")


def parse_answer(output: str) -> float | None:
    line = field_line(output, "answer")
    match = NUMBER.search(line if line is not None else output)
    return float(match.group()) if match else None


def within_tolerance(predicted: float | None, reference: float) -> bool:
    if predicted is None:
        return False
    return abs(predicted - reference) <= TOLERANCE + 1e-9


def compute(operation: str, values: list[int], threshold: int) -> float:
    results = {
        "total": lambda: float(sum(values)),
        "maximum": lambda: float(max(values)),
        "minimum": lambda: float(min(values)),
        "mean": lambda: sum(values) / len(values),
        "range": lambda: float(max(values) - min(values)),
        "count_above": lambda: float(sum(1 for v in values if v > threshold)),
        "median": lambda: float(statistics.median(values)),
    }
    return results[operation]()


class DataAnalysis(TaskSuite):
    name = "data_analysis"
    primary_metric = "numeric_accuracy"
    max_new_tokens = 16
    stop = "\n"  # the answer is one line
    templates = TEMPLATES

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        operation = rng.choice(sorted(OPERATIONS))
        count = rng.choice([3, 5]) if operation == "median" else rng.randint(3, 6)
        values = [rng.randint(1, 40) for _ in range(count)]
        threshold = rng.randint(5, 35)
        return {
            "label": rng.choice(LABELS),
            "values": ", ".join(str(v) for v in values),
            "question": OPERATIONS[operation].format(threshold=threshold),
            "result": compute(operation, values, threshold),
        }

    def reference(self, fields: dict[str, Any]) -> str:
        return f"answer: {format_number(fields['result'])}"

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"value": fields["result"]}

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        predicted = parse_answer(output)
        return {
            "numeric_accuracy": float(within_tolerance(predicted, item.answer["value"])),
            "answer_parsed_rate": float(predicted is not None),
        }

    def answer_key(self, item: TaskItem, output: str) -> object:
        predicted = parse_answer(output)
        return None if predicted is None else round(predicted, 2)

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "numeric_accuracy": MetricInfo(
                "share of outputs whose numeric answer is within 0.01 of the exact value, 0-1"
            ),
            "answer_parsed_rate": MetricInfo(
                "share of outputs containing a number, 0-1", caveat=FORMAT_ONLY
            ),
        }
