package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.mezo;

import org.junit.jupiter.api.Test;
import org.reprolab.data.Datasets;
import org.reprolab.nn.Activation;
import org.reprolab.nn.MLP;

class MezoTrainTest {

    @Test
    void mezoTrainsAClassifierThroughLabTrainWithNoOptimizerState() {
        Runs runs = Lab.train(seed -> new MLP(new int[] {2, 8, 2}, Activation::tanh, seed), Datasets.twoMoons(200, 0.1, 0))
                .compare(mezo(0.05, 1e-3)).as("MeZO").epochs(20).batch(20).progress(Progress.none()).run();
        double[] loss = runs.history("MeZO", "train_loss");
        assertTrue(loss[loss.length - 1] < 0.8 * loss[0], "train loss " + loss[0] + " -> " + loss[loss.length - 1]);
        assertEquals(0, runs.rows().getFirst().scalars().get("state_bytes").mean());
        // a second run with the same seed reproduces the first exactly (the perturbations come from the run's key)
        Runs again = Lab.train(seed -> new MLP(new int[] {2, 8, 2}, Activation::tanh, seed), Datasets.twoMoons(200, 0.1, 0))
                .compare(mezo(0.05, 1e-3)).as("MeZO").epochs(20).batch(20).progress(Progress.none()).run();
        assertEquals(loss[loss.length - 1], again.history("MeZO", "train_loss")[loss.length - 1], 0);
    }

    @Test
    void mezoIsNamedLikeTheOtherFactories() {
        assertEquals("MeZO-SGD(lr=0.05)", OptimizerNames.name(mezo(0.05, 1e-3), java.util.Set.of()));
        assertEquals("MeZO-SGD(lr=0.05, eps=0.01)", OptimizerNames.name(mezo(0.05, 1e-2), java.util.Set.of()));
    }
}
