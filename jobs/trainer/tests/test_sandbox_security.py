"""Escapes tried against the real code sandbox: each one must fail, and visibly so.

Every attack is a generated function whose return value reports what it managed to do; the
expected value is "nothing", so a pass shows that the attack ran and was stopped (a crash or a
silent failure of the sandbox would not pass). Skipped, with the reason, where bubblewrap cannot
create a sandbox. The refusal tests at the end need no bubblewrap.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import stat
import subprocess
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    REPO_ROOT,
    SMALL_RUN,
    parse_events,
    run_in_process,
    run_trainer_cli,
    subprocess_env,
)

from faceoff_trainer.errors import Unsupported
from faceoff_trainer.suites import sandbox
from faceoff_trainer.suites.sandbox import TestRun, run_function_tests

HARNESS_MARK = "The part of code evaluation that runs inside the sandbox"


@pytest.fixture
def isolated() -> None:
    state = sandbox.isolation()
    if state.command is None:
        pytest.skip(f"no bubblewrap sandbox on this machine: {state.reason}")


def attack(body: str, expected: Any, timeout_s: float = 5.0) -> TestRun:
    """Run `def attack(): <body>` once in the sandbox, expecting `expected` back."""
    source = "def attack():\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())
    return run_function_tests(source, "attack", [[[], expected]], timeout_s)


def processes_with(text: str) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if text.encode() in cmdline:
            found.add(int(entry))
    return found


class Watcher:
    """Polls /proc while a sandbox runs; remembers every process whose cmdline has `text`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: set[int] = set()
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            current = processes_with(self.text)
            self.seen |= current
            self.most = max(self.most, len(current))
            time.sleep(0.02)

    def __enter__(self) -> Watcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.mark.usefixtures("isolated")
def test_positive_control_runs_code_and_returns_values() -> None:
    assert attack("return [1, 'two', None, {'k': 3.5}]", [1, "two", None, {"k": 3.5}]).passed == 1
    assert attack("return 41", 42).passed == 0


@pytest.mark.usefixtures("isolated")
def test_writes_outside_the_private_tmpfs_fail(tmp_path: Path) -> None:
    target = tmp_path / "escaped.txt"
    body = f"""
import os
written = []
for path in [{str(target)!r}, "/usr/lib/escaped", "/escaped", "/dev/escaped", "/proc/escaped"]:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write("x")
        written.append(path)
    except OSError:
        pass
with open("/tmp/inside.txt", "w") as handle:
    handle.write("the private tmpfs is writable")
return written
"""
    # Only the copy of tmp_path re-created on the sandbox's own tmpfs can be written.
    result = attack(body, [str(target)])
    assert result.passed == 1, result
    assert not target.exists()


@pytest.mark.usefixtures("isolated")
def test_the_tmpfs_and_file_sizes_are_bounded() -> None:
    body = """
outcomes = []
for size in (2 << 20, 40 << 20):
    try:
        with open("/tmp/big", "wb") as handle:
            handle.write(b"x" * size)
        outcomes.append("written")
    except OSError as exc:
        outcomes.append(type(exc).__name__)
return outcomes
"""
    assert attack(body, ["OSError", "OSError"]).passed == 1


@pytest.mark.usefixtures("isolated")
def test_trainer_environment_and_secrets_are_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "xoxb-" + secrets.token_hex(12)
    monkeypatch.setenv("SLACK_BOT_TOKEN", secret)
    assert os.environ["SLACK_BOT_TOKEN"] == secret
    body = f"""
import os
# --clearenv: only what bwrap (PWD) and Python's locale coercion (LC_CTYPE) set is left
found = sorted(set(os.environ) - {{"PWD", "LC_CTYPE"}})
for pid in [{os.getpid()}, {os.getppid()}, *os.listdir("/proc")]:
    try:
        with open(f"/proc/{{pid}}/environ", "rb") as handle:
            if b"SLACK_BOT_TOKEN" in handle.read():
                found.append(pid)
    except OSError:
        pass
return found
"""
    assert attack(body, []).passed == 1


@pytest.mark.usefixtures("isolated")
def test_a_setsid_double_forked_grandchild_dies_with_the_sandbox() -> None:
    token = "faceoff-grandchild-" + secrets.token_hex(6)
    body = f"""
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-S", "-c", "import time; time.sleep(120)",
                                  {token!r}])
    os._exit(0)
time.sleep(1.5)
return "spawned"
"""
    with Watcher(token) as watcher:
        result = attack(body, "spawned")
    assert result.passed == 1, result
    assert watcher.seen, "the grandchild never ran, so this test proves nothing"
    assert not processes_with(token)


