"""Measured costs: peak memory, artifact size on disk, device-hours, library versions."""

from __future__ import annotations

import resource
import sys
from pathlib import Path
from typing import Any

import torch

from faceoff_trainer.framework import method_spec


def reset_peak_memory(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)


def current_rss_bytes() -> int:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")


def peak_memory(device: torch.device) -> tuple[int, str]:
    """(bytes, kind): CUDA max allocated on GPU; the process's peak RSS on CPU."""
    if device.type == "cuda":
        return int(torch.cuda.max_memory_allocated(device)), "gpu_max_memory_allocated"
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    return int(peak_kib * scale), "cpu_peak_rss_process"


def directory_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def save_artifact(
    model: Any,
    method: str,
    output_dir: Path,
    model_source: str,
    state_dict: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Save a PEFT adapter (adapter methods) or full safetensors weights; report bytes on disk."""
    if not method_spec(method).adapter:
        target = output_dir / "model"
        model.save_pretrained(target, safe_serialization=True, state_dict=state_dict)
        tokenizer_spec = Path(model_source) / "faceoff_tokenizer.json"
        if tokenizer_spec.is_file():
            (target / tokenizer_spec.name).write_bytes(tokenizer_spec.read_bytes())
        kind = "full_weights"
        weights = sum(f.stat().st_size for f in target.glob("*.safetensors"))
    else:
        target = output_dir / "adapter"
        model.save_pretrained(target, safe_serialization=True, state_dict=state_dict)
        kind = "peft_adapter"
        weights = sum(f.stat().st_size for f in target.glob("*.safetensors"))
    return {
        "artifact_kind": kind,
        "artifact_path": str(target),
        "artifact_bytes": directory_bytes(target),
        "artifact_weights_bytes": weights,
    }


def device_report(device: torch.device, gpus_used: int, wall_seconds: float) -> dict[str, Any]:
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
        hours = wall_seconds * gpus_used / 3600
        return {
            "device": f"cuda ({name})",
            "gpus": gpus_used,
            "device_hours": hours,
            "gpu_hours": hours,
        }
    return {
        "device": "cpu",
        "gpus": 0,
        "device_hours": wall_seconds / 3600,
        "gpu_hours": 0.0,
        "cpu_threads": torch.get_num_threads(),
    }


def library_versions() -> dict[str, str]:
    import peft
    import transformers

    return {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "peft": peft.__version__,
    }
