package org.reprolab.ode.solvers;

/**
 * The algebra a solver or sampler step needs over its state: the seam between the step loops and the storage of
 * the state, host arrays or device buffers. Every vector operation of the Runge–Kutta loop, the error norm, the
 * initial-step heuristic and the stiffness estimate goes through these methods, fused the way a device kernel would
 * fuse them (one pass for a whole stage combination {@code y + h Σ w_j k_j}, one reduction for a scaled error norm),
 * so that a tensor implementation can map each call to one kernel launch. The diffusion samplers' loops (singlestep
 * DPM-Solver, {@code diffusion.Singlestep}) use the value-returning {@link #lin} combinations and {@link #release},
 * so one loop runs over host arrays and over device buffers with the same coefficients in the same order.
 *
 * <p>{@link #doubles()} is the {@code double[]} implementation used by the fast path; {@code ode.tensor.TensorState.ops}
 * runs the same solvers over device tensors, recorded by autodiff (its {@code TensorState} says why the state is a cell).
 *
 * <p>Scaled norms follow Hairer (<i>Solving ODEs I</i>, §II.4) and scipy {@code _ivp}: the scale of
 * component i is {@code atol + rtol·max(|y0_i|, |y1_i|)} and norms are root-mean-square.
 *
 * @param <S> the state type
 */
public interface StateOps<S> {

    /** The {@code double[]} algebra (the fast path). */
    static StateOps<double[]> doubles() {
        return ArrayOps.INSTANCE;
    }


    /** A new state shaped like {@code x} (contents unspecified). */
    S like(S x);

    /** The number of scalar components (the n of the RMS norms). */
    int size(S x);

    void copy(S src, S dst);

    /** {@code dst = y + h·Σ_{j<n} w[j]·k[j]}; zero weights are skipped; {@code dst} must not alias a {@code k[j]}. */
    void combine(S dst, S y, double h, double[] w, S[] k, int n);

    /** {@code dst = Σ_{j<n} w[j]·v[j]}; {@code dst} must not alias a {@code v[j]}. */
    void lincomb(S dst, double[] w, S[] v, int n);

    /**
     * A new state {@code a·x + b·y}, added in that order (a sampler step's combination). The default is
     * {@link #lincomb} into {@link #like}; the {@code double[]} algebra skips no zero weight (the bits of the
     * samplers' host path).
     */
    @SuppressWarnings("unchecked")
    default S lin(double a, S x, double b, S y) {
        S out = like(x);
        S[] v = (S[]) java.lang.reflect.Array.newInstance(x.getClass(), 2); // the implementation's array type
        v[0] = x;
        v[1] = y;
        lincomb(out, new double[] {a, b}, v, 2);
        return out;
    }

    /** A new state {@code a·x + b·y + c·z}, added left to right; as {@link #lin(double, Object, double, Object)}. */
    @SuppressWarnings("unchecked")
    default S lin(double a, S x, double b, S y, double c, S z) {
        S out = like(x);
        S[] v = (S[]) java.lang.reflect.Array.newInstance(x.getClass(), 3);
        v[0] = x;
        v[1] = y;
        v[2] = z;
        lincomb(out, new double[] {a, b, c}, v, 3);
        return out;
    }

    /** States the caller will not read again: a device algebra hands their buffers to the next {@link #like}, the host lets the GC have them. */
    default void release(java.util.List<S> states) {}

    /**
     * {@code Σ_i ((Σ_{j<n} w[j]·k[j]_i) / sc_i)²} with {@code sc_i = atol + rtol·max(|y0_i|, |y1_i|)}: the
     * sum of squares behind the embedded error norm (the caller multiplies by |h| and takes the RMS).
     */
    double scaledSumSquares(double[] w, S[] k, int n, S y0, S y1, double atol, double rtol);

    /** RMS of {@code v_i / (atol + rtol·|y_i|)}: the norm of Hairer's initial-step heuristic. */
    double scaledRms(S v, S y, double atol, double rtol);

    /** RMS of {@code (a_i − b_i) / (atol + rtol·|y_i|)}. */
    double scaledRmsDiff(S a, S b, S y, double atol, double rtol);

    /** Euclidean distance {@code ‖a − b‖₂} (for Hairer's stiffness estimate). */
    double distance(S a, S b);

    /**
     * The reductions that end an explicit Runge–Kutta attempt, asked together so that a device answers them
     * with one transfer of a few scalars instead of one per norm: {@code out = {‖yNew − gLast‖₂, ‖kS − kS1‖₂, s5, s3}}
     * with s5, s3 the {@link #scaledSumSquares} of weights {@code e}, {@code e3} over {@code k[0..n)}.
     * The distances are NaN when {@code gLast} is null (no stiffness test); the second is also NaN when the first
     * is 0 (the quotient hλ is then 0 and not computed); s5, s3 are NaN when their weights are null.
     */
    default void attemptNorms(S yNew, S gLast, S kS, S kS1, double[] e, double[] e3, S[] k, int n, S y0,
                              double atol, double rtol, double[] out) {
        double den = gLast == null ? Double.NaN : distance(yNew, gLast);
        double num = den > 0 ? distance(kS, kS1) : Double.NaN;
        double s5 = e == null ? Double.NaN : scaledSumSquares(e, k, n, y0, yNew, atol, rtol);
        double s3 = e == null || e3 == null ? Double.NaN : scaledSumSquares(e3, k, n, y0, yNew, atol, rtol);
        out[0] = den;
        out[1] = num;
        out[2] = s5;
        out[3] = s3;
    }

    /**
     * Whether reading the state on the host is free (true for {@code double[]}). The driver copies a state that
     * is not host-resident only where it must (saved and final states, events, dense output) and, on fixed
     * steps, checks it for NaN once at the end of the solve rather than after every step.
     */
    default boolean hostResident() {
        return true;
    }

    /** False if any component is NaN or infinite. */
    boolean allFinite(S x);

    /** Copies the state into a host array of length {@link #size} (events, saved states, dense output). */
    void toArray(S x, double[] out);

    /** Builds a state from a host array. */
    S fromArray(double[] values);
}