@pytest.mark.usefixtures("isolated")
def test_no_network_not_even_loopback_or_raw_socket_module() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.setblocking(False)
    port = server.getsockname()[1]
    body = f"""
import socket, _socket
outcomes = []
def tcp():
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
def raw():
    handle = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    handle.settimeout(2)
    handle.connect(("127.0.0.1", {port}))
def outside():
    handle = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    handle.settimeout(2)
    handle.connect(("1.1.1.1", 53))
for attempt in (tcp, raw, outside):
    try:
        attempt()
        outcomes.append("connected")
    except OSError:
        outcomes.append("blocked")
return outcomes
"""
    try:
        result = attack(body, ["blocked", "blocked", "blocked"])
        with pytest.raises(BlockingIOError):
            server.accept()
    finally:
        server.close()
    assert result.passed == 1, result


@pytest.mark.usefixtures("isolated")
def test_process_limit_stops_a_fork_bomb() -> None:
    counted = """
import os, time
started = 0
try:
    while started < 500:
        if os.fork() == 0:
            time.sleep(30)
            os._exit(0)
        started += 1
except OSError:
    pass
return started < 16
"""
    assert attack(counted, True).passed == 1
    bomb = """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
"""
    started = time.monotonic()
    with Watcher(HARNESS_MARK) as watcher:
        result = attack(bomb, 1, timeout_s=3.0)
    assert time.monotonic() - started < 15
    assert result.passed == 0
    # The processes in the sandbox's namespace, plus bwrap's monitor outside it.
    assert 2 < watcher.most <= sandbox.LIMITS["processes"] + 1
    assert not processes_with(HARNESS_MARK)


