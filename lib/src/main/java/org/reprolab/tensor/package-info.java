/**
 * Tensors with reverse-mode automatic differentiation.
 *
 * <p>{@link org.reprolab.tensor.Tensor} is an f32/f64 n-d array with strided views, NumPy
 * broadcasting and a graph recorded per op; {@link org.reprolab.tensor.Autodiff} holds the
 * functional transforms (grad, valueAndGrad, vjp, jvp, hvp, jacobian, hessian), the no-grad scope
 * and the NaN/Inf trap. Every gradient rule is written with tensor ops, which is what makes
 * higher-order derivatives work.
 *
 * <p>Layering: ops ({@code Tensor}, {@code TensorUnaryOp}, {@code TensorBinaryOp}) define values and
 * derivatives once; every loop over data is a call into a {@code org.reprolab.tornado} device through
 * the package-private {@code Backend} (element-wise expression kernels on strided operands,
 * reductions, matmul over matrix views, gather/scatter, Philox random numbers). A tensor's storage is
 * a device {@code Buffer}: tensors live on {@code jvm} (Java arrays, wrapped without copies) or
 * {@code opencl}, move with {@code to("opencl")}, and give the same numbers on both up to rounding.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(0, 3, 1).requiresGrad(true);
 * Tensor x = Tensor.randn(1, 8, 3);
 * Tensor loss = x.matmul(w).sub(x.sum(1, true)).square().mean();
 * loss.backward();                     // w.grad() now holds d loss / d w
 * Tensor hv = Autodiff.hvp(v -> x.matmul(v).square().mean(), w.detach(), Tensor.ones(3, 1));
 * }</pre>
 */
package org.reprolab.tensor;
