package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Sophia (Liu et al., "Sophia: A Scalable Stochastic Second-order Optimizer for Language Model
 * Pre-training", ICLR 2024; code Liuhong99/Sophia {@code sophia.py}): {@code m = b1 m + (1-b1) u} (no bias
 * correction), output {@code sign(m) min(|m| / denom, 1)} with a diagonal Hessian estimate {@code h}
 * kept as a slot and refreshed every {@code k} steps from the aux input {@code "hessian"}
 * ({@code h = b2 h + (1-b2) h^}).
 *
 * <ul>
 *   <li>{@link Variant#G} (the code): denom {@code rho * bs * h + eps} (eps 1e-15); the estimate
 *       (Gauss–Newton–Bartlett) is taken after step {@code i} when {@code i % k == k-1}, i.e. before
 *       steps {@code k+1, 2k+1, ...}, so the first {@code k} steps run with {@code h = 0}.</li>
 *   <li>{@link Variant#H} (the paper's Algorithm 3 as the notes recall it, [paper]): denom
 *       {@code max(rho * h, eps)}, Hutchinson estimate before steps {@code 1, k+1, 2k+1, ...}.</li>
 * </ul>
 * The refresh happens inside the fused pass, so it costs no extra pass over the state.
 */
public record ScaleBySophia(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(POSITIVE) double rho,
        @Range(POSITIVE) double bs, @Range(NON_NEGATIVE) double eps, @Range(AT_LEAST_ONE) int k, Variant variant)
        implements Elementwise {

    /** Which Sophia. */
    public enum Variant { G, H }

    public ScaleBySophia {
        Hyper.check("Sophia", ScaleBySophia.class, beta1, beta2, rho, bs, eps, k, variant);
    }

    @Override public String name() { return "scale_by_sophia"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("hessian")); }
    @Override public List<String> aux() { return List.of("hessian"); }

    @Override
    public boolean auxAt(long t) {
        return (t - 1) % k == 0 && (variant == Variant.H || t > 1);
    }

    @Override
    public Expr apply(Pass p) {
        Expr m = p.ema("beta1", p.slot("exp_avg"), p.update());
        Expr decay = p.scalar("hessian_decay", s -> auxAt(s.t()) ? beta2 : 1);
        Expr gain = p.scalar("hessian_gain", s -> auxAt(s.t()) ? 1 - beta2 : 0);
        Expr h = decay.mul(p.slot("hessian")).add(gain.mul(p.aux("hessian")));
        p.slot("exp_avg", m);
        p.slot("hessian", h);
        Expr scale = p.scalar("rho_scale", s -> variant == Variant.G ? rho * bs : rho), eps = p.hyper("eps");
        Expr denom = p.scalar("g", s -> variant == Variant.G ? 1 : 0).where(scale.mul(h).add(eps), scale.mul(h).max(eps));
        return m.sign().mul(m.abs().div(denom).min(Expr.c(1)));
    }
}
