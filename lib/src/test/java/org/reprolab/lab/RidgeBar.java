package org.reprolab.lab;

import java.util.Arrays;
import org.reprolab.implicit.Condition;
import org.reprolab.implicit.FixedPointMap;
import org.reprolab.implicit.Implicit;
import org.reprolab.implicit.ImplicitRoot;
import org.reprolab.implicit.InnerSolver;
import org.reprolab.implicit.LinearSolver;
import org.reprolab.tensor.Tensor;

/**
 * The seed-free ridge bar of the research notes (implicit.md §4): n = 30, d = 8, rows 1–12 train;
 * its 50-digit references are dL/dλ(0.1) = −0.134384531492049 and λ* = 0.163406486946858.
 */
final class RidgeBar {
    static final double HYPERGRADIENT_AT_0_1 = -0.134384531492049;
    static final double LAMBDA_STAR = 0.163406486946858;
    static final int D = 8, N_TRAIN = 12;
    final Tensor xt, yt, xv, yv, xtx, xty;
    final double gershgorin;

    RidgeBar() {
        int n = 30;
        double[][] x = new double[n][D];
        double[] y = new double[n];
        for (int i = 1; i <= n; i++) {
            double s = 0;
            for (int j = 1; j <= D; j++) {
                x[i - 1][j - 1] = Math.sin(0.37 * i * j + 0.11 * j * j) + 0.1 * Math.cos(1.3 * i - 0.5 * j);
                s += x[i - 1][j - 1] * 0.5 * Math.cos(1.7 * j);
            }
            y[i - 1] = s + Math.sin(0.9 * i * i + 0.4);
        }
        xt = Tensor.of(Arrays.copyOfRange(x, 0, N_TRAIN));
        yt = Tensor.of(Arrays.copyOfRange(y, 0, N_TRAIN));
        xv = Tensor.of(Arrays.copyOfRange(x, N_TRAIN, n));
        yv = Tensor.of(Arrays.copyOfRange(y, N_TRAIN, n));
        xtx = xt.t().matmul(xt);
        xty = xt.t().matmul(yt);
        double g = 0;
        for (int a = 0; a < D; a++) {
            double s = 0;
            for (int b = 0; b < D; b++) s += Math.abs(xtx.get(a, b));
            g = Math.max(g, s);
        }
        gershgorin = g;
    }

    Condition condition() {
        return (w, th) -> xt.t().matmul(xt.matmul(w).sub(yt)).add(w.mul(th[0]).mul(N_TRAIN));
    }

    InnerSolver cg(double rtol) {
        return (w0, th) -> LinearSolver.cg().withRtol(rtol).withMaxIter(100)
                .trySolve(v -> xtx.matmul(v).add(v.mul(N_TRAIN * th[0].item())), xty, null).x();
    }

    ImplicitRoot root() {
        return Implicit.root(condition(), cg(1e-13)).withLinearSolver(LinearSolver.cg());
    }

    Tensor validationLoss(Tensor w) {
        return xv.matmul(w).sub(yv).square().sum().div(2.0 * xv.shape()[0]);
    }

    /** Gradient descent with step 1/(Gershgorin bound of XᵀX + n λ I), the step detached from λ. */
    FixedPointMap gdStep() {
        Condition f = condition();
        return (w, th) -> w.sub(f.apply(w, th).mul(1 / (gershgorin + N_TRAIN * th[0].item())));
    }

    BilevelProblem problem() {
        return BilevelProblem.of("ridge", root(), (w, th) -> validationLoss(w)).start(Tensor.zeros(D)).step(gdStep()).tolerance(this::cg);
    }

    /** −n_tr rᵀ H⁻¹ w* with r = X_vᵀ(X_v w* − y_v)/n_v, by direct solves. */
    double closedForm(double lambda) {
        double[][] id = new double[D][D];
        for (int k = 0; k < D; k++) id[k][k] = 1;
        Tensor h = xtx.add(Tensor.of(id).mul(N_TRAIN * lambda));
        Tensor w = LinearSolver.direct().solve(h::matmul, xty);
        Tensor dw = LinearSolver.direct().solve(h::matmul, w.mul(-N_TRAIN));
        return xv.t().matmul(xv.matmul(w).sub(yv)).div(xv.shape()[0]).mul(dw).sum().item();
    }
}
