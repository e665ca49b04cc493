package org.reprolab.ode.solvers;

/**
 * A Rosenbrock (linearly implicit) method in Hairer and Wanner's form (<i>Solving ODEs II</i>, §IV.7,
 * eq. (7.4')), the form of {@code rodas.f} and OrdinaryDiffEq's generic Rosenbrock step: with
 * {@code W = I/(hγ) − J},
 * <pre>
 *   W·k_i = f(t + c_i h, y + Σ_{j<i} a[i][j] k_j) + Σ_{j<i} (C[i][j]/h) k_j + h·d_i·∂f/∂t,
 *   y1 = y + Σ_{j<i} a[s][j] k_j + k_s    (stiffly accurate: the last stage is the solution),
 * </pre>
 * error estimate {@code k_s}, dense output
 * {@code y(θ) = (1−θ) y0 + θ (y1 + (1−θ)(H1 + θ H2))} with {@code H_r = Σ_j h[r][j] k_j}.
 *
 * @param gamma the diagonal γ
 * @param c     stage times, length s
 * @param a     stage-input coefficients, row i has i entries
 * @param cc    the C coefficients, row i has i entries
 * @param d     the γ_i sums multiplying ∂f/∂t, length s
 * @param h     two rows of dense-output weights, length s each
 */
public record RosenbrockTableau(String name, int order, int errorOrder, double gamma, double[] c, double[][] a,
                                double[][] cc, double[] d, double[][] h) implements Solver {

    @Override public boolean adaptive() { return true; }

    @Override public int controlOrder() { return errorOrder + 1; }

    public int stages() { return c.length; }

    @Override public String toString() { return name; }

    /**
     * Rodas4 (Hairer and Wanner, <i>Solving ODEs II</i>, §VI.4; {@code rodas.f}, METH = 1): 6 stages, order 4
     * with an embedded order-3 estimate, L-stable, stiffly accurate, with a 3rd-order dense output.
     * Coefficients as the double values in OrdinaryDiffEq.jl
     * {@code lib/OrdinaryDiffEqRosenbrock/src/rosenbrock_tableaus.jl} ({@code Rodas4Tableau}).
     */
    public static final RosenbrockTableau RODAS4;

    static {
        double a21 = 1.544, a31 = 0.9466785280815826, a32 = 0.2557011698983284, a41 = 3.314825187068521,
                a42 = 2.896124015972201, a43 = 0.9986419139977817, a51 = 1.221224509226641, a52 = 6.019134481288629,
                a53 = 12.53708332932087, a54 = -0.6878860361058950;
        double c21 = -5.6688, c31 = -2.430093356833875, c32 = -0.2063599157091915, c41 = -0.1073529058151375,
                c42 = -9.594562251023355, c43 = -20.47028614809616, c51 = 7.496443313967647, c52 = -10.24680431464352,
                c53 = -33.99990352819905, c54 = 11.70890893206160, c61 = 8.083246795921522, c62 = -7.981132988064893,
                c63 = -31.52159432874371, c64 = 16.31930543123136, c65 = -6.058818238834054;
        RODAS4 = new RosenbrockTableau("Rodas4", 4, 3, 0.25,
                new double[]{0, 0.386, 0.21, 0.63, 1, 1},
                new double[][]{{}, {a21}, {a31, a32}, {a41, a42, a43}, {a51, a52, a53, a54}, {a51, a52, a53, a54, 1}},
                new double[][]{{}, {c21}, {c31, c32}, {c41, c42, c43}, {c51, c52, c53, c54}, {c61, c62, c63, c64, c65}},
                new double[]{0.25, -0.1043, 0.1035, -0.03620000000000023, 0, 0},
                new double[][]{
                        {10.12623508344586, -7.487995877610167, -34.80091861555747, -7.992771707568823, 1.025137723295662, 0},
                        {-0.6762803392801253, 6.087714651680015, 16.43084320892478, 24.76722511418386, -6.594389125716872, 0}});
    }
}
