package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * The projection of AdamP and SGDP (Heo, Chun, Oh, Han, Yun, Kim, Uh, Ha, "AdamP: Slowing Down the
 * Slowdown for Momentum Optimizers on Scale-invariant Weights", ICLR 2021; code clovaai/AdamP
 * {@code adamp.py}, {@code sgdp.py}): for parameters with more than one dimension, if the gradient
 * is nearly orthogonal to the weight in every channel ({@code max_c |cos(g_c, w_c)| < delta/sqrt(dim_c)}
 * over the view {@code [shape[0], -1]}), or else over the whole layer (view {@code [1, -1]}), the
 * direction {@code d} loses its radial part in that view: {@code d - w^ (w^ . d)} with
 * {@code w^ = w / (||w|| + eps)}, and the weight decay is scaled by {@code wdRatio}. Output
 * {@code d_proj + wd' w}, so that the learning rate after it gives the code's
 * {@code p (1 - lr wd') - lr d_proj}.
 *
 * <p>The cosines and {@code w . d} are per-channel sums of products ({@link #rowProducts}): one
 * kernel writes the products, the device sums each row, the host decides the view, and the per-row
 * {@code ||w|| + eps} and {@code (w^ . d)} enter the fused pass as values broadcast along the rows.
 * Cosines follow torch 1.13's {@code F.cosine_similarity}: {@code x.y / sqrt(max(|x|^2 |y|^2, eps^2))}.
 * {@code w^ . d} is summed as {@code (w . d) / (||w|| + eps)} (the code sums {@code w^ * d}; the two
 * differ by rounding).
 *
 * <p>{@link Direction#INCOMING}: AdamP, projecting the incoming update ({@link ScaleByAdam}'s direction,
 * optionally Nesterov). {@link Direction#SGD_MOMENTUM}: SGDP, whose momentum buffer lives here because
 * the code writes the projection back into it: {@code buf = momentum buf + (1-dampening) u} (zeros
 * at first, dampening always applied), {@code d = u + momentum buf} with Nesterov else {@code buf}, and
 * without Nesterov {@code buf = d_proj} (the code's in-place {@code perturb -=} on the aliased buffer);
 * its decay is {@code wd wdRatio / (1 - momentum)}.
 */
public record ScaleInvariantProjection(@Range(NON_NEGATIVE) double delta, @Range(UNIT) double wdRatio,
        @Range(NON_NEGATIVE) double eps, @Range(NON_NEGATIVE) double weightDecay, Direction direction,
        @Range(BETA) double momentum, @Range(UNIT) double dampening, boolean nesterov) implements Elementwise {

    /** What is projected. */
    public enum Direction {
        /** The incoming update (AdamP). */
        INCOMING,
        /** SGDP's momentum direction, kept here with its buffer. */
        SGD_MOMENTUM
    }

    public ScaleInvariantProjection {
        Hyper.check("AdamP/SGDP", ScaleInvariantProjection.class, delta, wdRatio, eps, weightDecay, direction, momentum,
                dampening, nesterov);
    }

    private boolean sgd() {
        return direction == Direction.SGD_MOMENTUM;
    }

    @Override public String name() { return sgd() ? "sgdp_projection" : "adamp_projection"; }
    @Override public List<Slot> slots() { return sgd() ? List.of(Slot.zeros("momentum")) : List.of(); }
    @Override public int rowProductCount() { return sgd() ? 5 : 4; }

    /** g.w, g.g, w.w, u.w (and buf.w for SGDP), summed per channel and per layer. */
    @Override
    public List<Expr> rowProducts(Pass p) {
        Expr g = p.grad(), w = p.param();
        List<Expr> out = new ArrayList<>(List.of(g.mul(w), g.mul(g), w.mul(w), p.update().mul(w)));
        if (sgd()) out.add(p.slot("momentum").mul(w));
        return out;
    }

    @Override public int rowValueCount() { return 2; }
    /** 0: no projection, 1: per channel, 2: per layer. */
    int view(Step s) {
        if (s.shape().length <= 1) return 0;
        int rows = s.rows(), dim = s.numel() / rows;
        double[] gw = s.rowSums()[0], gg = s.rowSums()[1], ww = s.rowSums()[2];
        double max = 0;
        for (int r = 0; r < rows; r++) max = Math.max(max, cosine(gw[r], gg[r], ww[r]));
        if (max < delta / Math.sqrt(dim)) return 1;
        double[] t = s.rowTotals();
        return cosine(t[0], t[1], t[2]) < delta / Math.sqrt(s.numel()) ? 2 : 0;
    }

    private double cosine(double xy, double xx, double yy) {
        return Math.abs(xy / Math.sqrt(Math.max(xx * yy, eps * eps)));
    }

    /** {@code sum(w . d)} from the row sums, by the linearity of {@code d} in {@code u} and {@code buf}. */
    private double wDotD(double uw, double bw) {
        if (!sgd()) return uw;
        double buf = momentum * bw + (1 - dampening) * uw;
        return nesterov ? uw + momentum * buf : buf;
    }

    /** The decoupled decay factor: {@code wd wdRatio} when projected ({@code / (1 - momentum)} for SGDP), else {@code wd}. */
    private double decay(Step s) {
        double ratio = view(s) == 0 ? 1 : wdRatio;
        return sgd() ? weightDecay * ratio / (1 - momentum) : weightDecay * ratio;
    }

    @Override
    public void rowValues(Step s, double[][] out) {
        int view = view(s), rows = s.rows();
        double[][] rs = s.rowSums();
        double[] t = s.rowTotals();
        for (int r = 0; r < rows; r++) {
            if (view == 0) {
                out[0][r] = 1;
                out[1][r] = 0;
                continue;
            }
            double ww = view == 1 ? rs[2][r] : t[2];
            double uw = view == 1 ? rs[3][r] : t[3];
            double bw = !sgd() ? 0 : view == 1 ? rs[4][r] : t[4];
            double a = Math.sqrt(ww) + eps;
            out[0][r] = a;
            out[1][r] = wDotD(uw, bw) / a;
        }
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update(), w = p.param(), d = u, buf = null;
        if (sgd()) {
            buf = p.hyper("momentum").mul(p.slot("momentum")).add(p.complement("dampening").mul(u));
            d = nesterov ? u.add(p.hyper("momentum").mul(buf)) : buf;
        }
        Expr proj = d.sub(w.div(p.row(0)).mul(p.row(1)));
        if (sgd()) p.slot("momentum", nesterov ? buf : proj);
        return proj.add(p.scalar("decay", this::decay).mul(w));
    }
}
