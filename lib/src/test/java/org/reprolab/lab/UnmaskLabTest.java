package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.diffusion.MarkovSequence;
import org.reprolab.diffusion.MaskedDiffusion;
import org.reprolab.diffusion.MaskedSampler;
import org.reprolab.diffusion.MaskedSamples;
import org.reprolab.diffusion.SamplingPrecision;

class UnmaskLabTest {
    private final MarkovSequence chain = MarkovSequence.sticky(2, 4, 0.9);

    @Test
    void runsMeasureTheSamplesTheSamplerDraws() {
        Runs runs = Lab.unmask(chain).samples(500).exact().progress(Progress.none())
                .compare(new MaskedSampler.FirstHitting(), new MaskedSampler.TimeStepped(8)).run();
        assertEquals(List.of("first-hitting", "time-stepped N=8", "exact samples"), runs.rows().stream().map(Row::label).toList());
        MaskedSamples fhs = runs.output("first-hitting");
        assertEquals(chain.totalVariation(fhs.tokens()), runs.history("first-hitting", "tv")[0]);
        assertEquals(chain.klDivergence(fhs.tokens()), runs.history("first-hitting", "kl")[0]);
        // the same samples as the library call with the run's seed: the runs are the library's numbers
        MaskedSamples direct = MaskedDiffusion.of(chain).sample(new MaskedSampler.FirstHitting(), 500, TrainExperiment.seedOf(org.reprolab.random.RngKey.of(0).split(1).get(0)));
        assertArrayEquals(direct.tokens(), fhs.tokens());
        Row ts = runs.rows().get(1);
        assertEquals(chain.totalVariation(MaskedDiffusion.of(chain).law(new MaskedSampler.TimeStepped(8))), ts.scalars().get("exact_tv").mean());
        assertTrue(runs.rows().get(0).scalars().get("exact_tv").mean() < 1e-14);
        assertEquals(4, runs.rows().get(0).scalars().get("nfe").mean());
        assertTrue(ts.scalars().get("draws").mean() > 4);
    }

    @Test
    void stepsSweepSkipsTheFirstHittingSamplerAndPrecisionSweepsBoth() {
        Runs runs = Lab.unmask(MaskedDiffusion.of(chain)).samples(100).progress(Progress.none())
                .compare(new MaskedSampler.TimeStepped(4), new MaskedSampler.FirstHitting())
                .sweep("steps", 2, 8).sweep("precision", SamplingPrecision.HALF, SamplingPrecision.FLOAT64).run();
        assertEquals(8, runs.rows().size(), "no target: no exact-samples row");
        assertEquals(List.of("token_entropy"), runs.metrics().stream().map(Metric::name).toList());
        assertTrue(runs.rows().stream().anyMatch(r -> r.label().equals("time-stepped steps=2, precision=half")), runs.rows().toString());
        var e = assertThrows(IllegalStateException.class, () -> Lab.unmask(MaskedDiffusion.of(chain)).exact().progress(Progress.none())
                .compare(new MaskedSampler.FirstHitting()).run());
        assertTrue(e.getMessage().contains("against"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lab.unmask(chain).against(MarkovSequence.sticky(3, 4, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> Lab.unmask(chain).samples(0));
    }
}
