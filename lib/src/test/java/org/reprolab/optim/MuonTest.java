package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/**
 * Muon against KellerJordan/Muon's {@code muon_update}, {@code zeropower_via_newtonschulz5} and
 * {@code adam_update} re-implemented as scalar loops on {@code double[][]} (in f64, where the code uses
 * bfloat16): 100 steps on wide ([2, 5]) and tall ([5, 2], transposed) quadratics and the linear
 * regression (weight by Muon, bias by the auxiliary Adam), 1e-12.
 */
class MuonTest {
    static final double A = 3.4445, B = -4.7750, C = 2.0315;

    static double[][] mul(double[][] x, double[][] y) {
        double[][] out = new double[x.length][y[0].length];
        for (int i = 0; i < x.length; i++)
            for (int j = 0; j < y[0].length; j++) {
                double s = 0;
                for (int k = 0; k < y.length; k++) s += x[i][k] * y[k][j];
                out[i][j] = s;
            }
        return out;
    }

    static double[][] tr(double[][] x) {
        double[][] out = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[0].length; j++) out[j][i] = x[i][j];
        return out;
    }

    /** The code's zeropower_via_newtonschulz5 and the sqrt(max(1, rows/cols)) of muon_update, on g [rows, cols] flat. */
    static double[] newtonSchulz(double[] g, int rows, int cols, int steps) {
        double[][] x = new double[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(g, i * cols, x[i], 0, cols);
        if (rows > cols) x = tr(x);
        double n = 0;
        for (double[] r : x) for (double v : r) n += v * v;
        n = Math.sqrt(n) + 1e-7;
        for (double[] r : x) for (int j = 0; j < r.length; j++) r[j] /= n;
        for (int s = 0; s < steps; s++) {
            double[][] a = mul(x, tr(x)), aa = mul(a, a), b = new double[a.length][a.length];
            for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) b[i][j] = B * a[i][j] + C * aa[i][j];
            double[][] bx = mul(b, x);
            for (int i = 0; i < x.length; i++) for (int j = 0; j < x[0].length; j++) x[i][j] = A * x[i][j] + bx[i][j];
        }
        if (rows > cols) x = tr(x);
        double scale = Math.sqrt(Math.max(1, (double) rows / cols));
        double[] out = new double[g.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[i * cols + j] = x[i][j] * scale;
        return out;
    }

    static double lerp(double a, double b, double w) {
        return ScheduleFree.lerp(a, b, w);
    }

    /** One official Muon step on a matrix in place. */
    static void muonStep(double[] p, double[] g, double[] m, int rows, double lr, double beta, boolean nesterov, double wd) {
        int cols = p.length / rows;
        double[] u = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = lerp(m[i], g[i], 1 - beta);
            u[i] = nesterov ? lerp(g[i], m[i], beta) : m[i];
        }
        double[] o = newtonSchulz(u, rows, cols, 5);
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            p[i] += -lr * o[i];
        }
    }

    static ReferenceProblems quadratic(int rows, int cols) {
        ReferenceProblems q = ReferenceProblems.quadratic10();
        return new ReferenceProblems("quadratic [" + rows + "," + cols + "]", q.x0(), List.of(new int[] {rows, cols}), "null", q.grad());
    }

    /**
     * Steps of constant spectral size keep bouncing near the minimum, where the direction of a tiny
     * gradient amplifies rounding: with lr 0.05 on the tall quadratic the two sides drift to 1.7e-12 by
     * step 91 (summation order in the matrix products), so the second configuration uses lr 0.01.
     */
    @Test
    void matricesAgainstTheCode() {
        record Cfg(double lr, double beta, boolean nesterov, double wd) {}
        for (Cfg c : List.of(new Cfg(0.02, 0.95, true, 0), new Cfg(0.01, 0.9, false, 0.1)))
            for (ReferenceProblems p : List.of(quadratic(2, 5), quadratic(5, 2))) {
                int rows = p.shapes().get(0)[0];
                double[] m = new double[10];
                Muon muon = Optimizers.muon(c.lr()).withMomentum(c.beta()).withNesterov(c.nesterov()).withWeightDecay(c.wd());
                run(c + " " + p.name(), muon, p, (w, g, t) -> muonStep(w.get(0), g.get(0), m, rows, c.lr(), c.beta(), c.nesterov(), c.wd()));
            }
    }

    @Test
    void linearRegressionWithTheAuxiliaryAdam() {
        ReferenceProblems p = ReferenceProblems.linreg();
        double[] m = new double[6], e1 = new double[2], e2 = new double[2];
        double lr = 0.02, alr = 3e-4 * 10, wd = 0.01;
        Muon muon = Optimizers.muon(lr).withWeightDecay(wd).withAux(Optimizers.muon(lr).aux().with("lr", alr).with("weight_decay", 0.05));
        run("linreg", muon, p, (w, g, t) -> {
            muonStep(w.get(0), g.get(0), m, 2, lr, 0.95, true, wd);
            double[] b = w.get(1), gb = g.get(1);
            for (int i = 0; i < 2; i++) {
                e1[i] = lerp(e1[i], gb[i], 1 - 0.9);
                e2[i] = lerp(e2[i], gb[i] * gb[i], 1 - 0.95);
                double upd = (e1[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(e2[i] / (1 - Math.pow(0.95, t))) + 1e-10);
                b[i] *= 1 - alr * 0.05;
                b[i] += -alr * upd;
            }
        });
    }

    interface Ref {
        void step(List<double[]> w, List<double[]> g, int t);
    }

    static void run(String what, Muon muon, ReferenceProblems p, Ref ref) {
        Map<String, Tensor> params = p.freshParams();
        List<double[]> w = new java.util.ArrayList<>();
        for (double[] x : p.x0()) w.add(x.clone());
        try (MuonOptimizer opt = muon.over(params)) {
            for (int t = 1; t <= OfficialRulesTest.STEPS; t++) {
                List<double[]> g = p.grad().at(w.stream().map(double[]::clone).toList());
                ref.step(w, g, t);
                p.setGrads(params);
                opt.step();
                double d = TorchRef.maxRelDiff(OptimizerTest.flat(params), w.stream().flatMapToDouble(java.util.Arrays::stream).toArray());
                assertTrue(d <= 1e-12, "Muon " + what + ": step " + t + " differs from the code by " + d);
            }
        }
    }

    /** The iteration's fixed point region: singular values of the orthogonalised matrix land in about (0.5, 1.5). */
    @Test
    void orthogonalisesRoughly() {
        Tensor g = Tensor.of(new double[] {3, 0.1, -2, 0.5, 1, 4, 0.2, -0.3, 2, 1, 1, 0.7}, 3, 4);
        Tensor o = Muon.orthogonalize(g, 5);
        double[] gram = o.matmul(o.t()).toDoubleArray();
        for (int i = 0; i < 3; i++) assertTrue(gram[i * 3 + i] > 0.25 && gram[i * 3 + i] < 2.25, "diag " + gram[i * 3 + i]);
    }

    @Test
    void resumesBitExactly() throws Exception {
        ReferenceProblems p = ReferenceProblems.linreg();
        Muon muon = Optimizers.muon(0.02).withWeightDecay(0.1);
        Map<String, Tensor> a = p.freshParams(), b = p.freshParams(), c = p.freshParams();
        byte[] saved;
        try (MuonOptimizer oa = muon.over(a); MuonOptimizer ob = muon.over(b)) {
            for (int i = 0; i < 30; i++) {
                p.setGrads(a);
                oa.step();
                if (i < 13) {
                    p.setGrads(b);
                    ob.step();
                }
            }
            var bos = new ByteArrayOutputStream();
            ob.state().write(bos);
            saved = bos.toByteArray();
            try (var _ = org.reprolab.tensor.Autodiff.noGrad()) {
                for (String k : c.keySet()) c.get(k).assign(b.get(k));
            }
        }
        try (MuonOptimizer oc = muon.over(c)) {
            oc.load(OptimizerState.read(new ByteArrayInputStream(saved)));
            assertEquals(13, oc.count());
            for (int i = 13; i < 30; i++) {
                p.setGrads(c);
                oc.step();
            }
        }
        assertArrayEquals(OptimizerTest.flat(a), OptimizerTest.flat(c), 0.0);
    }

    @Test
    void scheduleScalesBothGroups() {
        ReferenceProblems p = ReferenceProblems.linreg();
        Map<String, Tensor> params = p.freshParams();
        try (MuonOptimizer o = Optimizers.muon(0.02).over(params, Schedule.cosine(10))) {
            assertEquals(List.of("weight"), o.optimizer().groupParams(Muon.GROUP));
            for (int i = 0; i < 5; i++) {
                p.setGrads(params);
                o.step();
            }
            assertEquals(0.01, o.optimizer().lr(Muon.GROUP), 1e-17);
            assertEquals(1.5e-4, o.optimizer().lr(), 1e-18);
        }
    }

    @Test
    void badSettingsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.muon(0.02).withMomentum(1.0));
        assertEquals("Muon: momentum must be in [0, 1), got 1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.muon(0.02).withNsSteps(0));
        assertEquals("Muon: ns_steps must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.muon(0.02).over(Map.of("b", Tensor.of(1.0, 2.0))));
        assertTrue(e.getMessage().contains("no parameter is a matrix"), e.getMessage());
    }
}
