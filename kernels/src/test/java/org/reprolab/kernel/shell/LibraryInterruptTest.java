package org.reprolab.kernel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13's failing case through the kernel's session: a {@code Diffusion.sample} with NFE 5·10^7 used to
 * ignore the interrupt (no reply in 30–40 s, kernel restart needed). Now the cell answers within a second
 * of the interrupt and the next cell runs with the state kept.
 */
class LibraryInterruptTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void interruptingAHugeDiffusionSampleRepliesWithinASecondAndTheNextCellAnswers() throws Exception {
        try (JShellSession session = JShellSession.start(org.reprolab.kernel.TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            session.eval("import org.reprolab.diffusion.*;");
            session.eval("var model = GaussianMixture.ring(8, 1, 0.08).model(NoiseSchedule.vpLinear());\n"
                    + "var z = Batch.normal(500, 2, 0);");
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try {
                    session.eval("Diffusion.sample(new Sampler.Ddim(), model, z, 50_000_000)");
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(1500); // past the time grid (5·10^7 times), into the sampling loop
            assertTrue(!running.isDone(), "the sample ended before the interrupt");
            long at = System.nanoTime();
            session.stop();
            Throwable thrown = running.get(20, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - at) / 1e9;
            assertTrue(seconds < 1, "the cell replied " + seconds + " s after the interrupt");
            CellException e = assertInstanceOf(CellException.class, thrown);
            assertEquals("Interrupted", e.name());
            // the next cell answers, with the state of the earlier cells kept: 4 DDIM steps of 500 points
            assertEquals(500, session.eval("Diffusion.sample(new Sampler.Ddim(), model, z, 4).x().n()").value());
            // and device kernels run again (the interrupt flag does not linger): 3·(1 + 2 + … + 1000)
            assertEquals(1501500.0, session.eval("org.reprolab.tensor.Tensor.arange(1, 1001, 1).mul(3).sum().item()").value());
        }
    }
}
