#!/usr/bin/env bash
# Shared by compute.sh and memory.sh: compiles lib and what it needs, then runs bench/NAME.py unbuffered (its progress lines show as they come).
# Usage: bench/python_bench.sh NAME [args]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
name="${1:?usage: bench/python_bench.sh NAME [args]}"; shift
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
echo "[bench] compiling lib and what it needs" >&2
./mvnw -q -B -o -Dbuild.dir.name="${BUILD_DIR_NAME:-target}" -pl lib -am compile
exec /usr/bin/python3 -u "$ROOT/bench/$name.py" "$@"
