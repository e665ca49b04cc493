#!/usr/bin/python3
"""PyTorch side of the batched neural-ODE benchmark (issue 16), run by org.reprolab.ode.bench.NeuralOdeBench.

torchdiffeq is not packaged in Debian, so its two loops are written here in plain torch, as torchdiffeq runs them:
fixed-step RK4 (torchdiffeq's "rk4" is the 3/8 rule; this is the classic RK4 our Tableau.RK4 is, same cost) and
adaptive Dopri5 with the RMS error norm over the whole batch (scale atol + rtol*max(|y0|, |y1|)), Hairer's
initial step, FSAL, and the step-size rule of scipy's RK45 / torchdiffeq (safety 0.9, factor in [0.2, 10], no
increase right after a rejection).

The field is the MLP 2 -> H -> H -> 2 with tanh (torch.nn.functional.linear, i.e. addmm with the bias fused),
autonomous, weights and initial states from closed-form formulas that NeuralOdeBench uses too, f32, no grad.

  neural_ode_torch.py    reads "CASE BATCH THREADS" lines on stdin (CASE rk4 or dopri5), answers each with one timed
                         solve as a JSON line on stdout, so that NeuralOdeBench interleaves its rounds with ours
"""
import json
import math
import sys
import time

import torch

H, T1, RK4_STEPS, RTOL, ATOL = 64, 5.0, 40, 1e-5, 1e-7


def weight(rows, cols, seed):
    w = [[0.8 * math.sin(1.3 * i + 0.7 * j + seed) / math.sqrt(rows) for j in range(cols)] for i in range(rows)]
    return torch.tensor(w, dtype=torch.float32)


def bias(cols, seed):
    return torch.tensor([0.1 * math.cos(j + seed) for j in range(cols)], dtype=torch.float32)


W1, B1 = weight(2, H, 0.1), bias(H, 0.1)
W2, B2 = weight(H, H, 0.2), bias(H, 0.2)
W3, B3 = weight(H, 2, 0.3), bias(2, 0.3)
W1T, W2T, W3T = W1.t().contiguous(), W2.t().contiguous(), W3.t().contiguous()
F = torch.nn.functional
NFEV = [0]


def field(y):
    NFEV[0] += 1
    return F.linear(torch.tanh(F.linear(torch.tanh(F.linear(y, W1T, B1)), W2T, B2)), W3T, B3)


def y0(batch):
    return torch.tensor([[1.5 * math.sin(0.37 * b + 1.1 * i) for i in range(2)] for b in range(batch)], dtype=torch.float32)


def rk4(y):
    h = T1 / RK4_STEPS
    for _ in range(RK4_STEPS):
        k1 = field(y)
        k2 = field(y + (h / 2) * k1)
        k3 = field(y + (h / 2) * k2)
        k4 = field(y + h * k3)
        y = y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1]
A = [[], [1 / 5], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
     [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
     [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656]]
B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]
E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]


def rms(x):
    return float(torch.sqrt(torch.mean(x * x)))


def dopri5(y):
    f = field(y)
    scale = ATOL + RTOL * y.abs()
    d0, d1 = rms(y / scale), rms(f / scale)
    h0 = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    f1 = field(y + h0 * f)
    d2 = rms((f1 - f) / scale) / h0
    h1 = max(1e-6, h0 * 1e-3) if d1 <= 1e-15 and d2 <= 1e-15 else (0.01 / max(d1, d2)) ** (1 / 5)
    h = min(100 * h0, h1)
    t, steps, rejects = 0.0, 0, 0
    while t < T1:
        h = min(h, T1 - t)
        rejected = False
        while True:
            k = [f]
            for i in range(1, 6):
                k.append(field(y + h * sum(a * kj for a, kj in zip(A[i], k) if a != 0)))
            y_new = y + h * sum(b * kj for b, kj in zip(B, k) if b != 0)
            f_new = field(y_new)
            k.append(f_new)
            err = h * sum(e * kj for e, kj in zip(E, k) if e != 0)
            norm = rms(err / (ATOL + RTOL * torch.maximum(y.abs(), y_new.abs())))
            if norm < 1:
                fac = 10.0 if norm == 0 else min(10.0, 0.9 * norm ** -0.2)
                if rejected:
                    fac = min(1.0, fac)
                t, y, f, steps = t + h, y_new, f_new, steps + 1
                h *= fac
                break
            h *= max(0.2, 0.9 * norm ** -0.2)
            rejected, rejects = True, rejects + 1
    return y, steps, rejects


def once(solve, batch, threads):
    torch.set_num_threads(threads)
    yb = y0(batch)
    with torch.no_grad():
        NFEV[0] = 0
        t0 = time.perf_counter()
        out = solve(yb)
        ms = 1e3 * (time.perf_counter() - t0)
    y = out[0] if isinstance(out, tuple) else out
    return {"ms": ms, "threads": threads, "nfev": NFEV[0], "mean": float(y.double().mean()),
            "meanAbs": float(y.double().abs().mean())}


if __name__ == "__main__":
    print("torch %s, %s; serving solves" % (torch.__version__,
                                           torch.backends.mkldnn.is_available() and "oneDNN available" or "no oneDNN"),
          file=sys.stderr, flush=True)
    solvers = {"rk4": rk4, "dopri5": dopri5}
    for line in sys.stdin:  # "CASE BATCH THREADS": one timed solve, one JSON line back
        case, batch, threads = line.split()
        print(json.dumps(once(solvers[case], int(batch), int(threads))), flush=True)
