"""`combine`: skill LoRA adapters combined into one with PEFT, evaluated like a skill run.

Each adapter is the output of a LoRA `train` run with `skill` set to one skill (its output
directory, or the adapter/ folder in it). The base model is loaded as `train` loads it, every
adapter is loaded onto it, and PEFT's `LoraModel.add_weighted_adapter` combines them (`linear`,
`ties`, `dare_linear`, `dare_ties` or `cat`, with per-adapter weights and, for ties and dare, a
density). The combined adapter alone then answers every skill's test set and the combined set,
the validation loss is measured on the union of the skills' validation sets, and forgetting on
general text against the base model (forgetting.py), all with the code a `skill: "all"` train
run uses (skills.py, evaluate.py, eval_plan.py). Nothing is trained: the result's training
fields are zero or empty. The combined adapter is saved in PEFT format under adapter/.

What PEFT computes, per adapted matrix, with adapter i's update B_i A_i and scaling s_i:
- cat: A = concat(w_i s_i A_i), B = concat(B_i), rank = sum of the ranks: the update is
  exactly sum_i w_i s_i B_i A_i;
- linear: A = sum_i sqrt(w_i s_i) A_i and B = sum_i sqrt(w_i s_i) B_i (equal ranks needed): the
  update holds w_i s_i B_i A_i plus cross terms B_i A_j, an approximation;
- ties / dare_*: A and B are each pruned (ties: by magnitude, dare: at random and rescaled) to
  `density`, then summed (dare_linear) or merged by sign election, averaging the values that
  agree (ties, dare_ties).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from faceoff_trainer.config import (
    CombineConfig,
    combine_config_to_dict,
    find_adapter_dir,
)
from faceoff_trainer.data import checked_skill_datasets, encode_items, load_task_data
from faceoff_trainer.deployment import (
    PROBE_NEW_TOKENS,
    build_probe,
    measure_adapter,
    measure_deployment,
)
from faceoff_trainer.errors import BadConfig, Cancelled
from faceoff_trainer.eval_plan import evaluation_sizes
from faceoff_trainer.evaluate import evaluation_loss
from faceoff_trainer.events import CancelToken, EventSink
from faceoff_trainer.forgetting import ForgettingProbe, general_items
from faceoff_trainer.lr import bucket_for
from faceoff_trainer.methods import lora_targets_used
from faceoff_trainer.model import load_base_model, resolve_device, resolve_dtype
from faceoff_trainer.resources import (
    current_rss_bytes,
    device_report,
    directory_bytes,
    library_versions,
    peak_memory,
    reset_peak_memory,
    save_artifact,
)
from faceoff_trainer.run import configure_threads, pretraining_summary
from faceoff_trainer.skills import evaluate_sets
from faceoff_trainer.suites.base import detectable_difference

log = logging.getLogger("faceoff.combine")

METHOD = "lora_combined"
# The combined adapter's name in PEFT: "default" is saved at the top of adapter/, as a LoRA
# train run's adapter is; the loaded skill adapters are named SOURCE_PREFIX + skill.
COMBINED_ADAPTER = "default"
SOURCE_PREFIX = "skill_"
WEIGHTS_FILE = "adapter_model.safetensors"
TRAINED_RUN_KEYS = (
    "run_id",
    "skill",
    "method",
    "seed",
    "max_steps",
    "batch_size",
    "learning_rate",
    "train_time_s",
    "wall_time_s",
)


@dataclass
class SourceAdapter:
    """One skill's adapter as `train` saved it."""

    skill: str
    given: str  # the path in the config
    path: Path  # the folder holding adapter_config.json
    rank: int
    max_rank: int  # the largest rank of any module (rank_pattern), as PEFT allocates it
    alpha: float
    target_modules: Any
    base_model: str | None  # adapter_config.json's base_model_name_or_path
    bytes: int  # the adapter folder on disk
    weights_bytes: int
    sha256: str  # of adapter_model.safetensors
    trained_run: dict[str, Any] | None  # from the train run's result.json, when it is beside it

    def metadata(self) -> dict[str, Any]:
        targets = self.target_modules
        return {
            "path": str(self.path),
            "rank": self.rank,
            "alpha": self.alpha,
            "target_modules": sorted(targets) if isinstance(targets, list) else targets,
            "base_model": self.base_model,
            "bytes": self.bytes,
            "weights_bytes": self.weights_bytes,
            "sha256": self.sha256,
            "trained_run": self.trained_run,
        }


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_adapter(skill: str, given: str, config: CombineConfig) -> SourceAdapter:
    """An adapter's files and, when the train run's result.json is beside them, what it was
    trained for; anything that does not fit is a BadConfig naming `adapters.<skill>`."""
    field = f"adapters.{skill}"
    path = find_adapter_dir(given)
    if path is None:
        raise BadConfig(field, f"no LoRA adapter at {given}")
    try:
        adapter_config = json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadConfig(field, f"cannot read {path / 'adapter_config.json'}: {exc}") from None
    if not isinstance(adapter_config, dict) or adapter_config.get("peft_type") != "LORA":
        raise BadConfig(field, f"{path} does not hold a LoRA adapter (adapter_config.json)")
    weights = path / WEIGHTS_FILE
    if not weights.is_file():
        raise BadConfig(field, f"{path} has no {WEIGHTS_FILE}")
    rank = int(adapter_config.get("r", 0))
    pattern = adapter_config.get("rank_pattern") or {}
    trained_run = _trained_run(path, skill, config, field)
    return SourceAdapter(
        skill=skill,
        given=given,
        path=path,
        rank=rank,
        max_rank=max([rank, *pattern.values()]) if isinstance(pattern, dict) else rank,
        alpha=float(adapter_config.get("lora_alpha", rank)),
        target_modules=adapter_config.get("target_modules"),
        base_model=adapter_config.get("base_model_name_or_path"),
        bytes=directory_bytes(path),
        weights_bytes=weights.stat().st_size,
        sha256=_file_sha256(weights),
        trained_run=trained_run,
    )


