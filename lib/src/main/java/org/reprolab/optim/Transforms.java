package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;
import static org.reprolab.tornado.expr.Expr.c;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * The generic building blocks (Optax {@code transform.py}): weight decay, learning rate with a
 * schedule, momentum, clipping, trust ratio. Optimizer-specific rules ({@link ScaleByAdam}, ...) live
 * in their own records; {@link Optimizers} chains them into the familiar optimizers.
 */
public final class Transforms {
    private Transforms() {}

    /** {@code u + wd * p}: L2 regularisation before a rule, decoupled weight decay after it. */
    public static AddDecayedWeights addDecayedWeights(double weightDecay) {
        return new AddDecayedWeights(weightDecay);
    }

    /** {@code -lr * schedule(count) * u}. */
    public static ScaleByLearningRate scaleByLearningRate(double lr) {
        return new ScaleByLearningRate(lr, Schedule.constant());
    }

    public static ScaleByLearningRate scaleByLearningRate(double lr, Schedule schedule) {
        return new ScaleByLearningRate(lr, schedule);
    }

    /** torch SGD momentum. */
    public static Trace trace(double momentum, double dampening, boolean nesterov) {
        return new Trace(momentum, dampening, nesterov);
    }

    public static ClipByGlobalNorm clipByGlobalNorm(double maxNorm) {
        return new ClipByGlobalNorm(maxNorm);
    }

    public static Clip clip(double maxDelta) {
        return new Clip(maxDelta);
    }

    /**
     * {@code u + wd * p}. Before a rule it is torch's L2 weight decay ({@code grad.add(param, alpha=wd)});
     * after it and before {@link ScaleByLearningRate} it is decoupled decay {@code p(1 - lr wd)}
     * (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019).
     */
    public record AddDecayedWeights(@Range(NON_NEGATIVE) double weightDecay) implements Elementwise {
        public AddDecayedWeights {
            Hyper.check("add_decayed_weights", AddDecayedWeights.class, weightDecay);
        }

        @Override public String name() { return "add_decayed_weights"; }

        @Override
        public Expr apply(Pass p) {
            return p.update().add(p.hyper("weightDecay").mul(p.param()));
        }
    }

    /**
     * {@code -lr * schedule(count) * u}: the last link of most chains (Optax
     * {@code scale_by_learning_rate}). {@code lr} is the group's base rate; the schedule gives the
     * multiplier, as torch's {@code LambdaLR}.
     */
    public record ScaleByLearningRate(@Range(NON_NEGATIVE) double lr, Schedule schedule) implements Elementwise {
        public ScaleByLearningRate {
            Hyper.check("scale_by_learning_rate", ScaleByLearningRate.class, lr, schedule);
        }

        /** The learning rate at step {@code count}. */
        public double at(long count) {
            return lr * schedule.at(count);
        }

        @Override public String name() { return "scale_by_learning_rate"; }

        @Override
        public Expr apply(Pass p) {
            return p.update().mul(p.scalar("-lr", s -> -at(s.count())));
        }
    }

    /**
     * torch's SGD momentum buffer ({@code torch/optim/sgd.py}): {@code buf = u} on the first step (the
     * first buffer ignores dampening), then {@code buf = momentum buf + (1 - dampening) u}; the output
     * is {@code u + momentum buf} with Nesterov, else {@code buf}. No state when {@code momentum = 0}.
     */
    public record Trace(@Range(NON_NEGATIVE) double momentum, @Range(UNIT) double dampening, boolean nesterov) implements Elementwise {
        public Trace {
            Hyper.check("momentum", Trace.class, momentum, dampening, nesterov);
            Check.that(!nesterov || (momentum > 0 && dampening == 0), "momentum",
                    "Nesterov momentum requires momentum > 0 and dampening = 0, got momentum=" + momentum + ", dampening=" + dampening);
        }

        @Override public String name() { return "trace"; }

        @Override
        public List<Slot> slots() {
            return momentum == 0 ? List.of() : List.of(Slot.zeros("momentum_buffer"));
        }

