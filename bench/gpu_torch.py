#!/usr/bin/python3
"""The PyTorch CUDA column of ./reprolab gpu-check: the rows of bench/GpuCheck.java on torch.device('cuda'),
each timed call closed by torch.cuda.synchronize(). Prints one JSON object; {"skipped": reason} when
torch or a CUDA device is missing."""
import json
import math
import os
import statistics
import sys
import time


def median_ms(fn, rounds, warmup, sync):
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"skipped": f"no torch ({e})"}))
        return
    if not torch.cuda.is_available():
        print(json.dumps({"skipped": f"torch {torch.__version__} sees no CUDA device"}))
        return
    dev = torch.device("cuda")
    sync = torch.cuda.synchronize
    torch.manual_seed(0)
    out = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__}

    a, b = torch.randn(2048, 2048, device=dev), torch.randn(2048, 2048, device=dev)
    out["matmul2048_gflops"] = 2 * 2048 ** 3 / (median_ms(lambda: a @ b, rounds, 3, sync) / 1e3) / 1e9

    p = torch.nn.Parameter(torch.randn(1 << 24, device=dev))
    p.grad = torch.randn(1 << 24, device=dev)
    opt = torch.optim.Adam([p], lr=1e-3, foreach=True)
    out["adam16m_ms"] = median_ms(opt.step, rounds, 3, sync)
    del p, opt

    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 10)).to(dev)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(256, 784, device=dev), torch.randint(0, 10, (256,), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    out["mlp_step_ms"] = median_ms(step, rounds * 3, 5, sync)

    try:  # bench/diffusion_torch.py's solver, its tensors created on the GPU
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import diffusion_torch
        torch.set_default_tensor_type(torch.cuda.DoubleTensor)
        x0 = diffusion_torch.make_denoiser(torch.float64)
        z = torch.randn(100_000, 2, dtype=torch.float64, device=dev)
        with torch.no_grad():
            out["dpm100k_ms"] = median_ms(lambda: diffusion_torch.dpmpp_2m(z, 10, x0), max(3, rounds // 2), 1, sync)
    except Exception as e:  # the solver script changed shape: say so rather than fail the whole check
        out["dpm100k_ms"] = math.nan
        out["dpm_note"] = f"diffusion_torch on CUDA failed: {e}"
    print(json.dumps(out))


if __name__ == "__main__":
    main()
