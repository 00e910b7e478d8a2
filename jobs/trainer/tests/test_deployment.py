"""Measured around training: quality at checkpoints, and deployment (latency, memory, swap)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import run_in_process

pytestmark = pytest.mark.usefixtures("tiny_model")
FEW = {"max_steps": 4, "eval_every": 2, "deploy_requests": 4, "checkpoint_eval_size": 3}


@pytest.fixture(scope="module")
def summaries(small_runs: dict) -> dict[str, dict]:
    """The shared runs of conftest.py: 8 steps validated every 4, probed with 4 requests per
    variant, a quality curve on 3 items."""
    return {method: summary for method, (summary, _, _) in small_runs.items()}


@pytest.fixture(scope="module")
def deployed(summaries: dict[str, dict]) -> dict[str, dict]:
    return {method: summary["deployment"] for method, summary in summaries.items()}


def test_primary_metric_at_every_evaluation_point(summaries: dict[str, dict]) -> None:
    for summary in summaries.values():
        curve = summary["quality_curve"]
        assert [p["step"] for p in curve] == [4, 8]
        assert summary["quality_curve_items"] == 3
        assert 0 < curve[0]["train_seconds"] < curve[1]["train_seconds"]
        assert all(0 <= p["metric"] <= 1 for p in curve)
        assert summary["quality_curve_seconds"] > 0


def test_quality_is_measured_at_a_few_spread_checkpoints() -> None:
    from faceoff_trainer.train import quality_steps

    assert quality_steps(20, 2, 3) == {6, 12, 18}
    assert quality_steps(4, 2, 3) == {2}
    assert quality_steps(300, 60, 3) == {60, 180, 240}
    assert quality_steps(300, 60, 0) == set()


def test_a_real_model_on_a_cpu_measures_a_smaller_curve() -> None:
    import torch

    from faceoff_trainer.config import parse_config
    from faceoff_trainer.eval_plan import evaluation_sizes

    raw = {"run_id": "q", "task": "customer_service", "method": "lora"}
    cpu = torch.device("cpu")
    real = evaluation_sizes(parse_config(raw), 134_515_008, cpu)
    assert (real.quality_items, real.quality_checkpoints) == (8, 1)
    tiny = evaluation_sizes(parse_config(raw), 470_000, cpu)
    assert (tiny.quality_items, tiny.quality_checkpoints) == (16, 3)
    given = parse_config({**raw, "checkpoint_eval_size": 4, "quality_checkpoints": 2})
    chosen = evaluation_sizes(given, 134_515_008, cpu)
    assert (chosen.quality_items, chosen.quality_checkpoints) == (4, 2)


def test_last_point_reuses_the_test_outputs(tmp_path: Path, monkeypatch) -> None:
    from faceoff_trainer import run

    passes: list[int] = []
    real_generate = run.generate

    def counted(*args: Any, **kwargs: Any) -> Any:
        passes.append(len(args[2]))
        return real_generate(*args, **kwargs)

    monkeypatch.setattr(run, "generate", counted)
    summary, _ = run_in_process(
        tmp_path,
        method="full",
        **{**FEW, "max_steps": 6, "quality_checkpoints": 1, "deploy_requests": 0},
    )
    assert [p["step"] for p in summary["quality_curve"]] == [4, 6]
    # one generation pass of the curve's items during training (step 4); the last point (step 6)
    # is scored from the test set's own outputs, with no pass of its own
    assert passes == [3]


def test_no_checkpoint_subset_no_curve(tmp_path: Path) -> None:
    summary, _ = run_in_process(
        tmp_path, method="lora", **{**FEW, "checkpoint_eval_size": 0, "deploy_requests": 0}
    )
    assert summary["quality_curve"] == [] and summary["quality_curve_items"] == 0
    assert summary["deployment"] is None


def _check_served(variant: dict) -> None:
    assert variant["requests"] == 4
    assert variant["new_tokens_per_request"] == 16
    assert 0 < variant["latency_p50_ms"] <= variant["latency_p95_ms"]
    assert variant["tokens_per_s"] > 0
    assert variant["serving_bytes"] > 0
    assert variant["serving_peak_bytes"] is None  # measured on a GPU only


def test_lora_is_served_unmerged_and_merged_with_swap_times(deployed: dict) -> None:
    lora = deployed["lora"]
    assert set(lora["variants"]) == {"lora_unmerged", "lora_merged"}
    for variant in lora["variants"].values():
        _check_served(variant)
    unmerged = lora["variants"]["lora_unmerged"]["serving_bytes"]
    merged = lora["variants"]["lora_merged"]["serving_bytes"]
    assert unmerged > merged  # unmerged serving holds the adapter's A and B matrices too
    times = lora["times"]
    for key in ("base_load_s", "adapter_load_s", "adapter_swap_s", "adapter_rollback_s", "merge_s"):
        assert times[key] >= 0, key
    assert times["adapter_load_s"] > 0 and times["base_load_s"] > 0
    assert lora["device"] == "cpu" and lora["probe_seconds"] > 0


def test_full_is_served_and_its_checkpoint_load_is_timed(deployed: dict) -> None:
    full = deployed["full"]
    assert set(full["variants"]) == {"full"}
    _check_served(full["variants"]["full"])
    assert full["times"]["checkpoint_load_s"] > 0
    # merged LoRA and the full model have the same architecture: same bytes to serve
    merged = deployed["lora"]["variants"]["lora_merged"]["serving_bytes"]
    assert full["variants"]["full"]["serving_bytes"] == merged


def test_a_failed_measurement_is_reported_and_the_run_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faceoff_trainer.run as run_module

    def broken(*_args: object, **_kwargs: object) -> dict:
        raise RuntimeError("disk went away\nsecond line")

    monkeypatch.setattr(run_module, "measure_full", broken)
    summary, events = run_in_process(tmp_path, method="full", **FEW)
    assert events[-1]["event"] == "finished"
    assert summary["deployment"] == {"error": "not measured: RuntimeError: disk went away"}
    assert summary["metrics"]
