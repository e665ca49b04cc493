package org.reprolab.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A notebook executed headless by {@code notebooks/execute.py} (nbclient, a real Jupyter client)
 * against the kernel under test, read back for assertions: errors, rich outputs, and the key
 * numbers a notebook prints as {@code label = value} lines.
 */
public final class NotebookRun {

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

    /** Every error output, as "ename: evalue". */
    public List<String> errors() {
        return outputs().stream().filter(o -> "error".equals(o.get("output_type").getAsString()))
                .map(o -> o.get("ename").getAsString() + ": " + o.get("evalue").getAsString()).toList();
    }

    /** How many execute_result / display_data outputs carry {@code mime}. */
    public long count(String mime) {
        return outputs().stream().filter(o -> o.has("data") && o.getAsJsonObject("data").has(mime)).count();
    }

    /** All data of type {@code mime}, in order. */
    public List<String> data(String mime) {
        return outputs().stream().filter(o -> o.has("data") && o.getAsJsonObject("data").has(mime))
                .map(o -> text(o.getAsJsonObject("data").get(mime))).toList();
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
