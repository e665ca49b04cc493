package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms", NeurIPS 2023; code
 * google/automl {@code lion/lion_pytorch.py}): output {@code sign(b1 m + (1-b1) u)}, then
 * {@code m = b2 m + (1-b2) u}. One slot: half of Adam's state. sign(0) = 0.
 */
public record ScaleByLion(double beta1, double beta2) implements Elementwise {

    public ScaleByLion {
        Check.unit("Lion", "beta1", beta1);
        Check.unit("Lion", "beta2", beta2);
    }

    @Override public String name() { return "scale_by_lion"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg")); }
    @Override public int scalarCount() { return 4; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update(), m = p.slot("exp_avg");
        Expr c = p.scalar(0).mul(m).add(p.scalar(1).mul(u));
        p.slot("exp_avg", p.scalar(2).mul(m).add(p.scalar(3).mul(u)));
        return c.sign();
    }
}
