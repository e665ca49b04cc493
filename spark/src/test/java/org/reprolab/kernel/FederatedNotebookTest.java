package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The federated notebooks (issue 18, item 5), whose clients run as Spark tasks: each starts
 * {@code Cluster.spark("local[2]")} after {@code %spark} and runs its experiment {@code .on(cluster)}. They run
 * here, through nbclient against the kernel as {@code NotebookTest} runs the others, because {@code %spark}
 * loads this module's build ({@code $REPROLAB_HOME/spark/target}, set by this module's surefire configuration),
 * which does not exist yet when the kernels module's tests run. Same key numbers as with the local pool:
 * a client task's result does not depend on where it runs.
 */
class FederatedNotebookTest {

    /** The notebook's check cell compared a short run on Spark with the local pool's and found them equal bit for bit. */
    private static void assertRanOnSpark(NotebookRun run) {
        assertTrue(run.stdout().contains("Spark on the class path"), "%spark ran:\n" + run.stdout());
        assertTrue(run.stdout().contains("Spark runs equal the local runs bit for bit: true"), run.stdout());
    }

    @Test
    void federatedMomentum() throws Exception {
        NotebookRun run = NotebookRun.execute("federated-momentum");
        assertEquals(List.of(), run.errors(), run.log());
        assertRanOnSpark(run);
        // Dirichlet(0.1): most of a client's data is one class (measured 0.612)
        assertEquals(0.612, run.number("alpha 0.1 mean largest class share"), 0.005);
        // 30 rounds, 3 seeds (measured): FedAvg 0.951 IID / 0.945 non-IID, FedAvg-M 0.948 / 0.950, server momentum 0.953 / 0.958
        assertEquals(0.951, run.number("IID FedAvg accuracy at 30"), 0.01);
        assertEquals(0.945, run.number("non-IID FedAvg accuracy at 30"), 0.01);
        assertEquals(0.950, run.number("non-IID FedAvg-M accuracy at 30"), 0.01);
        assertEquals(0.958, run.number("non-IID server momentum accuracy at 30"), 0.01);
        // Cheng et al.'s claim (FedAvg-M beats FedAvg under heterogeneity) does not show here: within half a point at rounds 10 and 30
        assertEquals(run.number("non-IID FedAvg accuracy at 10"), run.number("non-IID FedAvg-M accuracy at 10"), 0.01);
        assertEquals(run.number("non-IID FedAvg accuracy at 30"), run.number("non-IID FedAvg-M accuracy at 30"), 0.01);
        // server momentum is ahead early (0.931 vs 0.904 at round 10)
        assertTrue(run.number("non-IID server momentum accuracy at 10") > run.number("non-IID FedAvg accuracy at 10") + 0.01);
        assertEquals(2, run.count("image/png"), "accuracy per round, non-IID and IID");
    }

    @Test
    void gradientCompression() throws Exception {
        NotebookRun run = NotebookRun.execute("gradient-compression");
        assertEquals(List.of(), run.errors(), run.log());
        assertRanOnSpark(run);
        // bytes counted exactly: 115 210 f32 values per dense upload, 116 (value, index) pairs after DGC's warm-up
        assertEquals(460840, run.number("dense momentum SGD bytes per upload at the end"));
        assertEquals(928, run.number("DGC 99.9% bytes per upload at the end"));
        // Lin et al.: 270x-600x (per iteration after warm-up). Ours: 497x per upload; 117x in total with the 8 warm-up iterations
        assertEquals(496.6, run.number("per-upload reduction after warm-up"), 0.5);
        assertEquals(116.6, run.number("total traffic reduction"), 0.5);
        // accuracy, 3 seeds (measured): dense 0.956 (0.949-0.962), DGC 0.951 (0.947-0.956), top-k without correction 0.943 (0.935-0.951)
        assertEquals(0.956, run.number("dense momentum SGD final accuracy"), 0.01);
        assertEquals(0.951, run.number("DGC 99.9% final accuracy"), 0.01);
        assertEquals(0.943, run.number("top-k 99.9% without correction final accuracy"), 0.01);
        // the claim's accuracy half is met only within the seeds' spread: DGC ends 0.5 points below dense on the mean
        // (asserted: within 1 point); it is ahead of the uncorrected top-k at 100 iterations and at the end
        assertTrue(run.number("DGC 99.9% final accuracy") > run.number("dense momentum SGD final accuracy") - 0.01);
        assertTrue(run.number("DGC 99.9% final accuracy") > run.number("top-k 99.9% without correction final accuracy") + 0.005);
        assertTrue(run.number("DGC 99.9% accuracy at 100") > run.number("top-k 99.9% without correction accuracy at 100"));
        assertEquals(2, run.count("image/png"), "accuracy against iterations and against bytes");
    }

