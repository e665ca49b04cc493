package org.reprolab.federated;

import java.io.Serializable;

/**
 * How a client trains between two communications: {@code steps} mini-batch steps of size
 * {@code batch} at learning rate {@code lr}, starting from the server's model. The rules differ in the
 * direction of a local step.
 */
public sealed interface LocalRule extends Serializable permits LocalRule.Sgd, LocalRule.GlobalMomentum, LocalRule.FedSpeed {

    double lr();

    int steps();

    /** Arrays of client state the rule keeps between the client's rounds (FedSpeed's correction γ_i). */
    default int stateArrays() {
        return 0;
    }

    /** FedAvg's local SGD (McMahan et al., AISTATS 2017): x ← x − lr·∇f_i(x; ξ). */
    record Sgd(double lr, int steps) implements LocalRule {
        public Sgd {
            check(lr, steps);
        }
    }

    /**
     * FedAvg-M (Cheng, Huang, Wu, Yuan, ICLR 2024, Alg. 1): every local step mixes the fresh gradient
     * with the server's momentum from the previous round, d = β·∇f_i(x; ξ) + (1 − β)·m_r, x ← x − lr·d;
     * the server sets m_{r+1} = (x_r − x_{r+1}) / (lr·steps), the average local direction. Because
     * m_r carries the average gradient of all clients into each client's steps, client drift stays
     * bounded without a bound on heterogeneity. The first round (no momentum yet) uses the plain gradient.
     */
    record GlobalMomentum(double lr, int steps, double beta) implements LocalRule {
        public GlobalMomentum {
            check(lr, steps);
            if (!(beta > 0 && beta <= 1)) throw new IllegalArgumentException("GlobalMomentum: beta must be in (0, 1], got " + beta);
        }
    }

    /**
     * FedSpeed (Sun, Shen, Li, Tao, ICLR 2023, Alg. 1). A local step uses the merged gradient
     * g̃ = (1 − α)·g + α·∇f_i(x + ρ·g/‖g‖) (g = ∇f_i(x), same mini-batch: a SAM-like extra ascent
     * step) and the prox-corrected direction x ← x − lr·(g̃ − γ_i + (x − x_server)/λ). After the
     * local steps the correction is updated, γ_i ← γ_i − (x_i − x_server)/λ, and the client uploads
     * x_i − λ·γ_i. At a fixed point x_i = x_server and γ_i = ∇f_i(x), and the server's average gives
     * Σ∇f_i = 0: the global optimum, however many local steps (tested on quadratics).
     */
    record FedSpeed(double lr, int steps, double lambda, double alpha, double rho) implements LocalRule {
        public FedSpeed {
            check(lr, steps);
            if (!(lambda > 0)) throw new IllegalArgumentException("FedSpeed: lambda must be > 0, got " + lambda);
            if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("FedSpeed: alpha must be in [0, 1], got " + alpha);
            if (!(rho >= 0)) throw new IllegalArgumentException("FedSpeed: rho must be >= 0, got " + rho);
        }

        @Override
        public int stateArrays() {
            return 1;
        }
    }

    private static void check(double lr, int steps) {
        if (!(lr > 0)) throw new IllegalArgumentException("local rule: lr must be > 0, got " + lr);
        if (steps < 1) throw new IllegalArgumentException("local rule: steps must be >= 1, got " + steps);
    }
}
