"""`combine`: skill LoRA adapters trained for a few steps on the tiny model, combined with PEFT
(linear, ties, cat) and evaluated on every skill's test set and the combined set."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import parse_events, run_in_process, run_trainer_cli

from faceoff_trainer.config import parse_combine_config
from faceoff_trainer.errors import BadConfig
from faceoff_trainer.events import CancelToken, EventSink

pytestmark = pytest.mark.usefixtures("tiny_model")

SKILLS = ("tone", "knowledge")
SETS = ["tone", "knowledge", "troubleshooting", "combined"]
# Tiny everything: a few steps, one test item per set, short generations.
TRAIN = {
    "max_steps": 4,
    "batch_size": 4,
    "eval_every": 4,
    "eval_size": 4,
    "test_size": 4,
    "test_paraphrases": 1,
    "max_new_tokens": 12,
    "deploy_requests": 0,
    "forgetting_texts": 0,
    "checkpoint_eval_size": 0,
}
EVAL = {
    "seq_len": 256,
    "eval_size": 4,
    "test_size": 4,
    "test_paraphrases": 1,
    "max_new_tokens": 12,
    "forgetting_texts": 2,
    "deploy_requests": 0,
}


@pytest.fixture(scope="module")
def adapters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A LoRA train run per skill (their output directories), shared by every test here."""
    root = tmp_path_factory.mktemp("skills")
    for skill in SKILLS:
        run_in_process(root / skill, run_id=f"t-{skill}", skill=skill, **TRAIN)
    return {skill: root / skill for skill in SKILLS}


def combine(output_dir: Path, **raw: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from faceoff_trainer.combine import run_combination

    config = parse_combine_config({"run_id": "c", "task": "customer_service", **EVAL, **raw})
    stream = io.StringIO()
    summary = run_combination(config, output_dir, EventSink(config.run_id, stream), CancelToken())
    return summary, parse_events(stream.getvalue())


@pytest.fixture(scope="module")
def combined(
    adapters: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]], Path]]:
    runs = {}
    paths = {skill: str(path) for skill, path in adapters.items()}
    for kind, extra in (
        ("linear", {}),
        ("ties", {"density": 0.7}),
        ("cat", {"deploy_requests": 1, "weights": {"tone": 1.0, "knowledge": 0.5}}),
    ):
        out = tmp_path_factory.mktemp(kind)
        summary, events = combine(
            out, run_id=f"c-{kind}", adapters=paths, combination=kind, **extra
        )
        runs[kind] = (summary, events, out)
    return runs


def test_a_skill_train_run_scores_every_set(adapters: dict[str, Path]) -> None:
    result = json.loads((adapters["tone"] / "result.json").read_text())
    assert result["skill"] == "tone" and result["trained_skills"] == ["tone"]
    assert list(result["skill_metrics"]) == SETS
    assert result["metrics"] == result["skill_metrics"]["combined"]["metrics"]
    assert result["primary_metric"] == "all_skills_ok"
    primaries = {k: v["primary_metric"] for k, v in result["skill_metrics"].items()}
    assert primaries == {
        "tone": "tone_ok",
        "knowledge": "fact_accuracy",
        "troubleshooting": "steps_accuracy",
        "combined": "all_skills_ok",
    }
    assert result["evaluation"]["sets"]["combined"]["test_items"] == 1
    assert result["validation_items"] == 4 and result["evaluation"]["validation_by_skill"] == {
        "tone": 4
    }


