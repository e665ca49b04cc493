package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Runs} as JSON ({@code "format": "reprolab-runs/1"}): a header (pillar, title, unit, metrics,
 * swept names, partial) and one object per run with its sweep point, status, wall time, histories
 * and scalars. pandas reads the runs with {@code pd.json_normalize(json.load(f)["runs"])}.
 */
final class RunsFile {
    private RunsFile() {}

    static String write(Runs runs) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("format", Runs.FORMAT);
        top.put("pillar", runs.pillar());
        top.put("title", runs.title());
        top.put("unit", runs.unit());
        top.put("origin", runs.origin());
        top.put("partial", runs.partial());
        top.put("metrics", runs.metrics().stream().map(m -> Map.of("name", m.name(), "lowerIsBetter", m.lowerIsBetter())).toList());
        top.put("swept", runs.swept());
        List<Object> list = new ArrayList<>();
        for (Run r : runs.runs()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", r.method());
            o.put("point", r.point());
            o.put("seed", r.seed());
            o.put("status", r.status().name());
            o.put("units", r.units());
            o.put("wallMillis", r.wallMillis());
            o.put("history", r.history());
            o.put("scalars", r.scalars());
            if (r.error() != null) o.put("error", r.error());
            list.add(o);
        }
        top.put("runs", list);
        return Json.write(top);
    }

    @SuppressWarnings("unchecked")
    static Runs read(String text) {
        Map<String, Object> top = (Map<String, Object>) Json.read(text);
        if (!Runs.FORMAT.equals(top.get("format"))) {
            throw new IllegalArgumentException("Runs.load: not a Lab runs file (format " + top.get("format") + ", expected " + Runs.FORMAT + ")");
        }
        List<Metric> metrics = new ArrayList<>();
        for (Object m : (List<Object>) top.get("metrics")) {
            var mm = (Map<String, Object>) m;
            metrics.add(new Metric((String) mm.get("name"), (Boolean) mm.get("lowerIsBetter")));
        }
        List<Run> runs = new ArrayList<>();
        for (Object o : (List<Object>) top.get("runs")) {
            var r = (Map<String, Object>) o;
            Map<String, double[]> history = new LinkedHashMap<>();
            ((Map<String, Object>) r.get("history")).forEach((k, v) ->
                    history.put(k, ((List<Object>) v).stream().mapToDouble(Json::asDouble).toArray()));
            Map<String, Double> scalars = new LinkedHashMap<>();
            ((Map<String, Object>) r.get("scalars")).forEach((k, v) -> scalars.put(k, Json.asDouble(v)));
            runs.add(new Run((String) r.get("method"), (Map<String, Object>) r.get("point"), (Integer) r.get("seed"),
                    Run.Status.valueOf((String) r.get("status")), (Integer) r.get("units"), Json.asDouble(r.get("wallMillis")), history, scalars,
                    (String) r.get("error")));
        }
        return new Runs((String) top.get("pillar"), (String) top.get("title"), (String) top.get("unit"), (Integer) top.get("origin"), metrics,
                (List<String>) top.get("swept"), runs, (Boolean) top.get("partial"), null);
    }
}
