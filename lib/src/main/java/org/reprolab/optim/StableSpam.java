package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

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
    public record AdaClip(@Range(BETA) double theta, @Range(NOT_NEGATIVE) int updateProjGap) implements Elementwise {
        public AdaClip {
            Hyper.check("Stable-SPAM", AdaClip.class, theta, updateProjGap);
        }

        @Override public String name() { return "stable_spam_ada_clip"; }
        @Override public double[] hostState() { return new double[1]; }
        @Override public List<Reduction> reductions() { return List.of(new Reduction(Reduction.Of.UPDATE, ReduceOp.MAX_ABS)); }

        @Override
        public void advance(Step s) {
            s.host()[0] = theta * s.host()[0] + (1 - theta) * s.reduced()[0];
        }

        @Override
        public Expr apply(Pass p) {
            Expr u = p.update();
            Expr bound = p.scalar("bound", s -> s.host()[0] / (1 - Math.pow(theta, stepBeforeReset(s.count() + 1, updateProjGap))));
            Expr max = p.scalar("max", s -> s.reduced()[0]);
            return u.abs().gt(bound).where(u.div(max).mul(bound), u);
        }
    }

    /**
     * AdaGN: with {@code r = ||u||}, {@code a = g1 a + (1-g1) r}, {@code b = g2 b + (1-g2) r^2}, both
     * bias-corrected; output {@code u / r * a^ / (sqrt(b^) + eps)} (unchanged when {@code r = 0}).
     */
    public record AdaGn(@Range(BETA) double gamma1, @Range(BETA) double gamma2, @Range(NON_NEGATIVE) double eps,
            @Range(NOT_NEGATIVE) int updateProjGap, @Range(NOT_NEGATIVE) int totalT, @Range(UNIT) double etaMin) implements Elementwise {
        public AdaGn {
            Hyper.check("Stable-SPAM", AdaGn.class, gamma1, gamma2, eps, updateProjGap, totalT, etaMin);
        }

        @Override public String name() { return "stable_spam_ada_gn"; }
        @Override public double[] hostState() { return new double[2]; }
        @Override public List<Reduction> reductions() { return List.of(Reduction.sumSquares(Reduction.Of.UPDATE)); }

        /** {@code gamma1} at optimizer step {@code n}, with the cosine factor. */
        private double g1(long n) {
            return gamma1 * scale(n, totalT, etaMin);
        }

        @Override
        public void advance(Step s) {
            double g1 = g1(s.count() + 1), r = Math.sqrt(s.reduced()[0]);
            double[] host = s.host();
            host[0] = g1 * host[0] + (1 - g1) * r;
            host[1] = gamma2 * host[1] + (1 - gamma2) * (r * r);
        }

        /** {@code a^ / (sqrt(b^) + eps)}, after {@link #advance}. */
        private double gain(Step s) {
            long n = s.count() + 1, t = stepBeforeReset(n, updateProjGap);
            double a = s.host()[0] / (1 - Math.pow(g1(n), t));
            double b = s.host()[1] / (1 - Math.pow(gamma2, t));
            return a / (Math.sqrt(b) + eps);
        }

        @Override
        public Expr apply(Pass p) {
            Expr norm = p.scalar("norm", s -> s.reduced()[0] > 0 ? Math.sqrt(s.reduced()[0]) : 1);
            return p.update().div(norm).mul(p.scalar("gain", s -> s.reduced()[0] > 0 ? gain(s) : 1));
        }
    }

    /**
     * Adam's moments with the reset every {@code updateProjGap} steps and {@code beta1} scaled by the cosine
     * factor; output {@code (m / (sqrt(v)/sqrt(bc2) + eps)) / bc1}.
     */
    public record Moments(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps,
            @Range(NOT_NEGATIVE) int updateProjGap, @Range(NOT_NEGATIVE) int totalT, @Range(UNIT) double etaMin) implements Elementwise {
        public Moments {
            Hyper.check("Stable-SPAM", Moments.class, beta1, beta2, eps, updateProjGap, totalT, etaMin);
        }

        @Override public String name() { return "stable_spam_moments"; }
        @Override public List<Slot> slots() { return AdamMoments.slots(); }

        /** {@code beta1} at optimizer step {@code n}, with the cosine factor. */
        private double b1(long n) {
            return beta1 * scale(n, totalT, etaMin);
        }

        private static boolean fresh(Step s, int gap) {
            return freshMoments(s.count() + 1, gap);
        }

        private long t(Step s) {
            return momentStep(s.count() + 1, updateProjGap);
        }

        @Override
        public Expr apply(Pass p) {
            Expr u = p.update();
            Expr b1 = p.scalar("beta1", s -> fresh(s, updateProjGap) ? 0 : b1(s.count() + 1));
            Expr c1 = p.scalar("1 - beta1", s -> 1 - b1(s.count() + 1));
            Expr b2 = p.scalar("beta2", s -> fresh(s, updateProjGap) ? 0 : beta2);
            Expr m = b1.mul(p.slot("exp_avg")).add(c1.mul(u));
            Expr v = b2.mul(p.slot("exp_avg_sq")).add(p.complement("beta2").mul(u.mul(u)));
            p.slot("exp_avg", m);
            p.slot("exp_avg_sq", v);
            Expr sqrtBc2 = p.scalar("sqrt_bc2", s -> Math.sqrt(1 - Math.pow(beta2, t(s))));
            Expr bc1 = p.scalar("bc1", s -> 1 - Math.pow(b1(s.count() + 1), t(s)));
            return m.div(v.sqrt().div(sqrtBc2).add(p.hyper("eps"))).div(bc1);
        }
    }
}
