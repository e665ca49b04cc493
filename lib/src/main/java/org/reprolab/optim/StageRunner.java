package org.reprolab.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.ReduceOp;

/**
 * Executes one stage of a {@link Plan} on the device for the tensors of a group, at one step: queues
 * the head's reductions and row products of every tensor into one {@link ReduceBatch} (so a
 * group-wide norm is complete before it is used), computes each tensor's kernel scalars and row
 * values on the host, and launches the stage's fused kernel per tensor with the layout {@link Plan}
 * describes.
 */
final class StageRunner {
    private static final double[] NONE = {};
    private static final double[][] NO_ROWS = {};

    private final Device device;
    /** Whether the gradients come from the accumulators (gradient accumulation) rather than the parameters. */
    private final boolean accumulating;

    StageRunner(Device device, boolean accumulating) {
        this.device = device;
        this.accumulating = accumulating;
    }

    /**
     * What a step hands every stage: the optimizer's step {@code count}, the group's learning rate, the
     * gradient factor {@code gscale} (clipping and the 1/k of accumulation) and the aux inputs.
     */
    record StepInputs(long count, double lr, double gscale, Map<String, Map<String, Tensor>> aux) {}

    /** Where one tensor's reduction results land in the batch ({@code reductions} null when not reduced this step). */
    private record Queued(int[] reductions, int rowSums, int rowTotals) {}

    /** One tensor's reduction results for the stage's head, as its {@link Step} shows them. */
    private record Gathered(double[] reduced, double[][] rowSums, double[] rowTotals) {}

    Buffer grad(TensorState ts) {
        return accumulating ? ts.acc : ts.storage.grad();
    }

    int gradOffset(TensorState ts) {
        return accumulating ? 0 : ts.storage.gradOffset();
    }

