package org.reprolab.federated;

import java.io.Serializable;

/**
 * What a client sends back: its (possibly compressed) update to the server's model, its new state,
 * the upload's size in bytes, its mean local training loss and how many examples it holds (the
 * aggregation weight).
 */
public record ClientResult(int client, double[] update, double[][] state, long bytes, double loss, int examples) implements Serializable {}
