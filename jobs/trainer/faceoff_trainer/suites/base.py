"""What every task suite shares: items, deterministic generation, scoring with consistency.

A suite renders items from templates with a seeded RNG. Train, validation and test use
disjoint template pools (validation and test templates are never seen in training), and each
test item is rendered with up to three different test templates: its paraphrases. Accuracy-like
metrics are averaged over an item's paraphrases and then over items; consistency measures
agreement of the answers an item's paraphrases produced.
"""

from __future__ import annotations

import math
import random
import zlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from faceoff_trainer.text_metrics import chrf, mean, pairwise_agreement, pairwise_chrf

DATA_SEED = 20240611
SPLITS: tuple[str, ...] = ("train", "validation", "test")
TEST_PARAPHRASES = 3


@dataclass(frozen=True)
class TaskItem:
    item_id: str
    prompts: tuple[str, ...]  # prompts[0] is the canonical rendering; the rest are paraphrases
    completion: str  # the reference answer
    answer: dict[str, Any]  # suite-specific data for scoring
    templated: bool = False  # prompts already carry the model's chat template


@dataclass(frozen=True)
class MetricInfo:
    description: str
    higher_is_better: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"description": self.description, "higher_is_better": self.higher_is_better}


QUALITY_INFO = MetricInfo(
    "quality_proxy_chrf: automatic proxy for response quality, chrF (character 1-6-grams) of "
    "the output against the reference answer, 0-1. Not a human evaluation."
)
AGREEMENT_INFO = MetricInfo(
    "consistency_agreement: share of paraphrase pairs of the same test item whose normalized "
    "answers are identical, 0-1"
)
CHRF_CONSISTENCY_INFO = MetricInfo(
    "consistency_chrf: mean chrF similarity between outputs for paraphrases of the same test "
    "item, 0-1"
)


class TaskSuite(ABC):
    name: str
    primary_metric: str
    max_new_tokens: int
    stop: str | None = None  # generation ends at this string too (besides the end token)
    consistency_mode: str = "agreement"  # "chrf" for free-text tasks, "none" without paraphrases
    templates: dict[str, list[str]]
    executes_generated_code = False  # True: scoring runs model output (needs the sandbox)

    @abstractmethod
    def sample_fields(self, rng: random.Random) -> dict[str, Any]: ...

    @abstractmethod
    def reference(self, fields: dict[str, Any]) -> str: ...

    def answer(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {}

    def render(self, template: str, fields: dict[str, Any]) -> str:
        return template.format(**fields)

    @abstractmethod
    def score_output(self, item: TaskItem, output: str) -> dict[str, float]:
        """Per-output scores (0-1) for this suite's own metrics."""

    def answer_key(self, item: TaskItem, output: str) -> object:
        """Normalized answer compared across paraphrases (agreement mode)."""
        return " ".join(output.split())

    def corpus_metrics(self, outputs: list[str]) -> dict[str, float]:
        return {}

    @abstractmethod
    def own_metric_info(self) -> dict[str, MetricInfo]: ...

    def metric_info(self) -> dict[str, MetricInfo]:
        info = dict(self.own_metric_info())
        info["quality_proxy_chrf"] = QUALITY_INFO
        if self.consistency_mode == "chrf":
            info["consistency_chrf"] = CHRF_CONSISTENCY_INFO
        elif self.consistency_mode == "agreement":
            info["consistency_agreement"] = AGREEMENT_INFO
        info[f"{self.primary_metric}_stderr"] = MetricInfo(
            f"standard error over test items of {self.primary_metric}", higher_is_better=False
        )
        return info

    def items(self, split: str, count: int, paraphrases: int | None = None) -> list[TaskItem]:
        """`count` items of a split; the same arguments always give the same items. Test items
        carry `paraphrases` renderings (default TEST_PARAPHRASES, at most the test pool)."""
        if split not in SPLITS:
            raise ValueError(f"unknown split {split}")
        rng = random.Random(DATA_SEED + zlib.crc32(f"{self.name}:{split}".encode()))
        pool = self.templates[split]
        wanted = TEST_PARAPHRASES if paraphrases is None else paraphrases
        paraphrases = min(wanted, len(pool)) if split == "test" else 1
        items: list[TaskItem] = []
        for index in range(count):
            fields = self.sample_fields(rng)
            chosen = rng.sample(pool, k=paraphrases)
            items.append(
                TaskItem(
                    item_id=f"{self.name}-{split}-{index}",
                    prompts=tuple(self.render(t, fields) for t in chosen),
                    completion=self.reference(fields),
                    answer=self.answer(fields),
                )
            )
        return items

    def score(self, items: list[TaskItem], outputs: list[list[str]]) -> dict[str, float]:
        """outputs[i][j] is the generation for items[i].prompts[j]."""
        per_item: list[dict[str, float]] = []
        consistency: list[float] = []
        for item, item_outputs in zip(items, outputs, strict=True):
            scores = [self.score_output(item, out) for out in item_outputs]
            merged = {key: mean(s[key] for s in scores) for key in scores[0]} if scores else {}
            merged["quality_proxy_chrf"] = mean(chrf(out, item.completion) for out in item_outputs)
            per_item.append(merged)
            if self.consistency_mode == "chrf":
                consistency.append(pairwise_chrf(item_outputs))
            else:
                consistency.append(
                    pairwise_agreement([self.answer_key(item, out) for out in item_outputs])
                )
        metrics: dict[str, float] = {}
        if per_item:
            for key in per_item[0]:
                metrics[key] = mean(m[key] for m in per_item)
        if self.consistency_mode != "none":
            metrics[f"consistency_{self.consistency_mode}"] = mean(consistency)
        metrics.update(self.corpus_metrics([o for outs in outputs for o in outs]))
        values = [m.get(self.primary_metric, 0.0) for m in per_item]
        metrics[f"{self.primary_metric}_stderr"] = standard_error(values)
        return {k: round(v, 6) for k, v in metrics.items()}


def standard_error(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    m = mean(values)
    variance = sum((v - m) ** 2 for v in values) / (len(values) - 1)
    return math.sqrt(variance / len(values))


def field_line(output: str, name: str) -> str | None:
    """Value of a `name: value` line in a model output, or None."""
    prefix = f"{name}:"
    for line in output.splitlines():
        stripped = line.strip()
        if stripped.lower().startswith(prefix):
            return stripped[len(prefix) :].strip()
    return None
