package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Prodigy (Mishchenko and Defazio, "Prodigy: An Expeditiously Adaptive Parameter-Free Learner", ICML
 * 2024; code konstmish/prodigy {@code prodigyopt/prodigy.py} at commit 009a715): Adam whose step size
 * is {@code d lr}, with {@code d} an estimate of the distance to the solution grown from {@code d0}.
 * Per step, with {@code c = (d/d0) d lr bc} ({@code (d/d0) d} with {@code safeguardWarmup}) and
 * {@code bc = sqrt(1 - beta2^t)/(1 - beta1^t)} if {@code biasCorrection} else 1, over the group:
 * <pre>
 *   N = beta3 N + (d/d0) d lr bc sum g.(p0 - p);   s = beta3 s + c g;   D = sum |s|
 *   d_hat = dCoef N / D;  d = max(d, d_hat) while d = d0;  d_max = max(d_max, d_hat);  d = min(d_max, d growthRate)
 *   m = beta1 m + d_old (1 - beta1) g;  v = beta2 v + d_old^2 (1 - beta2) g^2
 *   output d_old bc (m / (sqrt(v) + d eps) + weightDecay p)       (then -lr from scale_by_learning_rate)
 * </pre>
 * with {@code p0} the parameter at the first step. The sums come from row products (the dot product,
 * and {@code |s|} with {@code c} from the last step's estimate) over the tensors of the group, so
 * {@code d} is one estimate per parameter group, where the code keeps one for all groups (the same
 * with one group). The weight decay is the code's decoupled one ({@code decouple=True}); its L2 form
 * is {@code add_decayed_weights} before this link. {@code beta3} NaN means the code's default
 * {@code sqrt(beta2)}. When {@code D = 0} (all gradients zero) the code returns before stepping; so
 * does this (moments and {@code s} updated, parameters and {@code d} not).
 */
public record ScaleByProdigy(@Range(BETA) double beta1, @Range(BETA) double beta2, double beta3, @Range(POSITIVE) double eps,
        @Range(POSITIVE) double d0, @Range(POSITIVE) double dCoef, double growthRate, @Range(NON_NEGATIVE) double weightDecay,
        boolean biasCorrection, boolean safeguardWarmup) implements Elementwise {

    private static final int D = 0, D_MAX = 1, NUM = 2, D_OLD = 3, C = 4, ACTIVE = 5;

    public ScaleByProdigy {
        Hyper.check("Prodigy", ScaleByProdigy.class, beta1, beta2, beta3, eps, d0, dCoef, growthRate, weightDecay, biasCorrection,
                safeguardWarmup);
        Check.that(Double.isNaN(beta3) || (beta3 >= 0 && beta3 < 1), "Prodigy", "beta3 must be in [0, 1) or NaN (sqrt(beta2)), got " + beta3);
        Check.that(growthRate > 0, "Prodigy", "growth_rate must be > 0 (infinity for no limit), got " + growthRate);
    }

    @Override public String name() { return "scale_by_prodigy"; }

    @Override
    public List<Slot> slots() {
        return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_sq"), Slot.zeros("s"), Slot.zeros("p0"));
    }

    @Override public double[] hostState() { return new double[] {d0, d0, 0, d0, 0, 0}; }
    @Override public int rowProductCount() { return 2; }

    private double beta3Value() {
        return Double.isNaN(beta3) ? Math.sqrt(beta2) : beta3;
    }

    private double bc(Step s) {
        return biasCorrection ? Math.sqrt(1 - Math.pow(beta2, s.t())) / (1 - Math.pow(beta1, s.t())) : 1;
    }

    /** {@code c}, the gain of {@code s} at this step, from the estimate {@code d} the last step left. */
    private double gain(Step s) {
        double d = s.host()[D];
        return safeguardWarmup ? d / d0 * d : d / d0 * (d * s.requireLr(name()) * bc(s));
    }

    private static Expr p0(Pass p) {
        return p.scalar("first", s -> s.t() == 1 ? 1 : 0).where(p.param(), p.slot("p0"));
    }

    private Expr s(Pass p, Expr c) {
        return p.scalar("beta3", s -> beta3Value()).mul(p.slot("s")).add(c.mul(p.update()));
    }

    @Override
    public List<Expr> rowProducts(Pass p) {
        return List.of(p.update().mul(p0(p).sub(p.param())), s(p, p.scalar("c", this::gain)).abs());
    }

    @Override
    public void advance(Step s) {
        double[] h = s.host();
        double d = h[D], lr = s.requireLr(name());
        h[D_OLD] = d;
        h[C] = gain(s);
        double num = beta3Value() * h[NUM] + d / d0 * (d * lr * bc(s)) * s.groupRowTotals()[0], denom = s.groupRowTotals()[1];
        h[ACTIVE] = denom == 0 ? 0 : 1;
        if (denom == 0) return;
        h[NUM] = num;
        if (lr > 0) {
            double dHat = dCoef * num / denom;
            if (d == d0) d = Math.max(d, dHat);
            h[D_MAX] = Math.max(h[D_MAX], dHat);
            h[D] = Math.min(h[D_MAX], d * growthRate);
        }
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        p.slot("p0", p0(p));
        p.slot("s", s(p, p.scalar("c", s -> s.host()[C])));
        Expr m = p.hyper("beta1").mul(p.slot("exp_avg")).add(p.scalar("m gain", s -> s.host()[D_OLD] * (1 - beta1)).mul(u));
        Expr v = p.hyper("beta2").mul(p.slot("exp_avg_sq"))
                .add(p.scalar("v gain", s -> s.host()[D_OLD] * s.host()[D_OLD] * (1 - beta2)).mul(u).mul(u));
        p.slot("exp_avg", m);
        p.slot("exp_avg_sq", v);
        Expr denom = v.sqrt().add(p.scalar("d eps", s -> s.host()[D] * eps));
        Expr step = p.scalar("step", s -> s.host()[ACTIVE] * s.host()[D_OLD] * bc(s));
        return step.mul(m.div(denom).add(p.hyper("weightDecay").mul(p.param())));
    }
}
