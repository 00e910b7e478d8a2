"""Base models: the cached tiny model (`model="tiny"`) or a Hugging Face id / local path.

Hub access is never needed: HF_HUB_OFFLINE=1 is set by the CLI, so an id must already be in
the local Hugging Face cache, or be a local directory.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from faceoff_trainer.config import RunConfig
from faceoff_trainer.errors import BadConfig, Unsupported
from faceoff_trainer.tiny import ensure_tiny_model, tiny_total_params
from faceoff_trainer.tokenizer import TextCodec, load_codec

log = logging.getLogger("faceoff.model")
TINY = "tiny"
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
    if dtype == torch.float16 and config.method == "full":
        raise BadConfig(
            "dtype", "float16 full fine-tuning needs loss scaling; use bfloat16 or float32"
        )
    return dtype


def check_method_supported(config: RunConfig) -> None:
    if config.method != "qlora":
        return
    missing = []
    if not torch.cuda.is_available():
        missing.append("a CUDA GPU")
    if importlib.util.find_spec("bitsandbytes") is None:
        missing.append("the bitsandbytes package")
    if missing:
        raise Unsupported(
            "qlora needs " + " and ".join(missing) + " (4-bit NF4 base weights); "
            "use method=lora here, or run qlora on a CUDA machine with bitsandbytes"
        )


def count_model_params(model_spec: str) -> int:
    """Total parameters of a base model without loading its weights (meta device)."""
    if model_spec == TINY:
        return tiny_total_params()
    from transformers import AutoConfig, AutoModelForCausalLM

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
    if config.model == TINY:
        tiny_dir, pretraining = ensure_tiny_model(check_cancel=check_cancel)
        path = str(tiny_dir)
        log.info(
            "tiny model held-out pretraining loss %.4f nats/token", pretraining["heldout_loss"]
        )
    kwargs: dict[str, Any] = {"dtype": dtype}
    if config.method == "qlora":
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=dtype if dtype != torch.float32 else torch.bfloat16,
        )
        kwargs["device_map"] = {"": device.index or 0}
    try:
        model = AutoModelForCausalLM.from_pretrained(path, **kwargs)
    except OSError as exc:
        raise BadConfig(
            "model", f'cannot load "{config.model}" offline (not a local path or cached id): {exc}'
        ) from exc
    if config.method != "qlora":
        model.to(device)
    codec = load_codec(path)
    model.config.pad_token_id = codec.pad_id
    hidden = int(getattr(model.config, "hidden_size", 0) or getattr(model.config, "n_embd", 0))
    return LoadedModel(
        model=model,
        codec=codec,
        model_path=path,
        hidden_size=hidden,
        # 4-bit weights are packed two per element: count qlora's base from its config instead.
        base_params=count_model_params(path)
        if config.method == "qlora"
        else sum(p.numel() for p in model.parameters()),
        dtype=dtype,
        device=device,
        pretraining=pretraining,
    )
