"""Failures the trainer reports as `failed` events, each with its kind and exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_CANCELLED = 143
MAX_EVENT_ERRORS = 20


class TrainerFailure(Exception):
    """Base class: `kind` goes into the failed event, `exit_code` is the process status."""

    kind = "crash"
    exit_code = 1

    def event_fields(self) -> dict[str, object]:
        return {"kind": self.kind, "message": str(self)}


class BadConfig(TrainerFailure):
    kind = "bad_config"
    exit_code = EXIT_BAD_INPUT

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"config field '{field}': {message}")

    def event_fields(self) -> dict[str, object]:
        return {**super().event_fields(), "field": self.field}


class BadData(TrainerFailure):
    kind = "bad_data"
    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, errors: list[dict[str, object]] | None = None) -> None:
        self.errors = errors or []
        super().__init__(message)

    def event_fields(self) -> dict[str, object]:
        return {**super().event_fields(), "errors": self.errors[:MAX_EVENT_ERRORS]}


class Unsupported(TrainerFailure):
    kind = "unsupported"
    exit_code = EXIT_BAD_INPUT


class Cancelled(TrainerFailure):
    kind = "cancelled"
    exit_code = EXIT_CANCELLED

    def __init__(self, step: int | None, where: str | None = None) -> None:
        self.step = step
        if where is None:
            where = f"at step {step}" if step is not None else "before training started"
        super().__init__(f"cancelled by SIGTERM; stopped cleanly {where}")

    def event_fields(self) -> dict[str, object]:
        fields = super().event_fields()
        if self.step is not None:
            fields["step"] = self.step
        return fields


class OutOfMemory(TrainerFailure):
    kind = "oom"
    exit_code = 1

    def __init__(self, step: int, batch_size: int, device: str, detail: str) -> None:
        self.step = step
        self.batch_size = batch_size
        smaller = max(1, batch_size // 2)
        super().__init__(
            f"out of memory on {device} at step {step} with batch_size={batch_size}; "
            f"try batch_size={smaller} or gradient_checkpointing=true ({detail.splitlines()[0]})"
        )

    def event_fields(self) -> dict[str, object]:
        return {**super().event_fields(), "step": self.step, "batch_size": self.batch_size}


DISK_FULL_SIGNS = (
    "No space left on device",
    "Disk quota exceeded",
    "StorageFull",
    "Read-only file system",
    # torch.save's zip writer reports a short write this way, without the OS error: on a full
    # disk the file ends before the position it expected.
    "unexpected pos",
)


class DiskFull(TrainerFailure):
    """A write failed for lack of space (or a read-only disk): retrying on the same disk fails
    the same way, so the run is not retried."""

    kind = "disk_full"
    exit_code = 1

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(
            f"disk full on worker {host} while writing ({detail}); free space in the artifact "
            "directory or the cache on that worker, then retry"
        )


def disk_full(exc: BaseException) -> bool:
    """True for an out-of-space error, whichever library raised it (OSError, torch, safetensors)."""
    import errno

    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        return True
    text = str(exc)
    return any(sign in text for sign in DISK_FULL_SIGNS) or "os error 28" in text
