package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * RMSprop (Tieleman and Hinton, Coursera lecture 6.5, 2012; centred form from Graves, "Generating
 * Sequences With Recurrent Neural Networks", 2013) in torch's form ({@code torch/optim/rmsprop.py},
 * 1.13): {@code s = alpha s + (1-alpha) u^2}, output {@code u / (sqrt(s) + eps)}, or
 * {@code u / (sqrt(s - gbar^2) + eps)} when centred ({@code gbar} the running mean of {@code u}).
 * torch's momentum is {@link Transforms.Trace} after this.
 */
public record ScaleByRms(@Range(UNIT) double alpha, @Range(NON_NEGATIVE) double eps, boolean centered) implements Elementwise {

    public ScaleByRms {
        Hyper.check("RMSprop", ScaleByRms.class, alpha, eps, centered);
    }

    @Override public String name() { return "scale_by_rms"; }

    @Override
    public List<Slot> slots() {
        return centered ? List.of(Slot.zeros("square_avg"), Slot.zeros("grad_avg")) : List.of(Slot.zeros("square_avg"));
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr sq = p.ema("alpha", p.slot("square_avg"), u.mul(u));
        p.slot("square_avg", sq);
        Expr var = sq;
        if (centered) {
            Expr ga = p.ema("alpha", p.slot("grad_avg"), u);
            p.slot("grad_avg", ga);
            var = sq.sub(ga.mul(ga));
        }
        return u.div(var.sqrt().add(p.hyper("eps")));
    }
}
