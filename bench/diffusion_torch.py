#!/usr/bin/python3
"""DPM-Solver++(2M) at 10 NFE on the ring8 Gaussian mixture (exact denoiser) in PyTorch 1.13, the peer of
org.reprolab.diffusion.bench.DiffusionBench (bench/diffusion.sh). Written from LuChengTHU/dpm-solver
(NoiseScheduleVP 'linear', logSNR time steps, multistep_dpm_solver_second_update, solver_type 'dpmsolver').

  diffusion_torch.py check            noise rows as JSON on stdin -> endpoints as JSON
  diffusion_torch.py bench N ROUNDS THREADS [dtype]   -> {"n": N, "median_s": ...}
  diffusion_torch.py serve            one command a line on stdin, one JSON line back each, so the caller can
                                      interleave its own rounds with ours:  warm N THREADS DTYPE K | run N THREADS DTYPE
                                      | info   (times one solve of the same noise as bench; peak RSS in "rss_kb")
"""
import json
import math
import os
import resource
import statistics
import sys
import time

import torch

B0, B1, T0, T1 = 0.1, 20.0, 1.0, 1e-3
K, RADIUS, STD = 8, 1.0, 0.08


def log_alpha(t):
    return -0.25 * t * t * (B1 - B0) - 0.5 * t * B0


def sigma(t):
    return math.sqrt(-math.expm1(2 * log_alpha(t)))


def lam(t):
    la = log_alpha(t)
    return la - 0.5 * math.log(-math.expm1(2 * la))


def t_of_lambda(l):
    tmp = 2.0 * (B1 - B0) * math.log1p(math.exp(-2.0 * l)) if -2.0 * l < 30 else 2.0 * (B1 - B0) * (-2.0 * l)
    return tmp / (math.sqrt(B0 * B0 + tmp) + B0) / (B1 - B0)


def make_denoiser(dtype):
    ang = torch.arange(K, dtype=dtype) * (2 * math.pi / K)
    mu = torch.stack([RADIUS * torch.cos(ang), RADIUS * torch.sin(ang)], 1)          # [K, 2]

    def x0(x, t):                                                                    # E[x0 | x_t], isotropic components
        a, s = math.exp(log_alpha(t)), sigma(t)
        v = a * a * STD * STD + s * s
        diff = x[:, None, :] - a * mu[None]                                          # [n, K, 2]
        logits = -0.5 * (diff * diff).sum(-1) / v                                    # equal weights and variances
        g = torch.softmax(logits, 1)
        return ((mu[None] + diff * (a * STD * STD / v)) * g[..., None]).sum(1)
    return x0


def dpmpp_2m(x, steps, x0):
    lams = [lam(T0) + (lam(T1) - lam(T0)) * i / steps for i in range(steps + 1)]
    ts = [t_of_lambda(l) for l in lams]
    ts[0], ts[-1] = T0, T1
    m_prev, l_prev = None, None
    m = x0(x, ts[0])
    for k in range(1, steps + 1):
        s, t = ts[k - 1], ts[k]
        h = lam(t) - lam(s)
        at, st, ss = math.exp(log_alpha(t)), sigma(t), sigma(s)
        phi1 = math.expm1(-h)
        if m_prev is None:
            x = (st / ss) * x - (at * phi1) * m
        else:
            r0 = (lam(s) - l_prev) / h
            d1 = (m - m_prev) / r0
            x = (st / ss) * x - (at * phi1) * m - (0.5 * at * phi1) * d1
        if k < steps:
            m_prev, l_prev = m, lam(s)
            m = x0(x, t)
    return x


def serve():
    cache = {}
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "info":
            out = {"torch": torch.__version__, "threads_default": torch.get_num_threads(),
                   "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"), "openblas_l2_size": os.environ.get("OPENBLAS_L2_SIZE"),
                   "kernels": [w for w in torch.__config__.show().replace(",", "\n").splitlines()
                               if any(k in w for k in ("CPU capability", "BLAS_INFO", "USE_MKLDNN", "USE_OPENMP"))]}
        else:
            n, threads, dtype = int(cmd[1]), int(cmd[2]), torch.float32 if cmd[3] == "f32" else torch.float64
            torch.set_num_threads(threads)
            if (n, dtype) not in cache:
                cache.clear()
                cache[(n, dtype)] = (torch.randn(n, 2, dtype=dtype, generator=torch.Generator().manual_seed(0)), make_denoiser(dtype))
            z, x0 = cache[(n, dtype)]
            with torch.no_grad():
                if cmd[0] == "warm":
                    for _ in range(int(cmd[4])):
                        dpmpp_2m(z, 10, x0)
                    out = {"warm": n}
                else:
                    t = time.perf_counter()
                    dpmpp_2m(z, 10, x0)
                    out = {"s": time.perf_counter() - t}
        out["rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps(out), flush=True)


def main():
    if sys.argv[1] == "serve":
        serve()
        return
    if sys.argv[1] == "check":
        z = torch.tensor(json.load(sys.stdin), dtype=torch.float64)
        print(json.dumps(dpmpp_2m(z, 10, make_denoiser(torch.float64)).tolist()))
        return
    n, rounds, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    dtype = torch.float32 if len(sys.argv) > 5 and sys.argv[5] == "f32" else torch.float64
    torch.set_num_threads(threads)
    x0 = make_denoiser(dtype)
    z = torch.randn(n, 2, dtype=dtype, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        for _ in range(2):
            dpmpp_2m(z, 10, x0)
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            dpmpp_2m(z, 10, x0)
            times.append(time.perf_counter() - t)
    print(json.dumps({"n": n, "median_s": statistics.median(times), "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
