package org.reprolab.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Checks analytic gradients against central finite differences in f64.
 *
 * <p>First order: for s(x) = sum(w * f(x)) with a fixed random w, compares the reverse-mode
 * gradient of s with (s(x + h e_i) - s(x - h e_i)) / 2h for every input element i. A random w
 * makes this a check of the whole vector-Jacobian product, not only of its column sums.
 *
 * <p>Second order: with q(x) = sum_j sum(u_j * grad_j s(x)) built with createGraph, compares the
 * reverse-mode gradient of q (a Hessian-vector product) with central differences of q, where q at
 * the shifted points is computed by the first-order machinery.
 */
public final class GradCheck {
    private GradCheck() {}

    private static final double H = 1e-6;
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-5;

    public static void check(Autodiff.MultiFunction f, Tensor... inputs) {
        compare("first order", xs -> first(f, xs, false), inputs);
    }

    public static void checkSecondOrder(Autodiff.MultiFunction f, Tensor... inputs) {
        check(f, inputs);
        compare("second order", xs -> second(f, xs), inputs);
    }

    /** s(x) = sum(w * f(x)). */
    private static Tensor first(Autodiff.MultiFunction f, Tensor[] xs, boolean unused) {
        Tensor y = f.apply(xs);
        Tensor w = Tensor.randn(7, y.shape());
        return y.mul(w).sum();
    }

    /** q(x) = sum_j sum(u_j * d s / d x_j), differentiable. */
    private static Tensor second(Autodiff.MultiFunction f, Tensor[] xs) {
        Tensor[] xi = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            xi[i] = xs[i].requiresGrad() ? xs[i] : xs[i].detach().requiresGrad(true);
        }
        Tensor s = first(f, xi, false);
        List<Tensor> g = Autodiff.grad(s, Arrays.asList(xi), null, true);
        Tensor q = Tensor.scalar(0);
        for (int j = 0; j < xs.length; j++) {
            q = q.add(g.get(j).mul(Tensor.randn(11 + j, xs[j].shape())).sum());
        }
        return q;
    }

    private static void compare(String what, Autodiff.MultiFunction scalar, Tensor[] inputs) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DType.F64) {
                throw new IllegalArgumentException("GradCheck needs f64 inputs");
            }
            xs[i] = inputs[i].detach().requiresGrad(true);
        }
        Tensor s = scalar.apply(xs);
        List<Tensor> analytic = Autodiff.grad(s, Arrays.asList(xs), null, false);
        for (int i = 0; i < xs.length; i++) {
            double[] base = inputs[i].toDoubleArray();
            double[] a = analytic.get(i).toDoubleArray();
            for (int e = 0; e < base.length; e++) {
                double plus = eval(scalar, inputs, i, base, e, H);
                double minus = eval(scalar, inputs, i, base, e, -H);
                double numeric = (plus - minus) / (2 * H);
                double err = Math.abs(a[e] - numeric);
                if (err > ATOL + RTOL * Math.abs(numeric)) {
                    throw new AssertionError(what + " gradient mismatch for input " + i + " element " + e
                            + ": analytic " + a[e] + " vs numeric " + numeric + " (input shape "
                            + Arrays.toString(inputs[i].shape()) + ")");
                }
            }
        }
    }

    private static double eval(Autodiff.MultiFunction scalar, Tensor[] inputs, int which, double[] base, int e, double h) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (i == which) {
                double[] v = base.clone();
                v[e] += h;
                xs[i] = Tensor.of(v, inputs[i].shape());
            } else {
                xs[i] = inputs[i].detach();
            }
        }
        return scalar.apply(xs).item();
    }
}
