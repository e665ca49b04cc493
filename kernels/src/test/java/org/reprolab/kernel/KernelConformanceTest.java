package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kernel against real Jupyter clients: Debian's jupyter_kernel_test suite (a KernelTests
 * subclass with samples for every feature) and our own protocol tests (interrupt, background
 * output, update_display_data, rich displays, shutdown), all in
 * {@code src/test/python/test_kernel_conformance.py}.
 */
class KernelConformanceTest {

    @Test
    void officialConformanceSuiteAndProtocolExtrasPass() throws Exception {
        String name = "reprolab-test";
        Path dataDir = Python.testKernelDataDir(name);
        Path tests = Python.projectRoot().resolve("kernels/src/test/python/test_kernel_conformance.py");
        Python.Run run = Python.run(
                List.of("-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", tests.toString()),
                Map.of("JUPYTER_PATH", dataDir.toString(), "REPROLAB_KERNEL_NAME", name),
                Python.buildDir(), 600);
        assertEquals(0, run.exitCode(), "pytest failed:\n" + run.output());
        assertTrue(run.output().contains(" passed"), run.output());
        assertTrue(!run.output().contains("skipped"), "no conformance sample may be left empty:\n" + run.output());
    }
}
