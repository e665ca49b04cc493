package org.reprolab.lab;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A result that re-renders when the reader moves a control: {@link Lab#interact} builds one and shows
 * it at once through the installed {@link Front}. The library knows no front end: the Jupyter kernel
 * installs one that draws the controls as Jupyter widgets above an output area and re-runs the render
 * function, debounced, when a control moves; the default runs it once at the initial values and prints
 * the result (JShell, tests).
 *
 * <p>Keep the handle to move a control from code ({@code set("lr", 3e-3)}), as the reader would.
 */
public final class Interaction {

    /** The values of the controls for one rendering, by control name. */
    public record Values(Map<String, Object> byName) {
        public Values {
            byName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        }

        /** The value of {@code control}, typed. */
        @SuppressWarnings("unchecked")
        public <T> T get(Control<T> control) {
            return (T) get(control.name());
        }

        public Object get(String name) {
            Object value = byName.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no control named " + name + "; controls: " + byName.keySet());
            }
            return value;
        }

        public double number(String name) {
            return ((Number) get(name)).doubleValue();
        }

        public int integer(String name) {
            return ((Number) get(name)).intValue();
        }

        public boolean flag(String name) {
            return (Boolean) get(name);
        }
    }

    /** Draws an interaction and reports control moves to {@link Interaction#moved}; installed by a front end. */
    public interface Front {
        /** Shows the controls and the first rendering; returns the view that control moves from code go through. */
        View show(Interaction interaction);
    }

    /** A shown interaction, as its front end keeps it. */
    public interface View {
        /** Moves a control from code: the front end shows the new value and renders again. */
        void set(String name, Object value);
    }

    /** The quiet period after a move before rendering: rapid moves coalesce into one run with the latest values. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(150);

    private static volatile Front front = Interaction::renderOnce;

    private final List<Control<?>> controls;
    private final Function<Values, ?> render;
    private final Duration debounce;
    private final Map<String, Object> current = new LinkedHashMap<>();
    private volatile View view;

    Interaction(List<Control<?>> controls, Function<Values, ?> render, Duration debounce) {
        this.controls = List.copyOf(controls);
        this.render = Objects.requireNonNull(render, "render");
        this.debounce = Objects.requireNonNull(debounce, "debounce");
        if (this.controls.isEmpty()) {
            throw new IllegalArgumentException("interact needs at least one control");
        }
        for (Control<?> control : this.controls) {
            if (current.put(control.name(), control.initial()) != null) {
                throw new IllegalArgumentException("two controls are named " + control.name());
            }
        }
    }

    /** Installs the front end for later {@link Lab#interact} calls (the Jupyter kernel does this at start-up); null restores the default. */
    public static void setFront(Front newFront) {
        front = newFront == null ? Interaction::renderOnce : newFront;
    }

    Interaction show() {
        view = front.show(this);
        return this;
    }

    public List<Control<?>> controls() {
        return controls;
    }

    public Duration debounce() {
        return debounce;
    }

    /** The controls' current values. */
    public synchronized Values values() {
        return new Values(current);
    }

    /**
     * A control moved in the front end: records its value (checked by the control) and returns the values
     * to render with.
     */
    public synchronized Values moved(String name, Object raw) {
        Control<?> control = control(name);
        current.put(name, control.accept(raw));
        return new Values(current);
    }

    /** Moves a control from code, as the reader would: the front end shows it and renders again. */
    public Interaction set(String name, Object value) {
        Object accepted = control(name).accept(value);
        View shown = view;
        if (shown == null) {
            moved(name, accepted);
        } else {
            shown.set(name, accepted);
        }
        return this;
    }

    /** Runs the render function at {@code values}: what it returns is the result to show (a {@code Runs}, a figure). */
    public Object render(Values values) {
        return render.apply(values);
    }

    private Control<?> control(String name) {
        return controls.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no control named " + name + "; controls: "
                        + controls.stream().map(Control::name).toList()));
    }

    private static View renderOnce(Interaction interaction) {
        System.out.println(interaction.render(interaction.values()));
        return (name, value) -> System.out.println(interaction.render(interaction.moved(name, value)));
    }

    @Override
    public String toString() {
        return "Interaction" + values().byName();
    }
}
