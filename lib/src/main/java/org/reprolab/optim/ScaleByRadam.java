package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Rectified Adam (Liu et al., "On the Variance of the Adaptive Learning Rate and Beyond", ICLR
 * 2020) in torch's form ({@code torch/optim/radam.py}, 1.13): with {@code rho_inf = 2/(1-b2) - 1} and
 * {@code rho_t = rho_inf - 2 t b2^t / bc2}, the output is {@code (m/bc1) r_t sqrt(bc2)/(sqrt(v)+eps)}
 * when {@code rho_t > 5} and {@code m/bc1} (an SGD-with-momentum step) otherwise.
 *
 * <p>The official code (LiyuanLucasLiu/RAdam {@code radam.py}) differs: threshold {@code >= 5} and, with its
 * default {@code degenerated_to_sgd=False}, no update at all while the variance is intractable.
 * {@code official = true} selects that behaviour.
 */
public record ScaleByRadam(double beta1, double beta2, double eps, boolean official) implements Elementwise {

    public ScaleByRadam {
        Check.beta("RAdam", "beta1", beta1);
        Check.beta("RAdam", "beta2", beta2);
        Check.nonNegative("RAdam", "eps", eps);
    }

    @Override public String name() { return "scale_by_radam"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_sq")); }
    @Override public int scalarCount() { return 9; }

    /** {@code r_t} when the rectified step applies at step {@code t}, else NaN. */
    static double rectification(double beta2, long t, boolean inclusive) {
        double bc2 = 1 - Math.pow(beta2, t);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
        if (inclusive ? rhoT < 5 : rhoT <= 5) return Double.NaN;
        return Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
    }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        double rect = rectification(beta2, s.t(), official);
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = s.biasCorrection(beta1);
        out[5] = Double.isNaN(rect) ? 0 : 1;
        out[6] = Math.sqrt(s.biasCorrection(beta2));
        out[7] = eps;
        out[8] = Double.isNaN(rect) ? 0 : rect;
        if (official && Double.isNaN(rect)) out[4] = Double.POSITIVE_INFINITY; // m / inf = 0: no step
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(u));
        Expr v = p.scalar(2).mul(p.slot("exp_avg_sq")).add(p.scalar(3).mul(u.mul(u)));
        p.slot("exp_avg", m);
        p.slot("exp_avg_sq", v);
        Expr mhat = m.div(p.scalar(4));
        Expr adaptive = p.scalar(6).div(v.sqrt().add(p.scalar(7)));
        return p.scalar(5).where(mhat.mul(adaptive).mul(p.scalar(8)), mhat);
    }
}
