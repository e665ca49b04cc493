package org.reprolab.kernel;

import java.util.List;

/**
 * The imports every notebook and JShell script starts with, in one place so that the kernel and
 * the {@code ./reprolab jshell} launcher agree. A test evaluates each of them, so a package that
 * moves breaks the build rather than a user's first cell.
 */
public final class DefaultImports {

    private DefaultImports() {}

    /** JShell's own defaults, then the library, then the display helpers. */
    public static final List<String> IMPORTS = List.of(
            "import java.io.*;",
            "import java.math.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "import java.util.stream.*;",
            "import org.reprolab.tensor.*;",
            "import org.reprolab.nn.*;",
            // java.lang.Module would make the simple name ambiguous; the library's own simple names
            // are unique (UniqueSimpleNamesTest), so this java.lang clash is the only tie-breaker
            "import org.reprolab.nn.Module;",
            "import org.reprolab.optim.*;",
            "import org.reprolab.ode.*;",
            // the parts of the ODE/SDE API a notebook names: solvers, controllers, tensor and SDE problems
            "import org.reprolab.ode.solvers.*;",
            "import org.reprolab.ode.control.*;",
            "import org.reprolab.ode.tensor.*;",
            "import org.reprolab.ode.sde.*;",
            "import org.reprolab.diffusion.*;",
            "import org.reprolab.data.*;",
            "import org.reprolab.plot.*;",
            "import org.reprolab.problems.*;",
            "import org.reprolab.implicit.*;",
            "import org.reprolab.random.*;",
            "import org.reprolab.spectral.*;",
            "import org.reprolab.federated.*;",
            // Lab.optimize(...).compare(adam(1e-2), lion(1e-3)): the optimizer factories by their short names
            "import org.reprolab.lab.*;",
            "import static org.reprolab.optim.Optimizers.*;",
            "import org.knowm.xchart.*;",
            "import smile.data.DataFrame;",
            "import static org.reprolab.kernel.Notebook.*;",
            // Jupyter widgets: Widgets.intSlider(...), Output, Button (Lab.interact needs none of them)
            "import org.reprolab.kernel.widgets.*;");

    /** The imports as one JShell startup script. */
    public static String asScript() {
        return String.join("\n", IMPORTS) + "\n";
    }
}
