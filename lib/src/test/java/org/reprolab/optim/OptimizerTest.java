package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.tensor.NonFiniteException;
import org.reprolab.tensor.Tensor;

/** Resume, memory, groups, fusion, errors and an end-to-end MLP. */
class OptimizerTest {

    static Optimizer.Builder linregBuilder(Map<String, Tensor> params, Chain chain) {
        return Optimizer.builder(params, chain)
                .group("no_decay", ParamFilter.noDecay(), Map.of("weight_decay", 0.0))
                .schedule(Schedule.warmupCosine(5, 40, 0.1, 0.01))
                .clipGradNorm(0.5);
    }

    static double[] flat(Map<String, Tensor> ps) {
        return ps.values().stream().flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray())).toArray();
    }

    /** Runs 40 steps straight, and 17 + save/restore (through bytes) into fresh objects + 23: identical bits. */
    void resumesBitExactly(Chain chain, int accumulate) throws Exception {
        ReferenceProblems prob = ReferenceProblems.linreg();
        Map<String, Tensor> a = prob.freshParams();
        try (Optimizer oa = linregBuilder(a, chain).accumulate(accumulate).build()) {
            for (int i = 0; i < 40; i++) {
                prob.setGrads(a);
                oa.step();
            }
        }
        Map<String, Tensor> b = prob.freshParams();
        byte[] saved;
        double[] paramsAt17;
        try (Optimizer ob = linregBuilder(b, chain).accumulate(accumulate).build()) {
            for (int i = 0; i < 17; i++) {
                prob.setGrads(b);
                ob.step();
            }
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ob.state().write(bos);
            saved = bos.toByteArray();
            paramsAt17 = flat(b);
        }
        Map<String, Tensor> c = prob.freshParams();
        int k = 0;
        for (Tensor t : c.values()) {
            double[] v = new double[t.numel()];
            System.arraycopy(paramsAt17, k, v, 0, v.length);
            k += v.length;
            t.assign(Tensor.of(v, t.shape()));
        }
        try (Optimizer oc = linregBuilder(c, chain).accumulate(accumulate).build()) {
            oc.load(OptimizerState.read(new ByteArrayInputStream(saved)));
            assertEquals(accumulate == 1 ? 17 : 17 / accumulate, oc.count());
            for (int i = 17; i < 40; i++) {
                prob.setGrads(c);
                oc.step();
            }
        }
        assertArrayEquals(flat(a), flat(c), 0.0, "resumed trajectory differs from the uninterrupted one");
    }

    @Test
    void resumeIsBitExactForSeveralChains() throws Exception {
        resumesBitExactly(Optimizers.adamw(1e-2, 0.1), 1);
        resumesBitExactly(Optimizers.nadam(1e-2).with("weight_decay", 0.1), 1);
        resumesBitExactly(Optimizers.lamb(1e-2).with("weight_decay", 0.1), 1);
        resumesBitExactly(Optimizers.sgdSai(1e-2), 1);
        resumesBitExactly(Optimizers.adan(1e-2).with("weight_decay", 0.1), 3); // saved mid-accumulation
    }

    /** The later rules: host slots (Stable-SPAM's running norms, M-FAC's G G^T and ring index), row-wise stages. */
    @Test
    void resumeIsBitExactForTheLaterRules() throws Exception {
        resumesBitExactly(Optimizers.stableSpam(1e-2).with("update_proj_gap", 10).with("total_T", 50).with("weight_decay", 0.1), 1);
        resumesBitExactly(Optimizers.adamP(1e-2).with("weight_decay", 0.1).with("nesterov", true), 1);
        resumesBitExactly(Optimizers.sgdP(1e-2, 0.9).with("weight_decay", 0.1), 2);
        resumesBitExactly(Optimizers.mfac(1e-2).with("ngrads", 4).with("damp", 0.1).with("momentum", 0.5), 1);
        resumesBitExactly(Optimizers.exAdam(1e-2).with("weight_decay", 0.1), 1);
        resumesBitExactly(Optimizers.lionKappa(1e-3, ScaleByLion.Kappa.HUBER).with("weight_decay", 0.1), 1);
    }

    @Test
    void stateBytesLionAndSgdSaiHalfOfAdamW() {
        Map<String, Tensor> ps = Map.of("w", Tensor.zeros(1000));
        try (Optimizer adamw = Optimizer.of(ps, Optimizers.adamw(1e-3));
             Optimizer lion = Optimizer.of(ps, Optimizers.lion(1e-4));
             Optimizer sai = Optimizer.of(ps, Optimizers.sgdSai(1e-2));
             Optimizer sgd = Optimizer.of(ps, Optimizers.sgd(1e-2))) {
            assertEquals(16_000, adamw.stateBytes());
            assertEquals(8_000, lion.stateBytes());
            assertEquals(8_000, sai.stateBytes());
            assertEquals(0, sgd.stateBytes());
        }
    }

    /** On an nn.MLP (64-128-10): Lion and SGD-SaI keep one buffer per parameter, AdamW two; the others as their rules say. */
    @Test
    void stateBytesOfAnMlp() {
        MLP model = new MLP(new int[] {64, 128, 10}, Activation::relu, 0);
        Map<String, Tensor> ps = model.parameters();
        long n = model.parameterCount();
        long per = n * (ps.values().iterator().next().dtype() == org.reprolab.tensor.DType.F32 ? 4 : 8);
        Map<String, Long> slots = new java.util.LinkedHashMap<>();
        Map<String, Chain> chains = new java.util.LinkedHashMap<>();
        chains.put("adamw", Optimizers.adamw(1e-3));
        chains.put("lion", Optimizers.lion(1e-4));
        chains.put("sgd_sai", Optimizers.sgdSai(1e-2));
        chains.put("adan", Optimizers.adan(1e-3));
        chains.put("sophia_g", Optimizers.sophiaG(1e-4, 1));
        chains.put("adahessian", Optimizers.adaHessian(0.15));
        chains.put("stable_spam", Optimizers.stableSpam(1e-3));
        chains.put("exadam", Optimizers.exAdam(1e-3));
        for (var e : chains.entrySet())
            try (Optimizer o = Optimizer.of(ps, e.getValue())) {
                assertEquals(0, o.stateBytes() % per, e.getKey());
                slots.put(e.getKey(), o.stateBytes() / per);
            }
        assertEquals(Map.of("adamw", 2L, "lion", 1L, "sgd_sai", 1L, "adan", 4L, "sophia_g", 2L, "adahessian", 2L,
                "stable_spam", 2L, "exadam", 2L), slots);
        assertEquals(8L * 64 * 128 + 8L * 128 + 8L * 128 * 10 + 8L * 10, per, "f64 MLP parameters");
    }

    @Test
    void eachElementwiseChainIsOneFusedKernelSharedAcrossGroups() {
        ReferenceProblems prob = ReferenceProblems.linreg();
        try (Optimizer o = linregBuilder(prob.freshParams(), Optimizers.adamw(1e-2, 0.1)).build()) {
            assertEquals(List.of("weight"), o.groupParams("default"));
            assertEquals(List.of("bias"), o.groupParams("no_decay"));
            assertEquals(1, o.kernels("default").size());
            assertEquals(o.kernels("default"), o.kernels("no_decay"), "groups differing in values share one kernel");
            assertEquals(3, o.kernels("default").get(0).outputs().size(), "p, exp_avg, exp_avg_sq written in one pass");
        }
        try (Optimizer o = Optimizer.of(prob.freshParams(), Optimizers.lamb(1e-2))) {
            assertEquals(2, o.kernels("default").size(), "LAMB: a pass, the trust-ratio reduction, a pass");
        }
    }

    @Test
    void invalidHyperParametersNameTheParameterAndValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adam(1e-3).with("beta1", 1.2));
        assertEquals("Adam: beta1 must be in [0, 1), got 1.2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adamw(-1));
        assertTrue(e.getMessage().contains("lr must be finite and >= 0, got -1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.adamw(1e-3).with("wieght_decay", 0.1));
        assertTrue(e.getMessage().contains("no hyper-parameter 'wieght_decay'") && e.getMessage().contains("weightDecay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(1e-3).with("nesterov", true));
        assertTrue(e.getMessage().contains("Nesterov momentum requires momentum > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.sgd(1e-3).with("momentum", "high"));
        assertTrue(e.getMessage().contains("momentum must be a double"), e.getMessage());
    }

    @Test
    void nanGradientIsTrappedNamingTheParameterAndNothingChanges() {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("a", Tensor.of(1.0, 2.0));
        ps.put("b", Tensor.of(3.0, 4.0));
        try (Optimizer o = Optimizer.builder(ps, Optimizers.adam(0.1)).checkFinite(true).build()) {
            ps.get("a").setGrad(Tensor.of(1.0, 1.0));
            ps.get("b").setGrad(Tensor.of(Double.NaN, 1.0));
            var e = assertThrows(NonFiniteException.class, o::step);
            assertTrue(e.getMessage().contains("'b'"), e.getMessage());
            assertArrayEquals(new double[] {1, 2}, ps.get("a").toDoubleArray());
            assertEquals(0, o.count());
        }
    }

    @Test
    void nonFiniteGradientsAreRefusedByDefaultNamingParameterAndStep() {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("w", Tensor.of(1.0, 2.0));
        ps.put("bias", Tensor.of(3.0, 4.0));
        try (Optimizer o = Optimizer.of(ps, Optimizers.sgd(0.5))) {
            for (int i = 0; i < 2; i++) {
                ps.get("w").setGrad(Tensor.of(1.0, 1.0));
                ps.get("bias").setGrad(Tensor.of(2.0, -2.0));
                o.step();
            }
            assertArrayEquals(new double[] {0, 1}, ps.get("w").toDoubleArray());
            assertArrayEquals(new double[] {1, 6}, ps.get("bias").toDoubleArray());
            ps.get("bias").setGrad(Tensor.of(1.0, Double.POSITIVE_INFINITY));
            var e = assertThrows(NonFiniteException.class, o::step);
            assertTrue(e.getMessage().contains("'bias'") && e.getMessage().contains("Infinity") && e.getMessage().contains("at step 2"),
                    e.getMessage());
            assertArrayEquals(new double[] {0, 1}, ps.get("w").toDoubleArray()); // nothing moved
            assertArrayEquals(new double[] {1, 6}, ps.get("bias").toDoubleArray());
            assertEquals(2, o.count());
            ps.get("bias").setGrad(Tensor.of(2.0, 2.0)); // a finite gradient steps again
            o.step();
            assertArrayEquals(new double[] {0, 5}, ps.get("bias").toDoubleArray());
        }
    }

    @Test
    void checkFiniteFalseStepsWithNaNAsPyTorchDoes() {
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("w", Tensor.of(1.0, 2.0));
        try (Optimizer o = Optimizer.builder(ps, Optimizers.sgd(0.5)).checkFinite(false).build()) {
            ps.get("w").setGrad(Tensor.of(Double.NaN, 2.0));
            o.step();
            double[] w = ps.get("w").toDoubleArray();
            assertTrue(Double.isNaN(w[0]), "NaN reaches the weight: " + w[0]);
            assertEquals(1.0, w[1]); // 2 - 0.5 * 2
            assertEquals(1, o.count());
        }
    }

    @Test
    void interruptedStepStopsBeforeChangingAnything() {
        Map<String, Tensor> ps = Map.of("a", Tensor.of(1.0, 2.0));
        try (Optimizer o = Optimizer.of(ps, Optimizers.sgd(0.1))) {
            ps.get("a").setGrad(Tensor.of(1.0, 1.0));
            Thread.currentThread().interrupt();
            try {
                assertThrows(CancellationException.class, o::step);
            } finally {
                Thread.interrupted();
            }
            assertArrayEquals(new double[] {1, 2}, ps.get("a").toDoubleArray());
            o.step();
            assertArrayEquals(new double[] {0.9, 1.9}, ps.get("a").toDoubleArray(), 1e-15);
        }
    }

    @Test
    void accumulationAppliesTheMeanGradientEveryKCalls() {
        Map<String, Tensor> ps = Map.of("a", Tensor.of(1.0));
        try (Optimizer o = Optimizer.builder(ps, Optimizers.sgd(0.5)).accumulate(2).build()) {
            ps.get("a").setGrad(Tensor.of(1.0));
            o.step();
            assertArrayEquals(new double[] {1}, ps.get("a").toDoubleArray());
            ps.get("a").setGrad(Tensor.of(3.0));
            o.step();
            assertArrayEquals(new double[] {0}, ps.get("a").toDoubleArray(), 1e-15); // 1 - 0.5 * (1+3)/2
            assertEquals(1, o.count());
        }
    }

    @Test
    void missingAuxInputIsReportedClearly() {
        Map<String, Tensor> ps = Map.of("x", Tensor.of(1.0, 2.0));
        try (Optimizer o = Optimizer.of(ps, Optimizers.sophiaH(1e-2))) {
            assertTrue(o.needsAux("hessian"));
            ps.get("x").setGrad(Tensor.of(1.0, 1.0));
            var e = assertThrows(IllegalArgumentException.class, o::step);
            assertTrue(e.getMessage().contains("aux input 'hessian' for parameter 'x'"), e.getMessage());
        }
    }

    @Test
    void schedules() {
        assertEquals(1, Schedule.cosine(100).at(0), 0);
        assertEquals(0.5, Schedule.cosine(100).at(50), 1e-15);
        assertEquals(0, Schedule.cosine(100).at(100), 1e-15);
        Schedule wc = Schedule.warmupCosine(10, 110, 0.0, 0.1);
        assertEquals(0, wc.at(0), 0);
        assertEquals(0.5, wc.at(5), 1e-15);
        assertEquals(1, wc.at(10), 1e-15);
        assertEquals(0.55, wc.at(60), 1e-15);
        assertEquals(0.1, wc.at(500), 1e-15);
        Schedule wsd = Schedule.wsd(10, 100, 20);
        assertEquals(1, wsd.at(50), 0);
        assertEquals(0.5, wsd.at(90), 1e-15);
    }

    /**
     * Refinement (Defazio et al. 2023) against the official code: a peer written from facebookresearch/adaptive_scheduling
     * ({@code find_closed_form_schedule} with {@code weights=G**-2} and {@code G**-1}, the README's reflect-padded scipy
     * {@code median_filter}, sigma2 = 0.2 so width 7 on 30 norms), run with numpy 1.x / scipy 1.10; values pasted here.
     */
    @Test
    void refinementMatchesTheOfficialCodeForSgdAndTheAdamVariant() {
        double[] norms = {5.0, 5.283062621147578, 5.726834238065184, 4.2857588823428845, 4.927194276231454, 3.6277512056751235, 4.370670566473225, 5.14394393572881, 3.938966902445603, 4.749574136735728, 3.5713479866945046, 4.401123066413015, 5.236631277777469, 4.076247457473882, 4.91880712510299, 3.7634758939981707, 4.609655899987663, 5.45691875467293, 4.304957504353332, 5.153552207091469, 4.002545267602679, 4.851823763931109, 5.701306783959735, 4.550936351623306, 5.400670925255805, 4.250480738952839, 5.100344464511921, 5.950246819608173, 4.80017685397732, 5.650126721412149};
        double[] sgd = {0.91415354529701731, 0.88620346713339448, 0.85825338896977155, 0.85416535516508085, 0.82452630390946735, 1, 0.95212919279410846, 0.90425838558821736, 0.85638757838232571, 0.79801787454508699, 0.75145830105256139, 0.7048987275600358, 0.6583391540675102, 0.6117795805749846, 0.51899076023208468, 0.48030162577099422, 0.44161249130990377, 0.40292335684881331, 0.36423422238772291, 0.29725764957575757, 0.26573352937049777, 0.23420940916523791, 0.20268528895997809, 0.17116116875471832, 0.12907288441503126, 0.103258307532025, 0.077443730649018744, 0.051629153766012501, 0.02581457688300625, 0};
        double[] adam = {1, 0.96747325760637048, 0.93494651521274097, 0.91526647540026851, 0.88177138103366404, 0.95148047089805499, 0.90891235462941389, 0.86634423836077246, 0.82377612209213125, 0.77609512887743415, 0.73411405405398888, 0.69213297923054362, 0.65015190440709847, 0.60817082958365321, 0.54238954946813855, 0.50412086229711317, 0.46585217512608773, 0.42758348795506229, 0.38931480078403691, 0.33533919417801161, 0.3007953596838096, 0.26625152518960765, 0.23170769069540573, 0.19716385620120372, 0.15629733271960461, 0.12503786617568369, 0.093778399631762765, 0.062518933087841844, 0.031259466543920922, 0};
        assertArrayEquals(sgd, Refinement.refine(norms, 0.2), 1e-14);
        assertArrayEquals(adam, Refinement.refineAdam(norms, 0.2), 1e-14);
        assertArrayEquals(adam, Schedule.refinedAdam(norms, 0.2).values(30), 1e-14);
        assertArrayEquals(new double[] {1, 0.75, 0.5, 0.25}, Schedule.linearDecay(4).values(4), 1e-15);
        // constant norms give back linear decay (T-1-t)/(T-1) in both variants
        double[] flat = new double[11];
        java.util.Arrays.fill(flat, 2.5);
        for (double[] w : new double[][] {Refinement.refine(flat, 0.1), Refinement.refineAdam(flat, 0.1)})
            for (int t = 0; t <= 10; t++) assertEquals((10 - t) / 10.0, w[t], 1e-15);
        // falling-then-rising norms give a warm-up at the start and faster annealing than linear near the end
        double[] shaped = new double[100];
        for (int t = 0; t < 100; t++) shaped[t] = 1 + 4 * Math.exp(-t / 5.0) + 0.02 * t;
        double[] r = Refinement.refine(shaped, 0.05);
        assertTrue(r[0] < r[10], "warmup: " + r[0] + " < " + r[10]);
        assertTrue(r[90] < 0.09, "faster annealing than linear decay (9/99) near the end: " + r[90]);
        assertEquals("refine: gradient norm 3 must be finite and > 0, got 0.0",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Refinement.refineAdam(new double[] {1, 2, 3, 0}, 0.1)).getMessage());
    }

    /** The report's usage example: an MLP with AdamW, warmup + cosine, gradient clipping, no decay on biases. */
    @Test
    void trainsAnMlpWithAdamWCosineWarmupAndClipping() {
        MLP model = new MLP(new int[] {2, 16, 2}, Activation::tanh, 7);
        double[][] pts = new double[64][];
        int[] labels = new int[64];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 64; i++) {
            double x = rng.nextDouble(-1, 1), y = rng.nextDouble(-1, 1);
            pts[i] = new double[] {x, y};
            labels[i] = x * y > 0 ? 1 : 0;
        }
        Tensor xs = Tensor.of(pts);
        try (Optimizer opt = Optimizer.builder(model.parameters(), Optimizers.adamw(3e-2, 1e-2))
                .group("no_decay", ParamFilter.noDecay(), Map.of("weight_decay", 0.0))
                .schedule(Schedule.warmupCosine(20, 300, 0.0, 0.0))
                .clipGradNorm(1.0)
                .checkFinite(true)
                .build()) {
            double first = Double.NaN, last = Double.NaN;
            for (int step = 0; step < 300; step++) {
                model.zeroGrad();
                Tensor loss = Losses.crossEntropy(model.forward(xs), labels);
                loss.backward();
                opt.step();
                if (step == 0) first = loss.item();
                last = loss.item();
            }
            assertTrue(last < 0.35 * first, "loss should fall: " + first + " -> " + last);
            assertEquals(List.of("layers.0.bias", "layers.2.bias"), opt.groupParams("no_decay"));
            assertEquals(0, opt.lr(), 1e-18);
        }
    }
}
