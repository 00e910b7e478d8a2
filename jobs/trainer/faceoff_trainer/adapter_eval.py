"""`evaluate-adapter`: a saved LoRA adapter's validation loss, computed as its run computed it.

A team that downloads an adapter checks it against the run's `final_eval_loss`: the base model
is loaded as `train` loads it (the same loader, dtype, tokenizer and seq_len), the validation
items are the run's (the same split and, given a result.json, the same number of them as the run
resolved for its model and device), the adapter is loaded with `PeftModel.from_pretrained`, and
the loss is the trainer's own `evaluation_loss`.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from faceoff_trainer.config import (
    ADAPTER_CONFIG,
    DATASET_TASK,
    RunConfig,
    _read_json_config,
    find_adapter_dir,
    parse_config,
)
from faceoff_trainer.errors import BadConfig
from faceoff_trainer.events import CancelToken
from faceoff_trainer.framework import method_spec

log = logging.getLogger("faceoff.adapter_eval")
ADAPTER_ARG = "--adapter"


def read_run_config(
    path: str | Path, model: str | None = None, dataset_path: str | None = None
) -> RunConfig:
    """A `train` config from a config file or a result.json (its `config`), with the base model
    and dataset path replaced when given. A result.json also fixes the number of validation
    items to the one its run used (a config without `eval_size` resolves it per model and
    device, and the run may have been on another machine)."""
    raw = _read_json_config(path)
    result: dict[str, Any] | None = None
    if isinstance(raw, dict) and isinstance(raw.get("config"), dict):
        result, raw = raw, dict(raw["config"])
    if isinstance(raw, dict):
        raw = dict(raw)
        if model is not None:
            raw["model"] = model
        if dataset_path is not None:
            raw["dataset_path"] = dataset_path
    config = parse_config(raw)
    evaluation = result.get("evaluation") if result is not None else None
    used = evaluation.get("validation_items") if isinstance(evaluation, dict) else None
    if config.eval_size is None and isinstance(used, int) and not isinstance(used, bool):
        config = replace(config, eval_size=used)
    # One process evaluates: a multi-GPU run's adapter loads on this machine's single device.
    return replace(config, gpus=0)


def checked_adapter_dir(given: str | Path) -> Path:
    """The folder holding the adapter: `given`, or the adapter/ folder of a run's output
    directory; BadConfig for `--adapter` when neither holds a LoRA adapter."""
    path = find_adapter_dir(given)
    if path is None:
        raise BadConfig(
            ADAPTER_ARG,
            f"no LoRA adapter at {given}: expected a folder holding {ADAPTER_CONFIG} and the "
            "adapter weights (a train run's adapter/ folder)",
        )
    try:
        adapter_config = json.loads((path / ADAPTER_CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadConfig(ADAPTER_ARG, f"cannot read {path / ADAPTER_CONFIG}: {exc}") from None
    if not isinstance(adapter_config, dict) or adapter_config.get("peft_type") != "LORA":
        raise BadConfig(ADAPTER_ARG, f"{path} does not hold a LoRA adapter ({ADAPTER_CONFIG})")
    base = adapter_config.get("base_model_name_or_path")
    if isinstance(base, str) and base:
        log.info("adapter saved for base model %s", Path(base).name)
    return path


def _load_adapter(base: Any, path: Path) -> Any:
    from peft import PeftModel

    try:
        return PeftModel.from_pretrained(base, str(path))
    except (RuntimeError, ValueError, KeyError, OSError) as exc:
        first = (str(exc).splitlines() or [""])[0][:300]
        raise BadConfig(
            ADAPTER_ARG, f"does not fit the base model: {type(exc).__name__}: {first}"
        ) from None


def evaluate_adapter(
    config: RunConfig, adapter: str | Path, cancel: CancelToken | None = None
) -> dict[str, Any]:
    """Load the run's base model and validation items, apply the adapter, and measure the
    validation loss as the run measured `final_eval_loss`."""
    from faceoff_trainer.data import (
        checked_dataset,
        checked_skill_datasets,
        encode_items,
        load_task_data,
    )
    from faceoff_trainer.eval_plan import evaluation_sizes
    from faceoff_trainer.evaluate import evaluation_loss
    from faceoff_trainer.model import (
        check_method_supported,
        load_base_model,
        resolve_device,
        resolve_dtype,
    )
    from faceoff_trainer.run import configure_threads

    cancel = cancel or CancelToken()
    if not method_spec(config.method).adapter:
        raise BadConfig(
            "method",
            f"a {config.method} run saves full weights, not an adapter; give the config of a "
            "LoRA run",
        )
    path = checked_adapter_dir(adapter)  # fail fast, before any model is loaded
    configure_threads()
    check_method_supported(config)
    if config.skill_datasets is not None:
        checked_skill_datasets(config)
    elif config.task == DATASET_TASK:
        checked_dataset(config)
    device = resolve_device(config)
    dtype = resolve_dtype(config, device)
    loaded = load_base_model(config, device, dtype, cancel.check)
    cancel.check()
    sizes = evaluation_sizes(config, loaded.base_params, device)
    data = load_task_data(config, loaded.codec, sizes)
    validation = encode_items(loaded.codec, data.validation, config.seq_len)
    model = _load_adapter(loaded.model, path)
    loss = evaluation_loss(model, validation, loaded.codec.pad_id, device, cancel)
    return {
        "eval_loss": round(loss, 6) if math.isfinite(loss) else None,
        "validation_items": len(data.validation),
        "adapter": str(path),
        "model": config.model,
    }
