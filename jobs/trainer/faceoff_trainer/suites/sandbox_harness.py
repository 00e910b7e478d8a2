"""The part of code evaluation that runs inside the sandbox (the design is in sandbox.py).

Started as ``python3 -I -S -c <this file's source> RESULT_FD MODE`` with the task as JSON on
stdin: ``{"source", "name", "arguments": [[arg, ...], ...], "case_seconds", "limits"}``. Only
the arguments of each test case come in; the expected values never enter the sandbox.

Before any generated code runs, this process applies the resource limits, makes itself
non-dumpable (so its children cannot open its memory or descriptors through /proc), compiles
the source and writes ``{"compiled": bool}`` to RESULT_FD. Then, for each case, it forks a
child that closes RESULT_FD, executes the source, calls the function and writes one JSON line
to a pipe of its own: ``{"ok": true, "value": ...}`` (plain JSON types only) or
``{"ok": false, "error": ...}``. The parent reads that line (size and wall-clock capped), kills
the child and, in MODE ``sweep`` (a private PID namespace), every other process it may signal,
then forwards ``{"case": i, "ok": ..., "value"/"error": ...}`` to RESULT_FD. What generated code
prints goes to stdout/stderr, which the trainer caps and never parses.

Kept compatible with Python 3.8+, since the sandbox may run the system interpreter.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import signal
import sys
import time
from typing import Any

MESSAGE_LIMIT = 1 << 20
MAX_DEPTH = 64
PR_SET_DUMPABLE = 4


def plain(value: Any, depth: int = 0) -> Any:
    """The value as plain JSON data; refuses subclasses and objects (no custom __eq__)."""
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is str or kind is float:
        return value
    if depth >= MAX_DEPTH:
        raise ValueError("return value nested too deeply")
    if kind is list or kind is tuple:
        return [plain(item, depth + 1) for item in value]
    if kind is dict:
        result = {}
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("return value has a non-string dict key")
            result[key] = plain(item, depth + 1)
        return result
    raise TypeError(f"unsupported return type {kind.__name__[:80]}")


def apply_limits(limits: dict[str, int]) -> None:
    pairs = (
        (resource.RLIMIT_AS, limits["address_space"]),
        (resource.RLIMIT_NPROC, limits["processes"]),
        (resource.RLIMIT_FSIZE, limits["file_size"]),
        (resource.RLIMIT_NOFILE, limits["open_files"]),
        (resource.RLIMIT_CORE, 0),
    )
    for which, value in pairs:
        resource.setrlimit(which, (value, value))


def make_undumpable() -> None:
    """Children run generated code under the same uid: keep them out of /proc/<our pid>."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (ImportError, OSError, AttributeError):
        pass  # defence in depth only: see the module docstring of sandbox.py


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def send(fd: int, record: dict[str, Any]) -> None:
    write_all(fd, json.dumps(record).encode("ascii") + b"\n")


def run_child(code: Any, name: str, arguments: list[Any], channel: int, cpu: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    try:
        namespace: dict[str, Any] = {"__name__": "__generated__"}
        exec(code, namespace)
        value = namespace[name](*arguments)
        text = json.dumps({"ok": True, "value": plain(value)}, allow_nan=False)
    except BaseException as exc:
        text = json.dumps({"ok": False, "error": type(exc).__name__[:80]})
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    write_all(channel, text.encode("ascii") + b"\n")


def read_line(fd: int, seconds: float) -> tuple[bytes | None, str]:
    """The first line the child wrote, or (None, why not)."""
    deadline = time.monotonic() + seconds
    data = b""
    while b"\n" not in data:
        if len(data) > MESSAGE_LIMIT:
            return None, "result too large"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None, "timeout"
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return None, "exited without a result"
        data += chunk
    return data.split(b"\n", 1)[0], ""


def stop(pid: int, sweep: bool) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if sweep:
        with contextlib.suppress(OSError):  # every other process of the sandbox, never its init
            os.kill(-1, signal.SIGKILL)


def run_case(task: dict[str, Any], code: Any, index: int, result_fd: int, sweep: bool) -> None:
    seconds = float(task["case_seconds"])
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_fd)
            os.close(result_fd)
            cpu = int(seconds) + 1
            run_child(code, task["name"], task["arguments"][index], write_fd, cpu)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    line, problem = read_line(read_fd, seconds)
    os.close(read_fd)
    stop(pid, sweep)
    record: dict[str, Any] = {"case": index, "ok": False, "error": problem}
    if line is not None:
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            message = None
        if type(message) is dict and message.get("ok") is True and "value" in message:
            record = {"case": index, "ok": True, "value": message["value"]}
        elif type(message) is dict and message.get("ok") is False:
            record["error"] = str(message.get("error"))[:80]
        else:
            record["error"] = "malformed result"
    send(result_fd, record)


def main() -> None:
    result_fd = int(sys.argv[1])
    sweep = sys.argv[2] == "sweep" and os.getpid() in (1, 2)  # only in a private PID namespace
    task = json.loads(sys.stdin.buffer.read())
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    apply_limits(task["limits"])
    make_undumpable()
    try:
        code = compile(task["source"], "<generated>", "exec")
    except Exception:
        send(result_fd, {"compiled": False})
        return
    send(result_fd, {"compiled": True})
    for index in range(len(task["arguments"])):
        run_case(task, code, index, result_fd, sweep)


if __name__ == "__main__":
    main()
