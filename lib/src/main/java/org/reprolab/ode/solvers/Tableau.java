package org.reprolab.ode.solvers;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta method as data (Butcher 1964), run by the one explicit loop of this package.
 *
 * <p>Stages {@code k_i = f(t + c_i h, y + h Σ_{j<i} a[i][j] k_j)} for {@code i < s}, solution
 * {@code y1 = y + h Σ b_i k_i}, then always the end-point evaluation {@code k_s = f(t + h, y1)}, which is the
 * next step's {@code k_0} (first-same-as-last). The error estimate is {@code h Σ_{j≤s} e_j k_j}, with
 * {@code e = b̂ − b} over the {@code s + 1} evaluations, as in scipy's {@code _ivp/rk.py}.
 *
 * @param name               a short name
 * @param order              order of {@code b}
 * @param errorOrder         order of the embedded solution (0 if none); the controller uses k = errorOrder + 1
 * @param c                  nodes, length s
 * @param a                  strictly lower triangle, row i has i entries
 * @param b                  weights, length s
 * @param e                  error weights {@code b̂ − b}, length s + 1, or null for fixed-step methods
 * @param e3                 DOP853 only: the 3rd-order error weights blended with {@code e} (Hairer), else null
 * @param interpolation      dense output
 * @param stiffnessBoundary  |hλ| on the boundary of the stability region along the negative real axis,
 *                           for Hairer's stiffness detection; NaN disables it (needs {@code c[s-1] == 1})
 */
