"""lr-defaults.json: buckets, grid, and the lr-grid command the job system calls."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import REPO_ROOT, python, subprocess_env

from faceoff_trainer.framework import load_framework
from faceoff_trainer.lr import extension_rate, learning_rate_grid, load_lr_defaults


def test_grid_around_default() -> None:
    grid = learning_rate_grid("lora", 500_000)
    assert grid["bucket"] == "tiny"
    assert grid["learning_rates"] == [0.0067, 0.02, 0.06]
    assert grid["default"] == 0.02
    assert learning_rate_grid("full", 7_000_000_000)["default"] == pytest.approx(5e-6)
    assert learning_rate_grid("full", 500_000, sweep=False)["learning_rates"] == [0.003]


def test_grid_widens_once_beyond_the_chosen_edge() -> None:
    grid = [0.0067, 0.02, 0.06]
    assert extension_rate(grid, 0.06) == pytest.approx(0.18)
    assert extension_rate(grid, 0.0067) == pytest.approx(0.0022)
    assert extension_rate(grid, 0.02) is None
    assert extension_rate([0.02], 0.02) is None


def test_buckets_are_ordered_and_complete() -> None:
    buckets = load_lr_defaults()["buckets"]
    limits = [b["max_params"] for b in buckets]
    assert limits[-1] is None
    assert limits[:-1] == sorted(limits[:-1])
    for bucket in buckets:
        assert set(bucket["defaults"]) == set(load_framework().method_ids)


def test_cli_lr_grid_for_tiny() -> None:
    done = subprocess.run(
        [python(), "-m", "faceoff_trainer", "lr-grid", "--model", "tiny", "--method", "full"],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    grid = json.loads(done.stdout)
    assert grid["bucket"] == "tiny"
    assert len(grid["learning_rates"]) == 3
    assert grid["total_params"] > 100_000
