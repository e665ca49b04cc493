package org.reprolab.ode.solvers;

/**
 * A Radau IIA collocation method (Hairer and Wanner, <i>Solving ODEs II</i>, §IV.5 and §IV.8): fully implicit,
 * L-stable, stiffly accurate, for stiff problems at tight tolerances where Rosenbrock methods lose order
 * (their error constants grow with the stiffness on singularly perturbed problems such as Van der Pol with
 * large μ). Run by {@link RadauStepper}; only the three-stage order-5 method exists.
 *
 * @param order      order of the solution (2s − 1)
 * @param errorOrder order of the embedded error estimate
 */
public record RadauIIA(String name, int order, int errorOrder) implements Solver {

    /** Hairer and Wanner's RADAU5 ({@code radau5.f}; scipy's {@code Radau}): 3 stages, order 5, error estimate of order 3. */
    public static final RadauIIA RADAU5 = new RadauIIA("Radau5", 5, 3);

    @Override public boolean adaptive() { return true; }

    @Override public int controlOrder() { return errorOrder + 1; }

    @Override public String toString() { return name; }
}
