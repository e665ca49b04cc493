package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * RMSprop (Tieleman and Hinton, Coursera lecture 6.5, 2012; centred form from Graves, "Generating
 * Sequences With Recurrent Neural Networks", 2013) in torch's form ({@code torch/optim/rmsprop.py},
 * 1.13): {@code s = alpha s + (1-alpha) u^2}, output {@code u / (sqrt(s) + eps)}, or
 * {@code u / (sqrt(s - gbar^2) + eps)} when centred ({@code gbar} the running mean of {@code u}).
 * torch's momentum is {@link Transforms.Trace} after this.
 */
public record ScaleByRms(double alpha, double eps, boolean centered) implements Elementwise {

    public ScaleByRms {
        Check.unit("RMSprop", "alpha", alpha);
        Check.nonNegative("RMSprop", "eps", eps);
    }

    @Override public String name() { return "scale_by_rms"; }

    @Override
    public List<Slot> slots() {
        return centered ? List.of(Slot.zeros("square_avg"), Slot.zeros("grad_avg")) : List.of(Slot.zeros("square_avg"));
    }

    @Override public int scalarCount() { return 3; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = alpha;
        out[1] = 1 - alpha;
        out[2] = eps;
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr sq = p.scalar(0).mul(p.slot("square_avg")).add(p.scalar(1).mul(u.mul(u)));
        p.slot("square_avg", sq);
        Expr var = sq;
        if (centered) {
            Expr ga = p.scalar(0).mul(p.slot("grad_avg")).add(p.scalar(1).mul(u));
            p.slot("grad_avg", ga);
            var = sq.sub(ga.mul(ga));
        }
        return u.div(var.sqrt().add(p.scalar(2)));
    }
}