public record Tableau(String name, int order, int errorOrder, double[] c, double[][] a, double[] b, double[] e,
                      double[] e3, Interpolation interpolation, double stiffnessBoundary) implements Solver {

    public Tableau {
        int s = c.length;
        if (a.length != s || b.length != s) throw new IllegalArgumentException(name + ": c, a and b need " + s + " rows");
        for (int i = 0; i < s; i++)
            if (a[i].length != i) throw new IllegalArgumentException(name + ": row " + i + " of a needs " + i + " entries");
        if (e != null && e.length != s + 1) throw new IllegalArgumentException(name + ": e needs " + (s + 1) + " entries");
        if (e3 != null && e3.length != s + 1) throw new IllegalArgumentException(name + ": e3 needs " + (s + 1) + " entries");
    }

    public int stages() {
        return c.length;
    }

    @Override
    public boolean adaptive() {
        return e != null;
    }

    @Override
    public int controlOrder() {
        return errorOrder + 1;
    }

    @Override
    public String toString() {
        return name;
    }

    private static double[][] lower(double[]... rows) {
        return rows;
    }

    private static final double[] NONE = {};

    /** Forward Euler, order 1. */
    public static final Tableau EULER = new Tableau("Euler", 1, 0, new double[]{0}, lower(NONE), new double[]{1},
            null, null, new Interpolation.Hermite(), Double.NaN);

    /** Explicit midpoint, order 2. */
    public static final Tableau MIDPOINT = new Tableau("Midpoint", 2, 0, new double[]{0, 0.5},
            lower(NONE, new double[]{0.5}), new double[]{0, 1}, null, null, new Interpolation.Hermite(), Double.NaN);

    /**
     * Heun (explicit trapezoid), order 2, with the embedded Euler solution as error estimate (torchdiffeq's
     * {@code adaptive_heun}).
     */
    public static final Tableau HEUN = new Tableau("Heun", 2, 1, new double[]{0, 1},
            lower(NONE, new double[]{1}), new double[]{0.5, 0.5}, new double[]{0.5, -0.5, 0}, null,
            new Interpolation.Hermite(), Double.NaN);

    /** The classical 4th-order Runge–Kutta method (Kutta 1901). */
    public static final Tableau RK4 = new Tableau("RK4", 4, 0, new double[]{0, 0.5, 0.5, 1},
            lower(NONE, new double[]{0.5}, new double[]{0, 0.5}, new double[]{0, 0, 1}),
            new double[]{1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, null, null, new Interpolation.Hermite(), Double.NaN);

    /**
     * Bogacki–Shampine 3(2) (Bogacki and Shampine 1989, Appl. Math. Lett. 2(4):321–325); coefficients,
     * error weights and the cubic dense output {@code P} as in scipy {@code _ivp/rk.py} class {@code RK23}.
     */
    public static final Tableau BS3 = new Tableau("BS3", 3, 2, new double[]{0, 0.5, 0.75},
            lower(NONE, new double[]{0.5}, new double[]{0, 0.75}), new double[]{2.0 / 9, 1.0 / 3, 4.0 / 9},
            new double[]{5.0 / 72, -1.0 / 12, -1.0 / 9, 1.0 / 8}, null,
            new Interpolation.StageWeights(new double[][]{
                    {1, -4.0 / 3, 5.0 / 9}, {0, 1, -2.0 / 3}, {0, 4.0 / 3, -8.0 / 9}, {0, -1, 1}}),
            Double.NaN);

    /**
     * Dormand–Prince 5(4) (Dormand and Prince 1980, J. Comput. Appl. Math. 6:19–26) with Hairer's embedded
     * 4th-order weights (as in {@code dopri5.f} and scipy {@code RK45}) and Shampine's (1986) quartic dense
     * output, coefficients from scipy {@code _ivp/rk.py} {@code RK45.P}. Stiffness boundary 3.25 as in
     * {@code dopri5.f}.
     */
    public static final Tableau DOPRI5 = new Tableau("DOPRI5", 5, 4,
            new double[]{0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1},
            lower(NONE,
                    new double[]{1.0 / 5},
                    new double[]{3.0 / 40, 9.0 / 40},
                    new double[]{44.0 / 45, -56.0 / 15, 32.0 / 9},
                    new double[]{19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
                    new double[]{9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656}),
            new double[]{35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
            new double[]{-71.0 / 57600, 0, 71.0 / 16695, -71.0 / 1920, 17253.0 / 339200, -22.0 / 525, 1.0 / 40},
            null,
            new Interpolation.StageWeights(new double[][]{
                    {1, -8048581381.0 / 2820520608.0, 8663915743.0 / 2820520608.0, -12715105075.0 / 11282082432.0},
                    {0, 0, 0, 0},
                    {0, 131558114200.0 / 32700410799.0, -68118460800.0 / 10900136933.0, 87487479700.0 / 32700410799.0},
                    {0, -1754552775.0 / 470086768, 14199869525.0 / 1410260304.0, -10690763975.0 / 1880347072.0},
                    {0, 127303824393.0 / 49829197408.0, -318862633887.0 / 49829197408.0, 701980252875.0 / 199316789632.0},
                    {0, -282668133.0 / 205662961, 2019193451.0 / 616988883, -1453857185.0 / 822651844},
                    {0, 40617522.0 / 29380423, -110615467.0 / 29380423, 69997945.0 / 29380423}}),
            3.25);

    /**
     * Tsitouras 5(4) (Ch. Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the first column
     * simplifying assumption", Comput. Math. Appl. 62(2):770–775, 2011). Coefficients, error weights
     * {@code btilde} and the 4th-degree interpolant {@code r_iq} as the double values in OrdinaryDiffEq.jl
     * {@code lib/OrdinaryDiffEqTsit5/src/tsit_tableaus.jl}. Stiffness boundary 3.5068 (OrdinaryDiffEq).
     */
    public static final Tableau TSIT5 = new Tableau("Tsit5", 5, 4,
            new double[]{0, 0.161, 0.327, 0.9, 0.9800255409045097, 1},
            lower(NONE,
                    new double[]{0.161},
                    new double[]{-0.008480655492356989, 0.335480655492357},
                    new double[]{2.8971530571054935, -6.359448489975075, 4.3622954328695815},
                    new double[]{5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525},
                    new double[]{5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401,
                            -0.028269050394068383}),
            new double[]{0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081,
                    2.324710524099774},
            new double[]{-0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995, -0.1447110071732629,
                    0.5823571654525552, -0.45808210592918697, 0.015151515151515152},
            null,
            new Interpolation.StageWeights(new double[][]{
                    {1.0, -2.763706197274826, 2.9132554618219126, -1.0530884977290216},
                    {0, 0.13169999999999998, -0.2234, 0.1017},
                    {0, 3.9302962368947516, -5.941033872131505, 2.490627285651253},
                    {0, -12.411077166933676, 30.33818863028232, -16.548102889244902},
                    {0, 37.50931341651104, -88.1789048947664, 47.37952196281928},
                    {0, -27.896526289197286, 65.09189467479366, -34.87065786149661},
                    {0, 1.5, -4, 2.5}}),
            3.5068);

    /**
     * Hairer's DOP853: explicit 8th-order pair with the blended 5th/3rd-order error estimate and 7th-order dense
     * output (Hairer, Nørsett and Wanner, <i>Solving ODEs I</i>, §II.10; {@code dop853.f}; coefficients from
     * scipy {@code dop853_coefficients.py}, see {@link Dop853Coefficients}). Stiffness boundary 6.1 as in
     * {@code dop853.f}.
     */
    public static final Tableau DOP853 = new Tableau("DOP853", 8, 7,
            Arrays.copyOf(Dop853Coefficients.C, 12),
            Arrays.copyOf(Dop853Coefficients.A, 12),
            Dop853Coefficients.B, Dop853Coefficients.E5, Dop853Coefficients.E3, new Interpolation.Dop853(), 6.1);
}
