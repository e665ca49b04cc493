#!/usr/bin/env bash
# Kernel startup and round-trip latency (see bench/kernel.py); called as ./reprolab bench kernel
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/reprolab" build
"$ROOT/reprolab" install-kernel "$ROOT/build/jupyter" >/dev/null
JUPYTER_PATH="$ROOT/build/jupyter" /usr/bin/python3 "$ROOT/bench/kernel.py" reprolab
