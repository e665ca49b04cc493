#!/usr/bin/python3
"""Kernel latency, measured through jupyter_client as a notebook front end sees it.

  cold start:  launch the kernel process -> kernel_info reply, and -> first trivial cell done
               (median of 5 fresh kernels)
  round trip:  execute_request '1 + 1' -> execute_reply and idle (median of 100, warm kernel)
  ten-snippet cell: a cell of ten declarations and statements (compiled as a whole before it runs,
               then run snippet by snippet) against the same ten snippets sent as ten one-snippet
               cells (median of 20 each): what the whole-cell check costs

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


TEN_SNIPPETS = """int n_N = 20, r_N = 3;
double alpha_N = 0.5;
int sq_N(int a) { return a * a; }
var list_N = new java.util.ArrayList<Integer>();
for (int i = 0; i < 5; i++) list_N.add(sq_N(i));
double m_N = list_N.stream().mapToInt(x -> x).average().orElse(0);
record P_N(double x) {}
var p_N = new P_N(m_N);
String label_N = "m=" + m_N;
label_N.length();"""


def round_trip(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=60)
    wait_idle(kc, msg_id)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {reply['content']}")
    return time.perf_counter() - t0


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
    trips = [round_trip(kc, "1 + 1") for _ in range(100)]
    whole, split = [], []
    for i in range(20):
        snippets = TEN_SNIPPETS.replace("_N", f"_{i}").split("\n")
        whole.append(round_trip(kc, "\n".join(snippets)))
        split.append(sum(round_trip(kc, s.replace(f"_{i}", f"_{i}s")) for s in snippets))
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    print(f"kernel ready (kernel_info reply), median of 5 cold starts: {statistics.median(readies):.2f} s  (all: {', '.join(f'{r:.2f}' for r in readies)})")
    print(f"first trivial cell done, median of 5 cold starts:          {statistics.median(firsts):.2f} s  (all: {', '.join(f'{r:.2f}' for r in firsts)})")
    print(f"trivial cell round trip, median of 100:                    {1000 * statistics.median(trips):.1f} ms  (p90 {1000 * statistics.quantiles(trips, n=10)[-1]:.1f} ms)")
    print(f"ten-snippet cell, median of 20:                            {1000 * statistics.median(whole):.0f} ms  "
          f"(as ten one-snippet cells: {1000 * statistics.median(split):.0f} ms, ratio {statistics.median(whole) / statistics.median(split):.2f})")


if __name__ == "__main__":
    main()
