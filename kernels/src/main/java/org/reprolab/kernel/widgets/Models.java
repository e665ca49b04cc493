package org.reprolab.kernel.widgets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The state each widget model starts with, key for key as ipywidgets sends it: ipywidgets 8's
 * {@code jupyterwidgetmodels.latest.md} for {@link Dialect#MODERN}, ipywidgets 6's
 * {@code jupyterwidgetmodels.v6.md} (what Debian's {@code python3-ipywidgets} 6.0.0 sends) for
 * {@link Dialect#LEGACY}. Front ends fill in missing keys with their defaults, but saved notebook
 * state and other kernels' widgets carry every key, so we do too.
 */
final class Models {

    private Models() {}

    enum Module { BASE, CONTROLS, OUTPUT }

    /** A model: its names, module, and which style model (if any) it references in each dialect. */
    enum Kind {
        LAYOUT("Layout", Module.BASE, null, null),
        SLIDER_STYLE("SliderStyle", Module.CONTROLS, null, null),
        DESCRIPTION_STYLE("DescriptionStyle", Module.CONTROLS, null, null),
        CHECKBOX_STYLE("CheckboxStyle", Module.CONTROLS, null, null),
        BUTTON_STYLE("ButtonStyle", Module.CONTROLS, null, null),
        INT_SLIDER("IntSlider", Module.CONTROLS, SLIDER_STYLE, SLIDER_STYLE),
        FLOAT_SLIDER("FloatSlider", Module.CONTROLS, SLIDER_STYLE, null),
        FLOAT_LOG_SLIDER("FloatLogSlider", Module.CONTROLS, SLIDER_STYLE, null),
        DROPDOWN("Dropdown", Module.CONTROLS, DESCRIPTION_STYLE, null),
        CHECKBOX("Checkbox", Module.CONTROLS, CHECKBOX_STYLE, null),
        BUTTON("Button", Module.CONTROLS, BUTTON_STYLE, BUTTON_STYLE),
        OUTPUT("Output", Module.OUTPUT, null, null),
        HBOX("HBox", Module.CONTROLS, null, null),
        VBOX("VBox", Module.CONTROLS, null, null);

        final String name;
        final Module module;
        final Kind modernStyle;
        final Kind legacyStyle;

        Kind(String name, Module module, Kind modernStyle, Kind legacyStyle) {
            this.name = name;
            this.module = module;
            this.modernStyle = modernStyle;
            this.legacyStyle = legacyStyle;
        }

        boolean isStyle() {
            return name.endsWith("Style");
        }

        Kind style(Dialect dialect) {
            return dialect == Dialect.MODERN ? modernStyle : legacyStyle;
        }

        /**
         * The model ipywidgets 6 has for it: no log slider there, so a log slider is a float slider over
         * the exponent (see {@link Widget}).
         */
        String modelName(Dialect dialect) {
            return (this == FLOAT_LOG_SLIDER && dialect == Dialect.LEGACY ? "FloatSlider" : name) + "Model";
        }

        String viewName(Dialect dialect) {
            if (isStyle()) {
                return "StyleView";
            }
            return (this == FLOAT_LOG_SLIDER && dialect == Dialect.LEGACY ? "FloatSlider" : name) + "View";
        }

        /** Styles' views live in the base module in ipywidgets 8 (their models in controls). */
        Module viewModule(Dialect dialect) {
            return isStyle() ? Module.BASE : module;
        }
    }

    private static final List<String> MODERN_LAYOUT = List.of("align_content", "align_items", "align_self",
            "border_bottom", "border_left", "border_right", "border_top", "bottom", "display", "flex", "flex_flow",
            "grid_area", "grid_auto_columns", "grid_auto_flow", "grid_auto_rows", "grid_column", "grid_gap", "grid_row",
            "grid_template_areas", "grid_template_columns", "grid_template_rows", "height", "justify_content",
            "justify_items", "left", "margin", "max_height", "max_width", "min_height", "min_width", "object_fit",
            "object_position", "order", "overflow", "padding", "right", "top", "visibility", "width");
    private static final List<String> LEGACY_LAYOUT = List.of("align_content", "align_items", "align_self", "border",
            "bottom", "display", "flex", "flex_flow", "height", "justify_content", "left", "margin", "max_height",
            "max_width", "min_height", "min_width", "order", "overflow", "overflow_x", "overflow_y", "padding", "right",
            "top", "visibility", "width");

    /**
     * The full initial state of a {@code kind} model in {@code dialect}; {@code child} opens the layout and
     * style models it references and returns their {@code IPY_MODEL_} references.
     */
    static Map<String, Object> initialState(Kind kind, Dialect dialect, Function<Kind, String> child) {
        boolean modern = dialect == Dialect.MODERN;
        State s = new State();
        if (kind != Kind.LAYOUT && !kind.isStyle()) {
            s.put("_dom_classes", List.of());
        }
        s.put("_model_module", dialect.module(kind.module));
        s.put("_model_module_version", dialect.moduleVersion(kind.module));
        s.put("_model_name", kind.modelName(dialect));
        s.put("_view_module", dialect.module(kind.viewModule(dialect)));
        s.put("_view_module_version", dialect.moduleVersion(kind.viewModule(dialect)));
        s.put("_view_name", kind.viewName(dialect));
        if (!modern) {
            s.put("msg_throttle", 1);
        }
        switch (kind) {
            case LAYOUT -> (modern ? MODERN_LAYOUT : LEGACY_LAYOUT).forEach(key -> s.put(key, null));
            case SLIDER_STYLE -> {
                if (modern) {
                    s.put("description_width", "");
                }
                s.put("handle_color", null);
            }
            case DESCRIPTION_STYLE -> s.put("description_width", "");
            case CHECKBOX_STYLE -> s.put("background", null).put("description_width", "");
            case BUTTON_STYLE -> {
                s.put("button_color", null);
                if (modern) {
                    for (String key : List.of("font_family", "font_size", "font_style", "font_variant", "font_weight",
                            "text_color", "text_decoration")) {
                        s.put(key, null);
                    }
                } else {
                    s.put("font_weight", "");
                }
            }
            case INT_SLIDER, FLOAT_SLIDER, FLOAT_LOG_SLIDER -> {
                boolean integer = kind == Kind.INT_SLIDER;
                boolean log = kind == Kind.FLOAT_LOG_SLIDER && modern;
                if (log) {
                    s.put("base", 10.0);
                }
                if (modern) {
                    s.put("behavior", "drag-tap");
                } else {
                    s.put("_range", false);
                }
                s.put("continuous_update", true).put("description", "");
                if (modern) {
                    s.put("description_allow_html", false);
                }
                s.put("disabled", false).put("max", integer ? 100 : log ? 4.0 : 100.0).put("min", integer ? 0 : 0.0)
                        .put("orientation", "horizontal").put("readout", true)
                        .put("readout_format", integer ? "d" : log ? ".3g" : ".2f");
                if (kind != Kind.INT_SLIDER && !modern) {
                    s.put("slider_color", null);
                }
                s.put("step", integer ? 1 : 0.1).put("value", integer ? 0 : log ? 1.0 : 0.0);
            }
            case DROPDOWN -> {
                s.put("_options_labels", List.of()).put("description", "");
                if (modern) {
                    s.put("description_allow_html", false);
                }
                s.put("disabled", false);
                // ipywidgets 8 selects by index, ipywidgets 6 by label
                s.put(modern ? "index" : "value", null);
            }
            case CHECKBOX -> {
                s.put("description", "");
                if (modern) {
                    s.put("description_allow_html", false);
                }
                s.put("disabled", false);
                if (modern) {
                    s.put("indent", true);
                }
                s.put("value", false);
            }
            case BUTTON -> s.put("button_style", "").put("description", "").put("disabled", false).put("icon", "")
                    .put("tooltip", modern ? null : "");
            case OUTPUT -> {
                s.put("msg_id", "");
                if (modern) {
                    s.put("outputs", List.of());
                }
            }
            case HBOX, VBOX -> s.put("box_style", "").put("children", List.of());
        }
        if (kind != Kind.LAYOUT && !kind.isStyle()) {
            s.put("layout", child.apply(Kind.LAYOUT));
            Kind style = kind.style(dialect);
            if (style != null) {
                s.put("style", child.apply(style));
            }
            if (modern) {
                s.put("tabbable", null);
                s.putIfAbsent("tooltip", null);
            }
        }
        return s.sorted();
    }

    /** Insertion-ordered state with chained puts that allow null values. */
    private static final class State {
        private final Map<String, Object> map = new LinkedHashMap<>();

        State put(String key, Object value) {
            map.put(key, value);
            return this;
        }

        void putIfAbsent(String key, Object value) {
            map.putIfAbsent(key, value);
        }

        /** Keys in the order ipywidgets sends them (sorted), for readable messages and stable tests. */
        Map<String, Object> sorted() {
            List<String> keys = new ArrayList<>(map.keySet());
            String[] array = keys.toArray(String[]::new);
            Arrays.sort(array);
            Map<String, Object> out = new LinkedHashMap<>();
            for (String key : array) {
                out.put(key, map.get(key));
            }
            return out;
        }
    }
}
