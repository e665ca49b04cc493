package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import java.util.Map;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.expr.Expr;

/**
 * Lookahead (Zhang, Lucas, Hinton, Ba, "Lookahead Optimizer: k steps forward, 1 step back", NeurIPS
 * 2019; code michaelrzhang/lookahead {@code lookahead_pytorch.py}): the chain before it takes fast
 * steps; every {@code laSteps}-th step the parameter moves to {@code laAlpha fast + (1 - laAlpha) slow}
 * and the slow weights (cached at the first step, as the code caches them at construction) take
 * that value. It must be the last link of a chain, after {@code scale_by_learning_rate}, since it
 * sees the whole step. The code's default {@code pullback_momentum="none"} only: its "reset" and
 * "pullback" options reach into the inner optimizer's momentum buffer, which one link of a chain
 * cannot.
 */
public record Lookahead(@Range(AT_LEAST_ONE) int laSteps, @Range(UNIT) double laAlpha) implements Elementwise {

    public Lookahead {
        Hyper.check("Lookahead", Lookahead.class, laSteps, laAlpha);
    }

    /**
     * Moves every parameter a Lookahead chain of {@code opt} has stepped to its slow weights, as the
     * code's {@code _backup_and_load_cache} (for evaluation, "which typically generalize better");
     * closing restores the fast weights as its {@code _clear_and_load_backup}.
     */
    public static SwappedParams atSlowWeights(Optimizer opt, Map<String, Tensor> params) {
        return SwappedParams.of(opt, params, Lookahead.class, "cached_params", (la, fast, slow) -> slow);
    }

    @Override public String name() { return "lookahead"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("cached_params")); }

    @Override
    public Expr apply(Pass p) {
        Expr first = p.scalar("first", s -> s.t() == 1 ? 1 : 0), sync = p.scalar("sync", s -> s.t() % laSteps == 0 ? 1 : 0);
        Expr slow = first.where(p.param(), p.slot("cached_params"));
        Expr fast = p.param().add(p.update());
        Expr pulled = fast.mul(p.hyper("laAlpha")).add(slow.mul(p.complement("laAlpha")));
        p.slot("cached_params", sync.where(pulled, slow));
        return sync.where(pulled.sub(p.param()), p.update());
    }
}
