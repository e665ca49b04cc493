package org.reprolab.optim;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * An element-wise gradient transformation: the unit that fuses. It declares its per-element state
 * ({@link #slots()}) and an {@link Expr} fragment ({@link #apply}) mapping the incoming update to the
 * outgoing one and each slot to its next value; the fragment names the kernel scalars it reads
 * (hyper-parameters, and values computed on the host at each step, see {@link Pass}). The compiler concatenates the fragments of a chain into one fused kernel
 * (inputs: parameter, gradient, slots; outputs: new parameter, new slots), built once per chain.
 *
 * <p>A transformation that needs a global quantity of its incoming update or of the parameters (a
 * norm over the tensor or over the group) lists it in {@link #reductions()}; the chain is then cut
 * before it, the part before writes its update to a scratch buffer, the reductions run on the
 * device, and their results arrive in {@link Step#reduced()} / {@link Step#groupReduced()}.
 *
 * <p>Write one as a record whose components are the hyper-parameters, each with its {@link Range}
 * declared once on the component and checked by one {@link Hyper#check} call in the compact
 * constructor; read them in {@link #apply} with {@link Pass#hyper} (kernel scalars rather than
 * constants, so that one compiled kernel serves every value):
 *
 * <pre>{@code
 * record ScaleByRms(@Range(UNIT) double alpha, @Range(NON_NEGATIVE) double eps) implements Elementwise {
 *     ScaleByRms { Hyper.check("RMSprop", ScaleByRms.class, alpha, eps); }
 *     public String name() { return "scale_by_rms"; }
 *     public List<Slot> slots() { return List.of(Slot.zeros("square_avg")); }
 *     public Expr apply(Pass p) {
 *         Expr u = p.update(), s = p.ema("alpha", p.slot("square_avg"), u.mul(u));
 *         p.slot("square_avg", s);
 *         return u.div(s.sqrt().add(p.hyper("eps")));
 *     }
 * }
 * }</pre>
 */
public non-sealed interface Elementwise extends Transform {

    /** Short snake_case name, as in Optax ({@code "scale_by_adam"}); part of state keys. */
    String name();

    /** Per-element state, each slot one device buffer shaped like the parameter. */
    default List<Slot> slots() {
        return List.of();
    }

    /**
     * Initial per-tensor host state, a fresh array (e.g. NAdam's running momentum product); saved with
     * the optimizer state, read and written through {@link Step#host()}.
     */
    default double[] hostState() {
        return new double[0];
    }

    /** Advances this tensor's host state to this step, once per step before its scalars are computed. */
    default void advance(Step step) {}

    /** Global quantities this transformation needs before its fused pass (empty for most). */
    default List<Reduction> reductions() {
        return List.of();
    }

    /** Whether the reductions are needed at this step (default: every step). */
    default boolean reduceAt(long t) {
        return !reductions().isEmpty();
    }

    /**
     * Names of extra per-element inputs supplied with the step (e.g. {@code "hessian"} for a curvature
     * estimate), see {@link Optimizer#step(java.util.Map)}.
     */
    default List<String> aux() {
        return List.of();
    }

    /** Whether the aux inputs are needed at step {@code t} (1-based); when not, a zero buffer is passed. */
    default boolean auxAt(long t) {
        return !aux().isEmpty();
    }

    /**
     * Number of per-element products whose sums over each row of the tensor's channel view
     * {@code [shape[0], -1]}, and over the whole tensor, this transformation needs before its pass
     * (AdamP's per-channel cosines); the chain is cut before it as for {@link #reductions()}.
     */
    default int rowProductCount() {
        return 0;
    }

    /**
     * The products, {@link #rowProductCount()} of them, as expressions over the pass's inputs before
     * this transformation runs (update, parameter, gradient, current slots) and scalars; the scalars
     * see the host state before this step's {@link #advance} and no reduction results (Prodigy's
     * {@code |beta3 s + c u|} with {@code c} from the last step's estimate). Their sums arrive in
     * {@link Step#rowSums()} and {@link Step#rowTotals()}.
     */
    default List<Expr> rowProducts(Pass pass) {
        return List.of();
    }

    /** Number of per-row values {@link #rowValues} fills (only for transformations with row products). */
    default int rowValueCount() {
        return 0;
    }

    /** Computes this step's per-row values into {@code out[j][row]}, read in the pass with {@link Pass#row}. */
    default void rowValues(Step step, double[][] out) {}

    /** The fragment: reads {@link Pass#update()} and slots, sets slots' next values, returns the new update. */
    Expr apply(Pass pass);

    @Override
    default List<Elementwise> flatten() {
        return List.of(this);
    }
}
