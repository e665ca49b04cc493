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
 * output, update_display_data, rich displays, shutdown, a heap filled three times in a kernel
 * limited to 384 MB), all in
 * {@code src/test/python/test_kernel_conformance.py}.
 */
class KernelConformanceTest {

    @Test
    void officialConformanceSuiteAndProtocolExtrasPass() throws Exception {
        String name = "reprolab-test";
        Path dataDir = Python.testKernelDataDir(name);
        // a kernel with a small heap, for the test that fills it
        String smallHeap = "reprolab-test-small-heap";
        Python.testKernelDataDir(smallHeap, "384m");
        Path tests = Python.projectRoot().resolve("kernels/src/test/python/test_kernel_conformance.py");
        Python.Run run = Python.run(
                List.of("-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", tests.toString()),
                Map.of("JUPYTER_PATH", dataDir.toString(), "REPROLAB_KERNEL_NAME", name,
                        "REPROLAB_SMALL_HEAP_KERNEL_NAME", smallHeap),
                Python.buildDir(), 600);
        assertEquals(0, run.exitCode(), "pytest failed:\n" + run.output());
        assertTrue(run.output().contains(" passed"), run.output());
        assertTrue(!run.output().contains("skipped"), "no conformance sample may be left empty:\n" + run.output());
    }
}
