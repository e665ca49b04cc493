package org.reprolab.implicit;

import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * A deep equilibrium layer (Bai, Kolter and Koltun, "Deep Equilibrium Models", NeurIPS 2019;
 * locuslab/deq): the output is the fixed point {@code z* = tanh(z* Wᵀ + x Uᵀ + b)}, found by a root
 * solver (Anderson by default, as the DEQ code and JAXopt's {@code deep_equilibrium_model.py}) and
 * differentiated implicitly in {@code W}, {@code U}, {@code b} and {@code x}: the backward pass is one
 * linear solve with {@code (I − ∂T/∂z)ᵀ} (GMRES), so memory does not grow with the number of forward
 * iterations. {@code x} is {@code [batch, in]} or {@code [in]}; the parameters are the caller's tensors
 * (mark them {@code requiresGrad(true)} to train them).
 *
 * <p>The map is a contraction when {@code ‖W‖₂ < 1} (tanh is 1-Lipschitz); {@link #init} scales
 * {@code W} to spectral norm at most {@code 0.5}. Without a contraction the forward solve may fail,
 * which the implicit wrapper reports.
 */
public record DeqLayer(Tensor w, Tensor u, Tensor b, RootSolver solver, LinearSolver backward) {

    /** T(z; W, U, b, x). */
    static final FixedPointMap CELL = (z, th) -> z.matmul(th[0].t()).add(th[3].matmul(th[1].t())).add(th[2]).tanh();

    public static DeqLayer of(Tensor w, Tensor u, Tensor b) {
        return new DeqLayer(w, u, b, RootSolver.anderson(), LinearSolver.gmres());
    }

    /** Random parameters from {@code seed}: W with Frobenius (hence spectral) norm 0.5, U ~ N(0, 1/in), b = 0. */
    public static DeqLayer init(long seed, int in, int hidden) {
        Tensor w = Tensor.randn(DType.F64, seed, hidden, hidden);
        double fro = Math.sqrt(w.square().sum().item());
        Tensor u = Tensor.randn(DType.F64, seed + 1, hidden, in).div(Math.sqrt(in));
        return of(w.mul(0.5 / fro), u, Tensor.zeros(hidden));
    }

    public DeqLayer withSolver(RootSolver s) {
        return new DeqLayer(w, u, b, s, backward);
    }

    public DeqLayer withBackward(LinearSolver ls) {
        return new DeqLayer(w, u, b, solver, ls);
    }

    /**
     * The forward solve alone, not differentiable: the root solver's {@link Result}, whose
     * {@code iterations()} is the forward cost (the DEQ counterpart of a neural ODE's function evaluations).
     */
    public Result equilibrium(Tensor x) {
        int hidden = w.shape()[0];
        int[] shape = x.rank() == 1 ? new int[] {hidden} : new int[] {x.shape()[0], hidden};
        try (var _ = org.reprolab.tensor.Autodiff.noGrad()) {
            return solver.solve(CELL.asCondition(), Tensor.zeros(x.dtype(), shape), w.detach(), u.detach(), b.detach(),
                    x.detach());
        }
    }

    /** The equilibrium {@code z*(x)}, shaped {@code [batch, hidden]} (or {@code [hidden]}), differentiable. */
    public Tensor forward(Tensor x) {
        int hidden = w.shape()[0];
        int[] shape = x.rank() == 1 ? new int[] {hidden} : new int[] {x.shape()[0], hidden};
        return Implicit.fixedPoint(CELL, solver).withLinearSolver(backward).withName("DEQ")
                .apply(Tensor.zeros(x.dtype(), shape), w, u, b, x);
    }
}
