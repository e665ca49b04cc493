package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Adagrad (Duchi, Hazan, Singer, "Adaptive Subgradient Methods for Online Learning and Stochastic
 * Optimization", JMLR 2011) in torch's form ({@code torch/optim/adagrad.py}, 1.13): {@code S += u^2},
 * output {@code u / (sqrt(S) + eps) / (1 + (t-1) lr_decay)}.
 */
public record ScaleByAdagrad(@Range(NON_NEGATIVE) double lrDecay, @Range(NON_NEGATIVE) double eps,
        @Range(NON_NEGATIVE) double initialAccumulatorValue) implements Elementwise {

    public ScaleByAdagrad {
        Hyper.check("Adagrad", ScaleByAdagrad.class, lrDecay, eps, initialAccumulatorValue);
    }

    @Override public String name() { return "scale_by_adagrad"; }
    @Override public List<Slot> slots() { return List.of(new Slot("sum", initialAccumulatorValue)); }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr sum = p.slot("sum").add(u.mul(u));
        p.slot("sum", sum);
        return u.div(sum.sqrt().add(p.hyper("eps"))).div(p.scalar("decay", s -> 1 + (s.t() - 1) * lrDecay));
    }
}
