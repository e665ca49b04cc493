package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import org.reprolab.tornado.expr.Expr;

/**
 * Proximal weight decay, after the learning rate: the new parameter is {@code (p + u) / (1 + lr wd)}
 * (Adan's default, sail-sg/Adan {@code adan.py}: {@code param.add_(update, alpha=-lr);
 * param.div_(1 + lr * weight_decay)}). Emits the update that produces it.
 */
public record ProximalDecay(@Range(NON_NEGATIVE) double weightDecay) implements Elementwise {

    public ProximalDecay {
        Hyper.check("proximal_decay", ProximalDecay.class, weightDecay);
    }

    @Override public String name() { return "proximal_decay"; }

    @Override
    public Expr apply(Pass p) {
        Expr shrink = p.scalar("1 + lr wd", s -> 1 + s.requireLr("proximal_decay") * weightDecay);
        return p.param().add(p.update()).div(shrink).sub(p.param());
    }
}
