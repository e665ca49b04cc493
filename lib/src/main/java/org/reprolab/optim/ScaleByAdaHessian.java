package org.reprolab.optim;

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
public record ScaleByAdaHessian(double beta1, double beta2, double eps, double hessianPower) implements Elementwise {

    public ScaleByAdaHessian {
        Check.beta("AdaHessian", "beta1", beta1);
        Check.beta("AdaHessian", "beta2", beta2);
        Check.nonNegative("AdaHessian", "eps", eps);
        Check.unit("AdaHessian", "hessian_power", hessianPower);
    }

    @Override public String name() { return "scale_by_adahessian"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_hessian_diag_sq")); }
    @Override public List<String> aux() { return List.of("hessian"); }
    @Override public int scalarCount() { return 8; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = s.biasCorrection(beta1);
        out[5] = Math.pow(Math.sqrt(s.biasCorrection(beta2)), hessianPower);
        out[6] = hessianPower;
        out[7] = eps;
    }

    @Override
    public Expr apply(Pass p) {
        Expr d = p.aux("hessian");
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(p.update()));
        Expr v = p.scalar(2).mul(p.slot("exp_hessian_diag_sq")).add(p.scalar(3).mul(d.mul(d)));
        p.slot("exp_avg", m);
        p.slot("exp_hessian_diag_sq", v);
        Expr denom = v.sqrt().pow(p.scalar(6)).div(p.scalar(5)).add(p.scalar(7));
        return m.div(p.scalar(4)).div(denom);
    }
}
