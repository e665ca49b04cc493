package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/** MKOR against its official code's step written as scalar loops, and its factor update against its closed form. */
class MkorTest {

    static final double[][] X = {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {-1.0, 2.0, 0.75}, {0.1, 0.2, 0.3}, {2.0, -0.5, -1.5}};
    static final double[][] Y = {{1.0, -2.0}, {0.5, 0.5}, {-1.5, 2.5}, {0.25, 0.0}, {3.0, -1.0}};

    /** Output gradients of the mean squared error for y = X W^T + b: 2 (y - Y) / (N O). */
    static double[][] outputGrads(double[] w, double[] b) {
        int n = X.length, o = 2, in = 3;
        double[][] dy = new double[n][o];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < o; k++) {
                double y = b[k];
                for (int j = 0; j < in; j++) y += X[i][j] * w[k * in + j];
                dy[i][k] = 2.0 / (n * o) * (y - Y[i][k]);
            }
        return dy;
    }

    /** The official MKOR + torch SGD(momentum) for 100 steps on a linear layer with bias, refresh every 3 steps. */
    @Test
    void matchesTheOfficialStepForALinearLayer() {
        ReferenceProblems prob = ReferenceProblems.linreg();
        Map<String, Tensor> params = prob.freshParams();
        Tensor w = params.get("weight"), b = params.get("bias");
        double lr = 0.05, mu = 0.9, clip = 100;
        int k = 3, in = 3, o = 2, n = X.length;
        Mkor mkor = new Mkor(Map.of("fc", new Mkor.Layer(w, b)), k, clip);
        double[] wr = prob.x0().get(0).clone(), br = prob.x0().get(1).clone();
        double[][] a = null, g = null;
        boolean[] resetFlags = {true, true};
        double[] bufW = new double[in * o], bufB = new double[o];
        int resets = 0;
        try (Optimizer opt = Optimizer.of(params, Optimizers.sgd(lr, mu))) {
            for (int step = 0; step < 100; step++) {
                // ours
                prob.setGrads(params);
                double[][] dyOurs = outputGrads(w.toDoubleArray(), b.toDoubleArray());
                mkor.precondition(Map.of("fc", Tensor.of(X)), Map.of("fc", Tensor.of(dyOurs)));
                opt.step();
                // the official step
                List<double[]> gr = prob.grad().at(List.of(wr.clone(), br.clone()));
                double[] dw = gr.get(0), db = gr.get(1);
                if (step % k == 0) {
                    double[][] dy = outputGrads(wr, br);
                    double[] av = new double[in + 1], gv = new double[o];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j <= in; j++) av[j] += Math.max(-clip, Math.min(clip, j < in ? X[i][j] : 1)) / n;
                        for (int c = 0; c < o; c++) gv[c] += Math.max(-clip, Math.min(clip, n * dy[i][c])) / n;
                    }
                    double[][][] fs = {a, g};
                    double[][] vs = {av, gv};
                    for (int f = 0; f < 2; f++) {
                        int d = vs[f].length;
                        if (resetFlags[f]) {
                            fs[f] = identity(d);
                            resetFlags[f] = false;
                            resets++;
                        } else {
                            double[][] p = new double[d][d], id = identity(d);
                            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) p[i][j] = 0.95 * fs[f][i][j] + 0.05 * id[i][j];
                            double[] t1 = new double[d], t2 = new double[d];
                            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
                                t1[i] += p[i][j] * vs[f][j];
                                t2[j] += vs[f][i] * p[i][j];
                            }
                            double s = 0;
                            for (int i = 0; i < d; i++) s += t2[i] * vs[f][i];
                            double coef = 1 / (1 + s), max = 0;
                            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
                                p[i][j] -= coef * t1[i] * t2[j];
                                max = Math.max(max, Math.abs(p[i][j]));
                            }
                            fs[f] = p;
                            if (max > 2) resetFlags[0] = resetFlags[1] = true;
                        }
                    }
                    a = fs[0];
                    g = fs[1];
                }
                double[][] mat = new double[o][in + 1];
                for (int c = 0; c < o; c++) {
                    for (int j = 0; j < in; j++) mat[c][j] = dw[c * in + j];
                    mat[c][in] = db[c];
                }
                double[][] v = mul(mul(g, mat), a);
                double gn = 0, bn = 0, vwn = 0, vbn = 0;
                for (int c = 0; c < o; c++) {
                    for (int j = 0; j < in; j++) {
                        gn += dw[c * in + j] * dw[c * in + j];
                        vwn += v[c][j] * v[c][j];
                    }
                    bn += db[c] * db[c];
                    vbn += v[c][in] * v[c][in];
                }
                double fix = (Math.sqrt(gn) + Math.sqrt(bn)) / (Math.sqrt(vwn) + Math.sqrt(vbn));
                for (int c = 0; c < o; c++) {
                    for (int j = 0; j < in; j++) {
                        double gg = v[c][j] * fix;
                        bufW[c * in + j] = step == 0 ? gg : mu * bufW[c * in + j] + gg;
                        wr[c * in + j] -= lr * bufW[c * in + j];
                    }
                    double gg = v[c][in] * fix;
                    bufB[c] = step == 0 ? gg : mu * bufB[c] + gg;
                    br[c] -= lr * bufB[c];
                }
                double dwd = TorchRef.maxRelDiff(w.toDoubleArray(), wr), dbd = TorchRef.maxRelDiff(b.toDoubleArray(), br);
                assertTrue(Math.max(dwd, dbd) <= 1e-12, "MKOR step " + step + " differs from the official step by " + Math.max(dwd, dbd));
            }
        }
        assertEquals(100, mkor.steps());
        assertTrue(resets >= 2, "the first refresh resets both factors to the identity");
    }

    /** The rank-1 factor update is the inverse of (0.95 F + 0.05 I)^-1 + v v^T (Sherman–Morrison). */
    @Test
    void factorUpdateIsTheShermanMorrisonInverse() {
        Tensor w = Tensor.of(new double[] {0.1, -0.2, 0.3, 0.4, 0.5, -0.6}, 2, 3).requiresGrad(true);
        Mkor mkor = new Mkor(Map.of("fc", new Mkor.Layer(w, null)), 1, 100);
        Tensor x = Tensor.of(new double[][] {{0.3, -0.4, 0.2}, {0.1, 0.5, -0.3}});
        Tensor dy = Tensor.of(new double[][] {{0.2, -0.1}, {0.05, 0.3}});
        w.setGrad(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        mkor.precondition(Map.of("fc", x), Map.of("fc", dy)); // identity
        w.setGrad(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        mkor.precondition(Map.of("fc", x), Map.of("fc", dy)); // rank-1 update from I
        double[] av = {0.2, 0.05, -0.05};
        double[] f = mkor.factors("fc").getFirst().toDoubleArray();
        // (P^-1 + v v^T) F = I with P = 0.95 I + 0.05 I = I
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int l = 0; l < 3; l++) s += ((i == l ? 1 : 0) + av[i] * av[l]) * f[l * 3 + j];
                assertEquals(i == j ? 1 : 0, s, 1e-14, "(P^-1 + v v^T) F at " + i + "," + j);
            }
    }

    static double[][] identity(int d) {
        double[][] id = new double[d][d];
        for (int i = 0; i < d; i++) id[i][i] = 1;
        return id;
    }

    static double[][] mul(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < b[0].length; j++)
                for (int l = 0; l < b.length; l++) c[i][j] += a[i][l] * b[l][j];
        return c;
    }
}
