"""Where the training loop runs: one process (CPU or one GPU) or several GPUs via accelerate.

With `gpus` > 1 the CLI re-launches itself through `accelerate launch`: full fine-tuning is
sharded with FSDP (FULL_SHARD, transformer-block auto wrap, full state dict for saving) so that
models that do not fit one GPU can be compared; LoRA runs data-parallel (DDP). Each rank takes
its slice of every global batch, so batch_size stays the global batch of the comparison. Only
rank 0 emits events and writes the output directory. For FSDP the base model is loaded on the
CPU and sharded by `prepare`; test-set generation gathers the full parameters on each rank
(`summon_full_params`), so it needs a model that fits one GPU for inference.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch

from faceoff_trainer.config import RunConfig
from faceoff_trainer.data import Encoded
from faceoff_trainer.framework import method_spec


class SingleProcess:
    distributed = False
    is_main = True
    world_size = 1
    rank = 0

    def prepare(self, model: Any, optimizer: torch.optim.Optimizer) -> tuple[Any, Any]:
        return model, optimizer

    def backward(self, loss: torch.Tensor) -> None:
        loss.backward()

    def clip(self, model: Any, parameters: list[torch.nn.Parameter], max_norm: float) -> None:
        torch.nn.utils.clip_grad_norm_(parameters, max_norm)

    def local_batch(self, batch: list[Encoded]) -> list[Encoded]:
        return batch

    def unwrap(self, model: Any) -> Any:
        return model

    @contextmanager
    def for_generation(self, model: Any) -> Iterator[Any]:
        yield model

    def full_state_dict(self, model: Any) -> dict[str, torch.Tensor] | None:
        return None

    def mean(self, value: float) -> float:
        return value

    def barrier(self) -> None:
        return None


class AccelerateRuntime:
    """Multi-GPU runtime inside an `accelerate launch` child process."""

    distributed = True

    def __init__(self) -> None:
        from accelerate import Accelerator

        self.accelerator = Accelerator()
        self.is_main = self.accelerator.is_main_process
        self.world_size = self.accelerator.num_processes
        self.rank = self.accelerator.process_index

    def prepare(self, model: Any, optimizer: torch.optim.Optimizer) -> tuple[Any, Any]:
        return self.accelerator.prepare(model, optimizer)

    def backward(self, loss: torch.Tensor) -> None:
        self.accelerator.backward(loss)

    def clip(self, model: Any, parameters: list[torch.nn.Parameter], max_norm: float) -> None:
        self.accelerator.clip_grad_norm_(model.parameters(), max_norm)

    def local_batch(self, batch: list[Encoded]) -> list[Encoded]:
        part = batch[self.rank :: self.world_size]
        return part or batch[:1]

    def unwrap(self, model: Any) -> Any:
        return self.accelerator.unwrap_model(model)

    @contextmanager
    def for_generation(self, model: Any) -> Iterator[Any]:
        """HF `generate` needs the plain module: FSDP gathers the full parameters meanwhile."""
        from torch.distributed.fsdp import FullyShardedDataParallel

        if isinstance(model, FullyShardedDataParallel):
            with FullyShardedDataParallel.summon_full_params(model, writeback=False):
                yield self.unwrap(model)
        else:
            yield self.unwrap(model)

    def full_state_dict(self, model: Any) -> dict[str, torch.Tensor] | None:
        return self.accelerator.get_state_dict(model)

    def mean(self, value: float) -> float:
        tensor = torch.tensor([value], device=self.accelerator.device)
        return float(self.accelerator.reduce(tensor, reduction="mean"))

    def barrier(self) -> None:
        self.accelerator.wait_for_everyone()


Runtime = SingleProcess | AccelerateRuntime


def in_launched_child() -> bool:
    return "LOCAL_RANK" in os.environ and int(os.environ.get("WORLD_SIZE", "1")) > 1


def make_runtime() -> Runtime:
    return AccelerateRuntime() if in_launched_child() else SingleProcess()


def needs_launch(config: RunConfig) -> bool:
    return config.gpus > 1 and not in_launched_child()


def launch_command(config: RunConfig, config_path: str, output_dir: str) -> list[str]:
    """The `accelerate launch` command that re-runs this training on config.gpus GPUs."""
    command = [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--num_processes",
        str(config.gpus),
        "--num_machines",
        "1",
    ]
    precision = {"bfloat16": "bf16", "float16": "fp16"}.get(config.dtype, "no")
    command += ["--mixed_precision", precision]
    if not method_spec(config.method).adapter:
        command += [
            "--use_fsdp",
            "--fsdp_sharding_strategy",
            "FULL_SHARD",
            "--fsdp_auto_wrap_policy",
            "TRANSFORMER_BASED_WRAP",
            "--fsdp_state_dict_type",
            "FULL_STATE_DICT",
            "--fsdp_use_orig_params",
            "true",
            "--fsdp_sync_module_states",
            "true",
            "--fsdp_cpu_ram_efficient_loading",
            "true",
        ]
    else:
        command += ["--multi_gpu"]
    command += [
        "-m",
        "faceoff_trainer",
        "train",
        "--config",
        config_path,
        "--output-dir",
        output_dir,
    ]
    return command


def launch(config: RunConfig, config_path: str, output_dir: str) -> int:
    """Run the multi-GPU job; the children's stdout (rank 0 events) passes straight through."""
    done = subprocess.run(launch_command(config, config_path, output_dir), check=False)
    return done.returncode
