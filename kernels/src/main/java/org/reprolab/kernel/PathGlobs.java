package org.reprolab.kernel;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class path entries a simple glob names, as IJava's {@code %jars} and {@code %classpath}
 * read them: {@code *}, {@code ?}, {@code [..]}, {@code {a,b}} in a segment, {@code **} across
 * directories; a matched directory stands for its jars ({@code %jars}) or itself (class files,
 * {@code %classpath}). A leading {@code ~} is the home directory.
 */
final class PathGlobs {

    private PathGlobs() {}

    static List<Path> expand(String glob, boolean jarsOnly) throws IOException {
        String expanded = glob.startsWith("~/") ? System.getProperty("user.home") + glob.substring(1) : glob;
        Path pattern = Path.of(expanded).toAbsolutePath().normalize();
        Path base = pattern.getRoot();
        int literal = 0;
        for (Path segment : pattern) {
            if (hasGlob(segment.toString())) {
                break;
            }
            base = base.resolve(segment);
            literal++;
        }
        List<Path> matched = new ArrayList<>();
        if (literal == pattern.getNameCount()) {
            if (Files.exists(pattern)) {
                matched.add(pattern);
            }
        } else {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.toString().replace("\\", "\\\\"));
            boolean deep = pattern.toString().contains("**");
            int depth = deep ? Integer.MAX_VALUE : pattern.getNameCount() - literal;
            if (Files.isDirectory(base)) {
                try (Stream<Path> walk = Files.walk(base, depth)) {
                    walk.filter(matcher::matches).sorted().forEach(matched::add);
                }
            }
        }
        List<Path> entries = new ArrayList<>();
        for (Path p : matched) {
            if (Files.isDirectory(p) && jarsOnly) {
                try (Stream<Path> jars = Files.list(p)) {
                    jars.filter(PathGlobs::isJar).sorted().forEach(entries::add);
                }
            } else if (Files.isDirectory(p) || !jarsOnly || isJar(p)) {
                entries.add(p);
            }
        }
        return entries;
    }

    private static boolean isJar(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar");
    }

    private static boolean hasGlob(String segment) {
        return segment.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }
}
