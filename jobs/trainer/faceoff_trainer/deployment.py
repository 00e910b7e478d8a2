"""Deployment, measured: what serving the trained model costs, per variant.

After a run is trained and saved, the run measures how its result would be served:

- full fine-tuning: the fine-tuned model as trained, and the time to load its checkpoint from
  disk (a deploy, and a rollback to an earlier checkpoint, is such a load);
- LoRA: the base with the adapter unmerged (one base serving many adapters), the adapter merged
  into the base (one model per task), the time to load a base, to load the adapter onto it, to
  swap to a second adapter on the already loaded base, and to switch back (rollback), and the
  time to merge.

Latency is per request at batch 1 with greedy decoding and a fixed number of new tokens (every
variant generates exactly the same count, so tokens/s compare), after one warm-up request.
Serving memory is the bytes of the weights and buffers as loaded for serving (computed from the
loaded tensors) and, on a GPU, the peak memory allocated while serving the probe (measured).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from faceoff_trainer.data import encode_prompt
from faceoff_trainer.errors import TrainerFailure
from faceoff_trainer.events import CancelToken
from faceoff_trainer.suites import TaskItem
from faceoff_trainer.tokenizer import TextCodec

log = logging.getLogger("faceoff.deployment")
PROBE_NEW_TOKENS = 16


@dataclass(frozen=True)
class Probe:
    """The requests every variant serves: the first test prompts, a fixed completion length."""

    prompts: list[list[int]]
    new_tokens: int


def build_probe(
    codec: TextCodec, items: list[TaskItem], seq_len: int, requests: int, new_tokens: int
) -> Probe:
    prompts = [
        encode_prompt(codec, item.prompts[0], seq_len, new_tokens, item.templated)
        for item in items[:requests]
    ]
    return Probe(prompts=prompts, new_tokens=new_tokens)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def serving_bytes(model: torch.nn.Module) -> int:
    """Bytes of every parameter and buffer of the model as loaded (shared tensors once)."""
    seen: set[int] = set()
    total = 0
    for tensor in [*model.parameters(), *model.buffers()]:
        key = tensor.data_ptr()
        if key in seen:
            continue
        seen.add(key)
        total += tensor.numel() * tensor.element_size()
    return total


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@torch.no_grad()
def serve(
    model: Any, probe: Probe, codec: TextCodec, device: torch.device, cancel: CancelToken
) -> dict[str, Any]:
    """Latency p50/p95 (ms) and tokens/s of the probe's requests, one at a time."""
    from transformers import GenerationConfig

    was_training = model.training
    model.eval()
    settings = GenerationConfig(
        do_sample=False,
        max_new_tokens=probe.new_tokens,
        min_new_tokens=probe.new_tokens,
        pad_token_id=codec.pad_id,
        eos_token_id=codec.eos_id,
    )

    def request(ids: list[int]) -> float:
        input_ids = torch.tensor([ids], dtype=torch.long, device=device)
        _sync(device)
        started = time.perf_counter()
        model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            generation_config=settings,
        )
        _sync(device)
        return time.perf_counter() - started

    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    request(probe.prompts[0])  # warm-up: first-call allocations are not serving latency
    seconds: list[float] = []
    for ids in probe.prompts:
        cancel.check()
        seconds.append(request(ids))
    if was_training:
        model.train()
    return {
        "requests": len(seconds),
        "new_tokens_per_request": probe.new_tokens,
        "latency_p50_ms": round(_percentile(seconds, 0.5) * 1000, 3),
        "latency_p95_ms": round(_percentile(seconds, 0.95) * 1000, 3),
        "tokens_per_s": round(probe.new_tokens * len(seconds) / sum(seconds), 2),
        "serving_bytes": serving_bytes(model),
        "serving_peak_bytes": int(torch.cuda.max_memory_allocated(device))
        if device.type == "cuda"
        else None,
    }


@contextmanager
def _timed(into: dict[str, float], key: str, device: torch.device) -> Iterator[None]:
    _sync(device)
    started = time.perf_counter()
    yield
    _sync(device)
    into[key] = round(time.perf_counter() - started, 4)


def _load_full(path: str, dtype: torch.dtype, device: torch.device) -> Any:
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(path, dtype=dtype).to(device)


def measure_full(
    model: Any,
    artifact_dir: Path,
    probe: Probe,
    codec: TextCodec,
    device: torch.device,
    dtype: torch.dtype,
    cancel: CancelToken,
) -> dict[str, Any]:
    """The fine-tuned model as served, and the time to load its checkpoint (deploy or roll back)."""
    times: dict[str, float] = {}
    with _timed(times, "checkpoint_load_s", device):
        reloaded = _load_full(str(artifact_dir), dtype, device)
    del reloaded
    return {"variants": {"full": serve(model, probe, codec, device, cancel)}, "times": times}


def measure_adapter(
    model: Any,
    adapter_dir: Path,
    base_path: str,
    probe: Probe,
    codec: TextCodec,
    device: torch.device,
    dtype: torch.dtype,
    cancel: CancelToken,
    mergeable: bool = True,
) -> dict[str, Any]:
    """The adapter unmerged and merged, and the load, swap, rollback and merge times."""
    from peft import PeftModel

    variants = {"lora_unmerged": serve(model, probe, codec, device, cancel)}
    times: dict[str, float] = {}
    with _timed(times, "base_load_s", device):
        base = _load_full(base_path, dtype, device)
    base.config.pad_token_id = codec.pad_id
    with _timed(times, "adapter_load_s", device):
        served = PeftModel.from_pretrained(base, str(adapter_dir), adapter_name="current")
    with _timed(times, "adapter_swap_s", device):
        served.load_adapter(str(adapter_dir), adapter_name="next")
        served.set_adapter("next")
    with _timed(times, "adapter_rollback_s", device):
        served.set_adapter("current")
    served.delete_adapter("next")
    cancel.check()
    if mergeable:
        with _timed(times, "merge_s", device):
            merged = served.merge_and_unload()
        variants["lora_merged"] = serve(merged, probe, codec, device, cancel)
    return {"variants": variants, "times": times}


def measure_deployment(
    run: Callable[[], dict[str, Any]], device: torch.device
) -> dict[str, Any] | None:
    """Run a measurement; a failure here is reported in the result, never fails the run."""
    started = time.perf_counter()
    try:
        measured = run()
    except TrainerFailure:  # a cancel stops the run as anywhere else
        raise
    except Exception as exc:  # the run's trained and evaluated numbers still stand
        log.warning("deployment not measured: %s: %s", type(exc).__name__, exc)
        first_line = (str(exc).splitlines() or [""])[0][:200]
        return {"error": f"not measured: {type(exc).__name__}: {first_line}"}
    measured["device"] = device.type
    measured["probe_seconds"] = round(time.perf_counter() - started, 3)
    return measured
