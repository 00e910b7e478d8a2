"""The tiny model family: three sizes of one recipe, each pretrained once in its own entry."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from faceoff_trainer import tiny
from faceoff_trainer.model import count_model_params
from faceoff_trainer.tiny import TINY_SIZES, PretrainSettings, ensure_tiny_model, tiny_total_params

TRAINER_DIR = Path(__file__).resolve().parents[1]


def test_sizes_grow_and_share_the_tokenizer_and_recipe() -> None:
    params = [tiny_total_params(size) for size in ("tiny-s", "tiny", "tiny-l")]
    assert params == sorted(params)
    assert params[0] < 200_000 and 400_000 < params[1] < 600_000 and params[2] > 1_000_000
    assert count_model_params("tiny-l") == params[2]
    configs = [tiny.model_config(size) for size in TINY_SIZES]
    assert len({c["vocab_size"] for c in configs}) == 1
    # `tiny` is the model every earlier result was measured on: its shape is unchanged.
    assert tiny.TINY_MODEL_CONFIG["hidden_size"] == 128
    assert tiny.TINY_MODEL_CONFIG["num_hidden_layers"] == 2


def test_each_size_has_its_own_cache_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACEOFF_CACHE_DIR", str(tmp_path))
    settings = PretrainSettings(
        steps=3, batch_size=2, seq_len=32, warmup_steps=1, heldout_windows=2
    )
    path, meta = ensure_tiny_model(settings, size="tiny-s")
    assert path.name.startswith("tiny-s-") and path.parent == tmp_path
    assert meta["size"] == "tiny-s"
    assert meta["total_params"] == tiny_total_params("tiny-s")
    assert json.loads((path / "config.json").read_text())["hidden_size"] == 64
    again, _ = ensure_tiny_model(settings, size="tiny-s")
    assert again == path, "a second call reuses the cached model"
    assert tiny.cache_key(settings, "tiny-s") != tiny.cache_key(settings, "tiny")


def test_prepare_tiny_refuses_an_unknown_size() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "faceoff_trainer", "prepare-tiny", "--size", "tiny-xl"],
        cwd=TRAINER_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "--size: expected one of tiny-s, tiny, tiny-l, got 'tiny-xl'" in done.stderr
