#!/usr/bin/python3
"""Issue 16's compute benchmarks, ours and PyTorch 1.13 side by side, with ratios and the machine's limits.

Each run starts one JVM (bench/LibBench.java: our public API, plus the FMA peak and the in-place
bandwidth ceiling measured in that JVM) and then one PyTorch process (bench/compute_torch.py), so the
two sides of each ratio are measured back to back; the table gives the median and [min-max] over the
runs of each figure and of each per-run ratio.

  matmul f32 and f64 at 256^2, 512^2, 1024^2, 2048^2 and 4096x784 * 784x512: GFLOP/s, ours / peer,
      each as a fraction of the measured FMA peak
  MLP 784-512-512-10, batch 256, one Adam training step: time, ours / peer
  x.add(y) on 16M f32 through Tensor, and the fused Adam kernel: GB/s as a fraction of the ceiling
  Adam on 16M f32 params through Optimizer vs torch.optim.Adam(foreach=True)

The peer runs at its best: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from its environment
(this machine kind sets them, and they pick a Haswell kernel on this AVX-512 CPU), and it uses as many
threads as we do (all cores). It reports the OpenBLAS core it loaded and whether oneDNN ran.

Run: ./reprolab bench compute [--runs 3] [--rounds 9]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MATMULS = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048), (4096, 784, 512)]
PEER_ENV_UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def java_command():
    """The JVM on the freshly compiled classes (bench/compute.sh compiles lib and what it needs)."""
    b = os.environ.get("BUILD_DIR_NAME", "target")
    cp = [os.path.join(ROOT, m, b, "classes") for m in ("lib", "tornado", "random")]
    cp += glob.glob(os.path.expanduser("~/.m2/repository/org/jocl/jocl/*/jocl-*.jar"))[:1]
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    return [java, "-Xmx8g", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp", ":".join(cp)]


def run_json(cmd, env=None):
    """Runs cmd with its stderr (progress lines) passed through live; returns its last stdout line as JSON."""
    say("$ " + " ".join(c if len(c) < 80 else c[:77] + "..." for c in cmd))
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=None, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def peer_env():
    env = dict(os.environ)
    for k in PEER_ENV_UNSET:
        env.pop(k, None)
    return env


def spread(values):
    """'median [min-max]' of per-run values."""
    return statistics.median(values), min(values), max(values)


def fmt(values, digits):
    m, lo, hi = spread(values)
    return f"{m:.{digits}f} [{lo:.{digits}f}-{hi:.{digits}f}]"


def rows(ours, peer):
    """(workload, ours, peer or ceiling, ratio, fraction of the machine's limit) from the per-run results."""
    out = []
    for dt in ("f32", "f64"):
        for m, k, n in MATMULS:
            key = f"matmul_{dt}_{m}x{k}x{n}_gflops"
            o, p = [r[key] for r in ours], [r[key] for r in peer]
            peak = [max(r[f"{dt}_peak_gflops"] for r in ours)] * len(ours)   # a limit: every measurement underestimates it
            shape = f"{m}^2" if m == k == n else f"{m}x{k} * {k}x{n}"
            out.append((f"matmul {dt} {shape} (GFLOP/s)", fmt(o, 0), fmt(p, 0),
                        fmt([a / b for a, b in zip(o, p)], 2) + "x (target >= 0.9)",
                        f"ours {fmt([a / b for a, b in zip(o, peak)], 2)}, peer {fmt([a / b for a, b in zip(p, peak)], 2)} of FMA peak {peak[0]:.0f}"))
    o, p = [r["mlp_step_ms"] for r in ours], [r["mlp_step_ms"] for r in peer]
    out.append(("MLP 784-512-512-10 b256 Adam train step (ms)", fmt(o, 1), fmt(p, 1),
                fmt([a / b for a, b in zip(o, p)], 2) + "x the time (target <= 0.8)", ""))
    o, p = [r["add16m_ms"] for r in ours], [r["add16m_ms"] for r in peer]
    gbs, ceil = [r["add16m_gbs"] for r in ours], [r["ceiling_gbs"] for r in ours]
    out.append(("x.add(y) 16M f32 through Tensor, closed (ms; 12 B/elem)", fmt(o, 1) + f" = {fmt(gbs, 0)} GB/s", fmt(p, 1) + " (torch.add)",
                fmt([b / a for a, b in zip(o, p)], 2) + "x faster", f"{fmt([a / b for a, b in zip(gbs, ceil)], 2)} of ceiling {fmt(ceil, 0)} GB/s (target >= 0.8)"))
    if all("out_of_place_ceiling_gbs" in r for r in ours):  # the write-allocate bound of any out-of-place op, same JVM
        oop = [r["out_of_place_ceiling_gbs"] for r in ours]
        out.append(("out-of-place Vector API c = a + b, kept c (12 B/elem counted, 16 moved)", f"{fmt(oop, 0)} GB/s", "", "",
                    f"{fmt([a / b for a, b in zip(oop, ceil)], 2)} of ceiling (the write-allocate bound of an out-of-place op)"))
    gbs, ceil = [r["fused_adam_gbs"] for r in ours], [r["fused_adam_ceiling_gbs"] for r in ours]
    out.append(("fused Adam kernel 16M f32 (ms; 28 B/elem)", fmt([r["fused_adam_ms"] for r in ours], 1) + f" = {fmt(gbs, 0)} GB/s", "",
                "", f"{fmt([a / b for a, b in zip(gbs, ceil)], 2)} of ceiling {fmt(ceil, 0)} GB/s (target >= 0.8)"))
    o, p = [r["adam16m_ms"] for r in ours], [r["adam16m_foreach_ms"] for r in peer]
    out.append(("Adam step 16M f32 params, Optimizer vs torch foreach (ms)", fmt(o, 1), fmt(p, 1),
                fmt([b / a for a, b in zip(o, p)], 1) + "x faster (issue 4 target >= 3)", ""))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="whole runs (one JVM + one PyTorch process each); median and range over them")
    ap.add_argument("--rounds", type=int, default=9, help="timed rounds per case within a run (median)")
    ap.add_argument("--save", default=os.path.join(ROOT, "build/bench/compute.json"), help="where the raw per-run results go")
    ap.add_argument("--from", dest="saved", help="print the table of saved results instead of measuring")
    a = ap.parse_args()
    if a.saved:
        with open(a.saved) as f:
            saved = json.load(f)
    else:
        saved = measure(a.runs, a.rounds)
        os.makedirs(os.path.dirname(a.save), exist_ok=True)
        with open(a.save, "w") as f:
            json.dump(saved, f)
        say(f"raw results: {a.save} (--from {a.save} prints this table again)")
    report(**saved)


