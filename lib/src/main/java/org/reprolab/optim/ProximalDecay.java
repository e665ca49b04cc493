package org.reprolab.optim;

import org.reprolab.tornado.expr.Expr;

/**
 * Proximal weight decay, after the learning rate: the new parameter is {@code (p + u) / (1 + lr wd)}
 * (Adan's default, sail-sg/Adan {@code adan.py}: {@code param.add_(update, alpha=-lr);
 * param.div_(1 + lr * weight_decay)}). Emits the update that produces it.
 */
public record ProximalDecay(double weightDecay) implements Elementwise {

    public ProximalDecay {
        Check.nonNegative("proximal_decay", "weight_decay", weightDecay);
    }

    @Override public String name() { return "proximal_decay"; }
    @Override public int scalarCount() { return 1; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        out[0] = 1 + s.requireLr("proximal_decay") * weightDecay;
    }

    @Override
    public Expr apply(Pass p) {
        return p.param().add(p.update()).div(p.scalar(0)).sub(p.param());
    }
}
