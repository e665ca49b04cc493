package org.reprolab.gp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.reprolab.linalg.Cholesky;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.tensor.Tensor;

/**
 * Learns the weights of a spectral mixture from a Poisson problem's collocation data, GP-HM's way of
 * finding the solution's frequencies (Fang et al., ICLR 2024): start with many components spread
 * over the frequency range and maximise log N(y | 0, G(w)) − Σ_q log w_q, the Gaussian evidence of the
 * observations y (boundary values, f at the collocation points) plus the log of a Jeffreys prior
 * p(w_q) ∝ 1/w_q, which drives the weights of the frequencies the data do not need towards zero.
 * G(w) = Σ_q w_q G_q is linear in the weights, so the gradient in θ_q = log w_q is closed form,
 * ½ w_q (αᵀG_qα − tr(G⁻¹G_q)) − 1 with α = G⁻¹y, given to the library's Adam ({@link Optimizers#adam})
 * as the gradient of the negated objective on a vector of the log weights.
 *
 * <p>Differs from the paper: GP-HM also treats the solution values on a grid as parameters and
 * penalises the PDE residual (with Kronecker-structured grids for several dimensions); in 1-D the
 * collocation data determine the posterior mean exactly, so only the kernel is learned here.
 *
 * @param kernel the mixture with the learned weights (frequencies and widths as given)
 * @param objective the final log evidence plus log prior
 */
public record EvidenceFit(SpectralMixture kernel, double objective) {

    /**
     * Fits the weights of {@code initial} by {@code steps} Adam steps of size {@code learningRate} on
     * the log weights.
     */
    public static EvidenceFit weights(SpectralMixture initial, double left, double right, double leftValue,
            double rightValue, DoubleUnaryOperator source, int points, int steps, double learningRate) {
        if (steps < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("need steps >= 1 and learningRate > 0, got " + steps + ", " + learningRate);
        }
        var data = PoissonCollocation.Observations.of(left, right, leftValue, rightValue, source, points);
        List<SpectralMixture.Component> components = initial.components();
        int q = components.size();
        List<double[][]> grams = new ArrayList<>(q);
        double[] theta = new double[q];
        for (int c = 0; c < q; c++) {
            var unit = components.get(c);
            grams.add(data.gram(SpectralMixture.of(new SpectralMixture.Component(1, unit.frequency(), unit.width()))));
            theta[c] = Math.log(Math.max(unit.weight(), Double.MIN_NORMAL));
        }
        Tensor logWeights = Tensor.of(theta.clone());
        double objective = Double.NaN;
        try (Optimizer adam = Optimizer.of(Map.of("log_weights", logWeights), Optimizers.adam(learningRate))) {
            for (int t = 1; t <= steps + 1; t++) {
                int n = data.values().length;
                double[][] gram = new double[n][n];
                for (int c = 0; c < q; c++) {
                    double w = Math.exp(theta[c]);
                    double[][] g = grams.get(c);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            gram[i][j] += w * g[i][j];
                        }
                    }
                }
                Cholesky factor = PoissonCollocation.jitteredFactor(gram);
                double[] alpha = factor.solve(data.values());
                double fit = 0;
                for (int i = 0; i < n; i++) {
                    fit += alpha[i] * data.values()[i];
                }
                double logPrior = 0;
                for (double th : theta) {
                    logPrior -= th;
                }
                objective = -0.5 * fit - 0.5 * factor.logDeterminant() - 0.5 * n * Math.log(2 * Math.PI) + logPrior;
                if (t > steps) {
                    break;
                }
                double[][] inverse = factor.inverse();
                double[] descent = new double[q];
                for (int c = 0; c < q; c++) {
                    double[][] g = grams.get(c);
                    double quadratic = 0;
                    double trace = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            quadratic += alpha[i] * g[i][j] * alpha[j];
                            trace += inverse[i][j] * g[j][i];
                        }
                    }
                    descent[c] = -(0.5 * Math.exp(theta[c]) * (quadratic - trace) - 1); // ascent on the objective
                }
                logWeights.setGrad(Tensor.of(descent));
                adam.step();
                theta = logWeights.toDoubleArray();
            }
        }
        List<SpectralMixture.Component> learned = new ArrayList<>(q);
        for (int c = 0; c < q; c++) {
            var old = components.get(c);
            learned.add(new SpectralMixture.Component(Math.exp(theta[c]), old.frequency(), old.width()));
        }
        return new EvidenceFit(new SpectralMixture(learned), objective);
    }
}
