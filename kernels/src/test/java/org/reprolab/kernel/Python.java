package org.reprolab.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's python3 (not a pyenv one that may come first on PATH) for the real-client tests:
 * jupyter_kernel_test, nbclient, jupyter_client. {@code ./reprolab setup} installs them.
 */
public final class Python {

    /** What one run printed and how it ended. */
    public record Run(int exitCode, String output) {}

    private Python() {}

    public static String executable() {
        String configured = System.getenv("REPROLAB_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Runs {@code python3 args...} with extra environment, echoing its output, and waits up to {@code timeoutSeconds}. */
    public static Run run(List<String> args, Map<String, String> env, Path workingDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (var in = process.inputReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    System.out.println("[python] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5_000);
            return new Run(124, output + "\n(timed out after " + timeoutSeconds + " s)");
        }
        reader.join(5_000);
        synchronized (output) {
            return new Run(process.exitValue(), output.toString());
        }
    }

    /** A Jupyter data directory holding a kernelspec for the test class path, so clients start the kernel under test. */
    public static Path testKernelDataDir(String kernelName) throws IOException {
        return testKernelDataDir(kernelName, null);
    }

    /** The same, for a kernel whose heap is limited to {@code heap} (an {@code -Xmx} size; null: the default). */
    public static Path testKernelDataDir(String kernelName, String heap) throws IOException {
        Path dir = buildDir().resolve("jupyter");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        KernelInstaller.install(dir, kernelName, java, TestClasspath.get(), heap);
        return dir;
    }

    public static Path buildDir() {
        return Path.of(System.getProperty("reprolab.build.dir", "target")).toAbsolutePath();
    }

    public static Path projectRoot() {
        return Path.of(System.getProperty("reprolab.root", "..")).toAbsolutePath().normalize();
    }
}
