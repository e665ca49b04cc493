package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

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
public record ScaleByRadam(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps,
        boolean official) implements Elementwise {

    public ScaleByRadam {
        Hyper.check("RAdam", ScaleByRadam.class, beta1, beta2, eps, official);
    }

    @Override public String name() { return "scale_by_radam"; }
    @Override public List<Slot> slots() { return AdamMoments.slots(); }

    /** {@code r_t} when the rectified step applies at step {@code t}, else NaN. */
    static double rectification(double beta2, long t, boolean inclusive) {
        double bc2 = 1 - Math.pow(beta2, t);
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * t * Math.pow(beta2, t) / bc2;
        if (inclusive ? rhoT < 5 : rhoT <= 5) return Double.NaN;
        return Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
    }

    private double rectification(Step s) {
        return rectification(beta2, s.t(), official);
    }

    @Override
    public Expr apply(Pass p) {
        AdamMoments mv = AdamMoments.update(p);
        Expr m = mv.m(), v = mv.v();
        // official code: no step at all before the rectification applies (m / inf = 0)
        Expr mhat = m.div(p.scalar("bc1", s -> official && Double.isNaN(rectification(s)) ? Double.POSITIVE_INFINITY
                : s.biasCorrection(beta1)));
        Expr adaptive = p.scalar("sqrt_bc2", s -> Math.sqrt(s.biasCorrection(beta2))).div(v.sqrt().add(p.hyper("eps")));
        Expr rectified = p.scalar("rectified", s -> Double.isNaN(rectification(s)) ? 0 : 1);
        Expr rect = p.scalar("rect", s -> Double.isNaN(rectification(s)) ? 0 : rectification(s));
        return rectified.where(mhat.mul(adaptive).mul(rect), mhat);
    }
}
