"""Skill runs: train on one skill's set or on all of them, and evaluate every skill's test set
plus the combined one. The `combine` command evaluates a combined adapter the same way.

A task with skills (TASK_SKILLS in skill_suites/__init__.py: customer_service's tone, knowledge and
troubleshooting) or a user's `skill_datasets` (one JSONL file per skill) gives each skill its own
train / validation / test split. With `skill` set, a run trains on that skill's training set
(`"all"`: the union of every skill's, shuffled with the data seed), measures validation loss on
that skill's validation set (the union for "all"), and at the end scores EVERY skill's test set
and the combined set:

- customer_service: the combined set is its own held-out test set whose items need every skill
  at once (skill_suites/customer_service.py);
- skill datasets: the combined set is the union of the skills' test items, scored together
  (pooled: each item counts once, so a skill with more test items weighs more), from the same
  outputs, without generating again.

Budgets. The evaluation plan's test budget (eval_plan.py: `test` items) is split evenly over the
sets that are generated (each at least 1 item, the remainder to the first ones); the validation
budget is split evenly over the trained skills. The sizes used are stated in the result.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import torch

from faceoff_trainer.config import ALL_SKILLS, COMBINED_SET, RunConfig
from faceoff_trainer.data import (
    IGNORE_INDEX,
    TRAIN_ITEMS,
    TaskData,
    chat_items,
    checked_skill_datasets,
    dataset_prompt,
    encode_items,
)
from faceoff_trainer.eval_plan import EvalSizes, generation_budget
from faceoff_trainer.evaluate import TestEvaluation, evaluate_test
from faceoff_trainer.events import CancelToken
from faceoff_trainer.skill_suites import get_skill_suites
from faceoff_trainer.suites import TaskItem, TaskSuite
from faceoff_trainer.suites.base import DATA_SEED, detectable_difference
from faceoff_trainer.tokenizer import ByteTokenizer, TextCodec
from faceoff_trainer.user_dataset import DatasetReport, DatasetSuite

OWN_SET = "own test set"
POOLED_SET = "union of the skills' test items, pooled"
SetProgress = Callable[[str, int, int], None]  # (set name, prompts done, prompts in all sets)


@dataclass
class EvalSet:
    name: str
    suite: TaskSuite
    items: list[TaskItem]
    # True: the combined set of skill datasets, scored from the skills' outputs (no generation)
    pooled: bool = False

    @property
    def prompts(self) -> int:
        return sum(len(item.prompts) for item in self.items)


@dataclass
class SkillData:
    trained: list[str]  # the skills trained on: one, or all of them
    sets: list[EvalSet]  # every skill's test set, then the combined one (last)
    train_by_skill: dict[str, int]
    validation_by_skill: dict[str, int]

    def plan(self, sizes: EvalSizes) -> dict[str, Any]:
        """What the result states about the evaluation sizes (added to `evaluation`)."""
        generated = [s for s in self.sets if not s.pooled]
        counts = ", ".join(f"{s.name} {len(s.items)}" for s in self.sets)
        validation = ", ".join(f"{k} {v}" for k, v in self.validation_by_skill.items())
        return {
            "sets": {
                s.name: {
                    "test_items": len(s.items),
                    "test_prompts": s.prompts,
                    "scored_from": POOLED_SET if s.pooled else OWN_SET,
                }
                for s in self.sets
            },
            "validation_by_skill": dict(self.validation_by_skill),
            "text": (
                f"{sum(len(s.items) for s in generated)} test items over {len(self.sets)} sets "
                f"({counts}), up to {sizes.paraphrases} paraphrase"
                f"{'' if sizes.paraphrases == 1 else 's'}; "
                f"{sum(self.validation_by_skill.values())} validation items ({validation})"
            ),
        }


def split_budget(total: int, parts: int) -> list[int]:
    """`total` items over `parts` sets, evenly, the remainder to the first; at least 1 each."""
    base, extra = divmod(total, parts)
    return [max(1, base + (1 if index < extra else 0)) for index in range(parts)]


@dataclass
class _Skill:
    suite: TaskSuite
    train: Callable[[], list[TaskItem]]
    validation: Callable[[int], list[TaskItem]]
    test: Callable[[int, int], list[TaskItem]]


def _suite_skills(config: RunConfig, codec: TextCodec) -> tuple[dict[str, _Skill], TaskSuite]:
    suites, combined = get_skill_suites(config.task)

    def skill(suite: TaskSuite) -> _Skill:
        return _Skill(
            suite=suite,
            train=lambda: chat_items(codec, suite.items("train", TRAIN_ITEMS)),
            validation=lambda n: chat_items(codec, suite.items("validation", n)),
            test=lambda n, paraphrases: chat_items(codec, suite.items("test", n, paraphrases)),
        )

    return {name: skill(suite) for name, suite in suites.items()}, combined


def _dataset_skills(config: RunConfig, codec: TextCodec) -> tuple[dict[str, _Skill], DatasetSuite]:
    reports = checked_skill_datasets(config)

    def prompt_for(record: Any) -> tuple[str, bool]:
        return dataset_prompt(codec, record)

    def skill(report: DatasetReport) -> _Skill:
        suite = DatasetSuite(report, prompt_for)
        return _Skill(
            suite=suite,
            train=lambda: suite.items("train", len(report.records["train"])),
            validation=lambda n: suite.items("validation", n),
            test=lambda n, paraphrases: suite.items("test", n, paraphrases),
        )

    pooled = DatasetReport(
        ok=True,
        lines=sum(r.lines for r in reports.values()),
        errors=[],
        error_count=0,
        splits={
            split: sum(r.splits[split] for r in reports.values())
            for split in ("train", "validation", "test")
        },
        records={
            split: [rec for r in reports.values() for rec in r.records[split]]
            for split in ("train", "validation", "test")
        },
    )
    return {name: skill(report) for name, report in reports.items()}, DatasetSuite(
        pooled, prompt_for
    )


def load_skill_data(config: RunConfig, codec: TextCodec, sizes: EvalSizes) -> TaskData:
    """The data of a run with `skill` set (see the module docstring)."""
    assert config.skill is not None
    if config.skill_datasets is not None:
        skills, combined_suite = _dataset_skills(config, codec)
        pooled = True
    else:
        skills, combined_suite = _suite_skills(config, codec)
        pooled = False
    names = list(skills)
    trained = names if config.skill == ALL_SKILLS else [config.skill]

    train: list[TaskItem] = []
    train_by_skill: dict[str, int] = {}
    for name in trained:
        items = skills[name].train()
        train_by_skill[name] = len(items)
        train.extend(items)
    if len(trained) > 1:
        random.Random(DATA_SEED).shuffle(train)  # the run seed orders the batches on top

    validation: list[TaskItem] = []
    validation_by_skill: dict[str, int] = {}
    for name, count in zip(trained, split_budget(sizes.validation, len(trained)), strict=True):
        items = skills[name].validation(count)
        validation_by_skill[name] = len(items)
        validation.extend(items)

    generated = len(names) + (0 if pooled else 1)
    budgets = split_budget(sizes.test, generated)
    sets = [
        EvalSet(name, skills[name].suite, skills[name].test(count, sizes.paraphrases))
        for name, count in zip(names, budgets, strict=False)
    ]
    if pooled:
        union = [item for s in sets for item in s.items]
        sets.append(EvalSet(COMBINED_SET, combined_suite, union, pooled=True))
    else:
        items = chat_items(codec, combined_suite.items("test", budgets[-1], sizes.paraphrases))
        sets.append(EvalSet(COMBINED_SET, combined_suite, items))
    return TaskData(
        suite=combined_suite,
        train=train,
        validation=validation,
        test=sets[-1].items,
        skills=SkillData(trained, sets, train_by_skill, validation_by_skill),
    )


def set_budget(suite: TaskSuite, items: list[TaskItem], codec: TextCodec, given: int | None) -> int:
    """New tokens for a set: the config's max_new_tokens, else the suite's budget (as a run's)."""
    if given is not None:
        return given
    return generation_budget(
        suite.max_new_tokens,
        [len(codec.completion_ids(item.completion)) for item in items],
        byte_level=codec.name == ByteTokenizer.name,
    )


@dataclass
class SetsEvaluation:
    per_set: dict[str, TestEvaluation]
    skill_metrics: dict[str, dict[str, Any]]  # the result's `skill_metrics`
    # the combined set's evaluation, with the time of every set's evaluation summed
    combined: TestEvaluation


def _completion_tokens(codec: TextCodec, items: list[TaskItem], seq_len: int) -> int:
    return sum(
        sum(1 for label in e.labels[1:] if label != IGNORE_INDEX)
        for e in encode_items(codec, items, seq_len)
    )


def _score_pooled(
    pooled: EvalSet,
    parts: list[EvalSet],
    per_set: dict[str, TestEvaluation],
    codec: TextCodec,
    seq_len: int,
) -> TestEvaluation:
    """The union of the skills' test items, scored from their outputs (no generation); the loss
    is the token-weighted mean of the skills' test losses."""
    started = time.time()
    outputs = [outs for part in parts for outs in per_set[part.name].grouped_outputs]
    scored = pooled.suite.score_with_flags(pooled.items, outputs)
    tokens = {part.name: _completion_tokens(codec, part.items, seq_len) for part in parts}
    total_tokens = sum(tokens.values())
    loss = (
        sum(per_set[p.name].test_loss * tokens[p.name] for p in parts) / total_tokens
        if total_tokens
        else float("nan")
    )
    samples = [sample for part in parts for sample in per_set[part.name].samples[:2]][:5]
    return TestEvaluation(
        metrics=scored.metrics,
        metric_flags=scored.flags,
        consistency_items=scored.consistency_items,
        top_output_share=scored.top_output_share,
        test_loss=loss,
        items=len(pooled.items),
        outputs=sum(len(outs) for outs in outputs),
        seconds=time.time() - started,
        samples=samples,
        loss_seconds=0.0,
        generation_seconds=0.0,
        first_outputs=[outs[0] for outs in outputs],
        grouped_outputs=outputs,
    )


def set_summary(
    eval_set: EvalSet, test: TestEvaluation, max_new_tokens: int | None
) -> dict[str, Any]:
    """One entry of `skill_metrics`: a set's metrics as the result reports a run's."""
    primary = eval_set.suite.primary_metric
    stderr = test.metrics.get(f"{primary}_stderr")
    return {
        "primary_metric": primary,
        "metrics": test.metrics,
        "primary_metric_stderr": stderr,
        "primary_metric_mde_80": detectable_difference(stderr),
        "metric_flags": test.metric_flags,
        "metric_info": {k: v.to_dict() for k, v in eval_set.suite.metric_info().items()},
        "consistency_items": test.consistency_items,
        "top_output_share": test.top_output_share,
        "test_loss": round(test.test_loss, 6),
        "test_items": test.items,
        "test_outputs": test.outputs,
        "max_new_tokens": max_new_tokens,
        "scored_from": POOLED_SET if eval_set.pooled else OWN_SET,
        "test_eval_time_s": round(test.seconds, 3),
        "samples": test.samples[:3],
    }


def evaluate_sets(
    model: Any,
    codec: TextCodec,
    sets: list[EvalSet],
    seq_len: int,
    max_new_tokens: int | None,
    device: torch.device,
    cancel: CancelToken | None = None,
    progress: SetProgress | None = None,
    synced_gpus: bool = False,
) -> SetsEvaluation:
    """Every set's test evaluation (evaluate.evaluate_test), in order; `progress` counts the
    prompts of all sets together, with the name of the set being generated."""
    generated = [s for s in sets if not s.pooled]
    total = sum(s.prompts for s in generated)
    budgets = {s.name: set_budget(s.suite, s.items, codec, max_new_tokens) for s in generated}
    per_set: dict[str, TestEvaluation] = {}
    done = 0
    for eval_set in generated:
        if progress is not None:
            progress(eval_set.name, done, total)
        per_set[eval_set.name] = evaluate_test(
            model,
            codec,
            eval_set.suite,
            eval_set.items,
            seq_len,
            budgets[eval_set.name],
            device,
            cancel,
            synced_gpus=synced_gpus,
            progress=_offset_progress(progress, eval_set.name, done, total),
        )
        done += eval_set.prompts
    for eval_set in sets:
        if eval_set.pooled:
            per_set[eval_set.name] = _score_pooled(eval_set, generated, per_set, codec, seq_len)
            if progress is not None:
                progress(eval_set.name, done, total)
    summaries = {s.name: set_summary(s, per_set[s.name], budgets.get(s.name)) for s in sets}
    combined = per_set[sets[-1].name]
    combined = replace(
        combined,
        seconds=sum(t.seconds for t in per_set.values()),
        loss_seconds=sum(t.loss_seconds for t in per_set.values()),
        generation_seconds=sum(t.generation_seconds for t in per_set.values()),
    )
    return SetsEvaluation(per_set=per_set, skill_metrics=summaries, combined=combined)


def _offset_progress(
    progress: SetProgress | None, name: str, offset: int, total: int
) -> Callable[[int, int], None] | None:
    if progress is None:
        return None

    def report(done: int, _set_total: int) -> None:
        progress(name, offset + done, total)

    return report
