#!/usr/bin/python3
"""Issue 16 item 7: peak memory of the same work, ours and PyTorch's, each workload in a fresh process.

  mlp          20 Adam training steps of an MLP 784-512-512-10 (f32), batch 256, from a cold process
  mlp-warm     the same 20 steps after 10 s of training (ours: heap peak over the 20 steps after a GC,
               live state included, since the warmed process's RSS no longer moves; PyTorch: as mlp)
  diffusion1m  DPM-Solver++(2M) at 10 NFE on 1M samples of the ring8 mixture, exact denoiser (f64)

Ours (bench/MemBench.java, a fresh JVM with the kernel's flags): peak heap used (the heap pools' own
high-water marks), peak off-heap (direct + mapped buffer pools), and the process's VmHWM next to its
VmRSS before the work. PyTorch (bench/memory_torch.py, OPENBLAS_* unset as in the compute bench):
ru_maxrss after `import torch` and after the work. The comparison is work-attributable memory: our
VmHWM minus our RSS before the work against PyTorch's peak minus its import baseline; the heap and
off-heap peaks say which part of ours dominates.

Run: ./reprolab bench memory [--runs 3]
"""
import argparse
import os
import statistics
import sys

from compute import java_command, peer_env, run_json, say

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ("mlp", "mlp-warm", "diffusion1m")
# at steady state our process's RSS no longer moves (the heap the warm-up touched stays resident), so the
# memory the work needs is the heap's peak over it, live state included, as PyTorch's is its peak RSS over import
STEADY = ("mlp-warm",)
MB = 1024 * 1024


def mb(values):
    m = statistics.median(values) / MB
    return f"{m:.0f}" if len(values) == 1 else f"{m:.0f} [{min(values) / MB:.0f}-{max(values) / MB:.0f}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per workload and side; median and range")
    ap.add_argument("--java-opts", default="", help="extra JVM options, as --java-opts=-Xmx256m (with =: they start with a dash), to see the work under a bounded heap")
    a = ap.parse_args()
    cores = os.cpu_count()
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    java = java_command()
    java = [j for j in java if not j.startswith("-Xmx")] + a.java_opts.split()
    table = []
    for w in WORKLOADS:
        ours, peer = [], []
        for i in range(a.runs):
            say(f"[{w} {i + 1}/{a.runs}] reprolab")
            ours.append(run_json(java + [os.path.join(ROOT, "bench/MemBench.java"), w]))
            say(f"  ours: VmHWM {ours[-1]['hwm'] / MB:.0f} MB (RSS before {ours[-1]['rss_before'] / MB:.0f} MB), "
                f"heap peak {ours[-1]['heap_peak'] / MB:.0f} MB (live after GC {ours[-1]['heap_live_end'] / MB:.0f} MB, "
                f"{ours[-1]['allocated'] / MB:.0f} MB allocated), off-heap peak {ours[-1]['offheap_peak'] / MB:.0f} MB, {ours[-1]['seconds']:.1f} s")
            say(f"[{w} {i + 1}/{a.runs}] PyTorch")
            peer.append(run_json(["/usr/bin/python3", os.path.join(ROOT, "bench/memory_torch.py"), w, str(cores)], env=peer_env()))
            say(f"  torch: peak RSS {peer[-1]['rss_peak'] / MB:.0f} MB (after import {peer[-1]['rss_import'] / MB:.0f} MB), {peer[-1]['seconds']:.1f} s")
        ours_work = [r["heap_peak"] + r["offheap_peak"] if w in STEADY else r["hwm"] - r["rss_before"] for r in ours]
        peer_work = [r["rss_peak"] - r["rss_import"] for r in peer]
        table.append((w, mb([r["allocated"] for r in ours]), mb([r["heap_peak"] for r in ours]) + " / " + mb([r["heap_live_end"] for r in ours]), mb([r["offheap_peak"] for r in ours]),
                      mb([r["hwm"] for r in ours]) + " / " + mb([r["rss_before"] for r in ours]), mb(ours_work),
                      mb([r["rss_peak"] for r in peer]) + " / " + mb([r["rss_import"] for r in peer]), mb(peer_work),
                      f"{statistics.median(o / p for o, p in zip(ours_work, peer_work)):.2f}x"))
    print(f"Median [min-max] of {a.runs} fresh processes per workload and side; load average {load}; "
          f"JVM options: kernel flags{' ' + a.java_opts if a.java_opts else ''} (max heap {ours[0]['max_heap'] / MB:.0f} MB); "
          f"PyTorch {peer[0]['version']}, {cores} threads. MB = 2^20 bytes.")
    print("mlp-warm: ours for the work is the heap peak over the 20 warm steps, live state included.")
    print()
    print("| workload | ours heap allocated | ours heap peak / live after GC | ours off-heap peak (direct+mapped) | ours VmHWM / RSS before | ours for the work (VmHWM - before) "
          "| PyTorch peak RSS / after import | PyTorch for the work (peak - import) | ours / PyTorch, for the work |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in table:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    sys.exit(main())
