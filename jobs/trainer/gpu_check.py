"""GPU check: LoRA vs full fine-tuning on a ~1B Llama-config model with random weights.

    python3 jobs/trainer/gpu_check.py RESULTS_DIR            # one CUDA GPU, bf16, < 10 minutes
    python3 jobs/trainer/gpu_check.py RESULTS_DIR --smoke    # tiny dims on CPU (used in tests)

No hub access: the model is built from a LlamaConfig. Training data are byte ids of the stdlib
docstring corpus, so the loss curve means something even with random initial weights. Writes
gpu_check.json and gpu_check.md (tokens/s, peak memory, a short loss curve per method).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

ONE_B = {
    "hidden_size": 2048,
    "intermediate_size": 5632,
    "num_hidden_layers": 22,
    "num_attention_heads": 32,
    "num_key_value_heads": 4,
    "vocab_size": 32000,
}
SMOKE = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 512,
}


def corpus_ids(limit: int) -> torch.Tensor:
    from faceoff_trainer.corpus import collect_stdlib_docstrings

    data = collect_stdlib_docstrings().train_text.encode("utf-8")[:limit]
    return torch.tensor(list(data), dtype=torch.long)


def build_model(dims: dict[str, int], dtype: torch.dtype, device: torch.device) -> Any:
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(**dims, max_position_embeddings=4096, tie_word_embeddings=False)
    with device:
        model = LlamaForCausalLM(config)
    return model.to(dtype)


def run_method(
    method: str,
    args: argparse.Namespace,
    dims: dict[str, int],
    data: torch.Tensor,
    device: torch.device,
    dtype: torch.dtype,
) -> dict[str, Any]:
    model = build_model(dims, dtype, device)
    if method == "lora":
        from peft import LoraConfig, get_peft_model

        model = get_peft_model(
            model,
            LoraConfig(
                r=16,
                lora_alpha=32,
                lora_dropout=0.0,
                target_modules="all-linear",
                task_type="CAUSAL_LM",
            ),
        )
    if args.gradient_checkpointing:
        model.gradient_checkpointing_enable()
    total = sum(p.numel() for p in model.parameters())
    trainable = [p for p in model.parameters() if p.requires_grad]
    rate = 2e-4 if method == "lora" else 2e-5
    optimizer = torch.optim.AdamW(trainable, lr=rate, weight_decay=0.0)
    generator = torch.Generator().manual_seed(0)
    window = args.seq_len + 1
    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)
    curve: list[dict[str, float]] = []
    timed_tokens, timed_seconds = 0, 0.0
    model.train()
    for step in range(1, args.steps + 1):
        starts = torch.randint(0, len(data) - window, (args.batch_size,), generator=generator)
        batch = torch.stack([data[s : s + window] for s in starts.tolist()]).to(device)
        if device.type == "cuda":
            torch.cuda.synchronize()
        started = time.perf_counter()
        loss = model(input_ids=batch, labels=batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if device.type == "cuda":
            torch.cuda.synchronize()
        if step > args.warmup_steps:  # the first steps include kernel selection
            timed_seconds += time.perf_counter() - started
            timed_tokens += batch.numel()
        if step == 1 or step % max(1, args.steps // 10) == 0 or step == args.steps:
            curve.append({"step": step, "loss": round(loss.item(), 4)})
            print(f"{method} step {step}/{args.steps} loss {loss.item():.4f}", file=sys.stderr)
    peak = torch.cuda.max_memory_allocated(device) if device.type == "cuda" else None
    result = {
        "method": method,
        "learning_rate": rate,
        "total_params": total,
        "trainable_params": sum(p.numel() for p in trainable),
        "tokens_per_s": round(timed_tokens / timed_seconds, 1) if timed_seconds else None,
        "peak_memory_bytes": peak,
        "memory_kind": "gpu_max_memory_allocated" if peak is not None else "not measured (cpu)",
        "loss_curve": curve,
        "final_loss_finite": math.isfinite(curve[-1]["loss"]),
    }
    del model, optimizer
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return result


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# GPU check ({report['device']}, {report['dtype']})",
        "",
        f"Model: Llama config {report['dims']} with random weights; batch "
        f"{report['batch_size']} x {report['seq_len']} tokens, {report['steps']} steps.",
        "",
        "| method | trainable / total params | tokens/s | peak memory (GiB) | loss first -> last |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in report["methods"]:
        peak = f"{r['peak_memory_bytes'] / 2**30:.2f}" if r["peak_memory_bytes"] else "n/a"
        curve = r["loss_curve"]
        lines.append(
            f"| {r['method']} | {r['trainable_params']:,} / {r['total_params']:,} | "
            f"{r['tokens_per_s']} | {peak} | {curve[0]['loss']} -> {curve[-1]['loss']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results_dir")
    parser.add_argument("--smoke", action="store_true", help="tiny dims on CPU, a few steps")
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seq-len", type=int, default=None)
    parser.add_argument("--gradient-checkpointing", action="store_true")
    args = parser.parse_args(argv)
    smoke = args.smoke
    if not smoke and not torch.cuda.is_available():
        parser.error("no CUDA device; use --smoke for the CPU smoke mode")
    args.steps = args.steps or (4 if smoke else 40)
    args.batch_size = args.batch_size or (2 if smoke else 8)
    args.seq_len = args.seq_len or (32 if smoke else 1024)
    args.warmup_steps = 1 if smoke else 3
    device = torch.device("cpu") if smoke else torch.device("cuda", 0)
    dtype = torch.float32 if smoke else torch.bfloat16
    dims = SMOKE if smoke else ONE_B
    torch.set_num_threads(2 if smoke else torch.get_num_threads())
    started = time.time()
    data = corpus_ids(200_000 if smoke else 2_000_000)
    methods = [run_method(m, args, dims, data, device, dtype) for m in ("lora", "full")]
    report = {
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "dtype": str(dtype).replace("torch.", ""),
        "dims": dims,
        "steps": args.steps,
        "batch_size": args.batch_size,
        "seq_len": args.seq_len,
        "smoke": smoke,
        "torch": torch.__version__,
        "methods": methods,
        "wall_time_s": round(time.time() - started, 1),
    }
    out = Path(args.results_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "gpu_check.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "gpu_check.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
