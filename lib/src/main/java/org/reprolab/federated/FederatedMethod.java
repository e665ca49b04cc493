package org.reprolab.federated;

import java.io.Serializable;
import java.util.Objects;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.Transform;

/**
 * A federated algorithm as four independent choices: the clients' {@link LocalRule}, the server's
 * optimizer (an Optax-style chain fed the pseudo-gradient x − mean_i(x_i), the negative average
 * update: {@code sgd(1)} is plain averaging, {@code sgd(1, 0.9)} server momentum, {@code adam(...)}
 * FedAdam — Reddi et al., ICLR 2021), the uplink {@link Compressor}, and the aggregation schedule:
 * synchronous rounds, or asynchronous with a buffer (FedBuff, Nguyen et al., AISTATS 2022; FedAsync,
 * Xie et al., 2019, is buffer 1) where an update computed from a model {@code s} versions old is
 * weighted (1 + s)^(−a).
 *
 * @param buffer             updates per asynchronous aggregation; 0 = synchronous rounds
 * @param stalenessExponent  the a of the staleness weight (asynchronous only)
 */
public record FederatedMethod(String name, LocalRule local, Transform server, Compressor compressor, int buffer, double stalenessExponent)
        implements Serializable {

    public FederatedMethod {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(compressor, "compressor");
        if (buffer < 0) throw new IllegalArgumentException("FederatedMethod: buffer must be >= 0 (0 = synchronous), got " + buffer);
        if (!(stalenessExponent >= 0)) throw new IllegalArgumentException("FederatedMethod: stalenessExponent must be >= 0, got " + stalenessExponent);
    }

    /** FedAvg: local SGD, the server averages (McMahan et al., AISTATS 2017). */
    public static FederatedMethod fedAvg(double lr, int steps) {
        return new FederatedMethod("FedAvg", new LocalRule.Sgd(lr, steps), Optimizers.sgd(1), new Compressor.Dense(), 0, 0);
    }

    /** FedAvg-M: the server's momentum inside every local step (Cheng et al., ICLR 2024). */
    public static FederatedMethod fedAvgM(double lr, int steps, double beta) {
        return new FederatedMethod("FedAvg-M", new LocalRule.GlobalMomentum(lr, steps, beta), Optimizers.sgd(1), new Compressor.Dense(), 0, 0);
    }

    /** FedSpeed: prox-correction and a merged perturbed gradient (Sun et al., ICLR 2023). */
    public static FederatedMethod fedSpeed(double lr, int steps, double lambda, double alpha, double rho) {
        return new FederatedMethod("FedSpeed", new LocalRule.FedSpeed(lr, steps, lambda, alpha, rho), Optimizers.sgd(1), new Compressor.Dense(), 0, 0);
    }

    /** The same method with another server optimizer. */
    public FederatedMethod server(Transform chain) {
        return new FederatedMethod(name, local, chain, compressor, buffer, stalenessExponent);
    }

    /** The same method with a compressed uplink. */
    public FederatedMethod compress(Compressor c) {
        return new FederatedMethod(name, local, server, c, buffer, stalenessExponent);
    }

    /** The same method aggregated asynchronously, {@code buffer} updates at a time, staleness weight (1 + s)^(−a). */
    public FederatedMethod async(int buffer, double a) {
        if (buffer < 1) throw new IllegalArgumentException("FederatedMethod.async: buffer must be >= 1, got " + buffer);
        return new FederatedMethod(name, local, server, compressor, buffer, a);
    }

    /** The same method under another name. */
    public FederatedMethod named(String label) {
        return new FederatedMethod(label, local, server, compressor, buffer, stalenessExponent);
    }

    @Override
    public String toString() {
        return name;
    }
}
