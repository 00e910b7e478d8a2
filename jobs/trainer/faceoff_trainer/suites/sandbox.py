"""Run model-generated Python against unit tests in an isolated subprocess.

Isolation: `python3 -I` (no user site, no PYTHON* variables, no cwd on sys.path), an empty
environment, a fresh temporary working directory, a wall-clock timeout, CPU / memory / file-size
/ process limits, and `unshare -rn` (an empty network namespace) when the system permits it;
the harness also replaces `socket.socket` before the generated code runs. This is meant for
outputs of a model under evaluation, not for hostile code.
"""

from __future__ import annotations

import functools
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARKER = "__FACEOFF_RESULT__"
HARNESS = """
import json, socket
def _blocked(*args, **kwargs):
    raise OSError("network disabled in the evaluation sandbox")
socket.socket = _blocked
socket.create_connection = _blocked
_result = {{"passed": 0, "total": 0}}
try:
    _cases = json.loads({cases!r})
    _result["total"] = len(_cases)
    _ns = {{}}
    exec(compile({source!r}, "<generated>", "exec"), _ns)
    _fn = _ns[{name!r}]
    for _args, _expected in _cases:
        try:
            if _fn(*_args) == _expected:
                _result["passed"] += 1
        except Exception:
            pass
except BaseException:
    pass
print("\\n" + {marker!r} + json.dumps(_result))
"""


@dataclass(frozen=True)
class TestRun:
    compiled: bool
    passed: int
    total: int


def _limit_resources(cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))


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


def network_isolated() -> bool:
    return bool(_network_prefix())


def run_function_tests(
    source: str, name: str, cases: list[list[Any]], timeout_s: float = 5.0
) -> TestRun:
    total = len(cases)
    try:
        compile(source, "<generated>", "exec")
    except (SyntaxError, ValueError):
        return TestRun(compiled=False, passed=0, total=total)
    script = HARNESS.format(cases=json.dumps(cases), source=source, name=name, marker=MARKER)
    with tempfile.TemporaryDirectory(prefix="faceoff-sandbox-") as work:
        path = Path(work) / "run.py"
        path.write_text(script, encoding="utf-8")
        command = [*_network_prefix(), sys.executable, "-I", str(path)]
        try:
            done = subprocess.run(
                command,
                cwd=work,
                env={},
                capture_output=True,
                text=True,
                timeout=timeout_s,
                preexec_fn=lambda: _limit_resources(int(timeout_s) + 1),
            )
        except subprocess.TimeoutExpired:
            return TestRun(compiled=True, passed=0, total=total)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(MARKER):
            try:
                data = json.loads(line[len(MARKER) :])
            except ValueError:
                break
            return TestRun(compiled=True, passed=int(data["passed"]), total=total)
    return TestRun(compiled=True, passed=0, total=total)
