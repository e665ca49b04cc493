package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.reprolab.random.Philox;
import org.reprolab.tensor.Tensor;

/**
 * {@code Lab.implicit(problem)}: hypergradient methods ({@link Hypergradient}: implicit, unrolled,
 * one-step, finite differences) compared on one {@link BilevelProblem} at one or more points θ, against
 * a reference (a closed form, or another method). Per point a run records the hypergradient (along the
 * direction {@code v}: the derivative itself for a scalar θ), its error and relative error against the
 * reference, the forward residual of the inner solve, and θ itself when it is a scalar; the table adds
 * the hypergradient at the last point and the inner iterations where the method knows them. Sweeps over
 * {@code "tol"} and {@code "steps"} give the error-against-cost curves of Blondel et al. (Thm. 1) and of
 * unrolling: {@code runs.plot("tol", "error")}.
 */
public final class ImplicitExperiment extends Experiment<Hypergradient, ImplicitExperiment> {
    private final BilevelProblem problem;
    private final List<Tensor> points = new ArrayList<>();
    private boolean scalarPoints;
    private Tensor direction;
    private DoubleUnaryOperator exact;
    private Hypergradient referenceMethod;

    ImplicitExperiment(BilevelProblem problem) {
        super("implicit", "point", 1, problem.name(), new Methods(Hypergradient.class, "a hypergradient method (Hypergradient.implicit(), unrolled(k), oneStep(), finiteDifference(h))"));
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** Scalar points θ at which every method is evaluated (a run's history runs over them). */
    public ImplicitExperiment at(double... thetas) {
        if (thetas.length == 0) throw new IllegalArgumentException("implicit: at(...) needs at least one point");
        points.clear();
        for (double t : thetas) points.add(Tensor.scalar(t));
        scalarPoints = true;
        return budget("points", thetas.length);
    }

    /** One point θ of any shape. */
    public ImplicitExperiment at(Tensor theta) {
        points.clear();
        points.add(Objects.requireNonNull(theta, "theta").detach());
        scalarPoints = theta.numel() == 1;
        return budget("points", 1);
    }

    /** The direction v of the compared derivative ⟨dL/dθ, v⟩ (default: 1 for a scalar θ, a random unit vector from the seed otherwise). */
    public ImplicitExperiment direction(Tensor v) {
        this.direction = Objects.requireNonNull(v, "direction");
        return this;
    }

    /** The exact hypergradient of a scalar θ (a closed form): the error is measured against it. */
    public ImplicitExperiment reference(DoubleUnaryOperator closedForm) {
        this.exact = Objects.requireNonNull(closedForm, "closed form");
        this.referenceMethod = null;
        return this;
    }

    /** The error is measured against {@code method} evaluated at the same point and direction (a finite difference, a tight implicit solve). */
    public ImplicitExperiment reference(Hypergradient method) {
        this.referenceMethod = Objects.requireNonNull(method, "reference method");
        this.exact = null;
        return this;
    }

    private boolean hasReference() {
        return exact != null || referenceMethod != null;
    }

    @Override
    String name(Hypergradient method, Set<String> swept) {
        return method.name(swept);
    }

    @Override
    Hypergradient with(Hypergradient method, String name, Object value) {
        return method.with(name, value);
    }

    @Override
    List<String> series() {
        List<String> s = new ArrayList<>(hasReference() ? List.of("error", "relative_error", "hypergradient", "residual")
                : List.of("residual", "hypergradient"));
        if (scalarPoints) s.add("theta");
        return s;
    }

    @Override
    List<Metric> metrics() {
        return hasReference() ? List.of(Metric.lower("error"), Metric.lower("relative_error"), Metric.lower("residual"))
                : List.of(Metric.lower("residual"));
    }

    @Override
    void validate() {
        if (points.isEmpty()) throw new IllegalStateException("implicit: give the point(s) θ with at(...)");
        if (exact != null && !scalarPoints) throw new IllegalStateException("implicit: a closed-form reference needs scalar points θ; use reference(method)");
        if (direction != null && points.stream().anyMatch(p -> !java.util.Arrays.equals(p.shape(), direction.shape()))) {
            throw new IllegalArgumentException("implicit: direction has shape " + java.util.Arrays.toString(direction.shape())
                    + " but θ has shape " + java.util.Arrays.toString(points.getFirst().shape()));
        }
    }

    @Override
    Object problem() {
        return problem;
    }

    private Tensor direction(Tensor theta, Cell<Hypergradient> cell) {
        if (direction != null) return direction;
        if (theta.numel() == 1) return Tensor.onesLike(theta);
        double[] v = new double[theta.numel()];
        Philox.fill(cell.key(), true, 0, v, 0, v.length);
        double norm = Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
        for (int i = 0; i < v.length; i++) v[i] /= norm;
        return Tensor.of(v).reshape(theta.shape()).to(theta.dtype());
    }

    @Override
    Map<String, Double> execute(Cell<Hypergradient> cell, Recorder rec) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        UnaryOperator<Tensor> identity = t -> t;
        for (Tensor theta : points) {
            Tensor v = direction(theta, cell);
            Hypergradient.Value value = cell.value().at(problem, theta, identity, v);
            List<Double> row = new ArrayList<>();
            if (hasReference()) {
                double ref = exact != null ? exact.applyAsDouble(theta.item()) : referenceMethod.at(problem, theta, identity, v).directional();
                double error = Math.abs(value.directional() - ref);
                row.add(error);
                row.add(error / Math.abs(ref));
                row.add(value.directional());
                row.add(value.residual());
            } else {
                row.add(value.residual());
                row.add(value.directional());
            }
            if (scalarPoints) row.add(theta.item());
            scalars.put("hypergradient", value.directional());
            if (value.iterations() >= 0) scalars.put("inner_iterations", (double) value.iterations());
            if (!rec.record(row.stream().mapToDouble(Double::doubleValue).toArray())) break;
        }
        return scalars;
    }
}
