package org.reprolab.tensor;

/** The NaN/Inf trap behind {@link Autodiff#detectAnomaly(boolean)}. */
final class Anomaly {
    private Anomaly() {}

    static void check(String op, Tensor out, Tensor[] inputs) {
        int bad = firstNonFinite(out);
        if (bad < 0) {
            return;
        }
        boolean inputsFinite = true;
        for (Tensor in : inputs) {
            if (firstNonFinite(in) >= 0) {
                inputsFinite = false;
                break;
            }
        }
        double v = out.toDoubleArray()[bad];
        throw new NonFiniteException(op, op + " produced " + (Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf")
                + " at flat index " + bad + " of its output of shape " + Shapes.str(out.shape)
                + (inputsFinite ? " from finite inputs" : " (an input was already non-finite)"));
    }

    private static int firstNonFinite(Tensor t) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }
}
