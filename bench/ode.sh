#!/usr/bin/env bash
# ODE solvers vs scipy solve_ivp RK45, same run (see docs/performance.md, "ODE solvers").
# Usage: bench/ode.sh [seconds-per-case]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir;
# ODE_BENCH=StiffBench for bench/stiff.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${BUILD_DIR_NAME:-target}"
if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
./mvnw -q -B -o -Dbuild.dir.name="$B" -pl lib -am compile
"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -cp "lib/$B/classes:tornado/$B/classes:random/$B/classes" \
  "org.reprolab.ode.bench.${ODE_BENCH:-OdeBench}" "$ROOT" "${1:-2}" 2>&1 | grep -v "incubator"
