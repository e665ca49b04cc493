package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Distribution;
import org.reprolab.random.RngKey;

/**
 * Diagonal curvature estimates for second-order optimizers, built on the tensor autodiff and shared
 * by them: what {@link Optimizer#step(Map)} takes as aux input {@code "hessian"}.
 *
 * <ul>
 *   <li>{@link #hutchinson}: {@code u ⊙ (H u)} with Rademacher {@code u} (Hutchinson 1989; Bekas,
 *       Kokiopoulou, Saad 2007), averaged over samples; unbiased for {@code diag H}. Sophia-H
 *       (Liu et al., "Sophia: A Scalable Stochastic Second-order Optimizer for Language Model
 *       Pre-training", ICLR 2024, Alg. 1 and §2.3; optax {@code contrib/_sophia.py}) uses it as is.</li>
 *   <li>{@link #adaHessian}: {@code |H u|} spatially averaged as the official AdaHessian code does
 *       (Yao et al., AAAI 2021; amirgholami/adahessian {@code get_trace}): 1-D tensors as they are,
 *       2-D tensors averaged over dim 1, 3-D over dim 2, 4-D over dims 2 and 3.</li>
 *   <li>{@link #gaussNewtonBartlett}: {@code ĝ ⊙ ĝ} with {@code ĝ} the gradient of the mean
 *       cross-entropy against labels sampled from the model's own softmax (Sophia-G, Liuhong99/Sophia
 *       {@code train_sophiag.py}); the batch factor stays in {@link ScaleBySophia}'s {@code bs}.</li>
 * </ul>
 *
 * <p>The loss (or logits) supplier is evaluated with gradients on over the parameters' own tensors,
 * as a training loop's forward pass does; parameters that do not require grad are marked as
 * requiring it. Hessian-vector products over several tensors at once are {@link #hvp}: the joint
 * Hessian applied to the joint vector, by one reverse sweep of {@code sum_i <grad_i, v_i>}.
 *
 * <p>Randomness comes from tornado's counter-based Philox stream keyed by an {@link RngKey}: tensor
 * {@code i} of the map draws from {@code key.foldIn(i)}'s f32 uniform stream, so the same key gives
 * the same vectors, and the same estimates up to arithmetic rounding, on every device and in every
 * dtype. Derive a key per step ({@code key.foldIn(step)}) for fresh vectors.
 */
public final class Curvature {
    private Curvature() {}

    /** Joint Hessian-vector product of a scalar {@code loss} over {@code params}: one result per tensor. */
    public static List<Tensor> hvp(Supplier<Tensor> loss, List<Tensor> params, List<Tensor> vs) {
        if (vs.size() != params.size())
            throw new IllegalArgumentException("hvp: " + params.size() + " parameters but " + vs.size() + " vectors");
        for (int i = 0; i < params.size(); i++)
            if (!java.util.Arrays.equals(params.get(i).shape(), vs.get(i).shape()))
                throw new IllegalArgumentException("hvp: vector " + i + " has shape " + java.util.Arrays.toString(vs.get(i).shape())
                        + ", its parameter " + java.util.Arrays.toString(params.get(i).shape()));
        for (Tensor p : params) if (!p.requiresGrad()) p.requiresGrad(true);
        try (var _ = Autodiff.enableGrad()) {
            Tensor y = loss.get();
            if (y.numel() != 1) throw new IllegalArgumentException("hvp: the loss must be a scalar, got " + y.numel() + " elements");
            List<Tensor> g = Autodiff.grad(y, params, null, true);
            Tensor q = null;
            for (int i = 0; i < params.size(); i++) {
                Tensor term = g.get(i).mul(vs.get(i)).sum();
                q = q == null ? term : q.add(term);
            }
            List<Tensor> hv = new ArrayList<>();
            if (!q.requiresGrad()) { // the gradient does not depend on the parameters: H = 0
                for (Tensor p : params) hv.add(Tensor.zerosLike(p));
                return hv;
            }
            for (Tensor t : Autodiff.grad(q, params, null, false)) hv.add(t.detach());
            return hv;
        }
    }

