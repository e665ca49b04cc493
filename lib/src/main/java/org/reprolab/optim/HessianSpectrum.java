package org.reprolab.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;
import org.reprolab.linalg.SymmetricEigen;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * The top of a Hessian's spectrum without forming the Hessian: the Lanczos method (Lanczos 1950;
 * Golub and Van Loan, <i>Matrix Computations</i>, §10.1) on Hessian-vector products from the tensor
 * autodiff ({@link Autodiff#hvp}, {@link Curvature#hvp}), with full re-orthogonalisation, so a few
 * dozen products give the largest eigenvalues of a network's loss Hessian to many digits.
 *
 * <p>Its main use is the <b>sharpness</b> {@code λ_max(∇²L)}: gradient descent at step size η is
 * linearly stable at a minimum only if the sharpness is at most {@code 2/η}, and in practice full-batch
 * training drives it up to that value and keeps it there ("edge of stability": Cohen, Kaur, Li, Kolter,
 * Talwalkar, ICLR 2021; Wu and Su, "The implicit regularization of dynamical stability in SGD",
 * ICML 2023). {@link #sharpness(Function)} is a function of the point that {@code Lab.optimize(...).track}
 * records at every step; {@link #top(Supplier, Collection, int, int)} measures a module's loss.
 */
public final class HessianSpectrum {
    private HessianSpectrum() {}

    /** Default Lanczos iterations: enough for the top few eigenvalues of a network Hessian. */
    public static final int ITERATIONS = 20;

    /**
     * The {@code k} largest (algebraic) eigenvalues, largest first, of the symmetric operator
     * {@code matvec} on R^n, from {@code iterations} Lanczos steps started at a Gaussian vector drawn
     * with {@code seed}. With {@code iterations >= n} the result is exact up to rounding; fewer
     * iterations give Ritz values, which converge first at the ends of the spectrum.
     */
    public static double[] lanczos(UnaryOperator<double[]> matvec, int n, int k, int iterations, long seed) {
        if (n < 1 || k < 1 || k > n || iterations < 1) {
            throw new IllegalArgumentException("lanczos: need n >= 1, 1 <= k <= n, iterations >= 1; got n=" + n + ", k=" + k + ", iterations=" + iterations);
        }
        int m = Math.min(iterations, n);
        List<double[]> basis = new ArrayList<>();
        double[] alpha = new double[m], beta = new double[m];
        double[] q = Tensor.randn(DType.F64, seed, n).toDoubleArray();
        scale(q, 1 / norm(q));
        int steps = 0;
        for (int j = 0; j < m; j++) {
            basis.add(q);
            double[] w = matvec.apply(q.clone());
            if (w.length != n) throw new IllegalArgumentException("lanczos: the operator returned " + w.length + " values for a vector of " + n);
            alpha[j] = dot(w, q);
            for (int pass = 0; pass < 2; pass++) { // full re-orthogonalisation, twice for safety
                for (double[] b : basis) axpy(-dot(w, b), b, w);
            }
            steps = j + 1;
            double b = norm(w);
            if (j + 1 == m || b < 1e-12 * Math.max(1, Math.abs(alpha[j]))) break; // invariant subspace found
            beta[j] = b;
            q = w;
            scale(q, 1 / b);
        }
        if (k > steps) throw new IllegalArgumentException("lanczos: the start vector spans only a " + steps + "-dimensional invariant subspace; asked for " + k + " eigenvalues");
        double[][] t = new double[steps][steps];
        for (int i = 0; i < steps; i++) {
            t[i][i] = alpha[i];
            if (i + 1 < steps) t[i][i + 1] = t[i + 1][i] = beta[i];
        }
        double[] values = SymmetricEigen.values(t);
        double[] top = new double[k];
        for (int i = 0; i < k; i++) top[i] = values[values.length - 1 - i];
        return top;
    }

    /** The {@code k} largest Hessian eigenvalues of {@code loss} at the point {@code x}. */
    public static double[] top(Function<Tensor, Tensor> loss, double[] x, int k, int iterations) {
        Tensor at = Tensor.of(x.clone());
        return lanczos(v -> Autodiff.hvp(loss, at, Tensor.of(v)).toDoubleArray(), x.length, k, iterations, 0);
    }

    /** The {@code k} largest eigenvalues of the joint Hessian of {@code loss} over {@code params} (a module's parameters). */
    public static double[] top(Supplier<Tensor> loss, Collection<Tensor> params, int k, int iterations) {
        List<Tensor> ps = List.copyOf(params);
        int[] sizes = ps.stream().mapToInt(Tensor::numel).toArray();
        int n = Arrays.stream(sizes).sum();
        return lanczos(v -> {
            List<Tensor> vs = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < ps.size(); i++) {
                vs.add(Tensor.of(Arrays.copyOfRange(v, at, at + sizes[i]), ps.get(i).shape()).to(ps.get(i).dtype()));
                at += sizes[i];
            }
            double[] out = new double[n];
            at = 0;
            for (Tensor h : Curvature.hvp(loss, ps, vs)) {
                System.arraycopy(h.toDoubleArray(), 0, out, at, h.numel());
                at += h.numel();
            }
            return out;
        }, n, k, iterations, 0);
    }

    /** The sharpness λ_max of {@code loss}'s Hessian as a function of the point, for {@code Lab.optimize(...).track("sharpness", ...)}. */
    public static ToDoubleFunction<double[]> sharpness(Function<Tensor, Tensor> loss) {
        return sharpness(loss, ITERATIONS);
    }

    /** The same with a given number of Lanczos iterations (each one Hessian-vector product): fewer is cheaper per step. */
    public static ToDoubleFunction<double[]> sharpness(Function<Tensor, Tensor> loss, int iterations) {
        return x -> top(loss, x, 1, iterations)[0];
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void scale(double[] a, double c) {
        for (int i = 0; i < a.length; i++) a[i] *= c;
    }

    private static void axpy(double c, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) y[i] += c * x[i];
    }
}
