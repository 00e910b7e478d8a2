"""How much evaluation a run does: validation items, test prompts and paraphrases per prompt.

Generation, not training, decides how long a run of a real model takes on a CPU: 120 test
prompts with 3 paraphrases each at up to 120 new tokens cost a 135M-parameter model far more than
its training steps. A size given in the run's config is used as given; otherwise the sizes follow
the model and the device: the full sets for the tiny model and on a GPU, smaller ones for a real
model on a CPU. The sizes used are stated in every result ("40 test prompts, 2 paraphrases").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from faceoff_trainer.config import DEFAULT_EVAL_SIZE, DEFAULT_TEST_SIZE, RunConfig
from faceoff_trainer.suites.base import TEST_PARAPHRASES

SMALL_MODEL_PARAMS = 10_000_000  # the tiny bucket of lr-defaults.json
CPU_REAL_MODEL = {
    "validation": 32,
    "test": 40,
    "paraphrases": 2,
    # the quality curve: 16 items at one point took 9-32 s of generation for SmolLM2-135M on 2
    # cores (608 s when they were shared), against 2-3 min of training; 8 items at 1 point (plus
    # the reused last) keep it small
    "quality_items": 8,
    "quality_checkpoints": 1,
    # general-text documents for forgetting: each is a forward pass of up to seq_len tokens,
    # before and after training; 8 keep the measurement small beside a CPU run's training
    "forgetting_texts": 8,
    # deployment probe requests per served variant (batch 1, 16 new tokens each, after a warm-up)
    "deploy_requests": 2,
    # validation points before the last: each is a forward pass over the validation items, about
    # one training step's time; the curves and steps to plateau resolve to a quarter of the run
    "validation_points": 4,
}
FULL_QUALITY = {
    "quality_items": 16,
    "quality_checkpoints": 3,
    "forgetting_texts": 32,
    "deploy_requests": 8,
}
# Generation budget for a real model: the longest test reference (in tokens) times this, plus a
# margin, never more than the suite's own max_new_tokens.
NEW_TOKENS_FACTOR = 1.5
NEW_TOKENS_MARGIN = 8


@dataclass(frozen=True)
class EvalSizes:
    validation: int
    test: int
    paraphrases: int
    source: str  # "config", "full" or "scaled for a <n>M-parameter model on CPU"
    # test items scored along training, and the evaluation points before the last that score them
    quality_items: int = FULL_QUALITY["quality_items"]
    quality_checkpoints: int = FULL_QUALITY["quality_checkpoints"]
    # general-text documents whose loss is measured before and after training (forgetting.py)
    forgetting_texts: int = FULL_QUALITY["forgetting_texts"]
    # deployment probe requests per served variant (deployment.py)
    deploy_requests: int = FULL_QUALITY["deploy_requests"]
    # steps between validation losses (the config's, or fewer points for a real model on a CPU)
    validation_every: int = 1

    def describe(self) -> str:
        return (
            f"{self.test} test prompt{'' if self.test == 1 else 's'}, "
            f"{self.paraphrases} paraphrase"
            f"{'' if self.paraphrases == 1 else 's'}; {self.validation} validation items"
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "validation_items": self.validation,
            "test_prompts": self.test,
            "test_paraphrases": self.paraphrases,
            "source": self.source,
            "text": self.describe(),
            "quality_items": self.quality_items,
            "quality_checkpoints": self.quality_checkpoints,
            "forgetting_texts": self.forgetting_texts,
            "deploy_requests": self.deploy_requests,
            "validation_every": self.validation_every,
        }


def evaluation_sizes(config: RunConfig, base_params: int, device: torch.device) -> EvalSizes:
    scaled = device.type == "cpu" and base_params > SMALL_MODEL_PARAMS
    plan = (
        CPU_REAL_MODEL
        if scaled
        else {
            "validation": DEFAULT_EVAL_SIZE,
            "test": DEFAULT_TEST_SIZE,
            "paraphrases": TEST_PARAPHRASES,
            **FULL_QUALITY,
        }
    )
    given = [
        config.eval_size is not None,
        config.test_size is not None,
        config.test_paraphrases is not None,
    ]
    if all(given):
        source = "config"
    elif scaled:
        source = f"scaled for a {base_params / 1e6:.0f}M-parameter model on CPU"
    else:
        source = "full"
    return EvalSizes(
        validation=config.eval_size if config.eval_size is not None else plan["validation"],
        test=config.test_size if config.test_size is not None else plan["test"],
        paraphrases=(
            config.test_paraphrases if config.test_paraphrases is not None else plan["paraphrases"]
        ),
        source=source,
        quality_items=(
            config.checkpoint_eval_size
            if config.checkpoint_eval_size is not None
            else plan["quality_items"]
        ),
        quality_checkpoints=(
            config.quality_checkpoints
            if config.quality_checkpoints is not None
            else plan["quality_checkpoints"]
        ),
        forgetting_texts=(
            config.forgetting_texts
            if config.forgetting_texts is not None
            else plan["forgetting_texts"]
        ),
        deploy_requests=(
            config.deploy_requests
            if config.deploy_requests is not None
            else plan["deploy_requests"]
        ),
        validation_every=validation_interval(config, CPU_REAL_MODEL if scaled else None),
    )


def validation_interval(config: RunConfig, plan: dict[str, int] | None) -> int:
    """Steps between validation losses: the config's, widened on a real model on a CPU so that
    at most the plan's points come before the last (each costs about a training step there)."""
    if plan is None:
        return config.eval_every
    return max(config.eval_every, math.ceil(config.max_steps / plan["validation_points"]))


def full_sizes(config: RunConfig) -> EvalSizes:
    """The config's sizes where given, else the full ones (the tiny model's)."""
    return evaluation_sizes(config, 0, torch.device("cpu"))


def generation_budget(suite_max: int, reference_tokens: list[int], byte_level: bool) -> int:
    """New tokens to generate: the suite's budget for the byte-level tiny model; for a real
    tokenizer, in proportion to the longest reference, capped by the suite's budget."""
    if byte_level or not reference_tokens:
        return suite_max
    wanted = math.ceil(max(reference_tokens) * NEW_TOKENS_FACTOR) + NEW_TOKENS_MARGIN
    return min(suite_max, wanted)
