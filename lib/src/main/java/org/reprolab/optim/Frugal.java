package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * FRUGAL, blockwise (Zmushko, Beznosikov, Takáč, Horváth, "FRUGAL: Memory-Efficient Optimization by
 * Reducing State Overhead for Scalable Training", arXiv 2411.07837, 2024; official code
 * pzmushko/FRUGAL, {@code frugal/proj_optimizer_templates.py} {@code BlockOptimizer} with
 * {@code frugal/adamw.py} {@code BlockAdamW}, read in the fork hungquangbui02022003/FRUGAL): an
 * {@link Optimizer}-level policy that splits the parameter tensors of the default group into a
 * <em>state-full</em> set, updated by the group's chain (AdamW in the paper), and a <em>state-free</em>
 * rest, updated by signSGD, and re-draws the split every {@link #period} steps.
 *
 * <p>The rule, as the official code does it ({@code Optimizer.Builder#frugal}):
 * <ul>
 *   <li>The blocks are the default group's tensors accepted by {@link #blocks} (the code's
 *       {@code proj_params}, there the Linear weights of attention and MLP modules); the others keep the
 *       group's chain for good (the code's regular parameters). Tensors of named groups are never
 *       blocks.</li>
 *   <li>{@code round(n ρ)} of the {@code n} blocks are state-full (Python's {@code round}, half to
 *       even, as {@code num_active_blocks}): ρ is a fraction of <em>tensors</em>, so the state saved is
 *       about ρ of the blocks' AdamW state when the blocks are of similar size.</li>
 *   <li>Before the steps {@code 0, T, 2T, ...} (the code's {@code state["step"] % update_gap == 0}) the
 *       state-full set is re-drawn ({@link #select}) and the state of <em>every</em> block is dropped:
 *       state-full blocks start from zero moments and step 1 (bias correction restarts), including those
 *       drawn again ({@code _deactivate_param} on all, then {@code _activate_param}); state-free blocks
 *       keep no state at all. Only state-full blocks hold device buffers, so
 *       {@link Optimizer#stateBytes()} is about ρ of AdamW's over the blocks.</li>
 *   <li>A state-free block steps with the group's chain in which the stateful rule (the first part that
 *       keeps state) is replaced by {@link StateFreeStep}: {@code p ← p(1 − η λ) − η s sign(g)} for
 *       AdamW's chain, with {@code s} = {@link #stateFreeLrScale} (the code's {@code inactive_lr_scale},
 *       1 in pre-training) and the decoupled weight decay {@code λ} of the state-full chain, as the code
 *       applies {@code p.mul_(1 - lr * weight_decay)} to every parameter.</li>
 * </ul>
 *
 * <p>Selection is a pure function of ({@link #seed}, period index), so it is reproducible and nothing
 * about it needs saving: a restored optimizer derives the current split from its step count and checks
 * it against the saved slots. {@link Order#RANDOM} draws a uniform {@code k}-subset by a partial
 * Fisher–Yates shuffle on tornado's Philox stream of {@code RngKey.of(seed).foldIn(period)} (the code
 * uses {@code torch.randperm} on torch's global generator: same distribution, not the same draws);
 * {@link Order#ASCENDING} and {@link Order#DESCENDING} are the code's cyclic orders.
 *
 * <p>Not here: the code's GaLore-like and RandK projections (state-full <em>subspaces</em> inside a
 * tensor need compact state for a changing set of coordinates, which per-tensor slots do not give),
 * its {@code mirror} order, and {@code proj_params_lr_scale} (use a named group with its own
 * learning rate).
 *
 * @param density          ρ in (0, 1]: the fraction of blocks that are state-full
 * @param period           T >= 1: steps between re-selections (the code's {@code update_gap}, 200 in
 *                         the paper's pre-training)
 * @param order            how the state-full blocks are chosen
 * @param seed             seed of the {@link Order#RANDOM} draws
 * @param stateFree        the state-free rule (the code's {@code inactive_update_rule})
 * @param stateFreeLrScale multiplier of the learning rate on state-free blocks (>= 0)
 * @param blocks           which tensors of the default group take part (default: all)
 */
public record Frugal(double density, int period, Order order, long seed, StateFree stateFree, double stateFreeLrScale,
        ParamFilter blocks) {

    /** How the state-full blocks are chosen at each re-selection (the code's {@code block_order}). */
    public enum Order {
        /** A uniform random subset of {@code k} blocks, drawn afresh each period (the code's default). */
        RANDOM,
        /** Cyclic: blocks {@code jk, jk+1, ..., jk+k-1} (mod n) in period {@code j}. */
        ASCENDING,
        /** Cyclic from the last block down: {@code n-1-jk, ..., n-jk-k} (mod n) in period {@code j} (BAdam's order). */
        DESCENDING
    }

    /** The state-free rule (the code's {@code inactive_update_rule}). */
    public enum StateFree {
        /** {@code s sign(u)}, signSGD (Bernstein et al., ICML 2018): the paper's choice. */
        SIGN_SGD,
        /** {@code s u}: plain SGD. */
        SGD,
        /** No update from the gradient (weight decay still applies): the code's {@code "no"}. */
        NONE
    }

    public Frugal {
        if (!(density > 0 && density <= 1))
            throw new IllegalArgumentException("FRUGAL: density must be in (0, 1], got " + density);
        if (period < 1) throw new IllegalArgumentException("FRUGAL: period must be >= 1, got " + period);
        if (order == null) throw new IllegalArgumentException("FRUGAL: order is null");
        if (stateFree == null) throw new IllegalArgumentException("FRUGAL: stateFree is null");
        NON_NEGATIVE.check("FRUGAL", "state_free_lr_scale", stateFreeLrScale);
        if (blocks == null) throw new IllegalArgumentException("FRUGAL: blocks filter is null");
    }

    /**
     * FRUGAL as a part of a chain, so that it travels where chains travel ({@code Lab.train},
     * {@code Lab.optimize}, sweeps by name): {@code Optimizers.frugal(adamw(1e-3), 0.25, 200)} is
     * {@code chain(new Frugal.Part(0.25, 200), adamw(1e-3))}. It is the identity on the update; an
     * {@link Optimizer} built from a chain holding it drops it and runs the chain under
     * {@code blockwise(rho, period, 0)} (as {@link Optimizer.Builder#frugal} does), so
     * {@code sweep("rho", 0.25, 0.5)} sweeps the paper's density. The blocks are the matrices (tensors of rank
     * at least 2), as the code's {@code proj_params} are the Linear weights; biases keep the chain's state.
     *
     * @param rho    the density ρ in (0, 1]: the fraction of blocks that are state-full
     * @param period steps between re-selections T (the code's {@code update_gap})
     */
    public record Part(@Range(UNIT) double rho, @Range(AT_LEAST_ONE) int period) implements Marker {
        public Part {
            Hyper.check("frugal", Part.class, rho, period);
            if (rho == 0) throw new IllegalArgumentException("FRUGAL: rho must be in (0, 1], got 0");
        }

        @Override
        public String name() {
            return "frugal";
        }

        /** The policy this part stands for. */
        public Frugal policy() {
            return blockwise(rho, period, 0).withBlocks(ParamFilter.rankAtMost(1).negate());
        }
    }

    /**
     * The paper's setting: density ρ, period T, random order from {@code seed}, signSGD on the
     * state-free blocks at the full learning rate, every tensor of the default group a block.
     */
    public static Frugal blockwise(double density, int period, long seed) {
        return new Frugal(density, period, Order.RANDOM, seed, StateFree.SIGN_SGD, 1.0, (n, t) -> true);
    }

    public Frugal withOrder(Order o) {
        return new Frugal(density, period, o, seed, stateFree, stateFreeLrScale, blocks);
    }

    /** The state-free rule and its learning-rate multiplier (the code's {@code inactive_lr_scale}: 1 pre-training, 0.1 fine-tuning). */
    public Frugal withStateFree(StateFree rule, double lrScale) {
        return new Frugal(density, period, order, seed, rule, lrScale, blocks);
    }

    /** Only these tensors of the default group are blocks; the rest keep the group's chain throughout. */
    public Frugal withBlocks(ParamFilter filter) {
        return new Frugal(density, period, order, seed, stateFree, stateFreeLrScale, filter);
    }

    /** State-full blocks among {@code n}: {@code round(n ρ)}, half to even as Python's {@code round}. */
    public int stateFullCount(int n) {
        return (int) Math.rint(n * density);
    }

    /** The period index of the step taken when {@code count} steps are done: the split it runs under. */
    public long periodOf(long count) {
        return count / period;
    }

    /**
     * The state-full blocks of period {@code j} among {@code n} (indices in parameter order, ascending):
     * {@link #stateFullCount} of them, chosen by {@link #order}.
     */
    public int[] select(long j, int n) {
        if (n < 0 || j < 0) throw new IllegalArgumentException("FRUGAL: select(" + j + ", " + n + ")");
        int k = stateFullCount(n);
        int[] out = new int[k];
        if (k == 0) return out;
        switch (order) {
            case ASCENDING -> {
                long start = Math.floorMod(j * k, (long) n);
                for (int i = 0; i < k; i++) out[i] = (int) ((start + i) % n);
            }
            case DESCENDING -> {
                long start = Math.floorMod(n - 1 - Math.floorMod(j * k, (long) n), (long) n);
                for (int i = 0; i < k; i++) out[i] = (int) Math.floorMod(start - i, (long) n);
            }
            case RANDOM -> {
                int[] perm = new int[n];
                for (int i = 0; i < n; i++) perm[i] = i;
                double[] u = new double[k];
                Philox.fill(RngKey.of(seed).foldIn(j), false, 0, u, 0, k);
                for (int i = 0; i < k; i++) {
                    int r = i + (int) Math.min(n - i - 1, (long) (u[i] * (n - i)));
                    int tmp = perm[i];
                    perm[i] = perm[r];
                    perm[r] = tmp;
                }
                System.arraycopy(perm, 0, out, 0, k);
            }
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * The chain of the state-free blocks: {@code stateFull} with its first part that keeps state
     * (slots or host slots) replaced by {@link StateFreeStep} and any later such part dropped, so it
     * keeps no state; weight decay, learning rate and schedule stay as they are.
     *
     * @throws IllegalArgumentException when the chain keeps no state (nothing for FRUGAL to save)
     */
    public Transform stateFreeChain(Transform stateFull) {
        List<Transform> parts = new ArrayList<>();
        boolean replaced = false;
        for (Elementwise e : stateFull.flatten()) {
            boolean stateful = !e.slots().isEmpty() || e.hostState().length > 0;
            if (!stateful) parts.add(e);
            else if (!replaced) {
                parts.add(new StateFreeStep(stateFree, stateFree == StateFree.NONE ? 0 : stateFreeLrScale));
                replaced = true;
            }
        }
        if (!replaced)
            throw new IllegalArgumentException("FRUGAL: the chain " + stateFull + " keeps no state, so there is nothing to save;"
                    + " FRUGAL needs a state-full rule such as AdamW");
        return new Chain(parts);
    }

    /**
     * The state-free rule as a transformation: {@code scale sign(u)} (signSGD), {@code scale u} (SGD),
     * or {@code 0} (none). No state.
     */
    public record StateFreeStep(StateFree rule, @Range(NON_NEGATIVE) double scale) implements Elementwise {
        public StateFreeStep {
            Hyper.check("frugal_state_free", StateFreeStep.class, rule, scale);
        }

        @Override
        public String name() {
            return switch (rule) {
                case SIGN_SGD -> "frugal_sign_sgd";
                case SGD -> "frugal_sgd";
                case NONE -> "frugal_no_update";
            };
        }

        @Override
        public Expr apply(Pass p) {
            Expr scale = p.scalar("scale", s -> rule == StateFree.NONE ? 0 : this.scale);
            return switch (rule) {
                case SIGN_SGD -> p.update().sign().mul(scale);
                case SGD, NONE -> p.update().mul(scale);
            };
        }
    }
}
