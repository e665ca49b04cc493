package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Sparsity-constrained OT (Liu, Puigcerver and Blondel, ICLR 2023) on the bar of {@link SinkhornTest}
 * (x_i = i/5, y_j = j/4, a ∝ 1 + 0.5 sin 2πx, b ∝ 1 + 0.5 cos πy, C = (x − y)²) at γ = 1, and on a random problem
 * where the constraint binds.
 */
class SparsityConstrainedOtTest {

    private static Tensor a() {
        return SinkhornTest.A;
    }

    private static Tensor b() {
        return SinkhornTest.B;
    }

    private static Tensor cost() {
        return SinkhornTest.C;
    }

    @Test
    void sparseSimplexIsTheNearestKSparsePointOfTheSimplex() {
        // top-2 of x = {0.5, 0.4}; τ = (0.9 − 1)/2 = −0.05
        Tensor x = Tensor.of(0.5, 0.2, -0.1, 0.4, 0.05, 0.3);
        assertArrayEquals(new double[] {0.55, 0, 0, 0.45, 0, 0}, Projections.sparseSimplex(x, 1, 2).toDoubleArray(), 1e-15);
        assertArrayEquals(Projections.simplex(x, 1).toDoubleArray(), Projections.sparseSimplex(x, 1, 6).toDoubleArray(), 0);
        double[] jac = Autodiff.jacobian(z -> Projections.sparseSimplex(z, 1, 2), x).toDoubleArray();
        double[] m = {1, 0, 0, 1, 0, 0};
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                assertEquals((i == j ? m[i] : 0) - m[i] * m[j] / 2, jac[i * 6 + j], 1e-15, "J[" + i + "," + j + "]");
            }
        }
        // against brute force: the nearest point over every support of size <= k (plain simplex projection on each)
        var r = new SplittableRandom(3);
        for (int trial = 0; trial < 60; trial++) {
            int d = 5;
            int k = 1 + r.nextInt(4);
            double s = 0.5 + r.nextDouble();
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = r.nextGaussian();
            }
            double[] p = Projections.sparseSimplex(Tensor.of(v), s, k).toDoubleArray();
            double best = Double.POSITIVE_INFINITY;
            for (int set = 1; set < 1 << d; set++) {
                int size = Integer.bitCount(set);
                if (size > k) {
                    continue;
                }
                double[] sub = new double[size];
                int[] where = new int[size];
                for (int i = 0, q = 0; i < d; i++) {
                    if ((set >> i & 1) == 1) {
                        where[q] = i;
                        sub[q++] = v[i];
                    }
                }
                double[] ps = Projections.simplex(Tensor.of(sub), s).toDoubleArray();
                double dist = 0;
                double[] full = new double[d];
                for (int q = 0; q < size; q++) {
                    full[where[q]] = ps[q];
                }
                for (int i = 0; i < d; i++) {
                    dist += (full[i] - v[i]) * (full[i] - v[i]);
                }
                best = Math.min(best, dist);
            }
            double dist = 0;
            int nnz = 0;
            for (int i = 0; i < d; i++) {
                dist += (p[i] - v[i]) * (p[i] - v[i]);
                nnz += p[i] != 0 ? 1 : 0;
            }
            assertTrue(nnz <= k);
            assertEquals(best, dist, 1e-12, "trial " + trial);
        }
        assertThrows(IllegalArgumentException.class, () -> Projections.sparseSimplex(x, 1, 0));
    }

    @Test
    void hungarianMatchesBruteForceOverAllPermutations() {
        var r = new SplittableRandom(11);
        int n = 7;
        double[] c = new double[n * n];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble();
        }
        int[] sigma = Hungarian.assignment(Tensor.of(c, n, n));
        double found = 0;
        for (int i = 0; i < n; i++) {
            found += c[i * n + sigma[i]];
        }
        assertEquals(best(c, n, new int[n], 0, new boolean[n], 0), found, 1e-14);
        assertEquals(found / n, Hungarian.cost(OtProblem.of("brute", uniform(n), uniform(n), Tensor.of(c, n, n))), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Hungarian.cost(OtProblem.of("bar", a(), b(), cost())));
    }

    private static double best(double[] c, int n, int[] perm, int row, boolean[] used, double sum) {
        if (row == n) {
            return sum;
        }
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            if (!used[j]) {
                used[j] = true;
                min = Math.min(min, best(c, n, perm, row + 1, used, sum + c[row * n + j]));
                used[j] = false;
            }
        }
        return min;
    }

    private static Tensor uniform(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0 / n);
        return Tensor.of(w);
    }

    @Test
    void unconstrainedKIsQuadraticallyRegularisedOt() {
        // reference: the smooth dual of Blondel et al. (2018), max ⟨α, a⟩ + ⟨β, b⟩ − (1/2γ)Σ[α_i + β_j − C_ij]₊², by
        // scipy L-BFGS-B, then the KKT system on its support solved exactly (numpy), γ = 1
        double[] plan = {0.14165189728939753, 0.02501476937726879, 0, 0, 0, 0.13127925213502922, 0.1146421242229005, 0, 0, 0,
            0.02706885057557321, 0.11043172266344449, 0.07814819778535519, 0, 0, 0, 0.02062206185504072, 0.08833853697695136,
            0.00872396347696827, 0, 0, 0, 0.03351326523769346, 0.0538986917377104, 0, 0, 0, 0, 0.0666666666666666,
            0.10000000000000003};
        var s = SparsityConstrainedOt.of(1.0, 6).withTol(1e-12).solve(a(), b(), cost());
        assertTrue(s.convergence().converged(), s.convergence().describe());
        assertArrayEquals(plan, s.plan().toDoubleArray(), 1e-12);
        assertEquals(0.025621894704557623, s.transportCost(), 1e-12);
        assertEquals(0.074062301049885162, s.primal(), 1e-12);
        assertEquals(0, s.gap(), 1e-12);
        assertEquals(4, s.maxNonzeros());
        // k larger than n is the same problem
        assertArrayEquals(plan, SparsityConstrainedOt.of(1.0, 50).withTol(1e-12).solve(a(), b(), cost()).plan().toDoubleArray(), 1e-12);
    }

    // a random 6 × 7 problem (numpy default_rng(0), γ = 0.3) where k = 2 binds (the unconstrained plan has 3 nonzeros in
    // columns 2 and 5) and the semi-dual maximum is smooth; reference plan: scipy L-BFGS-B on the semi-dual with a numpy
    // top-k projection, then the linear system T(α)1 = a on its supports solved exactly
    private static final double[] RA = {0.1981951767092861, 0.11829453322347813, 0.243874668863746, 0.14629813311749693,
        0.10239485358529767, 0.19094263450069524};
    private static final double[] RB = {0.17066007703136704, 0.11245091662801969, 0.1739408847967642, 0.11956819688551314,
        0.11063944549589383, 0.13395585895133721, 0.17878462021110506};
    private static final double[] RC = {0.9489436749377653, 0.4600451393090961, 0.7577288453082914, 0.49742269548761897,
        0.5293121601967704, 0.7857857007138075, 0.4146558493556708, 0.7344835717887294, 0.7111428779897498, 0.9320596866133782,
        0.1149326332809052, 0.7290151170763094, 0.9274239286245599, 0.9679261899246464, 0.01470630496536929, 0.8636400902455758,
        0.9811950400663443, 0.9572101796109636, 0.1487640122324979, 0.972628813822955, 0.8899355557205206, 0.8223738275430704,
        0.4799879238078322, 0.23237291963930384, 0.8018805787183079, 0.9235301597834695, 0.2661302722922926, 0.5389344076221869,
        0.4427528289745315, 0.931017315981155, 0.04051071118843463, 0.7320061956565608, 0.6143732469489966, 0.02836536511352106,
        0.7192197728267403, 0.01599172952357197, 0.7579510023564281, 0.512758723262078, 0.9291042207970062, 0.06608249672407474,
        0.8413172796123832, 0.0666900087671014};
    private static final double[] RT = {0, 0.11245091662801969, 0.05920375704530691, 0.00127366366203518, 0, 0,
        0.02526683937392521, 0, 0, 0, 0.11829453322347795, 0, 0, 0, 0.17066007703136704, 0, 0, 0, 0.07321459183237894, 0, 0, 0, 0,
        0.11473712775145699, 0, 0, 0.03156100536603949, 0, 0, 0, 0, 0, 0, 0.10239485358529772, 0, 0, 0, 0, 0, 0.03742485366351487,
        0, 0.15351778083717993};

    @Test
    void bindingKSparseMaximumMeetsBothMarginals() {
        var s = SparsityConstrainedOt.of(0.3, 2).withTol(1e-13).solve(Tensor.of(RA), Tensor.of(RB), Tensor.of(RC, 6, 7));
        assertTrue(s.convergence().converged(), s.convergence().describe());
        assertArrayEquals(RT, s.plan().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.309490558149593, -0.03789324318868795, 0.09341843695908239, -0.19920535630754954,
            -0.4157201090205436, 0}, s.alpha().toDoubleArray(), 1e-10);
        assertEquals(0.18537769944752885, s.transportCost(), 1e-12);
        assertEquals(0.20261013506552281, s.primal(), 1e-12);
        assertEquals(0, s.gap(), 1e-12, "a smooth maximum certifies the k-sparse plan optimal");
        assertEquals(2, s.maxNonzeros());
        double unconstrained = SparsityConstrainedOt.of(0.3, 6).withTol(1e-13).solve(Tensor.of(RA), Tensor.of(RB), Tensor.of(RC, 6, 7)).primal();
        assertTrue(s.primal() > unconstrained + 1e-6, "the constraint binds: " + s.primal() + " vs " + unconstrained);
    }

    @Test
    void atAKinkTheColumnsStayKSparseButTheRowMarginalIsMissed() {
        // the bar at γ = 1 with k = 2: the semi-dual maximum is non-smooth (numpy/scipy reach ‖T1 − a‖₁ = 4.96e-2 too)
        var s = SparsityConstrainedOt.of(1.0, 2).solve(a(), b(), cost());
        assertTrue(!s.convergence().converged(), s.convergence().describe());
        assertTrue(s.convergence().residual() > 1e-2 && s.convergence().residual() < 6e-2, s.convergence().describe());
        assertEquals(s.convergence().residual(), s.plan().sum(1).sub(a()).abs().sum().item(), 1e-15);
        double[] t = s.plan().toDoubleArray();
        double[] bv = b().toDoubleArray();
        for (int j = 0; j < 5; j++) {
            int nnz = 0;
            double col = 0;
            for (int i = 0; i < 6; i++) {
                nnz += t[i * 5 + j] != 0 ? 1 : 0;
                col += t[i * 5 + j];
                assertTrue(t[i * 5 + j] >= 0);
            }
            assertTrue(nnz <= 2, "column " + j + " has " + nnz + " nonzeros");
            assertEquals(bv[j], col, 1e-15);
        }
        // a smaller feasible set has a larger conjugate term subtracted less: S_k(α) >= S_n(α) for every α, so the
        // k = 2 semi-dual maximum is at least the quadratically regularised optimum
        assertTrue(s.semiDual() >= 0.074062301049885162 - 1e-12);
        var e = assertThrows(NotConvergedException.class, () -> SparsityConstrainedOt.of(1.0, 2).potential(a(), b(), cost()));
        assertTrue(e.getMessage().contains("stalled") || e.getMessage().contains("line search"), e.getMessage());
    }

    @Test
    void kOneIsTheUnregularisedSemiDualAndAnAssignmentPerColumn() {
        // k = 1: each column is one point mass b_j, so S(α) = (unregularised semi-dual) + (γ/2)‖b‖², at most OT + (γ/2)‖b‖²
        // for every α and equal at the maximum (LP duality); OT by the Hungarian method (n = m, uniform weights)
        var r = new SplittableRandom(5);
        int n = 8;
        double[] c = new double[n * n];
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextDouble();
        }
        var p = OtProblem.of("random", uniform(n), uniform(n), Tensor.of(c, n, n));
        double exact = Hungarian.cost(p);
        double gamma = 0.5;
        var s = SparsityConstrainedOt.of(gamma, 1).solve(p.a(), p.b(), p.cost());
        double shift = gamma / 2 * n / (double) (n * n);
        assertTrue(s.semiDual() <= exact + shift + 1e-12, s.semiDual() + " > " + (exact + shift));
        assertEquals(exact + shift, s.semiDual(), 1e-3 * exact);
        assertEquals(1, s.maxNonzeros());
    }

    @Test
    void implicitGradientMatchesFiniteDifferences() {
        // on the binding k = 2 problem: d⟨C, T⟩ along a cost direction D, and along a weight direction for b
        var solver = SparsityConstrainedOt.of(0.3, 2).withTol(1e-13);
        Tensor a = Tensor.of(RA);
        Tensor b = Tensor.of(RB);
        Tensor c = Tensor.of(RC, 6, 7);
        double[] d = new double[42];
        for (int i = 0; i < 42; i++) {
            d[i] = Math.sin(3.0 * i + 1);
        }
        double h = 1e-6;
        double[] gc = Autodiff.grad(cc -> solver.linearCost(a, b, cc), c).toDoubleArray();
        double directional = 0;
        for (int i = 0; i < 42; i++) {
            directional += gc[i] * d[i];
        }
        double fd = (solver.solve(a, b, Tensor.of(axpy(h, d, RC), 6, 7)).transportCost()
                - solver.solve(a, b, Tensor.of(axpy(-h, d, RC), 6, 7)).transportCost()) / (2 * h);
        assertEquals(fd, directional, 1e-7, "d<C, T>/dC along D");
        assertTrue(Math.abs(directional) > 1e-2, "a gradient that is not trivially zero: " + directional);
        // b moves on the simplex: a direction summing to zero, balanced by the same change in a
        double[] db = {1, -1, 0.5, 0.5, -1, 0.25, -0.25};
        double[] da = {0.5, -0.5, 0, 0, 0, 0};
        double[] ga;
        double[] gb;
        var both = Autodiff.gradAll(th -> solver.linearCost(th[0], th[1], c), a, b);
        ga = both.get(0).toDoubleArray();
        gb = both.get(1).toDoubleArray();
        double dir = 0;
        for (int i = 0; i < 6; i++) {
            dir += ga[i] * da[i];
        }
        for (int j = 0; j < 7; j++) {
            dir += gb[j] * db[j];
        }
        double fdw = (solver.solve(Tensor.of(axpy(h, da, RA)), Tensor.of(axpy(h, db, RB)), c).transportCost()
                - solver.solve(Tensor.of(axpy(-h, da, RA)), Tensor.of(axpy(-h, db, RB)), c).transportCost()) / (2 * h);
        assertEquals(fdw, dir, 1e-7, "d<C, T>/d(a, b) along a balanced direction");
    }

    private static double[] axpy(double s, double[] d, double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < v.length; i++) {
            out[i] += s * d[i];
        }
        return out;
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> SparsityConstrainedOt.of(1.0, 0));
        assertTrue(e.getMessage().contains("k >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparsityConstrainedOt.of(0, 2));
        assertThrows(IllegalArgumentException.class, () -> SparsityConstrainedOt.of(1, 2).solve(a(), a(), cost()));
    }
}
