#!/usr/bin/env bash
# Issue 3's compute benchmarks vs PyTorch (see bench/compute.py); called as ./reprolab bench compute
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/reprolab" build
/usr/bin/python3 "$ROOT/bench/compute.py" "$@"
