package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023; code
 * google/automl {@code lion/lion_pytorch.py}): output {@code sign(b1 m + (1-b1) u)}, then
 * {@code m = b2 m + (1-b2) u}. One slot: half of Adam's state. sign(0) = 0.
 *
 * <p>The Lion-κ view (Chen, Liu, Liang, Liu, "Lion Secretly Solves Constrained Optimization: As
 * Lyapunov Predicts", ICLR 2024): the sign is the gradient {@code ∇K} of the convex function
 * {@code K(x) = ||x||_1}, and any convex {@code K} gives an optimizer that, with decoupled weight decay
 * {@code λ}, minimises {@code f} subject to {@code ||λ x||_{K*} <= 1} ({@code ||x||_inf <= 1/λ} for
 * Lion). {@link Kappa} picks {@code ∇K} among the separable cases, so every variant is this one rule.
 */
public record ScaleByLion(@Range(UNIT) double beta1, @Range(UNIT) double beta2, Kappa kappa) implements Elementwise {

    /** {@code ∇K} of a separable convex {@code K}, applied element-wise. */
    public enum Kappa {
        /** {@code K = ||x||_1}: {@code sign(x)}, Lion itself; constraint {@code ||λx||_inf <= 1}. */
        L1,
        /** {@code K = ||x||^2 / 2}: {@code x}, heavy-ball-like momentum; no constraint, plain weight decay. */
        L2_SQUARED,
        /** {@code K} = Huber with threshold 1: {@code clamp(x, -1, 1)}; constraint {@code ||λx||_inf <= 1} as well. */
        HUBER
    }

    public ScaleByLion {
        Hyper.check("Lion", ScaleByLion.class, beta1, beta2, kappa);
    }

    /** Lion itself ({@code K = ||x||_1}). */
    public ScaleByLion(double beta1, double beta2) {
        this(beta1, beta2, Kappa.L1);
    }

    @Override public String name() { return "scale_by_lion"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg")); }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update(), m = p.slot("exp_avg");
        Expr c = p.ema("beta1", m, u);
        p.slot("exp_avg", p.ema("beta2", m, u));
        return switch (kappa) {
            case L1 -> c.sign();
            case L2_SQUARED -> c;
            case HUBER -> c.clamp(-1, 1);
        };
    }
}
