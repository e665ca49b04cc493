#!/usr/bin/env bash
# ./reprolab gpu-check: one prepared check for a machine with an NVIDIA (or any OpenCL) GPU, in under 5 minutes.
#   1. lists the OpenCL devices (clinfo -l when installed, and through JOCL with each device's type);
#   2. runs the cross-device test classes (TESTS below) with the opencl device bound to the GPU
#      (REPROLAB_OPENCL_DEVICE=gpu);
#   3. runs the compute and diffusion workloads on the jvm device and on the GPU (the GEMM at several
#      sizes with its autotune report, then bench/GpuCheck.java's library-level rows), and PyTorch CUDA
#      where torch.cuda.is_available(), and prints one table.
# Without a GPU it says so and runs everything against the OpenCL device there is (PoCL on a CPU);
# without any OpenCL it runs the jvm column only. Usage: ./reprolab gpu-check [rounds]   (default 5)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${1:-5}"
PY=/usr/bin/python3
TESTS='CrossDevice*Test,OpenCl*Test,DeviceSolveTest,CurvatureTest'
OUT="$(mktemp -d)"
START=$SECONDS
say() { printf '\033[1m[gpu-check %3ds]\033[0m %s\n' "$((SECONDS - START))" "$*" >&2; }
: "${JAVA_HOME:?run through ./reprolab gpu-check, which finds a JDK 25}"
MVN=(./mvnw -B -ntp -q)

say "building (package, tests skipped; nothing is installed into ~/.m2)"
if ! "${MVN[@]}" package -DskipTests -pl kernels -am >"$OUT/build.log" 2>&1; then
  MVN+=(-o)   # a machine without Maven Central but with a filled ~/.m2
  "${MVN[@]}" package -DskipTests -pl kernels -am >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; say "build failed"; exit 1; }
fi
CP="kernels/target/reprolab-kernel-0.1.0-SNAPSHOT.jar:kernels/target/lib/*"
JAVA=("$JAVA_HOME/bin/java" -Xmx12g $(cat kernels/target/classes/org/reprolab/kernel/jvm.flags) -cp "$CP")

say "OpenCL devices"
if command -v clinfo >/dev/null; then clinfo -l 2>&1 | sed 's/^/    /' >&2; else say "clinfo not installed (apt-get install clinfo); listing through JOCL only"; fi
"${JAVA[@]}" org.reprolab.tornado.opencl.OpenClReport devices 2>/dev/null | sed 's/^/    /' >&2
case "${PIPESTATUS[0]}" in
  0) export REPROLAB_OPENCL_DEVICE=gpu; TARGET="the GPU"; say "GPU found: the opencl device is bound to it (REPROLAB_OPENCL_DEVICE=gpu)" ;;
  3) TARGET="the OpenCL CPU device"; say "no GPU among the OpenCL devices: running everything against the device listed above instead (PoCL is a correctness target, not a speed one)" ;;
  *) TARGET=""; say "no OpenCL platform here: the opencl tests skip themselves and only the jvm column is measured" ;;
esac

say "cross-device tests ($TESTS) against ${TARGET:-no OpenCL device}"
touch "$OUT/tests.start"
"${MVN[@]}" test -pl tornado,lib -am -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false >"$OUT/tests.log" 2>&1
TEST_RC=$?
$PY - "$ROOT" "$OUT/tests.start" <<'PYEOF' >&2
import glob, os, sys, xml.etree.ElementTree as ET
rows = []
start = os.path.getmtime(sys.argv[2])
for f in sorted(glob.glob(sys.argv[1] + "/*/target/surefire-reports/TEST-*.xml")):
    if os.path.getmtime(f) < start:
        continue  # a report from an earlier run
    r = ET.parse(f).getroot()
    rows.append((r.get("name").rsplit(".", 1)[-1], int(r.get("tests")), int(r.get("failures")) + int(r.get("errors")), int(r.get("skipped"))))
for name, t, bad, skip in rows:
    print(f"    {name:34s} {t:4d} tests  {bad:3d} failed  {skip:3d} skipped")
PYEOF
[[ $TEST_RC -eq 0 ]] && say "tests passed" || { grep -E "FAIL|ERROR\]" "$OUT/tests.log" | head -20 >&2; say "TESTS FAILED (log: $OUT/tests.log)"; }

say "GEMM: autotune at first use, then jvm vs opencl"
if [[ -n "$TARGET" ]]; then
  "${JAVA[@]}" org.reprolab.tornado.opencl.OpenClReport gemm "$ROUNDS" 1024 2048 2>/dev/null | tee "$OUT/gemm.txt" | grep -v '^|' | sed 's/^/    /' >&2
fi
for dev in jvm ${TARGET:+opencl}; do
  say "library workloads on $dev (bench/GpuCheck.java)"
  REPROLAB_DEVICE=$dev "${JAVA[@]}" bench/GpuCheck.java "$ROUNDS" 2>"$OUT/$dev.err" | tail -1 >"$OUT/$dev.json" || { tail -5 "$OUT/$dev.err" >&2; echo '{}' >"$OUT/$dev.json"; }
done
say "PyTorch CUDA peer"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY bench/gpu_torch.py "$ROUNDS" >"$OUT/torch.json" 2>"$OUT/torch.err" || echo '{"skipped": "bench/gpu_torch.py failed, see '"$OUT/torch.err"'"}' >"$OUT/torch.json"

$PY - "$OUT" "$TARGET" "$TEST_RC" "$((SECONDS - START))" <<'PYEOF'
import json, math, os, sys
out, target, test_rc, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.loads(f.read().strip() or "{}")
    except (OSError, ValueError):
        return {}
jvm, cl, torch = load("jvm.json"), load("opencl.json"), load("torch.json")
tcol = "PyTorch CUDA" + (f" ({torch['device']})" if "device" in torch else "")
print(f"\n## gpu-check: opencl = {target or 'none'}; tests {'passed' if test_rc == 0 else 'FAILED'}; {secs} s\n")
print(f"| workload | jvm | opencl | {tcol} | opencl vs jvm |")
print("| --- | --- | --- | --- | --- |")
gemm = os.path.join(out, "gemm.txt")
if os.path.exists(gemm):
    for line in open(gemm):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| F") and len(cells) >= 4:  # matmul, jvm, opencl, ratio[, naive kernel]
            print(f"| matmul {cells[0]} (device, GFLOP/s) | {cells[1]} | {cells[2]} | | {cells[3]}x |")
def fmt(v, unit):
    return "n/a" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.1f} {unit}"
for key, label, unit, higher in [("matmul2048_gflops", "Tensor.matmul f32 2048^2", "GFLOP/s", True),
                                 ("adam16m_ms", "Adam step, 16M f32 params", "ms", False),
                                 ("mlp_step_ms", "MLP 784-512-512-10 b256 Adam step", "ms", False),
                                 ("dpm100k_ms", "DPM-Solver++(2M) 10 NFE, 100k samples", "ms", False)]:
    a, b, t = jvm.get(key), cl.get(key), torch.get(key)
    ratio = "" if a is None or b is None or not a or not b else f"{(b / a if higher else a / b):.2f}x"
    print(f"| {label} | {fmt(a, unit)} | {fmt(b, unit)} | {fmt(t, unit) if 'skipped' not in torch else 'skipped'} | {ratio} |")
if "skipped" in torch:
    print(f"\nPyTorch CUDA: {torch['skipped']}")
if "dpm_note" in torch:
    print(f"\n{torch['dpm_note']}")
print("\nopencl vs jvm: >1 means the opencl device is faster. Raw outputs: " + out)
PYEOF
exit $TEST_RC
