package org.reprolab.diffusion;

import static org.reprolab.tornado.expr.Expr.c;
import static org.reprolab.tornado.expr.Expr.in;
import static org.reprolab.tornado.expr.Expr.param;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.tensor.TensorState;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Distribution;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * The device half of a sampler run (issue 16 item 3): the batch lives in one f64 device buffer for the whole
 * solve, coordinate-major ({@code [dim, n]}, so every coordinate is a contiguous run and a {@link PointwiseModel}
 * reads a point's coordinates at one index of {@code dim} contiguous operands); the model is one kernel over the
 * rows, compiled once and relaunched with the step's parameters; each step's stage combination is one fused
 * kernel ({@link #combine}). The host sees the batch twice, at {@link #upload} and at {@link #download}; random
 * numbers are drawn on the device from the same Philox streams as the host run ({@link Run#normal}).
 *
 * <p>Every kernel here writes its expression in the host path's order of operations ({@link Run#lin},
 * {@link Run#diff}, {@link Multistep}), so with the same model outputs the device path gives the host's bits.
 */
final class DeviceRun implements AutoCloseable {
    /** {@code p0·x + p1·y}, as {@link Run#lin(double, double[], double, double[])}. */
    static final ElementwiseKernel LIN2 = ElementwiseKernel.of("sampler_lin2", 2, 2, param(0).mul(in(0)).add(param(1).mul(in(1))));
    /** {@code p0·x + p1·y + p2·z}. */
    static final ElementwiseKernel LIN3 = ElementwiseKernel.of("sampler_lin3", 3, 3,
            param(0).mul(in(0)).add(param(1).mul(in(1))).add(param(2).mul(in(2))));

    final Run run;
    final Device device;
    private final ElementwiseKernel model;
    private final PointwiseModel pointwise;
    private final Prediction raw;
    private final Prediction want;
    private final double[] params;
    private final List<Buffer> owned = new ArrayList<>();
    private Buffer noise;
    private final StateOps<TensorState> ops;

    /**
     * @param want the prediction the sampler steps with ({@link Prediction#DATA} or {@link Prediction#NOISE}); the
     *             model's own is converted inside its kernel exactly as {@link Prediction#toData}/{@link Prediction#toNoise} do
     */
    DeviceRun(Device device, Run run, PointwiseModel pointwise, Prediction want) {
        if (!supports(run.model, want)) throw new IllegalArgumentException("no device form of " + run.model.prediction() + " -> " + want);
        this.device = device;
        this.run = run;
        this.pointwise = pointwise;
        this.raw = run.model.prediction();
        this.want = want;
        int d = run.dim, np = pointwise.params();
        List<Expr> x = new ArrayList<>();
        for (int j = 0; j < d; j++) x.add(in(j));
        List<Expr> p = pointwise.prediction(x, 0), out = new ArrayList<>();
        // x̂₀ = (x − σ·ε̂)·(1/α) from NOISE, ε̂ = (x − α·x̂₀)·(1/σ) from DATA: the same form, params (1/α, σ) or (1/σ, α)
        for (int j = 0; j < d; j++) out.add(raw == want ? p.get(j) : x.get(j).sub(param(np + 1).mul(p.get(j))).mul(param(np)));
        this.model = new ElementwiseKernel("mixture_" + raw.name().toLowerCase(java.util.Locale.ROOT) + "_to_" + want.name().toLowerCase(java.util.Locale.ROOT),
                d, np + 2, out);
        this.params = new double[np + 2];
        TensorState template = state(allocate());
        this.ops = TensorState.deviceOps(template.value());
        ops.release(List.of(template)); // the first state the loop asks for
    }

    /** Whether a model with this prediction runs on a device for a sampler stepping with {@code want}. */
    static boolean supports(DiffusionModel model, Prediction want) {
        Prediction p = model.prediction();
        return model.pointwise().isPresent() && model.pointwise().get().dim() > 0
                && (p == Prediction.NOISE || p == Prediction.DATA) && (want == Prediction.NOISE || want == Prediction.DATA);
    }

    /** A new zeroed state-sized buffer, closed with this run. */
    Buffer allocate() {
        Buffer b = device.allocate(ElementType.F64, run.m);
        owned.add(b);
        return b;
    }

    /** The row-major host batch as a coordinate-major device buffer (one host transfer). */
    Buffer upload(double[] rows) {
        int n = run.n, d = run.dim;
        double[] cols = new double[rows.length];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) cols[j * n + i] = rows[i * d + j];
        Buffer b = allocate();
        b.write(0, cols, 0, cols.length);
        return b;
    }

    /** The device batch back as a row-major host array (one host transfer). */
    double[] download(Buffer x) {
        int n = run.n, d = run.dim;
        double[] cols = new double[run.m], rows = new double[run.m];
        x.read(0, cols, 0, cols.length);
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) rows[i * d + j] = cols[j * n + i];
        return rows;
    }

    /** The model's prediction (converted to {@code want}) at {@code (x, t)} into {@code out}: one counted evaluation, one kernel. */
    void predict(Buffer x, double t, Buffer out) {
        Run.checkInterrupt("sampling");
        pointwise.params(t, params, 0);
        int np = params.length - 2;
        if (raw == Prediction.NOISE) { params[np] = 1 / run.alpha(t); params[np + 1] = run.sigma(t); }
        else { params[np] = 1 / run.sigma(t); params[np + 1] = run.alpha(t); }
        device.run(model, new int[] {run.n}, coordinates(x), coordinates(out), params);
        run.nfe++;
    }

    private List<Operand> coordinates(Buffer b) {
        List<Operand> o = new ArrayList<>(run.dim);
        for (int j = 0; j < run.dim; j++) o.add(Operand.of(b, j * run.n));
        return o;
    }

    /** One fused stage combination {@code out = kernel(inputs; params)} over the whole state ({@code out} may be an input). */
    void combine(ElementwiseKernel kernel, Buffer out, double[] coefficients, Buffer... inputs) {
        combine(kernel, List.of(out), coefficients, inputs);
    }

    /** {@link #combine} of a kernel with several outputs (a state and a velocity). */
    void combine(ElementwiseKernel kernel, List<Buffer> outputs, double[] coefficients, Buffer... inputs) {
        device.run(kernel, run.m, List.of(inputs), outputs, coefficients);
    }

    /**
     * {@link #combine} whose last input is the standard normal batch of step {@code stream} ({@link Run#normal}):
     * drawn on the device into a row-major scratch buffer and read transposed by the kernel, so every point gets
     * the host run's numbers.
     */
    void combineWithNoise(ElementwiseKernel kernel, Buffer out, double[] coefficients, long stream, Buffer... inputs) {
        if (noise == null) noise = allocate();
        device.random(Distribution.NORMAL, run.key.foldIn(stream), 0, noise, 0, run.m);
        List<Operand> ins = new ArrayList<>();
        for (Buffer b : inputs) ins.add(Operand.of(b));
        ins.add(Operand.strided(noise, 0, 1, run.dim));
        device.run(kernel, new int[] {run.dim, run.n}, ins, List.of(Operand.of(out)), coefficients);
    }

    /** The batch buffer {@code b} as a state of {@link #ops()} (no copy). */
    TensorState state(Buffer b) {
        return TensorState.of(Tensor.fromBuffer(b, run.m));
    }

    /** A state of {@link #ops()} back as a row-major host array (one host transfer). */
    double[] download(TensorState x) {
        return download(x.value().buffer());
    }

    /**
     * This run's state algebra over device buffers: the ODE solvers' fused device algebra ({@link TensorState#deviceOps}),
     * each combination one element-wise kernel in the host's order of operations, into states that
     * {@link StateOps#release} hands back for reuse.
     */
    StateOps<TensorState> ops() {
        return ops;
    }

    /**
     * This run's model evaluations over device states: each one model kernel into a state taken from {@link #ops()}.
     * They give the prediction this run converts to ({@code want}); asking for the other one is an error.
     */
    Predictions<TensorState> predictions() {
        return new Predictions<>() {
            private TensorState predicted(TensorState x, double t, Prediction p) {
                if (p != want) throw new IllegalStateException("this device run evaluates " + want + ", not " + p);
                TensorState out = ops.like(x);
                predict(x.value().buffer(), t, out.value().buffer());
                return out;
            }
            public TensorState eps(TensorState x, double t) { return predicted(x, t, Prediction.NOISE); }
            public TensorState data(TensorState x, double t) { return predicted(x, t, Prediction.DATA); }
        };
    }

    @Override
    public void close() {
        for (Buffer b : owned) b.close();
        owned.clear();
    }

    /** {@code m0 + 0.5·((m0 − m1)·p)} as an expression of inputs {@code m0, m1} and param {@code p}: the 2M correction. */
    static Expr secondOrder(Expr m0, Expr m1, Expr ir) {
        return m0.add(c(0.5).mul(m0.sub(m1).mul(ir)));
    }
}
