#!/usr/bin/python3
"""Kernel latency, measured through jupyter_client as a notebook front end sees it.

  cold start:  launch the kernel process -> kernel_info reply, and -> first trivial cell done
               (median of 5 fresh kernels)
  round trip:  execute_request '1 + 1' -> execute_reply and idle (median of 100, warm kernel)

Run: ./reprolab bench kernel      (needs ./reprolab build and install-kernel first; the script does both)
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def wait_idle(kc, msg_id, timeout=60):
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def cold_start(name):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)          # kernel_info round trip
        ready = time.perf_counter() - t0
        msg_id = kc.execute("1 + 1")
        kc.get_shell_msg(timeout=60)
        wait_idle(kc, msg_id)
        first = time.perf_counter() - t0
        return ready, first, km, kc
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "reprolab"
    readies, firsts = [], []
    for i in range(5):
        ready, first, km, kc = cold_start(name)
        readies.append(ready)
        firsts.append(first)
        if i < 4:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    trips = []
    for _ in range(100):
        t0 = time.perf_counter()
        msg_id = kc.execute("1 + 1")
        kc.get_shell_msg(timeout=60)
        wait_idle(kc, msg_id)
        trips.append(time.perf_counter() - t0)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    print(f"kernel ready (kernel_info reply), median of 5 cold starts: {statistics.median(readies):.2f} s  (all: {', '.join(f'{r:.2f}' for r in readies)})")
    print(f"first trivial cell done, median of 5 cold starts:          {statistics.median(firsts):.2f} s  (all: {', '.join(f'{r:.2f}' for r in firsts)})")
    print(f"trivial cell round trip, median of 100:                    {1000 * statistics.median(trips):.1f} ms  (p90 {1000 * statistics.quantiles(trips, n=10)[-1]:.1f} ms)")


if __name__ == "__main__":
    main()
