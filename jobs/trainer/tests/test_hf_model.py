"""The Hugging Face loading path: a local directory with a real HF tokenizer (no hub)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_in_process


@pytest.fixture(scope="module")
def local_hf_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    from faceoff_trainer.suites import get_suite

    texts = [
        i.prompts[0] + " " + i.completion for i in get_suite("data_analysis").items("train", 300)
    ]
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<unk>", "<s>", "</s>"])
    tokenizer.train_from_iterator(texts, trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, bos_token="<s>", eos_token="</s>", unk_token="<unk>"
    )
    directory = tmp_path_factory.mktemp("hf-model")
    fast.save_pretrained(directory)
    config = LlamaConfig(
        vocab_size=len(fast),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        bos_token_id=fast.bos_token_id,
        eos_token_id=fast.eos_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(directory)
    return directory


@pytest.mark.parametrize("method", ["lora", "full"])
def test_local_hf_model_trains(local_hf_model: Path, tmp_path: Path, method: str) -> None:
    summary, events = run_in_process(
        tmp_path,
        run_id=f"hf-{method}",
        model=str(local_hf_model),
        task="data_analysis",
        method=method,
        max_steps=2,
        test_size=2,
        max_new_tokens=8,
    )
    assert events[-1]["event"] == "finished"
    assert summary["base_model_pretraining"] is None
    assert summary["lr_bucket"] == "tiny"
    if method == "lora":
        assert summary["lora"]["rank"] == 16  # data_analysis's preset, unchanged at hidden 64