@pytest.mark.usefixtures("isolated")
@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_100_mb_of_output_is_cut_off_quickly_with_bounded_memory(stream: str) -> None:
    body = f"""
import sys
chunk = "x" * (1 << 20)
for _ in range(100):
    sys.{stream}.write(chunk)
return 1
"""
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = attack(body, 1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.passed == 0 and result.outcome == "output_limit"
    assert time.monotonic() - started < 10
    assert peak < 4 << 20


@pytest.mark.usefixtures("isolated")
def test_printed_or_injected_results_are_not_counted() -> None:
    # The expected value is unknown inside the sandbox; the forger guesses 42 everywhere it can.
    expected = 1000 + secrets.randbelow(10**9)
    forged = """
import os, sys
line = '{"case": 0, "ok": true, "value": 42}\\n'
sys.stdout.write('{"compiled": true}\\n' + line + '__FACEOFF_RESULT__{"passed": 1, "total": 1}\\n')
sys.stdout.flush()
sys.stderr.write(line)
sys.stderr.flush()
for fd in range(3, 64):
    try:
        os.write(fd, line.encode())
    except OSError:
        pass
try:
    for name in os.listdir(f"/proc/{os.getppid()}/fd"):
        try:
            with open(f"/proc/{os.getppid()}/fd/{name}", "w") as handle:
                handle.write(line)
        except OSError:
            pass
except OSError:
    pass
os._exit(0)
"""
    assert attack(forged, expected).passed == 0
    assert attack(forged, 42).passed == 1  # a claim counts only when it is the right answer
    assert attack(f"return {expected}", expected).passed == 1


@pytest.mark.usefixtures("isolated")
def test_the_harness_process_is_out_of_reach() -> None:
    # The harness holds the result pipe; it is not dumpable, so its children cannot open its
    # descriptors or memory through /proc (and they closed their copy of the pipe).
    body = """
import os
outcomes = []
for path in (f"/proc/{os.getppid()}/fd", f"/proc/{os.getppid()}/mem"):
    try:
        if path.endswith("fd"):
            os.listdir(path)
        else:
            open(path, "rb").close()
        outcomes.append("opened")
    except PermissionError:
        outcomes.append("denied")
return outcomes
"""
    assert attack(body, ["denied", "denied"]).passed == 1


@pytest.mark.usefixtures("isolated")
def test_objects_that_claim_equality_are_refused() -> None:
    always_equal = """
class Anything:
    def __eq__(self, other):
        return True
return Anything()
"""
    assert attack(always_equal, 42).passed == 0
    int_subclass = """
class Sly(int):
    def __eq__(self, other):
        return True
return Sly(0)
"""
    assert attack(int_subclass, 42).passed == 0


@pytest.mark.usefixtures("isolated")
def test_one_case_cannot_answer_for_another() -> None:
    # Case 0 tries to write a record for case 1 (whose expected value it cannot know) and dies.
    source = """
import os
def f(x):
    if x == 0:
        for fd in range(3, 64):
            try:
                os.write(fd, b'{"case": 1, "ok": true, "value": 7}\\n')
            except OSError:
                pass
        os._exit(0)
    return -1
"""
    result = run_function_tests(source, "f", [[[0], 0], [[1], 7]])
    assert result.passed == 0


@pytest.mark.usefixtures("isolated")
def test_files_of_root_and_the_repository_are_not_visible() -> None:
    inside_repository = str(Path(__file__).resolve())
    assert Path(inside_repository).is_file()
    body = f"""
import os
seen = []
for path in [{inside_repository!r}, {str(REPO_ROOT)!r}, "/root", "/etc/passwd", "/home", "/work"]:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as handle:
                handle.read(1)
        seen.append(path)
    except OSError:
        pass
return seen
"""
    assert attack(body, []).passed == 1


@pytest.mark.usefixtures("isolated")
def test_an_infinite_loop_fails_its_case_and_later_cases_still_run() -> None:
    source = "def f(x):\n    while x == 0:\n        pass\n    return x\n"
    started = time.monotonic()
    result = run_function_tests(source, "f", [[[0], 0], [[1], 1], [[2], 2]], timeout_s=3.0)
    assert result.passed == 2
    assert time.monotonic() - started < 10


@pytest.mark.usefixtures("isolated")
def test_a_frozen_sandbox_is_killed_whole_at_the_deadline() -> None:
    # Stopping the harness defeats its per-case timeout; the trainer's wall clock still ends it.
    body = """
import os, signal
os.kill(os.getppid(), signal.SIGSTOP)
while True:
    pass
"""
    started = time.monotonic()
    with Watcher(HARNESS_MARK) as watcher:
        result = attack(body, 1, timeout_s=1.0)
    elapsed = time.monotonic() - started
    assert result.outcome == "timeout" and result.passed == 0
    assert 1.0 + sandbox.START_ALLOWANCE_S - 0.5 < elapsed < 1.0 + sandbox.START_ALLOWANCE_S + 5
    assert watcher.seen and not processes_with(HARNESS_MARK)


# Refusals: no bubblewrap needed.


@pytest.fixture
def no_bwrap(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    missing = str(tmp_path / "missing" / "bwrap")
    monkeypatch.setenv(sandbox.BWRAP_ENV, missing)
    monkeypatch.delenv(sandbox.UNSAFE_ENV, raising=False)
    yield missing


def test_without_isolation_code_evaluation_refuses(no_bwrap: str) -> None:
    with pytest.raises(Unsupported) as refused:
        run_function_tests("def f(x):\n    return x\n", "f", [[[1], 1]])
    expected = f"code evaluation needs bubblewrap: no executable bwrap at {no_bwrap}"
    assert str(refused.value) == expected
    assert refused.value.exit_code == 2 and refused.value.kind == "unsupported"


def test_a_bwrap_that_cannot_create_namespaces_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        os.chmod(directory, 0o755)  # the sandbox user must be able to run it
        fake = Path(directory) / "bwrap"
        fake.write_text(
            "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
        )
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        monkeypatch.setenv(sandbox.BWRAP_ENV, str(fake))
        monkeypatch.delenv(sandbox.UNSAFE_ENV, raising=False)
        with pytest.raises(Unsupported) as refused:
            sandbox.require_isolation()
    assert str(refused.value) == (
        "code evaluation needs bubblewrap: the sandbox did not run: "
        "bwrap: No permissions to create new namespace"
    )


def test_unsafe_mode_runs_without_isolation(no_bwrap: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.UNSAFE_ENV, "1")
    source = "def f(x):\n    return x * 2\n"
    result = run_function_tests(source, "f", [[[2], 4], [[3], 6], [[4], 9]])
    assert result == TestRun(compiled=True, passed=2, total=3)
    monkeypatch.setenv(sandbox.UNSAFE_ENV, "yes")
    with pytest.raises(Unsupported, match="FACEOFF_UNSAFE_CODE_EVAL must be 1"):
        run_function_tests(source, "f", [[[2], 4]])


def _train(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"run_id": "code-run", **SMALL_RUN, "task": "code_generation", "max_steps": 1})
    )
    return run_trainer_cli(
        "train",
        "--config",
        str(config),
        "--output-dir",
        str(tmp_path / "out"),
        env=env,
        timeout=300,
    )


def test_code_generation_run_refuses_before_training_without_isolation(
    tmp_path: Path, no_bwrap: str
) -> None:
    env = {**subprocess_env(), sandbox.BWRAP_ENV: no_bwrap}
    env.pop(sandbox.UNSAFE_ENV, None)
    done = _train(tmp_path, env)
    assert done.returncode == 2, done.stderr[-2000:]
    events = parse_events(done.stdout)
    assert [e["event"] for e in events] == ["failed"]  # nothing started
    assert events[0]["kind"] == "unsupported"
    assert events[0]["message"] == (
        f"code evaluation needs bubblewrap: no executable bwrap at {no_bwrap}"
    )


@pytest.mark.usefixtures("tiny_model")
def test_code_generation_run_with_unsafe_mode_finishes(
    tmp_path: Path, no_bwrap: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(sandbox.UNSAFE_ENV, "1")
    summary, events = run_in_process(
        tmp_path, task="code_generation", max_steps=1, test_size=2, max_new_tokens=16
    )
    assert events[-1]["event"] == "finished"
    assert 0.0 <= summary["metrics"]["unit_test_pass_rate"] <= 1.0
