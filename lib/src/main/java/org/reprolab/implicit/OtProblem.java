package org.reprolab.implicit;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.reprolab.tensor.Tensor;

/**
 * A balanced optimal-transport problem: source weights {@code a [n]}, target weights {@code b [m]}
 * (positive, equal sums) and the cost matrix {@code C [n, m]}; what {@link Sinkhorn} and
 * {@link SinkhornNewtonSparse} solve as {@link IterativeSolver}s. Two benchmark families of Tang et
 * al. (ICLR 2024, §5) ship as factories.
 *
 * @param name a label for tables and figure titles
 */
public record OtProblem(String name, Tensor a, Tensor b, Tensor cost) {

    public OtProblem {
        new Sinkhorn(1, 1, 1).check(a, b, cost);
    }

    public static OtProblem of(String name, Tensor a, Tensor b, Tensor cost) {
        return new OtProblem(name, a, b, cost);
    }

    /**
     * Random assignment (the paper's first experiment): {@code C_ij ~ U[0, 1]} drawn from {@code seed},
     * uniform marginals; the optimal plan is close to a permutation, so its Hessian is very sparse.
     */
    public static OtProblem randomAssignment(int n, long seed) {
        if (n < 2) throw new IllegalArgumentException("random assignment: need n >= 2, got " + n);
        var r = new SplittableRandom(seed);
        double[] c = new double[n * n];
        for (int k = 0; k < c.length; k++) c[k] = r.nextDouble();
        double[] a = new double[n];
        Arrays.fill(a, 1.0 / n);
        return new OtProblem("random assignment", Tensor.of(a), Tensor.of(a.clone()), Tensor.of(c, n, n));
    }

    /**
     * A smooth 1-D transport with the squared Euclidean cost: {@code x_i = (i + ½)/n} with weights
     * {@code ∝ 1 + ½ sin 2πx}, {@code y_j = u²(3 − 2u)} ({@code u = (j + ½)/m}) with weights
     * {@code ∝ 1 + ½ cos πy}: the plan is a smooth band, not a permutation, so a sparse Newton step must
     * keep tens of entries per row.
     */
    public static OtProblem smooth1d(int n, int m) {
        if (n < 2 || m < 2) throw new IllegalArgumentException("smooth 1-D transport: need n, m >= 2, got " + n + ", " + m);
        double[] x = new double[n], a = new double[n], y = new double[m], b = new double[m];
        double sa = 0, sb = 0;
        for (int i = 0; i < n; i++) {
            x[i] = (i + 0.5) / n;
            a[i] = 1 + 0.5 * Math.sin(2 * Math.PI * x[i]);
            sa += a[i];
        }
        for (int j = 0; j < m; j++) {
            double u = (j + 0.5) / m;
            y[j] = u * u * (3 - 2 * u);
            b[j] = 1 + 0.5 * Math.cos(Math.PI * y[j]);
            sb += b[j];
        }
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            a[i] /= sa;
            for (int j = 0; j < m; j++) c[i * m + j] = (x[i] - y[j]) * (x[i] - y[j]);
        }
        for (int j = 0; j < m; j++) b[j] /= sb;
        return new OtProblem("smooth 1-D", Tensor.of(a), Tensor.of(b), Tensor.of(c, n, m));
    }

    @Override
    public String toString() {
        return name;
    }
}
