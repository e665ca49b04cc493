package org.reprolab.implicit;

import java.util.ArrayDeque;
import java.util.Deque;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/** The loops behind {@link Minimizer}; plain values under no-grad. */
final class MinLoops {
    private MinLoops() {}

    private static Autodiff.ValueAndGrad vg(ParametricObjective f, Tensor x, Tensor[] th) {
        return Autodiff.valueAndGrad(z -> f.apply(z, th), x);
    }

    private static Result done(String name, Tensor x, boolean ok, int it, double res, double tol, String measure,
                               String reason) {
        return new Result(x, new Convergence(name, ok, it, res, tol, measure, ok ? null : reason));
    }

    private static String why(double res, int maxIter) {
        return Double.isFinite(res) ? "iteration cap " + maxIter + " reached" : "diverged to a non-finite value";
    }

    /** Armijo backtracking along d from x (value fx, gradient g); returns the step or 0 on failure. */
    private static double armijo(ParametricObjective f, Tensor[] th, Tensor x, double fx, Tensor g, Tensor d, double t0) {
        double slope = Dense.dot(g, d);
        if (!(slope < 0)) {
            return 0;
        }
        double t = t0;
        for (int i = 0; i < 60; i++) {
            double fn = f.apply(x.add(d.mul(t)), th).item();
            if (fn <= fx + 1e-4 * t * slope) {
                return t;
            }
            t /= 2;
        }
        return 0;
    }

    static Result gradientDescent(Minimizer.GradientDescent s, ParametricObjective f, Tensor x0, Tensor[] theta) {
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(s.name(), x0);
            var v = vg(f, x, th);
            double res = Dense.maxAbs(v.grad());
            int it = 0;
            String reason = null;
            while (res > s.tol() && it < s.maxIter() && Double.isFinite(res)) {
                Dense.checkInterrupt(s.name());
                Tensor d = v.grad().neg();
                double t = s.step() > 0 ? s.step() : armijo(f, th, x, v.value().item(), v.grad(), d, 1.0);
                if (t == 0) {
                    reason = "line search failed (non-smooth or non-finite objective?)";
                    break;
                }
                x = x.add(d.mul(t));
                v = vg(f, x, th);
                res = Dense.maxAbs(v.grad());
                it++;
            }
            return done(s.name(), x, res <= s.tol(), it, res, s.tol(), "‖∇f‖∞", reason == null ? why(res, s.maxIter()) : reason);
        }
    }

    static Result lbfgs(Minimizer.LBfgs s, ParametricObjective f, Tensor x0, Tensor[] theta) {
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(s.name(), x0);
            var v = vg(f, x, th);
            double res = Dense.maxAbs(v.grad());
            Deque<Tensor[]> mem = new ArrayDeque<>(); // {s, y, rho}
            int it = 0;
            String reason = null;
            while (res > s.tol() && it < s.maxIter() && Double.isFinite(res)) {
                Dense.checkInterrupt(s.name());
                Tensor q = v.grad();
                Tensor[][] pairs = mem.toArray(Tensor[][]::new);
                double[] alpha = new double[pairs.length];
                for (int i = pairs.length - 1; i >= 0; i--) {
                    alpha[i] = pairs[i][2].item() * Dense.dot(pairs[i][0], q);
                    q = q.sub(pairs[i][1].mul(alpha[i]));
                }
                if (pairs.length > 0) {
                    Tensor[] last = pairs[pairs.length - 1];
                    q = q.mul(Dense.dot(last[0], last[1]) / Dense.dot(last[1], last[1]));
                } else {
                    q = q.mul(Math.min(1.0, 1.0 / Math.max(res, 1e-300)));
                }
                for (int i = 0; i < pairs.length; i++) {
                    double beta = pairs[i][2].item() * Dense.dot(pairs[i][1], q);
                    q = q.add(pairs[i][0].mul(alpha[i] - beta));
                }
                Tensor d = q.neg();
                double t = armijo(f, th, x, v.value().item(), v.grad(), d, 1.0);
                if (t == 0) {
                    mem.clear();
                    d = v.grad().neg();
                    t = armijo(f, th, x, v.value().item(), v.grad(), d, 1.0);
                    if (t == 0) {
                        reason = "line search failed along the negative gradient (at machine precision, or non-smooth)";
                        break;
                    }
                }
                Tensor xn = x.add(d.mul(t));
                var vn = vg(f, xn, th);
                Tensor sv = xn.sub(x);
                Tensor yv = vn.grad().sub(v.grad());
                double sy = Dense.dot(sv, yv);
                if (sy > 1e-300) {
                    mem.addLast(new Tensor[] {sv, yv, Tensor.scalar(1 / sy)});
                    if (mem.size() > s.memory()) {
                        mem.removeFirst();
                    }
                }
                x = xn;
                v = vn;
                res = Dense.maxAbs(v.grad());
                it++;
            }
            return done(s.name(), x, res <= s.tol(), it, res, s.tol(), "‖∇f‖∞", reason == null ? why(res, s.maxIter()) : reason);
        }
    }

    static Result proximalGradient(Minimizer.ProximalGradient s, ParametricObjective f, Tensor x0, Tensor[] theta) {
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(s.name(), x0);
            Tensor yk = x;
            double tk = 1;
            double eta = s.step();
            double res = Double.POSITIVE_INFINITY;
            int it = 0;
            while (it < s.maxIter()) {
                Dense.checkInterrupt(s.name());
                Tensor xn = s.prox().apply(yk.sub(Autodiff.grad(z -> f.apply(z, th), yk).mul(eta)), eta, th);
                // stopping on the gradient mapping at the new point (independent of momentum)
                Tensor tx = s.prox().apply(xn.sub(Autodiff.grad(z -> f.apply(z, th), xn).mul(eta)), eta, th);
                res = Dense.maxAbs(tx.sub(xn)) / eta;
                it++;
                if (s.accelerate()) {
                    double tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
                    yk = xn.add(xn.sub(x).mul((tk - 1) / tn));
                    tk = tn;
                } else {
                    yk = xn;
                }
                x = xn;
                if (res <= s.tol() || !Double.isFinite(res)) {
                    break;
                }
            }
            return done(s.name(), x, res <= s.tol(), it, res, s.tol(), "‖prox(x − η∇f) − x‖∞/η", why(res, s.maxIter()));
        }
    }

    static Result mirrorDescent(Minimizer.MirrorDescent s, ParametricObjective f, Tensor x0, Tensor[] theta) {
        try (var _ = Autodiff.noGrad()) {
            Tensor[] th = Ift.detached(theta);
            Tensor x = Dense.initialGuess(s.name(), x0);
            FixedPointMap t = Minimizer.MirrorDescent.mirrorMap(f, s.step());
            double res = Double.POSITIVE_INFINITY;
            int it = 0;
            while (it < s.maxIter()) {
                Dense.checkInterrupt(s.name());
                Tensor xn = t.apply(x, th);
                res = Dense.maxAbs(xn.sub(x)) / s.step();
                x = xn;
                it++;
                if (res <= s.tol() || !Double.isFinite(res)) {
                    break;
                }
            }
            return done(s.name(), x, res <= s.tol(), it, res, s.tol(), "‖T(x) − x‖∞/η", why(res, s.maxIter()));
        }
    }
}
