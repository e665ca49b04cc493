package org.reprolab.implicit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Generalized equilibrium propagation (EP) for a network whose state {@code s} relaxes to a root of a
 * vector field {@code F(s, θ)} (Scellier and Bengio 2017; the vector-field form of Laborieux and
 * Zenke, "Improving equilibrium propagation without weight symmetry through Jacobian homeostasis",
 * ICLR 2024, arXiv:2309.02214, and their code Laborieux-Axel/generalized-holo-ep).
 *
 * <p>With a loss {@code ℓ(s)} of the state at the free equilibrium {@code s*} ({@code F(s*, θ) = 0}),
 * the true gradient (recurrent backprop, i.e. implicit differentiation) is
 * {@code −(∂F/∂θ)ᵀ J⁻ᵀ ∇ℓ} with {@code J = ∂F/∂s}. EP instead nudges the dynamics,
 * {@code F(s, θ) − β ∇ℓ(s)}, and reads the <em>neuronal error vector</em> {@code ds* / dβ = J⁻¹ ∇ℓ}
 * from the nudged equilibria by symmetric nudging {@code (s*(β) − s*(−β)) / 2β}, whose finite-β bias is
 * {@code O(β²)}: small against the asymmetry bias this class is about (cosine to the true gradient
 * above {@code 1 − 1e-8} at {@code β = 1e-3} with symmetric weights, EquilibriumPropagationTest). The
 * paper's holomorphic estimator, a Cauchy integral over complex nudges {@code β e^{iθ}}, needs
 * complex-valued network states, which the tensor library does not have; it is not offered here.
 * Its estimate {@code −(∂F/∂θ)ᵀ J⁻¹ ∇ℓ} is the true gradient exactly when {@code J} is symmetric, as
 * for an energy-based network with symmetric weights; without symmetry the bias is governed by
 * {@code J − Jᵀ}, which {@link #homeostaticLoss} penalizes.
 *
 * <p>The loss must depend on the state only (a trained readout would add its own direct gradient).
 *
 * @param field the vector field {@code F(s, θ)}, shaped like {@code s}; tensor ops only
 * @param solver finds every equilibrium, free and nudged (it must converge tightly: the EP difference
 *     is {@code O(β)})
 * @param beta the nudge strength, positive
 */
public record EquilibriumPropagation(Condition field, RootSolver solver, double beta) {

    public EquilibriumPropagation {
        java.util.Objects.requireNonNull(field, "EquilibriumPropagation: field");
        java.util.Objects.requireNonNull(solver, "EquilibriumPropagation: solver");
        if (!(beta > 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("EquilibriumPropagation: the nudge beta must be positive and finite, got " + beta);
        }
    }

    /**
     * The network's own relaxation, Euler steps {@code s ← s + ½F(s)} of {@code ds/dt = F}, to residual {@code 1e-9}
     * within 5000 steps: the tight convergence EP's {@code O(β)} differences need (a residual {@code r} moves the
     * error vector by about {@code r/β}). Damped steps stay stable where the saturating units make the undamped map
     * overshoot (Anderson acceleration with full mixing stalled at {@code 1e-7} on the two-moons network).
     */
    public static EquilibriumPropagation of(Condition field, double beta) {
        return new EquilibriumPropagation(field, new RootSolver.FixedPointIteration(1e-9, 5000, 0.5), beta);
    }

    /**
     * The vector field of the classic EP network (Scellier and Bengio 2017, "Equilibrium propagation: bridging
     * the gap between energy-based models and backpropagation"): {@code F(s) = −s + σ'(s) ⊙ (σ(s) Wᵀ + x Uᵀ + b)},
     * {@code σ = tanh}, {@code θ = (W [n, n], U [n, in], b [n], x [batch, in])}, state {@code [batch, n]}.
     * For symmetric {@code W} it is {@code −∇E} of the Hopfield energy
     * {@code E = ½‖s‖² − ½σᵀWσ − σᵀ(Ux + b)}, so its Jacobian is symmetric; an asymmetric {@code W} gives a
     * non-conservative field, the setting of Laborieux and Zenke.
     */
    public static Condition hopfield() {
        return (s, th) -> {
            Tensor rho = s.tanh();
            Tensor drive = rho.matmul(th[0].t()).add(th[3].matmul(th[1].t())).add(th[2]);
            return rho.square().neg().add(1.0).mul(drive).sub(s);
        };
    }

    /** The equilibrium at nudge {@code b} (0: the free phase), detached, solved from {@code s0}. */
    public Tensor equilibrium(double b, Function<Tensor, Tensor> loss, Tensor s0, Tensor... theta) {
        Condition nudged = b == 0 ? field : (s, th) -> field.apply(s, th).sub(Autodiff.grad(loss, s.detach()).mul(b));
        Tensor[] fixed = detached(theta);
        try (var _ = Autodiff.noGrad()) {
            return solver.solve(nudged, Dense.initialGuess("EquilibriumPropagation", s0), fixed)
                    .orThrow("equilibrium propagation at beta = " + b).x().detach();
        }
    }

    /**
     * The neuronal error vector {@code ds* / dβ ≈ (s*(β) − s*(−β)) / 2β} at the free equilibrium {@code free};
     * both nudged phases start from it, as in EP's second phase.
     */
    public Tensor errorVector(Function<Tensor, Tensor> loss, Tensor free, Tensor... theta) {
        Tensor plus = equilibrium(beta, loss, free, theta);
        Tensor minus = equilibrium(-beta, loss, free, theta);
        return plus.sub(minus).div(2 * beta);
    }

    /**
     * A scalar whose gradient in {@code θ} is EP's estimate: {@code −⟨F(s*, θ), ds* / dβ⟩} with the
     * equilibrium and the error vector held fixed, so any optimizer can step on EP's gradient
     * ({@code loss.backward()}, {@code Lab.fit}). Its value is not the loss.
     */
    public Tensor surrogate(Function<Tensor, Tensor> loss, Tensor free, Tensor... theta) {
        Tensor error = errorVector(loss, free, theta);
        return field.apply(free.detach(), theta).mul(error).sum().neg();
    }

    /** EP's gradient estimate, one tensor per {@code θ} (zeros where {@code F} does not depend on it). */
    public List<Tensor> estimate(Function<Tensor, Tensor> loss, Tensor s0, Tensor... theta) {
        Tensor free = equilibrium(0, loss, s0, theta);
        Tensor error = errorVector(loss, free, theta);
        return Autodiff.gradAll(th -> field.apply(free, th).mul(error).sum().neg(), detached(theta));
    }

    /** The true gradient of {@code ℓ(s*(θ))}: recurrent backprop, by implicit differentiation at the equilibrium. */
    public List<Tensor> exact(Function<Tensor, Tensor> loss, Tensor s0, Tensor... theta) {
        ImplicitRoot root = Implicit.root(field, solver);
        Tensor start = Dense.initialGuess("EquilibriumPropagation", s0);
        return Autodiff.gradAll(th -> loss.apply(root.apply(start, th)), detached(theta));
    }

    /**
     * The homeostatic loss of Laborieux and Zenke (their {@code homeo_loss}): {@code (‖Jε‖² − εᵀJ²ε) / n},
     * averaged over the batch, with {@code J = ∂F/∂s} at the state {@code s} and {@code n} units per example.
     * Over {@code ε ~ N(0, I)} its expectation is {@code (‖J‖²_F − tr J²) / n = ‖J − Jᵀ‖²_F / 2n}, the functional
     * asymmetry of the Jacobian, estimated from two Jacobian-vector products without forming {@code J}.
     * Differentiable in {@code θ}: added to the training loss it drives the Jacobian towards symmetry,
     * whatever the weights. {@code s} is {@code [batch, n]} (or {@code [n]}) and {@code ε} shaped like it.
     */
    public static Tensor homeostaticLoss(Condition field, Tensor s, Tensor eps, Tensor... theta) {
        if (!java.util.Arrays.equals(s.shape(), eps.shape())) {
            throw new IllegalArgumentException("homeostaticLoss: eps has shape " + java.util.Arrays.toString(eps.shape())
                    + " but the state has shape " + java.util.Arrays.toString(s.shape()));
        }
        try (var _ = Autodiff.enableGrad()) {
            Tensor state = s.detach().requiresGrad(true);
            Tensor f = field.apply(state, theta);
            Tensor u = Tensor.zerosLike(f).requiresGrad(true);
            Tensor jtu = Autodiff.grad(f, List.of(state), u, true).getFirst();
            Tensor jEps = Autodiff.grad(jtu, List.of(u), eps, true).getFirst();
            Tensor jjEps = Autodiff.grad(jtu, List.of(u), jEps, true).getFirst();
            int units = s.rank() == 1 ? s.shape()[0] : s.shape()[s.rank() - 1];
            double examples = (double) s.numel() / units;
            return jEps.square().sum().sub(eps.mul(jjEps).sum()).div(units * examples);
        }
    }

    /** The cosine similarity of two gradients given as lists of tensors (all entries flattened together). */
    public static double cosine(List<Tensor> a, List<Tensor> b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("cosine: " + a.size() + " tensors against " + b.size());
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += Dense.dot(a.get(i), b.get(i));
            na += Dense.dot(a.get(i), a.get(i));
            nb += Dense.dot(b.get(i), b.get(i));
        }
        return dot / Math.sqrt(na * nb);
    }

    private static Tensor[] detached(Tensor[] theta) {
        List<Tensor> out = new ArrayList<>(theta.length);
        for (Tensor t : theta) {
            out.add(t.detach());
        }
        return out.toArray(Tensor[]::new);
    }
}
