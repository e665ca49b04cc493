package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * ⊥Grad, the orthogonal-gradient transformation of Prieto, Barsbey, Mediano and Birdal, "Grokking at the
 * Edge of Numerical Stability" (ICLR 2025; code LucasPrietoAl/grokking-at-the-edge-of-numerical-stability,
 * {@code orthograd.py}). Once a classifier fits its training set, the gradient of the cross-entropy mostly
 * points along the weights ("naive loss minimisation": scaling the logits up lowers the loss without changing
 * a prediction) and drives the softmax towards floating-point collapse. ⊥Grad removes that component per
 * tensor and keeps the gradient's length:
 *
 * <pre>
 *   g⊥ = g − (w·g / (w·w + eps)) w,      output g⊥ · ‖g‖ / (‖g⊥‖ + eps)
 * </pre>
 *
 * over every element of the tensor (weights and biases alike), as the official code does before handing the
 * gradient to its base optimizer. Chain it first: {@code chain(new OrthogonalGradient(1e-30), adamw(lr))}, or
 * {@link Optimizers#orthoGrad(Transform)}. It projects the update it receives, which is the gradient when it
 * comes first.
 *
 * <p>The three sums {@code w·g}, {@code g·g} and {@code w·w} come from one row-product stage;
 * {@code ‖g⊥‖² = g·g − 2c w·g + c² w·w} with {@code c = w·g / (w·w + eps)} is then exact algebra on those sums
 * (the official code sums the squares of {@code g⊥} instead; the two differ by rounding, relatively by about
 * the unit round-off divided by {@code 1 − cos²(w, g)}). A tensor whose gradient is exactly parallel to its
 * weights has no orthogonal part; its output is 0 (the official code would rescale rounding noise).
 *
 * @param eps added to {@code w·w} and to {@code ‖g⊥‖} against division by zero (1e-30 in the official code)
 */
public record OrthogonalGradient(@Range(NON_NEGATIVE) double eps) implements Elementwise {

    public OrthogonalGradient {
        Hyper.check("orthograd", OrthogonalGradient.class, eps);
    }

    /** The official code's constant, 1e-30. */
    public OrthogonalGradient() {
        this(1e-30);
    }

    @Override public String name() { return "orthograd"; }
    @Override public int rowProductCount() { return 3; }

    /** w·u, u·u, w·w per row; their totals over the tensor are what the projection needs. */
    @Override
    public List<Expr> rowProducts(Pass p) {
        Expr u = p.update(), w = p.param();
        return List.of(w.mul(u), u.mul(u), w.mul(w));
    }

    /** {@code c = w·u / (w·w + eps)}: the weight's share of the update. */
    private double along(Step s) {
        double[] t = s.rowTotals();
        return t[0] / (t[2] + eps);
    }

    /** {@code ‖u‖ / (‖u⊥‖ + eps)}, 0 when nothing of {@code u} is left after the projection. */
    private double rescale(Step s) {
        double[] t = s.rowTotals();
        double c = along(s);
        double orthogonal = t[1] - 2 * c * t[0] + c * c * t[2];
        return orthogonal > 0 ? Math.sqrt(t[1]) / (Math.sqrt(orthogonal) + eps) : 0;
    }

    @Override
    public Expr apply(Pass p) {
        Expr u = p.update(), w = p.param();
        return u.sub(w.mul(p.scalar("along", this::along))).mul(p.scalar("rescale", this::rescale));
    }
}
