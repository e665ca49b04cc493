package org.reprolab.ode.tensor;

import java.util.Arrays;
import org.reprolab.ode.StepEstimate;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * {@link StateOps} over {@link TensorState}: each stage combination is a chain of tensor ops on the state's
 * device (recorded by autodiff when the state or the field's parameters require grad), each norm one
 * reduction. The values the controller needs come back to the host with {@link Tensor#item()}; the initial
 * step heuristic runs under {@code noGrad} (it only chooses h).
 *
 * <p>The differentiable twins of the solver's internal estimates: the last embedded-error sums of squares and
 * the last two distances of Hairer's stiffness test are kept as tensors, so that right after an accepted
 * attempt {@link #errorEstimate} and {@link #stiffnessEstimate} give the error norm EEst and hλ as recorded
 * tensors (Pal, Ma, Shah, Rackauckas, <i>Opening the Blackbox</i>, ICML 2021; code avik-pal/RegNeuralDE.jl).
 */
final class TensorOps implements StateOps<TensorState> {
    private final int[][] shapes;
    private final DType[] dtypes;
    private final String device;
    private final int size;
    private final Tensor[] sumSquares = new Tensor[2]; // the last two, oldest first
    private final Tensor[] distances = new Tensor[2];

    TensorOps(Tensor... template) {
        shapes = new int[template.length][];
        dtypes = new DType[template.length];
        int n = 0;
        for (int p = 0; p < template.length; p++) {
            shapes[p] = template[p].shape();
            dtypes[p] = template[p].dtype();
            n += template[p].numel();
        }
        device = template.length == 0 ? null : template[0].device();
        size = n;
    }

    @Override public TensorState like(TensorState x) { return new TensorState(x.parts.clone()); }

    @Override public int size(TensorState x) { return size; }

    @Override public void copy(TensorState src, TensorState dst) { dst.parts = src.parts.clone(); }

    @Override
    public void combine(TensorState dst, TensorState y, double h, double[] w, TensorState[] k, int n) {
        Tensor[] out = new Tensor[y.parts.length];
        for (int p = 0; p < out.length; p++) {
            Tensor acc = y.parts[p];
            for (int j = 0; j < n; j++) {
                double c = h * w[j];
                if (c != 0) acc = acc.add(k[j].parts[p].mul(c));
            }
            out[p] = acc;
        }
        dst.parts = out;
    }

    @Override
    public void lincomb(TensorState dst, double[] w, TensorState[] v, int n) {
        Tensor[] out = new Tensor[v[0].parts.length];
        for (int p = 0; p < out.length; p++) out[p] = weighted(w, v, n, p);
        dst.parts = out;
    }

    private static Tensor weighted(double[] w, TensorState[] v, int n, int p) {
        Tensor acc = null;
        for (int j = 0; j < n; j++) {
            if (w[j] == 0) continue;
            Tensor term = v[j].parts[p].mul(w[j]);
            acc = acc == null ? term : acc.add(term);
        }
        return acc == null ? Tensor.zerosLike(v[0].parts[p]) : acc;
    }

    @Override
    public double scaledSumSquares(double[] w, TensorState[] k, int n, TensorState y0, TensorState y1, double atol, double rtol) {
        Tensor s = null;
        for (int p = 0; p < y0.parts.length; p++) {
            Tensor e = weighted(w, k, n, p);
            Tensor sc = y0.parts[p].abs().maximum(y1.parts[p].abs()).mul(rtol).add(atol);
            Tensor sp = e.div(sc).square().sum();
            s = s == null ? sp : s.add(sp);
        }
        push(sumSquares, s);
        return s.item();
    }

    @Override
    public double scaledRms(TensorState v, TensorState y, double atol, double rtol) {
        try (var _ = Autodiff.noGrad()) {
            Tensor s = null;
            for (int p = 0; p < v.parts.length; p++) {
                Tensor sp = v.parts[p].div(y.parts[p].abs().mul(rtol).add(atol)).square().sum();
                s = s == null ? sp : s.add(sp);
            }
            return Math.sqrt(s.item() / size);
        }
    }

    @Override
    public double scaledRmsDiff(TensorState a, TensorState b, TensorState y, double atol, double rtol) {
        try (var _ = Autodiff.noGrad()) {
            Tensor s = null;
            for (int p = 0; p < a.parts.length; p++) {
                Tensor sp = a.parts[p].sub(b.parts[p]).div(y.parts[p].abs().mul(rtol).add(atol)).square().sum();
                s = s == null ? sp : s.add(sp);
            }
            return Math.sqrt(s.item() / size);
        }
    }

    @Override
    public double distance(TensorState a, TensorState b) {
        Tensor s = null;
        for (int p = 0; p < a.parts.length; p++) {
            Tensor sp = a.parts[p].sub(b.parts[p]).square().sum();
            s = s == null ? sp : s.add(sp);
        }
        double v = s.item();
        // √ has an infinite derivative at 0: a zero distance is recorded as a constant
        push(distances, v > 0 ? s.sqrt() : Tensor.scalar(s.dtype(), 0));
        return Math.sqrt(v);
    }

    @Override
    public boolean allFinite(TensorState x) {
        try (var _ = Autodiff.noGrad()) {
            for (Tensor t : x.parts) if (t.numel() > 0 && t.isFinite().min().item() == 0) return false;
            return true;
        }
    }

    @Override
    public void toArray(TensorState x, double[] out) {
        int at = 0;
        for (Tensor t : x.parts) {
            double[] v = t.toDoubleArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
    }

    @Override
    public TensorState fromArray(double[] values) {
        Tensor[] parts = new Tensor[shapes.length];
        int at = 0;
        for (int p = 0; p < parts.length; p++) {
            int len = Arrays.stream(shapes[p]).reduce(1, (x, y) -> x * y);
            Tensor t = Tensor.of(Arrays.copyOfRange(values, at, at + len), shapes[p]).to(dtypes[p]);
            parts[p] = device == null ? t : t.to(device);
            at += len;
        }
        return new TensorState(parts);
    }

    private static void push(Tensor[] ring, Tensor t) {
        ring[0] = ring[1];
        ring[1] = t;
    }

    /** The error norm of the last attempt of {@code tab} with step h, as a recorded tensor ({@code ExplicitRk.errorNorm}). */
    Tensor errorEstimate(Tableau tab, double h) {
        if (tab.e() == null) throw new IllegalStateException(tab.name() + " has no error estimate");
        double ah = Math.abs(h);
        if (tab.e3() == null) return sumSquares[1].div(size).sqrt().mul(ah);
        Tensor s5 = sumSquares[0], s3 = sumSquares[1];
        if (s5.item() == 0 && s3.item() == 0) return Tensor.scalar(s5.dtype(), 0);
        return s5.mul(ah).div(s5.add(s3.mul(0.01)).mul(size).sqrt());
    }

    /**
     * Hairer's stiffness estimate hλ = |h|·‖k_s − k_{s−1}‖ / ‖y1 − g_{s−1}‖ of the last attempt as a recorded
     * tensor ({@code ExplicitRk.attempt} measures the denominator first, and the numerator only if it is
     * non-zero); {@code hLambda} is the value the stepper computed.
     */
    Tensor stiffnessEstimate(double h, double hLambda) {
        if (Double.isNaN(hLambda)) throw new IllegalStateException("the method has no stiffness estimate");
        if (hLambda == 0) return Tensor.scalar(distances[1].dtype(), 0);
        return distances[1].div(distances[0]).mul(Math.abs(h));
    }
}
