package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/**
 * SAM and ASAM against davda54/sam's {@code first_step}/{@code second_step} re-implemented as scalar
 * loops around torch SGD with momentum and torch Adam: 100 steps on the three reference problems and
 * the two-tensor regression (the norm spans tensors), 1e-12.
 */
class SamTest {

    /** The code's step: norm of per-tensor norms, e = (w^2 if adaptive) g rho / (norm + 1e-12), gradient at w + e. */
    static List<double[]> perturbed(ReferenceProblems p, List<double[]> w, double rho, boolean adaptive) {
        List<double[]> g = p.grad().at(w);
        double sq = 0;
        for (int k = 0; k < w.size(); k++) {
            double s = 0;
            for (int i = 0; i < w.get(k).length; i++) {
                double v = (adaptive ? Math.abs(w.get(k)[i]) : 1.0) * g.get(k)[i];
                s += v * v;
            }
            sq += Math.sqrt(s) * Math.sqrt(s);
        }
        double scale = rho / (Math.sqrt(sq) + 1e-12);
        List<double[]> at = new java.util.ArrayList<>();
        for (int k = 0; k < w.size(); k++) {
            double[] x = w.get(k).clone();
            for (int i = 0; i < x.length; i++) x[i] += (adaptive ? w.get(k)[i] * w.get(k)[i] : 1.0) * g.get(k)[i] * scale;
            at.add(x);
        }
        return p.grad().at(at);
    }

    @Test
    void samAndAsamAroundSgdAndAdam() {
        record Cfg(boolean adam, double rho, boolean adaptive) {}
        List<ReferenceProblems> problems = new java.util.ArrayList<>(ReferenceProblems.three());
        problems.add(ReferenceProblems.linreg());
        for (Cfg c : List.of(new Cfg(false, 0.05, false), new Cfg(true, 0.05, false), new Cfg(false, 0.5, true), new Cfg(true, 0.2, true)))
            for (ReferenceProblems p : problems) {
                double lr = c.adam() ? 1e-2 : 1e-4;
                Map<String, Tensor> params = p.freshParams();
                List<double[]> w = new java.util.ArrayList<>();
                for (double[] x0 : p.x0()) w.add(x0.clone());
                List<AveragingRulesTest.Inner> inner = new java.util.ArrayList<>();
                for (double[] x : w) inner.add(new AveragingRulesTest.Inner(c.adam(), lr, 0.9, new double[x.length], new double[x.length]));
                Sam sam = c.adaptive() ? Optimizers.asam(c.rho()) : Optimizers.sam(c.rho());
                try (Optimizer base = Optimizer.of(params, c.adam() ? Optimizers.adam(lr) : Optimizers.sgd(lr, 0.9))) {
                    for (int t = 1; t <= OfficialRulesTest.STEPS; t++) {
                        List<double[]> g = perturbed(p, w, c.rho(), c.adaptive());
                        for (int k = 0; k < w.size(); k++) inner.get(k).step(w.get(k), g.get(k), t);
                        sam.step(base, params, () -> {
                            p.setGrads(params);
                            return 0;
                        });
                        double[] ours = OptimizerTest.flat(params), ref = w.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
                        double d = TorchRef.maxRelDiff(ours, ref);
                        assertTrue(d <= 1e-12, c + " on " + p.name() + ": step " + t + " differs from the code by " + d);
                    }
                }
            }
    }

    /** The closure runs twice per step, first at w, then at w + e; the loss returned is the one at w. */
    @Test
    void closureSeesWThenThePerturbedPoint() {
        Tensor x = Tensor.of(1.0, 2.0);
        List<double[]> seen = new java.util.ArrayList<>();
        try (Optimizer base = Optimizer.of(Map.of("x", x), Optimizers.sgd(0.1))) {
            double loss = Optimizers.sam(0.5).step(base, Map.of("x", x), () -> {
                double[] v = x.toDoubleArray();
                seen.add(v);
                x.setGrad(Tensor.of(v.clone(), 2)); // loss = |x|^2 / 2
                return (v[0] * v[0] + v[1] * v[1]) / 2;
            });
            assertEquals(2.5, loss, 0);
            double s = 0.5 / (Math.sqrt(5) + 1e-12);
            assertEquals(1 + s, seen.get(1)[0], 1e-15);
            assertEquals(2 + 2 * s, seen.get(1)[1], 1e-15);
            assertEquals(1 - 0.1 * (1 + s), x.toDoubleArray()[0], 1e-15);
        }
    }

    @Test
    void badRadiusIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sam(-0.1));
        assertEquals("SAM: rho must be finite and >= 0, got -0.1", e.getMessage());
    }
}
