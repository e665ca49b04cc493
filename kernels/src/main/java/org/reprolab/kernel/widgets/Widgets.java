package org.reprolab.kernel.widgets;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jupyter widgets from Java, as ipywidgets users know them: sliders, dropdowns, checkboxes, buttons,
 * output areas and boxes. A widget that is a cell's value (or given to {@code display}) shows its view;
 * {@link Widget#observe} and {@link Button#onClick} react to the reader.
 *
 * <pre>{@code
 * var n = Widgets.intSlider("n", 1, 50, 10);
 * var out = Widgets.output();
 * n.observe("value", c -> out.replace(LinePlot.of(...)));
 * Widgets.vbox(n, out)
 * }</pre>
 *
 * For a plot that re-renders when controls move, {@code Lab.interact(...)} does the wiring (debounced).
 * Outside a kernel the widgets keep their state and show nothing.
 */
public final class Widgets {

    private static volatile WidgetComms comms;

    private Widgets() {}

    static void install(WidgetComms installed) {
        comms = installed;
    }

    static WidgetComms comms() {
        return comms;
    }

    public static Widget intSlider(String description, int min, int max, int value) {
        return intSlider(description, min, max, 1, value);
    }

    public static Widget intSlider(String description, int min, int max, int step, int value) {
        requireRange(description, min, max, step, value);
        return new Widget(comms, Models.Kind.INT_SLIDER, ordered("description", description, "min", min, "max", max,
                "step", step, "value", value));
    }

    public static Widget floatSlider(String description, double min, double max, double step, double value) {
        requireRange(description, min, max, step, value);
        return new Widget(comms, Models.Kind.FLOAT_SLIDER, ordered("description", description, "min", min, "max", max,
                "step", step, "value", value));
    }

    /**
     * A slider over [min, max] (both positive) on a base-10 log scale, in steps of a twentieth of a decade:
     * a learning rate. Its value is the number itself (ipywidgets' FloatLogSlider; the classic notebook's
     * ipywidgets 6 has none, so there it is a slider over the exponent, labelled so).
     */
    public static Widget logSlider(String description, double min, double max, double value) {
        if (!(min > 0)) {
            throw new IllegalArgumentException("log slider " + description + ": min must be positive, got " + min);
        }
        requireRange(description, min, max, 1, value);
        boolean legacy = comms != null && comms.dialect() == Dialect.LEGACY;
        return new Widget(comms, Models.Kind.FLOAT_LOG_SLIDER, ordered(
                "description", legacy ? "log₁₀ " + description : description,
                "min", Math.log10(min), "max", Math.log10(max), "step", 0.05, "value", value));
    }

    /** One of {@code options} (shown by {@code String.valueOf}); {@link Widget#value()} is the selected label. */
    public static Widget dropdown(String description, List<?> options, Object value) {
        List<String> labels = options.stream().map(String::valueOf).toList();
        int index = options.indexOf(value);
        if (index < 0) {
            throw new IllegalArgumentException("dropdown " + description + ": " + value + " is not one of " + labels);
        }
        return new Widget(comms, Models.Kind.DROPDOWN, ordered("_options_labels", labels, "description", description,
                "index", index));
    }

    public static Widget checkbox(String description, boolean value) {
        return new Widget(comms, Models.Kind.CHECKBOX, ordered("description", description, "value", value));
    }

    public static Button button(String description) {
        return new Button(comms, description);
    }

    public static Output output() {
        return new Output(comms);
    }

    /** Children side by side. */
    public static Widget hbox(Widget... children) {
        return box(Models.Kind.HBOX, children);
    }

    /** Children one below the other. */
    public static Widget vbox(Widget... children) {
        return box(Models.Kind.VBOX, children);
    }

    private static Widget box(Models.Kind kind, Widget... children) {
        List<String> references = Arrays.stream(children).map(Widget::reference).toList();
        return new Widget(comms, kind, Map.of("children", references));
    }

    private static void requireRange(String description, double min, double max, double step, double value) {
        if (!(min <= value && value <= max) || !(step > 0)) {
            throw new IllegalArgumentException("slider " + description + ": need min <= value <= max and step > 0, got min="
                    + min + " value=" + value + " max=" + max + " step=" + step);
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
