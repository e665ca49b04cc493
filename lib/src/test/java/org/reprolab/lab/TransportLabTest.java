package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.GaussianMixture;
import org.reprolab.diffusion.StochasticInterpolant;
import org.reprolab.diffusion.InterpolantSampler;
import org.reprolab.diffusion.Metrics;
import org.reprolab.diffusion.MixtureInterpolant;
import org.reprolab.random.RngKey;

/** Lab.transport against direct calls of the interpolant sampler and metrics (bit for bit). */
class TransportLabTest {
    static final MixtureInterpolant SI = MixtureInterpolant.independent(StochasticInterpolant.linear(2), GaussianMixture.twoClusters(), GaussianMixture.ring(4, 1, 0.1));

    @Test
    void metricsEqualTheDirectPathAndMetricsBitForBit() {
        var runs = Lab.transport(SI).samples(300).steps(40).checkpoints(2)
                .compare(InterpolantSampler.ode()).compare(new InterpolantSampler(1)).sweep("reverse", false, true)
                .seed(7).progress(Progress.none()).run();
        assertEquals(List.of("ODE", "SDE eps=1", TransportExperiment.FLOOR), runs.methods());
        var key = RngKey.of(7).split(1).getFirst();
        var sde = new InterpolantSampler(1, true);
        Batch[] path = sde.path(SI, SI.sample(1, 300, RngKey.of(1)), new double[] {1, 0.5, 0}, 40, key);
        Batch exactHalf = SI.sample(0.5, 300, RngKey.of(2)), exact0 = SI.sample(0, 300, RngKey.of(2));
        Row row = runs.rows().stream().filter(r -> r.label().equals("SDE eps=1 reverse=true")).findFirst().orElseThrow();
        double[] sw2 = runs.history("SDE eps=1 reverse=true", "sw2"), t = runs.history("SDE eps=1 reverse=true", "t");
        assertArrayEquals(new double[] {1, 0.5, 0}, t);
        assertEquals(Metrics.slicedWasserstein2(path[1], exactHalf), sw2[1], 0.0);
        assertEquals(Metrics.energyDistance(path[2], exact0), row.last("energy").mean(), 0.0);
        assertEquals(40.0, row.scalars().get("nfe").mean());
        assertEquals(160.0, runs.rows().getFirst().scalars().get("nfe").mean());
        assertArrayEquals(path[2].data(), runs.<Batch[]>output("SDE eps=1 reverse=true")[2].data());
        // the floor row: two independent exact sample sets at the forward times
        assertEquals(Metrics.slicedWasserstein2(SI.sample(1, 300, RngKey.of(3)), SI.sample(1, 300, RngKey.of(2))),
                runs.rows().getLast().last("sw2").mean(), 0.0);
    }

    @Test
    void sweepsEpsilonAndRejectsBadSettings() {
        var runs = Lab.transport(SI).samples(400).steps(100).checkpoints(1).compare(InterpolantSampler.ode()).sweep("epsilon", 0.0, 2.0)
                .progress(Progress.none()).run();
        assertEquals(List.of("interpolant epsilon=0", "interpolant epsilon=2", TransportExperiment.FLOOR),
                runs.rows().stream().map(Row::label).toList());
        double floor = runs.rows().get(2).last("sw2").mean(), sde = runs.rows().get(1).last("sw2").mean();
        assertTrue(sde < 2 * floor, "the SDE lands on the target: sw2 " + sde + ", two exact sample sets " + floor);
        assertThrows(IllegalStateException.class, () -> Lab.transport(SI).steps(10).checkpoints(4).compare(InterpolantSampler.ode())
                .progress(Progress.none()).run(), "a checkpoint between steps");
        assertThrows(IllegalArgumentException.class, () -> Lab.transport(SI).samples(0));
        assertThrows(IllegalArgumentException.class, () -> Lab.transport(SI).checkpoints(0));
        assertThrows(IllegalArgumentException.class, () -> Lab.transport(SI).compare(InterpolantSampler.ode()).sweep("epsilon", -1.0)
                .progress(Progress.none()).run());
    }
}
