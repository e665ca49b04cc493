package org.reprolab.tensor;

import static org.reprolab.tensor.GradCheck.check;
import static org.reprolab.tensor.GradCheck.checkSecondOrder;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Every op's gradient against central finite differences (f64), second order where it matters. */
class GradientCheckTest {

    private static Tensor x23() {
        return Tensor.of(new double[] {0.3, -1.2, 0.7, 1.5, -0.4, 0.9}, 2, 3);
    }

    private static Tensor pos23() {
        return Tensor.of(new double[] {0.3, 1.2, 0.7, 1.5, 0.4, 2.9}, 2, 3);
    }

    private static void unary(UnaryOperator<Tensor> op, Tensor x) {
        check(xs -> op.apply(xs[0]), x);
    }

    @Test
    void unaryOps() {
        unary(Tensor::neg, x23());
        unary(Tensor::exp, x23());
        unary(Tensor::log, pos23());
        unary(Tensor::log1p, pos23());
        unary(Tensor::sqrt, pos23());
        unary(Tensor::rsqrt, pos23());
        unary(Tensor::reciprocal, pos23());
        unary(Tensor::square, x23());
        unary(Tensor::abs, x23());
        unary(Tensor::tanh, x23());
        unary(Tensor::sigmoid, x23());
        unary(Tensor::relu, x23());
        unary(Tensor::softplus, x23());
        unary(Tensor::sin, x23());
        unary(Tensor::cos, x23());
        unary(Tensor::erf, x23());
        unary(Tensor::gelu, x23());
        unary(Tensor::silu, x23());
        unary(t -> t.pow(3), x23());
        unary(t -> t.pow(0.5), pos23());
        unary(t -> t.clamp(-0.5, 1.0), x23());
        unary(t -> t.clampMin(0.0), x23());
    }

    @Test
    void secondOrderElementwise() {
        checkSecondOrder(xs -> xs[0].tanh(), x23());
        checkSecondOrder(xs -> xs[0].exp(), x23());
        checkSecondOrder(xs -> xs[0].sigmoid(), x23());
        checkSecondOrder(xs -> xs[0].log(), pos23());
        checkSecondOrder(xs -> xs[0].gelu(), x23());
        checkSecondOrder(xs -> xs[0].softplus(), x23());
        checkSecondOrder(xs -> xs[0].sqrt(), pos23());
        checkSecondOrder(xs -> xs[0].mul(xs[1]), x23(), pos23());
        checkSecondOrder(xs -> xs[0].div(xs[1]), x23(), pos23());
        checkSecondOrder(xs -> xs[1].pow(xs[0]), x23(), pos23());
    }

    @Test
    void binaryOpsBroadcast() {
        Tensor a = x23();
        Tensor row = Tensor.of(0.5, -2.0, 1.1);
        Tensor col = Tensor.of(new double[] {1.3, 0.6}, 2, 1);
        check(xs -> xs[0].add(xs[1]), a, row);
        check(xs -> xs[0].sub(xs[1]), col, row);
        check(xs -> xs[0].mul(xs[1]), a, col);
        check(xs -> xs[0].div(xs[1]), a, Tensor.of(0.5, 2.0, 1.1));
        check(xs -> xs[0].pow(xs[1]), pos23(), row);
        check(xs -> xs[0].maximum(xs[1]), a, row);
        check(xs -> xs[0].minimum(xs[1]), a, col);
        check(xs -> xs[0].mul(xs[1]).add(xs[0]), Tensor.of(new double[] {2.0}), a);
    }

    @Test
    void matmulAllForms() {
        Tensor a = Tensor.randn(1, 3, 4);
        Tensor b = Tensor.randn(2, 4, 2);
        checkSecondOrder(xs -> xs[0].matmul(xs[1]), a, b);
        // batched with broadcast batch dims, operands given as transposed views
        Tensor ba = Tensor.randn(3, 2, 1, 4, 3);
        Tensor bb = Tensor.randn(4, 3, 2, 4);
        check(xs -> xs[0].mT().matmul(xs[1].mT()), ba, bb);
        // vector forms
        check(xs -> xs[0].matmul(xs[1]), Tensor.randn(5, 4), Tensor.randn(6, 4, 2));
        check(xs -> xs[0].matmul(xs[1]), Tensor.randn(5, 3, 4), Tensor.randn(6, 4));
        check(xs -> xs[0].matmul(xs[1]), Tensor.randn(5, 4), Tensor.randn(6, 4));
    }

