"""The tiny base models for CPU demos, tests and scaling studies: Llama-style configs of three
sizes (`tiny-s`, `tiny`, `tiny-l`), each pretrained here once on the same corpus.

`ensure_tiny_model(size)` returns a directory in Hugging Face format (config.json,
model.safetensors, faceoff_tokenizer.json, faceoff_pretrain.json). It lives in the cache dir
(env FACEOFF_CACHE_DIR, default ~/.cache/faceoff) under a key hashing the model config, the
corpus recipe, the pretraining settings and the source of the code that builds it, so any change
rebuilds it. The held-out pretraining loss (nats per token) is stored in faceoff_pretrain.json.

Each docstring becomes ``<bos> first-line <sep> rest <eos>`` (or ``<bos> text <eos>`` for a
one-line docstring), so the special tokens used by the fine-tuning format
``<bos> prompt <sep> completion <eos>`` are already known to the base model: the separator as
"what follows continues this", the end token as "stop here".
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import math
import os
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

from faceoff_trainer import corpus as corpus_module
from faceoff_trainer.tokenizer import ByteTokenizer

log = logging.getLogger("faceoff.tiny")

_COMMON_CONFIG: dict[str, Any] = {
    "vocab_size": ByteTokenizer.vocab_size,
    "max_position_embeddings": 1024,
    "rope_theta": 10000.0,
    "tie_word_embeddings": False,
    "pad_token_id": ByteTokenizer.pad_id,
    "bos_token_id": ByteTokenizer.bos_id,
    "eos_token_id": ByteTokenizer.eos_id,
}
TINY = "tiny"
# The family: the same recipe at three widths and depths (about 0.13M, 0.47M and 1.5M
# parameters), so a comparison can be repeated across model sizes on a CPU.
TINY_SIZES: dict[str, dict[str, int]] = {
    "tiny-s": {
        "hidden_size": 64,
        "intermediate_size": 176,
        "num_hidden_layers": 2,
        "num_attention_heads": 2,
        "num_key_value_heads": 2,
    },
    TINY: {
        "hidden_size": 128,
        "intermediate_size": 352,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 4,
    },
    "tiny-l": {
        "hidden_size": 192,
        "intermediate_size": 528,
        "num_hidden_layers": 3,
        "num_attention_heads": 4,
        "num_key_value_heads": 4,
    },
}
TINY_MODEL_CONFIG: dict[str, Any] = {**_COMMON_CONFIG, **TINY_SIZES[TINY]}
METADATA_FILE = "faceoff_pretrain.json"


@dataclass(frozen=True)
class PretrainSettings:
    steps: int = 550
    batch_size: int = 16
    seq_len: int = 256
    learning_rate: float = 3e-3
    warmup_steps: int = 50
    min_lr_ratio: float = 0.1
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    seed: int = 0
    heldout_windows: int = 48


def cache_root() -> Path:
    configured = os.environ.get("FACEOFF_CACHE_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "faceoff"


def _source_digest() -> str:
    digest = hashlib.sha256()
    for module_file in (corpus_module.__file__, __file__):
        digest.update(Path(module_file).read_bytes())
    return digest.hexdigest()


def model_config(size: str = TINY) -> dict[str, Any]:
    """The Llama config of one size of the family; an unknown size is a programming error."""
    return {**_COMMON_CONFIG, **TINY_SIZES[size]}


def cache_key(settings: PretrainSettings | None = None, size: str = TINY) -> str:
    settings = settings or PretrainSettings()
    recipe = {
        "model_config": model_config(size),
        "corpus_recipe": corpus_module.RECIPE,
        "python": platform.python_version_tuple()[:2],
        "torch": torch.__version__.split("+")[0],
        "settings": asdict(settings),
        "source": _source_digest(),
    }
    blob = json.dumps(recipe, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def build_tiny_model(seed: int = 0, size: str = TINY) -> torch.nn.Module:
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    return LlamaForCausalLM(LlamaConfig(**model_config(size)))


def tiny_total_params(size: str = TINY) -> int:
    with torch.device("meta"):
        model = build_tiny_model(size=size)
    return sum(p.numel() for p in model.parameters())


def _lr_at(step: int, settings: PretrainSettings) -> float:
    if step < settings.warmup_steps:
        return settings.learning_rate * (step + 1) / settings.warmup_steps
    progress = (step - settings.warmup_steps) / max(1, settings.steps - settings.warmup_steps)
    cosine = 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
    return settings.learning_rate * (settings.min_lr_ratio + (1 - settings.min_lr_ratio) * cosine)


@torch.no_grad()
def _heldout_loss(model: torch.nn.Module, data: torch.Tensor, settings: PretrainSettings) -> float:
    model.eval()
    window = settings.seq_len + 1
    count = min(settings.heldout_windows, (len(data) - 1) // window)
    starts = torch.arange(count) * ((len(data) - window) // max(1, count))
    batch = torch.stack([data[s : s + window] for s in starts.tolist()])
    total, tokens = 0.0, 0
    for chunk in batch.split(16):
        logits = model(input_ids=chunk[:, :-1]).logits
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.size(-1)), chunk[:, 1:].reshape(-1), reduction="sum"
        )
        total += float(loss)
        tokens += chunk[:, 1:].numel()
    model.train()
    return total / tokens


def document_ids(docs: list[str]) -> torch.Tensor:
    """One token stream: <bos> first-line <sep> rest <eos> per docstring."""
    tokenizer = ByteTokenizer()
    ids: list[int] = []
    for doc in docs:
        first, _, rest = doc.partition("\n")
        ids.append(tokenizer.bos_id)
        ids.extend(tokenizer.encode(first.strip()))
        if rest.strip():
            ids.append(tokenizer.sep_id)
            ids.extend(tokenizer.encode(rest.strip()))
        ids.append(tokenizer.eos_id)
    return torch.tensor(ids, dtype=torch.long)


def pretrain(
    settings: PretrainSettings,
    out_dir: Path,
    check_cancel: Callable[[], None] | None = None,
    size: str = TINY,
) -> dict[str, Any]:
    """Pretrain one tiny model on the corpus and save it in HF format to out_dir.

    `check_cancel` is called before every step; it raises to abandon pretraining (SIGTERM).
    """
    started = time.time()
    corpus = corpus_module.collect_stdlib_docstrings()
    train = document_ids(corpus.train_docs)
    heldout = document_ids(corpus.heldout_docs)
    model = build_tiny_model(settings.seed, size)
    model.train()
    optimizer = torch.optim.AdamW(
        model.parameters(),
        lr=settings.learning_rate,
        betas=(0.9, 0.95),
        weight_decay=settings.weight_decay,
    )
    generator = torch.Generator().manual_seed(settings.seed)
    window = settings.seq_len + 1
    initial = _heldout_loss(model, heldout, settings)
    train_started = time.time()
    curve: list[dict[str, float]] = []
    for step in range(settings.steps):
        if check_cancel is not None:
            check_cancel()
        for group in optimizer.param_groups:
            group["lr"] = _lr_at(step, settings)
        starts = torch.randint(0, len(train) - window, (settings.batch_size,), generator=generator)
        batch = torch.stack([train[s : s + window] for s in starts.tolist()])
        loss = model(input_ids=batch, labels=batch).loss  # HF shifts labels internally
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), settings.grad_clip)
        optimizer.step()
        if step % 100 == 0 or step == settings.steps - 1:
            curve.append({"step": step + 1, "loss": round(loss.item(), 4)})
            log.info(
                "%s pretraining step %d/%d loss %.3f", size, step + 1, settings.steps, loss.item()
            )
    train_seconds = time.time() - train_started
    final = _heldout_loss(model, heldout, settings)
    model.save_pretrained(out_dir, safe_serialization=True)
    ByteTokenizer().save(out_dir)
    tokens = settings.steps * settings.batch_size * settings.seq_len
    metadata = {
        "cache_key": out_dir.name,
        "size": size,
        "model_config": model_config(size),
        "total_params": sum(p.numel() for p in model.parameters()),
        "corpus": {
            "recipe": corpus_module.RECIPE,
            "train_tokens": len(train),
            "heldout_tokens": len(heldout),
            "files": corpus.files,
            "docstrings": corpus.docstrings,
        },
        "settings": asdict(settings),
        "heldout_loss_initial": round(initial, 4),
        "heldout_loss": round(final, 4),
        "loss_unit": "nats per token (bytes plus document markers) on held-out stdlib docstrings",
        "train_curve": curve,
        "pretrain_seconds": round(train_seconds, 2),
        "total_seconds": round(time.time() - started, 2),
        "tokens_per_s": round(tokens / train_seconds, 1),
        "threads": torch.get_num_threads(),
    }
    (out_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
    return metadata


def ensure_tiny_model(
    settings: PretrainSettings | None = None,
    check_cancel: Callable[[], None] | None = None,
    size: str = TINY,
) -> tuple[Path, dict[str, Any]]:
    """Return (model dir, pretraining metadata) of one size, pretraining once under a file lock."""
    settings = settings or PretrainSettings()
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    final_dir = root / f"{size}-{cache_key(settings, size)}"
    with open(root / f"{final_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        meta_path = final_dir / METADATA_FILE
        if meta_path.is_file():
            return final_dir, json.loads(meta_path.read_text())
        log.info("pretraining the %s model into %s (one time, a few minutes)", size, final_dir)
        for stale in root.glob(f"{final_dir.name}.partial-*"):  # left by a killed process
            shutil.rmtree(stale, ignore_errors=True)
        work_dir = root / f"{final_dir.name}.partial-{os.getpid()}"
        work_dir.mkdir(parents=True)
        try:
            metadata = pretrain(settings, work_dir, check_cancel, size)
        except BaseException:
            shutil.rmtree(work_dir, ignore_errors=True)
            raise
        metadata["cache_key"] = final_dir.name
        (work_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
        shutil.rmtree(final_dir, ignore_errors=True)
        work_dir.rename(final_dir)
        return final_dir, metadata
