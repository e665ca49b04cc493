#!/usr/bin/env bash
# Issue 16's compute benchmarks vs PyTorch, with the machine's FMA peak and bandwidth ceiling (see bench/compute.py).
# Usage: ./reprolab bench compute [--runs 3] [--rounds 9]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
exec bash "$(dirname "${BASH_SOURCE[0]}")/python_bench.sh" compute "$@"
