"""A model that cannot be loaded is a user error: one line, field `model`, exit 2, no traceback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import torch
from conftest import REPO_ROOT, parse_events, python, run_trainer_cli, subprocess_env

from faceoff_trainer.config import parse_config
from faceoff_trainer.errors import BadConfig
from faceoff_trainer.model import count_model_params, load_base_model

NOT_FOUND = (
    "not found or not allowed (neither a local model directory nor a model id in the local "
    "Hugging Face cache; downloads are off)"
)


def _load(model: str) -> BadConfig:
    config = parse_config({"run_id": "m", "task": "customer_service", "model": model})
    with pytest.raises(BadConfig) as failure:
        load_base_model(config, torch.device("cpu"), torch.float32)
    return failure.value


def _expect(failure: BadConfig, model: str, reason: str) -> None:
    assert str(failure) == f"config field 'model': could not load {model!r} as a model: {reason}"
    assert failure.field == "model" and failure.kind == "bad_config" and failure.exit_code == 2
    assert failure.__cause__ is None and failure.__suppress_context__


def test_a_missing_path(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-model")
    _expect(_load(missing), missing, NOT_FOUND)


def test_an_unknown_hub_id_offline() -> None:
    _expect(_load("faceoff-nobody/no-such-model"), "faceoff-nobody/no-such-model", NOT_FOUND)


def test_a_folder_that_is_not_a_model(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "notes.bin").write_bytes(b"\x00\x01 random bytes")
    _expect(_load(str(folder)), str(folder), "the directory has no config.json")
    (folder / "config.json").write_text('{"model_type": "no-such-architecture"}')
    _expect(_load(str(folder)), str(folder), "its files are not a model transformers can load")
    (folder / "config.json").write_text("{broken json")
    _expect(_load(str(folder)), str(folder), "its files are not a model transformers can load")


def test_a_file_path(tmp_path: Path) -> None:
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"not really weights")
    _expect(_load(str(weights)), str(weights), "it is a file, not a model directory")


def test_counting_parameters_of_an_unloadable_model(tmp_path: Path) -> None:
    with pytest.raises(BadConfig) as failure:
        count_model_params(str(tmp_path))
    _expect(failure.value, str(tmp_path), "the directory has no config.json")


def test_train_and_lr_grid_cli_report_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "random.txt").write_text("hello")
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"run_id": "bad-model", "task": "customer_service", "model": str(folder)})
    )
    done = run_trainer_cli(
        "train", "--config", str(config), "--output-dir", str(tmp_path / "out"), timeout=300
    )
    assert done.returncode == 2, done.stderr[-2000:]
    events = parse_events(done.stdout)
    assert [e["event"] for e in events] == ["failed"]
    failed = events[0]
    assert failed["kind"] == "bad_config" and failed["field"] == "model"
    assert failed["message"] == (
        f"config field 'model': could not load {str(folder)!r} as a model: "
        "the directory has no config.json"
    )
    assert "Traceback" not in done.stderr
    grid_command = ["lr-grid", "--model", "nobody/none", "--method", "lora"]
    grid = subprocess.run(
        [python(), "-m", "faceoff_trainer", *grid_command],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert grid.returncode == 2
    assert json.loads(grid.stdout) == {
        "error": f"config field 'model': could not load 'nobody/none' as a model: {NOT_FOUND}"
    }
    assert "Traceback" not in grid.stderr
