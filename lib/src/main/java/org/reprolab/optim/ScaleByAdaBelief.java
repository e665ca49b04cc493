package org.reprolab.optim;

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
public record ScaleByAdaBelief(double beta1, double beta2, double eps, boolean rectify) implements Elementwise {

    public ScaleByAdaBelief {
        Check.beta("AdaBelief", "beta1", beta1);
        Check.beta("AdaBelief", "beta2", beta2);
        Check.nonNegative("AdaBelief", "eps", eps);
    }

    @Override public String name() { return "scale_by_belief"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("exp_avg"), Slot.zeros("exp_avg_var")); }
    @Override public int scalarCount() { return 8; }

    @Override
    public void scalars(Step s, double[] host, double[] out) {
        long t = s.t();
        double bc1 = s.biasCorrection(beta1);
        out[0] = beta1;
        out[1] = 1 - beta1;
        out[2] = beta2;
        out[3] = 1 - beta2;
        out[4] = eps;
        if (!rectify) {
            out[5] = Math.sqrt(s.biasCorrection(beta2));
            out[6] = 1 / bc1;
            out[7] = 1;
            return;
        }
        double beta2t = Math.pow(beta2, t);
        double nSmaMax = 2 / (1 - beta2) - 1;
        double nSma = nSmaMax - 2 * t * beta2t / (1 - beta2t);
        out[5] = 1;
        if (nSma >= 5) {
            out[6] = Math.sqrt((1 - beta2t) * (nSma - 4) / (nSmaMax - 4) * (nSma - 2) / nSma * nSmaMax / (nSmaMax - 2)) / bc1;
            out[7] = 1;
        } else {
            out[6] = 1.0 / bc1;
            out[7] = 0;
        }
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update();
        Expr m = p.scalar(0).mul(p.slot("exp_avg")).add(p.scalar(1).mul(u));
        Expr r = u.sub(m);
        Expr sv = p.scalar(2).mul(p.slot("exp_avg_var")).add(p.scalar(3).mul(r.mul(r))).add(p.scalar(4));
        p.slot("exp_avg", m);
        p.slot("exp_avg_var", sv);
        Expr denom = sv.sqrt().div(p.scalar(5)).add(p.scalar(4));
        return p.scalar(7).where(p.scalar(6).mul(m.div(denom)), p.scalar(6).mul(m));
    }
}
