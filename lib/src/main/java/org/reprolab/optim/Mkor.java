package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * MKOR's gradient preconditioner (Mozaffari, Li, Zhang, Mehri Dehnavi, "MKOR: Momentum-Enabled
 * Kronecker-Factor-Based Optimizer Using Rank-1 Updates", NeurIPS 2023; code
 * Mohammad-Mozaffari/mkor {@code mkor/mkor.py}, {@code mkor/utils/factors.py}), as the code runs it,
 * for linear layers: it replaces each layer's gradients by {@code G^-1 [dW | db] A^-1} rescaled to
 * the gradients' norm, and the optimizer the code wraps (torch SGD or Adam; here any {@link Optimizer})
 * then steps. It is a matrix transformation per layer, not an element-wise one, so it runs before
 * {@link Optimizer#step()} on the gradients in place: {@code mkor.precondition(inputs, outputGrads);
 * opt.step()}.
 *
 * <p>Every {@code invFreq} steps (steps 0, invFreq, ...) the inverse factors take a rank-1 update from
 * the batch means {@code a = mean_n [x_n, 1]} of the layer inputs and {@code g = mean_n N dL/dy_n} of
 * the output gradients (both clamped to {@code ±clip}): {@code P = 0.95 F + 0.05 I} (0.95 is hard-coded
 * in the code), {@code F = P - (P v)(v^T P) / (1 + v^T P v)} (Sherman–Morrison, the code's
 * {@code sm_inverse}). A factor starts as, and after a refresh that left any entry of a layer's factors
 * above 2 is reset to, the identity (the code's reset branch tests {@code module not in factor_dict}
 * on a list of tensors, which is always true, so the {@code stabilization_factor} blend never runs;
 * the input factor is refreshed before the output factor, and a reset flag raised by the former
 * already resets the latter). The rescaling factor is {@code (||dW|| + ||db||) / (||vW|| + ||vb||)}; a
 * NaN factor leaves the gradients as they are. Factors are kept in the parameters' dtype (the code's
 * default is fp16). Paper and code differ in the factor update (an EMA-weighted rank-1 update in the
 * paper); this follows the code.
 */
public final class Mkor {

    /** A linear layer: its weight {@code [out, in]} and optional bias {@code [out]} (null for none). */
    public record Layer(Tensor weight, Tensor bias) {
        public Layer {
            if (weight == null || weight.rank() != 2) throw new IllegalArgumentException("MKOR: a layer's weight must be [out, in]");
            if (bias != null && (bias.rank() != 1 || bias.size(0) != weight.size(0)))
                throw new IllegalArgumentException("MKOR: bias must be [out] = [" + weight.size(0) + "]");
        }
    }

    private final Map<String, Layer> layers;
    private final int invFreq;
    private final double clip;
    private final Map<String, Tensor> aInv = new LinkedHashMap<>(), gInv = new LinkedHashMap<>();
    private final Map<String, Boolean> aReset = new LinkedHashMap<>(), gReset = new LinkedHashMap<>();
    private long steps;

    /** The code's defaults: {@code inv_freq = 10}, {@code clipping_value = 100}. */
    public Mkor(Map<String, Layer> layers) {
        this(layers, 10, 100);
    }

    public Mkor(Map<String, Layer> layers, int invFreq, double clip) {
        this.layers = new LinkedHashMap<>(layers);
        this.invFreq = AT_LEAST_ONE.check("MKOR", "inv_freq", invFreq);
        this.clip = POSITIVE.check("MKOR", "clipping_value", clip);
        for (String name : layers.keySet()) {
            aReset.put(name, true);
            gReset.put(name, true);
        }
    }

    /** Steps taken. */
    public long steps() {
        return steps;
    }

    /**
     * Preconditions the layers' gradients in place, refreshing the factors first on refresh steps.
     *
     * @param inputs      per layer its input batch {@code [N, in]} (needed on refresh steps)
     * @param outputGrads per layer {@code dL/dy} for its output batch {@code [N, out]} (needed on refresh steps)
     */
    public void precondition(Map<String, Tensor> inputs, Map<String, Tensor> outputGrads) {
        try (var _ = Autodiff.noGrad()) {
            if (steps % invFreq == 0) refresh(inputs, outputGrads);
            for (var e : layers.entrySet()) apply(e.getKey(), e.getValue());
        }
        steps++;
    }

