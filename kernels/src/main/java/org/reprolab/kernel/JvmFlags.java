package org.reprolab.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags our code needs wherever it runs (the Vector API module, native access for
 * OpenCL, headless AWT for charts). Written once in the root pom ({@code reprolab.jvm.flags}),
 * copied here at build time, read by the kernelspec writer and the JShell launcher.
 */
final class JvmFlags {

    private JvmFlags() {}

    static List<String> required() {
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm.flags")) {
            if (in == null) {
                throw new IllegalStateException("jvm.flags is missing from the kernel jar; rebuild with ./mvnw package");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return Arrays.stream(text.split("\\s+")).filter(s -> !s.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
