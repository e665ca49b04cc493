package org.reprolab.kernel.widgets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two dialects of the Jupyter widget protocol a front end may speak.
 *
 * <p>{@link #MODERN} is protocol 2.1 of ipywidgets 7.x/8 front ends (JupyterLab, Notebook 7, VS Code,
 * nbclient): models in {@code @jupyter-widgets/base} 2.0.0, {@code @jupyter-widgets/controls} 2.0.0 and
 * {@code @jupyter-widgets/output} 1.0.0 (ipywidgets' {@code packages/schema/jupyterwidgetmodels.latest.md}),
 * {@code comm_open} data {@code {state, buffer_paths}} with metadata {@code {version: "2.1.0"}}, updates
 * both ways as {@code {method: "update", state, buffer_paths}}.
 *
 * <p>{@link #LEGACY} is what Debian's classic notebook 6.4.12 renders with its packaged ipywidgets 6
 * front end ({@code jupyter-js-widgets} 2.1.4, {@code /usr/share/jupyter/nbextensions/jupyter-js-widgets}):
 * models in module {@code jupyter-js-widgets} ({@code ~2.1.0}), the state itself as {@code comm_open}
 * data, {@code {method: "backbone", sync_data}} from the front end, and a {@code {method: "display"}}
 * message that puts the view in the cell. That front end announces itself by opening a
 * {@code jupyter.widget.version} comm when it connects, which is how the kernel picks the dialect.
 */
public enum Dialect {
    MODERN, LEGACY;

    static final String PROTOCOL_VERSION = "2.1.0";
    static final String LEGACY_FRONTEND_RANGE = "~2.1.4";
    static final String VIEW_MIME = "application/vnd.jupyter.widget-view+json";

    String module(Models.Module module) {
        if (this == LEGACY) {
            return "jupyter-js-widgets";
        }
        return switch (module) {
            case BASE -> "@jupyter-widgets/base";
            case CONTROLS -> "@jupyter-widgets/controls";
            case OUTPUT -> "@jupyter-widgets/output";
        };
    }

    String moduleVersion(Models.Module module) {
        if (this == LEGACY) {
            return "~2.1.0";
        }
        return module == Models.Module.OUTPUT ? "1.0.0" : "2.0.0";
    }

    /** The {@code comm_open} data carrying a model's whole state. */
    Map<String, Object> openData(Map<String, Object> state) {
        if (this == LEGACY) {
            return state;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", state);
        data.put("buffer_paths", List.of());
        return data;
    }

    /** The {@code comm_open} metadata. */
    Map<String, Object> openMetadata() {
        return this == LEGACY ? Map.of() : Map.of("version", PROTOCOL_VERSION);
    }

    /** A state update from the kernel. */
    Map<String, Object> update(Map<String, Object> state) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", "update");
        data.put("state", state);
        data.put(this == LEGACY ? "buffers" : "buffer_paths", List.of());
        return data;
    }

    /** The display bundle that shows a model's view. */
    Map<String, Object> viewBundle(String modelId, String text) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (this == MODERN) {
            view.put("version_major", 2);
            view.put("version_minor", 0);
        }
        view.put("model_id", modelId);
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(VIEW_MIME, view);
        if (this == MODERN) {
            // ipywidgets 6 shows text/plain beside the view; later front ends show it only where views cannot render
            bundle.put("text/plain", text);
        }
        return bundle;
    }
}