def _trained_run(
    path: Path, skill: str, config: CombineConfig, field: str
) -> dict[str, Any] | None:
    """The train run's summary beside the adapter (OUTPUT/result.json for OUTPUT/adapter/),
    checked against the combination: same task, same base model, trained on this skill."""
    result_path = path.parent / "result.json" if path.name == "adapter" else path / "result.json"
    try:
        result = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a bare adapter folder: only its own files are checked
    if not isinstance(result, dict):
        return None
    if result.get("task") != config.task:
        raise BadConfig(field, f"trained for task {result.get('task')}, not {config.task}")
    if result.get("model") != config.model:
        raise BadConfig(
            field,
            f"trained on base model {result.get('model')!r}, not {config.model!r}: every "
            "adapter must be trained on the base model of the combination",
        )
    if result.get("skill") != skill:
        trained = result.get("skill")
        what = f"with skill {trained!r}" if trained is not None else "without a skill"
        raise BadConfig(
            field,
            f"trained {what}; each adapter must come from a LoRA train run with skill {skill!r}",
        )
    return {key: result.get(key) for key in TRAINED_RUN_KEYS}


def check_compatible(config: CombineConfig, sources: list[SourceAdapter]) -> None:
    """What PEFT's combination needs: equal ranks except for cat, one kind of target_modules."""
    first = sources[0]
    for source in sources[1:]:
        if config.combination != "cat" and source.max_rank != first.max_rank:
            raise BadConfig(
                f"adapters.{source.skill}",
                f"rank {source.max_rank} differs from {first.skill}'s rank {first.max_rank}: "
                f"{config.combination} needs adapters of equal rank (cat takes any ranks)",
            )
        if isinstance(source.target_modules, str) != isinstance(first.target_modules, str):
            raise BadConfig(
                f"adapters.{source.skill}",
                "its target_modules are a pattern where the others' are a list (or the other "
                "way round); PEFT combines only adapters of one kind",
            )


