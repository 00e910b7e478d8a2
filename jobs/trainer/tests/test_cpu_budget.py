"""What a run spends besides training: a sweep point without the test set (`test_set: false`),
and the smaller validation and deployment measurements of a real model on a CPU."""

from __future__ import annotations

from pathlib import Path

from conftest import run_in_process

from faceoff_trainer.config import parse_config


def test_test_set_defaults_to_true() -> None:
    assert parse_config({"run_id": "r", "task": "customer_service"}).test_set is True


def test_a_sweep_point_stops_after_its_validation_losses(tmp_path: Path) -> None:
    summary, events = run_in_process(
        tmp_path, run_id="t-sweep-point", method="lora", max_steps=2, test_set=False
    )
    assert summary["test_evaluated"] is False
    assert summary["final_eval_loss"] is not None and summary["eval_curve"]
    assert summary["metrics"] == {} and summary["test_items"] == 0
    assert summary["test_eval_time_s"] == 0.0
    # nothing generated, saved or served: no quality curve, artifact or deployment probe
    assert summary["quality_curve"] == [] and summary["quality_curve_items"] == 0
    assert "artifact_path" not in summary and summary["deployment"] is None
    assert not (tmp_path / "adapter").exists() and not (tmp_path / "model").exists()
    assert not any(e["event"] == "evaluating" for e in events)
    assert (tmp_path / "result.json").is_file()
    assert summary["config"]["test_set"] is False


def test_a_real_model_on_a_cpu_validates_and_probes_less() -> None:
    import torch

    from faceoff_trainer.eval_plan import evaluation_sizes

    cpu = torch.device("cpu")
    raw = {"run_id": "q", "task": "customer_service", "max_steps": 12, "eval_every": 2}
    real = evaluation_sizes(parse_config(raw), 134_515_008, cpu)
    assert (real.validation, real.deploy_requests, real.validation_every) == (32, 2, 3)
    assert (real.test, real.paraphrases, real.forgetting_texts) == (40, 2, 8)
    assert real.to_dict()["validation_every"] == 3
    tiny = evaluation_sizes(parse_config(raw), 470_000, cpu)
    assert (tiny.deploy_requests, tiny.validation_every) == (8, 2)
    # given values are kept: a probe size, and a validation interval wider than the plan's
    given = parse_config({**raw, "deploy_requests": 5, "eval_every": 6})
    chosen = evaluation_sizes(given, 134_515_008, cpu)
    assert (chosen.deploy_requests, chosen.validation_every) == (5, 6)
    one_step = parse_config({**raw, "max_steps": 1})
    assert evaluation_sizes(one_step, 134_515_008, cpu).validation_every == 2
