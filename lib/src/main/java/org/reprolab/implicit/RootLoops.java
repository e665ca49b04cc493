package org.reprolab.implicit;

import java.util.ArrayDeque;
import java.util.Deque;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeProblem;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.OdeSystem;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/** The loops behind {@link RootSolver}; plain values under no-grad. */
final class RootLoops {
    private RootLoops() {}

    private static final String MEASURE = "‖F(x)‖∞";

    private static Result done(String name, Tensor x, boolean ok, int it, double res, double tol, String reason) {
        return new Result(x, new Convergence(name, ok, it, res, tol, MEASURE, ok ? null : reason));
    }

    private static String cap(int maxIter) {
        return "iteration cap " + maxIter + " reached";
    }

    static Result fixedPoint(RootSolver.FixedPointIteration s, Condition f, Tensor x0, Tensor[] theta) {
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(s.name(), x0);
            Tensor fx = f.apply(x, th);
            double res = Dense.maxAbs(fx);
            int it = 0;
            while (res > s.tol() && it < s.maxIter() && Double.isFinite(res)) {
                Dense.checkInterrupt(s.name());
                x = x.add(fx.mul(s.damping()));
                fx = f.apply(x, th);
                res = Dense.maxAbs(fx);
                it++;
            }
            return done(s.name(), x, res <= s.tol(), it, res, s.tol(),
                    Double.isFinite(res) ? cap(s.maxIter()) + " (is T a contraction?)" : "diverged to a non-finite value");
        }
    }

    static Result anderson(RootSolver.Anderson s, Condition f, Tensor x0, Tensor[] theta) {
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(s.name(), x0);
            Tensor r = f.apply(x, th);
            double res = Dense.maxAbs(r);
            Deque<Tensor[]> hist = new ArrayDeque<>();
            int it = 0;
            while (res > s.tol() && it < s.maxIter() && Double.isFinite(res)) {
                Dense.checkInterrupt(s.name());
                hist.addLast(new Tensor[] {x, r});
                if (hist.size() > s.history()) {
                    hist.removeFirst();
                }
                int k = hist.size();
                Tensor[][] h = hist.toArray(Tensor[][]::new);
                double[][] a = new double[k + 1][k + 1];
                double scale = 0;
                for (int i = 0; i < k; i++) {
                    for (int j = i; j < k; j++) {
                        double g = Dense.dot(h[i][1], h[j][1]);
                        a[i + 1][j + 1] = g;
                        a[j + 1][i + 1] = g;
                    }
                    scale = Math.max(scale, a[i + 1][i + 1]);
                    a[0][i + 1] = 1;
                    a[i + 1][0] = 1;
                }
                for (int i = 0; i < k; i++) {
                    a[i + 1][i + 1] += s.ridge() * scale + Double.MIN_NORMAL;
                }
                double[] rhs = new double[k + 1];
                rhs[0] = 1;
                double[] sol = Dense.solve(a, rhs);
                Tensor next = Tensor.zerosLike(x);
                if (sol == null) { // degenerate history: plain step, restart the history
                    next = x.add(r.mul(s.mixing()));
                    hist.clear();
                } else {
                    for (int i = 0; i < k; i++) {
                        next = next.add(h[i][0].add(h[i][1].mul(s.mixing())).mul(sol[i + 1]));
                    }
                }
                x = next;
                r = f.apply(x, th);
                res = Dense.maxAbs(r);
                it++;
            }
            return done(s.name(), x, res <= s.tol(), it, res, s.tol(),
                    Double.isFinite(res) ? cap(s.maxIter()) : "diverged to a non-finite value");
        }
    }

    static Result newton(RootSolver.Newton s, Condition f, Tensor x0, Tensor[] theta) {
        String name = s.name();
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(name, x0);
            Tensor fx = f.apply(x, th);
            double res = Dense.maxAbs(fx);
            int it = 0;
            String reason = null;
            while (res > s.tol() && it < s.maxIter()) {
                Dense.checkInterrupt(name);
                if (!Double.isFinite(res)) {
                    reason = "diverged to a non-finite value";
                    break;
                }
                Direction dir = direction(s.linear(), f, x, th, fx.neg());
                if (dir.failure() != null) {
                    reason = dir.failure() + " at iteration " + it;
                    break;
                }
                Tensor d = dir.d();
                double phi = Dense.dot(fx, fx);
                double alpha = 1;
                Tensor xn = null;
                Tensor fn = null;
                boolean accepted = false;
                for (int ls = 0; ls < 40; ls++) {
                    xn = x.add(d.mul(alpha));
                    fn = f.apply(xn, th);
                    double phin = Dense.dot(fn, fn);
                    // Armijo on ‖F‖²; below float resolution the test is meaningless, so accept (see §3.7 of the notes)
                    if (phin <= (1 - 2e-4 * alpha) * phi || Dense.maxAbs(fn) <= s.tol() || phi < 1e-28) {
                        accepted = true;
                        break;
                    }
                    alpha /= 2;
                }
                if (!accepted) {
                    reason = "line search failed at iteration " + it + " (a local minimum of ‖F‖ that is not a root?)";
                    break;
                }
                x = xn;
                fx = fn;
                res = Dense.maxAbs(fx);
                it++;
            }
            return done(name, x, res <= s.tol(), it, res, s.tol(), reason == null ? cap(s.maxIter()) : reason);
        }
    }

    /** A Newton direction {@code J(x)⁻¹ rhs}, or why it could not be computed. */
    private record Direction(Tensor d, String failure) {}

    /** Solves {@code ∂F/∂x(x) d = rhs}: dense autodiff Jacobian and LU when {@code linear} is null, else matrix-free. */
    private static Direction direction(LinearSolver linear, Condition f, Tensor x, Tensor[] th, Tensor rhs) {
        if (linear == null) {
            double[] sol = Dense.solve(Dense.square(Autodiff.jacobian(z -> f.apply(z, th), x), x.numel()),
                    rhs.contiguous().toDoubleArray());
            return sol == null ? new Direction(null, "singular Jacobian (try another start, or a Krylov solver with a ridge)")
                    : new Direction(Dense.like(sol, x), null);
        }
        Result lin = linear.trySolve(Linearization.jvpOperator(f, x, th), rhs, null);
        return Double.isFinite(Dense.maxAbs(lin.x())) ? new Direction(lin.x(), null)
                : new Direction(null, "the linear solve with the Jacobian failed: " + lin.convergence().describe());
    }

    /** Thrown from inside the homotopy field to stop the ODE solve where the path turns. */
    private static final class PathBreak extends RuntimeException {
        PathBreak(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The Newton homotopy {@code H(z, λ) = F(z) − (1 − λ) F(z₀)}: {@code dz/dλ = −J(z)⁻¹ F(z₀)} from
     * {@code λ = 0} to 1 by fixed-step RK4 ({@link Ode#solve}), then Newton corrector steps from {@code z(1)}.
     */
    static Result homotopy(RootSolver.Homotopy s, Condition f, Tensor x0, Tensor[] theta) {
        String name = s.name();
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor start = Dense.initialGuess(name, x0);
            Tensor push = f.apply(start, th).neg();
            OdeSystem field = (lambda, z, dz) -> {
                Dense.checkInterrupt(name);
                Direction dir = direction(s.linear(), f, Dense.like(z, start), th, push);
                if (dir.failure() != null) {
                    throw new PathBreak(dir.failure() + " on the homotopy path at λ = " + lambda
                            + " (a turning point: is ∂F/∂z invertible along the path?)");
                }
                System.arraycopy(dir.d().contiguous().toDoubleArray(), 0, dz, 0, dz.length);
            };
            Solution<double[]> path;
            try {
                path = Ode.solve(OdeProblem.of(field, 0, 1, start.contiguous().toDoubleArray()), Solvers.rk4(),
                        Controllers.constant(1.0 / s.steps()));
            } catch (RuntimeException e) {
                for (Throwable c = e; c != null; c = c.getCause()) {
                    if (c instanceof PathBreak b) {
                        return done(name, start, false, 0, Dense.maxAbs(push), s.tol(), b.getMessage());
                    }
                }
                throw e;
            }
            int solves = (int) path.stats().nfev();
            Tensor end = Dense.like(path.yEnd(), start);
            if (s.corrector() == 0) {
                double res = Dense.maxAbs(f.apply(end, th));
                return done(name, end, res <= s.tol(), solves, res, s.tol(), "the path's end is not a root to tol (no corrector steps)");
            }
            double endResidual = Dense.maxAbs(f.apply(end, th));
            Result c = newton(new RootSolver.Newton(s.tol(), s.corrector(), s.linear()), f, end, th);
            Convergence cc = c.convergence();
            return done(name, c.x(), cc.converged(), solves + cc.iterations(), cc.residual(), s.tol(),
                    String.format("the path ended at %s = %.3e from %.3e at its start (a large value: the path left its"
                            + " branch, e.g. near a singular Jacobian); then %s", MEASURE, endResidual, Dense.maxAbs(push), cc.describe()));
        }
    }

    static Result broyden(RootSolver.Broyden s, Condition f, Tensor x0, Tensor[] theta) {
        String name = s.name();
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(name, x0);
            int n = x.numel();
            double[][] j0 = Dense.square(Autodiff.jacobian(z -> f.apply(z, th), x), n);
            double[][] h = new double[n][n];
            for (int c = 0; c < n; c++) {
                double[] e = new double[n];
                e[c] = 1;
                double[] col = Dense.solve(j0, e);
                if (col == null) { // singular start: H = −I, right for fixed-point conditions T(x) − x with small ∂T
                    h = new double[n][n];
                    for (int i = 0; i < n; i++) {
                        h[i][i] = -1;
                    }
                    break;
                }
                for (int i = 0; i < n; i++) {
                    h[i][c] = col[i];
                }
            }
            Tensor fx = f.apply(x, th);
            double[] fv = fx.contiguous().toDoubleArray();
            double[] xv = x.contiguous().toDoubleArray();
            double res = Dense.maxAbs(fx);
            int it = 0;
            while (res > s.tol() && it < s.maxIter() && Double.isFinite(res)) {
                Dense.checkInterrupt(name);
                double[] dx = new double[n];
                for (int i = 0; i < n; i++) {
                    double acc = 0;
                    for (int k = 0; k < n; k++) {
                        acc -= h[i][k] * fv[k];
                    }
                    dx[i] = acc;
                }
                double[] xn = new double[n];
                for (int i = 0; i < n; i++) {
                    xn[i] = xv[i] + dx[i];
                }
                x = Dense.like(xn, x);
                fx = f.apply(x, th);
                double[] fn = fx.contiguous().toDoubleArray();
                double[] df = new double[n];
                for (int i = 0; i < n; i++) {
                    df[i] = fn[i] - fv[i];
                }
                double[] hdf = new double[n];
                double[] dxh = new double[n];
                double denom = 0;
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < n; k++) {
                        hdf[i] += h[i][k] * df[k];
                        dxh[i] += dx[k] * h[k][i];
                    }
                }
                for (int i = 0; i < n; i++) {
                    denom += dx[i] * hdf[i];
                }
                if (Math.abs(denom) > 1e-300) {
                    for (int i = 0; i < n; i++) {
                        double c = (dx[i] - hdf[i]) / denom;
                        for (int k = 0; k < n; k++) {
                            h[i][k] += c * dxh[k];
                        }
                    }
                }
                xv = xn;
                fv = fn;
                res = Dense.maxAbs(fx);
                it++;
            }
            return done(name, x, res <= s.tol(), it, res, s.tol(),
                    Double.isFinite(res) ? cap(s.maxIter()) : "diverged to a non-finite value");
        }
    }
}
