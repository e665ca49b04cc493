#!/usr/bin/python3
"""The PyTorch 1.13 (Debian) side of bench/compute.py: the same workloads, same sizes, same thread
count. Progress goes to stderr as each case finishes; the last stdout line is one JSON object.

It also says which kernels the peer used: the OpenBLAS core OpenBLAS picked at load (read from the
loaded library with openblas_get_corename, as OPENBLAS_VERBOSE=2 prints it) and how many oneDNN
primitives ran for one MLP step and a matmul (torch.backends.mkldnn.verbose; 0 means the BLAS did
the matmuls). compute.py starts this process with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset.

  compute_torch.py THREADS ROUNDS
"""
import ctypes
import json
import os
import sys
import tempfile
import time

import torch

MATMULS = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048), (4096, 784, 512)]


def progress(msg):
    print("  [torch] " + msg, file=sys.stderr, flush=True)


def median_ms(fn, rounds, warmup=3):
    """Median of `rounds` timed calls after at least `warmup` calls and half a second, as LibBench does."""
    until = time.perf_counter() + 0.5
    i = 0
    while i < warmup or time.perf_counter() < until:
        fn()
        i += 1
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return 1000 * times[len(times) // 2]


def openblas():
    """OpenBLAS's own account of itself, from the library this process loaded."""
    libs = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libopenblas" in line})
    if not libs:
        return {"blas": "no OpenBLAS loaded"}
    ob = ctypes.CDLL(libs[0])
    ob.openblas_get_corename.restype = ctypes.c_char_p
    ob.openblas_get_config.restype = ctypes.c_char_p
    return {"blas_lib": libs[0], "blas_core": ob.openblas_get_corename().decode(),
            "blas_config": ob.openblas_get_config().decode(), "blas_threads": ob.openblas_get_num_threads()}


def onednn_primitives(work):
    """How many oneDNN primitives `work` executes (their verbose lines go to fd 1; counted, not shown)."""
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as f:
        os.dup2(f.fileno(), 1)
        try:
            with torch.backends.mkldnn.verbose(torch.backends.mkldnn.VERBOSE_ON):
                work()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        f.seek(0)
        return sum(1 for line in f.read().decode(errors="replace").splitlines() if ",exec," in line)


def mlp():
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(256, 784)
    y = torch.randint(0, 10, (256,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return step


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else os.cpu_count()
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    out = {"threads": torch.get_num_threads(), "version": torch.__version__,
           "env_OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "unset"),
           "env_OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE", "unset")}
    out.update(openblas())
    a = torch.randn(512, 512)
    out["onednn_primitives_mlp_step_and_matmul"] = onednn_primitives(lambda: (mlp()(), a @ a, a.double() @ a.double()))
    progress(f"PyTorch {out['version']}, {out['threads']} threads, OpenBLAS core {out.get('blas_core')} "
             f"({out.get('blas_config')}), oneDNN primitives in an MLP step + matmuls: {out['onednn_primitives_mlp_step_and_matmul']}")

    for dtype, name in ((torch.float32, "f32"), (torch.float64, "f64")):
        for m, k, n in MATMULS:
            a, b = torch.randn(m, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
            c = torch.empty(m, n, dtype=dtype)
            ms = median_ms(lambda: torch.matmul(a, b, out=c), rounds)
            out[f"matmul_{name}_{m}x{k}x{n}_gflops"] = 2 * m * n * k / (ms / 1000) / 1e9
            progress(f"matmul {name} {m}x{k} * {k}x{n}: {ms:.2f} ms, {out[f'matmul_{name}_{m}x{k}x{n}_gflops']:.1f} GFLOP/s")

    n16 = 1 << 24
    x, y = torch.randn(n16), torch.randn(n16)
    out["add16m_ms"] = median_ms(lambda: torch.add(x, y), rounds)
    progress(f"torch.add 16M f32 (fresh output): {out['add16m_ms']:.2f} ms")
    del x, y

    # Adam step on 16M f32 parameters, foreach implementation (torch's fastest on CPU)
    p = torch.nn.Parameter(torch.randn(n16))
    p.grad = torch.randn(n16)
    opt = torch.optim.Adam([p], lr=1e-3, foreach=True)
    out["adam16m_foreach_ms"] = median_ms(opt.step, rounds)
    progress(f"Adam(foreach) step 16M f32: {out['adam16m_foreach_ms']:.2f} ms")
    del p, opt

    out["mlp_step_ms"] = median_ms(mlp(), rounds * 3, warmup=5)
    progress(f"MLP 784-512-512-10 b256 Adam step: {out['mlp_step_ms']:.2f} ms")
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
