package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ProviderStatus;
import org.reprolab.random.RngKey;

/** The shared curvature estimators against finite differences, closed forms and their expectations. */
class CurvatureTest {

    static Map<String, Tensor> twoLayer() {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("w", Tensor.of(new double[] {0.3, -0.7, 0.5, 0.2, -0.4, 0.9}, 2, 3).requiresGrad(true));
        ps.put("b", Tensor.of(new double[] {0.1, -0.2}, 2).requiresGrad(true));
        return ps;
    }

    static final Tensor X = Tensor.of(new double[][] {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {-1.0, 2.0, 0.75}});

    static Tensor loss(Map<String, Tensor> ps) {
        return X.matmul(ps.get("w").t()).add(ps.get("b")).tanh().square().sum();
    }

    /** The joint H v over two tensors equals the central difference of the gradient along v. */
    @Test
    void hvpOverSeveralTensorsMatchesFiniteDifferences() {
        Map<String, Tensor> ps = twoLayer();
        List<Tensor> params = List.copyOf(ps.values());
        List<Tensor> v = List.of(Tensor.of(new double[] {1, -2, 0.5, 0.25, 1.5, -1}, 2, 3), Tensor.of(new double[] {-0.5, 2}, 2));
        List<Tensor> hv = Curvature.hvp(() -> loss(ps), params, v);
        double h = 1e-5;
        double[][] plus = gradAt(ps, v, h), minus = gradAt(ps, v, -h);
        for (int i = 0; i < 2; i++) {
            double[] got = hv.get(i).toDoubleArray();
            for (int j = 0; j < got.length; j++) {
                double fd = (plus[i][j] - minus[i][j]) / (2 * h);
                assertEquals(fd, got[j], 1e-7 * Math.max(1, Math.abs(fd)), "H v of tensor " + i + " at " + j);
            }
        }
    }

    private static double[][] gradAt(Map<String, Tensor> ps, List<Tensor> v, double h) {
        Map<String, Tensor> shifted = new LinkedHashMap<>();
        int i = 0;
        for (var e : ps.entrySet()) shifted.put(e.getKey(), e.getValue().detach().add(v.get(i++).mul(h)).requiresGrad(true));
        List<Tensor> g = Autodiff.grad(loss(shifted), List.copyOf(shifted.values()), null, false);
        return new double[][] {g.get(0).toDoubleArray(), g.get(1).toDoubleArray()};
    }

