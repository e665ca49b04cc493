package org.reprolab.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.reprolab.implicit.IterativeSolver;
import org.reprolab.implicit.SolverTrace;

/**
 * {@code Lab.iterate(problem)}: iterative solvers compared on one problem by how they converge (Tang
 * et al., ICLR 2024, Figs. 1–3: error against iterations and against wall time, iterations to a
 * tolerance as a parameter moves). A method is any {@link IterativeSolver} of the problem; a run
 * records its error and elapsed seconds after every iteration, and in the table its iteration count,
 * whether it converged, the solver's own numbers ({@link SolverTrace#scalars()}) and
 * {@code solution_diff}, the largest difference between its solution and the first method's at the
 * same sweep point and seed (do they agree?); the solution itself is kept ({@code runs.output(label)}, a
 * {@code double[]}). Methods that are records are swept by component name:
 * {@code sweep("epsilon", 1e-2, 2e-3)}.
 *
 * @param <P> the problem type
 */
public final class IterateExperiment<P> extends Experiment<IterativeSolver<P>, IterateExperiment<P>> {
    private final P problem;
    private final Map<String, double[]> solutions = new ConcurrentHashMap<>();

    IterateExperiment(P problem) {
        super("iterate", "iteration", 1, String.valueOf(problem), new Methods(IterativeSolver.class, "an iterative solver (IterativeSolver, such as Sinkhorn or SinkhornNewtonSparse)"));
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    @Override
    String name(IterativeSolver<P> method, Set<String> swept) {
        return method.getClass().isRecord() ? method.getClass().getSimpleName() : "solver";
    }

    @Override
    List<String> series() {
        return List.of("error", "seconds");
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.lower("error"));
    }

    @Override
    Object problem() {
        return problem;
    }

    @Override
    void validate() {
        solutions.clear();
    }

    @Override
    Map<String, Double> execute(Cell<IterativeSolver<P>> cell, Recorder rec) {
        SolverTrace trace = cell.value().trace(problem);
        double[] errors = trace.errors(), seconds = trace.seconds();
        for (int i = 0; i < errors.length; i++) {
            if (!rec.record(errors[i], seconds[i])) break;
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("iterations", (double) trace.iterations());
        scalars.put("converged", trace.converged() ? 1.0 : 0.0);
        scalars.putAll(trace.scalars());
        solutions.put(key(cell.method(), cell.point(), cell.seed()), trace.solution());
        keep(cell, trace.solution());
        return scalars;
    }

    private static String key(String method, Map<String, Object> point, int seed) {
        return Format.label(method, point) + "\u0000" + seed;
    }

    /** Adds {@code solution_diff} against the first method's solution at the same sweep point and seed. */
    @Override
    List<Run> derive(List<Run> runs) {
        if (runs.isEmpty()) return runs;
        String first = runs.getFirst().method();
        return runs.stream().map(r -> {
            double[] mine = solutions.get(key(r.method(), r.point(), r.seed()));
            double[] ref = solutions.get(key(first, r.point(), r.seed()));
            if (mine == null || ref == null || mine.length != ref.length || mine.length == 0) return r;
            double diff = 0;
            for (int i = 0; i < mine.length; i++) diff = Math.max(diff, Math.abs(mine[i] - ref[i]));
            var scalars = new LinkedHashMap<>(r.scalars());
            scalars.put("solution_diff", diff);
            return new Run(r.method(), r.point(), r.seed(), r.status(), r.units(), r.wallMillis(), r.history(), scalars, r.error());
        }).toList();
    }
}
