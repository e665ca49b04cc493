package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;
import org.reprolab.random.RngKey;

/** First steps in closed form, worked out by hand from each paper's rule (x0 = 1, g = 3 unless stated). */
class FirstStepTest {
    static final double X0 = 1, G = 3, LR = 0.1;

    /** One step from x0 with gradient g (and an optional aux "hessian"); the new x. */
    static double step(Chain chain, double x0, double g, Double hessian) {
        Tensor x = Tensor.of(x0);
        try (Optimizer opt = Optimizer.of(Map.of("x", x), chain)) {
            x.setGrad(Tensor.of(g));
            if (hessian != null) opt.step(Map.of("hessian", Map.of("x", Tensor.of(hessian))));
            else opt.step();
        }
        return x.item();
    }

    static void near(double expected, double actual, String what) {
        near(expected, actual, 1e-15, what);
    }

    static void near(double expected, double actual, double rel, String what) {
        assertEquals(expected, actual, rel * Math.max(1, Math.abs(expected)), what);
    }

    @Test
    void adamFamilyFirstStepIsLrTimesSignUpToEps() {
        // m/bc1 = g and sqrt(v/bc2) = |g|: x1 = x0 - lr g / (|g| + eps)
        near(X0 - LR * G / (G + 1e-8), step(Optimizers.adamP(LR), X0, G, null), "AdamP (1-D: no projection)");
        // AdaHessian: sqrt(v/bc2) = |D|: x1 = x0 - lr g / (|D| + eps)
        near(X0 - LR * G / (5 + 1e-4), step(Optimizers.adaHessian(LR), X0, G, 5.0), "AdaHessian");
    }

    @Test
    void exAdamFirstStep() {
        double b1 = 0.9, b2 = 0.999, eps = 1e-8, m = (1 - b1) * G, v = (1 - b2) * G * G;
        double d1 = 1 + v / (v + eps) * b2, d2 = 1 + m * m / (m * m + eps) * b1;
        // m~ = m/bc1 d1 = g d1 and v~ = g^2 d2 (bias corrections cancel at t = 1), but g~ = g/bc1 d1 = 10 g d1
        near(X0 - LR * (G * d1 + G / (1 - b1) * d1) / (G * Math.sqrt(d2) + eps), step(Optimizers.exAdam(LR), X0, G, null), "EXAdam");
    }

    @Test
    void stableSpamFirstStep() {
        // AdaClip: M^ = max|g| (nothing clipped); AdaGN: a^ = r, b^ = r^2, so g' = g / (r + eps) with r = |g|;
        // then Adam's first step on g'
        double eps = 1e-8, gp = G / (G + eps);
        near(X0 - LR * gp / (Math.abs(gp) + eps), step(Optimizers.stableSpam(LR), X0, G, null), "Stable-SPAM");
    }

    @Test
    void mfacFirstStepIsTheRankOneInverse() {
        // the window holds g and m-1 zero rows: F = damp I + g g^T / m, F^-1 g = g / (damp + |g|^2 / m)
        double damp = 1e-2;
        int m = 4;
        near(X0 - LR * G / (damp + G * G / m), step(Optimizers.mfac(LR).with("ngrads", m).with("damp", damp), X0, G, null), 1e-13,
                "M-FAC (Woodbury through a Cholesky solve)");
    }

    @Test
    void lionKappaFirstSteps() {
        // c = (1 - b1) g = 0.3: sign 1, identity 0.3, Huber 0.3; with g = 30: Huber clamps at 1
        near(X0 - 1e-3 * 1, step(Optimizers.lion(1e-3), X0, G, null), "Lion");
        near(X0 - 1e-3 * 0.1 * G, step(Optimizers.lionKappa(1e-3, ScaleByLion.Kappa.L2_SQUARED), X0, G, null), "Lion-κ L2²");
        near(X0 - 1e-3 * 1, step(Optimizers.lionKappa(1e-3, ScaleByLion.Kappa.HUBER), X0, 30, null), "Lion-κ Huber");
    }

    @Test
    void sophiaHFirstStepUsesTheFreshEstimate() {
        // h = (1 - b2) h^, m = (1 - b1) g: x1 = x0 - lr sign(m) min(|m| / max(gamma h, eps), 1)
        double h = (1 - 0.99) * 200, m = (1 - 0.96) * G;
        near(X0 - LR * Math.min(m / Math.max(0.01 * h, 1e-12), 1), step(Optimizers.sophiaH(LR), X0, G, 200.0), "Sophia-H");
    }

    @Test
    void sgdpProjectsTheRadialPartOfAScaleInvariantWeight() {
        // w = (3, 4) as a [1, 2] weight, g = (-4, 3) (orthogonal: cos = 0), momentum 0: d = g, its projection
        // removes w^ (w^ . g) = 0, so x1 = w - lr g; with weight decay wd the decay is scaled by wd_ratio 0.1
        Tensor w = Tensor.of(new double[] {3, 4}, 1, 2);
        try (Optimizer opt = Optimizer.of(Map.of("w", w), Optimizers.sgdP(LR, 0).with("weight_decay", 0.5))) {
            w.setGrad(Tensor.of(new double[] {-4, 3}, 1, 2));
            opt.step();
        }
        double decay = 1 - LR * 0.5 * 0.1;
        near(3 * decay + LR * 4, w.toDoubleArray()[0], "SGDP w0");
        near(4 * decay - LR * 3, w.toDoubleArray()[1], "SGDP w1");
        // g = (-1, 7): cos(g, w) = 25 / (sqrt(50) 5) = 0.707 > 0.1/sqrt(2), so no projection and the full decay
        Tensor v = Tensor.of(new double[] {3, 4}, 1, 2);
        try (Optimizer opt = Optimizer.of(Map.of("w", v), Optimizers.sgdP(LR, 0).with("weight_decay", 0.5))) {
            v.setGrad(Tensor.of(new double[] {-1, 7}, 1, 2));
            opt.step();
        }
        near(3 * (1 - LR * 0.5) + LR * 1, v.toDoubleArray()[0], "SGDP unprojected w0");
    }

    @Test
    void hutchinsonOfAQuadraticFormIsItsDiagonalForEveryDraw() {
        Tensor x = Tensor.of(2.0, -1.0).requiresGrad(true);
        // f = 3 x0^2 + x0 x1 + 2 x1^2: H = [[6, 1], [1, 4]]; u (Hu) = (6 + u0 u1, 4 + u0 u1), u0 u1 = ±1
        double[] e = Curvature.hutchinson(() -> x.square().mul(Tensor.of(3.0, 2.0)).sum()
                .add(x.narrow(0, 0, 1).mul(x.narrow(0, 1, 1)).sum()), Map.of("x", x), RngKey.of(1), 1).get("x").toDoubleArray();
        double off = e[0] - 6;
        assertEquals(1, Math.abs(off), 1e-14);
        assertEquals(4 + off, e[1], 1e-14);
    }
}
