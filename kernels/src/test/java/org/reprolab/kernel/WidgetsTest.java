package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jupyter widgets as front ends see them, through real clients (both in {@code src/test/python}):
 * the widget protocol through jupyter_client ({@code test_widgets.py}: comm_open state, updates both
 * ways, clicks, {@code Lab.interact} debounced into its output area, errors shown there, the control
 * and version comms) and a real browser ({@code test_widgets_browser.py}: headless Chromium on a
 * classic notebook server, a slider moved, the figure redrawn), which is skipped, saying so, only
 * where chromium, chromedriver or selenium is missing.
 */
class WidgetsTest {

    private static final String KERNEL = "reprolab-test";

    private static Python.Run pytest(String file, Map<String, String> env, long timeoutSeconds) throws Exception {
        Path dataDir = Python.testKernelDataDir(KERNEL);
        Path tests = Python.projectRoot().resolve("kernels/src/test/python").resolve(file);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("JUPYTER_PATH", dataDir.toString());
        all.put("REPROLAB_KERNEL_NAME", KERNEL);
        return Python.run(List.of("-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", tests.toString()),
                all, Python.buildDir(), timeoutSeconds);
    }

    @Test
    void theWidgetProtocolHoldsThroughJupyterClient() throws Exception {
        Python.Run run = pytest("test_widgets.py", Map.of(), 300);
        assertEquals(0, run.exitCode(), "pytest failed:\n" + run.output());
        assertTrue(run.output().contains("9 passed"), run.output());
    }

    @Test
    void aSliderMovedInHeadlessChromiumRedrawsTheFigure() throws Exception {
        Python.Run run = pytest("test_widgets_browser.py",
                Map.of("REPROLAB_SCREENSHOT", Python.buildDir().resolve("widgets.png").toString(),
                        "REPROLAB_BROWSER_TIMEOUT", "120"), 180);
        assertEquals(0, run.exitCode(), "pytest failed:\n" + run.output());
        boolean skipped = run.output().contains("skipped");
        if (skipped) {
            // only a missing browser may skip it, and the report says which part is missing
            assertTrue(run.output().contains("needs chromium, chromium-driver and python3-selenium"), run.output());
            System.out.println("[WidgetsTest] browser test SKIPPED: " + run.output().lines()
                    .filter(l -> l.contains("SKIPPED")).findFirst().orElse(""));
        } else {
            assertTrue(run.output().contains("1 passed"), run.output());
        }
        assertFalse(run.output().contains("failed"), run.output());
    }
}
