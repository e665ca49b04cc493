#!/bin/sh
# Regenerates the f64 twins of the jvm device's f32 lane code (one source of truth per algorithm).
# Run from anywhere after editing F32Engine, F32Reduce or F32Gemm.
set -e
cd "$(dirname "$0")/src/main/java/org/reprolab/tornado/jvm"
for name in Engine Reduce Gemm Fused Indexed; do
  sed -e 's/float/double/g; s/Float/Double/g; s/F32/F64/g; s/f32/f64/g; s/0f)/0)/g' \
      -e 's/^ \* <p>{@code F64[A-Za-z]*} is .*$/ * <p>Generated from {@code F32'"$name"'} by {@code tornado\/gen-f64.sh}: edit that file and regenerate./' \
      -e 's/^final class F64/@SuppressWarnings("cast") \/\/ casts that are needed in the f32 original\nfinal class F64/' \
      "F32$name.java" > "F64$name.java"
done
