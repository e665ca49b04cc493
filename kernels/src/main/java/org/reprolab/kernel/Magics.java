package org.reprolab.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.reprolab.kernel.shell.CellException;
import org.reprolab.kernel.shell.JShellSession;

/**
 * The IPython-style magics a cell may start with, handled before JShell sees the cell:
 * <ul>
 *   <li>{@code %classpath add PATH...}: jars or class directories for the following cells;</li>
 *   <li>{@code %maven GROUP:ARTIFACT:VERSION...}: resolves artifacts and their dependencies from
 *       Maven Central with Maven itself, and adds them;</li>
 *   <li>{@code %spark [DIR]}: Apache Spark and reprolab-spark for {@code Cluster.spark} ({@link SparkMagic});</li>
 *   <li>{@code %%time}: runs the rest of the cell and prints its wall time;</li>
 *   <li>{@code %lsmagic}: lists these.</li>
 * </ul>
 */
final class Magics {

    /** What is left to evaluate after the magics ran, the cell line it starts on (1-based), and whether to time it. */
    record Cell(String code, int firstLine, boolean timed) {}

    private static final Pattern COORDINATE = Pattern.compile("[\\w.\\-]+:[\\w.\\-]+:[\\w.\\-]+");

    private Magics() {}

    static Cell apply(String code, JShellSession session) {
        boolean timed = false;
        List<String> lines = new ArrayList<>(code.lines().toList());
        int firstLine = 1;
        while (!lines.isEmpty()) {
            String line = lines.getFirst().strip();
            if (line.isEmpty()) {
                lines.removeFirst();
                firstLine++;
                continue;
            }
            if (!line.startsWith("%") || line.startsWith("%=")) {
                break;
            }
            lines.removeFirst();
            firstLine++;
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "%%time" -> timed = true;
                case "%classpath" -> classpath(words, session);
                case "%maven" -> maven(words, session);
                case "%spark" -> SparkMagic.load(words, session);
                case "%lsmagic" -> System.out.println("line magics: %classpath add PATH..., %maven G:A:V..., %spark [DIR], %lsmagic\ncell magics: %%time");
                default -> throw magicError("unknown magic " + words[0] + " (try %lsmagic)");
            }
        }
        return new Cell(String.join("\n", lines), firstLine, timed);
    }

    private static void classpath(String[] words, JShellSession session) {
        if (words.length < 3 || !words[1].equals("add")) {
            throw magicError("usage: %classpath add PATH [PATH...]");
        }
        for (int i = 2; i < words.length; i++) {
            Path path = Path.of(words[i]).toAbsolutePath();
            if (!Files.exists(path)) {
                throw magicError("%classpath: " + path + " does not exist");
            }
            session.addToClasspath(path.toString());
            System.out.println("added to the class path: " + path);
        }
    }

    private static void maven(String[] words, JShellSession session) {
        if (words.length < 2) {
            throw magicError("usage: %maven GROUP:ARTIFACT:VERSION [...]");
        }
        List<String> coordinates = List.of(words).subList(1, words.length);
        for (String c : coordinates) {
            if (!COORDINATE.matcher(c).matches()) {
                throw magicError("%maven: '" + c + "' is not GROUP:ARTIFACT:VERSION");
            }
        }
        try {
            Path dir = Path.of(System.getProperty("user.home"), ".reprolab", "maven", key(coordinates));
            Path done = dir.resolve(".resolved");
            if (!Files.exists(done)) {
                resolve(coordinates, dir);
                Files.writeString(done, String.join("\n", coordinates));
            }
            try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    session.addToClasspath(jar.toString());
                }
            }
            System.out.println("added " + String.join(", ", coordinates) + " and their dependencies");
        } catch (IOException e) {
            throw magicError("%maven: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw magicError("%maven: interrupted");
        }
    }

    /** Writes a throwaway pom that depends on the coordinates and lets Maven copy them with their dependencies. */
    private static void resolve(List<String> coordinates, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        StringBuilder deps = new StringBuilder();
        for (String c : coordinates) {
            String[] gav = c.split(":");
            deps.append("<dependency><groupId>").append(gav[0]).append("</groupId><artifactId>").append(gav[1])
                    .append("</artifactId><version>").append(gav[2]).append("</version></dependency>");
        }
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                <groupId>reprolab.magic</groupId><artifactId>resolve</artifactId><version>1</version>
                <dependencies>%s</dependencies></project>""".formatted(deps), StandardCharsets.UTF_8);
        String home = System.getenv("REPROLAB_HOME");
        String mvn = home != null && Files.isExecutable(Path.of(home, "mvnw")) ? Path.of(home, "mvnw").toString() : "mvn";
        Process process = new ProcessBuilder(mvn, "-q", "-B", "-f", dir.resolve("pom.xml").toString(),
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
                "-DincludeScope=runtime", "-DoutputDirectory=" + dir.resolve("lib"))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("Maven could not resolve " + coordinates + ":\n" + output.strip());
        }
    }

    private static String key(List<String> coordinates) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.join(",", coordinates).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CellException magicError(String message) {
        return CellException.of("MagicError", message);
    }
}
