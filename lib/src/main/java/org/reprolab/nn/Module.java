package org.reprolab.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

/**
 * A layer or model: named parameters plus named sub-modules, in registration order (as in
 * PyTorch's nn.Module). {@link #parameters()} flattens the tree into hierarchical names such as
 * "layers.0.weight", the walk an optimizer, a checkpoint or a parameter count needs.
 *
 * <p>Subclasses register parameters and children in their constructor and read parameters back
 * with {@link #param(String)} in {@link #forward}, so that {@link #to(DType)} can swap them.
 */
public abstract class Module {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Applies the module. */
    public abstract Tensor forward(Tensor x);

    // ------------------------------------------------------------------ registration

    /** Registers a trainable tensor (made a leaf that requires grad) under {@code name}. */
    protected final Tensor registerParameter(String name, Tensor init) {
        checkName(name);
        Tensor p = init.detach().requiresGrad(true);
        params.put(name, p);
        return p;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("invalid name '" + name + "': must be non-empty without dots");
        }
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' already registered in " + getClass().getSimpleName());
        }
    }

    /** This module's own parameter {@code name}. */
    protected final Tensor param(String name) {
        Tensor p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        return p;
    }

    // ------------------------------------------------------------------ the tree

    /** All parameters, own first then children's, keyed by dotted path; iteration order is stable. */
    public final Map<String, Tensor> parameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        params.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, c) -> c.collect(prefix + n + ".", out));
    }

    /** Direct sub-modules by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Total number of scalar parameters. */
    public final long parameterCount() {
        return parameters().values().stream().mapToLong(Tensor::numel).sum();
    }

    // ------------------------------------------------------------------ modes and state

    /** Sets training mode on this module and all descendants; returns this. */
    public Module train(boolean on) {
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        parameters().values().forEach(Tensor::zeroGrad);
    }

    /** Converts every parameter to {@code dtype} in place (gradients are dropped); returns this. */
    public Module to(DType dtype) {
        params.replaceAll((n, p) -> p.dtype() == dtype ? p : p.detach().to(dtype).requiresGrad(true));
        children.values().forEach(c -> c.to(dtype));
        return this;
    }

    /** Moves every parameter to the named device in place (gradients are dropped); returns this. */
    public Module to(String device) {
        params.replaceAll((n, p) -> p.device().equals(device) ? p : p.detach().to(device).requiresGrad(true));
        children.values().forEach(c -> c.to(device));
        return this;
    }

    /** Detached copies of all parameters, for checkpoints. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        parameters().forEach((n, p) -> out.put(n, p.detach().copy()));
        return out;
    }

    /** Copies values into the parameters; keys and shapes must match exactly. */
    public void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> mine = parameters();
        Set<String> missing = new TreeSet<>(mine.keySet());
        missing.removeAll(state.keySet());
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(mine.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: missing keys " + missing + ", unexpected keys " + unexpected);
        }
        try (Autodiff.Scope _ = Autodiff.noGrad()) {
            mine.forEach((n, p) -> {
                Tensor v = state.get(n);
                if (!java.util.Arrays.equals(v.shape(), p.shape())) {
                    throw new ShapeException("loadStateDict: '" + n + "' has shape " + java.util.Arrays.toString(v.shape())
                            + ", expected " + java.util.Arrays.toString(p.shape()));
                }
                p.assign(v);
            });
        }
    }

    // ------------------------------------------------------------------ printing

    /** Constructor arguments for printing, e.g. "in_features=2, out_features=3". */
    protected String extraRepr() {
        return "";
    }

    /** The module tree, printed like PyTorch. */
    @Override
    public String toString() {
        String head = getClass().getSimpleName() + "(" + extraRepr();
        if (children.isEmpty()) {
            return head + ")";
        }
        StringBuilder sb = new StringBuilder(head).append('\n');
        children.forEach((n, c) -> sb.append("  (").append(n).append("): ")
                .append(c.toString().replace("\n", "\n  ")).append('\n'));
        return sb.append(')').toString();
    }
}
