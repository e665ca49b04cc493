package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * An experiment's runs on a {@link Cluster} other than the local pool: one {@link RunTask} per cell, the
 * cluster's {@link Cluster.Tally} shown through the experiment's {@link Progress} (tasks done, running,
 * failed, retried), and the outcomes turned back into runs in cell order. A task that threw becomes a
 * {@link Run.Status#FAILED} run carrying its error; a task the interrupt cancelled is left out, and the
 * result is marked partial as after a local interrupt.
 */
final class RemoteRuns<M> {
    private final Experiment<M, ?> experiment;
    private final List<Experiment.Cell<M>> cells;
    private final Cluster cluster;
    private final Progress progress;
    private final String metric;
    private final String unit;
    private boolean interrupted;

    RemoteRuns(Experiment<M, ?> experiment, List<Experiment.Cell<M>> cells, Cluster cluster, Progress progress, String metric, String unit) {
        this.experiment = experiment;
        this.cells = cells;
        this.cluster = cluster;
        this.progress = progress;
        this.metric = metric;
        this.unit = unit;
    }

    /** True when the last {@link #execute} was interrupted. */
    boolean interrupted() {
        return interrupted;
    }

    List<Run> execute() {
        List<RunTask> tasks = new ArrayList<>(cells.size());
        for (int i = 0; i < cells.size(); i++) tasks.add(new RunTask(experiment, i));
        long start = System.nanoTime();
        List<Cluster.Outcome<Run>> outcomes = cluster.run(tasks, tally -> progress.update(event(tally, start)));
        List<Run> runs = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Experiment.Cell<M> cell = cells.get(i);
            switch (outcomes.get(i)) {
                case Cluster.Outcome.Done<Run> d -> runs.add(d.value());
                case Cluster.Outcome.Failed<Run> f -> runs.add(Run.failed(cell.method(), cell.point(), cell.seed(), 0, f.error()));
                case Cluster.Outcome.Cancelled<Run> c -> interrupted = true;
            }
        }
        return runs;
    }

    private Progress.Event event(Cluster.Tally t, long start) {
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        long eta = t.done() == 0 || t.done() == t.total() ? -1 : elapsed * (t.total() - t.done()) / t.done();
        String where = cluster.description() + ": " + t.running() + " running, " + t.failed() + " failed" + (t.retried() > 0 ? ", " + t.retried() + " retried" : "");
        return new Progress.Event(t.done(), t.total(), where, elapsed, eta, metric, Double.NaN, unit, 0, 0);
    }

    /**
     * Run {@code index} of {@code experiment}'s plan, as a cluster task. The experiment travels whole (its
     * methods, problem, budget, seeds) and the cell is planned again where the task runs: planning is
     * deterministic, so task {@code i} there is cell {@code i} here. The recorder's stop flag is the task
     * thread's interrupt, which is how an engine cancels a task.
     */
    record RunTask(Experiment<?, ?> experiment, int index) implements Cluster.Task<Run> {
        @Override
        public Run call() throws Exception {
            return run(experiment);
        }

        private <M> Run run(Experiment<M, ?> e) throws Exception {
            Experiment.Cell<M> cell = e.plan().get(index);
            Recorder rec = new Recorder(e.series(), e.capacity(), () -> Thread.currentThread().isInterrupted());
            return e.runOne(cell, rec);
        }
    }
}
