package org.reprolab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * A deep linear network {@code y = W_L ... W_2 W_1 x}: bias-free {@link Linear} layers and no
 * activation, the model of Saxe, McClelland and Ganguli, "Exact solutions to the nonlinear dynamics
 * of learning in deep linear neural networks" (ICLR 2014). Its input-output map is linear but its
 * gradient dynamics are not, which is what makes it the solvable model of plateaus, stage-like
 * transitions and depth. Layers are named "layers.0.weight", "layers.1.weight", ... (first layer
 * first), each of shape [out, in].
 *
 * <p>Besides the module, the class gives the functional form {@link #product(Tensor, int...)} (the
 * end-to-end map as a function of one flat parameter vector, for {@code Problems.of} and
 * {@code Lab.optimize}), the flat vector of a network ({@link #flat()}), and the paper's
 * SVD-aligned, balanced initial condition ({@link #aligned}).
 */
public final class LinearNetwork extends Module {
    private final int[] widths;
    private final Sequential layers;

    /** f64 layers of the given widths {in, hidden..., out}, each drawn from {@code init} with its own derived seed. */
    public LinearNetwork(int[] widths, Init init, long seed) {
        this(widths, i -> init.sample(DType.F64, Seeds.derive(seed, i), widths[i + 1], widths[i]));
    }

    private LinearNetwork(int[] widths, java.util.function.IntFunction<Tensor> weight) {
        checkWidths(widths);
        this.widths = widths.clone();
        Module[] ls = new Module[widths.length - 1];
        for (int i = 0; i < ls.length; i++) {
            Tensor w = weight.apply(i);
            if (!Arrays.equals(w.shape(), new int[] {widths[i + 1], widths[i]})) {
                throw new IllegalArgumentException("LinearNetwork: layer " + i + " has shape " + Arrays.toString(w.shape())
                        + ", expected [" + widths[i + 1] + ", " + widths[i] + "]");
            }
            Linear l = new Linear(widths[i], widths[i + 1], false, Init.zeros(), Init.zeros(), w.dtype(), 0);
            l.loadStateDict(java.util.Map.of("weight", w));
            ls[i] = l;
        }
        layers = registerModule("layers", new Sequential(ls));
    }

    /** A network with exactly these weights, first layer first; widths follow from their shapes. */
    public static LinearNetwork of(Tensor... weights) {
        if (weights.length == 0) throw new IllegalArgumentException("LinearNetwork.of: needs at least one weight");
        int[] widths = new int[weights.length + 1];
        widths[0] = weights[0].size(1);
        for (int i = 0; i < weights.length; i++) {
            if (weights[i].rank() != 2) throw new IllegalArgumentException("LinearNetwork.of: weight " + i + " must be a matrix, got shape " + Arrays.toString(weights[i].shape()));
            widths[i + 1] = weights[i].size(0);
        }
        return new LinearNetwork(widths, i -> weights[i]);
    }

    /**
     * The paper's decoupled initial condition (its Eq. for "balanced" modes): with {@code u} [out, k]
     * and {@code v} [in, k] orthonormal columns (the target's singular vectors) and a {@code depth}
     * of layers with k hidden units each, {@code W_1 = diag(a) vᵀ}, {@code W_l = diag(a)} in between,
     * {@code W_L = u diag(a)}, with {@code a = strength^(1/depth)} per mode, so that the end-to-end map
     * is {@code u diag(strength) vᵀ} and every layer carries the same share of each mode.
     */
    public static LinearNetwork aligned(Tensor u, Tensor v, double[] strengths, int depth) {
        int k = strengths.length;
        if (u.rank() != 2 || v.rank() != 2 || u.size(1) != k || v.size(1) != k) {
            throw new IllegalArgumentException("LinearNetwork.aligned: u " + Arrays.toString(u.shape()) + " and v " + Arrays.toString(v.shape())
                    + " must have one column per strength (" + k + ")");
        }
        if (depth < 1) throw new IllegalArgumentException("LinearNetwork.aligned: depth must be >= 1, got " + depth);
        if (depth == 1) return of(u.matmul(diag(strengths)).matmul(v.t()));
        double[] a = Arrays.stream(strengths).map(s -> {
            if (!(s > 0)) throw new IllegalArgumentException("LinearNetwork.aligned: strengths must be > 0, got " + s);
            return Math.pow(s, 1.0 / depth);
        }).toArray();
        Tensor d = diag(a);
        List<Tensor> ws = new ArrayList<>();
        ws.add(d.matmul(v.t()));
        for (int l = 1; l + 1 < depth; l++) ws.add(d);
        ws.add(u.matmul(d));
        return of(ws.toArray(Tensor[]::new));
    }

    private static Tensor diag(double[] a) {
        double[] m = new double[a.length * a.length];
        for (int i = 0; i < a.length; i++) m[i * a.length + i] = a[i];
        return Tensor.of(m, a.length, a.length);
    }

    public int[] widths() {
        return widths.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return layers.forward(x);
    }

    /** The end-to-end map {@code W_L ... W_1}, shape [out, in]. */
    public Tensor product() {
        Tensor p = null;
        for (Tensor w : parameters().values()) p = p == null ? w : w.matmul(p);
        return p;
    }

    /** All weights in one vector, first layer first, each row-major: the point {@link #product(Tensor, int...)} reads. */
    public double[] flat() {
        return Tensor.concat(0, parameters().values().stream().map(w -> w.detach().reshape(-1)).toArray(Tensor[]::new)).toDoubleArray();
    }

    /** How many weights a network of these widths has: the length of its flat vector. */
    public static int parameterCount(int... widths) {
        checkWidths(widths);
        int n = 0;
        for (int i = 0; i + 1 < widths.length; i++) n += widths[i] * widths[i + 1];
        return n;
    }

    /**
     * The end-to-end map of the network whose weights are the flat vector {@code theta} (laid out as
     * {@link #flat()}), differentiable in {@code theta}: the loss of a linear network written for
     * {@code Problems.of(name, parameterCount(widths), theta -> ...)}.
     */
    public static Tensor product(Tensor theta, int... widths) {
        int n = parameterCount(widths);
        if (theta.rank() != 1 || theta.size(0) != n) {
            throw new IllegalArgumentException("LinearNetwork.product: theta has shape " + Arrays.toString(theta.shape()) + ", widths "
                    + Arrays.toString(widths) + " need " + n + " weights");
        }
        Tensor p = null;
        int at = 0;
        for (int i = 0; i + 1 < widths.length; i++) {
            int size = widths[i] * widths[i + 1];
            Tensor w = theta.narrow(0, at, size).reshape(widths[i + 1], widths[i]);
            at += size;
            p = p == null ? w : w.matmul(p);
        }
        return p;
    }

    /**
     * Mode strengths {@code u_αᵀ W v_α} of a map {@code W} [out, in] along fixed singular vectors
     * (columns of {@code u} [out, k] and {@code v} [in, k]): the paper's measure of how far each
     * input-output mode is learned. Projecting on the target's fixed vectors, rather than taking an
     * SVD of W, keeps the order and signs of the modes through training.
     */
    public static double[] modeStrengths(Tensor map, Tensor u, Tensor v) {
        if (map.rank() != 2 || u.rank() != 2 || v.rank() != 2 || u.size(0) != map.size(0) || v.size(0) != map.size(1) || u.size(1) != v.size(1)) {
            throw new IllegalArgumentException("modeStrengths: map " + Arrays.toString(map.shape()) + ", u " + Arrays.toString(u.shape())
                    + ", v " + Arrays.toString(v.shape()) + " do not fit (u [out, k], v [in, k])");
        }
        int rows = map.size(0), cols = map.size(1), k = u.size(1);
        double[] w = map.toDoubleArray(), us = u.toDoubleArray(), vs = v.toDoubleArray(), out = new double[k];
        for (int a = 0; a < k; a++) {
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                double wv = 0;
                for (int j = 0; j < cols; j++) wv += w[i * cols + j] * vs[j * k + a];
                sum += us[i * k + a] * wv;
            }
            out[a] = sum;
        }
        return out;
    }

    private static void checkWidths(int[] widths) {
        if (widths.length < 2) throw new IllegalArgumentException("LinearNetwork: need at least input and output widths, got " + Arrays.toString(widths));
        for (int w : widths) if (w < 1) throw new IllegalArgumentException("LinearNetwork: widths must be positive, got " + Arrays.toString(widths));
    }

    @Override
    protected String extraRepr() {
        return "widths=" + Arrays.toString(widths);
    }
}
