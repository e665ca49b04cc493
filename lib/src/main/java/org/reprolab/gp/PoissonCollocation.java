package org.reprolab.gp;

import java.util.function.DoubleUnaryOperator;
import org.reprolab.linalg.Cholesky;

/**
 * The GP collocation solution of the 1-D Poisson problem u″ = f on [left, right] with Dirichlet values:
 * the posterior mean of a GP prior u ~ GP(0, k) given u at both ends and u″ = f at equally spaced
 * interior collocation points. u″ is again a GP, so the observations are jointly Gaussian with the
 * Gram matrix [[k(xᵢ−xⱼ), k″(xᵢ−cⱼ)], [k″(cᵢ−xⱼ), k⁗(cᵢ−cⱼ)]] (the kernel solver of Chen et al. 2021 that
 * GP-HM builds on, Fang et al., ICLR 2024), and the mean at x is k_xᵀ G⁻¹ y with
 * k_x = (k(x−xⱼ), k″(x−cⱼ)). The kernel decides which frequencies the solution can carry: this is where
 * GP-HM's spectral mixture and a plain RBF differ.
 */
public final class PoissonCollocation {

    /** Relative nugget added to the Gram diagonal (times its mean) so the Cholesky factor exists. */
    static final double JITTER = 1e-10;

    private final SpectralMixture kernel;
    private final double[] boundary;
    private final double[] collocation;
    private final double[] weights;

    private PoissonCollocation(SpectralMixture kernel, double[] boundary, double[] collocation, double[] weights) {
        this.kernel = kernel;
        this.boundary = boundary;
        this.collocation = collocation;
        this.weights = weights;
    }

    /**
     * Solves u″ = source on [left, right], u(left) = leftValue, u(right) = rightValue, with {@code points}
     * equally spaced interior collocation points (the ends excluded).
     */
    public static PoissonCollocation solve(SpectralMixture kernel, double left, double right, double leftValue,
            double rightValue, DoubleUnaryOperator source, int points) {
        Observations data = Observations.of(left, right, leftValue, rightValue, source, points);
        return new PoissonCollocation(kernel, data.ends(), data.inner(),
                jitteredFactor(data.gram(kernel)).solve(data.values()));
    }

    /**
     * The Cholesky factor of a Gram matrix with the relative nugget {@link #JITTER} (times the mean diagonal) added
     * to it in place; a Gram matrix that is still not positive definite fails with the remedy named.
     */
    static Cholesky jitteredFactor(double[][] gram) {
        try {
            return Cholesky.factor(withJitter(gram));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Gram " + e.getMessage() + "; use fewer collocation points or a wider kernel", e);
        }
    }

    /** Adds the relative nugget {@link #JITTER} (times the mean diagonal) to a Gram matrix in place. */
    private static double[][] withJitter(double[][] gram) {
        int n = gram.length;
        double meanDiagonal = 0;
        for (int i = 0; i < n; i++) {
            meanDiagonal += gram[i][i] / n;
        }
        for (int i = 0; i < n; i++) {
            gram[i][i] += JITTER * meanDiagonal;
        }
        return gram;
    }

    /** The collocation data of a Poisson problem: both ends, the interior points and the observed values. */
    record Observations(double[] ends, double[] inner, double[] values) {

        static Observations of(double left, double right, double leftValue, double rightValue,
                DoubleUnaryOperator source, int points) {
            if (!(left < right) || !Double.isFinite(left) || !Double.isFinite(right)) {
                throw new IllegalArgumentException("need finite left < right, got [" + left + ", " + right + "]");
            }
            if (points < 1) {
                throw new IllegalArgumentException("need at least one collocation point, got " + points);
            }
            double[] inner = new double[points];
            double[] y = new double[points + 2];
            y[0] = leftValue;
            y[1] = rightValue;
            for (int i = 0; i < points; i++) {
                inner[i] = left + (right - left) * (i + 1) / (points + 1);
                y[2 + i] = source.applyAsDouble(inner[i]);
                if (!Double.isFinite(y[2 + i])) {
                    throw new IllegalArgumentException("source is not finite at x = " + inner[i]);
                }
            }
            return new Observations(new double[] {left, right}, inner, y);
        }

        /** The joint covariance of (u at the ends, u″ at the interior points) under kernel k, without jitter. */
        double[][] gram(SpectralMixture k) {
            int n = values.length;
            double[][] gram = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    gram[i][j] = gram[j][i] = covariance(k, i, j, ends, inner);
                }
            }
            return gram;
        }
    }

    private static double covariance(SpectralMixture k, int i, int j, double[] ends, double[] inner) {
        boolean iEnd = i < 2;
        boolean jEnd = j < 2;
        double xi = iEnd ? ends[i] : inner[i - 2];
        double xj = jEnd ? ends[j] : inner[j - 2];
        if (iEnd && jEnd) {
            return k.value(xi - xj);
        }
        return iEnd || jEnd ? k.secondDerivative(xi - xj) : k.fourthDerivative(xi - xj);
    }

    /** The posterior mean of u at x. */
    public double value(double x) {
        double sum = 0;
        for (int j = 0; j < boundary.length; j++) {
            sum += weights[j] * kernel.value(x - boundary[j]);
        }
        for (int j = 0; j < collocation.length; j++) {
            sum += weights[boundary.length + j] * kernel.secondDerivative(x - collocation[j]);
        }
        return sum;
    }

    /** The posterior mean at each x. */
    public double[] values(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = value(xs[i]);
        }
        return out;
    }

    /** ‖u − exact‖₂ / ‖exact‖₂ on {@code gridPoints} equally spaced points of the interval, ends included. */
    public double relativeL2Error(DoubleUnaryOperator exact, int gridPoints) {
        if (gridPoints < 2) {
            throw new IllegalArgumentException("need at least 2 grid points, got " + gridPoints);
        }
        double error = 0;
        double norm = 0;
        for (int i = 0; i < gridPoints; i++) {
            double x = boundary[0] + (boundary[1] - boundary[0]) * i / (gridPoints - 1);
            double u = exact.applyAsDouble(x);
            double d = value(x) - u;
            error += d * d;
            norm += u * u;
        }
        return Math.sqrt(error / norm);
    }
}
