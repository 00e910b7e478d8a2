"""`compare`: the learning-rate sweep (and LoRA's rank sweep) and both methods, in one process.

For each method, every learning rate of its grid (and for LoRA every rank of `ranks`) is trained
with the first seed under identical controls (data, order, split, steps, batch size, sequence
length, evaluation sets). The (learning rate, rank) point with the lowest final validation loss
is chosen per method, and only then is anything generated: the chosen run is evaluated on the
test set, the others are not (on a real model test generation costs more than training), and the
remaining seeds are trained and tested at the chosen point. Every tried value is reported with
its validation loss. The job system instead fans out one `train` job per grid point and seed
and chooses on final_eval_loss.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from faceoff_trainer.config import DATASET_TASK, RunConfig, parse_config
from faceoff_trainer.events import CancelToken, EventSink
from faceoff_trainer.framework import method_spec
from faceoff_trainer.lr import extension_rate, learning_rate_grid
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
    rank: int | None = None
    alpha: float | None = None
    targets: str | None = None
    ranks: tuple[int, ...] = ()
    rank_rule: str = "preset"
    methods: tuple[str, ...] = METHODS

    def lora_settings(self, rank: int | None) -> dict[str, Any]:
        return {
            "r": rank,
            "alpha": self.alpha,
            "target_modules": self.targets,
            "rank_rule": self.rank_rule,
        }

    def ranks_for(self, method: str) -> list[int | None]:
        if not method_spec(method).adapter:
            return [None]
        return list(self.ranks) if self.ranks else [self.rank]


def _run_config(
    request: CompareRequest, method: str, seed: int, rate: float, rank: int | None
) -> RunConfig:
    rank_tag = f"-r{rank}" if rank is not None else ""
    raw: dict[str, Any] = {
        "run_id": f"{request.task}-{method}{rank_tag}-seed{seed}-lr{rate:g}",
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
    if method_spec(method).adapter:
        raw["lora"] = request.lora_settings(rank)
    if request.task == DATASET_TASK:
        raw["dataset_path"] = request.dataset_path
    return parse_config(raw)


def _rank_of(run: dict[str, Any]) -> int | None:
    lora = run.get("lora")
    return int(lora["rank"]) if lora else None


def _mean_known(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return mean(known) if known else None


def _edge(values: list[Any], chosen: Any) -> bool:
    return len(values) > 1 and chosen in (values[0], values[-1])


def _grid_note(at_edge: bool, extended: bool) -> str | None:
    if at_edge and extended:
        return (
            "The best learning rate is still at the edge after the grid was widened once; "
            "a better one may lie beyond it."
        )
    if at_edge:
        return "The best learning rate is at the edge of the grid; a better one may lie beyond it."
    if extended:
        return "The grid was widened once because the best rate sat on its edge."
    return None


def _method_report(
    runs: list[dict[str, Any]], sweep: bool, planned_rates: list[float]
) -> dict[str, Any]:
    by_cell: dict[tuple[float, int], list[dict[str, Any]]] = {}
    for run in runs:
        by_cell.setdefault((run["learning_rate"], _rank_of(run) or 0), []).append(run)
    sweep_seed = min(r["seed"] for r in runs)
    tried = [
        {
            "learning_rate": rate,
            "rank": rank or None,
            "validation_loss_mean": mean(r["final_eval_loss"] for r in group),
            "validation_losses": [r["final_eval_loss"] for r in group],
            "sweep_validation_loss": next(
                r["final_eval_loss"] for r in group if r["seed"] == sweep_seed
            ),
            "run_ids": [r["run_id"] for r in group],
        }
        for (rate, rank), group in sorted(by_cell.items())
    ]
    best = min(tried, key=lambda t: t["sweep_validation_loss"])
    rates = sorted({t["learning_rate"] for t in tried})
    ranks = sorted({t["rank"] for t in tried if t["rank"] is not None})
    at_edge = _edge(rates, best["learning_rate"])
    extended = len(rates) > len(planned_rates)
    rank_at_edge = _edge(ranks, best["rank"])
    chosen = [r for r in by_cell[(best["learning_rate"], best["rank"] or 0)] if r["test_evaluated"]]
    metric_names = chosen[0]["metrics"].keys()
    return {
        "chosen_learning_rate": best["learning_rate"],
        "chosen_at_grid_edge": at_edge,
        "grid_extended": extended,
        "grid_note": _grid_note(at_edge, extended),
        "rank_note": (
            "The best rank is at the edge of the ranks tried; a better one may lie beyond it."
            if rank_at_edge
            else None
        ),
        "chosen_rank": best["rank"],
        "chosen_by": (
            f"lowest final validation loss of seed {sweep_seed}"
            if sweep or len(ranks) > 1
            else "default (no sweep)"
        ),
        "tried": tried,
        "chosen_runs": [r["run_id"] for r in chosen],
        "metrics_mean": {m: _mean_known(r["metrics"][m] for r in chosen) for m in metric_names},
        "metric_flags": sorted({f"{k}: {v}" for r in chosen for k, v in r["metric_flags"].items()}),
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

    def config_for(seed: int, rate: float, rank: int | None) -> tuple[RunConfig, EventSink]:
        config = _run_config(request, method, seed, rate, rank)
        return config, EventSink(config.run_id, sink.stream, sink.enabled)

    summaries: list[dict[str, Any]] = []
    best: PendingRun | None = None
    best_rank: int | None = None
    best_rate = rates[0]

    def sweep_point(rate: float, rank: int | None) -> None:
        nonlocal best, best_rank, best_rate
        config, run_sink = config_for(0, rate, rank)
        run: PendingRun | None = train_run(config, output_dir / config.run_id, run_sink, cancel)
        assert run is not None
        if best is None or run.final_eval_loss < best.final_eval_loss:
            best, run, best_rank, best_rate = run, best, rank, rate
        if run is not None:
            summaries.append(run.finish(False))  # releases its model

    for rate in rates:
        for rank in request.ranks_for(method):
            sweep_point(rate, rank)
    beyond = extension_rate(rates, best_rate) if request.sweep else None
    if beyond is not None:
        sweep_point(beyond, best_rank)  # the grid widened once, at the chosen rank
    assert best is not None
    summaries.append(best.finish(True))
    del best
    chosen_rate = summaries[-1]["learning_rate"]
    for seed in range(1, request.seeds):
        config, run_sink = config_for(seed, chosen_rate, best_rank)
        summaries.append(execute_run(config, output_dir / config.run_id, run_sink, cancel))
    return summaries


def run_comparison(
    request: CompareRequest, output_dir: Path, sink: EventSink, cancel: CancelToken
) -> dict[str, Any]:
    started = time.time()
    base_params = count_model_params(request.model)
    methods = request.methods
    runs: dict[str, list[dict[str, Any]]] = {m: [] for m in methods}
    grids = {m: learning_rate_grid(m, base_params, request.sweep) for m in methods}
    for method in methods:
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
                "LoRA rank (chosen the same way when several are tried)",
                "trainable parameters",
            ],
        },
        "methods": {
            m: _method_report(runs[m], request.sweep, grids[m]["learning_rates"]) for m in methods
        },
        "primary_metric": runs[methods[0]][0]["primary_metric"],
        "metric_info": runs[methods[0]][0]["metric_info"],
        "memory_note": (
            "Runs share one process here, so peak RSS is the process peak so far; bench.py "
            "measures each method's memory in its own process."
        ),
        "wall_time_s": round(time.time() - started, 2),
        "runs": [
            {k: v for k, v in run.items() if k not in DROPPED_FROM_RUN_LIST}
            for m in methods
            for run in runs[m]
        ],
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "comparison.json").write_text(json.dumps(comparison, indent=2) + "\n")
    sink.emit("finished", summary={k: v for k, v in comparison.items() if k != "runs"})
    return comparison
