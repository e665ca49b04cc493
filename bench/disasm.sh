#!/usr/bin/env bash
# ./reprolab bench disasm [CLASS::METHOD] [SHAPES] [DTYPE]: the C2 code of one method of the jvm GEMM, as the machine
# runs it, to read what the JIT made of a kernel (spills, range checks left in a loop, unrolling).
#   CLASS::METHOD  default org.reprolab.tornado.jvm.F32Gemm::kernel (F64Gemm::kernel for the f64 twin)
#   SHAPES         GemmBench's -Dshapes (default 2048), DTYPE f32 or f64 (default f32)
# Builds the Capstone-based hsdis plugin (bench/hsdis/hsdis-capstone.c) into build/hsdis on first use; needs gcc and
# Debian's libcapstone-dev. Prints the last C2 compilation of the method, the one that runs once warm; the whole
# JIT log is left in build/hsdis/print.log. Not a test, not a benchmark: nothing is timed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
METHOD="${1:-org.reprolab.tornado.jvm.F32Gemm::kernel}"
SHAPES="${2:-2048}"
DTYPE="${3:-f32}"
OUT="$ROOT/build/hsdis"
mkdir -p "$OUT"
if [ ! -f "$OUT/hsdis-amd64.so" ]; then
  if [ ! -f /usr/include/capstone/capstone.h ]; then
    echo "disasm: needs Capstone's headers: sudo apt-get install -y libcapstone-dev (and gcc)" >&2
    exit 2
  fi
  gcc -O2 -shared -fPIC -o "$OUT/hsdis-amd64.so" bench/hsdis/hsdis-capstone.c -lcapstone
fi
./mvnw -q -B -o -pl random,tornado test-compile
CP=random/target/classes:tornado/target/classes:tornado/target/test-classes
LD_LIBRARY_PATH="$OUT" "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions \
  -XX:CompileCommand=quiet -XX:CompileCommand=print,"$METHOD" -cp "$CP" -Dthreads=1 -Drounds=2 -Dshapes="$SHAPES" \
  -Ddtype="$DTYPE" org.reprolab.tornado.jvm.GemmBench > "$OUT/print.log" 2>&1
last=$(grep -n "^Compiled method (c2)" "$OUT/print.log" | tail -1 | cut -d: -f1)
if [ -z "$last" ]; then
  echo "disasm: no C2 compilation of $METHOD in $OUT/print.log" >&2
  exit 1
fi
tail -n +"$last" "$OUT/print.log" | sed '/^Compiled method (c1)/,$d'
