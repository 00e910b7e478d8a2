"""code_generation: write a small Python function from a description; run it against tests.

Each item is one function family (arithmetic, comparisons, strings, lists) with a random name
and constant. Generated code is executed by `sandbox.run_function_tests` in a bubblewrap sandbox
(no network, read-only file system, resource and time limits; see sandbox.py): each test case
runs in a fresh process and its returned value is compared with the expected value outside the
sandbox. Without bubblewrap the suite refuses to run (failure kind `unsupported`) unless
FACEOFF_UNSAFE_CODE_EVAL=1. Metric: unit_test_pass_rate (all of an item's tests pass).
"""

from __future__ import annotations

import random
from typing import Any

from faceoff_trainer.suites.base import FORMAT_ONLY, MetricInfo, TaskItem, TaskSuite
from faceoff_trainer.suites.sandbox import run_function_tests

# family: (parameters, description with {k}, reference expression with {k})
FAMILIES: dict[str, tuple[str, str, str]] = {
    "add_const": ("x", "returns x plus {k}", "x + {k}"),
    "sub_const": ("x", "returns x minus {k}", "x - {k}"),
    "mul_const": ("x", "returns x multiplied by {k}", "x * {k}"),
    "mod_const": ("x", "returns the remainder of x divided by {k}", "x % {k}"),
    "greater_than": ("x", "returns True when x is greater than {k}", "x > {k}"),
    "square": ("x", "returns x squared", "x * x"),
    "absolute": ("x", "returns the absolute value of x", "abs(x)"),
    "is_even": ("x", "returns True if x is even", "x % 2 == 0"),
    "larger": ("a, b", "returns the larger of a and b", "max(a, b)"),
    "smaller": ("a, b", "returns the smaller of a and b", "min(a, b)"),
    "add_pair": ("a, b", "returns the sum of a and b", "a + b"),
    "repeat": ("s", "returns the string s repeated {k} times", "s * {k}"),
    "reverse": ("s", "returns the string s reversed", "s[::-1]"),
    "length": ("s", "returns the number of characters in s", "len(s)"),
    "upper": ("s", "returns s in upper case", "s.upper()"),
    "total": ("xs", "returns the sum of the list xs", "sum(xs)"),
    "count_k": ("xs", "returns how many times {k} appears in the list xs", "xs.count({k})"),
    "first": ("xs", "returns the first element of the list xs", "xs[0]"),
    "last": ("xs", "returns the last element of the list xs", "xs[-1]"),
}
VERBS = ["compute", "get", "calc", "find", "make", "eval", "do", "apply"]
NOUNS = ["value", "result", "score", "thing", "item", "answer", "output", "number"]

TEMPLATES: dict[str, list[str]] = {
    "train": [
        "Write a Python function {name}({params}) that {desc}.",
        "Implement {name}({params}) in Python; it {desc}.",
        "Python: define {name}({params}), which {desc}.",
        "Create a function called {name} with parameters ({params}) that {desc}.",
        "Code a Python function {name}({params}) so that it {desc}.",
        "Define def {name}({params}) that {desc}.",
    ],
    "validation": [
        "Please write {name}({params}) in Python. It {desc}.",
        "I need a small Python function {name}({params}) that {desc}.",
    ],
    "test": [
        "Give me Python code for {name}({params}); the function {desc}.",
        "Using Python, write a function named {name} taking ({params}) that {desc}.",
        "Provide a Python definition of {name}({params}) which {desc}.",
    ],
}


def _arguments(params: str, rng: random.Random) -> list[Any]:
    if params == "x":
        return [rng.randint(-20, 40)]
    if params == "a, b":
        return [rng.randint(-20, 40), rng.randint(-20, 40)]
    if params == "s":
        return ["".join(rng.choice("abcdxyz") for _ in range(rng.randint(1, 5)))]
    return [[rng.randint(0, 6) for _ in range(rng.randint(1, 6))]]


class CodeGeneration(TaskSuite):
    name = "code_generation"
    primary_metric = "unit_test_pass_rate"
    max_new_tokens = 80
    templates = TEMPLATES
    executes_generated_code = True

    def sample_fields(self, rng: random.Random) -> dict[str, Any]:
        family = rng.choice(sorted(FAMILIES))
        params, desc, expr = FAMILIES[family]
        k = rng.randint(2, 9)
        name = f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}"
        code = f"def {name}({params}):\n    return {expr.format(k=k)}\n"
        namespace: dict[str, Any] = {}
        exec(code, namespace)  # our own reference code, used to compute expected outputs
        cases = []
        for _ in range(4):
            args = _arguments(params, rng)
            cases.append([args, namespace[name](*args)])
        return {
            "name": name,
            "params": params,
            "desc": desc.format(k=k),
            "code": code,
            "cases": cases,
        }

    def reference(self, fields: dict[str, Any]) -> str:
        return str(fields["code"])

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {"name": fields["name"], "cases": fields["cases"]}

    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        result = run_function_tests(output, item.answer["name"], item.answer["cases"])
        return {
            "unit_test_pass_rate": float(result.passed == result.total and result.total > 0),
            "test_case_pass_rate": result.passed / max(1, result.total),
            "syntax_valid_rate": float(result.compiled),
        }

    def answer_key(self, item: TaskItem, output: str) -> object:
        return "\n".join(line.rstrip() for line in output.strip().splitlines())

    def own_metric_info(self) -> dict[str, MetricInfo]:
        return {
            "unit_test_pass_rate": MetricInfo(
                "share of generated functions that pass all of the item's unit tests when "
                "executed in a bubblewrap sandbox with time and resource limits, 0-1"
            ),
            "test_case_pass_rate": MetricInfo("share of individual unit tests passed, 0-1"),
            "syntax_valid_rate": MetricInfo(
                "share of outputs that compile as Python, 0-1", caveat=FORMAT_ONLY
            ),
        }
