package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.nn.Activation;
import org.reprolab.nn.MLP;
import org.reprolab.tensor.Tensor;

/**
 * FRUGAL, blockwise ({@link Frugal}): the update rule against an independent scalar re-implementation of
 * the official code's {@code BlockAdamW} (pzmushko/FRUGAL {@code frugal/proj_optimizer_templates.py},
 * {@code frugal/adamw.py}) over 100 steps with three re-selections, at 1e-12; the state memory on an
 * nn.MLP; bit-exact resume across a re-selection; the selection rule; errors.
 */
class FrugalTest {
    static final int STEPS = 100;
    static final int[] SIZES = {3, 5, 4, 7, 2, 6};

    /** Six blocks {@code w0..w5} and one regular tensor {@code r} (not a block), f64. */
    static Map<String, Tensor> params() {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        for (int k = 0; k < SIZES.length; k++) ps.put("w" + k, Tensor.of(x0(k, SIZES[k]), SIZES[k]));
        ps.put("r", Tensor.of(x0(9, 4), 4));
        return ps;
    }

    static double[] x0(int k, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = Math.sin(1.3 * k + 0.7 * i + 0.2) * (1 + 0.1 * i);
        return x;
    }

    /** Gradient of {@code sum_i c_i (x_i^2/2 + x_i^4/40) - b_i x_i}, with c and b fixed per tensor. */
    static double[] grad(int k, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double c = 0.5 + 0.25 * ((k + 2 * i) % 5), b = 0.3 * Math.cos(k + i);
            g[i] = c * (x[i] + 0.1 * x[i] * x[i] * x[i]) - b;
        }
        return g;
    }

    static int index(String name) {
        return name.equals("r") ? 9 : Integer.parseInt(name.substring(1));
    }

    static void setGrads(Map<String, Tensor> ps) {
        for (var e : ps.entrySet()) {
            double[] x = e.getValue().toDoubleArray();
            e.getValue().setGrad(Tensor.of(grad(index(e.getKey()), x), x.length));
        }
    }

    /**
     * The official code's {@code BlockAdamW.step} for one parameter group holding the blocks plus the
     * regular tensor, written out as scalar loops. Selection bookkeeping is the code's: for the cyclic
     * orders its {@code next_block_start}; for random order the draws come from {@link Frugal#select}
     * (torch.randperm's draws cannot be reproduced; the rule is what is checked).
     */
    static final class OfficialBlockAdamW {
        final double lr, b1, b2, eps, wd;
        final int period, nActive;
        final Frugal.Order order;
        final Frugal policy;
        final double[][] x, m, v;
        final int[] step;
        final boolean[] active;
        int nextBlockStart = Integer.MIN_VALUE;
        final int nBlocks;
        int regularStep;
        double[] rm, rv;

        OfficialBlockAdamW(Map<String, Tensor> init, Frugal policy, double lr, double wd) {
            this.lr = lr;
            this.wd = wd;
            this.b1 = 0.9;
            this.b2 = 0.999;
            this.eps = 1e-8;
            this.policy = policy;
            this.period = policy.period();
            this.order = policy.order();
            nBlocks = SIZES.length;
            nActive = (int) Math.rint(nBlocks * policy.density()); // round(len(params) * density)
            x = new double[nBlocks + 1][];
            int k = 0;
            for (Tensor t : init.values()) x[k++] = t.toDoubleArray();
            m = new double[nBlocks][];
            v = new double[nBlocks][];
            step = new int[nBlocks];
            active = new boolean[nBlocks];
            rm = new double[x[nBlocks].length];
            rv = new double[x[nBlocks].length];
        }

        /** _update_states: deactivate every block (state.clear(), step 0), then activate the chosen ones with zero moments. */
        void updateStates(int globalStep) {
            for (int i = 0; i < nBlocks; i++) {
                m[i] = null;
                v[i] = null;
                step[i] = 0;
                active[i] = false;
            }
            List<Integer> chosen = new ArrayList<>();
            switch (order) {
                case RANDOM -> {
                    for (int i : policy.select(globalStep / period, nBlocks)) chosen.add(i);
                }
                case ASCENDING -> {
                    if (nextBlockStart == Integer.MIN_VALUE) nextBlockStart = 0;
                    for (int idx = nextBlockStart; idx < nextBlockStart + nActive; idx++) chosen.add(idx % nBlocks);
                    nextBlockStart += nActive;
                    if (nextBlockStart >= nBlocks) nextBlockStart -= nBlocks;
                }
                case DESCENDING -> {
                    if (nextBlockStart == Integer.MIN_VALUE) nextBlockStart = nBlocks - 1;
                    for (int idx = nextBlockStart; idx > nextBlockStart - nActive; idx--) chosen.add(Math.floorMod(idx, nBlocks));
                    nextBlockStart -= nActive;
                    if (nextBlockStart < 0) nextBlockStart += nBlocks;
                }
            }
            for (int i : chosen) {
                m[i] = new double[x[i].length];
                v[i] = new double[x[i].length];
                active[i] = true;
            }
        }

        /** AdamW._compute_update with correct_bias: {@code exp_avg / (sqrt(v)/sqrt(bc2) + eps) * (-lr/bc1)}. */
        void adam(double[] p, double[] g, double[] mm, double[] vv, int t, double lrNow) {
            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < p.length; i++) {
                mm[i] = mm[i] * b1 + g[i] * (1 - b1);
                vv[i] = vv[i] * b2 + g[i] * g[i] * (1 - b2);
                double denom = Math.sqrt(vv[i]) / Math.sqrt(bc2) + eps;
                p[i] += mm[i] / denom * (-lrNow / bc1);
            }
        }

        void step(int globalStep, double lrNow) {
            // _update_states_if_necessary: the first block's step decides
            if (step[0] % period == 0) updateStates(globalStep);
            for (int k = 0; k <= nBlocks; k++) {
                double[] p = x[k], g = grad(k == nBlocks ? 9 : k, p.clone());
                for (int i = 0; i < p.length; i++) p[i] *= 1 - lrNow * wd;
                if (k == nBlocks) {
                    adam(p, g, rm, rv, ++regularStep, lrNow);
                    continue;
                }
                step[k]++;
                if (active[k]) adam(p, g, m[k], v[k], step[k], lrNow);
                else {
                    double inactiveLr = lrNow * policy.stateFreeLrScale();
                    for (int i = 0; i < p.length; i++) p[i] += -inactiveLr * Math.signum(g[i]);
                }
            }
        }
    }

    static Optimizer.Builder builder(Map<String, Tensor> ps, Frugal policy, double lr, double wd, Schedule schedule) {
        return Optimizer.builder(ps, Optimizers.adamw(lr, wd)).frugal(policy.withBlocks(ParamFilter.matching("^w"))).schedule(schedule);
    }

    void matchesOfficialRule(Frugal policy) {
        double lr = 2e-2, wd = 0.1;
        Schedule schedule = Schedule.cosine(STEPS);
        Map<String, Tensor> ps = params();
        OfficialBlockAdamW ref = new OfficialBlockAdamW(ps, policy, lr, wd);
        int reselections = 0;
        try (Optimizer opt = builder(ps, policy, lr, wd, schedule).build()) {
            for (int s = 0; s < STEPS; s++) {
                setGrads(ps);
                ref.step(s, lr * schedule.at(s));
                opt.step();
                int k = 0;
                for (var e : ps.entrySet()) {
                    double d = TorchRef.maxRelDiff(e.getValue().toDoubleArray(), ref.x[k]);
                    assertTrue(d <= 1e-12, policy.order() + ": step " + (s + 1) + ", tensor " + e.getKey() + " differs from the official rule by " + d);
                    k++;
                }
                List<String> full = new ArrayList<>();
                for (int i = 0; i < SIZES.length; i++) if (ref.active[i]) full.add("w" + i);
                List<String> ours = new ArrayList<>(opt.groupParams("default"));
                ours.remove("r");
                assertEquals(full, ours, "state-full blocks at step " + (s + 1));
                if (s > 0 && s % policy.period() == 0 && ref.step[0] == 1) reselections++;
            }
        }
        assertEquals(3, reselections, "re-selections at steps 30, 60, 90");
    }

    @Test
    void matchesTheOfficialBlockAdamWRuleAcrossReselections() {
        matchesOfficialRule(new Frugal(2.0 / 3, 30, Frugal.Order.ASCENDING, 0, Frugal.StateFree.SIGN_SGD, 1.0, (n, t) -> true));
        matchesOfficialRule(new Frugal(1.0 / 3, 30, Frugal.Order.DESCENDING, 0, Frugal.StateFree.SIGN_SGD, 0.1, (n, t) -> true));
        matchesOfficialRule(Frugal.blockwise(0.5, 30, 1234));
    }

    /** A block drawn again at a re-selection starts from zero moments and step 1, as the code's deactivate-then-activate does. */
    @Test
    void aBlockStayingStateFullIsResetAnyway() {
        // ascending, 6 blocks, 4 state-full: period 0 takes 0..3, period 1 takes 4,5,0,1 (w0 and w1 stay)
        Frugal policy = new Frugal(2.0 / 3, 3, Frugal.Order.ASCENDING, 0, Frugal.StateFree.SIGN_SGD, 1.0, (n, t) -> true);
        Map<String, Tensor> ps = params();
        try (Optimizer opt = builder(ps, policy, 1e-2, 0.0, Schedule.constant()).build()) {
            for (int s = 0; s < 3; s++) {
                setGrads(ps);
                opt.step();
            }
            assertEquals(3, opt.state().params().get("w0").step());
            setGrads(ps);
            opt.step();
            OptimizerState st = opt.state();
            assertEquals(1, st.params().get("w0").step(), "state restarted at the re-selection");
            assertEquals(4, st.params().get("r").step(), "the regular tensor keeps its state");
            double[] mu = st.params().get("w0").slots().get("0.scale_by_adam.exp_avg"), nu = st.params().get("w0").slots().get("0.scale_by_adam.exp_avg_sq");
            for (int i = 0; i < mu.length; i++) // after one step from zero: nu = (1-b2)/(1-b1)^2 mu^2
                assertEquals(0.001 / 0.01 * mu[i] * mu[i], nu[i], 1e-15 * Math.max(1, Math.abs(nu[i])), "fresh moments, element " + i);
            assertEquals(List.of("w0", "w1", "w4", "w5", "r"), opt.groupParams("default"));
            assertEquals(List.of("w2", "w3"), opt.groupParams(Optimizer.FRUGAL_STATE_FREE));
            assertTrue(st.params().get("w2").slots().isEmpty(), "state-free blocks keep no state");
        }
    }

    /** On an nn.MLP of eight 64x64 Linear layers: weights are the blocks, biases regular; state is about ρ of AdamW's. */
    @Test
    void stateBytesAreAboutRhoOfAdamWOnAnMlp() {
        int[] widths = new int[9];
        Arrays.fill(widths, 64);
        MLP model = new MLP(widths, Activation::tanh, 5);
        Map<String, Tensor> ps = model.parameters();
        long weight = 64L * 64 * 8, bias = 64L * 8; // bytes of one f64 weight / bias
        double rho = 0.25;
        Frugal policy = Frugal.blockwise(rho, 2, 7).withBlocks(ParamFilter.rankAtMost(1).negate());
        try (Optimizer adamw = Optimizer.of(ps, Optimizers.adamw(1e-3));
             Optimizer fr = Optimizer.builder(ps, Optimizers.adamw(1e-3)).frugal(policy).build()) {
            assertEquals(2 * 8 * (weight + bias), adamw.stateBytes());
            long expected = 2 * (2 * weight + 8 * bias); // round(8 * 0.25) = 2 weights, and all 8 biases
            assertEquals(expected, fr.stateBytes());
            double ratio = (double) fr.stateBytes() / adamw.stateBytes();
            assertTrue(ratio >= rho && ratio < rho + 0.02, "FRUGAL state / AdamW state = " + ratio);
            assertEquals(6, fr.groupParams(Optimizer.FRUGAL_STATE_FREE).size());
            Tensor x = Tensor.randn(3, 16, 64);
            for (int s = 0; s < 7; s++) { // three re-selections: memory stays the same, freed and re-allocated
                model.zeroGrad();
                model.forward(x).square().mean().backward();
                fr.step();
                assertEquals(expected, fr.stateBytes(), "after step " + (s + 1));
            }
        }
    }

    /** {@code Optimizers.frugal(chain, rho, period)} is the builder's policy over the matrices: the same steps bit for bit, the same state. */
    @Test
    void aChainPartRunsAsTheBuildersPolicy() {
        int[] widths = {16, 16, 16, 16, 4};
        MLP a = new MLP(widths, Activation::tanh, 3), b = new MLP(widths, Activation::tanh, 3);
        Frugal policy = Frugal.blockwise(0.5, 3, 0).withBlocks(ParamFilter.rankAtMost(1).negate());
        try (Optimizer part = Optimizer.of(a.parameters(), Optimizers.frugal(Optimizers.adamw(1e-2), 0.5, 3));
             Optimizer built = Optimizer.builder(b.parameters(), Optimizers.adamw(1e-2)).frugal(policy).build();
             Optimizer adamw = Optimizer.of(b.parameters(), Optimizers.adamw(1e-2))) {
            assertEquals(built.stateBytes(), part.stateBytes());
            assertTrue(part.stateBytes() < adamw.stateBytes());
            for (int s = 0; s < 8; s++) {
                Tensor x = Tensor.randn(s, 5, 16);
                for (MLP m : List.of(a, b)) {
                    m.zeroGrad();
                    m.forward(x).square().mean().backward();
                }
                part.step();
                built.step();
            }
            for (String name : a.parameters().keySet())
                assertArrayEquals(b.parameters().get(name).toDoubleArray(), a.parameters().get(name).toDoubleArray(), 0, name);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.frugal(Optimizers.adamw(1e-2), 0, 3));
        assertTrue(e.getMessage().contains("rho"), e.getMessage());
    }

    /** 40 steps straight vs 17 (or 20, a re-selection boundary) + save through bytes + restore into fresh objects + the rest. */
    @Test
    void resumesBitExactlyAcrossReselections() throws Exception {
        Frugal policy = Frugal.blockwise(0.5, 10, 99);
        for (int at : new int[] {17, 20})
            for (int accumulate : new int[] {1, 2}) resumes(policy, at, accumulate);
    }

    static Optimizer resumeOpt(Map<String, Tensor> ps, Frugal policy, int accumulate) {
        return Optimizer.builder(ps, Optimizers.adamw(1e-2, 0.1))
                .group("regular", ParamFilter.names("r"), Map.of("weight_decay", 0.0))
                .frugal(policy)
                .schedule(Schedule.warmupCosine(5, 40, 0.1, 0.01))
                .clipGradNorm(2.0)
                .accumulate(accumulate)
                .build();
    }

    void resumes(Frugal policy, int at, int accumulate) throws Exception {
        int calls = 40 * accumulate, atCall = at * accumulate + (accumulate > 1 ? 1 : 0); // mid-accumulation when accumulating
        Map<String, Tensor> a = params();
        try (Optimizer oa = resumeOpt(a, policy, accumulate)) {
            for (int i = 0; i < calls; i++) {
                setGrads(a);
                oa.step();
            }
        }
        Map<String, Tensor> b = params();
        byte[] saved;
        Map<String, double[]> paramsAt = new LinkedHashMap<>();
        try (Optimizer ob = resumeOpt(b, policy, accumulate)) {
            for (int i = 0; i < atCall; i++) {
                setGrads(b);
                ob.step();
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ob.state().write(bos);
            saved = bos.toByteArray();
            b.forEach((k, t) -> paramsAt.put(k, t.toDoubleArray()));
        }
        Map<String, Tensor> c = params();
        c.forEach((k, t) -> t.assign(Tensor.of(paramsAt.get(k), t.shape())));
        try (Optimizer oc = resumeOpt(c, policy, accumulate)) {
            oc.load(OptimizerState.read(new ByteArrayInputStream(saved)));
            assertEquals(at, oc.count());
            for (int i = atCall; i < calls; i++) {
                setGrads(c);
                oc.step();
            }
        }
        for (String k : a.keySet())
            assertArrayEquals(a.get(k).toDoubleArray(), c.get(k).toDoubleArray(), 0.0,
                    "resumed at " + at + " (accumulate " + accumulate + "): " + k + " differs from the uninterrupted run");
    }

    @Test
    void loadRefusesStateFromAnotherSplit() {
        Map<String, Tensor> ps = params();
        OptimizerState st;
        try (Optimizer o = resumeOpt(ps, Frugal.blockwise(0.5, 10, 99), 1)) {
            for (int i = 0; i < 12; i++) {
                setGrads(ps);
                o.step();
            }
            st = o.state();
        }
        try (Optimizer o = resumeOpt(ps, Frugal.blockwise(1.0 / 6, 10, 99), 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> o.load(st));
            assertTrue(e.getMessage().contains("FRUGAL: the split at step 12"), e.getMessage());
        }
    }

    @Test
    void selection() {
        Frugal f = Frugal.blockwise(0.25, 200, 42);
        assertEquals(2, f.stateFullCount(6), "round(1.5) = 2");
        assertEquals(2, f.stateFullCount(10), "round(2.5) = 2: half to even, as Python");
        assertEquals(4, f.stateFullCount(14), "round(3.5) = 4");
        assertArrayEquals(f.select(3, 20), Frugal.blockwise(0.25, 200, 42).select(3, 20), "reproducible from the seed");
        assertNotEquals(Arrays.toString(f.select(3, 20)), Arrays.toString(Frugal.blockwise(0.25, 200, 43).select(3, 20)));
        int n = 12, periods = 6000;
        int[] hits = new int[n];
        Frugal g = Frugal.blockwise(0.25, 1, 1);
        for (int j = 0; j < periods; j++) {
            int[] s = g.select(j, n);
            assertEquals(3, s.length);
            assertEquals(3, Arrays.stream(s).distinct().count());
            for (int i : s) hits[i]++;
        }
        for (int i = 0; i < n; i++) // each block state-full a quarter of the time: 1500 +- 5 sigma (sigma ~ 33.5)
            assertTrue(Math.abs(hits[i] - 1500) < 170, "block " + i + " drawn " + hits[i] + " times in " + periods);
        Frugal asc = new Frugal(0.5, 1, Frugal.Order.ASCENDING, 0, Frugal.StateFree.SIGN_SGD, 1, (a, b) -> true);
        assertArrayEquals(new int[] {0, 1, 2}, asc.select(0, 6));
        assertArrayEquals(new int[] {3, 4, 5}, asc.select(1, 6));
        assertArrayEquals(new int[] {0, 1, 2}, asc.select(2, 6));
        Frugal desc = asc.withOrder(Frugal.Order.DESCENDING);
        assertArrayEquals(new int[] {3, 4, 5}, desc.select(0, 6));
        assertArrayEquals(new int[] {0, 1, 2}, desc.select(1, 6));
    }

    @Test
    void badHyperParametersAreNamed() {
        for (double d : new double[] {0, -0.1, 1.5, Double.NaN}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Frugal.blockwise(d, 200, 0));
            assertEquals("FRUGAL: density must be in (0, 1], got " + d, e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Frugal.blockwise(0.25, 0, 0));
        assertEquals("FRUGAL: period must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Frugal.blockwise(0.25, 10, 0).withStateFree(Frugal.StateFree.SGD, -1));
        assertEquals("FRUGAL: state_free_lr_scale must be finite and >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizer.builder(params(), Optimizers.sgd(1e-2)).frugal(Frugal.blockwise(0.25, 10, 0)).build());
        assertTrue(e.getMessage().contains("keeps no state"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.builder(params(), Optimizers.adamw(1e-2))
                .frugal(Frugal.blockwise(0.25, 10, 0).withBlocks(ParamFilter.names("nothing"))).build());
        assertTrue(e.getMessage().contains("no parameter of the default group is a block"), e.getMessage());
    }

    /** The state-free chain: AdamW's rule replaced by signSGD, weight decay and learning rate kept. */
    @Test
    void stateFreeChainOfAdamW() {
        Transform c = Frugal.blockwise(0.25, 10, 0).withStateFree(Frugal.StateFree.SIGN_SGD, 0.1).stateFreeChain(Optimizers.adamw(1e-3, 0.05));
        assertEquals(List.of("frugal_sign_sgd", "add_decayed_weights", "scale_by_learning_rate"),
                c.flatten().stream().map(Elementwise::name).toList());
        assertEquals(new Transforms.AddDecayedWeights(0.05), c.flatten().get(1));
        assertEquals(new Frugal.StateFreeStep(Frugal.StateFree.SIGN_SGD, 0.1), c.flatten().get(0));
        try (Optimizer o = Optimizer.builder(params(), Optimizers.adamw(1e-3)).frugal(Frugal.blockwise(0.25, 10, 0)).build()) {
            assertEquals(1, o.kernels(Optimizer.FRUGAL_STATE_FREE).size(), "one fused pass");
            assertEquals(1, o.kernels(Optimizer.FRUGAL_STATE_FREE).get(0).outputs().size(), "writes the parameter only");
        }
    }
}
