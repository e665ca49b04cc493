package org.reprolab.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.reprolab.kernel.shell.CellException;
import org.reprolab.kernel.shell.JShellSession;

/**
 * The IPython-style magics a cell may start with, handled before JShell sees the cell; names,
 * aliases and arguments follow IJava's documentation (docs/magics.md) where they overlap, so a
 * notebook written for IJava or JJava runs here. {@link #MAGICS} lists them, with the help
 * {@code %lsmagic} prints. Each kernel has its own instance: {@code %mavenRepo} repositories last
 * for the session.
 */
final class Magics {

    /** What is left to evaluate after the magics ran, the cell line it starts on (1-based), and whether to time it. */
    record Cell(String code, int firstLine, boolean timed) {}

    /** One magic: its name, other names it answers to, its arguments and what it does, in one line. */
    record Magic(String name, List<String> aliases, String usage, String help) {
        boolean cellMagic() {
            return name.startsWith("%%");
        }

        boolean answers(String word) {
            return name.equals(word) || aliases.contains(word);
        }
    }

    static final List<Magic> MAGICS = List.of(
            new Magic("%classpath", List.of(), "%classpath [add] PATH_OR_GLOB...", "adds jars or class directories to the class path"),
            new Magic("%jars", List.of(), "%jars GLOB...", "adds the jars a glob matches (all jars of a matched directory)"),
            new Magic("%maven", List.of("%addMavenDependency", "%addMavenDependencies"), "%maven GROUP:ARTIFACT[:TYPE[:CLASSIFIER]]:VERSION...",
                    "resolves artifacts and their dependencies (Central and %mavenRepo repositories) and adds the jars"),
            new Magic("%mavenRepo", List.of("%addMavenRepo"), "%mavenRepo ID URL", "adds a Maven repository that later %maven lines search"),
            new Magic("%loadFromPOM", List.of(), "%loadFromPOM POM_PATH [SCOPE...]",
                    "adds a pom's dependencies (scope runtime unless named; several scopes add each one's), resolved from the repositories it names"),
            new Magic("%load", List.of(), "%load SCRIPT.jsh...", "runs a JShell script file's snippets as part of this cell"),
            new Magic("%spark", List.of(), "%spark [DIR]", "adds Apache Spark and reprolab-spark to the class path, for Cluster.spark(master) (docs/spark.md)"),
            new Magic("%lsmagic", List.of(), "%lsmagic", "lists the magics"),
            new Magic("%%time", List.of(), "%%time", "runs the cell and prints its wall time"),
            new Magic("%%loadFromPOM", List.of(), "%%loadFromPOM [SCOPE...]",
                    "the cell is a pom, or <dependency>/<repository> fragments pasted from a README: adds those dependencies"));

    private final MavenResolver maven = new MavenResolver();

