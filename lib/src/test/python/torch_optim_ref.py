#!/usr/bin/python3
"""Reference trajectories from torch.optim (PyTorch 1.13, Debian python3-torch) for the Java optim tests.

Usage: torch_optim_ref.py SPEC.json OUT.txt

SPEC holds {"cases": [...]}; each case names a problem, the initial parameters, a torch.optim class
with keyword arguments (or parameter groups), a step count, and optionally a learning-rate scheduler,
gradient clipping and the official OrthoGrad projection before the step ("orthograd": true). Gradients come from closed forms written with the same operations in the same
order as the Java test (ReferenceProblems.java), so both sides start every step from identical
gradients. Everything runs in float64 (the default dtype is set to float64 so torch's internal state
scalars, such as NAdam's mu_product, are float64 too).

OUT gets one line per case: the id, then the flattened parameters at steps 0..N (repr, exact).
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)


def grad_rosenbrock(p, data):
    x, y = p[0][0], p[0][1]
    a, b = 1.0, 100.0
    dy = y - x * x
    return [[-2 * (a - x) - 4 * b * x * dy, 2 * b * dy]]


def grad_beale(p, data):
    x, y = p[0][0], p[0][1]
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y * y
    t3 = 2.625 - x + x * y * y * y
    dx = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1)
    dy = 2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y * y)
    return [[dx, dy]]


def grad_quadratic(p, data):
    a = data["A"]
    x = p[0]
    out = []
    for i in range(len(x)):
        s = 0.0
        for j in range(len(x)):
            s += a[i][j] * x[j]
        out.append(s)
    return [out]


def grad_linreg(p, data):
    # params: W [O, J] flattened row-major, b [O]; loss = mean over N*O of (X W^T + b - Y)^2
    X, Y = data["X"], data["Y"]
    W, b = p[0], p[1]
    n_, o_, j_ = len(X), len(b), len(X[0])
    c = 2.0 / (n_ * o_)
    r = [[0.0] * o_ for _ in range(n_)]
    for n in range(n_):
        for o in range(o_):
            s = 0.0
            for j in range(j_):
                s += X[n][j] * W[o * j_ + j]
            r[n][o] = s + b[o] - Y[n][o]
    dW = [0.0] * (o_ * j_)
    db = [0.0] * o_
    for o in range(o_):
        for j in range(j_):
            s = 0.0
            for n in range(n_):
                s += (c * r[n][o]) * X[n][j]
            dW[o * j_ + j] = s
        s = 0.0
        for n in range(n_):
            s += c * r[n][o]
        db[o] = s
    return [dW, db]


def orthogonalize(params):
    """The official OrthoGrad._orthogonalize_gradients (LucasPrietoAl/grokking-at-the-edge-of-numerical-stability,
    orthograd.py), transcribed: per tensor, drop the gradient's component along the weights, keep its norm."""
    with torch.no_grad():
        for p in params:
            w = p.view(-1)
            g = p.grad.view(-1)
            w_norm_sq = torch.dot(w, w) + 1e-30
            proj = torch.dot(w, g) / w_norm_sq
            g_orth = g - proj * w
            g_norm = g.norm(2)
            g_orth_norm = g_orth.norm(2) + 1e-30
            p.grad.copy_((g_orth * (g_norm / g_orth_norm)).view_as(p.grad))


GRADS = {"rosenbrock": grad_rosenbrock, "beale": grad_beale, "quadratic": grad_quadratic, "linreg": grad_linreg}


def scheduler(opt, spec):
    if spec is None:
        return None
    kind = spec["kind"]
    S = torch.optim.lr_scheduler
    if kind == "cosine":
        return S.CosineAnnealingLR(opt, T_max=spec["steps"], eta_min=spec.get("eta_min", 0.0))
    if kind == "linear":
        return S.LinearLR(opt, start_factor=spec["start"], end_factor=spec["end"], total_iters=spec["steps"])
    if kind == "warmup_cosine":
        w = spec["warmup"]
        first = S.LinearLR(opt, start_factor=spec["start"], end_factor=1.0, total_iters=w)
        second = S.CosineAnnealingLR(opt, T_max=spec["total"] - w, eta_min=spec.get("eta_min", 0.0))
        return S.SequentialLR(opt, [first, second], milestones=[w])
    raise ValueError("unknown schedule " + kind)


def run(case):
    problem = case["problem"]
    params = [torch.tensor(v, requires_grad=True) for v in case["x0"]]
    cls = getattr(torch.optim, case["optimizer"])
    if case.get("groups"):
        groups = []
        for g in case["groups"]:
            g = dict(g)
            g["params"] = [params[i] for i in g["params"]]
            groups.append(g)
        opt = cls(groups, **case["kwargs"])
    else:
        opt = cls(params, **case["kwargs"])
    sched = scheduler(opt, case.get("schedule"))
    grad = GRADS[problem]
    out = []

    def record():
        for p in params:
            out.extend(p.detach().tolist())

    record()
    for _ in range(case["steps"]):
        vals = [p.detach().tolist() for p in params]
        gs = grad(vals, case.get("data"))
        for p, g in zip(params, gs):
            p.grad = torch.tensor(g)
        if case.get("orthograd"):
            orthogonalize(params)
        if case.get("clip") is not None:
            torch.nn.utils.clip_grad_norm_(params, case["clip"])
        opt.step()
        if sched is not None:
            sched.step()
        record()
    return out


def main():
    spec = json.load(open(sys.argv[1]))
    with open(sys.argv[2], "w") as f:
        for case in spec["cases"]:
            vals = run(case)
            f.write(case["id"] + " " + " ".join(repr(float(v)) for v in vals) + "\n")


if __name__ == "__main__":
    main()
