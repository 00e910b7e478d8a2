"""The task profiles and methods, from the shared data file framework.json.

The TypeScript side reads the same file (src/tasks/framework.ts). Here the trainer takes what
it uses: task ids and LoRA presets, method ids and how each trains, the attention-only target
modules. Every problem with the file is a `FrameworkError` naming the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FRAMEWORK_PATH = Path(__file__).resolve().parent / "framework.json"
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
RESERVED_IDS = frozenset({"all", "dataset", "other"})
REQUIRED_METHODS = ("lora", "full")
CUDA = "cuda"


class FrameworkError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{FRAMEWORK_PATH.name}: {field}: {message}")
        self.field = field


@dataclass(frozen=True)
class LoraPreset:
    r: int
    alpha: float
    dropout: float


@dataclass(frozen=True)
class TaskProfile:
    id: str
    label: str
    lora: LoraPreset


@dataclass(frozen=True)
class MethodSpec:
    id: str
    label: str
    adapter: bool  # trains LoRA adapters on a frozen base; False: every weight is trained
    quantized_base: bool  # loads the base model in 4-bit NF4
    requires: tuple[str, ...]  # "cuda" or Python package names


@dataclass(frozen=True)
class Framework:
    tasks: tuple[TaskProfile, ...]
    methods: tuple[MethodSpec, ...]
    default_lora: LoraPreset
    attention_target_modules: tuple[str, ...]
    mlp_target_modules: tuple[str, ...]

    @property
    def task_ids(self) -> tuple[str, ...]:
        return tuple(task.id for task in self.tasks)

    @property
    def method_ids(self) -> tuple[str, ...]:
        return tuple(method.id for method in self.methods)


def _get(raw: Any, key: str, field: str) -> Any:
    if not isinstance(raw, dict):
        raise FrameworkError(field or "(root)", "expected an object")
    if key not in raw:
        raise FrameworkError(f"{field}.{key}" if field else key, "missing")
    return raw[key]


def _string(raw: Any, key: str, field: str) -> str:
    value = _get(raw, key, field)
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{field}.{key}", f"expected a non-empty string, got {value!r}")
    return value


def _bool(raw: Any, key: str, field: str) -> bool:
    value = _get(raw, key, field)
    if not isinstance(value, bool):
        raise FrameworkError(f"{field}.{key}", f"expected true or false, got {value!r}")
    return value


def _list(raw: Any, key: str, field: str, allow_empty: bool = False) -> list[Any]:
    value = _get(raw, key, field)
    if not isinstance(value, list) or (not value and not allow_empty):
        expected = "a list" if allow_empty else "a non-empty list"
        raise FrameworkError(f"{field}.{key}" if field else key, f"expected {expected}")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _preset(raw: Any, field: str) -> LoraPreset:
    r = _get(raw, "r", field)
    if not isinstance(r, int) or isinstance(r, bool) or r < 1:
        raise FrameworkError(f"{field}.r", f"expected an integer >= 1, got {r!r}")
    alpha = _get(raw, "alpha", field)
    if not _number(alpha) or alpha <= 0:
        raise FrameworkError(f"{field}.alpha", f"expected a positive number, got {alpha!r}")
    dropout = _get(raw, "dropout", field)
    if not _number(dropout) or not 0 <= dropout < 1:
        raise FrameworkError(f"{field}.dropout", f"expected a number in [0, 1), got {dropout!r}")
    return LoraPreset(r=r, alpha=float(alpha), dropout=float(dropout))


def _id(raw: Any, field: str, seen: set[str]) -> str:
    value = _string(raw, "id", field)
    if not ID_PATTERN.fullmatch(value):
        raise FrameworkError(f"{field}.id", f"expected lower-case letters, digits and _: {value!r}")
    if value in RESERVED_IDS:
        raise FrameworkError(f"{field}.id", f"{value!r} is reserved")
    if value in seen:
        raise FrameworkError(f"{field}.id", f"{value!r} appears twice")
    seen.add(value)
    return value


def _task(raw: Any, field: str, seen: set[str]) -> TaskProfile:
    return TaskProfile(
        id=_id(raw, field, seen),
        label=_string(raw, "label", field),
        lora=_preset(_get(raw, "lora", field), f"{field}.lora"),
    )


def _method(raw: Any, field: str, seen: set[str]) -> MethodSpec:
    method_id = _id(raw, field, seen)
    requires = _list(raw, "requires", field, allow_empty=True)
    for index, item in enumerate(requires):
        if not isinstance(item, str) or not item:
            raise FrameworkError(f"{field}.requires[{index}]", f"expected a name, got {item!r}")
    return MethodSpec(
        id=method_id,
        label=_string(raw, "label", field),
        adapter=_bool(raw, "adapter", field),
        quantized_base=_bool(raw, "quantized_base", field),
        requires=tuple(requires),
    )


def parse_framework(raw: Any) -> Framework:
    """Validate the decoded file (raises FrameworkError naming the field)."""
    task_ids: set[str] = set()
    tasks = tuple(
        _task(item, f"tasks[{index}]", task_ids)
        for index, item in enumerate(_list(raw, "tasks", ""))
    )
    method_ids: set[str] = set()
    methods = tuple(
        _method(item, f"methods[{index}]", method_ids)
        for index, item in enumerate(_list(raw, "methods", ""))
    )
    for required in REQUIRED_METHODS:
        if required not in method_ids:
            message = f'"{required}" is required: every comparison reports it'
            raise FrameworkError("methods", message)
    modules = _module_names(raw, "attention_target_modules")
    mlp_modules = _module_names(raw, "mlp_target_modules")
    return Framework(
        tasks=tasks,
        methods=methods,
        default_lora=_preset(_get(raw, "default_lora", ""), "default_lora"),
        attention_target_modules=modules,
        mlp_target_modules=mlp_modules,
    )


def _module_names(raw: Any, key: str) -> tuple[str, ...]:
    modules = _list(raw, key, "")
    if not modules or not all(isinstance(m, str) and m for m in modules):
        raise FrameworkError(key, "expected a non-empty list of module names")
    return tuple(modules)


@cache
def load_framework(path: Path = FRAMEWORK_PATH) -> Framework:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FrameworkError("(file)", f"not valid JSON at line {exc.lineno}: {exc.msg}") from exc
    return parse_framework(raw)


def method_spec(method: str) -> MethodSpec:
    for spec in load_framework().methods:
        if spec.id == method:
            return spec
    raise KeyError(f"unknown method {method!r}")
