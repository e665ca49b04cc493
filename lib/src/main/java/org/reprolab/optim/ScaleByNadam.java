package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

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
public record ScaleByNadam(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps,
        @Range(NON_NEGATIVE) double momentumDecay, boolean torch113Bug) implements Elementwise {

    public ScaleByNadam {
        Hyper.check("NAdam", ScaleByNadam.class, beta1, beta2, eps, momentumDecay, torch113Bug);
    }

    @Override public String name() { return "scale_by_nadam"; }
    @Override public List<Slot> slots() { return AdamMoments.slots(); }

    /** The running product of the momentum coefficients {@code mu_1 ... mu_t}. */
    @Override public double[] hostState() { return new double[] {1}; }

    /** torch's {@code mu_t = beta1 (1 - 0.5 0.96^(t psi))}. */
    private double mu(long t) {
        return beta1 * (1. - 0.5 * Math.pow(0.96, t * momentumDecay));
    }

    @Override
    public void advance(Step s) {
        s.host()[0] *= mu(s.t());
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        AdamMoments mv = AdamMoments.update(p);
        Expr m = mv.m(), v = mv.v();
        Expr denom = v.div(p.scalar("bc2", s -> s.biasCorrection(beta2))).sqrt().add(p.hyper("eps"));
        Expr gradCoef = p.scalar("grad_coef", s -> (1. - mu(s.t())) / (1. - s.host()[0]));
        Expr momentumCoef = p.scalar("momentum_coef", s -> {
            double mu = mu(s.t()), muNext = mu(s.t() + 1), prod = s.host()[0];
            return muNext / (1. - (torch113Bug ? prod * mu * muNext : prod * muNext));
        });
        return gradCoef.mul(u.div(denom)).add(momentumCoef.mul(m.div(denom)));
    }
}
