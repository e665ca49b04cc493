/**
 * Neural-network building blocks over {@link org.reprolab.tensor.Tensor}: a
 * {@link org.reprolab.nn.Module} tree with hierarchical parameter names, layers
 * ({@link org.reprolab.nn.Linear}, {@link org.reprolab.nn.MLP}, {@link org.reprolab.nn.LayerNorm},
 * {@link org.reprolab.nn.Conv2d}, {@link org.reprolab.nn.TimeEmbedding}, activations),
 * {@link org.reprolab.nn.Init initialisers} and {@link org.reprolab.nn.Losses losses}. Layers with
 * parameters also expose a static functional form ({@code Linear.apply}, {@code LayerNorm.apply},
 * {@code Conv2d.apply}), which is what their gradient checks exercise.
 *
 * <pre>{@code
 * MLP net = new MLP(new int[] {2, 64, 64, 2}, Activation::tanh, 42);
 * for (int step = 0; step < 500; step++) {
 *     net.zeroGrad();
 *     Tensor loss = Losses.crossEntropy(net.forward(x), labels);
 *     loss.backward();
 *     try (var _ = Autodiff.noGrad()) {
 *         net.parameters().forEach((name, p) -> p.addInPlace(p.grad(), -0.1));
 *     }
 * }
 * }</pre>
 */
package org.reprolab.nn;
