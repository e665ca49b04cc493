package org.reprolab.ode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Differentiable ODE solves over tensors: the explicit Runge–Kutta loop and the driver of the {@code double[]}
 * path run over {@link TensorState}s ({@link TensorOps}), saving the states at requested times through each
 * step's dense output, and are differentiated in one of the ways of {@link Sensitivity}.
 *
 * <pre>{@code
 * Tensor theta = Tensor.of(1.5, 1, 3, 1).requiresGrad(true);
 * TensorField lv = (t, y) -> ...;                     // uses theta
 * TensorSolution s = TensorOde.solve(lv, Tableau.TSIT5, y0, new double[]{0, 1, 2},
 *         OdeOptions.defaults().tol(1e-6, 1e-8), Sensitivity.checkpointed(16), List.of(theta));
 * s.ys().square().sum().backward();                   // theta.grad()
 * }</pre>
 */
public final class TensorOde {
    private TensorOde() {}

    /** Discretise-then-optimise with every op recorded ({@link Sensitivity.Direct}), estimates kept per step. */
    public static TensorSolution solve(TensorField f, Tableau tab, Tensor y0, double[] ts, OdeOptions o) {
        return solve(f, tab, y0, ts, o, Sensitivity.direct(), List.of());
    }

    /**
     * Solves from {@code ts[0]} through the save times {@code ts} (monotone; ts[0] is the initial time).
     *
     * @param params the tensors the field depends on that gradients should reach (its module's parameters);
     *               needed by {@link Sensitivity.Checkpointed} and {@link Sensitivity.Backsolve}, ignored by
     *               {@link Sensitivity.Direct} (which records whatever requires grad)
     */
    public static TensorSolution solve(TensorField f, Tableau tab, Tensor y0, double[] ts, OdeOptions o, Sensitivity sens,
                                       List<Tensor> params) {
        checkTimes(ts);
        AtomicLong back = new AtomicLong();
        return switch (sens) {
            case Sensitivity.Direct d -> {
                Run r = forward(f, tab, y0, ts, o, true, 0);
                yield new TensorSolution(Tensor.stack(0, r.saved.toArray(Tensor[]::new)), ts.clone(), r.sol, List.copyOf(r.estimates), back);
            }
            case Sensitivity.Checkpointed c -> {
                Run r;
                try (var _ = Autodiff.noGrad()) {
                    r = forward(f, tab, y0, ts, o, false, c.every());
                }
                Tensor ys = Autodiff.custom("odeCheckpointed", Tensor.stack(0, r.saved.toArray(Tensor[]::new)),
                        (g, out) -> checkpointedVjp(f, tab, ts, o, r, g, params, back), inputs(y0, params));
                yield new TensorSolution(ys, ts.clone(), r.sol, List.of(), back);
            }
            case Sensitivity.Backsolve b -> {
                Run r;
                try (var _ = Autodiff.noGrad()) {
                    r = forward(f, tab, y0, ts, o, false, 0);
                }
                OdeOptions ob = b.options() != null ? b.options() : o;
                Tensor ys = Autodiff.custom("odeBacksolve", Tensor.stack(0, r.saved.toArray(Tensor[]::new)),
                        (g, out) -> backsolveVjp(f, tab, ts, ob, r, g, params, back), inputs(y0, params));
                yield new TensorSolution(ys, ts.clone(), r.sol, List.of(), back);
            }
        };
    }

    /**
     * The random-time-point regulariser of <i>Locally Regularized Neural Differential Equations</i> (Pal,
     * Edelman, Rackauckas, ICML 2023; avik-pal/LocalRegNeuralDE.jl {@code src/perform_step.jl}): from the state
     * y(t) at a time drawn by the caller, a fresh integrator chooses Hairer's initial step h and takes one step;
     * its EEst (multiply by |h| for the paper's error penalty) and hλ come back differentiable through y and
     * the field's parameters, whatever sensitivity produced y(t). The evaluations it costs (s + 1 for the step
     * and the initial-step heuristic's 1) come back with it.
     */
    public static LocalEstimate localEstimate(TensorField f, Tableau tab, double t, Tensor y, OdeOptions o) {
        TensorOps ops = new TensorOps(y);
        Counters count = new Counters();
        VectorField<TensorState> vf = field(f);
        ExplicitRk<TensorState> st = new ExplicitRk<>(tab, vf, ops, new TensorState(new Tensor[]{y}), count, o.rtol(), o.atol());
        TensorState ys = new TensorState(new Tensor[]{y});
        st.start(t, ys);
        double h = InitialStep.hairer(vf, ops, t, ys, st.f(), 1, tab.controlOrder(), o.rtol(), o.atol(), count);
        TensorState yNew = ops.like(ys);
        st.attempt(t, ys, h, yNew);
        double hl = st.hLambda();
        return new LocalEstimate(new StepEstimate(t, h, ops.errorEstimate(tab, h),
                Double.isNaN(hl) ? null : ops.stiffnessEstimate(h, hl)), count.nfev);
    }

