package org.reprolab.tornado.graph;

/**
 * What one {@link ExecutionPlan#execute()} did.
 *
 * @param execution  0 for the first execution of the plan
 * @param nanos      wall time including transfers and a final device synchronisation
 * @param bytesToDevice bytes copied host to device in this execution
 * @param bytesToHost   bytes copied device to host in this execution
 */
public record ExecutionResult(long execution, long nanos, long bytesToDevice, long bytesToHost) {}
