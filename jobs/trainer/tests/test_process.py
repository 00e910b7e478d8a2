"""The real CLI in a subprocess: stdout carries only JSON events; SIGTERM -> cancelled, 143."""

from __future__ import annotations

import errno
import json
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SMALL_RUN, parse_events, subprocess_env, trainer_command

from faceoff_trainer.errors import disk_full

pytestmark = pytest.mark.usefixtures("tiny_model")


def _start(tmp_path: Path, **overrides: object) -> subprocess.Popen[str]:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"run_id": "proc-run", **SMALL_RUN, **overrides}))
    return subprocess.Popen(
        trainer_command("train", "--config", str(config), "--output-dir", str(tmp_path / "out")),
        cwd=REPO_ROOT,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_train_subprocess_emits_only_json_events(tmp_path: Path) -> None:
    process = _start(tmp_path, method="lora", max_steps=3, test_size=2)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr[-2000:]
    events = parse_events(stdout)
    kinds = [e["event"] for e in events]
    assert kinds[0] == "started" and kinds[-1] == "finished"
    assert kinds.count("step") == 3
    started = events[0]
    for key in (
        "method",
        "model",
        "task",
        "seed",
        "learning_rate",
        "total_steps",
        "trainable_params",
        "total_params",
        "device",
        "lora",
    ):
        assert key in started
    result = json.loads((tmp_path / "out" / "result.json").read_text())
    assert result == events[-1]["summary"]


def test_sigterm_stops_cleanly_with_143(tmp_path: Path) -> None:
    # 200 steps: a step event after every step, and far more work than the time to signal.
    process = _start(tmp_path, method="full", max_steps=200, eval_every=1000)
    assert process.stdout is not None
    try:
        first = ""
        deadline = time.time() + 240
        while time.time() < deadline:
            line = process.stdout.readline()  # events are flushed line by line
            if not line:
                break
            first += line
            if json.loads(line)["event"] == "step":
                process.send_signal(signal.SIGTERM)
                break
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 143, stderr[-2000:]
    events = parse_events(first + stdout)
    failed = events[-1]
    assert failed["event"] == "failed"
    assert failed["kind"] == "cancelled"
    assert failed["step"] >= 1
    assert not any(e["event"] == "finished" for e in events)


def test_qlora_on_cpu_exits_2(tmp_path: Path) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    process = _start(tmp_path, method="qlora")
    stdout, _ = process.communicate(timeout=300)
    assert process.returncode == 2
    events = parse_events(stdout)
    assert events[-1]["event"] == "failed" and events[-1]["kind"] == "unsupported"


def test_a_full_disk_while_saving_is_reported_plainly(tmp_path: Path) -> None:
    """The adapter's config file is a link to /dev/full, where every write fails with ENOSPC."""
    adapter = tmp_path / "out" / "adapter"
    adapter.mkdir(parents=True)
    (adapter / "adapter_config.json").symlink_to("/dev/full")
    process = _start(tmp_path, method="lora", max_steps=2, test_size=1, deploy_requests=0)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 1, stderr[-2000:]
    failed = parse_events(stdout)[-1]
    assert failed["event"] == "failed" and failed["kind"] == "disk_full", failed
    host = socket.gethostname()
    assert failed["message"].startswith(f"disk full on worker {host} while writing (")
    assert "free space in the artifact directory or the cache on that worker" in failed["message"]


def test_disk_full_is_recognised_however_a_library_words_it() -> None:
    assert disk_full(OSError(errno.ENOSPC, "No space left on device"))
    assert disk_full(OSError(errno.EDQUOT, "Disk quota exceeded"))
    serializing = 'Error while serializing: IoError(Os { code: 28, kind: StorageFull, msg: "" })'
    assert disk_full(Exception(serializing))
    assert not disk_full(OSError(errno.ENOENT, "No such file or directory"))
    assert not disk_full(RuntimeError("CUDA error: device-side assert triggered"))
