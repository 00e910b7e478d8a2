"""Skill training sets of the tasks that have them: the skill names per task, and each task's
skill suites and combined test suite (see skills.py for how runs use them).

A task's skill suites live in `faceoff_trainer/skill_suites/<task>.py`, which defines
`SKILL_NAMES`, `skill_suites()` (the suites by skill name, in that order) and `combined_suite()`
(the held-out set that needs every skill at once). They are kept outside the `suites` package,
whose suites are one per task of framework.json.
"""

from __future__ import annotations

from faceoff_trainer.skill_suites import customer_service
from faceoff_trainer.suites.base import TaskSuite

# task id: its skill names, in order
TASK_SKILLS: dict[str, tuple[str, ...]] = {
    "customer_service": customer_service.SKILL_NAMES,
}


def get_skill_suites(task: str) -> tuple[dict[str, TaskSuite], TaskSuite]:
    """A task's skill suites by name, and the suite of its combined test set."""
    if task == "customer_service":
        return customer_service.skill_suites(), customer_service.combined_suite()
    raise KeyError(f"task {task} has no skills")


__all__ = ["TASK_SKILLS", "get_skill_suites"]
