package org.reprolab.ode.sde;

/**
 * An Itô SDE with diagonal noise, {@code dy_i = f_i(t, y) dt + g_i(t, y) dW_i}.
 */
public interface SdeSystem {
    void drift(double t, double[] y, double[] out);

    /** The diagonal diffusion g_i(t, y). */
    void diffusion(double t, double[] y, double[] out);

    /**
     * {@code ∂g_i/∂y_i}, for Milstein. The default uses central differences (2 diffusion evaluations per
     * component); override it with the analytic derivative when you have one.
     */
    default void diffusionDerivative(double t, double[] y, double[] out) {
        double[] yy = y.clone(), gp = new double[y.length], gm = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double h = 1e-6 * Math.max(1, Math.abs(y[i]));
            yy[i] = y[i] + h;
            diffusion(t, yy, gp);
            yy[i] = y[i] - h;
            diffusion(t, yy, gm);
            yy[i] = y[i];
            out[i] = (gp[i] - gm[i]) / (2 * h);
        }
    }
}
