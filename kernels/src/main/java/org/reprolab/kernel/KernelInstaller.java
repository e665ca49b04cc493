package org.reprolab.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.google.gson.GsonBuilder;

/**
 * Writes the kernelspec ({@code kernels/<name>/kernel.json}) into a Jupyter data directory, so
 * that {@code JUPYTER_PATH=<dir>} (project-local) or a system directory (Binder) finds the kernel.
 * Used by {@code ./reprolab} and by the tests, so both start the kernel the same way.
 *
 * <pre>KernelInstaller --dir build/jupyter --java /path/to/java --classpath a.jar:b.jar [--name reprolab]</pre>
 */
public final class KernelInstaller {

    public static final String DEFAULT_NAME = "reprolab";

    private KernelInstaller() {}

    /** The kernelspec's content; {@code cdsArchive}, when not null, lets the JVM map its class data for a faster start. */
    public static Map<String, Object> kernelSpec(String java, String classPath, Path cdsArchive) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.add("-XX:MaxRAMPercentage=50");
        if (cdsArchive != null) {
            argv.add("-XX:+AutoCreateSharedArchive");
            argv.add("-XX:SharedArchiveFile=" + cdsArchive);
            argv.add("-Xlog:cds=off");
            argv.add("-Xlog:cds+dynamic=off");
        }
        argv.addAll(JvmFlags.required());
        argv.add("-cp");
        argv.add(classPath);
        argv.add(KernelMain.class.getName());
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", "Java (Reprolab)");
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        String home = System.getenv("REPROLAB_HOME");
        spec.put("env", home == null ? Map.of() : Map.of("REPROLAB_HOME", home));
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /** Writes {@code <dataDir>/kernels/<name>/kernel.json} and returns its path. */
    public static Path install(Path dataDir, String name, String java, String classPath) throws IOException {
        Path kernelDir = dataDir.resolve("kernels").resolve(name);
        Files.createDirectories(kernelDir);
        Path cds = kernelDir.resolve("reprolab-kernel.jsa");
        Path file = kernelDir.resolve("kernel.json");
        // the JVM can archive classes only from jars: a class path with directories (tests) gets no archive
        boolean onlyJars = Arrays.stream(classPath.split(File.pathSeparator)).allMatch(e -> e.endsWith(".jar"));
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(kernelSpec(java, classPath, onlyJars ? cds.toAbsolutePath() : null));
        Files.writeString(file, json + "\n");
        return file;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String dir = options.get("--dir");
        if (dir == null) {
            System.err.println("usage: KernelInstaller --dir <jupyter-data-dir> [--name reprolab] [--java <java>] [--classpath <cp>]");
            System.exit(2);
        }
        String java = options.getOrDefault("--java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = options.getOrDefault("--classpath", System.getProperty("java.class.path"));
        Path written = install(Path.of(dir).toAbsolutePath(), options.getOrDefault("--name", DEFAULT_NAME), java, classPath);
        System.out.println("kernelspec written: " + written);
    }
}
