package org.reprolab.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reprolab.tensor.Tensor;

/**
 * The small problems of the optimizer reference notes (rosenbrock from (-1.2, 1), beale from (1, 1.5),
 * a 10-d quadratic with condition number 100 in a DCT-II eigenbasis) plus a two-tensor linear
 * regression for parameter groups. Gradients are closed forms written with the same operations in the
 * same order as {@code src/test/python/torch_optim_ref.py}, so both sides see identical gradients.
 */
record ReferenceProblems(String name, List<double[]> x0, List<int[]> shapes, String dataJson, Grad grad) {

    interface Grad {
        List<double[]> at(List<double[]> params);
    }

    static ReferenceProblems rosenbrock() {
        return new ReferenceProblems("rosenbrock", List.of(new double[] {-1.2, 1}), List.of(new int[] {2}), "null", p -> {
            double x = p.get(0)[0], y = p.get(0)[1];
            double a = 1.0, b = 100.0;
            double dy = y - x * x;
            return List.of(new double[] {-2 * (a - x) - 4 * b * x * dy, 2 * b * dy});
        });
    }

    static ReferenceProblems beale() {
        return new ReferenceProblems("beale", List.of(new double[] {1, 1.5}), List.of(new int[] {2}), "null", p -> {
            double x = p.get(0)[0], y = p.get(0)[1];
            double t1 = 1.5 - x + x * y;
            double t2 = 2.25 - x + x * y * y;
            double t3 = 2.625 - x + x * y * y * y;
            double dx = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1);
            double dyv = 2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y * y);
            return List.of(new double[] {dx, dyv});
        });
    }

    /** {@code 0.5 x^T A x}, A = Q diag(lambda) Q^T, lambda log-spaced in [1, 100], Q the orthonormal DCT-II. */
    static ReferenceProblems quadratic10() {
        int n = 10;
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) q[i][k] = StrictMath.sqrt((k == 0 ? 1.0 : 2.0) / n) * StrictMath.cos(Math.PI * (i + 0.5) * k / n);
        double[] lam = new double[n];
        for (int k = 0; k < n; k++) lam[k] = StrictMath.pow(100, (double) k / (n - 1));
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[i][k] * lam[k] * q[j][k];
                a[i][j] = s;
            }
        double[] x0 = new double[n];
        for (int i = 0; i < n; i++) x0[i] = (i + 1) / 10.0 * (i % 2 == 0 ? 1 : -1);
        return new ReferenceProblems("quadratic", List.of(x0), List.of(new int[] {n}), "{\"A\": " + json(a) + "}", p -> {
            double[] x = p.get(0);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0.0;
                for (int j = 0; j < n; j++) s += a[i][j] * x[j];
                out[i] = s;
            }
            return List.of(out);
        });
    }

    /** Mean squared error of {@code X W^T + b} against Y: W [2, 3] ("weight"), b [2] ("bias"). */
    static ReferenceProblems linreg() {
        double[][] xs = {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {-1.0, 2.0, 0.75}, {0.1, 0.2, 0.3}, {2.0, -0.5, -1.5}};
        double[][] ys = {{1.0, -2.0}, {0.5, 0.5}, {-1.5, 2.5}, {0.25, 0.0}, {3.0, -1.0}};
        double[] w0 = {0.1, -0.2, 0.3, 0.4, 0.5, -0.6};
        double[] b0 = {0.05, -0.05};
        return new ReferenceProblems("linreg", List.of(w0, b0), List.of(new int[] {2, 3}, new int[] {2}),
                "{\"X\": " + json(xs) + ", \"Y\": " + json(ys) + "}", p -> {
                    double[] w = p.get(0), b = p.get(1);
                    int nn = xs.length, oo = b.length, jj = xs[0].length;
                    double c = 2.0 / (nn * oo);
                    double[][] r = new double[nn][oo];
                    for (int n = 0; n < nn; n++)
                        for (int o = 0; o < oo; o++) {
                            double s = 0.0;
                            for (int j = 0; j < jj; j++) s += xs[n][j] * w[o * jj + j];
                            r[n][o] = s + b[o] - ys[n][o];
                        }
                    double[] dw = new double[oo * jj];
                    double[] db = new double[oo];
                    for (int o = 0; o < oo; o++) {
                        for (int j = 0; j < jj; j++) {
                            double s = 0.0;
                            for (int n = 0; n < nn; n++) s += (c * r[n][o]) * xs[n][j];
                            dw[o * jj + j] = s;
                        }
                        double s = 0.0;
                        for (int n = 0; n < nn; n++) s += c * r[n][o];
                        db[o] = s;
                    }
                    return List.of(dw, db);
                });
    }

    static List<ReferenceProblems> three() {
        return List.of(rosenbrock(), beale(), quadratic10());
    }

    /** Parameter names: "x" for one tensor, "weight"/"bias" for linreg. */
    List<String> names() {
        return x0.size() == 1 ? List.of("x") : List.of("weight", "bias");
    }

    Map<String, Tensor> freshParams() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < x0.size(); i++) m.put(names().get(i), Tensor.of(x0.get(i).clone(), shapes.get(i)));
        return m;
    }

    /** Sets the closed-form gradients on {@code params}. */
    void setGrads(Map<String, Tensor> params) {
        List<double[]> vals = new ArrayList<>();
        for (Tensor t : params.values()) vals.add(t.toDoubleArray());
        List<double[]> gs = grad.at(vals);
        int i = 0;
        for (Tensor t : params.values()) {
            t.setGrad(Tensor.of(gs.get(i), shapes.get(i)));
            i++;
        }
    }

    /** Runs {@code steps} steps and returns the flattened parameters at steps 0..N. */
    double[] trajectory(Optimizer opt, Map<String, Tensor> params, int steps) {
        List<Double> out = new ArrayList<>();
        record(params, out);
        for (int s = 0; s < steps; s++) {
            setGrads(params);
            opt.step();
            record(params, out);
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void record(Map<String, Tensor> params, List<Double> out) {
        for (Tensor t : params.values()) for (double v : t.toDoubleArray()) out.add(v);
    }

    String x0Json() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < x0.size(); i++) sb.append(i == 0 ? "" : ", ").append(json(x0.get(i)));
        return sb.append("]").toString();
    }

    static String json(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s", Double.toString(v[i])));
        return sb.append("]").toString();
    }

    static String json(double[][] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(json(v[i]));
        return sb.append("]").toString();
    }
}
