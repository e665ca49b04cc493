package org.reprolab.kernel.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;

/**
 * The directory the notebook's compiled classes are mirrored into for remote executors (Spark's
 * {@code spark.repl.class.outputDir}); none until {@link #mirrorInto} is called (by {@code %spark}). Each
 * snippet class is written as {@code REPL/$JShell$N.class}, rewritten when a cell redefines it.
 */
public final class NotebookClasses {
    private static volatile Path directory;

    private NotebookClasses() {}

    /** From now on, every class a cell defines is also written under {@code dir}. */
    public static void mirrorInto(Path dir) {
        directory = dir;
    }

    static void write(ClassBytecodes[] classes) {
        Path dir = directory;
        if (dir == null) return;
        try {
            for (ClassBytecodes c : classes) {
                Path file = dir.resolve(c.name().replace('.', '/') + ".class");
                Files.createDirectories(file.getParent());
                Files.write(file, c.bytecodes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write notebook classes for Spark's executors into " + dir, e);
        }
    }
}