def check_base_model(sources: list[SourceAdapter], model_path: str) -> None:
    """Every adapter was saved for the base model just loaded (the same id or directory name:
    the tiny model's directory name holds the hash of everything that builds it)."""
    for source in sources:
        base = source.base_model
        if base is None:
            continue
        if base != model_path and Path(base).name != Path(model_path).name:
            raise BadConfig(
                f"adapters.{source.skill}",
                f"trained on a different base model ({Path(base).name}), not the one loaded "
                f"({Path(model_path).name})",
            )


def _load_adapters(base: Any, sources: list[SourceAdapter]) -> Any:
    from peft import PeftModel

    model: Any = None
    for source in sources:
        name = SOURCE_PREFIX + source.skill
        try:
            if model is None:
                model = PeftModel.from_pretrained(base, str(source.path), adapter_name=name)
            else:
                model.load_adapter(str(source.path), adapter_name=name)
        except (RuntimeError, ValueError, KeyError, OSError) as exc:
            first = (str(exc).splitlines() or [""])[0][:300]
            raise BadConfig(
                f"adapters.{source.skill}",
                f"does not fit the base model: {type(exc).__name__}: {first}",
            ) from None
    return model


def _adapter_params(model: Any, adapter: str) -> int:
    return sum(p.numel() for name, p in model.named_parameters() if f".{adapter}." in name)


def run_combination(
    config: CombineConfig, output_dir: Path, sink: EventSink, cancel: CancelToken
) -> dict[str, Any]:
    """Combine, evaluate, save the combined adapter; returns the summary (result.json)."""
    try:
        return _run(config, output_dir, sink, cancel)
    except Cancelled as cancelled:
        raise Cancelled(None, "during the combined adapter's evaluation") from cancelled


