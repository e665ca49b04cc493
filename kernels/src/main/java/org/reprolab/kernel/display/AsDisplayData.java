package org.reprolab.kernel.display;

import java.util.Map;

/**
 * Implemented by values that describe themselves: the registry asks them first, before any
 * registered displayer (the jvm-repr {@code AsDisplayData} idea).
 */
public interface AsDisplayData {
    Map<String, String> display();
}
