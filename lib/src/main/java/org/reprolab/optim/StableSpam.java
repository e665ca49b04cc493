package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.Expr;

/**
 * Stable-SPAM (Huang et al., "Stable-SPAM: How to Train in 4-Bit More Stably than 16-Bit Adam", 2025;
 * code TianjinYellow/StableSPAM {@code galore_torch/stablespam.py}) as three transformations, in the
 * code's order: {@link AdaClip} (adaptive spike clipping by a running max of {@code |g|}), {@link AdaGn}
 * (adaptive gradient-norm scaling), and {@link Moments} (Adam with the periodic moment reset), then
 * decoupled weight decay and the learning rate ({@link Optimizers#stableSpam}). Each of the first two
 * needs a reduction of the update entering it, so the chain runs as three fused passes.
 *
 * <p>Step counting follows the code: {@code n} is the optimizer's step (1-based, {@code total_steps});
 * every {@code updateProjGap} steps the moments reset, and the per-tensor step restarts at 1. On the reset step
 * itself the old moments are still updated and used, with {@code t = 1}; the zeros take effect on the
 * next step (the code replaces the state tensors but keeps using its local references). With
 * {@code totalT > 0}, {@code beta1} and {@code gamma1} are multiplied by the cosine factor
 * {@code etaMin + (1 - etaMin)(1 + cos(pi n/(totalT+1)))/2} (the code's {@code CosineDecay}).
 * Assumes every tensor receives a gradient on every step, as the code's counters do.
 */
public final class StableSpam {
    private StableSpam() {}

    /** The code's per-tensor {@code state['step']} as seen before its reset check at optimizer step {@code n}. */
    static long stepBeforeReset(long n, int gap) {
        if (gap == 0) return n;
        long r = ((n - 1) / gap) * gap;
        return r == 0 ? n : n - r + 1;
    }

    /** The step the moments use at optimizer step {@code n} (1 on a reset step). */
    static long momentStep(long n, int gap) {
        return gap != 0 && n % gap == 0 ? 1 : stepBeforeReset(n, gap);
    }

    /** Whether the moments start from zero at step {@code n} (the step after a reset). */
    static boolean freshMoments(long n, int gap) {
        return gap != 0 && n > gap && (n - 1) % gap == 0;
    }

    /** The cosine factor on beta1 and gamma1 ({@code 1} when {@code totalT == 0}). */
    static double scale(long n, int totalT, double etaMin) {
        if (totalT == 0) return 1;
        return etaMin + (1.0 - etaMin) * (1 + Math.cos(Math.PI * n / (totalT + 1))) / 2;
    }

    /**
     * AdaClip: {@code M = theta M + (1-theta) max|u|}, {@code M^ = M / (1 - theta^t)}; entries with
     * {@code |u| > M^} become {@code u / max|u| * M^}.
     */
    public record AdaClip(double theta, int updateProjGap) implements Elementwise {
        public AdaClip {
            Check.beta("Stable-SPAM", "theta", theta);
            Check.that(updateProjGap >= 0, "Stable-SPAM", "update_proj_gap must be >= 0, got " + updateProjGap);
        }

        @Override public String name() { return "stable_spam_ada_clip"; }
        @Override public int hostSlots() { return 1; }
        @Override public List<Reduction> reductions() { return List.of(new Reduction(Reduction.Of.UPDATE, ReduceOp.MAX_ABS)); }
        @Override public int scalarCount() { return 2; }

        @Override
        public void scalars(Step s, double[] host, double[] out) {
            double max = s.reduced()[0];
            host[0] = theta * host[0] + (1 - theta) * max;
            out[0] = host[0] / (1 - Math.pow(theta, stepBeforeReset(s.count() + 1, updateProjGap)));
            out[1] = max;
        }

        @Override
        public Expr apply(Pass p) {
            Expr u = p.update();
            return u.abs().gt(p.scalar(0)).where(u.div(p.scalar(1)).mul(p.scalar(0)), u);
        }
    }

