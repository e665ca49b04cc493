package org.reprolab.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The functional face of autodiff (in the style of JAX's grad/vjp/jvp and torch.func), plus the
 * switches that govern recording: grad mode and anomaly detection.
 *
 * <p>Nesting rule: an input that already requires grad (because an outer transform is tracing it)
 * is used as is, and the result stays differentiable, so transforms compose:
 * {@code grad(x -> grad(f, x).sum(), x0)}. An input that does not require grad becomes a fresh
 * leaf, and the result is a plain value (no graph kept), which is what an optimisation loop wants.
 *
 * <pre>{@code
 * Function<Tensor, Tensor> f = x -> x.pow(3).sum();
 * Tensor g  = Autodiff.grad(f, Tensor.of(1, 2));                   // [3, 12]
 * Tensor hv = Autodiff.hvp(f, Tensor.of(1, 2), Tensor.of(1, 0));   // [6, 0]
 * try (var _ = Autodiff.noGrad()) { ... }                          // nothing recorded inside
 * }</pre>
 */
public final class Autodiff {
    private Autodiff() {}

    private static final ThreadLocal<boolean[]> GRAD_ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});
    private static volatile boolean anomaly = Boolean.getBoolean("reprolab.detectAnomaly");

    /** A scope that restores the previous setting on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** A function of several tensors. */
    @FunctionalInterface
    public interface MultiFunction {
        Tensor apply(Tensor... xs);
    }

    public record ValueAndGrad(Tensor value, Tensor grad) {}

    public record ValueAndGrads(Tensor value, List<Tensor> grads) {}

    /** f(x) and the vector-Jacobian product v^T J. */
    public record Vjp(Tensor value, Tensor vjp) {}

    /** f(x) and the Jacobian-vector product J v. */
    public record Jvp(Tensor value, Tensor jvp) {}

    // ------------------------------------------------------------------ modes

    public static boolean isGradEnabled() {
        return GRAD_ENABLED.get()[0];
    }

    /** Sets grad mode for this thread until the returned scope closes. */
    public static Scope setGradEnabled(boolean on) {
        boolean[] flag = GRAD_ENABLED.get();
        boolean prev = flag[0];
        flag[0] = on;
        return () -> flag[0] = prev;
    }

    /** {@code try (var _ = Autodiff.noGrad()) { ... }}: ops inside record nothing. */
    public static Scope noGrad() {
        return setGradEnabled(false);
    }

    public static Scope enableGrad() {
        return setGradEnabled(true);
    }

    /**
     * NaN/Inf trap (also on with {@code -Dreprolab.detectAnomaly=true}): every op checks its
     * result and throws {@link NonFiniteException} naming itself. Costs one scan per op.
     */
    public static void detectAnomaly(boolean on) {
        anomaly = on;
    }

    public static boolean isDetectingAnomaly() {
        return anomaly;
    }

    // ------------------------------------------------------------------ the graph-level primitive

    /**
     * Gradients of {@code output} with respect to {@code inputs} (torch.autograd.grad), leaving
     * {@link Tensor#grad()} untouched. {@code gradOutput} may be null for one-element outputs.
     * Inputs the output does not depend on get zeros. With {@code createGraph} the results are
     * themselves differentiable.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean createGraph) {
        Tensor seed = gradOutput;
        if (seed == null) {
            if (output.numel() != 1) {
                throw new ShapeException("grad: output has shape " + Shapes.str(output.shape)
                        + "; pass gradOutput for outputs with more than one element");
            }
            seed = Tensor.onesLike(output);
        } else if (!Arrays.equals(seed.shape, output.shape)) {
            throw new ShapeException("grad: gradOutput shape " + Shapes.str(seed.shape) + " does not match output shape "
                    + Shapes.str(output.shape));
        }
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        wanted.addAll(inputs);
        Map<Tensor, Tensor> g = Engine.run(output, seed, createGraph, wanted);
        List<Tensor> out = new ArrayList<>(inputs.size());
        for (Tensor x : inputs) {
            Tensor gx = g.get(x);
            out.add(gx == null ? Tensor.zerosLike(x) : gx.to(x.dtype()));
        }
        return out;
    }

    // ------------------------------------------------------------------ the size of a graph

    /**
     * The recorded graph behind a tensor: how many ops {@code backward()} would walk, and how many tensor elements
     * those ops keep alive as their saved inputs (each storage counted once, constants as one element).
     * Memory arguments about differentiation — recording every step of a solver against an adjoint that records
     * one op (Pan et al., <i>AdjointDPM</i>, ICLR 2024; Chen et al., <i>Neural ODEs</i>, 2018) — become
     * measurable with it. What the backward rule of a {@link #custom} op keeps in its closure (a solver's
     * checkpoints) is not seen here.
     *
     * @param ops      recorded ops reachable from the tensor
     * @param elements elements of the distinct storages those ops hold as inputs
     */
    public record Tape(int ops, long elements) {}

    /** The {@link Tape} behind {@code t}: (0, 0) for a leaf or a tensor computed without recording. */
    public static Tape tape(Tensor t) {
        Set<Node> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Storage> storages = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> todo = new ArrayList<>();
        todo.add(t);
        long elements = 0;
        while (!todo.isEmpty()) {
            Tensor x = todo.removeLast();
            if (x.node == null || !nodes.add(x.node)) {
                continue;
            }
            for (Tensor in : x.node.inputs()) {
                if (storages.add(in.data)) {
                    elements += in.data.size();
                }
                todo.add(in);
            }
        }
        return new Tape(nodes.size(), elements);
    }

    // ------------------------------------------------------------------ custom rules

    /**
     * The backward rule of a {@link #custom} op: maps the output's cotangent {@code g} (shaped like
     * the output) and the recorded output itself to one cotangent per input, shaped like that input
     * ({@code null} = zero). Run under grad mode when the sweep builds a graph, so a rule written with
     * tensor ops (or with further custom ops) is itself differentiable: grad of grad, and forward mode
     * through {@link #jvp}'s double-vjp, both go through it. Use {@code out} (not a detached copy)
     * where the rule depends on the output, so that higher derivatives see that dependence.
     */
    @FunctionalInterface
    public interface CustomBackward {
        Tensor[] apply(Tensor g, Tensor out);
    }

    /**
     * Records {@code value}, computed by any means (a solver loop under {@link #noGrad()}, host code),
     * as the output of an op named {@code name} of {@code inputs}, with {@code backward} as its rule:
     * the equivalent of {@code jax.custom_vjp} / {@code torch.autograd.Function} for a function of
     * several tensors. Nothing is recorded (a plain value comes back) when grad mode is off or no
     * input requires grad. The result shares {@code value}'s storage when it is dense; do not update
     * {@code value} in place afterwards.
     */
    public static Tensor custom(String name, Tensor value, CustomBackward backward, Tensor... inputs) {
        Tensor v = value.detach();
        if (v.offset != 0 || !v.isContiguous() || v.data.size() != v.numel()) {
            try (Scope _ = noGrad()) {
                v = v.copy();
            }
        }
        Tensor[] in = inputs.clone();
        Node.Backward rule = (g, out) -> {
            Tensor[] gs = backward.apply(g, out);
            if (gs.length != in.length) {
                throw new IllegalStateException(name + ": backward rule returned " + gs.length + " cotangents for "
                        + in.length + " inputs");
            }
            return gs;
        };
        return Tensor.result(name, v.data, v.shape.clone(), rule, in);
    }

    // ------------------------------------------------------------------ transforms

    private static Tensor enter(Tensor x) {
        return x.requiresGrad() ? x : x.detach().requiresGrad(true);
    }

    private static boolean nested(Tensor... xs) {
        if (!isGradEnabled()) {
            return false;
        }
        for (Tensor x : xs) {
            if (x.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    private static Tensor exit(Tensor t, boolean nested) {
        return nested ? t : t.detach();
    }

    private static Tensor call(Function<Tensor, Tensor> f, Tensor x) {
        try (Scope _ = enableGrad()) {
            return f.apply(x);
        }
    }

    /** Gradient of a scalar function at x. */
    public static Tensor grad(Function<Tensor, Tensor> f, Tensor x) {
        return valueAndGrad(f, x).grad();
    }

    public static ValueAndGrad valueAndGrad(Function<Tensor, Tensor> f, Tensor x) {
        boolean nested = nested(x);
        Tensor xi = enter(x);
        Tensor y = call(f, xi);
        Tensor g = grad(y, List.of(xi), null, nested).getFirst();
        return new ValueAndGrad(exit(y, nested), g);
    }

    /** Gradients of a scalar function of several tensors, one per argument. */
    public static List<Tensor> gradAll(MultiFunction f, Tensor... xs) {
        return valueAndGradAll(f, xs).grads();
    }

    public static ValueAndGrads valueAndGradAll(MultiFunction f, Tensor... xs) {
        boolean nested = nested(xs);
        Tensor[] xi = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xi[i] = enter(xs[i]);
        }
        Tensor y;
        try (Scope _ = enableGrad()) {
            y = f.apply(xi);
        }
        List<Tensor> g = grad(y, Arrays.asList(xi), null, nested);
        return new ValueAndGrads(exit(y, nested), g);
    }

    /** f(x) and v^T (df/dx), with v shaped like f(x). */
    public static Vjp vjp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        boolean nested = nested(x, v);
        Tensor xi = enter(x);
        Tensor y = call(f, xi);
        Tensor g = grad(y, List.of(xi), v, nested).getFirst();
        return new Vjp(exit(y, nested), g);
    }

    /**
     * f(x) and (df/dx) v, with v shaped like x, by the double-vjp trick: u -> J^T u is linear in u,
     * so its vjp with v is J v. Costs two reverse sweeps; needs no forward-mode machinery.
     */
    public static Jvp jvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        boolean nested = nested(x, v);
        Tensor xi = enter(x);
        Tensor y = call(f, xi);
        Tensor u = Tensor.zerosLike(y).requiresGrad(true);
        Tensor jtu;
        try (Scope _ = enableGrad()) {
            jtu = grad(y, List.of(xi), u, true).getFirst();
        }
        Tensor jv = grad(jtu, List.of(u), v, nested).getFirst();
        return new Jvp(exit(y, nested), jv);
    }

    /**
     * The first-order Taylor model of {@code f} around {@code x0}: {@code x -> f(x0) + (df/dx)(x0) (x - x0)}, JAX's
     * {@code jax.linearize} and neural-tangents' {@code nt.linearize}. Of a network as a function of its weights this
     * is the linearized ("lazy", kernel) model whose gradient descent is kernel regression with the tangent kernel
     * at {@code x0} (Lee et al., "Wide neural networks of any depth evolve as linear models under gradient descent",
     * NeurIPS 2019); Kumar et al., "Grokking as the transition from lazy to rich training dynamics" (ICLR 2024), train
     * it beside the network to show the test-loss plateau the network leaves when its features start to move.
     *
     * <p>The model is exactly linear in {@code x} and differentiable in it (a loss of it can be back-propagated to
     * {@code x}); each call costs one forward and two reverse sweeps of {@code f} at {@code x0} (the double-vjp
     * {@link #jvp}). {@code x0} is copied out of any graph, so later changes to a tensor it views do not move the
     * expansion point.
     */
    public static Function<Tensor, Tensor> linearize(Function<Tensor, Tensor> f, Tensor x0) {
        java.util.Objects.requireNonNull(f, "linearize: f");
        Tensor base = x0.detach().copy();
        Tensor value;
        try (Scope _ = noGrad()) {
            value = f.apply(base);
        }
        return x -> {
            if (!Arrays.equals(x.shape(), base.shape())) {
                throw new ShapeException("linearize: the point has shape " + Arrays.toString(x.shape())
                        + " but the expansion point x0 has shape " + Arrays.toString(base.shape()));
            }
            return value.add(jvp(f, base, x.sub(base)).jvp());
        };
    }

    /** f(xs) and the vector-Jacobian products v^T (df/dx_i), one per argument. */
    public record VjpAll(Tensor value, List<Tensor> vjps) {}

    /** f(xs) and the directional derivative sum_i (df/dx_i) v_i. */
    public record JvpAll(Tensor value, Tensor jvp) {}

    public static VjpAll vjpAll(MultiFunction f, Tensor[] xs, Tensor v) {
        Tensor[] all = Arrays.copyOf(xs, xs.length + 1);
        all[xs.length] = v;
        boolean nested = nested(all);
        Tensor[] xi = enterAll(xs);
        Tensor y;
        try (Scope _ = enableGrad()) {
            y = f.apply(xi);
        }
        return new VjpAll(exit(y, nested), grad(y, Arrays.asList(xi), v, nested));
    }

    /** Forward-mode product along tangents {@code vs} (one per argument), by the double-vjp trick. */
    public static JvpAll jvpAll(MultiFunction f, Tensor[] xs, Tensor[] vs) {
        if (vs.length != xs.length) {
            throw new IllegalArgumentException("jvpAll: " + xs.length + " arguments but " + vs.length + " tangents");
        }
        Tensor[] all = Arrays.copyOf(xs, xs.length * 2);
        System.arraycopy(vs, 0, all, xs.length, vs.length);
        boolean nested = nested(all);
        Tensor[] xi = enterAll(xs);
        Tensor y;
        List<Tensor> jtu;
        Tensor u;
        try (Scope _ = enableGrad()) {
            y = f.apply(xi);
            u = Tensor.zerosLike(y).requiresGrad(true);
            jtu = grad(y, Arrays.asList(xi), u, true);
            Tensor q = Tensor.zerosLike(y).sum();
            for (int i = 0; i < xs.length; i++) {
                q = q.add(jtu.get(i).mul(vs[i]).sum());
            }
            jtu = List.of(q);
        }
        Tensor jv = grad(jtu.getFirst(), List.of(u), null, nested).getFirst();
        return new JvpAll(exit(y, nested), jv);
    }

    private static Tensor[] enterAll(Tensor[] xs) {
        Tensor[] xi = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xi[i] = enter(xs[i]);
        }
        return xi;
    }

    /** Hessian-vector product (d^2 f/dx^2) v of a scalar function, without forming the Hessian. */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        boolean nested = nested(x, v);
        Tensor xi = enter(x);
        Tensor g;
        try (Scope _ = enableGrad()) {
            Tensor y = f.apply(xi);
            g = grad(y, List.of(xi), null, true).getFirst();
        }
        return grad(g, List.of(xi), v, nested).getFirst();
    }

    /** The full Jacobian, shape f(x).shape + x.shape, one reverse sweep per output element. */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x) {
        boolean nested = nested(x);
        Tensor xi = enter(x);
        Tensor y = call(f, xi);
        int m = y.numel();
        Tensor[] rows = new Tensor[m];
        for (int i = 0; i < m; i++) {
            Interrupts.check("jacobian");
            double[] e = new double[m];
            e[i] = 1;
            Tensor seed = Tensor.of(e, y.shape()).to(y.dtype()).to(y.device());
            rows[i] = grad(y, List.of(xi), seed, nested).getFirst();
        }
        Tensor j = m == 0 ? Tensor.zeros(x.dtype(), Shapes.concat(y.shape, x.shape)).to(x.device()) : Tensor.stack(0, rows);
        return j.reshape(Shapes.concat(y.shape, x.shape));
    }

    /** The Hessian of a scalar function, shape x.shape + x.shape. */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x) {
        return jacobian(z -> grad(f, z), x);
    }
}
