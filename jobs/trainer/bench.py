"""Bench: our training loop next to a plain Hugging Face Trainer (+ PEFT), same model and data.

    python3 jobs/trainer/bench.py --out FILE.json [--steps 60] [--task customer_service]

Every measurement runs in its own subprocess, one after the other, so peak memory (peak RSS
on CPU) belongs to that method alone: our loop via `python3 -m faceoff_trainer train`, and the
HF Trainer via this file's `--hf-worker` mode, on the same cached tiny model, the same encoded
training examples in the same order, batch size, steps, learning rate and schedule shape.
tokens/s counts non-padding tokens over the training phase. Each measurement is repeated
(`--repeats`, alternating which loop goes first) and the best tokens/s per loop is reported,
with every sample and the machine's load average kept in the JSON. "train loss, last window"
is the mean training loss over the last steps/5 steps (the Trainer's logging window): a check
that both loops learn alike. Prints a markdown table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TRAINER_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(TRAINER_DIR))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(TRAINER_DIR) + os.pathsep + env.get("PYTHONPATH", "")
    env["HF_HUB_OFFLINE"] = "1"
    return env


def _log_window(steps: int) -> int:
    """Steps per HF Trainer log line; its logged loss is the mean over that window."""
    return max(1, steps // 5)


def _mean_last(values: list[float], count: int) -> float:
    tail = values[-count:]
    return round(sum(tail) / len(tail), 6)


def run_ours(method: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    config = {
        "run_id": f"bench-ours-{method}",
        "task": args.task,
        "method": method,
        "seed": 0,
        "max_steps": args.steps,
        "batch_size": args.batch_size,
        "seq_len": 256,
        "learning_rate": args.learning_rate[method],
        "eval_every": args.steps,
        "eval_size": 16,
        "test_size": 4,
        "max_new_tokens": 32,
    }
    config_path = work / f"ours-{method}.json"
    config_path.write_text(json.dumps(config))
    out = work / f"ours-{method}"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "faceoff_trainer",
            "train",
            "--config",
            str(config_path),
            "--output-dir",
            str(out),
        ],
        check=True,
        env=_env(),
        stdout=subprocess.DEVNULL,
    )
    result = json.loads((out / "result.json").read_text())
    return {
        "loop": "faceoff",
        "method": method,
        "tokens_per_s": result["tokens_per_s"],
        "train_time_s": result["train_time_s"],
        "tokens_seen": result["tokens_seen"],
        "peak_rss_bytes": result["peak_memory_bytes"],
        "rss_before_training_bytes": result["rss_before_training_bytes"],
        "trainable_params": result["trainable_params"],
        "total_params": result["total_params"],
        "artifact_bytes": result["artifact_bytes"],
        "train_loss_last_window": _mean_last(
            [point["loss"] for point in result["train_curve"]], _log_window(args.steps)
        ),
    }


def run_hf(method: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    out = work / f"hf-{method}.json"
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--hf-worker",
            method,
            "--out",
            str(out),
            "--steps",
            str(args.steps),
            "--batch-size",
            str(args.batch_size),
            "--task",
            args.task,
        ],
        check=True,
        env=_env(),
        stdout=sys.stderr,  # the Trainer's own log lines; stdout is for the table
    )
    return json.loads(out.read_text())


def hf_worker(method: str, args: argparse.Namespace) -> None:
    """Train with transformers.Trainer on the same examples and order as our loop."""
    import torch
    from transformers import AutoModelForCausalLM, Trainer, TrainingArguments

    from faceoff_trainer.config import parse_config
    from faceoff_trainer.data import BatchStream, collate, encode_items, load_task_data
    from faceoff_trainer.methods import apply_method, parameter_counts, plan_lora
    from faceoff_trainer.resources import current_rss_bytes, peak_memory
    from faceoff_trainer.run import configure_threads
    from faceoff_trainer.tiny import ensure_tiny_model
    from faceoff_trainer.tokenizer import ByteTokenizer
    from faceoff_trainer.train import warmup_steps

    configure_threads()
    config = parse_config(
        {
            "run_id": "hf",
            "task": args.task,
            "method": method,
            "max_steps": args.steps,
            "batch_size": args.batch_size,
            "seq_len": 256,
            "eval_size": 16,
            "test_size": 4,
        }
    )
    model_dir, _ = ensure_tiny_model()
    codec = ByteTokenizer()
    data = load_task_data(config, codec)
    stream = BatchStream(encode_items(codec, data.train, config.seq_len), args.batch_size, 0)
    ordered = [e for _ in range(args.steps) for e in stream.next()]  # our exact order
    model = AutoModelForCausalLM.from_pretrained(str(model_dir))
    plan = plan_lora(args.task, config.lora, model.config.hidden_size) if method == "lora" else None
    torch.manual_seed(0)
    model = apply_method(model, config, plan)
    trainable, total = parameter_counts(model)
    counted = {"tokens": 0}

    def collator(batch: list[Any]) -> dict[str, torch.Tensor]:
        tensors = collate(batch, codec.pad_id)
        counted["tokens"] += int(tensors["attention_mask"].sum())
        return tensors

    class InOrder(torch.utils.data.Dataset):
        def __len__(self) -> int:
            return len(ordered)

        def __getitem__(self, index: int) -> Any:
            return ordered[index]

    with tempfile.TemporaryDirectory() as scratch:
        training_args = TrainingArguments(
            output_dir=scratch,
            max_steps=args.steps,
            per_device_train_batch_size=args.batch_size,
            learning_rate=args.learning_rate[method],
            lr_scheduler_type="cosine_with_min_lr",
            lr_scheduler_kwargs={"min_lr_rate": 0.1},
            warmup_steps=warmup_steps(args.steps),
            weight_decay=0.0,
            max_grad_norm=1.0,
            logging_steps=_log_window(args.steps),
            save_strategy="no",
            report_to=[],
            use_cpu=True,
            dataloader_num_workers=0,
            seed=0,
            remove_unused_columns=False,
            disable_tqdm=True,
        )
        trainer = Trainer(
            model=model, args=training_args, train_dataset=InOrder(), data_collator=collator
        )
        trainer._get_train_sampler = lambda *a, **k: torch.utils.data.SequentialSampler(ordered)
        rss_before = current_rss_bytes()
        started = time.perf_counter()
        output = trainer.train()
        seconds = time.perf_counter() - started
        logged = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
        last_logged = round(float(logged[-1]), 6) if logged else float(output.training_loss)
    peak, _ = peak_memory(torch.device("cpu"))
    result = {
        "loop": "hf_trainer",
        "method": method,
        "tokens_per_s": round(counted["tokens"] / seconds, 1),
        "train_time_s": round(seconds, 3),
        "tokens_seen": counted["tokens"],
        "peak_rss_bytes": peak,
        "rss_before_training_bytes": rss_before,
        "trainable_params": trainable,
        "total_params": total,
        "artifact_bytes": None,
        "train_loss_last_window": last_logged,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


def markdown(rows: list[dict[str, Any]], ratios: dict[str, float]) -> str:
    lines = [
        "| loop | method | tokens/s | faceoff / HF Trainer | peak RSS (MiB) | "
        "RSS before training (MiB) | trainable share | artifact bytes | train loss, last window |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        ratio = f"{ratios[r['method']]:.2f}" if r["loop"] == "faceoff" else ""
        before = r["rss_before_training_bytes"] or 0
        share = r["trainable_params"] / r["total_params"]
        lines.append(
            f"| {r['loop']} | {r['method']} | {r['tokens_per_s']:.0f} | {ratio} | "
            f"{r['peak_rss_bytes'] / 2**20:.0f} | {before / 2**20:.0f} | {share:.2%} | "
            f"{r['artifact_bytes'] if r['artifact_bytes'] is not None else 'n/a'} | "
            f"{r['train_loss_last_window']:.4f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--task", default="customer_service")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--hf-worker", choices=["lora", "full"], default=None)
    args = parser.parse_args(argv)
    from faceoff_trainer.lr import default_learning_rate
    from faceoff_trainer.tiny import tiny_total_params

    total = tiny_total_params()
    args.learning_rate = {m: default_learning_rate(m, total) for m in ("lora", "full")}
    if args.hf_worker:
        hf_worker(args.hf_worker, args)
        return 0
    from faceoff_trainer.tiny import ensure_tiny_model

    _, pretraining = ensure_tiny_model()
    started = time.time()
    load_before = os.getloadavg()
    samples: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="faceoff-bench-") as work_dir:
        work = Path(work_dir)
        for repeat in range(args.repeats):
            for method in ("lora", "full"):
                # Alternate the order so a change in machine load hits both loops alike.
                pair = (run_ours, run_hf) if repeat % 2 == 0 else (run_hf, run_ours)
                for runner in pair:
                    sample = runner(method, args, work)
                    sample["repeat"] = repeat
                    samples.append(sample)
    rows = [
        max(
            (s for s in samples if s["loop"] == loop and s["method"] == method),
            key=lambda s: s["tokens_per_s"],
        )
        for method in ("lora", "full")
        for loop in ("faceoff", "hf_trainer")
    ]
    ratios = {
        m: next(r for r in rows if r["loop"] == "faceoff" and r["method"] == m)["tokens_per_s"]
        / next(r for r in rows if r["loop"] == "hf_trainer" and r["method"] == m)["tokens_per_s"]
        for m in ("lora", "full")
    }
    report = {
        "what": "tokens/s of the faceoff training loop vs transformers.Trainer (+PEFT for LoRA) "
        "on the same tiny model, data order, batch size, steps and LR; each in its own process",
        "task": args.task,
        "steps": args.steps,
        "batch_size": args.batch_size,
        "device": "cpu",
        "memory_kind": "cpu_peak_rss_process",
        "tiny_model_heldout_loss": pretraining["heldout_loss"],
        "repeats": args.repeats,
        "rows_are": "best tokens/s of the repeats per loop and method",
        "rows": rows,
        "samples": samples,
        "tokens_per_s_ratio_faceoff_over_hf": ratios,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "wall_time_s": round(time.time() - started, 1),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(markdown(rows, ratios))
    print(f"load average before / after: {load_before} / {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
