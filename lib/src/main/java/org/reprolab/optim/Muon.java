package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;
import static org.reprolab.optim.Transform.chain;
import static org.reprolab.optim.Transforms.addDecayedWeights;
import static org.reprolab.optim.Transforms.scaleByLearningRate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Muon, MomentUm Orthogonalized by Newton–Schulz (Jordan et al. 2024, "Muon: An optimizer for hidden
 * layers in neural networks", kellerjordan.github.io/posts/muon; code KellerJordan/Muon {@code muon.py},
 * {@code SingleDeviceMuonWithAuxAdam}): for each matrix parameter (rank >= 2 by default, higher ranks
 * viewed as {@code [shape[0], -1]} as the code views conv filters) SGD momentum
 * {@code m = lerp(m, g, 1 - momentum)}, Nesterov's {@code u = lerp(g, m, momentum)} (else {@code u = m}),
 * then {@code u} replaced by its approximate orthogonalisation: {@code X = u / (||u||_F + 1e-7)}
 * (transposed when taller than wide) and {@code nsSteps} quintic Newton–Schulz iterations
 * {@code A = X X^T, X = a X + (b A + c A A) X} with {@code (a, b, c) = (3.4445, -4.7750, 2.0315)},
 * scaled by {@code sqrt(max(1, rows/cols))}; the step is {@code p (1 - lr wd) - lr u}. Every other
 * parameter steps with the {@code aux} chain (the code's auxiliary Adam: lr 3e-4, betas (0.9, 0.95),
 * eps 1e-10, decoupled weight decay 0).
 *
 * <p>The orthogonalisation is a matrix computation, not an element-wise one, so Muon is not a link of
 * a chain but a policy around an {@link Optimizer}: {@link #over} builds a {@link MuonOptimizer} whose
 * {@code step()} runs the momentum and Newton–Schulz on the gradients (replacing them) and then the
 * optimizer, with a group {@value #GROUP} that applies {@code -lr (u + wd p)}. The iteration runs in
 * the parameters' dtype; the code runs it in bfloat16, a speed choice that changes the last bits.
 */
public record Muon(@Range(NON_NEGATIVE) double lr, @Range(BETA) double momentum, boolean nesterov, @Range(AT_LEAST_ONE) int nsSteps,
        @Range(NON_NEGATIVE) double weightDecay, Chain aux, ParamFilter matrices) {

    /** The group of the orthogonalised parameters. */
    public static final String GROUP = "muon";
    /** The quintic Newton–Schulz coefficients, chosen in the code to maximise the slope at zero. */
    static final double A = 3.4445, B = -4.7750, C = 2.0315;

    public Muon {
        Hyper.check("Muon", Muon.class, lr, momentum, nesterov, nsSteps, weightDecay, aux, matrices);
    }

    /** The chain the orthogonalised parameters step with: {@code -lr (u + wd p)}. */
    Chain matrixChain() {
        return chain(addDecayedWeights(weightDecay), scaleByLearningRate(lr));
    }

    public Muon withLr(double v) { return new Muon(v, momentum, nesterov, nsSteps, weightDecay, aux, matrices); }
    public Muon withMomentum(double v) { return new Muon(lr, v, nesterov, nsSteps, weightDecay, aux, matrices); }
    public Muon withNesterov(boolean v) { return new Muon(lr, momentum, v, nsSteps, weightDecay, aux, matrices); }
    public Muon withNsSteps(int v) { return new Muon(lr, momentum, nesterov, v, weightDecay, aux, matrices); }
    public Muon withWeightDecay(double v) { return new Muon(lr, momentum, nesterov, nsSteps, v, aux, matrices); }
    public Muon withAux(Chain v) { return new Muon(lr, momentum, nesterov, nsSteps, weightDecay, v, matrices); }
    public Muon withMatrices(ParamFilter v) { return new Muon(lr, momentum, nesterov, nsSteps, weightDecay, aux, v); }

    /** Muon over {@code params}: the matrices it selects orthogonalised, the rest with {@code aux}. */
    public MuonOptimizer over(Map<String, Tensor> params) {
        return new MuonOptimizer(this, params, null);
    }

    /** The same with a learning-rate schedule on both groups (as {@link Optimizer.Builder#schedule}). */
    public MuonOptimizer over(Map<String, Tensor> params, Schedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("Muon: schedule is null");
        return new MuonOptimizer(this, params, schedule);
    }

    /**
     * The code's {@code zeropower_via_newtonschulz5} on a {@code [rows, cols]} matrix, scaled by
     * {@code sqrt(max(1, rows/cols))} as {@code muon_update} does.
     */
    static Tensor orthogonalize(Tensor u, int steps) {
        int rows = u.size(0), cols = u.size(1);
        Tensor x = rows > cols ? u.t().contiguous() : u;
        x = x.div(Math.sqrt(x.square().sum().item()) + 1e-7);
        for (int i = 0; i < steps; i++) {
            Tensor a = x.matmul(x.t());
            Tensor b = a.mul(B).add(a.matmul(a).mul(C));
            x = x.mul(A).add(b.matmul(x));
        }
        if (rows > cols) x = x.t().contiguous();
        return x.mul(Math.sqrt(Math.max(1, (double) rows / cols)));
    }

    /** torch's {@code lerp}, element-wise on tensors: {@code a + w (b - a)} for {@code w < 0.5}, else {@code b - (b - a)(1 - w)}. */
    static Tensor lerp(Tensor a, Tensor b, double w) {
        return w < 0.5 ? a.add(b.sub(a).mul(w)) : b.sub(b.sub(a).mul(1 - w));
    }

    /** Momentum and orthogonalisation of one matrix gradient; updates {@code m} in place and returns the new gradient. */
    Tensor update(Tensor g, Tensor m) {
        try (var _ = Autodiff.noGrad()) {
            m.assign(lerp(m, g, 1 - momentum));
            Tensor u = nesterov ? lerp(g, m, momentum) : m;
            int[] shape = g.shape();
            Tensor o = orthogonalize(u.contiguous().reshape(shape[0], g.numel() / shape[0]), nsSteps);
            return o.reshape(shape);
        }
    }

    static Map<String, Tensor> copyOf(Map<String, Tensor> params) {
        if (params == null || params.isEmpty()) throw new IllegalArgumentException("Muon: no parameters given");
        return new LinkedHashMap<>(params);
    }
}
