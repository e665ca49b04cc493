#!/usr/bin/env bash
# Issue 16's compute benchmarks vs PyTorch, with the machine's FMA peak and bandwidth ceiling (see bench/compute.py).
# Usage: ./reprolab bench compute [--runs 3] [--rounds 9]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
echo "[bench] compiling lib and what it needs" >&2
./mvnw -q -B -o -Dbuild.dir.name="${BUILD_DIR_NAME:-target}" -pl lib -am compile
exec /usr/bin/python3 -u "$ROOT/bench/compute.py" "$@"
