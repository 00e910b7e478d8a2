"""Forgetting: each run measures the base model's loss on general text (held-out standard-library
docstrings, not task data) before and after training, and its task validation loss over the same
interval, so learning can be set against forgetting."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import run_in_process

from faceoff_trainer.corpus import collect_stdlib_docstrings
from faceoff_trainer.forgetting import MIN_CHARS, general_documents

pytestmark = pytest.mark.usefixtures("tiny_model")

# Cheap runs: one test item, a short generation, no deployment probe, no quality curve.
CHEAP = {
    "test_size": 1,
    "max_new_tokens": 8,
    "deploy_requests": 0,
    "checkpoint_eval_size": 0,
}


def test_the_general_text_is_held_out_from_the_tiny_models_pretraining() -> None:
    docs = general_documents()
    assert len(docs) == 32
    assert all(len(d) >= MIN_CHARS for d in docs)
    corpus = collect_stdlib_docstrings()
    trained_on = set(corpus.train_docs)
    assert not trained_on.intersection(docs), "never text the tiny model pretrained on"
    assert set(docs) <= set(corpus.heldout_docs)
    assert general_documents() == docs, "the same documents every time"


@pytest.mark.parametrize("method", ["lora", "full"])
def test_a_run_reports_learning_against_forgetting(small_runs: dict, method: str) -> None:
    summary = small_runs[method][0]  # 8 steps, forgetting_texts=8 (conftest.py)
    assert summary["config"]["forgetting_texts"] == 8
    f = summary["forgetting"]
    assert f["texts"] == 8 and f["tokens"] > 8 * 50
    for key in ("general_loss_before", "general_loss_after", "task_loss_before", "task_loss_after"):
        assert math.isfinite(f[key]) and f[key] > 0
    assert f["forgetting"] == pytest.approx(
        f["general_loss_after"] - f["general_loss_before"], abs=1e-5
    )
    assert f["learning"] == pytest.approx(f["task_loss_before"] - f["task_loss_after"], abs=1e-5)
    assert f["task_loss_after"] == pytest.approx(summary["final_eval_loss"], abs=1e-6)
    assert f["learning"] > 0, "eight steps on the task lower its validation loss"
    assert "standard-library" in f["source"]


def test_forgetting_is_not_measured_when_turned_off(tmp_path: Path) -> None:
    summary, _ = run_in_process(tmp_path, method="lora", forgetting_texts=0, **CHEAP)
    assert summary is not None and summary["forgetting"] is None
