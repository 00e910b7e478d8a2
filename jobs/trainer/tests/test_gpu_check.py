"""gpu_check.py imports and runs its CPU smoke mode."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import REPO_ROOT, TRAINER_DIR, python, subprocess_env


def test_gpu_check_smoke(tmp_path: Path) -> None:
    done = subprocess.run(
        [python(), str(TRAINER_DIR / "gpu_check.py"), str(tmp_path), "--smoke"],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((tmp_path / "gpu_check.json").read_text())
    assert [m["method"] for m in report["methods"]] == ["lora", "full"]
    for method in report["methods"]:
        assert method["tokens_per_s"] > 0
        assert method["final_loss_finite"]
        assert len(method["loss_curve"]) >= 2
    lora, full = report["methods"]
    assert lora["trainable_params"] < full["trainable_params"]
    assert "| lora |" in (tmp_path / "gpu_check.md").read_text()
