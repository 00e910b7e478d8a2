"""What every task suite shares: items, deterministic generation, scoring with consistency.

A suite renders items from templates with a seeded RNG. Train, validation and test use
disjoint template pools (validation and test templates are never seen in training), and each
test item is rendered with up to three different test templates: its paraphrases. Accuracy-like
metrics are averaged over an item's paraphrases and then over items; consistency measures
agreement of the answers an item's paraphrases produced.

Consistency is computed only over items where at least one paraphrase was answered correctly
(primary metric >= 0.5 on that output): a model that gives every prompt the same wrong answer
would otherwise be perfectly "consistent". When no item qualifies it is not computed (null), and
when one text makes up most of the outputs every metric a constant output can inflate is flagged.
"""

from __future__ import annotations

import math
import random
import zlib
from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass, field
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


CORRECT_THRESHOLD = 0.5  # an output counts as correct at this primary-metric score or above
DEGENERATE_SHARE = 0.5  # one text in more than this share of outputs: degenerate output


@dataclass(frozen=True)
class MetricInfo:
    description: str
    higher_is_better: bool = True
    caveat: str | None = None  # what the metric cannot tell (e.g. a constant output scores 1.0)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "description": self.description + (f" Caveat: {self.caveat}" if self.caveat else ""),
            "higher_is_better": self.higher_is_better,
        }
        if self.caveat:
            out["caveat"] = self.caveat
        return out


@dataclass
class Scored:
    """Test metrics (null where not computable) and what a reader must know about them."""

    metrics: dict[str, float | None]
    flags: dict[str, str] = field(default_factory=dict)
    consistency_items: int = 0  # items with at least one correct paraphrase
    top_output_share: float = 0.0  # share of all outputs equal to the most common output


QUALITY_INFO = MetricInfo(
    "quality_proxy_chrf: automatic proxy for response quality, chrF (character 1-6-grams) of "
    "the output against the reference answer, 0-1. Not a human evaluation."
)
AGREEMENT_INFO = MetricInfo(
    "consistency_agreement: share of paraphrase pairs of the same test item whose normalized "
    "answers are identical, 0-1, over the items with at least one correct paraphrase "
    "(null when there are none)"
)
CHRF_CONSISTENCY_INFO = MetricInfo(
    "consistency_chrf: mean chrF similarity between outputs for paraphrases of the same test "
    "item, 0-1, over the items with at least one correct paraphrase (null when there are none)"
)
FORMAT_ONLY = "a format check, not correctness: a constant well-formed output scores 1.0"


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

    def score(self, items: list[TaskItem], outputs: list[list[str]]) -> dict[str, float | None]:
        """outputs[i][j] is the generation for items[i].prompts[j]."""
        return self.score_with_flags(items, outputs).metrics

    def gameable_metrics(self) -> list[str]:
        """Metrics a constant output can raise: flagged when the outputs are degenerate."""
        return [
            name
            for name, info in self.metric_info().items()
            if info.caveat or name.startswith("consistency_")
        ]

    def score_with_flags(self, items: list[TaskItem], outputs: list[list[str]]) -> Scored:
        per_item: list[dict[str, float]] = []
        consistency: list[float] = []
        for item, item_outputs in zip(items, outputs, strict=True):
            scores = [self.score_output(item, out) for out in item_outputs]
            merged = {key: mean(s[key] for s in scores) for key in scores[0]} if scores else {}
            merged["quality_proxy_chrf"] = mean(chrf(out, item.completion) for out in item_outputs)
            per_item.append(merged)
            correct_somewhere = any(
                s.get(self.primary_metric, 0.0) >= CORRECT_THRESHOLD for s in scores
            )
            if not correct_somewhere or len(item_outputs) < 2:
                continue  # consistency needs a correct answer and a pair of phrasings
            if self.consistency_mode == "chrf":
                consistency.append(pairwise_chrf(item_outputs))
            else:
                consistency.append(
                    pairwise_agreement([self.answer_key(item, out) for out in item_outputs])
                )
        metrics: dict[str, float | None] = {}
        if per_item:
            for key in per_item[0]:
                metrics[key] = round(mean(m[key] for m in per_item), 6)
        flags: dict[str, str] = {}
        if self.consistency_mode != "none":
            name = f"consistency_{self.consistency_mode}"
            metrics[name] = round(mean(consistency), 6) if consistency else None
            if not consistency and all(len(outs) < 2 for outs in outputs):
                flags[name] = (
                    "not computed: one phrasing per test item gives no pair of answers to compare"
                )
            elif not consistency:
                flags[name] = (
                    "not computed: no test item was answered correctly on any paraphrase, and "
                    "agreement between wrong answers says nothing"
                )
        flat = [o for outs in outputs for o in outs]
        metrics.update({k: round(v, 6) for k, v in self.corpus_metrics(flat).items()})
        values = [m.get(self.primary_metric, 0.0) for m in per_item]
        metrics[f"{self.primary_metric}_stderr"] = round(standard_error(values), 6)
        top_share = top_output_share(flat)
        if top_share > DEGENERATE_SHARE:
            for name in self.gameable_metrics():
                if name in metrics and name not in flags:
                    flags[name] = (
                        f"degenerate output: {top_share:.0%} of the test outputs are one and the "
                        "same text, which this metric cannot tell from a good answer"
                    )
        return Scored(metrics, flags, len(consistency), round(top_share, 6))


# z(0.975) + z(0.80): a two-sided test at 5% with 80% power.
POWER_80_Z = 1.959964 + 0.841621


def detectable_difference(stderr: float | None) -> float | None:
    """Smallest true difference between two runs, each with this standard error, that a
    two-sided test at the 5% level detects with 80% power: 2.80 * sqrt(2) * stderr."""
    if not stderr:  # None, or 0 when every item scored the same: nothing to estimate it from
        return None
    return round(POWER_80_Z * math.sqrt(2) * stderr, 6)


def top_output_share(outputs: list[str]) -> float:
    """Share of outputs equal (after whitespace normalisation) to the most common one."""
    if not outputs:
        return 0.0
    counts = Counter(" ".join(o.split()) for o in outputs)
    return counts.most_common(1)[0][1] / len(outputs)


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
