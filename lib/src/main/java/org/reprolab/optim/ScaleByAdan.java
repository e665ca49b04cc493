package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Adan (Xie et al., "Adan: Adaptive Nesterov Momentum Algorithm for Faster Optimizing Deep Models",
 * IEEE TPAMI 2024; code sail-sg/Adan {@code adan.py}), betas in the code's convention (0.98, 0.92, 0.99):
 * {@code d_t = u_t - u_{t-1}} ({@code d_1 = 0}), {@code m = b1 m + (1-b1) u}, {@code n_d = b2 n_d + (1-b2) d},
 * {@code z = u + b2 d}, {@code n = b3 n + (1-b3) z^2}, output
 * {@code (m/bc1 + b2 n_d/bc2) / (sqrt(n)/sqrt(bc3) + eps)}. The proximal weight decay of the code's
 * default is {@link ProximalDecay} after the learning rate.
 */
public record ScaleByAdan(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(BETA) double beta3,
        @Range(NON_NEGATIVE) double eps) implements Elementwise {

    public ScaleByAdan {
        Hyper.check("Adan", ScaleByAdan.class, beta1, beta2, beta3, eps);
    }

    @Override public String name() { return "scale_by_adan"; }

    @Override
    public List<Slot> slots() {
        return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_diff"), Slot.zeros("exp_avg_sq"), Slot.zeros("pre_grad"));
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr diff = u.sub(p.slot("pre_grad")).mul(p.scalar("has_previous", s -> s.t() == 1 ? 0 : 1));
        Expr b2 = p.hyper("beta2");
        Expr z = u.add(b2.mul(diff));
        Expr m = p.ema("beta1", p.slot("exp_avg"), u);
        Expr nd = p.ema("beta2", p.slot("exp_avg_diff"), diff);
        Expr n = p.ema("beta3", p.slot("exp_avg_sq"), z.mul(z));
        p.slot("exp_avg", m);
        p.slot("exp_avg_diff", nd);
        p.slot("exp_avg_sq", n);
        p.slot("pre_grad", u);
        Expr denom = n.sqrt().div(p.scalar("sqrt_bc3", s -> Math.sqrt(s.biasCorrection(beta3)))).add(p.hyper("eps"));
        Expr bc1 = p.scalar("bc1", s -> s.biasCorrection(beta1)), bc2 = p.scalar("bc2", s -> s.biasCorrection(beta2));
        return m.div(bc1).add(b2.mul(nd).div(bc2)).div(denom);
    }
}
