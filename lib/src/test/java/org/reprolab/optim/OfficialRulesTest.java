package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/**
 * Optimizers torch does not have, against their official code's update rule as written in the
 * research notes (optimizers.md §3), re-implemented here independently as plain scalar loops over
 * {@code double[]}: 100 steps from the same gradients must agree to 1e-12 (relative).
 */
class OfficialRulesTest {
    static final int STEPS = 100;

    /** A reference stepper: one step of the official rule on x in place, given the gradient and 1-based t. */
    interface Ref {
        void step(double[] x, double[] g, int t);
    }

    static void check(String what, Chain chain, ReferenceProblems prob, Ref ref) {
        check(what, chain, prob, ref, null);
    }

    static void check(String what, Chain chain, ReferenceProblems prob, Ref ref, double[] hessDiag) {
        Map<String, Tensor> params = prob.freshParams();
        double[] x = prob.x0().get(0).clone();
        try (Optimizer opt = Optimizer.of(params, chain)) {
            for (int t = 1; t <= STEPS; t++) {
                prob.setGrads(params);
                double[] g = prob.grad().at(List.of(x.clone())).get(0);
                ref.step(x, g, t);
                if (hessDiag != null && opt.needsAux("hessian"))
                    opt.step(Map.of("hessian", Map.of("x", Tensor.of(hessDiag.clone(), hessDiag.length))));
                else opt.step();
                double[] ours = params.get("x").toDoubleArray();
                double d = TorchRef.maxRelDiff(ours, x);
                assertTrue(d <= 1e-12, what + " on " + prob.name() + ": step " + t + " differs from the official rule by " + d
                        + ": ours " + java.util.Arrays.toString(ours) + ", reference " + java.util.Arrays.toString(x));
            }
        }
    }

    @Test
    void lion() {
        double lr = 1e-3, wd = 0.1, b1 = 0.9, b2 = 0.99;
        for (ReferenceProblems p : ReferenceProblems.three()) {
            double[] m = new double[p.x0().get(0).length];
            check("Lion", Optimizers.lion(lr).with("weight_decay", wd), p, (x, g, t) -> {
                for (int i = 0; i < x.length; i++) {
                    x[i] *= 1 - lr * wd;
                    double c = m[i] * b1 + g[i] * (1 - b1);
                    x[i] += -lr * Math.signum(c);
                    m[i] = m[i] * b2 + g[i] * (1 - b2);
                }
            });
        }
    }

