package org.reprolab.tornado;

/**
 * What a device can do, for callers that choose precision or split work.
 *
 * @param fp64              whether f64 buffers and kernels are supported (OpenCL: {@code cl_khr_fp64})
 * @param maxAllocationBytes the largest single buffer in bytes ({@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}
 *                           is 2 GiB on PoCL, acceleration.md §3.2)
 * @param computeUnits      parallel workers (JVM: ForkJoin parallelism; OpenCL: compute units)
 * @param unifiedMemory     whether device memory is host memory (no PCIe copy behind a transfer)
 */
public record Capabilities(boolean fp64, long maxAllocationBytes, int computeUnits, boolean unifiedMemory) {}
