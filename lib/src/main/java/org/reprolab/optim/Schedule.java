package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.Arrays;
import java.util.List;

/**
 * A learning-rate schedule: a pure function from the optimizer's step count (0-based, the number of
 * steps completed before this one) to a multiplier of the group's base learning rate, as torch's
 * {@code LambdaLR} and Optax's schedules. Pure functions of the count compose ({@link #join}) and
 * resume exactly: restoring the count restores the schedule (the Optax issue #1036 and torch
 * {@code SequentialLR} bugs cannot happen).
 */
public sealed interface Schedule extends java.io.Serializable permits Schedule.Constant, Schedule.Linear, Schedule.Cosine, Schedule.Join, Schedule.Table,
        Schedule.Exponential, Schedule.Polynomial, Schedule.WarmRestarts, Schedule.OneCycle, Plateau {

    /** The multiplier at step {@code count}. */
    double at(long count);

    /** The multipliers of steps 0 .. steps−1: the schedule as a curve, to plot or compare. */
    default double[] values(int steps) {
        Check.that(steps >= 0, "schedule", "steps must be >= 0, got " + steps);
        double[] out = new double[steps];
        for (int t = 0; t < steps; t++) out[t] = at(t);
        return out;
    }

    // ---- the family -------------------------------------------------------------------------------

    /** {@code value} at every step. */
    record Constant(@Range(FINITE) double value) implements Schedule {
        public Constant {
            Hyper.check("constant schedule", Constant.class, value);
        }

        @Override
        public double at(long count) {
            return value;
        }
    }

    /**
     * Linear from {@code from} at step 0 to {@code to} at step {@code steps}, then constant (torch
     * {@code LinearLR}, Optax {@code linear_schedule}).
     */
    record Linear(@Range(FINITE) double from, @Range(FINITE) double to, @Range(AT_LEAST_ONE) long steps) implements Schedule {
        public Linear {
            Hyper.check("linear schedule", Linear.class, from, to, steps);
        }

        @Override
        public double at(long count) {
            if (count >= steps) return to;
            return from + (to - from) * ((double) Math.max(count, 0) / steps);
        }
    }

    /**
     * Cosine decay over {@code steps} to the floor {@code alpha} (Optax {@code cosine_decay_schedule}
     * with {@code init_value = 1}): {@code (1 - alpha) * (0.5 (1 + cos(pi min(t, T) / T)))^exponent + alpha};
     * with {@code exponent = 1} it is torch's {@code CosineAnnealingLR} with {@code eta_min = alpha * lr}.
     */
    record Cosine(@Range(AT_LEAST_ONE) long steps, @Range(FINITE) double alpha, @Range(POSITIVE) double exponent)
            implements Schedule {
        public Cosine {
            Hyper.check("cosine schedule", Cosine.class, steps, alpha, exponent);
        }

        @Override
        public double at(long count) {
            double t = Math.min(Math.max(count, 0), steps);
            double c = 0.5 * (1 + Math.cos(Math.PI * t / steps));
            return (1 - alpha) * (exponent == 1 ? c : Math.pow(c, exponent)) + alpha;
        }
    }

    /**
     * {@code parts[0]} until {@code boundaries[0]}, then {@code parts[1]} restarted at 0, and so on
     * (Optax {@code join_schedules}).
     */
    record Join(List<Schedule> parts, long[] boundaries) implements Schedule {
        public Join {
            parts = List.copyOf(parts);
            boundaries = boundaries.clone();
            Check.that(parts.size() == boundaries.length + 1, "join schedule",
                    "needs one boundary fewer than schedules, got " + parts.size() + " schedules and " + boundaries.length + " boundaries");
            for (int i = 0; i < boundaries.length; i++)
                Check.that(boundaries[i] >= 0 && (i == 0 || boundaries[i] > boundaries[i - 1]), "join schedule",
                        "boundaries must be increasing and >= 0, got " + Arrays.toString(boundaries));
        }

        @Override
        public long[] boundaries() {
            return boundaries.clone();
        }

        @Override
        public double at(long count) {
            int i = 0;
            while (i < boundaries.length && count >= boundaries[i]) i++;
            return parts.get(i).at(i == 0 ? count : count - boundaries[i - 1]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Join j && parts.equals(j.parts) && Arrays.equals(boundaries, j.boundaries);
        }

        @Override
        public int hashCode() {
            return parts.hashCode() * 31 + Arrays.hashCode(boundaries);
        }

        @Override
        public String toString() {
            return "Join[parts=" + parts + ", boundaries=" + Arrays.toString(boundaries) + "]";
        }
    }

    /** A tabulated schedule: {@code values[t]}, and the last value after the table ends. */
    record Table(double[] values) implements Schedule {
        public Table {
            Check.that(values.length > 0, "table schedule", "needs at least one value");
            values = values.clone();
            for (int i = 0; i < values.length; i++) FINITE.check("table schedule", "values[" + i + "]", values[i]);
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public double at(long count) {
            return values[(int) Math.min(Math.max(count, 0), values.length - 1)];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Table t && Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Table[" + values.length + " steps]";
        }
    }


    /** {@code gamma^count} (torch {@code ExponentialLR}, Optax {@code exponential_decay} with one step per transition). */
    record Exponential(@Range(POSITIVE) double gamma) implements Schedule {
        public Exponential {
            Hyper.check("exponential schedule", Exponential.class, gamma);
        }

        @Override
        public double at(long count) {
            return Math.pow(gamma, Math.max(count, 0));
        }
    }

    /**
     * Polynomial decay from 1 to {@code end} over {@code steps}, then {@code end} (Optax
     * {@code polynomial_schedule}): {@code (1 - end) (1 - min(t, T)/T)^power + end}; with {@code end = 0}
     * it is torch's {@code PolynomialLR(total_iters=T, power)}.
     */
    record Polynomial(@Range(AT_LEAST_ONE) long steps, @Range(POSITIVE) double power, @Range(FINITE) double end) implements Schedule {
        public Polynomial {
            Hyper.check("polynomial schedule", Polynomial.class, steps, power, end);
        }

        @Override
        public double at(long count) {
            double left = 1 - (double) Math.min(Math.max(count, 0), steps) / steps;
            return (1 - end) * Math.pow(left, power) + end;
        }
    }

    /**
     * SGDR, cosine annealing with warm restarts (Loshchilov and Hutter, "SGDR: Stochastic Gradient
     * Descent with Warm Restarts", ICLR 2017), as torch's {@code CosineAnnealingWarmRestarts}: the
     * first cycle lasts {@code t0} steps, each next one {@code tMult} times longer; each cycle is a
     * {@link Cosine} from 1 to {@code alpha} restarted ({@code alpha} is torch's {@code eta_min / lr}).
     */
    record WarmRestarts(@Range(AT_LEAST_ONE) long t0, @Range(AT_LEAST_ONE) long tMult, @Range(FINITE) double alpha)
            implements Schedule {
        public WarmRestarts {
            Hyper.check("SGDR schedule", WarmRestarts.class, t0, tMult, alpha);
        }

        @Override
        public double at(long count) {
            long cur = Math.max(count, 0), len = t0;
            if (tMult == 1) cur %= t0;
            else
                while (cur >= len) {
                    cur -= len;
                    len *= tMult;
                }
            return new Cosine(len, alpha, 1).at(cur);
        }
    }

    /**
     * The one-cycle policy (Smith and Topin, "Super-Convergence: Very Fast Training of Neural Networks
     * Using Large Learning Rates", 2019) as torch's {@code OneCycleLR} with peak 1 (the base rate is
     * torch's {@code max_lr}): from {@code 1/divFactor} up to 1 over the first {@code pctStart} of
     * {@code totalSteps}, then down to {@code 1/(divFactor finalDivFactor)}, by cosine or linearly;
     * with {@code threePhase} torch's three-phase variant (up, back down to {@code 1/divFactor}
     * symmetrically, then to the floor). Only the learning rate; torch's momentum cycling is not here.
     * From step {@code totalSteps - 1} on it stays at the floor (torch raises past {@code totalSteps}).
     */
    record OneCycle(@Range(AT_LEAST_ONE) long totalSteps, @Range(UNIT) double pctStart, @Range(POSITIVE) double divFactor,
            @Range(POSITIVE) double finalDivFactor, boolean cosine, boolean threePhase) implements Schedule {
        public OneCycle {
            Hyper.check("one-cycle schedule", OneCycle.class, totalSteps, pctStart, divFactor, finalDivFactor, cosine, threePhase);
            double up = pctStart * totalSteps - 1, down = threePhase ? 2 * pctStart * totalSteps - 2 : up;
            Check.that(up > 0 && down > up - (threePhase ? 0 : 1) && totalSteps - 1 > down, "one-cycle schedule",
                    "pct_start " + pctStart + " of " + totalSteps + " steps leaves a phase without steps");
        }

        @Override
        public double at(long count) {
            double initial = 1 / divFactor, floor = initial / finalDivFactor;
            double[][] phases = threePhase
                    ? new double[][] {{pctStart * totalSteps - 1, initial, 1}, {2 * pctStart * totalSteps - 2, 1, initial},
                            {totalSteps - 1, initial, floor}}
                    : new double[][] {{pctStart * totalSteps - 1, initial, 1}, {totalSteps - 1, 1, floor}};
            double step = Math.min(Math.max(count, 0), totalSteps - 1), start = 0;
            for (int i = 0; ; i++) {
                double end = phases[i][0];
                if (step <= end || i == phases.length - 1) {
                    double pct = (step - start) / (end - start);
                    double from = phases[i][1], to = phases[i][2];
                    return cosine ? to + (from - to) / 2 * (Math.cos(Math.PI * pct) + 1) : (to - from) * pct + from;
                }
                start = end;
            }
        }
    }

    // ---- factories --------------------------------------------------------------------------------

    static Schedule constant() {
        return new Constant(1);
    }

    /** Linear decay from 1 to 0 over {@code steps}: the worst-case optimal schedule of Defazio et al. 2023. */
    static Schedule linearDecay(long steps) {
        return new Linear(1, 0, steps);
    }

    static Schedule linear(double from, double to, long steps) {
        return new Linear(from, to, steps);
    }

    /** Cosine from 1 to 0 over {@code steps}. */
    static Schedule cosine(long steps) {
        return new Cosine(steps, 0, 1);
    }

    static Schedule cosine(long steps, double alpha) {
        return new Cosine(steps, alpha, 1);
    }

    /** Linear warmup from {@code from} to 1 over {@code steps}, then {@code after} (restarted at 0). */
    static Schedule warmup(long steps, double from, Schedule after) {
        return new Join(List.of(new Linear(from, 1, steps), after), new long[] {steps});
    }

    /**
     * Optax's {@code warmup_cosine_decay_schedule} with peak 1: linear from {@code init} to 1 over
     * {@code warmup} steps, then cosine to {@code end} over {@code total - warmup} (total includes warmup).
     */
    static Schedule warmupCosine(long warmup, long total, double init, double end) {
        Check.that(total > warmup, "warmup-cosine schedule", "total (" + total + ") must exceed warmup (" + warmup + ")");
        if (warmup == 0) return new Cosine(total, end, 1);
        return warmup(warmup, init, new Cosine(total - warmup, end, 1));
    }

    /** Warmup–stable–decay: linear up over {@code warmup}, 1 until {@code total - decay}, linear to 0 over {@code decay}. */
    static Schedule wsd(long warmup, long total, long decay) {
        Check.that(warmup >= 1 && decay >= 1 && warmup + decay <= total, "wsd schedule",
                "needs 1 <= warmup, 1 <= decay, warmup + decay <= total; got " + warmup + ", " + decay + ", " + total);
        return new Join(List.of(new Linear(0, 1, warmup), new Constant(1), new Linear(1, 0, decay)),
                new long[] {warmup, total - decay});
    }

    /** Sequence: {@code first} for {@code steps} steps, then {@code then} restarted at 0. */
    static Schedule join(Schedule first, long steps, Schedule then) {
        return new Join(List.of(first, then), new long[] {steps});
    }

    /** {@code (count + 1) / steps} up to 1: the linear warmup of schedule-free's {@code warmup_steps}. */
    static Schedule linearWarmup(long steps) {
        AT_LEAST_ONE.check("linear warmup", "steps", steps);
        return steps == 1 ? constant() : new Linear(1.0 / steps, 1, steps - 1);
    }

    /** {@code gamma^count}: torch's {@code ExponentialLR}. */
    static Schedule exponential(double gamma) {
        return new Exponential(gamma);
    }

    /** {@code (1 - min(t, steps)/steps)^power}: torch's {@code PolynomialLR}. */
    static Schedule polynomial(long steps, double power) {
        return new Polynomial(steps, power, 0);
    }

    /** SGDR: cosine cycles of {@code t0}, {@code t0 tMult}, ... steps down to 0: torch's {@code CosineAnnealingWarmRestarts}. */
    static Schedule sgdr(long t0, long tMult) {
        return new WarmRestarts(t0, tMult, 0);
    }

    /** One cycle with torch's defaults: 30% up by cosine from 1/25, then down to 1/(25 * 1e4). */
    static Schedule oneCycle(long totalSteps) {
        return new OneCycle(totalSteps, 0.3, 25, 1e4, true, false);
    }

    /**
     * torch's {@code ReduceLROnPlateau} with its defaults (mode min, relative threshold 1e-4, no
     * cooldown, no floor): the rate falls by {@code factor} after more than {@code patience}
     * observations without improvement; feed it with {@link Plateau#observe}.
     */
    static Plateau reduceOnPlateau(double factor, int patience) {
        return new Plateau(false, factor, patience, 1e-4, true, 0, 0, 1e-8);
    }

    /** See {@link Refinement#refine(double[], double)}. */
    static Schedule refined(double[] gradNorms, double tau) {
        return new Table(Refinement.refine(gradNorms, tau));
    }

    /** The Adam-type variant from ℓ1 gradient norms; see {@link Refinement#refineAdam(double[], double)}. */
    static Schedule refinedAdam(double[] l1GradNorms, double tau) {
        return new Table(Refinement.refineAdam(l1GradNorms, tau));
    }
}
