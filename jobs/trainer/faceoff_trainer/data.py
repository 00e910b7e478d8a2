"""Task data for a run: the suite's splits, token encoding with loss masks, and batches.

The task data is generated with a fixed data seed (suites.base.DATA_SEED), independent of the
run seed: every method and every seed sees the same train / validation / test items. The run
seed controls the order of training examples (and model-side randomness).
Loss is computed on completion tokens only (prompt tokens are masked with -100).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import torch

from faceoff_trainer.config import DATASET_TASK, RunConfig
from faceoff_trainer.errors import BadData
from faceoff_trainer.eval_plan import EvalSizes, full_sizes
from faceoff_trainer.suites import TaskItem, TaskSuite, get_suite
from faceoff_trainer.tokenizer import TextCodec
from faceoff_trainer.user_dataset import (
    DatasetRecord,
    DatasetReport,
    DatasetSuite,
    validate_dataset,
)

if TYPE_CHECKING:
    from faceoff_trainer.skills import SkillData

TRAIN_ITEMS = 4000
IGNORE_INDEX = -100
MIN_PROMPT_TOKENS = 8


@dataclass(frozen=True)
class Encoded:
    input_ids: list[int]
    labels: list[int]


@dataclass
class TaskData:
    suite: TaskSuite
    train: list[TaskItem]
    validation: list[TaskItem]
    test: list[TaskItem]
    # a run with `skill`: what was trained on, and every skill's test set plus the combined one
    # (then `suite` and `test` are the combined set's)
    skills: SkillData | None = None


def encode_example(
    codec: TextCodec, prompt: str, completion: str, seq_len: int, templated: bool = False
) -> Encoded:
    """Prompt + completion ids; over seq_len, the prompt loses its start, then the completion
    its end (the prompt keeps at least MIN_PROMPT_TOKENS)."""
    prompt_ids = codec.prompt_ids(prompt, templated)
    completion_ids = codec.completion_ids(completion)
    overflow = len(prompt_ids) + len(completion_ids) - seq_len
    if overflow > 0:
        cut = min(overflow, max(0, len(prompt_ids) - MIN_PROMPT_TOKENS))
        prompt_ids = prompt_ids[:1] + prompt_ids[1 + cut :] if cut else prompt_ids
        completion_ids = completion_ids[: seq_len - len(prompt_ids)]
    return Encoded(
        input_ids=prompt_ids + completion_ids,
        labels=[IGNORE_INDEX] * len(prompt_ids) + completion_ids,
    )


def encode_prompt(
    codec: TextCodec, prompt: str, seq_len: int, max_new_tokens: int, templated: bool = False
) -> list[int]:
    ids = codec.prompt_ids(prompt, templated)
    budget = max(MIN_PROMPT_TOKENS, seq_len - max_new_tokens)
    return ids[:1] + ids[len(ids) - budget + 1 :] if len(ids) > budget else ids


def encode_items(codec: TextCodec, items: list[TaskItem], seq_len: int) -> list[Encoded]:
    return [encode_example(codec, i.prompts[0], i.completion, seq_len, i.templated) for i in items]


def collate(batch: list[Encoded], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-padded tensors: input_ids, attention_mask, labels."""
    width = max(len(e.input_ids) for e in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, example in enumerate(batch):
        n = len(example.input_ids)
        input_ids[row, :n] = torch.tensor(example.input_ids)
        labels[row, :n] = torch.tensor(example.labels)
        mask[row, :n] = 1
    return {"input_ids": input_ids, "attention_mask": mask, "labels": labels}


class BatchStream:
    """Endless batches in a seed-determined order (a fresh permutation every epoch)."""

    def __init__(self, examples: list[Encoded], batch_size: int, seed: int) -> None:
        if not examples:
            raise BadData("no training examples")
        self.examples = examples
        self.batch_size = batch_size
        self.generator = torch.Generator().manual_seed(seed)
        self.order: list[int] = []

    def next(self) -> list[Encoded]:
        batch: list[Encoded] = []
        while len(batch) < self.batch_size:
            if not self.order:
                self.order = torch.randperm(len(self.examples), generator=self.generator).tolist()
            batch.append(self.examples[self.order.pop(0)])
        return batch


def dataset_prompt(codec: TextCodec, record: DatasetRecord) -> tuple[str, bool]:
    if record.messages is not None:
        return codec.chat_prompt(record.messages)
    if codec.has_chat_template:
        return codec.chat_prompt([{"role": "user", "content": str(record.prompt)}])
    return str(record.prompt), False


def chat_items(codec: TextCodec, items: list[TaskItem]) -> list[TaskItem]:
    """Suite items as one user turn in the model's chat template (every paraphrase), when the
    model has a template; otherwise unchanged (the tiny model keeps its plain format)."""
    if not codec.has_chat_template:
        return items
    out: list[TaskItem] = []
    for item in items:
        prompts = tuple(
            codec.chat_prompt([{"role": "user", "content": prompt}])[0] for prompt in item.prompts
        )
        out.append(replace(item, prompts=prompts, templated=True))
    return out


def checked_dataset(config: RunConfig) -> DatasetReport:
    """Validate a user dataset (the validator's checks); raises BadData with the number of
    problems and the first ones, by line."""
    assert config.dataset_path is not None
    return checked_dataset_file(config.dataset_path)


def checked_dataset_file(path: str, skill: str | None = None) -> DatasetReport:
    """checked_dataset for one file; `skill` (a skill dataset's name) is named in the message
    and in each error."""
    report = validate_dataset(path)
    if not report.ok:
        first = report.errors[0]
        label = f"skill dataset {skill} ({path})" if skill else f"dataset {path}"
        errors = [{**e, "skill": skill} for e in report.errors] if skill else report.errors
        raise BadData(
            f"{label}: {report.error_count} problem(s); first: "
            f"line {first['line']}: {first['message']}",
            errors=errors,
        )
    return report


def checked_skill_datasets(config: RunConfig) -> dict[str, DatasetReport]:
    """Every skill dataset of the config, checked like a dataset (BadData names the skill)."""
    assert config.skill_datasets is not None
    return {
        skill: checked_dataset_file(path, skill) for skill, path in config.skill_datasets.items()
    }


def load_task_data(config: RunConfig, codec: TextCodec, sizes: EvalSizes | None = None) -> TaskData:
    """The run's items; `sizes` from eval_plan.evaluation_sizes (default: the config's sizes,
    else the full ones)."""
    sizes = sizes or full_sizes(config)
    if config.skill is not None:
        from faceoff_trainer.skills import load_skill_data

        return load_skill_data(config, codec, sizes)
    if config.task == DATASET_TASK:
        report = checked_dataset(config)
        suite: TaskSuite = DatasetSuite(report, lambda record: dataset_prompt(codec, record))
        train = suite.items("train", len(report.records["train"]))
        return TaskData(
            suite=suite,
            train=train,
            validation=suite.items("validation", sizes.validation),
            test=suite.items("test", sizes.test, sizes.paraphrases),
        )
    suite = get_suite(config.task)
    return TaskData(
        suite=suite,
        train=chat_items(codec, suite.items("train", TRAIN_ITEMS)),
        validation=chat_items(codec, suite.items("validation", sizes.validation)),
        test=chat_items(codec, suite.items("test", sizes.test, sizes.paraphrases)),
    )
