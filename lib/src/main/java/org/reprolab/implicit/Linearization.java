package org.reprolab.implicit;

import java.util.List;
import java.util.function.UnaryOperator;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * {@code v -> (∂F/∂x) v} and {@code u -> (∂F/∂x)ᵀ u} at a point, from one recorded evaluation of F
 * (reused for every product of a Krylov solve). Plain values; the JVP by the double-vjp trick.
 */
final class Linearization {
    private Linearization() {}

    static UnaryOperator<Tensor> vjpOperator(Condition f, Tensor x, Tensor[] theta) {
        Tensor xi = x.detach().requiresGrad(true);
        Tensor y;
        try (var _ = Autodiff.enableGrad()) {
            y = f.apply(xi, Ift.detached(theta));
        }
        Tensor fy = y;
        return u -> {
            try (var _ = Autodiff.noGrad()) {
                return Autodiff.grad(fy, List.of(xi), u, false).getFirst();
            }
        };
    }

    static UnaryOperator<Tensor> jvpOperator(Condition f, Tensor x, Tensor[] theta) {
        Tensor xi = x.detach().requiresGrad(true);
        Tensor jtu;
        Tensor probe;
        try (var _ = Autodiff.enableGrad()) {
            Tensor y = f.apply(xi, Ift.detached(theta));
            probe = Tensor.zerosLike(y).requiresGrad(true);
            jtu = Autodiff.grad(y, List.of(xi), probe, true).getFirst();
        }
        Tensor jt = jtu;
        Tensor pr = probe;
        return v -> {
            try (var _ = Autodiff.noGrad()) {
                return Autodiff.grad(jt, List.of(pr), v, false).getFirst();
            }
        };
    }
}
