package org.reprolab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

class ModuleTest {

    @Test
    void hierarchicalParameterNames() {
        MLP mlp = new MLP(new int[] {2, 3, 4, 1}, Activation::tanh, 7);
        Map<String, Tensor> p = mlp.parameters();
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight",
                "layers.4.bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {3, 2}, p.get("layers.0.weight").shape());
        assertArrayEquals(new int[] {1}, p.get("layers.4.bias").shape());
        assertEquals(2 * 3 + 3 + 3 * 4 + 4 + 4 + 1, mlp.parameterCount());
        assertTrue(p.values().stream().allMatch(t -> t.requiresGrad() && t.isLeaf()));
        assertEquals("""
                MLP(
                  (layers): Sequential(
                    (0): Linear(in_features=2, out_features=3, bias=true)
                    (1): Tanh()
                    (2): Linear(in_features=3, out_features=4, bias=true)
                    (3): Tanh()
                    (4): Linear(in_features=4, out_features=1, bias=true)
                  )
                )""", mlp.toString());
    }

    @Test
    void linearComputesAffineMap() {
        Linear l = new Linear(2, 2, 1);
        try (var _ = Autodiff.noGrad()) {
            l.weight().assign(Tensor.of(new double[][] {{1, 2}, {3, 4}}));
            l.bias().assign(Tensor.of(10, 20));
        }
        Tensor y = l.forward(Tensor.of(new double[][] {{1, 1}, {2, -1}}));
        assertArrayEquals(new double[] {13, 27, 10, 22}, y.toDoubleArray());
        var e = assertThrows(ShapeException.class, () -> l.forward(Tensor.zeros(4, 3)));
        assertTrue(e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    @Test
    void seedsDetermineParameters() {
        Map<String, Tensor> a = new MLP(new int[] {3, 5, 2}, Activation::relu, 1).parameters();
        Map<String, Tensor> b = new MLP(new int[] {3, 5, 2}, Activation::relu, 1).parameters();
        Map<String, Tensor> c = new MLP(new int[] {3, 5, 2}, Activation::relu, 2).parameters();
        a.forEach((n, t) -> assertArrayEquals(t.toDoubleArray(), b.get(n).toDoubleArray(), n));
        assertFalse(java.util.Arrays.equals(a.get("layers.0.weight").toDoubleArray(), c.get("layers.0.weight").toDoubleArray()));
        assertFalse(java.util.Arrays.equals(a.get("layers.0.weight").toDoubleArray(), a.get("layers.2.weight").toDoubleArray()));
    }

    @Test
    void trainEvalToDtypeAndState() {
        MLP mlp = new MLP(new int[] {2, 4, 1}, Activation::gelu, 3);
        mlp.eval();
        assertFalse(mlp.layers().get(0).isTraining());
        mlp.train(true);
        assertTrue(mlp.layers().get(1).isTraining());
        Map<String, Tensor> state = mlp.stateDict();
        Tensor x = Tensor.randn(4, 5, 2);
        double[] before = mlp.forward(x).toDoubleArray();
        mlp.to(DType.F32);
        assertTrue(mlp.parameters().values().stream().allMatch(t -> t.dtype() == DType.F32 && t.requiresGrad()));
        assertArrayEquals(before, mlp.forward(x.to(DType.F32)).toDoubleArray(), 1e-5);
        mlp.to(DType.F64);
        try (var _ = Autodiff.noGrad()) {
            mlp.parameters().values().forEach(t -> t.fill(0));
        }
        assertArrayEquals(new double[5], mlp.forward(x).toDoubleArray());
        mlp.loadStateDict(state);
        assertArrayEquals(before, mlp.forward(x).toDoubleArray(), 1e-7);
        assertThrows(IllegalArgumentException.class, () -> mlp.loadStateDict(Map.of("layers.0.weight", Tensor.zeros(4, 2))));
    }

    @Test
    void activationsByName() {
        Tensor x = Tensor.of(-1, 0.5);
        assertArrayEquals(x.relu().toDoubleArray(), Activation.of("ReLU").forward(x).toDoubleArray());
        assertArrayEquals(x.silu().toDoubleArray(), Activation.of("swish").forward(x).toDoubleArray());
        assertArrayEquals(new double[] {-0.1, 0.5}, Activation.leakyRelu(0.1).forward(x).toDoubleArray(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Activation.of("mish"));
    }

    /** One full training loop written the way a notebook would: forward, loss, backward, SGD step. */
    @Test
    void mlpLearnsXorWithSgd() {
        Tensor x = Tensor.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        int[] labels = {0, 1, 1, 0};
        MLP mlp = new MLP(new int[] {2, 16, 2}, Activation::tanh, 0);
        double first = Double.NaN;
        double loss = Double.NaN;
        for (int step = 0; step < 300; step++) {
            mlp.zeroGrad();
            Tensor l = Losses.crossEntropy(mlp.forward(x), labels);
            l.backward();
            try (var _ = Autodiff.noGrad()) {
                for (Tensor p : mlp.parameters().values()) {
                    p.addInPlace(p.grad(), -0.5);
                }
            }
            loss = l.item();
            if (step == 0) {
                first = loss;
            }
        }
        assertTrue(first > 0.6, "starts near log 2: " + first);
        assertTrue(loss < 0.05, "final loss " + loss);
        assertArrayEquals(new double[] {0, 1, 1, 0}, mlp.forward(x).argmax(1).toDoubleArray());
    }

    @Test
    void float32TrainingStep() {
        MLP mlp = new MLP(new int[] {3, 8, 1}, Activation::relu, DType.F32, 5);
        Tensor x = Tensor.randn(DType.F32, 1, 16, 3);
        Tensor y = x.sum(1, true);
        double l0 = Losses.mse(mlp.forward(x), y).item();
        for (int i = 0; i < 50; i++) {
            mlp.zeroGrad();
            Losses.mse(mlp.forward(x), y).backward();
            try (var _ = Autodiff.noGrad()) {
                mlp.parameters().values().forEach(p -> p.addInPlace(p.grad(), -0.05));
            }
        }
        Tensor out = mlp.forward(x);
        assertEquals(DType.F32, out.dtype());
        assertEquals(DType.F32, mlp.parameters().get("layers.0.weight").grad().dtype());
        assertNotEquals(l0, Losses.mse(out, y).item());
        assertTrue(Losses.mse(out, y).item() < 0.5 * l0);
    }
}
