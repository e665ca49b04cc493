package org.reprolab.federated;

import java.io.Serializable;

/**
 * What a client does to its update before uploading it, and how many bytes the upload costs. Values
 * are counted as 32-bit floats (4 bytes); a sparse upload sends each kept value with its 32-bit index
 * (8 bytes per entry), as Deep Gradient Compression counts its traffic (Lin et al., ICLR 2018).
 */
public sealed interface Compressor extends Serializable permits Compressor.Dense, Compressor.TopK, Compressor.Dgc {

    /** The uploaded vector (dense layout, zeros where nothing was sent) and its size on the wire. */
    record Sent(double[] values, long bytes) implements Serializable {}

    /** Arrays of client state the compressor keeps between the client's uploads. */
    int stateArrays();

    /**
     * Compresses {@code update}; {@code state} holds this compressor's arrays (updated in place),
     * {@code upload} counts the client's previous uploads (for warm-up).
     */
    Sent compress(double[] update, double[][] state, int upload);

    /** No compression: every coordinate, 4 bytes each. */
    record Dense() implements Compressor {
        @Override
        public int stateArrays() {
            return 0;
        }

        @Override
        public Sent compress(double[] update, double[][] state, int upload) {
            return new Sent(update.clone(), 4L * update.length);
        }
    }

    /**
     * Top-k sparsification: the {@code density} fraction of coordinates largest in magnitude is sent.
     * With {@code accumulate}, what is not sent is kept and added to the next update (local gradient
     * accumulation, error feedback) — DGC's baseline without momentum correction; without it the rest
     * is dropped.
     */
    record TopK(double density, boolean accumulate) implements Compressor {
        public TopK {
            checkDensity(density);
        }

        @Override
        public int stateArrays() {
            return accumulate ? 1 : 0;
        }

        @Override
        public Sent compress(double[] update, double[][] state, int upload) {
            double[] v = accumulate ? state[0] : update.clone();
            if (accumulate) for (int i = 0; i < v.length; i++) v[i] += update[i];
            return sendTop(v, density, null);
        }
    }

    /**
     * Deep Gradient Compression (Lin, Han, Mao, Wang, Dally, ICLR 2018, Sec. 3): the momentum lives
     * on the client and is corrected — u ← m·u + Δ, v ← v + u, send the top {@code density} of v — and
     * the sent coordinates are cleared from both the accumulation v and the velocity u (momentum factor
     * masking), so stale momentum does not push a coordinate after its value was sent. Warm-up: during
     * the first {@code warmupUploads} uploads the density falls in four equal stages 25%, 6.25%,
     * 1.5625%, 0.39% (never below {@code density}), as the paper's exponential sparsity warm-up. The
     * server then applies the sent vectors without momentum of its own.
     *
     * <p>Local gradient clipping (Sec. 3.2): before Δ enters the velocity, it is scaled down to L2 norm
     * {@code clip} when longer. The paper clips each worker's gradient at the global threshold times
     * N^(-1/2) (N workers: if the workers' gradients were independent and alike, their sum would then
     * have the global threshold's norm); {@link #clipped} computes that. Δ is the client's update, −lr·g
     * for one local SGD step, so a gradient threshold c is an update threshold lr·c. Infinity: no clipping.
     */
    record Dgc(double density, double momentum, int warmupUploads, double clip) implements Compressor {
        public Dgc {
            checkDensity(density);
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Dgc: momentum must be in [0, 1), got " + momentum);
            if (warmupUploads < 0) throw new IllegalArgumentException("Dgc: warmupUploads must be >= 0, got " + warmupUploads);
            if (!(clip > 0)) throw new IllegalArgumentException("Dgc: clip must be > 0 (infinity: none), got " + clip);
        }

        /** Without clipping. */
        public Dgc(double density, double momentum, int warmupUploads) {
            this(density, momentum, warmupUploads, Double.POSITIVE_INFINITY);
        }

        /**
         * The same compressor with the paper's local gradient clipping: each of {@code workers} clips its
         * update Δ at {@code globalThreshold}·workers^(-1/2) before accumulation.
         */
        public Dgc clipped(double globalThreshold, int workers) {
            if (workers < 1) throw new IllegalArgumentException("Dgc.clipped: workers must be >= 1, got " + workers);
            return new Dgc(density, momentum, warmupUploads, globalThreshold / Math.sqrt(workers));
        }

        @Override
        public int stateArrays() {
            return 2;
        }

        /** The density of upload number {@code upload}, warm-up included. */
        public double density(int upload) {
            if (upload >= warmupUploads) return density;
            int stage = upload * 4 / warmupUploads;
            return Math.max(density, Math.pow(0.25, stage + 1));
        }

        @Override
        public Sent compress(double[] update, double[][] state, int upload) {
            double[] u = state[0], v = state[1];
            double scale = 1;
            if (clip < Double.POSITIVE_INFINITY) {
                double sq = 0;
                for (double x : update) sq += x * x;
                double norm = Math.sqrt(sq);
                if (norm > clip) scale = clip / norm;
            }
            for (int i = 0; i < v.length; i++) {
                u[i] = momentum * u[i] + scale * update[i];
                v[i] += u[i];
            }
            return sendTop(v, density(upload), u);
        }
    }

    /** Number of coordinates a density keeps: ⌈density·n⌉, at least one. */
    static int kept(double density, int n) {
        return Math.max(1, (int) Math.ceil(density * n - 1e-9));
    }

    /**
     * Sends the k entries of v largest in magnitude (ties to the lower index, so the choice is
     * deterministic) and clears them from {@code v} and from {@code alsoClear} when given.
     */
    private static Sent sendTop(double[] v, double density, double[] alsoClear) {
        int k = kept(density, v.length);
        double[] magnitude = new double[v.length];
        for (int i = 0; i < v.length; i++) magnitude[i] = Math.abs(v[i]);
        double threshold = kthLargest(magnitude, k);
        int above = 0;
        for (double x : v) if (Math.abs(x) > threshold) above++;
        int ties = k - above;
        double[] sent = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double a = Math.abs(v[i]);
            if (a > threshold || (a == threshold && ties-- > 0)) {
                sent[i] = v[i];
                v[i] = 0;
                if (alsoClear != null) alsoClear[i] = 0;
            }
        }
        return new Sent(sent, 8L * k);
    }

    /** The k-th largest value (1-based) by quickselect; reorders {@code a}. */
    static double kthLargest(double[] a, int k) {
        int lo = 0, hi = a.length - 1, target = k - 1;
        while (lo < hi) {
            double pivot = median(a[lo], a[(lo + hi) >>> 1], a[hi]);
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] > pivot) i++;
                while (a[j] < pivot) j--;
                if (i <= j) {
                    double t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (target <= j) hi = j;
            else if (target >= i) lo = i;
            else return a[target];
        }
        return a[target];
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static void checkDensity(double density) {
        if (!(density > 0 && density <= 1)) throw new IllegalArgumentException("compressor: density must be in (0, 1], got " + density);
    }
}
