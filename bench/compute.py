#!/usr/bin/python3
"""Issue 3's compute benchmarks, ours and PyTorch 1.13 side by side in one run, with ratios.

  1. fused element-wise update (Adam) on 16M f32: ours vs the in-place bandwidth ceiling measured
     in the same JVM (tornado's Bench), and vs torch.optim.Adam(foreach=True)
  2. f32 matmul 1024^2 through the Tensor API: GFLOP/s, ours / PyTorch
  3. MLP 784-512-512-10, batch 256, one Adam training step: time, ours / PyTorch

Run: ./reprolab bench compute      (builds first). Both sides use 2 threads.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def java_command():
    jar = os.path.join(ROOT, "kernels/target/reprolab-kernel-0.1.0-SNAPSHOT.jar")
    libdir = os.path.join(ROOT, "kernels/target/lib")
    cp = ":".join([jar] + [os.path.join(libdir, j) for j in sorted(os.listdir(libdir))])
    with open(os.path.join(ROOT, "kernels/target/classes/org/reprolab/kernel/jvm.flags")) as f:
        flags = f.read().split()
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    return [java, "-Xmx8g"] + flags + ["-cp", cp]


def run(cmd):
    print("$ " + " ".join(c if len(c) < 80 else c[:77] + "..." for c in cmd), file=sys.stderr)
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return done.stdout


def main():
    rounds = sys.argv[1] if len(sys.argv) > 1 else "9"
    java = java_command()
    tornado = run(java + ["org.reprolab.tornado.bench.Bench", rounds])
    ours = json.loads(run(java + [os.path.join(ROOT, "bench/LibBench.java"), rounds]).strip().splitlines()[-1])
    torch = json.loads(run(["/usr/bin/python3", os.path.join(ROOT, "bench/compute_torch.py"), "2", rounds]).strip())

    adam = re.search(r"\[jvm\] fused Adam 16M f32 in place: ([\d.]+) ms, ([\d.]+) GB/s \| ceiling .*?: ([\d.]+) GB/s \| ratio ([\d.]+)", tornado)
    adam_ms, adam_gbs, ceil_gbs, adam_ratio = (float(g) for g in adam.groups())
    rows = [
        ("fused Adam step, 16M f32 params (device kernel)", f"{adam_ms:.1f} ms = {adam_gbs:.0f} GB/s",
         f"ceiling {ceil_gbs:.0f} GB/s", f"{adam_ratio:.2f} of ceiling (target >= 0.8)"),
        ("Adam step, 16M f32 params (reprolab optim vs torch foreach)", f"{ours['adam16m_ms']:.1f} ms",
         f"{torch['adam16m_foreach_ms']:.1f} ms", f"{torch['adam16m_foreach_ms'] / ours['adam16m_ms']:.1f}x faster (issue 4 target >= 3x)"),
        ("matmul f32 1024^2 (Tensor.matmul)", f"{ours['matmul_gflops']:.0f} GFLOP/s",
         f"{torch['matmul_gflops']:.0f} GFLOP/s", f"{ours['matmul_gflops'] / torch['matmul_gflops']:.2f}x (target >= 0.4, goal 0.8)"),
        ("MLP 784-512-512-10 b256 Adam train step", f"{ours['mlp_step_ms']:.1f} ms",
         f"{torch['mlp_step_ms']:.1f} ms", f"{ours['mlp_step_ms'] / torch['mlp_step_ms']:.2f}x the time (target <= 2.5, goal 1.2)"),
    ]
    print(f"PyTorch {torch['version']} with {torch['threads']} threads; ours on the jvm device; median of {rounds} rounds")
    print("| workload | reprolab | peer / ceiling | ratio |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
