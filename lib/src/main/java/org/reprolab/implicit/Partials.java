package org.reprolab.implicit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Partial derivatives that stay differentiable to any order. {@code partials(s, args, which)} is the
 * gradient of a scalar {@code s(args)} in {@code args[j]} with every other argument held fixed,
 * computed by one reverse sweep on fresh leaves and recorded as one {@link Autodiff#custom} op per
 * {@code j} over all of {@code args}. Its rule for a cotangent {@code c} is again a set of partials,
 * of {@code ⟨c, ∂ⱼs(args)⟩} in every argument, so the construction recurses to any order.
 *
 * <p>Why not {@link Autodiff#vjpAll} on the arguments directly: when an argument is itself the output
 * of an implicit root (the solution {@code x*(θ)}), a sweep from {@code F(x*, θ)} would run through
 * the root's rule back to {@code θ}, giving a total derivative instead of {@code ∂F/∂θ} at fixed
 * {@code x} (and, inside that root's own rule, an endless recursion). Fresh leaves cut that path; the
 * custom op re-attaches the result to the real arguments for the outer sweep.
 */
final class Partials {
    private Partials() {}

    static Tensor[] partials(String name, Autodiff.MultiFunction s, Tensor[] args, int[] which) {
        Tensor[] leaves = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            leaves[i] = args[i].detach().requiresGrad(true);
        }
        List<Tensor> wanted = new ArrayList<>();
        for (int j : which) {
            wanted.add(leaves[j]);
        }
        List<Tensor> g;
        try (var _ = Autodiff.enableGrad()) {
            Tensor v = s.apply(leaves);
            g = Autodiff.grad(v, wanted, null, false);
        }
        Tensor[] out = new Tensor[which.length];
        Tensor[] inputs = args.clone();
        for (int k = 0; k < which.length; k++) {
            int j = which[k];
            out[k] = Autodiff.custom(name, g.get(k), (c, o) -> rule(name, s, inputs, j, c), inputs);
        }
        return out;
    }

    /** Cotangents of ∂ⱼs(args) for a cotangent c: the partials of ⟨c, ∂ⱼs(args)⟩ in each argument. */
    private static Tensor[] rule(String name, Autodiff.MultiFunction s, Tensor[] args, int j, Tensor c) {
        int n = args.length;
        Autodiff.MultiFunction s2 = xs -> {
            Tensor[] a = Arrays.copyOf(xs, n);
            Tensor y = s.apply(a);
            Tensor gj = Autodiff.grad(y, List.of(a[j]), null, true).getFirst();
            return gj.mul(xs[n]).sum();
        };
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (args[i].requiresGrad()) {
                idx.add(i);
            }
        }
        Tensor[] ext = Arrays.copyOf(args, n + 1);
        ext[n] = c;
        Tensor[] ps = partials(name + "'", s2, ext, idx.stream().mapToInt(Integer::intValue).toArray());
        Tensor[] res = new Tensor[n];
        for (int k = 0; k < idx.size(); k++) {
            res[idx.get(k)] = ps[k];
        }
        return res;
    }
}
