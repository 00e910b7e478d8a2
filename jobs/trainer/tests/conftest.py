"""Shared fixtures: offline HF, 2 threads, the cached tiny model, small in-process runs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("FACEOFF_NUM_THREADS", "2")
TRAINER_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = TRAINER_DIR.parent.parent

SMALL_RUN: dict[str, Any] = {
    "task": "customer_service",
    "max_steps": 8,
    "batch_size": 8,
    "seq_len": 256,
    "eval_every": 4,
    "eval_size": 16,
    "test_size": 4,
    "max_new_tokens": 48,
}


@pytest.fixture(scope="session")
def tiny_model() -> tuple[Path, dict[str, Any]]:
    """Pretrains once (about 1-2 minutes on 2 cores) unless the cache already has it."""
    import torch

    from faceoff_trainer.tiny import ensure_tiny_model

    torch.set_num_threads(2)
    return ensure_tiny_model()


# What `small_runs` adds to SMALL_RUN: a short deployment probe, a quality curve on 3 items and
# the forgetting probe on 8 general texts.
SMALL_RUN_MEASURED: dict[str, Any] = {
    "deploy_requests": 4,
    "checkpoint_eval_size": 3,
    "forgetting_texts": 8,
}


@pytest.fixture(scope="session")
def small_runs(
    tiny_model: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, Any], list[dict[str, Any]], Path]]:
    """A LoRA and a full run of SMALL_RUN with SMALL_RUN_MEASURED, trained once for every module
    that only reads them: method -> (summary, events, output directory), run ids t-lora, t-full."""
    runs = {}
    for method in ("lora", "full"):
        out = tmp_path_factory.mktemp(f"small-{method}")
        summary, events = run_in_process(
            out, run_id=f"t-{method}", method=method, **SMALL_RUN_MEASURED
        )
        runs[method] = (summary, events, out)
    return runs


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(TRAINER_DIR)
    env["HF_HUB_OFFLINE"] = "1"
    return env


def python() -> str:
    return sys.executable


def trainer_command(*args: str) -> list[str]:
    """`python3 -m faceoff_trainer ARGS` with this interpreter."""
    return [python(), "-m", "faceoff_trainer", *args]


def run_trainer_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Runs the trainer's command line to the end from the repository root, output captured."""
    return subprocess.run(
        trainer_command(*args),
        cwd=REPO_ROOT,
        env=env if env is not None else subprocess_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def parse_events(text: str) -> list[dict[str, Any]]:
    events = []
    for line in text.splitlines():
        event = json.loads(line)  # every stdout line must be one JSON object
        assert isinstance(event, dict)
        assert {"event", "run_id", "time"} <= event.keys()
        events.append(event)
    return events


def run_in_process(output_dir: Path, **overrides: Any) -> tuple[dict[str, Any], list[dict]]:
    """Run one training in this process; returns (result summary, events as parsed JSON)."""
    from faceoff_trainer.config import parse_config
    from faceoff_trainer.events import CancelToken, EventSink
    from faceoff_trainer.run import execute_run

    raw = {"run_id": "test-run", **SMALL_RUN, **overrides}
    config = parse_config(raw)
    stream = io.StringIO()
    sink = EventSink(config.run_id, stream)
    summary = execute_run(config, output_dir, sink, CancelToken())
    return summary, parse_events(stream.getvalue())
