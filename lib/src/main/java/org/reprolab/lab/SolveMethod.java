package org.reprolab.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.reprolab.ode.Problem;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solver;

/**
 * A method {@code Lab.solve} compares: one of ours ({@link #of(Solver)}, a solver under a controller rule), or a
 * <i>peer</i> ({@link #peer}, {@link #process}): any other implementation (scipy, diffrax, a C library) that
 * solves the problem at each tolerance and reports the end state, its function evaluations and its time, so its
 * rows sit in the same {@link Runs} table and work–precision figures as ours. A bare {@link Solver} given to
 * {@code compare} means {@code SolveMethod.of(solver)}.
 */
public sealed interface SolveMethod permits SolveMethod.Integrator, SolveMethod.Peer {

    /** The step-size rule of one of our methods at a tolerance ({@code Controllers::scipy}, {@code Controllers::pid}). */
    @FunctionalInterface
    interface ControllerRule {
        StepController at(double rtol, double atol);
    }

    /**
     * Solves {@code problem} once per budget point (an adaptive controller carrying rtol and atol, or a constant step
     * h) and reports one {@link Outcome} per point, in order.
     */
    @FunctionalInterface
    interface PeerSolver {
        List<Outcome> solve(Problem<double[]> problem, List<StepController> budgets) throws Exception;
    }

    /**
     * What a peer reports for one tolerance: the end state y(t1), the right-hand-side evaluations, the wall time of one
     * solve in milliseconds, and the accepted and rejected steps ({@code -1} when the peer does not report them).
     */
    record Outcome(double[] y, long nfe, double millis, long accepted, long rejected) {
        public Outcome {
            Objects.requireNonNull(y, "y");
            y = y.clone();
        }

        /** An outcome without step counts. */
        public static Outcome of(double[] y, long nfe, double millis) {
            return new Outcome(y, nfe, millis, -1, -1);
        }
    }

    /** One of our solvers under a controller rule. */
    record Integrator(Solver solver, ControllerRule controller, boolean defaultControl) implements SolveMethod {
        public Integrator {
            Objects.requireNonNull(solver, "solver");
            Objects.requireNonNull(controller, "controller");
        }
    }

    /** Another implementation, named for the table. */
    record Peer(String name, PeerSolver solver) implements SolveMethod {
        public Peer {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("solve: a peer method needs a name");
            Objects.requireNonNull(solver, "peer solver");
        }
    }

    /** The solver under the adaptive controller with its own recommended gain ({@code Controllers.pid(rtol, atol)}). */
    static SolveMethod of(Solver solver) {
        return new Integrator(solver, Controllers::pid, true);
    }

    /** The solver under another controller rule: {@code SolveMethod.of(Solvers.dopri5(), Controllers::scipy)}. */
    static SolveMethod of(Solver solver, ControllerRule controller) {
        return new Integrator(solver, controller, false);
    }

    /** A peer written in Java (or calling out however it likes). */
    static SolveMethod peer(String name, PeerSolver solver) {
        return new Peer(name, solver);
    }

    /**
     * A peer run as an external process, once per run: it reads one budget point per line on standard input
     * ({@code "rtol atol"} for tolerances, {@code "h"} for fixed steps) and answers each with one line
     * {@code "nfe millis y_1 ... y_d"} (lines not starting with a number are ignored, so it may print notes). A
     * non-zero exit or a missing answer fails the run with the process's output.
     *
     * <pre>{@code
     * SolveMethod.process("scipy RK45", "/usr/bin/python3", "-c", script, "lotka_volterra", "RK45")
     * }</pre>
     */
    static SolveMethod process(String name, String... command) {
        if (command.length == 0) throw new IllegalArgumentException("solve: process(\"" + name + "\") needs a command");
        List<String> cmd = List.of(command);
        return new Peer(name, (problem, budgets) -> runProcess(name, cmd, budgets));
    }

    private static List<Outcome> runProcess(String name, List<String> command, List<StepController> budgets) throws IOException, InterruptedException {
        StringBuilder in = new StringBuilder();
        for (StepController c : budgets) {
            in.append(c instanceof StepController.Constant k ? Double.toString(k.h()) : c.rtol() + " " + c.atol()).append('\n');
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            try (var stdin = p.getOutputStream()) {
                stdin.write(in.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException closed) {
                // it exited without reading: its exit status and output below say why
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("solve: peer " + name + " exited with " + p.exitValue() + ":\n" + out);
            List<Outcome> outcomes = new ArrayList<>();
            for (String line : out.split("\n")) {
                String[] w = line.trim().split("\\s+");
                if (w.length < 3 || !w[0].matches("[0-9]+")) continue;
                double[] y = Arrays.stream(w, 2, w.length).mapToDouble(Double::parseDouble).toArray();
                outcomes.add(Outcome.of(y, Long.parseLong(w[0]), Double.parseDouble(w[1])));
            }
            if (outcomes.size() != budgets.size()) {
                throw new IllegalStateException("solve: peer " + name + " answered " + outcomes.size() + " of " + budgets.size() + " lines:\n" + out);
            }
            return outcomes;
        } finally {
            p.destroy();
        }
    }
}
