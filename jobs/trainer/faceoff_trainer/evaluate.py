"""Evaluation: teacher-forced loss on a split, greedy generation, and task metrics.

Generation is greedy and batched (left padding, the KV cache on), and stops a row at the
model's end token (for a chat model, its end-of-turn token) or at the suite's stop string.
`progress(done, total)` is called after each batch so a caller can report "evaluating 40/80".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from faceoff_trainer.data import IGNORE_INDEX, Encoded, collate, encode_items, encode_prompt
from faceoff_trainer.events import CancelToken
from faceoff_trainer.suites import TaskItem, TaskSuite
from faceoff_trainer.tokenizer import TextCodec

EVAL_BATCH = 32
GENERATION_BATCH = 48  # the byte-level tiny model
REAL_MODEL_GENERATION_BATCH = 16  # a real tokenizer: longer vocabularies, fewer rows at once
Progress = Callable[[int, int], None]


def truncate_at_stop(text: str, stop: str | None) -> str:
    """`text` up to the stop string's first occurrence after any leading whitespace."""
    if not stop:
        return text
    index = text.find(stop, len(text) - len(text.lstrip()))
    return text if index < 0 else text[:index]


@torch.no_grad()
def evaluation_loss(
    model: Any,
    examples: list[Encoded],
    pad_id: int,
    device: torch.device,
    cancel: CancelToken | None = None,
    batch_size: int = EVAL_BATCH,
) -> float:
    """Token-weighted mean cross-entropy (nats per token) over the completion tokens."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(examples), batch_size):
        if cancel is not None:
            cancel.check()
        batch = {
            k: v.to(device)
            for k, v in collate(examples[start : start + batch_size], pad_id).items()
        }
        logits = model(
            input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
        ).logits.float()
        targets = batch["labels"][:, 1:]
        loss = torch.nn.functional.cross_entropy(
            logits[:, :-1].reshape(-1, logits.size(-1)),
            targets.reshape(-1),
            ignore_index=IGNORE_INDEX,
            reduction="sum",
        )
        total += float(loss)
        count += int((targets != IGNORE_INDEX).sum())
    if was_training:
        model.train()
    return total / max(1, count)


@torch.no_grad()
def generate(
    model: Any,
    codec: TextCodec,
    prompts: list[tuple[str, bool]],
    max_new_tokens: int,
    seq_len: int,
    device: torch.device,
    cancel: CancelToken | None = None,
    batch_size: int | None = None,
    synced_gpus: bool = False,
    stop: str | None = None,
    progress: Progress | None = None,
) -> list[str]:
    """Greedy decoding, batched with left padding; returns the decoded completions."""
    from transformers import GenerationConfig

    if batch_size is None:
        byte_level = getattr(codec, "tokenizer", None) is None
        batch_size = GENERATION_BATCH if byte_level else REAL_MODEL_GENERATION_BATCH
    was_training = model.training
    model.eval()
    encoded = [
        encode_prompt(codec, text, seq_len, max_new_tokens, templated)
        for text, templated in prompts
    ]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    outputs: list[str] = [""] * len(encoded)
    settings = GenerationConfig(
        do_sample=False,
        max_new_tokens=max_new_tokens,
        eos_token_id=codec.eos_id,
        pad_token_id=codec.pad_id,
        use_cache=True,
    )
    for start in range(0, len(order), batch_size):
        if cancel is not None:
            cancel.check()
        chunk = order[start : start + batch_size]
        width = max(len(encoded[i]) for i in chunk)
        input_ids = torch.full((len(chunk), width), codec.pad_id, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for row, index in enumerate(chunk):
            ids = encoded[index]
            input_ids[row, width - len(ids) :] = torch.tensor(ids)
            mask[row, width - len(ids) :] = 1
        generated = model.generate(
            input_ids=input_ids.to(device),
            attention_mask=mask.to(device),
            generation_config=settings,
            synced_gpus=synced_gpus,
        )
        for row, index in enumerate(chunk):
            new_tokens = generated[row, width:].tolist()
            if codec.eos_id in new_tokens:
                new_tokens = new_tokens[: new_tokens.index(codec.eos_id)]
            outputs[index] = truncate_at_stop(codec.decode(new_tokens), stop)
        if progress is not None:
            progress(min(start + batch_size, len(order)), len(order))
    if was_training:
        model.train()
    return outputs


@dataclass
class TestEvaluation:
    metrics: dict[str, float | None]
    metric_flags: dict[str, str]
    consistency_items: int
    top_output_share: float
    test_loss: float
    items: int
    outputs: int
    seconds: float
    samples: list[dict[str, str]]
    loss_seconds: float
    generation_seconds: float
    # the output for each item's first phrasing, in item order
    first_outputs: list[str]
    # every output, grouped by item (outputs[i][j] for items[i].prompts[j])
    grouped_outputs: list[list[str]] = field(default_factory=list)


def evaluate_test(
    model: Any,
    codec: TextCodec,
    suite: TaskSuite,
    items: list[TaskItem],
    seq_len: int,
    max_new_tokens: int,
    device: torch.device,
    cancel: CancelToken | None = None,
    synced_gpus: bool = False,
    progress: Progress | None = None,
) -> TestEvaluation:
    started = time.time()
    test_loss = evaluation_loss(
        model, encode_items(codec, items, seq_len), codec.pad_id, device, cancel
    )
    loss_done = time.time()
    flat = [(prompt, item.templated) for item in items for prompt in item.prompts]
    texts = generate(
        model,
        codec,
        flat,
        max_new_tokens,
        seq_len,
        device,
        cancel,
        synced_gpus=synced_gpus,
        stop=suite.stop,
        progress=progress,
    )
    grouped: list[list[str]] = []
    cursor = 0
    for item in items:
        grouped.append(texts[cursor : cursor + len(item.prompts)])
        cursor += len(item.prompts)
    if cancel is not None:
        cancel.check()
    scored = suite.score_with_flags(items, grouped)
    samples = [
        {"prompt": item.prompts[0], "reference": item.completion, "output": outs[0]}
        for item, outs in list(zip(items, grouped, strict=True))[:5]
    ]
    return TestEvaluation(
        metrics=scored.metrics,
        metric_flags=scored.flags,
        consistency_items=scored.consistency_items,
        top_output_share=scored.top_output_share,
        test_loss=test_loss,
        items=len(items),
        outputs=len(flat),
        seconds=time.time() - started,
        samples=samples,
        loss_seconds=loss_done - started,
        generation_seconds=time.time() - loss_done,
        first_outputs=[outs[0] for outs in grouped],
        grouped_outputs=grouped,
    )
