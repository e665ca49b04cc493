package org.reprolab.tornado.graph;

/**
 * When a host array is copied between host and device, as in TornadoVM's
 * {@code uk.ac.manchester.tornado.api.enums.DataTransferMode}. Keeping optimizer state on the device
 * ({@code FIRST_EXECUTION}) is what makes a fused update worth running there: acceleration.md §3.5
 * measured ~4x lost throughput when p, g, m, v are copied on every step even on PoCL.
 */
public enum DataTransferMode {
    /** Copied on the first execution only (and after {@link ExecutionPlan#copyIn}); then resident. */
    FIRST_EXECUTION,
    /** Copied on every execution. */
    EVERY_EXECUTION,
    /** Device to host only: copied when asked, with {@link ExecutionPlan#transferToHost}. */
    UNDER_DEMAND
}
