package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Adagrad (Duchi, Hazan, Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 2011) in torch's form ({@code torch/optim/adagrad.py}, 1.13): {@code S += u^2},
 * output {@code u / (sqrt(S) + eps) / (1 + (t-1) lr_decay)}.
 */
public record ScaleByAdagrad(double lrDecay, double eps, double initialAccumulatorValue) implements Elementwise {

    public ScaleByAdagrad {
        Check.nonNegative("Adagrad", "lr_decay", lrDecay);
        Check.nonNegative("Adagrad", "eps", eps);
        Check.nonNegative("Adagrad", "initial_accumulator_value", initialAccumulatorValue);
    }

    @Override public String name() { return "scale_by_adagrad"; }
    @Override public List<Slot> slots() { return List.of(new Slot("sum", initialAccumulatorValue)); }
    @Override public int scalarCount() { return 2; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = eps;
        out[1] = 1 + (s.t() - 1) * lrDecay;
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr sum = p.slot("sum").add(u.mul(u));
        p.slot("sum", sum);
        return u.div(sum.sqrt().add(p.scalar(0))).div(p.scalar(1));
    }
}
