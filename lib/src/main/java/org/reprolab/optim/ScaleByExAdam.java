package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * EXAdam (Adly, "EXAdam: The Power of Adaptive Cross-Moments", 2024; code AhmedMostafa16/EXAdam
 * {@code exadam.py}): with Adam's {@code m, v}, {@code d1 = 1 + v/(v+eps) b2^t},
 * {@code d2 = 1 + m^2/(m^2+eps) b1^t}, {@code m~ = m/bc1 d1}, {@code v~ = v/bc2 d2},
 * {@code g~ = u/bc1 d1}; output {@code (m~ + g~) / (sqrt(v~) + eps)}. The step size is the learning
 * rate in the latest code; with {@code logStep} it is {@code lr ln(sqrt(2) sqrt(t+1))} as in the paper
 * and the first commit (9ff8463). The code's decoupled weight decay is
 * {@link Transforms.AddDecayedWeights} after this.
 */
public record ScaleByExAdam(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps,
        boolean logStep) implements Elementwise {

    public ScaleByExAdam {
        Hyper.check("EXAdam", ScaleByExAdam.class, beta1, beta2, eps, logStep);
    }

    @Override public String name() { return "scale_by_exadam"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("m"), Slot.zeros("v")); }

    /** The step-size factor at tensor step {@code t}: 1, or {@code ln(sqrt(2) sqrt(t+1))} with {@code logStep}. */
    double stepFactor(long t) {
        return logStep ? Math.log(Math.sqrt(2) * Math.sqrt(t + 1.0)) : 1;
    }

    @Override
    public Expr apply(Pass p) {
        Expr g = p.update();
        AdamMoments mv = AdamMoments.update(p, "m", "v");
        Expr m = mv.m(), v = mv.v();
        Expr eps = p.hyper("eps");
        Expr b1t = p.scalar("beta1^t", s -> Math.pow(beta1, s.t())), b2t = p.scalar("beta2^t", s -> Math.pow(beta2, s.t()));
        Expr bc1 = p.scalar("bc1", s -> 1 - Math.pow(beta1, s.t())), bc2 = p.scalar("bc2", s -> 1 - Math.pow(beta2, s.t()));
        Expr d1 = Expr.c(1).add(v.div(v.add(eps)).mul(b2t));
        Expr m2 = m.mul(m);
        Expr d2 = Expr.c(1).add(m2.div(m2.add(eps)).mul(b1t));
        Expr mt = m.div(bc1).mul(d1);
        Expr vt = v.div(bc2).mul(d2);
        Expr gt = g.div(bc1).mul(d1);
        return mt.add(gt).div(vt.sqrt().add(eps)).mul(p.scalar("step", s -> stepFactor(s.t())));
    }
}
