#!/usr/bin/env bash
# The whole test suite: TypeScript (node's test runner) then the Python trainer (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
node --import tsx --test --test-concurrency=1 --test-timeout=900000 "${files[@]}"
python3 -m pytest -q jobs/trainer/tests
