"""Run model-generated Python against unit tests inside a bubblewrap (bwrap) sandbox.

Isolation. Every evaluated output gets one `bwrap` sandbox: new PID, network, IPC, UTS, cgroup
and user namespaces (`--unshare-all --unshare-user`, no capabilities inside, nested user
namespaces disabled with `--disable-userns`), `--die-with-parent`, `--new-session` and
`--clearenv`. The file system is a read-only root holding only the interpreter and its
libraries (/usr/lib, /usr/lib64 and the interpreter binary, plus the /bin, /lib, /lib64
symlinks or read-only binds), a private /proc, a read-only minimal /dev, and a 16 MiB tmpfs at
/tmp: the only writable place. When the trainer runs as root, bwrap itself is started as
uid/gid 65534 (nobody), so the sandbox holds no privilege outside its namespaces and the kernel
enforces RLIMIT_NPROC (it never does for uid 0).

Interpreter. Inside, the harness runs on the system Python, /usr/bin/python3, when it exists:
it lives under /usr, needs no extra mount and reveals nothing of the trainer's installation.
Otherwise the trainer's own installation (sys.base_prefix) is bound read-only at its path,
which must then be readable by the sandbox user. The harness is compatible with Python 3.8+.

Limits, applied by the harness before any generated code runs: address space 256 MiB and at
most 16 processes (RLIMIT_AS, RLIMIT_NPROC, counted inside the sandbox's user namespace), file
size 1 MiB, 64 open files, no core dumps, and CPU time per test case (no cgroup is used, so
memory is bounded per process: at most 16 x 256 MiB of address space). The wall clock is capped
per case inside and for the whole sandbox outside (`timeout_s` plus a start allowance), after
which the whole sandbox is killed. stdout and stderr share one pipe that the trainer reads
incrementally up to 64 KiB; more output kills the sandbox and fails the output (outcome
`output_limit`). Memory in the trainer stays bounded: at most 64 KiB of output and 1 MiB of
results are ever buffered.

Protocol, and why a pass cannot be forged. The harness (sandbox_harness.py) gets the source, the
function name and each case's arguments; the expected values never enter the sandbox. For each
case it forks a fresh child that runs the source, calls the function and writes the returned
value as plain JSON to a pipe of its own; the harness forwards it, labelled with the index of the
case it forked the child for, over a dedicated result pipe. Children close the result pipe before
any generated code runs and the harness is non-dumpable, so generated code cannot reach it. What
the code prints goes to stdout/stderr, which is never parsed: a printed marker proves nothing,
and `os._exit(0)` leaves the case without a value (failed). Generated code can write to its own
case pipe and so claim any value for its own case, exactly as it can return any value: the
trainer decodes the JSON (plain types only, so no object, subclass or custom __eq__ ever reaches
the comparison) and compares it with the expected value itself, with Python's == (1 == 1.0 ==
True as in a Python test; tuples arrive as lists). Matching a value the sandbox never saw is
computing the right answer, so even a sandbox taken over completely passes a case only by
answering it correctly. A case reported twice fails. Between cases the harness kills every
other process in the sandbox, so nothing outlives its case, and the PID namespace ends with the
sandbox.

Without isolation (bwrap missing, or it cannot create the sandbox, e.g. user namespaces
disabled; probed once per process and cached: the probe runs code in a sandbox and checks that
it holds no capabilities and that the process limit stops a fork loop) evaluation refuses with
the failure kind
`unsupported`: "code evaluation needs bubblewrap: <reason>". `FACEOFF_BWRAP` names the bwrap
binary (default: `bwrap` on PATH). The operator may set `FACEOFF_UNSAFE_CODE_EVAL=1` to run
without it: the same harness and protocol in a `python3 -I -S` subprocess with the same
resource limits and an empty network namespace (`unshare -rn`) where permitted. That is not an
isolation boundary (the code can read and write whatever the trainer's user can) and is only
for trusted models on throwaway machines.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faceoff_trainer.errors import Unsupported

log = logging.getLogger("faceoff.sandbox")

BWRAP_ENV = "FACEOFF_BWRAP"
UNSAFE_ENV = "FACEOFF_UNSAFE_CODE_EVAL"
SANDBOX_ID = 65534  # uid/gid for bwrap when the trainer runs as root (nobody)
SYSTEM_PYTHON = Path("/usr/bin/python3")
OUTPUT_LIMIT = 64 * 1024
RESULT_LIMIT = 1 << 20
TMPFS_BYTES = 16 << 20
START_ALLOWANCE_S = 5.0  # bwrap and interpreter start-up on a loaded machine
MIN_CASE_SECONDS = 0.5
LIMITS = {
    "address_space": 256 << 20,
    "processes": 16,
    "file_size": 1 << 20,
    "open_files": 64,
}
PROBE_SOURCE = """
import os, time
def probe():
    started = 0
    try:
        while started < 64:
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
            started += 1
    except OSError:
        pass
    with open("/proc/self/status") as status:
        caps = [line.split()[1] for line in status if line.startswith("CapEff:")]
    return [started, caps[0] if caps else "?", os.getuid()]