    /**
     * AdaGN: with {@code r = ||u||}, {@code a = g1 a + (1-g1) r}, {@code b = g2 b + (1-g2) r^2}, both
     * bias-corrected; output {@code u / r * a^ / (sqrt(b^) + eps)} (unchanged when {@code r = 0}).
     */
    public record AdaGn(double gamma1, double gamma2, double eps, int updateProjGap, int totalT, double etaMin) implements Elementwise {
        public AdaGn {
            Check.beta("Stable-SPAM", "gamma1", gamma1);
            Check.beta("Stable-SPAM", "gamma2", gamma2);
            Check.nonNegative("Stable-SPAM", "eps", eps);
            Check.that(updateProjGap >= 0, "Stable-SPAM", "update_proj_gap must be >= 0, got " + updateProjGap);
            Check.that(totalT >= 0, "Stable-SPAM", "total_T must be >= 0 (0 for none), got " + totalT);
            Check.unit("Stable-SPAM", "eta_min", etaMin);
        }

        @Override public String name() { return "stable_spam_ada_gn"; }
        @Override public int hostSlots() { return 2; }
        @Override public List<Reduction> reductions() { return List.of(Reduction.sumSquares(Reduction.Of.UPDATE)); }
        @Override public int scalarCount() { return 2; }

        @Override
        public void scalars(Step s, double[] host, double[] out) {
            long n = s.count() + 1, t = stepBeforeReset(n, updateProjGap);
            double g1 = gamma1 * scale(n, totalT, etaMin);
            double r = Math.sqrt(s.reduced()[0]);
            host[0] = g1 * host[0] + (1 - g1) * r;
            host[1] = gamma2 * host[1] + (1 - gamma2) * (r * r);
            double a = host[0] / (1 - Math.pow(g1, t));
            double b = host[1] / (1 - Math.pow(gamma2, t));
            double c = a / (Math.sqrt(b) + eps);
            out[0] = r > 0 ? r : 1;
            out[1] = r > 0 ? c : 1;
        }

        @Override
        public Expr apply(Pass p) {
            return p.update().div(p.scalar(0)).mul(p.scalar(1));
        }
    }

    /**
     * Adam's moments with the reset every {@code updateProjGap} steps and {@code beta1} scaled by the cosine
     * factor; output {@code (m / (sqrt(v)/sqrt(bc2) + eps)) / bc1}.
     */
    public record Moments(double beta1, double beta2, double eps, int updateProjGap, int totalT, double etaMin) implements Elementwise {
        public Moments {
            Check.beta("Stable-SPAM", "beta1", beta1);
            Check.beta("Stable-SPAM", "beta2", beta2);
            Check.nonNegative("Stable-SPAM", "eps", eps);
            Check.that(updateProjGap >= 0, "Stable-SPAM", "update_proj_gap must be >= 0, got " + updateProjGap);
            Check.that(totalT >= 0, "Stable-SPAM", "total_T must be >= 0 (0 for none), got " + totalT);
            Check.unit("Stable-SPAM", "eta_min", etaMin);
        }

        @Override public String name() { return "stable_spam_moments"; }
        @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_sq")); }
        @Override public int scalarCount() { return 7; }

        @Override
        public void scalars(Step s, double[] host, double[] out) {
            long n = s.count() + 1, t = momentStep(n, updateProjGap);
            double b1 = beta1 * scale(n, totalT, etaMin);
            boolean fresh = freshMoments(n, updateProjGap);
            out[0] = fresh ? 0 : b1;
            out[1] = 1 - b1;
            out[2] = fresh ? 0 : beta2;
            out[3] = 1 - beta2;
            out[4] = Math.sqrt(1 - Math.pow(beta2, t));
            out[5] = eps;
            out[6] = 1 - Math.pow(b1, t);
        }

        @Override
        public Expr apply(Pass p) {
            Expr u = p.update();
            Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(u));
            Expr v = p.scalar(2).mul(p.slot("exp_avg_sq")).add(p.scalar(3).mul(u.mul(u)));
            p.slot("exp_avg", m);
            p.slot("exp_avg_sq", v);
            return m.div(v.sqrt().div(p.scalar(4)).add(p.scalar(5))).div(p.scalar(6));
        }
    }
}
