package org.reprolab.optim;

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
public record ScaleBySophia(double beta1, double beta2, double rho, double bs, double eps, int k, Variant variant)
        implements Elementwise {

    /** Which Sophia. */
    public enum Variant { G, H }

    public ScaleBySophia {
        Check.beta("Sophia", "beta1", beta1);
        Check.beta("Sophia", "beta2", beta2);
        Check.positive("Sophia", "rho", rho);
        Check.positive("Sophia", "bs", bs);
        Check.nonNegative("Sophia", "eps", eps);
        Check.atLeastOne("Sophia", "k", k);
        if (variant == null) throw new IllegalArgumentException("Sophia: variant is null");
    }

    @Override public String name() { return "scale_by_sophia"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("hessian")); }
    @Override public List<String> aux() { return List.of("hessian"); }

    @Override
    public boolean auxAt(long t) {
        return (t - 1) % k == 0 && (variant == Variant.H || t > 1);
    }

    @Override public int scalarCount() { return 7; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        boolean refresh = auxAt(s.t());
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = refresh ? beta2 : 1;
        out[3] = refresh ? 1 - beta2 : 0;
        out[4] = variant == Variant.G ? rho * bs : rho;
        out[5] = eps;
        out[6] = variant == Variant.G ? 1 : 0;
    }

    @Override
    public Expr apply(Pass p) {
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(p.update()));
        Expr h = p.scalar(2).mul(p.slot("hessian")).add(p.scalar(3).mul(p.aux("hessian")));
        p.slot("exp_avg", m);
        p.slot("hessian", h);
        Expr denom = p.scalar(6).where(p.scalar(4).mul(h).add(p.scalar(5)), p.scalar(4).mul(h).max(p.scalar(5)));
        return m.sign().mul(m.abs().div(denom).min(Expr.c(1)));
    }
}
