#!/usr/bin/env bash
# ODE solvers vs scipy solve_ivp RK45, same run (see docs/performance.md, "ODE solvers").
# Then the batched neural ODE (org.reprolab.ode.bench.NeuralOdeBench) vs bench/neural_ode_torch.py.
# Usage: bench/ode.sh [seconds-per-case]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir;
# ODE_BENCH=StiffBench for bench/stiff.sh; NEURAL_ODE_ROUNDS=7, NEURAL_ODE_BATCHES="1024 16384")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="${BUILD_DIR_NAME:-target}"
if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
cd "$ROOT"
./mvnw -q -B -o -Dbuild.dir.name="$B" -pl lib -am compile
run() {
  "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector \
    -cp "lib/$B/classes:tornado/$B/classes:random/$B/classes" "org.reprolab.ode.bench.$1" "$ROOT" "${@:2}" 2>&1 | grep --line-buffered -v "incubator"
}
if [[ -n "${ODE_BENCH:-}" ]]; then run "$ODE_BENCH" "${1:-2}"; exit; fi
echo "== small ODEs vs scipy RK45"
run OdeBench "${1:-2}"
# the batched neural ODE vs the same loops in PyTorch (OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for the peer)
echo "== batched neural ODE (MLP field) vs PyTorch; load average: $(cat /proc/loadavg)"
run NeuralOdeBench "${NEURAL_ODE_ROUNDS:-7}" ${NEURAL_ODE_BATCHES:-1024 16384}
