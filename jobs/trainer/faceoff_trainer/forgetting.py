"""What fine-tuning costs the base model: its loss on general text that is not part of the task,
measured before and after training (the "learns less, forgets less" question).

The general text is the held-out part of the tiny model's pretraining corpus: docstrings of
Python's standard library from files the tiny model never trained on (corpus.py). It is English
technical prose, on every worker offline, and the same for every model and method, so the two
methods' increases can be compared. Learning is measured on the task's validation split over the
same interval, so each run gives one (forgetting, learning) point.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch

from faceoff_trainer.corpus import collect_stdlib_docstrings
from faceoff_trainer.data import Encoded
from faceoff_trainer.evaluate import evaluation_loss
from faceoff_trainer.events import CancelToken
from faceoff_trainer.tiny import cache_root
from faceoff_trainer.tokenizer import TextCodec

log = logging.getLogger(__name__)

GENERAL_TEXTS = 32
MIN_CHARS = 200
SOURCE = "held-out Python standard-library docstrings (general text, not task data)"


def _cache_file(count: int) -> Path:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return cache_root() / "general-text" / f"stdlib-{version}-{count}.json"


@lru_cache(maxsize=1)
def general_documents(count: int = GENERAL_TEXTS) -> tuple[str, ...]:
    """The first `count` held-out docstrings of at least MIN_CHARS characters (deterministic),
    kept in the cache after the first collection (which parses the held-out files, about 1 s)."""
    path = _cache_file(count)
    try:
        return tuple(json.loads(path.read_text())["documents"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    held_out = collect_stdlib_docstrings(heldout_only=True).heldout_docs
    docs = tuple([d for d in held_out if len(d) >= MIN_CHARS][:count])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        temporary.write_text(json.dumps({"source": SOURCE, "documents": docs}))
        os.replace(temporary, path)
    except OSError as exc:
        log.warning("could not cache the general-text documents (%s)", exc)
    return docs


def general_items(codec: TextCodec, seq_len: int, count: int = GENERAL_TEXTS) -> list[Encoded]:
    """Each document as plain text (no prompt, no template), every token predicted."""
    items = []
    for doc in general_documents(max(count, GENERAL_TEXTS))[:count]:
        ids = codec.completion_ids(doc)[:seq_len]
        items.append(Encoded(input_ids=ids, labels=list(ids)))
    return items


@dataclass
class ForgettingProbe:
    """Measures the general-text and task validation losses of one run before and after training."""

    general: list[Encoded]
    validation: list[Encoded]
    pad_id: int
    device: torch.device
    cancel: CancelToken
    general_before: float | None = None
    task_before: float | None = None

    def losses(self, model: Any) -> tuple[float, float]:
        general = evaluation_loss(model, self.general, self.pad_id, self.device, self.cancel)
        task = evaluation_loss(model, self.validation, self.pad_id, self.device, self.cancel)
        return general, task

    def before(self, model: Any) -> None:
        self.general_before, self.task_before = self.losses(model)

    def after(self, model: Any, task_after: float) -> dict[str, Any] | None:
        if self.general_before is None or self.task_before is None or not self.general:
            return None
        general_after = evaluation_loss(model, self.general, self.pad_id, self.device, self.cancel)
        return {
            "general_loss_before": round(self.general_before, 6),
            "general_loss_after": round(general_after, 6),
            "forgetting": round(general_after - self.general_before, 6),
            "task_loss_before": round(self.task_before, 6),
            "task_loss_after": round(task_after, 6),
            "learning": round(self.task_before - task_after, 6),
            "texts": len(self.general),
            "tokens": sum(len(i.input_ids) for i in self.general),
            "source": SOURCE,
        }