def measure(runs, rounds):
    cores = os.cpu_count()
    with open("/proc/loadavg") as f:
        load_before = f.read().split()[:3]
    java = java_command()
    ours, peer = [], []
    for i in range(runs):
        say(f"[run {i + 1}/{runs}] reprolab (jvm device)")
        ours.append(run_json(java + [os.path.join(ROOT, "bench/LibBench.java"), str(rounds)]))
        say(f"[run {i + 1}/{runs}] PyTorch (env -u {' -u '.join(PEER_ENV_UNSET)}, {cores} threads)")
        peer.append(run_json(["/usr/bin/python3", os.path.join(ROOT, "bench/compute_torch.py"), str(cores), str(rounds)], env=peer_env()))
    with open("/proc/loadavg") as f:
        load_after = f.read().split()[:3]
    return {"ours": ours, "peer": peer, "runs": runs, "rounds": rounds, "load_before": load_before, "load_after": load_after}


def report(ours, peer, runs, rounds, load_before, load_after):

    t, o = peer[0], ours[0]
    print(f"Median [min-max] of {runs} runs, {rounds} timed rounds per case (median) in each; "
          f"load average {' '.join(load_before)} before, {' '.join(load_after)} after.")
    print(f"Ours: jvm device, {o['threads']} threads. Peer: PyTorch {t['version']}, {t['threads']} threads, "
          f"OPENBLAS_CORETYPE={t['env_OPENBLAS_CORETYPE']}, OPENBLAS_L2_SIZE={t['env_OPENBLAS_L2_SIZE']}; "
          f"BLAS: OpenBLAS core {t.get('blas_core')} ({t.get('blas_config')}; {t.get('blas_threads')} threads; {t.get('blas_lib')}); "
          f"oneDNN primitives run by an MLP step + f32/f64 matmul: {t['onednn_primitives_mlp_step_and_matmul']} (0 = all matmuls in the BLAS).")
    for dt in ("f32", "f64"):
        print(f"{dt} FMA peak, measured in our JVM (register-only f32 vector FMA loop, best of all cores at once and "
              f"{o['threads']} x one core{', scaled to f64 lanes' if dt == 'f64' else ''}): {fmt([r[f'{dt}_peak_gflops'] for r in ours], 0)} GFLOP/s "
              f"over the runs, the highest used for the fractions below (other load only ever lowers it); formula cores x lanes x 2 FMA x 2 flops "
              f"x {o['cpu_mhz']:.0f} MHz (/proc/cpuinfo, the nominal clock): {o[f'{dt}_peak_formula_gflops']:.0f} GFLOP/s.")
    print(f"In-place bandwidth ceiling (Vector API a += s*b on 16M f32, {o['threads']} threads, 12 B/elem), same JVM: "
          f"{fmt([r['ceiling_gbs'] for r in ours], 0)} GB/s.")
    print()
    print("| workload | reprolab | peer / ceiling | ours vs peer | fraction of the machine's limit |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows(ours, peer):
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