    /** For a separable loss H is diagonal, so every Hutchinson sample is exact: u ⊙ (H u) = diag H. */
    @Test
    void hutchinsonIsExactForDiagonalHessians() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {0.5, -1}, 2).requiresGrad(true);
        Map<String, Tensor> ps = new LinkedHashMap<>(Map.of("a", a));
        ps.put("b", b);
        // f = sum(a^3)/6 + sum(exp(b)): diag H = (a, exp(b))
        var est = Curvature.hutchinson(() -> a.pow(3).sum().div(6).add(b.exp().sum()), ps, RngKey.of(11), 1);
        assertArrayEquals(a.toDoubleArray(), est.get("a").toDoubleArray(), 1e-14);
        assertArrayEquals(new double[] {Math.exp(0.5), Math.exp(-1)}, est.get("b").toDoubleArray(), 1e-14);
        var ada = Curvature.adaHessian(() -> a.pow(3).sum().div(6).add(b.exp().sum()), ps, RngKey.of(12));
        assertArrayEquals(new double[] {2, 2, 2, 5, 5, 5}, ada.get("a").toDoubleArray(), 1e-14, "2-D: row means of |diag H|");
        assertArrayEquals(new double[] {Math.exp(0.5), Math.exp(-1)}, ada.get("b").toDoubleArray(), 1e-14, "1-D: as is");
    }

    /** With coupling, the estimate is unbiased: the mean of many samples is diag H within its standard error. */
    @Test
    void hutchinsonIsUnbiased() {
        double[][] a = {{4, 1, -2}, {1, 3, 0.5}, {-2, 0.5, 5}};
        Tensor am = Tensor.of(a);
        Tensor x = Tensor.of(new double[] {0.1, 0.2, 0.3}, 3).requiresGrad(true);
        int n = 1500;
        var est = Curvature.hutchinson(() -> x.matmul(am.matmul(x)).mul(0.5), Map.of("x", x), RngKey.of(5), n);
        double[] got = est.get("x").toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double var = 0;
            for (int j = 0; j < 3; j++) if (j != i) var += a[i][j] * a[i][j];
            assertEquals(a[i][i], got[i], 4 * Math.sqrt(var / n), "diag H[" + i + "]");
        }
    }

    @Test
    void rademacherIsPlusMinusOneAndTheSameInEveryDtypeAndDevice() {
        Tensor like = Tensor.zeros(1000);
        RngKey key = RngKey.of(42);
        double[] f64 = Curvature.rademacher(key, List.of(like)).getFirst().toDoubleArray();
        double[] f32 = Curvature.rademacher(key, List.of(like.to(DType.F32))).getFirst().toDoubleArray();
        assertArrayEquals(f64, f32);
        double sum = 0;
        for (double v : f64) {
            assertTrue(v == 1 || v == -1);
            sum += v;
        }
        assertTrue(Math.abs(sum) < 4 * Math.sqrt(1000), "balanced: sum " + sum);
        assertTrue(!java.util.Arrays.equals(f64, Curvature.rademacher(key.foldIn(1), List.of(like)).getFirst().toDoubleArray()));
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElse(null);
        assumeTrue(s != null && s.loaded(), () -> "no OpenCL device here: " + (s == null ? "no provider" : s.failure()));
        Device cl = s.device();
        assertArrayEquals(f64, Curvature.rademacher(key, List.of(like.to(DType.F32).to(cl))).getFirst().toDoubleArray());
    }

    /**
     * Sophia-G's Gauss–Newton–Bartlett estimate for one example of a linear softmax model: its
     * expectation over the sampled label is the Gauss–Newton diagonal, computed exactly by enumerating
     * the labels: {@code E = sum_y p_y (x_j (p_c - [c = y]))^2}.
     */
    @Test
    void gaussNewtonBartlettExpectationIsTheGaussNewtonDiagonal() {
        double[] xv = {0.8, -1.2};
        double[] wv = {0.2, -0.5, 0.7, 0.1, -0.3, 0.4};
        Tensor x = Tensor.of(xv, 1, 2);
        Tensor w = Tensor.of(wv.clone(), 3, 2).requiresGrad(true);
        int samples = 3000;
        double[] mean = new double[6];
        int[] counts = new int[3];
        for (int s = 0; s < samples; s++) {
            RngKey key = RngKey.of(9).foldIn(s);
            counts[(int) Curvature.sampleLabels(x.matmul(w.detach().t()), key).item()]++;
            double[] e = Curvature.gaussNewtonBartlett(() -> x.matmul(w.t()), Map.of("w", w), key).get("w").toDoubleArray();
            for (int j = 0; j < 6; j++) mean[j] += e[j] / samples;
        }
        double[] z = new double[3];
        for (int c = 0; c < 3; c++) z[c] = wv[2 * c] * xv[0] + wv[2 * c + 1] * xv[1];
        double mx = Math.max(z[0], Math.max(z[1], z[2])), zs = 0;
        double[] p = new double[3];
        for (int c = 0; c < 3; c++) zs += Math.exp(z[c] - mx);
        for (int c = 0; c < 3; c++) p[c] = Math.exp(z[c] - mx) / zs;
        for (int c = 0; c < 3; c++) {
            assertEquals(p[c], counts[c] / (double) samples, 4 * Math.sqrt(p[c] * (1 - p[c]) / samples), "label frequency " + c);
            for (int j = 0; j < 2; j++) {
                double ex = 0, ex2 = 0;
                for (int y = 0; y < 3; y++) {
                    double gsq = Math.pow(xv[j] * (p[c] - (c == y ? 1 : 0)), 2);
                    ex += p[y] * gsq;
                    ex2 += p[y] * gsq * gsq;
                }
                double sd = Math.sqrt(Math.max(0, ex2 - ex * ex) / samples);
                assertEquals(ex, mean[2 * c + j], 4 * sd + 1e-12, "E[ĝ²] of w[" + c + "," + j + "]");
            }
        }
    }

    /**
     * Sophia-H end to end with the Hutchinson estimator (exact here: a separable quartic), against the
     * paper's rule written as scalar loops: refresh before steps 1, k+1, ...; clip(m / max(γ h, ε), 1).
     */
    @Test
    void sophiaHWithHutchinsonOnASeparableLoss() {
        double lr = 0.05, b1 = 0.96, b2 = 0.99, gamma = 0.01, eps = 1e-12, wd = 0.0;
        int k = 10, n = 4;
        double[] x0 = {1.0, -0.5, 2.0, 0.3};
        Tensor x = Tensor.of(x0.clone(), n).requiresGrad(true);
        double[] xr = x0.clone(), m = new double[n], h = new double[n];
        try (Optimizer opt = Optimizer.of(Map.of("x", x), Optimizers.sophiaH(lr))) {
            for (int t = 1; t <= 60; t++) {
                x.zeroGrad();
                // f = sum(x^4/4 + x^2/2): g = x^3 + x, diag H = 3x^2 + 1
                java.util.function.Supplier<Tensor> f = () -> x.pow(4).div(4).add(x.square().div(2)).sum();
                f.get().backward();
                if (opt.needsAux("hessian")) opt.step(Map.of("hessian", Curvature.hutchinson(f, Map.of("x", x), RngKey.of(t), 1)));
                else opt.step();
                if ((t - 1) % k == 0) for (int i = 0; i < n; i++) h[i] = b2 * h[i] + (1 - b2) * (3 * xr[i] * xr[i] + 1);
                for (int i = 0; i < n; i++) {
                    double g = xr[i] * xr[i] * xr[i] + xr[i];
                    xr[i] *= 1 - lr * wd;
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    xr[i] += -lr * Math.signum(m[i]) * Math.min(Math.abs(m[i]) / Math.max(gamma * h[i], eps), 1);
                }
                double d = TorchRef.maxRelDiff(x.toDoubleArray(), xr);
                assertTrue(d <= 1e-12, "Sophia-H step " + t + " differs by " + d);
            }
        }
    }
}