"""


@dataclass(frozen=True)
class TestRun:
    compiled: bool
    passed: int
    total: int
    outcome: str = "finished"  # finished | timeout | output_limit | result_limit


@dataclass(frozen=True)
class Isolation:
    """How generated code is run here: `command` is None when no sandbox is available."""

    command: tuple[str, ...] | None
    user: int | None
    reason: str


@dataclass(frozen=True)
class Execution:
    records: bytes
    output: bytes
    outcome: str


@functools.cache
def harness_source() -> str:
    return Path(__file__).with_name("sandbox_harness.py").read_text(encoding="utf-8")


def bwrap_path() -> str:
    """FACEOFF_BWRAP (a path, or a name looked up on PATH), else `bwrap` on PATH; "" if none."""
    named = os.environ.get(BWRAP_ENV)
    if named:
        return shutil.which(named) or named
    return shutil.which("bwrap") or ""


def unsafe_allowed() -> bool:
    value = os.environ.get(UNSAFE_ENV, "")
    if value not in ("", "0", "1"):
        raise Unsupported(f"{UNSAFE_ENV} must be 1 (or unset), got {value!r}")
    return value == "1"


def sandbox_python() -> tuple[str, tuple[str, ...]]:
    """(interpreter inside the sandbox, extra directories to bind read-only)."""
    if SYSTEM_PYTHON.exists():
        return os.path.realpath(SYSTEM_PYTHON), ()
    executable = os.path.realpath(sys.executable)
    prefix = os.path.realpath(sys.base_prefix)
    if not executable.startswith(prefix + os.sep):
        raise ValueError(f"the interpreter {executable} is not inside {prefix}")
    return executable, (prefix,)


def bwrap_command(bwrap: str, python: str, binds: tuple[str, ...]) -> list[str]:
    command = [
        bwrap,
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        str(SANDBOX_ID),
        "--gid",
        str(SANDBOX_ID),
        "--hostname",
        "sandbox",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ]
    for directory in ("/usr/lib", "/usr/lib64", *binds):
        if os.path.isdir(directory):
            command += ["--ro-bind", directory, directory]
    if not any(python.startswith(d + os.sep) for d in binds):
        command += ["--ro-bind", python, python]
    for name in ("/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(name):
            command += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            command += ["--ro-bind", name, name]
    command += [
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--remount-ro",
        "/dev",
        "--size",
        str(TMPFS_BYTES),
        "--tmpfs",
        "/tmp",
        "--chdir",
        "/tmp",
        "--remount-ro",
        "/",
        "--",
        python,
    ]
    return command


def _harness_argv(prefix: list[str] | tuple[str, ...]) -> list[str]:
    return [*prefix, "-I", "-S", "-c", harness_source()]


def _execute(
    command: list[str], payload: dict[str, Any], user: int | None, sweep: bool, wall_s: float
) -> Execution:
    """Run the harness; read stdout/stderr and the result pipe incrementally, with caps."""
    result_read, result_write = os.pipe()
    extra: dict[str, Any] = {}
    if user is not None:
        extra = {"user": user, "group": user, "extra_groups": []}
    output = bytearray()
    records = bytearray()
    outcome = "finished"
    with tempfile.TemporaryFile() as stdin:
        stdin.write(json.dumps(payload).encode("utf-8"))
        stdin.seek(0)
        try:
            process = subprocess.Popen(
                [*command, str(result_write), "sweep" if sweep else "plain"],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(result_write,),
                cwd="/",
                env={},
                start_new_session=True,
                **extra,
            )
        except BaseException:
            os.close(result_read)
            raise
        finally:
            os.close(result_write)
    assert process.stdout is not None
    output_fd = process.stdout.fileno()
    deadline = time.monotonic() + wall_s
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(output_fd, selectors.EVENT_READ)
            selector.register(result_read, selectors.EVENT_READ)
            while selector.get_map() and outcome == "finished":
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    outcome = "timeout"
                    break
                for key, _ in selector.select(remaining):
                    chunk = os.read(key.fd, 65536)
                    if not chunk:
                        selector.unregister(key.fd)
                    elif key.fd == output_fd:
                        output += chunk[: OUTPUT_LIMIT - len(output) + 1]
                        if len(output) > OUTPUT_LIMIT:
                            outcome = "output_limit"
                    else:
                        records += chunk[: RESULT_LIMIT - len(records) + 1]
                        if len(records) > RESULT_LIMIT:
                            outcome = "result_limit"
    finally:
        _kill(process)
        os.close(result_read)
        process.stdout.close()
    return Execution(bytes(records), bytes(output[:OUTPUT_LIMIT]), outcome)


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill the sandbox: bwrap's death takes its PID namespace, and everything in it, along.
    Without bwrap, the process group is the most that can be reached."""
    if process.poll() is None:
        process.kill()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        log.warning("sandbox process %d did not exit after SIGKILL", process.pid)


