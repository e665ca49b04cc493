package org.reprolab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.reprolab.kernel.shell.CellException;
import org.reprolab.kernel.shell.JShellSession;
import org.reprolab.kernel.shell.NotebookClasses;

/**
 * {@code %spark [JARS_DIR]}: puts the optional reprolab-spark module and Apache Spark on the notebook's class
 * path, so that {@code Cluster.spark("local[2]")} or {@code Cluster.spark("spark://host:7077")} work in the
 * following cells. The kernel itself does not carry Spark (170 jars). Without an argument the jars come from
 * the project's build ({@code $REPROLAB_HOME/spark/target}: {@code spark-home/jars} and the module's classes);
 * with one, from that directory (every jar in it, e.g. a Spark distribution's {@code jars/} plus
 * {@code reprolab-spark.jar}). It also starts mirroring the classes later cells define into a directory that
 * Spark's driver serves to remote executors ({@code spark.repl.class.outputDir}), so lambdas and records
 * defined in the notebook can run on a {@code spark://} cluster.
 */
final class SparkMagic {
    private SparkMagic() {}

    static void load(String[] words, JShellSession session) {
        if (words.length > 2) throw error("usage: %spark [DIRECTORY_OF_JARS]");
        List<Path> entries = new ArrayList<>();
        try {
            if (words.length == 2) {
                entries.addAll(jars(Path.of(words[1]).toAbsolutePath()));
            } else {
                String home = System.getProperty("reprolab.home", System.getenv("REPROLAB_HOME"));
                if (home == null) throw error("%spark: REPROLAB_HOME is not set; give the directory of the Spark and reprolab-spark jars: %spark DIR");
                Path target = Path.of(home, "spark", "target");
                Path classes = target.resolve("classes");
                if (!Files.isDirectory(target.resolve("spark-home").resolve("jars")) || !Files.isDirectory(classes)) {
                    throw error("%spark: the spark module is not built (" + target + "); run ./mvnw -pl spark -am package -DskipTests");
                }
                entries.add(classes);
                entries.addAll(jars(target.resolve("spark-home").resolve("jars")));
            }
            Path mirror = Files.createTempDirectory("reprolab-notebook-classes-");
            NotebookClasses.mirrorInto(mirror);
            // SparkConf reads spark.* system properties: every context the notebook creates serves the directory
            System.setProperty("spark.repl.class.outputDir", mirror.toString());
            System.setProperty("reprolab.spark.notebookClasses", mirror.toString());
        } catch (IOException e) {
            throw error("%spark: " + e.getMessage());
        }
        for (Path p : entries) session.addToClasspath(p.toString());
        System.out.println("Spark on the class path (" + entries.size() + " entries): Cluster.spark(\"local[2]\") or Cluster.spark(\"spark://HOST:7077\")");
    }

    private static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw error("%spark: " + dir + " is not a directory");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
            if (jars.stream().noneMatch(p -> p.getFileName().toString().startsWith("spark-core"))) {
                throw error("%spark: no spark-core jar in " + dir);
            }
            return jars;
        }
    }

    private static CellException error(String message) {
        return CellException.of("MagicError", message);
    }
}