def _run(
    config: CombineConfig, output_dir: Path, sink: EventSink, cancel: CancelToken
) -> dict[str, Any]:
    wall_started = time.time()
    threads = configure_threads()
    run_config = config.run_config()
    if run_config.skill_datasets is not None:
        checked_skill_datasets(run_config)  # fail fast on bad data, before any model is loaded
    sources = [read_adapter(skill, given, config) for skill, given in config.adapters.items()]
    check_compatible(config, sources)
    device = resolve_device(run_config)
    dtype = resolve_dtype(run_config, device)
    loaded = load_base_model(run_config, device, dtype, cancel.check)
    check_base_model(sources, loaded.model_path)
    cancel.check()
    sizes = evaluation_sizes(run_config, loaded.base_params, device)
    data = load_task_data(run_config, loaded.codec, sizes)
    assert data.skills is not None
    validation = encode_items(loaded.codec, data.validation, run_config.seq_len)
    probe = (
        ForgettingProbe(
            general_items(loaded.codec, run_config.seq_len, sizes.forgetting_texts),
            validation,
            loaded.codec.pad_id,
            device,
            cancel,
        )
        if sizes.forgetting_texts > 0
        else None
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    reset_peak_memory(device)
    rss_before = current_rss_bytes()
    if probe is not None:
        probe.before(loaded.model)  # the base model, before any adapter is loaded

    load_started = time.perf_counter()
    model = _load_adapters(loaded.model, sources)
    load_seconds = time.perf_counter() - load_started
    weights = config.resolved_weights
    density = config.resolved_density
    combine_started = time.perf_counter()
    torch.manual_seed(config.seed)  # dare prunes at random
    model.add_weighted_adapter(
        adapters=[SOURCE_PREFIX + s.skill for s in sources],
        weights=[weights[s.skill] for s in sources],
        adapter_name=COMBINED_ADAPTER,
        combination_type=config.combination,
        density=density,
    )
    model.set_adapter(COMBINED_ADAPTER)
    for source in sources:
        model.delete_adapter(SOURCE_PREFIX + source.skill)
    combine_seconds = time.perf_counter() - combine_started
    log.info(
        "combined %s with %s (weights %s) in %.3f s",
        [s.skill for s in sources],
        config.combination,
        weights,
        combine_seconds,
    )
    model.eval()
    combined_config = model.peft_config[COMBINED_ADAPTER]
    adapter_params = _adapter_params(model, COMBINED_ADAPTER)
    total_params = sum(p.numel() for p in model.parameters())
    targets = combined_config.target_modules
    lora_used = {
        "rank": combined_config.r,
        "r": combined_config.r,
        "alpha": float(combined_config.lora_alpha),
        "target_modules": sorted(targets) if not isinstance(targets, str) else targets,
        "targets_used": lora_targets_used(model),
        "rank_rule": "combined",
        "rank_rule_note": (
            "set by PEFT's combination: the sum of the ranks for cat, the common rank otherwise; "
            "alpha equals the rank (the adapters' scalings are folded into the weights)"
        ),
    }
    combination = {
        "type": config.combination,
        "weights": weights,
        "weights_source": "config" if config.weights is not None else "default",
        "weights_note": (
            "default: 1/k for linear and dare_linear (a weighted average of the k adapters), "
            "1.0 for ties and dare_ties (the sign-elected merge averages by itself) and for cat "
            "(the update is then exactly the sum of the adapters' updates)"
        ),
        "density": density,
        "seed": config.seed,
        "combined_rank": combined_config.r,
        "adapters": {s.skill: s.metadata() for s in sources},
        "peft_api": "peft.tuners.lora.LoraModel.add_weighted_adapter",
    }
    sink.emit(
        "started",
        method=METHOD,
        model=config.model,
        task=config.task,
        seed=config.seed,
        learning_rate=None,
        total_steps=0,
        trainable_params=adapter_params,
        total_params=total_params,
        device=str(device.type),
        lora=lora_used,
        combination={k: combination[k] for k in ("type", "weights", "density", "combined_rank")},
        skills=[s.name for s in data.skills.sets[:-1]],
        adapters=[s.skill for s in sources],
    )

    validation_started = time.perf_counter()
    final_eval_loss = evaluation_loss(model, validation, loaded.codec.pad_id, device, cancel)
    validation_seconds = time.perf_counter() - validation_started
    sink.emit("eval", step=0, eval_loss=round(final_eval_loss, 6), metrics={}, split="validation")
    forgetting = probe.after(model, final_eval_loss) if probe is not None else None

    def evaluating(name: str, done: int, total: int) -> None:
        sink.emit("evaluating", split="test", set=name, done=done, total=total)

    evaluated = evaluate_sets(
        model,
        loaded.codec,
        data.skills.sets,
        run_config.seq_len,
        run_config.max_new_tokens,
        device,
        cancel,
        progress=evaluating,
    )
    test = evaluated.combined
    sink.emit(
        "eval",
        step=0,
        eval_loss=round(test.test_loss, 6),
        metrics=test.metrics,
        split="test",
        skill_metrics=evaluated.skill_metrics,
    )
    peak_bytes, memory_kind = peak_memory(device)
    artifact = save_artifact(model, "lora", output_dir, loaded.model_path)
    wall = time.time() - wall_started
    deployment = None
    if config.deploy_requests > 0 and data.test:
        served_probe = build_probe(
            loaded.codec, data.test, run_config.seq_len, config.deploy_requests, PROBE_NEW_TOKENS
        )
        deployment = measure_deployment(
            lambda: measure_adapter(
                model,
                Path(artifact["artifact_path"]),
                loaded.model_path,
                served_probe,
                loaded.codec,
                device,
                dtype,
                cancel,
            ),
            device,
        )
    suite = data.suite
    stderr = test.metrics.get(f"{suite.primary_metric}_stderr")
    sources_total = sum(s.bytes for s in sources)
    summary: dict[str, Any] = {
        "run_id": config.run_id,
        "method": METHOD,
        "task": config.task,
        "model": config.model,
        "seed": config.seed,
        "combination": combination,
        "storage": {
            "adapters": {s.skill: s.bytes for s in sources},
            "adapters_weights": {s.skill: s.weights_bytes for s in sources},
            "adapters_total_bytes": sources_total,
            "combined_bytes": artifact["artifact_bytes"],
            "combined_weights_bytes": artifact["artifact_weights_bytes"],
            "note": (
                "bytes on disk: each skill adapter's folder, their sum, and the combined "
                "adapter's folder (all share one base model)"
            ),
        },
        "peft_version": library_versions()["peft"],
        "training_note": (
            "No training happened: the adapters were combined as trained (see "
            "combination.adapters.*.trained_run); training fields are zero or empty."
        ),
        "learning_rate": None,
        "learning_rate_source": None,
        "lr_tuned": False,
        "lr_note": "No training happened, so no learning rate was used.",
        "lr_bucket": bucket_for(loaded.base_params)["name"],
        "train_curve": [],
        "resumed_from_step": None,
        "forgetting": forgetting,
        "quality_curve": [],
        "quality_curve_items": 0,
        "quality_curve_seconds": 0.0,
        "eval_curve": [],
        "final_eval_loss": round(final_eval_loss, 6),
        "test_loss": round(test.test_loss, 6),
        "loss_unit": "nats per completion token",
        "metrics": test.metrics,
        "metric_info": {k: v.to_dict() for k, v in suite.metric_info().items()},
        "primary_metric": suite.primary_metric,
        "primary_metric_stderr": stderr,
        "primary_metric_mde_80": detectable_difference(stderr),
        "metric_flags": test.metric_flags,
        "consistency_items": test.consistency_items,
        "top_output_share": test.top_output_share,
        "test_evaluated": True,
        "test_items": test.items,
        "test_outputs": test.outputs,
        "validation_items": len(data.validation),
        "train_items": 0,
        "skill": None,
        "skills": [s.name for s in data.skills.sets[:-1]],
        "skill_metrics": evaluated.skill_metrics,
        "samples": test.samples,
        "wall_time_s": round(wall, 3),
        "train_time_s": 0.0,
        "adapter_load_time_s": round(load_seconds, 3),
        "combine_time_s": round(combine_seconds, 3),
        "validation_time_s": round(validation_seconds, 3),
        "test_eval_time_s": round(test.seconds, 3),
        "test_generation_time_s": round(test.generation_seconds, 3),
        "evaluation_time_s": round(validation_seconds + test.seconds, 3),
        "evaluation": {**sizes.to_dict(), **data.skills.plan(sizes)},
        "tokens_per_s": 0.0,
        "tokens_seen": 0,
        "peak_memory_bytes": peak_bytes,
        "memory_kind": memory_kind,
        "rss_before_training_bytes": rss_before if device.type == "cpu" else None,
        "trainable_params": adapter_params,
        "total_params": total_params,
        "base_model_params": loaded.base_params,
        "trainable_share": adapter_params / total_params if total_params else 0.0,
        **artifact,
        **device_report(device, 1 if device.type == "cuda" else 0, wall),
        "batch_size": None,
        "seq_len": run_config.seq_len,
        "max_steps": 0,
        "warmup_steps": 0,
        "max_new_tokens": evaluated.skill_metrics[data.skills.sets[-1].name]["max_new_tokens"],
        "dtype": str(dtype).replace("torch.", ""),
        "threads": threads,
        "lora": lora_used,
        "deployment": deployment,
        "base_model_pretraining": pretraining_summary(loaded.pretraining),
        "config": combine_config_to_dict(config),
        "versions": library_versions(),
    }
    (output_dir / "result.json").write_text(json.dumps(summary, indent=2) + "\n")
    sink.emit("finished", summary=summary)
    return summary
