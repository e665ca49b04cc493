package org.reprolab.lab;

import java.util.List;
import java.util.Objects;

/**
 * A value the reader moves in {@link Lab#interact}: a slider, a choice, a switch. Controls are plain
 * values, so the library needs no front end; the Jupyter kernel draws them as widgets, and where there
 * is none (JShell, a test) the interaction runs once with every control at its initial value.
 *
 * @param <T> the type the render function receives
 */
public sealed interface Control<T> permits Control.IntSlider, Control.NumberSlider, Control.LogSlider,
        Control.Choice, Control.Toggle {

    /** The label shown next to the control and the key of {@link Interaction.Values}. */
    String name();

    T initial();

    /** The value a front end sent, checked and converted: a clear error names the control. */
    T accept(Object raw);

    /** Integers from {@code min} to {@code max} by {@code step}. */
    record IntSlider(String name, int min, int max, int step, Integer initial) implements Control<Integer> {
        public IntSlider {
            requireName(name);
            if (min > max || step <= 0 || initial < min || initial > max) {
                throw new IllegalArgumentException("slider " + name + ": need min <= initial <= max and step > 0, got min="
                        + min + " initial=" + initial + " max=" + max + " step=" + step);
            }
        }

        @Override
        public Integer accept(Object raw) {
            if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException("slider " + name + " takes an integer, got " + raw);
            }
            return Math.clamp(n.longValue(), min, max);
        }
    }

    /** Real numbers from {@code min} to {@code max} by {@code step} (a regulariser's λ, a guidance scale). */
    record NumberSlider(String name, double min, double max, double step, Double initial) implements Control<Double> {
        public NumberSlider {
            requireName(name);
            if (!(min <= initial && initial <= max) || !(step > 0)) {
                throw new IllegalArgumentException("slider " + name + ": need min <= initial <= max and step > 0, got min="
                        + min + " initial=" + initial + " max=" + max + " step=" + step);
            }
        }

        @Override
        public Double accept(Object raw) {
            return Math.clamp(number(name, raw), min, max);
        }
    }

    /**
     * Positive numbers on a base-10 logarithmic scale from {@code min} to {@code max} (a learning rate):
     * equal steps of the handle multiply the value by the same factor.
     */
    record LogSlider(String name, double min, double max, Double initial) implements Control<Double> {
        public LogSlider {
            requireName(name);
            if (!(min > 0 && min <= initial && initial <= max)) {
                throw new IllegalArgumentException("log slider " + name + ": need 0 < min <= initial <= max, got min="
                        + min + " initial=" + initial + " max=" + max);
            }
        }

        /** The handle moves in steps of a twentieth of a decade. */
        public double exponentStep() {
            return 0.05;
        }

        @Override
        public Double accept(Object raw) {
            return Math.clamp(number(name, raw), min, max);
        }
    }

    /** One of {@code options}, shown by {@code String.valueOf} (an optimizer, a sampler, a dataset). */
    record Choice<T>(String name, List<T> options, T initial) implements Control<T> {
        public Choice {
            requireName(name);
            options = List.copyOf(options);
            if (!options.contains(initial)) {
                throw new IllegalArgumentException("dropdown " + name + ": initial " + initial + " is not one of " + options);
            }
        }

        /** The labels the front end shows, in order. */
        public List<String> labels() {
            return options.stream().map(String::valueOf).toList();
        }

        /** Accepts an option, or its index or label as a front end sends them. */
        @Override
        public T accept(Object raw) {
            if (options.contains(raw)) {
                return options.stream().filter(o -> o.equals(raw)).findFirst().orElseThrow();
            }
            if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 0 && n.intValue() < options.size()) {
                return options.get(n.intValue());
            }
            int byLabel = labels().indexOf(String.valueOf(raw));
            if (byLabel >= 0) {
                return options.get(byLabel);
            }
            throw new IllegalArgumentException("dropdown " + name + " has no option " + raw + "; options: " + labels());
        }
    }

    /** On or off (a checkbox). */
    record Toggle(String name, Boolean initial) implements Control<Boolean> {
        public Toggle {
            requireName(name);
            Objects.requireNonNull(initial, "initial");
        }

        @Override
        public Boolean accept(Object raw) {
            if (raw instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException("checkbox " + name + " takes true or false, got " + raw);
        }
    }

    static IntSlider slider(String name, int min, int max, int initial) {
        return new IntSlider(name, min, max, 1, initial);
    }

    /** A slider over [min, max] in a hundred steps. */
    static NumberSlider slider(String name, double min, double max, double initial) {
        return new NumberSlider(name, min, max, (max - min) / 100, initial);
    }

    static NumberSlider slider(String name, double min, double max, double step, double initial) {
        return new NumberSlider(name, min, max, step, initial);
    }

    static LogSlider logSlider(String name, double min, double max, double initial) {
        return new LogSlider(name, min, max, initial);
    }

    @SafeVarargs
    static <T> Choice<T> dropdown(String name, T initial, T... options) {
        return new Choice<>(name, List.of(options), initial);
    }

    static <T> Choice<T> dropdown(String name, List<T> options, T initial) {
        return new Choice<>(name, options, initial);
    }

    static Toggle checkbox(String name, boolean initial) {
        return new Toggle(name, initial);
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a control needs a name");
        }
    }

    private static double number(String name, Object raw) {
        if (raw instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("slider " + name + " takes a finite number, got " + raw);
    }
}
