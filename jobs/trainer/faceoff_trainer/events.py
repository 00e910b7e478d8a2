"""JSON-lines events on stdout, and SIGTERM -> clean cancellation at a step boundary."""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import time
from types import FrameType
from typing import Any, TextIO

from faceoff_trainer.errors import Cancelled


def _finite(value: Any) -> Any:
    """Replace NaN/inf by None so every line stays valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


class EventSink:
    """Writes one JSON object per line: {"event", "run_id", "time", ...fields}."""

    def __init__(self, run_id: str | None, stream: TextIO | None, enabled: bool = True) -> None:
        self.run_id = run_id
        self.stream = stream
        self.enabled = enabled and stream is not None
        self.history: list[dict[str, Any]] = []

    def emit(self, event: str, **payload: Any) -> dict[str, Any]:
        record = _finite({"event": event, "run_id": self.run_id, "time": time.time(), **payload})
        self.history.append(record)
        if self.enabled and self.stream is not None:
            self.stream.write(json.dumps(record, allow_nan=False) + "\n")
            self.stream.flush()
        return record


def claim_stdout_for_events() -> TextIO:
    """Keep the real stdout for events only; anything else printed goes to stderr.

    The original file descriptor 1 is duplicated for the event stream, then fd 1 is pointed at
    stderr, so stray prints from libraries (Python or C) cannot corrupt the JSON-lines stream.
    """
    sys.stdout.flush()
    event_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(event_fd, "w", buffering=1, encoding="utf-8")


class CancelToken:
    """Set by SIGTERM; checked by the training loop and the evaluation at safe boundaries."""

    def __init__(self) -> None:
        self.requested = False
        self.step: int | None = None

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True

    def check(self, step: int | None = None) -> None:
        if self.requested:
            raise Cancelled(step if step is not None else self.step)
