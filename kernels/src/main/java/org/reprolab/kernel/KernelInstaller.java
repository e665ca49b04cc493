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
 * <pre>KernelInstaller --dir build/jupyter --java /path/to/java --classpath a.jar:b.jar [--name reprolab] [--heap 16g]</pre>
 *
 * <p>The kernel's heap limit is half the machine's memory unless {@code --heap} (or the
 * environment variable {@value #HEAP_VARIABLE}, e.g. {@code REPROLAB_KERNEL_HEAP=16g ./reprolab
 * install-kernel}) sets it; without those, {@code JDK_JAVA_OPTIONS=-Xmx16g} at Jupyter's start sets it.
 * An out-of-memory error in a cell names the limit and these ways to raise it.
 */
public final class KernelInstaller {

    public static final String DEFAULT_NAME = "reprolab";
    public static final String HEAP_VARIABLE = "REPROLAB_KERNEL_HEAP";
    private static final java.util.regex.Pattern HEAP = java.util.regex.Pattern.compile("\\d+[kmgtKMGT]?");

    private KernelInstaller() {}

    /**
     * The kernelspec's content; {@code cdsArchive}, when not null, lets the JVM map its class data
     * for a faster start; {@code heap} (a {@code -Xmx} size such as {@code 16g}), when not null,
     * replaces the default limit of half the machine's memory.
     */
    public static Map<String, Object> kernelSpec(String java, String classPath, Path cdsArchive, String heap) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        if (heap == null) {
            argv.add("-XX:MaxRAMPercentage=50");
        } else if (HEAP.matcher(heap).matches()) {
            argv.add("-Xmx" + heap);
        } else {
            throw new IllegalArgumentException("heap size '" + heap + "' is not a -Xmx size such as 512m or 16g");
        }
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

    /** Writes {@code <dataDir>/kernels/<name>/kernel.json} with the default heap limit and returns its path. */
    public static Path install(Path dataDir, String name, String java, String classPath) throws IOException {
        return install(dataDir, name, java, classPath, null);
    }

    /** Writes {@code <dataDir>/kernels/<name>/kernel.json} with heap limit {@code heap} (null: the default) and returns its path. */
    public static Path install(Path dataDir, String name, String java, String classPath, String heap) throws IOException {
        Path kernelDir = dataDir.resolve("kernels").resolve(name);
        Files.createDirectories(kernelDir);
        Path cds = kernelDir.resolve("reprolab-kernel.jsa");
        Path file = kernelDir.resolve("kernel.json");
        // the JVM can archive classes only from jars: a class path with directories (tests) gets no archive
        boolean onlyJars = Arrays.stream(classPath.split(File.pathSeparator)).allMatch(e -> e.endsWith(".jar"));
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(kernelSpec(java, classPath, onlyJars ? cds.toAbsolutePath() : null, heap));
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
            System.err.println("usage: KernelInstaller --dir <jupyter-data-dir> [--name reprolab] [--java <java>] [--classpath <cp>] [--heap 16g]");
            System.exit(2);
        }
        String java = options.getOrDefault("--java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = options.getOrDefault("--classpath", System.getProperty("java.class.path"));
        String heap = options.getOrDefault("--heap", System.getenv(HEAP_VARIABLE));
        Path written = install(Path.of(dir).toAbsolutePath(), options.getOrDefault("--name", DEFAULT_NAME), java, classPath,
                heap == null || heap.isBlank() ? null : heap.strip());
        System.out.println("kernelspec written: " + written);
    }
}
