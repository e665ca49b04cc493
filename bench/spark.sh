#!/usr/bin/env bash
# A 64-run Lab sweep on the local pool, Spark local[1], local[2] and a standalone cluster (master + two
# 1-core workers as separate JVMs on 127.0.0.1), back to back (see docs/performance.md, "Lab on Spark").
# Usage: bench/spark.sh [steps per run, default 2000]   (builds the spark module and its SPARK_HOME first)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
CP_FILE="$ROOT/spark/target/bench.classpath"
./mvnw -q -B -pl spark -am package -DskipTests dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=test >/dev/null
cd spark
"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -Xss8m -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" \
  org.reprolab.spark.ScalingBench "${1:-2000}" 2>&1 | grep -v "incubator\| WARN "
