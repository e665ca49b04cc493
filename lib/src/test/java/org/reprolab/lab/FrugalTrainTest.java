package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adamw;
import static org.reprolab.optim.Optimizers.frugal;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.reprolab.data.Datasets;
import org.reprolab.nn.Activation;
import org.reprolab.nn.MLP;

/** FRUGAL as a chain ({@code Optimizers.frugal(chain, rho, period)}) through {@code Lab.train}: named, swept by rho, its state counted. */
class FrugalTrainTest {

    @Test
    void rhoSweepsTheStateFullShareAndTheTableCountsItsState() {
        // 2 -> 8 -> 8 -> 2: three matrices (16, 64, 16 weights) and three biases (8, 8, 2); f64, AdamW keeps two slots
        Runs runs = Lab.train(seed -> new MLP(new int[] {2, 8, 8, 2}, Activation::tanh, seed), Datasets.twoMoons(200, 0.1, 0))
                .compare(frugal(adamw(1e-2), 1.0, 10)).sweep("rho", 0.34, 1.0).epochs(3).batch(20).progress(Progress.none()).run();
        assertEquals(2, runs.rows().size());
        Row small = runs.rows().get(0), full = runs.rows().get(1);
        assertTrue(small.label().contains("rho=0.34") && full.label().contains("rho=1"), small.label() + ", " + full.label());
        assertEquals(2 * 8 * (16 + 64 + 16 + 18), full.scalars().get("state_bytes").mean());
        double s = small.scalars().get("state_bytes").mean(); // round(3 * 0.34) = 1 matrix state-full, plus the biases
        assertTrue(s == 2 * 8 * (16 + 18) || s == 2 * 8 * (64 + 18), "state bytes " + s);
        double[] loss = runs.history(small.label(), "train_loss");
        assertTrue(loss[loss.length - 1] < loss[0], "FRUGAL trains: " + loss[0] + " -> " + loss[loss.length - 1]);
    }

    @Test
    void frugalIsNamedLikeTheOtherFactories() {
        assertEquals("FRUGAL(lr=0.001)", OptimizerNames.name(frugal(adamw(1e-3), 0.25, 200), Set.of()));
        assertEquals("FRUGAL(lr=0.001, rho=0.5, period=100)", OptimizerNames.name(frugal(adamw(1e-3), 0.5, 100), Set.of()));
    }
}
