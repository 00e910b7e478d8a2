"""Checkpoints: an interrupted run continues where its last checkpoint left it, with the same
data order, so its curves equal an uninterrupted run's; unusable checkpoints are ignored."""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SMALL_RUN, parse_events

from faceoff_trainer import checkpoint as checkpoint_module
from faceoff_trainer.checkpoint import (
    CHECKPOINT_DIR,
    STATE_FILE,
    Checkpointer,
    checkpoint_identity,
)
from faceoff_trainer.config import parse_config
from faceoff_trainer.errors import Cancelled
from faceoff_trainer.events import CancelToken, EventSink
from faceoff_trainer.run import execute_run

pytestmark = pytest.mark.usefixtures("tiny_model")

# Cheap runs: 8 steps, one test item, a short generation, no deployment probe.
RUN: dict[str, Any] = {
    **SMALL_RUN,
    "max_steps": 8,
    "eval_every": 4,
    "test_size": 1,
    "max_new_tokens": 8,
    "deploy_requests": 0,
    "checkpoint_eval_size": 2,
}


class Interrupted(Exception):
    """Stands for a crash mid-run (the process dying would leave the same files)."""


class HookedSink(EventSink):
    """An event sink that calls `hook(event, payload)` after writing each event."""

    def __init__(self, hook: Any) -> None:
        super().__init__("ckpt-run", io.StringIO())
        self.hook = hook

    def emit(self, event: str, **payload: Any) -> dict[str, Any]:
        record = super().emit(event, **payload)
        self.hook(event, payload)
        return record

    def events(self) -> list[dict[str, Any]]:
        assert isinstance(self.stream, io.StringIO)
        return parse_events(self.stream.getvalue())


