package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * ⊥Grad (Prieto et al., ICLR 2025) against the official {@code OrthoGrad._orthogonalize_gradients}: once
 * transcribed here in plain loops, once run by torch side by side around AdamW.
 */
class OrthogonalGradientTest {

    /** The official formula per tensor: {@code g_orth = g - (w.g / (w.w + 1e-30)) w}, scaled by {@code ||g|| / (||g_orth|| + 1e-30)}. */
    private static double[] official(double[] w, double[] g) {
        double ww = 1e-30, wg = 0, gg = 0;
        for (int i = 0; i < w.length; i++) {
            ww += w[i] * w[i];
            wg += w[i] * g[i];
            gg += g[i] * g[i];
        }
        double proj = wg / ww;
        double[] orth = new double[g.length];
        double oo = 0;
        for (int i = 0; i < g.length; i++) {
            orth[i] = g[i] - proj * w[i];
            oo += orth[i] * orth[i];
        }
        double scale = Math.sqrt(gg) / (Math.sqrt(oo) + 1e-30);
        for (int i = 0; i < g.length; i++) orth[i] *= scale;
        return orth;
    }

    @Test
    void oneStepOfPlainSgdMovesByTheOfficialProjectedGradient() {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("weight", Tensor.randn(1, 3, 4));
        params.put("bias", Tensor.randn(2, 3));
        Map<String, double[]> w0 = new LinkedHashMap<>(), g = new LinkedHashMap<>();
        long seed = 10;
        for (var e : params.entrySet()) {
            w0.put(e.getKey(), e.getValue().toDoubleArray());
            // a gradient with a large component along the weights, as after memorisation
            Tensor grad = e.getValue().mul(0.7).add(Tensor.randn(seed++, e.getValue().shape()).mul(0.2));
            g.put(e.getKey(), grad.toDoubleArray());
            e.getValue().setGrad(grad);
        }
        try (Optimizer opt = Optimizer.of(params, Optimizers.orthoGrad(Optimizers.sgd(1.0)))) {
            opt.step();
        }
        for (String name : params.keySet()) {
            double[] expected = official(w0.get(name), g.get(name)), now = params.get(name).toDoubleArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(w0.get(name)[i] - expected[i], now[i], 1e-13, name + "[" + i + "]");
            }
        }
    }

    @Test
    void inFloat32TheStepIsOrthogonalToTheWeightsAndKeepsTheGradientNorm() {
        Tensor w = Tensor.randn(DType.F32, 3, 64, 32);
        double[] before = w.toDoubleArray();
        Tensor grad = w.mul(2).add(Tensor.randn(DType.F32, 4, 64, 32).mul(0.5));
        double[] g = grad.toDoubleArray();
        w.setGrad(grad);
        try (Optimizer opt = Optimizer.of(Map.of("w", w), Optimizers.orthoGrad(Optimizers.sgd(1.0)))) {
            opt.step();
        }
        double[] after = w.toDoubleArray();
        double dotWStep = 0, stepSq = 0, gradSq = 0, wSq = 0;
        for (int i = 0; i < after.length; i++) {
            double step = before[i] - after[i];
            dotWStep += before[i] * step;
            stepSq += step * step;
            gradSq += g[i] * g[i];
            wSq += before[i] * before[i];
        }
        double cosine = dotWStep / Math.sqrt(stepSq * wSq);
        assertTrue(Math.abs(cosine) < 1e-5, "cos(w, step) = " + cosine);
        assertEquals(Math.sqrt(gradSq), Math.sqrt(stepSq), 1e-5 * Math.sqrt(gradSq), "the step keeps the gradient's norm");
    }

    @Test
    void aroundAdamWTheTrajectoryMatchesTorchRunningTheOfficialCode() {
        // 100 steps: later the iterate nears ⊥Grad's fixed point, where the gradient is parallel to the weights and
        // the rescaling magnifies rounding (torch's and ours, summed in other orders) without bound
        ReferenceProblems problem = ReferenceProblems.linreg();
        int steps = 100;
        String json = "{\"id\": \"orthograd_adamw\", \"problem\": \"linreg\", \"data\": " + problem.dataJson() + ", \"x0\": "
                + problem.x0Json() + ", \"optimizer\": \"AdamW\", \"kwargs\": {\"lr\": 1e-2, \"weight_decay\": 0.0, \"betas\": [0.9, 0.99],"
                + " \"eps\": 1e-25}, \"steps\": " + steps + ", \"orthograd\": true}";
        double[] torch = TorchRef.run(List.of(json)).get("orthograd_adamw");
        Map<String, Tensor> params = problem.freshParams();
        Chain chain = Optimizers.orthoGrad(Optimizers.adamw(1e-2, 0).with("beta2", 0.99).with("eps", 1e-25));
        double[] ours;
        try (Optimizer opt = Optimizer.of(params, chain)) {
            ours = problem.trajectory(opt, params, steps);
        }
        double diff = TorchRef.maxRelDiff(ours, torch);
        assertTrue(diff < 1e-10, "max relative difference to torch " + diff);
        // a control: without the projection the trajectory is another one
        Map<String, Tensor> plain = problem.freshParams();
        try (Optimizer opt = Optimizer.of(plain, Optimizers.adamw(1e-2, 0).with("beta2", 0.99).with("eps", 1e-25))) {
            assertTrue(TorchRef.maxRelDiff(problem.trajectory(opt, plain, steps), torch) > 1e-3, "the projection changes nothing");
        }
    }

    @Test
    void aZeroGradientStaysZeroAndABadEpsilonIsNamed() {
        Tensor w = Tensor.of(new double[] {1, 2, 3}, 3);
        w.setGrad(Tensor.zeros(3));
        try (Optimizer opt = Optimizer.of(Map.of("w", w), Optimizers.orthoGrad(Optimizers.sgd(1.0)))) {
            opt.step();
        }
        assertEquals(List.of(1.0, 2.0, 3.0), java.util.Arrays.stream(w.toDoubleArray()).boxed().toList());
        var e = assertThrows(IllegalArgumentException.class, () -> new OrthogonalGradient(-1));
        assertEquals("orthograd: eps must be finite and >= 0, got -1.0", e.getMessage());
    }
}
