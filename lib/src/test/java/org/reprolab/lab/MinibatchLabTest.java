package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/** Lab.optimize on a finite sum: minibatches drawn without replacement, sweep("batch"), the full loss recorded, the final parameters kept. */
class MinibatchLabTest {
    static final double[] C = {3, -1, 0.5, 2, -4, 1.5, 0, 7};
    static final int N = C.length;

    /** ℓ_i(w) = ½(w − c_i)², the mean over the given rows. */
    static Tensor meanLoss(Map<String, Tensor> p, int[] rows) {
        double[] c = Arrays.stream(rows).mapToDouble(i -> C[i]).toArray();
        return p.get("w").sub(Tensor.of(c)).square().mean().mul(0.5);
    }

    static double fullLoss(double w) {
        return Arrays.stream(C).map(c -> 0.5 * (w - c) * (w - c)).average().orElseThrow();
    }

    /** SGD on the mean of ½(w − c_i)²: w ← w − lr (w − mean of the batch's c), replayed from the rows the loss was given. */
    @Test
    void stepsOnTheDrawnBatchAndRecordsTheFullLoss() {
        List<int[]> seen = new ArrayList<>();
        double lr = 0.3;
        Runs runs = Lab.optimize("means", seed -> Map.of("w", Tensor.of(10.0)), N, (p, rows) -> {
                    seen.add(rows.clone());
                    return meanLoss(p, rows);
                })
                .compare(sgd(lr)).as("SGD").sweep("batch", 1, 3, N).steps(40).progress(Progress.none())
                .track("w", s -> s.point()[0])
                .run();
        assertEquals(List.of("SGD batch=1", "SGD batch=3", "SGD batch=8"), runs.runs().stream().map(r -> Format.label(r.method(), r.point())).toList());
        int[] batches = {1, 3, N};
        for (int r = 0; r < batches.length; r++) {
            int batch = batches[r];
            Run run = runs.runs().get(r);
            double[] w = run.history("w"), loss = run.history("loss");
            double x = 10;
            int[] draws = new int[N];
            for (int t = 0; t <= 40; t++) {
                assertEquals(x, w[t], 1e-12, "batch " + batch + " step " + t);
                assertEquals(fullLoss(x), loss[t], 1e-12, "the recorded loss is the full objective");
                int[] rows = stepRows(seen, batch == N);
                assertEquals(batch, rows.length);
                assertEquals(batch, Arrays.stream(rows).distinct().count(), "without replacement");
                if (t == 40) break;
                for (int i : rows) draws[i]++;
                double mean = Arrays.stream(rows).mapToDouble(i -> C[i]).average().orElseThrow();
                x -= lr * (x - mean);
            }
            if (batch == N) assertArrayEquals(new int[] {40, 40, 40, 40, 40, 40, 40, 40}, draws);
            else for (int d : draws) assertTrue(d > 0, "every example is drawn at batch " + batch + ": " + Arrays.toString(draws));
            Map<String, double[]> last = runs.output("SGD batch=" + batch);
            assertEquals(w[40], last.get("w")[0], 0.0, "output(label) is the final parameters");
        }
        assertTrue(seen.isEmpty());
    }

    /** Consumes one step's rows from the log: the step loss, then (below full batch) the recorded full-loss call. */
    private static int[] stepRows(List<int[]> seen, boolean full) {
        int[] rows = seen.removeFirst();
        if (!full) {
            int[] all = seen.removeFirst();
            assertEquals(N, all.length, "the full loss is evaluated beside the step's batch");
        }
        return rows;
    }

    @Test
    void theSameSeedDrawsTheSameBatchesAndOthersDiffer() {
        int[] a = LossExperiment.rows(40, 5, 7, 3), b = LossExperiment.rows(40, 5, 7, 3), c = LossExperiment.rows(40, 5, 7, 4);
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, c));
        assertArrayEquals(new int[] {0, 1, 2}, LossExperiment.rows(3, 3, 7, 3));
    }

    @Test
    void badBatchesAreNamed() {
        var e = Lab.optimize("means", seed -> Map.of("w", Tensor.of(1.0)), N, MinibatchLabTest::meanLoss);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> e.batch(9)).getMessage().contains("between 1 and the 8 examples"));
        var plain = Lab.optimize("bowl", seed -> Map.of("w", Tensor.of(1.0)), (p, t) -> p.get("w").square().sum());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.batch(2)).getMessage().contains("minibatch loss"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Lab.optimize("x", seed -> Map.of(), 0, MinibatchLabTest::meanLoss))
                .getMessage().contains("examples"));
    }
}
