package org.reprolab.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode sweep over the recorded graph. With {@code createGraph} the sweep runs with grad
 * mode on, so the gradients it builds are recorded too (grad of grad); otherwise it runs under
 * no-grad and the gradients are plain values.
 */
final class Engine {
    private Engine() {}

    /** Post-order (inputs before users) of the tensors that require grad, reachable from root. */
    private static List<Tensor> topo(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Tensor> stack = new ArrayDeque<>();
        Deque<Integer> pos = new ArrayDeque<>();
        stack.push(root);
        pos.push(0);
        seen.add(root);
        while (!stack.isEmpty()) {
            Tensor t = stack.peek();
            int i = pos.pop();
            Tensor[] ins = t.node == null ? new Tensor[0] : t.node.inputs();
            while (i < ins.length && (!ins[i].requiresGrad() || seen.contains(ins[i]))) {
                i++;
            }
            if (i < ins.length) {
                pos.push(i + 1);
                seen.add(ins[i]);
                stack.push(ins[i]);
                pos.push(0);
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    /**
     * Propagates {@code seed} (shaped like root) backwards. Returns the gradient of every tensor in
     * {@code wanted}, or of every leaf when {@code wanted} is null. Intermediate gradients are
     * dropped as soon as they have been used.
     */
    static Map<Tensor, Tensor> run(Tensor root, Tensor seed, boolean createGraph, Set<Tensor> wanted) {
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Tensor> result = new IdentityHashMap<>();
        if (!root.requiresGrad()) {
            if (wanted != null && wanted.contains(root)) {
                result.put(root, seed);
            }
            return result;
        }
        List<Tensor> order = topo(root);
        grads.put(root, seed);
        try (Autodiff.Scope _ = Autodiff.setGradEnabled(createGraph)) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Interrupts.check("backward");
                Tensor t = order.get(i);
                Tensor g = grads.remove(t);
                if (g == null) {
                    continue;
                }
                boolean want = wanted == null ? t.node == null : wanted.contains(t);
                if (want) {
                    result.put(t, g);
                }
                if (t.node == null) {
                    continue;
                }
                Node node = t.node;
                Tensor[] gs;
                try {
                    gs = node.backward().apply(g, t);
                } catch (NonFiniteException e) {
                    throw new NonFiniteException("backward of " + node.op(),
                            "backward of " + node.op() + ": " + e.getMessage());
                }
                Tensor[] ins = node.inputs();
                for (int j = 0; j < ins.length; j++) {
                    Tensor in = ins[j];
                    if (gs[j] == null || !in.requiresGrad()) {
                        continue;
                    }
                    if (!Arrays.equals(gs[j].shape, in.shape)) {
                        throw new IllegalStateException("backward of " + node.op() + " returned gradient of shape "
                                + Shapes.str(gs[j].shape) + " for input of shape " + Shapes.str(in.shape));
                    }
                    if (Autodiff.isDetectingAnomaly()) {
                        Anomaly.check("backward of " + node.op(), gs[j], new Tensor[] {g});
                    }
                    grads.merge(in, gs[j], Tensor::add);
                }
            }
        }
        return result;
    }
}
