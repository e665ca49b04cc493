package org.reprolab.ode.solvers;

/**
 * A fixed-step scheme for Itô SDEs with diagonal noise (Kloeden and Platen, <i>Numerical Solution of
 * Stochastic Differential Equations</i>, 1992, §10.2 and §10.3); the step loop is in {@code ode.sde}.
 *
 * @param name     the scheme's name (in error messages)
 * @param milstein true for Milstein's correction {@code ½·g·∂g/∂y·(ΔW² − h)} (strong order 1), false for
 *                 Euler–Maruyama (strong order 1/2)
 */
public record SdeScheme(String name, boolean milstein) implements Solver {
    public static final SdeScheme EULER_MARUYAMA = new SdeScheme("Euler-Maruyama", false);
    public static final SdeScheme MILSTEIN = new SdeScheme("Milstein", true);

    /** The weak order, 1 for both schemes (the strong orders are 1/2 and 1). */
    @Override public int order() { return 1; }

    @Override public boolean adaptive() { return false; }

    @Override public int controlOrder() { return 1; }
}
