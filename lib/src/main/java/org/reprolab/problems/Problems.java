package org.reprolab.problems;

import java.util.function.Function;
import org.reprolab.tensor.Tensor;

/**
 * The objectives by name, for {@code Lab.optimize(Problems.rosenbrock())}: the classic test
 * functions with exact gradients, and any tensor loss differentiated by autodiff.
 */
public final class Problems {
    private Problems() {}

    /** Rosenbrock's valley, a = 1, b = 100; minimum 0 at (1, 1). */
    public static Objective rosenbrock() {
        return new Rosenbrock();
    }

    public static Objective rosenbrock(double a, double b) {
        return new Rosenbrock(a, b);
    }

    /** Beale's function; minimum 0 at (3, 0.5). */
    public static Objective beale() {
        return new Beale();
    }

    /** {@code (x^2 + condition y^2) / 2}: a bowl whose Hessian has the given condition number. */
    public static Objective quadratic(double condition) {
        return new Quadratic(condition);
    }

    /** Rastrigin's function in two variables; minimum 0 at the origin among many local minima. */
    public static Objective rastrigin() {
        return new Rastrigin();
    }

    /** Ackley's function in {@code dimension} variables; minimum 0 at the origin inside a lattice of local minima. */
    public static Objective ackley(int dimension) {
        return new Ackley(dimension);
    }

    /** The diffGrad paper's F1, one variable: global minimum at -0.3, a local one at 0.2. */
    public static Objective diffGradF1() {
        return new DiffGradF1();
    }

    /** The diffGrad paper's F2. */
    public static Objective diffGradF2() {
        return new DiffGradF2();
    }

    /** The diffGrad paper's F3. */
    public static Objective diffGradF3() {
        return new DiffGradF3();
    }

    /** A loss of a {@code dimension}-vector written on tensors: {@code Problems.of("bowl", 2, x -> x.mul(x).sum())}. */
    public static Objective of(String name, int dimension, Function<Tensor, Tensor> loss) {
        return new TensorObjective(name, dimension, loss);
    }
}
