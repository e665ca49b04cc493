package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/** Seed-free float64 problems of the research notes (implicit.md §4): 1-based formulas. */
final class Fixtures {
    private Fixtures() {}

    /** X[i,j] = sin(0.37 i j + 0.11 j²) + 0.1 cos(1.3 i − 0.5 j), rows 1..n, columns 1..d. */
    static double[][] design(int n, int d) {
        double[][] x = new double[n][d];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= d; j++) {
                x[i - 1][j - 1] = Math.sin(0.37 * i * j + 0.11 * j * j) + 0.1 * Math.cos(1.3 * i - 0.5 * j);
            }
        }
        return x;
    }

    /** e[i] = sin(0.9 i² + 0.4). */
    static double noise(int i) {
        return Math.sin(0.9 * i * i + 0.4);
    }

    /** The ridge bar: n = 30, d = 8, y = X (0.5 cos(1.7 j)) + e; rows 1–12 train, 13–30 validation. */
    record Ridge(Tensor xTrain, Tensor yTrain, Tensor xVal, Tensor yVal, double[][] xtx, double[] xty) {
        int nTrain() {
            return xTrain.shape()[0];
        }

        /** F(w, λ) = Xᵀ(Xw − y) + n_tr λ w, the gradient of ½‖Xw − y‖² + n_tr λ ‖w‖²/2. */
        Condition condition() {
            return (w, th) -> xTrain.t().matmul(xTrain.matmul(w).sub(yTrain)).add(w.mul(th[0]).mul(nTrain()));
        }

        Tensor matvec(Tensor v, double lambda) {
            return xTrain.t().matmul(xTrain.matmul(v)).add(v.mul(nTrain() * lambda));
        }

        /** L_val = ‖X_v w − y_v‖² / (2 n_v). */
        Tensor validationLoss(Tensor w) {
            return xVal.matmul(w).sub(yVal).square().sum().div(2.0 * xVal.shape()[0]);
        }

        /** Closed form (XᵀX + n_tr λ I)⁻¹ Xᵀy. */
        double[] solution(double lambda) {
            return Dense.solve(shifted(lambda), xty);
        }

        double[][] shifted(double lambda) {
            int d = xty.length;
            double[][] a = new double[d][d];
            for (int i = 0; i < d; i++) {
                a[i] = xtx[i].clone();
                a[i][i] += nTrain() * lambda;
            }
            return a;
        }

        /** dw/dλ = −n_tr (XᵀX + n_tr λ I)⁻¹ w. */
        double[] solutionDerivative(double lambda) {
            double[] w = solution(lambda);
            double[] r = Dense.solve(shifted(lambda), w);
            for (int i = 0; i < r.length; i++) {
                r[i] *= -nTrain();
            }
            return r;
        }
    }

    static Ridge ridge() {
        int n = 30;
        int d = 8;
        int nTr = 12;
        double[][] x = design(n, d);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i][j] * 0.5 * Math.cos(1.7 * (j + 1));
            }
            y[i] = s + noise(i + 1);
        }
        double[][] xtx = new double[d][d];
        double[] xty = new double[d];
        for (int i = 0; i < nTr; i++) {
            for (int a = 0; a < d; a++) {
                xty[a] += x[i][a] * y[i];
                for (int b = 0; b < d; b++) {
                    xtx[a][b] += x[i][a] * x[i][b];
                }
            }
        }
        double[][] tr = java.util.Arrays.copyOfRange(x, 0, nTr);
        double[][] va = java.util.Arrays.copyOfRange(x, nTr, n);
        return new Ridge(Tensor.of(tr), Tensor.of(java.util.Arrays.copyOfRange(y, 0, nTr)), Tensor.of(va),
                Tensor.of(java.util.Arrays.copyOfRange(y, nTr, n)), xtx, xty);
    }
}
