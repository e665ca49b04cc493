package org.reprolab.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves Maven artifacts, with their dependencies, into jars for the notebook's class path, by
 * running Maven itself on a pom ({@code dependency:copy-dependencies}): the user's settings,
 * mirrors, proxies and {@code ~/.m2} apply exactly as in their builds, and no resolver library
 * ships in the kernel. Each resolved pom's jars are kept under
 * {@code ~/.reprolab/maven/<hash of the pom>/lib}, so a notebook's second run adds them at once.
 *
 * <p>Maven runs as {@code $REPROLAB_HOME/mvnw}, or the command in the system property
 * {@value #COMMAND_PROPERTY}, else {@code mvn}; the system property {@value #ARGS_PROPERTY} adds
 * arguments (for example {@code -o} or {@code -s settings.xml}).
 */
final class MavenResolver {

    static final String COMMAND_PROPERTY = "reprolab.maven";
    static final String ARGS_PROPERTY = "reprolab.maven.args";

    /** {@code groupId:artifactId[:type[:classifier]]:version}, as IJava's {@code %maven} reads it. */
    private static final Pattern COORDINATE = Pattern.compile("([\\w.\\-]+):([\\w.\\-]+)(?::([\\w.\\-]+))?(?::([\\w.\\-]+))?:([\\w.\\-\\[\\](),]+)");
    private static final Pattern FRAGMENT = Pattern.compile("<(dependency|repository)>.*?</\\1>", Pattern.DOTALL);

    /** Repositories {@code %mavenRepo} added, by id, searched besides Maven Central. */
    private final Map<String, String> repositories = new LinkedHashMap<>();

    void addRepository(String id, String url) {
        if (!id.matches("[\\w.\\-]+")) {
            throw new IllegalArgumentException("repository id '" + id + "' may hold only letters, digits, '.', '-' and '_'");
        }
        if (!url.matches("(?i)(https?|file)://\\S+")) {
            throw new IllegalArgumentException("repository url '" + url + "' is not an http(s):// or file:// URL");
        }
        repositories.put(id, url);
    }

    Map<String, String> repositories() {
        return Map.copyOf(repositories);
    }

    /** Checks one {@code %maven} coordinate and returns its {@code <dependency>} element. */
    static String dependency(String coordinate) {
        Matcher m = COORDINATE.matcher(coordinate);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + coordinate + "' is not GROUP:ARTIFACT:VERSION (or GROUP:ARTIFACT:TYPE[:CLASSIFIER]:VERSION)");
        }
        StringBuilder xml = new StringBuilder("<dependency><groupId>").append(m.group(1)).append("</groupId><artifactId>")
                .append(m.group(2)).append("</artifactId><version>").append(m.group(5)).append("</version>");
        if (m.group(3) != null) {
            xml.append("<type>").append(m.group(3)).append("</type>");
        }
        if (m.group(4) != null) {
            xml.append("<classifier>").append(m.group(4)).append("</classifier>");
        }
        return xml.append("</dependency>").toString();
    }

    /** The jars of {@code coordinates} and their dependencies, searched in Central and the added repositories. */
    List<Path> resolveCoordinates(List<String> coordinates) throws IOException, InterruptedException {
        StringBuilder dependencies = new StringBuilder();
        for (String c : coordinates) {
            dependencies.append(dependency(c)).append('\n');
        }
        StringBuilder repos = new StringBuilder();
        repositories.forEach((id, url) -> repos.append("<repository><id>").append(id).append("</id><url>").append(url).append("</url></repository>\n"));
        return resolvePom(pom(dependencies.toString(), repos.toString()), "runtime");
    }

    /**
     * A pom from what a README shows: a whole {@code <project>} is kept; otherwise every
     * {@code <dependency>} and {@code <repository>} fragment is gathered into one (IJava's
     * {@code %%loadFromPOM}).
     */
    static String pomFromFragments(String xml) {
        if (xml.contains("<project")) {
            return xml;
        }
        StringBuilder dependencies = new StringBuilder();
        StringBuilder repos = new StringBuilder();
        Matcher m = FRAGMENT.matcher(xml);
        while (m.find()) {
            (m.group(1).equals("dependency") ? dependencies : repos).append(m.group()).append('\n');
        }
        if (dependencies.isEmpty()) {
            throw new IllegalArgumentException("no <dependency> element in the cell");
        }
        return pom(dependencies.toString(), repos.toString());
    }

    private static String pom(String dependencies, String repositories) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                <groupId>reprolab.magic</groupId><artifactId>resolve</artifactId><version>1</version>
                <repositories>
                %s</repositories>
                <dependencies>
                %s</dependencies></project>
                """.formatted(repositories, dependencies);
    }

    /**
     * The jars of a pom's dependencies in {@code scope} (Maven's {@code includeScope}: {@code runtime}
     * is compile and runtime, {@code compile} adds provided and system, {@code test} is all),
     * resolved from the repositories the pom names and Central.
     */
    List<Path> resolvePom(String pomXml, String scope) throws IOException, InterruptedException {
        if (!List.of("compile", "runtime", "test", "provided", "system").contains(scope)) {
            throw new IllegalArgumentException("scope '" + scope + "' is not compile, runtime, test, provided or system");
        }
        Path dir = Path.of(System.getProperty("user.home"), ".reprolab", "maven", key(pomXml + "\n" + scope + extraArgs()));
        Path done = dir.resolve(".resolved");
        if (!Files.exists(done)) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("pom.xml"), pomXml, StandardCharsets.UTF_8);
            run(dir, scope);
            Files.writeString(done, pomXml);
        }
        Path lib = dir.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return List.of();
        }
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static void run(Path dir, String scope) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(mavenCommand());
        command.addAll(List.of("-q", "-B", "-f", dir.resolve("pom.xml").toString()));
        command.addAll(extraArgs());
        command.addAll(List.of("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
                "-DincludeScope=" + scope, "-DoutputDirectory=" + dir.resolve("lib")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("Maven could not resolve the dependencies:\n" + output.strip());
        }
    }

    private static String mavenCommand() {
        String configured = System.getProperty(COMMAND_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String home = System.getenv("REPROLAB_HOME");
        return home != null && Files.isExecutable(Path.of(home, "mvnw")) ? Path.of(home, "mvnw").toString() : "mvn";
    }

    private static List<String> extraArgs() {
        String args = System.getProperty(ARGS_PROPERTY, "").strip();
        return args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
    }

    private static String key(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
