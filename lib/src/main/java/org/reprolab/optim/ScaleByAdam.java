package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

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
public record ScaleByAdam(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps, boolean amsgrad,
        boolean debias, boolean nesterov) implements Elementwise {

    /** Without Nesterov momentum. */
    public ScaleByAdam(double beta1, double beta2, double eps, boolean amsgrad, boolean debias) {
        this(beta1, beta2, eps, amsgrad, debias, false);
    }

    public ScaleByAdam {
        Hyper.check("Adam", ScaleByAdam.class, beta1, beta2, eps, amsgrad, debias, nesterov);
    }

    @Override public String name() { return "scale_by_adam"; }

    @Override
    public List<Slot> slots() {
        return amsgrad ? AdamMoments.slots("max_exp_avg_sq") : AdamMoments.slots();
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        AdamMoments mv = AdamMoments.update(p);
        Expr m = mv.m(), v = mv.v();
        if (amsgrad) {
            v = p.slot("max_exp_avg_sq").max(v);
            p.slot("max_exp_avg_sq", v);
        }
        Expr denom = v.sqrt().div(p.scalar("sqrt_bc2", s -> debias ? Math.sqrt(s.biasCorrection(beta2)) : 1)).add(p.hyper("eps"));
        Expr num = nesterov ? p.ema("beta1", m, u) : m;
        return num.div(denom).div(p.scalar("bc1", s -> debias ? s.biasCorrection(beta1) : 1));
    }
}
