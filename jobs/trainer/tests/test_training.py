"""Runs on the tiny model: both methods complete, costs are measured, adapters reload."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from conftest import run_in_process, run_trainer_cli

from faceoff_trainer.errors import OutOfMemory, Unsupported

pytestmark = pytest.mark.usefixtures("tiny_model")


@pytest.fixture(scope="module")
def both_runs(small_runs: dict) -> dict[str, tuple[dict, list, Path]]:
    return small_runs


def test_tiny_model_pretraining_is_reported(tiny_model: tuple[Path, dict]) -> None:
    _, metadata = tiny_model
    assert metadata["heldout_loss"] < metadata["heldout_loss_initial"]
    assert metadata["heldout_loss"] < 2.5  # nats/token; random init is about ln(264) = 5.6


def test_lora_and_full_complete(both_runs: dict) -> None:
    for method, (summary, events, out) in both_runs.items():
        assert summary["method"] == method
        assert events[0]["event"] == "started"
        assert events[-1]["event"] == "finished"
        assert events[-1]["summary"]["run_id"] == f"t-{method}"
        steps = [e for e in events if e["event"] == "step"]
        assert [e["step"] for e in steps] == list(range(1, 9))
        assert all(e["total"] == 8 and e["tokens_per_s"] > 0 for e in steps)
        evals = [e for e in events if e["event"] == "eval"]
        assert evals[-1]["split"] == "test" and evals[-1]["metrics"]
        assert len(summary["eval_curve"]) == 2
        result = json.loads((out / "result.json").read_text())
        assert result["primary_metric"] == "intent_resolution_exact_match"
        assert result["primary_metric"] in result["metrics"]
        for key in (
            "wall_time_s",
            "tokens_per_s",
            "peak_memory_bytes",
            "artifact_bytes",
            "device_hours",
        ):
            assert result[key] > 0
        assert result["memory_kind"] == "cpu_peak_rss_process"
        assert result["device"] == "cpu" and result["gpu_hours"] == 0
        assert result["lr_tuned"] is False
        assert "not tuned" in result["lr_note"]
        assert result["base_model_pretraining"]["heldout_loss"] > 0


def test_lora_share_and_artifact_size(both_runs: dict) -> None:
    lora, full = both_runs["lora"][0], both_runs["full"][0]
    # The preset's rank 16 on a width-128 model: the adapters are about 14% of all parameters
    # (rank x (d_in + d_out) per adapted matrix), far more than the same rank on a 7B model.
    assert 0.05 < lora["trainable_params"] / lora["total_params"] < 0.2
    assert full["trainable_params"] == full["total_params"]
    assert lora["artifact_kind"] == "peft_adapter"
    assert full["artifact_kind"] == "full_weights"
    assert lora["artifact_bytes"] * 3 < full["artifact_bytes"]
    adapter = Path(lora["artifact_path"])
    assert (adapter / "adapter_config.json").is_file()
    assert (adapter / "adapter_model.safetensors").is_file()
    assert (Path(full["artifact_path"]) / "model.safetensors").is_file()
    used = lora["lora"]
    assert used["rank"] == 16 and used["rank_rule"] == "preset"  # the preset, unchanged
    assert used["alpha"] == 32 and used["rank_scaled"] is False
    assert used["preset"]["r"] == 16
    assert "gate_proj" in used["targets_used"] and "q_proj" in used["targets_used"]


def test_saved_adapter_reproduces_eval_loss(both_runs: dict, tiny_model: tuple) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from faceoff_trainer.config import parse_config
    from faceoff_trainer.data import encode_items, load_task_data
    from faceoff_trainer.eval_plan import evaluation_sizes
    from faceoff_trainer.evaluate import evaluation_loss
    from faceoff_trainer.tokenizer import ByteTokenizer

    summary = both_runs["lora"][0]
    base = AutoModelForCausalLM.from_pretrained(str(tiny_model[0]))
    model = PeftModel.from_pretrained(base, summary["artifact_path"])
    config = parse_config(summary["config"])
    codec = ByteTokenizer()
    sizes = evaluation_sizes(config, summary["base_model_params"], torch.device("cpu"))
    data = load_task_data(config, codec, sizes)
    loss = evaluation_loss(
        model,
        encode_items(codec, data.validation, config.seq_len),
        codec.pad_id,
        torch.device("cpu"),
    )
    assert loss == pytest.approx(summary["final_eval_loss"], abs=1e-4)


@pytest.mark.parametrize("source", ["result.json", "config.json"])
def test_evaluate_adapter_reproduces_final_eval_loss(
    both_runs: dict, source: str, tmp_path: Path
) -> None:
    summary, _, out = both_runs["lora"]
    config_path = out / "result.json"
    if source == "config.json":  # the config itself, as the worker writes it beside the run
        config_path = tmp_path / "config.json"
        config_path.write_text(json.dumps(summary["config"]))
    done = run_trainer_cli(
        "evaluate-adapter", "--config", str(config_path), "--adapter", str(out / "adapter")
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert len(lines) == 1  # one JSON line, nothing else on stdout
    report = json.loads(lines[0])
    assert set(report) == {"eval_loss", "validation_items", "adapter", "model"}
    assert report["eval_loss"] == pytest.approx(summary["final_eval_loss"], abs=1e-4)
    assert report["validation_items"] == summary["validation_items"] == 16
    assert report["adapter"] == str(out / "adapter") and report["model"] == "tiny"


def test_evaluate_adapter_without_an_adapter_exits_2(both_runs: dict, tmp_path: Path) -> None:
    out = both_runs["lora"][2]
    missing = tmp_path / "no-such-adapter"
    done = run_trainer_cli(
        "evaluate-adapter", "--config", str(out / "result.json"), "--adapter", str(missing)
    )
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert report["kind"] == "bad_config" and report["field"] == "--adapter"
    assert f"no LoRA adapter at {missing}" in report["error"]
    # a full fine-tuning run has no adapter to evaluate: refused before any model is loaded
    full = both_runs["full"][2]
    done = run_trainer_cli(
        "evaluate-adapter", "--config", str(full / "result.json"), "--adapter", str(out)
    )
    assert done.returncode == 2
    assert json.loads(done.stdout)["field"] == "method"


def test_same_seed_same_loss_curve(both_runs: dict, tmp_path: Path) -> None:
    # the same training without the measurements after it (probe, quality curve, forgetting)
    lean = {"deploy_requests": 0, "checkpoint_eval_size": 0, "forgetting_texts": 0}
    again, _ = run_in_process(
        tmp_path, run_id="t-lora-again", method="lora", test_size=1, max_new_tokens=4, **lean
    )
    assert again["train_curve"] == both_runs["lora"][0]["train_curve"]
    assert again["eval_curve"] == both_runs["lora"][0]["eval_curve"]
    other, _ = run_in_process(
        tmp_path / "s1",
        run_id="t-seed1",
        method="lora",
        seed=1,
        max_steps=3,
        test_size=1,
        max_new_tokens=4,
        **lean,
    )  # another seed: another data order, so the first steps' losses differ
    assert other["train_curve"][0]["loss"] != again["train_curve"][0]["loss"]


def test_attention_only_lora_and_explicit_rank(tmp_path: Path) -> None:
    summary, _ = run_in_process(
        tmp_path,
        run_id="t-attn",
        method="lora",
        max_steps=2,
        test_size=1,
        lora={"target_modules": "attention", "r": 2},
    )
    assert summary["lora"]["targets_used"] == ["k_proj", "o_proj", "q_proj", "v_proj"]
    assert summary["lora"]["rank"] == 2 and summary["lora"]["rank_scaled"] is False


def test_user_dataset_run(tmp_path: Path) -> None:
    lines = [
        json.dumps({"prompt": f"Repeat: {w}", "completion": w})
        for w in ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
    ]
    lines += [
        json.dumps(
            {
                "messages": [
                    {"role": "user", "content": f"Echo {n}"},
                    {"role": "assistant", "content": str(n)},
                ]
            }
        )
        for n in range(12)
    ]
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(lines) + "\n")
    summary, _ = run_in_process(
        tmp_path / "out", run_id="t-data", task="dataset", dataset_path=str(path), max_steps=3
    )
    assert summary["primary_metric"] == "exact_match"
    assert {"exact_match", "rouge_l", "quality_proxy_chrf"} <= summary["metrics"].keys()


def test_out_of_memory_is_reported_with_step_and_batch(tmp_path: Path, monkeypatch) -> None:
    from faceoff_trainer import runtime

    calls = {"n": 0}
    original = runtime.SingleProcess.backward

    def failing_backward(self, loss: torch.Tensor) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        original(self, loss)

    monkeypatch.setattr(runtime.SingleProcess, "backward", failing_backward)
    with pytest.raises(OutOfMemory) as caught:
        run_in_process(tmp_path, run_id="t-oom", method="full")
    fields = caught.value.event_fields()
    assert fields["kind"] == "oom" and fields["step"] == 3 and fields["batch_size"] == 8
    assert "batch_size=4" in fields["message"] and "gradient_checkpointing" in fields["message"]


def test_qlora_refused_without_cuda(tmp_path: Path) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(Unsupported) as caught:
        run_in_process(tmp_path, run_id="t-qlora", method="qlora")
    assert caught.value.exit_code == 2
    assert "CUDA" in str(caught.value)


def test_compare_without_sweep_reports_untuned(tmp_path: Path) -> None:
    import io

    from faceoff_trainer.compare import CompareRequest, run_comparison
    from faceoff_trainer.events import CancelToken, EventSink

    request = CompareRequest(
        task="data_analysis",
        max_steps=2,
        seeds=1,
        sweep=False,
        batch_size=4,
        eval_size=4,
        test_size=1,
    )
    stream = io.StringIO()
    comparison = run_comparison(request, tmp_path, EventSink("cmp", stream), CancelToken())
    saved = json.loads((tmp_path / "comparison.json").read_text())
    assert saved["lr_tuned"] is False and "not tuned" in saved["lr_note"]
    for method in ("lora", "full"):
        report = comparison["methods"][method]
        assert len(report["tried"]) == 1
        assert report["chosen_learning_rate"] == report["tried"][0]["learning_rate"]
    assert len(saved["runs"]) == 2


def test_compare_sweeps_on_the_first_seed_and_tests_only_the_chosen_rate(tmp_path: Path) -> None:
    import io

    from faceoff_trainer.compare import CompareRequest, run_comparison
    from faceoff_trainer.events import CancelToken, EventSink
    from faceoff_trainer.lr import extension_rate

    request = CompareRequest(
        task="data_analysis", max_steps=2, seeds=2, batch_size=4, eval_size=4, test_size=1
    )
    stream = io.StringIO()
    comparison = run_comparison(request, tmp_path, EventSink("cmp", stream), CancelToken())
    for method in ("lora", "full"):
        report = comparison["methods"][method]
        runs = [r for r in comparison["runs"] if r["method"] == method]
        planned = comparison["lr_grids"][method]["learning_rates"]
        first = [t for t in report["tried"] if t["learning_rate"] in planned]
        best_planned = min(first, key=lambda t: t["sweep_validation_loss"])["learning_rate"]
        # 3 rates on seed 0, one more beyond the edge when the best of them sits on it, seed 1 once
        beyond = extension_rate(planned, best_planned)
        extended = beyond is not None
        assert report["grid_extended"] is extended
        assert len(report["tried"]) == 3 + extended and len(runs) == 4 + extended
        if extended:
            assert {t["learning_rate"] for t in report["tried"]} == {*planned, beyond}
        best = min(report["tried"], key=lambda t: t["sweep_validation_loss"])
        assert report["chosen_learning_rate"] == best["learning_rate"]
        tested = [(r["seed"], r["learning_rate"]) for r in runs if r["test_evaluated"]]
        assert sorted(tested) == [(0, best["learning_rate"]), (1, best["learning_rate"])]
        assert all(r["metrics"] == {} for r in runs if not r["test_evaluated"])
        assert report["chosen_by"] == "lowest final validation loss of seed 0"
        assert report["evaluation"]["text"] == "1 test prompt, 3 paraphrases; 4 validation items"
