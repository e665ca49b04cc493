package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.Expr;

/**
 * SGD-SaI (Xu et al., "No More Adam: Learning Rate Scaling at Initialization is All You Need", 2024;
 * code AnonymousAlethiometer/SGD_SaI {@code sgd_sai.py}): at a tensor's first step its gradient
 * signal-to-noise ratio {@code gsnr = ||g_0|| / (std(g_0) + eps)} (unbiased std; NaN, for one element,
 * taken as 0) is computed by a reduction and frozen in a host slot; then {@code buf = g_0} and
 * {@code buf = mu buf + (1-mu) g}; output {@code gsnr * buf}. One slot: half of Adam's state.
 * With {@code momentum = 0} the output is {@code gsnr * g} (the official code raises there).
 */
public record ScaleBySgdSai(@Range(BETA) double momentum, @Range(NON_NEGATIVE) double eps) implements Elementwise {

    public ScaleBySgdSai {
        Hyper.check("SGD-SaI", ScaleBySgdSai.class, momentum, eps);
    }

    @Override public String name() { return "scale_by_sgd_sai"; }
    @Override public List<Slot> slots() { return momentum == 0 ? List.of() : List.of(Slot.zeros("momentum_buffer")); }

    /** The tensor's g-SNR, fixed at its first step. */
    @Override public double[] hostState() { return new double[1]; }

    @Override
    public List<Reduction> reductions() {
        return List.of(new Reduction(Reduction.Of.UPDATE, ReduceOp.SUM), new Reduction(Reduction.Of.UPDATE, ReduceOp.SUM_SQUARES));
    }

    @Override
    public boolean reduceAt(long t) {
        return t == 1;
    }

    @Override
    public void advance(Step s) {
        if (s.t() != 1) return;
        int n = s.numel();
        double sum = s.reduced()[0], sq = s.reduced()[1];
        double var = n > 1 ? Math.max(0, (sq - sum * sum / n) / (n - 1)) : Double.NaN;
        double std = Double.isNaN(var) ? 0 : Math.sqrt(var);
        s.host()[0] = Math.sqrt(sq) / (std + eps);
    }

    @Override
    public Expr apply(Pass p) {
        Expr snr = p.scalar("g_snr", s -> s.host()[0]);
        if (momentum == 0) return p.update().mul(snr);
        Expr decay = p.scalar("decay", s -> s.t() == 1 ? 0 : momentum);
        Expr gain = p.scalar("gain", s -> s.t() == 1 ? 1 : 1 - momentum);
        Expr buf = decay.mul(p.slot("momentum_buffer")).add(gain.mul(p.update()));
        p.slot("momentum_buffer", buf);
        return buf.mul(snr);
    }
}
