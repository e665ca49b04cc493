package org.reprolab.lab;

import java.util.Set;
import org.reprolab.optim.Transform;

/**
 * The pillars whose methods are optimizer chains ({@code Lab.optimize}, {@code Lab.train}): chains
 * are named by {@link OptimizerNames} and re-parameterised for sweeps by {@link Transform#with}.
 *
 * @param <E> the pillar's own type
 */
abstract class OptimizerExperiment<E extends OptimizerExperiment<E>> extends Experiment<Transform, E> {

    OptimizerExperiment(String pillar, String unit, int defaultBudget) {
        super(pillar, unit, defaultBudget);
    }

    @Override
    final Class<?> methodType() {
        return Transform.class;
    }

    @Override
    final String methodKind() {
        return "an optimizer (a Transform such as adam(1e-2))";
    }

    @Override
    final String name(Transform method, Set<String> swept) {
        return OptimizerNames.name(method, swept);
    }

    @Override
    final Transform with(Transform method, String name, Object value) {
        return method.with(name, value);
    }
}
