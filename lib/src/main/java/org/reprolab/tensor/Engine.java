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
        long sweepStart = Storage.serialNow();
        List<Storage> consumed = new ArrayList<>();
        Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
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
                if (node.backward() instanceof Node.Opaque) { // rules from outside may keep what they get or give
                    kept.add(g.data);
                    for (Tensor gj : gs) {
                        if (gj != null) {
                            kept.add(gj.data);
                        }
                    }
                } else if (!want && g.data.serial > sweepStart) {
                    consumed.add(g.data);
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
        if (!createGraph && Boolean.getBoolean(RELEASE_PROPERTY)) {
            releaseIntermediates(consumed, kept, result);
        }
        return result;
    }

    /**
     * Opt-in for now ({@code -Dreprolab.backward.release=true}): with it on, the grokking-stablemax notebook read an
     * intermediate after its release (IllegalStateException), so some rule keeps a gradient this sweep does not see
     * as kept; it saved about 0.3 MB of 4.3 MB allocated per MLP step. Off, buffers return to the pool at GC.
     */
    static final String RELEASE_PROPERTY = "reprolab.backward.release";

    /**
     * Gives the buffers of the intermediate gradients back to the pool as soon as the sweep is done,
     * as PyTorch's reference counts free them, instead of when the collector notices (issue 16 item 7:
     * a training step otherwise allocates fresh outputs until the next GC). Only storages this sweep
     * made and consumed qualify; not one that a returned gradient shares (a view), nor one that a rule
     * from outside saw ({@code kept}); {@link Storage#release} also refuses while a pending chain (a
     * lazy leaf gradient) still reads it. With {@code createGraph} the gradients belong to a new graph
     * and nothing is released.
     */
    private static void releaseIntermediates(List<Storage> consumed, Set<Storage> kept, Map<Tensor, Tensor> result) {
        if (consumed.isEmpty()) {
            return;
        }
        for (Tensor r : result.values()) {
            kept.add(r.data);
        }
        for (Storage s : consumed) {
            if (kept.add(s)) { // also skips a storage consumed twice (views of one gradient)
                s.release();
            }
        }
    }
}
