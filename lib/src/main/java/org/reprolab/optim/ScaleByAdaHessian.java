package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * AdaHessian's direction (Yao, Gholami, Shen, Mustafa, Keutzer, Mahoney, "ADAHESSIAN: An Adaptive
 * Second Order Optimizer for Machine Learning", AAAI 2021; code amirgholami/adahessian
 * {@code instruction/adahessian.py}): with {@code D} the spatially averaged {@code |Hv|} of
 * {@link Curvature#adaHessian} (aux input {@code "hessian"}, every step),
 * {@code m = b1 m + (1-b1) u}, {@code v = b2 v + (1-b2) D^2}, output
 * {@code m / bc1 / ((sqrt(v))^k / (sqrt(bc2))^k + eps)} with {@code k} the Hessian power. The code's
 * weight decay {@code - lr wd p} is {@link Transforms.AddDecayedWeights} after this.
 */
public record ScaleByAdaHessian(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps,
        @Range(UNIT) double hessianPower) implements Elementwise {

    public ScaleByAdaHessian {
        Hyper.check("AdaHessian", ScaleByAdaHessian.class, beta1, beta2, eps, hessianPower);
    }

    @Override public String name() { return "scale_by_adahessian"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_hessian_diag_sq")); }
    @Override public List<String> aux() { return List.of("hessian"); }

    @Override
    public Expr apply(Pass p) {
        Expr d = p.aux("hessian");
        Expr m = p.ema("beta1", p.slot("exp_avg"), p.update());
        Expr v = p.ema("beta2", p.slot("exp_hessian_diag_sq"), d.mul(d));
        p.slot("exp_avg", m);
        p.slot("exp_hessian_diag_sq", v);
        Expr bc2k = p.scalar("bc2^k", s -> Math.pow(Math.sqrt(s.biasCorrection(beta2)), hessianPower));
        Expr denom = v.sqrt().pow(p.hyper("hessianPower")).div(bc2k).add(p.hyper("eps"));
        return m.div(p.scalar("bc1", s -> s.biasCorrection(beta1))).div(denom);
    }
}
