package org.reprolab.ode.solvers;

/**
 * ∂f/∂y for the stiff steppers ({@link RosenbrockStepper}, {@link RadauStepper}): the problem's analytic
 * {@link JacobianFunction}, or forward differences around {@code f0 = f(t, y)} with the increment
 * {@code √eps·max(1e-5, |y_j|)} (Hairer and Wanner, <i>Solving ODEs II</i>, §IV.8). Counted in {@code njev}, the
 * differences' n evaluations of f also in {@code nfev}.
 */
final class Jacobian {
    /** The last Jacobian, {@code J[i][j] = ∂f_i/∂y_j}. */
    final double[][] J;
    private final VectorField<double[]> f;
    private final JacobianFunction analytic;
    private final Counters count;
    private final double[] yy, fy;

    Jacobian(VectorField<double[]> f, JacobianFunction analytic, int n, Counters count) {
        this.f = f;
        this.analytic = analytic;
        this.count = count;
        this.J = new double[n][n];
        this.yy = new double[n];
        this.fy = new double[n];
    }

    /** Evaluates J at (t, y), where {@code f0 = f(t, y)}. */
    void eval(double t, double[] y, double[] f0) {
        count.njev++;
        if (analytic != null) {
            analytic.eval(t, y, J);
            return;
        }
        int n = y.length;
        System.arraycopy(y, 0, yy, 0, n);
        for (int j = 0; j < n; j++) {
            double d = Math.sqrt(Math.ulp(1.0)) * Math.max(1e-5, Math.abs(y[j]));
            yy[j] = y[j] + d;
            d = yy[j] - y[j];
            f.eval(t, yy, fy);
            count.nfev++;
            for (int i = 0; i < n; i++) J[i][j] = (fy[i] - f0[i]) / d;
            yy[j] = y[j];
        }
    }
}
