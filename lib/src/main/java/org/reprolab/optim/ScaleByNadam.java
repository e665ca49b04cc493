package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * NAdam (Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop) in torch's form
 * ({@code torch/optim/nadam.py}, 1.13): momentum schedule {@code mu_t = b1 (1 - 0.5 * 0.96^(t psi))},
 * running product {@code P_t = P_{t-1} mu_t} (a host slot), output
 * {@code (1-mu_t)/(1-P_t) u/d + mu_{t+1}/(1 - P_t mu_{t+1}) m/d} with {@code d = sqrt(v/bc2) + eps}.
 *
 * <p>{@code torch113Bug = true} reproduces torch 1.13's single-tensor code, which uses
 * {@code P_t mu_t mu_{t+1}} in the second denominator (fixed by pytorch PR #92699; the multi-tensor
 * path was always right).
 */
public record ScaleByNadam(double beta1, double beta2, double eps, double momentumDecay, boolean torch113Bug)
        implements Elementwise {

    public ScaleByNadam {
        Check.beta("NAdam", "beta1", beta1);
        Check.beta("NAdam", "beta2", beta2);
        Check.nonNegative("NAdam", "eps", eps);
        Check.nonNegative("NAdam", "momentum_decay", momentumDecay);
    }

    @Override public String name() { return "scale_by_nadam"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_sq")); }
    @Override public int hostSlots() { return 1; }
    @Override public double hostInit(int i) { return 1; }
    @Override public int scalarCount() { return 8; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        long t = s.t();
        double mu = beta1 * (1. - 0.5 * Math.pow(0.96, t * momentumDecay));
        double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
        host[0] *= mu;
        double prod = host[0];
        double prodNext = torch113Bug ? prod * mu * muNext : prod * muNext;
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = s.biasCorrection(beta2);
        out[5] = eps;
        out[6] = (1. - mu) / (1. - prod);
        out[7] = muNext / (1. - prodNext);
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(u));
        Expr v = p.scalar(2).mul(p.slot("exp_avg_sq")).add(p.scalar(3).mul(u.mul(u)));
        p.slot("exp_avg", m);
        p.slot("exp_avg_sq", v);
        Expr denom = v.div(p.scalar(4)).sqrt().add(p.scalar(5));
        return p.scalar(6).mul(u.div(denom)).add(p.scalar(7).mul(m.div(denom)));
    }
}
