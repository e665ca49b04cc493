#!/usr/bin/python3
"""The PyTorch 1.13 (Debian) side of bench/compute.py: the same three workloads, same sizes,
same thread count. Prints one JSON object."""
import json
import sys
import time

import torch


def median_ms(fn, rounds, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return 1000 * times[len(times) // 2]


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    out = {"threads": torch.get_num_threads(), "version": torch.__version__}

    # f32 matmul 1024^2
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    c = torch.empty(1024, 1024)
    ms = median_ms(lambda: torch.matmul(a, b, out=c), rounds)
    out["matmul_ms"] = ms
    out["matmul_gflops"] = 2 * 1024 ** 3 / (ms / 1000) / 1e9

    # Adam step on 16M f32 parameters, foreach implementation (torch's fastest on CPU)
    n = 1 << 24
    p = torch.nn.Parameter(torch.randn(n))
    p.grad = torch.randn(n)
    opt = torch.optim.Adam([p], lr=1e-3, foreach=True)
    out["adam16m_foreach_ms"] = median_ms(opt.step, rounds)
    del p, opt

    # MLP 784-512-512-10, batch 256, one Adam training step (forward, cross-entropy, backward, update)
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

    out["mlp_step_ms"] = median_ms(step, rounds * 3, warmup=5)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
