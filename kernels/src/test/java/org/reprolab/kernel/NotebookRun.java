package org.reprolab.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A notebook executed headless by {@code notebooks/execute.py} (nbclient, a real Jupyter client)
 * against the kernel under test, read back for assertions: errors, rich outputs, the key numbers a
 * notebook prints as {@code label = value} lines, and the widgets it shows (nbclient saves their
 * state, Output widgets' outputs included, in the notebook's metadata).
 */
public final class NotebookRun {

    /** The MIME type of a cell output that shows a widget. */
    public static final String WIDGET_VIEW = "application/vnd.jupyter.widget-view+json";

    private final String name;
    private final JsonObject notebook;
    private final String log;

    private NotebookRun(String name, JsonObject notebook, String log) {
        this.name = name;
        this.notebook = notebook;
        this.log = log;
    }

    /** Executes {@code notebooks/<name>.ipynb} with the test kernel and reads the result. */
    public static NotebookRun execute(String name) throws IOException, InterruptedException {
        return execute(Python.projectRoot().resolve("notebooks").resolve(name + ".ipynb"));
    }

    /** Executes the notebook at {@code source} (one a test wrote, say) with the test kernel and reads the result. */
    public static NotebookRun execute(Path source) throws IOException, InterruptedException {
        String kernel = "reprolab-test";
        Path dataDir = Python.testKernelDataDir(kernel);
        Path out = Python.buildDir().resolve("notebooks");
        String file = source.getFileName().toString();
        String name = file.endsWith(".ipynb") ? file.substring(0, file.length() - ".ipynb".length()) : file;
        Python.Run run = Python.run(
                List.of(Python.projectRoot().resolve("notebooks/execute.py").toString(), source.toString(),
                        "--kernel", kernel, "--out", out.toString(), "--reports", reportDir().toString(), "--timeout", "600"),
                Map.of("JUPYTER_PATH", dataDir.toString()), Python.buildDir(), 1800);
        Path executed = out.resolve(name + ".ipynb");
        if (!Files.exists(executed)) {
            throw new AssertionError("notebook " + name + " did not run:\n" + run.output());
        }
        return new NotebookRun(name, JsonParser.parseString(Files.readString(executed)).getAsJsonObject(), run.output());
    }

    /** Where the kernel writes each notebook's standalone report ({@code execute.py --reports}). */
    public static Path reportDir() {
        return Python.buildDir().resolve("reports");
    }

    /** The standalone report the kernel wrote for this notebook. */
    public String report() throws IOException {
        Path report = reportDir().resolve(name + ".html");
        if (!Files.exists(report)) throw new AssertionError("no report " + report + " for " + name + ":\n" + log);
        return Files.readString(report);
    }

    private List<JsonObject> outputs() {
        List<JsonObject> all = new ArrayList<>();
        for (JsonElement cell : notebook.getAsJsonArray("cells")) {
            JsonArray outputs = cell.getAsJsonObject().getAsJsonArray("outputs");
            if (outputs != null) {
                outputs.forEach(o -> all.add(o.getAsJsonObject()));
            }
        }
        return all;
    }

    /** Every error output, as "ename: evalue": of the cells, then in Output widgets (a {@code Lab.interact} render that threw). */
    public List<String> errors() {
        List<JsonObject> all = new ArrayList<>(outputs());
        widgets().values().forEach(w -> all.addAll(held(w)));
        return all.stream().filter(o -> "error".equals(o.get("output_type").getAsString()))
                .map(o -> o.get("ename").getAsString() + ": " + o.get("evalue").getAsString()).toList();
    }

