#!/usr/bin/python3
"""Learning rates of torch.optim.lr_scheduler (PyTorch 1.13) for the Java schedule tests.

Usage: torch_schedule_ref.py SPEC.json OUT.txt

SPEC holds {"cases": [...]}; each case names a scheduler class, its keyword arguments and a step
count, and for ReduceLROnPlateau the metric observed after each step. The optimizer is SGD with
lr = 1 on one dummy parameter, so the rate is the multiplier the Java schedule gives. OUT gets one
line per case: the id, then the rate before steps 0..N-1 (repr, exact).
"""
import json
import sys

import torch


def run(case):
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([p], lr=1.0, momentum=0.9)
    cls = getattr(torch.optim.lr_scheduler, case["scheduler"])
    sched = cls(opt, **case["kwargs"])
    out = []
    metrics = case.get("metrics")
    for i in range(case["steps"]):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
    return out


def main():
    spec = json.load(open(sys.argv[1]))
    with open(sys.argv[2], "w") as f:
        for case in spec["cases"]:
            f.write(case["id"] + " " + " ".join(repr(float(v)) for v in run(case)) + "\n")


if __name__ == "__main__":
    main()
