package org.reprolab.nn;

import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * Parameter initialisers, as values. Fans follow PyTorch's {@code _calculate_fan_in_and_fan_out}:
 * for a weight of shape [out, in, k...], fanIn = in * prod(k) and fanOut = out * prod(k).
 *
 * <ul>
 *   <li>Glorot and Bengio (2010), "Understanding the difficulty of training deep feedforward neural
 *       networks": {@link XavierUniform}, {@link XavierNormal}.</li>
 *   <li>He et al. (2015), "Delving Deep into Rectifiers": {@link KaimingUniform}, {@link KaimingNormal}.</li>
 *   <li>PyTorch's nn.Linear/nn.Conv2d default: kaiming-uniform with a = sqrt(5), i.e. U(+-1/sqrt(fanIn)),
 *       and bias U(+-1/sqrt(fanIn)) (torch/nn/modules/linear.py, reset_parameters).</li>
 * </ul>
 */
public sealed interface Init {

    /** Draws a tensor of {@code shape} from this distribution with a seed. */
    Tensor sample(DType dtype, long seed, int... shape);

    enum FanMode { FAN_IN, FAN_OUT }

    record Constant(double value) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            return Tensor.full(dtype, value, shape);
        }
    }

    record Uniform(double lo, double hi) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            return Tensor.uniform(dtype, seed, lo, hi, shape);
        }
    }

    record Normal(double mean, double std) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            return Tensor.randn(DType.F64, seed, shape).mul(std).add(mean).to(dtype);
        }
    }

    /** U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)). */
    record XavierUniform(double gain) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            int[] f = fans(shape);
            double b = gain * Math.sqrt(6.0 / (f[0] + f[1]));
            return Tensor.uniform(dtype, seed, -b, b, shape);
        }
    }

    /** N(0, s^2) with s = gain * sqrt(2 / (fanIn + fanOut)). */
    record XavierNormal(double gain) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            int[] f = fans(shape);
            return new Normal(0, gain * Math.sqrt(2.0 / (f[0] + f[1]))).sample(dtype, seed, shape);
        }
    }

    /** U(-b, b) with b = gain * sqrt(3 / fan), gain = sqrt(2 / (1 + a^2)) (leaky-ReLU slope a; a = 0 is ReLU). */
    record KaimingUniform(double a, FanMode mode) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            double b = Math.sqrt(2 / (1 + a * a)) * Math.sqrt(3.0 / fan(shape, mode));
            return Tensor.uniform(dtype, seed, -b, b, shape);
        }
    }

    /** N(0, s^2) with s = gain / sqrt(fan). */
    record KaimingNormal(double a, FanMode mode) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            double s = Math.sqrt(2 / (1 + a * a)) / Math.sqrt(fan(shape, mode));
            return new Normal(0, s).sample(dtype, seed, shape);
        }
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}: the Q of a QR decomposition of a standard
     * Gaussian matrix, with the signs of R's diagonal folded in so that Q is Haar-distributed, as
     * PyTorch's {@code nn.init.orthogonal_} does. Saxe, McClelland, Ganguli (ICLR 2014), "Exact
     * solutions to the nonlinear dynamics of learning in deep linear neural networks", §4: products
     * of such matrices keep every singular value at 1, so learning time does not grow with depth.
     * A weight [out, in, k...] is treated as [out, in·k...]; rows are orthonormal when out <= in,
     * columns otherwise.
     */
    record Orthogonal(double gain) implements Init {
        public Tensor sample(DType dtype, long seed, int... shape) {
            if (shape.length < 2) throw new IllegalArgumentException("Orthogonal init needs a weight of rank >= 2, got shape " + java.util.Arrays.toString(shape));
            int rows = shape[0], cols = 1;
            for (int d = 1; d < shape.length; d++) cols *= shape[d];
            boolean wide = rows <= cols; // orthonormalise the short side's vectors
            int n = wide ? rows : cols, m = wide ? cols : rows;
            double[] g = Tensor.randn(DType.F64, seed, n, m).toDoubleArray();
            double[][] q = new double[n][m];
            for (int i = 0; i < n; i++) {
                double[] v = java.util.Arrays.copyOfRange(g, i * m, (i + 1) * m);
                for (int j = 0; j < i; j++) { // modified Gram-Schmidt
                    double dot = 0;
                    for (int k = 0; k < m; k++) dot += q[j][k] * v[k];
                    for (int k = 0; k < m; k++) v[k] -= dot * q[j][k];
                }
                double norm = 0;
                for (double x : v) norm += x * x;
                norm = Math.sqrt(norm); // R's diagonal entry is +norm: Q = G R^{-1} with a positive diagonal is Haar
                for (int k = 0; k < m; k++) q[i][k] = v[k] / norm;
            }
            double[] out = new double[rows * cols];
            for (int i = 0; i < n; i++)
                for (int k = 0; k < m; k++) out[wide ? i * cols + k : k * cols + i] = gain * q[i][k];
            return Tensor.of(out, shape).to(dtype);
        }
    }

    /** A Haar-random orthogonal matrix (gain 1). */
    static Init orthogonal() {
        return new Orthogonal(1);
    }

    static Init xavierUniform() {
        return new XavierUniform(1);
    }

    static Init xavierNormal() {
        return new XavierNormal(1);
    }

    /** He initialisation for ReLU networks. */
    static Init kaimingUniform() {
        return new KaimingUniform(0, FanMode.FAN_IN);
    }

    static Init kaimingNormal() {
        return new KaimingNormal(0, FanMode.FAN_IN);
    }

    /** PyTorch's default weight init for Linear and Conv layers: U(+-1/sqrt(fanIn)). */
    static Init torchDefault() {
        return new KaimingUniform(Math.sqrt(5), FanMode.FAN_IN);
    }

    /** PyTorch's default bias init for a layer with the given fanIn. */
    static Init torchDefaultBias(int fanIn) {
        double b = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        return new Uniform(-b, b);
    }

    static Init zeros() {
        return new Constant(0);
    }

    /** {fanIn, fanOut} of a weight shape [out, in, k...]; a 1-d shape counts as [n, 1]... rejected, as in PyTorch. */
    static int[] fans(int... shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fans need a weight of rank >= 2, got shape " + java.util.Arrays.toString(shape));
        }
        int receptive = 1;
        for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
        }
        return new int[] {shape[1] * receptive, shape[0] * receptive};
    }

    private static int fan(int[] shape, FanMode mode) {
        int[] f = fans(shape);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }
}
