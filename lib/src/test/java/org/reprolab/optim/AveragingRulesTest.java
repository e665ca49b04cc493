package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/**
 * Lookahead and schedule-free SGD/AdamW against their official code's arithmetic, re-implemented here
 * as scalar loops (michaelrzhang/lookahead around torch SGD and Adam; facebookresearch/schedule_free's
 * {@code SGDScheduleFree} and {@code AdamWScheduleFree} with warmup, weight decay and polynomial
 * weighting): 100 steps on the three reference problems, 1e-12.
 */
class AveragingRulesTest {
    static final int STEPS = OfficialRulesTest.STEPS;

    /** torch SGD with momentum ({@code buf = g} first, then {@code mu buf + g}) or torch Adam, one step. */
    record Inner(boolean adam, double lr, double mu, double[] m, double[] v) {
        void step(double[] x, double[] g, int t) {
            if (!adam) {
                for (int i = 0; i < x.length; i++) {
                    m[i] = t == 1 ? g[i] : mu * m[i] + g[i];
                    x[i] -= lr * m[i];
                }
                return;
            }
            double bc1 = 1 - Math.pow(0.9, t), bc2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < x.length; i++) {
                m[i] = m[i] * 0.9 + g[i] * (1 - 0.9);
                v[i] = v[i] * 0.999 + g[i] * g[i] * (1 - 0.999);
                x[i] -= lr / bc1 * (m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-8));
            }
        }
    }

    @Test
    void lookaheadAroundSgdAndAdam() {
        record Cfg(boolean adam, int k, double alpha) {}
        for (Cfg c : List.of(new Cfg(false, 5, 0.5), new Cfg(true, 3, 0.8), new Cfg(true, 1, 0.3)))
            for (ReferenceProblems p : ReferenceProblems.three()) {
                int n = p.x0().get(0).length;
                double lr = c.adam() ? 1e-2 : 1e-4;
                Inner inner = new Inner(c.adam(), lr, 0.9, new double[n], new double[n]);
                double[] cached = p.x0().get(0).clone();
                int[] la = {0};
                Chain chain = Optimizers.lookahead(c.adam() ? Optimizers.adam(lr) : Optimizers.sgd(lr, 0.9), c.k(), c.alpha());
                OfficialRulesTest.check("Lookahead " + c, chain, p, (x, g, t) -> {
                    inner.step(x, g, t);
                    if (++la[0] >= c.k()) {
                        la[0] = 0;
                        for (int i = 0; i < n; i++) {
                            x[i] = x[i] * c.alpha() + cached[i] * (1 - c.alpha());
                            cached[i] = x[i];
                        }
                    }
                });
            }
    }

    /** The official step on y in place; {@code z} and the group scalars {@code [weight_sum, lr_max]} carried. */
    record Sf(boolean adam, double lr, double beta1, double beta2, double eps, double decay, int warmup, double r, double power,
            double[] z, double[] v, double[] group) {
        Sf(boolean adam, double lr, double beta1, double decay, int warmup, double r, int n) {
            this(adam, lr, beta1, 0.999, 1e-8, decay, warmup, r, 2, new double[n], new double[n], new double[] {0, -1});
        }

        void step(double[] y, double[] g0, int t) {
            int k = t - 1;
            if (k == 0) System.arraycopy(y, 0, z, 0, y.length);
            double sched = k < warmup ? (k + 1.0) / warmup : 1.0;
            double lrt = adam ? lr * sched * Math.sqrt(1 - Math.pow(beta2, k + 1)) : lr * sched;
            group[1] = Math.max(lrt, group[1]);
            double weight = Math.pow(k + 1, r) * Math.pow(group[1], power);
            group[0] += weight;
            double ckp1 = group[0] == 0 ? 0 : weight / group[0];
            for (int i = 0; i < y.length; i++) {
                double g = g0[i];
                if (adam) {
                    v[i] = v[i] * beta2 + (1 - beta2) * g * g;
                    g = g / (Math.sqrt(v[i]) + eps);
                }
                g += decay * y[i];
                y[i] = ScheduleFree.lerp(y[i], z[i], ckp1);
                y[i] += lrt * (beta1 * (1 - ckp1) - 1) * g;
                z[i] -= lrt * g;
            }
        }
    }

    @Test
    void scheduleFreeSgdAndAdamW() {
        record Cfg(boolean adam, double lr, double beta1, double decay, int warmup, double r) {}
        for (Cfg c : List.of(new Cfg(false, 1e-3, 0.9, 0, 0, 0), new Cfg(false, 2e-3, 0.8, 0.01, 10, 0.5),
                new Cfg(true, 2.5e-2, 0.9, 0, 0, 0), new Cfg(true, 5e-2, 0.95, 0.01, 20, 1)))
            for (ReferenceProblems p : ReferenceProblems.three()) {
                Sf ref = new Sf(c.adam(), c.lr(), c.beta1(), c.decay(), c.warmup(), c.r(), p.x0().get(0).length);
                Chain chain = (c.adam() ? Optimizers.scheduleFreeAdamw(c.lr()) : Optimizers.scheduleFreeSgd(c.lr()))
                        .with("beta1", c.beta1()).with("weight_decay", c.decay()).with("r", c.r());
                if (c.warmup() > 0) chain = chain.with("schedule", Schedule.linearWarmup(c.warmup()));
                OfficialRulesTest.check("schedule-free " + c, chain, p, ref::step);
            }
    }

    /** {@code atAverage} gives the code's {@code eval()} point x, and closing restores y bit for bit. */
    @Test
    void evaluationAtTheAverageAndBack() {
        ReferenceProblems p = ReferenceProblems.quadratic10();
        Map<String, Tensor> params = p.freshParams();
        Sf ref = new Sf(true, 2.5e-2, 0.9, 0.01, 5, 0, 10);
        double[] y = p.x0().get(0).clone();
        try (Optimizer opt = Optimizer.of(params, Optimizers.scheduleFreeAdamw(2.5e-2).with("weight_decay", 0.01)
                .with("schedule", Schedule.linearWarmup(5)))) {
            for (int t = 1; t <= 60; t++) {
                p.setGrads(params);
                ref.step(y, p.grad().at(List.of(y.clone())).get(0), t);
                opt.step();
            }
            double[] before = params.get("x").toDoubleArray();
            double[] x = new double[10];
            for (int i = 0; i < 10; i++) x[i] = y[i] + (1 - 1 / 0.9) * (ref.z()[i] - y[i]);
            try (var _ = ScheduleFree.atAverage(opt, params)) {
                double d = TorchRef.maxRelDiff(params.get("x").toDoubleArray(), x);
                assertTrue(d <= 1e-12, "x differs from the code's eval() point by " + d);
                assertTrue(TorchRef.maxRelDiff(before, x) > 1e-6, "x and y differ");
            }
            assertArrayEquals(before, params.get("x").toDoubleArray(), 0.0, "y restored exactly");
        }
    }

    /** {@code atSlowWeights} gives the code's cached (slow) weights between synchronisations, and closing restores the fast ones. */
    @Test
    void evaluationAtTheSlowWeightsAndBack() {
        ReferenceProblems p = ReferenceProblems.quadratic10();
        Map<String, Tensor> params = p.freshParams();
        Inner inner = new Inner(true, 1e-2, 0.9, new double[10], new double[10]);
        double[] x = p.x0().get(0).clone(), cached = x.clone();
        try (Optimizer opt = Optimizer.of(params, Optimizers.lookahead(Optimizers.adam(1e-2), 5, 0.5))) {
            for (int t = 1; t <= 7; t++) {
                p.setGrads(params);
                inner.step(x, p.grad().at(List.of(x.clone())).get(0), t);
                if (t % 5 == 0) for (int i = 0; i < 10; i++) cached[i] = x[i] = x[i] * 0.5 + cached[i] * 0.5;
                opt.step();
            }
            double[] fast = params.get("x").toDoubleArray();
            try (var _ = Lookahead.atSlowWeights(opt, params)) {
                assertTrue(TorchRef.maxRelDiff(params.get("x").toDoubleArray(), cached) <= 1e-12, "slow weights");
                assertTrue(TorchRef.maxRelDiff(fast, cached) > 1e-6, "fast and slow weights differ");
            }
            assertArrayEquals(fast, params.get("x").toDoubleArray(), 0.0, "fast weights restored exactly");
        }
    }

    @Test
    void resumesBitExactly() throws Exception {
        OptimizerTest t = new OptimizerTest();
        t.resumesBitExactly(Optimizers.lookahead(Optimizers.adamw(1e-2, 0.1), 4, 0.6), 1);
        t.resumesBitExactly(Optimizers.scheduleFreeAdamw(1e-2).with("weight_decay", 0.1), 1);
        t.resumesBitExactly(Optimizers.scheduleFreeSgd(1e-2).with("r", 1.0), 2);
    }

    @Test
    void badHyperParametersAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.lookahead(Optimizers.sgd(0.1), 0, 0.5));
        assertEquals("Lookahead: la_steps must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.lookahead(Optimizers.sgd(0.1)).with("la_alpha", 1.5));
        assertEquals("Lookahead: la_alpha must be in [0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.scheduleFreeSgd(1).with("beta1", 0.0));
        assertEquals("schedule-free: beta1 (momentum) must be in (0, 1), got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.scheduleFreeAdamw(1).with("alpha", 1.0));
        assertTrue(e.getMessage().contains("alpha must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.scheduleFreeSgd(1).with("weight_lr_power", -1.0));
        assertTrue(e.getMessage().contains("weight_lr_power must be finite and >= 0"), e.getMessage());
    }
}
