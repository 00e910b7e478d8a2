"""The compared methods: full fine-tuning, LoRA (peft) and QLoRA (4-bit base + LoRA).

Which methods exist and how each trains (adapter or every weight, 4-bit base or not) is in
framework.json, with the LoRA presets per task: the usual 7B-class settings.

Rank rules. By default ("preset") the task's preset rank and alpha reach peft unchanged on
every model size: r=16/alpha=32 for customer_service is r=16/alpha=32 on a 1M-parameter model
and on a 7B one. A comparison may instead ask for "scaled", which shrinks the rank with the
model's width, for models narrower than the presets' 4096 (hidden size), rounded half up and
never below 1:

    r_used = max(1, floor(r_preset * hidden_size / 4096 + 0.5))

with alpha keeping the preset's alpha / r ratio. Scaling makes the adapter far smaller on small
models (rank 1 on the tiny model), so every result names the rule and the rank used. A rank or
alpha given in the config ("explicit") overrides both rules.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import torch

from faceoff_trainer.config import DATASET_TASK, LoraOverrides, RunConfig
from faceoff_trainer.framework import LoraPreset, load_framework, method_spec

REFERENCE_HIDDEN_SIZE = 4096
ATTENTION_TARGETS: tuple[str, ...] = load_framework().attention_target_modules
MLP_TARGETS: tuple[str, ...] = load_framework().mlp_target_modules


def _as_tuple(preset: LoraPreset) -> tuple[int, float, float]:
    return (preset.r, preset.alpha, preset.dropout)


LORA_PRESETS: dict[str, tuple[int, float, float]] = {
    # task: (r, alpha, dropout), from framework.json; a user's dataset takes default_lora
    **{task.id: _as_tuple(task.lora) for task in load_framework().tasks},
    DATASET_TASK: _as_tuple(load_framework().default_lora),
}
SCALED_RULE = "r_used = max(1, floor(r_preset * hidden_size / 4096 + 0.5)) when hidden_size < 4096"
RULE_NOTES = {
    "preset": "the task preset's rank and alpha, unchanged",
    "scaled": SCALED_RULE,
    "explicit": "rank given in the request",
}


@dataclass(frozen=True)
class LoraPlan:
    r: int
    alpha: float
    dropout: float
    target_modules: str | list[str]  # "all-linear" or explicit names
    preset: dict[str, float]
    rank_scaled: bool
    rank_rule: str  # "preset", "scaled" or "explicit"
    rank_rule_note: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def scaled_rank(preset_r: int, hidden_size: int) -> int:
    if hidden_size <= 0 or hidden_size >= REFERENCE_HIDDEN_SIZE:
        return preset_r
    return max(1, math.floor(preset_r * hidden_size / REFERENCE_HIDDEN_SIZE + 0.5))


def plan_lora(task: str, overrides: LoraOverrides, hidden_size: int) -> LoraPlan:
    """The adapter to train: the preset as written unless the config names a rank or the
    scaled rule."""
    preset_r, preset_alpha, preset_dropout = LORA_PRESETS[task]
    if overrides.r is not None:
        r, rule = overrides.r, "explicit"
    elif overrides.rank_rule == "scaled":
        r, rule = scaled_rank(preset_r, hidden_size), "scaled"
    else:
        r, rule = preset_r, "preset"
    alpha = overrides.alpha if overrides.alpha is not None else preset_alpha / preset_r * r
    targets = overrides.target_modules or "all-linear"
    if targets == "attention":
        resolved: str | list[str] = list(ATTENTION_TARGETS)
    elif targets == "mlp":
        resolved = list(MLP_TARGETS)
    elif isinstance(targets, tuple):
        resolved = list(targets)
    else:
        resolved = targets
    return LoraPlan(
        r=r,
        alpha=float(alpha),
        dropout=overrides.dropout if overrides.dropout is not None else preset_dropout,
        target_modules=resolved,
        preset={"r": preset_r, "alpha": preset_alpha, "dropout": preset_dropout},
        rank_scaled=rule == "scaled" and r != preset_r,
        rank_rule=rule,
        rank_rule_note=RULE_NOTES[rule],
    )


def apply_method(model: Any, config: RunConfig, plan: LoraPlan | None) -> Any:
    """Return the model ready to train: all parameters (full) or a peft LoRA wrapper."""
    if config.gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.config.use_cache = False
    if not method_spec(config.method).adapter:
        for parameter in model.parameters():
            parameter.requires_grad_(True)
        return model
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    assert plan is not None
    if method_spec(config.method).quantized_base:
        model = prepare_model_for_kbit_training(
            model, use_gradient_checkpointing=config.gradient_checkpointing
        )
    elif config.gradient_checkpointing:
        model.enable_input_require_grads()
    lora_config = LoraConfig(
        r=plan.r,
        lora_alpha=plan.alpha,
        lora_dropout=plan.dropout,
        target_modules=plan.target_modules,
        bias="none",
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, lora_config)


def lora_targets_used(model: Any) -> list[str]:
    """Names (last path component) of the modules that received LoRA adapters."""
    from peft.tuners.lora import LoraLayer

    names = {
        name.rsplit(".", 1)[-1]
        for name, module in model.named_modules()
        if isinstance(module, LoraLayer)
    }
    return sorted(names)


def parameter_counts(model: torch.nn.Module) -> tuple[int, int]:
    """(trainable, total) parameters of the model as trained (base + adapters)."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable, total
