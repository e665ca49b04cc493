package org.reprolab.lab;

import java.util.Set;
import org.reprolab.optim.Transform;

/** What the optimizer pillars (optimize, train) share about their methods: naming and re-parameterising chains. */
final class OptimizerMethods {
    private OptimizerMethods() {}

    static final String KIND = "an optimizer (a Transform such as adam(1e-2))";

    static String name(Transform chain, Set<String> swept) {
        return OptimizerNames.name(chain, swept);
    }

    static Transform with(Transform chain, String name, Object value) {
        return chain.with(name, value);
    }
}
