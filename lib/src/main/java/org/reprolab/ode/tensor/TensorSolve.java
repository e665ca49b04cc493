package org.reprolab.ode.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.reprolab.ode.Driver;
import org.reprolab.ode.OdeOptions;
import org.reprolab.ode.Sensitivity;
import org.reprolab.ode.Solution;
import org.reprolab.ode.StateSaver;
import org.reprolab.ode.StepEstimate;
import org.reprolab.ode.Termination;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Counters;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.solvers.Stepper;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.solvers.VectorField;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;
import org.reprolab.tensor.TensorScope;

/**
 * Differentiable ODE solves over tensors ({@link TensorProblem}): the explicit Runge–Kutta loop and the driver of
 * the {@code double[]} path run over {@link TensorState}s ({@link TensorOps}), saving the states at the save times
 * through each step's dense output, and are differentiated in one of the ways of {@link Sensitivity}: recorded
 * op by op, by checkpointed recomputation (the discrete adjoint) or by the continuous backsolve adjoint.
 */
final class TensorSolve {
    private TensorSolve() {}

    static Solution<Tensor> solve(TensorProblem p, Tableau tab, StepController ctl, OdeOptions o) {
        double[] ts = o.saveTimes(p.t0(), p.t1());
        TensorField f = p.f();
        Tensor y0 = p.y0();
        List<Tensor> params = p.params();
        AtomicLong back = new AtomicLong();
        return switch (o.sensitivity()) {
            case Sensitivity.Direct d -> {
                Run r = forward(f, tab, ctl, y0, ts, o, tab.adaptive(), 0); // a fixed-step tableau has no estimate to record
                yield result(r, ts, Tensor.stack(0, r.saved.toArray(Tensor[]::new)), r.estimates, back);
            }
            case Sensitivity.None n -> {
                Run r;
                try (var _ = Autodiff.noGrad()) {
                    r = forward(f, tab, ctl, y0, ts, o, false, 0);
                }
                yield result(r, ts, Tensor.stack(0, r.saved.toArray(Tensor[]::new)), List.of(), back);
            }
            case Sensitivity.Checkpointed c -> {
                Run r;
                try (var _ = Autodiff.noGrad()) {
                    r = forward(f, tab, ctl, y0, ts, o, false, c.every());
                }
                Tensor ys = Autodiff.custom("odeCheckpointed", Tensor.stack(0, r.saved.toArray(Tensor[]::new)),
                        (g, out) -> checkpointedVjp(f, tab, ctl, ts, r, g, params, back), inputs(y0, params));
                yield result(r, ts, ys, List.of(), back);
            }
            case Sensitivity.Backsolve b -> {
                Run r;
                try (var _ = Autodiff.noGrad()) {
                    r = forward(f, tab, ctl, y0, ts, o, false, 0);
                }
                StepController cb = b.controller() != null ? b.controller() : ctl;
                Tensor ys = Autodiff.custom("odeBacksolve", Tensor.stack(0, r.saved.toArray(Tensor[]::new)),
                        (g, out) -> backsolveVjp(f, tab, cb, ts, o, r, g, params, back), inputs(y0, params));
                yield result(r, ts, ys, List.of(), back);
            }
        };
    }

    private static Solution<Tensor> result(Run r, double[] ts, Tensor stacked, List<StepEstimate> estimates, AtomicLong back) {
        return r.sol.reportedAt(ts, i -> stacked.select(0, i), estimates, back::get);
    }

    // ------------------------------------------------------------------ forward

    /** What a forward solve leaves: states at the save times, and for the checkpointed adjoint its tape. */
    private record Run(Solution<TensorState> sol, List<Tensor> saved, List<StepEstimate> estimates, double[] stepT,
                       double[] stepH, List<Tensor> checkpoints, int every) {}

    static VectorField<TensorState> field(TensorField f) {
        return (t, y, dy) -> dy.parts = new Tensor[]{f.eval(t, y.parts[0])};
    }

    /** {@link #field} for {@link DeviceOps}, which overwrites the state's buffers: a result sharing them (f = y) is copied. */
    private static VectorField<TensorState> ownedField(TensorField f) {
        return (t, y, dy) -> {
            try (TensorScope scope = Tensor.scope()) { // the field's intermediates are reused by the next evaluation
                Tensor v = scope.keep(f.eval(t, y.parts[0]));
                dy.parts = new Tensor[]{v.buffer() == y.parts[0].buffer() ? v.copy() : v};
            }
        };
    }