def test_combinations_report_every_set_storage_and_what_was_combined(
    adapters: dict[str, Path], combined: dict
) -> None:
    source_bytes = {
        skill: sum(f.stat().st_size for f in (path / "adapter").rglob("*") if f.is_file())
        for skill, path in adapters.items()
    }
    for kind, (summary, _, out) in combined.items():
        result = json.loads((out / "result.json").read_text())
        assert result == json.loads(json.dumps(summary))
        assert result["method"] == "lora_combined"
        assert list(result["skill_metrics"]) == SETS
        for name, entry in result["skill_metrics"].items():
            assert entry["primary_metric"] in entry["metrics"], name
            assert entry["test_items"] == 1 and entry["test_outputs"] == 1
        assert result["metrics"] == result["skill_metrics"]["combined"]["metrics"]
        assert result["primary_metric"] == "all_skills_ok"
        storage = result["storage"]
        assert storage["adapters"] == source_bytes
        assert storage["adapters_total_bytes"] == sum(source_bytes.values())
        saved = out / "adapter"
        assert (saved / "adapter_config.json").is_file()
        assert storage["combined_bytes"] == sum(f.stat().st_size for f in saved.rglob("*"))
        combination = result["combination"]
        assert combination["type"] == kind
        assert set(combination["adapters"]) == set(SKILLS)
        for skill, meta in combination["adapters"].items():
            weights = Path(meta["path"]) / "adapter_model.safetensors"
            assert meta["sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()
            assert meta["rank"] == 16 and meta["trained_run"]["skill"] == skill
        assert result["peft_version"] == result["versions"]["peft"]
        assert result["train_time_s"] == 0 and result["train_curve"] == []
        assert result["max_steps"] == 0 and result["learning_rate"] is None
        assert result["final_eval_loss"] > 0
        assert result["forgetting"]["texts"] == 2
        assert result["forgetting"]["task_loss_after"] == pytest.approx(result["final_eval_loss"])
        assert result["validation_items"] == 4  # the union of every skill's validation split
        assert result["trainable_params"] > 0
        assert result["config"]["combination"] == kind


def test_weights_density_and_ranks_follow_peft(combined: dict) -> None:
    linear, ties, cat = (combined[k][0] for k in ("linear", "ties", "cat"))
    assert linear["combination"]["weights"] == {"tone": 0.5, "knowledge": 0.5}
    assert linear["combination"]["weights_source"] == "default"
    assert linear["combination"]["density"] is None
    assert ties["combination"]["weights"] == {"tone": 1.0, "knowledge": 1.0}
    assert ties["combination"]["density"] == 0.7
    assert cat["combination"]["weights"] == {"tone": 1.0, "knowledge": 0.5}
    assert cat["combination"]["weights_source"] == "config"
    assert linear["lora"]["rank"] == ties["lora"]["rank"] == 16
    assert cat["lora"]["rank"] == 32  # cat: the sum of the ranks
    assert cat["trainable_params"] == 2 * linear["trainable_params"]
    assert cat["storage"]["combined_weights_bytes"] > linear["storage"]["combined_weights_bytes"]
    assert cat["deployment"]["variants"]["lora_merged"]["requests"] == 1
    assert linear["deployment"] is None


def test_events_come_in_order(combined: dict) -> None:
    _, events, _ = combined["linear"]
    names = [e["event"] for e in events]
    assert names[0] == "started" and names[-1] == "finished"
    assert names.count("started") == 1 and "step" not in names
    started = events[0]
    assert started["method"] == "lora_combined" and started["combination"]["type"] == "linear"
    assert started["total_steps"] == 0
    evals = [e for e in events if e["event"] == "eval"]
    assert [e["split"] for e in evals] == ["validation", "test"]
    assert names.index("evaluating") > names.index("eval")  # validation loss first
    progress = [e for e in events if e["event"] == "evaluating"]
    assert [e["set"] for e in progress if e["done"] < e["total"]][:1] == ["tone"]
    assert {e["set"] for e in progress} == set(SETS)
    assert [e["done"] for e in progress] == sorted(e["done"] for e in progress)
    assert progress[-1]["done"] == progress[-1]["total"] == 4
    assert set(evals[-1]["skill_metrics"]) == set(SETS)
    assert events[-1]["summary"]["run_id"] == "c-linear"


def test_the_saved_combined_adapter_reloads(combined: dict, tiny_model: tuple) -> None:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    from faceoff_trainer.data import encode_items, load_task_data
    from faceoff_trainer.eval_plan import full_sizes
    from faceoff_trainer.evaluate import evaluation_loss
    from faceoff_trainer.tokenizer import ByteTokenizer

    summary, _, out = combined["cat"]
    model = PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(str(tiny_model[0])), str(out / "adapter")
    )
    config = parse_combine_config(summary["config"]).run_config()
    codec = ByteTokenizer()
    data = load_task_data(config, codec, full_sizes(config))
    loss = evaluation_loss(
        model,
        encode_items(codec, data.validation, config.seq_len),
        codec.pad_id,
        torch.device("cpu"),
    )
    assert loss == pytest.approx(summary["final_eval_loss"], abs=1e-4)


def _copy_adapter(source: Path, target: Path, **changes: Any) -> str:
    shutil.copytree(source / "adapter", target / "adapter")
    shutil.copy(source / "result.json", target / "result.json")
    config_path = target / "adapter" / "adapter_config.json"
    config = json.loads(config_path.read_text())
    config.update(changes)
    config_path.write_text(json.dumps(config))
    return str(target)


