"""The LoRA rank and alpha that reach peft: the task preset as written unless asked otherwise."""

from __future__ import annotations

import pytest
import torch

from faceoff_trainer import methods
from faceoff_trainer.config import BadConfig, LoraOverrides, parse_config


def _llama(hidden: int) -> torch.nn.Module:
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=64,
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=1,
        num_attention_heads=4,
        num_key_value_heads=4,
    )
    return LlamaForCausalLM(config)


def _peft_config(task: str, hidden: int, lora: dict | None = None) -> object:
    config = parse_config({"run_id": "r", "task": task, "method": "lora", "lora": lora})
    plan = methods.plan_lora(task, config.lora, hidden)
    model = methods.apply_method(_llama(hidden), config, plan)
    return model.peft_config["default"]


@pytest.mark.parametrize("hidden", [128, 576, 4096])
def test_preset_rank_reaches_lora_config_unchanged(hidden: int) -> None:
    # customer_service: r=16, alpha=32, dropout 0.1 in framework.json, whatever the width.
    peft_config = _peft_config("customer_service", hidden if hidden < 4096 else 256)
    assert (peft_config.r, peft_config.lora_alpha, peft_config.lora_dropout) == (16, 32, 0.1)
    plan = methods.plan_lora("creative_writing", LoraOverrides(), hidden)
    assert (plan.r, plan.alpha, plan.rank_rule, plan.rank_scaled) == (64, 128.0, "preset", False)


def test_scaled_rule_only_when_asked_and_named() -> None:
    peft_config = _peft_config("customer_service", 128, {"rank_rule": "scaled"})
    assert (peft_config.r, peft_config.lora_alpha) == (1, 2)  # 16 * 128 / 4096 -> 1
    plan = methods.plan_lora("customer_service", LoraOverrides(rank_rule="scaled"), 576)
    assert (plan.r, plan.alpha, plan.rank_rule, plan.rank_scaled) == (2, 4.0, "scaled", True)
    assert "hidden_size / 4096" in plan.rank_rule_note.replace("* hidden_size", "hidden_size")


def test_explicit_rank_alpha_and_mlp_targets() -> None:
    peft_config = _peft_config(
        "customer_service", 128, {"r": 4, "alpha": 4, "target_modules": "mlp"}
    )
    assert (peft_config.r, peft_config.lora_alpha) == (4, 4)
    assert set(peft_config.target_modules) == {"gate_proj", "up_proj", "down_proj"}
    plan = methods.plan_lora("customer_service", LoraOverrides(r=64), 128)
    assert (plan.r, plan.alpha, plan.rank_rule) == (64, 128.0, "explicit")  # alpha keeps 2 x r


def test_bad_rank_rule_names_the_field() -> None:
    with pytest.raises(BadConfig, match=r"lora\.rank_rule.*\['preset', 'scaled'\]"):
        parse_config({"run_id": "r", "task": "customer_service", "lora": {"rank_rule": "width"}})
