#!/usr/bin/env bash
# The whole test suite: TypeScript (node's test runner) and the Python trainer (pytest) side by side.
# The two share nothing (the trainer's tests start no services); pytest's output is printed after
# node's, and the suite fails when either does.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
pytest_log="$(mktemp)"
trap 'rm -f "$pytest_log"' EXIT
python3 -m pytest -q jobs/trainer/tests >"$pytest_log" 2>&1 &
pytest_pid=$!
node_status=0
node --import tsx --test --test-concurrency=1 --test-timeout=900000 "${files[@]}" || node_status=$?
pytest_status=0
wait "$pytest_pid" || pytest_status=$?
echo "--- pytest (jobs/trainer/tests) ---"
cat "$pytest_log"
if [ "$node_status" -ne 0 ] || [ "$pytest_status" -ne 0 ]; then
  echo "tests failed: node exit $node_status, pytest exit $pytest_status" >&2
  exit 1
fi
