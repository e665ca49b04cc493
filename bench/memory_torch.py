#!/usr/bin/python3
"""The PyTorch 1.13 side of bench/memory.py: the peak RSS of one workload in a fresh process.

ru_maxrss (the process's high-water RSS) is read right after `import torch` (the baseline) and after
the work; both are reported, since the import alone maps a few hundred MB of libraries.

  memory_torch.py mlp|mlp-warm|diffusion1m THREADS     -> one JSON line

mlp-warm is 200 steps then the 20 of mlp (PyTorch has no JIT to warm; its peak does not depend on it):
the peer of MemBench's mlp-warm.
"""
import json
import os
import resource
import sys
import time

import torch


def maxrss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024   # Linux reports kB


def mlp_steps(steps):
    """Adam training steps of the MLP 784-512-512-10 (f32), batch 256: bench/compute_torch.py's timed step."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from compute_torch import mlp
    torch.manual_seed(0)
    step = mlp()
    for _ in range(steps):
        step()


def diffusion(n):
    """DPM-Solver++(2M), 10 NFE, n samples of ring8 in f64: bench/diffusion_torch.py's solver, as bench/diffusion.sh runs it."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import diffusion_torch
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, 2, dtype=torch.float64, generator=g)
    diffusion_torch.dpmpp_2m(x, 10, diffusion_torch.make_denoiser(torch.float64))


def main():
    workload = sys.argv[1]
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count())
    base = maxrss()
    t0 = time.perf_counter()
    {"mlp": lambda: mlp_steps(20), "mlp-warm": lambda: mlp_steps(220), "diffusion1m": lambda: diffusion(1_000_000)}[workload]()
    print(json.dumps({"workload": workload, "seconds": time.perf_counter() - t0, "rss_import": base, "rss_peak": maxrss(),
                      "version": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
