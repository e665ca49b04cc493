package org.reprolab.optim;

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
public record ScaleByExAdam(double beta1, double beta2, double eps, boolean logStep) implements Elementwise {

    public ScaleByExAdam {
        Check.beta("EXAdam", "beta1", beta1);
        Check.beta("EXAdam", "beta2", beta2);
        Check.nonNegative("EXAdam", "eps", eps);
    }

    @Override public String name() { return "scale_by_exadam"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("m"), Slot.zeros("v")); }
    @Override public int scalarCount() { return 10; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = Math.pow(beta1, s.t());
        out[5] = Math.pow(beta2, s.t());
        out[6] = 1 - out[4];
        out[7] = 1 - out[5];
        out[8] = eps;
        out[9] = stepFactor(s.t());
    }

    /** The step-size factor at tensor step {@code t}: 1, or {@code ln(sqrt(2) sqrt(t+1))} with {@code logStep}. */
    double stepFactor(long t) {
        return logStep ? Math.log(Math.sqrt(2) * Math.sqrt(t + 1.0)) : 1;
    }

    @Override
    public Expr apply(Pass p) {
        Expr g = p.update();
        Expr m = p.scalar(0).mul(p.slot("m")).add(p.scalar(1).mul(g));
        Expr v = p.scalar(2).mul(p.slot("v")).add(p.scalar(3).mul(g.mul(g)));
        p.slot("m", m);
        p.slot("v", v);
        Expr eps = p.scalar(8);
        Expr d1 = Expr.c(1).add(v.div(v.add(eps)).mul(p.scalar(5)));
        Expr m2 = m.mul(m);
        Expr d2 = Expr.c(1).add(m2.div(m2.add(eps)).mul(p.scalar(4)));
        Expr mt = m.div(p.scalar(6)).mul(d1);
        Expr vt = v.div(p.scalar(7)).mul(d2);
        Expr gt = g.div(p.scalar(6)).mul(d1);
        return mt.add(gt).div(vt.sqrt().add(eps)).mul(p.scalar(9));
    }
}
