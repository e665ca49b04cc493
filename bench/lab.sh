#!/usr/bin/env bash
# Lab's own overhead on the DESIGN snippet (5 optimizers x 2,000 Rosenbrock steps) vs the bare loop
# (see docs/performance.md, "Lab overhead").
# Usage: bench/lab.sh [rounds]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${BUILD_DIR_NAME:-target}"
if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
# compile, and write lib's class path (tornado's classes from the reactor, Smile and XChart jars) beside its classes
CP_FILE="$ROOT/lib/$B/lab-bench.classpath"
./mvnw -q -B -o -Dbuild.dir.name="$B" -pl lib -am compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=runtime >/dev/null
"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -cp "lib/$B/classes:tornado/$B/classes:random/$B/classes:$(cat "$CP_FILE")" \
  bench/LabBench.java "${1:-31}" 2>&1 | grep -v "incubator"
