package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

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
public record ScaleByDiffGrad(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps)
        implements Elementwise {

    public ScaleByDiffGrad {
        Hyper.check("diffGrad", ScaleByDiffGrad.class, beta1, beta2, eps);
    }

    @Override public String name() { return "scale_by_diffgrad"; }

    @Override
    public List<Slot> slots() {
        return AdamMoments.slots("previous_grad");
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        AdamMoments mv = AdamMoments.update(p);
        Expr xi = p.slot("previous_grad").sub(u).abs().sigmoid();
        p.slot("previous_grad", u);
        Expr step = p.scalar("sqrt_bc2/bc1", s -> Math.sqrt(s.biasCorrection(beta2)) / s.biasCorrection(beta1));
        return step.mul(mv.m().mul(xi).div(mv.v().sqrt().add(p.hyper("eps"))));
    }
}
