package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * diffGrad (Dubey et al., "diffGrad: An Optimization Method for Convolutional Neural Networks", IEEE
 * TNNLS 2020; code shivram1987/diffGrad {@code diffGrad_v2.py}): Adam's moments, friction
 * {@code xi = sigmoid(|u_{t-1} - u_t|)} with {@code u_0 = 0}, output
 * {@code sqrt(bc2)/bc1 * (m xi) / (sqrt(v) + eps)} (epsilon before the bias correction, as the code).
 * v2 keeps a copy of the previous gradient; v1's alias bug (xi = 0.5 always under in-place
 * {@code zero_grad}) is not reproduced.
 */
public record ScaleByDiffGrad(double beta1, double beta2, double eps) implements Elementwise {

    public ScaleByDiffGrad {
        Check.beta("diffGrad", "beta1", beta1);
        Check.beta("diffGrad", "beta2", beta2);
        Check.nonNegative("diffGrad", "eps", eps);
    }

    @Override public String name() { return "scale_by_diffgrad"; }

    @Override
    public List<Slot> slots() {
        return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_sq"), Slot.zeros("previous_grad"));
    }

    @Override public int scalarCount() { return 6; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = eps;
        out[5] = Math.sqrt(s.biasCorrection(beta2)) / s.biasCorrection(beta1);
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(u));
        Expr v = p.scalar(2).mul(p.slot("exp_avg_sq")).add(p.scalar(3).mul(u.mul(u)));
        Expr xi = p.slot("previous_grad").sub(u).abs().sigmoid();
        p.slot("exp_avg", m);
        p.slot("exp_avg_sq", v);
        p.slot("previous_grad", u);
        return p.scalar(5).mul(m.mul(xi).div(v.sqrt().add(p.scalar(4))));
    }
}
