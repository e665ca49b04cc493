#!/usr/bin/env bash
# Stiff solvers (Rodas4, Radau5) vs scipy Radau and BDF, same run (see docs/performance.md, "Stiff solvers").
# Usage: bench/stiff.sh [seconds-per-case]   (BUILD_DIR_NAME=target-xyz to use another Maven build dir)
ODE_BENCH=StiffBench exec "$(dirname "${BASH_SOURCE[0]}")/ode.sh" "${1:-1}"
