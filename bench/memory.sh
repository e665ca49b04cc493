#!/usr/bin/env bash
# Issue 16 item 7: peak heap / off-heap / RSS of the MLP step and a 1M-sample sampler solve, ours vs PyTorch (see bench/memory.py).
# Usage: ./reprolab bench memory [--runs 3] [--java-opts=-Xmx256m]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
exec bash "$(dirname "${BASH_SOURCE[0]}")/python_bench.sh" memory "$@"
