"""Config validation: every problem names the field; the CLI exits 2 with a failed event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import parse_events, run_trainer_cli

from faceoff_trainer.config import parse_config
from faceoff_trainer.errors import BadConfig

BASE = {"run_id": "r1", "task": "customer_service"}


def test_defaults_are_valid() -> None:
    config = parse_config(BASE)
    assert config.method == "lora"
    assert config.learning_rate is None
    assert config.lora.target_modules is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"method": "adapter"}, "method"),
        ({"task": "poetry"}, "task"),
        ({"max_steps": 0}, "max_steps"),
        ({"batch_size": "8"}, "batch_size"),
        ({"seed": True}, "seed"),
        ({"learning_rate": -1}, "learning_rate"),
        ({"dtype": "int8"}, "dtype"),
        ({"lora": {"r": 0}}, "lora.r"),
        ({"lora": {"rank": 4}}, "lora.rank"),
        ({"lora": {"target_modules": "ffn"}}, "lora.target_modules"),
        ({"task": "dataset"}, "dataset_path"),
        ({"dataset_path": "x.jsonl"}, "dataset_path"),
        ({"gradient_checkpointing": "yes"}, "gradient_checkpointing"),
        ({"test_set": "false"}, "test_set"),
        ({"test_set": 0}, "test_set"),
    ],
)
def test_bad_fields_are_named(overrides: dict, field: str) -> None:
    with pytest.raises(BadConfig) as caught:
        parse_config({**BASE, **overrides})
    assert caught.value.field == field
    assert field in str(caught.value)


def test_missing_required_field() -> None:
    with pytest.raises(BadConfig) as caught:
        parse_config({"task": "customer_service"})
    assert caught.value.field == "run_id"


def test_attention_only_targets_accepted() -> None:
    config = parse_config({**BASE, "lora": {"target_modules": "attention", "r": 4}})
    assert config.lora.target_modules == "attention"
    config = parse_config({**BASE, "lora": {"target_modules": ["q_proj", "v_proj"]}})
    assert config.lora.target_modules == ("q_proj", "v_proj")


def test_cli_bad_config_exits_2_naming_the_field(tmp_path: Path) -> None:
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps({**BASE, "max_stepz": 10}))
    done = run_trainer_cli(
        "train", "--config", str(config_path), "--output-dir", str(tmp_path / "out"), timeout=120
    )
    assert done.returncode == 2, done.stderr
    events = parse_events(done.stdout)
    assert [e["event"] for e in events] == ["failed"]
    assert events[0]["kind"] == "bad_config"
    assert events[0]["field"] == "max_stepz"
    assert "max_stepz" in events[0]["message"]
    assert events[0]["run_id"] == "r1"
