package org.reprolab.kernel.display;

import java.util.Map;

/**
 * Turns one kind of value into a MIME bundle: MIME type to content, with binary content (PNG)
 * as base64 text. The contract of jupyter/jvm-repr's {@code Displayer}, in our own package
 * (jvm-repr is not on Maven Central), so that libraries and users can teach the kernel to show
 * their objects.
 *
 * @param <T> the type it displays
 */
@FunctionalInterface
public interface Displayer<T> {

    /** The bundle for {@code value}; an empty map means "I have nothing to show for it". */
    Map<String, String> display(T value);
}
