package org.reprolab.optim;

import java.util.Map;
import org.reprolab.tensor.Tensor;

/**
 * Evaluation of a schedule-free run ({@link ScaleByScheduleFree}) at the averaged point {@code x}: while
 * training the parameters hold {@code y}; the code's {@code optimizer.eval()} moves them to
 * {@code x = lerp(y, z, 1 - 1/beta1)} and {@code optimizer.train()} back by
 * {@code y = lerp(x, z, 1 - beta1)}. Here {@link #atAverage} moves them to {@code x} as {@code eval()}
 * does and closing restores the saved {@code y} bit for bit (the code's round trip through {@code x}
 * changes the last bits of {@code y}):
 *
 * <pre>{@code
 * try (var _ = ScheduleFree.atAverage(opt, model.parameters())) {
 *     testLoss = evaluate(model);
 * }
 * }</pre>
 */
public final class ScheduleFree {
    private ScheduleFree() {}

    /**
     * Moves every parameter that a schedule-free chain of {@code opt} has stepped to its average
     * {@code x}; {@code params} are the tensors {@code opt} was built over.
     */
    public static SwappedParams atAverage(Optimizer opt, Map<String, Tensor> params) {
        return SwappedParams.of(opt, params, ScaleByScheduleFree.class, "z", (sf, y, z) -> lerp(y, z, 1 - 1 / sf.beta1()));
    }

    /** torch's {@code lerp}: {@code a + w (b - a)} for {@code w < 0.5}, else {@code b - (b - a)(1 - w)}. */
    static double lerp(double a, double b, double w) {
        return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
    }
}
