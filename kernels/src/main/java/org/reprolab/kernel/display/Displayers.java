package org.reprolab.kernel.display;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The display registry: which displayer shows a value, found by its class.
 *
 * <p>Lookup follows jvm-repr's {@code Registration.find}: breadth-first over the type hierarchy,
 * the class itself first, then its interfaces left to right, then the superclass and its
 * interfaces, and so on; {@code Object} is skipped and the default (a to-string displayer that
 * prints arrays element by element) answers last. A value that implements {@link AsDisplayData}
 * describes itself. Each kernel holds one registry; {@link #global()} is the one that notebook
 * code registers into.
 */
public final class Displayers {

    private static final Displayers GLOBAL = BuiltinDisplayers.installInto(new Displayers());

    private final Map<Class<?>, Displayer<?>> byType = new ConcurrentHashMap<>();
    private volatile Displayer<Object> fallback = ToStringDisplayer.INSTANCE;

    /** The registry the kernel renders results with. */
    public static Displayers global() {
        return GLOBAL;
    }

    /** Registers {@code displayer} for {@code type} and its subtypes, replacing any earlier one. */
    public <T> Displayers register(Class<T> type, Displayer<? super T> displayer) {
        byType.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(displayer, "displayer"));
        return this;
    }

    /** Sets what answers when nothing is registered; {@code null} restores the to-string default. */
    public void setDefault(Displayer<Object> displayer) {
        fallback = displayer == null ? ToStringDisplayer.INSTANCE : displayer;
    }

    /** The displayer that would show a value of {@code type}: the nearest registration, else the default. */
    public Displayer<?> find(Class<?> type) {
        Deque<Class<?>> queue = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        queue.add(type);
        while (!queue.isEmpty()) {
            Class<?> next = queue.poll();
            if (next == Object.class || !seen.add(next)) {
                continue;
            }
            Displayer<?> found = byType.get(next);
            if (found != null) {
                return found;
            }
            for (Class<?> iface : next.getInterfaces()) {
                queue.add(iface);
            }
            if (next.getSuperclass() != null) {
                queue.add(next.getSuperclass());
            }
        }
        return fallback;
    }

    /**
     * The MIME bundle for {@code value}, always with a {@code text/plain} entry so every client
     * has something to show. A displayer that fails gives a text bundle that says so, never an
     * exception: a broken displayer must not take a cell's result away.
     */
    @SuppressWarnings("unchecked")
    public Map<String, String> display(Object value) {
        Map<String, String> bundle = new LinkedHashMap<>();
        try {
            Map<String, String> shown = value instanceof AsDisplayData self
                    ? self.display()
                    : ((Displayer<Object>) find(value == null ? Void.class : value.getClass())).display(value);
            if (shown != null) {
                bundle.putAll(shown);
            }
        } catch (RuntimeException | LinkageError e) {
            bundle.put(MimeTypes.TEXT, ToStringDisplayer.text(value)
                    + "\n(display failed: " + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        bundle.putIfAbsent(MimeTypes.TEXT, ToStringDisplayer.text(value));
        return bundle;
    }
}
