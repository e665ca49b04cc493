package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * AdaBelief (Zhuang et al., "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed
 * Gradients", NeurIPS 2020; code juntang-zhuang/Adabelief-Optimizer, {@code adabelief_pytorch} 0.2.0):
 * {@code m = b1 m + (1-b1) u}, {@code s = b2 s + (1-b2)(u - m)^2 + eps} (eps is written into the state
 * every step, as the code's in-place {@code add_}), output {@code (m/bc1) / (sqrt(s)/sqrt(bc2) + eps)}.
 * With {@code rectify} (the code's default) the RAdam-style step: {@code r_t/bc1 * m/(sqrt(s) + eps)}
 * when {@code N_sma >= 5}, else the SGD step {@code m/bc1} ({@code degenerated_to_sgd=True}).
 */
public record ScaleByAdaBelief(@Range(BETA) double beta1, @Range(BETA) double beta2, @Range(NON_NEGATIVE) double eps,
        boolean rectify) implements Elementwise {

    public ScaleByAdaBelief {
        Hyper.check("AdaBelief", ScaleByAdaBelief.class, beta1, beta2, eps, rectify);
    }

    @Override public String name() { return "scale_by_belief"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_var")); }

    /** RAdam's length of the approximated SMA at step {@code t}. */
    private double nSma(long t) {
        double beta2t = Math.pow(beta2, t);
        return nSmaMax() - 2 * t * beta2t / (1 - beta2t);
    }

    private double nSmaMax() {
        return 2 / (1 - beta2) - 1;
    }

    /** The factor on {@code m}: {@code 1/bc1}, or {@code r_t/bc1} when rectified at step {@code t}. */
    private double stepFactor(Step s) {
        double bc1 = s.biasCorrection(beta1);
        if (!rectify || nSma(s.t()) < 5) return 1.0 / bc1;
        double nSma = nSma(s.t()), nSmaMax = nSmaMax(), beta2t = Math.pow(beta2, s.t());
        return Math.sqrt((1 - beta2t) * (nSma - 4) / (nSmaMax - 4) * (nSma - 2) / nSma * nSmaMax / (nSmaMax - 2)) / bc1;
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr m = p.ema("beta1", p.slot("exp_avg"), u);
        Expr r = u.sub(m);
        Expr eps = p.hyper("eps");
        Expr sv = p.ema("beta2", p.slot("exp_avg_var"), r.mul(r)).add(eps);
        p.slot("exp_avg", m);
        p.slot("exp_avg_var", sv);
        Expr denom = sv.sqrt().div(p.scalar("sqrt_bc2", s -> rectify ? 1 : Math.sqrt(s.biasCorrection(beta2)))).add(eps);
        Expr step = p.scalar("step", this::stepFactor);
        Expr adaptive = p.scalar("adaptive", s -> !rectify || nSma(s.t()) >= 5 ? 1 : 0);
        return adaptive.where(step.mul(m.div(denom)), step.mul(m));
    }
}