    @Test
    void fedspeed() throws Exception {
        NotebookRun run = NotebookRun.execute("fedspeed");
        assertEquals(List.of(), run.errors(), run.log());
        assertRanOnSpark(run);
        // rounds to 90% test accuracy, 3 seeds (measured): FedAvg 10.33, FedSpeed 4.67, FedAvg with server lr 2 5.33
        assertEquals(10.33, run.number("FedAvg rounds to 90%"), 1.5);
        assertEquals(4.67, run.number("FedSpeed rounds to 90%"), 1.0);
        assertEquals(5.33, run.number("FedAvg, server lr 2 rounds to 90%"), 1.0);
        // Sun et al.'s claim in direction: fewer rounds than FedAvg, and higher final accuracy (0.958 vs 0.941)
        assertTrue(run.number("FedSpeed rounds to 90%") < 0.6 * run.number("FedAvg rounds to 90%"));
        assertTrue(run.number("FedSpeed final accuracy") > run.number("FedAvg final accuracy") + 0.01);
        // but most of the gain is the doubled first-round step: the control is within a round, the perturbation changes little
        assertTrue(run.number("FedAvg, server lr 2 rounds to 90%") - run.number("FedSpeed rounds to 90%") < 1.5);
        assertEquals(run.number("FedSpeed final accuracy"), run.number("FedSpeed, no perturbation final accuracy"), 0.005);
        assertEquals(1, run.count("image/png"), "accuracy per round");
    }

    @Test
    void asyncFederated() throws Exception {
        NotebookRun run = NotebookRun.execute("async-federated");
        assertEquals(List.of(), run.errors(), run.log());
        assertRanOnSpark(run);
        // the simulated clock is exact: 600 s hold 18 synchronous rounds, 606 asynchronous arrivals, 202 buffers of 3
        assertEquals(18, run.number("synchronous FedAvg aggregations"));
        assertEquals(606, run.number("asynchronous FedAvg aggregations"));
        assertEquals(202, run.number("FedBuff (3) aggregations"));
        // Fraboni et al.: asynchronous FedAvg is fast in wall time (measured 63 s to 90% vs 585 s synchronous) ...
        assertEquals(63.3, run.number("asynchronous FedAvg time to 90%"), 10);
        assertEquals(585.1, run.number("synchronous FedAvg time to 90%"), 40);
        assertTrue(run.number("asynchronous FedAvg time to 90%") < 0.2 * run.number("synchronous FedAvg time to 90%"));
        assertTrue(run.number("FedBuff (3) time to 90%") < 0.5 * run.number("synchronous FedAvg time to 90%"));
        assertTrue(run.number("asynchronous FedAvg accuracy at 600 s") > run.number("synchronous FedAvg accuracy at 600 s") + 0.03);
        // ... at the expense of stability: its mean curve drops by up to 1.3 points, the buffered one 0.5, the synchronous none
        assertTrue(run.number("asynchronous FedAvg largest accuracy drop") > run.number("FedBuff (3) largest accuracy drop"));
        assertTrue(run.number("FedBuff (3) largest accuracy drop") > run.number("synchronous FedAvg largest accuracy drop"));
        assertEquals(1, run.count("image/png"), "accuracy against simulated time");
    }
}