    /** The state now, kept from later in-place writes. */
    private static Tensor snapshot(StateOps<TensorState> ops, TensorState y) {
        TensorState c = ops.like(y);
        ops.copy(y, c);
        return c.parts[0];
    }

    /**
     * The forward solve. Under {@code noGrad} nothing is recorded, so the state stays in device buffers overwritten
     * in place with fused stage kernels ({@link DeviceOps}); otherwise each stage is a chain of recorded tensor ops
     * ({@link TensorOps}), which computes the same numbers.
     */
    private static Run forward(TensorField f, Tableau tab, StepController ctl, Tensor y0, double[] ts, OdeOptions o,
                               boolean estimates, int every) {
        boolean fused = !Autodiff.isGradEnabled() && !estimates; // the estimates are recorded tensors
        TensorOps recorded = fused ? null : new TensorOps(y0);
        StateOps<TensorState> ops = fused ? new DeviceOps(y0) : recorded;
        Counters count = new Counters();
        VectorField<TensorState> vf = fused ? ownedField(f) : field(f);
        TensorState s0 = new TensorState(new Tensor[]{y0});
        var st = Stepper.explicit(tab, vf, ops, s0, count, ctl.rtol(), ctl.atol());
        List<Tensor> saved = new ArrayList<>();
        saved.add(y0);
        List<StepEstimate> est = new ArrayList<>();
        List<Double> stepT = new ArrayList<>(), stepH = new ArrayList<>();
        List<Tensor> checkpoints = new ArrayList<>();
        StateSaver<TensorState> saver = new StateSaver<>(ts, ops, 1);
        Solution<TensorState> sol = Driver.run(st, ops, vf, ts[0], ts[ts.length - 1], s0, ctl, o, count,
                (stepper, t, y, tNew, yNew, err, hl) -> {
                    if (every > 0 && stepT.size() % every == 0) checkpoints.add(snapshot(ops, y));
                    stepT.add(t);
                    stepH.add(tNew - t);
                    if (estimates)
                        est.add(new StepEstimate(t, tNew - t, recorded.errorEstimate(tab, tNew - t),
                                Double.isNaN(hl) ? null : recorded.stiffnessEstimate(tNew - t, hl)));
                    saver.step(stepper, t, y, tNew, yNew);
                });
        for (TensorState s : saver.saved()) saved.add(s.parts[0]);
        if (!(sol.termination() instanceof Termination.Completed))
            throw new IllegalArgumentException("tensor solves do not stop at events: " + sol.termination());
        return new Run(sol, saved, est, unbox(stepT), unbox(stepH), checkpoints, every);
    }

    // ------------------------------------------------------------------ checkpointed discrete adjoint

    private static Tensor[] checkpointedVjp(TensorField f, Tableau tab, StepController ctl, double[] ts, Run r, Tensor g,
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
                var st = Stepper.explicit(tab, vf, ops, y, count, ctl.rtol(), ctl.atol());
                st.start(r.stepT[i0], y);
                int firstIdx = StateSaver.firstAfter(ts, r.stepT[i0]);
                StateSaver<TensorState> saver = new StateSaver<>(ts, ops, firstIdx);
                TensorState yNew = ops.like(y);
                for (int i = i0; i < i1; i++) {
                    double t = r.stepT[i];
                    double tNew = i + 1 < nSteps ? r.stepT[i + 1] : ts[ts.length - 1];
                    st.attempt(t, y, tNew - t, yNew);
                    saver.step(st, t, y, tNew, yNew);
                    st.accept(tNew, yNew);
                    TensorState tmp = y;
                    y = yNew;
                    yNew = tmp;
                }
                back.addAndGet(count.nfev);
                Tensor loss = null;
                List<TensorState> saved = saver.saved();
                for (int j = 0; j < saved.size(); j++) loss = add(loss, saved.get(j).parts[0].mul(g.select(0, firstIdx + j).detach()).sum());
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

    // ------------------------------------------------------------------ backsolve continuous adjoint

    private static Tensor[] backsolveVjp(TensorField f, Tableau tab, StepController ctl, double[] ts, OdeOptions o, Run r, Tensor g,
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
            var st = Stepper.explicit(tab, aug, ops, s0, count, ctl.rtol(), ctl.atol());
            TensorState[] last = {s0};
            try (var _ = Autodiff.noGrad()) {
                Driver.run(st, ops, aug, ts[i], ts[i - 1], s0, ctl, o, count,
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
}