    private void refresh(Map<String, Tensor> inputs, Map<String, Tensor> outputGrads) {
        Map<String, Tensor> as = new LinkedHashMap<>(), gs = new LinkedHashMap<>();
        for (var e : layers.entrySet()) {
            Tensor x = require(inputs, e.getKey(), "inputs"), dy = require(outputGrads, e.getKey(), "outputGrads");
            Layer l = e.getValue();
            int n = x.size(0);
            Tensor a = x;
            if (l.bias() != null) a = a.pad(1, 0, 1).add(Tensor.onesLike(x.narrow(1, 0, 1)).pad(1, x.size(1), 0));
            as.put(e.getKey(), a.clamp(-clip, clip).mean(0, true).t());
            gs.put(e.getKey(), dy.mul(n).clamp(-clip, clip).mean(0, true).t());
        }
        update(as, aInv, aReset);
        update(gs, gInv, gReset);
    }

    private void update(Map<String, Tensor> vs, Map<String, Tensor> factors, Map<String, Boolean> reset) {
        for (var e : vs.entrySet()) {
            String name = e.getKey();
            Tensor v = e.getValue();
            int d = v.size(0);
            if (reset.get(name)) {
                factors.put(name, eye(d, v));
                reset.put(name, false);
            } else {
                Tensor p = factors.get(name).mul(0.95).add(eye(d, v).mul(0.05));
                Tensor t1 = p.matmul(v), t2 = v.t().matmul(p);
                Tensor f = p.sub(t1.mul(t2.matmul(v).add(1).reciprocal()).matmul(t2)); // the code's ((1/(1+s)) t1) @ t2
                factors.put(name, f);
                if (f.abs().max().item() > 2) { // the code raises both flags of the layer
                    aReset.put(name, true);
                    gReset.put(name, true);
                }
            }
        }
    }

    private static Tensor eye(int d, Tensor like) {
        double[][] id = new double[d][d];
        for (int i = 0; i < d; i++) id[i][i] = 1;
        return Tensor.of(id).to(like.dtype()).to(like.buffer().device());
    }

    private void apply(String name, Layer l) {
        Tensor dw = l.weight().grad(), db = l.bias() == null ? null : l.bias().grad();
        if (dw == null || (l.bias() != null && db == null))
            throw new IllegalStateException("MKOR: layer '" + name + "' has no gradient; call backward() first");
        int in = dw.size(1);
        Tensor mat = db == null ? dw : dw.pad(1, 0, 1).add(db.unsqueeze(1).pad(1, in, 0));
        Tensor v = gInv.get(name).matmul(mat).matmul(aInv.get(name));
        Tensor vw = db == null ? v : v.narrow(1, 0, in).contiguous();
        Tensor vb = db == null ? null : v.narrow(1, in, 1).reshape(db.shape());
        double gradNorm = norm(dw) + (db == null ? 0 : norm(db));
        double updNorm = norm(vw) + (vb == null ? 0 : norm(vb));
        double fix = gradNorm / updNorm;
        if (Double.isNaN(fix)) return;
        l.weight().setGrad(vw.mul(fix));
        if (db != null) l.bias().setGrad(vb.mul(fix));
    }

    private static double norm(Tensor t) {
        return Math.sqrt(t.square().sum().item());
    }

    private static Tensor require(Map<String, Tensor> m, String name, String what) {
        Tensor t = m == null ? null : m.get(name);
        if (t == null) throw new IllegalArgumentException("MKOR step: " + what + " has no entry for layer '" + name
                + "' on this refresh step; pass every layer's batch");
        return t;
    }

    /** The current inverse factors of a layer, {@code [A^-1, G^-1]} (null before the first step). */
    public List<Tensor> factors(String layer) {
        List<Tensor> out = new ArrayList<>();
        out.add(aInv.get(layer));
        out.add(gInv.get(layer));
        return out;
    }
}
