package org.reprolab.ode.solvers;

/** {@link StateOps} over {@code double[]}: plain loops that the JIT unrolls and vectorises. */
final class ArrayOps implements StateOps<double[]> {
    static final ArrayOps INSTANCE = new ArrayOps();

    private ArrayOps() {}

    @Override public double[] like(double[] x) { return new double[x.length]; }

    @Override public int size(double[] x) { return x.length; }

    @Override public void copy(double[] src, double[] dst) { System.arraycopy(src, 0, dst, 0, src.length); }

    @Override
    public void combine(double[] dst, double[] y, double h, double[] w, double[][] k, int n) {
        if (dst != y) System.arraycopy(y, 0, dst, 0, y.length);
        for (int j = 0; j < n; j++) {
            double c = h * w[j];
            if (c == 0) continue;
            double[] kj = k[j];
            for (int i = 0; i < dst.length; i++) dst[i] += c * kj[i];
        }
    }

    @Override
    public void lincomb(double[] dst, double[] w, double[][] v, int n) {
        java.util.Arrays.fill(dst, 0);
        for (int j = 0; j < n; j++) {
            double c = w[j];
            if (c == 0) continue;
            double[] vj = v[j];
            for (int i = 0; i < dst.length; i++) dst[i] += c * vj[i];
        }
    }

    /** {@code a·x + b·y} with every term (no zero skipped): the diffusion samplers' host bits. */
    @Override
    public double[] lin(double a, double[] x, double b, double[] y) {
        double[] o = new double[x.length];
        for (int i = 0; i < o.length; i++) o[i] = a * x[i] + b * y[i];
        return o;
    }

    @Override
    public double[] lin(double a, double[] x, double b, double[] y, double c, double[] z) {
        double[] o = new double[x.length];
        for (int i = 0; i < o.length; i++) o[i] = a * x[i] + b * y[i] + c * z[i];
        return o;
    }

    @Override
    public double scaledSumSquares(double[] w, double[][] k, int n, double[] y0, double[] y1, double atol, double rtol) {
        double s = 0;
        for (int i = 0; i < y0.length; i++) {
            double e = 0;
            for (int j = 0; j < n; j++) {
                double c = w[j];
                if (c != 0) e += c * k[j][i];
            }
            double sc = atol + rtol * Math.max(Math.abs(y0[i]), Math.abs(y1[i]));
            double r = e / sc;
            s += r * r;
        }
        return s;
    }

    @Override
    public double scaledRms(double[] v, double[] y, double atol, double rtol) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double r = v[i] / (atol + rtol * Math.abs(y[i]));
            s += r * r;
        }
        return Math.sqrt(s / v.length);
    }

    @Override
    public double scaledRmsDiff(double[] a, double[] b, double[] y, double atol, double rtol) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double r = (a[i] - b[i]) / (atol + rtol * Math.abs(y[i]));
            s += r * r;
        }
        return Math.sqrt(s / a.length);
    }

    @Override
    public double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    @Override
    public boolean allFinite(double[] x) {
        for (double v : x) if (!Double.isFinite(v)) return false;
        return true;
    }

    @Override public void toArray(double[] x, double[] out) { System.arraycopy(x, 0, out, 0, x.length); }

    @Override public double[] fromArray(double[] values) { return values.clone(); }
}