    /** A one-step estimate and the evaluations it cost. */
    public record LocalEstimate(StepEstimate step, long nfev) {}

    // ------------------------------------------------------------------ forward

    /** What a forward solve leaves: states at the save times, and for the checkpointed adjoint its tape. */
    private record Run(OdeSolution sol, List<Tensor> saved, List<StepEstimate> estimates, double[] stepT,
                       double[] stepH, List<Tensor> checkpoints, int every) {}

    private static VectorField<TensorState> field(TensorField f) {
        return (t, y, dy) -> dy.parts = new Tensor[]{f.eval(t, y.parts[0])};
    }

    private static Run forward(TensorField f, Tableau tab, Tensor y0, double[] ts, OdeOptions o, boolean estimates, int every) {
        TensorOps ops = new TensorOps(y0);
        Counters count = new Counters();
        VectorField<TensorState> vf = field(f);
        TensorState s0 = new TensorState(new Tensor[]{y0});
        var st = new ExplicitRk<>(tab, vf, ops, s0, count, o.rtol(), o.atol());
        List<Tensor> saved = new ArrayList<>();
        saved.add(y0);
        List<StepEstimate> est = new ArrayList<>();
        List<Double> stepT = new ArrayList<>(), stepH = new ArrayList<>();
        List<Tensor> checkpoints = new ArrayList<>();
        Saver saver = new Saver(ts, saved);
        OdeSolution sol = Driver.run(st, ops, vf, ts[0], ts[ts.length - 1], s0, o, count,
                (stepper, t, y, tNew, yNew, err, hl) -> {
                    if (every > 0 && stepT.size() % every == 0) checkpoints.add(y.parts[0]);
                    stepT.add(t);
                    stepH.add(tNew - t);
                    if (estimates)
                        est.add(new StepEstimate(t, tNew - t, ops.errorEstimate(tab, tNew - t),
                                Double.isNaN(hl) ? null : ops.stiffnessEstimate(tNew - t, hl)));
                    saver.step(stepper, ops, t, y, tNew, yNew);
                });
        if (!(sol.termination() instanceof Termination.Completed))
            throw new IllegalArgumentException("tensor solves do not stop at events: " + sol.termination());
        return new Run(sol, saved, est, unbox(stepT), unbox(stepH), checkpoints, every);
    }

    /** Saves y at the requested times inside each accepted step from the step's dense output. */
    private static final class Saver {
        private final double[] ts;
        private final List<Tensor> out;
        private int next = 1;

        Saver(double[] ts, List<Tensor> out) {
            this.ts = ts;
            this.out = out;
        }

        void step(Stepper<TensorState> st, TensorOps ops, double t, TensorState y, double tNew, TensorState yNew) {
            double dir = Math.signum(tNew - t);
            Interpolant<TensorState> ip = null;
            while (next < ts.length && dir * (ts[next] - tNew) <= 0) {
                if (ts[next] == tNew) {
                    out.add(yNew.parts[0]);
                } else {
                    if (ip == null) ip = st.interpolant(t, y, tNew, yNew, false);
                    TensorState buf = ops.like(y);
                    ip.eval(ts[next], buf);
                    out.add(buf.parts[0]);
                }
                next++;
            }
        }
    }

    // ------------------------------------------------------------------ checkpointed discrete adjoint

    private static Tensor[] checkpointedVjp(TensorField f, Tableau tab, double[] ts, OdeOptions o, Run r, Tensor g,
                                            List<Tensor> params, AtomicLong back) {
        int nSteps = r.stepT.length, every = r.every;
        int nSeg = r.checkpoints.size();
        Tensor[] gp = new Tensor[params.size()];
        Tensor a = null;
        // the save index reached by the end of each step, to hand each segment its own outputs
        try (var _ = Autodiff.enableGrad()) {
            for (int seg = nSeg - 1; seg >= 0; seg--) {
                int i0 = seg * every, i1 = Math.min(nSteps, i0 + every);
                Tensor yStart = r.checkpoints.get(seg).detach().requiresGrad(true);
                TensorOps ops = new TensorOps(yStart);
                Counters count = new Counters();
                VectorField<TensorState> vf = field(f);
                TensorState y = new TensorState(new Tensor[]{yStart});
                var st = new ExplicitRk<>(tab, vf, ops, y, count, o.rtol(), o.atol());
                st.start(r.stepT[i0], y);
                List<Tensor> saved = new ArrayList<>();
                Saver saver = new Saver(ts, saved);
                saver.next = firstSaveAfter(ts, r.stepT[i0]);
                int firstIdx = saver.next;
                TensorState yNew = ops.like(y);
                for (int i = i0; i < i1; i++) {
                    double t = r.stepT[i];
                    double tNew = i + 1 < nSteps ? r.stepT[i + 1] : ts[ts.length - 1];
                    st.attempt(t, y, tNew - t, yNew);
                    saver.step(st, ops, t, y, tNew, yNew);
                    st.accept(tNew, yNew);
                    TensorState tmp = y;
                    y = yNew;
                    yNew = tmp;
                }
                back.addAndGet(count.nfev);
                Tensor loss = null;
                for (int j = 0; j < saved.size(); j++) loss = add(loss, saved.get(j).mul(g.select(0, firstIdx + j).detach()).sum());
                if (a != null && i1 < nSteps) loss = add(loss, y.parts[0].mul(a).sum());
                List<Tensor> wrt = new ArrayList<>();
                wrt.add(yStart);
                wrt.addAll(params);
                if (loss == null || !loss.requiresGrad()) continue; // nothing downstream depends on this segment
                List<Tensor> grads = Autodiff.grad(loss, wrt, null, false);
                a = grads.getFirst().detach();
                for (int p = 0; p < gp.length; p++) gp[p] = add(gp[p], grads.get(p + 1).detach());
            }
        }
        Tensor a0 = g.select(0, 0).detach();
        a0 = a == null ? a0 : a0.add(a);
        return outputs(a0, gp, params);
    }

