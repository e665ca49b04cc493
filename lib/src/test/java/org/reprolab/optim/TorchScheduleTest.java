package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The schedules torch 1.13 has (ExponentialLR, PolynomialLR, CosineAnnealingWarmRestarts, OneCycleLR,
 * ReduceLROnPlateau), value for value against {@code torch_schedule_ref.py}: the rate before every
 * step of a torch SGD with lr 1 equals our multiplier to 1e-13 (torch multiplies its chainable forms
 * step by step, we evaluate closed forms, so the last bits may differ).
 */
class TorchScheduleTest {
    static final double TOL = 1e-13;
    static final double[] METRICS = metrics();

    /** A loss that falls, stalls, falls a little (less than the threshold), stalls, rises. */
    static double[] metrics() {
        double[] m = new double[80];
        for (int i = 0; i < m.length; i++)
            m[i] = i < 20 ? 1.0 / (1 + i) : i < 40 ? 0.05 : i < 55 ? 0.05 * (1 - 1e-6 * (i - 39)) : 0.05 + 0.001 * (i - 55);
        return m;
    }

    record Case(String id, String scheduler, String kwargs, int steps, Supplier<Schedule> ours, boolean plateau) {
        Case(String id, String scheduler, String kwargs, int steps, Supplier<Schedule> ours) {
            this(id, scheduler, kwargs, steps, ours, false);
        }

        String json() {
            StringBuilder m = new StringBuilder();
            if (plateau) {
                m.append(", \"metrics\": [");
                for (int i = 0; i < steps; i++) m.append(i == 0 ? "" : ", ").append(METRICS[i]);
                m.append("]");
            }
            return "{\"id\": \"" + id + "\", \"scheduler\": \"" + scheduler + "\", \"kwargs\": " + kwargs + ", \"steps\": " + steps + m + "}";
        }

        /** Our multiplier before steps 0..N-1; a plateau observes the metric after each step. */
        double[] java() {
            Schedule s = ours.get();
            double[] out = new double[steps];
            for (int i = 0; i < steps; i++) {
                out[i] = s.at(i);
                if (s instanceof Plateau p) p.observe(METRICS[i], i + 1);
            }
            return out;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("exponential", "ExponentialLR", "{\"gamma\": 0.95}", 100, () -> Schedule.exponential(0.95)),
            new Case("polynomial", "PolynomialLR", "{\"total_iters\": 60, \"power\": 1.0}", 100, () -> Schedule.polynomial(60, 1)),
            new Case("polynomial_sq", "PolynomialLR", "{\"total_iters\": 70, \"power\": 2.0}", 100, () -> Schedule.polynomial(70, 2)),
            new Case("polynomial_half", "PolynomialLR", "{\"total_iters\": 50, \"power\": 0.5}", 100, () -> Schedule.polynomial(50, 0.5)),
            new Case("sgdr", "CosineAnnealingWarmRestarts", "{\"T_0\": 10}", 100, () -> Schedule.sgdr(10, 1)),
            new Case("sgdr_mult_min", "CosineAnnealingWarmRestarts", "{\"T_0\": 7, \"T_mult\": 2, \"eta_min\": 0.05}", 120,
                    () -> new Schedule.WarmRestarts(7, 2, 0.05)),
            new Case("one_cycle", "OneCycleLR", "{\"max_lr\": 1.0, \"total_steps\": 100, \"cycle_momentum\": false}", 100,
                    () -> Schedule.oneCycle(100)),
            new Case("one_cycle_linear_3", "OneCycleLR", "{\"max_lr\": 1.0, \"total_steps\": 90, \"pct_start\": 0.25, \"anneal_strategy\": "
                    + "\"linear\", \"div_factor\": 10.0, \"final_div_factor\": 100.0, \"three_phase\": true, \"cycle_momentum\": false}", 90,
                    () -> new Schedule.OneCycle(90, 0.25, 10, 100, false, true)),
            new Case("plateau", "ReduceLROnPlateau", "{\"factor\": 0.5, \"patience\": 3}", 80, () -> Schedule.reduceOnPlateau(0.5, 3), true),
            new Case("plateau_all", "ReduceLROnPlateau", "{\"mode\": \"max\", \"factor\": 0.3, \"patience\": 2, \"threshold\": 0.01, "
                    + "\"threshold_mode\": \"abs\", \"cooldown\": 4, \"min_lr\": 0.01}", 80,
                    () -> new Plateau(true, 0.3, 2, 0.01, false, 4, 0.01, 1e-8), true));

