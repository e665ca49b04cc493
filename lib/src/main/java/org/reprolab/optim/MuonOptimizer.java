package org.reprolab.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * {@link Muon} bound to parameters: momentum buffers for the matrices it selects, and an
 * {@link Optimizer} with the orthogonalised matrices in group {@value Muon#GROUP} and the rest on the
 * auxiliary chain. {@link #state()} holds both (the momentum buffers as slot
 * {@value #MOMENTUM} of each matrix), so a run resumes bit for bit.
 */
public final class MuonOptimizer implements AutoCloseable {
    /** The slot key of a matrix's momentum buffer in {@link #state()}. */
    public static final String MOMENTUM = "muon.momentum_buffer";

    private final Muon muon;
    private final Map<String, Tensor> params;
    private final Map<String, Tensor> momenta = new LinkedHashMap<>();
    private final Optimizer inner;

    MuonOptimizer(Muon muon, Map<String, Tensor> params, Schedule schedule) {
        this.muon = muon;
        this.params = Muon.copyOf(params);
        for (var e : this.params.entrySet())
            if (e.getValue().rank() >= 2 && muon.matrices().test(e.getKey(), e.getValue()))
                momenta.put(e.getKey(), Tensor.zerosLike(e.getValue()));
        if (momenta.isEmpty())
            throw new IllegalArgumentException("Muon: no parameter is a matrix (rank >= 2) selected by its filter; use the aux optimizer alone");
        Optimizer.Builder b = Optimizer.builder(this.params, muon.aux())
                .group(Muon.GROUP, (n, t) -> momenta.containsKey(n), muon.matrixChain());
        inner = (schedule == null ? b : b.schedule(schedule)).build();
    }

    /**
     * One step: as the code, a parameter without a gradient steps with zeros; each matrix's gradient
     * is replaced by its orthogonalised momentum, then the optimizer steps.
     */
    public void step() {
        for (var e : params.entrySet()) {
            Tensor p = e.getValue();
            if (p.grad() == null) p.setGrad(Tensor.zerosLike(p));
            Tensor m = momenta.get(e.getKey());
            if (m != null) p.setGrad(muon.update(p.grad(), m));
        }
        inner.step();
    }

    /** Steps taken. */
    public long count() {
        return inner.count();
    }

    /** The optimizer the steps end in (groups {@value Muon#GROUP} and {@code default}). */
    public Optimizer optimizer() {
        return inner;
    }

    /** The optimizer's state with each matrix's momentum buffer added as slot {@value #MOMENTUM}. */
    public OptimizerState state() {
        OptimizerState s = inner.state();
        Map<String, OptimizerState.ParamState> out = new LinkedHashMap<>();
        for (var e : s.params().entrySet()) {
            OptimizerState.ParamState ps = e.getValue();
            Tensor m = momenta.get(e.getKey());
            if (m != null) {
                Map<String, double[]> slots = new LinkedHashMap<>(ps.slots());
                slots.put(MOMENTUM, m.toDoubleArray());
                ps = new OptimizerState.ParamState(ps.step(), slots, ps.host());
            }
            out.put(e.getKey(), ps);
        }
        return new OptimizerState(s.count(), s.micro(), out);
    }

    /** Restores a {@link #state()} (checked as {@link Optimizer#load}, and every matrix must have its momentum buffer). */
    public void load(OptimizerState s) {
        Map<String, OptimizerState.ParamState> rest = new LinkedHashMap<>();
        Map<String, double[]> ms = new LinkedHashMap<>();
        for (var e : s.params().entrySet()) {
            OptimizerState.ParamState ps = e.getValue();
            Map<String, double[]> slots = new LinkedHashMap<>(ps.slots());
            double[] m = slots.remove(MOMENTUM);
            Tensor mine = momenta.get(e.getKey());
            if ((m == null) != (mine == null))
                throw new IllegalArgumentException("Muon load: parameter '" + e.getKey() + "' "
                        + (mine == null ? "is not a Muon matrix but has a momentum buffer" : "has no momentum buffer " + MOMENTUM));
            if (m != null && m.length != mine.numel())
                throw new IllegalArgumentException("Muon load: momentum of '" + e.getKey() + "' has " + m.length + " elements, the parameter "
                        + mine.numel());
            if (m != null) ms.put(e.getKey(), m);
            rest.put(e.getKey(), new OptimizerState.ParamState(ps.step(), slots, ps.host()));
        }
        inner.load(new OptimizerState(s.count(), s.micro(), rest));
        try (var _ = Autodiff.noGrad()) {
            ms.forEach((name, m) -> momenta.get(name).assign(Tensor.of(m, momenta.get(name).shape())));
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