    @Test
    void reductions() {
        Tensor x = Tensor.randn(3, 2, 3, 4);
        check(xs -> xs[0].sum(), x);
        check(xs -> xs[0].sum(1), x);
        check(xs -> xs[0].sum(new int[] {0, 2}, true), x);
        check(xs -> xs[0].mean(-1, true), x);
        check(xs -> xs[0].max(2), x);
        check(xs -> xs[0].min(new int[] {0, 1}, false), x);
        check(xs -> xs[0].max(), x);
        check(xs -> xs[0].var(1, false), x);
        check(xs -> xs[0].var(new int[] {0, 2}, true, 1), x);
        check(xs -> xs[0].std(2, true), x);
        check(xs -> xs[0].sumTo(3, 1), x);
    }

    @Test
    void softmaxFamilySecondOrder() {
        Tensor x = Tensor.randn(5, 3, 4);
        checkSecondOrder(xs -> xs[0].softmax(1), x);
        checkSecondOrder(xs -> xs[0].logSoftmax(0), x);
        checkSecondOrder(xs -> xs[0].logsumexp(1, false), x);
        check(xs -> xs[0].logsumexp(0, true), x);
    }

    @Test
    void views() {
        Tensor x = Tensor.randn(8, 2, 3, 4);
        check(xs -> xs[0].reshape(4, -1), x);
        check(xs -> xs[0].permute(2, 0, 1).reshape(-1), x);
        check(xs -> xs[0].transpose(0, 2).mul(Tensor.arange(2)), x);
        check(xs -> xs[0].slice(2, 0, 4, 2), x);
        check(xs -> xs[0].slice(1, -2, 3), x);
        check(xs -> xs[0].narrow(2, 1, 2), x);
        check(xs -> xs[0].select(1, 1), x);
        check(xs -> xs[0].select(0, 0).expand(5, 3, 4), x);
        check(xs -> xs[0].unsqueeze(1).squeeze(), x);
        check(xs -> xs[0].flatten(1), x);
        check(xs -> xs[0].pad(2, 1, 2), x);
        check(xs -> xs[0].t().matmul(xs[0]), Tensor.randn(9, 3, 2));
    }

    @Test
    void indexingAndJoining() {
        Tensor x = Tensor.randn(10, 3, 4);
        Tensor idx = Tensor.of(new double[] {0, 2, 2, 1, 0, 0}, 2, 3);
        check(xs -> xs[0].gather(0, idx), x);
        check(xs -> xs[0].gather(1, Tensor.of(new double[] {3, 3, 0, 1, 2, 1}, 3, 2)), x);
        check(xs -> xs[0].indexSelect(1, 3, 0, 3), x);
        check(xs -> xs[0].scatterAdd(0, idx, 3, 4), Tensor.randn(11, 2, 3));
        check(xs -> Tensor.concat(1, xs[0], xs[1], xs[0]), x, Tensor.randn(12, 3, 2));
        check(xs -> Tensor.stack(0, xs[0], xs[1]), x, Tensor.randn(13, 3, 4));
        check(xs -> Tensor.where(xs[0].gt(0), xs[0], xs[1].mul(2)), x, Tensor.randn(14, 4));
        checkSecondOrder(xs -> Tensor.stack(-1, xs[0].tanh(), xs[0].exp()).matmul(Tensor.of(1.0, -2.0)), x);
    }

    @Test
    void losses() {
        Tensor logits = Tensor.randn(15, 4, 3);
        check(xs -> xs[0].crossEntropy(2, 0, 1, 1), logits);
        Tensor probs = Tensor.of(new double[] {0.2, 0.3, 0.5}, 1, 3).expand(4, 3);
        checkSecondOrder(xs -> xs[0].crossEntropy(probs), logits);
        check(xs -> xs[0].mse(xs[1]), logits, Tensor.randn(16, 4, 3));
    }

    @Test
    void dtypeConversionIsDifferentiable() {
        // f32 finite differences are too coarse for GradCheck; the rule is linear, so check it exactly
        Tensor x = Tensor.of(0.5, 0.25).requiresGrad(true);
        Tensor y = x.to(DType.F32).mul(3).sum();
        y.backward();
        org.junit.jupiter.api.Assertions.assertEquals(DType.F64, x.grad().dtype());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {3, 3}, x.grad().toDoubleArray());
    }
}