    private static int firstSaveAfter(double[] ts, double t) {
        double dir = Math.signum(ts[ts.length - 1] - ts[0]);
        int i = 1;
        while (i < ts.length && dir * (ts[i] - t) <= 0) i++;
        return i;
    }

    // ------------------------------------------------------------------ backsolve continuous adjoint

    private static Tensor[] backsolveVjp(TensorField f, Tableau tab, double[] ts, OdeOptions o, Run r, Tensor g,
                                         List<Tensor> params, AtomicLong back) {
        int np = params.size();
        Tensor[] parts = new Tensor[2 + np];
        parts[0] = r.saved.getLast().detach();
        parts[1] = g.select(0, ts.length - 1).detach();
        for (int p = 0; p < np; p++) parts[2 + p] = Tensor.zerosLike(params.get(p).detach());
        VectorField<TensorState> aug = (t, s, ds) -> {
            Tensor[] d = new Tensor[s.parts.length];
            try (var _ = Autodiff.enableGrad()) {
                Tensor yi = s.parts[0].detach().requiresGrad(true);
                Tensor fy = f.eval(t, yi);
                List<Tensor> wrt = new ArrayList<>();
                wrt.add(yi);
                wrt.addAll(params);
                List<Tensor> vjp = Autodiff.grad(fy, wrt, s.parts[1], false);
                d[0] = fy.detach();
                for (int j = 0; j < vjp.size(); j++) d[1 + j] = vjp.get(j).detach().neg();
            }
            ds.parts = d;
        };
        for (int i = ts.length - 1; i >= 1; i--) {
            TensorState s0 = new TensorState(parts);
            TensorOps ops = new TensorOps(parts);
            Counters count = new Counters();
            var st = new ExplicitRk<>(tab, aug, ops, s0, count, o.rtol(), o.atol());
            TensorState[] last = {s0};
            try (var _ = Autodiff.noGrad()) {
                Driver.run(st, ops, aug, ts[i], ts[i - 1], s0, o, count,
                        (stepper, t, y, tNew, yNew, err, hl) -> last[0] = ops.like(yNew));
            }
            back.addAndGet(count.nfev);
            parts = last[0].parts.clone();
            parts[1] = parts[1].add(g.select(0, i - 1).detach());
        }
        Tensor[] gp = new Tensor[np];
        System.arraycopy(parts, 2, gp, 0, np);
        return outputs(parts[1], gp, params);
    }

    // ------------------------------------------------------------------ helpers

    private static Tensor[] inputs(Tensor y0, List<Tensor> params) {
        Tensor[] in = new Tensor[1 + params.size()];
        in[0] = y0;
        for (int i = 0; i < params.size(); i++) in[1 + i] = params.get(i);
        return in;
    }

    private static Tensor[] outputs(Tensor a0, Tensor[] gp, List<Tensor> params) {
        Tensor[] out = new Tensor[1 + gp.length];
        out[0] = a0;
        for (int p = 0; p < gp.length; p++) out[1 + p] = gp[p] == null ? Tensor.zerosLike(params.get(p)) : gp[p];
        return out;
    }

    private static Tensor add(Tensor acc, Tensor t) {
        return acc == null ? t : acc.add(t);
    }

    private static double[] unbox(List<Double> xs) {
        double[] a = new double[xs.size()];
        for (int i = 0; i < a.length; i++) a[i] = xs.get(i);
        return a;
    }

    private static void checkTimes(double[] ts) {
        if (ts.length < 2) throw new IllegalArgumentException("need at least two times (start and end), got " + Arrays.toString(ts));
        double dir = Math.signum(ts[ts.length - 1] - ts[0]);
        if (dir == 0) throw new IllegalArgumentException("the save times span no interval: " + Arrays.toString(ts));
        for (int i = 1; i < ts.length; i++)
            if (!(dir * (ts[i] - ts[i - 1]) > 0))
                throw new IllegalArgumentException("save times must be strictly monotone, got " + Arrays.toString(ts));
    }
}
