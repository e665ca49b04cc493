package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/**
 * Prodigy against konstmish/prodigy's {@code step} re-implemented as scalar loops (its two passes over
 * the parameters, the d estimate between them): 100 steps on the three reference problems and the
 * two-tensor regression (the estimate sums over both), with the defaults and with bias correction,
 * safeguard warmup, a growth limit, d_coef, decoupled and L2 weight decay; 1e-12.
 */
class ProdigyTest {

    record Cfg(double lr, double beta3, double dCoef, double growth, double wd, boolean decouple, boolean biasCorrection,
            boolean safeguard) {}

    /** The code's state: per tensor exp_avg, exp_avg_sq, s, p0; the group's d, d_max, d_numerator, k. */
    static final class Ref {
        final Cfg c;
        final double b1 = 0.9, b2 = 0.999, eps = 1e-8, d0 = 1e-6;
        final List<double[]> m = new ArrayList<>(), v = new ArrayList<>(), s = new ArrayList<>(), p0 = new ArrayList<>();
        double d = d0, dMax = d0, dNum = 0;
        int k = 0;

        Ref(Cfg c, List<double[]> w) {
            this.c = c;
            for (double[] x : w) {
                m.add(new double[x.length]);
                v.add(new double[x.length]);
                s.add(new double[x.length]);
                p0.add(x.clone());
            }
        }

        void step(List<double[]> w, List<double[]> grads) {
            double beta3 = Double.isNaN(c.beta3()) ? Math.sqrt(b2) : c.beta3();
            double bc = c.biasCorrection() ? Math.pow(1 - Math.pow(b2, k + 1), 0.5) / (1 - Math.pow(b1, k + 1)) : 1;
            double dlr = d * c.lr() * bc, numerator = dNum * beta3, denom = 0;
            List<double[]> gs = new ArrayList<>();
            for (int j = 0; j < w.size(); j++) {
                double[] p = w.get(j), g = grads.get(j).clone();
                if (c.wd() != 0 && !c.decouple()) for (int i = 0; i < p.length; i++) g[i] += c.wd() * p[i];
                gs.add(g);
                double dot = 0;
                for (int i = 0; i < p.length; i++) dot += g[i] * (p0.get(j)[i] - p[i]);
                numerator += (d / d0) * dlr * dot;
                for (int i = 0; i < p.length; i++) {
                    m.get(j)[i] = m.get(j)[i] * b1 + g[i] * (d * (1 - b1));
                    v.get(j)[i] = v.get(j)[i] * b2 + d * d * (1 - b2) * g[i] * g[i];
                    s.get(j)[i] = s.get(j)[i] * beta3 + g[i] * (c.safeguard() ? (d / d0) * d : (d / d0) * dlr);
                    denom += Math.abs(s.get(j)[i]);
                }
            }
            if (denom == 0) return;
            double dHat = c.dCoef() * numerator / denom;
            double dd = d;
            if (dd == d0) dd = Math.max(dd, dHat);
            dMax = Math.max(dMax, dHat);
            dd = Math.min(dMax, dd * c.growth());
            dNum = numerator;
            d = dd;
            for (int j = 0; j < w.size(); j++) {
                double[] p = w.get(j);
                for (int i = 0; i < p.length; i++) {
                    double den = Math.sqrt(v.get(j)[i]) + d * eps;
                    if (c.wd() != 0 && c.decouple()) p[i] += p[i] * (-c.wd() * dlr);
                    p[i] += -dlr * m.get(j)[i] / den;
                }
            }
            k++;
        }
    }

    static Chain chain(Cfg c) {
        Chain ch = Optimizers.prodigy(c.lr()).with("beta3", c.beta3()).with("d_coef", c.dCoef()).with("growth_rate", c.growth())
                .with("bias_correction", c.biasCorrection()).with("safeguard_warmup", c.safeguard());
        if (c.decouple()) return ch.with("weight_decay", c.wd());
        return Transform.chain(Transforms.addDecayedWeights(c.wd()), ch);
    }

    @Test
    void prodigyAgainstTheCode() {
        List<ReferenceProblems> problems = new ArrayList<>(ReferenceProblems.three());
        problems.add(ReferenceProblems.linreg());
        double inf = Double.POSITIVE_INFINITY;
        int grew = 0;
        for (Cfg c : List.of(new Cfg(1, Double.NaN, 1, inf, 0, true, false, false), new Cfg(0.5, 0.99, 0.5, 1.05, 0.01, true, true, true),
                new Cfg(1, Double.NaN, 2, inf, 0.01, false, true, false)))
            for (ReferenceProblems p : problems) {
                Map<String, Tensor> params = p.freshParams();
                List<double[]> w = new ArrayList<>();
                for (double[] x : p.x0()) w.add(x.clone());
                Ref ref = new Ref(c, w);
                try (Optimizer opt = Optimizer.of(params, chain(c))) {
                    for (int t = 1; t <= OfficialRulesTest.STEPS; t++) {
                        ref.step(w, p.grad().at(w.stream().map(double[]::clone).toList()));
                        p.setGrads(params);
                        opt.step();
                        double d = TorchRef.maxRelDiff(OptimizerTest.flat(params), w.stream().flatMapToDouble(java.util.Arrays::stream).toArray());
                        assertTrue(d <= 1e-12, c + " on " + p.name() + ": step " + t + " differs from the code by " + d);
                    }
                }
                if (ref.d > 1e3 * ref.d0) grew++;
            }
        assertTrue(grew >= 8, "the d estimate grew by orders of magnitude in most runs: " + grew + " of 12");
    }

    @Test
    void resumesBitExactly() throws Exception {
        new OptimizerTest().resumesBitExactly(Optimizers.prodigy(1).with("weight_decay", 0.01).with("bias_correction", true), 1);
        new OptimizerTest().resumesBitExactly(Optimizers.prodigy(1), 2);
    }

    @Test
    void badHyperParametersAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.prodigy(1).with("d0", 0.0));
        assertEquals("Prodigy: d0 must be finite and > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.prodigy(1).with("beta3", 1.0));
        assertTrue(e.getMessage().contains("beta3 must be in [0, 1) or NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.prodigy(1).with("growth_rate", 0.0));
        assertTrue(e.getMessage().contains("growth_rate must be > 0"), e.getMessage());
    }
}