def _parse(records: bytes, total: int) -> tuple[bool, dict[int, Any]]:
    """(compiled, {case index: returned value}) from the harness's result pipe."""
    compiled = False
    values: dict[int, Any] = {}
    failed: set[int] = set()
    seen: set[int] = set()
    for line in records.split(b"\n")[:-1]:  # the last piece is empty or incomplete
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            continue
        if not isinstance(record, dict):
            continue
        if "compiled" in record:
            compiled = record["compiled"] is True
            continue
        index = record.get("case")
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < total:
            continue
        if index in seen:
            failed.add(index)  # reported twice: trust neither
        seen.add(index)
        if record.get("ok") is True and "value" in record:
            values[index] = record["value"]
    return compiled, {i: v for i, v in values.items() if i not in failed}


def _unsafe_command() -> list[str]:
    return _harness_argv([*_network_prefix(), sys.executable])


@functools.cache
def _network_prefix() -> tuple[str, ...]:
    unshare = shutil.which("unshare")
    if not unshare:
        return ()
    try:
        probe = subprocess.run(
            [unshare, "-rn", sys.executable, "-I", "-c", "pass"],
            capture_output=True,
            timeout=10,
            env={},
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    return (unshare, "-rn") if probe.returncode == 0 else ()


@functools.cache
def probe_isolation(bwrap: str) -> Isolation:
    """Start one sandbox and check it: it runs code, has no capabilities, limits processes."""
    if not bwrap:
        return Isolation(None, None, "bwrap is not installed (Debian/Ubuntu package bubblewrap)")
    if not os.path.isfile(bwrap) or not os.access(bwrap, os.X_OK):
        return Isolation(None, None, f"no executable bwrap at {bwrap}")
    try:
        python, binds = sandbox_python()
    except ValueError as exc:
        return Isolation(None, None, f"no interpreter to run in the sandbox: {exc}")
    command = tuple(_harness_argv(bwrap_command(bwrap, python, binds)))
    user = SANDBOX_ID if os.geteuid() == 0 else None
    payload = _payload(PROBE_SOURCE, "probe", [[]], 10.0)
    try:
        done = _execute(list(command), payload, user, True, 30.0)
    except OSError as exc:
        return Isolation(None, None, f"could not start bwrap: {exc.strerror or exc}")
    compiled, values = _parse(done.records, 1)
    if not compiled or 0 not in values:
        lines = done.output.decode("utf-8", "replace").strip().splitlines()
        detail = lines[0] if lines and lines[0].startswith("bwrap:") else (lines or [""])[-1]
        detail = detail or f"no result ({done.outcome})"
        return Isolation(None, None, f"the sandbox did not run: {detail[:300]}")
    started, capabilities, uid = values[0]
    if started >= LIMITS["processes"]:
        return Isolation(None, None, f"the process limit is not enforced ({started} started)")
    if capabilities != "0000000000000000":
        return Isolation(None, None, f"the sandbox keeps capabilities ({capabilities})")
    log.info("code sandbox: bwrap %s, interpreter %s, sandbox uid %s", bwrap, python, uid)
    return Isolation(command, user, "")


def isolation() -> Isolation:
    return probe_isolation(bwrap_path())


def require_isolation() -> None:
    """Refuse (Unsupported) when generated code cannot be isolated, unless the operator has
    allowed the weaker fallback with FACEOFF_UNSAFE_CODE_EVAL=1."""
    state = isolation()
    if state.command is not None:
        return
    if unsafe_allowed():
        log.warning(
            "code sandbox unavailable (%s); %s=1: running generated code WITHOUT isolation",
            state.reason,
            UNSAFE_ENV,
        )
        return
    raise Unsupported(f"code evaluation needs bubblewrap: {state.reason}")


def _payload(source: str, name: str, arguments: list[Any], case_seconds: float) -> dict[str, Any]:
    return {
        "source": source,
        "name": name,
        "arguments": arguments,
        "case_seconds": case_seconds,
        "limits": LIMITS,
    }


def run_function_tests(
    source: str, name: str, cases: list[list[Any]], timeout_s: float = 5.0
) -> TestRun:
    """Run `name` from `source` on each case's arguments in the sandbox; count the cases whose
    returned value equals the expected one. `cases` is [[arguments, expected], ...];
    `timeout_s` is the wall-clock budget of all cases together."""
    for case in cases:
        if not isinstance(case, list | tuple) or len(case) != 2 or not isinstance(case[0], list):
            raise ValueError(f"a test case must be [arguments list, expected], got {case!r}")
    require_isolation()
    state = isolation()
    total = len(cases)
    case_seconds = max(MIN_CASE_SECONDS, timeout_s / max(1, total))
    payload = _payload(source, name, [list(args) for args, _ in cases], case_seconds)
    wall_s = case_seconds * max(1, total) + START_ALLOWANCE_S
    if state.command is not None:
        done = _execute(list(state.command), payload, state.user, True, wall_s)
    else:
        done = _execute(_unsafe_command(), payload, None, False, wall_s)
    compiled, values = _parse(done.records, total)
    if done.outcome == "output_limit":
        return TestRun(compiled=compiled, passed=0, total=total, outcome=done.outcome)
    expected = [case[1] for case in cases]
    passed = sum(1 for i, value in values.items() if value == expected[i])
    return TestRun(compiled=compiled, passed=passed, total=total, outcome=done.outcome)
