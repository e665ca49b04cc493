#!/usr/bin/env bash
# Issue 16 item 7: peak heap / off-heap / RSS of the MLP step and a 1M-sample sampler solve, ours vs PyTorch (see bench/memory.py).
# Usage: ./reprolab bench memory [--runs 3] [--java-opts '-Xmx512m']   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
echo "[bench] compiling lib and what it needs" >&2
./mvnw -q -B -o -Dbuild.dir.name="${BUILD_DIR_NAME:-target}" -pl lib -am compile
exec /usr/bin/python3 -u "$ROOT/bench/memory.py" "$@"
