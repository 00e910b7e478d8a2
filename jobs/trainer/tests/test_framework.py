"""framework.json: the trainer's task list, suites, presets, methods and CLI choices follow it."""

from __future__ import annotations

import copy
import json
import pkgutil
from pathlib import Path
from typing import Any

import pytest

from faceoff_trainer import cli, config, methods, suites
from faceoff_trainer.errors import Unsupported
from faceoff_trainer.framework import (
    FRAMEWORK_PATH,
    FrameworkError,
    MethodSpec,
    load_framework,
    method_spec,
    parse_framework,
)
from faceoff_trainer.lr import load_lr_defaults

RAW: dict[str, Any] = json.loads(FRAMEWORK_PATH.read_text(encoding="utf-8"))
FRAMEWORK = load_framework()


def suite_classes_in_package() -> dict[str, type[suites.TaskSuite]]:
    """Every TaskSuite subclass any module of the suites package defines, by its name."""
    found: dict[str, type[suites.TaskSuite]] = {}
    for module in pkgutil.iter_modules(suites.__path__):
        for suite in suites.suites_in(module.name):
            found[suite.name] = suite
    return found


def test_task_ids_follow_the_file() -> None:
    assert tuple(task["id"] for task in RAW["tasks"]) == config.TASKS
    assert config.DATASET_TASK not in config.TASKS


def test_every_task_has_a_suite_and_every_suite_a_task() -> None:
    in_package = suite_classes_in_package()
    assert set(in_package) == set(config.TASKS), (
        "a task in framework.json without a suite class, or a suite class without a task"
    )
    assert list(suites.SUITES) == list(config.TASKS)
    for task_id, suite in suites.SUITES.items():
        assert suite.name == task_id
        assert in_package[task_id] is suite


def test_a_task_without_a_suite_is_refused_naming_the_file_to_write() -> None:
    with pytest.raises(suites.MissingSuite, match=r"suites/legal_review\.py"):
        suites.suite_class("legal_review")


def test_lora_presets_follow_the_file() -> None:
    expected = {
        task["id"]: (task["lora"]["r"], task["lora"]["alpha"], task["lora"]["dropout"])
        for task in RAW["tasks"]
    }
    default = RAW["default_lora"]
    expected[config.DATASET_TASK] = (default["r"], default["alpha"], default["dropout"])
    assert expected == methods.LORA_PRESETS
    assert tuple(RAW["attention_target_modules"]) == methods.ATTENTION_TARGETS
    plan = methods.plan_lora("code_generation", config.LoraOverrides(), 4096)
    assert (plan.r, plan.alpha, plan.dropout) == expected["code_generation"]


def test_methods_follow_the_file() -> None:
    assert tuple(method["id"] for method in RAW["methods"]) == config.METHODS
    for raw in RAW["methods"]:
        spec = method_spec(raw["id"])
        assert (spec.adapter, spec.quantized_base, list(spec.requires)) == (
            raw["adapter"],
            raw["quantized_base"],
            raw["requires"],
        )
    assert not method_spec("full").adapter
    assert method_spec("lora").adapter


def test_every_method_has_a_learning_rate_in_every_bucket() -> None:
    for bucket in load_lr_defaults()["buckets"]:
        assert set(bucket["defaults"]) == set(config.METHODS), bucket["name"]


def test_cli_choices_follow_the_file() -> None:
    parser = cli.build_parser()
    for method in config.METHODS:
        args = parser.parse_args(["lr-grid", "--model", "tiny", "--method", method])
        assert args.method == method
    for task in (*config.TASKS, config.DATASET_TASK):
        args = parser.parse_args(["compare", "--task", task, "--output-dir", "out"])
        assert args.task == task
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["lr-grid", "--model", "tiny", "--method", "dora"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        parser.parse_args(["compare", "--task", "poetry", "--output-dir", "out"])


def test_config_accepts_every_task_and_method_in_the_file() -> None:
    for task in config.TASKS:
        for method in config.METHODS:
            parsed = config.parse_config({"run_id": "r", "task": task, "method": method})
            assert (parsed.task, parsed.method) == (task, method)


def _broken(path: list[str | int], value: Any) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    target: Any = raw
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["tasks", 2, "lora", "r"], 0, "tasks[2].lora.r"),
        (["tasks", 1, "lora", "dropout"], 1.5, "tasks[1].lora.dropout"),
        (["tasks", 0, "lora"], KeyError, "tasks[0].lora"),
        (["tasks", 3, "id"], "customer_service", "tasks[3].id"),
        (["tasks", 0, "id"], "all", "tasks[0].id"),
        (["tasks", 0, "id"], "Customer Service", "tasks[0].id"),
        (["methods", 2, "adapter"], "yes", "methods[2].adapter"),
        (["methods", 2, "requires"], ["cuda", 4], "methods[2].requires[1]"),
        (["methods", 1, "id"], "dora", "methods"),
        (["default_lora", "alpha"], -1, "default_lora.alpha"),
        (["attention_target_modules"], [], "attention_target_modules"),
    ],
)
def test_a_broken_file_is_refused_naming_the_field(
    path: list[str | int], value: Any, field: str
) -> None:
    with pytest.raises(FrameworkError) as caught:
        parse_framework(_broken(path, value))
    assert caught.value.field == field
    assert str(caught.value).startswith(f"framework.json: {field}: ")


def test_unreadable_json_names_the_line(tmp_path: Path) -> None:
    broken = tmp_path / "framework.json"
    broken.write_text('{"tasks": [}\n', encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid JSON at line 1"):
        load_framework(broken)


def test_missing_requirement_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from faceoff_trainer import model

    spec = MethodSpec("sparse", "Sparse", True, False, ("faceoff_no_such_package",))
    monkeypatch.setattr(model, "method_spec", lambda _method: spec)
    with pytest.raises(Unsupported, match="sparse needs the faceoff_no_such_package package"):
        model.check_method_supported(config.parse_config({"run_id": "r", "task": "data_analysis"}))