    @Test
    void adan() {
        double lr = 1e-2, wd = 0.02, b1 = 0.98, b2 = 0.92, b3 = 0.99, eps = 1e-8;
        for (ReferenceProblems p : ReferenceProblems.three()) {
            int n = p.x0().get(0).length;
            double[] m = new double[n], d = new double[n], v = new double[n], pre = new double[n];
            check("Adan", Optimizers.adan(lr).with("weight_decay", wd), p, (x, g, t) -> {
                if (t == 1) System.arraycopy(g, 0, pre, 0, n);
                double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t), bc3 = Math.sqrt(1 - Math.pow(b3, t));
                for (int i = 0; i < n; i++) {
                    double diff = g[i] - pre[i];
                    double z = g[i] + b2 * diff;
                    m[i] = m[i] * b1 + (1 - b1) * g[i];
                    d[i] = d[i] * b2 + (1 - b2) * diff;
                    v[i] = v[i] * b3 + (1 - b3) * z * z;
                    double denom = Math.sqrt(v[i]) / bc3 + eps;
                    x[i] += -lr * ((m[i] / bc1 + b2 * d[i] / bc2) / denom);
                    x[i] /= 1 + lr * wd;
                    pre[i] = g[i];
                }
            });
        }
    }

    @Test
    void adaBelief() {
        double lr = 1e-2, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-16;
        for (boolean rectify : new boolean[] {true, false})
            for (ReferenceProblems p : ReferenceProblems.three()) {
                int n = p.x0().get(0).length;
                double[] m = new double[n], s = new double[n];
                check("AdaBelief rectify=" + rectify, Optimizers.adaBelief(lr).with("weight_decay", wd).with("rectify", rectify), p,
                        (x, g, t) -> {
                            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                            double b2t = Math.pow(b2, t), nMax = 2 / (1 - b2) - 1, nSma = nMax - 2 * t * b2t / (1 - b2t);
                            for (int i = 0; i < n; i++) {
                                x[i] *= 1 - lr * wd;
                                m[i] = m[i] * b1 + (1 - b1) * g[i];
                                double r = g[i] - m[i];
                                s[i] = s[i] * b2 + (1 - b2) * r * r;
                                s[i] += eps;
                                if (!rectify) {
                                    x[i] -= lr / bc1 * m[i] / (Math.sqrt(s[i]) / Math.sqrt(bc2) + eps);
                                } else if (nSma >= 5) {
                                    double ss = Math.sqrt((1 - b2t) * (nSma - 4) / (nMax - 4) * (nSma - 2) / nSma * nMax / (nMax - 2)) / bc1;
                                    x[i] -= ss * lr * m[i] / (Math.sqrt(s[i]) + eps);
                                } else {
                                    x[i] -= lr / bc1 * m[i];
                                }
                            }
                        });
            }
    }

    @Test
    void diffGrad() {
        double lr = 1e-2, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (ReferenceProblems p : ReferenceProblems.three()) {
            int n = p.x0().get(0).length;
            double[] m = new double[n], v = new double[n], prev = new double[n];
            check("diffGrad", Optimizers.diffGrad(lr).with("weight_decay", wd), p, (x, g0, t) -> {
                double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                for (int i = 0; i < n; i++) {
                    double g = g0[i] + wd * x[i];
                    m[i] = m[i] * b1 + (1 - b1) * g;
                    v[i] = v[i] * b2 + (1 - b2) * g * g;
                    double xi = 1 / (1 + Math.exp(-Math.abs(prev[i] - g)));
                    prev[i] = g;
                    x[i] -= lr * Math.sqrt(bc2) / bc1 * (m[i] * xi) / (Math.sqrt(v[i]) + eps);
                }
            });
        }
    }

    @Test
    void lambCybertronai() {
        double lr = 1e-2, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-6;
        for (ReferenceProblems p : ReferenceProblems.three()) {
            int n = p.x0().get(0).length;
            double[] m = new double[n], v = new double[n];
            check("LAMB", Optimizers.lamb(lr).with("weight_decay", wd), p, (x, g, t) -> {
                double wn = 0, an = 0;
                double[] step = new double[n];
                for (int i = 0; i < n; i++) {
                    m[i] = m[i] * b1 + (1 - b1) * g[i];
                    v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i];
                    step[i] = m[i] / (Math.sqrt(v[i]) + eps) + wd * x[i];
                    wn += x[i] * x[i];
                    an += step[i] * step[i];
                }
                wn = Math.min(Math.sqrt(wn), 10);
                an = Math.sqrt(an);
                double trust = wn == 0 || an == 0 ? 1 : wn / an;
                for (int i = 0; i < n; i++) x[i] -= lr * trust * step[i];
            });
        }
    }

    @Test
    void sgdSai() {
        double lr = 1e-3, wd = 1e-2, mu = 0.9, eps = 1e-8;
        for (ReferenceProblems p : ReferenceProblems.three()) {
            int n = p.x0().get(0).length;
            double[] buf = new double[n], gsnr = new double[1];
            check("SGD-SaI", Optimizers.sgdSai(lr), p, (x, g, t) -> {
                if (t == 1) {
                    double mean = 0, sq = 0;
                    for (double gi : g) mean += gi;
                    mean /= n;
                    for (double gi : g) sq += (gi - mean) * (gi - mean);
                    double std = Math.sqrt(sq / (n - 1)), norm = 0;
                    for (double gi : g) norm += gi * gi;
                    gsnr[0] = Math.sqrt(norm) / (std + eps);
                }
                for (int i = 0; i < n; i++) {
                    buf[i] = t == 1 ? g[i] : mu * buf[i] + (1 - mu) * g[i];
                    x[i] = x[i] * (1 - lr * wd) - lr * gsnr[0] * buf[i];
                }
            });
        }
    }

    @Test
    void sophiaGWithExactDiagonal() {
        ReferenceProblems p = ReferenceProblems.quadratic10();
        int n = 10;
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            double[] e = new double[n];
            e[i] = 1;
            h[i] = p.grad().at(List.of(e)).get(0)[i];
        }
        double lr = 1e-2, wd = 0.1, b1 = 0.965, b2 = 0.99, rho = 0.04;
        double[] m = new double[n], hs = new double[n];
        check("Sophia-G", Optimizers.sophiaG(lr, 1), p, (x, g, t) -> {
            if (t > 1 && (t - 1) % 10 == 0) for (int i = 0; i < n; i++) hs[i] = b2 * hs[i] + (1 - b2) * h[i];
            for (int i = 0; i < n; i++) {
                x[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                double ratio = Math.min(Math.abs(m[i]) / (rho * 1 * hs[i] + 1e-15), 1);
                x[i] += -lr * Math.signum(m[i]) * ratio;
            }
        }, h);
    }

    @Test
    void exAdamLatestCode() {
        double lr = 1e-2, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (ReferenceProblems p : ReferenceProblems.three()) {
            int n = p.x0().get(0).length;
            double[] m = new double[n], v = new double[n];
            check("EXAdam", Optimizers.exAdam(lr).with("weight_decay", wd), p, (x, g, t) -> {
                double b1t = Math.pow(b1, t), b2t = Math.pow(b2, t), bc1 = 1 - b1t, bc2 = 1 - b2t;
                for (int i = 0; i < n; i++) {
                    x[i] += x[i] * (lr * -wd);
                    m[i] = m[i] * b1 + g[i] * (1 - b1);
                    v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2);
                    double d1 = 1 + v[i] / (v[i] + eps) * b2t;
                    double d2 = 1 + m[i] * m[i] / (m[i] * m[i] + eps) * b1t;
                    double mt = m[i] / bc1 * d1, vt = v[i] / bc2 * d2, gt = g[i] / bc1 * d1;
                    x[i] += -lr * (mt + gt) / (Math.sqrt(vt) + eps);
                }
            });
        }
    }

    @Test
    void exAdamPaperStepSize() {
        double lr = 1e-2, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        ReferenceProblems p = ReferenceProblems.quadratic10();
        int n = 10;
        double[] m = new double[n], v = new double[n];
        check("EXAdam log step", Optimizers.exAdam(lr).with("log_step", true), p, (x, g, t) -> {
            double b1t = Math.pow(b1, t), b2t = Math.pow(b2, t), bc1 = 1 - b1t, bc2 = 1 - b2t;
            double alpha = lr * Math.log(Math.sqrt(2) * Math.sqrt(t + 1.0));
            for (int i = 0; i < n; i++) {
                m[i] = m[i] * b1 + g[i] * (1 - b1);
                v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2);
                double d1 = 1 + v[i] / (v[i] + eps) * b2t;
                double d2 = 1 + m[i] * m[i] / (m[i] * m[i] + eps) * b1t;
                x[i] += -alpha * (m[i] / bc1 * d1 + g[i] / bc1 * d1) / (Math.sqrt(v[i] / bc2 * d2) + eps);
            }
        });
    }

    /** AdaHessian with the exact |diag H| of the Rosenbrock function at every step (the notes' hess=exact). */
    @Test
    void adaHessianWithExactDiagonal() {
        for (double[] hp : new double[][] {{1, 0}, {0.5, 1e-3}}) {
            double k = hp[0], wd = hp[1], lr = 0.15, b1 = 0.9, b2 = 0.999, eps = 1e-4;
            ReferenceProblems prob = ReferenceProblems.rosenbrock();
            Map<String, Tensor> params = prob.freshParams();
            double[] x = prob.x0().get(0).clone(), m = new double[2], v = new double[2];
            try (Optimizer opt = Optimizer.of(params, Optimizers.adaHessian(lr).with("hessian_power", k).with("weight_decay", wd))) {
                for (int t = 1; t <= STEPS; t++) {
                    double[] cur = params.get("x").toDoubleArray();
                    double[] d = {Math.abs(2 - 400 * (cur[1] - cur[0] * cur[0]) + 800 * cur[0] * cur[0]), 200};
                    prob.setGrads(params);
                    opt.step(Map.of("hessian", Map.of("x", Tensor.of(d.clone(), 2))));
                    double[] g = prob.grad().at(List.of(x.clone())).get(0);
                    double[] dr = {Math.abs(2 - 400 * (x[1] - x[0] * x[0]) + 800 * x[0] * x[0]), 200};
                    double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                    for (int i = 0; i < 2; i++) {
                        m[i] = m[i] * b1 + (1 - b1) * g[i];
                        v[i] = v[i] * b2 + (1 - b2) * dr[i] * dr[i];
                        double denom = Math.pow(Math.sqrt(v[i]), k) / Math.pow(Math.sqrt(bc2), k) + eps;
                        x[i] = x[i] - lr * (m[i] / bc1 / denom + wd * x[i]);
                    }
                    double diff = TorchRef.maxRelDiff(params.get("x").toDoubleArray(), x);
                    assertTrue(diff <= 1e-12, "AdaHessian k=" + k + " step " + t + " differs by " + diff);
                }
            }
        }
    }

    /**
     * Stable-SPAM as the official code runs it, line by line: AdaClip, AdaGN, the moment reset that
     * keeps using the old tensors on the reset step, the cosine factor on beta1 and gamma1.
     */
    @Test
    void stableSpam() {
        record Cfg(int gap, int totalT, double wd) {}
        for (Cfg c : List.of(new Cfg(1000, 0, 0), new Cfg(30, 100, 0.01)))
            for (ReferenceProblems p : ReferenceProblems.three()) {
                double lr = 1e-2, b1 = 0.9, b2 = 0.999, eps = 1e-8, g1 = 0.7, g2 = 0.9, theta = 0.999, etaMin = 0.5;
                int n = p.x0().get(0).length;
                double[][] mv = {new double[n], new double[n]};
                double[] st = new double[5]; // step, m_norm, v_norm, m_max, total_steps
                Chain chain = Optimizers.stableSpam(lr).with("update_proj_gap", c.gap()).with("total_T", c.totalT())
                        .with("weight_decay", c.wd());
                check("Stable-SPAM " + c, chain, p, (x, g0, t) -> {
                    double[] g = g0.clone();
                    st[4]++;
                    long total = (long) st[4];
                    double scale = c.totalT() == 0 ? 1
                            : etaMin + (1.0 - etaMin) * (1 + Math.cos(Math.PI * total / (c.totalT() + 1))) / 2;
                    for (int i = 0; i < n; i++) x[i] *= 1 - lr * c.wd();
                    double maxg = 0;
                    for (double gi : g) maxg = Math.max(maxg, Math.abs(gi));
                    st[0]++;
                    st[3] = theta * st[3] + (1 - theta) * maxg;
                    double mhat = st[3] / (1 - Math.pow(theta, st[0]));
                    for (int i = 0; i < n; i++) if (Math.abs(g[i]) > mhat) g[i] = g[i] / maxg * mhat;
                    double sq = 0;
                    for (double gi : g) sq += gi * gi;
                    double norm = Math.sqrt(sq);
                    st[1] = g1 * scale * st[1] + (1 - g1 * scale) * norm;
                    st[2] = g2 * st[2] + (1 - g2) * norm * norm;
                    double mn = st[1] / (1 - Math.pow(g1 * scale, st[0])), vn = st[2] / (1 - Math.pow(g2, st[0]));
                    double cn = mn / (Math.sqrt(vn) + eps);
                    if (norm > 0) for (int i = 0; i < n; i++) g[i] = g[i] / norm * cn;
                    double[] m = mv[0], v = mv[1]; // the code's local references
                    if (total % c.gap() == 0) {
                        mv[0] = new double[n];
                        mv[1] = new double[n];
                        st[0] = 1;
                    }
                    double bb1 = b1 * scale, bc1 = 1 - Math.pow(bb1, st[0]), bc2 = 1 - Math.pow(b2, st[0]);
                    for (int i = 0; i < n; i++) {
                        m[i] = m[i] * bb1 + g[i] * (1 - bb1);
                        v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2);
                        double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
                        x[i] += -(lr / bc1) * (m[i] / denom);
                    }
                });
            }
    }

    /** Lion-κ with ∇K = x (K = ||x||^2/2) and ∇K = clamp(x, -1, 1) (Huber), as the Lion-K rule. */
    @Test
    void lionKappa() {
        double lr = 1e-3, wd = 0.1, b1 = 0.9, b2 = 0.99;
        for (ScaleByLion.Kappa kappa : new ScaleByLion.Kappa[] {ScaleByLion.Kappa.L2_SQUARED, ScaleByLion.Kappa.HUBER})
            for (ReferenceProblems p : ReferenceProblems.three()) {
                double[] m = new double[p.x0().get(0).length];
                check("Lion-κ " + kappa, Optimizers.lionKappa(lr, kappa).with("weight_decay", wd), p, (x, g, t) -> {
                    for (int i = 0; i < x.length; i++) {
                        double c = m[i] * b1 + g[i] * (1 - b1);
                        double dk = kappa == ScaleByLion.Kappa.HUBER ? Math.max(-1, Math.min(1, c)) : c;
                        x[i] += -lr * (dk + wd * x[i]);
                        m[i] = m[i] * b2 + g[i] * (1 - b2);
                    }
                });
            }
    }

    /** Lion-κ's constraint: with |∇K| <= 1 and decoupled decay λ, iterates that start in ||x||_inf <= 1/λ stay there. */
    @Test
    void lionIteratesStayInTheBoxOfTheWeightDecay() {
        double lambda = 2, lr = 0.05;
        java.util.Random rnd = new java.util.Random(3);
        for (ScaleByLion.Kappa kappa : new ScaleByLion.Kappa[] {ScaleByLion.Kappa.L1, ScaleByLion.Kappa.HUBER}) {
            Tensor x = Tensor.of(new double[] {0.49, -0.5, 0.0, 0.3}, 4);
            try (Optimizer opt = Optimizer.of(Map.of("x", x), Optimizers.lionKappa(lr, kappa).with("weight_decay", lambda))) {
                for (int t = 0; t < 500; t++) {
                    double[] g = new double[4];
                    for (int i = 0; i < 4; i++) g[i] = 10 * rnd.nextGaussian() + (i == 0 ? -20 : 0);
                    x.setGrad(Tensor.of(g, 4));
                    opt.step();
                    for (double xi : x.toDoubleArray()) assertTrue(Math.abs(xi) <= 1 / lambda + 1e-12, kappa + ": |x| = " + xi);
                }
                assertTrue(x.toDoubleArray()[0] > 0.45, "a constant push drives x to the box face 1/λ");
            }
        }
    }

    // ---- AdamP / SGDP -------------------------------------------------------------------------------

    static final double[] C = {0.3, -1.2, 0.7, 2.0, -0.4, 1.1, 0.25, -0.8, 1.6, -2.2};

    /** {@code sum_r c_r . (W_r / ||W_r||)} for W [2, 5]: scale-invariant per channel, so g is orthogonal to each row. */
    static ReferenceProblems channelInvariant() {
        return new ReferenceProblems("channel-invariant", List.of(ReferenceProblems.quadratic10().x0().get(0)), List.of(new int[] {2, 5}),
                "null", p -> List.of(invariantGrad(p.get(0), 2)));
    }

    /** {@code c . (W / ||W||_F)}: scale-invariant per layer only. */
    static ReferenceProblems layerInvariant() {
        return new ReferenceProblems("layer-invariant", List.of(ReferenceProblems.quadratic10().x0().get(0)), List.of(new int[] {2, 5}),
                "null", p -> List.of(invariantGrad(p.get(0), 1)));
    }

    /** The quadratic seen as a [2, 5] weight: not scale-invariant, so no projection. */
    static ReferenceProblems quadraticMatrix() {
        ReferenceProblems q = ReferenceProblems.quadratic10();
        return new ReferenceProblems("quadratic [2,5]", q.x0(), List.of(new int[] {2, 5}), "null", q.grad());
    }

    private static double[] invariantGrad(double[] w, int rows) {
        int n = w.length, d = n / rows;
        double[] g = new double[n];
        for (int r = 0; r < rows; r++) {
            double nn = 0, cv = 0;
            for (int i = r * d; i < (r + 1) * d; i++) nn += w[i] * w[i];
            nn = Math.sqrt(nn);
            for (int i = r * d; i < (r + 1) * d; i++) cv += C[i] * w[i] / nn;
            for (int i = r * d; i < (r + 1) * d; i++) g[i] = (C[i] - cv * w[i] / nn) / nn;
        }
        return g;
    }

    /** The code's {@code _projection} on a [rows, n/rows] weight, in place on {@code d}; true when it projected. */
    static boolean projection(double[] w, double[] g, double[] d, int rows, double delta, double eps) {
        for (int view : new int[] {rows, 1}) {
            int dim = w.length / view;
            double max = 0;
            for (int r = 0; r < view; r++) {
                double gw = 0, gg = 0, ww = 0;
                for (int i = r * dim; i < (r + 1) * dim; i++) {
                    gw += g[i] * w[i];
                    gg += g[i] * g[i];
                    ww += w[i] * w[i];
                }
                max = Math.max(max, Math.abs(gw / Math.sqrt(Math.max(gg * ww, eps * eps))));
            }
            if (max < delta / Math.sqrt(dim)) {
                for (int r = 0; r < view; r++) {
                    double ww = 0;
                    for (int i = r * dim; i < (r + 1) * dim; i++) ww += w[i] * w[i];
                    double norm = Math.sqrt(ww);
                    double[] pn = new double[dim];
                    double sum = 0;
                    for (int i = 0; i < dim; i++) {
                        pn[i] = w[r * dim + i] / (norm + eps);
                        sum += pn[i] * d[r * dim + i];
                    }
                    for (int i = 0; i < dim; i++) d[r * dim + i] -= pn[i] * sum;
                }
                return true;
            }
        }
        return false;
    }

    static List<ReferenceProblems> projectionProblems() {
        return List.of(channelInvariant(), layerInvariant(), quadraticMatrix(), ReferenceProblems.rosenbrock());
    }

    /** AdamP as clovaai/AdamP's adamp.py, with and without Nesterov and weight decay, on channel/layer/no projection. */
    @Test
    void adamP() {
        double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, delta = 0.1, wdRatio = 0.1;
        int[] projected = new int[1];
        for (boolean nesterov : new boolean[] {false, true})
            for (double wd : new double[] {0, 0.01})
                for (ReferenceProblems p : projectionProblems()) {
                    int n = p.x0().get(0).length, rows = p.shapes().get(0).length > 1 ? p.shapes().get(0)[0] : 0;
                    double[] m = new double[n], v = new double[n];
                    check("AdamP nesterov=" + nesterov + " wd=" + wd, Optimizers.adamP(lr).with("nesterov", nesterov).with("weight_decay", wd), p,
                            (x, g, t) -> {
                                double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
                                double[] perturb = new double[n];
                                for (int i = 0; i < n; i++) {
                                    m[i] = m[i] * b1 + g[i] * (1 - b1);
                                    v[i] = v[i] * b2 + g[i] * g[i] * (1 - b2);
                                    double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
                                    perturb[i] = nesterov ? (b1 * m[i] + (1 - b1) * g[i]) / denom : m[i] / denom;
                                }
                                double ratio = 1;
                                if (rows > 0 && projection(x, g, perturb, rows, delta, eps)) {
                                    ratio = wdRatio;
                                    projected[0]++;
                                }
                                for (int i = 0; i < n; i++) {
                                    if (wd > 0) x[i] *= 1 - lr * wd * ratio;
                                    x[i] += -(lr / bc1) * perturb[i];
                                }
                            });
                }
        assertTrue(projected[0] >= 2 * 2 * 2 * STEPS, "the invariant problems were projected every step: " + projected[0]);
    }

    /** SGDP as sgdp.py, including the projection written back into the aliased momentum buffer. */
    @Test
    void sgdP() {
        double lr = 0.05, eps = 1e-8, delta = 0.1, wdRatio = 0.1;
        for (boolean nesterov : new boolean[] {false, true})
            for (double[] md : new double[][] {{0.9, 0}, {0.5, 0.1}, {0, 0}})
                for (ReferenceProblems p : projectionProblems()) {
                    double mu = md[0], damp = nesterov ? 0 : md[1], wd = 0.01;
                    if (nesterov && mu == 0) continue;
                    int n = p.x0().get(0).length, rows = p.shapes().get(0).length > 1 ? p.shapes().get(0)[0] : 0;
                    double[] buf = new double[n];
                    double rate = switch (p.name()) { // stable step sizes (curvature 1e2 on the quadratic, ~1e3 on rosenbrock)
                        case "rosenbrock" -> 1e-4;
                        case "quadratic [2,5]" -> 5e-3;
                        default -> lr;
                    };
                    Chain chain = Optimizers.sgdP(rate, mu).with("nesterov", nesterov).with("dampening", damp).with("weight_decay", wd);
                    check("SGDP nesterov=" + nesterov + " momentum=" + mu + " dampening=" + damp, chain, p, (x, g, t) -> {
                        for (int i = 0; i < n; i++) buf[i] = buf[i] * mu + g[i] * (1 - damp);
                        double[] dp = buf; // the code's alias
                        if (nesterov) {
                            dp = new double[n];
                            for (int i = 0; i < n; i++) dp[i] = g[i] + mu * buf[i];
                        }
                        double ratio = rows > 0 && projection(x, g, dp, rows, delta, eps) ? wdRatio : 1;
                        for (int i = 0; i < n; i++) {
                            x[i] *= 1 - rate * wd * ratio / (1 - mu);
                            x[i] += -rate * dp[i];
                        }
                    });
                }
    }

    // ---- M-FAC --------------------------------------------------------------------------------------

    /** The code's {@code HInvSlow}: {@code H = I/damp}, then one Sherman–Morrison update per window row. */
    static double[] hinvSlowMul(double[][] rows, double damp, double[] x) {
        int m = rows.length, d = x.length;
        double[][] h = new double[d][d];
        for (int i = 0; i < d; i++) h[i][i] = 1 / damp;
        for (double[] g : rows) {
            double[] hg = new double[d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) hg[i] += h[i][j] * g[j];
            double den = m;
            for (int i = 0; i < d; i++) den += g[i] * hg[i];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) h[i][j] -= hg[i] * hg[j] / den;
        }
        double[] out = new double[d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) out[i] += h[i][j] * x[j];
        return out;
    }

    /**
     * M-FAC over the group's whole parameter vector (the linear regression's weight and bias together, as
     * the code concatenates them): ring buffer, HInvSlow's inverse Fisher product, momentum, L2 decay.
     * With damp 0.1 the systems are well conditioned, so 100 steps agree to about 1e-12; the tolerance
     * is 1e-10 because the two sides solve the m x m Woodbury system in different orders and its
     * condition number amplifies the rounding (a run once reached 1.05e-12 at step 89 on the
     * quadratic). The notes saw drift after ~40 steps at damp 1e-5, where kappa(F) is huge, between two
     * exact algorithms.
     */
    @Test
    void mfac() {
        for (double[] cfg : new double[][] {{0, 0, 8}, {0.9, 0.01, 8}, {0.5, 0, 3}})
            for (ReferenceProblems p : List.of(ReferenceProblems.linreg(), ReferenceProblems.rosenbrock(), ReferenceProblems.quadratic10())) {
                double mu = cfg[0], wd = cfg[1], damp = 0.1, lr = p.name().equals("rosenbrock") ? 1e-4 : 1e-2;
                int m = (int) cfg[2];
                Map<String, Tensor> params = p.freshParams();
                int d = 0;
                for (double[] x0 : p.x0()) d += x0.length;
                double[] x = new double[d];
                int o = 0;
                for (double[] x0 : p.x0()) {
                    System.arraycopy(x0, 0, x, o, x0.length);
                    o += x0.length;
                }
                double[][] window = new double[m][d];
                double[] v = new double[d];
                int last = 0;
                Chain chain = Optimizers.mfac(lr).with("ngrads", m).with("damp", damp).with("momentum", mu).with("weight_decay", wd);
                try (Optimizer opt = Optimizer.of(params, chain)) {
                    for (int t = 1; t <= STEPS; t++) {
                        p.setGrads(params);
                        opt.step();
                        List<double[]> split = new ArrayList<>();
                        o = 0;
                        for (double[] x0 : p.x0()) {
                            split.add(java.util.Arrays.copyOfRange(x, o, o + x0.length));
                            o += x0.length;
                        }
                        double[] g = new double[d];
                        o = 0;
                        for (double[] gi : p.grad().at(split)) {
                            System.arraycopy(gi, 0, g, o, gi.length);
                            o += gi.length;
                        }
                        for (int i = 0; i < d; i++) g[i] += wd * x[i];
                        window[last] = g;
                        last = (last + 1) % m;
                        double[] tmp = hinvSlowMul(window, damp, g);
                        if (mu > 0) for (int i = 0; i < d; i++) tmp[i] = v[i] = mu * v[i] + (1 - mu) * tmp[i];
                        for (int i = 0; i < d; i++) x[i] -= lr * tmp[i];
                        double[] ours = new double[d];
                        o = 0;
                        for (Tensor pt : params.values()) for (double val : pt.toDoubleArray()) ours[o++] = val;
                        double diff = TorchRef.maxRelDiff(ours, x);
                        assertTrue(diff <= 1e-10, "M-FAC " + java.util.Arrays.toString(cfg) + " on " + p.name() + ": step " + t
                                + " differs from HInvSlow by " + diff);
                    }
                }
            }
    }
}
