package org.reprolab.optim;

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
public record ScaleByAdan(double beta1, double beta2, double beta3, double eps) implements Elementwise {

    public ScaleByAdan {
        Check.beta("Adan", "beta1", beta1);
        Check.beta("Adan", "beta2", beta2);
        Check.beta("Adan", "beta3", beta3);
        Check.nonNegative("Adan", "eps", eps);
    }

    @Override public String name() { return "scale_by_adan"; }

    @Override
    public List<Slot> slots() {
        return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_diff"), Slot.zeros("exp_avg_sq"), Slot.zeros("pre_grad"));
    }

    @Override public int scalarCount() { return 11; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = beta3;
        out[5] = 1 - beta3;
        out[6] = s.biasCorrection(beta1);
        out[7] = s.biasCorrection(beta2);
        out[8] = Math.sqrt(s.biasCorrection(beta3));
        out[9] = s.t() == 1 ? 0 : 1;
        out[10] = eps;
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr diff = u.sub(p.slot("pre_grad")).mul(p.scalar(9));
        Expr z = u.add(p.scalar(2).mul(diff));
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(u));
        Expr nd = p.scalar(2).mul(p.slot("exp_avg_diff")).add(p.scalar(3).mul(diff));
        Expr n = p.scalar(4).mul(p.slot("exp_avg_sq")).add(p.scalar(5).mul(z.mul(z)));
        p.slot("exp_avg", m);
        p.slot("exp_avg_diff", nd);
        p.slot("exp_avg_sq", n);
        p.slot("pre_grad", u);
        Expr denom = n.sqrt().div(p.scalar(8)).add(p.scalar(10));
        return m.div(p.scalar(6)).add(p.scalar(2).mul(nd).div(p.scalar(7))).div(denom);
    }
}