    /**
     * The saved state of every widget, by model id: {@code {"model_name": ..., "state": {...}}}, as nbclient
     * writes it to the notebook's metadata at the end of the run (so an Output widget holds its last outputs).
     */
    public Map<String, JsonObject> widgets() {
        Map<String, JsonObject> widgets = new LinkedHashMap<>();
        JsonObject metadata = notebook.getAsJsonObject("metadata");
        JsonObject saved = metadata == null || !metadata.has("widgets") ? null
                : metadata.getAsJsonObject("widgets").getAsJsonObject("application/vnd.jupyter.widget-state+json");
        if (saved != null) {
            saved.getAsJsonObject("state").entrySet().forEach(e -> widgets.put(e.getKey(), e.getValue().getAsJsonObject()));
        }
        return widgets;
    }

    /** The model ids of the widget views the cells show ({@code application/vnd.jupyter.widget-view+json} outputs), in order. */
    public List<String> widgetViews() {
        return outputs().stream().filter(o -> o.has("data") && o.getAsJsonObject("data").has(WIDGET_VIEW))
                .map(o -> o.getAsJsonObject("data").getAsJsonObject(WIDGET_VIEW).get("model_id").getAsString()).toList();
    }

    /** The state of the widgets in the view {@code modelId} (itself, then its children, depth first). */
    public List<JsonObject> widgetTree(String modelId) {
        JsonObject widget = widgets().get(modelId);
        if (widget == null) throw new AssertionError(name + ": no saved state for widget " + modelId + "; saved: " + widgets().keySet());
        List<JsonObject> tree = new ArrayList<>(List.of(widget));
        JsonArray children = widget.getAsJsonObject("state").getAsJsonArray("children");
        if (children != null) {
            children.forEach(c -> tree.addAll(widgetTree(c.getAsString().substring("IPY_MODEL_".length()))));
        }
        return tree;
    }

    /** The outputs the Output widgets in the view {@code modelId} hold at the end of the run. */
    public List<JsonObject> widgetOutputs(String modelId) {
        return widgetTree(modelId).stream().flatMap(w -> held(w).stream()).toList();
    }

    /** The outputs an Output widget holds; none for other widgets. */
    private static List<JsonObject> held(JsonObject widget) {
        JsonArray outputs = widget.getAsJsonObject("state").getAsJsonArray("outputs");
        List<JsonObject> held = new ArrayList<>();
        if ("OutputModel".equals(widget.get("model_name").getAsString()) && outputs != null) {
            outputs.forEach(o -> held.add(o.getAsJsonObject()));
        }
        return held;
    }

    /** The data of type {@code mime} among {@code outputs} (a widget's, say), in order. */
    public static List<String> data(List<JsonObject> outputs, String mime) {
        return outputs.stream().filter(o -> o.has("data") && o.getAsJsonObject("data").has(mime))
                .map(o -> text(o.getAsJsonObject("data").get(mime))).toList();
    }

    /** How many execute_result / display_data outputs carry {@code mime}. */
    public long count(String mime) {
        return outputs().stream().filter(o -> o.has("data") && o.getAsJsonObject("data").has(mime)).count();
    }

    /** All data of type {@code mime}, in order. */
    public List<String> data(String mime) {
        return data(outputs(), mime);
    }

    /** Everything the notebook printed to stdout. */
    public String stdout() {
        StringBuilder out = new StringBuilder();
        for (JsonObject o : outputs()) {
            if ("stream".equals(o.get("output_type").getAsString()) && "stdout".equals(o.get("name").getAsString())) {
                out.append(text(o.get("text")));
            }
        }
        return out.toString();
    }

    /** The number printed on a line {@code <label> = <number>}. */
    public double number(String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(label) + "\\s*=\\s*([-+0-9.eEinfaNI]+)").matcher(stdout());
        if (!m.find()) {
            throw new AssertionError(name + ": no line '" + label + " = ...' in its output:\n" + stdout());
        }
        return Double.parseDouble(m.group(1));
    }

    /** What nbclient printed, for failure messages. */
    public String log() {
        return log;
    }

    private static String text(JsonElement e) {
        if (e.isJsonArray()) {
            StringBuilder s = new StringBuilder();
            e.getAsJsonArray().forEach(part -> s.append(part.getAsString()));
            return s.toString();
        }
        return e.getAsString();
    }

}
