package org.reprolab.implicit;

import java.util.Arrays;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Exact unregularised optimal transport for the assignment case: {@code n} sources and {@code n} targets
 * of equal weight {@code 1/n}, where by Birkhoff's theorem an optimal plan is a permutation matrix
 * divided by {@code n}. Solved by the Hungarian method (Kuhn 1955; Munkres 1957) in the {@code O(n³)}
 * shortest-augmenting-path form with dual potentials (Jonker and Volgenant 1987). The reference that the
 * regularised solvers ({@link Sinkhorn}, {@link SparsityConstrainedOt}) are measured against.
 */
public final class Hungarian {
    private Hungarian() {}

    /** The optimal assignment of the square cost {@code C [n, n]}: row {@code i} goes to column {@code result[i]}. */
    public static int[] assignment(Tensor cost) {
        if (cost.rank() != 2 || cost.shape()[0] != cost.shape()[1] || cost.shape()[0] < 1) {
            throw new IllegalArgumentException("Hungarian: need a square cost matrix [n, n], got " + Arrays.toString(cost.shape()));
        }
        int n = cost.shape()[0];
        double[] c;
        try (var _ = Autodiff.noGrad()) {
            c = cost.contiguous().toDoubleArray();
        }
        for (double e : c) {
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("Hungarian: the cost matrix has a non-finite entry " + e);
            }
        }
        // 1-based: u (rows) and v (columns) are the dual potentials, owner[j] the row matched to column j
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] owner = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            Dense.checkInterrupt("Hungarian");
            owner[0] = i;
            int j0 = 0;
            double[] minv = new double[n + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[n + 1];
            do {
                used[j0] = true;
                int i0 = owner[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double cur = c[(i0 - 1) * n + j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[owner[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (owner[j0] != 0);
            do {
                int j1 = way[j0];
                owner[j0] = owner[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= n; j++) {
            rowToCol[owner[j] - 1] = j - 1;
        }
        return rowToCol;
    }

    /**
     * The exact OT cost {@code min ⟨C, T⟩} of a problem with {@code n} uniform sources and targets:
     * {@code (1/n) Σ_i C_{i σ(i)}} at the optimal assignment {@code σ}.
     */
    public static double cost(OtProblem p) {
        int n = p.a().shape()[0];
        double[] a;
        double[] b;
        double[] c;
        try (var _ = Autodiff.noGrad()) {
            a = p.a().toDoubleArray();
            b = p.b().toDoubleArray();
            c = p.cost().contiguous().toDoubleArray();
        }
        if (b.length != n) {
            throw new IllegalArgumentException("Hungarian: exact OT by assignment needs as many targets as sources, got " + n + " and " + b.length);
        }
        for (int i = 0; i < n; i++) {
            if (Math.abs(a[i] - a[0]) > 1e-12 * a[0] || Math.abs(b[i] - a[0]) > 1e-12 * a[0]) {
                throw new IllegalArgumentException("Hungarian: exact OT by assignment needs uniform weights; a[" + i + "] = " + a[i]
                        + ", b[" + i + "] = " + b[i] + ", a[0] = " + a[0]);
            }
        }
        int[] sigma = assignment(p.cost());
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += c[i * n + sigma[i]];
        }
        return total * a[0];
    }
}