    static Map<String, double[]> torch;

    @BeforeAll
    static void runTorch() {
        torch = TorchRef.run("torch_schedule_ref.py", CASES.stream().map(Case::json).toList());
    }

    @TestFactory
    Stream<DynamicTest> ratesMatchTorch() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            double[] ref = torch.get(c.id()), ours = c.java();
            assertTrue(ref != null, "torch gave no rates for " + c.id());
            double d = TorchRef.maxRelDiff(ours, ref);
            assertTrue(d <= TOL, c.id() + ": max difference to torch " + d + "\n ours  " + java.util.Arrays.toString(ours)
                    + "\n torch " + java.util.Arrays.toString(ref));
        }));
    }

    /** The cases are not trivial: the plateau cases reduce more than once, SGDR restarts, one-cycle peaks at 1. */
    @Test
    void casesExerciseTheirMechanisms() {
        double[] p = torch.get("plateau");
        long distinct = java.util.Arrays.stream(p).distinct().count();
        assertTrue(distinct >= 3, "plateau: several reductions expected, rates " + java.util.Arrays.toString(p));
        assertTrue(java.util.Arrays.stream(torch.get("plateau_all")).distinct().count() >= 3);
        assertEquals(1.0, torch.get("sgdr")[10], 0, "SGDR restarts at step 10");
        assertEquals(1.0, java.util.Arrays.stream(torch.get("one_cycle")).max().orElseThrow(), 1e-12);
    }

    @Test
    void plateauStateResumes() {
        Plateau a = Schedule.reduceOnPlateau(0.5, 3), b = Schedule.reduceOnPlateau(0.5, 3);
        for (int i = 0; i < 40; i++) a.observe(METRICS[i], i + 1);
        for (int i = 0; i < 25; i++) b.observe(METRICS[i], i + 1);
        Plateau c = Schedule.reduceOnPlateau(0.5, 3);
        c.load(b.state());
        for (int i = 25; i < 40; i++) c.observe(METRICS[i], i + 1);
        assertEquals(a.state(), c.state());
        for (int i = 0; i <= 41; i++) assertEquals(a.at(i), c.at(i), 0);
    }

    @Test
    void badSchedulesAreRefusedNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> Schedule.exponential(0));
        assertEquals("exponential schedule: gamma must be finite and > 0, got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedule.sgdr(0, 1));
        assertEquals("SGDR schedule: t0 must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedule.polynomial(10, -1));
        assertTrue(e.getMessage().contains("power must be finite and > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Schedule.OneCycle(10, 0.1, 25, 1e4, true, false));
        assertTrue(e.getMessage().contains("leaves a phase without steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedule.reduceOnPlateau(1.5, 3));
        assertEquals("reduce-on-plateau schedule: factor must be in (0, 1), got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedule.reduceOnPlateau(0.5, 3).observe(Double.NaN, 0));
        assertTrue(e.getMessage().contains("metric is NaN"), e.getMessage());
    }

    /** A plateau schedule drives an optimizer: its rate falls at the step the reduction was observed at. */
    @Test
    void plateauDrivesTheOptimizersRate() {
        Plateau p = Schedule.reduceOnPlateau(0.1, 0);
        var x = org.reprolab.tensor.Tensor.of(1.0);
        try (Optimizer o = Optimizer.builder(Map.of("x", x), Optimizers.sgd(0.5)).schedule(p).build()) {
            x.setGrad(org.reprolab.tensor.Tensor.of(1.0));
            o.step();
            p.observe(1.0, o.count());
            p.observe(2.0, o.count());
            assertEquals(0.05, o.lr(), 1e-17);
            o.step();
            assertEquals(1 - 0.5 - 0.05, x.toDoubleArray()[0], 1e-15);
        }
    }
}
