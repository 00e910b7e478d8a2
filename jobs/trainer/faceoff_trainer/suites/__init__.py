"""The task suites, by name: one per task in framework.json.

The suite of task `<id>` is the `TaskSuite` subclass with `name = "<id>"` in the module
`faceoff_trainer/suites/<id>.py`; a task without one stops the trainer at import.
"""

from __future__ import annotations

import importlib

from faceoff_trainer.framework import FRAMEWORK_PATH, load_framework
from faceoff_trainer.suites.base import MetricInfo, TaskItem, TaskSuite


class MissingSuite(LookupError):
    pass


def suites_in(module_name: str) -> list[type[TaskSuite]]:
    """The TaskSuite subclasses a module of this package defines (not those it imports)."""
    module = importlib.import_module(f"{__name__}.{module_name}")
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, TaskSuite)
        and value is not TaskSuite
        and value.__module__ == module.__name__
    ]


def suite_class(task_id: str) -> type[TaskSuite]:
    where = f"faceoff_trainer/suites/{task_id}.py"
    try:
        candidates = suites_in(task_id)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{task_id}":
            raise
        candidates = []
    for candidate in candidates:
        if getattr(candidate, "name", None) == task_id:
            return candidate
    raise MissingSuite(
        f'task "{task_id}" in {FRAMEWORK_PATH.name} has no suite: expected a TaskSuite '
        f'subclass with name = "{task_id}" in {where}'
    )


SUITES: dict[str, type[TaskSuite]] = {
    task_id: suite_class(task_id) for task_id in load_framework().task_ids
}


def get_suite(name: str) -> TaskSuite:
    return SUITES[name]()


__all__ = ["SUITES", "MetricInfo", "MissingSuite", "TaskItem", "TaskSuite", "get_suite"]
