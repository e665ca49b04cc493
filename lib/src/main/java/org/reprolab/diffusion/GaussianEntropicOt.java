package org.reprolab.diffusion;

/**
 * The entropic optimal transport plan between two Gaussians in closed form: the static Schrödinger bridge
 * with Wiener prior of variance {@code ε} between {@code N(μ₀, Σ₀)} and {@code N(μ₁, Σ₁)}, i.e. the coupling
 * π minimising {@code ∫ ½‖x − y‖² dπ + ε KL(π ‖ p₀ ⊗ p₁)}. The plan is Gaussian (Janati, Muzellec, Peyré,
 * Cuturi, NeurIPS 2020; Mallasto, Gerolin, Minh, 2021): its density is {@code ∝ exp(xᵀy/ε) a(x) b(y)}, so the
 * x–y block of its precision is {@code −I/ε}, which forces {@code Y | X = x ~ N(μ₁ + K(x − μ₀), εK)} with
 * {@code K} symmetric and {@code KΣ₀K + εK = Σ₁}. Its positive-definite root is
 * <pre>  K = Σ₀^{-½} [ (Σ₀^{½} Σ₁ Σ₀^{½} + ε²/4 I)^{½} − ε/2 I ] Σ₀^{-½},   Cov(X, Y) = Σ₀ K,</pre>
 * Janati et al.'s {@code C_σ = ½ Σ₀^{½} D_σ Σ₀^{-½} − σ²/2 I} with their cost ‖x−y‖², regulariser 2σ² and
 * σ² = ε. As ε → 0 it tends to the Monge map {@code Σ₀^{-½}(Σ₀^{½}Σ₁Σ₀^{½})^{½}Σ₀^{-½}}; as ε → ∞ to the
 * independent coupling. This is the independent reference a learned bridge ({@link LightSchrodingerBridge},
 * whose one-component form is exactly this plan with {@code S = K}) is checked against.
 *
 * @param mean0   μ₀
 * @param cov0    Σ₀, symmetric positive definite
 * @param mean1   μ₁
 * @param cov1    Σ₁, symmetric positive definite
 * @param epsilon ε &gt; 0, the variance of the Wiener prior (the entropic regularisation)
 */
public record GaussianEntropicOt(double[] mean0, double[][] cov0, double[] mean1, double[][] cov1, double epsilon) {

    public GaussianEntropicOt {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("entropic OT needs a finite epsilon > 0, got " + epsilon);
        int d = mean0.length;
        if (d == 0 || mean1.length != d || cov0.length != d || cov1.length != d)
            throw new IllegalArgumentException("entropic OT between Gaussians needs means and covariances of one dimension, got "
                    + mean0.length + ", " + cov0.length + " (source) and " + mean1.length + ", " + cov1.length + " (target)");
        GaussianMixture.cholesky(cov0); // throws naming what is wrong: not square, symmetric or positive definite
        GaussianMixture.cholesky(cov1);
        mean0 = mean0.clone();
        mean1 = mean1.clone();
        cov0 = copy(cov0);
        cov1 = copy(cov1);
    }

    public int dim() {
        return mean0.length;
    }

    /** K, the symmetric positive-definite slope of the conditional mean: {@code E[Y | X = x] = μ₁ + K(x − μ₀)}. */
    public double[][] conditionalMap() {
        int d = dim();
        double[][] root = SpdMatrix.power(cov0, 0.5, "source covariance"), inverseRoot = SpdMatrix.power(cov0, -0.5, "source covariance");
        double[][] inner = SpdMatrix.symmetrize(SpdMatrix.multiply(SpdMatrix.multiply(root, cov1), root));
        for (int i = 0; i < d; i++) inner[i][i] += epsilon * epsilon / 4;
        double[][] m = SpdMatrix.power(inner, 0.5, "Σ₀^½ Σ₁ Σ₀^½ + ε²/4");
        for (int i = 0; i < d; i++) m[i][i] -= epsilon / 2;
        return SpdMatrix.symmetrize(SpdMatrix.multiply(SpdMatrix.multiply(inverseRoot, m), inverseRoot));
    }

    /** {@code Cov(X, Y) = Σ₀ K} under the plan. */
    public double[][] crossCovariance() {
        return SpdMatrix.multiply(cov0, conditionalMap());
    }

    /** {@code E[Y | X = x] = μ₁ + K(x − μ₀)}. */
    public double[] conditionalMean(double... x) {
        if (x.length != dim()) throw new IllegalArgumentException("conditional mean: x has " + x.length + " coordinates, the plan is " + dim() + "-dimensional");
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = x[i] - mean0[i];
        double[] out = SpdMatrix.apply(conditionalMap(), dx);
        for (int i = 0; i < out.length; i++) out[i] += mean1[i];
        return out;
    }

    /** {@code Cov(Y | X) = εK}, the same for every x. */
    public double[][] conditionalCovariance() {
        double[][] k = conditionalMap();
        for (double[] row : k) for (int j = 0; j < row.length; j++) row[j] *= epsilon;
        return k;
    }

    /**
     * The plan as a one-component light Schrödinger bridge: potential {@code v(y) = N(y | r, εS)} with {@code S = K}
     * and {@code r = μ₁ − Kμ₀}, so {@code π(y | x) = N(r + Sx, εS)}; its drift and samples are those of the exact bridge.
     */
    public LightSchrodingerBridge bridge() {
        double[][] k = conditionalMap();
        double[] km = SpdMatrix.apply(k, mean0), r = new double[dim()];
        for (int i = 0; i < r.length; i++) r[i] = mean1[i] - km[i];
        return LightSchrodingerBridge.of(epsilon, new double[] {1}, new double[][] {r}, new double[][][] {k});
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) c[i] = m[i].clone();
        return c;
    }
}
