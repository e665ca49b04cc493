package org.reprolab.kernel;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The public top-level {@code org.reprolab} types of the project's main code, found on the test
 * class path (the kernel module sees every other module: random, tornado, lib). Test class
 * directories are skipped: a test helper may reuse a name, a user never sees it.
 */
final class LibraryTypes {
    private LibraryTypes() {}

    static List<Class<?>> publicTopLevel() {
        List<String> names = new ArrayList<>();
        for (String entry : TestClasspath.get().split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.contains("test-classes") || !Files.exists(p)) continue;
            if (Files.isDirectory(p)) names.addAll(inDirectory(p));
            else if (entry.endsWith(".jar")) names.addAll(inJar(p));
        }
        List<Class<?>> types = new ArrayList<>();
        for (String name : names) {
            Class<?> c;
            try {
                c = Class.forName(name, false, LibraryTypes.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new AssertionError("cannot load " + name + " from the test class path", e);
            }
            if (Modifier.isPublic(c.getModifiers()) && !c.getSimpleName().equals("package-info")) types.add(c);
        }
        return types;
    }

    private static List<String> inDirectory(Path root) {
        Path base = root.resolve("org/reprolab");
        if (!Files.isDirectory(base)) return List.of();
        try (Stream<Path> files = Files.walk(base)) {
            return files.map(f -> root.relativize(f).toString().replace(File.separatorChar, '/'))
                    .filter(LibraryTypes::isTopLevelClassFile).map(LibraryTypes::className).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> inJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/reprolab/"))
                    .filter(LibraryTypes::isTopLevelClassFile).map(LibraryTypes::className).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isTopLevelClassFile(String path) {
        return path.endsWith(".class") && !path.contains("$") && !path.endsWith("package-info.class")
                && !path.endsWith("module-info.class");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