def _run(
    output_dir: Path, hook: Any = None, cancel: CancelToken | None = None, **overrides: Any
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    config = parse_config({"run_id": "ckpt-run", **RUN, **overrides})
    sink = HookedSink(hook or (lambda event, payload: None))
    summary = execute_run(config, output_dir, sink, cancel or CancelToken())
    return summary, sink.events()


def _crash_at(step: int) -> Any:
    def hook(event: str, payload: dict[str, Any]) -> None:
        if event == "step" and payload["step"] == step:
            raise Interrupted(f"crashed at step {step}")

    return hook


def _steps(events: list[dict[str, Any]]) -> list[int]:
    return [e["step"] for e in events if e["event"] == "step"]


def _assert_same_curves(resumed: dict[str, Any], whole: dict[str, Any]) -> None:
    for curve, key in (("train_curve", "loss"), ("eval_curve", "eval_loss")):
        assert [p["step"] for p in resumed[curve]] == [p["step"] for p in whole[curve]]
        assert [p[key] for p in resumed[curve]] == pytest.approx(
            [p[key] for p in whole[curve]], abs=1e-5
        ), curve
    assert [p["metric"] for p in resumed["quality_curve"]] == pytest.approx(
        [p["metric"] for p in whole["quality_curve"]]
    )
    assert resumed["final_eval_loss"] == pytest.approx(whole["final_eval_loss"], abs=1e-5)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The same runs without interruption, one per method."""
    runs = {}
    for method in ("lora", "full"):
        out = tmp_path_factory.mktemp(f"whole-{method}")
        summary, events = _run(out, method=method, checkpoint_every=3)
        assert summary is not None
        assert summary["resumed_from_step"] is None
        assert not any(e["event"] == "resumed" for e in events)
        assert not (out / CHECKPOINT_DIR).exists(), "a finished run removes its checkpoint"
        runs[method] = summary
    return runs


def test_a_crashed_lora_run_resumes_from_its_last_checkpoint(
    uninterrupted: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    with pytest.raises(Interrupted):
        _run(tmp_path, _crash_at(5), method="lora", checkpoint_every=3)
    assert (tmp_path / CHECKPOINT_DIR / STATE_FILE).is_file()
    assert not list((tmp_path / CHECKPOINT_DIR).glob("*.tmp-*")), "no temporary file left"

    summary, events = _run(tmp_path, method="lora", checkpoint_every=3)
    assert summary is not None
    kinds = [e["event"] for e in events]
    assert kinds[:2] == ["started", "resumed"]
    assert events[1]["step"] == 3 and events[1]["total"] == 8
    assert _steps(events) == [4, 5, 6, 7, 8]
    assert summary["resumed_from_step"] == 3
    _assert_same_curves(summary, uninterrupted["lora"])
    assert summary["tokens_seen"] == uninterrupted["lora"]["tokens_seen"]
    assert not (tmp_path / CHECKPOINT_DIR).exists(), "removed once result.json is written"
    assert (tmp_path / "result.json").is_file()


def test_a_cancelled_full_run_checkpoints_where_it_stops_and_resumes_there(
    uninterrupted: dict[str, dict[str, Any]], tmp_path: Path
) -> None:
    cancel = CancelToken()

    def sigterm_at_step_5(event: str, payload: dict[str, Any]) -> None:
        if event == "step" and payload["step"] == 5:
            cancel.requested = True  # what the SIGTERM handler does

    with pytest.raises(Cancelled) as stopped:
        _run(tmp_path, sigterm_at_step_5, cancel, method="full", checkpoint_every=3)
    assert stopped.value.step == 5
    assert (tmp_path / CHECKPOINT_DIR / STATE_FILE).is_file(), "a cancelled run keeps it"

    summary, events = _run(tmp_path, method="full", checkpoint_every=3)
    assert summary is not None
    assert next(e for e in events if e["event"] == "resumed")["step"] == 5
    assert _steps(events) == [6, 7, 8]
    assert summary["resumed_from_step"] == 5
    _assert_same_curves(summary, uninterrupted["full"])
    assert not (tmp_path / CHECKPOINT_DIR).exists()


@pytest.fixture(scope="module")
def left_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checkpoint written at step 2 of a 4-step LoRA run that then crashed."""
    out = tmp_path_factory.mktemp("left")
    with pytest.raises(Interrupted):
        _run(out, _crash_at(3), method="lora", max_steps=4, eval_every=2, checkpoint_every=2)
    path = out / CHECKPOINT_DIR / STATE_FILE
    assert path.is_file()
    return path


def _with_checkpoint(source: Path, output_dir: Path) -> Path:
    target = output_dir / CHECKPOINT_DIR / STATE_FILE
    target.parent.mkdir(parents=True)
    shutil.copyfile(source, target)
    return target


def test_a_checkpoint_of_another_config_is_ignored(left_checkpoint: Path, tmp_path: Path) -> None:
    _with_checkpoint(left_checkpoint, tmp_path)
    summary, events = _run(
        tmp_path, method="lora", max_steps=4, eval_every=2, checkpoint_every=2, seed=7
    )
    assert summary is not None
    assert not any(e["event"] == "resumed" for e in events)
    assert _steps(events) == [1, 2, 3, 4]
    assert summary["resumed_from_step"] is None
    assert not (tmp_path / CHECKPOINT_DIR).exists()


def test_a_truncated_checkpoint_is_ignored_with_a_warning(
    left_checkpoint: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = _with_checkpoint(left_checkpoint, tmp_path)
    data = left_checkpoint.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    with caplog.at_level(logging.WARNING, logger="faceoff.checkpoint"):
        summary, events = _run(
            tmp_path, method="lora", max_steps=4, eval_every=2, checkpoint_every=2
        )
    assert summary is not None
    assert not any(e["event"] == "resumed" for e in events)
    assert _steps(events) == [1, 2, 3, 4]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("ignoring the checkpoint" in w and "cannot be read" in w for w in warnings), warnings


def test_the_identity_covers_what_training_computes_and_nothing_else(tmp_path: Path) -> None:
    base = {"run_id": "a", "task": "customer_service", "max_steps": 10}
    identity = checkpoint_identity(parse_config(base), 1e-3, 1)
    same = parse_config({**base, "run_id": "b", "deploy_requests": 0, "checkpoint_every": 2})
    assert checkpoint_identity(same, 1e-3, 1) == identity
    for change in (
        {"seed": 1},
        {"method": "full"},
        {"max_steps": 11},
        {"batch_size": 4},
        {"learning_rate": 0.01},
        {"lora": {"r": 2}},
        {"task": "data_analysis"},
        {"model": "smollm2-135m"},
    ):
        assert checkpoint_identity(parse_config({**base, **change}), 1e-3, 1) != identity, change
    assert checkpoint_identity(parse_config(base), 2e-3, 1) != identity
    assert checkpoint_identity(parse_config(base), 1e-3, 2) != identity
    dataset = tmp_path / "data.jsonl"
    dataset.write_text('{"prompt": "a", "completion": "b"}\n')
    on_data = parse_config({**base, "task": "dataset", "dataset_path": str(dataset)})
    before = checkpoint_identity(on_data, 1e-3, 1)
    dataset.write_text('{"prompt": "a", "completion": "c"}\n')
    assert checkpoint_identity(on_data, 1e-3, 1) != before, "the same path with other contents"


def test_the_default_cadence_is_a_quarter_of_the_run_at_most_once_a_minute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(checkpoint_module.time, "monotonic", lambda: clock[0])
    raw = {"run_id": "a", "task": "customer_service", "max_steps": 100}
    default = parse_config(raw)
    every = Checkpointer.for_run(default, tmp_path, 1e-3, 0.0)
    assert (every.every, every.timed) == (25, True)
    clock[0] += 30
    assert not every.due(25), "within a minute of the start: a short run writes none"
    clock[0] += 31
    assert every.due(25) and not every.due(26)
    every.last_saved_at = clock[0]
    clock[0] += 600
    assert every.due(31), "ten minutes since the last one, whatever the step"
    given = Checkpointer.for_run(parse_config({**raw, "checkpoint_every": 3}), tmp_path, 1e-3, 0.0)
    assert not given.timed and given.due(3) and not given.due(4)
    none = Checkpointer.for_run(parse_config({**raw, "checkpoint_every": 0}), tmp_path, 1e-3, 0.0)
    clock[0] += 10_000
    assert not none.due(25)


SHORT_WRITE = "[enforce fail at inline_container.cc:672] . unexpected pos 224576 vs 224528"


def test_a_checkpoint_on_a_full_disk_is_skipped_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """On a size-limited filesystem torch.save's zip writer fails with a short write (a
    RuntimeError, not an OSError): the checkpoint is skipped with a warning and training goes on;
    any other error while saving is not hidden."""

    def short_write(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(SHORT_WRITE)

    monkeypatch.setattr(checkpoint_module.torch, "save", short_write)
    with caplog.at_level(logging.WARNING):
        summary, events = _run(tmp_path / "full-disk", checkpoint_every=2, max_steps=4)
    assert summary is not None
    assert _steps(events) == [1, 2, 3, 4]
    assert any("could not write the checkpoint at step 2" in r.getMessage() for r in caplog.records)
    assert not list((tmp_path / "full-disk").glob(f"{CHECKPOINT_DIR}/{STATE_FILE}*"))

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug in what is saved")

    monkeypatch.setattr(checkpoint_module.torch, "save", broken)
    with pytest.raises(RuntimeError, match="a bug in what is saved"):
        _run(tmp_path / "bug", checkpoint_every=2, max_steps=4)


def test_a_short_write_is_reported_as_a_full_disk() -> None:
    from faceoff_trainer.errors import disk_full

    assert disk_full(RuntimeError(SHORT_WRITE))
    assert not disk_full(RuntimeError("shape mismatch"))
