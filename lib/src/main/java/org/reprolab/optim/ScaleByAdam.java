package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Adam's direction (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), in
 * torch's arithmetic ({@code torch/optim/adam.py}, 1.13): {@code m = b1 m + (1-b1) u},
 * {@code v = b2 v + (1-b2) u^2}, output {@code (m / bc1) / (sqrt(v) / sqrt(bc2) + eps)}: epsilon after
 * the bias correction. With {@code amsgrad} the denominator uses the running maximum of {@code v}
 * (Reddi, Kale, Kumar, "On the Convergence of Adam and Beyond", ICLR 2018), keeping torch's bias
 * correction. With {@code debias = false}: {@code m / (sqrt(v) + eps)}, the form of LAMB's reference
 * code (cybertronai/pytorch-lamb, "Paper v3 does not use debiasing"). With {@code nesterov} the numerator is
 * {@code b1 m + (1-b1) u}, as AdamP's code (clovaai/AdamP {@code adamp.py}).
 */
public record ScaleByAdam(double beta1, double beta2, double eps, boolean amsgrad, boolean debias, boolean nesterov)
        implements Elementwise {

    /** Without Nesterov momentum. */
    public ScaleByAdam(double beta1, double beta2, double eps, boolean amsgrad, boolean debias) {
        this(beta1, beta2, eps, amsgrad, debias, false);
    }

    public ScaleByAdam {
        Check.beta("Adam", "beta1", beta1);
        Check.beta("Adam", "beta2", beta2);
        Check.nonNegative("Adam", "eps", eps);
    }

    @Override public String name() { return "scale_by_adam"; }

    @Override
    public List<Slot> slots() {
        return amsgrad ? List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_sq"), Slot.zeros("max_exp_avg_sq"))
                : List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_sq"));
    }

    @Override public int scalarCount() { return 7; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = debias ? Math.sqrt(s.biasCorrection(beta2)) : 1;
        out[5] = eps;
        out[6] = debias ? s.biasCorrection(beta1) : 1;
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(u));
        Expr v = p.scalar(2).mul(p.slot("exp_avg_sq")).add(p.scalar(3).mul(u.mul(u)));
        p.slot("exp_avg", m);
        p.slot("exp_avg_sq", v);
        if (amsgrad) {
            v = p.slot("max_exp_avg_sq").max(v);
            p.slot("max_exp_avg_sq", v);
        }
        Expr denom = v.sqrt().div(p.scalar(4)).add(p.scalar(5));
        Expr num = nesterov ? p.scalar(0).mul(m).add(p.scalar(1).mul(u)) : m;
        return num.div(denom).div(p.scalar(6));
    }
}
