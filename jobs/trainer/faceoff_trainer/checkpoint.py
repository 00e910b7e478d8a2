"""Training checkpoints: a retried run continues from the last one with the same data order.

A checkpoint is one file, `<output_dir>/checkpoint/state.pt` (torch.save, read back with
`weights_only=True`), holding everything an identical continuation needs: the trainable
parameters (for LoRA only the adapter tensors), the AdamW state, the step reached, the batch
stream's generator state and the rest of its current permutation, the torch (and CUDA) and
Python random states, the curves and counters so far, and the wall time spent up to it. It is
written to a temporary file in the same directory, flushed to disk, then renamed over the old
one, so a process killed mid-write leaves the previous checkpoint (or none), never a torn one.

A checkpoint is used only when its identity (a hash of every config field that changes what
the training computes, the resolved learning rate, the number of processes and, for a user
dataset, the file's contents, or each skill dataset's) matches the run's; anything else, and
any file that cannot be read or does not fit the model, is ignored with a log line and the run
starts from step 1.
The run deletes the directory once its result.json is written; a cancelled or failed run
keeps it for the next attempt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from faceoff_trainer.config import RunConfig, config_to_dict
from faceoff_trainer.errors import disk_full

if TYPE_CHECKING:
    from faceoff_trainer.data import BatchStream
    from faceoff_trainer.train import TrainOutcome

log = logging.getLogger("faceoff.checkpoint")

CHECKPOINT_DIR = "checkpoint"
STATE_FILE = "state.pt"
FORMAT = 1
# The default cadence (no `checkpoint_every` in the config): every quarter of the run, but not
# within a minute of the last checkpoint (or the start), so short runs and fast steps pay nothing
# for it; and whenever 10 minutes have passed, so a long run loses at most about that much work.
CHECKPOINT_MIN_SECONDS = 60.0
CHECKPOINT_SECONDS = 600.0
# Config fields that do not change what training computes: a retry may differ in them.
IDENTITY_EXCLUDED = ("run_id", "deploy_requests", "checkpoint_every")
OUTCOME_FIELDS = (
    "train_curve",
    "eval_curve",
    "quality_curve",
    "tokens_seen",
    "train_seconds",
    "eval_seconds",
    "quality_seconds",
)


def checkpoint_interval(config: RunConfig) -> int:
    """Steps between checkpoints: the config's `checkpoint_every`, else a quarter of the run."""
    if config.checkpoint_every is not None:
        return config.checkpoint_every
    return max(1, config.max_steps // 4)


def checkpoint_identity(config: RunConfig, learning_rate: float, world_size: int) -> str:
    """What a checkpoint must have been written for to be resumed by this run."""
    fields = {k: v for k, v in config_to_dict(config).items() if k not in IDENTITY_EXCLUDED}
    fields["resolved_learning_rate"] = learning_rate
    fields["world_size"] = world_size
    fields["format"] = FORMAT
    if config.dataset_path is not None:
        fields["dataset_sha256"] = _file_sha256(Path(config.dataset_path))
    if config.skill_datasets is not None:
        fields["skill_datasets_sha256"] = {
            skill: _file_sha256(Path(path)) for skill, path in config.skill_datasets.items()
        }
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def remove_checkpoint(output_dir: Path) -> None:
    shutil.rmtree(output_dir / CHECKPOINT_DIR, ignore_errors=True)


def _trainable(model: Any) -> dict[str, torch.nn.Parameter]:
    return {name: p for name, p in model.named_parameters() if p.requires_grad}


@dataclass
class Checkpointer:
    """Writes and restores the checkpoints of one run (single process only)."""

    output_dir: Path
    identity: str
    every: int  # steps between checkpoints; 0 writes none
    timed: bool  # the default cadence: CHECKPOINT_MIN_SECONDS apart, CHECKPOINT_SECONDS at most
    started_at: float = field(default_factory=time.time)  # this attempt's start (time.time())
    earlier_wall_seconds: float = 0.0  # wall time of earlier attempts up to their checkpoint
    last_saved_step: int = 0
    last_saved_at: float = field(default_factory=lambda: time.monotonic())

    @classmethod
    def for_run(
        cls, config: RunConfig, output_dir: Path, learning_rate: float, started_at: float
    ) -> Checkpointer:
        return cls(
            output_dir=output_dir,
            identity=checkpoint_identity(config, learning_rate, 1),
            every=checkpoint_interval(config),
            timed=config.checkpoint_every is None,
            started_at=started_at,
        )

    @property
    def directory(self) -> Path:
        return self.output_dir / CHECKPOINT_DIR

    @property
    def path(self) -> Path:
        return self.directory / STATE_FILE

    def due(self, step: int) -> bool:
        if self.every <= 0 or step <= self.last_saved_step:
            return False
        if not self.timed:
            return step % self.every == 0
        elapsed = time.monotonic() - self.last_saved_at
        if step % self.every == 0 and elapsed >= CHECKPOINT_MIN_SECONDS:
            return True
        return elapsed >= CHECKPOINT_SECONDS

    def save(
        self,
        step: int,
        model: Any,
        optimizer: torch.optim.Optimizer,
        stream: BatchStream,
        outcome: TrainOutcome,
    ) -> bool:
        """Write the state after `step` atomically; a failed write is logged, not raised (the
        run goes on without it)."""
        if self.every <= 0 or step <= self.last_saved_step:
            return False
        started = time.monotonic()
        state = {
            "format": FORMAT,
            "identity": self.identity,
            "step": step,
            "trainable": {n: p.detach().to("cpu", copy=True) for n, p in _trainable(model).items()},
            "optimizer": optimizer.state_dict(),
            "stream": {"generator": stream.generator.get_state(), "order": list(stream.order)},
            "rng": {
                "torch": torch.get_rng_state(),
                "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
                "python": random.getstate(),
            },
            "outcome": {name: getattr(outcome, name) for name in OUTCOME_FIELDS},
            "wall_seconds": self.earlier_wall_seconds + time.time() - self.started_at,
        }
        temporary = self.directory / f"{STATE_FILE}.tmp-{os.getpid()}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            for stale in self.directory.glob(f"{STATE_FILE}.tmp-*"):
                stale.unlink(missing_ok=True)  # left by an attempt killed mid-write
            with temporary.open("wb") as handle:
                torch.save(state, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
            _fsync_directory(self.directory)
        except (OSError, RuntimeError) as exc:
            if not isinstance(exc, OSError) and not disk_full(exc):
                raise
            temporary.unlink(missing_ok=True)
            log.warning(
                "could not write the checkpoint at step %d (%s); training goes on",
                step,
                exc,
            )
            return False
        self.last_saved_step = step
        self.last_saved_at = time.monotonic()
        log.info(
            "checkpoint at step %d written to %s in %.2f s",
            step,
            self.path,
            time.monotonic() - started,
        )
        return True

    def _read(self) -> dict[str, Any] | None:
        if not self.path.is_file():
            return None
        try:
            state = torch.load(self.path, map_location="cpu", weights_only=True)
        except Exception as exc:  # truncated, corrupt or not ours: start fresh
            log.warning(
                "ignoring the checkpoint at %s: it cannot be read (%s: %s); starting from step 1",
                self.path,
                type(exc).__name__,
                str(exc).splitlines()[0] if str(exc) else "",
            )
            return None
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            log.warning(
                "ignoring the checkpoint at %s: unknown format; starting from step 1", self.path
            )
            return None
        if state.get("identity") != self.identity:
            log.info(
                "ignoring the checkpoint at %s: it was written for a different config; "
                "starting from step 1",
                self.path,
            )
            return None
        return state

    def resume(
        self,
        model: Any,
        optimizer: torch.optim.Optimizer,
        stream: BatchStream,
        outcome: TrainOutcome,
        max_steps: int,
    ) -> int | None:
        """Restore the checkpoint into the freshly set-up model, optimizer, stream and outcome;
        returns the step it was written after, or None when there is none to use."""
        state = self._read()
        if state is None:
            return None
        problem = _mismatch(state, model, optimizer, stream, max_steps)
        if problem is not None:
            log.warning(
                "ignoring the checkpoint at %s: %s; starting from step 1", self.path, problem
            )
            return None
        try:
            optimizer.load_state_dict(state["optimizer"])
            with torch.no_grad():
                for name, parameter in _trainable(model).items():
                    parameter.copy_(state["trainable"][name])
            stream.generator.set_state(state["stream"]["generator"])
            stream.order = [int(i) for i in state["stream"]["order"]]
            rng = state["rng"]
            torch.set_rng_state(rng["torch"])
            if rng["cuda"] and torch.cuda.is_available():
                torch.cuda.set_rng_state_all(rng["cuda"])
            random.setstate(_as_tuple(rng["python"]))
            for name in OUTCOME_FIELDS:
                setattr(outcome, name, state["outcome"][name])
        except Exception as exc:
            # Partly restored: this attempt cannot go on, and the next must not try it again.
            remove_checkpoint(self.output_dir)
            raise RuntimeError(
                f"could not restore the checkpoint at {self.path} ({type(exc).__name__}: {exc}); "
                "it was removed, so the next attempt starts from step 1"
            ) from exc
        step = int(state["step"])
        self.earlier_wall_seconds = float(state.get("wall_seconds", 0.0))
        self.last_saved_step = step
        self.last_saved_at = time.monotonic()
        log.info("resumed from the checkpoint at step %d of %d", step, max_steps)
        return step


def _as_tuple(value: Any) -> Any:
    return tuple(_as_tuple(v) for v in value) if isinstance(value, list | tuple) else value


def _mismatch(
    state: dict[str, Any],
    model: Any,
    optimizer: torch.optim.Optimizer,
    stream: BatchStream,
    max_steps: int,
) -> str | None:
    """Why the checkpoint cannot continue this run, or None when it fits."""
    step = state.get("step")
    if not isinstance(step, int) or not 1 <= step <= max_steps:
        return f"its step {step!r} is not within 1..{max_steps}"
    saved = state.get("trainable")
    current = _trainable(model)
    if not isinstance(saved, dict) or set(saved) != set(current):
        return "its trainable parameters are not this model's"
    for name, parameter in current.items():
        tensor = saved[name]
        if not isinstance(tensor, torch.Tensor) or tensor.shape != parameter.shape:
            return f"parameter {name} does not have this model's shape"
    groups = state.get("optimizer", {}).get("param_groups")
    if not isinstance(groups, list) or [len(g.get("params", [])) for g in groups] != [
        len(g["params"]) for g in optimizer.param_groups
    ]:
        return "its optimizer state does not fit this model's trainable parameters"
    data = state.get("stream")
    if not isinstance(data, dict) or not isinstance(data.get("generator"), torch.Tensor):
        return "it has no data order"
    order = data.get("order")
    if not isinstance(order, list) or not all(
        isinstance(i, int) and 0 <= i < len(stream.examples) for i in order
    ):
        return "its data order does not fit this run's training examples"
    rng = state.get("rng")
    if not isinstance(rng, dict) or not isinstance(rng.get("torch"), torch.Tensor):
        return "it has no random state"
    outcome = state.get("outcome")
    if not isinstance(outcome, dict) or any(name not in outcome for name in OUTCOME_FIELDS):
        return "it has no curves"
    return None


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: not every filesystem allows it)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