    /** Runs stage {@code si} of {@code plan} for {@code tensors} (their step counts already advanced). */
    void run(Plan plan, int si, List<TensorState> tensors, StepInputs in) {
        Plan.Stage st = plan.stages.get(si);
        Elementwise head = plan.parts.get(st.from());
        List<Reduction> reds = st.reductions(plan.parts);
        ReduceBatch batch = new ReduceBatch(device);
        List<Queued> queued = new ArrayList<>(tensors.size());
        for (TensorState ts : tensors) queued.add(queue(batch, plan, st, si, head, ts, in));
        double[] got = batch.isEmpty() ? NONE : batch.run();
        int nProducts = head.rowProductCount();
        double[] groupRowTotals = new double[nProducts];
        for (Queued q : queued) for (int k = 0; k < nProducts; k++) groupRowTotals[k] += got[q.rowTotals() + k];
        double[] groupReduced = new double[reds.size()];
        for (int r = 0; r < reds.size(); r++) groupReduced[r] = reds.get(r).op().identity();
        List<Gathered> gathered = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Gathered g = gather(got, queued.get(i), reds, si, in.gscale(), nProducts, tensors.get(i));
            if (queued.get(i).reductions() != null)
                for (int r = 0; r < reds.size(); r++) groupReduced[r] = reds.get(r).combine(groupReduced[r], g.reduced()[r]);
            gathered.add(g);
        }
        for (int i = 0; i < tensors.size(); i++) {
            TensorState ts = tensors.get(i);
            double[] params = scalars(plan, st, ts, gathered.get(i), groupReduced, groupRowTotals, in);
            launch(plan, st, si, ts, params, in);
        }
    }

    /** Queues the head's reductions and row products of one tensor. */
    private Queued queue(ReduceBatch batch, Plan plan, Plan.Stage st, int si, Elementwise head, TensorState ts, StepInputs in) {
        List<Reduction> reds = st.reductions(plan.parts);
        int[] at = null;
        if (!reds.isEmpty() && head.reduceAt(ts.t)) {
            at = new int[reds.size()];
            for (int r = 0; r < reds.size(); r++) at[r] = queue(batch, reds.get(r), ts, si);
        }
        int nProducts = head.rowProductCount();
        if (nProducts == 0) return new Queued(at, 0, 0);
        int len = ts.storage.numel, rows = Step.rows(ts.storage.param.shape());
        Buffer tmp = ts.rowProducts(nProducts);
        List<Operand> outs = new ArrayList<>();
        for (int k = 0; k < nProducts; k++) outs.add(Operand.of(tmp, k * len));
        double[] params = new double[1 + st.productScalars().length];
        params[0] = in.gscale();
        if (params.length > 1) { // the head's host state as the last step left it: advance() has not run yet
            Step before = new Step(ts.t, in.count(), in.lr(), len, ts.storage.param.shape(), NONE, NONE, NO_ROWS, NONE, NONE,
                    ts.host[st.from()]);
            for (int j = 1; j < params.length; j++) params[j] = st.productScalars()[j - 1].at(before);
        }
        device.run(st.products(), new int[] {len}, inputs(plan, st, si, ts, in), outs, params);
        int rowSums = batch.addRows(ReduceOp.SUM, tmp, 0, nProducts * rows, len / rows);
        int rowTotals = batch.size();
        for (int k = 0; k < nProducts; k++) batch.add(ReduceOp.SUM, tmp, k * len, len);
        return new Queued(at, rowSums, rowTotals);
    }

    /** Queues one reduction of one tensor (the gradient's ones unscaled; {@link #gather} applies gscale). */
    private int queue(ReduceBatch batch, Reduction r, TensorState ts, int stage) {
        int len = ts.storage.numel;
        return switch (r.of()) {
            case PARAM -> batch.add(r.op(), ts.storage.param(), ts.storage.offset(), len);
            case GRAD -> batch.add(r.op(), grad(ts), gradOffset(ts), len);
            case UPDATE -> stage == 0 ? batch.add(r.op(), grad(ts), gradOffset(ts), len) : batch.add(r.op(), ts.scratch(), 0, len);
        };
    }

    /** Reads one tensor's results out of the batch; reductions not run this step read as zeros. */
    private static Gathered gather(double[] got, Queued q, List<Reduction> reds, int si, double gscale, int nProducts, TensorState ts) {
        double[] reduced = new double[reds.size()];
        if (q.reductions() != null)
            for (int r = 0; r < reds.size(); r++) {
                Reduction rd = reds.get(r);
                boolean scaled = rd.of() == Reduction.Of.GRAD || (rd.of() == Reduction.Of.UPDATE && si == 0);
                double v = got[q.reductions()[r]];
                reduced[r] = scaled ? rd.scaled(v, gscale) : v;
            }
        int rows = Step.rows(ts.storage.param.shape());
        double[][] rowSums = new double[nProducts][rows];
        double[] rowTotals = new double[nProducts];
        for (int k = 0; k < nProducts; k++) {
            System.arraycopy(got, q.rowSums() + k * rows, rowSums[k], 0, rows);
            rowTotals[k] = got[q.rowTotals() + k];
        }
        return new Gathered(reduced, rowSums, rowTotals);
    }

    /**
     * The stage kernel's scalar params for one tensor ({@code gscale}, then each part's named scalars
     * after its {@link Elementwise#advance}); writes the head's row values to the device on the way.
     */
    private double[] scalars(Plan plan, Plan.Stage st, TensorState ts, Gathered g, double[] groupReduced,
            double[] groupRowTotals, StepInputs in) {
        double[] params = new double[st.scalarCount()];
        params[0] = in.gscale();
        int rows = Step.rows(ts.storage.param.shape());
        double[][] rowValues = new double[st.rowValues()][rows];
        for (int k = st.from(); k < st.to(); k++) {
            Elementwise part = plan.parts.get(k);
            boolean head = k == st.from();
            Step step = new Step(ts.t, in.count(), in.lr(), ts.storage.numel, ts.storage.param.shape(),
                    head ? g.reduced() : NONE, head ? groupReduced : NONE, head ? g.rowSums() : NO_ROWS,
                    head ? g.rowTotals() : NONE, head ? groupRowTotals : NONE, ts.host[k]);
            part.advance(step);
            for (int j = st.scalarsFrom()[k - st.from()]; j < st.scalarsFrom()[k - st.from() + 1]; j++)
                params[1 + j] = st.scalars()[j].at(step);
            if (head && st.rowValues() > 0) part.rowValues(step, rowValues);
        }
        if (st.rowValues() > 0) {
            double[] flat = new double[st.rowValues() * rows];
            for (int j = 0; j < st.rowValues(); j++) System.arraycopy(rowValues[j], 0, flat, j * rows, rows);
            ts.rowValues(flat.length).write(0, flat, 0, flat.length);
        }
        return params;
    }

    /** The stage's kernel inputs without the row values: {@code [p, g, u, slots..., aux...]}. */
    private List<Operand> inputs(Plan plan, Plan.Stage st, int si, TensorState ts, StepInputs in) {
        Operand g = Operand.of(grad(ts), gradOffset(ts));
        List<Operand> ops = new ArrayList<>();
        ops.add(ts.storage.paramOperand());
        ops.add(g);
        ops.add(si > 0 ? Operand.of(ts.scratch()) : g);
        for (Plan.SlotRef s : st.inputs()) ops.add(Operand.of(ts.slots[plan.slots.indexOf(s)]));
        for (String a : st.aux()) ops.add(auxOperand(plan, st, ts, a, in));
        return ops;
    }

    private void launch(Plan plan, Plan.Stage st, int si, TensorState ts, double[] params, StepInputs in) {
        int len = ts.storage.numel;
        List<Operand> ops = inputs(plan, st, si, ts, in);
        int[] shape = {len};
        if (st.rowValues() > 0) { // per-row values broadcast along the rows of the channel view
            int rows = Step.rows(ts.storage.param.shape());
            shape = new int[] {rows, len / rows};
            Buffer values = ts.rowValues(st.rowValues() * rows);
            for (int j = 0; j < st.rowValues(); j++) ops.add(Operand.strided(values, j * rows, 1, 0));
        }
        List<Operand> out = new ArrayList<>();
        out.add(st.last() ? ts.storage.paramOperand() : Operand.of(ts.scratch()));
        for (Plan.SlotRef s : st.outputs()) out.add(Operand.of(ts.slots[plan.slots.indexOf(s)]));
        device.run(st.kernel(), shape, ops, out, params);
    }

    /**
     * The aux input where it lies when it is a contiguous tensor on this device with the parameter's
     * dtype; otherwise moved, converted or gathered by device operations first.
     */
    private Operand auxOperand(Plan plan, Plan.Stage st, TensorState ts, String name, StepInputs in) {
        boolean needed = false;
        for (int k = st.from(); k < st.to(); k++)
            if (plan.parts.get(k).aux().contains(name) && plan.parts.get(k).auxAt(ts.t)) needed = true;
        if (!needed) return Operand.of(ts.zeros());
        int len = ts.storage.numel;
        Map<String, Tensor> m = in.aux().get(name);
        Tensor t = m == null ? null : m.get(ts.storage.name);
        if (t == null)
            throw new IllegalArgumentException("optimizer step " + in.count() + ": the chain needs aux input '" + name
                    + "' for parameter '" + ts.storage.name + "' at its step " + ts.t + " but none was given"
                    + " (pass step(Map.of(\"" + name + "\", estimates)))");
        if (t.numel() != len)
            throw new IllegalArgumentException("aux input '" + name + "' for '" + ts.storage.name + "' has " + t.numel()
                    + " elements, the parameter has " + len);
        if (t.buffer().device() != device) t = t.to(device);
        if (t.dtype() != ts.storage.param.dtype()) t = t.to(ts.storage.param.dtype());
        if (!t.isContiguous()) t = t.contiguous();
        return Operand.of(t.buffer(), t.offset());
    }
}
