package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * Schedule-free averaging (Defazio, Yang, Mehta, Mishchenko, Khaled, Cutkosky, "The Road Less
 * Scheduled", NeurIPS 2024; code facebookresearch/schedule_free {@code sgd_schedulefree.py},
 * {@code adamw_schedulefree.py} at commit 0083572): three sequences, the base steps {@code z}, their
 * weighted average {@code x}, and the point the gradient is taken at, {@code y = (1 - beta1) z + beta1 x},
 * which is what the parameter holds while training. Given the base step {@code u = -lr g} of the chain
 * before it, per step
 * <pre>
 *   lr_t = lr sqrt(1 - alpha^t)          (alpha: the Adam variant's beta2, 0 for SGD)
 *   lr_max = max(lr_max, lr_t);  w = t^r lr_max^weightLrPower;  W += w;  c = w / W
 *   y = lerp(y, z, c) + (1 - beta1 (1 - c)) sqrt(1 - alpha^t) u;   z = z + sqrt(1 - alpha^t) u
 * </pre>
 * as the code updates {@code y} in place without forming {@code x}. Evaluate at {@code x} with
 * {@link ScheduleFree#atAverage}. It must be the last link of a chain, after
 * {@code scale_by_learning_rate}; {@code alpha} is named like {@link ScaleByRms}'s decay so that
 * {@code with("alpha", b)} sets both in the AdamW variant. The code's {@code warmup_steps} is a
 * schedule on the learning rate here ({@link Schedule#linearWarmup}), and its per-group step counter
 * the per-tensor step.
 */
public record ScaleByScheduleFree(@Range(BETA) double beta1, @Range(BETA) double alpha, @Range(NON_NEGATIVE) double r,
        @Range(NON_NEGATIVE) double weightLrPower) implements Elementwise {

    private static final int WEIGHT_SUM = 0, LR_MAX = 1, CKP1 = 2;

    public ScaleByScheduleFree {
        Hyper.check("schedule-free", ScaleByScheduleFree.class, beta1, alpha, r, weightLrPower);
        Check.that(beta1 > 0, "schedule-free", "beta1 (momentum) must be in (0, 1), got " + beta1);
    }

    @Override public String name() { return "scale_by_schedule_free"; }
    @Override public List<Slot> slots() { return List.of(Slot.zeros("z")); }
    @Override public double[] hostState() { return new double[] {0, -1, 0}; }

    private double correction(Step s) {
        return Math.sqrt(1 - Math.pow(alpha, s.t()));
    }

    @Override
    public void advance(Step s) {
        double[] h = s.host();
        double lr = s.requireLr(name()) * correction(s);
        h[LR_MAX] = Math.max(lr, h[LR_MAX]);
        double weight = Math.pow(s.t(), r) * Math.pow(h[LR_MAX], weightLrPower);
        h[WEIGHT_SUM] += weight;
        h[CKP1] = h[WEIGHT_SUM] == 0 ? 0 : weight / h[WEIGHT_SUM];
    }

    @Override
    public Expr apply(Pass p) {
        Expr y = p.param(), u = p.update();
        Expr z = p.scalar("first", s -> s.t() == 1 ? 1 : 0).where(y, p.slot("z"));
        Expr c = p.scalar("ckp1", s -> s.host()[CKP1]), low = p.scalar("ckp1 < 0.5", s -> s.host()[CKP1] < 0.5 ? 1 : 0);
        Expr lerp = low.where(y.add(c.mul(z.sub(y))), z.sub(z.sub(y).mul(p.scalar("1 - ckp1", s -> 1 - s.host()[CKP1]))));
        Expr yStep = p.scalar("y step", s -> (1 - beta1 * (1 - s.host()[CKP1])) * correction(s));
        p.slot("z", z.add(p.scalar("z step", this::correction).mul(u)));
        return lerp.add(yStep.mul(u)).sub(y);
    }
}
