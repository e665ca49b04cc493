package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.reprolab.nn.RangeRule;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Tensor;

/** Calibration sets and the quantised sampler (PTQ4DM). */
class PostTrainingQuantizationTest {
    private final NoiseSchedule vp = NoiseSchedule.vpLinear();
    private final ScoreNetwork net = new ScoreNetwork(2, new int[] {16, 16}, 8, 3);
    private final DiffusionModel model = net.model(vp, Prediction.NOISE);
    private final Batch data = Batch.of(new double[][] {{1, 2}, {1, 2}, {1, 2}});

    private static double[] column(Tensor rows, int j) {
        double[] v = rows.toDoubleArray();
        int w = rows.size(1);
        double[] out = new double[rows.size(0)];
        for (int i = 0; i < out.length; i++) out[i] = v[i * w + j];
        return out;
    }

    @Test
    void trajectoryAtTheNoiseEndIsTheStartingNoise() {
        // std 0, mean 1: every input is the first evaluation, at tStart, of the sampler's own noise
        var c = new Calibration.Trajectory(1, 0, new Sampler.DpmSolverPP(2), 5);
        Tensor in = c.inputs(model, data, 40, RngKey.of(9));
        Batch noise = Batch.normal(40, 2, RngKey.of(9).foldIn(0));
        assertArrayEquals(noise.data(), Tensor.concat(1, in.narrow(1, 0, 1), in.narrow(1, 1, 1)).toDoubleArray());
        for (double t : column(in, 2)) assertEquals(vp.tStart(), t);
        // mean 0: the evaluation nearest the data end, the same time for all
        double[] late = column(new Calibration.Trajectory(0, 0, new Sampler.DpmSolverPP(2), 5).inputs(model, data, 10, RngKey.of(9)), 2);
        for (double t : late) assertEquals(late[0], t);
        assertTrue(late[0] < 0.3 && late[0] >= vp.tEnd(), "last evaluation at " + late[0]);
    }

    @Test
    void forwardNoisedInputsFollowTheForwardProcess() {
        int n = 4000;
        Tensor at = Calibration.atTime(0.5).inputs(model, data, n, RngKey.of(1));
        double a = vp.alpha(0.5), s = vp.sigma(0.5);
        for (int j = 0; j < 2; j++) {
            double[] v = column(at, j);
            double mean = java.util.Arrays.stream(v).average().orElseThrow();
            double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (n - 1);
            assertEquals(a * (j + 1), mean, 4 * s / Math.sqrt(n));        // x_t = α x0 + σ ε with x0 = (1, 2)
            assertEquals(s * s, var, 0.1 * s * s);
        }
        double[] t = column(Calibration.forwardNoised().inputs(model, data, n, RngKey.of(2)), 2);
        double mean = java.util.Arrays.stream(t).average().orElseThrow();
        for (double ti : t) assertTrue(ti >= vp.tEnd() && ti <= vp.tStart());
        assertEquals((vp.tEnd() + vp.tStart()) / 2, mean, 0.03);
        assertThrows(IllegalArgumentException.class, () -> Calibration.atTime(2).inputs(model, data, 5, RngKey.of(0)));
        assertThrows(IllegalArgumentException.class, () -> Calibration.forwardNoised().inputs(model, data, 0, RngKey.of(0)));
    }

    private static double relativeError(DiffusionModel q, DiffusionModel fp, Batch x, double t) {
        double[] a = new double[x.data().length], b = new double[a.length];
        q.eval(x, t, a);
        fp.eval(x, t, b);
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void sixteenBitsPredictLikeFullPrecisionAndThreeBitsDoNot() {
        // calibrated on data noised to t = 0.5 and evaluated on other draws of the same: rounding, hardly any clipping
        Batch x = Batch.of(Calibration.atTime(0.5).inputs(model, data, 64, RngKey.of(5)).narrow(1, 0, 2).contiguous());
        var q16 = PostTrainingQuantization.of(Calibration.atTime(0.5), 16).range(RangeRule.minMax()).apply(net, model, data, 512, RngKey.of(0));
        var q3 = new PostTrainingQuantization(Calibration.atTime(0.5), 3, 3, RangeRule.minMax()).apply(net, model, data, 512, RngKey.of(0));
        double e16 = relativeError(q16, model, x, 0.5), e3 = relativeError(q3, model, x, 0.5);
        // the first and last layers stay at 8 bits (END_BITS), so 16 bits elsewhere leave an 8-bit-sized error
        var all8 = PostTrainingQuantization.of(Calibration.atTime(0.5), 8).range(RangeRule.minMax()).apply(net, model, data, 512, RngKey.of(0));
        double e8 = relativeError(all8, model, x, 0.5);
        assertTrue(e16 < 0.05 && e16 <= e8, "16-bit relative error " + e16 + ", 8-bit " + e8);
        assertTrue(e3 > 5 * e8, "3-bit relative error " + e3 + ", 8-bit " + e8);
        // a quantised model samples, and the network itself stays at full precision
        Batch z = Batch.normal(32, 2, 4);
        Batch fp = Diffusion.sample(new Sampler.DpmSolverPP(2), model, z, 6).x();
        Diffusion.sample(new Sampler.DpmSolverPP(2), q3, z, 6);
        assertArrayEquals(fp.data(), Diffusion.sample(new Sampler.DpmSolverPP(2), model, z, 6).x().data());
    }

    @Test
    void labelsNameBitsCalibrationAndNonDefaultRange() {
        assertEquals("W8A8 NDTC(0.4, 0.4)", PostTrainingQuantization.of(Calibration.ndtc(), 8).label());
        assertEquals("W4A8 forward-noised min-max", new PostTrainingQuantization(Calibration.forwardNoised(), 4, 8, RangeRule.minMax()).label());
        assertEquals("t=1 p99.9", PostTrainingQuantization.of(Calibration.atTime(1), 8).range(RangeRule.percentile(0.999)).label(Set.of("weightBits", "activationBits")));
        assertThrows(IllegalArgumentException.class, () -> PostTrainingQuantization.of(Calibration.ndtc(), 1));
    }
}