    /** Runs the magics at the top of {@code code}; {@code cellNumber} names the cell in the traces of scripts {@code %load} runs. */
    Cell apply(String code, JShellSession session, int cellNumber) {
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
            List<String> words = List.of(line.split("\\s+"));
            Magic magic = MAGICS.stream().filter(m -> m.answers(words.getFirst())).findFirst()
                    .orElseThrow(() -> magicError("unknown magic " + words.getFirst() + " (try %lsmagic; known: "
                            + MAGICS.stream().map(Magic::name).collect(Collectors.joining(", ")) + ")"));
            List<String> args = words.subList(1, words.size());
            switch (magic.name()) {
                case "%%time" -> timed = true;
                case "%classpath" -> addPaths(magic, args.isEmpty() || !args.getFirst().equals("add") ? args : args.subList(1, args.size()), session, false);
                case "%jars" -> addPaths(magic, args, session, true);
                case "%maven" -> maven(magic, args, session);
                case "%mavenRepo" -> mavenRepo(magic, args);
                case "%loadFromPOM" -> loadFromPom(magic, args, session);
                case "%%loadFromPOM" -> {
                    loadPomFragments(magic, args, String.join("\n", lines), session);
                    lines.clear();
                }
                case "%load" -> {
                    String scripts = load(magic, args);
                    if (lines.stream().allMatch(String::isBlank)) {
                        // nothing follows: the scripts are the cell, so their last value shows and traces name their lines
                        return new Cell(scripts, 1, timed);
                    }
                    session.eval(scripts, cellNumber, 1);
                }
                case "%spark" -> SparkMagic.load(words.toArray(String[]::new), session);
                case "%lsmagic" -> System.out.println(lsmagic());
                default -> throw new IllegalStateException("no handler for " + magic.name());
            }
        }
        return new Cell(String.join("\n", lines), firstLine, timed);
    }

    static String lsmagic() {
        int width = MAGICS.stream().mapToInt(m -> m.usage().length()).max().orElse(0);
        StringBuilder text = new StringBuilder();
        for (boolean cell : new boolean[] {false, true}) {
            text.append(cell ? "cell magics (first line of a cell):\n" : "line magics (at the top of a cell):\n");
            for (Magic m : MAGICS) {
                if (m.cellMagic() == cell) {
                    text.append("  ").append(String.format("%-" + width + "s", m.usage())).append("  ").append(m.help());
                    if (!m.aliases().isEmpty()) {
                        text.append(" (also ").append(String.join(", ", m.aliases())).append(')');
                    }
                    text.append('\n');
                }
            }
        }
        return text.append("inspection: NAME? shows the Javadoc, NAME?? adds where the source is and the source itself;\n")
                .append("  Shift-Tab in a notebook shows the same Javadoc").toString();
    }

    private static void addPaths(Magic magic, List<String> globs, JShellSession session, boolean jarsOnly) {
        if (globs.isEmpty()) {
            throw usage(magic);
        }
        for (String glob : globs) {
            List<Path> entries;
            try {
                entries = PathGlobs.expand(glob, jarsOnly);
            } catch (IOException | IllegalArgumentException e) {
                throw magicError(magic.name() + ": " + e.getMessage());
            }
            if (entries.isEmpty()) {
                throw magicError(magic.name() + ": nothing matches " + glob + (jarsOnly ? " (no .jar file there)" : ""));
            }
            entries.forEach(p -> session.addToClasspath(p.toString()));
            System.out.println("added to the class path: " + entries.stream().map(Path::toString).collect(Collectors.joining(", ")));
        }
    }

    private void maven(Magic magic, List<String> coordinates, JShellSession session) {
        if (coordinates.isEmpty()) {
            throw usage(magic);
        }
        addResolved(magic, () -> maven.resolveCoordinates(coordinates), session);
        System.out.println("added " + String.join(", ", coordinates) + " and their dependencies");
    }

    private void mavenRepo(Magic magic, List<String> args) {
        if (args.size() != 2) {
            throw usage(magic);
        }
        try {
            maven.addRepository(args.get(0), args.get(1));
        } catch (IllegalArgumentException e) {
            throw magicError(magic.name() + ": " + e.getMessage());
        }
        System.out.println("%maven searches " + args.get(1) + " (" + args.get(0) + ") besides Maven Central");
    }

    private void loadFromPom(Magic magic, List<String> args, JShellSession session) {
        if (args.isEmpty()) {
            throw usage(magic);
        }
        Path pom = Path.of(args.getFirst()).toAbsolutePath();
        if (!Files.isRegularFile(pom)) {
            throw magicError(magic.name() + ": " + pom + " is not a file");
        }
        addResolved(magic, () -> resolvePom(Files.readString(pom), args.subList(1, args.size())), session);
        System.out.println("added the dependencies of " + pom);
    }

    private void loadPomFragments(Magic magic, List<String> scopes, String body, JShellSession session) {
        addResolved(magic, () -> resolvePom(MavenResolver.pomFromFragments(body), scopes), session);
        System.out.println("added the dependencies of the cell's pom");
    }

    /**
     * The jars of a pom's dependencies in each of {@code scopes} ({@code runtime} if none), as IJava's
     * {@code %loadFromPOM POM [SCOPE...]} takes them: each scope as Maven's {@code includeScope}, the jars of
     * all of them together, a jar that two scopes share added once.
     */
    private List<Path> resolvePom(String pomXml, List<String> scopes) throws IOException, InterruptedException {
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String scope : scopes.isEmpty() ? List.of("runtime") : scopes) {
            if (scope.equals("import")) {
                continue;   // IJava's default list names it; it only ever imports a <dependencyManagement> BOM, no jars
            }
            for (Path jar : maven.resolvePom(pomXml, scope)) {
                jars.putIfAbsent(jar.getFileName().toString(), jar);
            }
        }
        return List.copyOf(jars.values());
    }

    private interface Resolution {
        List<Path> jars() throws IOException, InterruptedException;
    }

    private static void addResolved(Magic magic, Resolution resolution, JShellSession session) {
        try {
            resolution.jars().forEach(jar -> session.addToClasspath(jar.toString()));
        } catch (IOException | IllegalArgumentException e) {
            throw magicError(magic.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw magicError(magic.name() + ": interrupted");
        }
    }

    private static String load(Magic magic, List<String> files) {
        if (files.isEmpty()) {
            throw usage(magic);
        }
        StringBuilder code = new StringBuilder();
        for (String file : files) {
            Path path = Path.of(file).toAbsolutePath();
            try {
                code.append(Files.readString(path)).append('\n');
            } catch (IOException e) {
                throw magicError(magic.name() + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return code.toString();
    }

    private static CellException usage(Magic magic) {
        return magicError("usage: " + magic.usage() + " (" + magic.help() + ")");
    }

    private static CellException magicError(String message) {
        return CellException.of("MagicError", message);
    }
}
