package org.reprolab.implicit;

import java.util.List;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * BO-REP, bilevel optimisation with initialisation refinement and periodic updates (Hao, Gong and Liu,
 * "Bilevel Optimization under Unbounded Smoothness: A New Algorithm and Convergence Analysis", ICLR 2024;
 * official code MingruiLiu-ML-Lab/Bilevel-Optimization-under-Unbounded-Smoothness), for
 * {@code min_x F(x) = f(x, y*(x))}, {@code y*(x) = argmin_y g(x, y)}, g strongly convex in y. Its
 * hypergradient is {@code ∇F = ∇ₓf − ∇²ₓᵧg v*}, {@code ∇²ᵧᵧg v* = ∇ᵧf} (the implicit-function-theorem
 * linear system, research notes §3.9). Deterministic (full-batch) form of the paper's Algorithm 1:
 *
 * <ol>
 * <li>initialisation refinement: {@code refineSteps} gradient steps on {@code g(x₀, ·)} (the paper's
 * epoch-SGD subroutine) so that the first hypergradients are accurate;
 * <li>every iteration: one step on the linear system, {@code v ← Π_R(v − ν(∇²ᵧᵧg v − ∇ᵧf))} (Hessian-vector
 * products by the autodiff, projected on the ball of radius R); the estimate
 * {@code ĝ = ∇ₓf − ∇²ₓᵧg v}; momentum {@code m ← βm + (1 − β)ĝ}; the <em>normalised</em> upper step
 * {@code x ← x − η m/‖m‖} (what makes it robust to unbounded smoothness);
 * <li>periodic updates: every {@code period} iterations, {@code llSteps} gradient steps on
 * {@code g(x, ·)} with step {@code llStep} (the code's I and N are about 2–3).
 * </ol>
 * Each iteration evaluates gradients and one mixed Hessian-vector product; nothing is inverted.
 *
 * @param eta         upper step η (the normalised step length)
 * @param beta        momentum β
 * @param nu          step ν on the linear system
 * @param radius      projection radius R for {@code v}
 * @param llStep      lower-level gradient step γ
 * @param period      I: lower-level updates every {@code period} iterations
 * @param llSteps     N: lower-level steps per update
 * @param refineSteps lower-level steps of the initialisation refinement
 */
public record BoRep(double eta, double beta, double nu, double radius, double llStep, int period, int llSteps,
                    int refineSteps) implements BilevelAlgorithm {

    public BoRep {
        if (!(eta > 0) || !(beta >= 0 && beta < 1) || !(nu > 0) || !(radius > 0) || !(llStep > 0) || period < 1
                || llSteps < 0 || refineSteps < 0) {
            throw new IllegalArgumentException("BO-REP: need eta, nu, radius, llStep > 0, beta in [0, 1), period >= 1,"
                    + " llSteps, refineSteps >= 0");
        }
    }

    @Override
    public String name() {
        return "BO-REP";
    }

    /**
     * {@code iterations} upper steps from {@code (x0, y0)}, {@code v} from zero; the trace has {@code f(x, y)} and the norm of
     * the hypergradient estimate at every iteration (cut where the watcher stops the run). Oracle calls: the refinement's and
     * periodic updates' gradients of g, and per iteration one gradient of f and one Hessian-vector product of g.
     */
    @Override
    public Trace run(Level upper, Level lower, Tensor x0, Tensor y0, int iterations, Watcher watcher) {
        try (var _ = Autodiff.noGrad()) {
            Tensor x = x0.detach();
            Tensor y = y0.detach();
            for (int k = 0; k < refineSteps; k++) {
                y = y.sub(gradY(lower, x, y).mul(llStep));
            }
            long gradients = refineSteps;
            long hvps = 0;
            Tensor v = Tensor.zerosLike(y);
            Tensor m = Tensor.zerosLike(x);
            double[] values = new double[iterations];
            double[] norms = new double[iterations];
            for (int t = 0; t < iterations; t++) {
                Dense.checkInterrupt("BO-REP");
                if (t > 0 && t % period == 0) {
                    for (int k = 0; k < llSteps; k++) {
                        y = y.sub(gradY(lower, x, y).mul(llStep));
                    }
                    gradients += llSteps;
                }
                Tensor[] fg = grads(upper, x, y);               // ∇ₓf, ∇ᵧf
                Tensor[] h = secondOrder(lower, x, y, v);       // ∇²ₓᵧg v, ∇²ᵧᵧg v
                gradients++;
                hvps++;
                values[t] = upper.apply(x, y).item();
                if (!watcher.onIterate(t, x, y, values[t])) {
                    return new Trace(x, y, java.util.Arrays.copyOf(values, t + 1), java.util.Arrays.copyOf(norms, t + 1), gradients, hvps);
                }
                v = v.sub(h[1].sub(fg[1]).mul(nu));
                double vn = Dense.norm(v);
                if (vn > radius) {
                    v = v.mul(radius / vn);
                }
                Tensor est = fg[0].sub(h[0]);
                norms[t] = Dense.norm(est);
                m = m.mul(beta).add(est.mul(1 - beta));
                double mn = Dense.norm(m);
                if (!Double.isFinite(mn)) {
                    throw new IllegalStateException("BO-REP: the hypergradient estimate became non-finite at iteration " + t);
                }
                if (mn > 0) {
                    x = x.sub(m.mul(eta / mn));
                }
            }
            return new Trace(x, y, values, norms, gradients, hvps);
        }
    }

    private static Tensor gradY(Level g, Tensor x, Tensor y) {
        return Autodiff.grad(z -> g.apply(x, z), y);
    }

    private static Tensor[] grads(Level f, Tensor x, Tensor y) {
        List<Tensor> gs = Autodiff.gradAll(p -> f.apply(p[0], p[1]), x, y);
        return new Tensor[] {gs.get(0), gs.get(1)};
    }

    /** {@code (∇²ₓᵧg v, ∇²ᵧᵧg v)}: the gradient of {@code ⟨∇ᵧg(x, y), v⟩} in (x, y). */
    static Tensor[] secondOrder(Level g, Tensor x, Tensor y, Tensor v) {
        Tensor xl = x.detach().requiresGrad(true);
        Tensor yl = y.detach().requiresGrad(true);
        List<Tensor> out;
        try (var _ = Autodiff.enableGrad()) {
            Tensor gy = Autodiff.grad(g.apply(xl, yl), List.of(yl), null, true).getFirst();
            out = Autodiff.grad(gy.mul(v).sum(), List.of(xl, yl), null, false);
        }
        return new Tensor[] {out.get(0) == null ? Tensor.zerosLike(x) : out.get(0), out.get(1)};
    }
}
