package org.reprolab.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars a cluster's executors need to run Lab tasks: reprolab's own (random, tornado, lib, this
 * module) and the library's dependencies that tasks touch (Smile, XChart are not needed to compute a
 * run, so only reprolab's). A class directory (a build's {@code target/classes}) is packed into a
 * temporary jar, since {@code spark.jars} takes files.
 */
final class ShippedJars {
    private ShippedJars() {}

    static List<String> paths() {
        Set<String> out = new LinkedHashSet<>();
        for (String name : List.of("org.reprolab.random.RngKey", "org.reprolab.tornado.Devices", "org.reprolab.lab.Lab", "org.reprolab.spark.SparkCluster")) {
            try {
                Class<?> c = Class.forName(name, false, ShippedJars.class.getClassLoader());
                var source = c.getProtectionDomain().getCodeSource();
                if (source == null) continue;
                Path p = Path.of(source.getLocation().toURI());
                out.add((Files.isDirectory(p) ? packed(p) : p).toString());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("spark.jars: cannot locate " + name, e);
            }
        }
        return List.copyOf(out);
    }

    private static Path packed(Path classes) {
        try {
            Path jar = Files.createTempFile("reprolab-classes-", ".jar");
            jar.toFile().deleteOnExit();
            try (var out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("spark.jars: cannot pack " + classes, e);
        }
    }
}
