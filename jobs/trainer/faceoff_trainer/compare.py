"""`compare`: the learning-rate sweep and both methods, sequentially in one process.

For each method, every learning rate of its grid is trained with the first seed under identical
controls (data, order, split, steps, batch size, sequence length, evaluation sets). The learning
rate with the lowest final validation loss is chosen per method, and only then is anything
generated: the chosen run is evaluated on the test set, the other rates are not (on a real model
test generation costs more than training), and the remaining seeds are trained and tested at the
chosen rate. Every tried value is reported with its validation loss. The job system instead fans
out one `train` job per (method x seed x learning rate) and chooses on final_eval_loss.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from faceoff_trainer.config import DATASET_TASK, RunConfig, parse_config
from faceoff_trainer.events import CancelToken, EventSink
from faceoff_trainer.lr import learning_rate_grid
from faceoff_trainer.model import count_model_params
from faceoff_trainer.run import PendingRun, execute_run, train_run
from faceoff_trainer.text_metrics import mean

METHODS = ("lora", "full")
DROPPED_FROM_RUN_LIST = ("samples", "config", "metric_info")


@dataclass(frozen=True)
class CompareRequest:
    task: str
    model: str = "tiny"
    max_steps: int = 300
    seeds: int = 1
    sweep: bool = True
    batch_size: int | None = None  # None: the model's default (config.py)
    eval_size: int | None = None
    test_size: int | None = None
    test_paraphrases: int | None = None
    eval_every: int | None = None  # None: five validations per run
    dataset_path: str | None = None


def _run_config(request: CompareRequest, method: str, seed: int, rate: float) -> RunConfig:
    raw: dict[str, Any] = {
        "run_id": f"{request.task}-{method}-seed{seed}-lr{rate:g}",
        "task": request.task,
        "model": request.model,
        "method": method,
        "seed": seed,
        "max_steps": request.max_steps,
        "learning_rate": rate,
        "eval_every": request.eval_every or max(1, request.max_steps // 5),
        "eval_size": request.eval_size,
        "test_size": request.test_size,
        "test_paraphrases": request.test_paraphrases,
    }
    if request.batch_size is not None:
        raw["batch_size"] = request.batch_size
    if request.task == DATASET_TASK:
        raw["dataset_path"] = request.dataset_path
    return parse_config(raw)


def _method_report(runs: list[dict[str, Any]], sweep: bool) -> dict[str, Any]:
    by_rate: dict[float, list[dict[str, Any]]] = {}
    for run in runs:
        by_rate.setdefault(run["learning_rate"], []).append(run)
    sweep_seed = min(r["seed"] for r in runs)
    tried = [
        {
            "learning_rate": rate,
            "validation_loss_mean": mean(r["final_eval_loss"] for r in group),
            "validation_losses": [r["final_eval_loss"] for r in group],
            "sweep_validation_loss": next(
                r["final_eval_loss"] for r in group if r["seed"] == sweep_seed
            ),
            "run_ids": [r["run_id"] for r in group],
        }
        for rate, group in sorted(by_rate.items())
    ]
    best = min(tried, key=lambda t: t["sweep_validation_loss"])
    at_edge = len(tried) > 1 and best in (tried[0], tried[-1])
    chosen = [r for r in by_rate[best["learning_rate"]] if r["test_evaluated"]]
    metric_names = chosen[0]["metrics"].keys()
    return {
        "chosen_learning_rate": best["learning_rate"],
        "chosen_at_grid_edge": at_edge,
        "grid_note": (
            "The best learning rate is at the edge of the grid; a better one may lie beyond it."
            if at_edge
            else None
        ),
        "chosen_by": (
            f"lowest final validation loss of seed {sweep_seed}" if sweep else "default (no sweep)"
        ),
        "tried": tried,
        "chosen_runs": [r["run_id"] for r in chosen],
        "metrics_mean": {m: mean(r["metrics"][m] for r in chosen) for m in metric_names},
        "test_loss_mean": mean(r["test_loss"] for r in chosen),
        "final_eval_loss_mean": best["validation_loss_mean"],
        "tokens_per_s_mean": mean(r["tokens_per_s"] for r in chosen),
        "wall_time_s_mean": mean(r["wall_time_s"] for r in chosen),
        "train_time_s_mean": mean(r["train_time_s"] for r in chosen),
        "evaluation_time_s_mean": mean(r["evaluation_time_s"] for r in chosen),
        "peak_memory_bytes_max": max(r["peak_memory_bytes"] or 0 for r in chosen),
        "evaluation": chosen[0].get("evaluation"),
        "trainable_params": chosen[0]["trainable_params"],
        "total_params": chosen[0]["total_params"],
        "trainable_share": chosen[0]["trainable_share"],
        "artifact_bytes": chosen[0]["artifact_bytes"],
        "artifact_kind": chosen[0]["artifact_kind"],
        "lora": chosen[0]["lora"],
    }


def _method_runs(
    request: CompareRequest,
    method: str,
    rates: list[float],
    output_dir: Path,
    sink: EventSink,
    cancel: CancelToken,
) -> list[dict[str, Any]]:
    """The sweep on seed 0 (validation only), then the test set for the chosen rate, then the
    other seeds at that rate. Only the best sweep model so far waits in memory (at most two
    trained models are held at once); a worse one is finished untested at once."""

    def config_for(seed: int, rate: float) -> tuple[RunConfig, EventSink]:
        config = _run_config(request, method, seed, rate)
        return config, EventSink(config.run_id, sink.stream, sink.enabled)

    summaries: list[dict[str, Any]] = []
    best: PendingRun | None = None
    for rate in rates:
        config, run_sink = config_for(0, rate)
        run = train_run(config, output_dir / config.run_id, run_sink, cancel)
        if best is None or run.final_eval_loss < best.final_eval_loss:
            best, run = run, best
        if run is not None:
            summaries.append(run.finish(False))  # releases its model
        del run
    assert best is not None
    summaries.append(best.finish(True))
    del best
    chosen_rate = summaries[-1]["learning_rate"]
    for seed in range(1, request.seeds):
        config, run_sink = config_for(seed, chosen_rate)
        summaries.append(execute_run(config, output_dir / config.run_id, run_sink, cancel))
    return summaries


def run_comparison(
    request: CompareRequest, output_dir: Path, sink: EventSink, cancel: CancelToken
) -> dict[str, Any]:
    started = time.time()
    base_params = count_model_params(request.model)
    runs: dict[str, list[dict[str, Any]]] = {m: [] for m in METHODS}
    grids = {m: learning_rate_grid(m, base_params, request.sweep) for m in METHODS}
    for method in METHODS:
        runs[method] = _method_runs(
            request, method, grids[method]["learning_rates"], output_dir, sink, cancel
        )
    comparison: dict[str, Any] = {
        "task": request.task,
        "model": request.model,
        "request": asdict(request),
        "lr_tuned": request.sweep,
        "lr_note": (
            "Learning rates were tuned per method on the validation split."
            if request.sweep
            else "Learning rates were not tuned: each method used its default from "
            "lr-defaults.json."
        ),
        "lr_grids": grids,
        "controls": {
            "shared": [
                "seed",
                "data order",
                "train/validation/test split",
                "evaluation sets",
                "batch_size",
                "max_steps",
                "seq_len",
                "schedule shape",
                "grad clipping",
            ],
            "per_method": [
                "learning rate (chosen on the first seed's validation loss)",
                "trainable parameters",
            ],
        },
        "methods": {m: _method_report(runs[m], request.sweep) for m in METHODS},
        "primary_metric": runs["lora"][0]["primary_metric"],
        "metric_info": runs["lora"][0]["metric_info"],
        "memory_note": (
            "Runs share one process here, so peak RSS is the process peak so far; bench.py "
            "measures each method's memory in its own process."
        ),
        "wall_time_s": round(time.time() - started, 2),
        "runs": [
            {k: v for k, v in run.items() if k not in DROPPED_FROM_RUN_LIST}
            for m in METHODS
            for run in runs[m]
        ],
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "comparison.json").write_text(json.dumps(comparison, indent=2) + "\n")
    sink.emit("finished", summary={k: v for k, v in comparison.items() if k != "runs"})
    return comparison
