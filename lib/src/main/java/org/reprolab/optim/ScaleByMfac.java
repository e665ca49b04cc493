package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * M-FAC's preconditioner (Frantar, Kurtic, Alistarh, "M-FAC: Efficient Matrix-Free Approximations of
 * Second-Order Information", NeurIPS 2021; code IST-DASLab/M-FAC {@code optim.py}): the inverse of
 * the dampened empirical Fisher of the last {@code m} gradients of the group's whole parameter vector,
 * {@code F = damp I + (1/m) G^T G}, applied to the incoming update after it replaces the oldest row of
 * the ring buffer {@code G} (zeros at first):
 * {@code F^-1 u = (u - G^T (m damp I + G G^T)^-1 G u) / damp} (Woodbury).
 *
 * <p>The window rows are {@code m} slots per tensor. Each step one products kernel and the device's
 * reductions give the new row of {@code G G^T} ({@code G_j . u} and {@code u . u}, summed over the
 * group); the host keeps {@code G G^T} ({@code m x m}, a host slot, identical in every tensor of the
 * group), solves the {@code m x m} system by Cholesky in f64, and the fused pass writes {@code u} into
 * the oldest row and returns {@code u/damp - sum_j (c_j/damp) G_j}. The code's dynamic algorithm
 * (no-pivot LU recursions, {@code HInvFastUpMulti}) computes the same product in another order; its
 * default window of 1024 gradients is replaced by 32 here, since every row is read in the fused pass.
 * Assumes every tensor of the group has a gradient on every step.
 */
public record ScaleByMfac(int ngrads, @Range(POSITIVE) double damp) implements Elementwise {

    public ScaleByMfac {
        Check.that(ngrads >= 1 && ngrads <= 256, "M-FAC", "ngrads must be in [1, 256], got " + ngrads);
        Hyper.check("M-FAC", ScaleByMfac.class, ngrads, damp);
    }

    @Override public String name() { return "scale_by_mfac"; }

    @Override
    public List<Slot> slots() {
        List<Slot> s = new ArrayList<>();
        for (int j = 0; j < ngrads; j++) s.add(Slot.zeros("grad_" + j));
        return s;
    }

    /** {@code G G^T} row-major, the ring index of the oldest row, then this step's coefficients {@code c}. */
    @Override public double[] hostState() { return new double[ngrads * ngrads + 1 + ngrads]; }

    @Override public int rowProductCount() { return ngrads + 1; }

    @Override
    public List<Expr> rowProducts(Pass p) {
        List<Expr> out = new ArrayList<>();
        for (int j = 0; j < ngrads; j++) out.add(p.slot("grad_" + j).mul(p.update()));
        out.add(p.update().mul(p.update()));
        return out;
    }

    /**
     * Replaces the oldest row of the window by the new gradient: updates {@code G G^T} from the dot
     * products, solves {@code (m damp I + G G^T) c = G u} and advances the ring index.
     */
    @Override
    public void advance(Step s) {
        double[] host = s.host();
        int m = ngrads, last = (int) host[m * m];
        double[] tot = s.groupRowTotals();
        for (int j = 0; j < m; j++) {
            double v = j == last ? tot[m] : tot[j];
            host[last * m + j] = v;
            host[j * m + last] = v;
        }
        double[] a = new double[m * m], c = new double[m];
        for (int i = 0; i < m * m; i++) a[i] = host[i];
        for (int i = 0; i < m; i++) {
            a[i * m + i] += m * damp;
            c[i] = host[last * m + i]; // (G u)_i with the new row
        }
        cholSolve(a, c, m);
        System.arraycopy(c, 0, host, m * m + 1, m);
        host[m * m] = (last + 1) % m;
    }

    /** Solves {@code A x = b} in place for symmetric positive definite {@code A} (row-major, overwritten). */
    static void cholSolve(double[] a, double[] b, int m) {
        for (int j = 0; j < m; j++) {
            double d = a[j * m + j];
            for (int k = 0; k < j; k++) d -= a[j * m + k] * a[j * m + k];
            if (!(d > 0)) throw new IllegalStateException("M-FAC: m damp I + G G^T is not positive definite (pivot " + d + ")");
            d = Math.sqrt(d);
            a[j * m + j] = d;
            for (int i = j + 1; i < m; i++) {
                double v = a[i * m + j];
                for (int k = 0; k < j; k++) v -= a[i * m + k] * a[j * m + k];
                a[i * m + j] = v / d;
            }
        }
        for (int i = 0; i < m; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) v -= a[i * m + k] * b[k];
            b[i] = v / a[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--) {
            double v = b[i];
            for (int k = i + 1; k < m; k++) v -= a[k * m + i] * b[k];
            b[i] = v / a[i * m + i];
        }
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        int m = ngrads;
        Expr acc = p.scalar("1/damp", s -> 1 / damp).mul(u);
        for (int j = 0; j < m; j++) {
            int row = j;
            Expr isNew = p.scalar("new_" + j, s -> ((int) s.host()[m * m] + m - 1) % m == row ? 1 : 0);
            Expr g = isNew.where(u, p.slot("grad_" + j));
            p.slot("grad_" + j, g);
            acc = acc.sub(p.scalar("coef_" + j, s -> s.host()[m * m + 1 + row] / damp).mul(g));
        }
        return acc;
    }
}
