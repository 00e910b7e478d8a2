"""One run end to end: load, apply the method, train, evaluate, save, summarize."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch

from faceoff_trainer.checkpoint import Checkpointer, remove_checkpoint
from faceoff_trainer.config import DATASET_TASK, RunConfig, config_to_dict
from faceoff_trainer.data import (
    BatchStream,
    checked_dataset,
    checked_skill_datasets,
    encode_items,
    load_task_data,
)
from faceoff_trainer.deployment import (
    PROBE_NEW_TOKENS,
    build_probe,
    measure_adapter,
    measure_deployment,
    measure_full,
)
from faceoff_trainer.eval_plan import evaluation_sizes, generation_budget
from faceoff_trainer.evaluate import TestEvaluation, evaluate_test, evaluation_loss, generate
from faceoff_trainer.events import CancelToken, EventSink
from faceoff_trainer.forgetting import ForgettingProbe, general_items
from faceoff_trainer.framework import method_spec
from faceoff_trainer.lr import bucket_for, default_learning_rate
from faceoff_trainer.methods import apply_method, lora_targets_used, parameter_counts, plan_lora
from faceoff_trainer.model import (
    check_method_supported,
    load_base_model,
    resolve_device,
    resolve_dtype,
)
from faceoff_trainer.resources import (
    current_rss_bytes,
    device_report,
    library_versions,
    peak_memory,
    reset_peak_memory,
    save_artifact,
)
from faceoff_trainer.runtime import Runtime, SingleProcess
from faceoff_trainer.skills import evaluate_sets
from faceoff_trainer.suites import SUITES
from faceoff_trainer.suites.base import detectable_difference
from faceoff_trainer.suites.sandbox import require_isolation
from faceoff_trainer.tokenizer import ByteTokenizer
from faceoff_trainer.train import train_loop, warmup_steps

log = logging.getLogger("faceoff.run")
DEFAULT_THREADS = 2


def configure_threads() -> int:
    threads = int(os.environ.get("FACEOFF_NUM_THREADS", DEFAULT_THREADS))
    torch.set_num_threads(threads)
    return threads


def learning_rate_for(config: RunConfig, base_params: int) -> tuple[float, str, str]:
    """(learning rate, source, human note)."""
    if config.learning_rate is not None:
        return (
            config.learning_rate,
            "config",
            (
                "This run used the learning rate given in its config. It was tuned only if the "
                "caller chose it from a sweep on the validation split."
            ),
        )
    rate = default_learning_rate(config.method, base_params)
    bucket = bucket_for(base_params)["name"]
    return (
        rate,
        "default",
        (
            f"Learning rate was not tuned: the default {rate:g} for method {config.method} and "
            f"model-size bucket '{bucket}' from lr-defaults.json was used."
        ),
    )


@dataclass
class PendingRun:
    """A trained run whose test evaluation has not been done yet: `finish(run_test)` evaluates
    the test set (or not), saves the artifact when tested, and returns the summary. Until then
    the trained model is held in memory."""

    config: RunConfig
    final_eval_loss: float
    finish: Callable[[bool], dict[str, Any]]


def execute_run(
    config: RunConfig,
    output_dir: Path,
    sink: EventSink,
    cancel: CancelToken,
    runtime: Runtime | None = None,
) -> dict[str, Any]:
    """Train, evaluate on the test set, save the artifact; returns the summary.

    A run with `test_set` false (a sweep point) stops after its validation losses: no test
    generation, artifact or deployment probe (its summary says `test_evaluated: false`).
    """
    return train_run(config, output_dir, sink, cancel, runtime).finish(config.test_set)


def train_run(
    config: RunConfig,
    output_dir: Path,
    sink: EventSink,
    cancel: CancelToken,
    runtime: Runtime | None = None,
) -> PendingRun:
    runtime = runtime or SingleProcess()
    wall_started = time.time()
    threads = configure_threads()
    check_method_supported(config)
    if config.task in SUITES and SUITES[config.task].executes_generated_code:
        require_isolation()  # refuse before any training when generated code cannot be isolated
    if config.skill_datasets is not None:
        checked_skill_datasets(config)  # fail fast on bad data, before any model is loaded
    elif config.task == DATASET_TASK:
        checked_dataset(config)  # fail fast on bad data, before any model is loaded
    device = resolve_device(config)
    if runtime.distributed:
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    dtype = resolve_dtype(config, device)
    # FSDP shards from CPU: each GPU then only ever holds its shard of the weights.
    sharded = runtime.distributed and not method_spec(config.method).adapter
    load_device = torch.device("cpu") if sharded else device
    loaded = load_base_model(config, load_device, dtype, cancel.check)
    cancel.check()
    sizes = evaluation_sizes(config, loaded.base_params, device)
    if sizes.validation_every != config.eval_every:
        # fewer validation points for a real model on a CPU (eval_plan.py); the result's config
        # says which steps were validated
        config = replace(config, eval_every=sizes.validation_every)
    data = load_task_data(config, loaded.codec, sizes)
    learning_rate, lr_source, lr_note = learning_rate_for(config, loaded.base_params)
    plan = None
    if method_spec(config.method).adapter:
        plan = plan_lora(config.task, config.lora, loaded.hidden_size)
    torch.manual_seed(config.seed)
    model = apply_method(loaded.model, config, plan)
    trainable, total = parameter_counts(model)
    lora_used = None
    if plan is not None:
        lora_used = {**plan.to_dict(), "rank": plan.r, "targets_used": lora_targets_used(model)}
    validation = encode_items(loaded.codec, data.validation, config.seq_len)
    stream = BatchStream(
        encode_items(loaded.codec, data.train, config.seq_len), config.batch_size, config.seed
    )
    output_dir.mkdir(parents=True, exist_ok=True)
    reset_peak_memory(device)
    rss_before = current_rss_bytes()
    skill_fields: dict[str, Any] = {}
    if data.skills is not None:
        skill_fields = {"skill": config.skill, "skills": [s.name for s in data.skills.sets[:-1]]}
    sink.emit(
        "started",
        method=config.method,
        model=config.model,
        task=config.task,
        seed=config.seed,
        learning_rate=learning_rate,
        total_steps=config.max_steps,
        trainable_params=trainable,
        total_params=total,
        device=str(device.type),
        lora=lora_used,
        **skill_fields,
    )

    def validate(current: Any) -> float:
        return evaluation_loss(current, validation, loaded.codec.pad_id, device, cancel)

    max_new = config.max_new_tokens or generation_budget(
        data.suite.max_new_tokens,
        [len(loaded.codec.completion_ids(item.completion)) for item in data.test],
        byte_level=loaded.codec.name == ByteTokenizer.name,
    )
    quality_items = data.test[: sizes.quality_items]
    # a sweep point without the test set has no use for a quality curve
    measures_quality = bool(quality_items) and not runtime.distributed and config.test_set

    def quality_of(outputs: list[str]) -> float:
        scored = data.suite.score(quality_items, [[out] for out in outputs])
        return float(scored[data.suite.primary_metric])

    def checkpoint_metric(current: Any) -> float:
        """The primary metric on the first phrasing of a fixed subset of the test split."""
        prompts = [(item.prompts[0], item.templated) for item in quality_items]
        return quality_of(
            generate(current, loaded.codec, prompts, max_new, config.seq_len, device, cancel)
        )

    # Forgetting: general-text and task losses before training, again after (forgetting.py).
    texts = sizes.forgetting_texts
    probe = (
        ForgettingProbe(
            general_items(loaded.codec, config.seq_len, texts),
            validation,
            loaded.codec.pad_id,
            device,
            cancel,
        )
        if texts > 0 and not runtime.distributed
        else None
    )
    if probe is not None:
        probe.before(model)
    # Checkpoints (and resuming from one) in a single process only: sharded states are not saved.
    checkpoints = (
        None
        if runtime.distributed
        else Checkpointer.for_run(config, output_dir, learning_rate, wall_started)
    )
    model, outcome = train_loop(
        model,
        stream,
        config,
        learning_rate,
        device,
        loaded.codec.pad_id,
        sink,
        cancel,
        validate,
        runtime,
        checkpoint_metric if measures_quality else None,
        sizes.quality_checkpoints,
        checkpoints,
    )
    final_eval_loss = outcome.eval_curve[-1]["eval_loss"]
    forgetting = probe.after(model, final_eval_loss) if probe is not None else None

    def measure_served(artifact_path: str) -> dict[str, Any] | None:
        """Deployment after training: latency, memory, load and swap times (deployment.py)."""
        if sizes.deploy_requests <= 0 or not data.test:
            return None
        probe = build_probe(
            loaded.codec, data.test, config.seq_len, sizes.deploy_requests, PROBE_NEW_TOKENS
        )
        spec = method_spec(config.method)
        trained = runtime.unwrap(model)
        if spec.adapter:
            return measure_deployment(
                lambda: measure_adapter(
                    trained,
                    Path(artifact_path),
                    loaded.model_path,
                    probe,
                    loaded.codec,
                    device,
                    dtype,
                    cancel,
                    mergeable=not spec.quantized_base,
                ),
                device,
            )
        return measure_deployment(
            lambda: measure_full(
                trained, Path(artifact_path), probe, loaded.codec, device, dtype, cancel
            ),
            device,
        )

    # A resumed run counts the earlier attempts' wall time up to the checkpoint it continued from.
    earlier_seconds = checkpoints.earlier_wall_seconds if checkpoints is not None else 0.0
    trained_seconds = time.time() - wall_started + earlier_seconds

    def finish(run_test: bool = True) -> dict[str, Any]:
        def evaluating(done: int, total: int) -> None:
            sink.emit("evaluating", split="test", done=done, total=total)

        def evaluating_set(name: str, done: int, total: int) -> None:
            sink.emit("evaluating", split="test", set=name, done=done, total=total)

        finish_started = time.time()
        test: TestEvaluation | None = None
        skill_metrics: dict[str, Any] | None = None
        if run_test and data.skills is None:
            evaluating(0, sum(len(item.prompts) for item in data.test))
        with runtime.for_generation(model) as generation_model:
            if run_test and data.skills is not None:
                # every skill's test set and the combined set (skills.py)
                sets = evaluate_sets(
                    generation_model,
                    loaded.codec,
                    data.skills.sets,
                    config.seq_len,
                    config.max_new_tokens,
                    device,
                    cancel,
                    progress=evaluating_set,
                    synced_gpus=runtime.distributed,
                )
                test, skill_metrics = sets.combined, sets.skill_metrics
            elif run_test:
                test = evaluate_test(
                    generation_model,
                    loaded.codec,
                    data.suite,
                    data.test,
                    config.seq_len,
                    max_new,
                    device,
                    cancel,
                    synced_gpus=runtime.distributed,
                    progress=evaluating,
                )
        if test is not None and measures_quality:
            # The curve's last point: the same items' first phrasings, from the test outputs.
            outcome.quality_curve.append(
                {
                    "step": config.max_steps,
                    "train_seconds": round(outcome.train_seconds, 4),
                    "metric": round(quality_of(test.first_outputs[: len(quality_items)]), 6),
                }
            )
        if test is not None:
            sink.emit(
                "eval",
                step=config.max_steps,
                eval_loss=round(test.test_loss, 6),
                metrics=test.metrics,
                split="test",
                **({"skill_metrics": skill_metrics} if skill_metrics is not None else {}),
            )
        peak_bytes, memory_kind = peak_memory(device)
        state_dict = runtime.full_state_dict(model) if runtime.distributed else None
        artifact: dict[str, Any] = {}
        if runtime.is_main and test is not None:
            artifact = save_artifact(
                runtime.unwrap(model), config.method, output_dir, loaded.model_path, state_dict
            )
        runtime.barrier()
        wall = trained_seconds + time.time() - finish_started
        deployment = (
            measure_served(artifact["artifact_path"])
            if test is not None and runtime.is_main and not runtime.distributed and artifact
            else None
        )
        summary: dict[str, Any] = {
            "run_id": config.run_id,
            "method": config.method,
            "task": config.task,
            "model": config.model,
            "seed": config.seed,
            "learning_rate": learning_rate,
            "learning_rate_source": lr_source,
            "lr_tuned": False,
            "lr_note": lr_note,
            "lr_bucket": bucket_for(loaded.base_params)["name"],
            "train_curve": outcome.train_curve,
            "resumed_from_step": outcome.resumed_from_step,
            "forgetting": forgetting,
            "quality_curve": outcome.quality_curve,
            "quality_curve_items": len(quality_items) if outcome.quality_curve else 0,
            "quality_curve_seconds": round(outcome.quality_seconds, 3),
            "eval_curve": outcome.eval_curve,
            "final_eval_loss": final_eval_loss,
            "test_loss": round(test.test_loss, 6) if test else None,
            "loss_unit": "nats per completion token",
            "metrics": test.metrics if test else {},
            "metric_info": {k: v.to_dict() for k, v in data.suite.metric_info().items()},
            "primary_metric": data.suite.primary_metric,
            "primary_metric_stderr": (
                test.metrics.get(f"{data.suite.primary_metric}_stderr") if test else None
            ),
            "primary_metric_mde_80": (
                detectable_difference(test.metrics.get(f"{data.suite.primary_metric}_stderr"))
                if test
                else None
            ),
            "metric_flags": test.metric_flags if test else {},
            "consistency_items": test.consistency_items if test else None,
            "top_output_share": test.top_output_share if test else None,
            "test_evaluated": test is not None,
            "test_items": test.items if test else 0,
            "test_outputs": test.outputs if test else 0,
            "validation_items": len(data.validation),
            "train_items": len(data.train),
            "samples": test.samples if test else [],
            "wall_time_s": round(wall, 3),
            "train_time_s": round(outcome.train_seconds, 3),
            "validation_time_s": round(outcome.eval_seconds, 3),
            "test_eval_time_s": round(test.seconds, 3) if test else 0.0,
            "test_generation_time_s": round(test.generation_seconds, 3) if test else 0.0,
            "evaluation_time_s": round(outcome.eval_seconds + (test.seconds if test else 0.0), 3),
            "evaluation": sizes.to_dict(),
            "tokens_per_s": round(outcome.tokens_per_s, 1),
            "tokens_seen": outcome.tokens_seen,
            "peak_memory_bytes": peak_bytes,
            "memory_kind": memory_kind,
            "rss_before_training_bytes": rss_before if device.type == "cpu" else None,
            "trainable_params": trainable,
            "total_params": total,
            "base_model_params": loaded.base_params,
            "trainable_share": trainable / total if total else 0.0,
            **artifact,
            **device_report(device, runtime.world_size if device.type == "cuda" else 0, wall),
            "batch_size": config.batch_size,
            "seq_len": config.seq_len,
            "max_steps": config.max_steps,
            "warmup_steps": warmup_steps(config.max_steps),
            "max_new_tokens": max_new,
            "dtype": str(dtype).replace("torch.", ""),
            "threads": threads,
            "lora": lora_used,
            "deployment": deployment,
            "base_model_pretraining": pretraining_summary(loaded.pretraining),
            "config": config_to_dict(config),
            "versions": library_versions(),
        }
        if data.skills is not None:
            summary["evaluation"] = {**sizes.to_dict(), **data.skills.plan(sizes)}
            summary.update(
                {
                    "skill": config.skill,
                    "skills": [s.name for s in data.skills.sets[:-1]],
                    "trained_skills": data.skills.trained,
                    "train_items_by_skill": data.skills.train_by_skill,
                    "skill_metrics": skill_metrics,
                }
            )
        if runtime.is_main:
            (output_dir / "result.json").write_text(json.dumps(summary, indent=2) + "\n")
            remove_checkpoint(output_dir)  # finished: nothing left to resume
        sink.emit("finished", summary=summary)
        return summary

    return PendingRun(config=config, final_eval_loss=final_eval_loss, finish=finish)


def pretraining_summary(metadata: dict[str, Any] | None) -> dict[str, Any] | None:
    if metadata is None:
        return None
    keys = (
        "cache_key",
        "heldout_loss",
        "heldout_loss_initial",
        "loss_unit",
        "pretrain_seconds",
        "tokens_per_s",
        "total_params",
        "settings",
    )
    return {k: metadata.get(k) for k in keys}
