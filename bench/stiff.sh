#!/usr/bin/env bash
# Stiff solvers (Rodas4, Radau5) vs scipy Radau and BDF, same run (see docs/performance.md, "Stiff solvers").
# Usage: bench/stiff.sh [seconds-per-case]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${BUILD_DIR_NAME:-target}"
if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
./mvnw -q -B -o -Dbuild.dir.name="$B" -pl lib -am compile
"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -cp "lib/$B/classes:tornado/$B/classes:random/$B/classes" \
  org.reprolab.ode.bench.StiffBench "$ROOT" "${1:-1}" 2>&1 | grep -v "incubator"