        @Override
        public Expr apply(Pass p) {
            if (momentum == 0) return p.update();
            Expr decay = p.scalar("decay", s -> s.t() == 1 ? 0 : momentum);
            Expr gain = p.scalar("gain", s -> s.t() == 1 ? 1 : 1 - dampening);
            Expr buf = decay.mul(p.slot("momentum_buffer")).add(gain.mul(p.update()));
            p.slot("momentum_buffer", buf);
            return nesterov ? p.update().add(p.hyper("momentum").mul(buf)) : buf;
        }
    }

    /**
     * An exponential moving average of the updates without debiasing (Optax {@code ema(decay,
     * debias=False)}): {@code v = momentum v + (1 - momentum) u} from {@code v = 0}, output {@code v};
     * M-FAC's momentum. No state when {@code momentum = 0}.
     */
    public record Ema(@Range(BETA) double momentum) implements Elementwise {
        public Ema {
            Hyper.check("ema", Ema.class, momentum);
        }

        @Override public String name() { return "ema"; }
        @Override public List<Slot> slots() { return momentum == 0 ? List.of() : List.of(Slot.zeros("ema")); }

        @Override
        public Expr apply(Pass p) {
            if (momentum == 0) return p.update();
            Expr v = p.ema("momentum", p.slot("ema"), p.update());
            p.slot("ema", v);
            return v;
        }
    }

    /**
     * Optax {@code clip_by_global_norm}: scales the updates of the group by {@code maxNorm / norm}
     * when their joint L2 norm exceeds {@code maxNorm}. The norm comes from a reduction stage.
     */
    public record ClipByGlobalNorm(@Range(POSITIVE) double maxNorm) implements Elementwise {
        public ClipByGlobalNorm {
            Hyper.check("clip_by_global_norm", ClipByGlobalNorm.class, maxNorm);
        }

        @Override public String name() { return "clip_by_global_norm"; }
        @Override public List<Reduction> reductions() { return List.of(Reduction.sumSquares(Reduction.Of.UPDATE)); }

        /** {@code min(1, maxNorm / ||u||)} over the group. */
        private double factor(Step step) {
            double norm = Math.sqrt(step.groupReduced()[0]);
            return norm < maxNorm ? 1 : maxNorm / norm;
        }

        @Override
        public Expr apply(Pass p) {
            return p.update().mul(p.scalar("factor", this::factor));
        }
    }

    /** Clips every element of the update to {@code [-maxDelta, maxDelta]} (Optax {@code clip}). */
    public record Clip(@Range(POSITIVE) double maxDelta) implements Elementwise {
        public Clip {
            Hyper.check("clip", Clip.class, maxDelta);
        }

        @Override public String name() { return "clip"; }

        @Override
        public Expr apply(Pass p) {
            Expr max = p.hyper("maxDelta");
            return p.update().clamp(max.mul(c(-1)), max);
        }
    }

    /**
     * LAMB's layer-wise trust ratio (You et al., "Large Batch Optimization for Deep Learning: Training
     * BERT in 76 minutes", ICLR 2020; code cybertronai/pytorch-lamb {@code lamb.py}):
     * {@code u * clamp(||p||, 0, maxWeightNorm) / ||u||}, or {@code u} when either norm is 0. Both norms
     * come from a reduction stage.
     */
    public record ScaleByTrustRatio(@Range(POSITIVE) double maxWeightNorm) implements Elementwise {
        public ScaleByTrustRatio {
            Hyper.check("scale_by_trust_ratio", ScaleByTrustRatio.class, maxWeightNorm);
        }

        @Override public String name() { return "scale_by_trust_ratio"; }

        @Override
        public List<Reduction> reductions() {
            return List.of(Reduction.sumSquares(Reduction.Of.PARAM), Reduction.sumSquares(Reduction.Of.UPDATE));
        }

        /** {@code clamp(||p||, 0, maxWeightNorm) / ||u||}, 1 when either norm is 0. */
        private double ratio(Step step) {
            double w = Math.min(Math.sqrt(step.reduced()[0]), maxWeightNorm);
            double u = Math.sqrt(step.reduced()[1]);
            return w == 0 || u == 0 ? 1 : w / u;
        }

        @Override
        public Expr apply(Pass p) {
            return p.update().mul(p.scalar("ratio", this::ratio));
        }
    }
}
