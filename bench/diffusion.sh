#!/usr/bin/env bash
# DPM-Solver++(2M) at 10 NFE on a 2-D mixture: ours (device-resident) vs PyTorch 1.13 (Debian, OPENBLAS_* overrides removed), interleaved rounds (docs/performance.md, "Diffusion sampling").
# Usage: bench/diffusion.sh [rounds]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir); prints progress lines as it runs
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${BUILD_DIR_NAME:-target}"
if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
./mvnw -q -B -o -Dbuild.dir.name="$B" -pl lib -am compile
"$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -XX:ActiveProcessorCount=2 -cp "lib/$B/classes:tornado/$B/classes:random/$B/classes" \
  org.reprolab.diffusion.bench.DiffusionBench "$ROOT" "${1:-7}" 2>&1 | grep --line-buffered -v "incubator"