    /**
     * Rademacher vectors shaped like {@code like} ({@code ±1} with probability 1/2 each), on each
     * tensor's device and in its dtype: element {@code j} of tensor {@code i} is {@code -1} when element
     * {@code j} of {@code key.foldIn(i)}'s f32 uniform Philox stream is below 1/2.
     */
    public static List<Tensor> rademacher(RngKey key, List<Tensor> like) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < like.size(); i++) {
            Tensor u = uniform(key.foldIn(i), like.get(i));
            out.add(u.lt(0.5).mul(-2).add(1).to(like.get(i).dtype()));
        }
        return out;
    }

    /** The f32 uniform Philox stream of {@code key}, shaped like {@code like}, on its device. */
    static Tensor uniform(RngKey key, Tensor like) {
        Device d = like.buffer().device();
        Buffer b = d.allocate(ElementType.F32, Math.max(1, like.numel()));
        d.random(Distribution.UNIFORM, key, 0, b, 0, like.numel());
        return Tensor.fromBuffer(b, like.shape());
    }

    /** Hutchinson's estimate of {@code diag H}: the mean of {@code u ⊙ Hu} over {@code samples} Rademacher draws. */
    public static Map<String, Tensor> hutchinson(Supplier<Tensor> loss, Map<String, Tensor> params, RngKey key, int samples) {
        AT_LEAST_ONE.check("hutchinson", "samples", samples);
        List<Tensor> ps = List.copyOf(params.values());
        List<Tensor> acc = null;
        for (int s = 0; s < samples; s++) {
            List<Tensor> u = rademacher(samples == 1 ? key : key.foldIn(s), ps);
            List<Tensor> hu = hvp(loss, ps, u);
            List<Tensor> est = new ArrayList<>();
            for (int i = 0; i < ps.size(); i++) est.add(u.get(i).mul(hu.get(i)));
            if (acc == null) acc = est;
            else for (int i = 0; i < ps.size(); i++) acc.set(i, acc.get(i).add(est.get(i)));
        }
        if (samples > 1) acc.replaceAll(t -> t.div(samples));
        return byName(params, acc);
    }

    /**
     * AdaHessian's curvature: {@code |H u|} for one Rademacher {@code u} (equal to {@code |u ⊙ Hu|}),
     * {@link #spatialAverage spatially averaged}.
     */
    public static Map<String, Tensor> adaHessian(Supplier<Tensor> loss, Map<String, Tensor> params, RngKey key) {
        List<Tensor> ps = List.copyOf(params.values());
        List<Tensor> hu = hvp(loss, ps, rademacher(key, ps));
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : hu) out.add(spatialAverage(t.abs()));
        return byName(params, out);
    }

    /**
     * The official AdaHessian code's spatial averaging (block size -1): rank 0 and 1 unchanged; rank 2
     * the mean over dim 1; rank 3 over dim 2; rank 4 over dims 2 and 3; broadcast back to the shape.
     */
    public static Tensor spatialAverage(Tensor d) {
        int[] axes = switch (d.rank()) {
            case 0, 1 -> null;
            case 2 -> new int[] {1};
            case 3 -> new int[] {2};
            case 4 -> new int[] {2, 3};
            default -> throw new IllegalArgumentException("spatialAverage: AdaHessian defines it for ranks 1 to 4, got shape "
                    + java.util.Arrays.toString(d.shape()));
        };
        return axes == null ? d : d.mean(axes, true).expand(d.shape()).contiguous();
    }

    /**
     * The Gauss–Newton–Bartlett estimate of Sophia-G: labels {@code ŷ} are sampled from
     * {@code softmax(logits)} (logits {@code [N, C]}) by the Gumbel-max trick on the Philox stream of
     * {@code key}; {@code ĝ} is the gradient of the mean cross-entropy of the logits against {@code ŷ};
     * the estimate is {@code ĝ ⊙ ĝ}. Its expectation over {@code ŷ} for one example is the diagonal of
     * the Gauss–Newton matrix {@code J^T (diag p - p p^T) J}.
     */
    public static Map<String, Tensor> gaussNewtonBartlett(Supplier<Tensor> logits, Map<String, Tensor> params, RngKey key) {
        List<Tensor> ps = List.copyOf(params.values());
        for (Tensor p : ps) if (!p.requiresGrad()) p.requiresGrad(true);
        try (var _ = Autodiff.enableGrad()) {
            Tensor z = logits.get();
            if (z.rank() != 2)
                throw new IllegalArgumentException("gaussNewtonBartlett: logits must be [N, C], got " + java.util.Arrays.toString(z.shape()));
            Tensor labels = sampleLabels(z.detach(), key);
            List<Tensor> g = Autodiff.grad(z.crossEntropy(labels), ps, null, false);
            List<Tensor> out = new ArrayList<>();
            for (Tensor t : g) out.add(t.detach().square());
            return byName(params, out);
        }
    }

    /** Labels drawn from {@code softmax(logits)} row by row: {@code argmax(logits - log(-log u))}. */
    static Tensor sampleLabels(Tensor logits, RngKey key) {
        Tensor u = uniform(key, logits).to(logits.dtype());
        Tensor gumbel = u.log().neg().log().neg();
        return logits.add(gumbel).argmax(1);
    }

    private static Map<String, Tensor> byName(Map<String, Tensor> params, List<Tensor> values) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int i = 0;
        for (String name : params.keySet()) out.put(name, values.get(i++));
        return out;
    }
}
