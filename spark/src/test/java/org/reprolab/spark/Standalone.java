package org.reprolab.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: a master and workers, each a separate JVM started
 * from the {@code SPARK_HOME} the build assembles ({@code target/spark-home/jars}); {@link #close} ends
 * every process it started and their children (the executors), so nothing outlives the test.
 */
public final class Standalone implements AutoCloseable {
    static final Path SPARK_HOME = Path.of("target/spark-home").toAbsolutePath();

    private final Path logs;
    private final int port;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    /** Every process of this cluster seen by {@link #kill} or {@link #close}, executors included. */
    private final List<ProcessHandle> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Standalone() throws IOException, InterruptedException {
        if (!Files.isDirectory(SPARK_HOME.resolve("jars"))) throw new IllegalStateException(SPARK_HOME + "/jars is missing: build with mvn verify");
        logs = Files.createTempDirectory("reprolab-standalone-");
        port = freePort();
        master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--webui-port", String.valueOf(freePort())));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!listening(port)) {
            if (!master.isAlive()) throw new IllegalStateException("the Spark master exited; log: " + Files.readString(logs.resolve("master.log")));
            if (System.nanoTime() > deadline) throw new IllegalStateException("the Spark master did not listen on " + port + " within 60 s");
            Thread.sleep(200);
        }
    }

    public String url() {
        return "spark://127.0.0.1:" + port;
    }

    /** Starts a worker with one core; the master hands it executors of applications that wait. */
    public Process addWorker() throws IOException {
        int i = workers.size();
        Path work = Files.createDirectories(logs.resolve("work-" + i));
        Process w = start("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
                "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString(), url()));
        workers.add(w);
        return w;
    }

    /** Ends a worker and its executors at once (SIGKILL), as a machine failure would; returns how many executors (descendants) it ended. */
    public int kill(Process worker) {
        List<ProcessHandle> descendants = worker.descendants().toList();
        seen.addAll(descendants);
        descendants.forEach(ProcessHandle::destroyForcibly);
        seen.add(worker.toHandle());
        worker.destroyForcibly();
        return descendants.size();
    }

    private Process start(String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dspark.master.rest.enabled=false", "-Dspark.ui.reverseProxy=false", "-cp", SPARK_HOME.resolve("jars") + File.separator + "*"));
        command.addAll(mainAndArgs);
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", SPARK_HOME.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (var s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every process this cluster started, every descendant of them seen when one was killed (an executor whose
     * worker died is no longer the worker's descendant), and any other process of this machine whose command line
     * names this build's {@code SPARK_HOME} (as workers and the executors they launch do), still alive.
     */
    public List<ProcessHandle> alive() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes()) {
            p.descendants().filter(ProcessHandle::isAlive).forEach(all::add);
            if (p.isAlive()) all.add(p.toHandle());
        }
        seen.stream().filter(ProcessHandle::isAlive).filter(h -> !all.contains(h)).forEach(all::add);
        String home = SPARK_HOME.toString();
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains(home)).orElse(false))
                .filter(h -> !all.contains(h)).forEach(all::add);
        return all;
    }

    private List<Process> processes() {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        return all;
    }

    @Override
    public void close() {
        for (Process p : processes()) kill(p);
        for (ProcessHandle p : seen) {
            try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // still alive after 30 s: alive() reports it
            }
        }
    }

    String log(String name) {
        try {
            return Files.readString(logs.resolve(name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
