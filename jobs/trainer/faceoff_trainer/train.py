"""The training loop: AdamW, warmup + cosine schedule, step and eval events as they happen.

Both methods run this same loop with the same data order, batch size, schedule shape, gradient
clipping and evaluation points; only the set of trainable parameters and the learning rate
differ. SIGTERM is honoured at the next step boundary (after writing a checkpoint there when the
run has a checkpointer); out-of-memory becomes an OutOfMemory failure naming the step and batch
size. With a checkpointer the loop first continues from a matching checkpoint, if there is one,
and writes one at the checkpointer's cadence (checkpoint.py).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from faceoff_trainer.checkpoint import Checkpointer
from faceoff_trainer.config import RunConfig
from faceoff_trainer.data import BatchStream, collate
from faceoff_trainer.errors import OutOfMemory
from faceoff_trainer.events import CancelToken, EventSink
from faceoff_trainer.runtime import Runtime

GRAD_CLIP = 1.0
MIN_LR_RATIO = 0.1


def warmup_steps(max_steps: int) -> int:
    return max(1, min(100, max_steps // 10))


def lr_at(step: int, max_steps: int, peak: float) -> float:
    """Learning rate for 1-based `step`: linear warmup, then cosine decay to 10% of peak."""
    warm = warmup_steps(max_steps)
    if step <= warm:
        return peak * step / warm
    progress = (step - warm) / max(1, max_steps - warm)
    return peak * (MIN_LR_RATIO + (1 - MIN_LR_RATIO) * 0.5 * (1 + math.cos(math.pi * progress)))


def is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, torch.OutOfMemoryError | MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and (
        "out of memory" in text or "can't allocate memory" in text
    )


@dataclass
class TrainOutcome:
    train_curve: list[dict[str, float]] = field(default_factory=list)
    eval_curve: list[dict[str, float]] = field(default_factory=list)
    tokens_seen: int = 0
    train_seconds: float = 0.0
    eval_seconds: float = 0.0
    # the primary metric on a fixed test subset at each evaluation point (quality per device-hour)
    quality_curve: list[dict[str, float]] = field(default_factory=list)
    quality_seconds: float = 0.0
    # the checkpoint step this attempt continued from (None: trained from step 1)
    resumed_from_step: int | None = None

    @property
    def tokens_per_s(self) -> float:
        return self.tokens_seen / self.train_seconds if self.train_seconds > 0 else 0.0


def step_log_interval(max_steps: int) -> int:
    return 1 if max_steps <= 200 else max(1, max_steps // 200)


def quality_steps(max_steps: int, eval_every: int, count: int) -> set[int]:
    """The evaluation points before the last at which the quality curve is measured: at most
    `count`, spread evenly and ending with the one nearest the end."""
    steps = list(range(eval_every, max_steps, eval_every))
    if count <= 0:
        return set()
    if len(steps) <= count:
        return set(steps)
    return {steps[round((i + 1) * len(steps) / count) - 1] for i in range(count)}


def train_loop(
    model: Any,
    stream: BatchStream,
    config: RunConfig,
    learning_rate: float,
    device: torch.device,
    pad_id: int,
    sink: EventSink,
    cancel: CancelToken,
    validate: Callable[[Any], float],
    runtime: Runtime,
    checkpoint_metric: Callable[[Any], float] | None = None,
    quality_checkpoints: int = 0,
    checkpoints: Checkpointer | None = None,
) -> tuple[Any, TrainOutcome]:
    """Train for config.max_steps; returns the (possibly wrapped) model and the curves.

    With `checkpoints`, a matching checkpoint is restored first (a `resumed` event says from
    which step) and checkpoints are written at its cadence and where a SIGTERM is noticed."""
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.0)
    model, optimizer = runtime.prepare(model, optimizer)
    parameters = [p for p in model.parameters() if p.requires_grad]
    model.train()
    outcome = TrainOutcome()
    interval = step_log_interval(config.max_steps)
    measured_at = quality_steps(config.max_steps, config.eval_every, quality_checkpoints)
    first = 1
    if checkpoints is not None:
        resumed = checkpoints.resume(model, optimizer, stream, outcome, config.max_steps)
        if resumed is not None:
            outcome.resumed_from_step = resumed
            first = resumed + 1
            sink.emit("resumed", step=resumed, total=config.max_steps)
    for step in range(first, config.max_steps + 1):
        if cancel.requested and checkpoints is not None and step > 1:
            # A SIGTERM is a cancel or a worker shutting down: keep the work for a next attempt.
            checkpoints.save(step - 1, model, optimizer, stream, outcome)
        cancel.check(step - 1)
        started = time.perf_counter()
        batch = collate(runtime.local_batch(stream.next()), pad_id)
        batch = {k: v.to(device) for k, v in batch.items()}
        rate = lr_at(step, config.max_steps, learning_rate)
        for group in optimizer.param_groups:
            group["lr"] = rate
        try:
            loss = model(**batch).loss
            runtime.backward(loss)
            runtime.clip(model, parameters, GRAD_CLIP)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            loss_value = runtime.mean(loss.item())
        except (RuntimeError, MemoryError) as exc:
            if is_out_of_memory(exc):
                optimizer.zero_grad(set_to_none=True)
                raise OutOfMemory(step, config.batch_size, str(device), str(exc)) from exc
            raise
        outcome.train_seconds += time.perf_counter() - started
        outcome.tokens_seen += int(batch["attention_mask"].sum()) * runtime.world_size
        outcome.train_curve.append({"step": step, "loss": round(loss_value, 6)})
        if step % interval == 0 or step == config.max_steps:
            sink.emit(
                "step",
                step=step,
                total=config.max_steps,
                loss=round(loss_value, 6),
                lr=rate,
                tokens_per_s=round(outcome.tokens_per_s, 1),
            )
        if step % config.eval_every == 0 or step == config.max_steps:
            eval_started = time.perf_counter()
            eval_loss = validate(model)
            outcome.eval_seconds += time.perf_counter() - eval_started
            outcome.eval_curve.append({"step": step, "eval_loss": round(eval_loss, 6)})
            sink.emit(
                "eval", step=step, eval_loss=round(eval_loss, 6), metrics={}, split="validation"
            )
            if checkpoint_metric is not None and step in measured_at:
                metric_started = time.perf_counter()
                value = checkpoint_metric(model)
                outcome.quality_seconds += time.perf_counter() - metric_started
                outcome.quality_curve.append(
                    {
                        "step": step,
                        "train_seconds": round(outcome.train_seconds, 4),
                        "metric": round(value, 6),
                    }
                )
            model.train()
        if checkpoints is not None and checkpoints.due(step):
            checkpoints.save(step, model, optimizer, stream, outcome)
    if cancel.requested and checkpoints is not None:
        # Stopped during the last step: the next attempt goes straight to the test evaluation.
        checkpoints.save(config.max_steps, model, optimizer, stream, outcome)
    return model, outcome
