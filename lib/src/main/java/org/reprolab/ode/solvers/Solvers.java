package org.reprolab.ode.solvers;

/**
 * The solvers by name, for {@code Ode.solve(problem, Solvers.tsit5(), ...)}. Each returns the coefficient
 * record that defines it ({@link Tableau}, {@link RosenbrockTableau}, {@link SdeScheme}); the loops that run
 * them are written once per family.
 */
public final class Solvers {
    private Solvers() {}

    /** Dormand–Prince 5(4), scipy's RK45: with {@code Controllers.scipy} it takes scipy's steps. */
    public static Tableau dopri5() { return Tableau.DOPRI5; }

    /** Tsitouras 5(4), the default of OrdinaryDiffEq and diffrax for non-stiff problems. */
    public static Tableau tsit5() { return Tableau.TSIT5; }

    /** Hairer's DOP853, 8(5,3), for tight tolerances. */
    public static Tableau dop853() { return Tableau.DOP853; }

    /** Bogacki–Shampine 3(2), scipy's RK23. */
    public static Tableau bs3() { return Tableau.BS3; }

    /** Heun 2(1). */
    public static Tableau heun() { return Tableau.HEUN; }

    /** The classical RK4 (fixed step: {@code Controllers.constant(h)}). */
    public static Tableau rk4() { return Tableau.RK4; }

    /** Explicit midpoint (fixed step). */
    public static Tableau midpoint() { return Tableau.MIDPOINT; }

    /** Explicit Euler (fixed step). */
    public static Tableau euler() { return Tableau.EULER; }

    /** Rodas4, a stiffly accurate Rosenbrock method for stiff problems (Jacobian from the problem or differences). */
    public static RosenbrockTableau rodas4() { return RosenbrockTableau.RODAS4; }

    /**
     * Radau IIA of order 5 (Hairer and Wanner's RADAU5, scipy's {@code Radau}): implicit, L-stable, for stiff problems;
     * the choice at tight tolerances on singularly perturbed problems, where Rodas4 loses order (Van der Pol μ = 1000
     * at rtol 1e-9: half Rodas4's evaluations, docs/performance.md). Jacobian from the problem or differences.
     */
    public static RadauIIA radau5() { return RadauIIA.RADAU5; }

    /** Euler–Maruyama for SDEs. */
    public static SdeScheme eulerMaruyama() { return SdeScheme.EULER_MARUYAMA; }

    /** Milstein for SDEs with diagonal noise. */
    public static SdeScheme milstein() { return SdeScheme.MILSTEIN; }
}