def test_unfit_adapters_fail_naming_the_adapter(adapters: dict[str, Path], tmp_path: Path) -> None:
    tone, knowledge = str(adapters["tone"]), str(adapters["knowledge"])
    cases = [
        (
            {"tone": str(tmp_path / "missing"), "knowledge": knowledge},
            "linear",
            "adapters.tone",
            "no LoRA adapter",
        ),
        # the tone run's adapter given as the troubleshooting skill
        (
            {"tone": tone, "troubleshooting": tone},
            "linear",
            "adapters.troubleshooting",
            "trained with skill 'tone'",
        ),
        (
            {"tone": tone, "knowledge": _copy_adapter(adapters["knowledge"], tmp_path / "r", r=8)},
            "ties",
            "adapters.knowledge",
            "equal rank",
        ),
        (
            {
                "tone": tone,
                "knowledge": _copy_adapter(
                    adapters["knowledge"],
                    tmp_path / "b",
                    base_model_name_or_path="/models/another-base",
                ),
            },
            "cat",
            "adapters.knowledge",
            "different base model",
        ),
    ]
    for paths, kind, field, why in cases:
        with pytest.raises(BadConfig) as caught:
            combine(tmp_path / "out", adapters=paths, combination=kind)
        assert caught.value.field == field, (paths, kind, str(caught.value))
        assert why in str(caught.value) and caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"combination": "svd"}, "combination"),
        ({"combination": "linear", "density": 0.5}, "density"),
        ({"combination": "ties", "density": 0}, "density"),
        ({"weights": {"tone": 1.0}}, "weights.knowledge"),
        ({"weights": {"tone": 1.0, "knowledge": "a", "x": 1}}, "weights.knowledge"),
        ({"weights": {"tone": 1.0, "knowledge": 1.0, "sales": 1.0}}, "weights.sales"),
        ({"adapters": {"tone": "x"}}, "adapters"),
        ({"adapters": {"politeness": "x", "tone": "y"}}, "adapters"),
        ({"task": "data_analysis"}, "task"),
        ({"task": "dataset"}, "skill_datasets"),
        ({"learning_rate": 0.1}, "learning_rate"),
    ],
)
def test_bad_combine_fields_are_named(
    adapters: dict[str, Path], overrides: dict, field: str
) -> None:
    raw = {
        "run_id": "c",
        "task": "customer_service",
        "combination": "ties",
        "adapters": {skill: str(path) for skill, path in adapters.items()},
        **overrides,
    }
    with pytest.raises(BadConfig) as caught:
        parse_combine_config(raw)
    assert caught.value.field == field, str(caught.value)


def test_cli_combine_refuses_a_missing_adapter(tmp_path: Path) -> None:
    config = tmp_path / "combine.json"
    config.write_text(
        json.dumps(
            {
                "run_id": "c-cli",
                "task": "customer_service",
                "combination": "cat",
                "adapters": {"tone": str(tmp_path / "a"), "knowledge": str(tmp_path / "b")},
            }
        )
    )
    process = run_trainer_cli(
        "combine", "--config", str(config), "--output-dir", str(tmp_path / "out")
    )
    assert process.returncode == 2, process.stderr[-2000:]
    events = parse_events(process.stdout)
    assert [e["event"] for e in events] == ["failed"]
    assert events[0]["kind"] == "bad_config" and events[0]["field"] == "adapters.tone"
    assert events[0]["run_id"] == "c-cli"


def test_sigterm_stops_the_evaluation_between_batches(
    adapters: dict[str, Path], tmp_path: Path
) -> None:
    from faceoff_trainer.combine import run_combination
    from faceoff_trainer.errors import Cancelled

    cancel = CancelToken()

    class CancelOnProgress(EventSink):
        def emit(self, event: str, **payload: Any) -> dict[str, Any]:
            if event == "evaluating":
                cancel.requested = True  # what the SIGTERM handler does
            return super().emit(event, **payload)

    config = parse_combine_config(
        {
            "run_id": "c-cancel",
            "task": "customer_service",
            "combination": "linear",
            "adapters": {skill: str(path) for skill, path in adapters.items()},
            **EVAL,
        }
    )
    sink = CancelOnProgress(config.run_id, io.StringIO())
    with pytest.raises(Cancelled) as caught:
        run_combination(config, tmp_path, sink, cancel)
    assert caught.value.exit_code == 143 and "evaluation" in str(caught.value)
    names = [e["event"] for e in sink.history]
    assert names[-1] == "evaluating" and "finished" not in names
    assert not (tmp_path / "result.json").exists()
